"""Reasons: the terms that pushed a text towards its class, the same whichever engine scored it.

An engine first picks the strongest features (:func:`reasons_from`, :func:`pick_reasons`): raw
n-grams of the normalised text, such as ``了四``, ``<money>`` or a word and the character
n-gram inside it. :func:`readable_reasons` then turns them into what a reader can follow:
words and phrases of the original text (a placeholder becomes the amount it replaced,
overlapping n-grams become one phrase cut at word boundaries, function words and punctuation
at the edges are dropped), each with the summed weight of the features behind it, which stay
listed in :attr:`Reason.features`. In between, the raw reasons become :func:`phrases` of the
normalised text; the kernel picks them and finds these phrases in C (:mod:`.kernel_reasons`),
then spells them with the same code as here (:func:`reasons_of_phrases`).

>>> import numpy as np
>>> names = {0: "chars__扣钱", 1: "chars__扣"}
>>> [r.term for r in reasons_from(lambda j: names[[1, 0][j]], np.array([0.5, 0.5]), np.array([1, 0]))]
['扣钱']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..advice.result import Reason
from ..text.alignment import aligned_text
from ..text.concepts import TAG_MARK
from ..text.normalize import PLACEHOLDERS, Origins
from ..text.tokenizer import NOT_A_WORD, JiebaTokenizer

__all__ = [
    "RAW_REASONS",
    "SHOWN_REASONS",
    "TOKEN_COUNT",
    "TOKEN_FILLER",
    "TOKEN_PUNCTUATION",
    "TOKEN_SHIFT",
    "TOKEN_SPACE",
    "Phrase",
    "are_reasons",
    "display_term",
    "display_terms",
    "is_a_reason",
    "phrases",
    "pick_reasons",
    "readable_reasons",
    "reasons_from",
    "reasons_of_phrases",
    "token_flags",
]

# Function words carry weight in the model but explain nothing to a reader; they are not shown
# alone (a phrase may hold them: 卡里没到账). Nor are single characters that read as nothing on
# their own: 要, 能, 把, 给, 里, 有 … (a third of the reasons of `other` rows were such characters,
# and the words after them say more). Words that judge (好, 差, 坏, 慢) and negations (不, 没, 未)
# still count.
_NOT_A_REASON = frozenset(
    "的了但我你他她它是在都也就还和与及吗呢吧啊呀着过又很太这那个之而或则却"
    "要能会才得把给跟更比像算啥被让从向为于所以其该每各此并且如若即便再最挺超里裡有可起自均"
)
# Raw features an engine picks per text, and readable reasons shown after merging them.
RAW_REASONS = 8
SHOWN_REASONS = 5
_NAMES = {name: char for char, name in PLACEHOLDERS.items()}
_NUMBER = _NAMES["<num>"]
# (and lone surrogates, half an emoji: no character, and no UTF-8 writer can write one)
_PRIVATE = re.compile("[\ud800-\udfff\ue000-\uf8ff]")
_COUNT = re.compile("^[0-9零一二两三四五六七八九十百千万几半]+个?$")
# What the kernel knows of a raw token (shared with _kernel.c's TOKEN_*; a test compares them):
# punctuation, a filler trimmed at a phrase's edges, a count, a space; its length above TOKEN_SHIFT.
TOKEN_PUNCTUATION, TOKEN_FILLER, TOKEN_COUNT, TOKEN_SPACE, TOKEN_SHIFT = 1, 2, 4, 8, 8
_FLAGS_CACHED = 65_536  # tokens whose flags are remembered (≈ 8 MB)


class _Flags(dict[str, int]):
    """Tokens' flags, each worked out when first read (``flags[token]``)."""

    def __missing__(self, token: str) -> int:
        value = self[token] = _token_flags(token)
        return value


_flags = _Flags()


@lru_cache(maxsize=65536)
def display_term(name: str) -> str:
    """A feature name as scikit-learn writes it (``words__扣 钱``, ``chars__扣了``) → the raw term
    (placeholders spelled ``<money>``)."""
    channel, _, term = name.partition("__")
    term = term.replace(" ", "") if channel == "words" else term.strip()
    for char, token in PLACEHOLDERS.items():
        term = term.replace(char, token)
    return term


