"""Result columns: which to write, under what names, and how a batch of texts fills them.

Shared by every batch engine (DataFrames, files, Dask): one text-column check
(:func:`text_column_of`), one naming rule (:func:`output_names`), one classifier of rows
(:class:`RowClassifier`: identical texts once, blank texts never).

>>> result_columns("confidence")
['category', 'confidence', 'status']
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import fields
from operator import attrgetter

import numpy as np

from ..advice.advise import NO_ADVICE, checklist
from ..advice.cases import cues_of
from ..advice.result import Reason
from ..engine.scorer import Model, decide_texts, text_status
from ..errors import ColumnNotFoundError, DuplicateColumnError, InvalidParameterError, ResultColumnError
from ..labels import LABEL_NAMES_ZH, LABELS
from ..text.facts import FACT_KINDS, Facts, extract_facts
from ..text.normalize import simplified_converter

__all__ = [
    "FACT_COLUMN_CANDIDATES",
    "FactColumns",
    "LIST_COLUMNS",
    "NUMERIC_COLUMNS",
    "PLAIN_COLUMNS",
    "PROB_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESULT_COLUMNS",
    "TEXT_COLUMN_CANDIDATES",
    "RowClassifier",
    "as_text",
    "fact_columns_of",
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
# Column names that say what other facts a row holds, by kind (most specific first); a note in
# brackets after the name is ignored (投诉时间（北京时间）, amount (CNY)).
FACT_COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "platform": (
        "平台",
        "平台名称",
        "应用",
        "应用名称",
        "app",
        "app名称",
        "产品",
        "商家",
        "店铺",
        "支付方式",
        "支付渠道",
        "platform",
        "application",
        "merchant",
        "shop",
        "channel",
        "payment_method",
    ),
    "date": (
        "投诉时间",
        "发生时间",
        "下单时间",
        "支付时间",
        "扣款时间",
        "提交时间",
        "创建时间",
        "时间",
        "日期",
        "date",
        "time",
        "datetime",
        "timestamp",
        "created_at",
        "created",
        "submitted_at",
    ),
    "order_number": (
        "订单号",
        "订单编号",
        "交易单号",
        "交易号",
        "流水号",
        "单号",
        "order",
        "order_id",
        "order_no",
        "orderid",
        "order_number",
        "transaction_id",
    ),
    # a parcel's number (快遞單號 is 快递单号: the names are compared in simplified characters)
    "waybill": (
        "快递单号",
        "快递单号码",
        "快递号",
        "运单号",
        "运单编号",
        "物流单号",
        "物流编号",
        "waybill",
        "waybill_no",
        "waybill_number",
        "tracking_no",
        "tracking_number",
        "tracking",
    ),
    "money": (
        "金额",
        "涉及金额",
        "订单金额",
        "支付金额",
        "扣款金额",
        "退款金额",
        "价格",
        "amount",
        "money",
        "price",
        "total",
    ),
    "phone": ("电话", "手机", "手机号", "联系电话", "联系方式", "phone", "mobile", "tel", "telephone"),
}
_KIND_NAMES = {
    **{kind: kind for kind in FACT_KINDS},
    "order": "order_number",
    "waybill_number": "waybill",
    "tracking": "waybill",
    "amount": "money",
    "app": "platform",
    "time": "date",
    "tel": "phone",
}
# the kinds as --fact-columns and the README name them (order_number and money are accepted too)
_DOCUMENTED_KINDS = ("platform", "date", "order", "waybill", "amount", "phone")
_HEADER_NOTE = re.compile(r"\s*(?:[（(\[【].*|[*＊:：]+)$")
# fact kind -> column holding it
FactColumns = dict[str, str]

# Always written: what the row was classified as, and whether it could be.
REQUIRED_COLUMNS = ("category", "status")
_ADVICE_COLUMNS = ("evidence", "steps", "missing_facts")  # in checklist()'s order
# Result columns that hold a list (joined with "；" in CSV, arrays in JSON Lines).
LIST_COLUMNS = ("reasons", *_ADVICE_COLUMNS)
# Result columns whose values are labels, statuses or numbers: never formula-like, never missing.
PLAIN_COLUMNS = frozenset(("category", "category_zh", *NUMERIC_COLUMNS, "status"))
# Entries kept by each cache below (rows by text, advice by facts) before it is emptied: a row or
# an advice entry holds about 2 KB of rendered text, so 1,024 keep each near 2 MB (20,000 held
# 37 MB of advice alone; 4,096 put a worker at 200 MB on a file whose rows all differ, and were no
# faster on real complaints, where a few combinations of facts cover most rows)
_CACHE_SIZE = 1024
_LIST_SEP = "；"

# One row's result columns in order, then whether the model abstained.
Row = tuple[object, ...]


def find_text_column(columns: Iterable[object]) -> str:
    """Pick the column holding complaint text, or raise with the available columns listed.

    >>> find_text_column(["id", "投诉内容", "时间"])
    '投诉内容'
    """
    names = [str(c) for c in columns]
    keys = {_header_key(c): c for c in reversed(names)}  # the first of equal keys wins
    for candidate in TEXT_COLUMN_CANDIDATES:
        if candidate in keys:
            return keys[candidate]
    for candidate in TEXT_COLUMN_CANDIDATES[:12]:  # Chinese names inside longer headers: 投诉内容(必填)
        for column in names:
            if candidate in _header_key(column):
                return column
    if len(names) == 1:
        return names[0]
    raise ColumnNotFoundError(
        f"cannot tell which column holds the complaint text; available: {', '.join(names)}; "
        "use --text-column (text_column=...)"
    )


def _header_key(name: str) -> str:
    """A header as the candidate names are written: stripped, lower case, simplified characters
    (投訴內容 is 投诉内容)."""
    key = name.strip().lower()
    try:
        return str(simplified_converter().convert(key))
    except (UnicodeError, RuntimeError):  # a lone surrogate: OpenCC cannot read it
        return key


# what a column name does not hold but a complaint often does: sentence punctuation, or Chinese
# next to digits (扣了199元)
_SENTENCE = re.compile(r"[，。！？!?；]|[\u4e00-\u9fff]\d|\d[\u4e00-\u9fff]")


def reads_like_a_complaint(name: str) -> bool:
    """Whether a header name reads like a complaint rather than a column name (a file without a
    header row gives its first complaint as the header).

    >>> reads_like_a_complaint("付款失败扣了199元，怎么办"), reads_like_a_complaint("投诉内容(必填)")
    (True, False)
    """
    return len(name) > 20 or _SENTENCE.search(name) is not None


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


def check_read_columns_unique(columns: Sequence[object], text_column: str, facts: FactColumns) -> None:
    """Refuse a frame in which a column that is read (the text column, a fact column) is one of
    several of that name: which one to classify cannot be told. Other duplicated names are kept.

    >>> check_read_columns_unique(["id", "内容", "内容"], "内容", {})
    Traceback (most recent call last):
    ...
    classifier.errors.DuplicateColumnError: 2 columns are named '内容', the text column: rename them so each name is unique (df.columns = [...])
    """
    names = [str(c) for c in columns]
    read = {str(text_column): ("the text column", "")}
    for kind, column in facts.items():
        read.setdefault(str(column), (f"the {kind} column", "; or pass fact_columns without it"))
    for column, (what, other_fix) in read.items():
        count = names.count(column)
        if count > 1:
            raise DuplicateColumnError(
                f"{count} columns are named {column!r}, {what}: rename them so each name is unique "
                f"(df.columns = [...]){other_fix}"
            )


def _kind_of(column: str) -> str | None:
    # 投诉时间（北京时间）, Amount (CNY), 订单号*: the name before a note in brackets or a mark
    name = _HEADER_NOTE.sub("", _header_key(column)).strip()
    for kind, candidates in FACT_COLUMN_CANDIDATES.items():
        if name in candidates:
            return kind
    return None


def fact_columns_of(
    columns: Sequence[object],
    fact_columns: str | Mapping[str, str] | Iterable[str] | None,
    text_column: str | None = None,
) -> FactColumns:
    """Which columns hold which facts (kind → column), the one check of every engine.

    ``None`` guesses from the column names (平台/platform/app, 投诉时间/时间/日期/date,
    订单号/order, 快递单号/运单号/物流单号/waybill, 金额/amount, 电话/phone); ``""``, ``"none"`` or
    ``[]`` uses none; a string ``"平台,下单日=date"`` or a list names some (``COLUMN=KIND`` where
    the name does not say it), a mapping gives ``{column: kind}``: each overrides its kind only,
    the other kinds are still guessed from the other columns' names. Kinds: platform, date, order
    (or order_number), waybill (a parcel's number), amount (or money), phone.

    >>> fact_columns_of(["编号", "投诉时间", "平台", "投诉内容"], None, "投诉内容")
    {'date': '投诉时间', 'platform': '平台'}
    >>> fact_columns_of(["内容", "下单日", "店", "订单号"], "下单日=date,店=platform", "内容")
    {'date': '下单日', 'platform': '店', 'order_number': '订单号'}
    """
    names = [str(c) for c in columns]
    if fact_columns is None:
        return _guessed(names, text_column)
    if isinstance(fact_columns, str):
        if fact_columns.strip().lower() in ("", "none"):
            return {}
        pairs = [part.partition("=")[::2] for part in fact_columns.split(",") if part.strip()]
    elif isinstance(fact_columns, Mapping):
        pairs = [(str(c), str(k)) for c, k in fact_columns.items()]
    else:
        pairs = [str(part).partition("=")[::2] for part in fact_columns]
    chosen: FactColumns = {}
    for column, kind_name in pairs:
        column, kind_name = column.strip(), kind_name.strip().lower()
        if column not in names:
            raise ColumnNotFoundError.missing(column, names, "check --fact-columns (fact_columns=...)")
        kind = _KIND_NAMES.get(kind_name) if kind_name else _kind_of(column)
        if kind is None:
            raise InvalidParameterError(
                f"fact column {column!r}: cannot tell which fact it holds"
                + (f" ({kind_name!r} is not a kind)" if kind_name else "")
                + f"; write {column}=KIND with KIND one of {', '.join(_DOCUMENTED_KINDS)}"
            )
        chosen[kind] = column
    if not chosen:
        return chosen
    named = set(chosen.values())
    guessed = _guessed([c for c in names if c not in named], text_column)
    return {**chosen, **{kind: column for kind, column in guessed.items() if kind not in chosen}}


def _guessed(names: list[str], text_column: str | None) -> FactColumns:
    """The fact columns the names say (the first column of each kind, never the text's)."""
    found: FactColumns = {}
    for column in names:
        kind = _kind_of(column)
        if column != text_column and kind is not None and kind not in found:
            found[kind] = column
    return found


def known_facts(fact_columns: FactColumns, cells: Mapping[str, object]) -> dict[str, object]:
    """One row's known facts (kind → cell) from its cells by column name (None for a missing
    cell: NaN, pd.NA, NaT)."""
    return {kind: present(cells.get(column)) for kind, column in fact_columns.items()}


def is_missing(value: object) -> bool:
    """Whether a cell holds nothing: None, NaN, ``pd.NA``, ``pd.NaT`` or NumPy's NaN and NaT.

    >>> import pandas as pd
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, "", 0, "<NA>")]
    [True, True, True, True, False, False, False]
    """
    if value is None:
        return True
    if isinstance(value, (str, int, bytes, dict, list)):
        return False
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values; NA has no truth value
        return True
    try:
        return bool(value != value)  # NumPy NaN and NaT, Decimal NaN
    except (TypeError, ValueError):  # an array cell, or a value that cannot compare
        return False


def present(value: object) -> object:
    """The cell, or None when it holds nothing (see :func:`is_missing`)."""
    return None if is_missing(value) else value


def as_text(value: object) -> str | None:
    """Cell value → text to classify; None for missing cells (None, NaN, pd.NA, NaT)."""
    if value.__class__ is str:
        return value
    if is_missing(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (dict, list)):  # a nested JSON value: its JSON, not a Python repr
        return json.dumps(value, ensure_ascii=False)
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


def _scored_columns(
    texts: list[str],
    model: Model,
    wanted: list[str],
    known: Sequence[Mapping[str, object]] | None = None,
    lists: bool = False,
) -> list[Row]:
    """Per non-blank text, a tuple: the ``wanted`` result columns in order, then ``abstained``.

    Only what is wanted is computed: without reasons and advice, only the model's scores.
    ``known[i]`` are text i's facts from other columns (used by the advice columns). With
    ``lists``, reasons, evidence, steps and missing facts are lists (for JSON), else text joined
    with ``；``.
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
        columns["reasons"] = [
            ([] if lists else "")
            if f
            else [{"term": r.term, "weight": round(r.weight, 4)} for r in found]
            if lists
            else _format_reasons(found)
            for found, f in zip(reasons or [], flagged)
        ]
    columns["status"] = ["needs_review" if f else text_status(text) for text, f in zip(texts, flagged)]
    if not set(_ADVICE_COLUMNS).isdisjoint(wanted):
        cells = _advice_lists if lists else _advice_cells
        unadvised = _UNADVISED_LISTS if lists else _UNADVISED
        advised = [i for i, f in enumerate(flagged) if not f]
        # the facts of all advised rows in one call: each pattern searches them all at once
        facts = iter(
            extract_facts(
                [texts[i] for i in advised], known=None if known is None else [known[i] for i in advised]
            )
        )
        advice = [
            unadvised if f else cells(label, next(facts), text)
            for label, text, f in zip(labels, texts, flagged)
        ]
        for name, part in zip(_ADVICE_COLUMNS, zip(*advice)):
            columns[name] = [list(items) for items in part] if lists else list(part)
    return list(zip(*(columns[name] for name in wanted), abstained.tolist()))


# the advice cells of a flagged row: no playbook, one line saying what is missing
_UNADVISED = ("", "", NO_ADVICE["needs_review"])
_UNADVISED_LISTS: tuple[tuple[str, ...], ...] = ((), (), (NO_ADVICE["needs_review"],))
# a Facts' values, field by field (lists): with the category, the key of the advice cells
_FACT_VALUES = attrgetter(*(f.name for f in fields(Facts)))
# (category, the text's cues, facts) → the advice items and their joined cells: a few combinations
# cover nearly every row
_ADVICE_CACHE: dict[tuple[object, ...], tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]] = {}


def _advice(label: str, facts: Facts, text: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The evidence, steps and missing facts of ``checklist(label, facts, text)`` as items and as
    joined cells, cached.

    ``checklist`` reads the text only for its cues (:func:`~classifier.advice.cases.cues_of`: a
    payment or delivery case, a bank card, a bank's own service), so rows that share the
    category, the facts' values and the cues share the advice (rendered once).
    """
    cues = cues_of(text, label, facts.platforms)
    key = (label, cues, *map(tuple, _FACT_VALUES(facts)))
    advice = _ADVICE_CACHE.get(key)
    if advice is None:
        if len(_ADVICE_CACHE) > _CACHE_SIZE:
            _ADVICE_CACHE.clear()
        items = tuple(tuple(part) for part in checklist(label, facts, text, cues))
        advice = _ADVICE_CACHE[key] = (items, tuple(_LIST_SEP.join(part) for part in items))
    return advice


def _advice_lists(label: str, facts: Facts, text: str) -> tuple[tuple[str, ...], ...]:
    return _advice(label, facts, text)[0]


def _advice_cells(label: str, facts: Facts, text: str) -> tuple[str, ...]:
    return _advice(label, facts, text)[1]


class RowClassifier:
    """Classifies texts for the batch engines: identical rows once, blank texts never.

    Calling it gives one tuple per row: the result columns in ``columns`` order, then whether
    the model abstained. ``fact_columns`` (kind → column) are the row's other columns the advice
    uses; the callers pass each row's cells of them as ``known``.
    """

    def __init__(
        self,
        model: Model,
        columns: str | Iterable[object] | None = None,
        fact_columns: FactColumns | None = None,
        lists: bool = False,
    ) -> None:
        self.model = model
        self.columns = result_columns(columns)
        self.lists = lists  # list-valued reasons and advice (JSON output), else joined text
        self.index = {name: i for i, name in enumerate(self.columns)}
        # the facts of other columns only change the advice columns
        advice = not set(_ADVICE_COLUMNS).isdisjoint(self.columns)
        self.fact_columns: FactColumns = dict(fact_columns or {}) if advice else {}
        self.cache: dict[Hashable, Row] = {}

    def blank(self, status: str) -> Row:
        """The result of a row that was not classified."""
        empty: dict[str, list[object]] = {name: [] for name in LIST_COLUMNS} if self.lists else {}
        return (*(status if name == "status" else empty.get(name, "") for name in self.columns), False)

    def __call__(
        self,
        texts: list[str | None],
        statuses: list[str],
        known: Sequence[Mapping[str, object]] | None = None,
    ) -> list[Row]:
        """One result tuple per text; ``statuses`` are the readers' (``ok``, ``decode_error`` …);
        ``known[i]`` are row i's facts from other columns (kind → cell), if it has fact columns."""
        cache = self.cache
        with_facts = bool(self.fact_columns) and known is not None
        keys: list[Hashable] = list(texts)
        if with_facts:
            assert known is not None
            keys = [None if t is None else (t, *map(_cell_key, k.values())) for t, k in zip(texts, known)]
        out: list[Row | None] = list(map(cache.get, keys))
        if statuses.count("ok") != len(statuses):
            for i, status in enumerate(statuses):
                if status != "ok" and status != "decode_error" and status != "too_long":
                    out[i] = self.blank(status)  # not classified, whatever the text
        todo = [i for i, found in enumerate(out) if found is None]
        if todo:
            # each distinct row once; None, "" and whitespace are never scored
            unique = {keys[i]: i for i in todo if texts[i] and not texts[i].isspace()}  # type: ignore[union-attr]
            if len(cache) > _CACHE_SIZE:
                cache.clear()  # cheaper than least-recently-used bookkeeping on every row
            if unique:
                rows = list(unique.values())
                scored = _scored_columns(
                    [texts[i] for i in rows],  # type: ignore[misc]
                    self.model,
                    self.columns,
                    [known[i] for i in rows] if with_facts else None,  # type: ignore[index]
                    self.lists,
                )
                cache.update(zip(unique, scored))
            get, empty = cache.get, self.blank("empty_text")
            for i in todo:
                out[i] = get(keys[i], empty)
        result: list[Row] = out  # type: ignore[assignment]  # every row is filled by now
        if "decode_error" in statuses or "too_long" in statuses:
            at = self.index["status"]
            for i, status in enumerate(statuses):
                # the text may be damaged, or is the start of a record cut at MAX_RECORD_CHARS
                if (status == "decode_error" and result[i][at] != "empty_text") or status == "too_long":
                    result[i] = (*result[i][:at], status, *result[i][at + 1 :])
        return result


def _cell_key(value: object) -> Hashable:
    """A cell as part of a cache key (NaN equals NaN here; unhashable cells by their text)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, (str, int, float)) else str(value)
