"""The lean engine's kernel path: batch scoring in C, the NumPy path's numbers, several times faster.

``_kernel.c`` does what :meth:`NumpyBatchScorer.score <.numpy_batch.NumpyBatchScorer.score>`
does after tokenisation (n-gram lookup, counting, TF-IDF weighting, the dot products) one row at
a time, with compact tables that stay in the processor's cache. It has no Python API: the first
batch run compiles it with the system C compiler (0.3–0.4 s here, once) into the cache
directory (its own 0700 folder, with the sha256 recorded at build time), and ``ctypes`` loads it
only while that hash matches. Its one argument is a struct (:class:`BatchArgs`, the C
``batch_t``). Without a compiler, or with ``COMPLAINT_CLASSIFIER_NATIVE=0``, the NumPy path runs
instead; the two agree to 1e-12 (tested). Nothing here runs at import time.

>>> from classifier.engine.kernel import kernel
>>> kernel() is None or callable(kernel())
True
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import stat
import sys
import tempfile
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress
from pathlib import Path

import numpy as np

from ..advice.result import Reason
from ..errors import LeanUnsupported, NativeKernelError
from ..fileformat import sha256_file
from ..paths import private_cache_folder
from ..text.concepts import TAGS
from .guard import Evidence
from .kernel_reasons import (
    Entries,
    ReasonsArgs,
    ReasonTables,
    address_of,
    find_reasons,
    struct_fields,
)
from .kernel_spelling import SpellArgs, readable
from .numpy_batch import NumpyBatchScorer
from .reasons import token_flags
from .scorer import Scores
from .tables import EMPTY, CodeTable, WordNgrams, code_points
from .weights import LeanWeights

__all__ = [
    "BATCH_FIELDS",
    "MAX_CLASSES",
    "BatchArgs",
    "CompactTables",
    "KernelScorer",
    "Native",
    "kernel",
    "kernel_status",
    "score_batch",
]

SOURCE = Path(__file__).with_name("_kernel.c")
_DISABLE = "COMPLAINT_CLASSIFIER_NATIVE"
MAX_CLASSES = 16  # as _kernel.c: more classes than this, and the kernel refuses
# The C batch_t's fields in order: p = pointer, i = 64-bit integer (a test parses _kernel.c)
BATCH_FIELDS = (
    ("n_rows", "i"),
    ("k", "i"),
    ("decision", "p"),
    ("coef", "p"),
    ("feature_bits", "i"),
    ("tokens", "p"),
    ("n_tokens", "i"),
    ("word_low", "i"),
    ("word_high", "i"),
    ("n_word_ids", "i"),
    ("word_unigram", "p"),
    ("pair_slots", "p"),
    ("pair_mask", "i"),
    ("pair_shift", "i"),
    ("word_idf", "p"),
    ("n_word_features", "i"),
    ("chars", "p"),
    ("n_chars", "i"),
    ("char_low", "i"),
    ("char_high", "i"),
    ("bmp_id", "p"),
    ("astral", "p"),
    ("n_astral", "i"),
    ("char_bits", "i"),
    ("char_unigram", "p"),
    ("bigram_slots", "p"),
    ("bigram_mask", "i"),
    ("bigram_shift", "i"),
    ("trigram_slots", "p"),
    ("trigram_mask", "i"),
    ("trigram_shift", "i"),
    ("prune", "i"),
    ("char_idf", "p"),
    ("n_char_features", "i"),
    ("entry_starts", "p"),
    ("entry_features", "p"),
    ("entry_terms", "p"),
    ("entry_capacity", "i"),
    ("guard_weights", "p"),
    ("guard_sums", "p"),
)


class BatchArgs(ctypes.Structure):
    """``batch_t``: the scoring function's one argument."""

    _fields_ = struct_fields(BATCH_FIELDS)


