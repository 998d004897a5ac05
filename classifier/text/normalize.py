"""Text normalisation shared by training and prediction.

Every text goes through :func:`normalize_text` before it is tokenised, so the model sees
the same form at fit and at predict time: NFKC (full-width → half-width), Latin lower case,
traditional → simplified characters, collapsed whitespace, and volatile details (amounts,
order numbers, phone numbers, dates, times, URLs, versions, other numbers) replaced by one
placeholder character each. The placeholders are private-use characters, so they survive a
second normalisation unchanged and count as one character in character n-grams.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, overload

import numpy as np

from ..errors import InvalidInputError

__all__ = [
    "AMOUNT_NUMBER",
    "PLACEHOLDERS",
    "Origins",
    "normalize_aligned",
    "normalize_many",
    "normalize_text",
    "placeholder_name",
    "simplified_converter",
]

# placeholder character -> token name shown to people and used as the jieba token
PLACEHOLDERS: dict[str, str] = {
    "\ue001": "<money>",
    "\ue002": "<orderno>",
    "\ue003": "<phone>",
    "\ue004": "<date>",
    "\ue005": "<time>",
    "\ue006": "<url>",
    "\ue007": "<version>",
    "\ue008": "<num>",
}
_CHAR = {name.strip("<>"): char for char, name in PLACEHOLDERS.items()}

_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_MONEY_UNIT = r"(?:块钱|块|元|圆|rmb|人民币|美元|美金|刀)"
# The number of an amount: digits, with commas only between groups of three (1,299 or 12,000,000),
# never starting inside a run of digits (a start there fails wherever the run's first digit fails,
# and trying each would cost time quadratic in the run's length). NFKC turns the Chinese clause
# comma into ",", so "工单61706749，777元" is an order number and 777元, not ¥61,706,749,777; nor
# are the digits that end a time or version ("20:30,199元", "v2.3.1,100元") the head of a grouped
# amount (after a label's colon they are: "金额:2,999元").
# (Possessive: what follows a number never starts with a digit or a comma, so giving some back
# cannot help, and not trying halves the rule's time.)
AMOUNT_NUMBER = r"\d(?<!\d\d)(?:(?<!\d[.:]\d)\d{0,2}+(?:,\d\d\d)++|\d*+)(?:\.\d+)?"

# Order matters: the most specific patterns run first, so 2023年11月28日 becomes a date
# before its digits could be read as a plain number.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("url", re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？、]+")),
    ("money", re.compile(rf"[¥$]\s*{AMOUNT_NUMBER}(?:\s*[万千])?")),
    ("money", re.compile(rf"{AMOUNT_NUMBER}\s*(?:[万千百]\s*)?" + _MONEY_UNIT)),
    ("money", re.compile(rf"[{_CN_NUM}]{{1,8}}(?:块钱|块(?!儿)|元|圆)")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)(?:400|800)[- ]?\d{3}[- ]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")),
    # (digits never matched from inside a run of them: see AMOUNT_NUMBER)
    ("version", re.compile(r"(?<![a-z0-9])v\d+(?:\.\d+)*|\d(?<!\d\d)\d*(?:(?:\.\d+){2,}|\.\d+(?=\s*版))")),
    ("date", re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*[日号]?)?")),
    ("date", re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")),
    ("date", re.compile(r"(?<![\d.])\d{1,2}/\d{1,2}(?![\d/])")),
    ("time", re.compile(r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?")),
    ("time", re.compile(r"\d{1,2}\s*点\s*(?:\d{1,2}\s*分?|半|钟)?")),
    ("orderno", re.compile(r"(?<![a-z0-9])(?=[a-z0-9-]*\d{6})[a-z0-9][a-z0-9-]{9,}(?![a-z0-9])")),
    ("orderno", re.compile(r"\d{8,}")),
    ("num", re.compile(r"\d+(?:\.\d+)?%?")),
]
# Service numbers that name a platform or an authority are words, not volatile numbers.
_KEEP_NUMBERS = frozenset(
    "12306 12315 12345 12123 12333 12329 12366 95516 95588 95533 95599 95555 95566 95559 "
    "95528 95595 95558 95568 95577 95561 95501 95511 95519 10086 10010 10000 12580 110 "
    "120 119 315 618 11 双11".split()
)
# Private-use characters other than our placeholders, and lone surrogates.
_UNUSABLE = re.compile("[\ue000\ue009-\uf8ff\ud800-\udfff]")
# Between texts normalised together: "。" is a character no rule can match, so no match spans two
# texts, and every lookaround sees what it sees at a text's edge; \ue000 never survives
# normalisation, so the separator cannot come from a text.
_WALL = "。\ue000。"
_UNUSABLE_BUT_WALL = re.compile("[\ue009-\uf8ff\ud800-\udfff]")


def _inert_class() -> str:
    """Characters no rule can match or look at: CJK ideographs the rules never name, 。 and 、."""
    named = sorted({c for _, p in _RULES for c in p.pattern if "\u4e00" <= c <= "\u9fff"})
    ranges, start = [], 0x4E00
    for char in [*named, "\ua000"]:
        if ord(char) > start:
            ranges.append(f"{chr(start)}-{chr(ord(char) - 1)}")
        start = ord(char) + 1
    return "".join(ranges) + "。、"


_INERT = _inert_class()
# A rule only changes text inside an "island", a run of non-inert characters, and only in an
# island holding what every rule needs: a digit, www./http, or 元/块/圆 (Chinese-numeral money).
_ISLAND = re.compile(rf"(?<![^{_INERT}])[^{_INERT}]*?(?:\d|www\.|https?://|[元块圆])[^{_INERT}]*")
# Text longer than this (a batch joined into one string) is worth handing to NumPy.
_LONG_TEXT = 1000
# Characters whose compatibility decomposition NFKC applies: full-width forms, ellipsis, ①…
_COMPAT_BLOCKS = [
    (0xA0, 0x100),
    (0x2000, 0x2200),
    (0x2460, 0x2500),
    (0x3000, 0x3001),
    (0x3200, 0x3400),
    (0xF900, 0xFB00),
    (0xFE10, 0xFE70),
    (0xFF00, 0xFFF0),
]


@lru_cache(maxsize=1)
def _compat_table() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {}
    for low, high in _COMPAT_BLOCKS:
        for code in range(low, high):
            decomposed = unicodedata.normalize("NFKD", chr(code))
            if decomposed != chr(code):
                table[chr(code)] = decomposed
    return re.compile("[" + "".join(map(re.escape, table)) + "]"), table


@lru_cache(maxsize=1)
def _compat_arrays() -> tuple[np.ndarray, re.Pattern[str]]:
    """(code point → its one-character decomposition, for the BMP; pattern of the longer ones)."""
    _, table = _compat_table()
    single = np.arange(0x10000, dtype=np.uint32)
    for char, decomposed in table.items():
        if len(decomposed) == 1:
            single[ord(char)] = ord(decomposed)
    longer = [char for char, decomposed in table.items() if len(decomposed) > 1]
    return single, re.compile("[" + "".join(map(re.escape, longer)) + "]")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, several times faster on Chinese text.

    Replacing a character by its compatibility decomposition does not change a string's NFKC
    form; when what is left is already NFKC (nearly always), the slow full pass is skipped.
    Long texts (a batch) have their one-character decompositions mapped with NumPy.
    """
    pattern, table = _compat_table()
    if len(text) > _LONG_TEXT:
        single, pattern = _compat_arrays()
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:  # lone surrogates: left to the full pass
            return unicodedata.normalize("NFKC", text)
        text = (
            np.where(codes < 0x10000, single[np.minimum(codes, 0xFFFF)], codes).tobytes().decode("utf-32-le")
        )
    text = pattern.sub(lambda m: table[m.group()], text)
    if len(text) > _LONG_TEXT:
        # checked piece by piece between full stops: one character that needs a closer look makes
        # is_normalized() normalise the whole string, so a batch would be normalised in full.
        # 。 is a stable character (a starter that composes with nothing on either side), so
        # NFKC(a + "。" + b) == NFKC(a) + "。" + NFKC(b)
        return "。".join(
            piece if unicodedata.is_normalized("NFKC", piece) else unicodedata.normalize("NFKC", piece)
            for piece in text.split("。")
        )
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


