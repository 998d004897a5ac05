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
import re
import shutil
import sys
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

from ..charsets import detect_encoding
from ..errors import InputFileError, MissingExtraError

__all__ = [
    "FORMATS",
    "LINE_NUMBER_COLUMN",
    "LINES_COLUMN",
    "ReadOptions",
    "Row",
    "Table",
    "format_for_suffix",
    "open_table",
]

FORMATS = ("csv", "tsv", "jsonl", "xlsx", "lines")
_ABSENT = object()
# the columns of a plain text file read one complaint per line (format "lines"): the line's
# number (1-based, blank lines counted, as an editor numbers them) and its text
LINE_NUMBER_COLUMN = "line"
LINES_COLUMN = "text"
_SNIFF_BYTES = 1 << 20
_BLOCK_BYTES = 1 << 20
# The longest record kept: longer ones are cut there and get status "too_long" (a pasted book
# must not take gigabytes; the model reads only the first MAX_TEXT_CHARS anyway).
MAX_RECORD_CHARS = 2_000_000
# A physical line of more bytes than this is a record too long to keep, whatever its encoding.
_LINE_BYTES = 4 * MAX_RECORD_CHARS
_DELIMITERS = ",;\t|"
_LINE_BREAK = re.compile("\r\n|\r|\n")
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
    # positions of columns the record did not have at all (a JSON object without that key)
    absent: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def values(self) -> dict[str, Any]:
        """The values by column name."""
        return dict(zip(self.columns, self.fields))


