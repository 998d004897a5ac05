"""Chinese numerals read without cn2an: written out in full (一百九十九, 两千零五, 三万五千),
abbreviated (两千五, 一万二), as a string of digits (一二三), and the shapes cn2an refuses.

cn2an reads every way of writing a number, but importing it costs about 0.15 s, which a batch
run pays in every worker. The numbers people write next to 元/块 are nearly all of the shapes
here: :func:`numeral_value` reads them as cn2an's smart mode does, and :func:`cn2an_refuses`
names strings it would refuse (百 alone, a range such as 两三百), so the caller hands cn2an only
the rest (decimals with 点, 亿 …). ``tests/text/test_numerals.py`` checks both against cn2an
on every string of up to four numeral characters.
"""

from __future__ import annotations

import re

__all__ = [
    "abbreviated_number",
    "cn2an_refuses",
    "digit_string_number",
    "numeral_value",
    "written_out_number",
]

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NO_UNIT = 10_000  # "the unit before" of a section's first digit


def _section(text: str) -> int | None:
    """A number below 10,000 written out in full (一百零一, 两千五百, 十二), else None."""
    if not text:
        return None
    if text[0] == "十":  # 十, 十二: a leading 十 is one ten
        text = "一" + text
    value, before, gap, i = 0, _NO_UNIT, False, 0
    while i < len(text):
        char = text[i]
        if char == "零":  # marks skipped units: once, between two digits
            if gap or i == 0 or i + 1 == len(text):
                return None
            gap, i = True, i + 1
            continue
        digit = _DIGITS.get(char)
        if digit is None:
            return None
        if i + 1 == len(text):  # the units digit: after 十, after 零, or alone
            if char == "两" and before != _NO_UNIT:
                return None
            if (not gap) if before == _NO_UNIT else (before == 10) != gap:
                return value + digit
            return None
        unit = _UNITS.get(text[i + 1])
        if unit is None or unit >= before or (unit == 10 and char == "两"):
            return None
        if before != _NO_UNIT and (unit * 10 < before) != gap:  # 零 exactly where a unit is skipped
            return None
        value, before, gap, i = value + digit * unit, unit, False, i + 2
    return value


def written_out_number(text: str) -> int | None:
    """The value of a number below 100,000,000 written out in full, else None (abbreviations,
    digit strings, decimals, 亿 and anything unusual are left to cn2an).

    >>> written_out_number("一百九十九"), written_out_number("两千零五"), written_out_number("三万五千")
    (199, 2005, 35000)
    >>> written_out_number("两千五") is None, written_out_number("一二三") is None
    (True, True)
    """
    if "万" not in text:
        return _section(text)
    high, _, low = text.partition("万")
    top = _section(high)
    if top is None or "万" in low:
        return None
    if not low:
        return top * 10_000
    if low[0] == "零":
        rest = _section(low[1:])
        return None if rest is None or rest >= 1000 else top * 10_000 + rest
    rest = _section(low)
    return None if rest is None or rest < 1000 else top * 10_000 + rest


_DIGIT_VALUES = {"零": 0, "〇": 0, **_DIGITS}
_PLACES = {"百": 100, "千": 1000, "万": 10_000}  # a unit an abbreviation's last digit may follow


def digit_string_number(text: str) -> int | None:
    """Two or more digits with no unit, read as a number written digit by digit, else None.

    >>> digit_string_number("一二三"), digit_string_number("两三"), digit_string_number("三百")
    (123, 23, None)
    """
    if len(text) < 2 or not all(char in _DIGIT_VALUES for char in text):
        return None
    return int("".join(str(_DIGIT_VALUES[char]) for char in text))


def abbreviated_number(text: str) -> int | None:
    """A number written out in full but for its last unit (两千五 is 2,500, 三千二百四 is 3,240,
    一万二 is 12,000), else None.

    >>> abbreviated_number("两千五"), abbreviated_number("十万八"), abbreviated_number("两千零五")
    (2500, 108000, None)
    """
    if len(text) < 3 or text[-2] not in _PLACES:
        return None
    digit = _DIGIT_VALUES.get(text[-1])
    head = written_out_number(text[:-1]) if digit else None
    return None if head is None or digit is None else head + digit * _PLACES[text[-2]] // 10


def numeral_value(text: str) -> int | None:
    """The value cn2an's smart mode gives ``text`` where it is written out in full, abbreviated
    or digit by digit; None for any other string (which cn2an may or may not read).

    >>> [numeral_value(t) for t in ("一百九十九", "一千二", "八九", "三点五")]
    [199, 1200, 89, None]
    """
    for read in (written_out_number, abbreviated_number, digit_string_number):
        value = read(text)
        if value is not None:
            return value
    return None


# units alone (百, 千万); two different digits before a last unit, a range (两三百, 一千四五百)
_UNITS_ALONE = re.compile("[百千万亿][十百千万亿]*")
_RANGE_AT_END = re.compile("([一二两三四五六七八九])(?!\\1)[一二两三四五六七八九][十百千万亿]$")


def cn2an_refuses(text: str) -> bool:
    """Whether cn2an's smart mode refuses ``text`` for one of two shapes: units alone, or a range
    before its last unit. (False says nothing: cn2an may refuse other strings too.)

    >>> cn2an_refuses("百"), cn2an_refuses("两三百"), cn2an_refuses("两百")
    (True, True, False)
    """
    return _UNITS_ALONE.fullmatch(text) is not None or _RANGE_AT_END.search(text) is not None
