"""The kernel's reasons: what ``cc_reasons`` (``_kernel.c``) reads and writes.

After :func:`~.kernel.score_batch` has scored a batch and kept each row's features and terms,
``cc_reasons`` does in C what :mod:`.reasons` does row by row: it picks each row's raw reasons
for its top class (:func:`~.reasons.pick_reasons`) and places them in the row's words as
phrases (:func:`~.reasons.phrases`). Spelling each phrase as the original text does is
:mod:`.kernel_spelling`'s. The reasons are the NumPy path's, byte for byte (tested).
"""

from __future__ import annotations

import ctypes
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate

import numpy as np

from ..errors import LeanUnsupported
from .reasons import RAW_REASONS, Phrase, are_reasons, display_terms
from .tables import EMPTY, WordNgrams
from .weights import LeanWeights

__all__ = [
    "MAX_RAW",
    "MAX_SHORTLIST",
    "REASONS_FIELDS",
    "SHORTLIST",
    "Entries",
    "Found",
    "ReasonTables",
    "ReasonsArgs",
    "address_of",
    "find_reasons",
    "packed_strings",
    "struct_fields",
]

# The C reasons_t's fields in order (cc_reasons' one argument)
REASONS_FIELDS = (
    ("n_rows", "i"),
    ("k", "i"),
    ("n_raw", "i"),
    ("shortlist", "i"),
    ("top", "p"),
    ("entry_starts", "p"),
    ("entry_features", "p"),
    ("entry_terms", "p"),
    ("display", "p"),
    ("display_starts", "p"),
    ("never", "p"),
    ("word_first", "p"),
    ("word_second", "p"),
    ("n_word_features", "i"),
    ("grams", "p"),
    ("gram_starts", "p"),
    ("tokens", "p"),
    ("token_info", "p"),
    ("n_tokens", "i"),
    ("chars", "p"),
    ("n_chars", "i"),
    ("raw_counts", "p"),
    ("raw_features", "p"),
    ("raw_weights", "p"),
    ("phrase_counts", "p"),
    ("phrase_starts", "p"),
    ("phrase_ends", "p"),
    ("phrase_weights", "p"),
    ("phrase_sizes", "p"),
    ("phrase_features", "p"),
    ("status", "p"),
)
MAX_RAW = 16  # as _kernel.c: more raw reasons per text than this, and cc_reasons refuses
# Largest contributions cc_reasons keeps in order as it reads a text's (at most MAX_SHORTLIST);
# a text whose raw reasons need more has them all sorted.
SHORTLIST, MAX_SHORTLIST = 16, 64
# the fields cc_reasons writes (the last ones): each is the array of Found of the same name
_OUTPUTS = tuple(name for name, _ in REASONS_FIELDS[[n for n, _ in REASONS_FIELDS].index("raw_counts") :])
# whether each output holds one value a row (the others k)
_OUTPUT_PER_ROW = [name in ("raw_counts", "phrase_counts", "status") for name in _OUTPUTS]


def address_of(array: np.ndarray) -> int:
    """The address of an array's first element, as the kernel's structs hold it."""
    try:  # a writeable array's buffer: a third of the cost of its ctypes view (a dozen a text)
        return ctypes.addressof(ctypes.c_char.from_buffer(array))  # type: ignore[arg-type]  # NumPy's stubs lack the buffer protocol
    except (TypeError, ValueError, BufferError):  # read-only, empty or not contiguous
        return int(array.ctypes.data)


def struct_fields(fields: tuple[tuple[str, str], ...]) -> list[tuple[str, type]]:
    """A C struct's fields (p = pointer, i = 64-bit integer) as a ctypes Structure's."""
    return [(name, ctypes.c_void_p if kind == "p" else ctypes.c_int64) for name, kind in fields]


# each thread's one-row entries, outputs and struct: one text's classify() would otherwise build
# them anew (see Entries.for_one_row and find_reasons)
_THREAD = threading.local()


class Entries:
    """Each row's features and their terms (tf-idf weight times each class's coefficient), as
    the kernel leaves them for the reasons: row r's word features are
    ``features[starts[r]:starts[r + 1]]``, its character features (offset by the number of word
    features) ``features[starts[n + r]:starts[n + r + 1]]``, each ascending; ``terms[e]`` are
    entry e's k terms."""

    def __init__(self, n_rows: int, capacity: int, k: int) -> None:
        # one block, the three arrays views of it: the kernel's struct needs one address. Only the
        # starts are zeroed: zeroing the rest (room for every n-gram of the batch, most never
        # written) would make all of its pages resident, ~10 MB more per worker on a large file
        capacity = max(capacity, 1)
        block = np.empty(2 * n_rows + 1 + capacity * (1 + k), dtype=np.int64)
        self.starts = block[: 2 * n_rows + 1]
        self.starts[:] = 0
        self.features = block[2 * n_rows + 1 : 2 * n_rows + 1 + capacity]
        self.terms = block[2 * n_rows + 1 + capacity :].view(np.float64).reshape(capacity, k)
        starts = address_of(block)
        features = starts + 8 * len(self.starts)
        self._addresses = (starts, features, features + 8 * len(self.features))

    @classmethod
    def for_one_row(cls, capacity: int, k: int) -> Entries:
        """Entries for a batch of one row: this thread's own, kept between calls (grown to the
        longest text it has met, at most MAX_TEXT_CHARS), the starts zeroed; overwritten by the
        thread's next one-row batch."""
        kept: Entries | None = getattr(_THREAD, "entries", None)
        if kept is None or len(kept.features) < capacity or kept.terms.shape[1] != k:
            kept = _THREAD.entries = cls(1, capacity, k)
        else:
            kept.starts[:] = 0
        return kept

    def addresses(self) -> tuple[int, int, int]:
        """The addresses of ``starts``, ``features`` and ``terms`` (one block's, found once)."""
        return self._addresses


