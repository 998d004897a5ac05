"""What the advice reads of a complaint's own words, besides its facts: the case of a payment
complaint that needs advice of its own, and whether the complaint is about a bank's own service.

These payment cases read differently from "付款失败但扣了钱" (the category's own advice):

- ``transfer_not_arrived``: money transferred or remitted (转账, 汇款, 转给, 转了5千 …) that the
  payee never received (对方没收到, 一直没到账 …), and that the complaint does not say failed.
  The person wants the money traced and delivered, or sent back, not a refund of a charge made
  in error, and there is a serial number (交易流水号) and a receipt (电子回单) to quote, not an
  order number. ``cashout_not_arrived`` is the same for money withdrawn from a platform to one's
  own bank card (提现).
- ``atm_withdrawal``, ``atm_deposit`` and ``atm_card``: cash that an ATM (取款机, 柜员机, 存款机 …)
  did not pay out, cash it took in and did not credit, a card it kept (吞卡). They are the card's
  bank's to put right (差错处理), with the ATM's slip, its place and number as evidence.

>>> cues_of("上周五用手机银行给家人转账5000元，显示成功，对方还没收到")
Cues(card=False, bank=True, atm=False, case='transfer_not_arrived')
>>> cues_of("在ATM取款失败但银行卡扣了500元").case, cues_of("付款失败扣了199元").case
('atm_withdrawal', None)
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["CASES", "Cues", "cues_of", "mentions_card"]

CASES = ("transfer_not_arrived", "cashout_not_arrived", "atm_withdrawal", "atm_deposit", "atm_card")

# Patterns read the text in lower case, in simplified and traditional characters alike.
_NOT = "(?:没|沒|未|不)有?"
# money sent on: 转账 (转帐), 汇款, 汇过去, 转出; 转了5千, 转给房东, 转了两万, 转了[金额x] (an
# amount masked by the source), not 页面转了很久, 转了3分钟 …
_TRANSFER = re.compile(
    "转账|转帐|轉賬|轉帳|汇款|匯款|汇出|匯出|[汇匯](?:了|过去|過去|到|给|給)|转出|轉出|[转轉](?:给|給)"
    "|[转轉]了?(?:钱|錢|房租|生活费|生活費|学费|學費|货款|貨款|押金)"
    r"|[转轉]了?\s*(?:一笔|一筆|\[金额|(?:\d|[两兩二三四五六七八九十几幾百千万萬]|一[百千万萬])"
    r"(?![\d.,两兩二三四五六七八九十几幾]*多?\s*(?:分|秒|圈|下|次|遍|小时|小時|个|個|天|会|會)))"
)
# ... or withdrawn from a platform to one's own card
_CASHOUT = re.compile("提现|提現")
# ... that did not arrive: not credited (没到账, 未入账), or not received by someone (对方说没收到,
# 我妈那张卡到现在都没收到), or the money itself not received (没收到这笔钱)
_NOT_ARRIVED = re.compile(
    rf"{_NOT}(?:到账|到賬|到帐|入账|入賬|入帐|进账|進賬|進帳)|到不了账"
    rf"|{_NOT}(?:收到|收著)(?:这笔|這筆|该笔|該筆|任何)?(?:钱|錢|款|转账|轉帳|汇款|匯款|入账)"
    "|(?:对方|對方|对面|對面|收款|房东|房東|他|她|朋友|家人|亲戚|親戚|妈|媽|爸|学校|學校|医院|醫院|财务|財務"
    "|客户|客戶|供应商|供應商|室友|班长|班長|那边|那邊|卡|账户|帳戶|银行|銀行)"
    r"(?:(?!验证码|驗證碼|短信|簡訊)[^，。,.!！?？;；]){0,16}"
    "(?:(?:没|沒|未)有?(?:收到|看到|看見|见到|見到)|查不到|找不到|根本没有|根本沒有|没有这笔|沒有這筆)"
    # and plain 没到 (提现三天了还没到): with money sent, and nothing bought, it is the money
    "|(?:没|沒|未)有?到(?!期|时|時|点|點|过|過|底|家|位|\\d)"
)
# ... unless it failed (the refund of a charge made in error), or what did not arrive is what the
# money bought (话费充值没到账, 会员没到账) or a refund (退款没到账): the category's own advice
_FAILED = re.compile("失败|失敗|不成功|没成功|沒成功|未成功")
_BOUGHT = re.compile(
    "充值|充了|会员|會員|话费|話費|流量|游戏币|點券|点券|套餐|(?<![手])(?:续费|續費)|钻石|鑽石|退款|退費|退费"
)

# a cash machine (not "把我当提款机": a platform that keeps taking money)
_ATM_WORDS = (
    r"(?<![a-z])atm(?![a-z]{2})|ａｔｍ|取款机|取款機|提款机|提款機|柜员机|櫃員機|存款机|存款機|存取款"
)
_ATM = re.compile(_ATM_WORDS)
_SWALLOWED_WORDS = "吞卡|吃卡|卡被(?:机器|機器)?[吞吃]|[把将將](?:我的|我)?卡[吞吃]|吞了?(?:我的|我)?卡"
_SWALLOWED = re.compile(_SWALLOWED_WORDS)
_ATM_FIGURE = re.compile(r"[当當][^，。,.!！?？]{0,3}(?:提款机|提款機|取款机|取款機|atm)")
# putting cash in (存了5000, 存款机) and not taking it out (取款, 取钱, 没吐钞)
_DEPOSIT = re.compile("存(?:款|钱|錢|入|了|的|进|進|现|現|到)")
_WITHDRAWAL = re.compile(
    r"取(?:款|钱|錢|现|現|了|\d|[一两兩二三四五六七八九十几幾百千])|提款|吐钞|吐鈔|出钞|出鈔|吐钱|吐錢|出钱|出錢"
)

# a bank's own service, when no bank is named: its app, online banking, its counter, its ATMs
_BANK_WORDS = (
    "手机银行|手機銀行|网上银行|網上銀行|网银|網銀|银行app|銀行app|贵行|貴行|银行柜台|銀行櫃檯|跨行(?!业|業)"
)
_BANK = re.compile(_BANK_WORDS)
# any of the three, in one pass: most complaints have none. The look-ahead holds the first
# character of every alternative, so the search skips the other positions four times faster.
_BANKISH_LEADS = "手網网银銀贵貴跨aａ取提柜櫃存吞吃卡把将將"
_BANKISH = re.compile(f"(?=[{_BANKISH_LEADS}])(?:{_BANK_WORDS}|{_ATM_WORDS}|{_SWALLOWED_WORDS})")
_CARD_WORDS = ("银行卡", "信用卡", "储蓄卡", "借记卡", "发卡行")


class Cues(NamedTuple):
    """What the advice reads of a text besides its facts (hashable: the batch path keys its
    cache of advice on it)."""

    card: bool  # names a bank card (银行卡, 信用卡 …)
    # is about a bank's own service: an ATM, its app, online banking, its counter (a payment
    # complaint only in one of the cases: "付款失败，手机银行短信说扣了款" is the shop's to answer)
    bank: bool
    atm: bool  # is about a cash machine
    case: str | None  # the payment case (one of CASES), if any


def mentions_card(text: str) -> bool:
    """Whether the text names a bank card (银行卡, 信用卡 …).

    >>> mentions_card("信用卡被扣了两次"), mentions_card("支付宝被扣了两次")
    (True, False)
    """
    return any(w in text for w in _CARD_WORDS)


def cues_of(text: str, payment: bool = True) -> Cues:
    """The cues of one complaint (see the module's doc); its payment case only if ``payment``
    (only a payment complaint has one: reading the rest for one would be time lost)."""
    card = mentions_card(text)
    lowered = text.lower()  # \d and the punctuation classes match full-width forms as they are
    bankish = _BANKISH.search(lowered) is not None
    swallowed = bankish and _SWALLOWED.search(lowered) is not None
    atm = bankish and (swallowed or _ATM.search(lowered) is not None) and not _ATM_FIGURE.search(lowered)
    case = _case(lowered, atm, swallowed) if payment else None
    bank = atm or (bankish and (case is not None or not payment) and _BANK.search(lowered) is not None)
    return Cues(card, bank, atm, case)


def _case(lowered: str, atm: bool, swallowed: bool) -> str | None:
    sent = _TRANSFER.search(lowered)
    if (
        (sent or _CASHOUT.search(lowered))
        and _NOT_ARRIVED.search(lowered)
        and not _FAILED.search(lowered)
        and not _BOUGHT.search(lowered)
    ):
        return "transfer_not_arrived" if sent else "cashout_not_arrived"
    if swallowed and atm:
        return "atm_card"
    if atm:
        deposit = _DEPOSIT.search(lowered) and not _WITHDRAWAL.search(lowered.replace("存取款", ""))
        return "atm_deposit" if deposit else "atm_withdrawal"
    return None