@dataclass
class Table:
    """An opened input: column names, the detected encoding ("" for a workbook) and format, and
    its rows."""

    columns: list[str]
    rows: Iterator[Row]
    encoding: str
    format: str
    delimiter: str | None = None
    _closers: list[Callable[[], object]] = field(default_factory=list, repr=False)
    # what the reader noticed but did not stop for (a --delimiter the file contradicts)
    warnings: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Close the underlying file (and workbook)."""
        for close in self._closers:
            close()


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

    def __init__(self, raw: IO[bytes], encoding: str, *, lone_cr: bool = False) -> None:
        self.raw = raw
        self.encoding = encoding
        # a lone \r ends a line too (files from old Mac Excel, or CR rows after an LF header);
        # otherwise a stray \r is part of its line and the csv module flags its record
        self.lone_cr = lone_cr
        self.breaks = (b"\n", b"\r") if lone_cr else (b"\n",)
        self.bad_lines: set[int] = set()
        self.number = 0
        self.first = True
        # the blocks of lines since the current record's first line (``keep_from``, set by the
        # reader after each record), so a record the csv module rejects can be kept verbatim
        self.recent_blocks: deque[tuple[int, list[str], int]] = deque()
        self.keep_from = 1
        self.held_chars = 0  # characters in recent_blocks
        self.cut_lines: set[int] = set()  # lines where an over-long record was cut
        # set when the csv module asked for a line after the last one (the end mark, "")
        self.ended = False
        # where the bytes skipped by the last cut (to the end of the file, a quote never closed)
        # can be read again: (stream, offset of the cut line, offset of the line after it)
        self.resume: tuple[IO[bytes], int, int | None] | None = None

    def text_of(self, first: int, last: int) -> str:
        """The text of lines ``first`` to ``last`` (a record the csv module rejected; it started
        at or after ``keep_from``, so every one of its lines is still here)."""
        return "".join(self.lines_of(first, last))

    def lines_of(self, first: int, last: int) -> list[str]:
        """Lines ``first`` to ``last``, from the blocks still held (see :meth:`text_of`)."""
        found: list[str] = []
        for start, block, _ in self.recent_blocks:
            low, high = max(first, start), min(last, start + len(block) - 1)
            if low <= high:
                found += block[low - start : high - start + 1]
        return found

    def opening_line(self, field: str) -> int:
        """The line on which ``field``, a quoted field still open at the end of the file, began:
        the field holds every line break from there on."""
        if self.lone_cr:
            breaks = len(_LINE_BREAK.findall(field))
            closed = field.endswith(("\r", "\n"))
        else:
            breaks = field.count("\n")
            closed = field.endswith("\n")
        return self.number - breaks + (1 if closed else 0)

    def blocks(self) -> Iterator[list[str]]:
        """The decoded lines in lists of about a megabyte: the same lines as iterating, without
        per-line Python work. Lines end at ``\\n`` (and at a lone ``\\r`` with ``lone_cr``), as
        the csv module expects. Line numbers are the reader's to count
        (``csv.reader.line_num``); the blocks since the current record's start are kept for
        :meth:`text_of`.

        A record may hold at most MAX_RECORD_CHARS characters: the rest of a longer one is
        skipped up to the end of the record (quotes counted, so the records after it are read
        as they are) and the line where it was cut is remembered in ``cut_lines``.

        The last line is followed by an empty one, the end mark: the csv module asks for it only
        to go on with a record whose quoted field is still open at the end of the file (then
        ``ended`` is set, and :meth:`reread_after` gives the lines after the quote again), or it
        reads it as an empty line.
        """
        yield from self._decoded_blocks()
        self.ended = True
        yield [""]

    def reread_after(self, line: int) -> Iterator[list[str]]:
        """The lines after ``line`` once more, then the end mark: a quote opened on ``line`` was
        still open at the end of the file, so the lines after it are rows of their own.

        The lines still held are given again; when the rest of the file was skipped as part of
        one over-long record, the skipped bytes are read again (from the file, or from the
        spool of a pipe). A line that was cut stays cut, unless it comes after ``line``.
        """
        self.ended = False
        resume, self.resume = self.resume, None
        held_to, offset = self.number, None
        if resume is not None:
            source, start, after_cut = resume
            cut = self.number  # the stub that stands for the skipped bytes
            if line < cut:  # the cut line is read again, in full
                _, _, size = self.recent_blocks.pop()
                self.held_chars -= size
                self.cut_lines.discard(cut)
                self.number = held_to = cut - 1
                offset = start
            else:  # the quote was opened on the cut line: the lines after it
                offset = after_cut
            if offset is not None:
                source.seek(offset)
                self.raw = source
                self.first = False
        if held_to > line:
            yield self.lines_of(line + 1, held_to)
        if offset is not None:
            yield from self._decoded_blocks()
        self.ended = True
        yield [""]

    def _decoded_blocks(self) -> Iterator[list[str]]:
        """The blocks of :meth:`blocks`, without the end mark."""
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        for block in self._byte_blocks():
            if isinstance(block, str):  # the stub of a cut record: one line, already decoded
                lines = [block]
                self.cut_lines.add(self.number + 1)
            else:
                if self.first:
                    if self.encoding == "utf-8-sig":
                        block = block.removeprefix(codecs.BOM_UTF8)
                    self.first = False
                try:
                    # neither \n nor \r is ever inside a multi-byte character of these encodings
                    lines = list(io.StringIO(block.decode(codec), newline="" if self.lone_cr else "\n"))
                except UnicodeDecodeError:
                    lines = []
                    split = block.splitlines(keepends=True) if self.lone_cr else io.BytesIO(block)
                    for number, line in enumerate(split, self.number + 1):
                        try:
                            lines.append(line.decode(codec))
                        except UnicodeDecodeError:
                            self.bad_lines.add(number)
                            lines.append(line.decode(codec, "replace"))
            start = self.number + 1
            self.number += len(lines)
            recent = self.recent_blocks
            while recent and recent[0][0] + len(recent[0][1]) <= self.keep_from:
                self.held_chars -= recent[0][2]
                recent.popleft()  # wholly before the record being read
            size = sum(map(len, lines))
            recent.append((start, lines, size))
            self.held_chars += size
            yield lines

    def _byte_blocks(self) -> Iterator[bytes | str]:
        """Runs of whole lines of about a megabyte, as bytes; or, where a record outgrows
        MAX_RECORD_CHARS, the decoded stub that replaces the rest of it."""
        raw, pending, eof = self.raw, b"", False
        while True:
            if not eof:
                chunk = raw.read(_BLOCK_BYTES)
                eof = not chunk
                data = pending + chunk if pending else chunk
            else:
                data = pending
            if not data:
                return
            if eof:
                block, pending = data, b""
            else:
                # a trailing \r may be the first half of \r\n: it waits for the next read
                end = len(data) - 1 if data.endswith(b"\r") else len(data)
                cut = max(data.rfind(b, 0, end) for b in self.breaks) + 1
                if cut == 0 and len(data) < _LINE_BYTES:
                    pending = data  # one line longer than a block: read on
                    continue
                block, pending = (data[:cut], data[cut:]) if cut else (b"", data)
            if block:
                yield block
            over = self.held_chars > MAX_RECORD_CHARS and self._record_chars() > MAX_RECORD_CHARS
            if over or len(pending) >= _LINE_BYTES:
                stub, pending, eof = self._skip_record(pending, eof)
                yield stub

    def _record_chars(self) -> int:
        """Characters of the record being read that the csv module has already been given."""
        total = 0
        for start, block, size in self.recent_blocks:
            skip = self.keep_from + 1 - start
            total += size if skip <= 0 else sum(map(len, block[skip:]))
        return total

    def _skip_record(self, pending: bytes, eof: bool) -> tuple[str, bytes, bool]:
        """Cut the record being read: keep the start of the line in ``pending`` (up to
        MAX_RECORD_CHARS characters in all), drop the rest of the record up to the line break
        where its quotes balance, and return (the stub line, what follows the record, eof).

        The stub closes a quoted field the csv module is inside, so it ends the record there.
        When the quotes never balance (a quote left open up to the end of the file), the stub
        leaves it open, so the csv module reaches the end mark inside it, and ``resume`` says
        where the skipped bytes can be read again (see :meth:`reread_after`)."""
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        if self.first and self.encoding == "utf-8-sig":
            pending = pending.removeprefix(codecs.BOM_UTF8)
        self.first = False
        room = max(0, MAX_RECORD_CHARS - self._record_chars())
        text = codecs.getincrementaldecoder(codec)("replace").decode(pending[: 4 * room], final=False)[:room]
        before = self.text_of(self.keep_from + 1, self.number).count('"')
        stub = text + ('"' if (before + text.count('"')) % 2 else "") + "\n"
        source, start, spool = self._skipped_bytes(pending)
        after_cut: int | None = None  # the offset of the line after the cut one, from start
        skipped = 0  # bytes skipped before ``rest``
        quotes, rest = before, pending
        try:
            while True:
                position = 0
                while True:
                    found = [i for i in (rest.find(b, position) for b in self.breaks) if i >= 0]
                    if not found:
                        break
                    at = min(found)
                    end = at + 2 if rest[at : at + 2] == b"\r\n" else at + 1
                    if after_cut is None:
                        after_cut = skipped + end
                    quotes += rest[position:at].count(b'"')
                    if quotes % 2 == 0:  # the record ends at this line break
                        return stub, rest[end:], eof
                    position = at + 1
                quotes += rest[position:].count(b'"')
                skipped += len(rest)
                rest = b"" if eof else self.raw.read(_BLOCK_BYTES)
                if spool is not None:
                    spool.write(rest)
                if not rest:
                    self.resume = (source, start, None if after_cut is None else start + after_cut)
                    spool = None  # kept: it is read again
                    return text + "\n", b"", True
        finally:
            if spool is not None:
                spool.close()

    def _skipped_bytes(self, pending: bytes) -> tuple[IO[bytes], int, IO[bytes] | None]:
        """Where the bytes about to be skipped (``pending``, then the rest of the stream) can be
        read again: (stream, offset of ``pending``, the spool to write the rest to, for a pipe)."""
        if _seekable(self.raw):
            return self.raw, self.raw.tell() - len(pending), None
        spool = tempfile.TemporaryFile()
        spool.write(pending)
        return spool, 0, spool

    def __iter__(self) -> Iterator[str]:
        """Lines one by one (JSON Lines: ``\\n`` ends a line; a lone ``\\r`` too with ``lone_cr``);
        a line longer than _LINE_BYTES is cut there (its number goes to ``cut_lines``) and the
        rest of it skipped."""
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        readline = _CrLines(self.raw).readline if self.lone_cr else self.raw.readline
        while True:
            line = readline(_LINE_BYTES)
            if not line:
                return
            self.number += 1
            if self.first:
                if self.encoding == "utf-8-sig":
                    line = line.removeprefix(codecs.BOM_UTF8)
                self.first = False
            if len(line) >= _LINE_BYTES and not line.endswith(self.breaks):
                self.cut_lines.add(self.number)
                while True:  # skip the rest of the line
                    more = readline(_BLOCK_BYTES)
                    if not more or more.endswith(self.breaks):
                        break
                text = codecs.getincrementaldecoder(codec)("replace").decode(line, final=False)
                yield text[:MAX_RECORD_CHARS]
                continue
            try:
                text = line.decode(codec)
            except UnicodeDecodeError:
                self.bad_lines.add(self.number)
                text = line.decode(codec, "replace")
            yield text


_BYTE_LINE_BREAK = re.compile(rb"\r\n?|\n")


class _CrLines:
    """``readline`` of a binary stream whose lines end at ``\\r``, ``\\n`` or ``\\r\\n``."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.buffer = b""
        self.pos = 0
        self.eof = False

    def readline(self, limit: int) -> bytes:
        """The next line with its line break, or its first ``limit`` bytes; b"" at the end."""
        while True:
            buffer, pos = self.buffer, self.pos
            found = _BYTE_LINE_BREAK.search(buffer, pos, pos + limit + 1)
            # (a \r at the end of what was read may be the first half of \r\n)
            if found and (found.end() < len(buffer) or found.group() != b"\r" or self.eof):
                end = min(found.end(), pos + limit)
            elif len(buffer) - pos >= limit or (self.eof and not found):
                end = min(len(buffer), pos + limit)
            else:
                chunk = self.raw.read(_BLOCK_BYTES)
                self.buffer, self.pos, self.eof = buffer[pos:] + chunk, 0, not chunk
                continue
            self.pos = end
            return buffer[pos:end]


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
    base = 0  # the line before the reader's first: a reader started again after an open quote
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # e.g. a bare carriage return inside an unquoted field: keep the raw record
            first, last = previous_line + 1, base + reader.line_num
            previous_line = lines.keep_from = last
            raw = lines.text_of(first, last).rstrip("\r\n")
            status = "too_long" if any(first <= n <= last for n in lines.cut_lines) else "malformed_line"
            yield Row(_fit(raw.split(delimiter), columns, delimiter), status, first, columns)
            continue
        first, last = previous_line + 1, base + reader.line_num
        if lines.ended and first <= lines.number < last:
            # The file ended inside a quoted field (a stray quote, 3,"付款失败 he said): it would
            # swallow every row after it. The lines up to the one that opened it are one
            # malformed record, and the lines after it are read again as rows.
            opening = min(max(first, lines.opening_line(fields[-1] if fields else "")), lines.number)
            raw = lines.text_of(first, opening).rstrip("\r\n")
            cut = any(first <= n <= opening for n in lines.cut_lines)
            yield Row(
                _fit(raw.split(delimiter), columns, delimiter),
                "too_long" if cut else "malformed_line",
                first,
                columns,
            )
            previous_line = lines.keep_from = base = opening
            reader = csv.reader(chain.from_iterable(lines.reread_after(opening)), delimiter=delimiter)
            continue
        previous_line = lines.keep_from = last
        if not fields:
            continue  # an empty physical line is not a record
        status = "ok"
        if lines.bad_lines and any(n in lines.bad_lines for n in range(first, last + 1)):
            status = "decode_error"
        if lines.cut_lines and any(first <= n <= last for n in lines.cut_lines):
            status = "too_long"  # cut at MAX_RECORD_CHARS: kept in part, not classified
        if len(fields) != width:
            if status == "ok":
                status = "malformed_line"
            fields = _fit(fields, columns, delimiter)
        yield Row(fields, status, first, columns)


