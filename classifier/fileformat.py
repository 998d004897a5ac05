"""The model directory's file format: a JSON sidecar that vouches for every file beside it.

A model directory holds ``model.json`` (the sidecar: labels, threshold, settings, library
versions, metrics and the sha256 of every model file) and the files each engine writes for
itself (``model.joblib`` for the scikit-learn estimator, ``lean.npz`` + ``lean.json`` for the
lean engine). Engines save and load themselves with the helpers here; this module knows no
engine. Loading checks the sidecar first — compatible versions, matching hashes — because
unpickling runs code from the file. Bottom layer: imports only ``errors``, ``labels``,
``paths`` and ``_version``.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import InputFileError, ModelIntegrityError, ModelNotFoundError, ModelVersionError
from .labels import LABELS
from .paths import default_dir_mode, default_file_mode, default_model_dir

__all__ = [
    "FORMAT",
    "MODEL_FILE",
    "SIDECAR_FILE",
    "check_compatible",
    "check_plain_name",
    "library_version",
    "library_versions",
    "model_directory",
    "read_sidecar",
    "sha256_file",
    "validate_sidecar",
    "verify_file",
    "write_atomically",
    "write_model_directory",
    "write_sidecar",
]

MODEL_FILE = "model.joblib"
SIDECAR_FILE = "model.json"
FORMAT = 1

Sidecar = dict[str, Any]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def check_plain_name(name: object, where: Path) -> str:
    """``name`` if it is a plain file name inside the model directory (no folder, no ``..``).

    >>> check_plain_name("lean.npz", Path("m"))
    'lean.npz'
    """
    if (
        not isinstance(name, str)
        or name in ("", ".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or os.path.basename(name) != name
    ):
        raise ModelIntegrityError(
            f"{where / SIDECAR_FILE} names the file {name!r}; model files must be plain names inside "
            "the model directory. Refusing to load it: restore the sidecar or retrain."
        )
    return name


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def validate_sidecar(data: object, where: Path) -> Sidecar:
    """``data`` if it has the shape of a ``model.json`` sidecar; else one clear error.

    The one schema: required keys and their types, hashes as 64 hex digits, file names plain
    names inside the directory. Extra keys (metrics, notes) are allowed.
    """
    sidecar_path = where / SIDECAR_FILE

    def bad(problem: str) -> str:
        return (
            f"model sidecar {sidecar_path} is not valid: {problem}. Refusing to load it: restore "
            "the model directory or retrain with `complaint-classifier train`."
        )

    if not isinstance(data, dict):
        raise ModelIntegrityError(bad(f"expected a JSON object, found {_kind(data)}"))
    required: dict[str, tuple[type, ...]] = {
        "format": (int,),
        "model_file": (str,),
        "model_sha256": (str,),
        "lean_files": (dict,),
        "labels": (list,),
        "classes": (list,),
        "threshold": (int, float),
        "tokenizer": (dict,),
        "versions": (dict,),
    }
    for key, types in required.items():
        if key not in data:
            raise ModelIntegrityError(bad(f"the key {key!r} is missing"))
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, types):
            raise ModelIntegrityError(
                bad(f"{key!r} is {_kind(value)}, expected {' or '.join(t.__name__ for t in types)}")
            )
    check_plain_name(data["model_file"], where)
    if not _HEX64.match(data["model_sha256"]):
        raise ModelIntegrityError(bad("'model_sha256' is not a sha256 (64 hex digits)"))
    for name, digest in data["lean_files"].items():
        check_plain_name(name, where)
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise ModelIntegrityError(bad(f"the hash of lean file {name!r} is not a sha256 (64 hex digits)"))
    for key in ("labels", "classes"):
        if not all(isinstance(v, str) for v in data[key]):
            raise ModelIntegrityError(bad(f"{key!r} must be a list of strings"))
    if not 0 <= data["threshold"] <= 1:
        raise ModelIntegrityError(bad(f"'threshold' {data['threshold']!r} is not between 0 and 1"))
    tokenizer_hash = data["tokenizer"].get("sha256")
    if not isinstance(tokenizer_hash, str) or not _HEX64.match(tokenizer_hash):
        raise ModelIntegrityError(
            bad("'tokenizer' has no sha256 of the dictionaries the model was trained with")
        )
    if not all(isinstance(v, str) for v in data["versions"].values()):
        raise ModelIntegrityError(bad("'versions' must map names to version strings"))
    return data


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in megabyte blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_version(dist: str) -> str:
    """The installed version of a distribution, or ``"not installed"``."""
    from importlib import metadata  # 25 ms of imports: only when a version is needed

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def library_versions() -> dict[str, str]:
    """Versions of everything that shapes a model's behaviour."""
    return {
        "classifier": __version__,
        "python": platform.python_version(),
        "scikit-learn": library_version("scikit-learn"),
        "numpy": library_version("numpy"),
        "scipy": library_version("scipy"),
        "jieba": library_version("jieba"),
        "rjieba": library_version("rjieba"),
        "opencc": library_version("opencc"),
        "joblib": library_version("joblib"),
    }


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def model_directory(path: str | os.PathLike[str] | None) -> Path:
    """The model directory meant by ``path``: itself, the folder of a file in it, or the bundled one."""
    if path is None:
        return default_model_dir()
    directory = Path(path)
    return directory.parent if directory.is_file() else directory


