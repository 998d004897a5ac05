"""Which engine answers from a model directory, and the bundled default model.

A directory with lean files is answered by the lean engine (no scikit-learn, nothing
unpickled); one without (a setting the lean engine does not implement) by the scikit-learn
estimator. Each engine verifies and loads its own files (:meth:`LeanModel.load`,
:meth:`ComplaintClassifier.load`); this module only picks.
"""

from __future__ import annotations

import os
import threading

from ..engine.lean import LeanModel
from ..engine.scorer import Model
from ..fileformat import model_directory, read_sidecar

__all__ = ["default_model", "load_for_inference"]

_DEFAULT: Model | None = None
_LOCK = threading.Lock()


def load_for_inference(path: str | os.PathLike[str] | None = None) -> Model:
    """The fastest verified model in ``path`` (None = bundled): lean files, else the pickle."""
    if read_sidecar(model_directory(path)).get("lean_files"):
        return LeanModel.load(path)
    # scikit-learn is imported only for a model the lean engine cannot run: answering from lean
    # files must not pay its 0.5 s of imports
    from .estimator import ComplaintClassifier

    return ComplaintClassifier.load(path)


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