class Native:
    """The loaded kernel: called, it scores a batch (``cc_score_batch``); :attr:`reasons` is
    ``cc_reasons`` and :attr:`spell` ``cc_spell``."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self.score = library.cc_score_batch
        self.score.argtypes = [ctypes.POINTER(BatchArgs)]
        self.score.restype = ctypes.c_int
        self.reasons = library.cc_reasons
        self.reasons.argtypes = [ctypes.POINTER(ReasonsArgs)]
        self.reasons.restype = ctypes.c_int
        self.spell = library.cc_spell
        self.spell.argtypes = [ctypes.POINTER(SpellArgs)]
        self.spell.restype = ctypes.c_int

    def __call__(self, args: object) -> int:
        return int(self.score(args))


_status = "not tried"


def kernel_status() -> str:
    """How the last :func:`kernel` call went: ``"loaded"``, or why the NumPy path runs."""
    return _status


def _compiler() -> str | None:
    found = (shutil.which(name) for name in (os.environ.get("CC"), "cc", "gcc", "clang") if name)
    return next((path for path in found if path), None)


def _verified(folder: Path, tag: str) -> Path | None:
    """The library recorded for ``tag`` when it was built, if its sha256 still matches the record."""
    record = folder / f"kernel-{tag}.sha256"
    try:
        expected = record.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    library = folder / f"kernel-{tag}-{expected[:16]}.so"
    try:
        info = os.lstat(library)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        return None
    return library if sha256_file(library) == expected else None


def _build(folder: Path, tag: str, compiler: str) -> Path:
    """Compile the kernel into ``folder`` and record its sha256 (atomic: concurrent first runs
    each leave a complete library and a record naming one)."""
    # imported only here, to compile once per machine: answering one text must not pay for it
    # (subprocess is the largest import of a cold start's engine modules, -X importtime)
    import subprocess

    fd, partial = tempfile.mkstemp(dir=folder, prefix=".kernel-", suffix=".so")
    os.close(fd)
    fd, record = tempfile.mkstemp(dir=folder, prefix=".kernel-", suffix=".sha256")
    os.close(fd)
    try:
        command = [compiler, "-O2", "-shared", "-fPIC", "-o", partial, str(SOURCE), "-lm"]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=120)
        except subprocess.SubprocessError as exc:
            raise NativeKernelError(f"the compiler failed ({type(exc).__name__})") from None
        os.chmod(partial, 0o700)
        digest = sha256_file(Path(partial))
        library = folder / f"kernel-{tag}-{digest[:16]}.so"
        os.replace(partial, library)
        Path(record).write_text(digest + "\n", "ascii")
        os.replace(record, folder / f"kernel-{tag}.sha256")
        return library
    finally:
        for leftover in (partial, record):
            if os.path.exists(leftover):
                os.unlink(leftover)


@lru_cache(maxsize=1)
def kernel() -> Native | None:
    """The compiled kernel (called, it runs ``cc_score_batch``), or None when it cannot be had.

    The library is built once per user and machine into a private folder, and loaded only if
    its sha256 is the one recorded when it was built: a library planted in the cache folder is
    rebuilt over, never loaded.
    """
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
    source = SOURCE.read_bytes()
    tag = hashlib.sha256(source + compiler.encode() + platform.machine().encode()).hexdigest()[:16]
    try:
        folder = private_cache_folder("kernel")  # loading a library runs its code
    except OSError as exc:
        _status = f"not loading a kernel from a folder others can write ({exc})"
        return None
    try:
        library = _verified(folder, tag) or _build(folder, tag, compiler)
        loaded = Native(ctypes.CDLL(str(library)))
    except (OSError, AttributeError) as exc:  # AttributeError: a function missing from the library
        _status = f"could not build or load the kernel ({type(exc).__name__})"
        return None
    _status = "loaded"
    return loaded


def _packed(
    codes: np.ndarray, features: np.ndarray, feature_bits: int
) -> tuple[CodeTable, tuple[np.ndarray, int, int]]:
    """(the hash table, (slots, mask, shift)): each slot ``code << feature_bits | feature``, or
    EMPTY; half the slots are empty, as the kernel's probing expects."""
    table = CodeTable(codes, features, spread=2)
    slots = np.where(table.keys == EMPTY, EMPTY, (table.keys << feature_bits) | table.values)
    return table, (np.ascontiguousarray(slots, dtype=np.int64), table.mask, int(table.shift))


