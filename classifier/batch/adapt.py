"""Adapt the model to a team's own complaints: the bundled corpus plus their labelled rows.

A team reviews a queue of its own classified complaints (:func:`classifier.batch.review.review`),
types a label into each row it checked, and trains a model on the bundled corpus plus those
rows (:func:`adapt`, ``complaint-classifier train --add OWN.csv``). Their rows count ``weight``
times each; a bundled row that nearly duplicates one of theirs is dropped, so their label wins.

>>> own = LabelledRows(texts=["云闪付扣了钱订单没成功"], labels=["payment"])
>>> data = combine_with_corpus(own, weight=3.0)
>>> data.texts[-1], data.labels[-1], float(data.sample_weight[-1])
('云闪付扣了钱订单没成功', 'payment', 3.0)
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import (
    ClassifierError,
    ColumnNotFoundError,
    InputFileError,
    TrainingDataError,
    UnknownLabelError,
)
from ..fileformat import read_sidecar, sha256_file
from ..labels import ACCEPTED_LABELS, LABELS, label_of
from ..model.estimator import ComplaintClassifier
from ..model.evaluation import EvaluationReport, score
from ..model.labelled import read_labelled_csv
from ..model.training import WEIGHT_COLUMN, row_weights, save_trained
from ..paths import checkout_root, default_model_dir
from .columns import text_column_of
from .readers import ReadOptions, open_table

__all__ = [
    "DEFAULT_WEIGHT",
    "LabelledRows",
    "TrainingSet",
    "adapt",
    "bundled_corpus",
    "combine_with_corpus",
    "read_labelled",
]

# Each of the team's rows counts this many times. Chosen on the UnionPay question-level folds
# (K = 100 added rows, weights 1, 3, 10, 30; see README "Adapting the model"), never on realdev.
DEFAULT_WEIGHT = 3.0
# Two texts whose character 5-grams overlap this much (Jaccard) are near-duplicates: the rule
# the bundled corpus keeps within itself (tests/test_data.py).
NEAR_DUPLICATE = 0.8
_SHOWN_ERRORS = 5
_PUNCTUATION = re.compile(r"[\s\W_]+")


@dataclass
class LabelledRows:
    """A team's labelled rows: texts, their labels (one of LABELS), and where they came from."""

    texts: list[str]
    labels: list[str]
    blank_labels: int = 0  # rows skipped: nobody typed a label
    blank_texts: int = 0  # rows skipped: a label but no text
    file: str = ""
    sha256: str = ""

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class TrainingSet:
    """Bundled rows plus the team's rows, with one weight per row, and the counts behind them."""

    texts: list[str]
    labels: list[str]
    sample_weight: np.ndarray
    corpus_rows: int  # bundled training rows used
    own_rows: int
    dropped_near_duplicates: int  # bundled rows dropped for nearly duplicating a team row
    relabelled: int  # … of which the bundled label differed from the team's
    weight: float
    corpus_file: str = ""
    corpus_sha256: str = ""
    test_texts: list[str] = field(default_factory=list)
    test_labels: list[str] = field(default_factory=list)


