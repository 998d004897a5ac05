"""The kernel's spelling of reasons: what ``cc_spell`` (``_kernel.c``) reads and writes.

``cc_reasons`` leaves each row's phrases in its normalised text (:class:`~.kernel_reasons.Found`).
``cc_spell`` then does :func:`~.reasons._shown`'s work for the rows it can: where each phrase
comes from in the text as written (the anchors :func:`~classifier.text.alignment._read_off`
reads off the text converted in place), the phrases that read the same added up, a term
folded into a longer one holding it, the terms ordered by weight. Python makes the strings
(:func:`readable`). A row it cannot spell is spelled by Python: a text that is not all
printable or with digits other than ASCII's, one whose anchors cannot be read off in one way
only, a phrase cut inside a number (which Python widens to the whole number), weights too close
to order without rounding. The reasons are the same, to the bit (tested).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Sequence
from functools import partial
from itertools import chain

import numpy as np

from ..advice.result import Reason
from ..text.alignment import aligned_by, in_place
from ..text.normalize import PLACEHOLDERS
from .kernel_reasons import MAX_RAW, Found, address_of, packed_strings, struct_fields
from .reasons import SHOWN_REASONS, Phrase, readable_reasons, reasons_of_phrases
from .scorer import MAX_TEXT_CHARS
from .weights import LeanWeights

__all__ = ["SPELL_FIELDS", "SPELL_MIN", "SpellArgs", "Spelled", "readable", "spell"]

# The C spell_t's fields in order (cc_spell's one argument)
SPELL_FIELDS = (
    ("n_rows", "i"),
    ("k", "i"),
    ("texts", "p"),
    ("text_starts", "p"),
    ("spaced", "p"),
    ("spaced_starts", "p"),
    ("normalized", "p"),
    ("normalized_starts", "p"),
    ("placeholders", "p"),
    ("n_placeholders", "i"),
    ("spell", "p"),
    ("phrase_counts", "p"),
    ("phrase_starts", "p"),
    ("phrase_ends", "p"),
    ("phrase_weights", "p"),
    ("shown_counts", "p"),
    ("shown_starts", "p"),
    ("shown_ends", "p"),
    ("shown_weights", "p"),
    ("shown_sizes", "p"),
    ("members", "p"),
)
_PLACEHOLDERS = np.array([ord(char) for char in PLACEHOLDERS], dtype=np.uint32)
# Batches with fewer texts to spell than this are spelled by Python: setting up cc_spell's call
# (its struct, its arrays) costs more than it saves on a few texts
SPELL_MIN = 8
# digits other than ASCII's (１, ٣ …): cc_spell knows where a number is cut by ASCII digits only
_OTHER_DIGITS = re.compile(r"(?![0-9])\d")


class SpellArgs(ctypes.Structure):
    """``spell_t``: ``cc_spell``'s one argument."""

    _fields_ = struct_fields(SPELL_FIELDS)


class Spelled:
    """What ``cc_spell`` writes for n rows: per row its number of reasons (-1: left to Python);
    per reason (k a row) its span in the text, weight and number of phrases; the phrases behind
    the row's reasons, reason after reason (``MAX_RAW`` a row, by their index in the row)."""

    def __init__(self, n: int, k: int) -> None:
        self.counts = np.zeros(n, dtype=np.int64)
        self.starts = np.zeros(n * k, dtype=np.int64)
        self.ends = np.zeros(n * k, dtype=np.int64)
        self.weights = np.zeros(n * k, dtype=np.float64)
        self.sizes = np.zeros(n * k, dtype=np.int64)
        self.members = np.zeros(n * MAX_RAW, dtype=np.int64)


def spell(
    function: Callable[..., int],
    texts: list[str],
    normalized: list[str],
    spaced: list[str | None],
    found: Found,
    k: int,
) -> Spelled | None:
    """Run ``cc_spell`` (``function``) on the rows ``found`` has phrases for: ``texts`` as shown
    (cut), their ``normalized`` texts and the texts converted in place (``spaced``, from
    :func:`~classifier.text.alignment.in_place`; None: not spelled here). None if the kernel
    refused the batch or a text cannot be read as code points (Python spells them all)."""
    n = len(texts)
    spelled = Spelled(n, k)
    wanted = [
        s is not None and text.isprintable() and not _OTHER_DIGITS.search(text)
        for text, s in zip(texts, spaced)
    ]
    try:
        text_points, text_starts = packed_strings(texts)
        spaced_points, spaced_starts = packed_strings(
            [s if s is not None and w else "" for s, w in zip(spaced, wanted)]
        )
        normalized_points, normalized_starts = packed_strings(normalized)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    flags = np.array(wanted, dtype=np.int64)
    args = SpellArgs(
        n_rows=n,
        k=k,
        texts=address_of(text_points),
        text_starts=address_of(text_starts),
        spaced=address_of(spaced_points),
        spaced_starts=address_of(spaced_starts),
        normalized=address_of(normalized_points),
        normalized_starts=address_of(normalized_starts),
        placeholders=address_of(_PLACEHOLDERS),
        n_placeholders=len(_PLACEHOLDERS),
        spell=address_of(flags),
        phrase_counts=address_of(found.phrase_counts),
        phrase_starts=address_of(found.phrase_starts),
        phrase_ends=address_of(found.phrase_ends),
        phrase_weights=address_of(found.phrase_weights),
        shown_counts=address_of(spelled.counts),
        shown_starts=address_of(spelled.starts),
        shown_ends=address_of(spelled.ends),
        shown_weights=address_of(spelled.weights),
        shown_sizes=address_of(spelled.sizes),
        members=address_of(spelled.members),
    )
    return spelled if function(ctypes.byref(args)) == 0 else None


