"""Held-out evaluation: per-class precision / recall / F1, macro-F1, confusion matrix, coverage.

Rows the model was trained on are never scored: they are dropped and counted.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from ..engine.scorer import Model, decide_texts
from ..errors import ColumnNotFoundError, InputFileError, InvalidInputError, UnknownLabelError
from ..labels import ACCEPTED_LABELS, LABELS, label_of
from .estimator import ComplaintClassifier
from .labelled import read_labelled_csv

__all__ = ["EvaluationReport", "evaluate", "expected_calibration_error", "score"]

# An answer this sure that is wrong is a "confident error": the user gets the wrong steps
# with nothing telling them to doubt them.
CONFIDENT = 0.9


def expected_calibration_error(confidence: Any, correct: Any, bins: int = 10) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins.

    >>> expected_calibration_error([0.9, 0.9, 0.6, 0.6], [True, True, True, False])
    0.1
    """
    conf = np.asarray(confidence, dtype=np.float64)
    right = np.asarray(correct, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        in_bin = (conf > low) & (conf <= high)
        if in_bin.any():
            total += in_bin.mean() * abs(conf[in_bin].mean() - right[in_bin].mean())
    return round(float(total), 12)


@dataclass
class EvaluationReport:
    """Scores of a model on labelled texts it was not trained on."""

    n: int
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]  # rows: true label, columns: predicted, both in LABELS order
    coverage: float  # share of texts answered without abstaining
    threshold: float
    confident_errors: float = 0.0  # share of texts answered wrongly with confidence >= 0.9
    ece: float = 0.0  # expected calibration error of the confidence
    needs_review: float = 0.0  # share of texts the content guard sent to review
    skipped_training_rows: int = 0
    labels: list[str] = field(default_factory=lambda: list(LABELS))

    def to_dict(self) -> dict[str, Any]:
        """Every field (JSON-ready)."""
        return asdict(self)

    def format(self) -> str:
        """A plain-text table for terminals."""
        lines = [f"{'label':22s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>8s}"]
        for label in self.labels:
            lines.append(
                f"{label:22s} {self.precision[label]:9.3f} {self.recall[label]:7.3f} "
                f"{self.f1[label]:6.3f} {self.support[label]:8d}"
            )
        lines.append(f"macro-F1 {self.macro_f1:.3f}   accuracy {self.accuracy:.3f}   n {self.n}")
        lines.append(
            f"coverage {self.coverage:.1%} at abstain threshold {self.threshold:.2f} "
            "(the rest is answered 'other'); content guard: needs_review "
            f"{self.needs_review:.1%}"
        )
        lines.append(
            f"confident errors (wrong at confidence >= {CONFIDENT}) {self.confident_errors:.1%}   "
            f"expected calibration error {self.ece:.3f}"
        )
        if self.skipped_training_rows:
            lines.append(f"skipped {self.skipped_training_rows} rows the model was trained on")
        width = max(len(label) for label in self.labels)
        # each column as wide as its label: no header is cut (service_interruption, data_error)
        cells = [max(len(label), 5) for label in self.labels]
        lines.append("confusion (rows = true, columns = predicted):")
        lines.append(" " * (width + 1) + " ".join(f"{label:>{w}s}" for label, w in zip(self.labels, cells)))
        for label, row in zip(self.labels, self.confusion):
            lines.append(f"{label:{width}s} " + " ".join(f"{v:{w}d}" for v, w in zip(row, cells)))
        return "\n".join(lines)


def score(model: Model, texts: list[str], labels: list[str], skipped: int = 0) -> EvaluationReport:
    """Score ``model`` on texts with known labels (the caller guarantees they are held out)."""
    if not texts:
        raise InputFileError("nothing to evaluate: no labelled rows left")
    proba = model.score_texts(texts)[0]  # (not predict_proba: the guard's answer follows)
    predicted, confidence, abstain, review = decide_texts(model, texts, proba)
    right = np.asarray(predicted) == np.asarray(labels)
    p, r, f, s = precision_recall_fscore_support(labels, predicted, labels=list(LABELS), zero_division=0)
    present = [i for i, n in enumerate(s) if n > 0]
    macro = float(sum(f[i] for i in present) / len(present)) if present else 0.0
    return EvaluationReport(
        n=len(texts),
        precision={label: float(v) for label, v in zip(LABELS, p)},
        recall={label: float(v) for label, v in zip(LABELS, r)},
        f1={label: float(v) for label, v in zip(LABELS, f)},
        support={label: int(v) for label, v in zip(LABELS, s)},
        macro_f1=macro,
        accuracy=float(sum(a == b for a, b in zip(labels, predicted)) / len(labels)),
        confusion=confusion_matrix(labels, predicted, labels=list(LABELS)).tolist(),
        coverage=float(1 - abstain.mean()),
        threshold=float(model.threshold_),
        confident_errors=float((~right & ~review & (confidence >= CONFIDENT)).mean()),
        ece=expected_calibration_error(confidence, right),
        needs_review=float(review.mean()),
        skipped_training_rows=skipped,
    )


def _read_labelled(
    data: str | os.PathLike[str] | pd.DataFrame, text_column: str, label_column: str, split: str | None
) -> tuple[list[str], list[str]]:
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        frame = read_labelled_csv(data)
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise ColumnNotFoundError.missing(column, frame.columns)
    if split is not None and "split" in frame.columns:
        frame = frame[frame["split"] == split]
    # as train --add and compare read them: the label, its Chinese name or a short form; blank: skipped
    texts, labels, unknown = [], [], set()
    for text, cell in zip(frame[text_column].astype(str), frame[label_column]):
        try:
            label = label_of("" if pd.isna(cell) else str(cell))
        except UnknownLabelError:
            unknown.add(str(cell))
            continue
        if label is not None:
            texts.append(text)
            labels.append(label)
    if unknown:
        raise InputFileError(
            f"unknown labels {sorted(unknown)} in column {label_column!r}; {ACCEPTED_LABELS}"
        )
    return texts, labels


def evaluate(
    data: str | os.PathLike[str] | pd.DataFrame,
    model: ComplaintClassifier | None = None,
    *,
    text_column: str = "text",
    label_column: str = "label",
    split: str | None = "test",
) -> EvaluationReport:
    """Evaluate a model on a labelled CSV (or DataFrame), skipping rows it was trained on.

    With a ``split`` column, only rows whose split equals ``split`` are used (``None``: all).

    >>> report = evaluate("data/complaints.csv")          # doctest: +SKIP
    >>> round(report.macro_f1, 2)                           # doctest: +SKIP
    0.93
    """
    model = model or ComplaintClassifier.load()
    if not hasattr(model, "was_trained_on"):
        raise InvalidInputError(
            "evaluate needs the full estimator (ComplaintClassifier.load()), which remembers its "
            "training rows so they are never scored"
        )
    texts, labels = _read_labelled(data, text_column, label_column, split)
    seen = model.was_trained_on(texts)
    if texts and all(seen):
        raise InputFileError(
            f"nothing to evaluate: all {len(texts)} rows"
            + (f" of split {split!r}" if split else "")
            + " were used to train this model, and scoring a model on its own training rows says "
            "nothing about new complaints; evaluate the held-out rows (--split test) or other labelled data"
        )
    kept = [(t, y) for t, y, s in zip(texts, labels, seen) if not s]
    return score(model, [t for t, _ in kept], [y for _, y in kept], skipped=len(texts) - len(kept))