def read_labelled(
    path: str | os.PathLike[str],
    *,
    text_column: str | None = None,
    label_column: str = "label",
    read: ReadOptions | None = None,
) -> LabelledRows:
    """The labelled rows of a file (CSV/TSV/JSONL/xlsx): labels in any accepted form, blanks skipped.

    A label may be typed as ``payment``, ``支付系统故障`` or ``支付`` (see
    :data:`classifier.labels.LABEL_ALIASES`). Unknown labels, a missing label column or a file
    with no labelled rows raise one :class:`~classifier.errors.TrainingDataError` (or
    :class:`~classifier.errors.ColumnNotFoundError`) naming the rows and the fix.

    >>> rows = read_labelled("data/sample_complaints.csv")    # doctest: +SKIP
    """
    table = open_table(path, read)
    try:
        if label_column not in table.columns:
            raise ColumnNotFoundError.missing(
                label_column,
                table.columns,
                f"in {path}: type each row's label into a '{label_column}' column "
                "(complaint-classifier review adds one) or use --label-column",
            )
        text_name = text_column_of(table.columns, text_column)
        texts: list[str] = []
        labels: list[str] = []
        bad: list[str] = []
        blank_labels = blank_texts = 0
        for number, row in enumerate(table.rows, start=2):  # line 1 is the header
            values = row.values
            cell = values.get(label_column)
            cell = "" if cell is None else str(cell)
            try:
                label = label_of(cell)
            except UnknownLabelError:
                bad.append(f"row {row.line or number}: {cell!r}")
                continue
            if label is None:
                blank_labels += 1
                continue
            text = values.get(text_name)
            text = "" if text is None else str(text)
            if not text.strip():
                blank_texts += 1
                continue
            texts.append(text)
            labels.append(label)
    finally:
        table.close()
    if bad:
        more = f" and {len(bad) - _SHOWN_ERRORS} more" if len(bad) > _SHOWN_ERRORS else ""
        raise TrainingDataError(
            f"{path}: {len(bad)} row(s) with an unknown label in column '{label_column}': "
            f"{'; '.join(bad[:_SHOWN_ERRORS])}{more}. {ACCEPTED_LABELS}; leave a cell blank to skip its row"
        )
    if not texts:
        raise TrainingDataError(
            f"{path} has no labelled rows ({blank_labels} blank label cells, {blank_texts} labelled rows "
            f"without text); type a label into the '{label_column}' column of the rows you checked"
        )
    digest = sha256_file(Path(path)) if str(path) != "-" else ""
    return LabelledRows(texts, labels, blank_labels, blank_texts, Path(str(path)).name, digest)


def bundled_corpus() -> Path:
    """The corpus the bundled model is trained on (``data/complaints.csv`` of a clone)."""
    return checkout_root() / "data" / "complaints.csv"


def _grams(text: str, n: int = 5) -> frozenset[str]:
    text = _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text).lower())
    return frozenset(text[i : i + n] for i in range(max(1, len(text) - n + 1)))


def _near_duplicates(corpus: list[str], own: list[str]) -> dict[int, int]:
    """For each corpus row that nearly duplicates a row of ``own``: corpus index → own index."""
    own_grams = [_grams(t) for t in own]
    index: dict[str, list[int]] = defaultdict(list)
    for j, grams in enumerate(own_grams):
        for gram in grams:
            index[gram].append(j)
    found: dict[int, int] = {}
    for i, text in enumerate(corpus):
        grams = _grams(text)
        candidates = {j for gram in grams for j in index.get(gram, ())}
        for j in sorted(candidates):
            other = own_grams[j]
            if len(grams & other) / len(grams | other) >= NEAR_DUPLICATE:
                found[i] = j
                break
    return found


def _read_corpus(corpus: str | os.PathLike[str] | None) -> tuple[Path, Any]:
    path = Path(corpus) if corpus is not None else bundled_corpus()
    if not path.is_file():
        if corpus is not None:
            raise InputFileError(f"no training corpus: {path} does not exist")
        raise InputFileError(
            f"no training corpus at {path}: adapting retrains on data/complaints.csv, which is in "
            "the project's repository, not in the installed package; run this from a clone, or "
            "name the corpus (complaint-classifier train path/to/complaints.csv --add …; in Python corpus=…)"
        )
    frame = read_labelled_csv(path)
    for column in ("text", "label"):
        if column not in frame.columns:
            raise ColumnNotFoundError.missing(column, frame.columns, f"in the corpus {path}")
    return path, frame


