"""Typed exceptions. Each message names the bad value and how to fix it."""

from __future__ import annotations

__all__ = [
    "ClassifierError",
    "ColumnNotFoundError",
    "InputFileError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "ModelVersionError",
    "NotFittedError",
    "PlaybookError",
    "TrainingDataError",
]


class ClassifierError(Exception):
    """Base class for every error this package raises on purpose."""


class NotFittedError(ClassifierError, ValueError):
    """The model was used before ``fit`` or ``load``."""


class ModelNotFoundError(ClassifierError, FileNotFoundError):
    """No model files where one was expected."""


class ModelIntegrityError(ClassifierError):
    """The model file does not match the sha256 recorded in its sidecar."""


class ModelVersionError(ClassifierError):
    """The model was written by an incompatible version of this package or its libraries."""


class InputFileError(ClassifierError):
    """An input file is missing, empty, unreadable or in an unknown format."""


class ColumnNotFoundError(InputFileError, KeyError):
    """The text column is not in the input."""

    def __str__(self):  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ResultColumnError(ClassifierError, ValueError):
    """A requested result column does not exist."""


class TrainingDataError(ClassifierError, ValueError):
    """Training data is unusable (unknown labels, too few rows per label …)."""


class PlaybookError(ClassifierError):
    """The bundled playbook is malformed."""