class ReasonsArgs(ctypes.Structure):
    """``reasons_t``: ``cc_reasons``' one argument."""

    _fields_ = struct_fields(REASONS_FIELDS)


def packed_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all the strings, uint32; where each starts, with the end last)."""
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    starts = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    points = np.frombuffer(("".join(strings) + "\0").encode("utf-32-le"), dtype=np.uint32)
    return points, starts


class ReasonTables:
    """What ``cc_reasons`` reads of a model's features, built once per model: the term a reader
    sees of each (code points) and whether it can be a reason; the words of each word feature
    and the stripped n-gram of each character feature, which it looks for in a text as
    :func:`~.reasons.phrases` does."""

    def __init__(self, weights: LeanWeights, words: WordNgrams) -> None:
        word_terms, char_terms = weights.meta["word_terms"], weights.meta["char_terms"]
        terms = display_terms(word_terms, char_terms)
        if len(terms) != len(word_terms) + len(char_terms):
            raise LeanUnsupported("a feature's term holds a newline")
        self.display, self.display_starts = packed_strings(terms)
        self.never = (~are_reasons(terms)).astype(np.uint8)
        self.grams, self.gram_starts = packed_strings([term.strip() for term in char_terms])
        self.n_word_features = len(word_terms)
        # a word feature's word ids: first (-2, matching no token, if it has none) and second
        # (-1 for a single word)
        self.word_first = np.full(max(len(word_terms), 1), -2, dtype=np.int64)
        self.word_second = np.full(max(len(word_terms), 1), -1, dtype=np.int64)
        ids = np.flatnonzero(words.unigram >= 0)
        self.word_first[words.unigram[ids]] = ids
        stored = words.pairs.keys != EMPTY
        codes, features = words.pairs.keys[stored], words.pairs.values[stored]
        self.word_first[features] = codes // max(words.n_words, 1)
        self.word_second[features] = codes % max(words.n_words, 1)

    _SAVED = ("display", "display_starts", "never", "grams", "gram_starts", "word_first", "word_second")

    def to_arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`from_arrays` needs to make these tables again (see :mod:`.table_cache`)."""
        arrays = {name: getattr(self, name) for name in self._SAVED}
        arrays["n_word_features"] = np.array(self.n_word_features)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> ReasonTables:
        """The tables :meth:`to_arrays` saved."""
        tables = cls.__new__(cls)
        for name, dtype in zip(
            cls._SAVED, (np.uint32, np.int64, np.uint8, np.uint32, np.int64, np.int64, np.int64)
        ):
            setattr(tables, name, np.ascontiguousarray(arrays[name], dtype=dtype))
        tables.n_word_features = int(arrays["n_word_features"])
        n_features = len(tables.never)
        if len(tables.display_starts) != n_features + 1 or int(tables.display_starts[-1]) >= len(
            tables.display
        ):
            raise LeanUnsupported("saved reason tables that do not add up")
        if len(tables.gram_starts) != n_features - tables.n_word_features + 1 or int(
            tables.gram_starts[-1]
        ) >= len(tables.grams):
            raise LeanUnsupported("saved reason tables that do not add up")
        if (
            len(tables.word_first) != len(tables.word_second)
            or len(tables.word_first) < tables.n_word_features
        ):
            raise LeanUnsupported("saved reason tables that do not add up")
        return tables