class CompactTables:
    """The kernel's n-gram tables, built once per model from its vocabularies.

    Characters of the character features are numbered 1..V; an n-gram's code is its numbers
    side by side, ``char_bits`` bits each.
    """

    def __init__(
        self,
        char_terms: list[str],
        char_range: tuple[int, int],
        words: WordNgrams,
        coef: np.ndarray,
        word_idf: np.ndarray,
        char_idf: np.ndarray,
    ) -> None:
        # what the kernel reads, as the C types it expects
        self.coef = np.ascontiguousarray(coef, dtype=np.float64)
        self.word_idf = np.ascontiguousarray(word_idf, dtype=np.float64)
        self.char_idf = np.ascontiguousarray(char_idf, dtype=np.float64)
        n_features = len(self.word_idf) + len(self.char_idf)
        if self.coef.ndim != 2 or len(self.coef) != n_features:
            raise LeanUnsupported("coefficients do not match the vocabularies")
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

    # what to_arrays saves besides the model's own arrays (coefficients and idf weights)
    _SAVED = ("bmp_id", "astral", "char_unigram", "word_unigram")
    _NUMBERS = (
        "char_low",
        "char_high",
        "word_low",
        "word_high",
        "feature_bits",
        "char_bits",
        "n_astral",
        "prune",
        "n_word_ids",
    )
    _PACKED = ("bigrams", "trigrams", "pairs")

    def to_arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`from_arrays` needs besides the model's arrays (see :mod:`.table_cache`)."""
        arrays = {name: getattr(self, name) for name in self._SAVED}
        arrays["numbers"] = np.array([int(getattr(self, name)) for name in self._NUMBERS])
        for name in self._PACKED:
            slots, mask, shift = getattr(self, name)
            arrays[name] = slots
            arrays[f"{name}_hash"] = np.array([mask, shift])
        return arrays

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, np.ndarray], coef: np.ndarray, word_idf: np.ndarray, char_idf: np.ndarray
    ) -> CompactTables:
        """The tables :meth:`to_arrays` saved, for the model whose arrays these are."""
        tables = cls.__new__(cls)
        tables.coef = np.ascontiguousarray(coef, dtype=np.float64)
        tables.word_idf = np.ascontiguousarray(word_idf, dtype=np.float64)
        tables.char_idf = np.ascontiguousarray(char_idf, dtype=np.float64)
        numbers = arrays["numbers"].tolist()
        if len(numbers) != len(cls._NUMBERS):
            raise LeanUnsupported("saved kernel tables of another layout")
        for name, value in zip(cls._NUMBERS, numbers):
            setattr(tables, name, int(value))
        tables.prune = bool(tables.prune)
        tables.bmp_id = np.ascontiguousarray(arrays["bmp_id"], dtype=np.int32)
        tables.astral = np.ascontiguousarray(arrays["astral"], dtype=np.int64)
        tables.char_unigram = np.ascontiguousarray(arrays["char_unigram"], dtype=np.int64)
        tables.word_unigram = np.ascontiguousarray(arrays["word_unigram"], dtype=np.int64)
        for name in cls._PACKED:
            mask, shift = (int(n) for n in arrays[f"{name}_hash"])
            slots = np.ascontiguousarray(arrays[name], dtype=np.int64)
            if slots.shape != (mask + 1,) or mask & (mask + 1) or shift != 64 - mask.bit_length():
                raise LeanUnsupported("saved kernel tables whose hash slots do not match their mask")
            setattr(tables, name, (slots, mask, shift))
        n_features = len(tables.word_idf) + len(tables.char_idf)
        if tables.bmp_id.shape != (0x10000,) or len(tables.coef) != n_features:
            raise LeanUnsupported("saved kernel tables of another model")
        if tables.feature_bits != max(1, (n_features - 1).bit_length()):
            raise LeanUnsupported("saved kernel tables of another model")
        # what the kernel indexes with what: character numbers, word ids, astral pairs
        numbers = np.concatenate((tables.bmp_id, tables.astral[1 : 2 * tables.n_astral : 2]))
        if (
            len(tables.astral) != 2 * max(tables.n_astral, 1)
            or len(tables.word_unigram) != tables.n_word_ids
            or int(numbers.max(initial=0)) >= len(tables.char_unigram)
        ):
            raise LeanUnsupported("saved kernel tables whose parts do not fit together")
        return tables

    def fits(self) -> bool:
        """Whether every packed slot fits in 63 bits (else the NumPy path is used)."""
        code_bits = max(3 * self.char_bits, 2 * max(1, self.n_word_ids.bit_length()))
        return code_bits + self.feature_bits <= 63


# each tables object's half of the struct (not pickled with the tables: its addresses are this process's)
_TABLE_ARGS: weakref.WeakKeyDictionary[CompactTables, BatchArgs] = weakref.WeakKeyDictionary()


