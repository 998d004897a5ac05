"""Complaint files: streamed in chunks, classified (in worker processes for big files), written
atomically; row count in = row count out, every input column kept.

>>> summary = classify_file("data/sample_complaints.csv", "out.csv")   # doctest: +SKIP
>>> summary.rows                                                        # doctest: +SKIP
40
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..engine.scorer import Model
from ..errors import InputFileError
from ..model.files import default_model
from .columns import (
    PLAIN_COLUMNS,
    FactColumns,
    RowClassifier,
    as_text,
    fact_columns_of,
    output_names,
    reads_like_a_complaint,
    result_columns,
    text_column_of,
)
from .readers import ReadOptions, Row, open_table
from .summary import Summary, Tally
from .workers import processed_chunks, resolve_jobs
from .writers import Rendered, open_writer, render_columns

__all__ = ["CHUNK_CELLS", "CHUNK_CHARS", "CHUNK_ROWS", "ChunkJob", "classify_file"]

CHUNK_ROWS = 2000
CHUNK_CHARS = 400_000
# cells (rows × columns) in a chunk at most: a file of 100,000 columns makes chunks of 20 rows,
# not of 2,000 rows of 100,000 cells each (gigabytes); files of up to 1,000 columns are not affected
CHUNK_CELLS = 2_000_000

# What a worker gets of a chunk (each row's fields, in column order; each row's status) and
# what it gives back (the rendered text, or rows for xlsx; the chunk's tallies).
ChunkInputs = tuple[list[list[Any]], list[str]]
ChunkTallies = tuple[Counter[str], Counter[str], int]


class ChunkJob:
    """One chunk of input rows → its output: classify, add the result columns, render.

    Runs in the worker processes (or in-process for small inputs), so the parent only reads
    the input and writes the rendered text.
    """

    def __init__(
        self,
        model: Model,
        text_column: str,
        wanted: list[str],
        columns: list[str],
        fmt: str,
        fact_columns: FactColumns | None = None,
    ) -> None:
        # JSON Lines keeps lists as arrays; the other formats join them with "；"
        self.classifier = RowClassifier(model, wanted, fact_columns, lists=fmt == "jsonl")
        self.text_column = text_column
        self.wanted = wanted
        self.columns = columns  # the input's columns, then the result columns
        self.inputs = columns[: len(columns) - len(wanted)]
        self.text_index = self.inputs.index(text_column)
        self.fact_index = {kind: self.inputs.index(c) for kind, c in self.classifier.fact_columns.items()}
        # cells that may hold formula-like or missing values: the input's and free text of ours
        self.checked = list(range(len(self.inputs))) + [
            len(self.inputs) + j for j, name in enumerate(wanted) if name not in PLAIN_COLUMNS
        ]
        self.format = fmt

    def warm_up(self) -> None:
        """Run the whole path once on two made-up rows, before workers are forked: the model's
        lazy tables, the content guard, the lazily imported libraries (OpenCC; cn2an only
        comes in for numerals not written out in full) and the playbook are then built once, in the parent, and
        every worker inherits them."""
        texts = ["2023年11月28日晚上8点付款失败扣了一百九十九块", "页面打不开"]
        empty = [""] * len(self.inputs)
        records = [empty[: self.text_index] + [text] + empty[self.text_index + 1 :] for text in texts]
        self(([list(r) for r in records], ["ok"] * len(records)))
        self.classifier.model.score_texts(texts)  # the scores-only path's tables

    def __call__(self, rows: ChunkInputs) -> tuple[Rendered, ChunkTallies]:
        """(rendered text, or the rows for formats the parent writes itself; tallies)."""
        records, statuses = rows
        # column by column: the output is rendered without building rows in Python
        inputs = [list(values) for values in zip(*records)]
        texts = [t if t.__class__ is str else as_text(t) for t in inputs[self.text_index]]
        known = None
        if self.fact_index:
            by_kind = {kind: inputs[i] for kind, i in self.fact_index.items()}
            known = [dict(zip(by_kind, row)) for row in zip(*by_kind.values())]
        results = self.classifier(texts, statuses, known)
        outputs = [list(values) for values in zip(*results)]
        at = self.classifier.index
        categories: Counter[str] = Counter(outputs[at["category"]])
        del categories[""]
        found: Counter[str] = Counter(outputs[at["status"]])
        abstained = sum(outputs[-1])
        cells = inputs + outputs[:-1]
        rendered: Rendered | None = render_columns(cells, self.columns, self.format, check=self.checked)
        if rendered is None:  # xlsx: the parent writes the rows
            rendered = [list(row) for row in zip(*cells)]
        return rendered, (categories, found, abstained)


def _chunk_inputs(rows: list[Row]) -> ChunkInputs:
    """What a worker needs of a chunk: each row's fields (in column order) and status."""
    return [row.fields for row in rows], [row.status for row in rows]


