"""An optional compiled kernel for batch scoring: the same numbers as NumPy, several times faster.

``_kernel.c`` does what :meth:`LeanModel._score_batch` does after tokenisation (n-gram lookup,
counting, TF-IDF weighting, the dot products) one row at a time, with compact tables that stay
in the processor's cache. It has no Python API: the first batch run compiles it with the system
C compiler (0.3–0.4 s here, once) into the cache directory, and ``ctypes`` loads it. Without a
compiler, or with ``COMPLAINT_CLASSIFIER_NATIVE=0``, the NumPy path runs instead; the two agree
to 1e-12 (tested). Nothing here runs at import time.

>>> from classifier.native import kernel
>>> kernel() is None or callable(kernel())
True
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["CompactTables", "kernel", "kernel_status", "score_batch"]

_SOURCE = Path(__file__).with_name("_kernel.c")
_DISABLE = "COMPLAINT_CLASSIFIER_NATIVE"
# cc_score_batch's parameters in order: p = pointer, i = 64-bit integer
_SIGNATURE = "iippi" + "piiiippiipi" + "piiippiippiipiiipi"
_status = "not tried"


def kernel_status() -> str:
    """How the last :func:`kernel` call went: ``"loaded"``, or why the NumPy path runs."""
    return _status


def _compiler() -> str | None:
    found = (shutil.which(name) for name in (os.environ.get("CC"), "cc", "gcc", "clang") if name)
    return next((path for path in found if path), None)


@lru_cache(maxsize=1)
def kernel():
    """The compiled ``cc_score_batch`` function, or None when it cannot be had."""
    global _status
    if os.environ.get(_DISABLE, "1") == "0":
        _status = f"disabled by {_DISABLE}=0"
        return None
    if sys.platform == "win32":
        _status = "not built on Windows"
        return None
    compiler = _compiler()
    if compiler is None:
        _status = "no C compiler found"
        return None
    from .tokenizer import cache_dir

    source = _SOURCE.read_bytes()
    tag = hashlib.sha256(source + compiler.encode() + platform.machine().encode()).hexdigest()[:16]
    directory = cache_dir()
    library = directory / f"kernel-{tag}.so"
    try:
        if not library.exists():
            directory.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(dir=directory, prefix=".kernel-", suffix=".so")
            os.close(fd)
            try:
                command = [compiler, "-O2", "-shared", "-fPIC", "-o", partial, str(_SOURCE), "-lm"]
                subprocess.run(command, check=True, capture_output=True, timeout=120)
                os.replace(partial, library)  # atomic: concurrent first runs never load half a file
            finally:
                if os.path.exists(partial):
                    os.unlink(partial)
        function = ctypes.CDLL(str(library)).cc_score_batch
    except (OSError, subprocess.SubprocessError) as exc:
        _status = f"could not build or load the kernel ({type(exc).__name__})"
        return None
    function.argtypes = [ctypes.c_void_p if kind == "p" else ctypes.c_int64 for kind in _SIGNATURE]
    function.restype = ctypes.c_int
    _status = "loaded"
    return function


def _packed(codes: np.ndarray, features: np.ndarray, feature_bits: int):
    """(the hash table, (slots, mask, shift)): each slot ``code << feature_bits | feature``, or
    -1 if empty; half the slots are empty, as the kernel's probing expects."""
    from .ngrams import _CodeTable

    table = _CodeTable(codes, features, spread=2)
    slots = np.where(table.keys == -1, -1, (table.keys << feature_bits) | table.values)
    return table, (np.ascontiguousarray(slots, dtype=np.int64), table.mask, int(table.shift))