def _ends_at_lone_cr(head: bytes) -> bool:
    """Whether a file whose first bytes are ``head`` ends its lines mostly at a lone ``\\r``."""
    return head.count(b"\r") - head.count(b"\r\n") > head.count(b"\n")


# the line Excel reads as the delimiter's name, before the header (sep=; or "sep=;")
_SEP_LINE = re.compile(r'\ufeff?\s*"?sep=([^\r\n"])"?\s*$', re.IGNORECASE)


def _open_csv(stream: IO[bytes], encoding: str, forced_delimiter: str | None, fmt: str) -> Table:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    lines = _DecodedLines(stream, encoding, lone_cr=_ends_at_lone_cr(head))
    sample = head.decode(encoding.replace("-sig", ""), "replace")
    warnings: list[str] = []
    directive = _SEP_LINE.match(next((line for line in sample.splitlines() if line.strip()), ""))
    if fmt == "tsv":
        delimiter = "\t"
    elif directive and not forced_delimiter:  # sep=; on the first line, for Excel: no header
        delimiter = directive.group(1)
    elif forced_delimiter:
        delimiter = "\t" if forced_delimiter in ("\\t", "tab") else forced_delimiter
        if len(delimiter) != 1 or delimiter in '\r\n"':
            raise InputFileError(
                f"--delimiter must be one character other than a quote or line break (or '\\t'); "
                f"got {forced_delimiter!r}"
            )
        sniffed = _sniff_delimiter(sample)
        header_line = next((line for line in sample.splitlines() if line.strip()), "")
        if delimiter not in header_line and sniffed != delimiter and sniffed in header_line:
            warnings.append(
                f"--delimiter {forced_delimiter!r} does not occur in the header (every line is one "
                f"field); the file looks delimited by {sniffed!r}"
            )
    else:
        delimiter = _sniff_delimiter(sample)
    reader = csv.reader(chain.from_iterable(lines.blocks()), delimiter=delimiter)
    header: list[str] | None = None
    try:
        for header in reader:
            if header and any(h.strip() for h in header):
                if directive:  # (the sep= line)
                    directive = None
                    continue
                break
        else:
            header = None
    except csv.Error as exc:
        raise InputFileError(f"cannot read the header row: {exc}") from None
    if not header:
        raise InputFileError("the file is empty: no header row found")
    if lines.ended and reader.line_num > lines.number:
        opening = lines.opening_line(header[-1])
        raise InputFileError(
            f"the header row opens a quote on line {opening} that is never closed; "
            "fix the header (or remove the stray quote) and try again"
        )
    columns = _unique_columns(header)
    table = Table(columns, _csv_rows(lines, delimiter, columns, reader), encoding, fmt, delimiter)
    table.warnings.extend(warnings)
    return table


