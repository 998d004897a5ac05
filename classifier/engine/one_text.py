"""The lean engine's one-text path: one text at a time, in plain Python and NumPy.

Exactly what the scikit-learn pipeline computes — the same normalisation and tokens, word
1–2-gram and character 1–3-gram TF-IDF (sublinear tf, l2 per channel), the linear SVM's
decision function and the sigmoid calibration — without the pipeline's per-call overhead. It is
the reference the batch paths are checked against, and it handles any n-gram range.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ..advice.result import Reason
from ..text.normalize import normalize_text
from .reasons import readable_reasons, reasons_from
from .scorer import MAX_TEXT_CHARS, Scores
from .weights import LeanWeights

__all__ = ["OneTextScorer", "char_ngrams", "word_ngrams"]


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """Word n-grams as scikit-learn's ``VectorizerMixin._word_ngrams`` (unigrams are the tokens)."""
    grams = list(tokens) if low == 1 else []
    n_tokens = len(tokens)
    for n in range(max(low, 2), min(high, n_tokens) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(n_tokens - n + 1))
    return grams


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams as scikit-learn's ``VectorizerMixin._char_ngrams`` (whitespace runs are
    already single spaces)."""
    grams = list(text) if low == 1 else []
    length = len(text)
    for n in range(max(low, 2), min(high, length) + 1):
        grams.extend(text[i : i + n] for i in range(length - n + 1))
    return grams


class OneTextScorer:
    """Scores texts one by one (a :class:`~classifier.engine.scorer.Scorer`)."""

    name = "one-text"

    def __init__(self, weights: LeanWeights) -> None:
        self.weights = weights

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, tf-idf weights) of one raw text, as the pipeline would build them."""
        w = self.weights
        normalized = normalize_text(text[:MAX_TEXT_CHARS], traditional=w.traditional)
        # Counter counts a map in C; unknown n-grams land on the key None and are dropped
        word_counts = Counter(map(w.word_index.get, word_ngrams(w.tokenizer(normalized), *w.word_range)))
        char_counts = Counter(map(w.char_index.get, char_ngrams(normalized, *w.char_range)))
        word_counts.pop(None, None)
        char_counts.pop(None, None)
        indices, weights = [], []
        for counts, idf, offset in (
            (word_counts, w.word_idf, 0),
            (char_counts, w.char_idf, w.n_words),
        ):
            if not counts:
                continue
            keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            values = (np.log(tf) + 1.0) * idf[keys]
            values /= math.sqrt(float(values @ values))
            indices.append(keys + offset)
            weights.append(values)
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(indices), np.concatenate(weights)

    def proba(self, indices: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """One text's probabilities from its vector."""
        w = self.weights
        decision = weights @ w.coef[indices] + w.intercept if len(indices) else w.intercept.copy()
        proba: np.ndarray = 1.0 / (1.0 + np.exp(w.calibration_a * decision + w.calibration_b))
        total = proba.sum()
        proba = proba / total if total != 0 else np.full_like(proba, 1 / len(proba))
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def reasons(self, indices: np.ndarray, weights: np.ndarray, top: int) -> list[Reason]:
        """One text's reasons for class ``top``."""
        contributions = weights * self.weights.coef[indices, top]
        return reasons_from(lambda j: self.weights.feature_name(int(indices[j])), contributions, indices)

    def score_texts(self, texts: list[str], *, reasons: bool = False) -> Scores:
        """(probabilities, each text's reasons or None), one text at a time."""
        vectors = [self.vector(text) for text in texts]
        proba = np.vstack([self.proba(*v) for v in vectors])
        if not reasons:
            return proba, None
        w = self.weights
        return proba, [
            readable_reasons(
                text[:MAX_TEXT_CHARS],
                self.reasons(*v, int(p.argmax())),
                w.tokenizer,
                traditional=w.traditional,
            )
            for text, v, p in zip(texts, vectors, proba)
        ]
