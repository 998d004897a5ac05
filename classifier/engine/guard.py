"""The content guard: texts with too little evidence for any failure get ``needs_review``.

A model always answers something, even for "123456" or "？？？". The guard keeps such texts
from being handed a refund playbook. Two rules, the same for every engine:

1. **No content**: after normalisation the text has no Chinese character or Latin letter
   beyond particles and pronouns (digits, punctuation, emoji and placeholders only) →
   ``needs_review``, whatever the model says.
2. **Too little evidence**: the text is answered with a failure category, but the evidence
   for that category is below the model's ``evidence_threshold``. Evidence is the sum, over
   the distinct content character n-grams of the text, of each n-gram's positive weight for
   the category (idf × coefficient, so it does not depend on the text's length normalisation),
   plus, for a model with concept tags, the same weight of each distinct content tag the text
   has (:data:`~classifier.text.concepts.CONTENT_TAGS`: the tags carry much of the weight the
   characters of 失败, 扣, 没了 would otherwise carry).
   The threshold is chosen when the model is fitted, on held-out folds of the training corpus
   (see :meth:`classifier.model.estimator.ComplaintClassifier.fit`).

>>> import numpy as np
>>> guard = ContentGuard(["扣", "扣款", "黑屏"], np.array([[9.0, 0], [12.0, 0], [0, 8.0]]), 10.0)
>>> guard.needs_review(["？？？", "扣款了", "黑屏"], np.array([0, 0, 1])).tolist()
[True, False, True]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import NamedTuple, overload

import numpy as np

from ..errors import LeanUnsupported
from ..text.concepts import CONTENT_TAGS, concept_tags
from ..text.normalize import normalize_many, normalize_text
from .tables import CharNgrams, CharVocabulary, count_entries

__all__ = ["FUNCTION_CHARS", "ContentGuard", "Evidence", "has_content", "is_content_term"]

# Characters that carry no failure content on their own: particles, pronouns, copulas,
# conjunctions, measure words. An n-gram made only of these (and of digits, punctuation,
# emoji or placeholders) is not content.
FUNCTION_CHARS = frozenset(
    "的了吗呢吧啊呀哦嘛么哈嗯哎唉呃噢喔哟啦咯嘿是不在有我你他她它这那就都也还很太又和与及或但而个"
)
# one content character: a Chinese character or a Latin letter that is not a function character
_CONTENT = re.compile("(?![" + "".join(sorted(FUNCTION_CHARS)) + "])[\u3400-\u4dbf\u4e00-\u9fffa-z]")


def is_content_term(term: str) -> bool:
    """Whether a (normalised) n-gram has a Chinese character or Latin letter that is not a particle.

    >>> is_content_term("扣款"), is_content_term("了吗"), is_content_term("？1")
    (True, False, False)
    """
    return _CONTENT.search(term) is not None


def has_content(normalized: str) -> bool:
    """Whether a normalised text has any content character (rule 1).

    >>> has_content("123456"), has_content("😡😡😡！！！"), has_content("不行")
    (False, False, True)
    """
    return is_content_term(normalized)


def _content_terms(terms: Sequence[str]) -> np.ndarray:
    """:func:`is_content_term` of every term, as a boolean array: each distinct character is
    judged once, and the terms in one pass over their joined code points (a model has 100,000)."""
    if not terms:
        return np.zeros(0, dtype=bool)
    codes = np.frombuffer("".join(terms).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not codes.size:
        return np.zeros(len(terms), dtype=bool)
    seen = np.zeros(int(codes.max()) + 1, dtype=bool)
    seen[codes] = True
    content = np.zeros(len(seen), dtype=np.int8)  # code point → content character?
    content[[c for c in np.flatnonzero(seen).tolist() if is_content_term(chr(c))]] = 1
    flags = content.take(codes)
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    starts = np.cumsum(lengths) - lengths
    found = np.zeros(len(terms), dtype=bool)
    nonempty = lengths > 0
    found[nonempty] = np.maximum.reduceat(flags, starts[nonempty]) > 0
    return found


class ContentGuard:
    """Per-class evidence weights of content n-grams, and the evidence threshold.

    ``terms`` are the character n-grams of the model's vocabulary (a list, or the
    :class:`~.tables.CharVocabulary` the scorer reads, so that both share one look-up table),
    ``weights`` their positive evidence per class (rows: terms, columns: the model's classes; a
    term that is not content weighs 0), ``threshold`` the evidence a failure answer needs.
    Built by :meth:`from_model_arrays`; both engines (scikit-learn and lean) build it from the
    same numbers, so they agree. ``tags`` maps each content concept tag of the model's words to
    its evidence per class (empty for a model without tags).
    """

    def __init__(
        self,
        terms: Sequence[str] | CharVocabulary,
        weights: np.ndarray,
        threshold: float,
        *,
        traditional: bool = True,
        tags: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        if not isinstance(terms, CharVocabulary):
            terms = CharVocabulary(list(terms), (1, max(map(len, terms), default=1)))
        self.vocabulary = terms
        # one contiguous row per class: what both the batch sums and evidence() read
        self._by_class = np.ascontiguousarray(np.asarray(weights, dtype=np.float64).T)
        self.threshold = float(threshold)
        self.traditional = traditional
        self.tags = {tag: [float(v) for v in w] for tag, w in (tags or {}).items() if np.any(w)}
        # what the kernel found for the last texts scored (remember()): one slot, replaced as a
        # whole, so threads that share the guard at worst miss it
        self._known: tuple[list[str], Evidence] | None = None

    def __getstate__(self) -> dict[str, object]:
        """Without what :meth:`remember` kept: a pickled model (for workers, dask) carries no texts."""
        state = self.__dict__.copy()
        state["_known"] = None
        return state

    @staticmethod
    def tag_weights(
        word_terms: Sequence[str], word_idf: np.ndarray, word_coef: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Each content tag's evidence per class, from the word channel's terms, idf and
        coefficients (classes × terms); empty for a model without tags."""
        found = [(i, term) for i, term in enumerate(word_terms) if term in CONTENT_TAGS]
        coef = np.asarray(word_coef, dtype=np.float64)
        return {term: np.maximum(coef[:, i] * float(word_idf[i]), 0.0) for i, term in found}

    def _tag_evidence(self, normalized: str) -> list[float]:
        """The evidence per class of the distinct content tags of a normalised text."""
        totals = [0.0] * len(self._by_class)
        for tag in dict.fromkeys(concept_tags(normalized)):
            weights = self.tags.get(tag)
            if weights is not None:
                totals = [total + w for total, w in zip(totals, weights)]
        return totals

    @property
    def terms(self) -> Sequence[str]:
        """The character n-grams, in the order of the weights' rows."""
        return self.vocabulary.terms

    @property
    def weights(self) -> np.ndarray:
        """Evidence per term (rows) and class (columns)."""
        return self._by_class.T

    @property
    def weights_by_class(self) -> np.ndarray:
        """Evidence per class (rows) and term (columns), C-ordered: what the kernel reads."""
        return self._by_class

    def content(self, normalized: Sequence[str]) -> np.ndarray:
        """Rule 1 for normalised texts: whether each has a content character (a bool array)."""
        return np.fromiter(map(has_content, normalized), dtype=bool, count=len(normalized))

    def remember(self, texts: list[str], evidence: Evidence) -> None:
        """Keep what the kernel found while it scored ``texts`` (as cut to the model's length
        limit): :meth:`needs_review` of the same texts, next, reads it instead of normalising
        and counting again, and drops it (it holds the call's texts). Another call replaces it."""
        self._known = (texts, evidence)

    def forget(self) -> None:
        """Drop what :meth:`remember` kept (the next answer is counted by the guard itself)."""
        self._known = None

    def _recall(self, texts: list[str], *, drop: bool = False) -> Evidence | None:
        """What :meth:`remember` kept, if it is about these texts (``drop``: and no longer keep it,
        unless another call has replaced it meanwhile)."""
        known = self._known
        if known is None or len(known[0]) != len(texts) or known[0] != texts:
            return None
        if drop and self._known is known:
            self._known = None
        return known[1]

    @classmethod
    def from_model_arrays(
        cls,
        char_terms: Sequence[str] | CharVocabulary,
        char_idf: np.ndarray,
        char_coef: np.ndarray,
        threshold: float,
        *,
        traditional: bool = True,
        tags: Mapping[str, np.ndarray] | None = None,
    ) -> ContentGuard:
        """From the character channel: its terms, idf and coefficients (classes × terms), and the
        content tags' weights (:meth:`tag_weights`)."""
        terms = char_terms.terms if isinstance(char_terms, CharVocabulary) else char_terms
        idf = np.asarray(char_idf, dtype=np.float64)
        coef = np.asarray(char_coef, dtype=np.float64)
        weights = np.maximum(coef * idf, 0.0).T
        weights[~_content_terms(terms)] = 0.0
        return cls(char_terms, weights, threshold, traditional=traditional, tags=tags)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The weights, for :meth:`from_arrays` (see :mod:`.table_cache`)."""
        return {"weights_by_class": self._by_class}

    @classmethod
    def from_arrays(
        cls,
        arrays: Mapping[str, np.ndarray],
        vocabulary: CharVocabulary,
        threshold: float,
        *,
        traditional: bool = True,
        tags: Mapping[str, np.ndarray] | None = None,
    ) -> ContentGuard:
        """The guard whose weights :meth:`to_arrays` saved, over the same vocabulary (the tags'
        few weights are not saved: :meth:`tag_weights` reads them from the model)."""
        by_class = np.asarray(arrays["weights_by_class"], dtype=np.float64)
        if by_class.ndim != 2 or by_class.shape[1] != len(vocabulary.terms):
            raise LeanUnsupported("saved guard weights of another vocabulary")
        return cls(vocabulary, by_class.T, threshold, traditional=traditional, tags=tags)

    def evidence(
        self, normalized: str, class_index: int | None = None, *, stop_at: float | None = None
    ) -> float:
        """The evidence of a normalised text for one class, or for its best class (``None``).

        Counting stops early once it reaches ``stop_at``. Terms are added in the order they
        first occur (shorter terms first), one at a time.

        >>> ContentGuard(["扣", "扣款"], np.array([[9.0], [12.0]]), 10.0).evidence("扣款扣款", 0)
        21.0
        """
        index = self.vocabulary.index
        # cells[k * n_terms + term]: one Python float per read, without a copy of the weights
        cells, n_terms = self._by_class.reshape(-1).data, self._by_class.shape[1]
        if not len(cells):
            return 0.0
        starts = range(0, len(cells), n_terms) if class_index is None else [class_index * n_terms]
        totals = [0.0] * len(starts)
        if self.tags:  # the tags first: a text's few tags often settle it
            by_tag = self._tag_evidence(normalized)
            totals = by_tag if class_index is None else [by_tag[class_index]]
            if stop_at is not None and max(totals) >= stop_at:
                return max(totals)
        length = len(normalized)
        for size in range(1, self.vocabulary.longest + 1):
            # each distinct substring once, in order of first occurrence
            found = map(
                index.get,
                dict.fromkeys([normalized[start : start + size] for start in range(length - size + 1)]),
            )
            if len(totals) == 1:  # one class: one running sum (a text's answer, the common case)
                total, first = totals[0], starts[0]
                for at in found:
                    if at is not None:
                        total += cells[first + at]
                        if stop_at is not None and total >= stop_at:
                            return total
                totals = [total]
                continue
            for at in found:
                if at is not None:
                    totals = [total + cells[start + at] for total, start in zip(totals, starts)]
                    if stop_at is not None and max(totals) >= stop_at:
                        return max(totals)
        return max(totals)

    @cached_property
    def _ngrams(self) -> CharNgrams | None:
        """The terms as hash tables for whole batches, or None where the tables cannot hold them."""
        try:
            return self.vocabulary.ngrams
        except LeanUnsupported:  # terms longer than 3 characters, or holding a newline
            return None

    def _char_sums(self, normalized: list[str]) -> np.ndarray | None:
        """Per text and class, the weights of the text's distinct character n-grams added up, in
        NumPy (None for one text, or where the tables cannot hold the terms)."""
        table = self._ngrams
        if table is None or len(normalized) < _BATCH_MIN:
            return None
        rows, features, _ = count_entries(table.entries(normalized), len(self.terms))  # each term once
        by_class = self._by_class
        per_class = np.empty((len(normalized), len(by_class)))
        for k, weights in enumerate(by_class):
            per_class[:, k] = np.bincount(rows, weights=weights.take(features), minlength=len(normalized))
        return per_class

    def _batch_evidence(
        self, normalized: Sequence[str], answered: np.ndarray, per_class: np.ndarray | None
    ) -> np.ndarray | list[float] | None:
        """Every text's evidence for its answer (its best class where ``answered`` is -1), from
        its character sums ``per_class`` (the kernel's, or else :meth:`_char_sums`; None where
        there are none; a list of one float for one text).

        The sums are those of :meth:`evidence` without ``stop_at`` in another order, so they may
        differ from it in the last bits: :meth:`needs_review` re-counts the texts whose evidence
        is that close to the threshold one by one. Concept tags only add evidence, so they are
        counted only for the texts whose characters fall short of the threshold: for the others
        the characters' sum is returned, which is already enough.
        """
        if per_class is None:
            per_class = self._char_sums(list(normalized))
        if per_class is None:
            return None
        if len(per_class) == 1:  # in Python floats: for one text NumPy's calls cost more than its sums
            sums, k = per_class[0].tolist(), int(answered[0])
            found = max(sums) if k < 0 else sums[k]
            if self.tags and found < self.threshold:
                sums = [total + w for total, w in zip(sums, self._tag_evidence(normalized[0]))]
                found = max(sums) if k < 0 else sums[k]
            return [found]
        by_class = self._by_class
        answered = np.asarray(answered, dtype=np.int64)
        evidence = self._answer_evidence(per_class, answered)
        if self.tags:
            short = np.flatnonzero(evidence < self.threshold)
            tagged = per_class[short] + np.array(
                [self._tag_evidence(normalized[i]) for i in short.tolist()]
            ).reshape(len(short), len(by_class))  # a new array: remember() may keep the sums
            evidence[short] = self._answer_evidence(tagged, answered[short])
        return evidence

    @staticmethod
    def _answer_evidence(per_class: np.ndarray, answered: np.ndarray) -> np.ndarray:
        """Each row's evidence for its answered class, or for its best class where it is -1."""
        mine = per_class[np.arange(len(per_class)), np.maximum(answered, 0)]
        evidence: np.ndarray = np.where(answered < 0, per_class.max(axis=1), mine)
        return evidence

    def needs_review(self, texts: Sequence[str], answered: np.ndarray) -> np.ndarray:
        """For each text, whether it goes to review: rule 1, else rule 2.

        ``texts`` are the texts as the model read them (already cut to its length limit);
        ``answered`` is the class index of each text's failure answer, or -1 where the answer is
        ``other`` (the model's choice or an abstention): such a text goes to review when it has
        too little evidence for *any* class — it says nothing the model can place.
        """
        texts = list(texts)
        known = self._recall(texts, drop=True)
        normalized: Sequence[str]
        if known is None:
            # one normalisation pass for the batch: the same texts as normalize_text one by one
            normalized = normalize_many(texts, traditional=self.traditional)
            review = ~self.content(normalized)
        else:  # the kernel's findings: the few texts read again are normalised one by one
            normalized = _Normalized(texts, self.traditional)
            review = ~known.content
        if self.threshold <= 0:
            return review
        evidence = self._batch_evidence(normalized, answered, None if known is None else known.sums)
        if evidence is None:
            recount = [i for i, flagged in enumerate(review.tolist()) if not flagged]
        elif isinstance(evidence, list):  # one text
            found = evidence[0]
            review[0] |= found < self.threshold
            recount = [0] if abs(found - self.threshold) <= _CLOSE * self.threshold else []
        else:
            review |= evidence < self.threshold
            # a sum this close to the threshold is counted again, term by term, as evidence() counts
            close = np.abs(evidence - self.threshold) <= _CLOSE * self.threshold
            recount = np.flatnonzero(close).tolist()
        for i in recount:
            if has_content(normalized[i]):
                k = int(answered[i])
                found = self.evidence(normalized[i], None if k < 0 else k, stop_at=self.threshold)
                review[i] = found < self.threshold
        return review


class Evidence(NamedTuple):
    """What the kernel finds for the guard while it scores texts (:meth:`ContentGuard.remember`)."""

    content: np.ndarray
    """Rule 1: whether each normalised text has a content character (bool)."""
    sums: np.ndarray
    """Rule 2: per text (rows) and class (columns), the weights of its distinct character n-grams
    added up, as :meth:`ContentGuard._char_sums` adds them."""


class _Normalized(Sequence[str]):
    """Texts normalised one by one when read (:func:`~classifier.text.normalize.normalize_text`:
    what :func:`~classifier.text.normalize.normalize_many` gives each)."""

    def __init__(self, texts: list[str], traditional: bool) -> None:
        self.texts, self.traditional = texts, traditional

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [normalize_text(text, traditional=self.traditional) for text in self.texts[index]]
        return normalize_text(self.texts[index], traditional=self.traditional)


# Batches of at least this many texts have their evidence summed in NumPy when the kernel has not
# summed it (one text: term by term, without building the batch tables).
_BATCH_MIN = 2
# NumPy's sums differ from evidence()'s by far less than this (relative): texts whose evidence is
# this close to the threshold are decided by evidence() itself.
_CLOSE = 1e-9
