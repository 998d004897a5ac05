"""What the advice reads of a complaint's own words, besides its facts: the case of a payment or
delivery complaint that needs advice of its own, whether the complaint is about a bank's own
service, and which platforms it names only in passing (an app played on the phone it is about) or
ties to a purchase (京东买的): its contact is the platform it is about.

These payment cases read differently from "付款失败但扣了钱" (the category's own advice):

- ``transfer_not_arrived``: money transferred or remitted (转账, 汇款, 转给, 转了5千 …) that the
  payee never received (对方没收到, 一直没到账 …), and that the complaint does not say failed.
  The person wants the money traced and delivered, or sent back, not a refund of a charge made
  in error, and there is a serial number (交易流水号) and a receipt (电子回单) to quote, not an
  order number. Not money sent to the one complaining (对方说转给我了但我没收到): that advice
  and its letter are the sender's, and the payee has a case of their own (below).
  ``cashout_not_arrived`` is the same for money withdrawn from a platform to one's own bank
  card (提现).
- ``transfer_not_received``: money sent to the one complaining (租客说转给我了, 对方说已经汇了,
  我是收款方 …) that has not arrived (我一直没收到, 卡里没到账, 我这边查不到), and that the
  complaint does not say failed nor came in the end (终于到账了). The payee has no charge of
  their own to show: they check the account number the payer entered, ask the payer for the
  serial number and receipt (交易流水号, 电子回单), and ask their own bank whether the money
  reached the account (入账查询), not for a refund. Not money the writer sent to family
  (转给我妈): that is ``transfer_not_arrived``; nor a transfer between others the writer reports
  (他说已经转了，房东说没收到; 她转给我弟了，我弟说没收到): the writer is no payee.
- ``atm_withdrawal``, ``atm_deposit`` and ``atm_card``: cash that an ATM (取款机, 柜员机, 存款机 …)
  did not pay out, cash it took in and did not credit, a card it kept (吞卡). They are the card's
  bank's to put right (差错处理), with the ATM's slip, its place and number as evidence. Not a
  transfer made at the machine (在ATM上转了一笔钱), that names no cash taken out.

Every category has the case of a scam (``scam``), whatever the model read the complaint as: money
the writer was tricked into sending or letting go (冒充客服退款, 转到"安全账户", 刷单返利, 屏幕共享后
被转走, a fake site or link). Its answer is the police's (110, 96110) and the payer's bank's or
payment service's (止付, 冻结), not a refund from the platform the scammer pretended to be. Not a
buyer who feels cheated by a product (感觉被骗了), a shop said to fake its sales (刷单), nor a scam
that took no money of the writer's (a call, a message, one stopped in time: 差点就信了).

Complaints that are no system failure (``other``) have the delivery cases, a parcel's troubles
with the courier (快递), whose answer is the courier's and then the postal regulator's (12305):

- ``parcel_not_received``: a parcel lost (快递丢了), signed for but never received (显示已签收但我没
  收到, 被人代签), stuck (物流三天没更新, 卡在中转站) or not delivered (包裹一直没收到). Not one
  that came late (八天才到, 显示签收了却没收到，又等了一天才到), nor one whose not coming is the reason or the time of something else
  (因为快递还没到，请前台代收), nor a meal (外卖), nor a text message about a parcel with a link to
  click (a scam: 快递柜包裹滞留，点击链接缴费).
- ``parcel_damaged``: a parcel that came broken (箱子压扁了, 外包装破损, 快递被拆开过), not one
  said to be whole (没有破损) or that might have been (怕快递压坏).

>>> cues_of("上周五用手机银行给家人转账5000元，显示成功，对方还没收到")
Cues(card=False, bank=True, atm=False, case='transfer_not_arrived', account=None, passing=(), tied=())
>>> cues_of("租客说上周已经转了3000元房租给我，可我的卡里一直没到账").case
'transfer_not_received'
>>> cues_of("在ATM取款失败但银行卡扣了500元").case, cues_of("付款失败扣了199元").case
('atm_withdrawal', None)
>>> cues_of("有人冒充客服让我把钱转到安全账户，我转了两万", "other").case
'scam'
>>> cues_of("玩和平精英的时候手机烫得厉害，京东买的", "other")[5:]
(('和平精英',), ('京东',))
>>> cues_of("快递显示已签收，但我根本没收到", "other").case, cues_of("快递很快，包装完好", "other").case
('parcel_not_received', None)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ..text.facts import CHANNELS, PLATFORMS, extract_facts
from ..text.normalize import simplified_converter

__all__ = [
    "CARD_BANK",
    "CASES",
    "DELIVERY_CASES",
    "EVERY_CATEGORY_CASES",
    "PAYMENT_CASES",
    "SERVICE_OF",
    "Cues",
    "courier_of",
    "cues_of",
    "mentions_card",
]

PAYMENT_CASES = (
    "transfer_not_arrived",
    "transfer_not_received",
    "cashout_not_arrived",
    "atm_withdrawal",
    "atm_deposit",
    "atm_card",
)
DELIVERY_CASES = ("parcel_not_received", "parcel_damaged")
EVERY_CATEGORY_CASES = ("scam",)
CASES = PAYMENT_CASES + DELIVERY_CASES + EVERY_CATEGORY_CASES

# Patterns read the text in lower case, in simplified and traditional characters alike.
_NOT = "(?:没|沒|未|不)有?"
# money sent on: 转账 (转帐), 汇款, 汇过去, 转出; 转了5千, 转给房东, 转了两万, 转了[金额x] (an
# amount masked by the source), not 页面转了很久, 转了3分钟 …
_TRANSFER = re.compile(
    "转账|转帐|轉賬|轉帳|汇款|匯款|汇出|匯出|[汇匯](?:了|过去|過去|到|给|給)|转出|轉出|[转轉](?:给|給)"
    "|[转轉]了?(?:钱|錢|房租|生活费|生活費|学费|學費|货款|貨款|押金)"
    # 我转的房租, 转过去的5000块, 转过去两万 (not 页面转的圈, 电话转过去了)
    r"|[转轉](?:过去|過去)?的(?:钱|錢|款|房租|生活费|生活費|学费|學費|货款|貨款|押金|\d)"
    r"|[转轉](?:过去|過去)了?\s*(?:\d|[两兩二三四五六七八九]|一[百千万萬])"
    r"|[转轉]了?\s*(?:一笔|一筆|\[金额|(?:\d|[两兩二三四五六七八九十几幾百千万萬]|一[百千万萬])"
    r"(?![\d.,两兩二三四五六七八九十几幾]*多?\s*(?:分|秒|圈|下|次|遍|小时|小時|个|個|天|会|會)))"
)
# ... unless the money was sent to the one complaining (租客转房租给我, 对方说已经转了, 往我卡里汇):
# the case's advice and letter are the sender's (本人账户的扣款记录, 退回本人账户); a payee's is
# transfer_not_received
# who pays the writer (租客, 公司 …); the relatives after 我 that make the writer the sender (转给我妈);
# 打 as money paid (打了500, 打款, 打到我卡上)
_PAYERS = "对方|對方|他|她|租客|客户|客戶|公司|老板|老闆|买家|買家"
_KIN = "妈媽爸弟哥姐妹儿兒女老朋家爱愛同室"
_PAID = "打(?=了?(?:款|钱|錢|到|进|進|\\d))"
# said to be sent to the writer: 转给我, 往我卡里汇, 打到我卡上, 我是收款方, 转我200
_TO_WRITER = re.compile(
    "(?:[转轉汇匯](?!接|人工|到)|打(?=了?[款钱錢\\d]))(?:了|过|過)?"
    "(?:钱|錢|款|房租|生活费|生活費|货款|貨款|押金|工资|工資|[\\d,.一两兩二三四五六七八九十几幾百千万萬块塊元]+){0,2}"
    f"(?:给|給)(?:我|本人)(?![{_KIN}们們的])"
    "|(?:给|給|向|往)(?:我|本人)(?:的)?(?:卡|账户|帳戶|银行卡|銀行卡|账上|帳上)?(?:里|裡|上)?[转轉汇匯](?!接|人工|到)"
    # 公司把工资打到我卡上, 租客的房租转到我的建行卡 (money a payer sent to the writer's own
    # account; not 我从支付宝转到我的建行卡, the writer's own transfer: the sender's case)
    f"|(?:{_PAYERS}|房客|单位|單位|朋友|家人|学校|學校)"
    "[^，。,.!！?？;；\\s我]{0,10}?"
    f"(?:[转轉汇匯]|{_PAID})(?:了|过|過)?[^，。,.!！?？;；给給]{{0,8}}?(?:到|进|進|入)(?:我|本人)"
    f"(?![{_KIN}们們])(?:的|这边的|這邊的)?"
    f"(?:(?![{_KIN}])[^，。,.!！?？;；]){{0,6}}?(?:卡|账户|帳戶|账上|帳上|账号|帳號)"
    "|我是收款|我(?:作为|作為)收款"
    # 同学转我200块, 他转了我500 (转给我 said short; not 转我妈, 转我卡上 is above)
    "|[转轉汇匯](?:了)?(?:我|本人)(?=\\d|[一两兩二三四五六七八九十几幾]|的钱|的錢)"
    # 转给我的房租 (not 转给我的朋友: the money, not a person)
    "|[转轉汇匯](?:给|給)(?:我|本人)的(?:钱|錢|款|房租|生活费|生活費|货款|貨款|押金|定金|工资|工資|\\d)"
)
# ... or a payer says they sent it, to no one named: 租客说已经转了, 对方称12月1号已用支付宝汇了 (a
# few words between, no new clause, not 我) (not 我跟他说已经转了, 我对她说: what the writer told them)
_PAYER_SAYS_SENT = re.compile(
    f"(?<![跟和对對给給向])(?:{_PAYERS})(?:说|說|称|稱)[^，。,.!！?？;；\\s我]{{0,12}}?"
    "(?:已经|已經|早就|早已|已)?(?:用[^，。,.!！?？;；]{1,6})?"
    f"(?:[转轉汇匯](?!接|人工)|{_PAID})"
)
# a relative or a friend after 我 (我妈, 我哥, 我老公, 我朋友): not 我老是, 我同样, 我家里的卡 (the writer)
_MY_KIN = (
    "(?:妈|媽|爸|弟|哥|姐|妹|儿|兒|女儿|女兒|女朋友|男朋友|老公|老婆|老妈|老媽|老爸|朋友|家人|爱人|愛人"
    "|同学|同學|同事|室友)"
)
# ... which the payee's own advice reads as not arrived when the writer says so of themselves
# (但我一直没收到, 我这边查不到): not 我没收到短信, 没看到通知 (what did not come is no money), nor
# 我哥说没收到 (a relative's word)
_NOT_RECEIVED = re.compile(
    rf"(?:我|本人)(?!{_MY_KIN})[^，。,.!！?？;；]{{0,10}}"
    "(?:(?:没|沒|未)有?(?:收到|收著|见到|見到|看到|看見)(?!短信|簡訊|验证码|驗證碼|通知|消息|提醒|回复|回覆|货|貨|快递|快遞)"
    "|查不到|找不到|没有这笔|沒有這筆)"
)
# ... unless it came in the end (终于到账了, 第二天才收到, 刚收到)
_CAME_IN_THE_END = re.compile(
    "终于|終於|(?P<late>才)(?:到账|到賬|到帐|到帳|入账|入賬|收到|到了)|[刚剛](?:到账|到賬|到帐|到帳|收到)"
    "|(?:后来|後來)(?:到账|到賬|到帐|到帳|收到)了"
)
# (not 要第二天才到账, 客服说会在24小时内才到账: what someone says it will do)
_WILL = re.compile("要|会|會|得|能|预计|預計|估计|估計")


def _came_in_the_end(lowered: str) -> bool:
    """Whether the money came in the end (终于到账了, 第二天才收到), not that it will (要明天才到账)."""
    for m in _CAME_IN_THE_END.finditer(lowered):
        if not (m.group("late") and _WILL.search(lowered, max(0, m.start() - 8), m.start())):
            return True
    return False


# money that did not come (没收到, 未到账)
_NOT_GOT = "(?:没|沒|未)有?(?:收到|收著|到账|到賬|到帐|到帳|入账|入賬|入帐|入帳)"
_SELLERS = "商家|卖家|賣家"
# the people a text names who may be sent money, or say they got none (房东, 朋友, 学校 …)
_NAMED_OTHERS = (
    "房东|房東|朋友|家人|亲戚|親戚|学校|學校|医院|醫院|财务|財務|客户|客戶|供应商|供應商|室友|班长|班長"
)
# ... and with them the others (对方, 收款, 他, 妈 …)
_OTHERS = f"对方|對方|对面|對面|收款|他|她|妈|媽|爸|{_NAMED_OTHERS}"
# ... one of whom says the money did not come (房东说没收到, 我哥说一直没到账, 商家那边查不到): a few
# words after them, none 我 nor a transfer (not 对方说已经转了但没到账, where the payer speaks), and
# a word that they speak or of their side (说, 那边): not 收款账户没到账, 其他账户都查不到, 妈的到现在都没到账,
# 就他的没到账, where no one else says a thing
_BETWEEN = "(?:(?![我转轉汇匯打])[^，。,.!！?？;；])"
# ... or a person the text names, or a seller, not 他 or 对方, is said plainly not to have it
# (房东一直没收到, 我妈到现在也没收到): only adverbs between (not 收款账户一直没到账, the writer's
# account; nor 妈的…)
_STILL = "(?:一直|还是|還是|还|還|也|都|仍然|仍|至今|到现在|到現在|始终|始終)"
_OTHER_NOT_RECEIVED = re.compile(
    f"(?:{_OTHERS}|{_SELLERS}|我{_MY_KIN}){_BETWEEN}{{0,4}}"
    f"(?:说|說|称|稱|表示|那边|那邊|那里|那裡|那儿|那兒|这边|這邊){_BETWEEN}{{0,6}}"
    f"(?:{_NOT_GOT}|查不到|找不到)"
    f"|(?:{_NAMED_OTHERS}|{_SELLERS}|我{_MY_KIN}){_STILL}{{0,2}}{_NOT_GOT}"
)


def _paid_to_writer(lowered: str) -> bool:
    """Whether the money was sent to the writer: said so (转给我, 打到我卡上, 我是收款方), or a
    payer says they sent it (对方说已经转了) and no one but the writer says it did not come (not
    他说已经转了，房东说没收到: a transfer to someone else, reported second-hand).

    >>> _paid_to_writer("对方说已经转了，我一直没收到"), _paid_to_writer("他说已经转了，可是房东说没收到")
    (True, False)
    """
    if _TO_WRITER.search(lowered):
        return True
    if _PAYER_SAYS_SENT.search(lowered) is None:
        return False
    return _NOT_RECEIVED.search(lowered) is not None or _OTHER_NOT_RECEIVED.search(lowered) is None


# ... or withdrawn from a platform to one's own card
_CASHOUT = re.compile("提现|提現")
# ... that did not arrive: not credited (没到账, 未入账), or not received by someone (对方说没收到,
# 我妈那张卡到现在都没收到), or the money itself not received (没收到这笔钱)
_NOT_ARRIVED = re.compile(
    rf"{_NOT}(?:到账|到賬|到帐|到帳|入账|入賬|入帐|入帳|进账|進賬|进帐|進帳)|到不了账"
    rf"|{_NOT}(?:收到|收著)(?:这笔|這筆|该笔|該筆|任何)?(?:钱|錢|款|转账|轉帳|汇款|匯款|入账)"
    f"|(?:{_OTHERS}|那边|那邊|卡|账户|帳戶|银行|銀行)"
    r"(?:(?!验证码|驗證碼|短信|簡訊)[^，。,.!！?？;；]){0,16}"
    "(?:(?:没|沒|未)有?(?:收到|看到|看見|见到|見到)|查不到|找不到|根本没有|根本沒有|没有这笔|沒有這筆)"
    # and plain 没到 (提现三天了还没到): with money sent, and nothing bought, it is the money
    "|(?:没|沒|未)有?到(?!期|时|時|点|點|过|過|底|家|位|\\d)"
    # 卡里没有, 零钱里还是没有 at a clause's end (not 卡里没有钱, which may be a balance), 一分没进,
    # 一分钱都没到
    "|(?:(?:卡|账户|帳戶|账上|帳上)(?:里|裡|上)|零钱|零錢)(?:里|裡)?(?:还是|還是|还|還|都|也|根本)?(?:没有|沒有)"
    "(?=$|[，。,.!！?？;；\\s])"
    "|一分(?:钱|錢)?(?:都|也)?(?:没|沒)(?:有)?(?:进|進|到|收到|入账|入賬)"
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
_MACHINE = re.compile("存取款|取款机|取款機|提款机|提款機")  # not a withdrawal by its name alone
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


# -- the delivery cases (of a complaint that is no system failure) --
# a parcel, a courier or a courier's word (签收, 派送); the look-ahead holds the first character of
# every alternative, as _BANKISH's does: most complaints name none
_PARCEL_WORDS = (
    "快递|快遞|快件|包裹|物流|运单|運單|驿站|驛站|丰巢|豐巢|菜鸟|菜鳥|顺丰|順豐|中通|圆通|圓通|申通|韵达|韻達"
    "|极兔|極兔|德邦|百世|ems(?![a-z])|邮政(?!储|儲)|郵政(?!储|儲)|派件|派送|揽收|攬收|签收|簽收|妥投"
)
_PARCEL_LEADS = "快包物运運驿驛丰豐菜顺順中圆圓申韵韻极極德百e邮郵派揽攬签簽妥"
_PARCELISH = re.compile(f"(?<![a-z])(?=[{_PARCEL_LEADS}])(?:{_PARCEL_WORDS})")
# ... but not a meal (外卖, 骑手) nor a message with a link to click or a code to give (a scam)
_NOT_A_PARCEL = re.compile(
    "外卖|外賣|骑手|騎手|送餐|饭菜|飯菜|点餐|點餐|订餐|訂餐|链接|鏈接|验证码|驗證碼|保管费|保管費"
)
_CLAUSE = "[^，。！？,.!?;；\n]"  # within one clause
# signed for (签收, 妥投, 已送达) and not received, either way round, in one sentence; signed by
# someone else (冒签, 代签, 被别人签收)
_SIGNED_NOT_RECEIVED = re.compile(
    "(?:签收|簽收|妥投|已送达|已送達)[^。！？!?\n]{0,20}(?:没|沒|未|并没|並沒|根本没|根本沒|从没|從沒)有?"
    "(?:收到|拿到|见到|見到|看到|取到)"
    "|(?:没|沒|未)有?(?:收到|拿到|见到|見到|取到)[^。！？!?\n]{0,20}(?:签收|簽收|妥投|送达|送達)"
    "|冒签|冒簽|代签|代簽|(?:不是|并非|並非)(?:我|本人)(?:签|簽)|被(?:人|别人|別人)?(?:签收|簽收)"
    "|(?:没|沒|未)有?(?:签收|簽收)(?:就|却|卻|但)?(?:显示|顯示)"
)
# the parcel lost (快递丢了, 把货给我弄丢了, 丢件); not 当垃圾丢了 (thrown away) with no parcel near
_LOST = re.compile(
    "(?:快递|快遞|快件|包裹|货物|貨物|(?:把|将|將|的)(?:货|貨))[^，。！？,.!?;；\n]{0,8}?"
    "(?P<said>弄丢|弄丟|搞丢|搞丟|寄丢|寄丟|丢失|丟失|遗失|遺失|丢件|丟件|丢了|丟了|不见了|不見了|找不到了)"
    "|(?P<alone>丢件|丟件)"
)
# stuck: its tracking not moving (物流三天没更新, 卡在中转站, 滞留)
_STUCK = re.compile(
    f"(?:物流|快递|快遞|快件|包裹|运单|運單|信息|資訊){_CLAUSE}{{0,12}}"
    "(?:不动|不動|没动|沒動|没有动|沒有動|没动静|沒動靜|没有动静|沒有動靜|不更新|没更新|沒更新|没有更新|沒有更新|停在|停留|卡在|滞留|滯留|不走"
    "|没有?(?:物流)?信息|沒有?(?:物流)?信息)"
)
# not delivered (快递还没到, 货一直没收到); not 没送到楼上 (delivered, not to the door)
_NOT_DELIVERED = re.compile(
    f"(?:快递|快遞|快件|包裹|货|貨|东西|東西){_CLAUSE}{{0,12}}"
    "(?:还|還|一直|迟迟|遲遲|至今|到现在|到現在|始终|始終|都|也)?(?:没|沒|未)有?"
    "(?:收到|送到(?!楼|樓|门|門|家门|家門)|送来|送來|到(?!期|账|賬|帐|帳|位|时|時|点|點|底|过|過)|派送|派件"
    "|送货(?!上)|送貨(?!上))"
)
# ... said as the reason or the time of something else (因为快递还没到，…; 没送货的时候)
_BECAUSE = re.compile("因为|因為|由于|由於")
_WHEN = re.compile("(?:的)?(?:时候|時候|之前|以前)")
# ... unless it came in the end (八天才到, 终于收到, 刚收到, 一天都没到就到了)
_CAME_LATE = re.compile("才(?:到|收到|送到|送来|送來|配送|派送)|终于|終於|[刚剛]收到|就(?:到|送到|收到)了")
# broken: the parcel, its box or its journey, then the damage (箱子都压扁了, 外包装破损, 被拆开过)
_DAMAGED = re.compile(
    "(?:快递|快遞|快件|包裹|外包装|外包裝|包装箱|包裝箱|纸箱|紙箱|箱子|盒子|物流|运输|運輸|运送|運送|派送"
    f"|快递员|快遞員|快递小哥|快遞小哥){_CLAUSE}{{0,15}}?"
    "(?P<said>破损|破損|压坏|壓壞|摔坏|摔壞|压扁|壓扁|压碎|壓碎|摔碎|摔烂|摔爛|压烂|壓爛|碎了|破了|烂了|爛了|损坏"
    "|損壞|砸坏|砸壞|撕了|撕开|撕開|拆开过|拆開過|被拆|被打开|被打開|摔的|摔得|变形|變形|受潮|泡水|湿了|濕了|漏了)"
)
# what takes the damage or the loss back in its clause: 没有破损, 不是快递压坏的, 怕压坏, 以为丢了,
# 减少损坏 (not 快递员不负责，箱子压坏了: a 不 of something else)
_UNSAID = re.compile(
    "没|沒|无|無|未|不是|不会|不會|不像|完好|还好|還好|以为|以為|会|會|可能|估计|估計|怕|担心|擔心|以免|万一|萬一"
    "|如果|要是|防止|减少|減少|避免"
)
_CLAUSE_END = re.compile("[，。！？,.!?;；\\s]")


def _clause_start(lowered: str, at: int, since: int = 0) -> int:
    """Where the clause that holds position ``at`` starts, looking back no further than ``since``."""
    ends = [end.end() for end in _CLAUSE_END.finditer(lowered, since, at)]
    return ends[-1] if ends else since


# -- a scam (in every category) --
# a word any scam story holds (most complaints hold none): the look-ahead holds the first
# character of every alternative, as _BANKISH's does
_SCAMISH = re.compile(
    "(?=[骗冒假自安刷屏共钓杀诈链验])"
    "(?:骗|冒充|假冒|假|自称|安全账户|刷单|屏幕共享|共享屏幕|钓鱼|杀猪盘|诈骗|链接|验证码)"
)
# who a scammer passes for: a service's staff, the police, a boss or a teacher, someone the writer
# knows (冒充客服, 自称是京东的工作人员, 冒充我们领导; not 冒充正品, 自称是官方旗舰店: a shop's claims)
_IDENTITY = (
    f"(?:客服|工作人员|公安|警察|民警|检察|法官|法院|领导|老板|经理|老师|快递|银行|熟人|亲戚|{_MY_KIN}"
    "|[表堂](?:哥|姐|弟|妹)|舅|姑|姨|叔)"
)
# a scheme only a scammer runs: someone passing for a service or a person (冒充客服, 自称是京东客服,
# 冒充我表哥, 假客服; not 假冒伪劣 goods, nor 冒充我: the writer impersonated), a "safe account", paid
# fake orders (刷单返利, not a shop's 刷单 alone), a shared screen, a fake site or link, a romance
# scam, or a fraud said so (not 诈骗电话 alone: a call)
_SCHEME = re.compile(
    rf"(?:冒充|假冒|假扮|伪装成|自称)(?!伪劣|本人|我(?!们|的?(?:{_MY_KIN}|表|堂|领导|老板|舅|姑|姨|叔)))"
    rf"[^，。,.!！?？;；]{{0,8}}?{_IDENTITY}"
    "|假(?:的)?(?:客服|网站|网页|链接|app|平台|警察)(?!吧)|安全账户|刷单返"
    "|(?:刷单|做单|做任务)[^，。,.!！?？;；]{0,6}(?:返利|返现|佣金|垫付|本金)"
    "|屏幕共享|共享屏幕|钓鱼(?:链接|网站|短信)|杀猪盘|(?:被|遭遇了?|遭到了?|遇到了?|(?<!不)是)(?:电信)?(?:网络)?诈骗"
)
# ... or a refund or a claim that makes one click a link, scan a code or give a verification code
# (理赔…点了链接…填了验证码; not 退款要验证码，收不到), from a stranger (a call, a message, 骗): not
# a shop's own refund link
_LINKED = re.compile(
    "(?:理赔|赔偿|退款)[^。！？!?]{0,30}?"
    "(?:点(?:了|开)?[^，。,.!！?？;；]{0,6}链接|扫了?[^，。,.!！?？;；]{0,4}码"
    "|(?:填|输入?|告诉|报|发)了?[^，。,.!！?？;；]{0,8}验证码)"
)
_STRANGER = re.compile("骗|诈|陌生|来电|打电话|打来|电话里|短信|冒充|自称|加了?我?(?:的)?(?:微信|qq)")
# ... or the writer says they were cheated (被骗, 骗子, 骗走), which a buyer says of a product too,
# and names a scammer's side of it (骗子, 对方, 报警 …; not 感觉被骗了，客服说退款已经转了)
_CHEATED = re.compile("被骗|骗子|骗走|骗了我|受骗|上当")
_SCAMMER = re.compile(
    "骗子|诈骗|陌生|对方|安全账户|报警|报案|派出所|警察|(?:加|拉)了?我?(?:进)?(?:了)?(?:微信|qq|群)"
)
# an amount (2000, 两万, 八百块; not 一样, nor 70% of a battery)
_SUM = r"\s*(?:\d[\d,.]*+(?!%)|[一二两三四五六七八九十几]+[百千万块元])"
# money that left the writer for the scammer (转了, 被转走, 汇了, 垫付了, 骗走两千, 被骗转了; not 转人工
# nor 转了3圈, nor 让我转到安全账户: asked, not done) ...
_SENT_OFF = (
    r"(?<![左右掉回调旋])(?:转|汇)(?:了|走|账了|到了|进了|过去了?|出去了)(?!人工|\s*[\d一二两三四五六七八九十几]+\s*(?:圈|下|次|遍|分钟|小时|个|天))"
    "|被(?:骗子?)?转走|已经(?:转|汇)|垫(?:付)?了|骗走|被骗(?:了)?(?:转|汇)"
)
_SENT = re.compile(_SENT_OFF)
# ... which says itself that the money went to the cheat (被骗转了, 骗走, 被骗子转走)
_SENT_FOR_IT = re.compile("被骗了?(?:转|汇)|骗走|被骗子?转走")
# ... or an amount said cheated (被骗了2000) that the writer wants back or has reported (追回, 报警):
# not 白白被骗了一百多 of a product
_CHEATED_OF = re.compile(f"被骗(?:了)?{_SUM}")
_RECOVER = re.compile("追回|追不回|报警|报案|派出所|警察")
# ... or, in a scheme only a scammer runs, taken or paid any way (被扣了2600, 盗刷, 付了300, 骗了我1500)
_TAKEN = re.compile(
    f"{_SENT_OFF}|被骗(?:了)?{_SUM}|骗了我?{_SUM}|(?:扣|付|充(?:值)?)了{_SUM}|盗刷|(?:钱|存款|余额)(?:全)?没了"
)
# ... unless it was stopped in time (差点就信了, 幸好没转, 识破了, 钱没被骗走)
_STOPPED = re.compile("差点|险些|幸好|幸亏|好在|还好(?:我)?没|识破|没(?:有)?(?:上当|被骗)|(?:及时)?阻止")
# the traditional spellings of the scam's words (騙, 詐騙, 轉, 匯, 帳戶, 賬戶): a text that holds one
# is read converted; the converter refuses a lone surrogate
_TRADITIONAL_SCAMISH = re.compile("[騙詐轉匯帳賬]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _scam(lowered: str) -> bool:
    """Whether the writer lost money to a scam (see the module's doc)."""
    if _SCAMISH.search(lowered) is None or _STOPPED.search(lowered):
        return False
    if _SCHEME.search(lowered) or (_LINKED.search(lowered) and _STRANGER.search(lowered)):
        return _TAKEN.search(lowered) is not None
    if _CHEATED.search(lowered) is None:
        return False
    if _CHEATED_OF.search(lowered) is not None and _RECOVER.search(lowered) is not None:
        return True  # 被骗了3000块，还能追回来吗
    if _SENT_FOR_IT.search(lowered):
        return True  # 被骗转账5000, 被骗子转走了, 骗走了两千
    return _SENT.search(lowered) is not None and _SCAMMER.search(lowered) is not None


# -- the platform a complaint is about --
# every spelling of a platform (longest first), and the name it spells
_PLATFORM_OF = {s: name for name, spellings in PLATFORMS.items() for s in spellings}
_PLATFORM = re.compile("|".join(re.escape(s) for s in sorted(_PLATFORM_OF, key=len, reverse=True)))
# an app (a game, a video or music app …) used on the device a complaint of other is about (玩和平精英
# 的时候手机烫得厉害, 打王者荣耀掉帧, 电视看腾讯视频的时候屏幕黑了): the shop's or the maker's to answer, not
# the app's; not a shop, a travel or a payment platform (看了携程的评分: where it was booked)
_APPS = frozenset(
    {
        "王者荣耀", "原神", "和平精英", "Steam", "抖音", "快手", "B站", "爱奇艺", "腾讯视频", "优酷", "芒果TV",
        "网易云音乐", "QQ音乐", "酷狗", "微博", "小红书", "知乎", "喜马拉雅", "微信读书", "Netflix", "腾讯会议",
    }
)  # fmt: skip
_USED_BEFORE = re.compile("(?:玩|打|刷|看|听|装|安装|下载|安|试|开)(?:了|个|下|一下|会儿)?\\s*$")
# (a device's trouble or its review, not a device named: 用平板看B站 asks about B站)
_DEVICE = re.compile(
    "发烫|发热|烫得|烫手|掉帧|续航|电池|充电|屏幕|芯片|处理器|内存|配置|画质|这机|本机|新机|机器|太旧|太老|老了"
    "|带不动|蓝屏|显卡|死机|卡机|不卡|流畅"
)
# ... and the platform paid at or whose service is meant (在京东买的, 天猫买的, 抖音直播间买的, 京东客服,
# 京东的会员), the contact before any other named (淘宝上同款才卖99，我在京东买的; not 去微博一搜, nor
# 送的爱奇艺会员: a gift of the shop's)
_PAID_AFTER = re.compile(
    "(?:上|里|app|直播间|店铺|旗舰店|自营)?(?:买|下单|购|订|付款|支付|充值|开通|开了|开的|充的|客服|退款|订单)"
    "|的(?:客服|订单|会员|店铺|旗舰店|自营)"
)

# ... and where the writer heard of the trouble (刷微博才知道, 微博热搜上说, 小红书上好多人说, 抖音上看到有人说):
# no contact, in any category (not 微博热搜崩了: the platform that failed)
_HEARD_AFTER = re.compile(
    "(?:上|里)?的?(?:热搜(?:上|里)?说|(?:热搜(?:上|里)?)?"
    "(?:才知道|才发现|才看到|都在(?:说|传|骂|讲|吐槽)|好多人|很多人|不少人|一堆人|有人说|大家都"
    "|(?:看到|刷到)(?:有人|好多人|很多人|不少人|大家|网友|新闻|消息)))"
)


def _platform_mentions(lowered: str, category: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the platforms a complaint names only in passing, those it ties to a purchase or to their
    service) (see :attr:`Cues.passing`)."""
    passing: dict[str, bool] = {}  # name → every mention of it is in passing
    tied: list[str] = []
    device = None
    for m in _PLATFORM.finditer(lowered):
        name, start, end = _PLATFORM_OF[m.group()], m.start(), m.end()
        in_passing = False
        if category == "other" and name in _APPS and _USED_BEFORE.search(lowered, max(0, start - 4), start):
            if device is None:  # (为了玩王者荣耀买的: the device was bought, not the game)
                device = _DEVICE.search(lowered) is not None
            in_passing = device
        elif _PAID_AFTER.match(lowered, end):
            tied.append(name)
        elif _HEARD_AFTER.match(lowered, end):
            in_passing = True
        passing[name] = passing.get(name, True) and in_passing
    return tuple(n for n, only in passing.items() if only and n not in tied), tuple(dict.fromkeys(tied))


class Cues(NamedTuple):
    """What the advice reads of a text besides its facts (hashable: the batch path keys its
    cache of advice on it)."""

    card: bool  # names a bank card (银行卡, 信用卡 …)
    # is about a bank's own service: an ATM, its app, online banking, its counter (a payment
    # complaint only in one of the cases: "付款失败，手机银行短信说扣了款" is the shop's to answer)
    bank: bool
    atm: bool  # is about a cash machine
    case: str | None  # the scam, payment or delivery case (one of CASES), if any
    # where a payee (transfer_not_received) keeps the money that did not arrive: the bank the
    # complaint calls the writer's own (我的招行卡), or a payment service (微信零钱) when it names
    # no bank and no card; None when it does not say (a bank it names may be the payer's). For a
    # scam, where the money left from (招行卡里的钱被转走了), if the clause that says so names it
    # (CARD_BANK: a card whose bank it does not name)
    account: str | None = None
    # the platforms the complaint names only in passing (an app played on the phone it is about:
    # 玩和平精英的时候手机发烫; where the writer heard of the trouble: 刷微博才知道), never its
    # contact; and those it ties to a purchase or their service (京东买的, 在天猫, 抖音直播间买的,
    # 京东客服), its contact before any other
    passing: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()


def mentions_card(text: str) -> bool:
    """Whether the text names a bank card (银行卡, 信用卡 …).

    >>> mentions_card("信用卡被扣了两次"), mentions_card("支付宝被扣了两次")
    (True, False)
    """
    return any(w in text for w in _CARD_WORDS)


def cues_of(text: str, category: str = "payment", platforms: Sequence[str] | None = None) -> Cues:
    """The cues of one complaint (see the module's doc); its case: a scam in every category, else
    one only if its ``category`` has cases: a payment case for ``payment``, a delivery case for
    ``other`` (reading the rest for one would be time lost). ``platforms``: the platforms its
    facts name, if known (none: no platform's mentions to read, a search saved)."""
    card = mentions_card(text)
    lowered = text.lower()  # \d and the punctuation classes match full-width forms as they are
    bankish = _BANKISH.search(lowered) is not None
    swallowed = bankish and _SWALLOWED.search(lowered) is not None
    atm = bankish and (swallowed or _ATM.search(lowered) is not None) and not _ATM_FIGURE.search(lowered)
    payment = category == "payment"
    # the scam's patterns are written in simplified characters: a story told in traditional ones
    # (我被騙了…轉了3000) is read converted (only then: most texts hold none of these characters)
    scam_text = (
        simplified_converter().convert(_SURROGATE.sub("", lowered))  # (the converter refuses a lone one)
        if _TRADITIONAL_SCAMISH.search(lowered)
        else lowered
    )
    if _scam(scam_text):
        case: str | None = "scam"
    elif payment:
        case = _case(lowered, atm, swallowed)
    else:
        case = _delivery_case(lowered) if category == "other" else None
    bank = atm or (bankish and (case is not None or not payment) and _BANK.search(lowered) is not None)
    account = (
        _account(lowered)
        if case == "transfer_not_received"
        else _paid_from(scam_text)
        if case == "scam"
        else None
    )
    passing, tied = _platform_mentions(lowered, category) if platforms is None or platforms else ((), ())
    return Cues(card, bank, atm, case, account, passing, tied)


# a credit product is its service's (花呗 and 借呗 are 支付宝's, 白条 京东金融's): whom to contact
SERVICE_OF = {"花呗": "支付宝", "借呗": "支付宝", "京东白条": "京东金融"}
# where money left a card whose bank the complaint does not name (银行卡里的钱, 用手机银行转了)
CARD_BANK = "发卡银行"
_GENERIC_CARDS = frozenset({"银行卡", "信用卡"})
_CARD_SAID = re.compile("手机银行|网银|网上银行|卡[里上内]|银行卡|信用卡|储蓄卡|借记卡")


def _paid_from(lowered: str) -> str | None:
    """Where a scam's money left from: the first bank or payment service named in a clause that
    says the money left (招行卡里的钱被转走了, 我用工行的卡转了3000), if one does; not one the story
    only mentions (说我的白条要关闭, 说我的建行卡被冻结了).

    >>> _paid_from("骗子说我的建行卡被冻结了，让我用支付宝转了800元解冻")
    '支付宝'
    >>> _paid_from("冒充客服让我用花呗付了2999"), _paid_from("我用手机银行转了2万")
    ('支付宝', '发卡银行')
    """
    for taken in _TAKEN.finditer(lowered):
        after = _CLAUSE_END.search(lowered, taken.end())
        clause = lowered[_clause_start(lowered, taken.start()) : after.start() if after else len(lowered)]
        channels = [c for c in extract_facts(clause).channels if c not in _GENERIC_CARDS]
        if channels:
            return SERVICE_OF.get(channels[0], channels[0])
        if _CARD_SAID.search(clause):
            return CARD_BANK  # 银行卡里的1万2被转走了: the card's bank, unnamed
    return None


def _case(lowered: str, atm: bool, swallowed: bool) -> str | None:
    sent = _TRANSFER.search(lowered)
    cashout = sent is None and _CASHOUT.search(lowered) is not None
    # money sent to the one complaining (a cash-out is the platform's to pay, as it was)
    payee = not cashout and _paid_to_writer(lowered)
    if (sent or cashout or payee) and not _FAILED.search(lowered) and not _BOUGHT.search(lowered):
        if payee:
            missing = _NOT_ARRIVED.search(lowered) or _NOT_RECEIVED.search(lowered)
            if missing and not _came_in_the_end(lowered):
                return "transfer_not_received"
        elif _NOT_ARRIVED.search(lowered):
            return "transfer_not_arrived" if sent else "cashout_not_arrived"
    if swallowed and atm:
        return "atm_card"
    if atm:
        withdrawal = _WITHDRAWAL.search(_MACHINE.sub("", lowered))
        if _DEPOSIT.search(lowered) and not withdrawal:
            return "atm_deposit"
        # a transfer made at the machine (在取款机上转账) is no cash it kept: not the ATM's advice
        return "atm_withdrawal" if withdrawal or not sent else None
    return None


# the writer's own account, as a payee names it (我的工行卡, 我这边的招行账户, 本人建设银行卡)
_MINE = "(?:我|本人)(?:们|們)?(?:的|这边的|這邊的|这边|這邊|自己的|名下的|那张|那張|这张|這張)?"
_BANK_NAMES = [(name, spellings) for name, spellings in CHANNELS.items() if name.endswith("银行")]
_OWN_BANK = re.compile(
    f"{_MINE}(?P<bank>{'|'.join(re.escape(s) for _, spellings in _BANK_NAMES for s in spellings)})"
)
_BANK_OF = {s: name for name, spellings in _BANK_NAMES for s in spellings}
# a payment service a payee's balance can be in (微信零钱, 支付宝余额), not 微信读书 or 企业微信
_BALANCE = re.compile("(?<!企业)(?:微信|wx)(?!读书|讀書)|支付宝|支付寶|zfb")
# ... the one the writer calls theirs first (我的微信, 我支付宝余额), not the payer's (通过支付宝给我转了)
_OWN_BALANCE = re.compile(f"{_MINE}(?:{_BALANCE.pattern})")


def _account(lowered: str) -> str | None:
    """Where a payee keeps the money that did not arrive (see :attr:`Cues.account`).

    >>> _account("租客用建行转了3000元给我，我的招行卡一直没到账"), _account("租客用建行转给我，一直没到账")
    ('招商银行', None)
    >>> _account("朋友说微信转给我了，零钱里没收到")
    '微信'
    """
    own = _OWN_BANK.search(lowered)
    if own:
        return _BANK_OF[own.group("bank")]
    if any(word in lowered for word in ("银行", "銀行", "卡")):
        return None
    balance = _OWN_BALANCE.search(lowered) or _BALANCE.search(lowered)
    if balance is None:
        return None
    return "支付宝" if balance.group().endswith(("支付宝", "支付寶", "zfb")) else "微信"


def _delivery_case(lowered: str) -> str | None:
    if _PARCELISH.search(lowered) is None or _NOT_A_PARCEL.search(lowered):
        return None
    if any(_said(lowered, m) for m in _DAMAGED.finditer(lowered)):
        return "parcel_damaged"
    if any(_said(lowered, m) for m in _LOST.finditer(lowered)):
        return "parcel_not_received"
    # signed for, stuck or not delivered, and then it came (签收了却没收到，又等了一天才到)
    if not _CAME_LATE.search(lowered) and (
        _SIGNED_NOT_RECEIVED.search(lowered)
        or _STUCK.search(lowered)
        or any(_claimed(lowered, m) for m in _NOT_DELIVERED.finditer(lowered))
    ):
        return "parcel_not_received"
    return None


def _claimed(lowered: str, match: re.Match[str]) -> bool:
    """Whether a parcel not delivered (``match``) is the complaint's claim, not the reason or the
    time of something else in its clause (因为快递还没到，请前台代收; 快递员没送货的时候)."""
    start = _clause_start(lowered, match.start())
    return not (_BECAUSE.search(lowered, start, match.start()) or _WHEN.match(lowered, match.end()))


def _said(lowered: str, match: re.Match[str]) -> bool:
    """Whether the damage or loss ``match`` names is said to have happened: nothing takes it back
    between it and the start of the clause of the parcel it names (没有一个箱子是压坏的, 怕压坏,
    以为丢了)."""
    at = match.start("said") if match.group("said") else match.start()
    start = _clause_start(lowered, match.start(), since=max(match.start() - 6, 0))
    return _UNSAID.search(lowered, start, at) is None


# couriers by how a complaint names them, and how a letter addresses them
_COURIERS = (
    ("顺丰", "顺丰速运"),
    ("順豐", "顺丰速运"),
    ("中通", "中通快递"),
    ("圆通", "圆通速递"),
    ("圓通", "圆通速递"),
    ("申通", "申通快递"),
    ("韵达", "韵达快递"),
    ("韻達", "韵达快递"),
    ("极兔", "极兔速递"),
    ("極兔", "极兔速递"),
    ("德邦", "德邦快递"),
    ("百世", "百世快递"),
    ("京东快递", "京东物流"),
    ("京东物流", "京东物流"),
    ("京東快遞", "京东物流"),
    ("京東物流", "京东物流"),
    ("ems", "EMS"),
    ("邮政", "中国邮政"),
    ("郵政", "中国邮政"),
)


def _courier_pattern(word: str) -> str:
    if word.isascii():
        return f"(?<![a-z]){word}(?![a-z])"  # ems, not items
    return f"{word}(?!储|儲)" if word in ("邮政", "郵政") else word  # 邮政储蓄 is a bank


_COURIER = re.compile("|".join(_courier_pattern(w) for w, _ in _COURIERS))
_COURIER_NAMES = dict(_COURIERS)


def courier_of(text: str) -> str | None:
    """The courier a complaint names first (the delivery letter's addressee), if any.

    >>> courier_of("京东买的东西，中通快递显示签收了"), courier_of("快递丢了")
    ('中通快递', None)
    """
    found = _COURIER.search(text.lower())
    return _COURIER_NAMES[found.group()] if found else None