_WEB = re.compile(r"www\.|https?://")


@lru_cache(maxsize=1)
def _island_tables() -> tuple[np.ndarray, np.ndarray]:
    """(inert?, trigger?) for every BMP code point, as :data:`_ISLAND` reads them."""
    bmp = "".join(map(chr, range(0x10000)))
    inert = np.zeros(0x10000, dtype=bool)
    inert[[ord(c) for c in re.findall(f"[{_INERT}]", bmp)]] = True
    trigger = np.zeros(0x10000, dtype=bool)
    trigger[[ord(c) for c in re.findall(r"[\d元块圆]", bmp)]] = True
    return inert, trigger


def _island_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every island: what ``_ISLAND.finditer`` finds, with NumPy for long text.

    An island is a maximal run of non-inert characters holding a digit, 元/块/圆, ``www.`` or
    ``http(s)://``.
    """
    if len(text) <= _LONG_TEXT:
        return [m.span() for m in _ISLAND.finditer(text)]
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates
        return [m.span() for m in _ISLAND.finditer(text)]
    inert, trigger = _island_tables()
    bmp = np.minimum(codes, 0xFFFF)
    astral = codes > 0xFFFF
    live = ~inert[bmp] | astral  # every character beyond the BMP is non-inert
    hit = trigger[bmp] & ~astral
    if astral.any():  # digits beyond the BMP (\d is any Unicode decimal digit)
        at = np.flatnonzero(astral)
        hit[at] = [chr(c).isdecimal() for c in codes[at].tolist()]
    for match in _WEB.finditer(text):
        hit[match.start()] = True
    edges = np.flatnonzero(np.diff(live.view(np.int8), prepend=0, append=0))
    starts, ends = edges[0::2], edges[1::2]
    hits_before = np.concatenate(([0], np.cumsum(hit)))
    keep = hits_before[ends] > hits_before[starts]
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def _apply_rules(text: str) -> str:
    """Run the placeholder rules, in order, over the islands only (the same result, faster)."""
    spans = _island_spans(text)
    if not spans:
        return text
    islands = "。".join(text[start:end] for start, end in spans)
    for name, pattern in _RULES:
        islands = pattern.sub(_replacement(_CHAR[name]), islands)
    pieces: list[str] = []
    previous = 0
    for (start, end), island in zip(spans, islands.split("。")):
        pieces += (text[previous:start], island)
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


@lru_cache(maxsize=1)
def simplified_converter() -> Any:
    """OpenCC's traditional → simplified converter, built once.

    >>> simplified_converter().convert("頁面打不開")
    '页面打不开'
    """
    # imported on first use: opencc loads its conversion tables at import (no work at import time)
    import opencc

    return opencc.OpenCC("t2s")


def _replacement(char: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return match.group() if match.group() in _KEEP_NUMBERS else char

    return replace


def placeholder_name(char: str) -> str:
    """Return the token name of a placeholder character, e.g. ``'<money>'``."""
    return PLACEHOLDERS[char]


def normalize_text(text: str, *, traditional: bool = True, placeholders: bool = True) -> str:
    """Normalise one complaint for tokenisation.

    Parameters
    ----------
    text : the raw complaint.
    traditional : convert traditional characters to simplified ones.
    placeholders : replace amounts, numbers, dates … with placeholder characters.

    >>> normalize_text("付款顯示失敗，ＡＰＰ扣了１９９元") == "付款显示失败,app扣了\ue001"
    True
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"normalize_text expects a str, got {type(text).__name__}")
    return _normalized_text(text, traditional, placeholders)


