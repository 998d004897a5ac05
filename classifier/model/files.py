"""Which engine answers from a model directory, and the bundled default model.

A directory with lean files is answered by the lean engine (no scikit-learn, nothing
unpickled). One without (a setting the lean engine does not implement) can only be answered by
unpickling the scikit-learn estimator, which runs code from the file: that takes an explicit
``trust_pickle=True``. Each engine verifies and loads its own files (:meth:`LeanModel.load`,
:meth:`ComplaintClassifier.load`); this module only picks.
"""

from __future__ import annotations

import os
import threading

from ..engine.lean import LeanModel
from ..engine.scorer import Model
from ..errors import UntrustedModelError
from ..fileformat import model_directory, read_sidecar

__all__ = ["default_model", "load_for_inference"]

_DEFAULT: Model | None = None
_LOCK = threading.Lock()


def load_for_inference(path: str | os.PathLike[str] | None = None, *, trust_pickle: bool = False) -> Model:
    """The fastest verified model in ``path`` (None = bundled): its lean files (nothing unpickled).

    A model without lean files is unpickled only with ``trust_pickle=True`` (unpickling runs
    code from the file: see :meth:`ComplaintClassifier.load`).
    """
    directory = model_directory(path)
    if read_sidecar(directory)["lean_files"]:
        return LeanModel.load(path)
    if not trust_pickle:
        raise UntrustedModelError(
            f"{directory} has no lean inference files, and answering from its pickle would run code "
            "from the file; re-save it with this version (sigmoid calibration), or load it with "
            "ComplaintClassifier.load(path, trust_pickle=True) if you trust whoever wrote it"
        )
    # scikit-learn is imported only for a model the lean engine cannot run: answering from lean
    # files must not pay its 0.5 s of imports
    from .estimator import ComplaintClassifier

    return ComplaintClassifier.load(path, trust_pickle=True)


def default_model() -> Model:
    """The bundled default model for inference, loaded once per process on first use.

    This is the lean engine (:class:`classifier.engine.lean.LeanModel`): the same numbers as the
    scikit-learn pipeline without importing scikit-learn. ``ComplaintClassifier.load()`` gives
    the full estimator (for refitting, evaluation on training rows, or inspection).
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                _DEFAULT = load_for_inference()
    return _DEFAULT
