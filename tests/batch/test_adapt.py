"""Adapting: reading a team's labelled rows, combining them with the corpus, training on both."""

import json

import numpy as np
import pandas as pd
import pytest

from classifier.batch.adapt import LabelledRows, adapt, combine_with_corpus, read_labelled
from classifier.errors import ClassifierError, ColumnNotFoundError, TrainingDataError


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, corpus):
    """A corpus of 60 training rows and 10 test rows per label (a model in seconds)."""
    train = corpus[corpus.split == "train"].groupby("label").sample(60, random_state=0)
    test = corpus[corpus.split == "test"].groupby("label").sample(10, random_state=0)
    path = tmp_path_factory.mktemp("corpus") / "small.csv"
    pd.concat([train, test]).to_csv(path, index=False)
    return path


def _write(path, rows, columns=("投诉内容", "label")):
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False, encoding="utf-8-sig")
    return path


OWN = [
    ("云闪付扫码付款提示失败，但是卡里的钱已经扣掉了", "支付系统故障"),
    ("银联在线支付页面一直空白，控件装不上", "服务系统中断"),
    ("账单里的交易记录显示了两遍，金额也对不上", "数据系统错误"),
    ("信用卡年费怎么收的，能不能免", "其他"),
    ("", "payment"),
    ("这一行没人标", ""),
]


def test_read_labelled_maps_typed_labels_and_counts_blanks(tmp_path):
    rows = read_labelled(_write(tmp_path / "own.csv", OWN))
    assert rows.labels == ["payment", "service_interruption", "data_error", "other"]
    assert rows.texts[0].startswith("云闪付")
    assert (rows.blank_labels, rows.blank_texts) == (1, 1)
    assert rows.file == "own.csv" and len(rows.sha256) == 64


def test_gbk_queue_edited_in_excel_is_read(tmp_path):
    path = tmp_path / "gbk.csv"
    pd.DataFrame(OWN[:4], columns=["投诉内容", "label"]).to_csv(path, index=False, encoding="gbk")
    assert len(read_labelled(path)) == 4


def test_bad_label_cells_are_one_message_naming_every_row(tmp_path):
    path = _write(tmp_path / "bad.csv", [("扣了钱", "支付失败"), ("黑屏", "payment"), ("丢了", "bug")])
    with pytest.raises(TrainingDataError) as caught:
        read_labelled(path)
    message = str(caught.value)
    assert "2 row(s) with an unknown label" in message
    assert "row 2: '支付失败'" in message and "row 4: 'bug'" in message
    assert "accepted: payment / 支付系统故障 / 支付" in message


def test_missing_label_column_and_no_labelled_rows_are_clear(tmp_path):
    with pytest.raises(ColumnNotFoundError, match="no column 'label'; available: 投诉内容, 标签"):
        read_labelled(_write(tmp_path / "nolabel.csv", [("扣了钱", "支付")], ("投诉内容", "标签")))
    with pytest.raises(TrainingDataError, match="has no labelled rows"):
        read_labelled(_write(tmp_path / "blank.csv", [("扣了钱", ""), ("黑屏", " ")]))


def test_combine_weights_own_rows_and_drops_bundled_near_duplicates(small_corpus, corpus):
    train = pd.read_csv(small_corpus, dtype=str, keep_default_na=False)
    train = train[train.split == "train"]
    bundled = train.iloc[0]
    other = next(label for label in ("other", "payment") if label != bundled["label"])
    own = LabelledRows([bundled["text"] + "！", "全新的一句话，和语料里的都不一样啊"], [other, "other"])
    data = combine_with_corpus(own, small_corpus, weight=4)
    assert data.dropped_near_duplicates == 1 and data.relabelled == 1
    assert data.corpus_rows == len(train) - 1 and data.own_rows == 2
    assert bundled["text"] not in data.texts  # the team's label wins
    assert data.labels[-2:] == [other, "other"]
    # bundled rows keep the corpus's weights (3 for the real-register rounds), the team's weigh 4
    bundled_weights = train["weight"].astype(float).tolist()[1:]
    assert {1.0, 3.0} <= set(bundled_weights)
    np.testing.assert_array_equal(data.sample_weight, bundled_weights + [4.0, 4.0])
    assert len(data.test_texts) == 40


def test_weight_must_be_positive(small_corpus):
    with pytest.raises(TrainingDataError, match="positive"):
        combine_with_corpus(LabelledRows(["扣了钱"], ["payment"]), small_corpus, weight=0)


@pytest.mark.slow
def test_adapt_records_its_origin_and_is_deterministic(small_corpus, tmp_path):
    own = _write(tmp_path / "own.csv", OWN)
    english = _write(
        tmp_path / "own_en.csv",
        [
            (
                t,
                {
                    "支付系统故障": "payment",
                    "服务系统中断": "service_interruption",
                    "数据系统错误": "data_error",
                    "其他": "other",
                }.get(y, y),
            )
            for t, y in OWN
        ],
    )
    _, _, report = adapt(own, tmp_path / "a", corpus=small_corpus, weight=5, seed=3)
    adapt(own, tmp_path / "b", corpus=small_corpus, weight=5, seed=3)
    adapt(english, tmp_path / "c", corpus=small_corpus, weight=5, seed=3)
    sidecars = [json.loads((tmp_path / d / "model.json").read_text()) for d in "abc"]
    record = sidecars[0]["adaptation"]
    assert record["weight"] == 5.0
    assert record["rows"]["own"] == 4 and record["rows"]["corpus"] == 240
    assert record["rows"]["own_blank_labels_skipped"] == 1
    assert record["own_data"]["file"] == "own.csv" and len(record["own_data"]["sha256"]) == 64
    assert record["corpus_data"]["file"] == "small.csv"
    assert record["base_model"]["model_sha256"] and record["base_model"]["classifier_version"]
    assert report is not None and report.n == 40
    # same inputs and seed: the same model; 支付系统故障 or payment typed: the same model
    assert sidecars[0]["lean_files"] == sidecars[1]["lean_files"] == sidecars[2]["lean_files"]
    assert sidecars[0]["model_sha256"] == sidecars[1]["model_sha256"]


def test_adapt_refuses_a_missing_corpus(tmp_path):
    own = _write(tmp_path / "own.csv", OWN)
    with pytest.raises(ClassifierError, match="nope.csv does not exist"):
        adapt(own, corpus=tmp_path / "nope.csv")


def test_adapt_without_a_clone_says_where_the_corpus_is(tmp_path, monkeypatch):
    from classifier.batch import adapt as adapt_module

    monkeypatch.setattr(adapt_module, "bundled_corpus", lambda: tmp_path / "site" / "data" / "complaints.csv")
    own = _write(tmp_path / "own.csv", OWN)
    with pytest.raises(ClassifierError, match="run this from a clone, or name the corpus"):
        adapt(own)
