"""Batch classification: DataFrames and complaint files, row count in = row count out.

>>> import pandas as pd
>>> from classifier import classify_frame
>>> out = classify_frame(pd.DataFrame({"投诉内容": ["付款显示失败但银行卡扣了199元", ""]}))
>>> out["category"].tolist(), out["status"].tolist(), bool(out["confidence"].isna()[1])
(['payment', ''], ['ok', 'empty_text'], True)
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

from .errors import ColumnNotFoundError, InputFileError, ResultColumnError
from .labels import LABEL_NAMES_ZH, LABELS

__all__ = [
    "RESULT_COLUMNS",
    "result_columns",
    "TEXT_COLUMN_CANDIDATES",
    "Summary",
    "classify_file",
    "classify_frame",
    "classify_records",
    "find_text_column",
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
CHUNK_ROWS = 2000
CHUNK_CHARS = 400_000
_CACHE_SIZE = 20000
_LIST_SEP = "；"
# Result columns whose values are labels, statuses or numbers: never formula-like, never missing.
_PLAIN_COLUMNS = frozenset(("category", "category_zh", *NUMERIC_COLUMNS, "status"))


def find_text_column(columns) -> str:
    """Pick the column holding complaint text, or raise with the available columns listed.

    >>> find_text_column(["id", "投诉内容", "时间"])
    '投诉内容'
    """
    columns = [str(c) for c in columns]
    lowered = {c.strip().lower(): c for c in columns}
    for candidate in TEXT_COLUMN_CANDIDATES:
        if candidate in lowered:
            return lowered[candidate]
    for candidate in TEXT_COLUMN_CANDIDATES[:12]:  # Chinese names inside longer headers: 投诉内容(必填)
        for column in columns:
            if candidate in column:
                return column
    if len(columns) == 1:
        return columns[0]
    raise ColumnNotFoundError(
        f"cannot tell which column holds the complaint text; available: {', '.join(columns)}; "
        "use --text-column (text_column=...)"
    )


def _as_text(value) -> str | None:
    """Cell value → text to classify; None for missing cells (NaN, None)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def result_columns(columns=None) -> list[str]:
    """The result columns to write: ``None`` = all, else the named ones plus category and status.

    Leaving out reasons and the advice columns (evidence, steps, missing_facts) makes a batch
    several times faster: only the model's scores are computed.

    >>> result_columns("confidence")
    ['category', 'confidence', 'status']
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


def _rounded(values) -> list:
    """Probabilities as written: 4 decimals (one rounding rule for every path)."""
    import numpy as np

    return np.round(np.asarray(values, dtype=np.float64), 4).tolist()


def _format_reasons(reasons) -> str:
    return _LIST_SEP.join(f"{r.term}({r.weight:+.2f})" for r in reasons)


def _scored_columns(texts: list[str], model, wanted: list[str]) -> list[tuple]:
    """Per non-blank text, a tuple: the ``wanted`` result columns in order, then ``abstained``.

    Only what is wanted is computed: without reasons and advice, only the model's scores.
    """
    from ._answers import decide, text_status

    with_reasons = "reasons" in wanted
    proba, reasons = model.score_texts(texts, reasons=with_reasons)
    classes = [str(c) for c in model.classes_]
    labels, confidence, abstained = decide(proba, model.classes_, model.threshold_)
    labels = labels.tolist()
    columns = {"category": labels}
    if "category_zh" in wanted:
        columns["category_zh"] = [LABEL_NAMES_ZH[label] for label in labels]
    if "confidence" in wanted:
        columns["confidence"] = _rounded(confidence)
    for column, label in zip(PROB_COLUMNS, LABELS):
        if column in wanted:
            columns[column] = _rounded(proba[:, classes.index(label)])
    if with_reasons:
        columns["reasons"] = [_format_reasons(r) for r in reasons]
    columns["status"] = [text_status(text) for text in texts]
    if not set(_ADVICE_COLUMNS).isdisjoint(wanted):
        from .advice import checklist
        from .facts import extract_facts

        advice = [checklist(label, extract_facts(text)) for label, text in zip(labels, texts)]
        for name, part in zip(_ADVICE_COLUMNS, zip(*advice)):
            columns[name] = [_LIST_SEP.join(items) for items in part]
    return list(zip(*(columns[name] for name in wanted), abstained.tolist()))


class _Classifier:
    """Classifies texts for the batch path: identical texts once, blank texts never.

    Calling it gives one tuple per row: the result columns in ``columns`` order, then whether
    the model abstained.
    """

    def __init__(self, model, columns=None):
        self.model = model
        self.columns = result_columns(columns)
        self.index = {name: i for i, name in enumerate(self.columns)}
        self.cache: dict[str, tuple] = {}

    def blank(self, status: str) -> tuple:
        """The result of a row that was not classified."""
        return (*(status if name == "status" else "" for name in self.columns), False)

    def __call__(self, texts: list[str | None], statuses: list[str]) -> list[tuple]:
        cache = self.cache
        out = list(map(cache.get, texts))  # tuples: rows share them safely
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
                out[i] = get(text, empty)
        if "decode_error" in statuses:
            at = self.index["status"]
            for i, status in enumerate(statuses):
                if status == "decode_error" and out[i][at] != "empty_text":
                    out[i] = (*out[i][:at], "decode_error", *out[i][at + 1 :])  # the text may be damaged
        return out


def _output_names(columns: list[str]) -> dict[str, str]:
    """Result column → output name, suffixed where the input already has that column."""
    taken = set(columns)
    names = {}
    for column in RESULT_COLUMNS:
        name = column
        while name in taken:
            name += "_predicted"
        names[column] = name
    return names


def classify_records(records, text_column: str, model=None, statuses=None, columns=None) -> list[dict]:
    """Classify a list of dicts (one per row); returns the dicts with result columns added."""
    from .api import default_model

    classifier = _Classifier(model or default_model(), columns)
    names = _output_names(list(records[0]) if records else [])
    texts = [_as_text(r.get(text_column)) for r in records]
    results = classifier(texts, list(statuses) if statuses else ["ok"] * len(records))
    out_names = [names[k] for k in classifier.columns]
    return [{**r, **dict(zip(out_names, res))} for r, res in zip(records, results)]


def classify_frame(df, text_column: str | None = None, model=None, columns=None):
    """Classify a DataFrame's text column; returns a copy with the result columns appended.

    Missing or blank texts get status ``empty_text``; every row is kept, in order. ``columns``
    picks result columns (see :func:`result_columns`).
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"classify_frame expects a pandas DataFrame, got {type(df).__name__}")
    if text_column is None:
        text_column = find_text_column(df.columns)
    elif text_column not in df.columns:
        raise ColumnNotFoundError(
            f"no column {text_column!r}; available: {', '.join(map(str, df.columns))}; use text_column=..."
        )
    from .api import default_model

    classifier = _Classifier(model or default_model(), columns)
    texts = [_as_text(v) for v in df[text_column].tolist()]
    results = classifier(texts, ["ok"] * len(texts))
    out = df.copy()
    names = _output_names([str(c) for c in df.columns])
    for column, values in zip(
        classifier.columns, zip(*results) if results else [()] * len(classifier.columns)
    ):
        values = list(values)
        if column in NUMERIC_COLUMNS:  # blank rows have no probabilities: NaN, not ""
            values = pd.Series(
                [float("nan") if v == "" else v for v in values], index=df.index, dtype="float64"
            )
        out[names[column]] = values
    return out


