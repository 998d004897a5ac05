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
from functools import lru_cache

__all__ = ["PLACEHOLDERS", "normalize_text", "placeholder_name"]

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

# Order matters: the most specific patterns run first, so 2023年11月28日 becomes a date
# before its digits could be read as a plain number.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("url", re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？、]+")),
    ("money", re.compile(r"[¥$]\s*\d[\d,]*(?:\.\d+)?(?:\s*[万千])?")),
    ("money", re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:[万千百]\s*)?" + _MONEY_UNIT)),
    ("money", re.compile(rf"[{_CN_NUM}]{{1,8}}(?:块钱|块(?!儿)|元|圆)")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)(?:400|800)[- ]?\d{3}[- ]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")),
    ("version", re.compile(r"(?<![a-z0-9])v\d+(?:\.\d+)*|\d+(?:\.\d+){2,}|\d+\.\d+(?=\s*版)")),
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
_SPACES = re.compile(r"\s+")
# Private-use characters other than our placeholders, and lone surrogates.
_UNUSABLE = re.compile("[\ue000\ue009-\uf8ff\ud800-\udfff]")


@lru_cache(maxsize=1)
def _t2s():
    # Imported lazily: importing the package must not load conversion tables.
    import opencc

    return opencc.OpenCC("t2s")


def _replacement(char: str):
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
        raise TypeError(f"normalize_text expects a str, got {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text).lower()
    # Stray private-use characters carry no meaning in a complaint and lone surrogates cannot
    # be encoded for the converter; our own placeholders stay, so normalising is idempotent.
    text = _UNUSABLE.sub("", text)
    if traditional:
        text = _t2s().convert(text)
    if placeholders:
        for name, pattern in _RULES:
            text = pattern.sub(_replacement(_CHAR[name]), text)
    return _SPACES.sub(" ", text).strip()
