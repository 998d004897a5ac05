"""Inference without scikit-learn: the fitted model's vocabularies, weights and calibration.

A :class:`LeanModel` computes exactly what the scikit-learn pipeline computes — the same
normalisation and tokens, word 1–2-gram and character 1–3-gram TF-IDF (sublinear tf, l2 per
channel), the linear SVM's decision function and the sigmoid calibration — with plain Python and
NumPy. It starts in a fraction of the time and memory (no scikit-learn, SciPy or pickle) and
answers one text without the pipeline's per-call overhead. A list of texts goes through the
batch path: one normalisation pass, one tokenizer call and NumPy n-gram lookups per 2,000
texts (:mod:`classifier.ngrams`), with the same numbers and reasons as one text at a time.
Tests check both against the pipeline and against each other.

Files: ``lean.npz`` (numbers only, loaded with ``allow_pickle=False``) and ``lean.json``
(vocabularies and settings), both hashed in the model's sidecar.

>>> from classifier.lean import LeanModel
>>> LeanModel.load().classify("付款显示失败但银行卡扣了199元").category
'payment'
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import cached_property
from pathlib import Path

import numpy as np

from ._answers import (
    MAX_TEXT_CHARS,
    check_texts,
    classify_with,
    decide,
    display_term,
    pick_reasons,
    reasons_from,
)
from .normalize import normalize_many, normalize_text
from .tokenizer import JiebaTokenizer

__all__ = ["LEAN_ARRAYS", "LEAN_META", "LeanModel", "LeanUnsupported"]

LEAN_ARRAYS = "lean.npz"
LEAN_META = "lean.json"
LEAN_FORMAT = 1
# Texts scored together by the batch path: enough to amortise the per-call work, few enough
# (in rows and in characters) to keep the n-gram arrays to a few tens of megabytes.
BATCH_ROWS = 2000
BATCH_CHARS = 200_000
# Largest contributions per text, on average, sorted to find a batch's reasons.
_REASON_CANDIDATES = 24


class LeanUnsupported(ValueError):
    """The fitted model uses a setting the lean engine does not implement."""


def _word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    # as sklearn's VectorizerMixin._word_ngrams (unigrams are the tokens themselves)
    grams = list(tokens) if low == 1 else []
    n_tokens = len(tokens)
    for n in range(max(low, 2), min(high, n_tokens) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(n_tokens - n + 1))
    return grams


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    # as sklearn's VectorizerMixin._char_ngrams (whitespace runs are already single spaces)
    grams = list(text) if low == 1 else []
    length = len(text)
    for n in range(max(low, 2), min(high, length) + 1):
        grams.extend(text[i : i + n] for i in range(length - n + 1))
    return grams


def _batches(texts: list[str]):
    """(start, end) of consecutive batches of at most BATCH_ROWS texts and BATCH_CHARS characters."""
    start, chars = 0, 0
    for i, text in enumerate(texts):
        size = min(len(text), MAX_TEXT_CHARS)
        if i > start and (i - start >= BATCH_ROWS or chars + size > BATCH_CHARS):
            yield start, i
            start, chars = i, 0
        chars += size
    if start < len(texts):
        yield start, len(texts)


class LeanModel:
    """A fitted complaint classifier reduced to arrays; built by :meth:`from_classifier`."""

    def __init__(self, *, meta: dict, arrays: dict):
        self.meta = meta
        self.classes_ = np.asarray(meta["classes"])
        self.threshold_ = float(meta["threshold"])
        self.word_range = tuple(meta["word_ngram_range"])
        self.char_range = tuple(meta["char_ngram_range"])
        self.traditional = bool(meta["tokenizer"]["traditional"])
        self.n_words = len(meta["word_terms"])
        self.word_idf = arrays["word_idf"]
        self.char_idf = arrays["char_idf"]
        # columns are features, so one text's weights are gathered with one fancy index
        self.coef = np.ascontiguousarray(arrays["coef"].T)
        self.intercept = arrays["intercept"]
        self.calibration_a = arrays["calibration_a"]
        self.calibration_b = arrays["calibration_b"]
        settings = meta["tokenizer"]
        self.tokenizer = JiebaTokenizer(
            user_dict=settings["user_dict"],
            hmm=settings["hmm"],
            normalize=False,
            traditional=settings["traditional"],
            backend=settings.get("backend", "auto"),
        )

    @cached_property
    def word_index(self) -> dict[str, int]:
        """Word n-gram → feature index (the one-text path; the batch path uses hash tables)."""
        return {term: i for i, term in enumerate(self.meta["word_terms"])}

    @cached_property
    def char_index(self) -> dict[str, int]:
        """Character n-gram → feature index (the one-text path)."""
        return {term: i for i, term in enumerate(self.meta["char_terms"])}

    # ------------------------------------------------------------------ building
    @classmethod
    def from_classifier(cls, model) -> LeanModel:
        """Extract vocabularies, idf, coefficients and calibration from a fitted classifier."""
        model._check_fitted()
        words, chars = (t for _, t in model.pipeline_.named_steps["features"].transformer_list)
        calibrated = model.pipeline_[-1].calibrated_classifiers_[0]
        linear = calibrated.estimator
        if calibrated.method != "sigmoid":
            raise LeanUnsupported("the lean engine implements sigmoid calibration only")

        def terms(vectorizer):
            ordered = [""] * len(vectorizer.vocabulary_)
            for term, index in vectorizer.vocabulary_.items():
                ordered[index] = term
            return ordered

        tokenizer = model.tokenizer()
        meta = {
            "format": LEAN_FORMAT,
            "classes": [str(c) for c in model.classes_],
            "threshold": float(model.threshold_),
            "word_ngram_range": list(words.ngram_range),
            "char_ngram_range": list(chars.ngram_range),
            "tokenizer": {**tokenizer.settings(), "backend": model.backend},
            "word_terms": terms(words),
            "char_terms": terms(chars),
        }
        arrays = {
            "word_idf": words.idf_.astype(np.float64),
            "char_idf": chars.idf_.astype(np.float64),
            "coef": linear.coef_.astype(np.float64),
            "intercept": np.asarray(linear.intercept_, dtype=np.float64),
            "calibration_a": np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64),
            "calibration_b": np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64),
        }
        for key, value in (("sublinear_tf", True), ("norm", "l2"), ("lowercase", False)):
            for vectorizer in (words, chars):
                if getattr(vectorizer, key) != value:
                    raise LeanUnsupported(f"the lean engine needs {key}={value!r}")
        return cls(meta=meta, arrays=arrays)

    def save(self, directory) -> dict[str, Path]:
        """Write ``lean.npz`` and ``lean.json``; returns their paths."""
        directory = Path(directory)
        arrays = {
            "word_idf": self.word_idf,
            "char_idf": self.char_idf,
            "coef": self.coef.T,
            "intercept": self.intercept,
            "calibration_a": self.calibration_a,
            "calibration_b": self.calibration_b,
        }
        with open(directory / LEAN_ARRAYS, "wb") as fh:
            np.savez(fh, **arrays)
        (directory / LEAN_META).write_text(json.dumps(self.meta, ensure_ascii=False), "utf-8")
        return {LEAN_ARRAYS: directory / LEAN_ARRAYS, LEAN_META: directory / LEAN_META}

    @classmethod
    def from_files(cls, directory) -> LeanModel:
        """Read ``lean.npz`` / ``lean.json`` (the caller has verified their hashes)."""
        directory = Path(directory)
        meta = json.loads((directory / LEAN_META).read_text("utf-8"))
        if meta.get("format") != LEAN_FORMAT:
            raise ValueError(f"unknown lean format {meta.get('format')!r}")
        with np.load(directory / LEAN_ARRAYS, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        return cls(meta=meta, arrays=arrays)

    @classmethod
    def load(cls, path=None) -> LeanModel:
        """Verify a model directory's sidecar and hashes, then load its lean files (None = bundled)."""
        from .persistence import load_lean

        return load_lean(path)

    # ------------------------------------------------------------------ scoring
    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, tf-idf weights) of one raw text, as the pipeline would build them."""
        normalized = normalize_text(text[:MAX_TEXT_CHARS], traditional=self.traditional)
        # Counter counts a map in C; unknown n-grams land on the key None and are dropped
        word_counts = Counter(
            map(self.word_index.get, _word_ngrams(self.tokenizer(normalized), *self.word_range))
        )
        char_counts = Counter(map(self.char_index.get, _char_ngrams(normalized, *self.char_range)))
        word_counts.pop(None, None)
        char_counts.pop(None, None)
        indices, weights = [], []
        for counts, idf, offset in (
            (word_counts, self.word_idf, 0),
            (char_counts, self.char_idf, self.n_words),
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

    def _proba_one(self, indices, weights) -> np.ndarray:
        decision = weights @ self.coef[indices] + self.intercept if len(indices) else self.intercept.copy()
        proba = 1.0 / (1.0 + np.exp(self.calibration_a * decision + self.calibration_b))
        total = proba.sum()
        proba = proba / total if total != 0 else np.full_like(proba, 1 / len(proba))
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def _calibrated(self, decision: np.ndarray) -> np.ndarray:
        """Rows of decision values → rows of probabilities, as :meth:`_proba_one` for each row."""
        proba = 1.0 / (1.0 + np.exp(self.calibration_a * decision + self.calibration_b))
        total = proba.sum(axis=1, keepdims=True)
        zero = total[:, 0] == 0
        proba = np.divide(proba, total, out=np.full_like(proba, 1 / proba.shape[1]), where=~zero[:, None])
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def _ngrams(self):
        """(word n-gram tables, character n-gram tables) of the NumPy batch path."""
        return self._word_tables, self._char_tables

    @cached_property
    def _word_tables(self):
        from .ngrams import WordNgrams

        return WordNgrams(self.meta["word_terms"], self.word_range)

    @cached_property
    def _char_tables(self):
        from .ngrams import CharNgrams

        return CharNgrams(self.meta["char_terms"], self.char_range)

    def _batch_supported(self) -> bool:
        return self.word_range[1] <= 2 and self.char_range[1] <= 3

    def _entries(self, texts: list[str]):
        """Per channel: (row, feature, tf-idf weight) of every text's features, as :meth:`_vector`."""
        from .ngrams import count_entries

        words, chars = self._ngrams()
        normalized = self._normalized(texts)
        channels = [
            (words.entries(self.tokenizer.cut_joined(normalized)), self.word_idf, 0),
            (chars.entries(normalized), self.char_idf, self.n_words),
        ]
        out = []
        for entries, idf, offset in channels:
            rows, features, counts = count_entries(entries, len(idf))
            weights = (np.log(counts) + 1.0) * idf[features]
            norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(texts)))
            out.append((rows, features + offset, weights / norms[rows]))
        return out

    def _normalized(self, texts: list[str]) -> list[str]:
        return normalize_many([t[:MAX_TEXT_CHARS] for t in texts], traditional=self.traditional)

    @cached_property
    def _native_tables(self):
        """The compiled kernel's tables, or None where the kernel cannot be had or used."""
        from .native import CompactTables, kernel

        if kernel() is None or not self._batch_supported():
            return None
        args = (self._word_tables, self.coef, self.word_idf, self.char_idf)
        tables = CompactTables(self.meta["char_terms"], self.char_range, *args)
        return tables if tables.fits() else None

    def _native_proba(self, texts: list[str]):
        """Probabilities of one batch from the compiled kernel, or None where there is none."""
        from .native import kernel, score_batch
        from .ngrams import code_points

        tables = self._native_tables
        if tables is None:
            return None
        words = self._word_tables
        normalized = self._normalized(texts)
        tokens = words.encode(self.tokenizer.cut_joined(normalized))
        decision = np.tile(self.intercept, (len(texts), 1))
        joined = code_points(normalized)
        scored = score_batch(kernel(), tables, decision, tokens, joined)
        return self._calibrated(decision) if scored else None

    def _score_batch(self, texts: list[str]):
        """(probabilities, per-channel entries) of one batch of texts."""
        channels = self._entries(texts)
        decision = np.tile(self.intercept, (len(texts), 1))
        for rows, features, weights in channels:
            if not len(rows):
                continue
            # rows ascend: sum each row's run of weighted coefficients in one call
            starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
            weighted = self.coef.take(features, axis=0)  # take: several times faster than [features]
            weighted *= weights[:, None]
            decision[rows[starts]] += np.add.reduceat(weighted, starts)
        return self._calibrated(decision), channels

    def _batch_reasons(self, proba, channels, k: int = 5) -> list[list]:
        """Each row's reasons for its top class, as :meth:`classify` gives them one text at a time."""
        top = proba.argmax(axis=1)
        kept = []
        for rows, features, weights in channels:
            contributions = weights * self.coef.take(features * self.coef.shape[1] + top.take(rows))
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

    def _reasons_of_rows(self, n_rows: int, rows, features, contributions, k: int) -> list[list]:
        order = np.lexsort((features, -contributions, rows))  # equal contributions: feature order
        rows, features, contributions = rows[order], features[order].tolist(), contributions[order].tolist()
        bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
        term = self._display_term
        return [
            pick_reasons(((term(f), w) for f, w in zip(features[start:end], contributions[start:end])), k)
            for start, end in zip(bounds[:-1], bounds[1:])
        ]

    def _display_term(self, index: int) -> str:
        terms = self.__dict__.setdefault("_display_terms", {})
        term = terms.get(index)
        if term is None:
            term = terms[index] = display_term(self._feature_name(index))
        return term

    def score_texts(self, texts, *, reasons: bool = False):
        """(probabilities, each text's reasons or None): classify's numbers without the advice."""
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, len(self.classes_))), [] if reasons else None
        if len(texts) == 1 or not self._batch_supported():
            vectors = [self._vector(text) for text in texts]
            proba = np.vstack([self._proba_one(*v) for v in vectors])
            if not reasons:
                return proba, None
            return proba, [self._reasons_one(*v, int(p.argmax())) for v, p in zip(vectors, proba)]
        probas, explained = [], []
        for start, end in _batches(texts):
            if not reasons:
                proba = self._native_proba(texts[start:end])
                if proba is not None:
                    probas.append(proba)
                    continue
            proba, channels = self._score_batch(texts[start:end])
            probas.append(proba)
            if reasons:
                explained += self._batch_reasons(proba, channels)
        return np.vstack(probas), explained if reasons else None

    def _reasons_one(self, indices, weights, top: int):
        contributions = weights * self.coef[indices, top]
        return reasons_from(lambda j: self._feature_name(int(indices[j])), contributions, indices)

    def predict_proba(self, texts) -> np.ndarray:
        """Calibrated probabilities, columns in ``classes_`` order (the pipeline's numbers)."""
        return self.score_texts(texts)[0]

    def _decide(self, proba):
        return decide(proba, self.classes_, self.threshold_)

    def predict(self, texts) -> list[str]:
        return [str(label) for label in self._decide(self.predict_proba(texts))[0]]

    def tokenizer_settings(self) -> dict:
        return dict(self.meta["tokenizer"])

    def _feature_name(self, index: int) -> str:
        if index < self.n_words:
            return "words__" + self.meta["word_terms"][index]
        return "chars__" + self.meta["char_terms"][index - self.n_words]

    def classify(self, texts):
        """Classify one text (→ Result) or a list (→ list), like :meth:`ComplaintClassifier.classify`."""
        return classify_with(self, texts)
