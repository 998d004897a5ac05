"""A letter (退款申请, 数据更正申请 …) drafted from a classified complaint.

Each category has its own letter shape in the playbook (:class:`~.playbook.LetterShape`): its
title, how the opening describes the problem, which facts it lists, the clause it cites, what
it asks for and the attachments; a payment case (:mod:`classifier.advice.cases`: a transfer that
never arrived, an ATM) and a delivery case (a parcel never received or damaged) have shapes of
their own. A letter about a bank's own service with no bank named goes to a bank left blank
(＿＿＿＿银行); a delivery case's goes to the courier the complaint names (中通快递), else to one
left blank (＿＿＿＿快递公司). Facts found in the complaint (or in other
columns of its row) are filled in; missing ones are left as blanks (＿＿＿＿) with a note to
complete them. A formal letter needs calendar dates: a relative date (昨晚, 上周三) is resolved
against ``today`` when it is given, else left as a blank quoting what the complaint said.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from ..errors import InvalidParameterError
from ..text.facts import Facts, is_relative_date, is_rough_amount, join_when, mask_private, resolve_date
from .cases import CARD_BANK, DELIVERY_CASES, SERVICE_OF, Cues, courier_of, cues_of, mentions_card
from .playbook import LetterShape, load_playbook

__all__ = [
    "MAX_DEADLINE_HOURS",
    "addressee",
    "charged_to_card",
    "is_bank",
    "letter_addressee",
    "mentions_card",
    "money_service",
    "render_letter",
]

_BLANK = "＿＿＿＿"
_DATE_BLANK = "＿＿＿＿年＿＿月＿＿日"
_TO_COMPLETE = "（请补上）"
MAX_DEADLINE_HOURS = 720  # 30 days: the longest review the guide mentions
# Payment channels that are a bank card (and every bank, :func:`is_bank`): the letter names the
# card's bank (发卡银行), never the card.
_CARDS = frozenset({"银行卡", "信用卡", "银联", "云闪付"})
# where a letter to a bank goes next: the banking regulator's and the central bank's complaint lines
_BANK_ESCALATION = "本人将向国家金融监督管理总局（12378）或中国人民银行（12363）投诉，并向消费者协会反映。"


class Answered(Protocol):
    """What a letter is drafted from (a :class:`~classifier.advice.result.Result` has it all)."""

    text: str
    category: str
    facts: Facts


def _yuan(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "元"


def charged_to_card(facts: Facts, text: str) -> bool:
    """Whether the complaint says a bank card was charged (the letter then names 发卡银行)."""
    return any(_is_card(c) for c in facts.channels) or mentions_card(text)


def addressee(facts: Facts, cues: Cues | None = None) -> str | None:
    """Who handles the complaint: the platform it is about (with ``cues``: one it ties to a
    purchase or its service first, never one it names only in passing), else a payment service
    that is not a bank card, else the bank the complaint names (its app, its card or its ATM).

    >>> from classifier.text.facts import extract_facts
    >>> addressee(extract_facts("招商银行app转账失败")), addressee(extract_facts("淘宝用银行卡付款失败"))
    ('招商银行', '淘宝')
    >>> text = "淘宝上同款才卖99，我在京东买的"
    >>> addressee(extract_facts(text)), addressee(extract_facts(text), cues_of(text, "other"))
    ('淘宝', '京东')
    """
    platforms = facts.platforms
    if cues is not None and (cues.passing or cues.tied):
        about = [p for p in platforms if p not in cues.passing]
        if platforms and not about:
            return None  # every platform named in passing (玩原神手机发烫): the shop's, unnamed
        platforms = [p for p in about if p in cues.tied][:1] or about
    return platforms[0] if platforms else money_service(facts)


def money_service(facts: Facts) -> str | None:
    """Where the money left from, by the channels the complaint names: a payment service that is
    not a bank card (a credit product through its service: 花呗 → 支付宝), else a bank (a scam's
    stop-payment is theirs to make, not the platform's the scammer pretended to be).

    >>> from classifier.text.facts import extract_facts
    >>> money_service(extract_facts("冒充淘宝客服让我用支付宝转了钱")), money_service(extract_facts("淘宝客服"))
    ('支付宝', None)
    """
    service = next((SERVICE_OF.get(c, c) for c in facts.channels if not _is_card(c)), None)
    return service or next((c for c in facts.channels if is_bank(c)), None)


def letter_addressee(facts: Facts, cues: Cues) -> str | None:
    """Whom the letter goes to: :func:`addressee`, else a bank left for the writer to name
    (＿＿＿＿银行) when the complaint is about a bank's own service (its ATM, its app …).

    >>> from classifier.text.facts import extract_facts
    >>> text = "ATM取款没出钞却扣了钱"
    >>> letter_addressee(extract_facts(text), cues_of(text))
    '＿＿＿＿银行'
    """
    name = addressee(facts, cues)
    return name or (f"{_BLANK}银行" if cues.bank else None)


def _is_card(channel: str) -> bool:
    return channel in _CARDS or is_bank(channel)


def is_bank(name: str) -> bool:
    """Whether a platform or channel name is a bank's (the letter then says 贵行, not 贵平台).

    >>> is_bank("招商银行"), is_bank("银行卡"), is_bank("支付宝")
    (True, False, False)
    """
    return name.endswith("银行")


def _when(facts: Facts, today: datetime.date | None) -> str:
    said = list(facts.dates)
    dates = list(dict.fromkeys(resolve_date(d, today) for d in said)) if today is not None else said
    times = list(facts.times[:1])
    if len(dates) > 1:
        # 昨天付款失败，今天又扣了一次: which date is the problem's is the writer's to say
        named = "".join(f"“{d}”" for d in said[:3])  # quoted items need no 、 between them
        return f"{_DATE_BLANK}（请填写问题发生的日期，投诉中提到{named}）"
    if not dates:
        dates, times = facts.row_dates[:1], times  # the row's date (投诉时间) when the text names none
    elif today is not None and said[0].endswith("晚") and not times:
        times = ["晚上"]
    if dates and is_relative_date(dates[0]):
        # a formal letter needs a calendar date: a blank, quoting what the complaint said
        clock = join_when([], times)
        return f"{_DATE_BLANK}{clock}（请填写具体日期，投诉中写的是“{dates[0]}”）"
    if not dates:
        return f"{_DATE_BLANK}{join_when([], times)}" if times else _DATE_BLANK
    return join_when(dates, times)


# what the money was for, as the payment letter's opening says it (在招商银行转账时遇到支付异常)
_ACTIONS = (
    ("转账", "转账"),
    ("转帐", "转账"),
    ("汇款", "汇款"),
    ("提现", "提现"),
    ("取款", "取款"),
    ("取钱", "取款"),
    ("还款", "还款"),
    ("缴费", "缴费"),
    ("交费", "缴费"),
    ("充值", "充值"),
)


def payment_action(text: str, default: str = "付款") -> str:
    """What the complaint was paying for when it failed: 转账, 汇款, 提现, 取款, 还款, 缴费, 充值,
    else ``default``.

    >>> payment_action("ATM取钱没吐钞"), payment_action("付款失败扣了199元")
    ('取款', '付款')
    """
    return next((action for word, action in _ACTIONS if word in text), default)


# what a case's money was doing when the text names none of _ACTIONS (ATM没吐钞, 转了5千对方没收到)
_CASE_ACTIONS = {
    "transfer_not_arrived": "转账",
    "transfer_not_received": "转账",
    "cashout_not_arrived": "提现",
    "atm_withdrawal": "取款",
    "atm_deposit": "存款",
    "atm_card": "取款",
}


def _to_bank(clause: str, platform: str | None) -> str:
    """A clause as a letter to a bank says it (贵行 and its agreement, not 贵平台's)."""
    if platform and is_bank(platform):
        return clause.replace("贵平台《用户服务协议》", "贵行相关服务协议")
    return clause


def _field_values(facts: Facts) -> dict[str, str]:
    return {
        "order_number": "、".join(facts.order_numbers[:3]),
        "waybill": "、".join(facts.waybill_numbers[:3]),
        # yuan as 199元; another currency as the facts show it (US$9.99, 20美元)
        "money": "、".join(
            _yuan(v) if shown.startswith("¥") else shown
            for shown, v in list(zip(facts.amounts, facts.amount_values))[:3]
        ),
        "channel": "、".join(facts.channels[:3]),
        "duration": "、".join(facts.durations[:2]),
        "phone": facts.phones[0] if facts.phones else "",
        "blank": "",
    }


def render_letter(result: Answered, *, deadline_hours: int = 24, today: datetime.date | None = None) -> str:
    """Draft a polite, firm letter for ``result`` (a :class:`~classifier.advice.result.Result`).

    ``deadline_hours`` (1 to 720) is the deadline the letter asks for; ``today`` dates the
    letter and resolves relative dates (昨晚, 前天) in the complaint.

    >>> from classifier import classify
    >>> letter = classify("11月28日在淘宝付款显示失败，但银行卡扣了199元").letter()
    >>> "退还被错误扣除的款项199元" in letter and "本人于11月28日在淘宝付款时" in letter
    True
    """
    if isinstance(deadline_hours, bool) or not isinstance(deadline_hours, int):
        raise InvalidParameterError(f"deadline_hours must be a whole number of hours, got {deadline_hours!r}")
    if not 1 <= deadline_hours <= MAX_DEADLINE_HOURS:
        raise InvalidParameterError(
            f"deadline_hours must be between 1 and {MAX_DEADLINE_HOURS} (hours), got {deadline_hours}"
        )
    cues = cues_of(result.text, result.category)
    case = cues.case
    shape: LetterShape = load_playbook().category(result.category).case(case).letter
    facts = result.facts if isinstance(result.facts, Facts) else Facts(**dict(result.facts or {}))
    if case in DELIVERY_CASES:  # the courier's to answer first (then the postal regulator's)
        platform: str | None = courier_of(result.text) or f"{_BLANK}快递公司"
    elif case == "transfer_not_received":  # the payee's own bank (or balance), never the payer's
        platform = cues.account or f"{_BLANK}银行"
    elif case == "scam":  # where the money left from, never the platform the scammer played
        platform = cues.account or money_service(facts) or f"{_BLANK}（银行或支付平台）"
        platform = f"{_BLANK}银行" if platform == CARD_BANK else platform
    else:
        platform = letter_addressee(facts, cues)
    action = payment_action(result.text, _CASE_ACTIONS.get(case or "", "付款"))
    values = _field_values(facts)
    description = mask_private(" ".join(result.text.split()))
    if len(description) > 300:
        description = description[:300] + "……"
    money = values["money"]
    several = len(facts.amounts) > 1
    # 三百多元: a letter asks for an exact sum, which the writer is to fill in
    rough = len(facts.amounts) == 1 and is_rough_amount(facts.amounts[0])
    if rough:
        values["money"] += "（请核对准确金额）"
    if several:
        # 每次5999元，一共11998元 / 扣了199元，退了99元: which sum is owed is the writer's to say,
        # and adding them up would ask for the wrong amount
        values["money"] += "（投诉中提到的金额，请核对）"
    request = shape.request.format(
        money=f"{_BLANK}（请填写应退金额，投诉中提到{money}）"
        if several
        else f"{_BLANK}（请填写准确金额，投诉中写的是“{money}”）"
        if rough
        else money,
        money_note=f"（涉及金额{money}）" if money else "",
        duration_note=f"（{values['duration']}）" if values["duration"] else "",
    )
    lines = [
        shape.title.format(action=action),
        "",
        f"致{platform or _BLANK}客服及投诉处理部门：",
        "",
        shape.opening.format(when=_when(facts, today), platform=platform or _BLANK, action=action),
        f"    {description}",
        "",
        "相关信息：",
    ]
    for field, label, required in shape.fields:
        if values[field]:
            lines.append(f"    {label}：{values[field]}")
        elif required:
            lines.append(f"    {label}：{_BLANK}{_TO_COMPLETE}")
    if platform and is_bank(platform):
        escalation = _BANK_ESCALATION
    elif charged_to_card(facts, result.text):
        escalation = shape.card_escalation
    else:
        escalation = shape.escalation
    lines += [
        "",
        _to_bank(shape.clause.format(blank=_BLANK), platform) + request,
        "",
        "随本申请附上以下材料：",
        *(f"    {i}. {item}" for i, item in enumerate(shape.attachments, 1)),
        "",
        f"请于收到本申请后{deadline_hours}小时内核实处理，并将结果告知本人。如逾期未获处理或答复，{escalation}",
        "",
        "此致",
        "敬礼！",
        "",
        f"申请人：{_BLANK}",
        "日期：" + (f"{today.year}年{today.month}月{today.day}日" if today else _DATE_BLANK),
    ]
    return "\n".join(lines)
