"""Stream rows out of complaint files: CSV/TSV (any common delimiter), JSON Lines and xlsx.

Every physical record becomes exactly one :class:`Row`, in file order, with a status instead
of an exception when it is damaged: undecodable bytes (``decode_error``) or a field count that
does not match the header (``malformed_line``).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

from ..errors import InputFileError, MissingExtraError

__all__ = ["FORMATS", "LINES_COLUMN", "ReadOptions", "Row", "Table", "format_for_suffix", "open_table"]

FORMATS = ("csv", "tsv", "jsonl", "xlsx", "lines")
# the one column of a plain text file read one complaint per line (format "lines")
LINES_COLUMN = "text"
_SNIFF_BYTES = 1 << 20
_BLOCK_BYTES = 1 << 20
_DELIMITERS = ",;\t|"
# csv refuses fields over 128 KiB by default; a pasted essay must not crash a batch
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class ReadOptions:
    """How to read an input file: the one set of reading options of every batch engine.

    ``None`` means detect: the encoding (BOM → UTF-8 → GB18030), the delimiter (from the
    header), the format (from the file name, else the first bytes).
    """

    encoding: str | None = None
    delimiter: str | None = None
    format: str | None = None


@dataclass
class Row:
    """One input record: its values in the table's column order, and a status if it was damaged."""

    fields: list[Any]
    status: str = "ok"
    line: int = 0
    columns: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def values(self) -> dict[str, Any]:
        """The values by column name."""
        return dict(zip(self.columns, self.fields))


@dataclass
class Table:
    """An opened input: column names, the detected encoding and format, and its rows."""

    columns: list[str]
    rows: Iterator[Row]
    encoding: str
    format: str
    delimiter: str | None = None
    _closers: list[Callable[[], object]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        """Close the underlying file (and workbook)."""
        for close in self._closers:
            close()


def _detect_encoding(head: bytes, forced: str | None) -> str:
    if forced:
        try:
            return codecs.lookup(forced).name
        except LookupError:
            raise InputFileError(
                f"unknown encoding {forced!r}; try utf-8, utf-8-sig, gb18030 or gbk"
            ) from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError("the file is UTF-16; save it as UTF-8 (or GB18030) and try again")
    # strict UTF-8 first; an incomplete character cut by the sniff window is not an error
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        # Mostly-valid files with a few broken rows: pick the encoding with fewer errors and
        # let the broken rows carry decode_error.
        bad_utf8 = head.decode("utf-8", "replace").count("\ufffd")
        bad_gb = head.decode("gb18030", "replace").count("\ufffd")
        return "utf-8" if bad_utf8 <= bad_gb else "gb18030"


def format_for_suffix(path: str) -> str | None:
    """``jsonl``, ``xlsx``, ``tsv`` or ``lines`` (``.txt``: one text per line) when the file name
    says so; None otherwise (CSV or unknown)."""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".tsv": "tsv", ".txt": "lines"}.get(
        Path(path).suffix.lower()
    )