@lru_cache(maxsize=16)
def _normalized_text(text: str, traditional: bool, placeholders: bool) -> str:
    """:func:`normalize_text`, remembered for the last few texts: one text is normalised by the
    model, then by the content guard (engine.guard)."""
    # Stray private-use characters carry no meaning in a complaint and lone surrogates cannot
    # be encoded for the converter; our own placeholders stay, so normalising is idempotent.
    return _normalized(text, _UNUSABLE, traditional, placeholders).strip()


def _normalized(text: str, unusable: re.Pattern[str], traditional: bool, placeholders: bool) -> str:
    text = unusable.sub("", _nfkc(text).lower())
    if traditional:
        text = simplified_converter().convert(text)
    if placeholders:
        text = _apply_rules(text)
    # whitespace runs → one space, as re.sub(r"\s+", " ", text) would, but faster; the ends,
    # which differ, are stripped by both callers
    return " ".join(text.split())


def normalize_many(texts: list[str], *, traditional: bool = True, placeholders: bool = True) -> list[str]:
    """:func:`normalize_text` of every text, computed in one pass over all of them (much faster).

    >>> normalize_many(["扣了１９９元", "頁面打不開"]) == ["扣了\ue001", "页面打不开"]
    True
    """
    if not texts:
        return []
    if len(texts) == 1:
        return [normalize_text(texts[0], traditional=traditional, placeholders=placeholders)]
    global _last_batch
    last = _last_batch
    if last[0] == (traditional, placeholders) and last[1] == texts:
        return list(last[2])
    joined = _WALL.join(texts)
    if joined.count("\ue000") != len(texts) - 1:  # a text carries \ue000 itself: one at a time
        result = [normalize_text(t, traditional=traditional, placeholders=placeholders) for t in texts]
    else:
        joined = _normalized(joined, _UNUSABLE_BUT_WALL, traditional, placeholders)
        result = [text.strip() for text in joined.split(_WALL)]
    _last_batch = ((traditional, placeholders), list(texts), result)
    return list(result)