def _chunks(rows: Iterable[Row], size: int, text_column: str) -> Iterator[list[Row]]:
    """Lists of at most ``size`` rows whose texts hold at most CHUNK_CHARS characters in all
    (long complaints make small chunks, so memory stays flat whatever the texts' length), and
    at most CHUNK_CELLS cells (wide files make short chunks)."""
    chunk: list[Row] = []
    chars, at = 0, None
    for row in rows:
        if at is None:
            at = row.columns.index(text_column)
            size = max(1, min(size, CHUNK_CELLS // max(1, len(row.columns))))
        if row.absent and at in row.absent and row.status == "ok":
            row.status = "missing_text"  # a JSON object without the text key
        text = row.fields[at]
        if text.__class__ is str:
            chars += len(text)
        chunk.append(row)
        if chars >= CHUNK_CHARS or len(chunk) >= size:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _progress(quiet: bool) -> Any:
    """A progress bar on a terminal, else None."""
    if quiet or not sys.stderr.isatty():
        return None
    # imported only for a terminal: tqdm's imports cost more start-up time than the rest of this
    # module's, and a batch run writing to a file or pipe never draws a bar
    from tqdm import tqdm

    # no monitor thread: worker processes are forked after the bar exists
    tqdm.monitor_interval = 0
    return tqdm(unit="行", file=sys.stderr, desc="classifying")


def classify_file(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str] = "-",
    *,
    text_column: str | None = None,
    model: Model | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    force: bool = False,
    quiet: bool = True,
    jobs: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
    columns: str | Iterable[object] | None = None,
    read: ReadOptions | None = None,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
    output_format: str | None = None,
) -> Summary:
    """Classify a complaint file into ``output`` (format from its extension; ``-`` = stdout).

    Streams in chunks, keeps every input column and row, and writes atomically. ``jobs``
    worker processes classify chunks in parallel (default: every core for files of 1 MB or
    more, in-process otherwise); each worker receives the model once. ``columns`` picks the
    result columns (see :func:`~classifier.batch.columns.result_columns`; leaving out reasons
    and advice is much faster). ``encoding`` and ``delimiter`` (or ``read``, the same as one
    :class:`~classifier.batch.readers.ReadOptions`) say how to read the input.
    ``fact_columns`` are the columns whose platform, date, order number, waybill number, amount or
    phone the advice uses (default: recognised by name; see
    :func:`~classifier.batch.columns.fact_columns_of`).
    ``output_format`` (csv, tsv, jsonl, xlsx) overrides the one the output's name asks for
    (``-`` writes CSV); JSON Lines holds reasons, evidence, steps and missing facts as arrays.
    """
    started = time.perf_counter()
    read = read or ReadOptions(encoding=encoding, delimiter=delimiter)
    table = open_table(input, read)
    writer = None
    try:
        text_column = text_column_of(table.columns, text_column)
        facts = fact_columns_of(table.columns, fact_columns, text_column)
        model = model or default_model()
        wanted = result_columns(columns)
        names = output_names(table.columns)
        output_columns = table.columns + [names[c] for c in wanted]
        summary = Summary(
            input=str(input),
            output=str(output),
            encoding=table.encoding,
            format=table.format,
            text_column=text_column,
            warnings=list(table.warnings),
            fact_columns=dict(facts),
        )
        if table.format in ("csv", "tsv", "xlsx") and reads_like_a_complaint(text_column):
            summary.warnings.append(
                f"the text column's name “{text_column[:40]}” reads like a complaint: if the file has no "
                "header row, its first complaint was taken as the header and not classified; add a "
                "header line (e.g. 投诉内容)"
            )
        tally = Tally()
        jobs = resolve_jobs(jobs, str(input))
        bar = _progress(quiet)
        writer = open_writer(output, output_columns, input_path=str(input), force=force, fmt=output_format)
        job = ChunkJob(model, text_column, wanted, output_columns, writer.format, facts)
        for chunk, (output_part, (categories, statuses, abstained)) in processed_chunks(
            _chunks(table.rows, chunk_rows, text_column), _chunk_inputs, job, jobs
        ):
            writer.write(output_part)
            tally.add(rows=len(chunk), categories=categories, statuses=statuses, abstained=abstained)
            if bar is not None:
                bar.update(len(chunk))
        if tally.rows == 0:
            raise InputFileError(f"{input} has a header but no data rows")
        writer.commit()
        if bar is not None:
            bar.close()
        tally.into(summary)
        summary.seconds = time.perf_counter() - started
        return summary
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        table.close()
