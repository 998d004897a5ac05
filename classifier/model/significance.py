"""How sure a difference between two models is: bootstrap intervals and McNemar's exact test.

>>> y = ["payment", "other", "payment", "data_error"]
>>> round(macro_f1(y, ["payment", "other", "other", "data_error"]), 3)
0.778
>>> mcnemar_exact(y, ["payment", "other", "other", "data_error"], y)
(0, 1, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import binomtest

from ..labels import LABELS

__all__ = ["BOOTSTRAP_ROUNDS", "Interval", "bootstrap_f1", "f1_per_class", "macro_f1", "mcnemar_exact"]

BOOTSTRAP_ROUNDS = 1000
# (point estimate, low, high) of a 95 % percentile bootstrap interval
Interval = tuple[float, float, float]


def _codes(values: Sequence[str]) -> np.ndarray:
    index = {label: i for i, label in enumerate(LABELS)}
    return np.array([index.get(str(v), len(LABELS)) for v in values], dtype=np.int64)


def _f1_from_codes(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """F1 per label (rows of a 2-D ``y``/``p`` are resamples); NaN where the label is absent from ``y``."""
    y, p = np.atleast_2d(y), np.atleast_2d(p)
    scores = np.empty((y.shape[0], len(LABELS)))
    for k in range(len(LABELS)):
        truth, said = y == k, p == k
        tp = (truth & said).sum(axis=1)
        denominator = truth.sum(axis=1) + said.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)
        scores[:, k] = np.where(truth.sum(axis=1) > 0, f1, np.nan)
    return scores


def f1_per_class(y: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """F1 of each label present in ``y`` (as :func:`classifier.model.evaluation.score` counts it)."""
    scores = _f1_from_codes(_codes(y), _codes(predicted))[0]
    return {label: float(s) for label, s in zip(LABELS, scores) if not np.isnan(s)}


def macro_f1(y: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the labels present in ``y``."""
    return float(np.nanmean(_f1_from_codes(_codes(y), _codes(predicted))[0]))


def bootstrap_f1(
    y: Sequence[str],
    predictions: Mapping[str, Sequence[str]],
    *,
    rounds: int = BOOTSTRAP_ROUNDS,
    seed: int = 0,
) -> dict[str, dict[str, Interval]]:
    """Macro-F1 and per-class F1 of each named prediction, with 95 % bootstrap intervals.

    Every model is scored on the same resamples of the rows, so for two models the result also
    has ``"difference"``: the second model's macro-F1 minus the first's (a paired interval).
    """
    codes = _codes(y)
    rng = np.random.default_rng(seed)
    resamples = rng.integers(0, len(codes), size=(rounds, len(codes)))
    out: dict[str, dict[str, Interval]] = {}
    macro_samples: dict[str, np.ndarray] = {}
    for name, predicted in predictions.items():
        p = _codes(predicted)
        point = _f1_from_codes(codes, p)[0]
        samples = _f1_from_codes(codes[resamples], p[resamples])
        macros = np.nanmean(samples[:, ~np.isnan(point)], axis=1)
        macro_samples[name] = macros
        entry: dict[str, Interval] = {"macro_f1": _interval(float(np.nanmean(point)), macros)}
        for k, label in enumerate(LABELS):
            if not np.isnan(point[k]):
                entry[label] = _interval(float(point[k]), samples[:, k])
        out[name] = entry
    if len(predictions) == 2:
        first, second = predictions
        point = out[second]["macro_f1"][0] - out[first]["macro_f1"][0]
        out["difference"] = {"macro_f1": _interval(point, macro_samples[second] - macro_samples[first])}
    return out


def _interval(point: float, samples: np.ndarray) -> Interval:
    samples = samples[~np.isnan(samples)]
    low, high = np.percentile(samples, [2.5, 97.5]) if len(samples) else (np.nan, np.nan)
    return (round(point, 4), round(float(low), 4), round(float(high), 4))


def mcnemar_exact(y: Sequence[str], first: Sequence[str], second: Sequence[str]) -> tuple[int, int, float]:
    """(rows only ``first`` gets right, rows only ``second`` gets right, two-sided exact p-value).

    McNemar's exact test: under "the two models are equally good", each row that exactly one of
    them gets right is a fair coin toss.
    """
    truth = np.asarray([str(v) for v in y])
    a = np.asarray([str(v) for v in first]) == truth
    b = np.asarray([str(v) for v in second]) == truth
    only_first, only_second = int((a & ~b).sum()), int((~a & b).sum())
    n = only_first + only_second
    p = 1.0 if n == 0 else float(binomtest(min(only_first, only_second), n, 0.5).pvalue)
    return only_first, only_second, min(p, 1.0)
