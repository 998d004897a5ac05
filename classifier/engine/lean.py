"""The lean engine: answering without scikit-learn, from the fitted model's arrays.

A :class:`LeanModel` computes exactly what the scikit-learn pipeline computes, with plain
Python and NumPy. It starts in a fraction of the time and memory (no scikit-learn, SciPy or
pickle). It has three paths, and :meth:`LeanModel.engine_for` is the one place that chooses
between them (:meth:`LeanModel.describe` reports the choice):

- one text, or a model the batch paths cannot run: :mod:`.one_text`;
- a batch, scores only: the compiled :mod:`.kernel` where it can be had, else NumPy;
- a batch with reasons: :mod:`.numpy_batch` (reasons always come from NumPy).

Batches are cut at :data:`~.scorer.BATCH_ROWS` texts and :data:`~.scorer.BATCH_CHARS`
characters. Files: ``lean.npz`` (numbers only, loaded with ``allow_pickle=False``) and
``lean.json`` (vocabularies and settings), both hashed in the model's sidecar; a LeanModel
saves and loads itself (:meth:`save`, :meth:`load`) on :mod:`classifier.fileformat`.

>>> from classifier.engine.lean import LeanModel
>>> LeanModel.load().classify("付款显示失败但银行卡扣了199元").category
'payment'
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np

from ..advice.result import Reason, Result
from ..errors import ModelNotFoundError, ModelVersionError
from ..fileformat import check_compatible, model_directory, read_sidecar, sha256_file, verify_file
from .kernel import KernelScorer, kernel_status
from .numpy_batch import NumpyBatchScorer
from .one_text import OneTextScorer
from .scorer import Scores, batches, check_texts, classify_with, decide_texts
from .weights import LeanWeights

__all__ = ["KERNEL", "LEAN_ARRAYS", "LEAN_FORMAT", "LEAN_META", "NUMPY_BATCH", "ONE_TEXT", "LeanModel"]

LEAN_ARRAYS = "lean.npz"
LEAN_META = "lean.json"
LEAN_FORMAT = 1
ONE_TEXT, NUMPY_BATCH, KERNEL = OneTextScorer.name, NumpyBatchScorer.name, KernelScorer.name


class LeanModel(LeanWeights):
    """A fitted complaint classifier reduced to arrays; made by ``ComplaintClassifier.to_lean()``."""

    metadata_: dict[str, Any]

    # ------------------------------------------------------------------ files
    def save(self, directory: str | os.PathLike[str]) -> dict[str, Path]:
        """Write ``lean.npz`` and ``lean.json``; returns their paths.

        Files that already hold exactly these arrays and vocabularies are left as they are, so
        re-saving an unchanged model keeps its files and their hashes.
        """
        directory = Path(directory)
        paths = {LEAN_ARRAYS: directory / LEAN_ARRAYS, LEAN_META: directory / LEAN_META}
        text = json.dumps(self.meta, ensure_ascii=False)
        if not self._saved_in(directory, text):
            with open(paths[LEAN_ARRAYS], "wb") as fh:
                np.savez(fh, **self.arrays())  # type: ignore[arg-type]  # NumPy's stubs mistype **arrays
            paths[LEAN_META].write_text(text, "utf-8")
        return paths

    def _saved_in(self, directory: Path, text: str) -> bool:
        try:
            if (directory / LEAN_META).read_text("utf-8") != text:
                return False
            with np.load(directory / LEAN_ARRAYS, allow_pickle=False) as data:
                arrays = self.arrays()
                return set(data.files) == set(arrays) and all(
                    data[k].dtype == v.dtype and np.array_equal(data[k], v) for k, v in arrays.items()
                )
        except (OSError, ValueError):
            return False

    @classmethod
    def from_files(cls, directory: str | os.PathLike[str]) -> LeanModel:
        """Read ``lean.npz`` / ``lean.json`` (the caller has verified their hashes)."""
        directory = Path(directory)
        meta = json.loads((directory / LEAN_META).read_text("utf-8"))
        if meta.get("format") != LEAN_FORMAT:
            raise ModelVersionError(
                f"{directory / LEAN_META} uses lean format {meta.get('format')!r}; this version reads "
                f"format {LEAN_FORMAT}. Retrain with `complaint-classifier train`."
            )
        with np.load(directory / LEAN_ARRAYS, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        return cls(meta=meta, arrays=arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> LeanModel:
        """Verify a model directory's sidecar and hashes, then load its lean files (None = bundled).

        Nothing is unpickled.
        """
        directory = model_directory(path)
        sidecar = read_sidecar(directory)
        check_compatible(sidecar, directory, pickled=False)
        hashes = sidecar.get("lean_files")
        if not hashes:
            raise ModelNotFoundError(f"{directory} has no lean inference files; re-save it with this version")
        for name, expected in hashes.items():
            verify_file(directory, name, expected)
        model = cls.from_files(directory)
        model.tokenizer.check_fingerprint(sidecar.get("tokenizer", {}).get("sha256"), directory)
        model.metadata_ = sidecar
        return model

    @staticmethod
    def file_hashes(paths: dict[str, Path]) -> dict[str, str]:
        """The sidecar's ``lean_files`` entry for the paths :meth:`save` returned."""
        return {name: sha256_file(path) for name, path in paths.items()}

    # ------------------------------------------------------------------ the paths
    @cached_property
    def one_text(self) -> OneTextScorer:
        """The one-text path."""
        return OneTextScorer(self)

    @cached_property
    def numpy_batch(self) -> NumpyBatchScorer:
        """The NumPy batch path."""
        return NumpyBatchScorer(self)

    @cached_property
    def kernel(self) -> KernelScorer:
        """The compiled kernel's path (its tables are None where there is no kernel)."""
        return KernelScorer(self, self.numpy_batch)

    def engine_for(self, n_texts: int, *, reasons: bool) -> str:
        """Which path scores a call of ``n_texts`` texts: the one place the choice is made.

        A batch the kernel refuses (its rows do not add up) is scored by NumPy instead.
        """
        if n_texts == 1 or not self.batch_supported():
            return ONE_TEXT
        if reasons or self.kernel.tables is None:
            return NUMPY_BATCH
        return KERNEL

    def describe(self) -> dict[str, str]:
        """Which path answers what on this machine, and why the kernel is not used if it is not.

        >>> sorted(LeanModel.load().describe())
        ['batch reasons', 'batch scores', 'kernel', 'one text']
        """
        return {
            "one text": ONE_TEXT,
            "batch scores": self.engine_for(2, reasons=False),
            "batch reasons": self.engine_for(2, reasons=True),
            "kernel": kernel_status()
            if self.batch_supported()
            else "the model's n-gram ranges need the one-text path",
        }

    # ------------------------------------------------------------------ answering
    def score_texts(self, texts: Iterable[str], *, reasons: bool = False) -> Scores:
        """(probabilities, each text's reasons or None): classify's numbers without the advice."""
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, len(self.classes_))), [] if reasons else None
        engine = self.engine_for(len(texts), reasons=reasons)
        if engine == ONE_TEXT:
            return self.one_text.score_texts(texts, reasons=reasons)
        probas: list[np.ndarray] = []
        explained: list[list[Reason]] = []
        for start, end in batches(texts):
            batch = texts[start:end]
            proba = self.kernel.proba(batch) if engine == KERNEL else None
            if proba is None:
                proba, found = self.numpy_batch.score_texts(batch, reasons=reasons)
                explained += found or []
            probas.append(proba)
        return np.vstack(probas), explained if reasons else None

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, columns in ``classes_`` order (the pipeline's numbers)."""
        return self.score_texts(texts)[0]

    def predict(self, texts: Iterable[str]) -> np.ndarray:
        """Label names (an array, as scikit-learn's): ``other`` below the abstain threshold and
        where the content guard flags the text."""
        texts = check_texts(texts)
        return np.asarray(
            [str(label) for label in decide_texts(self, texts, self.predict_proba(texts))[0]], dtype=object
        )

    @overload
    def classify(self, texts: str) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too

    @overload
    def classify(self, texts: Iterable[str]) -> list[Result]: ...

    def classify(self, texts: str | Iterable[str]) -> Result | list[Result]:
        """Classify one text (→ Result) or a list (→ list), like ``ComplaintClassifier.classify``."""
        return classify_with(self, texts)
