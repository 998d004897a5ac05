"""Train a model from a labelled CSV, score it on the held-out split, and save it.

The default model is built with one command (see README):

    complaint-classifier train data/complaints.csv -o models/default
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ColumnNotFoundError, InputFileError, TrainingDataError
from ..fileformat import SIDECAR_FILE
from .estimator import ComplaintClassifier
from .evaluation import EvaluationReport, score
from .labelled import read_labelled_csv

__all__ = ["row_weights", "save_trained", "train"]

# The bundled corpus's column of per-row weights (see data/README.md "Row weights").
WEIGHT_COLUMN = "weight"
_SHOWN_BAD_WEIGHTS = 5


def row_weights(frame: Any, column: str | None = WEIGHT_COLUMN, *, where: str = "") -> np.ndarray | None:
    """The per-row training weights in ``frame[column]`` (``None`` when there is no such column).

    A weight says how many times a row counts in training; each must be a finite number above 0,
    or a :class:`~classifier.errors.TrainingDataError` names the first bad rows (data rows of the
    file, counted from 1 below its header).

    >>> import pandas as pd
    >>> row_weights(pd.DataFrame({"text": ["扣了两次钱", "页面打不开"], "weight": ["3", "1"]})).tolist()
    [3.0, 1.0]
    """
    if not column or column not in frame.columns:
        return None
    values = frame[column].tolist()
    weights = np.empty(len(values))
    bad: list[str] = []
    for i, (line, value) in enumerate(zip(frame.index, values)):
        try:
            weights[i] = float(value)
        except (TypeError, ValueError):
            weights[i] = np.nan
        if not (np.isfinite(weights[i]) and weights[i] > 0):
            row = f"row {line + 1}" if isinstance(line, (int, np.integer)) else f"row {line!r}"
            bad.append(f"{row}: {str(value)!r}")
    if bad:
        shown = "; ".join(bad[:_SHOWN_BAD_WEIGHTS]) + (" …" if len(bad) > _SHOWN_BAD_WEIGHTS else "")
        raise TrainingDataError(
            f"{len(bad)} row(s) {where}have a {column!r} that is not a number above 0 ({shown}); "
            "fix them, or drop the column for equal weights"
        )
    return weights


def _check_output(directory: Path, force: bool) -> None:
    """Refuse to write a model over a file, or into a folder of other files (unless ``force``)."""
    if directory.exists() and not directory.is_dir():
        raise InputFileError(f"{directory} is a file; give a directory for the model with -o")
    if force or not directory.is_dir() or (directory / SIDECAR_FILE).is_file():
        return  # a new or empty folder, or a model folder: retraining rewrites it
    if any(directory.iterdir()):
        raise InputFileError(
            f"{directory} is not empty and holds no model ({SIDECAR_FILE} is missing); "
            "choose another -o, or pass --force (force=True) to write into it anyway"
        )


def train(
    data: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    text_column: str = "text",
    label_column: str = "label",
    group_column: str | None = "origin",
    weight_column: str | None = WEIGHT_COLUMN,
    seed: int = 0,
    force: bool = False,
    **params: Any,
) -> tuple[ComplaintClassifier, EvaluationReport | None]:
    """Fit on rows with ``split == "train"`` (all rows without a split column), score on ``test``.

    If the file has ``group_column`` (the bundled corpus's ``origin``: the writing batch of each
    row) with enough groups (7 for the 5 folds: :meth:`ComplaintClassifier.groups_problem`),
    calibration and thresholds are chosen on folds that hold out whole batches; with fewer, rows
    are folded at random as without the column, and the sidecar's ``training_data`` says why
    (``groups_unused``). If it has ``weight_column`` (the bundled corpus's ``weight``),
    each training row counts that many times (:func:`row_weights`).

    Returns ``(model, report)``; ``report`` is ``None`` when there is no test split. With
    ``output``, the model and its sidecar (held-out metrics, data sha256 …) are saved there.

    >>> model, report = train("data/complaints.csv", "models/default")   # doctest: +SKIP
    """
    path = Path(data)
    if not path.is_file():
        raise InputFileError(f"no such training file: {path}")
    if output is not None:
        _check_output(Path(output), force)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}") from None
    frame = read_labelled_csv(path, raw)
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise ColumnNotFoundError.missing(column, frame.columns, f"in {path}")
    if "split" in frame.columns:
        train_rows = frame[frame["split"] == "train"]
        test_rows = frame[frame["split"] == "test"]
    else:
        train_rows, test_rows = frame, frame.iloc[0:0]
    if train_rows.empty:
        raise TrainingDataError(f"{path} has no training rows (split == 'train')")
    model = ComplaintClassifier(random_state=seed, **params)
    # grouped folds need enough groups (ComplaintClassifier.groups_problem); with fewer, folds
    # are stratified as without the column, and the sidecar says why
    groups: list[str] | None = None
    ungrouped: dict[str, str] = {}
    if group_column is not None and group_column in frame.columns:
        groups = train_rows[group_column].tolist()
        problem = model.groups_problem(groups, train_rows[label_column].tolist())
        if problem:
            note = f"the {group_column!r} column was not used: {problem}; rows were folded at random"
            groups, ungrouped = None, {"groups_unused": note}
    grouped = groups is not None
    weights = row_weights(train_rows, weight_column, where=f"of {path} ")
    model.fit(
        train_rows[text_column].tolist(),
        train_rows[label_column].tolist(),
        sample_weight=weights,
        groups=groups,
    )
    report = None
    if not test_rows.empty:
        report = score(model, test_rows[text_column].tolist(), test_rows[label_column].tolist())
    if output is not None:
        save_trained(
            model,
            output,
            file=path.name,
            sha256=hashlib.sha256(raw).hexdigest(),
            train_rows=len(train_rows),
            test_rows=len(test_rows),
            seed=seed,
            report=report,
            groups=group_column if grouped else None,
            weights=weight_column if weights is not None else None,
            **ungrouped,
        )
    return model, report


def save_trained(
    model: ComplaintClassifier,
    output: str | os.PathLike[str],
    *,
    file: str,
    sha256: str,
    train_rows: int,
    test_rows: int,
    seed: int,
    report: EvaluationReport | None,
    **extra: Any,
) -> None:
    """Save a freshly trained model with the sidecar every trained model has: its training data
    (file, sha256, row counts, seed) and its held-out metrics. ``extra`` keys go into the
    ``training_data`` record (``groups``) or, when they are mappings, beside it (``adaptation``).
    """
    record: dict[str, Any] = {
        "file": file,
        "sha256": sha256,
        "train_rows": train_rows,
        "test_rows": test_rows,
        "seed": seed,
    }
    sections = {key: value for key, value in extra.items() if isinstance(value, Mapping)}
    record.update({key: value for key, value in extra.items() if key not in sections})
    model.save(
        output,
        metadata={
            "training_data": record,
            **sections,
            "metrics": {"held_out_test": report.to_dict() if report else None},
        },
    )