def combine_with_corpus(
    own: LabelledRows,
    corpus: str | os.PathLike[str] | None = None,
    *,
    weight: float = DEFAULT_WEIGHT,
) -> TrainingSet:
    """The corpus's training rows plus ``own`` (each weighing ``weight``); near-duplicates go to ``own``.

    ``corpus`` is a labelled CSV (``text,label[,split][,weight]``, only ``split == "train"`` rows
    are used); ``None`` is the bundled corpus. Its rows keep the weights of its ``weight`` column
    (1 each without one).

    >>> data = combine_with_corpus(LabelledRows(["刷卡扣款成功但小票没打出来"], ["payment"]))
    >>> data.own_rows, data.corpus_rows > 10000
    (1, True)
    """
    if not weight > 0:
        raise TrainingDataError(f"weight must be positive, got {weight}")
    path, frame = _read_corpus(corpus)
    if "split" in frame.columns:
        test = frame[frame["split"] == "test"]
        frame = frame[frame["split"] == "train"]
    else:
        test = frame.iloc[0:0]
    base_texts = frame["text"].tolist()
    base_labels = frame["label"].tolist()
    base_weights = row_weights(frame, WEIGHT_COLUMN, where=f"of the corpus {path} ")
    if base_weights is None:
        base_weights = np.ones(len(base_texts))
    duplicates = _near_duplicates(base_texts, own.texts)
    relabelled = sum(base_labels[i] != own.labels[j] for i, j in duplicates.items())
    kept = [i for i in range(len(base_texts)) if i not in duplicates]
    texts = [base_texts[i] for i in kept] + list(own.texts)
    labels = [base_labels[i] for i in kept] + list(own.labels)
    weights = np.concatenate([base_weights[kept], np.full(len(own.texts), float(weight))])
    return TrainingSet(
        texts=texts,
        labels=labels,
        sample_weight=weights,
        corpus_rows=len(kept),
        own_rows=len(own.texts),
        dropped_near_duplicates=len(duplicates),
        relabelled=relabelled,
        weight=float(weight),
        corpus_file=path.name,
        corpus_sha256=sha256_file(path),
        test_texts=test["text"].tolist(),
        test_labels=test["label"].tolist(),
    )


def _base_model_record(base_model: str | os.PathLike[str] | None) -> dict[str, Any]:
    directory = Path(base_model) if base_model is not None else default_model_dir()
    try:
        sidecar = read_sidecar(directory)
    except ClassifierError:  # a missing base model only leaves the record empty
        return {"directory": str(directory), "found": False}
    return {
        "directory": str(directory),
        "classifier_version": sidecar.get("versions", {}).get("classifier"),
        "model_sha256": sidecar.get("model_sha256"),
        "training_data_sha256": sidecar.get("training_data", {}).get("sha256"),
    }


def adapt(
    own: str | os.PathLike[str] | LabelledRows,
    output: str | os.PathLike[str] | None = None,
    *,
    weight: float = DEFAULT_WEIGHT,
    corpus: str | os.PathLike[str] | None = None,
    seed: int = 0,
    text_column: str | None = None,
    label_column: str = "label",
    **params: Any,
) -> tuple[ComplaintClassifier, TrainingSet, EvaluationReport | None]:
    """Train on the bundled corpus plus a team's labelled rows; save it to ``output`` if given.

    Returns ``(model, training set, report on the corpus's test split)``. The sidecar records
    the base model's version, both data hashes, the row counts and the weight. The same inputs
    and seed give the same model.

    >>> model, data, report = adapt("queue.csv", "my-model", weight=3)   # doctest: +SKIP
    """
    rows = (
        own
        if isinstance(own, LabelledRows)
        else read_labelled(own, text_column=text_column, label_column=label_column)
    )
    data = combine_with_corpus(rows, corpus, weight=weight)
    missing = [label for label in LABELS if label not in data.labels]
    if missing:
        raise TrainingDataError(f"no training rows for {missing}")
    model = ComplaintClassifier(random_state=seed, **params)
    model.fit(data.texts, data.labels, sample_weight=data.sample_weight)
    report = score(model, data.test_texts, data.test_labels) if data.test_texts else None
    if output is not None:
        save_trained(
            model,
            output,
            file=data.corpus_file,
            sha256=data.corpus_sha256,
            train_rows=data.corpus_rows,
            test_rows=len(data.test_texts),
            seed=seed,
            report=report,
            adaptation={
                "base_model": _base_model_record(None),
                "own_data": {"file": rows.file, "sha256": rows.sha256},
                "corpus_data": {"file": data.corpus_file, "sha256": data.corpus_sha256},
                "rows": {
                    "corpus": data.corpus_rows,
                    "own": data.own_rows,
                    "own_blank_labels_skipped": rows.blank_labels,
                    "own_blank_texts_skipped": rows.blank_texts,
                    "corpus_near_duplicates_dropped": data.dropped_near_duplicates,
                    "corpus_near_duplicates_relabelled": data.relabelled,
                },
                "weight": data.weight,
            },
        )
    return model, data, report
