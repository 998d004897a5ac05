"""N-gram tables: the features of many texts at once, looked up with NumPy instead of one dict call each.

The lean engine's batch paths (:mod:`.numpy_batch`, :mod:`.kernel`) use these to build exactly the (text, feature, count) entries that
the per-text path builds: word 1–2-grams over the tokenizer's words and character 1–3-grams over
the normalised text. Texts are handled as one long string with ``"\\n"`` between them (normalised
texts never contain a newline), so the tokenizer and NumPy each run once per batch.

>>> from classifier.engine.tables import CharNgrams, count_entries
>>> grams = CharNgrams(["扣", "扣钱", "钱"], (1, 2))
>>> rows, features, counts = count_entries(grams.entries(["扣钱钱", "钱"]), 3)
>>> rows.tolist(), features.tolist(), counts.tolist()
([0, 0, 0, 1], [0, 1, 2, 2], [1.0, 1.0, 2.0, 1.0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from itertools import chain, repeat

import numpy as np

from ..errors import LeanUnsupported
from ..text.normalize import PLACEHOLDERS
from ..text.tokenizer import NOT_A_WORD
from .table_cache import TableCache

__all__ = [
    "BREAK",
    "EMPTY",
    "FIBONACCI",
    "NOT_WORD",
    "SEPARATOR",
    "UNKNOWN",
    "CharNgrams",
    "CharVocabulary",
    "CodeTable",
    "Entries",
    "WordNgrams",
    "code_points",
    "count_entries",
]

Entries = tuple[np.ndarray, np.ndarray]
# Shared with _kernel.c (a test reads its #defines and compares): the text separator, the codes
# a raw token can get besides a word id, an empty hash slot, and the hash multiplier.
SEPARATOR = "\n"
UNKNOWN, NOT_WORD, BREAK, _NEW = -1, -2, -3, -4
EMPTY = -1
FIBONACCI = 0x9E3779B97F4A7C15  # Fibonacci hashing: 2**64 / golden ratio
_BITS = 21  # every code point is below 2**21, so three characters fit in one int64
_CACHE_LIMIT = 65_536  # raw tokens remembered (≈ 8 MB); a long run meets far more distinct ones


class CodeTable:
    """Integer n-gram codes → feature index: an open-addressing hash table probed with NumPy."""

    _MULTIPLIER = np.uint64(FIBONACCI)

    def __init__(
        self, codes: Sequence[int] | np.ndarray, features: Sequence[int] | np.ndarray, spread: int = 4
    ):
        codes = np.asarray(codes, dtype=np.int64)
        features = np.asarray(features, dtype=np.int64)
        # at least ``spread`` slots per code: a load factor of at most 1/spread
        bits = max(4, (spread * max(len(codes), 1) - 1).bit_length())
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.keys = np.full(1 << bits, EMPTY, dtype=np.int64)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        # insert all codes at once: per round, the first code aiming at each free slot takes it
        # and the others move on to the next slot (linear probing)
        pending, slots = np.arange(len(codes)), self._slots(codes)
        while len(pending):
            free = self.keys[slots] == EMPTY
            taken_slots, first = np.unique(slots[free], return_index=True)
            winners = pending[free][first]
            self.keys[taken_slots] = codes[winners]
            self.values[taken_slots] = features[winners]
            placed = np.zeros(len(pending), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            pending, slots = pending[~placed], slots[~placed]
            moved = self.keys[slots] != EMPTY
            slots[moved] = (slots[moved] + 1) & self.mask

    @classmethod
    def from_slots(cls, keys: np.ndarray, values: np.ndarray) -> CodeTable:
        """The table whose slots are these (another table's :attr:`keys` and :attr:`values`, saved)."""
        size = len(keys)
        if size < 16 or size & (size - 1) or values.shape != keys.shape:
            raise LeanUnsupported("hash table slots must be two arrays of the same power-of-two size")
        table = cls.__new__(cls)
        table.mask = size - 1
        table.shift = np.uint64(64 - (size.bit_length() - 1))
        table.keys = np.ascontiguousarray(keys, dtype=np.int64)
        table.values = np.ascontiguousarray(values, dtype=np.int64)
        return table

    def _slots(self, codes: np.ndarray) -> np.ndarray:
        return ((codes.view(np.uint64) * self._MULTIPLIER) >> self.shift).astype(np.int64)

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        """Feature index of every code, -1 where the code is not a feature."""
        # first probe for all codes at once (most end here: a hit, or an empty slot)
        slots = self._slots(codes)
        keys = self.keys.take(slots)
        hit = keys == codes
        found = np.where(hit, self.values.take(slots), -1)
        pending = np.flatnonzero(~hit & (keys != EMPTY))
        slots = slots.take(pending)
        while len(pending):  # the few that collided: probe the next slots
            slots = (slots + 1) & self.mask
            keys = self.keys.take(slots)
            hit = keys == codes.take(pending)
            found[pending[hit]] = self.values.take(slots[hit])
            more = ~hit & (keys != EMPTY)
            pending, slots = pending[more], slots[more]
        return found


def code_points(texts: list[str]) -> np.ndarray:
    """The code points of ``"\\n".join(texts)`` (uint32, as the compiled kernel reads them)."""
    return np.frombuffer(SEPARATOR.join(texts).encode("utf-32-le"), dtype=np.uint32)


def _known(rows: list[np.ndarray], features: list[np.ndarray]) -> Entries:
    """Concatenate per-n entries, keeping the n-grams that are features."""
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows_all, features_all = np.concatenate(rows), np.concatenate(features)
    keep = features_all >= 0
    return rows_all[keep], features_all[keep]


class CharNgrams:
    """Character n-grams (as scikit-learn's ``analyzer="char"``) of normalised texts."""

    def __init__(self, terms: Sequence[str], ngram_range: tuple[int, int]):
        self.low, self.high = ngram_range
        if not 1 <= self.low <= self.high <= 3:
            raise LeanUnsupported("character n-grams longer than 3 are not supported")
        lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        chars = code_points(["".join(terms)]).astype(np.int64)
        starts = np.cumsum(lengths) - lengths
        codes = chars[starts] if len(terms) else np.zeros(0, dtype=np.int64)
        for k in range(1, 3):
            longer = lengths > k
            codes[longer] = (codes[longer] << _BITS) | chars[starts[longer] + k]
        if SEPARATOR in "".join(terms):
            raise LeanUnsupported("a character n-gram holds a newline; normalised text never does")
        features = np.arange(len(terms))
        self.tables = {
            n: CodeTable(codes[lengths == n], features[lengths == n]) for n in range(self.low, self.high + 1)
        }
        # single characters of the Basic Multilingual Plane: a direct table, no hashing
        self.bmp = np.full(0x10000, -1, dtype=np.int64)
        single = (lengths == 1) & (codes < 0xFFFF)
        self.bmp[codes[single]] = features[single]

    def to_arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`from_arrays` needs to make these tables again (see :mod:`.table_cache`)."""
        arrays = {"ngram_range": np.array([self.low, self.high]), "bmp": self.bmp}
        for n, table in self.tables.items():
            arrays[f"keys{n}"], arrays[f"values{n}"] = table.keys, table.values
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> CharNgrams:
        """The tables :meth:`to_arrays` saved."""
        grams = cls.__new__(cls)
        grams.low, grams.high = (int(n) for n in arrays["ngram_range"])
        grams.tables = {
            n: CodeTable.from_slots(arrays[f"keys{n}"], arrays[f"values{n}"])
            for n in range(grams.low, grams.high + 1)
        }
        grams.bmp = np.ascontiguousarray(arrays["bmp"], dtype=np.int64)
        if grams.bmp.shape != (0x10000,):
            raise LeanUnsupported("the direct table of single characters must have 65,536 slots")
        return grams

    def entries(self, texts: list[str]) -> Entries:
        """(row, feature) of every occurrence of a known n-gram."""
        chars = code_points(texts).astype(np.int64)
        row_of = np.cumsum(chars == ord(SEPARATOR))
        rows: list[np.ndarray] = []
        features: list[np.ndarray] = []
        for n in range(self.low, self.high + 1):
            count = len(chars) - n + 1
            if count <= 0:
                continue
            # an n-gram across two texts holds the separator, which no feature does: not found
            if n == 1:
                found = self._unigrams(chars)
            else:
                code = chars[:count] << _BITS | chars[1 : count + 1]
                if n == 3:
                    code = code << _BITS | chars[2 : count + 2]
                found = self.tables[n].lookup(code)
            known = found >= 0
            rows.append(row_of[:count].compress(known))
            features.append(found.compress(known))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(features)

    def _unigrams(self, chars: np.ndarray) -> np.ndarray:
        found = self.bmp.take(np.minimum(chars, 0xFFFF))  # one array read per character (U+FFFF: none)
        beyond = np.flatnonzero(chars >= 0xFFFF)
        if len(beyond):
            found[beyond] = self.tables[1].lookup(chars.take(beyond))
        return found


class CharVocabulary:
    """A character channel's terms → feature index: a dict for one text, hash tables for a batch.

    Each is built on first use, and the scorer and the content guard share them.

    >>> vocabulary = CharVocabulary(["扣", "扣钱"], (1, 2))
    >>> vocabulary.index["扣钱"], vocabulary.longest
    (1, 2)
    """

    def __init__(
        self, terms: Sequence[str], ngram_range: tuple[int, int], *, cache: TableCache | None = None
    ):
        self.terms = terms
        self.ngram_range = ngram_range
        self.longest = max(map(len, terms), default=1)
        self.cache = cache or TableCache(None)

    @cached_property
    def index(self) -> dict[str, int]:
        """Term → feature index (the one-text path)."""
        return dict(zip(self.terms, range(len(self.terms))))

    @cached_property
    def ngrams(self) -> CharNgrams:
        """The terms as hash tables (the batch paths); LeanUnsupported where they cannot hold them."""
        return self.cache.get(
            "chars",
            lambda: CharNgrams(self.terms, self.ngram_range),
            CharNgrams.to_arrays,
            CharNgrams.from_arrays,
        )


class WordNgrams:
    """Word 1- and 2-grams of the tokenizer's words, from its raw output for a joined batch."""

    def __init__(self, terms: list[str], ngram_range: tuple[int, int]):
        self.low, self.high = ngram_range
        if not 1 <= self.low <= self.high <= 2:
            raise LeanUnsupported("word n-grams longer than 2 are not supported")
        parts = [term.split(" ") for term in terms]
        # word ids in order of first appearance (dicts keep insertion order)
        words = {word: i for i, word in enumerate(dict.fromkeys(chain.from_iterable(parts)))}
        self.n_words = len(words)
        is_pair = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)) == 2
        first = np.fromiter((words[p[0]] for p in parts), dtype=np.int64, count=len(parts))
        second = np.fromiter((words[p[-1]] for p in parts), dtype=np.int64, count=len(parts))
        features = np.arange(len(terms))
        self.unigram = np.full(len(words), -1, dtype=np.int64)
        self.unigram[first[~is_pair]] = features[~is_pair]
        self.pairs = CodeTable(first[is_pair] * len(words) + second[is_pair], features[is_pair])
        self._seed_with(words)

    def _seed_with(self, words: dict[str, int]) -> None:
        """Raw token → word id, or UNKNOWN / NOT_WORD / BREAK; placeholders become their names."""
        self.words = list(words)  # in id order
        self._seed: dict[str, int] = dict(words)
        for char, name in PLACEHOLDERS.items():
            self._seed[char] = words.get(name, UNKNOWN)
        self._seed[SEPARATOR] = BREAK
        self._codes = dict(self._seed)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`from_arrays` needs to make these tables again (see :mod:`.table_cache`)."""
        return {
            "ngram_range": np.array([self.low, self.high]),
            "words": code_points(self.words),
            "unigram": self.unigram,
            "pair_keys": self.pairs.keys,
            "pair_values": self.pairs.values,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> WordNgrams:
        """The tables :meth:`to_arrays` saved."""
        grams = cls.__new__(cls)
        grams.low, grams.high = (int(n) for n in arrays["ngram_range"])
        text = np.ascontiguousarray(arrays["words"], dtype=np.uint32).tobytes().decode("utf-32-le")
        words = text.split(SEPARATOR) if text else []
        grams.n_words = len(words)
        grams.unigram = np.ascontiguousarray(arrays["unigram"], dtype=np.int64)
        if grams.unigram.shape != (grams.n_words,):
            raise LeanUnsupported("one unigram feature per word")
        grams.pairs = CodeTable.from_slots(arrays["pair_keys"], arrays["pair_values"])
        grams._seed_with(dict(zip(words, range(len(words)))))
        return grams

    def encode(self, tokens: list[str]) -> np.ndarray:
        """Each raw token's word id, or UNKNOWN, NOT_WORD (punctuation) or BREAK."""
        codes = self._codes
        if len(codes) > _CACHE_LIMIT:  # unknown tokens are remembered, up to a limit
            codes = self._codes = dict(self._seed)
        encoded = np.fromiter(map(codes.get, tokens, repeat(_NEW)), dtype=np.int64, count=len(tokens))
        new = np.flatnonzero(encoded == _NEW)
        for i in new.tolist():  # tokens seen for the first time: a word, or punctuation?
            token = tokens[i]
            code = codes.get(token)
            if code is None:
                code = codes[token] = NOT_WORD if NOT_A_WORD.match(token) else UNKNOWN
            encoded[i] = code
        return encoded

    def entries(self, tokens: list[str]) -> Entries:
        """Entries from the raw tokens of ``"\\n".join(texts)`` (see the module docstring)."""
        codes = self.encode(tokens)
        row_of = np.cumsum(codes == BREAK)
        keep = codes > NOT_WORD  # drop punctuation tokens and the breaks themselves
        codes, row_of = codes[keep], row_of[keep]
        rows: list[np.ndarray] = []
        features: list[np.ndarray] = []
        if self.low == 1:
            known = codes >= 0
            rows.append(row_of[known])
            features.append(self.unigram[codes[known]])
        if self.high == 2 and len(codes) > 1:
            first, second = codes[:-1], codes[1:]
            pair = (first >= 0) & (second >= 0) & (row_of[:-1] == row_of[1:])
            rows.append(row_of[:-1][pair])
            features.append(self.pairs.lookup(first[pair] * self.n_words + second[pair]))
        return _known(rows, features)


def count_entries(entries: Entries, n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (row, feature) pairs and how often each occurs, sorted by row, then feature."""
    rows, features = entries
    if not len(rows):
        return rows, features, np.zeros(0)
    keys = rows * n_features + features
    if (int(rows.max()) + 1) * n_features < 2**31:
        keys = keys.astype(np.int32)  # sorts faster
    keys = np.sort(keys, kind="stable")
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(starts, len(keys))).astype(np.float64)
    distinct = keys[starts].astype(np.int64)
    return distinct // n_features, distinct % n_features, counts