def _format_for(path: str, head: bytes, forced: str | None) -> str:
    if forced:
        if forced not in FORMATS:
            raise InputFileError(f"unknown format {forced!r}; use one of {', '.join(FORMATS)}")
        return forced
    named = format_for_suffix(path)
    if named:
        return named
    suffix = Path(path).suffix.lower()
    if suffix in (".xls", ".json", ".parquet"):
        raise InputFileError(f"{path}: {suffix} files are not supported; save as .csv, .tsv, .jsonl or .xlsx")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return "csv"


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the header row into the most columns (``,`` on a tie or none).

    The header decides because it is the one line that is reliably plain: csv.Sniffer guesses
    from all lines and is misled by quoted cells full of ``;`` or ``|``.
    """
    header = next((line for line in sample.splitlines() if line.strip()), "")
    widths = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: widths[d])  # first of the widest: "," wins ties
    return best if widths[best] > 1 else ","


class _DecodedLines:
    """Decoded text lines of a binary stream (one by one, or in blocks), remembering which ones
    failed to decode."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self.raw = raw
        self.encoding = encoding
        self.bad_lines: set[int] = set()
        self.number = 0
        self.first = True
        # the last few blocks of lines, so a record the csv module rejects can be kept verbatim
        self.recent_blocks: deque[tuple[int, list[str]]] = deque(maxlen=3)

    def text_of(self, first: int, last: int) -> str:
        """The text of lines ``first`` to ``last`` (a record the csv module rejected)."""
        found = []
        for start, block in self.recent_blocks:
            low, high = max(first, start), min(last, start + len(block) - 1)
            found += block[low - start : high - start + 1]
        return "".join(found)

    def blocks(self) -> Iterator[list[str]]:
        """The decoded lines in lists of about a megabyte: the same lines as iterating, without
        per-line Python work. Line numbers are the reader's to count (``csv.reader.line_num``);
        the last few blocks are kept for :meth:`text_of`."""
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        while True:
            block = self.raw.read(_BLOCK_BYTES)
            if not block:
                return
            block += self.raw.readline()  # end on a line break
            if self.first:
                if self.encoding == "utf-8-sig":
                    block = block.removeprefix(codecs.BOM_UTF8)
                self.first = False
            start = self.number + 1
            try:
                # "\n" is never inside a multi-byte character of the encodings read line by line
                lines = list(io.StringIO(block.decode(codec), newline="\n"))
            except UnicodeDecodeError:
                lines = []
                for number, line in enumerate(io.BytesIO(block), start):
                    try:
                        lines.append(line.decode(codec))
                    except UnicodeDecodeError:
                        self.bad_lines.add(number)
                        lines.append(line.decode(codec, "replace"))
            self.number += len(lines)
            self.recent_blocks.append((start, lines))
            yield lines

    def __iter__(self) -> Iterator[str]:
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        for line in self.raw:
            self.number += 1
            if self.first:
                if self.encoding == "utf-8-sig":
                    line = line.removeprefix(codecs.BOM_UTF8)
                self.first = False
            try:
                text = line.decode(codec)
            except UnicodeDecodeError:
                self.bad_lines.add(self.number)
                text = line.decode(codec, "replace")
            yield text