class Found:
    """What ``cc_reasons`` writes for a batch of n rows: per row, up to ``RAW_REASONS`` raw
    reasons (feature, contribution) and its number of phrases; the phrases of all rows one after
    the other (start, end, weight, number of features) and their features."""

    def __init__(self, n: int, k: int = RAW_REASONS) -> None:
        # one zeroed block, every output a view of it in _OUTPUTS' order (zero bits are 0.0 too):
        # the kernel's struct needs one address, the others are offsets (addresses())
        self._sizes = sizes = [n if per_row else n * k for per_row in _OUTPUT_PER_ROW]
        self._block = block = np.zeros(sum(sizes), dtype=np.int64)
        at = 0
        views = []
        for size in sizes:
            views.append(block[at : at + size])
            at += size
        (
            self.raw_counts,
            raw_features,
            raw_weights,
            self.phrase_counts,
            self.phrase_starts,
            self.phrase_ends,
            phrase_weights,
            self.phrase_sizes,
            self.phrase_features,
            self.status,
        ) = views
        self.raw_features = raw_features.reshape(n, k)
        self.raw_weights = raw_weights.view(np.float64).reshape(n, k)
        self.phrase_weights = phrase_weights.view(np.float64)

    def addresses(self) -> list[int]:
        """The addresses of the outputs, in ``_OUTPUTS``' order."""
        at = address_of(self.raw_counts)
        out = []
        for size in self._sizes:
            out.append(at)
            at += 8 * size
        return out

    def phrases(self, names: Mapping[int, str]) -> list[Phrase]:
        """Every row's phrases, one after the other, features named by ``names``."""
        n = sum(self.phrase_counts.tolist())  # (for a row or a few, NumPy's sum costs more to call)
        sizes = self.phrase_sizes[:n].tolist()
        features = [names[f] for f in self.phrase_features[: sum(sizes)].tolist()]
        ends = list(accumulate(sizes))  # a few short lists: NumPy's cumsum costs more to call
        return list(
            zip(
                self.phrase_starts[:n].tolist(),
                self.phrase_ends[:n].tolist(),
                self.phrase_weights[:n].tolist(),
                [tuple(features[end - size : end]) for end, size in zip(ends, sizes)],
            )
        )


# each tables object's half of the struct (not pickled with the tables: its addresses are this process's)
_TABLE_ARGS: weakref.WeakKeyDictionary[ReasonTables, ReasonsArgs] = weakref.WeakKeyDictionary()


def _table_args(tables: ReasonTables) -> ReasonsArgs:
    """The model's half of ``reasons_t``, built once per tables object (a batch copies it)."""
    made = _TABLE_ARGS.get(tables)
    if made is None:
        made = ReasonsArgs(
            n_raw=RAW_REASONS,
            shortlist=SHORTLIST,
            display=address_of(tables.display),
            display_starts=address_of(tables.display_starts),
            never=address_of(tables.never),
            word_first=address_of(tables.word_first),
            word_second=address_of(tables.word_second),
            n_word_features=tables.n_word_features,
            grams=address_of(tables.grams),
            gram_starts=address_of(tables.gram_starts),
        )
        _TABLE_ARGS[tables] = made  # kept while the tables (whose arrays it points into) live
    return made


def find_reasons(
    function: Callable[..., int],
    tables: ReasonTables,
    top: np.ndarray,
    entries: Entries,
    tokens: np.ndarray,
    flags: np.ndarray,
    chars: np.ndarray,
) -> Found | None:
    """Run ``cc_reasons`` (``function``) on a scored batch: ``top`` is each row's class,
    ``entries`` what :func:`~.kernel.score_batch` kept, ``tokens``/``chars`` what it read,
    ``flags`` the tokens' :func:`~.reasons.token_flags`. None if the kernel refused the input.
    A one-row batch's :class:`Found` is this thread's own, overwritten by its next one-row batch."""
    top = np.ascontiguousarray(top, dtype=np.int64)
    if len(flags) != len(tokens) or len(entries.starts) != 2 * len(top) + 1:
        raise LeanUnsupported("the tokens' flags and the entries must match the batch")
    if len(top) == 1:  # one text: this thread's own outputs, zeroed (a dozen NumPy calls fewer)
        found, args = _one_row(tables)
    else:
        found = Found(len(top))
        args = _struct(tables, found)
    args.n_rows, args.k, args.top = len(top), entries.terms.shape[1], address_of(top)
    args.entry_starts, args.entry_features, args.entry_terms = entries.addresses()
    args.tokens, args.token_info, args.n_tokens = address_of(tokens), address_of(flags), len(tokens)
    args.chars, args.n_chars = address_of(chars), len(chars)
    return found if function(ctypes.byref(args)) == 0 else None


def _one_row(tables: ReasonTables) -> tuple[Found, ReasonsArgs]:
    """This thread's one-row outputs, zeroed, and a struct holding the tables' addresses and theirs."""
    kept = getattr(_THREAD, "one_row", None)
    if kept is None or kept[0]() is not tables:  # (a weak reference: a dropped model's tables go)
        found = Found(1)
        kept = _THREAD.one_row = (weakref.ref(tables), found, _struct(tables, found))
    else:
        kept[1]._block[:] = 0
    return kept[1], kept[2]


def _struct(tables: ReasonTables, found: Found) -> ReasonsArgs:
    """``reasons_t`` holding the tables' addresses and ``found``'s (the batch's inputs to come)."""
    args = ReasonsArgs.from_buffer_copy(_table_args(tables))
    for name, address in zip(_OUTPUTS, found.addresses()):
        setattr(args, name, address)
    return args