def display_terms(word_terms: Sequence[str], char_terms: Sequence[str]) -> list[str]:
    """:func:`display_term` of every feature of a vocabulary (words, then characters), at once.

    >>> display_terms(["扣 钱", "\ue001"], [" 钱", "\ue001元"])
    ['扣钱', '<money>', '钱', '<money>元']
    """
    # one string per channel, so each replacement runs once ("\n" is in no term: texts are
    # normalised before they are cut into n-grams)
    words = "\n".join(word_terms).replace(" ", "")
    chars = "\n".join(term.strip() for term in char_terms)
    for char, token in PLACEHOLDERS.items():
        words, chars = words.replace(char, token), chars.replace(char, token)
    return (words.split("\n") if word_terms else []) + (chars.split("\n") if char_terms else [])


def is_a_reason(term: str) -> bool:
    """Whether a feature's term (:func:`display_term`) can be a reason: not empty, not a
    function word, no concept tag (a tag is in no text, so it cannot be shown in one).

    >>> is_a_reason("扣钱"), is_a_reason("了"), is_a_reason(""), is_a_reason("扣了§扣钱")
    (True, False, False, False)
    """
    return bool(term) and term not in _NOT_A_REASON and TAG_MARK not in term


def are_reasons(terms: Sequence[str]) -> np.ndarray:
    """:func:`is_a_reason` of every term, as a boolean array (a vocabulary has 100,000: only
    terms as short as a function word are looked at one by one).

    >>> are_reasons(["扣钱", "了", "", "§未到", "钱 §未到"]).tolist()
    [True, False, False, False, False]
    """
    flags = np.ones(len(terms), dtype=bool)
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    short = np.flatnonzero(lengths <= max(map(len, _NOT_A_REASON))).tolist()
    flags[short] = [is_a_reason(terms[i]) for i in short]
    # terms with a concept tag, found in one string of them all ("\n" is in no term)
    joined = "\n".join(terms)
    if TAG_MARK in joined:
        ends = np.cumsum(lengths + 1)
        marks = [m.start() for m in re.finditer(TAG_MARK, joined)]
        flags[np.searchsorted(ends, marks, side="right")] = False
    return flags


def pick_reasons(candidates: Iterable[tuple[str, float]], k: int = RAW_REASONS) -> list[Reason]:
    """The first k useful features of ``(feature name, contribution)`` pairs sorted by
    contribution, largest first: raw reasons, each naming its feature."""
    reasons: list[Reason] = []
    seen: set[str] = set()
    for name, weight in candidates:
        if weight <= 0 or len(reasons) >= k:
            break
        term = display_term(name)
        # a character n-gram inside a word already listed adds nothing for a reader
        if not is_a_reason(term) or term in seen or any(term in s for s in seen):
            continue
        seen.add(term)
        reasons.append(Reason(term=term, weight=float(weight), features=(name,)))
    return reasons


def reasons_from(
    name_of: Callable[[int], str], contributions: np.ndarray, features: np.ndarray, k: int = RAW_REASONS
) -> list[Reason]:
    """The k largest positive contributions as raw reasons.

    ``name_of(j)`` gives the name of the j-th contribution's feature as scikit-learn writes it
    (``words__扣 钱``, ``chars__扣了``); it is only asked for the few that can make the list.
    ``features`` are their feature indices: equal contributions are taken in feature order, so
    every engine lists the same reasons.
    """
    order = np.lexsort((np.asarray(features), -np.asarray(contributions)))
    return pick_reasons(((name_of(j), contributions[j]) for j in order), k)


def _raw_span(
    name: str, normalized: str, words: list[tuple[str, int, int]], where: dict[str, list[int]]
) -> tuple[int, int] | None:
    """Where a feature first occurs in the normalised text (character positions); ``where``
    maps each word to its positions in ``words``."""
    channel, _, term = name.partition("__")
    if channel == "words":
        grams = term.split(" ")
        n = len(grams)
        for i in where.get(grams[0], ()):
            if i + n <= len(words) and all(words[i + j][0] == grams[j] for j in range(1, n)):
                return words[i][1], words[i + n - 1][2]
        term = "".join(_NAMES.get(g, g) for g in grams)
    term = term.strip()
    at = normalized.find(term) if term else -1
    return (at, at + len(term)) if at >= 0 else None


def token_flags(tokens: list[str]) -> np.ndarray:
    """Each raw token's ``TOKEN_*`` flags and length, as the kernel reads them (int64).

    >>> token_flags(["扣了", "，", "7"]).tolist() == [2 << TOKEN_SHIFT, 1 << TOKEN_SHIFT | 3, 1 << TOKEN_SHIFT | 4]
    True
    """
    flags = _flags
    if len(flags) > _FLAGS_CACHED:  # tokens are remembered, up to a limit
        flags.clear()
    return np.fromiter(map(flags.__getitem__, tokens), dtype=np.int64, count=len(tokens))


def _token_flags(token: str) -> int:
    flags = TOKEN_PUNCTUATION if _is_punctuation(token) else 0
    flags |= TOKEN_FILLER if _is_filler(token) else 0
    flags |= TOKEN_COUNT if _is_count(token) else 0
    flags |= TOKEN_SPACE if token.isspace() else 0
    return flags | len(token) << TOKEN_SHIFT


def _is_count(token: str) -> bool:
    return token == _NUMBER or _COUNT.match(token) is not None


@lru_cache(maxsize=16384)  # also read through _flags; a long run meets far more distinct tokens
def _is_punctuation(token: str) -> bool:
    return token not in PLACEHOLDERS and not token.isspace() and bool(NOT_A_WORD.match(token))


@lru_cache(maxsize=16384)
def _is_filler(token: str) -> bool:
    if token in PLACEHOLDERS:
        return False
    return token.isspace() or bool(NOT_A_WORD.match(token)) or token in _NOT_A_REASON


def readable_reasons(
    text: str,
    raw: Sequence[Reason],
    tokenizer: JiebaTokenizer,
    *,
    traditional: bool = True,
    k: int = SHOWN_REASONS,
    normalized: str | None = None,
) -> list[Reason]:
    """Raw reasons → at most k words or phrases of ``text`` (see the module docstring).

    ``tokenizer`` is the model's word tokenizer (it reads normalised text); ``text`` is what the
    engine scored, before normalisation; ``normalized``, if the caller has it, is its normalised
    form (saves normalising it again to check the alignment).

    >>> tok = JiebaTokenizer(normalize=False)
    >>> raw = [Reason("<money>", 0.3, ("chars__\\ue001",)), Reason("黑屏", 0.2, ("words__黑屏",)),
    ...        Reason("黑屏了", 0.1, ("chars__黑屏了",))]
    >>> [(r.term, round(r.weight, 2)) for r in readable_reasons("充了30元会员就黑屏了", raw, tok)]
    [('30元', 0.3), ('黑屏', 0.3)]
    """
    if not raw:
        return []
    aligned = aligned_text(text, normalized, traditional=traditional)
    if aligned is None:
        return _unaligned(raw, k)
    normalized, origin = aligned
    return _shown(text, origin, phrases(normalized, raw, tokenizer), k)


def reasons_of_phrases(
    text: str,
    found: Sequence[Phrase],
    raw: Callable[[], Sequence[Reason]],
    aligned: tuple[str, Origins] | None,
    *,
    k: int = SHOWN_REASONS,
) -> list[Reason]:
    """:func:`readable_reasons` of a text whose raw reasons (``raw()``, not empty) an engine has
    already placed in its normalised text (``found``, as :func:`phrases` gives them: the kernel
    does this in C). ``aligned`` is the text's
    :func:`~classifier.text.alignment.normalize_aligned_many` (the kernel aligns a batch at once);
    ``raw`` is called only for a text that cannot be aligned (None).

    >>> found = [(2, 3, 0.3, ("chars__\\ue001",)), (6, 8, 0.3, ("words__黑屏", "chars__黑屏了"))]
    >>> text = "充了30元会员就黑屏了"
    >>> [(r.term, round(r.weight, 2)) for r in reasons_of_phrases(text, found, list, aligned_text(text))]
    [('30元', 0.3), ('黑屏', 0.3)]
    """
    if aligned is None:
        return _unaligned(raw(), k)
    return _shown(text, aligned[1], found, k)


def _unaligned(raw: Sequence[Reason], k: int) -> list[Reason]:
    """No way back to the original text: the raw terms that read as words."""
    return [r for r in raw if "<" not in r.term and len(r.term) > 1 and TAG_MARK not in r.term][:k]


