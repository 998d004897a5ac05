"""Save and load models: a joblib file plus a JSON sidecar that is checked before unpickling.

Unpickling runs code from the file, so :func:`load_model` first checks that the sidecar's
sha256 matches the model file, that the libraries that wrote it are compatible with the ones
installed, and that the tokenizer's dictionaries are the ones it was trained with.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from importlib import resources
from pathlib import Path

from ._version import __version__
from .errors import ModelIntegrityError, ModelNotFoundError, ModelVersionError
from .labels import LABELS
from .writers import default_file_mode

__all__ = [
    "MODEL_FILE",
    "SIDECAR_FILE",
    "default_model_dir",
    "load_for_inference",
    "load_lean",
    "load_model",
    "read_sidecar",
    "save_model",
]

MODEL_FILE = "model.joblib"
SIDECAR_FILE = "model.json"
FORMAT = 1


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version(dist: str) -> str:
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
        "scikit-learn": _version("scikit-learn"),
        "numpy": _version("numpy"),
        "scipy": _version("scipy"),
        "jieba": _version("jieba"),
        "rjieba": _version("rjieba"),
        "opencc": _version("opencc"),
        "joblib": _version("joblib"),
    }


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def default_model_dir() -> Path:
    """Where the bundled default model lives (inside the wheel, or ``models/default`` in a checkout)."""
    override = os.environ.get("COMPLAINT_CLASSIFIER_MODEL")
    if override:
        return Path(override)
    packaged = resources.files("classifier").joinpath("default_model")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "models" / "default"


def save_model(model, path, *, metadata: dict | None = None) -> Path:
    """Write ``model.joblib`` and ``model.json`` into directory ``path`` (created if needed)."""
    import joblib

    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / MODEL_FILE
    # write to a temp file first so a crash never leaves a half-written model in place
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump(model, tmp, compress=3)
        os.chmod(tmp, default_file_mode())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    from .lean import LeanModel, LeanUnsupported

    try:
        lean_files = LeanModel.from_classifier(model).save(directory)
    except LeanUnsupported:
        lean_files = {}  # e.g. isotonic calibration: answers come from the pickle instead
    tokenizer = model.tokenizer()
    sidecar = {
        "format": FORMAT,
        "model_file": MODEL_FILE,
        "model_sha256": _sha256(target),
        "lean_files": {name: _sha256(path) for name, path in lean_files.items()},
        "labels": list(LABELS),
        "classes": [str(c) for c in model.classes_],
        "threshold": model.threshold_,
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in model.get_params().items()},
        "tokenizer": {
            "settings": tokenizer.settings(),
            "sha256": tokenizer.fingerprint(),
            "backend_at_training": tokenizer.backend_in_use(),
        },
        "training_rows": model.n_training_rows_,
        "versions": library_versions(),
    }
    sidecar.update(metadata or {})
    with open(directory / SIDECAR_FILE, "w", encoding="utf-8") as fh:
        json.dump(sidecar, fh, ensure_ascii=False, indent=2, sort_keys=False)
        fh.write("\n")
    return directory


def read_sidecar(path=None) -> dict:
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
        return json.loads(sidecar_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelIntegrityError(f"model sidecar {sidecar_path} is not valid JSON ({exc})") from None


def _check_compatible(sidecar: dict, where: Path, *, pickled: bool = True) -> None:
    if sidecar.get("format") != FORMAT:
        raise ModelVersionError(
            f"{where} uses model format {sidecar.get('format')!r}; this version of "
            f"complaint-classifier reads format {FORMAT}. Retrain with `complaint-classifier train`."
        )
    versions = sidecar.get("versions", {})
    # only a pickle depends on scikit-learn's internals; the lean files do not
    if pickled:
        wrote, have = versions.get("scikit-learn", "?"), _version("scikit-learn")
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


def _directory(path) -> Path:
    directory = Path(path) if path is not None else default_model_dir()
    if path is not None and Path(path).is_file():
        directory = Path(path).parent
    return directory


def _check_tokenizer(sidecar: dict, settings: dict, directory: Path) -> None:
    from .tokenizer import JiebaTokenizer

    expected = sidecar.get("tokenizer", {}).get("sha256")
    keys = ("user_dict", "hmm", "normalize", "traditional")
    if (
        expected
        and JiebaTokenizer(**{k: settings[k] for k in keys if k in settings}).fingerprint() != expected
    ):
        raise ModelVersionError(
            f"{directory}: the tokenizer dictionaries differ from the ones the model was trained "
            "with (jieba or the bundled user dictionary changed). Retrain with `complaint-classifier train`."
        )


def load_lean(path=None):
    """Verify a model directory and load its lean inference files (no unpickling at all)."""
    from .lean import LeanModel

    directory = _directory(path)
    sidecar = read_sidecar(directory)
    _check_compatible(sidecar, directory, pickled=False)
    hashes = sidecar.get("lean_files")
    if not hashes:
        raise ModelNotFoundError(f"{directory} has no lean inference files; re-save it with this version")
    for name, expected in hashes.items():
        file = directory / name
        if not file.is_file():
            raise ModelNotFoundError(f"{file} is missing (named in {directory / SIDECAR_FILE})")
        if _sha256(file) != expected:
            raise ModelIntegrityError(
                f"{file} does not match the sha256 in its sidecar; the file was changed or corrupted"
            )
    model = LeanModel.from_files(directory)
    _check_tokenizer(sidecar, model.tokenizer_settings(), directory)
    model.metadata_ = sidecar
    return model


def load_for_inference(path=None):
    """The fastest verified model in ``path`` (None = bundled): lean files, else the pickle."""
    if read_sidecar(_directory(path)).get("lean_files"):
        return load_lean(path)
    return load_model(path)


def load_model(path=None):
    """Verify and load a model directory (``None`` = the bundled default model)."""
    import joblib

    from .model import ComplaintClassifier

    directory = _directory(path)
    sidecar = read_sidecar(directory)
    _check_compatible(sidecar, directory)
    model_path = directory / sidecar.get("model_file", MODEL_FILE)
    if not model_path.is_file():
        raise ModelNotFoundError(f"{model_path} is missing (named in {directory / SIDECAR_FILE})")
    actual = _sha256(model_path)
    if actual != sidecar.get("model_sha256"):
        raise ModelIntegrityError(
            f"{model_path} has sha256 {actual[:12]}… but its sidecar records "
            f"{str(sidecar.get('model_sha256'))[:12]}…; the file was changed or corrupted. "
            "Refusing to unpickle it: restore the file or retrain."
        )
    model = joblib.load(model_path)
    if not isinstance(model, ComplaintClassifier):
        raise ModelIntegrityError(f"{model_path} does not hold a ComplaintClassifier")
    _check_tokenizer(sidecar, model.tokenizer().settings(), directory)
    model.metadata_ = sidecar
    return model
