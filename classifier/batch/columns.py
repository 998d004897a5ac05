"""Result columns: which to write, under what names, and how a batch of texts fills them.

Shared by every batch engine (DataFrames, files, Dask): one text-column check
(:func:`text_column_of`), one naming rule (:func:`output_names`), one classifier of rows
(:class:`RowClassifier`: identical texts once, blank texts never).

>>> result_columns("confidence")
['category', 'confidence', 'status']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import fields
from operator import attrgetter

import numpy as np

from ..advice.advise import NO_ADVICE, checklist
from ..advice.result import Reason
from ..engine.scorer import Model, decide_texts, text_status
from ..errors import ColumnNotFoundError, ResultColumnError
from ..labels import LABEL_NAMES_ZH, LABELS
from ..text.facts import Facts, extract_facts

__all__ = [
    "NUMERIC_COLUMNS",
    "PLAIN_COLUMNS",
    "PROB_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESULT_COLUMNS",
    "TEXT_COLUMN_CANDIDATES",
    "RowClassifier",
    "as_text",
    "find_text_column",
    "output_names",
    "result_columns",
    "text_column_of",
]

PROB_COLUMNS = [f"prob_{label}" for label in LABELS]
NUMERIC_COLUMNS = ("confidence", *PROB_COLUMNS)
RESULT_COLUMNS = [
    "category",
    "category_zh",
    "confidence",
    *PROB_COLUMNS,
    "reasons",
    "evidence",
    "steps",
    "missing_facts",
    "status",
]
# Column names people use for complaint text, most specific first.
TEXT_COLUMN_CANDIDATES = (
    "投诉内容",
    "投诉描述",
    "问题描述",
    "内容",
    "投诉",
    "描述",
    "文本",
    "正文",
    "诉求",
    "留言",
    "问题",
    "反馈",
    "评论",
    "text",
    "complaint",
    "content",
    "description",
    "message",
    "body",
    "question",
    "review",
    "comment",
)
# Always written: what the row was classified as, and whether it could be.
REQUIRED_COLUMNS = ("category", "status")
_ADVICE_COLUMNS = ("evidence", "steps", "missing_facts")  # in checklist()'s order
# Result columns whose values are labels, statuses or numbers: never formula-like, never missing.
PLAIN_COLUMNS = frozenset(("category", "category_zh", *NUMERIC_COLUMNS, "status"))
_CACHE_SIZE = 20000
_LIST_SEP = "；"

# One row's result columns in order, then whether the model abstained.
Row = tuple[object, ...]


def find_text_column(columns: Iterable[object]) -> str:
    """Pick the column holding complaint text, or raise with the available columns listed.

    >>> find_text_column(["id", "投诉内容", "时间"])
    '投诉内容'
    """
    names = [str(c) for c in columns]
    lowered = {c.strip().lower(): c for c in names}
    for candidate in TEXT_COLUMN_CANDIDATES:
        if candidate in lowered:
            return lowered[candidate]
    for candidate in TEXT_COLUMN_CANDIDATES[:12]:  # Chinese names inside longer headers: 投诉内容(必填)
        for column in names:
            if candidate in column:
                return column
    if len(names) == 1:
        return names[0]
    raise ColumnNotFoundError(
        f"cannot tell which column holds the complaint text; available: {', '.join(names)}; "
        "use --text-column (text_column=...)"
    )


def text_column_of(columns: Sequence[object], text_column: str | None) -> str:
    """The text column: ``text_column`` if the input has it, else guessed; the one check of every engine.

    >>> text_column_of(["编号", "内容"], None)
    '内容'
    """
    if text_column is None:
        return find_text_column(columns)
    if text_column not in columns:
        raise ColumnNotFoundError.missing(text_column, columns, "use --text-column (text_column=...)")
    return text_column


def as_text(value: object) -> str | None:
    """Cell value → text to classify; None for missing cells (NaN, None)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def result_columns(columns: str | Iterable[object] | None = None) -> list[str]:
    """The result columns to write: ``None`` = all, else the named ones plus category and status.

    Leaving out reasons and the advice columns (evidence, steps, missing_facts) makes a batch
    several times faster: only the model's scores are computed.
    """
    if columns is None:
        return list(RESULT_COLUMNS)
    if isinstance(columns, str):
        columns = columns.split(",")
    wanted = {str(c).strip() for c in columns} - {""}
    unknown = sorted(wanted - set(RESULT_COLUMNS))
    if unknown:
        raise ResultColumnError(
            f"unknown result column(s) {', '.join(unknown)}; choose from {', '.join(RESULT_COLUMNS)}"
        )
    wanted |= set(REQUIRED_COLUMNS)
    return [c for c in RESULT_COLUMNS if c in wanted]


def output_names(columns: Iterable[str]) -> dict[str, str]:
    """Result column → output name, suffixed where the input already has that column."""
    taken = set(columns)
    names = {}
    for column in RESULT_COLUMNS:
        name = column
        while name in taken:
            name += "_predicted"
        names[column] = name
    return names


def _rounded(values: np.ndarray) -> list[float]:
    """Probabilities as written: 4 decimals (one rounding rule for every path)."""
    rounded: list[float] = np.round(np.asarray(values, dtype=np.float64), 4).tolist()
    return rounded


