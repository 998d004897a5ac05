"""Attach the playbook's guidance to a :class:`Result`, made specific to what the complaint says."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from ..text.facts import Facts, extract_facts, join_when
from .cases import CARD_BANK, Cues, cues_of
from .letter import addressee, charged_to_card, money_service
from .playbook import Item, load_playbook
from .result import Result

__all__ = ["NO_ADVICE", "advise", "checklist", "fact_values"]

# Statuses that get no refund playbook, and the one line they get instead.
NO_ADVICE = {
    "empty_text": "没有投诉内容：请写明发生了什么",
    "needs_review": (
        "内容太少，看不出是哪一类系统故障，请人工复核；或补充发生了什么，"
        "例如“付款成功但会员没到账”“App一直打不开”“订单记录不见了”"
    ),
}


def fact_values(facts: Facts) -> dict[str, list[str]]:
    """Facts by the playbook's fact keys (money, date, time, order_number, waybill, duration,
    platform, phone)."""
    return {
        "money": facts.amounts,
        "date": facts.dates or facts.row_dates,
        "time": facts.times,
        "order_number": facts.order_numbers,
        "waybill": facts.waybill_numbers,
        "duration": facts.durations,
        "platform": facts.platforms + facts.channels,
        "phone": facts.phones,
    }


def _filled(item: Item, values: dict[str, list[str]]) -> str:
    parts: list[str] = []
    for key in item.facts:
        if key == "time" and "date" in item.facts:
            continue  # shown with the date (or alone, in the date's place, when there is none)
        found = values.get(key) or []
        if key == "date" and len(found) > 1:
            found = ["、".join(found[:2])]  # which one is the problem's the text may not say
        elif key == "date" and found:
            found = [join_when(found, values.get("time") or [])]  # the date with its time
        elif key == "date":
            found = values.get("time") or []  # no date: the times themselves
        parts.extend(found[:2])
    if not parts:
        return item.text
    if item.text.endswith("）"):  # one pair of brackets: （…，¥199）, not （…）（¥199）
        return f"{item.text[:-1]}，{'，'.join(parts)}）"
    return f"{item.text}（{'，'.join(parts)}）"


def _service(facts: Facts, text: str, cues: Cues, case: str | None) -> str:
    """Whose customer service to contact: the platform's, the card's bank's, a bank's, or the
    platform's in general."""
    if case == "transfer_not_received":  # the payee asks their own bank, not the payer's
        return f"{cues.account}官方客服" if cues.account else "开户银行的客服或柜台"
    # a scam's money is stopped where it left from, not by the platform the scammer played
    name = (cues.account or money_service(facts)) if case == "scam" else addressee(facts, cues)
    if name == CARD_BANK:  # a scam's money left a card whose bank the complaint does not name
        return "发卡银行客服"
    if name:
        return f"{name}官方客服"
    if case == "cashout_not_arrived":
        return "平台官方客服"  # the platform pays out, whatever card it pays to
    if charged_to_card(facts, text) or (cues.atm and case):
        return "发卡银行客服"  # an ATM's error is put right by the card's bank, whoever's ATM it was
    if cues.bank:
        return "银行官方客服"
    return "银行或支付平台的官方客服" if case in ("transfer_not_arrived", "scam") else "平台官方客服"


def advise(
    result: Result, *, known: Mapping[str, object] | None = None, today: datetime.date | None = None
) -> Result:
    """Fill facts, evidence, steps, tips, escalation, missing facts and warnings in place.

    ``known`` are facts from other columns of the row (see :func:`~classifier.text.facts.extract_facts`).
    A result whose status is ``empty_text`` or ``needs_review`` gets no playbook, only a line
    saying what is missing (:data:`NO_ADVICE`).

    >>> from classifier.advice.result import Result
    >>> r = advise(Result("11月28日支付宝扣了199元", "payment", "支付系统故障", 0.9, {}))
    >>> r.evidence[0]
    '银行卡或支付账户的扣款记录、扣款短信（¥199，11月28日）'
    >>> r.missing_facts[0]
    '没有提到订单号或交易流水号：申请时请补上（在订单详情或账单详情里可以找到）'
    """
    facts = extract_facts(result.text, known=known, today=today) if result.text.strip() else Facts()
    result.facts = facts
    if result.status in NO_ADVICE:
        result.missing_facts = [NO_ADVICE[result.status]]
        return result
    playbook = load_playbook()
    cues = cues_of(result.text, result.category, facts.platforms)
    guidance = playbook.category(result.category).case(cues.case)
    result.evidence, result.steps, result.missing_facts = checklist(result.category, facts, result.text, cues)
    result.tips = [item.text for item in guidance.tips + guidance.levers]
    result.escalation = [item.text for item in guidance.escalation]
    result.warnings = [item.text for item in guidance.cautions + playbook.warnings]
    return result


def checklist(
    category: str, facts: Facts, text: str = "", cues: Cues | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(evidence to keep, refund steps, facts still missing) for a category, filled with the facts.

    ``text`` is read for its :class:`~classifier.advice.cases.Cues` (a payment case such as an
    ATM, a delivery case such as a parcel never received, a bank card, a bank's own service),
    unless they are given (``cues``).

    >>> evidence, steps, missing = checklist("payment", extract_facts("支付宝扣了199元"))
    >>> evidence[0]
    '银行卡或支付账户的扣款记录、扣款短信（¥199）'
    >>> missing[0]
    '没有提到扣款的日期和时间：申请时写明，并附上扣款短信或账单截图'
    """
    cues = cues_of(text, category, facts.platforms) if cues is None else cues
    guidance = load_playbook().category(category).case(cues.case)
    case = cues.case if category == "payment" or cues.case == "scam" else None  # whom a case asks
    values = fact_values(facts)
    evidence = [_filled(item, values) for item in guidance.evidence]
    service = _service(facts, text, cues, case)
    steps = [item.text.replace("{service}", service) for item in guidance.steps]
    missing = [
        item.with_time if item.with_time and values["time"] else item.text
        for item in guidance.missing
        if not any(values.get(key) for key in item.facts)
    ]
    return evidence, steps, missing
