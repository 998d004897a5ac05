"""ComplaintClassifier.fit(..., sample_weight=...): passed to the SVM, the calibration and the threshold."""

import numpy as np
import pytest

from classifier import ComplaintClassifier
from classifier.errors import TrainingDataError
from classifier.model.estimator import choose_threshold


@pytest.mark.slow
def test_unit_weights_give_the_unweighted_model_and_weights_change_it(small_training_set, corpus):
    texts, labels = small_training_set
    probe = corpus[corpus.split == "test"]["text"].head(100).tolist()
    plain = ComplaintClassifier(cv=3).fit(texts, labels)
    ones = ComplaintClassifier(cv=3).fit(texts, labels, sample_weight=np.ones(len(texts)))
    np.testing.assert_array_equal(plain.predict_proba(probe), ones.predict_proba(probe))
    heavy = np.where(np.arange(len(texts)) < 50, 10.0, 1.0)
    weighted = ComplaintClassifier(cv=3).fit(texts, labels, sample_weight=heavy)
    assert np.abs(weighted.predict_proba(probe) - plain.predict_proba(probe)).max() > 0.01


@pytest.mark.parametrize(
    ("weights", "message"),
    [([1.0, 2.0], "one weight per text"), ([0.0] * 40, "positive"), ([float("nan")] * 40, "finite")],
)
def test_bad_weights_are_refused_with_a_message(weights, message):
    texts = ["扣了钱没到账", "页面打不开", "积分清零了", "快递太慢"] * 10
    labels = ["payment", "service_interruption", "data_error", "other"] * 10
    with pytest.raises(TrainingDataError, match=message):
        ComplaintClassifier(cv=2).fit(texts, labels, sample_weight=weights)


def test_choose_threshold_counts_a_weighted_row_that_many_times():
    classes = ["data_error", "other", "payment", "service_interruption"]
    # one unsure right answer and one unsure wrong answer: their weights decide whether to abstain
    proba = np.array([[0.0, 0.0, 0.4, 0.6], [0.0, 0.0, 0.4, 0.6], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    y = ["service_interruption", "other", "other", "payment"]
    keep = choose_threshold(proba, y, classes, sample_weight=np.array([10.0, 1.0, 1.0, 1.0]))
    abstain = choose_threshold(proba, y, classes, sample_weight=np.array([1.0, 10.0, 1.0, 1.0]))
    assert keep <= 0.6 < abstain
