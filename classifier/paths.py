"""Where the package keeps and finds things: its cache folder, the bundled model, new files' mode.

Bottom layer: imports nothing of the package but its error tree. Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path

from .errors import CacheFolderError

__all__ = [
    "cache_dir",
    "checkout_root",
    "default_dir_mode",
    "default_file_mode",
    "default_model_dir",
    "package_data",
    "packaged_model_dir",
    "private_cache_folder",
    "project_root",
]


def cache_dir() -> Path:
    """Directory for this package's caches (``$COMPLAINT_CLASSIFIER_CACHE`` or ``~/.cache/…``)."""
    configured = os.environ.get("COMPLAINT_CLASSIFIER_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "complaint-classifier"


def private_cache_folder(name: str) -> Path:
    """The cache folder's ``name/``, created 0700: owned by this user, no access for group or
    others (checked, not assumed; CacheFolderError otherwise). What is kept there is trusted."""
    folder = cache_dir() / name
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise CacheFolderError(
            f"{folder} is not a private folder of this user (owner {info.st_uid}, mode "
            f"{stat.S_IMODE(info.st_mode):o}); make it mode 0700 or remove it"
        )
    return folder


def project_root() -> Path:
    """The repository checkout this package sits in (``data/``, ``models/`` are there)."""
    return Path(__file__).resolve().parent.parent


def checkout_root() -> Path:
    """The clone of this project whose ``data/`` the corpus-reading commands use (bench,
    ``evaluate --real-text``, adapting, the notebooks): the one this package sits in (an editable
    install); else the current folder or one of its parents, when it is a clone (``pip install .``
    run from the clone, a notebook run in ``notebooks/``); else :func:`project_root`.
    """
    here = Path.cwd()
    for folder in (project_root(), here, *here.parents[:3]):
        if _is_checkout(folder):
            return folder
    return project_root()


def _is_checkout(folder: Path) -> bool:
    return (folder / "data" / "complaints.csv").is_file() and (folder / "classifier" / "paths.py").is_file()


def default_model_dir() -> Path:
    """Where the bundled default model lives (inside the wheel, or ``models/default`` in a checkout)."""
    override = os.environ.get("COMPLAINT_CLASSIFIER_MODEL")
    if override:
        return Path(override)
    return packaged_model_dir()


def packaged_model_dir() -> Path:
    """The model shipped with the code (the wheel's ``default_model``, or a checkout's
    ``models/default``), whatever ``$COMPLAINT_CLASSIFIER_MODEL`` says: whoever can write it can
    write the package's code too."""
    packaged = resources.files("classifier").joinpath("default_model")
    if packaged.is_dir():
        return Path(str(packaged))
    return project_root() / "models" / "default"


def package_data(subpackage: str, name: str) -> bytes:
    """A data file shipped inside ``classifier.<subpackage>`` (playbook, user dictionary)."""
    return resources.files(f"classifier.{subpackage}").joinpath(name).read_bytes()


def default_file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (mkstemp's 0600 is too private)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def default_dir_mode() -> int:
    """The mode a plain ``mkdir()`` would give a new folder (mkdtemp's 0700 is too private)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask
