"""Where each character of a batch's normalised texts comes from: :func:`normalize_aligned_many`.

A reason is found in the normalised text (``扣了\\ue001``) and shown as the complaint spells it
(``扣了１９９元``), so each text of a batch needs :func:`~.normalize.normalize_aligned`, which
runs every placeholder rule again over every island of the text. Most texts need none of that:
their characters each become one character in their place (the conversions run here once for
the whole batch), so the text between two placeholders of the normalised text is found as it
is in the converted text, and each placeholder stands for what lies between (a lone whitespace
character is a space in its place). Where that places every piece in one way only, the origins
are read off so (:class:`Anchors`); every other text (a run of whitespace, a piece found in two
places …) is left to :func:`~.normalize.normalize_aligned`. Either way the origins are the same
(tested).

>>> [(text, list(origins)) for text, origins in normalize_aligned_many(["扣了１９元", "黑屏"], ["扣了\\ue001", "黑屏"])]
[('扣了\\ue001', [(0, 1), (1, 2), (2, 5)]), ('黑屏', [(0, 1), (1, 2)])]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

import numpy as np

from .normalize import (
    _SPACES,
    _UNUSABLE_BUT_WALL,
    _WALL,
    PLACEHOLDERS,
    Origins,
    _compat_arrays,
    _compatible_in_place,
    _one_to_one,
    normalize_aligned,
    normalize_text,
    simplified_converter,
)

__all__ = [
    "Anchors",
    "aligned_by",
    "aligned_text",
    "in_place",
    "normalize_aligned_each",
    "normalize_aligned_many",
]

_PLACEHOLDER = re.compile("[" + "".join(PLACEHOLDERS) + "]")

# A character that does not simply follow its predecessor: (its position, the start and end of
# the original characters it comes from, where the character after it comes from)
Anchor = tuple[int, int, int, int]


class Anchors:
    """The origins of a text of ``length`` characters, kept as its anchors (sorted by position):
    a character that is no anchor comes from the one original character after the one its
    predecessor came from; before the first anchor, character i comes from ``lead + i``.

    >>> list(Anchors([(1, 1, 4, 4), (3, 5, 6, 8)], length=5).origins())
    [(0, 1), (1, 4), (4, 5), (5, 6), (8, 9)]
    """

    __slots__ = ("anchors", "lead", "length")

    def __init__(self, anchors: list[Anchor], *, length: int, lead: int = 0) -> None:
        self.anchors = anchors
        self.lead = lead
        self.length = length

    def origins(self) -> Origins:
        """The same origins as :class:`~.normalize.Origins` (lists: a reason reads a few of them,
        and a list is read faster than anything that works them out)."""
        starts: list[int] = []
        ends: list[int] = []
        position, origin = 0, self.lead  # where the next run of characters in their place starts
        for at, start, end, after in self.anchors:
            starts += range(origin, origin + at - position)
            ends += range(origin + 1, origin + 1 + at - position)
            starts.append(start)
            ends.append(end)
            position, origin = at + 1, after
        starts += range(origin, origin + self.length - position)
        ends += range(origin + 1, origin + 1 + self.length - position)
        return Origins(starts, ends)


def normalize_aligned_many(
    texts: Sequence[str], normalized: Sequence[str], *, traditional: bool = True
) -> list[tuple[str, Origins] | None]:
    """:func:`~.normalize.normalize_aligned` of every text, ``normalized`` being their
    :func:`~.normalize.normalize_text` (as the model has them), in passes over the whole batch."""
    return list(normalize_aligned_each(texts, normalized, traditional=traditional))


def normalize_aligned_each(
    texts: Sequence[str], normalized: Sequence[str], *, traditional: bool = True
) -> Iterator[tuple[str, Origins] | None]:
    """:func:`normalize_aligned_many`, text after text: the conversions run over the whole batch
    first, and each text's origins are made as it comes up, so a caller that uses them one by
    one never holds a whole batch's (two lists of ints a text)."""
    for text, expected, spaced in zip(
        texts, normalized, in_place(texts, normalized, traditional=traditional)
    ):
        yield aligned_by(text, expected, spaced, traditional=traditional)


def in_place(
    texts: Sequence[str], normalized: Sequence[str], *, traditional: bool = True
) -> list[str | None]:
    """Each text converted character by character in its place (NFKC, lower case, simplified
    characters), its lone whitespace characters spaces: what :func:`_read_off` reads the
    anchors off. A text whose normalised text comes from it so, each character from the one in
    its place, gets that normalised text itself (the same object); None where the conversion
    does not keep every character in its place (left to :func:`~.normalize.normalize_aligned`).

    >>> in_place(["扣了１９元", "頁面打不開", "扣了  19元"], ["扣了\ue001", "页面打不开", "扣了 \ue001"])
    ['扣了19元', '页面打不开', None]
    """
    pending = [
        i for i, (text, expected) in enumerate(zip(texts, normalized)) if not _one_to_one(text, expected)
    ]
    if len(pending) == 1:  # one text: NumPy would cost more than it saves
        one = _converted_one(texts[pending[0]], traditional)
        converted = {pending[0]: one} if one is not None else {}
    else:
        converted = _converted(texts, pending, traditional) if pending else {}
    out: list[str | None] = list(normalized)
    for i in pending:
        out[i] = _spaced(converted[i]) if i in converted else None
    return out


