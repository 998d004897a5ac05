"""The answer for one complaint: category, confidence, reasons and what to do next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ..errors import NoContentError
from ..labels import LABEL_NAMES_ZH
from ..text.facts import Facts, join_when
from ..text.normalize import PLACEHOLDERS
from .letter import render_letter

__all__ = ["Reason", "Result", "STATUSES", "STATUS_NOTES"]

# Per-text statuses, shared by the API and the batch path.
STATUSES = ("ok", "empty_text", "needs_review", "truncated", "decode_error", "malformed_line", "invalid_text")

# What a status means, for people (the card's status line).
STATUS_NOTES = {
    "empty_text": "没有内容",
    "needs_review": "内容太少，无法判断故障类型，建议人工复核",
    "truncated": "文字过长，只读了前 5000 字",
}

# Why a result has no letter, for the error message (English, as every error of the library).
_NO_LETTER = {
    "empty_text": "the text is empty",
    "needs_review": "the text says too little to tell which kind of failure it is; "
    "describe what happened (e.g. 付款失败但银行卡扣了199元) and classify it again",
}

_FACT_NAMES = (
    ("amounts", "金额"),
    ("order_numbers", "订单号"),
    ("waybill_numbers", "快递单号"),
    ("phones", "电话"),
    ("platforms", "平台"),
    ("channels", "支付方式"),
    ("durations", "持续时间"),
)


def _facts_line(facts: Facts) -> str:
    parts = []
    clock = facts.times if facts.dates or not facts.row_dates else []  # (else with the row's date)
    when = "、".join(facts.dates[:3]) if len(facts.dates) > 1 else join_when(facts.dates, clock)
    if when:
        parts.append(f"时间 {when}")
    if facts.row_dates:
        parts.append(f"表格中的日期 {join_when(facts.row_dates, [] if facts.dates else facts.times)}")
    parts += [f"{name} {'、'.join(facts.get(key) or [])}" for key, name in _FACT_NAMES if facts.get(key)]
    return "；".join(parts)


@dataclass(frozen=True)
class Reason:
    """Words of the text that pushed it towards its category, with their weight in the decision.

    ``term`` is what a reader sees (words or a phrase of the original text); ``features`` are
    the model's features behind it, as scikit-learn names them (``words__黑屏``, ``chars__屏了``),
    and ``weight`` is the sum of their contributions.
    """

    term: str
    weight: float
    features: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"term": …, "weight": …, "features": […]}`` (weight rounded to 4 decimals;
        placeholders in feature names spelled ``<money>``, ``<num>`` …)."""
        return {
            "term": self.term,
            "weight": round(self.weight, 4),
            "features": [_spelled(name) for name in self.features],
        }


def _spelled(name: str) -> str:
    for char, token in PLACEHOLDERS.items():
        name = name.replace(char, token)
    return name


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(repr=False)
class Result:
    """What :func:`classifier.classify` returns for one text.

    >>> from classifier import classify
    >>> r = classify("付款显示失败但银行卡扣了199元")
    >>> r.category, r.category_zh
    ('payment', '支付系统故障')
    """

    text: str
    category: str
    category_zh: str
    confidence: float
    probabilities: dict[str, float]
    reasons: list[Reason] = field(default_factory=list)
    abstained: bool = False
    status: str = "ok"
    evidence: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)
    escalation: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    missing_facts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {
            "text": self.text,
            "category": self.category,
            "category_zh": self.category_zh,
            "confidence": round(self.confidence, 4),
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "abstained": self.abstained,
            "status": self.status,
            "reasons": [r.to_dict() for r in self.reasons],
            "facts": self.facts.to_dict() if isinstance(self.facts, Facts) else dict(self.facts),
            "missing_facts": list(self.missing_facts),
            "evidence": list(self.evidence),
            "steps": list(self.steps),
            "tips": list(self.tips),
            "escalation": list(self.escalation),
            "warnings": list(self.warnings),
        }

    def card(self) -> str:
        """A readable multi-line summary, as printed by ``complaint-classifier explain``."""
        if self.status in ("needs_review", "empty_text"):
            # nothing read, or the best failure class's confidence, which the guard overrode
            lines = [f"类别：{self.category_zh} · {self.category}（未作判断）"]
        else:
            lines = [f"类别：{self.category_zh} · {self.category}　置信度：{self.confidence:.0%}"]
        if self.abstained:
            lines.append("（模型把握不足，按“其他”处理，建议人工复核）")
        if self.status != "ok":
            note = STATUS_NOTES.get(self.status)
            lines.append(f"状态：{self.status}" + (f"（{note}）" if note else ""))
        if self.probabilities:
            probs = "、".join(f"{LABEL_NAMES_ZH.get(k, k)} {v:.0%}" for k, v in self.probabilities.items())
            lines.append(f"各类概率：{probs}")
        if self.reasons:
            lines.append("判断依据：" + "、".join(f"“{r.term}”（{r.weight:+.2f}）" for r in self.reasons))
        facts = _facts_line(self.facts) if isinstance(self.facts, Facts) else ""
        if facts:
            lines.append("已知信息：" + facts)
        sections = [
            ("需要保留的证据", self.evidence),
            ("建议步骤", self.steps),
            ("沟通技巧", self.tips),
            ("升级渠道", self.escalation),
            ("还缺的信息", self.missing_facts),
            ("提醒", self.warnings),
        ]
        for title, items in sections:
            if items:
                lines.append(f"{title}：")
                lines.extend(f"  {i}. {item}" for i, item in enumerate(items, 1))
        return "\n".join(lines)

    def letter(self, *, deadline_hours: int = 24, today: datetime.date | None = None) -> str:
        """A letter for this complaint's category, with its facts (see :mod:`classifier.advice.letter`).

        ``deadline_hours`` (1 to 720) is the deadline asked for; ``today`` dates the letter and
        resolves relative dates such as 昨晚. Raises :class:`~classifier.errors.NoContentError`
        for a result with no content to draft from (status ``empty_text`` or ``needs_review``).
        """
        if self.status in ("empty_text", "needs_review"):
            raise NoContentError(
                f"no refund request drafted: {_NO_LETTER[self.status]} (status {self.status})"
            )
        return render_letter(self, deadline_hours=deadline_hours, today=today)

    def __repr__(self) -> str:
        return (
            f"Result(category={self.category!r}, confidence={self.confidence:.2f}, "
            f"status={self.status!r}, text={_short(self.text)!r})"
        )

    def __str__(self) -> str:
        return self.card()