# A phrase of a normalised text behind some raw reasons: (start, end) in characters, the summed
# weight and the features, in the order readable_reasons merges them.
Phrase = tuple[int, int, float, tuple[str, ...]]


def phrases(normalized: str, raw: Sequence[Reason], tokenizer: JiebaTokenizer) -> list[Phrase]:
    """Where raw reasons are in a normalised text, as phrases cut at word boundaries: features
    that share a word make one phrase, cut again at punctuation, fillers at the edges trimmed.

    >>> raw = [Reason("黑屏", 0.2, ("words__黑屏",)), Reason("黑屏了", 0.1, ("chars__黑屏了",))]
    >>> phrases("会员就黑屏了", raw, JiebaTokenizer(normalize=False))
    [(3, 5, 0.30000000000000004, ('words__黑屏', 'chars__黑屏了'))]
    """
    tokens = tokenizer.spans(normalized)
    words = [
        (PLACEHOLDERS.get(t, t), start, end)
        for t, start, end in tokens
        if t in PLACEHOLDERS or not _is_punctuation(t) and not t.isspace()
    ]
    where: dict[str, list[int]] = {}
    for i, (word, _, _) in enumerate(words):
        where.setdefault(word, []).append(i)
    token_at = [0] * len(normalized)
    for i, (_, start, end) in enumerate(tokens):
        token_at[start:end] = [i] * (end - start)
    found: list[_Group] = []
    for reason in raw:
        for name in reason.features:
            span = _raw_span(name, normalized, words, where)
            if span is not None and span[1] > span[0]:
                found.append(_Group(token_at[span[0]], token_at[span[1] - 1], reason.weight, reason.features))
                break
    # features that share a word make one phrase (overlapping token ranges merged, transitively) …
    merged: list[list[_Group]] = []
    reach = -1
    for group in sorted(found, key=lambda g: (g.first, g.last)):
        if merged and group.first <= reach:
            merged[-1].append(group)
        else:
            merged.append([group])
        reach = max(reach, group.last) if len(merged[-1]) > 1 else group.last
    # … cut again at punctuation: each feature goes with the words it starts on
    pieces: dict[tuple[int, int], _Group] = {}
    for members in merged:
        first, last = min(m.first for m in members), max(m.last for m in members)
        cuts = [i for i in range(first, last + 1) if _is_punctuation(tokens[i][0])]
        for member in members:
            words_at = [i for i in range(member.first, member.last + 1) if not _is_filler(tokens[i][0])]
            if not words_at:
                continue
            start = words_at[0]
            low = max([c + 1 for c in cuts if c < start], default=first)
            high = min([c - 1 for c in cuts if c > start], default=last)
            end = min(member.last, high)
            piece = pieces.get((low, high))
            if piece is None:
                pieces[(low, high)] = _Group(start, end, member.weight, member.features)
            else:
                piece.first, piece.last = min(piece.first, start), max(piece.last, end)
                piece.weight += member.weight
                piece.features += member.features
    out: list[Phrase] = []
    for group in pieces.values():
        first, last = group.first, group.last
        while first <= last and _is_filler(tokens[first][0]):
            first += 1
        while last >= first and _is_filler(tokens[last][0]):
            last -= 1
        if first > last:
            continue
        if first == last and _is_count(tokens[first][0]) and last + 1 < len(tokens):
            if not _is_punctuation(tokens[last + 1][0]) and not tokens[last + 1][0].isspace():
                last += 1  # a bare number says little: 7个, 两个小时, 三次
        out.append((tokens[first][1], tokens[last][2], group.weight, group.features))
    return out


