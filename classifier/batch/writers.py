"""Write classified rows safely: temp file + rename, formula-safe cells, format by extension."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import stat
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
    "check_output",
    "open_writer",
    "write_text",
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

    Plain numbers such as ``-12.5`` are left alone. The full-width ``＝`` (and ``＋``, ``－``,
    ``＠``) is left alone too: spreadsheets do not run a cell starting with it, and the NFKC
    normalisation that turns it into ``=`` is applied only to the model's copy of a text, never
    to what is written.

    >>> neutralise_formula("=1+1"), neutralise_formula("-12.5"), neutralise_formula("退款")
    ("'=1+1", '-12.5', '退款')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


# formats a file name may ask for that are not written: refused rather than CSV under that name
_UNWRITTEN = (".parquet", ".xls", ".xlsm", ".xlsb", ".ods", ".json", ".feather", ".arrow", ".pkl", ".zip")
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "xlsx")


def output_format(path: str, forced: str | None = None) -> str:
    """The output format: ``forced`` if given, else what the file name asks for (CSV unless it
    says .jsonl, .xlsx or .tsv).

    Names of formats this package does not write (``.parquet``, ``.xls`` …) are refused.
    """
    if forced is not None:
        if forced not in OUTPUT_FORMATS:
            raise InputFileError(f"unknown output format {forced!r}; use one of {', '.join(OUTPUT_FORMATS)}")
        return forced
    suffix = Path(path).suffix.lower()
    if suffix in _UNWRITTEN:
        raise InputFileError(
            f"cannot write {suffix} files; name the output .csv, .tsv, .jsonl or .xlsx "
            "(Parquet: use --engine dask with Parquet inputs)"
        )
    named = format_for_suffix(path)
    return named if named in OUTPUT_FORMATS else "csv"


class Writer:
    """An output being written: rows or rendered text in, a complete file at :meth:`commit`."""

    _fh: TextIO | None

    def __init__(self, path: str, columns: list[str], fmt: str, *, force: bool = False) -> None:
        self.path = path
        self.columns = columns
        self.format = fmt
        self._tmp: str | None = None
        self._force = force
        self._in_place = False
        if path == "-":
            self._fh = sys.stdout
            self._binary = None
        elif _is_special(path):
            # a device or pipe (/dev/null, /proc/self/fd/1): written in place, never replaced
            if fmt == "xlsx":
                raise InputFileError(f"cannot write .xlsx to {path}, which is not a regular file")
            self._in_place = True
            self._fh = open(path, "w", encoding="utf-8-sig" if fmt in ("csv", "tsv") else "utf-8", newline="")
        else:
            target = Path(path)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, self._tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            except FileExistsError:
                raise InputFileError(f"cannot create the folder of {path}: a file is in the way") from None
            except NotADirectoryError:
                raise InputFileError(f"cannot write {path}: part of its folder is a file") from None
            except PermissionError:
                raise InputFileError(f"cannot write into {target.parent}: permission denied") from None
            except OSError as exc:
                raise InputFileError(f"cannot write {path}: {exc.strerror}") from None
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
            self._sheet_rows = 1

    def write(self, rows: Rendered) -> None:
        """Write rows (lists in column order), or text :func:`render` made for this format."""
        if isinstance(rows, str):
            assert self._fh is not None
            self._fh.write(rows)
        elif self.format == "xlsx":
            for row in _spreadsheet_safe(rows):
                if self._sheet_rows >= MAX_XLSX_ROWS:
                    raise InputFileError(
                        f"an .xlsx sheet holds at most {MAX_XLSX_ROWS:,} rows with its header, and this "
                        "output has more; write it as .csv, .tsv or .jsonl"
                    )
                self._sheet.append(row)
                self._sheet_rows += 1
        else:
            assert self._fh is not None
            self._fh.write(render(rows, self.columns, self.format) or "")

    def commit(self) -> None:
        """Finish the output: flush stdout, or move the finished temp file into place (without
        ``force``, only if nothing has appeared at the destination meanwhile)."""
        assert self._tmp is not None or self._fh is sys.stdout or self._in_place
        if self.format == "xlsx":
            assert self._tmp is not None  # (never written in place: refused in __init__)
            _save_book(self._book, self._tmp)
        elif self._fh is sys.stdout:
            self._fh.flush()
            return
        elif self._fh is not None:
            self._fh.close()
        if self._in_place:
            return
        assert self._tmp is not None
        os.chmod(self._tmp, default_file_mode())
        _move_into_place(self._tmp, self.path, self._force)
        self._tmp = None

    def abort(self) -> None:
        """Drop a half-written output (its temp file)."""
        if self.format == "xlsx" and getattr(self, "_sheet", None) is not None:
            # finish the sheet's rows (openpyxl removes its own temp file at exit), so that its
            # writer is not left open to be finished when it is collected
            with contextlib.suppress(Exception):
                self._sheet.close()
            self._sheet = None
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
    return _csv_text(list(_spreadsheet_safe(rows)), _DELIMITERS[fmt])


def _csv_text(rows: list[Sequence[Any]], delimiter: str, flagged: Iterable[int] | None = None) -> str:
    """``rows`` as CSV text; the rows holding a cell with a list separator other than ours
    (``flagged``, or found here) have every field quoted.

    A spreadsheet whose list separator is ``;`` (most of Europe) splits an unquoted cell at each
    ``;``, and a piece starting with ``=`` would run as a formula; a quoted field stays whole
    (OWASP: quote every field). Rows without such a cell are written as before.
    """
    if flagged is None:
        flagged = [i for i, row in enumerate(rows) if _has_separator(row, delimiter)]
    buffer = io.StringIO()
    plain = csv.writer(buffer, delimiter=delimiter)
    at = 0
    quoted = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    for i in flagged:
        plain.writerows(rows[at:i])
        quoted.writerow(rows[i])
        at = i + 1
    plain.writerows(rows[at:])
    return buffer.getvalue()


_SEPARATORS = (";", ",")


def _has_separator(row: Sequence[Any], delimiter: str) -> bool:
    return any(
        value.__class__ is str and any(sep in value for sep in _SEPARATORS if sep != delimiter)
        for value in row
    )


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
    delimiter = _DELIMITERS[fmt]
    others = [sep for sep in _SEPARATORS if sep != delimiter]
    flagged: set[int] = set()
    for i in range(len(columns)) if check is None else check:
        columns[i] = _spreadsheet_safe_column(columns[i])
        flagged.update(_with_separator(columns[i], others))
    return _csv_text(list(zip(*columns)), delimiter, sorted(flagged))


def _with_separator(values: list[Any], separators: list[str]) -> list[int]:
    """Positions of the text cells holding one of ``separators`` (one scan of the joined column
    first: most columns hold none)."""
    texts = [v if v.__class__ is str else "" for v in values]
    joined = "\0".join(texts)
    if not any(sep in joined for sep in separators):
        return []
    return [i for i, v in enumerate(texts) if any(sep in v for sep in separators)]


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
    if isinstance(value, (dict, list)):  # a nested JSON value: written as JSON, not a Python repr
        value = json.dumps(value, ensure_ascii=False)
    if value.__class__ is not str:
        return value
    # the control characters a sheet cannot hold (XML 1.0 has no place for them) are left out
    return neutralise_formula(_NOT_IN_A_SHEET.sub("", value))


# what openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE): C0 controls but tab, newline, return
_NOT_IN_A_SHEET = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# rows of an .xlsx sheet (Excel's limit), its header included
MAX_XLSX_ROWS = 1_048_576


def _save_book(book: Any, path: str) -> None:
    """Save a workbook to ``path``; on failure (a full disk) its archive is closed before the error
    goes on, so that nothing tries to finish it again when it is collected."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()  # (closes the archive)
    except BaseException:
        with contextlib.suppress(OSError, ValueError):
            archive.close()
        raise


