import itertools

import cn2an
import pytest

from classifier.text.numerals import (
    abbreviated_number,
    cn2an_refuses,
    digit_string_number,
    numeral_value,
    written_out_number,
)

_ALPHABET = "零〇一二两三四五六七八九十百千万亿点"


def _cn2an(text: str) -> float | None:
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("一百零一", 101),
        ("两千", 2000),
        ("一千零五十", 1050),
        ("三万五千", 35000),
        ("十万", 100000),
        ("一万零一", 10001),
        ("九千九百九十九万九千九百九十九", 99999999),
    ],
)
def test_reads_numbers_written_out_in_full(text, value):
    assert written_out_number(text) == value


@pytest.mark.parametrize(
    "text", ["两千五", "一百一", "一二三", "三点五", "一亿", "零", "万", "十零一", "两十"]
)
def test_leaves_abbreviations_and_odd_spellings_to_cn2an(text):
    assert written_out_number(text) is None


def _numeral_strings(longest: int = 4):
    """Every string of 1 to ``longest`` characters of the alphabet."""
    for length in range(1, longest + 1):
        for chars in itertools.product(_ALPHABET, repeat=length):
            yield "".join(chars)


def test_agrees_with_cn2an_on_every_string_of_up_to_four_numeral_characters():
    read = 0
    for text in _numeral_strings():
        value = written_out_number(text)
        if value is not None:
            read += 1
            assert float(value) == _cn2an(text), text
    assert read > 800  # it reads the common shapes, not only a handful


def test_agrees_with_cn2an_on_numbers_up_to_a_hundred_million():
    for number in range(1, 100_000_000, 99_991):
        text = cn2an.an2cn(number)
        for spelling in (text, text.replace("二", "两", 1)):
            value = written_out_number(spelling)
            assert value is None or float(value) == _cn2an(spelling), spelling
        assert written_out_number(text) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两千五", 2500),
        ("一万二", 12000),
        ("三千二百四", 3240),
        ("十万八", 108000),
        ("十二万三", 123000),
        ("两百五", 250),
    ],
)
def test_reads_abbreviations_as_cn2an_does(text, value):
    assert abbreviated_number(text) == numeral_value(text) == value == _cn2an(text)


@pytest.mark.parametrize(
    ("text", "value"), [("一二三", 123), ("两三", 23), ("一一", 11), ("一〇", 10), ("八九", 89)]
)
def test_reads_digit_strings_as_cn2an_does(text, value):
    assert digit_string_number(text) == numeral_value(text) == value == _cn2an(text)


@pytest.mark.parametrize("text", ["两千零五", "一百", "三点五", "两千五百万亿", "一千二三", "一"])
def test_leaves_other_shapes_to_the_other_readers(text):
    assert abbreviated_number(text) is None or written_out_number(text) is None
    assert digit_string_number(text) is None


def test_every_reading_agrees_with_cn2an_and_every_refusal_is_cn2an_s():
    """Every string of up to four numeral characters: what numeral_value reads, cn2an reads the
    same; what cn2an_refuses names, cn2an refuses. The shapes of amounts people write (一千二,
    两三, 两三百, 百) never need cn2an."""
    read = refused = 0
    for text in _numeral_strings():
        value = numeral_value(text)
        if value is not None:
            read += 1
            assert float(value) == _cn2an(text), text
        elif cn2an_refuses(text):
            refused += 1
            assert _cn2an(text) is None, text
    assert read > 20_000 and refused > 8_000, (read, refused)
    for text in ("一千二", "两万三", "两三", "八九", "两三百", "三四千", "一千四五百", "百", "千"):
        assert numeral_value(text) is not None or cn2an_refuses(text), text
