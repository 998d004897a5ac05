"""A fitted model reduced to arrays: vocabularies, idf weights, coefficients, sigmoid calibration.

What every path of the lean engine reads (:mod:`.one_text`, :mod:`.numpy_batch`, :mod:`.kernel`),
and the steps they share: cutting and normalising texts, calibrating decision values, naming
features. :class:`~classifier.engine.lean.LeanModel` adds files and the choice of path.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ..text.normalize import normalize_many
from ..text.tokenizer import JiebaTokenizer
from .guard import ContentGuard
from .reasons import display_term
from .scorer import MAX_TEXT_CHARS
from .table_cache import TableCache, model_key
from .tables import CharVocabulary

__all__ = ["ARRAYS", "FeatureNames", "LeanWeights"]

# the arrays of lean.npz, in the order they are written
ARRAYS = ("word_idf", "char_idf", "coef", "intercept", "calibration_a", "calibration_b")


class FeatureNames(dict[int, str]):
    """Feature index → its name as scikit-learn writes it, made when first asked for.

    >>> names = FeatureNames(["扣 钱"], ["扣"])
    >>> names[0], names[1]
    ('words__扣 钱', 'chars__扣')
    """

    def __init__(self, word_terms: list[str], char_terms: list[str]) -> None:
        super().__init__()
        self.word_terms, self.char_terms = word_terms, char_terms

    def __missing__(self, index: int) -> str:
        n_words = len(self.word_terms)
        if index < n_words:
            name = "words__" + str(self.word_terms[index])
        else:
            name = "chars__" + str(self.char_terms[index - n_words])
        self[index] = name
        return name


class LeanWeights:
    """Vocabularies (``meta``) and arrays of a fitted classifier, ready to score with."""

    def __init__(self, *, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.meta = meta
        self.classes_ = np.asarray(meta["classes"])
        self.threshold_ = float(meta["threshold"])
        self.word_range: tuple[int, int] = tuple(meta["word_ngram_range"])
        self.char_range: tuple[int, int] = tuple(meta["char_ngram_range"])
        self.traditional = bool(meta["tokenizer"]["traditional"])
        self.n_words = len(meta["word_terms"])
        self.word_idf: np.ndarray = arrays["word_idf"]
        self.char_idf: np.ndarray = arrays["char_idf"]
        # columns are features, so one text's weights are gathered with one fancy index
        self.coef = np.ascontiguousarray(arrays["coef"].T)
        self.intercept: np.ndarray = arrays["intercept"]
        self.calibration_a: np.ndarray = arrays["calibration_a"]
        self.calibration_b: np.ndarray = arrays["calibration_b"]
        settings = meta["tokenizer"]
        self.tokenizer = JiebaTokenizer(
            user_dict=settings["user_dict"],
            hmm=settings["hmm"],
            normalize=False,
            traditional=settings["traditional"],
            backend=settings.get("backend", "auto"),
            concepts=settings.get("concepts", False),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays as ``lean.npz`` holds them (coefficients as classes × features)."""
        values = {name: getattr(self, name) for name in ARRAYS}
        values["coef"] = self.coef.T
        return values

    @cached_property
    def word_index(self) -> dict[str, int]:
        """Word n-gram → feature index (the one-text path; the batch paths use hash tables)."""
        return dict(zip(self.meta["word_terms"], range(len(self.meta["word_terms"]))))

    @cached_property
    def table_cache(self) -> TableCache:
        """Where the batch paths' tables of this model are kept between runs (:mod:`.table_cache`):
        keyed by the lean files' sha256 when the model was loaded from them, else nowhere."""
        sidecar = getattr(self, "metadata_", None) or {}
        return TableCache(model_key(sidecar.get("lean_files")))

    @cached_property
    def char_vocabulary(self) -> CharVocabulary:
        """Character n-gram → feature index, one text or a batch at a time (shared with the guard)."""
        return CharVocabulary(self.meta["char_terms"], self.char_range, cache=self.table_cache)

    @property
    def char_index(self) -> dict[str, int]:
        """Character n-gram → feature index (the one-text path)."""
        return self.char_vocabulary.index

    @cached_property
    def guard_(self) -> ContentGuard:
        """The content guard (:mod:`.guard`), from the character channel's weights (kept with the
        batch tables between runs: judging 100,000 terms' content is most of a cold start's guard)."""
        threshold = float(self.meta.get("evidence_threshold", 0.0))  # lean files written before the guard
        tags = (
            ContentGuard.tag_weights(self.meta["word_terms"], self.word_idf, self.coef[: self.n_words].T)
            if self.tokenizer.concepts
            else None
        )
        return self.table_cache.get(
            "guard",
            lambda: ContentGuard.from_model_arrays(
                self.char_vocabulary,
                self.char_idf,
                self.coef[self.n_words :].T,
                threshold,
                traditional=self.traditional,
                tags=tags,
            ),
            ContentGuard.to_arrays,
            lambda arrays: ContentGuard.from_arrays(
                arrays, self.char_vocabulary, threshold, traditional=self.traditional, tags=tags
            ),
        )

    def batch_supported(self) -> bool:
        """Whether the batch paths implement this model's n-gram ranges."""
        return self.word_range[1] <= 2 and self.char_range[1] <= 3

    def normalized(self, texts: list[str]) -> list[str]:
        """Texts cut to MAX_TEXT_CHARS and normalised in one pass, as the batch paths read them."""
        return normalize_many([t[:MAX_TEXT_CHARS] for t in texts], traditional=self.traditional)

    def calibrated(self, decision: np.ndarray) -> np.ndarray:
        """Rows of decision values → rows of probabilities (sigmoid per class, then normalised)."""
        proba = 1.0 / (1.0 + np.exp(self.calibration_a * decision + self.calibration_b))
        total = proba.sum(axis=1, keepdims=True)
        if total.all():  # the usual case, in fewer NumPy calls (for one text they cost more than the sums)
            proba /= total
        else:  # every sigmoid of a row underflowed: the row is uniform
            zero = total[:, 0] == 0
            proba = np.divide(proba, total, out=np.full_like(proba, 1 / proba.shape[1]), where=~zero[:, None])
        if proba.size and proba.max() > 1.0:
            proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    @cached_property
    def feature_names(self) -> FeatureNames:
        """Feature index → name, each made on first use (``names[i]``: a dict look-up after that)."""
        return FeatureNames(self.meta["word_terms"], self.meta["char_terms"])

    def feature_name(self, index: int) -> str:
        """A feature's name as scikit-learn writes it (``words__扣 钱``, ``chars__扣了``)."""
        return self.feature_names[index]

    def display_term(self, index: int) -> str:
        """What a reader sees of a feature (cached: the same few terms come up again and again)."""
        terms: dict[int, str] = self.__dict__.setdefault("_display_terms", {})
        term = terms.get(index)
        if term is None:
            term = terms[index] = display_term(self.feature_name(index))
        return term

    def tokenizer_settings(self) -> dict[str, Any]:
        """The tokenizer settings recorded in ``lean.json``."""
        return dict(self.meta["tokenizer"])