def _spreadsheet_safe(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Rows with formula-like text neutralised and missing values (None, NaN) written empty."""
    for row in rows:
        yield [_spreadsheet_cell(value) for value in row]


def _is_special(path: str) -> bool:
    """Whether ``path`` exists and is not a regular file or folder (a device, a pipe)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _move_into_place(tmp: str, path: str, force: bool) -> None:
    """Rename the finished ``tmp`` to ``path``; without ``force`` only if ``path`` still does not
    exist (a hard link fails if it does, atomically), so two runs never silently replace each
    other's output."""
    try:
        if force:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise InputFileError(
                f"{path} appeared while this run was writing it (another run?); nothing was "
                "overwritten. Pass --force to overwrite it"
            ) from None
        except OSError:  # a file system without hard links: the next best check
            if os.path.lexists(path):
                raise InputFileError(f"{path} already exists; pass --force to overwrite it") from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _same_as_stdin(target: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(sys.stdin.fileno()), target.stat())
    except (OSError, ValueError, AttributeError):
        return False


def check_output(path: str | os.PathLike[str], *, input_path: str | None = None, force: bool = False) -> None:
    """The rules of every output file (``-o``, ``--summary-json``, Dask parts): never the input
    (a file name, or ``-`` for stdin), an existing file only with ``force``, never a folder.
    Devices and pipes (``/dev/null``) are written in place and need no ``force``."""
    path = str(path)
    if path == "-":
        return
    target = Path(path)
    try:
        exists = target.exists()
    except OSError as exc:
        raise InputFileError(f"cannot use {path} as output: {exc.strerror}") from None
    if not exists:
        return
    if input_path == "-" and _same_as_stdin(target):
        raise InputFileError(f"refusing to overwrite {path}: it is the input being read from stdin")
    if (
        input_path
        and input_path != "-"
        and os.path.exists(input_path)
        and os.path.samefile(target, input_path)
    ):
        raise InputFileError(f"refusing to overwrite the input file {input_path}; choose another output")
    if target.is_dir():
        raise InputFileError(f"{path} is a directory; give an output file name")
    if _is_special(path):
        return
    if not force:
        raise InputFileError(f"{path} already exists; pass --force to overwrite it")


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
    check_output(path, input_path=input_path, force=force)
    return Writer(path, columns, output_format(path, fmt), force=force)


def write_text(
    path: str | os.PathLike[str], text: str, *, input_path: str | None = None, force: bool = False
) -> None:
    """Write a small text file (a run's summary) by the rules of :func:`check_output`: temp file +
    rename, never the input, an existing file only with ``force``."""
    path = str(path)
    check_output(path, input_path=input_path, force=force)
    if path == "-":
        sys.stdout.write(text)
        return
    if _is_special(path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputFileError(f"cannot create the folder of {path}: {exc.strerror}") from None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, default_file_mode())
        _move_into_place(tmp, path, force)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