def _table_args(tables: CompactTables) -> BatchArgs:
    """The model's half of ``batch_t`` (its tables' sizes and addresses), built once per tables
    object: a batch copies it and fills in its own half (for one text, building it anew cost more
    than scoring)."""
    made = _TABLE_ARGS.get(tables)
    if made is None:
        made = BatchArgs(
            k=tables.coef.shape[1],
            coef=address_of(tables.coef),
            feature_bits=tables.feature_bits,
            word_low=tables.word_low,
            word_high=tables.word_high,
            n_word_ids=tables.n_word_ids,
            word_unigram=address_of(tables.word_unigram),
            pair_slots=address_of(tables.pairs[0]),
            pair_mask=tables.pairs[1],
            pair_shift=tables.pairs[2],
            word_idf=address_of(tables.word_idf),
            n_word_features=len(tables.word_idf),
            char_low=tables.char_low,
            char_high=tables.char_high,
            bmp_id=address_of(tables.bmp_id),
            astral=address_of(tables.astral),
            n_astral=tables.n_astral,
            char_bits=tables.char_bits,
            char_unigram=address_of(tables.char_unigram),
            bigram_slots=address_of(tables.bigrams[0]),
            bigram_mask=tables.bigrams[1],
            bigram_shift=tables.bigrams[2],
            trigram_slots=address_of(tables.trigrams[0]),
            trigram_mask=tables.trigrams[1],
            trigram_shift=tables.trigrams[2],
            prune=int(tables.prune),
            char_idf=address_of(tables.char_idf),
            n_char_features=len(tables.char_idf),
        )
        _TABLE_ARGS[tables] = made  # kept while the tables (whose arrays it points into) live
    return made


def score_batch(
    function: Callable[..., int],
    tables: CompactTables,
    decision: np.ndarray,
    tokens: np.ndarray,
    chars: np.ndarray,
    entries: Entries | None = None,
    evidence: tuple[np.ndarray, np.ndarray] | None = None,
) -> bool:
    """Add every row's weighted coefficients to ``decision`` (rows × classes, holding the
    intercepts); False if the kernel refused the input (the caller then uses NumPy).

    ``tokens`` are the word ids of the batch's raw tokens (int64), ``chars`` the code points of
    the normalised texts joined by newlines (uint32). ``entries``, if given, receives each row's
    features and weights (room for ``2 * len(tokens) + 3 * len(chars)`` is always enough).
    ``evidence``, if given, is the content guard's weights (classes × character features) and
    an array of zeros shaped as ``decision``, which receives each row's sum of the weights of its
    distinct character n-grams (:class:`.guard.Evidence`).
    """
    if decision.dtype != np.float64 or not (decision.flags.c_contiguous and decision.flags.writeable):
        raise LeanUnsupported("decision must be a writeable C-ordered float64 array (it is updated in place)")
    tokens = np.ascontiguousarray(tokens, dtype=np.int64)
    chars = np.ascontiguousarray(chars, dtype=np.uint32)
    if decision.shape[1] != tables.coef.shape[1]:
        return False
    args = BatchArgs.from_buffer_copy(_table_args(tables))
    args.n_rows = decision.shape[0]
    args.decision = address_of(decision)
    args.tokens, args.n_tokens = address_of(tokens), len(tokens)
    args.chars, args.n_chars = address_of(chars), len(chars)
    if entries is not None:
        if len(entries.starts) != 2 * decision.shape[0] + 1:
            raise LeanUnsupported("entries must have room for the starts of every row's two channels")
        if entries.terms.shape[1] != decision.shape[1]:
            raise LeanUnsupported("entries must have room for a term per class")
        args.entry_starts, args.entry_features, args.entry_terms = entries.addresses()
        args.entry_capacity = len(entries.features)
    if evidence is not None:
        weights, sums = evidence
        if weights.dtype != np.float64 or not weights.flags.c_contiguous:
            raise LeanUnsupported("the guard's weights must be a C-ordered float64 array")
        if weights.shape != (decision.shape[1], len(tables.char_idf)):
            raise LeanUnsupported(
                "the guard's weights must have a row per class and a column per character feature"
            )
        if sums.shape != decision.shape or sums.dtype != np.float64 or not sums.flags.c_contiguous:
            raise LeanUnsupported("the evidence sums must be a C-ordered float64 array shaped as decision")
        args.guard_weights, args.guard_sums = address_of(weights), address_of(sums)
    return function(ctypes.byref(args)) == 0


