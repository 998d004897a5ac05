"""The review queue: which rows, why, in what order, and the same queue every time."""

import pandas as pd
import pytest

from classifier.batch.review import choose_rows, review
from classifier.errors import ClassifierError


@pytest.fixture(scope="module")
def classified(tmp_path_factory, corpus):
    """A classified file of 300 test texts with two needs_review rows, one blank and one damaged."""
    from classifier import classify_frame

    frame = corpus[corpus.split == "test"][["id", "text"]].head(300).reset_index(drop=True)
    out = classify_frame(
        frame,
        text_column="text",
        columns="confidence,prob_payment,prob_service_interruption,prob_data_error,prob_other",
    )
    out.loc[[3, 4], "status"] = "needs_review"
    out.loc[5, ["text", "status"]] = ["", "empty_text"]
    out.loc[6, "status"] = "malformed_line"
    path = tmp_path_factory.mktemp("review") / "classified.csv"
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_queue_keeps_the_columns_and_adds_label_and_why(classified, tmp_path):
    summary = review(classified, tmp_path / "q.csv", size=40, seed=1)
    source, queue = _read(classified), _read(tmp_path / "q.csv")
    assert list(queue.columns) == [*source.columns, "label", "why_chosen"]
    assert (queue["label"] == "").all()
    assert len(queue) == summary.queued == 42  # 40 + every needs_review row
    assert summary.why_chosen == {"needs_review": 2, "random": 8, "low_confidence": 16, "near_tie": 16}
    assert queue["id"].tolist() == [i for i in source["id"] if i in set(queue["id"])]  # file order
    assert not set(queue["id"]) & set(source["id"].iloc[[5, 6]])  # blank and damaged rows never queued


def test_the_uncertain_rows_are_the_least_confident_and_the_nearest_ties(classified, tmp_path):
    review(classified, tmp_path / "q.csv", size=40, random_share=0)
    source, queue = _read(classified), _read(tmp_path / "q.csv")
    scored = source[source.status == "ok"]
    lowest = scored.assign(c=scored.confidence.astype(float)).nsmallest(5, "c")["id"]
    assert set(lowest) <= set(queue["id"])
    low = queue[queue.why_chosen == "low_confidence"].confidence.astype(float)
    assert low.max() <= scored.confidence.astype(float).median()


def test_same_file_and_seed_give_the_same_queue(classified, tmp_path):
    review(classified, tmp_path / "a.csv", size=30, seed=7)
    review(classified, tmp_path / "b.csv", size=30, seed=7)
    review(classified, tmp_path / "c.csv", size=30, seed=8)
    a, b, c = ((tmp_path / n).read_bytes() for n in ("a.csv", "b.csv", "c.csv"))
    assert a == b and a != c


def test_without_probabilities_only_confidence_counts():
    picks = choose_rows([0.9, 0.3, 0.5, 0.99], None, ["ok"] * 4, size=2, random_share=0)
    assert picks == {1: "low_confidence", 2: "low_confidence"}


def test_the_classifiers_columns_are_read_when_the_input_had_columns_of_those_names(tmp_path):
    # the input's own status and confidence: classify named its results status_predicted, …
    from classifier import classify_file

    source = tmp_path / "in.csv"
    texts = ["付款失败扣了199元", "会员一直黑屏", "购物车的商品全没了", "怎么回事"]
    pd.DataFrame({"text": texts, "status": "旧", "confidence": "高"}).to_csv(source, index=False)
    classify_file(source, tmp_path / "classified.csv", columns="confidence")
    summary = review(tmp_path / "classified.csv", tmp_path / "q.csv", size=2, seed=0)
    assert summary.scored == 4  # (was 0: the input's status column was read, "旧" is no status)
    queue = _read(tmp_path / "q.csv")
    assert "怎么回事" in queue["text"].tolist()  # its status_predicted is needs_review
    assert summary.queued == 3


def test_a_file_that_was_not_classified_is_one_clear_error(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("投诉内容\n扣了钱\n", encoding="utf-8")
    with pytest.raises(ClassifierError, match="not a classified file: run complaint-classifier classify"):
        review(plain, tmp_path / "q.csv")


def test_the_summary_names_the_next_command_and_says_when_nothing_was_queued():
    from classifier.batch.review import ReviewSummary

    line = ReviewSummary(40, 39, 10, {"random": 2, "near_tie": 8}, "my queue.csv").format()
    assert "选出 10 行" in line and "前两类难分 8" in line
    assert "train --add 'my queue.csv' -o <新模型目录>" in line
    empty = ReviewSummary(3, 0, 0, {}, "q.csv").format()
    assert "没有选出" in empty and "train" not in empty
