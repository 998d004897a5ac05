"""Lookup tables kept on disk between runs: a new process loads a model's tables instead of building them.

The batch paths read a model's vocabularies through hash tables and packed arrays
(:mod:`.tables`, :mod:`.kernel`, :mod:`.kernel_reasons`). Building them from the term lists
takes about 0.3 s per run for the bundled model and leaves tens of MB of freed temporaries in
the process; loading them takes a few hundredths of a second. They are kept in the cache
folder's ``tables/`` (private to this user, as the compiled kernel's folder), one ``.npz`` per
table kind and key, read with ``allow_pickle=False`` and only while its sha256 is the one
recorded when it was written. Anything missing, refused or malformed is built again.

The key is the model's lean files (their sha256, verified when the model was loaded) and the
source of the modules that build the tables, so a new model or a new version builds its own.
``COMPLAINT_CLASSIFIER_TABLE_CACHE=0`` turns the cache off.

>>> TableCache(None).get("demo", lambda: {"x": np.arange(3)}, dict, dict)
{'x': array([0, 1, 2])}
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import numpy as np

from ..fileformat import sha256_file
from ..paths import private_cache_folder

__all__ = ["TableCache", "model_key"]

T = TypeVar("T")
Arrays = Mapping[str, np.ndarray]

_DISABLE = "COMPLAINT_CLASSIFIER_TABLE_CACHE"
_KEEP = 4  # entries kept per kind: the most recently used models' (about 35 MB a model)
_HERE = Path(__file__).resolve().parent
# the modules whose code decides what the tables hold
_BUILDERS = sorted(_HERE.glob("*.py")) + sorted((_HERE.parent / "text").glob("*.py"))


def model_key(lean_files: Mapping[str, str] | None) -> str | None:
    """The cache key of a model whose lean files have these sha256s (None: no cache)."""
    if not lean_files:
        return None
    digest = hashlib.sha256(json.dumps(dict(sorted(lean_files.items()))).encode())
    try:
        for path in _BUILDERS:
            digest.update(path.read_bytes())
    except OSError:  # sources not on disk (a zipped install): nothing to key the tables on
        return None
    return digest.hexdigest()[:32]


class TableCache:
    """Tables of one model, each loaded from disk if it was built before, else built and saved."""

    def __init__(self, key: str | None) -> None:
        self.key = None if os.environ.get(_DISABLE, "1") == "0" else key

    def get(
        self,
        kind: str,
        build: Callable[[], T],
        save: Callable[[T], Arrays],
        load: Callable[[Arrays], T],
    ) -> T:
        """The ``kind`` tables: ``load(arrays)`` of the saved arrays, or ``build()`` (then saved
        as ``save(tables)``). ``load`` raises LeanUnsupported (or KeyError for a missing array) on
        arrays it cannot use."""
        if self.key is None:
            return build()
        try:
            folder = private_cache_folder("tables")
        except OSError:
            return build()
        path = folder / f"{kind}-{self.key}.npz"
        arrays = self._read(path)
        if arrays is not None:
            try:
                return load(arrays)
            except (KeyError, ValueError):  # LeanUnsupported is a ValueError
                pass
        tables = build()
        self._write(folder, kind, path, save(tables))
        return tables

    @staticmethod
    def _read(path: Path) -> dict[str, np.ndarray] | None:
        record = path.with_suffix(".sha256")
        try:
            if record.read_text("ascii").strip() != sha256_file(path):
                return None
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, EOFError):
            return None
        try:
            os.utime(record)  # recently used: kept when the folder is pruned
        except OSError:
            pass  # a read-only cache is still read
        return arrays

    @staticmethod
    def _write(folder: Path, kind: str, path: Path, arrays: Arrays) -> None:
        """Save atomically (the arrays, then their sha256), then drop the oldest entries."""
        partial = record = None
        try:
            fd, partial = tempfile.mkstemp(dir=folder, prefix=".tables-", suffix=".npz")
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)  # type: ignore[arg-type]  # NumPy's stubs mistype **arrays
            digest = sha256_file(Path(partial))
            fd, record = tempfile.mkstemp(dir=folder, prefix=".tables-", suffix=".sha256")
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(digest + "\n")
            os.replace(partial, path)
            os.replace(record, path.with_suffix(".sha256"))
            entries = sorted(folder.glob(f"{kind}-*.sha256"), key=lambda p: p.stat().st_mtime)
            for old in entries[:-_KEEP]:
                old.with_suffix(".npz").unlink(missing_ok=True)
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written: the next run builds the tables again
        finally:
            for leftover in (partial, record):
                if leftover and os.path.exists(leftover):
                    os.unlink(leftover)
