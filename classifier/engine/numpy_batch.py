"""The lean engine's NumPy batch path: many texts per call, the one-text path's numbers.

One normalisation pass over a batch, one tokenizer call, n-gram look-ups in hash tables
(:mod:`.tables`), counting by sorting, then one vectorised TF-IDF and scoring step. Gives the
one-text path's probabilities (to 1e-12) and the same reasons. Reasons of a batch always come
from here, whichever path scored it.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..advice.result import Reason
from .reasons import RAW_REASONS, pick_reasons, readable_reasons
from .scorer import MAX_TEXT_CHARS, Scores
from .tables import CharNgrams, WordNgrams, count_entries
from .weights import LeanWeights

__all__ = ["Channel", "NumpyBatchScorer"]

# (row, feature, tf-idf weight) of every feature of every text of a batch, for one channel
Channel = tuple[np.ndarray, np.ndarray, np.ndarray]
# Largest contributions per text, on average, sorted to find a batch's reasons.
_REASON_CANDIDATES = 24


class NumpyBatchScorer:
    """Scores one batch of texts with NumPy (a :class:`~classifier.engine.scorer.Scorer`)."""

    name = "numpy-batch"

    def __init__(self, weights: LeanWeights) -> None:
        self.weights = weights

    @cached_property
    def word_tables(self) -> WordNgrams:
        """Word n-gram tables (also what the kernel's word ids come from)."""
        w = self.weights
        return w.table_cache.get(
            "words",
            lambda: WordNgrams(w.meta["word_terms"], w.word_range),
            WordNgrams.to_arrays,
            WordNgrams.from_arrays,
        )

    @property
    def char_tables(self) -> CharNgrams:
        """Character n-gram tables (the content guard's too)."""
        return self.weights.char_vocabulary.ngrams

    def channels(self, texts: list[str]) -> list[Channel]:
        """Per channel: (row, feature, tf-idf weight) of every text's features, as the one-text path."""
        w = self.weights
        words, chars = self.word_tables, self.char_tables
        normalized = w.normalized(texts)
        channels = [
            (words.entries(w.tokenizer.cut_joined(normalized)), w.word_idf, 0),
            (chars.entries(normalized), w.char_idf, w.n_words),
        ]
        out = []
        for entries, idf, offset in channels:
            rows, features, counts = count_entries(entries, len(idf))
            weights = (np.log(counts) + 1.0) * idf[features]
            norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(texts)))
            out.append((rows, features + offset, weights / norms[rows]))
        return out

    def score(self, texts: list[str]) -> tuple[np.ndarray, list[Channel]]:
        """(probabilities, per-channel entries) of one batch of texts."""
        w = self.weights
        channels = self.channels(texts)
        decision = np.tile(w.intercept, (len(texts), 1))
        for rows, features, weights in channels:
            if not len(rows):
                continue
            # rows ascend: sum each row's run of weighted coefficients in one call
            starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
            weighted = w.coef.take(features, axis=0)  # take: several times faster than [features]
            weighted *= weights[:, None]
            decision[rows[starts]] += np.add.reduceat(weighted, starts)
        return w.calibrated(decision), channels

    def score_texts(self, texts: list[str], *, reasons: bool = False) -> Scores:
        """(probabilities, each text's reasons or None) of one batch."""
        proba, channels = self.score(texts)
        if not reasons:
            return proba, None
        w = self.weights
        return proba, [
            readable_reasons(
                text[:MAX_TEXT_CHARS], raw, w.tokenizer, traditional=w.traditional, normalized=normalized
            )
            for text, raw, normalized in zip(texts, self.reasons(proba, channels), w.normalized(texts))
        ]

    def reasons(self, proba: np.ndarray, channels: list[Channel], k: int = RAW_REASONS) -> list[list[Reason]]:
        """Each row's reasons for its top class, as the one-text path gives them."""
        coef = self.weights.coef
        top = proba.argmax(axis=1)
        kept = []
        for rows, features, weights in channels:
            contributions = weights * coef.take(features * coef.shape[1] + top.take(rows))
            positive = contributions > 0
            kept.append((rows[positive], features[positive], contributions[positive]))
        rows, features, contributions = (np.concatenate(parts) for parts in zip(*kept))
        # Sorting every positive contribution would cost more than scoring; a row's reasons come
        # from its few largest. Sort those above a cut; a row that runs out is redone in full.
        budget = _REASON_CANDIDATES * len(proba)
        cut = 0.0
        if len(contributions) > budget:
            cut = np.partition(contributions, len(contributions) - budget)[len(contributions) - budget]
        strong = contributions >= cut
        reasons = self._reasons_of_rows(len(proba), rows[strong], features[strong], contributions[strong], k)
        short = np.array([len(found) < k for found in reasons])
        redo = np.flatnonzero(short & (np.bincount(rows[~strong], minlength=len(proba)) > 0))
        if len(redo):
            mine = np.isin(rows, redo)
            again = self._reasons_of_rows(
                len(redo), np.searchsorted(redo, rows[mine]), features[mine], contributions[mine], k
            )
            for i, found in zip(redo.tolist(), again):
                reasons[i] = found
        return reasons

    def _reasons_of_rows(
        self, n_rows: int, rows: np.ndarray, features: np.ndarray, contributions: np.ndarray, k: int
    ) -> list[list[Reason]]:
        order = np.lexsort((features, -contributions, rows))  # equal contributions: feature order
        rows = rows[order]
        feature_list, contribution_list = features[order].tolist(), contributions[order].tolist()
        bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
        name = self.weights.feature_name
        return [
            pick_reasons(
                ((name(f), c) for f, c in zip(feature_list[start:end], contribution_list[start:end])), k
            )
            for start, end in zip(bounds[:-1], bounds[1:])
        ]
