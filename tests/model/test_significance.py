"""Bootstrap intervals and McNemar's exact test, against scikit-learn and scipy by hand."""

import numpy as np
from sklearn.metrics import f1_score

from classifier.labels import LABELS
from classifier.model.significance import bootstrap_f1, f1_per_class, macro_f1, mcnemar_exact


def _random_labels(n, seed):
    return list(np.random.default_rng(seed).choice(LABELS, size=n))


def test_macro_and_per_class_f1_match_scikit_learn():
    y, p = _random_labels(300, 0), _random_labels(300, 1)
    assert abs(macro_f1(y, p) - f1_score(y, p, labels=list(LABELS), average="macro")) < 1e-12
    per = f1_score(y, p, labels=list(LABELS), average=None)
    assert f1_per_class(y, p) == {label: float(v) for label, v in zip(LABELS, per)}


def test_labels_absent_from_the_truth_are_left_out():
    y = ["payment", "payment", "other"]
    assert set(f1_per_class(y, ["payment", "data_error", "other"])) == {"payment", "other"}


def test_bootstrap_intervals_contain_the_point_and_are_paired():
    y = _random_labels(400, 2)
    a = [t if i % 3 else "other" for i, t in enumerate(y)]
    scores = bootstrap_f1(y, {"a": a, "b": y}, seed=0)
    point, low, high = scores["a"]["macro_f1"]
    assert low <= point <= high < 1.0
    assert scores["b"]["macro_f1"] == (1.0, 1.0, 1.0)
    diff, dlow, dhigh = scores["difference"]["macro_f1"]
    assert diff > 0 and dlow > 0
    assert scores == bootstrap_f1(y, {"a": a, "b": y}, seed=0)  # seeded


def test_mcnemar_exact():
    y = ["payment"] * 20
    a = ["payment"] * 10 + ["other"] * 10
    b = ["payment"] * 20
    only_a, only_b, p = mcnemar_exact(y, a, b)
    assert (only_a, only_b) == (0, 10)
    assert abs(p - 2 * 0.5**10) < 1e-12
    assert mcnemar_exact(y, a, a) == (0, 0, 1.0)