@dataclass
class Summary:
    """What a batch run did: counts, encoding, timing."""

    input: str
    output: str
    rows: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    abstained: int = 0
    encoding: str = ""
    format: str = ""
    text_column: str = ""
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {**asdict(self), "rows_per_second": round(self.rows_per_second, 1)}

    def format_text(self) -> str:
        cats = "，".join(
            f"{LABEL_NAMES_ZH[k]} {v}" for k, v in self.categories.items() if k in LABEL_NAMES_ZH
        )
        problems = {k: v for k, v in self.statuses.items() if k != "ok"}
        return "\n".join(
            [
                f"{self.rows} 行 → {self.output}（文本列：{self.text_column}，编码：{self.encoding}）",
                f"类别：{cats or '无'}；其中因把握不足归为“其他”：{self.abstained}",
                "状态：" + ("，".join(f"{k} {v}" for k, v in problems.items()) if problems else "全部 ok"),
                f"用时 {self.seconds:.2f} 秒，{self.rows_per_second:.0f} 行/秒",
            ]
        )


class _ChunkJob:
    """One chunk of input rows → its output: classify, add the result columns, render.

    Runs in the worker processes (or in-process for small inputs), so the parent only reads
    the input and writes the rendered text.
    """

    def __init__(self, model, text_column: str, wanted: list[str], columns: list[str], fmt: str):
        self.classifier = _Classifier(model, wanted)
        self.text_column = text_column
        self.wanted = wanted
        self.columns = columns  # the input's columns, then the result columns
        self.inputs = columns[: len(columns) - len(wanted)]
        self.text_index = self.inputs.index(text_column)
        # cells that may hold formula-like or missing values: the input's and free text of ours
        self.checked = list(range(len(self.inputs))) + [
            len(self.inputs) + j for j, name in enumerate(wanted) if name not in _PLAIN_COLUMNS
        ]
        self.format = fmt

    def __call__(self, rows: tuple[list[list], list[str]]):
        """(rendered text, or the rows for formats the parent writes itself; tallies)."""
        from .writers import render_columns

        records, statuses = rows
        # column by column: the output is rendered without building rows in Python
        inputs = [list(values) for values in zip(*records)]
        texts = [t if t.__class__ is str else _as_text(t) for t in inputs[self.text_index]]
        results = self.classifier(texts, statuses)
        outputs = [list(values) for values in zip(*results)]
        at = self.classifier.index
        categories = Counter(outputs[at["category"]])
        del categories[""]
        statuses = Counter(outputs[at["status"]])
        abstained = sum(outputs[-1])
        cells = inputs + outputs[:-1]
        rendered = render_columns(cells, self.columns, self.format, check=self.checked)
        if rendered is None:  # xlsx: the parent writes the rows
            rendered = [list(row) for row in zip(*cells)]
        return rendered, (categories, statuses, abstained)


