"""Chinese numerals written out in full (一百九十九, 两千零五, 三万五千), read without cn2an.

cn2an reads every way of writing a number (abbreviations such as 两千五, digit strings such as
一二三, decimals with 点, 亿), but importing it costs about 0.15 s, which a batch run pays in
every worker. The numbers people write next to 元/块 are nearly all written out in full:
:func:`written_out_number` reads exactly those, and says None for anything else, which the
caller hands to cn2an. ``tests/text/test_numerals.py`` checks that it agrees with cn2an on every
string it reads.
"""

from __future__ import annotations

__all__ = ["written_out_number"]

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
