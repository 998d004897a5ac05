"""Typed exceptions. Each message names the bad value and how to fix it.

Every exception the package raises on purpose derives from :class:`ClassifierError`; where a
built-in class is what callers would expect (``TypeError`` for a bare string, ``KeyError`` for
a missing column), the subclass inherits it too. Bottom layer: imports nothing of the package.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ClassifierError",
    "CacheFolderError",
    "ColumnNotFoundError",
    "DuplicateColumnError",
    "InputFileError",
    "InvalidInputError",
    "InvalidParameterError",
    "LeanUnsupported",
    "MissingExtraError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "ModelVersionError",
    "NativeKernelError",
    "UntrustedModelError",
    "NoContentError",
    "NotFittedError",
    "PlaybookError",
    "ResultColumnError",
    "UnknownFactError",
    "TrainingDataError",
    "UnknownLabelError",
]


class ClassifierError(Exception):
    """Base class for every error this package raises on purpose."""


class InvalidInputError(ClassifierError, TypeError):
    """An argument has the wrong type (a bare string where a list of texts is expected …)."""


class DuplicateColumnError(InvalidInputError, ValueError):
    """A column the classifier reads (the text column, a fact column) has a name that more than
    one column of a DataFrame has: which of them to read cannot be told."""


class NoContentError(ClassifierError, ValueError):
    """A text has nothing to act on (blank, or flagged ``needs_review``), e.g. for a letter."""


class MissingExtraError(ClassifierError, ImportError):
    """An optional dependency is not installed; the message names the ``pip install``."""


class NotFittedError(ClassifierError, ValueError):
    """The model was used before ``fit`` or ``load``."""


class ModelNotFoundError(ClassifierError, FileNotFoundError):
    """No model files where one was expected."""


class ModelIntegrityError(ClassifierError):
    """The model file does not match the sha256 recorded in its sidecar."""


class UntrustedModelError(ModelIntegrityError):
    """Loading would unpickle a file the caller has not said they trust (unpickling runs code)."""


class ModelVersionError(ClassifierError):
    """The model was written by an incompatible version of this package or its libraries."""


class CacheFolderError(ClassifierError, PermissionError):
    """A cache folder that should be private to this user is not (its contents are not used)."""


class NativeKernelError(ClassifierError, OSError):
    """The compiled kernel cannot be built (the NumPy path answers instead)."""


class LeanUnsupported(ClassifierError, ValueError):
    """The fitted model uses a setting the lean engine does not implement."""


class InputFileError(ClassifierError):
    """An input file is missing, empty, unreadable or in an unknown format."""


class ColumnNotFoundError(InputFileError, KeyError):
    """A needed column is not in the input."""

    @classmethod
    def missing(cls, column: str, available: Iterable[object], hint: str = "") -> ColumnNotFoundError:
        """The one message for a missing column, in every engine and reader.

        >>> str(ColumnNotFoundError.missing("正文", ["编号", "内容"], "use --text-column"))
        "no column '正文'; available: 编号, 内容; use --text-column"
        """
        message = f"no column {column!r}; available: {', '.join(map(str, available))}"
        return cls(f"{message}; {hint}" if hint else message)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ResultColumnError(ClassifierError, ValueError):
    """A requested result column does not exist."""


class TrainingDataError(ClassifierError, ValueError):
    """Training data is unusable (unknown labels, too few rows per label …)."""


class PlaybookError(ClassifierError):
    """The bundled playbook is malformed."""


class InvalidParameterError(ClassifierError, ValueError):
    """A parameter has a value outside its range (``deadline_hours=-5``); the message names it."""


class UnknownFactError(ClassifierError, KeyError):
    """``facts["colour"]``: facts have no such field (the message lists the fields)."""


class UnknownLabelError(ClassifierError, ValueError):
    """A label cell holds none of the accepted names of the four labels."""