_JOB: _ChunkJob | None = None
# Files smaller than this are classified in-process: starting workers costs more than it saves.
_PARALLEL_MIN_BYTES = 1 << 20


def _init_worker(job) -> None:
    import pickle

    from ._process import keep_freed_memory

    keep_freed_memory()
    global _JOB
    _JOB = pickle.loads(job) if isinstance(job, bytes) else job


def _run_in_worker(rows):
    return _JOB(rows)


def _resolve_jobs(jobs, input) -> int:
    if jobs is not None:
        if jobs < 1:
            raise InputFileError(f"--jobs must be at least 1, got {jobs}")
        return jobs
    if input == "-":
        return 1
    try:
        size = os.path.getsize(input)
    except OSError:
        return 1
    return default_jobs() if size >= _PARALLEL_MIN_BYTES else 1


def _pool(job: _ChunkJob, jobs: int):
    """Worker processes holding ``job``: forked where the platform allows (they start at once and
    share the parent's loaded, warmed-up model), spawned elsewhere (the job is pickled once)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if _start_method() == "fork":
        from ._process import freeze_loaded_objects

        job.classifier.model.score_texts(["付款失败扣了钱", "页面打不开"])  # build lazy tables once
        freeze_loaded_objects()  # the workers inherit the model: the collector need not walk it
        context, payload = multiprocessing.get_context("fork"), job
    else:
        import pickle

        context, payload = multiprocessing.get_context("spawn"), pickle.dumps(job)
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(payload,))


def _start_method() -> str:
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _processed_chunks(chunks, job: _ChunkJob, jobs: int):
    """Yield (rows, output, tallies) in input order, processing in ``jobs`` processes."""
    if jobs == 1:
        for chunk in chunks:
            yield (chunk, *job(_chunk_inputs(chunk)))
        return
    from collections import deque

    with _pool(job, jobs) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_run_in_worker, _chunk_inputs(chunk))))
            # a bounded window keeps memory flat and the output in input order
            while len(pending) > 2 * jobs:
                done_chunk, future = pending.popleft()
                yield (done_chunk, *future.result())
        while pending:
            done_chunk, future = pending.popleft()
            yield (done_chunk, *future.result())


def _chunk_inputs(rows):
    """What a worker needs of a chunk: each row's fields (in column order) and status."""
    return [row.fields for row in rows], [row.status for row in rows]


