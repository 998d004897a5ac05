import pandas as pd
import pytest

from classifier import evaluate
from classifier.errors import ColumnNotFoundError, InputFileError


def test_rows_the_model_was_trained_on_are_skipped(pipeline, corpus):
    train = corpus[corpus["split"] == "train"].head(20)
    texts, labels = train["text"].tolist(), train["label"].tolist()
    frame = pd.DataFrame(
        {
            "text": texts[:20] + ["付款显示失败但银行卡扣了199元，订单找不到了"],
            "label": labels[:20] + ["payment"],
        }
    )
    report = evaluate(frame, pipeline, split=None)
    assert report.skipped_training_rows == 20
    assert report.n == 1


def test_report_contents(pipeline, corpus):
    test = corpus[corpus["split"] == "test"].groupby("label").head(10)
    report = evaluate(test, pipeline)
    assert report.n == 40
    assert sum(map(sum, report.confusion)) == 40
    assert 0 <= report.coverage <= 1
    assert "macro-F1" in report.format()


def test_missing_column_error_lists_columns(pipeline):
    with pytest.raises(ColumnNotFoundError, match="available: 内容, label"):
        evaluate(pd.DataFrame({"内容": ["x"], "label": ["other"]}), pipeline)


def test_the_lean_engine_cannot_evaluate_because_it_forgot_its_training_rows(lean):
    with pytest.raises(TypeError, match="full estimator"):
        evaluate(pd.DataFrame({"text": ["x"], "label": ["other"]}), lean)


def test_default_model_meets_the_held_out_bar(default_model, corpus):
    """The shipped model on the project's own test split (never trained on)."""
    report = evaluate(corpus, default_model, split="test")
    assert report.skipped_training_rows == 0
    assert report.n >= 600
    assert report.macro_f1 >= 0.90


def test_labels_are_read_as_train_add_and_compare_read_them(pipeline, corpus):
    # the labels people type (支付, 服务中断, 数据系统错误, Other …) score as the labels themselves;
    # a blank label is a row nobody checked: skipped, as train --add and compare skip it
    test = corpus[corpus["split"] == "test"].groupby("label").head(5)
    typed = {
        "payment": "支付",
        "service_interruption": "服务中断",
        "data_error": "数据系统错误",
        "other": " Other ",
    }
    as_typed = test.assign(label=test["label"].map(typed))
    blank = pd.DataFrame({"text": ["扣了199元页面打不开"], "label": [float("nan")], "split": ["test"]})
    report = evaluate(pd.concat([as_typed, blank]), pipeline)
    assert report.to_dict() == evaluate(test, pipeline).to_dict()


def test_an_unknown_label_names_the_labels_accepted(pipeline):
    frame = pd.DataFrame({"text": ["扣了199元页面打不开", "黑屏"], "label": ["支付", "故障"]})
    with pytest.raises(InputFileError, match=r"unknown labels \['故障'\].*支付系统故障 / 支付"):
        evaluate(frame, pipeline, split=None)
