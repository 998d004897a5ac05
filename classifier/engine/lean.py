"""The lean engine: answering without scikit-learn, from the fitted model's arrays.

A :class:`LeanModel` computes exactly what the scikit-learn pipeline computes, with plain
Python and NumPy. It starts in a fraction of the time and memory (no scikit-learn, SciPy or
pickle). It has three paths, and :meth:`LeanModel.engine_for` is the one place that chooses
between them (:meth:`LeanModel.describe` reports the choice):

- any call, one text or a batch, with or without reasons: the compiled :mod:`.kernel` where it
  can be had;
- without it, one text: :mod:`.one_text`, and a batch: :mod:`.numpy_batch`;
- a model the batch paths cannot run (wider n-gram ranges): :mod:`.one_text`.

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
from ..errors import ModelIntegrityError, ModelNotFoundError, ModelVersionError
from ..fileformat import check_compatible, model_directory, read_sidecar, sha256_file, verify_file
from .guard import Evidence
from .kernel import KernelScorer, kernel_status
from .numpy_batch import NumpyBatchScorer
from .one_text import OneTextScorer
from .scorer import MAX_TEXT_CHARS, Scores, batches, check_texts, classify_with, decide_texts
from .weights import ARRAYS, LeanWeights

__all__ = ["KERNEL", "LEAN_ARRAYS", "LEAN_FORMAT", "LEAN_META", "NUMPY_BATCH", "ONE_TEXT", "LeanModel"]

LEAN_ARRAYS = "lean.npz"
LEAN_META = "lean.json"
LEAN_FORMAT = 1
ONE_TEXT, NUMPY_BATCH, KERNEL = OneTextScorer.name, NumpyBatchScorer.name, KernelScorer.name


def _check_lean(meta: dict[str, Any], arrays: dict[str, np.ndarray], directory: Path) -> None:
    """One clear error for lean files whose contents do not fit together (the sidecar's hashes
    only prove they are the files it names, not that they make a model)."""

    def bad(problem: str) -> str:
        return f"the lean files in {directory} are not valid: {problem}. Restore them or retrain."

    def is_range(value: object) -> bool:
        return (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 1 <= value[0] <= value[1] <= 8
        )

    for key in ("word_terms", "char_terms", "classes"):
        # JSON strings are exactly str: one set of types instead of 100,000 isinstance calls
        if not isinstance(meta.get(key), list) or not set(map(type, meta[key])) <= {str}:
            raise ModelIntegrityError(bad(f"{LEAN_META} has no list of strings {key!r}"))
    for key in ("word_ngram_range", "char_ngram_range"):
        if not is_range(meta.get(key)):
            raise ModelIntegrityError(bad(f"{LEAN_META} has no valid {key!r}"))
    threshold = meta.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise ModelIntegrityError(bad(f"{LEAN_META} has no threshold between 0 and 1"))
    tokenizer = meta.get("tokenizer")
    if (
        not isinstance(tokenizer, dict)
        or not all(isinstance(tokenizer.get(k), bool) for k in ("user_dict", "hmm", "traditional"))
        or not isinstance(tokenizer.get("concepts", False), bool)
    ):
        raise ModelIntegrityError(bad(f"{LEAN_META} has no tokenizer settings"))
    if tokenizer.get("backend", "auto") not in ("auto", "jieba", "rjieba"):
        raise ModelIntegrityError(bad(f"{LEAN_META} names an unknown tokenizer backend"))
    missing = sorted(set(ARRAYS) - set(arrays))
    if missing:
        raise ModelIntegrityError(bad(f"{LEAN_ARRAYS} lacks {', '.join(missing)}"))
    n_classes, n_words, n_chars = len(meta["classes"]), len(meta["word_terms"]), len(meta["char_terms"])
    shapes = {
        "word_idf": (n_words,),
        "char_idf": (n_chars,),
        "coef": (n_classes, n_words + n_chars),
        "intercept": (n_classes,),
        "calibration_a": (n_classes,),
        "calibration_b": (n_classes,),
    }
    for name, shape in shapes.items():
        array = arrays[name]
        if array.shape != shape or array.dtype.kind != "f":
            raise ModelIntegrityError(
                bad(
                    f"{LEAN_ARRAYS}'s {name} has shape {array.shape} ({array.dtype}), expected {shape} floats"
                )
            )


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
        try:
            meta = json.loads((directory / LEAN_META).read_text("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise ModelIntegrityError(f"{directory / LEAN_META} is not valid JSON ({exc})") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("format"), int):
            raise ModelIntegrityError(
                f"the lean files in {directory} are not valid: {LEAN_META} is not an object with a "
                "format number. Restore them or retrain."
            )
        if meta["format"] != LEAN_FORMAT:
            raise ModelVersionError(
                f"{directory / LEAN_META} uses lean format {meta['format']!r}; this version reads "
                f"format {LEAN_FORMAT}. Retrain with `complaint-classifier train`."
            )
        try:
            with np.load(directory / LEAN_ARRAYS, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
        except (OSError, ValueError, EOFError) as exc:
            raise ModelIntegrityError(f"{directory / LEAN_ARRAYS} is not a lean array file ({exc})") from None
        _check_lean(meta, arrays, directory)
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
        if set(hashes) != {LEAN_ARRAYS, LEAN_META}:
            raise ModelIntegrityError(
                f"{directory}'s sidecar vouches for {sorted(hashes)} as lean files; expected "
                f"{LEAN_ARRAYS} and {LEAN_META}. Restore the sidecar or retrain."
            )
        for name, expected in hashes.items():
            verify_file(directory, name, expected)
        model = cls.from_files(directory)
        model.tokenizer.check_fingerprint(sidecar["tokenizer"]["sha256"], directory)
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
        """Which path scores a call of ``n_texts`` texts (``reasons``: with them): the one place
        the choice is made.

        A batch the kernel refuses (its rows do not add up) is scored by NumPy instead.
        """
        if not self.batch_supported():
            return ONE_TEXT
        if self.kernel.tables is None:
            return ONE_TEXT if n_texts == 1 else NUMPY_BATCH
        return KERNEL

    def describe(self) -> dict[str, str]:
        """Which path answers what on this machine, and why the kernel is not used if it is not.

        >>> sorted(LeanModel.load().describe())
        ['batch reasons', 'batch scores', 'kernel', 'one text']
        """
        return {
            "one text": self.engine_for(1, reasons=True),
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
        # the kernel finds what the content guard needs while it scores: kept for its answer next
        guard = self.guard_ if engine == KERNEL and self.guard_.threshold > 0 else None
        evidence = (
            None
            if guard is None
            else Evidence(np.zeros(len(texts), dtype=bool), np.zeros((len(texts), len(self.classes_))))
        )
        for start, end in batches(texts):
            batch = texts[start:end]
            part = (
                None if evidence is None else Evidence(evidence.content[start:end], evidence.sums[start:end])
            )
            scored = self.kernel.scores(batch, reasons=reasons, evidence=part) if engine == KERNEL else None
            if scored is None:
                evidence = None  # this batch was scored by NumPy: the guard counts for itself
            proba, found = scored or self.numpy_batch.score_texts(batch, reasons=reasons)
            explained += found or []
            probas.append(proba)
        if guard is not None and evidence is not None:
            guard.remember([text[:MAX_TEXT_CHARS] for text in texts], evidence)
        proba = probas[0] if len(probas) == 1 else np.vstack(probas)
        return proba, explained if reasons else None

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, columns in ``classes_`` order (the pipeline's numbers)."""
        proba = self.score_texts(texts)[0]
        self.guard_.forget()  # no answer follows: the kernel's findings would only hold the texts
        return proba

    def predict(self, texts: Iterable[str]) -> np.ndarray:
        """Label names (an array, as scikit-learn's): ``other`` below the abstain threshold and
        where the content guard flags the text."""
        texts = check_texts(texts)
        return np.asarray(
            [str(label) for label in decide_texts(self, texts, self.score_texts(texts)[0])[0]], dtype=object
        )

    @overload
    def classify(self, texts: str) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too

    @overload
    def classify(self, texts: Iterable[str]) -> list[Result]: ...

    def classify(self, texts: str | Iterable[str]) -> Result | list[Result]:
        """Classify one text (→ Result) or a list (→ list), like ``ComplaintClassifier.classify``."""
        return classify_with(self, texts)