def _chunks(rows, size: int, text_column: str):
    """Lists of at most ``size`` rows whose texts hold at most CHUNK_CHARS characters in all
    (long complaints make small chunks, so memory stays flat whatever the texts' length)."""
    chunk, chars, at = [], 0, None
    for row in rows:
        if at is None:
            at = row.columns.index(text_column)
        text = row.fields[at]
        if text.__class__ is str:
            chars += len(text)
        chunk.append(row)
        if chars >= CHUNK_CHARS or len(chunk) >= size:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    # no monitor thread: worker processes are forked after the bar exists
    tqdm.monitor_interval = 0
    return tqdm(unit="行", file=sys.stderr, desc="classifying")


def classify_file(
    input,
    output="-",
    *,
    text_column=None,
    model=None,
    encoding=None,
    delimiter=None,
    force=False,
    quiet=True,
    jobs=None,
    chunk_rows=CHUNK_ROWS,
    columns=None,
) -> Summary:
    """Classify a complaint file into ``output`` (format from its extension; ``-`` = stdout).

    Streams in chunks, keeps every input column and row, and writes atomically. ``jobs``
    worker processes classify chunks in parallel (default: every core for files of 1 MB or
    more, in-process otherwise); each worker receives the model once. ``columns`` picks the
    result columns (see :func:`result_columns`; leaving out reasons and advice is much faster).

    >>> summary = classify_file("data/sample_complaints.csv", "out.csv")   # doctest: +SKIP
    >>> summary.rows                                                        # doctest: +SKIP
    40
    """
    from .api import default_model
    from .readers import open_table
    from .writers import open_writer

    started = time.perf_counter()
    table = open_table(input, encoding=encoding, delimiter=delimiter)
    writer = None
    try:
        if text_column is None:
            text_column = find_text_column(table.columns)
        elif text_column not in table.columns:
            raise ColumnNotFoundError(
                f"no column {text_column!r}; available: {', '.join(table.columns)}; use --text-column"
            )
        model = model or default_model()
        wanted = result_columns(columns)
        names = _output_names(table.columns)
        output_columns = table.columns + [names[c] for c in wanted]
        summary = Summary(
            input=str(input),
            output=str(output),
            encoding=table.encoding,
            format=table.format,
            text_column=text_column,
        )
        categories: Counter = Counter()
        statuses: Counter = Counter()
        jobs = _resolve_jobs(jobs, str(input))
        bar = _progress(quiet)
        writer = open_writer(
            output, output_columns, input_path=None if input == "-" else str(input), force=force
        )
        job = _ChunkJob(model, text_column, wanted, output_columns, writer.format)
        for chunk, output_part, (chunk_categories, chunk_statuses, abstained) in _processed_chunks(
            _chunks(table.rows, chunk_rows, text_column), job, jobs
        ):
            writer.write(output_part)
            categories.update(chunk_categories)
            statuses.update(chunk_statuses)
            summary.abstained += abstained
            summary.rows += len(chunk)
            if bar is not None:
                bar.update(len(chunk))
        if summary.rows == 0:
            raise InputFileError(f"{input} has a header but no data rows")
        writer.commit()
        if bar is not None:
            bar.close()
        summary.categories = {label: categories[label] for label in LABELS}
        summary.statuses = dict(statuses)
        summary.seconds = time.perf_counter() - started
        return summary
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        table.close()


def default_jobs() -> int:
    return os.cpu_count() or 1