def _open_lines(stream: IO[bytes], encoding: str) -> Table:
    """A plain text file: each non-blank line is one complaint, in a column named ``text``, after
    its line number (``line``: 1-based, blank lines counted, so it is the number an editor shows).
    Lines end at ``\\n``, or at a lone ``\\r`` in a file whose lines mostly do (as a CSV's)."""
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    lines = _DecodedLines(stream, encoding, lone_cr=_ends_at_lone_cr(head))
    columns = [LINE_NUMBER_COLUMN, LINES_COLUMN]

    def rows() -> Iterator[Row]:
        for text in lines:
            text = text.rstrip("\r\n")
            if text.strip():
                number = lines.number
                status = (
                    "too_long"
                    if number in lines.cut_lines
                    else "decode_error"
                    if number in lines.bad_lines
                    else "ok"
                )
                yield Row([number, text], status, number, columns)

    return Table(columns, rows(), encoding, "lines")


# JSON Lines: at most this many distinct keys become columns (in order of first appearance);
# each record's other keys go, as one JSON object, into the column MORE_KEYS_COLUMN. A file of
# 100,000 distinct keys would otherwise give every row 100,000 cells (gigabytes per chunk).
MAX_JSONL_COLUMNS = 1000
MORE_KEYS_COLUMN = "more_keys"
# A JSON line nested deeper than this is malformed_line: no complaint export nests beyond a
# few levels, and json (and the writers' json.dumps) would overflow the stack on 100,000.
MAX_JSON_DEPTH = 100