def _unique_columns(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    columns = []
    for i, name in enumerate(header):
        name = name.strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        columns.append(name)
    return columns


def _fit(fields: list[str], columns: list[str], delimiter: str) -> list[str]:
    """Make a record fit the header: pad short ones; fold the surplus of long ones into the last
    column, delimiter-joined, so no byte of the input is dropped."""
    if len(fields) > len(columns):
        return fields[: len(columns) - 1] + [delimiter.join(fields[len(columns) - 1 :])]
    return fields + [""] * (len(columns) - len(fields))


def _csv_rows(lines: _DecodedLines, delimiter: str, columns: list[str], reader: Any) -> Iterator[Row]:
    previous_line = reader.line_num
    width = len(columns)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # e.g. a bare carriage return inside an unquoted field: keep the raw record
            first, last = previous_line + 1, reader.line_num
            previous_line = last
            raw = lines.text_of(first, last).rstrip("\r\n")
            yield Row(_fit(raw.split(delimiter), columns, delimiter), "malformed_line", first, columns)
            continue
        first, last = previous_line + 1, reader.line_num
        previous_line = last
        if not fields:
            continue  # an empty physical line is not a record
        status = "ok"
        if lines.bad_lines and any(n in lines.bad_lines for n in range(first, last + 1)):
            status = "decode_error"
        if len(fields) != width:
            if status == "ok":
                status = "malformed_line"
            fields = _fit(fields, columns, delimiter)
        yield Row(fields, status, first, columns)


def _open_csv(stream: IO[bytes], encoding: str, forced_delimiter: str | None, fmt: str) -> Table:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    lines = _DecodedLines(stream, encoding)
    if fmt == "tsv":
        delimiter = "\t"
    elif forced_delimiter:
        delimiter = "\t" if forced_delimiter in ("\\t", "tab") else forced_delimiter
    else:
        delimiter = _sniff_delimiter(head.decode(encoding.replace("-sig", ""), "replace"))
    reader = csv.reader(chain.from_iterable(lines.blocks()), delimiter=delimiter)
    header: list[str] | None = None
    for header in reader:
        if header and any(h.strip() for h in header):
            break
    else:
        header = None
    if not header:
        raise InputFileError("the file is empty: no header row found")
    columns = _unique_columns(header)
    return Table(columns, _csv_rows(lines, delimiter, columns, reader), encoding, fmt, delimiter)


def _open_lines(stream: IO[bytes], encoding: str) -> Table:
    """A plain text file: each non-blank line is one complaint, in a column named ``text``."""
    lines = _DecodedLines(stream, encoding)
    columns = [LINES_COLUMN]

    def rows() -> Iterator[Row]:
        for text in lines:
            text = text.rstrip("\r\n")
            if text.strip():
                status = "decode_error" if lines.number in lines.bad_lines else "ok"
                yield Row([text], status, lines.number, columns)

    return Table(columns, rows(), encoding, "lines")


def _open_jsonl(stream: IO[bytes], encoding: str) -> Table:
    lines = _DecodedLines(stream, encoding)
    iterator = iter(lines)
    pending: list[tuple[int, dict[str, Any] | None, str]] = []
    columns: list[str] = []
    # the columns are the keys of the first object; later keys are kept if new
    for text in iterator:
        if not text.strip():
            continue
        record = _parse_json_line(text)
        pending.append((lines.number, record, text))
        if record is not None:
            columns = _unique_columns([str(k) for k in record])
            break
    if not pending:
        raise InputFileError("the file is empty: no JSON lines found")
    if not columns:
        columns = ["text"]

    def rows() -> Iterator[Row]:
        def make(number: int, record: dict[str, Any] | None, text: str) -> Row:
            if record is None:  # the raw line, in the first column
                return Row(
                    [text.rstrip("\r\n")] + [None] * (len(columns) - 1), "malformed_line", number, columns
                )
            status = "decode_error" if number in lines.bad_lines else "ok"
            record = {str(k): v for k, v in record.items()}
            return Row([record.get(c) for c in columns], status, number, columns)

        for item in pending:
            yield make(*item)
        for text in iterator:
            if text.strip():
                yield make(lines.number, _parse_json_line(text), text)

    return Table(columns, rows(), encoding, "jsonl")


def _parse_json_line(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _open_xlsx(stream: IO[bytes]) -> Table:
    try:
        import openpyxl  # the [excel] extra
    except ImportError:
        raise MissingExtraError(
            "reading .xlsx needs openpyxl: pip install 'complaint-classifier[excel]'"
        ) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputFileError(f"cannot read the workbook: {exc}") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        raise InputFileError("the workbook's first sheet is empty")
    columns = _unique_columns(["" if h is None else str(h) for h in header])

    def rows() -> Iterator[Row]:
        for number, cells in enumerate(values, 2):
            if cells is None or all(c is None for c in cells):
                continue
            fields = ["" if c is None else c for c in cells]
            status = "malformed_line" if len(fields) > len(columns) and any(fields[len(columns) :]) else "ok"
            fields = list(fields[: len(columns)]) + [""] * (len(columns) - len(fields))
            yield Row(fields, status, number, columns)
        book.close()

    return Table(columns, rows(), "xlsx", "xlsx", None, [book.close])


def open_table(path: str | os.PathLike[str], read: ReadOptions | None = None) -> Table:
    """Open a complaint file (``"-"`` = stdin) and return its columns and a row iterator.

    >>> table = open_table("data/sample_complaints.csv")
    >>> table.encoding, table.columns[:2]                  # doctest: +SKIP
    ('utf-8', ['id', '投诉内容'])
    """
    read = read or ReadOptions()
    path = str(path)
    stream: Any
    closers: list[Callable[[], object]]
    if path == "-":
        stream = sys.stdin.buffer
        if not hasattr(stream, "peek"):
            stream = io.BufferedReader(stream)
        closers = []
    else:
        file = Path(path)
        if not file.exists():
            raise InputFileError(f"no such file: {path}")
        if file.is_dir():
            raise InputFileError(f"{path} is a directory; pass a file")
        stream = open(file, "rb")
        closers = [stream.close]
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        for close in closers:
            close()
        raise InputFileError(f"{path} is empty")
    fmt = _format_for(path, head, read.format)
    try:
        if fmt == "xlsx":
            table = _open_xlsx(stream)
        else:
            enc = _detect_encoding(head, read.encoding)
            if fmt == "jsonl":
                table = _open_jsonl(stream, enc)
            elif fmt == "lines":
                table = _open_lines(stream, enc)
            else:
                table = _open_csv(stream, enc, read.delimiter, fmt)
    except BaseException:
        for close in closers:
            close()
        raise
    table._closers.extend(closers)
    return table