# The last batch normalize_many normalised, and its result: a batch may be read twice (by the
# model, then by whatever else reads it normalised: the content guard where the kernel did not
# score it, the reasons of the NumPy path), and the second time costs a list comparison (the
# same str objects: one pointer comparison each). One slot, replaced as a whole (thread-safe).
_last_batch: tuple[tuple[bool, bool], list[str], list[str]] = ((False, False), [], [])


class Origins(Sequence[tuple[int, int]]):
    """For each character of a normalised text, the ``(start, end)`` of the original characters
    it comes from, kept as two sequences of ints (lists, or ranges where each character comes
    from the one in its place) and made into pairs only when asked for.

    >>> origins = Origins([0, 2, 6], [2, 6, 7])
    >>> origins[1], len(origins), list(origins)[-1]
    ((2, 6), 3, (6, 7))
    """

    __slots__ = ("starts", "ends")

    def __init__(self, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(index, slice):
            return list(zip(self.starts[index], self.ends[index]))
        return self.starts[index], self.ends[index]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Origins):
            return list(self.starts) == list(other.starts) and list(self.ends) == list(other.ends)
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Origins({list(self)!r})"


@lru_cache(maxsize=1)
def _compat_expanding() -> re.Pattern[str]:
    """The pattern of the compatibility characters that decompose into more than one character."""
    _, table = _compat_table()
    return re.compile("[" + "".join(re.escape(c) for c, out in table.items() if len(out) > 1) + "]")


@lru_cache(maxsize=1)
def _single_decompositions() -> dict[int, str]:
    """The compatibility characters that decompose into one character, and what they become."""
    return {ord(char): out for char, out in _compat_table()[1].items() if len(out) == 1}


def _compatible_in_place(text: str) -> str | None:
    """:func:`_compatible_aligned`'s text when each character of ``text`` becomes one character
    in its place (nearly always: each then comes from itself), else None."""
    if _compat_expanding().search(text) is not None:
        return None
    joined = text.translate(_single_decompositions())
    lowered = joined.lower()
    if (
        len(lowered) != len(joined)
        or not unicodedata.is_normalized("NFKC", joined)
        or _UNUSABLE.search(lowered)
    ):
        return None
    return lowered


