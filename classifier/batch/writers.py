"""Write classified rows safely: temp file + rename, formula-safe cells, format by extension."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputFileError, MissingExtraError
from ..paths import default_file_mode
from .readers import format_for_suffix

__all__ = [
    "OUTPUT_FORMATS",
    "Rendered",
    "Writer",
    "open_writer",
    "neutralise_formula",
    "output_format",
    "render",
    "render_columns",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset("".join(_FORMULA_START))
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_DELIMITERS = {"csv": ",", "tsv": "\t"}

# A chunk's output as a worker hands it over: text in the output's format, or rows (xlsx).
Rendered = str | list[list[Any]]


def neutralise_formula(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM``).

    Plain numbers such as ``-12.5`` are left alone.

    >>> neutralise_formula("=1+1"), neutralise_formula("-12.5"), neutralise_formula("退款")
    ("'=1+1", '-12.5', '退款')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "xlsx")


def output_format(path: str, forced: str | None = None) -> str:
    """The output format: ``forced`` if given, else what the file name asks for (CSV unless it
    says .jsonl, .xlsx or .tsv)."""
    if forced is not None:
        if forced not in OUTPUT_FORMATS:
            raise InputFileError(f"unknown output format {forced!r}; use one of {', '.join(OUTPUT_FORMATS)}")
        return forced
    named = format_for_suffix(path)
    return named if named in OUTPUT_FORMATS else "csv"


class Writer:
    """An output being written: rows or rendered text in, a complete file at :meth:`commit`."""

    _fh: TextIO | None

    def __init__(self, path: str, columns: list[str], fmt: str) -> None:
        self.path = path
        self.columns = columns
        self.format = fmt
        self._tmp: str | None = None
        if path == "-":
            self._fh = sys.stdout
            self._binary = None
        else:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            os.close(fd)
            if fmt == "xlsx":
                self._fh = None
            else:
                # utf-8-sig: Excel opens a BOM-marked CSV as UTF-8 instead of the local code page
                encoding = "utf-8-sig" if fmt in ("csv", "tsv") else "utf-8"
                self._fh = open(self._tmp, "w", encoding=encoding, newline="")
        if fmt in ("csv", "tsv"):
            assert self._fh is not None
            csv.writer(self._fh, delimiter=_DELIMITERS[fmt]).writerow(
                [neutralise_formula(c) for c in columns]
            )
        elif fmt == "xlsx":
            try:
                import openpyxl  # the [excel] extra
            except ImportError:
                self.abort()
                raise MissingExtraError(
                    "writing .xlsx needs openpyxl: pip install 'complaint-classifier[excel]'"
                ) from None
            if path == "-":
                raise InputFileError("cannot write .xlsx to stdout; give an output file name")
            self._book = openpyxl.Workbook(write_only=True)
            self._sheet = self._book.create_sheet()
            self._sheet.append([neutralise_formula(c) for c in columns])

    def write(self, rows: Rendered) -> None:
        """Write rows (lists in column order), or text :func:`render` made for this format."""
        if isinstance(rows, str):
            assert self._fh is not None
            self._fh.write(rows)
        elif self.format == "xlsx":
            for row in _spreadsheet_safe(rows):
                self._sheet.append(row)
        else:
            assert self._fh is not None
            self._fh.write(render(rows, self.columns, self.format) or "")

    def commit(self) -> None:
        """Finish the output: flush stdout, or move the finished temp file into place."""
        assert self._tmp is not None or self._fh is sys.stdout
        if self.format == "xlsx":
            self._book.save(self._tmp)
        elif self._fh is sys.stdout:
            self._fh.flush()
            return
        elif self._fh is not None:
            self._fh.close()
        assert self._tmp is not None
        os.chmod(self._tmp, default_file_mode())
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        """Drop a half-written output (its temp file)."""
        if self._fh not in (None, sys.stdout) and not self._fh.closed:
            self._fh.close()
        if self._tmp and os.path.exists(self._tmp):
            os.remove(self._tmp)
        self._tmp = None


def render(rows: Iterable[Sequence[Any]], columns: list[str], fmt: str) -> str | None:
    """The text of ``rows`` (lists in column order) in a text format; None for xlsx.

    CSV and TSV cells a spreadsheet would run as formulas are neutralised and missing values
    are written empty; JSONL keeps values as they are (missing → null).
    """
    if fmt == "jsonl":
        return "".join(
            json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str) + "\n" for row in rows
        )
    if fmt not in _DELIMITERS:
        return None
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=_DELIMITERS[fmt]).writerows(_spreadsheet_safe(rows))
    return buffer.getvalue()


def render_columns(
    columns: Sequence[list[Any]], names: list[str], fmt: str, *, check: Iterable[int] | None = None
) -> str | None:
    """:func:`render` for data held column by column (lists of equal length), faster for CSV:
    only the cells of the ``check`` columns (positions; default: all) are looked at, so the
    caller leaves out columns it knows hold only labels, statuses or numbers, and rows are
    never built in Python."""
    if fmt not in _DELIMITERS:
        return render([list(row) for row in zip(*columns)], names, fmt)
    columns = list(columns)
    for i in range(len(columns)) if check is None else check:
        columns[i] = _spreadsheet_safe_column(columns[i])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=_DELIMITERS[fmt]).writerows(zip(*columns))
    return buffer.getvalue()


def _spreadsheet_safe_column(values: list[Any]) -> list[Any]:
    suspects = [i for i, v in enumerate(values) if v.__class__ is not str or v[:1] in _FORMULA_CHARS]
    if not suspects:
        return values
    values = list(values)
    for i in suspects:
        values[i] = _spreadsheet_cell(values[i])
    return values


def _spreadsheet_cell(value: Any) -> Any:
    if value is None or value != value:  # missing, or NaN
        return ""
    return neutralise_formula(value) if value.__class__ is str else value


def _spreadsheet_safe(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Rows with formula-like text neutralised and missing values (None, NaN) written empty."""
    for row in rows:
        yield [_spreadsheet_cell(value) for value in row]


def open_writer(
    path: str | os.PathLike[str],
    columns: list[str],
    *,
    input_path: str | None = None,
    force: bool = False,
    fmt: str | None = None,
) -> Writer:
    """Open an output for the given columns; refuses to overwrite the input or, without force, any file.

    ``fmt`` (csv, tsv, jsonl, xlsx) overrides the format the file name asks for (``-`` is CSV).
    """
    path = str(path)
    if path != "-":
        target = Path(path)
        if input_path and input_path != "-" and target.exists() and os.path.samefile(target, input_path):
            raise InputFileError(f"refusing to overwrite the input file {input_path}; choose another -o")
        if target.exists() and not force:
            raise InputFileError(f"{path} already exists; pass --force to overwrite it")
        if target.is_dir():
            raise InputFileError(f"{path} is a directory; give an output file name")
    return Writer(path, columns, output_format(path, fmt))
