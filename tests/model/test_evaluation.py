import pandas as pd
import pytest

from classifier import evaluate
from classifier.errors import ColumnNotFoundError


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