def _open_jsonl(stream: IO[bytes], encoding: str) -> Table:
    """JSON Lines: the columns are every key of every object, in order of first appearance (a
    first pass collects them; stdin is spooled to a temporary file for it), at most
    MAX_JSONL_COLUMNS of them: the keys after those are kept per record, as one JSON object, in a
    last column named ``more_keys`` (with a warning). A line that is not a JSON object (or is
    nested more than MAX_JSON_DEPTH levels deep) is ``malformed_line``."""
    closers: list[Callable[[], object]] = []
    if not _seekable(stream):
        spool = tempfile.TemporaryFile()
        shutil.copyfileobj(stream, spool, _BLOCK_BYTES)
        spool.seek(0)
        stream, closers = spool, [spool.close]
    start = stream.tell()
    keys: dict[str, None] = {}
    more = False  # keys beyond MAX_JSONL_COLUMNS
    seen_line = False
    scan = _DecodedLines(stream, encoding)
    for text in scan:
        if not text.strip():
            continue
        seen_line = True
        if scan.number in scan.cut_lines:
            continue
        record = _parse_json_line(text)
        if record is None:
            continue
        if more:
            continue
        if _SURROGATE_ESCAPE.search(text):
            record = _without_surrogates(record)
        for key in map(str, record):
            if key not in keys:
                if len(keys) == MAX_JSONL_COLUMNS:
                    more = True
                    break
                keys[key] = None
    if not seen_line:
        for close in closers:
            close()
        raise InputFileError("the file is empty: no JSON lines found")
    stream.seek(start)
    names = list(keys) or ["text"]
    columns = _unique_columns(names + [MORE_KEYS_COLUMN] if more else names)
    warnings = []
    if more:
        warnings.append(
            f"the JSON objects have more than {MAX_JSONL_COLUMNS} distinct keys: the first "
            f"{MAX_JSONL_COLUMNS} are columns, the others of each record are kept as one JSON object "
            f"in the column {columns[-1]!r}"
        )
    kept = set(names)
    lines = _DecodedLines(stream, encoding)

    def rows() -> Iterator[Row]:
        width = len(columns)
        for text in lines:
            if not text.strip():
                continue
            number = lines.number
            record = None if number in lines.cut_lines else _parse_json_line(text)
            if record is None:  # the raw line, in the first column
                status = "too_long" if number in lines.cut_lines else "malformed_line"
                yield Row([text.rstrip("\r\n")] + [None] * (width - 1), status, number, columns)
                continue
            status = "decode_error" if number in lines.bad_lines else "ok"
            if _SURROGATE_ESCAPE.search(text):
                cleaned = _without_surrogates(record)
                if cleaned != record:
                    record, status = cleaned, "decode_error"
            record = {str(k): v for k, v in record.items()}
            fields = [record.get(name, _ABSENT) for name in names]
            absent = tuple(i for i, value in enumerate(fields) if value is _ABSENT)
            if absent:
                for i in absent:
                    fields[i] = None
            if more:
                fields.append({k: v for k, v in record.items() if k not in kept} or None)
            yield Row(fields, status, number, columns, absent)

    table = Table(columns, rows(), encoding, "jsonl", None, closers)
    table.warnings.extend(warnings)
    return table


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, ValueError, OSError):
        return False