def _compatible_aligned(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC, lower case and stray private-use characters removed, with where each character
    comes from (its start and end in ``text``)."""
    in_place = _compatible_in_place(text)
    if in_place is not None:
        return in_place, list(range(len(text))), list(range(1, len(text) + 1))
    pattern, table = _compat_table()
    if _compat_expanding().search(text) is None:
        # each compatibility character (，！１ …) becomes one character: each comes from itself
        joined = pattern.sub(lambda m: table[m.group()], text)
        starts, ends = list(range(len(text))), list(range(1, len(text) + 1))
    else:
        pieces: list[str] = []
        starts, ends = [], []
        previous = 0
        for match in pattern.finditer(text):
            at = match.start()
            pieces.append(text[previous:at])
            starts.extend(range(previous, at))
            decomposed = table[match.group()]
            pieces.append(decomposed)
            starts.extend([at] * len(decomposed))
            previous = at + 1
        pieces.append(text[previous:])
        starts.extend(range(previous, len(text)))
        joined = "".join(pieces)
        ends = [at + 1 for at in starts]
    lowered = joined.lower()
    if len(lowered) != len(joined) or not unicodedata.is_normalized("NFKC", joined):
        # combining sequences, or a letter whose lower case is longer: character by character
        chars: list[str] = []
        starts = []
        for i, char in enumerate(text):
            for out in unicodedata.normalize("NFKC", char).lower():
                chars.append(out)
                starts.append(i)
        lowered = "".join(chars)
        ends = [at + 1 for at in starts]
    if _UNUSABLE.search(lowered):
        keep = [i for i, c in enumerate(lowered) if not _UNUSABLE.match(c)]
        lowered = "".join(lowered[i] for i in keep)
        starts, ends = [starts[i] for i in keep], [ends[i] for i in keep]
    return lowered, starts, ends


_Edit = tuple[int, int, str, list[int], list[int]]


def _spliced(
    text: str, starts: list[int], ends: list[int], edits: Iterable[_Edit]
) -> tuple[str, list[int], list[int]]:
    """``text`` with each edit ``(at, end, piece, its starts, its ends)`` (in order, apart) put in
    place of ``text[at:end]``, each character's origin carried along."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    previous = 0
    for at, end, piece, piece_starts, piece_ends in edits:
        pieces.append(text[previous:at])
        pieces.append(piece)
        new_starts += starts[previous:at]
        new_starts += piece_starts
        new_ends += ends[previous:at]
        new_ends += piece_ends
        previous = end
    pieces.append(text[previous:])
    new_starts += starts[previous:]
    new_ends += ends[previous:]
    return "".join(pieces), new_starts, new_ends


def _placeholders_aligned(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """The placeholder rules run over ``text`` (an island), in order, each character's origin
    carried along (a placeholder comes from the first to the last character it replaces)."""
    for name, pattern in _RULES:
        if not pattern.search(text):
            continue
        char = _CHAR[name]
        edits = [
            (m.start(), m.end(), char, [starts[m.start()]], [ends[m.end() - 1]])
            for m in pattern.finditer(text)
            if m.group() not in _KEEP_NUMBERS
        ]
        text, starts, ends = _spliced(text, starts, ends, edits)
    return text, starts, ends


_SPACES = re.compile(r"\s+")
# what makes a character of a normalised text come from more or fewer than one character in its
# place: a placeholder, a space (runs are collapsed, the ends stripped)
_NOT_ONE_TO_ONE = re.compile("[" + "".join(PLACEHOLDERS) + " ]")
# characters that NFKC and lower-casing turn into one character each, none combining, composing
# or removed: CJK ideographs, printable ASCII, full-width forms, CJK punctuation (without the
# combining tone marks U+302A–U+302F, which NFKC reorders), general punctuation, emoji (those
# that decompose into several, such as …, are ruled out separately)
_PLAIN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\u0021-\u007e\uff01-\uff5e\u3001-\u3029\u3030-\u303f"
    "\u2010-\u2027\u2030-\u205e\u2600-\u27bf\U0001f300-\U0001faff]*"
)


def _one_to_one(text: str, normalized: str) -> bool:
    """Whether ``normalized`` (``normalize_text(text)``) comes from ``text`` character by
    character, each in its place: ``text`` holds only characters that normalise to one
    character each, none decomposing into several, and ``normalized`` is as long, with no
    placeholder or space in it (the simplified-character conversion changed no length).

    >>> _one_to_one("頁面打不開！", "页面打不开!"), _one_to_one("扣了199元", "扣了\ue001")
    (True, False)
    """
    return (
        len(normalized) == len(text)
        and _PLAIN.fullmatch(text) is not None
        and _NOT_ONE_TO_ONE.search(normalized) is None
        and _compat_expanding().search(text) is None
    )


def normalize_aligned(
    text: str, *, traditional: bool = True, expected: str | None = None
) -> tuple[str, Origins] | None:
    """:func:`normalize_text` of ``text`` and, for each of its characters, the ``(start, end)`` of
    the original characters it comes from (a placeholder: the whole amount, date …).

    Slower than :func:`normalize_text`; used to show a reader the words behind a feature. None
    in the rare case the character-by-character path does not give ``normalize_text``'s result
    (a conversion that changes the length of a phrase). ``expected`` is ``normalize_text(text)``
    when the caller already has it.

    >>> normalized, spans = normalize_aligned("扣了１９９元！")
    >>> normalized == "扣了\ue001!", spans[2]
    (True, (2, 6))
    """
    if expected is not None and _one_to_one(text, expected):
        # two complaints in three: every character became one character in its place
        return expected, Origins(range(len(expected)), range(1, len(expected) + 1))
    joined, starts, ends = _compatible_aligned(text)
    if traditional:
        converted = simplified_converter().convert(joined)
        if len(converted) != len(joined):
            return None
        joined = converted
    # the rules change text only inside islands (see _ISLAND): most complaints have none
    islands = [
        (at, end, *_placeholders_aligned(joined[at:end], starts[at:end], ends[at:end]))
        for at, end in _island_spans(joined)
    ]
    if islands:
        joined, starts, ends = _spliced(joined, starts, ends, islands)
    if _SPACES.search(joined):
        # whitespace runs → one space from the run's first character, ends stripped (as
        # normalize_text)
        last = len(joined)
        runs = [
            (at, end, " ", [starts[at]], [ends[at]]) if 0 < at and end < last else (at, end, "", [], [])
            for at, end in (m.span() for m in _SPACES.finditer(joined))
        ]
        joined, starts, ends = _spliced(joined, starts, ends, runs)
    if joined != (normalize_text(text, traditional=traditional) if expected is None else expected):
        return None
    return joined, Origins(starts, ends)