def _format_reasons(reasons: list[Reason]) -> str:
    return _LIST_SEP.join(f"{r.term}({r.weight:+.2f})" for r in reasons)


def _scored_columns(texts: list[str], model: Model, wanted: list[str]) -> list[Row]:
    """Per non-blank text, a tuple: the ``wanted`` result columns in order, then ``abstained``.

    Only what is wanted is computed: without reasons and advice, only the model's scores.
    """
    with_reasons = "reasons" in wanted
    proba, reasons = model.score_texts(texts, reasons=with_reasons)
    classes = [str(c) for c in model.classes_]
    labels_array, confidence, abstained, review = decide_texts(model, texts, proba)
    labels: list[str] = labels_array.tolist()
    columns: dict[str, list[object]] = {"category": list(labels)}
    if "category_zh" in wanted:
        columns["category_zh"] = [LABEL_NAMES_ZH[label] for label in labels]
    if "confidence" in wanted:
        columns["confidence"] = list(_rounded(confidence))
    for column, label in zip(PROB_COLUMNS, LABELS):
        if column in wanted:
            columns[column] = list(_rounded(proba[:, classes.index(label)]))
    flagged = review.tolist()
    if with_reasons:
        columns["reasons"] = ["" if f else _format_reasons(r) for r, f in zip(reasons or [], flagged)]
    columns["status"] = ["needs_review" if f else text_status(text) for text, f in zip(texts, flagged)]
    if not set(_ADVICE_COLUMNS).isdisjoint(wanted):
        unadvised = _UNADVISED
        cells = _advice_cells
        advice = [
            unadvised if f else cells(label, extract_facts(text))
            for label, text, f in zip(labels, texts, flagged)
        ]
        for name, part in zip(_ADVICE_COLUMNS, zip(*advice)):
            columns[name] = list(part)
    return list(zip(*(columns[name] for name in wanted), abstained.tolist()))


# the advice cells of a flagged row: no playbook, one line saying what is missing
_UNADVISED = ("", "", NO_ADVICE["needs_review"])
# a Facts' values, field by field (lists): with the category, the key of the advice cells
_FACT_VALUES = attrgetter(*(f.name for f in fields(Facts)))
# (category, facts) → the advice cells: a few combinations cover nearly every row
_ADVICE_CACHE: dict[tuple[object, ...], tuple[str, str, str]] = {}


def _advice_cells(label: str, facts: Facts) -> tuple[str, str, str]:
    """The evidence, steps and missing_facts cells of ``checklist(label, facts)``, cached.

    ``checklist`` is a function of the category and the facts' values only, so rows that share
    both share the cells (rendered once).
    """
    key = (label, *map(tuple, _FACT_VALUES(facts)))
    cells = _ADVICE_CACHE.get(key)
    if cells is None:
        if len(_ADVICE_CACHE) > _CACHE_SIZE:
            _ADVICE_CACHE.clear()
        evidence, steps, missing = checklist(label, facts)
        cells = _ADVICE_CACHE[key] = (
            _LIST_SEP.join(evidence),
            _LIST_SEP.join(steps),
            _LIST_SEP.join(missing),
        )
    return cells


class RowClassifier:
    """Classifies texts for the batch engines: identical texts once, blank texts never.

    Calling it gives one tuple per row: the result columns in ``columns`` order, then whether
    the model abstained.
    """

    def __init__(self, model: Model, columns: str | Iterable[object] | None = None) -> None:
        self.model = model
        self.columns = result_columns(columns)
        self.index = {name: i for i, name in enumerate(self.columns)}
        self.cache: dict[str, Row] = {}

    def blank(self, status: str) -> Row:
        """The result of a row that was not classified."""
        return (*(status if name == "status" else "" for name in self.columns), False)

    def __call__(self, texts: list[str | None], statuses: list[str]) -> list[Row]:
        """One result tuple per text; ``statuses`` are the readers' (``ok``, ``decode_error`` …)."""
        cache = self.cache
        out: list[Row | None] = list(map(cache.get, texts))  # type: ignore[arg-type]  # tuples: rows share them
        if statuses.count("ok") != len(statuses):
            for i, status in enumerate(statuses):
                if status != "ok" and status != "decode_error":
                    out[i] = self.blank(status)  # not classified, whatever the text
        todo = [i for i, found in enumerate(out) if found is None]
        if todo:
            pending = [texts[i] for i in todo]
            # each distinct text once; None, "" and whitespace are never scored
            unique = [t for t in dict.fromkeys(pending) if t and not t.isspace()]
            if len(cache) > _CACHE_SIZE:
                cache.clear()  # cheaper than least-recently-used bookkeeping on every row
            if unique:
                cache.update(zip(unique, _scored_columns(unique, self.model, self.columns)))
            get, empty = cache.get, self.blank("empty_text")
            for i, text in zip(todo, pending):
                out[i] = get(text, empty)  # type: ignore[arg-type]
        rows: list[Row] = out  # type: ignore[assignment]  # every row is filled by now
        if "decode_error" in statuses:
            at = self.index["status"]
            for i, status in enumerate(statuses):
                if status == "decode_error" and rows[i][at] != "empty_text":
                    rows[i] = (*rows[i][:at], "decode_error", *rows[i][at + 1 :])  # the text may be damaged
        return rows