def write_atomically(target: Path, write: Callable[[str], object]) -> None:
    """Call ``write(temp_path)`` and move the result to ``target``: a crash never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, default_file_mode())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_model_directory(
    directory: str | os.PathLike[str], write: Callable[[Path], object], *, owned: Collection[str] = ()
) -> Path:
    """Write a model into ``directory`` so that no failure or interruption (disk full, Ctrl-C, a
    crash) loses the model it held or leaves a temporary file behind.

    ``write(folder)`` writes every file of the new model into an empty staging folder beside
    ``directory`` (same file system); once they are all on disk:

    - a new or empty ``directory`` is replaced by the staging folder in one rename;
    - a model folder (it has a sidecar) is exchanged with the staging folder in one step (an
      atomic exchange where the system has one, else renamed aside and the new one renamed in),
      the folder's other entries carried over: at every instant the path holds either the whole
      old model or the whole new one, and the old folder is removed only after the swap;
    - a folder of other files (training with ``force``), or a model folder whose parent cannot
      take a staging folder, gets the staged files moved in one by one, the sidecar last.

    ``owned`` names the files model writers write: the old model's, which the new model
    replaces, are not carried over. A symlink to a folder keeps pointing at the new model.
    """
    target = Path(os.path.realpath(directory))
    if os.path.lexists(target) and not target.is_dir():
        raise InputFileError(f"{directory} is a file; give a folder for the model")
    existing = target.is_dir()
    if existing and not (target / SIDECAR_FILE).is_file() and any(target.iterdir()):
        _write_beside(target, write)  # a folder of other files: there is no model to keep
        return Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new"))
    except OSError:
        if not existing:
            raise
        _write_beside(target, write)  # e.g. the parent folder is not writable
        return Path(directory)
    if existing and os.stat(stage).st_dev != os.stat(target).st_dev:  # a mount point: no rename across
        shutil.rmtree(stage, ignore_errors=True)
        _write_beside(target, write)
        return Path(directory)
    moved: list[str] = []  # entries of the old folder moved into the staging folder
    old: Path | None = None
    try:
        write(stage)
        _flush_files(stage)
        os.chmod(stage, stat.S_IMODE(os.stat(target).st_mode) if existing else default_dir_mode())
        if existing:
            _carry_over(target, stage, owned, moved)
            old = _swap(stage, target)
        else:
            os.rename(stage, target)
        _sync_folder(target.parent)
    except BaseException:
        if old is None:  # not swapped: the old folder is as it was; give back what was moved
            for name in moved:
                if not os.path.lexists(target / name):
                    os.rename(stage / name, target / name)
            shutil.rmtree(stage, ignore_errors=True)
        else:
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return Path(directory)


def _write_beside(target: Path, write: Callable[[Path], object]) -> None:
    """Stage the model's files in a hidden folder inside ``target``, then move them in (the
    sidecar last, so it never vouches for a file that is not there yet)."""
    stage = Path(tempfile.mkdtemp(dir=target, prefix=".model-", suffix=".tmp"))
    try:
        write(stage)
        _flush_files(stage)
        for name in sorted(os.listdir(stage), key=lambda name: name == SIDECAR_FILE):
            os.replace(stage / name, target / name)
        _sync_folder(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _carry_over(old: Path, new: Path, owned: Collection[str], moved: list[str]) -> None:
    """Give ``new`` the entries of ``old`` that are not model files: files hard-linked (copied
    where links are refused), anything else (folders, links) moved, its name kept in ``moved``."""
    for entry in os.scandir(old):
        if entry.name in owned or os.path.lexists(new / entry.name):
            continue
        if entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, new / entry.name)
            except OSError:
                shutil.copy2(entry.path, new / entry.name)
        else:
            os.rename(entry.path, new / entry.name)
            moved.append(entry.name)


def _swap(new: Path, target: Path) -> Path:
    """Put folder ``new`` at ``target``; returns where the old ``target`` folder now is."""
    if _exchange(new, target):
        return new
    aside = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        if not os.path.lexists(target):
            os.rename(aside, target)
        raise
    return aside


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or file system cannot (or the swap failed), so the caller renames instead."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc before 2.28, musl)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    # on failure (no support: ENOSYS, EINVAL; or a real error) the caller's renames run, and
    # fail with the real error if there is one
    return bool(renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0)


def _flush_files(folder: Path) -> None:
    """Make the files of ``folder`` and their names durable before they replace anything."""
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            fd = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_sidecar(directory: Path, sidecar: Sidecar) -> None:
    """Write ``model.json`` (UTF-8, indented, keys in the order given)."""
    with open(directory / SIDECAR_FILE, "w", encoding="utf-8") as fh:
        json.dump(sidecar, fh, ensure_ascii=False, indent=2, sort_keys=False)
        fh.write("\n")


def read_sidecar(path: str | os.PathLike[str] | None = None) -> Sidecar:
    """Read a model directory's sidecar (``None`` = the bundled default)."""
    directory = Path(path) if path is not None else default_model_dir()
    sidecar_path = directory / SIDECAR_FILE
    if not sidecar_path.is_file():
        hint = (
            "train one with: complaint-classifier train data/complaints.csv -o " + str(directory)
            if path is None
            else "pass the directory written by ComplaintClassifier.save() / complaint-classifier train"
        )
        raise ModelNotFoundError(f"no model sidecar {sidecar_path}; {hint}")
    try:
        data = json.loads(sidecar_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ModelIntegrityError(f"model sidecar {sidecar_path} is not valid JSON ({exc})") from None
    except OSError as exc:
        raise ModelIntegrityError(f"cannot read the model sidecar {sidecar_path}: {exc.strerror}") from None
    return validate_sidecar(data, directory)


def check_compatible(sidecar: Sidecar, where: Path, *, pickled: bool = True) -> None:
    """Refuse a model written in another format, by another major version, or for other labels
    (and, for a pickle, by another scikit-learn minor version)."""
    if sidecar.get("format") != FORMAT:
        raise ModelVersionError(
            f"{where} uses model format {sidecar.get('format')!r}; this version of "
            f"complaint-classifier reads format {FORMAT}. Retrain with `complaint-classifier train`."
        )
    versions = sidecar.get("versions", {})
    # only a pickle depends on scikit-learn's internals; the lean files do not
    if pickled:
        wrote, have = versions.get("scikit-learn", "?"), library_version("scikit-learn")
        if _minor(wrote) != _minor(have):
            raise ModelVersionError(
                f"{where} was written with scikit-learn {wrote} but {have} is installed; pickled "
                f"models are not portable across scikit-learn versions. Install "
                f"scikit-learn=={_minor(wrote)}.* or retrain with `complaint-classifier train`."
            )
    wrote_cc = versions.get("classifier", "?")
    if wrote_cc.split(".")[0] != __version__.split(".")[0]:
        raise ModelVersionError(
            f"{where} was written by complaint-classifier {wrote_cc}; this is {__version__}. "
            "Retrain with `complaint-classifier train`."
        )
    if sidecar.get("labels") != list(LABELS):
        raise ModelVersionError(f"{where} has labels {sidecar.get('labels')}; expected {list(LABELS)}")


def verify_file(directory: Path, name: str, expected: object) -> Path:
    """The path of ``name`` in ``directory`` once its sha256 is the one the sidecar records."""
    file = directory / check_plain_name(name, directory)
    if not file.is_file():
        raise ModelNotFoundError(f"{file} is missing (named in {directory / SIDECAR_FILE})")
    actual = sha256_file(file)
    if actual != expected:
        raise ModelIntegrityError(
            f"{file} has sha256 {actual[:12]}… but its sidecar records {str(expected)[:12]}…; "
            "the file was changed or corrupted. Refusing to load it: restore the file or retrain."
        )
    return file