def readable(
    weights: LeanWeights,
    texts: list[str],
    normalized: list[str],
    found: Found,
    function: Callable[..., int] | None = None,
) -> list[list[Reason]]:
    """Each text's reasons from what ``cc_reasons`` found: spelled by ``cc_spell``
    (``function``) where it can, else by :func:`~.reasons.reasons_of_phrases`; a text
    ``cc_reasons`` left to Python gets all of :func:`~.reasons.readable_reasons`."""
    w, k, n_rows = weights, SHOWN_REASONS, len(texts)
    counts, status = found.raw_counts.tolist(), found.status.tolist()
    phrases = found.phrases(w.feature_names)
    placed = [i for i, (n, s) in enumerate(zip(counts, status)) if n and not s]
    cut, norm = [""] * n_rows, [""] * n_rows
    spaced: list[str | None] = [None] * n_rows
    for i in placed:
        cut[i], norm[i] = texts[i][:MAX_TEXT_CHARS], normalized[i]
    converted = in_place([cut[i] for i in placed], [norm[i] for i in placed], traditional=w.traditional)
    for i, each in zip(placed, converted):
        spaced[i] = each
    spelled = (
        None if function is None or len(placed) < SPELL_MIN else spell(function, cut, norm, spaced, found, k)
    )
    shown = _ShownLists(spelled, k) if spelled is not None else None
    out: list[list[Reason]] = []
    at = 0
    for i, (n, p) in enumerate(zip(counts, found.phrase_counts.tolist())):
        mine, at = phrases[at : at + p], at + p
        if not n:
            out.append([])
        elif status[i]:
            text = texts[i][:MAX_TEXT_CHARS]
            out.append(
                readable_reasons(
                    text, _raw(w, found, i), w.tokenizer, traditional=w.traditional, normalized=normalized[i]
                )
            )
        elif shown is not None and shown.counts[i] >= 0:
            out.append(shown.reasons(cut[i], i, mine))
        else:
            aligned = aligned_by(cut[i], norm[i], spaced[i], traditional=w.traditional)
            out.append(reasons_of_phrases(cut[i], mine, partial(_raw, w, found, i), aligned))
    return out


class _ShownLists:
    """What ``cc_spell`` wrote, as lists (read once for the batch)."""

    def __init__(self, spelled: Spelled, k: int) -> None:
        self.k = k
        self.counts = spelled.counts.tolist()
        self.starts, self.ends = spelled.starts.tolist(), spelled.ends.tolist()
        self.weights, self.sizes = spelled.weights.tolist(), spelled.sizes.tolist()
        self.members = spelled.members.tolist()

    def reasons(self, text: str, row: int, phrases: Sequence[Phrase]) -> list[Reason]:
        """Row ``row``'s reasons (``text``: as shown; ``phrases``: the row's)."""
        at, used = row * self.k, row * MAX_RAW
        reasons = []
        for j in range(at, at + self.counts[row]):
            term = text[self.starts[j] : self.ends[j]]
            if " " in term:  # (a printable text: spaces are its only whitespace)
                term = " ".join(term.split())
            size = self.sizes[j]
            if size == 1:  # (nearly always)
                features = phrases[self.members[used]][3]
            else:
                features = tuple(chain.from_iterable(phrases[p][3] for p in self.members[used : used + size]))
            used += size
            reasons.append(Reason(term, self.weights[j], features))
        return reasons


def _raw(weights: LeanWeights, found: Found, i: int) -> list[Reason]:
    """Row i's raw reasons, as :func:`~.reasons.pick_reasons` gives them."""
    n = int(found.raw_counts[i])
    features, contributions = found.raw_features[i, :n].tolist(), found.raw_weights[i, :n].tolist()
    return [
        Reason(weights.display_term(f), c, (weights.feature_names[f],))
        for f, c in zip(features, contributions)
    ]