def _shown(text: str, origin: Origins, found: Iterable[Phrase], k: int) -> list[Reason]:
    """Phrases of the normalised text → at most k reasons spelled as in ``text`` (``origin``:
    where each normalised character comes from)."""
    weights: dict[str, float] = {}  # term → summed weight, in order of first sight
    features: dict[str, tuple[str, ...]] = {}
    position: dict[str, int] = {}
    starts, ends = origin.starts, origin.ends
    for first, last, weight, named in found:
        start, end = _whole_numbers(text, starts[first], ends[last - 1])
        term = text[start:end]
        # printable and without a space: no private-use character and no whitespace to remove
        if not term.isprintable() or " " in term:
            term = " ".join(_PRIVATE.sub("", term).split())
        if not term:
            continue
        if term in weights:
            weights[term] += weight
            features[term] += named
        else:  # 0.0 + weight: the sum a new term starts, as before
            weights[term], features[term], position[term] = 0.0 + weight, named, start
    # a term inside a longer one shown (用 beside 信用卡) reads as a fragment of it: one reason
    if len(weights) > 1:
        # a term is in another iff it occurs twice in them all ("\n" is in none); the terms that
        # hold it are longer, so none of them has gone when it comes up
        joined = "\n".join(weights)
        for term in sorted([t for t in weights if joined.count(t) > 1], key=len):
            longer = next(t for t in weights if t != term and term in t)
            weights[longer] += weights.pop(term)
            features[longer] += features.pop(term)
    ordered = [t for *_, t in _strongest_first(weights, position)]
    return [Reason(t, weights[t], features[t]) for t in ordered[:k]]


# a number as a reader takes it in: digits with their decimals or groups and units (2万, 1.5万, 3千5,
# 2,999, 2.5w)
_WHOLE_NUMBER = re.compile(r"\d+(?:,\d\d\d(?!\d))*(?:\.\d+)?(?:[万千百亿]\d*)*(?:[wWkK](?![A-Za-z]))?")
_IN_A_NUMBER = frozenset("万千百亿.,wWkK")
# ... and in Chinese numerals, with a unit in them (两千三, 一万二; not 统一三个, nor the 零 of 零点,
# midnight, nor after digits: 3千一晚上 is 3千 a night)
_CN_DIGIT = "(?:[一二两三四五六七八九十百千万亿]|零(?!点))"
_WHOLE_CN_NUMBER = re.compile(rf"(?<!\d){_CN_DIGIT}*[十百千万亿]{_CN_DIGIT}*")
_CN_NUMERALS = frozenset("零一二两三四五六七八九十百千万亿")


def _whole_numbers(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``start:end`` of ``text`` widened where it cuts a number, so that a reason never
    shows part of one (扣了2 of 扣了2万 reads as ¥2; 万三天 of 1万三天 as nonsense).

    >>> text = "提现1万三天没到账"
    >>> [text[slice(*_whole_numbers(text, a, b))] for a, b in ((0, 3), (3, 9), (0, 2))]
    ['提现1万', '1万三天没到账', '提现']
    """
    size = len(text)
    if end < size:
        number = _number_at(text, end)
        if number is not None:
            end = number.end()
    if start > 0:
        number = _number_at(text, start)
        if number is not None:
            start = number.start()
    return start, end


def _number_at(text: str, at: int) -> re.Match[str] | None:
    """The whole number that ``at`` falls inside of (not at its start), if any."""
    before, after = text[at - 1], text[at]
    if (before.isdecimal() or before in _IN_A_NUMBER) and (after.isdecimal() or after in _IN_A_NUMBER):
        pattern = _WHOLE_NUMBER
    elif before in _CN_NUMERALS and after in _CN_NUMERALS:
        pattern = _WHOLE_CN_NUMBER
    else:
        return None
    for m in pattern.finditer(text, max(0, at - 32), min(len(text), at + 32)):
        if m.start() < at < m.end():
            return m
    return None


def _strongest_first(
    weights: dict[str, float], position: dict[str, int]
) -> list[tuple[float, int, int, str]]:
    """Terms by weight, largest first; weights equal to float noise (summed in another order by
    another engine) keep the order of the text, then of first sight (a stable sort's).

    >>> [t for *_, t in _strongest_first({"a": 0.1 + 0.2, "b": 0.3, "c": 0.5}, {"a": 1, "b": 0, "c": 2})]
    ['c', 'b', 'a']
    """
    # the weights rounded to 9 decimals decide; they order the terms as the weights themselves
    # do unless two are within 1e-8 (so rounding, about 750 ns a weight here, only then)
    order = sorted((-w, position[t], i, t) for i, (t, w) in enumerate(weights.items()))
    if any(b[0] - a[0] <= 1e-8 for a, b in zip(order, order[1:])):
        order = sorted((-round(-minus, 9), at, i, t) for minus, at, i, t in order)
    return order


@dataclass
class _Group:
    """Features found in the same words: their token range, summed weight and names."""

    first: int
    last: int
    weight: float
    features: tuple[str, ...]
