"""Real third-party text from ../shared/corpora (skipped cleanly where it is absent)."""

from pathlib import Path

import pandas as pd
import pytest

from classifier.labels import LABELS
from classifier.tools.realtext import REVIEW_CORPORA, review_flag_rates, unionpay_check

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CORPORA = (ROOT.parent / "shared" / "corpora").resolve()


def test_unionpay_labels_cover_every_faq_with_a_valid_label():
    labels = pd.read_csv(DATA / "eval" / "unionpay_faq_labels.csv", dtype=str)
    assert list(labels.columns) == ["faq_id", "label"]
    assert labels["faq_id"].is_unique
    assert set(labels["label"]) <= set(LABELS)
    if CORPORA.is_dir():
        questions = pd.read_csv(CORPORA / "unionpay_95516_questions.csv", dtype=str)
        assert set(questions["faq_id"]) == set(labels["faq_id"])


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora not present")
def test_unionpay_check_scores_every_labelled_question(default_model):
    report = unionpay_check(CORPORA, default_model)
    assert report.n == 4010
    assert 0 <= report.macro_f1 <= 1


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora not present")
def test_reviews_are_rarely_called_failures(default_model):
    """Bar from the corpus issue: at most 5% of reviews predicted as system failures."""
    rates = review_flag_rates(CORPORA, default_model, sample=3000)
    assert set(rates) == set(REVIEW_CORPORA)
    flagged = sum(r["flagged"] for r in rates.values())
    total = sum(r["n"] for r in rates.values())
    assert flagged / total <= 0.05


def test_question_labels_name_each_question_once_with_a_valid_label():
    labels = pd.read_csv(DATA / "eval" / "unionpay_question_labels.csv", dtype=str)
    assert list(labels.columns) == ["question_id", "nth", "label"]
    assert not labels.duplicated(["question_id", "nth"]).any() and len(labels) == 200
    assert set(labels["label"]) == set(LABELS)


def test_second_annotator_labelled_the_same_questions_and_agreement_is_computed():
    from classifier.tools.realtext import annotator_agreement

    first = pd.read_csv(DATA / "eval" / "unionpay_question_labels.csv", dtype=str)
    second = pd.read_csv(DATA / "eval" / "unionpay_question_labels_second.csv", dtype=str)
    assert list(second.columns) == ["question_id", "nth", "label"]
    key = ["question_id", "nth"]
    assert set(map(tuple, second[key].values)) == set(map(tuple, first[key].values))
    assert set(second["label"]) <= set(LABELS)
    found = annotator_agreement()
    assert found["n"] == 200
    assert (
        found["agreement"]
        == (first.merge(second, on=key)["label_x"] == first.merge(second, on=key)["label_y"]).mean()
    )
    assert -1 <= found["kappa"] <= 1


def test_annotator_agreement_of_a_file_with_itself_is_perfect(tmp_path):
    from classifier.tools.realtext import annotator_agreement

    labels = DATA / "eval" / "unionpay_question_labels.csv"
    assert annotator_agreement(labels, labels) == {"n": 200, "agreement": 1.0, "kappa": 1.0}


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora not present")
def test_question_check_scores_all_200_and_compares_the_faq_labels(default_model):
    from classifier.tools.realtext import unionpay_question_check

    report, agreement = unionpay_question_check(CORPORA, default_model)
    assert report.n == 200
    # the FAQ labels disagree with the question-level labels often enough to cap the FAQ check
    assert 0.5 < agreement < 0.9