class CompactTables:
    """The kernel's n-gram tables, built once per model from its vocabularies.

    Characters of the character features are numbered 1..V; an n-gram's code is its numbers
    side by side, ``char_bits`` bits each.
    """

    def __init__(self, char_terms: list[str], char_range, words, coef, word_idf, char_idf):
        from .ngrams import code_points

        # what the kernel reads, as the C types it expects
        self.coef = np.ascontiguousarray(coef, dtype=np.float64)
        self.word_idf = np.ascontiguousarray(word_idf, dtype=np.float64)
        self.char_idf = np.ascontiguousarray(char_idf, dtype=np.float64)
        n_features = len(self.word_idf) + len(self.char_idf)
        if self.coef.ndim != 2 or len(self.coef) != n_features:
            raise ValueError("coefficients do not match the vocabularies")
        self.char_low, self.char_high = char_range
        self.word_low, self.word_high = words.low, words.high
        self.feature_bits = max(1, (n_features - 1).bit_length())
        lengths = np.fromiter(map(len, char_terms), dtype=np.int64, count=len(char_terms))
        chars = code_points(["".join(char_terms)]).astype(np.int64)
        present = np.zeros(0x110000, dtype=bool)
        present[chars] = True
        alphabet = np.flatnonzero(present)  # numbered 1..V in code point order
        self.char_bits = max(1, len(alphabet).bit_length())
        numbers = np.cumsum(present, dtype=np.int32).take(chars).astype(np.int64)
        in_bmp = alphabet <= 0xFFFF
        self.bmp_id = np.zeros(0x10000, dtype=np.int32)
        self.bmp_id[alphabet[in_bmp]] = np.flatnonzero(in_bmp) + 1
        astral = np.column_stack((alphabet[~in_bmp], np.flatnonzero(~in_bmp) + 1))
        self.n_astral = len(astral)
        self.astral = np.ascontiguousarray(
            astral if len(astral) else np.zeros((1, 2)), dtype=np.int64
        ).reshape(-1)

        # each term's code: its characters' numbers side by side
        starts = np.cumsum(lengths) - lengths
        codes = numbers[starts] if len(char_terms) else np.zeros(0, dtype=np.int64)
        for k in (1, 2):
            longer = lengths > k
            codes[longer] = codes[longer] << self.char_bits | numbers[starts[longer] + k]
        features = np.arange(len(char_terms))
        self.char_unigram = np.full(len(alphabet) + 1, -1, dtype=np.int64)
        self.char_unigram[codes[lengths == 1]] = features[lengths == 1]
        bigrams, self.bigrams = _packed(codes[lengths == 2], features[lengths == 2], self.feature_bits)
        _, self.trigrams = _packed(codes[lengths == 3], features[lengths == 3], self.feature_bits)
        # a trigram is looked up only where both its bigrams are features, if that never hides one
        trigram_codes = codes[lengths == 3]
        low_two = (1 << (2 * self.char_bits)) - 1
        self.prune = bool(
            (bigrams.lookup(trigram_codes >> self.char_bits) >= 0).all()
            and (bigrams.lookup(trigram_codes & low_two) >= 0).all()
        )

        self.n_word_ids = words.n_words
        self.word_unigram = words.unigram
        table = words.pairs
        stored = table.keys != -1
        _, self.pairs = _packed(table.keys[stored], table.values[stored], self.feature_bits)

    def fits(self) -> bool:
        """Whether every packed slot fits in 63 bits (else the NumPy path is used)."""
        code_bits = max(3 * self.char_bits, 2 * max(1, self.n_word_ids.bit_length()))
        return code_bits + self.feature_bits <= 63


def score_batch(
    function, tables: CompactTables, decision: np.ndarray, tokens: np.ndarray, chars: np.ndarray
) -> bool:
    """Add every row's weighted coefficients to ``decision`` (rows × classes, holding the
    intercepts); False if the kernel refused the input (the caller then uses NumPy).

    ``tokens`` are the word ids of the batch's raw tokens (int64), ``chars`` the code points of
    the normalised texts joined by newlines (uint32).
    """

    def at(array) -> int:
        return array.ctypes.data

    if decision.dtype != np.float64 or not (decision.flags.c_contiguous and decision.flags.writeable):
        raise ValueError("decision must be a writeable C-ordered float64 array (it is updated in place)")
    tokens = np.ascontiguousarray(tokens, dtype=np.int64)
    chars = np.ascontiguousarray(chars, dtype=np.uint32)
    coef, word_idf, char_idf = tables.coef, tables.word_idf, tables.char_idf
    if decision.shape[1] != coef.shape[1]:
        return False

    status = function(
        decision.shape[0],
        decision.shape[1],
        at(decision),
        at(coef),
        tables.feature_bits,
        at(tokens),
        len(tokens),
        tables.word_low,
        tables.word_high,
        tables.n_word_ids,
        at(tables.word_unigram),
        at(tables.pairs[0]),
        tables.pairs[1],
        tables.pairs[2],
        at(word_idf),
        len(word_idf),
        at(chars),
        len(chars),
        tables.char_low,
        tables.char_high,
        at(tables.bmp_id),
        at(tables.astral),
        tables.n_astral,
        tables.char_bits,
        at(tables.char_unigram),
        at(tables.bigrams[0]),
        tables.bigrams[1],
        tables.bigrams[2],
        at(tables.trigrams[0]),
        tables.trigrams[1],
        tables.trigrams[2],
        int(tables.prune),
        at(char_idf),
        len(char_idf),
    )
    return status == 0