class KernelScorer:
    """Scores one batch with the compiled kernel, reasons too (a
    :class:`~classifier.engine.scorer.Scorer`): the NumPy batch path's numbers, to the bit where
    reasons are asked for."""

    name = "kernel"

    def __init__(self, weights: LeanWeights, numpy_batch: NumpyBatchScorer) -> None:
        self.weights = weights
        self.numpy_batch = numpy_batch  # its word tables give the word ids the kernel reads

    @cached_property
    def tables(self) -> CompactTables | None:
        """The kernel's tables, or None where the kernel cannot be had or used for this model."""
        w = self.weights
        if kernel() is None or not w.batch_supported():
            return None
        tables = w.table_cache.get(
            "kernel",
            lambda: CompactTables(
                w.meta["char_terms"],
                w.char_range,
                self.numpy_batch.word_tables,
                w.coef,
                w.word_idf,
                w.char_idf,
            ),
            CompactTables.to_arrays,
            lambda arrays: CompactTables.from_arrays(arrays, w.coef, w.word_idf, w.char_idf),
        )
        return tables if tables.fits() else None

    @cached_property
    def reason_tables(self) -> ReasonTables:
        """What the kernel reads to find reasons (built on the first batch that asks for them)."""
        return self.weights.table_cache.get(
            "reasons",
            lambda: ReasonTables(self.weights, self.numpy_batch.word_tables),
            ReasonTables.to_arrays,
            ReasonTables.from_arrays,
        )

    def proba(self, texts: list[str]) -> np.ndarray | None:
        """Probabilities of one batch, or None where the kernel is missing or refused the input."""
        scored = self.scores(texts)
        return None if scored is None else scored[0]

    def scores(
        self, texts: list[str], *, reasons: bool = False, evidence: Evidence | None = None
    ) -> Scores | None:
        """(probabilities, each text's reasons or None) of one batch, or None where the kernel is
        missing or refused the input (the caller then asks the NumPy path).

        ``evidence``, if given (zeros, a row per text), receives what the content guard reads
        (:class:`.guard.Evidence`), found while the texts are scored.
        """
        tables, native = self.tables, kernel()
        if tables is None or native is None:
            return None
        w = self.weights
        normalized = w.normalized(texts)
        cut = w.tokenizer.cut_joined(normalized)
        batch = _Batch(
            texts, normalized, cut, self.numpy_batch.word_tables.encode(cut), code_points(normalized)
        )
        decision = np.repeat(w.intercept[None, :], len(texts), axis=0)
        sums = None
        if evidence is not None:
            evidence.content[:] = w.guard_.content(normalized)
            sums = (w.guard_.weights_by_class, evidence.sums)
        if not reasons:
            scored = score_batch(native, tables, decision, batch.tokens, batch.chars, evidence=sums)
            return (w.calibrated(decision), None) if scored else None
        room = 2 * len(batch.tokens) + 3 * len(batch.chars)
        k = len(w.intercept)
        entries = Entries.for_one_row(room, k) if len(texts) == 1 else Entries(len(texts), room, k)
        if not score_batch(native, tables, decision, batch.tokens, batch.chars, entries, sums):
            return None
        proba = w.calibrated(decision)
        found = self.reasons(batch, proba, entries)
        return None if found is None else (proba, found)

    def reasons(self, batch: _Batch, proba: np.ndarray, entries: Entries) -> list[list[Reason]] | None:
        """Each text's reasons for its top class, from what :func:`score_batch` left in
        ``entries``: picked and placed in its words by the kernel, spelled as in the text here.
        None if the kernel refused the batch."""
        native = kernel()
        if native is None:
            return None
        cut, tokens = batch.cut, batch.tokens
        if self.weights.tokenizer.concepts:  # tags are in no text: reasons are placed among the words
            keep = [token not in TAGS for token in cut]
            cut, tokens = list(compress(cut, keep)), tokens[np.array(keep, dtype=bool)]
        found = find_reasons(
            native.reasons,
            self.reason_tables,
            proba.argmax(axis=1),
            entries,
            tokens,
            token_flags(cut),
            batch.chars,
        )
        return (
            None
            if found is None
            else readable(self.weights, batch.texts, batch.normalized, found, native.spell)
        )

    def score_texts(self, texts: list[str], *, reasons: bool = False) -> Scores:
        """(probabilities, each text's reasons or None) of one batch."""
        scored = self.scores(texts, reasons=reasons)
        if scored is None:
            raise LeanUnsupported(f"the kernel cannot score this batch ({kernel_status()})")
        return scored


@dataclass
class _Batch:
    """A batch as the kernel reads it: the texts, normalised, their raw tokens (``cut``), the
    tokens' word ids and the normalised texts' code points."""

    texts: list[str]
    normalized: list[str]
    cut: list[str]
    tokens: np.ndarray
    chars: np.ndarray
