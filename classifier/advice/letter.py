"""A refund-request letter (退款申请) drafted from a classified complaint."""

from __future__ import annotations

from typing import Any, Protocol

from ..text.facts import mask_phones
from .playbook import load_playbook

__all__ = ["render_letter"]

_BLANK = "＿＿＿＿"


class Answered(Protocol):
    """What a letter is drafted from (a :class:`~classifier.advice.result.Result` has it all)."""

    text: str
    category: str
    facts: dict[str, Any]
    evidence: list[str]
    escalation: list[str]


def _join(values: list[str], limit: int = 3) -> str:
    return "、".join(values[:limit])


def render_letter(result: Answered, *, deadline_hours: int = 24) -> str:
    """Draft a polite, firm refund request for ``result`` (a :class:`~classifier.advice.result.Result`).

    Facts found in the complaint are filled in; missing ones are left as blanks to complete.

    >>> from classifier import classify
    >>> letter = classify("11月28日在淘宝付款显示失败，但银行卡扣了199元").letter()
    >>> "¥199" in letter and "11月28日" in letter and "12315" in letter
    True
    """
    guidance = load_playbook().category(result.category)
    facts = result.facts or {}
    platforms = (facts.get("platforms") or []) + (facts.get("channels") or [])
    platform = platforms[0] if platforms else _BLANK
    amounts = facts.get("amounts") or []
    when = " ".join((facts.get("dates") or [])[:1] + (facts.get("times") or [])[:1]) or _BLANK
    orders = facts.get("order_numbers") or []
    durations = facts.get("durations") or []
    phones = facts.get("phones") or []
    money = f"（{_join(amounts)}）" if amounts else ""
    problem = guidance.name_zh if result.category != "other" else "消费问题"
    description = mask_phones(" ".join(result.text.split()))
    if len(description) > 300:
        description = description[:300] + "……"

    lines = [
        "退款申请",
        "",
        f"致{platform if platforms else '平台'}客服及投诉处理部门：",
        "",
        f"本人于{when}在{platform}遇到{problem}，情况如下：",
        f"    {description}",
        "",
        "相关信息：",
        f"    订单号/交易流水号：{_join(orders) if orders else _BLANK + '（请补上）'}",
        f"    涉及金额：{_join(amounts) if amounts else _BLANK + '（请补上）'}",
    ]
    if channels := facts.get("channels"):
        lines.append(f"    支付方式：{_join(channels)}")
    if durations:
        lines.append(f"    问题已持续：{_join(durations)}")
    lines += [
        f"    联系电话：{phones[0] if phones else _BLANK}",
        "",
        f"根据贵平台《用户服务协议》第{_BLANK}条（关于服务不可用、支付异常时退款的约定），本人申请："
        + guidance.request.replace("{money}", money)
        + "。",
        "",
        "随本申请附上以下材料：",
    ]
    lines += [f"    {i}. {item}" for i, item in enumerate(result.evidence, 1)]
    escalation = "、".join(e.split("，")[0] for e in result.escalation[:3]) or "向消费者协会或 12315 投诉"
    lines += [
        "",
        f"请于收到本申请后 {deadline_hours} 小时内核实处理，并将结果告知本人。"
        f"如逾期未获处理或答复，本人将通过以下途径继续维权：{escalation}；"
        "必要时拨打 12315 或登录全国 12315 平台投诉。",
        "",
        "此致",
        "敬礼",
        "",
        f"申请人：{_BLANK}",
        f"日期：{_BLANK}年{_BLANK}月{_BLANK}日",
    ]
    return "\n".join(lines)