def _parse_json_line(text: str) -> dict[str, Any] | None:
    """The JSON object of a line; None for anything else (not JSON, not an object, a number
    too long for Python, nested more than MAX_JSON_DEPTH levels)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError; an integer of over 4,300 digits
        return None
    if not isinstance(value, dict):
        return None
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH and _depth(value) > MAX_JSON_DEPTH:
        return None
    return value


# a JSON escape of a surrogate (\ud83d): alone (half an emoji, as JavaScript writes a string cut
# inside a pair) it is no character, and no UTF-8 writer can write it
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """``value`` (a parsed JSON value) with every lone surrogate, in keys and strings, replaced
    by U+FFFD, as a decoder replaces bytes it cannot read."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _depth(value: object) -> int:
    """How deeply lists and objects nest in ``value`` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _open_xlsx(stream: IO[bytes]) -> Table:
    try:
        import openpyxl  # the [excel] extra
    except ImportError:
        raise MissingExtraError(
            "reading .xlsx needs openpyxl: pip install 'complaint-classifier[excel]'"
        ) from None
    closers: list[Callable[[], object]] = []
    if not _seekable(stream):  # stdin: the zip directory is at the end
        spool = tempfile.TemporaryFile()
        shutil.copyfileobj(stream, spool, _BLOCK_BYTES)
        spool.seek(0)
        stream, closers = spool, [spool.close]
    try:
        _check_workbook_size(stream)
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except InputFileError:
        for close in closers:
            close()
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        for close in closers:
            close()
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

    return Table(columns, rows(), "", "xlsx", None, [book.close, *closers])  # no text encoding


# What a workbook may expand to: openpyxl holds the shared strings in memory (a few bytes of
# XML each can become a Python string of 50), and zip bombs compress a thousandfold.
MAX_XLSX_BYTES = 512 << 20
MAX_XLSX_SHARED_STRINGS = 16 << 20
MAX_XLSX_RATIO = 200


def _check_workbook_size(stream: IO[bytes]) -> None:
    """Refuse a workbook whose parts would expand beyond the limits above (from the sizes in
    the zip directory; zipfile never inflates a part beyond its recorded size)."""
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputFileError(f"cannot read the workbook: {exc}") from None
    finally:
        stream.seek(start)
    total = 0
    for part in parts:
        total += part.file_size
        big = part.file_size > (8 << 20)
        if big and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            raise InputFileError(
                f"the workbook's {part.filename} expands {part.file_size // max(part.compress_size, 1)}-fold "
                f"(to {part.file_size >> 20} MB): refusing a likely zip bomb; save the sheet as CSV"
            )
        if part.filename.lower().endswith("sharedstrings.xml") and part.file_size > MAX_XLSX_SHARED_STRINGS:
            raise InputFileError(
                f"the workbook's shared strings take {part.file_size >> 20} MB (at most "
                f"{MAX_XLSX_SHARED_STRINGS >> 20} MB are read); save the sheet as CSV"
            )
    if total > MAX_XLSX_BYTES:
        raise InputFileError(
            f"the workbook expands to {total >> 20} MB (at most {MAX_XLSX_BYTES >> 20} MB are read); "
            "save the sheet as CSV"
        )


_BINARY_MAGIC = (
    b"\x7fELF",
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"MZ",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
)


_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: .xls, .doc
# bytes below 0x20 other than tab, line feed and carriage return: no encoding of Chinese text
# writes them (GB18030 and UTF-8 multi-byte sequences use bytes from 0x30 up)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _looks_binary(head: bytes) -> bool:
    """An executable, image, PDF, archive or old Office file (by its first bytes), or bytes of
    which more than 2% (and more than 64) are NUL or other control bytes: not a damaged text
    file whose rows can be kept, but the wrong file."""
    if head.startswith(_BINARY_MAGIC + (_OLD_EXCEL,)):
        return True
    sample = head[: 64 << 10]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(64, 0.02 * len(sample))


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
        try:
            stream = open(file, "rb")
        except OSError as exc:
            raise InputFileError(f"cannot read {path}: {exc.strerror}") from None
        closers = [stream.close]
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        for close in closers:
            close()
        raise InputFileError(f"{'stdin' if path == '-' else path} is empty")
    fmt = _format_for(path, head, read.format)
    try:
        if fmt != "xlsx":
            detect_encoding(head, read.encoding)  # a refused encoding says so first
            if not read.encoding and _looks_binary(head):
                sample = head[: 64 << 10]
                even, odd, half = sample[0::2].count(0), sample[1::2].count(0), len(sample) / 2
                wide = (even > 0.4 * half and odd < 0.1 * half) or (odd > 0.4 * half and even < 0.1 * half)
                if sample.startswith(_OLD_EXCEL):
                    raise InputFileError(
                        f"{path} is an old Excel (.xls) or Office file, not text; "
                        "save it as .xlsx or CSV (UTF-8) and try again"
                    )
                if wide and not sample.startswith(_BINARY_MAGIC):
                    raise InputFileError(
                        f"{path} looks like UTF-16 or UTF-32 text; save it as UTF-8 and try again"
                    )
                raise InputFileError(
                    f"{path} looks like a binary file, not text; give a CSV, TSV, JSON Lines or .xlsx file"
                )
    except InputFileError:
        for close in closers:
            close()
        raise
    try:
        if fmt == "xlsx":
            table = _open_xlsx(stream)
        else:
            enc = detect_encoding(head, read.encoding)
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