def aligned_by(
    text: str, expected: str, spaced: str | None, *, traditional: bool = True
) -> tuple[str, Origins] | None:
    """:func:`~.normalize.normalize_aligned` of ``text`` (``expected``: its normalised text),
    read off ``spaced`` (its :func:`in_place`) where that places every piece in one way only."""
    if spaced is expected:  # each character comes from the one in its place
        return expected, Origins(range(len(expected)), range(1, len(expected) + 1))
    anchors = None if spaced is None else _read_off(spaced, expected)
    if anchors is not None:
        return expected, anchors.origins()
    return normalize_aligned(text, traditional=traditional, expected=expected)


def aligned_text(
    text: str, normalized: str | None = None, *, traditional: bool = True
) -> tuple[str, Origins] | None:
    """:func:`~.normalize.normalize_aligned` of one text (``normalized``: its normalised form,
    if the caller has it), read off as :func:`normalize_aligned_many` reads it where it can be.

    >>> normalized, origins = aligned_text("扣了１９９元！")
    >>> normalized == "扣了\ue001!", origins[2]
    (True, (2, 6))
    """
    if normalized is None:
        normalized = normalize_text(text, traditional=traditional)
    return normalize_aligned_many([text], [normalized], traditional=traditional)[0]


def _read_off(converted: str, normalized: str) -> Anchors | None:
    """The anchors of a text whose characters each come from the one in its place
    (``converted``, its lone whitespace characters spaces already: :func:`_spaced`), read off its
    normalised text: the text between two placeholders (or
    before the first, or after the last) is found in ``converted``, and each placeholder stands
    for the (never empty) piece between what is found around it. None unless every piece can
    be found in one place only."""
    pieces = _PLACEHOLDER.split(normalized)
    if len(pieces) == 1:
        return Anchors([], length=len(normalized)) if converted == normalized else None
    head, *middle, tail = pieces
    if not converted.startswith(head) or not converted.endswith(tail):
        return None
    # each middle piece placed as early as it can be, then as late: one place only if they agree
    earliest, at = [], len(head) + 1
    for piece in middle:
        found = converted.find(piece, at)
        earliest.append(found)
        at = found + len(piece) + 1
        if found < 0:
            return None
    latest, at = [], len(converted) - len(tail) - 1
    for piece in reversed(middle):
        found = converted.rfind(piece, 0, at)
        if found < 0:
            return None
        latest.append(found)
        at = found - 1
    if at < len(head) or earliest != latest[::-1]:
        return None
    # placeholder j stands for what lies between piece j and piece j + 1
    ends = [len(head), *(found + len(piece) for found, piece in zip(earliest, middle))]
    starts = [*earliest, len(converted) - len(tail)]
    anchors: list[Anchor] = []
    position = 0
    for j, (start, stop) in enumerate(zip(ends, starts)):
        position += len(pieces[j])
        anchors.append((position, start, stop, stop))
        position += 1
    return Anchors(anchors, length=len(normalized))


def _spaced(converted: str) -> str | None:
    """A converted text's whitespace as :func:`~.normalize.normalize_text` leaves it, where that
    keeps every character in its place: each whitespace character alone, none at either end,
    becomes one space (a run of them, or one at an end, would move what follows: None).

    >>> _spaced("升级 family\\tplan"), _spaced("扣了  199元"), _spaced(" 黑屏")
    ('升级 family plan', None, None)
    """
    if not _SPACES.search(converted):
        return converted
    spaced = " ".join(converted.split())
    return spaced if len(spaced) == len(converted) else None


def _converted_one(text: str, traditional: bool) -> str | None:
    """:func:`_converted` of one text: what it becomes, or None."""
    lowered = _compatible_in_place(text)
    if lowered is None:
        return None
    converted = simplified_converter().convert(lowered) if traditional else lowered
    return converted if len(converted) == len(lowered) else None


def _converted(texts: Sequence[str], pending: list[int], traditional: bool) -> dict[int, str]:
    """The texts (by index) that NFKC, lower case and the simplified-character conversion
    change character by character, each in its place, and what they become."""
    single, expanding = _compat_arrays()
    joined = _WALL.join(texts[i] for i in pending)
    if joined.count("\ue000") != len(pending) - 1:  # a text holds the wall's mark: text by text
        return {}
    try:
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates: text by text
        return {}
    mapped = np.where(codes < 0x10000, single[np.minimum(codes, 0xFFFF)], codes).tobytes().decode("utf-32-le")
    lowered = mapped.lower()
    if len(lowered) != len(mapped):  # a letter whose lower case is longer: text by text
        return {}
    pieces = lowered.split(_WALL)
    if traditional:
        converted = simplified_converter().convert(lowered).split(_WALL)
        if len(converted) != len(pieces):
            return {}
    else:
        converted = pieces
    starts = np.cumsum([0] + [len(piece) + len(_WALL) for piece in pieces[:-1]])
    # a text with a character that decomposes into several, a combining sequence, or a stray
    # private-use character: text by text
    skip = {int(np.searchsorted(starts, m.start(), side="right")) - 1 for m in expanding.finditer(joined)}
    skip |= {
        int(np.searchsorted(starts, m.start(), side="right")) - 1
        for m in _UNUSABLE_BUT_WALL.finditer(lowered)
    }
    if not unicodedata.is_normalized("NFKC", mapped):
        skip |= {
            n for n, piece in enumerate(mapped.split(_WALL)) if not unicodedata.is_normalized("NFKC", piece)
        }
    return {
        i: after
        for n, (i, before, after) in enumerate(zip(pending, pieces, converted))
        if n not in skip and len(after) == len(before)
    }
