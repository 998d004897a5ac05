"""Labelled CSVs for training and evaluation, read into a DataFrame of strings.

The encoding is detected as for classifying (:func:`classifier.charsets.detect_encoding`:
BOM, UTF-8, then Big5 or GB18030, which reads GBK), so a GBK export trains as its UTF-8 copy
would; a UTF-8 file is read exactly as ``pandas.read_csv(path, dtype=str,
keep_default_na=False, encoding="utf-8-sig")`` reads it. Whatever is wrong with the file (empty,
a workbook, undecodable bytes, an unclosed quote) is one
:class:`~classifier.errors.InputFileError` naming the file and the fix.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..charsets import detect_encoding
from ..errors import InputFileError

__all__ = ["read_labelled_csv"]

_SNIFF_BYTES = 1 << 20
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def read_labelled_csv(path: str | os.PathLike[str], raw: bytes | None = None) -> Any:
    """The rows of the CSV file ``path`` as a DataFrame of strings (blank cells are ``""``).

    ``raw``: the file's bytes, when the caller has read them already (to hash them).

    >>> read_labelled_csv("data/complaints.csv").columns[:3].tolist()   # doctest: +SKIP
    ['id', 'text', 'label']
    """
    import pandas as pd  # training and evaluation need pandas; classifying does not

    path = Path(path)
    if raw is None:
        if not path.is_file():
            raise InputFileError(f"no such file: {path}")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputFileError(f"cannot read {path}: {exc.strerror}") from None
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InputFileError(f"{path} is empty; a labelled CSV needs a header row (text,label,…) and rows")
    if raw.startswith(b"PK\x03\x04") or path.suffix.lower() in _WORKBOOK_SUFFIXES:
        raise InputFileError(
            f"{path} is a spreadsheet workbook, not a CSV file; save its sheet as CSV (UTF-8) and try again"
        )
    try:
        encoding = detect_encoding(raw[:_SNIFF_BYTES])
    except InputFileError as exc:
        raise InputFileError(f"{path}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"{path} is not all {encoding.upper()} text: line {line} holds bytes that are not "
            f"({raw[exc.start : exc.start + 4]!r}); save the whole file as UTF-8 and try again"
        ) from None
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputFileError(
            f"{path} has no header row; a labelled CSV starts with one (text,label,…)"
        ) from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().removeprefix("Error tokenizing data. C error: ")
        raise InputFileError(
            f"{path} is not a valid CSV file: {detail}. A cell holding a comma, a quote or a line "
            'break must be quoted, a quote inside it doubled ("")'
        ) from None
