"""Facts a refund request needs, pulled out of the complaint text.

Amounts (199元, ￥1,299.00, 一百九十九块, 1.2万, ATM取2000, 提现1万; 两三百块 is ¥200 and ¥300),
dates and times (2023年11月28日, 昨晚7点40, 11/3; the failure's, not a purchase's, when a text
says both), order / transaction numbers (not a support ticket's nor a refund request's), parcel
numbers, phone numbers (masked), platforms and payment channels, and how long the problem has
lasted. A list of complaints is searched as one text, each pattern once (and only in the
complaints that hold a part of every match of it): several times faster.

>>> f = extract_facts("昨晚7点40在美团用微信支付付了￥199，订单号2023112812345678，三天了还没退")
>>> f.amounts, f.platforms, f.channels, f.order_numbers, f.durations
(['¥199'], ['美团'], ['微信支付'], ['2023112812345678'], ['三天'])
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any, TypeVar, overload

from ..errors import InvalidInputError, InvalidParameterError, UnknownFactError
from .normalize import AMOUNT_NUMBER, _nfkc, simplified_converter
from .numerals import cn2an_refuses, numeral_value, written_out_number

__all__ = [
    "FACT_KINDS",
    "Facts",
    "extract_facts",
    "is_relative_date",
    "is_rough_amount",
    "join_when",
    "mask_phones",
    "mask_private",
    "parse_amount",
    "parse_when",
    "resolve_date",
]

_T = TypeVar("_T", str, float, tuple[float, str])
# Facts are read from the first MAX_FACT_CHARS characters (the model's MAX_TEXT_CHARS).
MAX_FACT_CHARS = 5000
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
# What follows the unit of an amount said the colloquial way, one digit at a time: 2万5千 and 2万5 are
# 25,000, 1万1千8 11,800, 3千5 3,500, 1千2百 1,200, 2百5 250 (a last digit without a unit is worth
# a tenth of the unit before it); only right after 万, 千 or 百, or one space after them when the
# digit has its own unit (2万 5千, 1千 2百, 2万 5千 3百; not 2万 5次). (Led by \d or the space, not by
# the look-behinds: after most numbers neither follows, and the group fails there at its first character.)
_AFTER_QIAN = r"(?:\d百?|\s\d百)"
_MORE = (
    rf"(?P<more>\d(?:(?<=万\d)(?:千{_AFTER_QIAN}?|百)?|(?<=千\d)百?|(?<=百\d))"
    rf"|\s\d(?:(?<=万\s\d)(?:千{_AFTER_QIAN}?|百)|(?<=千\s\d)百))"
)
# a currency other than yuan, said in words (before or after the number: 港币500元, 20美元; 台币, not
# a game's 平台币)
_FX_WORD = "美元|美金|港币|港元|日元(?![旦宵])|欧元|英镑|新台币|台(?<!平台)币|韩元|澳元"
# The patterns start with a plain character class where they can (\d\d\d\d, not \d{4}; [x][x]{0,9},
# not [x]{1,10}): re then skips in C the positions where no match can start. tests/text/test_facts.py
# checks each against the plain spelling it stands for.
# 元 of an amount: not of a year's 元旦 or 元宵 (2024元旦)
_YUAN = r"元(?!(?<=(?<!\d)(?:19|20)\d\d元)[旦宵])"
_AMOUNT_PATTERNS = [
    # ranges: 100-200元, 100到200块, 1万5到2万元 (both ends are amounts; the first, here, with its
    # own unit); 1到2万元, 3-5千元: the second end's unit is the first's too, when the first is the
    # smaller number (not in 500到1万元)
    re.compile(
        rf"(?P<num>{AMOUNT_NUMBER})(?:\s*(?P<unit>[万千百]){_MORE}?)?(?=\s*(?:-|~|到|至)\s*"
        rf"(?P<to>{AMOUNT_NUMBER})\s*(?P<to_unit>[万千百]?)(?:\d[千百]?|\s\d[千百])?\s*(?:{_YUAN}|块|圆))"
    ),
    # ¥1,299.00 / $20 / ￥58.8（NFKC turns ￥ into ¥）/ HK$50, US$9.99, NT$300 / 港币500(元), 美元20, 人民币500 (every
    # alternative led by a literal character, the look-behind after it: the regex engine skips to
    # where one can start)
    re.compile(
        rf"(?P<cur>[Hh](?<![A-Za-z][Hh])[Kk]\$|[Uu](?<![A-Za-z][Uu])[Ss]\$|[Nn](?<![A-Za-z][Nn])[Tt]\$|[¥$€£]|(?P<fxb>{_FX_WORD}|人民币))\s*(?P<num>{AMOUNT_NUMBER})(?P<unit>\s*[万千])?"
        r"(?(fxb)(?!\s*[年月日号点时分个次]))"  # 美元2023年 is a year
    ),
    # 199元, 1.2万元, 58.8块钱, 2598 元, 2万5千元, 1万零500元, 3w块, 50€ (a bare 万 amount counts only
    # next to money words)
    re.compile(
        rf"(?P<num>{AMOUNT_NUMBER})\s*(?P<unit>[万千百]?|[wW](?![A-Za-z]))(?:{_MORE}|(?<=[万千])零(?P<zero>\d\d?\d?))?\s*"
        rf"(?:(?P<fx>{_FX_WORD})|{_YUAN}|块钱|块(?!儿)|圆|[Rr][Mm][Bb]|人民币|(?P<cur_after>[€£]))"
    ),
    # the first end of a range in Chinese numerals: 一万五到两万元, 两百到三百块 (the second end is
    # an amount of its own); as in 3到5千元, 三到五千元's first end takes the second's unit
    re.compile(
        rf"(?P<cn>[{_CN_DIGITS}][{_CN_DIGITS}]{{0,9}})"
        rf"(?=\s*(?:-|~|到|至)\s*(?P<cn_to>[{_CN_DIGITS}]{{1,10}})\s*(?:元|块钱|块(?!儿)|圆))"
    ),
    # 一百九十九块, 两千元, 三千五百元
    re.compile(rf"(?P<cn>[{_CN_DIGITS}][{_CN_DIGITS}]{{0,9}})\s*(?:元|块钱|块(?!儿)|圆)"),
]
# the tenths after 块 (两块五, 1块5毛, 3块5的, 一块五一个, 9块8买的, 一块五没了), not what follows it
# (三块一斤, 5块一直, 10块2盒, 两块一样)
_TENTHS = re.compile(
    r"([0-9一二三四五六七八九])(?:毛|(?=[的一了给都也还就才又被没买扣涨]|[^0-9\u3400-\u9fffA-Za-z]|$))"
)
# the 角 (毛) and 分 after 元 or 块: 5元6角, 2元5毛, 一块二毛五, 5块6毛8, 十块零五毛, 1块零5分 (not 5分钟)
_CENT_DIGIT = "[0-9一二两三四五六七八九]"
_CENTS = re.compile(
    rf"零?(?P<jiao>{_CENT_DIGIT})[毛角](?:零?(?P<fen>{_CENT_DIGIT})"
    r"(?:分(?!钟)|(?=[的一了给都也还就才又被没买扣涨]|[^0-9\u3400-\u9fffA-Za-z]|$)))?"
    rf"|零(?P<fen_alone>{_CENT_DIGIT})分(?!钟)"
)
_FX_BEFORE_SITE = re.compile(rf"(?:{_FX_WORD}|人民币)\s*\d")
_OTHER_MONEY_WORD = re.compile(
    "[Rr][Mm][Bb]|美金|港币|英镑|台(?<!平台)币|[€£]"
)  # money words without 元 in them
# a number of 万 without 元 followed closely by a money word (5万的贷款, 2万还款): never a count of
# pixels, colours, fans or characters (110万像素, 26万色), nor before 还 as "still" (300万吗 还没有)
_WAN_NEAR_MONEY = re.compile(
    rf"(?P<num>\d(?<!\d\d)\d*(?:\.\d+)?)\s*(?P<unit>万){_MORE}?(?![\d千百万])"
    r"(?!\s*(?:积分|分(?![\d一二两三四五六七八九十]*期)|点|里程|步|个|条|次|人|张|像素|象素|色|粉丝|字))"
    r"(?=[^元块]{0,6}(?:钱|款|费|额|贷|借|扣|付|转|还(?:款|钱|贷|清|了)|赔))"
)
# 转了1.5万, 扣了3千5, 花了一万八, 付了1.5万买电脑, 金额3万 (扣了两三百, 花了五六十: about so much, :func:`_about`): a number
# of 万 or 千 without 元 right after a money verb (垫了 and 垫付: money advanced; 骗走, 盗刷), when what
# follows ends the phrase (punctuation, the end, 了, 没, 给 …), never a unit (1万积分, 1.5万步, 一万泰铢)
# nor 多, 左右, 不到 (how much is not said) nor another number (一万到两万)
# (金额 too, but not a blanked one: [金额15]; 实付 and a fee's name: 月费129)
_MONEY_VERB = (
    r"扣了|充了|付了|转了|退了|花了|交了|缴了|借了|垫了|垫付了?|骗走了?|被骗了|盗刷了?|被扣|扣款|付款|支付了?|转账"
    r"|转给我了?|充值|实付"
    r"|实际付了?|金(?<![\[【]金)额[:：]?|月费|年费|会员费"
)
# (what ends the phrase of an amount said after a money verb)
_PHRASE_ENDS = (
    r"(?=\s*+(?:[^\w\s]|$|[了给进没还才就都却也又被但买]|到(?![\d一二两三四五六七八九十])"
    r"|对方|过去|出去|的[\u4e00-\u9fff]{0,3}?(?:费|款|钱)))"
)
_VERB_AMOUNT = re.compile(
    rf"(?:{_MONEY_VERB})\s*"
    rf"(?:(?P<num>\d+(?:\.\d+)?)(?P<unit>[万千]|[wW](?![A-Za-z])){_MORE}?"
    r"|(?P<cn>(?=[一二两三四五六七八九十零百]{0,4}[千万]|[一二两三四五六七八][二两三四五六七八九][十百])"
    r"[一二两三四五六七八九十][零一二两三四五六七八九十百千万]{0,7}))" + _PHRASE_ENDS
)
# ATM取2000, 在存款机存了3000没到账: a bare number of two digits or more right after 取 or 存 (取了,
# 取款, 取现, 存了, 存款) is an amount in a text about a cash machine (_CASH_MACHINE), unless a unit
# or another number follows (取了2次, 存款2023-11-28, 取了500多: how much is not said)
_CASH_MACHINE = re.compile("[Aa][Tt][Mm]|取款机|存款机|提款机|柜员机")
# (what after the number makes it no amount: a range, a unit, a count, a date or time)
_NO_AMOUNT_AFTER = r"[-/:：~到至]\s*\d|[万千百元块多余来次张笔个天号点分秒年月日周位台%]|小时"
_CASH_AMOUNT = re.compile(
    r"(?:(?<![领获读抽索录争选])取|(?<![保储库依生残封内])存)(?:了|款|现)?\s*(?P<num>\d\d+)(?![\d.]|,\d)"
    rf"(?!\s*(?:{_NO_AMOUNT_AFTER}))"
)
# ... and so is the number withdrawn from a platform (提现500到银行卡, 提现了300): 提现 is money
# whatever the text (with 元 the amount rules read it already)
_CASHOUT_SITE = re.compile(r"提现了?\s*\d")
_CASHOUT_AMOUNT = re.compile(
    rf"提现(?:了)?\s*(?P<num>\d\d+)(?![\d.]|,\d)(?!\s*(?:{_NO_AMOUNT_AFTER}|分钟|积分))"
)
# ... and so is a plain number right after a money verb (扣了600, 钱扣了426.5, 付款2,899), of two to
# six digits (not a date's 20231128, nor 扣了5: too short to tell), when what follows ends the phrase
# as after 扣了3千5 (扣了3000多, 付款2次, 扣了99积分, 付了50%定金 are no amounts)
_VERB_PLAIN_SITE = re.compile(rf"(?:{_MONEY_VERB})\s*\d")
_VERB_PLAIN = re.compile(
    rf"(?:{_MONEY_VERB})\s*(?P<num>(?:\d{{1,3}}(?:,\d\d\d)+|\d\d{{1,5}})(?:\.\d{{1,2}})?|\d\.\d{{1,2}})"
    rf"(?![\d.]|,\d)(?!\s*(?:{_NO_AMOUNT_AFTER})){_PHRASE_ENDS}"
)
# about so much (三百多块, 两千多元, 300多块钱, 一百来块, 二百余元; 扣了五千多, 转了3千多): shown as said,
# never as an exact sum; a round number (三百, 两千, 五十, 1千, 2万) or one of two digits or more (20多块),
# then 多, 余 or 来, then 元 or 块 …, or after a money verb 多 or 余 where the phrase ends (not 20多分钟,
# 付款2次) (the number: Chinese numerals that end in a unit, led by a class as the others)
_APPROX_NUMBER = r"(?:\d+(?:\.\d+)?[万千百]|\d\d+|[一二两三四五六七八九十百千万]+(?<=[十百千万]))"
_APPROX = re.compile(rf"(?P<approx>{_APPROX_NUMBER}[多余来])\s*(?:{_YUAN}|块钱|块(?!儿)|圆)")
_VERB_APPROX = re.compile(
    rf"(?:{_MONEY_VERB})\s*(?P<approx>{_APPROX_NUMBER}[多余])(?:\s*(?:{_YUAN}|块钱|块(?!儿)|圆))?{_PHRASE_ENDS}"
)
# (every match holds a number's end then 多, 余 or 来, and one of _APPROX 元 or 块 after them: read
# backwards, as faster to find)
_APPROX_SITE_REVERSED = re.compile(r"[多余来][\d十百千万]")
_APPROX_YUAN_SITE_REVERSED = re.compile(r"[元块圆]\s*[多余来][\d十百千万]")
# a rough amount's currency: the amount as said, marked (see _display_amount)
_AS_SAID = "≈"
# ... and so is a number of 万 or 千 (取了2万, 取款3千5, 提现1万没到账) in a text about cash taken out or
# put in (_CASH_WORD: a cash machine, 取款, 取现, 提现), when what follows ends the phrase, as after a
# money verb or before how long or how often (提现1万三天没到账); not 取了2万多, 取了1万步, 取了2万号
_CASH_WORD = re.compile("[Aa][Tt][Mm]|取款|存款机|提款机|柜员机|取现|提现")
_CASH_WAN = re.compile(
    r"(?:(?<![领获读抽索录争选])取|(?<![保储库依生残封内])存|提现)(?:了|款|现)?\s*"
    rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>[万千]){_MORE}?"
    r"(?=\s*+(?:[^\w\s]|$|[了给进没还才就都却也又被但]|到(?![\d一二两三四五六七八九十])|出来|现金|一直|至今|迟迟"
    r"|[一二两三四五六七八九十几半]{1,3}(?:天|个|小时|周|星期|次|分钟)))"  # 提现1万三天没到账
)
# financial numerals (大写: 壹仟贰佰元) read as ordinary ones (一千二百元), one character for one, in a
# run of numerals that holds one of them (not 伍 or 陆 alone: a name, 登陆)
_FINANCIAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟", "一二二三三四五六六七八九十百千")
_FINANCIAL_SITE = re.compile("[壹贰貳叁參肆柒捌玖拾佰仟]")
_FINANCIAL_RUN = re.compile(
    "[零〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億一二两三四五六七八九十百千]*[壹贰貳叁參肆柒捌玖拾佰仟]"
    "[零〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億一二两三四五六七八九十百千]*"
)


def _ordinary_numerals(text: str) -> str:
    """``text`` with its runs of financial numerals written as ordinary ones, of the same length.

    >>> _ordinary_numerals("退款壹仟贰佰元整，我姓伍")
    '退款一千二百元整，我姓伍'
    """
    if _FINANCIAL_SITE.search(text) is None:
        return text
    return _FINANCIAL_RUN.sub(lambda m: m.group().translate(_FINANCIAL), text)


# where a phrase of time may start: the text's or a clause's start, or after a pronoun or particle
_PARTICLES = "[我你他她在是于从到就也都还又才的了说和跟与约及]"
_SAID_FROM = f"(?:(?<![\u4e00-\u9fff])|(?<={_PARTICLES}))"
# the week (or month) before last, where 上上 starts what is said (我上上周五; not 看板上上周: on
# it, last week): after a first 上, a second one where the first starts a phrase (_SAID_FROM, looked
# at from behind the first 上: "上" + _AGAIN + "周" is (?:_SAID_FROM 上)? + "上周", led by a literal)
_AGAIN = f"(?:(?:(?<![\u4e00-\u9fff]上)|(?<={_PARTICLES}上))上)?"
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d\d\d\d)\s*[年/.-]\s*(?P<m>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<y>\d\d\d\d)\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)"),
    # (not the month of 2023年11月28日, which the first pattern reads whole; 23年11月28日 is 11月28日)
    re.compile(r"(?P<m>\d(?<!\d\d)(?<!\d\d\d\d年\d)\d?)\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"(?P<m>\d(?<![\d/.:]\d)\d?)/(?P<d>\d{1,2})(?![\d/])"),
    # (上上周, 上上个月: two back, when the first 上 starts the phrase, not 看板上上周: on the board, last week)
    re.compile(
        rf"(?P<rel>大{{1,2}}前天|前天|昨天|今天|昨日|今日|昨晚|今晚|今早|昨早|上{_AGAIN}周[一二三四五六日天]?"
        rf"|上{_AGAIN}个?(?:星期|礼拜)[一二三四五六日天]|(?:上{_AGAIN}个?月|本月|这个月)"
        r"(?:\d{1,2}[日号](?![楼线床房座门窗位机]))?"
        r"|周(?<![下上]周)[一二三四五六日天]|星期(?<!下星期)(?<!下个星期)[一二三四五六日天]"  # 下周五 is to come
        r"|礼拜(?<!下礼拜)(?<!下个礼拜)[一二三四五六日天])"
    ),
]
# a month and a day in Chinese numerals (十一月三号, 十二月二十五日; not 二十一月: no month)
_CN_MONTH_DAY = re.compile(
    "(?P<cm>[一二三四五六七八九十](?<![一二两三四五六七八九十百千万零〇0-9][一二三四五六七八九十])[一二]?)月"
    "(?P<cd>[一二三四五六七八九十][一二三四五六七八九十]?[一二三四五六七八九]?)[日号](?![楼线床房座门窗位机])"
)
_CN_MONTH_DAY_SITE = re.compile("月[一二三四五六七八九十]")
_CN_MONTHS = {name: i for i, name in enumerate("一 二 三 四 五 六 七 八 九 十 十一 十二".split(), 1)}
# so many days, weeks or months ago (3天前, 三天前, 两周前, 一个多月以前, 半个月前): kept as said, a
# relative date (days are counted back from a known day; a week or a month ago is not one day);
# not 几天前 (how many is not said) nor 3日前 (before the 3rd)
_DAYS_AGO = re.compile(
    r"(?P<ago>(?:(?P<n>\d(?<!\d\d)\d?\d?|[一二两三四五六七八九十]"
    "(?<![一二两三四五六七八九十百千万零〇0-9几][一二两三四五六七八九十])[一二两三四五六七八九十]{0,2})"
    r"\s*(?P<unit>天|周|个?星期|个?礼拜|个多?月)|半个月)(?:之|以)?前)"
)
# ... not the date of what data went back or was shown up to (存档回到三天前, 回退至一周前版本, 变成了
# 三个月前的旧版本, 只显示到两个月前, 进度是三个月前的): when the problem began is another date; a
# thing of that day is one (那是十三天前的事, 两周前的那天)
_BACK_TO = re.compile("(?:回|到|至|变成|成|恢复|还原)了?$")
_STATE_OF = re.compile(
    "的(?!事|时候|那天|晚上|早上|上午|中午|下午|凌晨)|版本|内容|状态|数据|存档|备份|记录|进度"
)
# (every match ends in a unit then 前: read backwards, as faster to find)
_DAYS_AGO_SITE_REVERSED = re.compile("前[之以]?(?:[天周期拜]|月多?个)")
# a date in English, the month first (Nov 3, November 3rd, 2024, Dec. 12), read as a calendar date
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_DATE = re.compile(
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s?(?P<ed>\d\d?)(?:st|nd|rd|th)?(?![\d:.]|[a-z])"
    r"(?:,?\s*(?P<ey>\d\d\d\d)(?!\d))?",
    re.IGNORECASE,
)
# (every match holds the last letter of a month's name, then a digit: few texts hold one)
_EN_DATE_SITE = re.compile(r"[bceghlnprtvyBCEGHLNPRTVY]\.?\s?\d")
# a calendar date in brackets right after a relative one says which day that is (上周五（11月22日）,
# 昨天(2024年11月21日), 星期三(11/20)): the relative date is read as the calendar date
_DATE_GLOSS = re.compile(
    r"\s*\(\s*(?:(?P<y>\d\d\d\d)\s*[年/.-]\s*)?(?P<m>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})\s*[日号]?\s*\)"
)
# ... and a relative date in brackets right after a calendar date only says which day that is
# (11月22日（上周五）, 2024-11-22(周五), 11/22（星期五）): the calendar date is read alone
_GLOSS_OPEN, _GLOSS_CLOSE = re.compile(r"\s*\(\s*"), re.compile(r"\s*\)")
# a day of the month alone (28号扣的款, 1号上午付款): a date only before what is done on a day, not a
# number (第28号, 3号线, 28号楼, 5号充电宝) nor the day of a date the patterns above read
_DAY_ALONE = re.compile(
    r"(?<![\d.:/~年月日号第几楼线床房座门口排区栋层车站A-Za-z-])(?<![月日]\s)(?P<day>\d\d?)号"
    r"(?=\s*(?:扣(?!子)|付|买|充(?!电)|交(?!通|警)|下单|下的单|那天|晚上|早上|上午|下午|中午|凌晨|开始|之后|以后"
    r"|到|的时候))"
)
_TIME_PATTERNS = [
    re.compile(
        r"(?P<prefix>早上|上午|中午|下午|晚上|傍晚|凌晨|夜里|半夜|昨晚|今晚|昨天晚上|今天晚上)?\s*(?P<h>\d{1,2})\s*[:：]\s*(?P<mi>\d{2})"
    ),
    re.compile(
        r"(?P<prefix>早上|上午|中午|下午|晚上|傍晚|凌晨|夜里|半夜|昨晚|今晚)?\s*(?P<h>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*点\s*(?P<mi>半|\d{1,2}|[一二三四五六七八九十]{1,3})?\s*分?"
    ),
]
# (a support ticket's number, 工单号, 投诉单号, 受理单号, 受理编号 or 受理号, 服务单号, is matched
# first to be passed over: it is no order's; nor is an after-sales request's, 售后单号 or 售后编号, a
# refund request's, 退款单号 or 退款编号, nor an application's, 申请单号 or 申请编号, which name the
# request, not what was bought: a bank or platform cannot trace the payment by them)
_ORDER = re.compile(
    r"(?P<ticket>(?:工|投诉|受理|服务|售后|退款|申请)单(?:号|编号)?|(?:受理|售后|退款|申请)编号|受理号)"
    r"\s*[:：是为]?\s*[A-Za-z0-9-]{6,40}"
    r"|(?:订单号|订单编号|单号|流水号|交易号|交易单号|商户单号|订单|编号)\s*[:：是为]?\s*(?P<id>[A-Za-z0-9-]{6,40})"
    r"|(?<![A-Za-z0-9])(?P<bare>(?=[A-Za-z0-9-]*\d{10})[A-Za-z0-9-]{12,40})(?![A-Za-z0-9])"
)
# a parcel's number (运单号, 快递单号 SF1234567890123): the courier's, no order's
_WAYBILL = re.compile(
    r"(?:运单|快递单|快件单|物流单|包裹单|邮件|快递|快件|物流)(?:号码|编号|号)?\s*[:：是为]?\s*"
    r"(?P<id>[A-Za-z0-9-]{6,40})(?![A-Za-z0-9-])"
)
# a number without a label whose letters and digits only a courier gives (顺丰 SF and 12 to 15 digits,
# 京东 JD, 圆通 YT, 极兔 JT and 13 digits): the parcel's, no order's
_COURIER_NUMBER = re.compile(r"(?:[Ss][Ff]\d{12,15}|(?:[Jj][DdTt]|[Yy][Tt])\d{13})")
# (every match of _WAYBILL holds one: only the texts that do are searched)
_WAYBILL_KEYWORD = re.compile(
    r"运单|快递单|快件单|物流单|包裹单|(?:快递|快件|物流|邮件)(?:号|编号|\s*[:：是为]?\s*[A-Za-z0-9-])"
)
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# the same in any script's digits (the text as written: full-width １３８…), for masking
_ANY_PHONE = re.compile(r"(?<!\d)(?:[+＋]?[8８][6６][- ]?)?([1１][3-9３-９]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# a bank card's or an ID's label; its number after it (12 to 19 digits, spaces between groups allowed)
# (traditional spellings too: masking reads the text as written)
_CARD_LABEL = (
    r"(?:卡[号號]|[银銀]行卡|信用卡|[储儲]蓄卡|借[记記]卡|身份[证證]|[证證]件)(?:[号號][码碼]|[号號])?"
    r"\s*[:：是为為]?\s*"
)
# the number: 12 to 19 digits (an ID's last may be X), or groups of four apart (6222 0212 3456 7890)
_LABELLED_CARD = re.compile(
    rf"({_CARD_LABEL})(\d{{11,18}}[\dXx](?![\dXx])|\d{{4}}(?: \d{{4}}){{2,3}}(?: \d{{3}}(?![\d月日号元块点时分:.]))?(?!\d))"
)
# Parts of every match of a pattern: the texts that hold none are not searched for it. Those that
# end in a number are searched for in the text read backwards, where they start with 点, 元 …
# (re skips quickly to a given character, slowly to a digit).
_PHONE_HINT = re.compile(r"1[3-9]\d[- ]?\d{4}[- ]?\d{4}")
_ORDER_KEYWORD = re.compile("单号|订单|编号|流水号|交易号")
# an order number's label right before a number (searched up to the number's start: "$" is there)
_ORDER_LABEL_BEFORE = re.compile(r"(?:单号|订单|编号|流水号|交易号|受理号)\s*[:：是为]?\s*$")
_CARD_LABEL_BEFORE = re.compile(_CARD_LABEL + "$")
# someone else's phone label right before a number (商家电话, 骑手的手机号：, 客服热线是): not the
# writer's phone, so never the letter's 联系电话
_OTHERS_PHONE_BEFORE = re.compile(
    "(?:客服|商家|卖家|店家|店主|商户|老板|骑手|外卖员|配送员|快递员|快递小哥|小哥|司机|师傅|对方|房东|中介"
    r"|收款人|收款方|物业|他|她|官方|平台)的?(?:联系)?(?:电话|手机|号码|热线)(?:号码|号)?\s*[:：是为]?\s*$"
)
_DASHED_DATE = re.compile(r"\d\d\d\d-\d{1,2}-\d{1,2}")
_BARE_ORDER_HINT = re.compile("[A-Za-z0-9-][A-Za-z0-9-]{11}")
_RANGE_SITE = re.compile(r"[-~到至]\s*\d")
_CN_AMOUNT_SITE_REVERSED = re.compile(f"[元块圆]\\s*[{_CN_DIGITS}]")
_WAN_SITE_REVERSED = re.compile(r"万\s*\d")
_WAN, _QIAN = re.compile("万"), re.compile("千")
_W_SITE_REVERSED = re.compile(r"[wW]\d")
_YEAR_SITE_REVERSED = re.compile(r"[年/.-]\s*\d\d\d\d")
_DAY_SITE = re.compile(r"月\s*\d")
_SLASH_SITE = re.compile(r"/\d")
_DAY_ALONE_SITE_REVERSED = re.compile(r"号\d")
_RELATIVE_SITE = re.compile("昨|今|周|前天|月|星期|礼拜")
_CLOCK_SITE = re.compile(r"[:：]\s*\d\d")
_HOUR_SITE_REVERSED = re.compile(r"点\s*[\d一二两三四五六七八九十]")
_DURATION_SITE_REVERSED = re.compile(r"[个小分天日星周礼年]\s*多?\s*[\d一二两三四五六七八九十半几]")
_AND_A_HALF = "(?:半(?![夜个天小分月年周星礼日]))?"
_DURATION = re.compile(
    # n: \d+ (and its decimals: 1.5小时) or one to three of 一…几, spelt to start with one class; digits never from inside a run
    # of them (a start there fails wherever the run's first digit fails: without this check, a long
    # run of digits costs time quadratic in its length)
    r"(?P<n>[\d一二两三四五六七八九十半几](?:(?<=\d)(?<!\d\d)\d*(?:\.\d+)?|(?<!\d)[一二两三四五六七八九十半几]{0,2}))\s*(?:多)?\s*"
    # (and a half: 一个半小时, 两个半月, 一天半, 一年半; not 十天半个月 nor 三天半夜, where 半 is what follows)
    rf"(?P<unit>个[多半]?小时|小时|分钟|天{_AND_A_HALF}|日(?!期|元)|个?星期|周(?![一二三四五六日天末])|个?礼拜"
    rf"|个[多半]?月|年{_AND_A_HALF})(?:多|之久)?"
)
# a duration counts when it reads as "how long the problem has lasted": 三天了, 等了两个小时, 已经一周,
# 黑屏了两个小时, 断了3小时, 卡了四十分钟, 断网3小时
_DURATION_HEAD = re.compile(
    r"(等了|已经|已|整整|持续了?|过去了?|快|都|足足|将近|近|这|了|黑屏|断网|断线|掉线|卡顿|卡|宕机|崩溃|崩|"
    r"停电|停水|停服|转圈|加载|打不开|用不了|登不上|无法使用|不能用|中断)$"
)
_DURATION_TAIL = re.compile(r"^(了|之久|都|还|多了|过去|以来|没|依然|仍)")
# ... but not a time point (两天前, 三天后) nor what was bought (买了三个月的会员, 充了一年VIP)
_NOT_A_DURATION_TAIL = re.compile(
    r"^(前|后|以前|以后|之前|之后|内|以内|之内|左右前|的?(会员|vip|套餐|服务|订阅|课|卡|费|阅读|学习|时长|通话|流量))"
)
_LONG_UNIT = re.compile("[月年]")

# canonical name -> spellings (matched after NFKC + lower-casing + traditional → simplified)
PLATFORMS = {
    "淘宝": ["淘宝"],
    "天猫": ["天猫"],
    "京东": ["京东"],
    "拼多多": ["拼多多", "pdd"],
    "闲鱼": ["闲鱼"],
    "唯品会": ["唯品会"],
    "美团": ["美团"],
    "饿了么": ["饿了么"],
    "抖音": ["抖音"],
    "快手": ["快手"],
    "B站": ["b站", "哔哩哔哩", "bilibili"],
    "爱奇艺": ["爱奇艺"],
    "腾讯视频": ["腾讯视频"],
    "优酷": ["优酷"],
    "芒果TV": ["芒果tv"],
    "网易云音乐": ["网易云音乐", "网易云"],
    "QQ音乐": ["qq音乐"],
    "酷狗": ["酷狗"],
    "微博": ["微博"],
    "小红书": ["小红书"],
    "滴滴": ["滴滴"],
    "哈啰": ["哈啰", "哈罗"],
    "高德": ["高德"],
    "携程": ["携程"],
    "去哪儿": ["去哪儿"],
    "飞猪": ["飞猪"],
    "12306": ["12306"],
    "美团外卖": [],
    "中国移动": ["中国移动", "移动营业厅"],
    "中国联通": ["中国联通", "联通"],
    "中国电信": ["中国电信", "电信"],
    "百度网盘": ["百度网盘"],
    "钉钉": ["钉钉"],
    "王者荣耀": ["王者荣耀"],
    "原神": ["原神"],
    "Steam": ["steam"],
    "国家电网": ["国家电网", "网上国网"],
    "交管12123": ["12123"],
    "腾讯会议": ["腾讯会议"],
    "微信读书": ["微信读书"],
    "企业微信": ["企业微信"],
    "大众点评": ["大众点评"],
    # (not 觉得物超所值, 自己得物流)
    "得物": [
        "得物app",
        "得物上",
        "在得物",
        "得物买",
        "得物订单",
        "得物付",
        "得物扫码",
        "得物鉴别",
        "得物客服",
    ],
    "盒马": ["盒马"],
    "顺丰": ["顺丰"],
    "菜鸟": ["菜鸟裹裹", "菜鸟驿站"],
    "苏宁": [
        "苏宁易购",
        "苏宁买",
        "苏宁电器买",
        "苏宁任性付",
        "苏宁上",
        "苏宁app",
        "苏宁客服",
    ],  # (not 苏宁电器对面)
    "知乎": ["知乎"],
    "喜马拉雅": ["喜马拉雅"],
    "和平精英": ["和平精英"],
    "App Store": ["app store", "appstore"],
    "Google Play": ["google play", "googleplay"],
    "Netflix": ["netflix"],
    "虾皮": ["shopee", "虾皮购物"],  # (虾皮 alone is dried shrimp)
}
CHANNELS = {
    "支付宝": ["支付宝", "zfb"],
    "微信支付": ["微信支付", "微信付款", "微信零钱", "wx支付"],
    "微信": ["微信", "wx"],
    "云闪付": ["云闪付"],
    "银联": ["银联"],
    "花呗": ["花呗"],
    "借呗": ["借呗"],
    "京东白条": ["白条"],
    "信用卡": ["信用卡"],
    "银行卡": ["银行卡", "储蓄卡", "借记卡"],
    "Apple Pay": ["apple pay", "applepay"],
    "数字人民币": ["数字人民币"],
    "招商银行": ["招商银行", "招行"],
    "工商银行": ["工商银行", "工行"],
    "建设银行": ["建设银行", "建行"],
    "农业银行": ["农业银行", "农行"],
    "中国银行": ["中国银行"],
    "交通银行": ["交通银行"],
    "邮储银行": ["邮储", "邮政储蓄"],
    "平安银行": ["平安银行"],
    "浦发银行": ["浦发银行", "浦发"],
    "民生银行": ["民生银行"],
    "兴业银行": ["兴业银行"],
    "中信银行": ["中信银行"],
    "光大银行": ["光大银行"],
    "广发银行": ["广发银行"],
    "华夏银行": ["华夏银行"],
}


@dataclass
class Facts:
    """What the complaint says about money, time, ids, platforms and duration."""

    # as shown: ¥199, ¥58.8; US$9.99, 20美元; said roughly, as said: 三百多元
    amounts: list[str] = field(default_factory=list)
    # the same amounts' numbers (of 三百多元, 300: what it is more than)
    amount_values: list[float] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    order_numbers: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # the writer's, masked: 138****5678
    platforms: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    durations: list[str] = field(default_factory=list)
    # the date of another column of the row (投诉时间, 下单时间): when the complaint was filed or
    # the order placed, kept apart from the dates the text names
    row_dates: list[str] = field(default_factory=list)
    # a parcel's numbers (运单号, 快递单号), apart from the order numbers
    waybill_numbers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str] | list[float]]:
        """Every field, as lists (JSON-ready)."""
        return {name: list(getattr(self, name)) for name in self.__dataclass_fields__}

    def when(self) -> str:
        """The first date (the text's, else the row's) and time joined for display, e.g.
        ``'11月28日 19:40'``, ``'昨晚7:40'``."""
        return join_when((self.dates or self.row_dates)[:1], self.times[:1])

    # read like the dict of lists ``to_dict()`` gives (``facts["amounts"]``), as results once held
    def __getitem__(self, name: str) -> list[str] | list[float]:
        if name not in self.__dataclass_fields__:
            raise UnknownFactError(
                f"facts have no field {name!r}; fields: {', '.join(self.__dataclass_fields__)}"
            )
        value: list[str] | list[float] = getattr(self, name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        """``facts.get("amounts")``: a field by name, or ``default``."""
        return getattr(self, name) if name in self.__dataclass_fields__ else default

    def keys(self) -> list[str]:
        """The field names (``dict(facts.to_dict())`` has the same keys)."""
        return list(self.__dataclass_fields__)

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@lru_cache(maxsize=4096)  # cn2an takes 40 µs a number, and the same few come back
def _cn_number(text: str) -> float | None:
    value = numeral_value(text)  # nearly every number: no cn2an
    if value is not None:
        return float(value)
    if cn2an_refuses(text):  # 两三百, 百: cn2an would refuse them too
        return None
    import cn2an  # 0.15 s of imports, for the rest (三点五, 一亿 …)

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def mask_phones(text: str) -> str:
    """Hide the middle four digits of mobile numbers (written in full-width digits too).

    >>> mask_phones("电话13812345678，备用１３９１２３４５６７８")
    '电话138****5678，备用１３９****５６７８'
    """
    return _ANY_PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def mask_private(text: str) -> str:
    """:func:`mask_phones`, and bank-card and ID numbers after their label shown by their first and
    last four characters only: what a letter may quote of a complaint.

    >>> mask_private("银行卡6222 0212 3456 7890 123被扣了，电话13812345678")
    '银行卡6222***********0123被扣了，电话138****5678'
    """
    return _LABELLED_CARD.sub(_masked_card, mask_phones(text))


def _masked_card(match: re.Match[str]) -> str:
    number = match.group(2).replace(" ", "")
    return match.group(1) + number[:4] + "*" * (len(number) - 8) + number[-4:]


def parse_amount(text: str) -> float | None:
    """The value of one amount expression, or None.

    >>> parse_amount("￥1,299.00"), parse_amount("一百九十九块"), parse_amount("1.2万元")
    (1299.0, 199.0, 12000.0)
    """
    return _amount_of(text)[0]


def _amount_of(text: str) -> tuple[float | None, str]:
    """(value, currency: "" for yuan) of one amount expression; (None, "") if it holds none."""
    text = unicodedata.normalize("NFKC", text)
    for pattern in _AMOUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            return _amount_value(match), _currency(match)
    return None, ""


_UNIT_VALUES = {"万": 10000, "千": 1000, "百": 100, "w": 10000, "W": 10000}


def _amount_value(match: re.Match[str]) -> float | None:
    groups = match.groupdict()
    if groups.get("approx"):  # 三百多块: what it is more than
        return _round_value(groups["approx"][:-1])
    if groups.get("cn"):
        if match.string[match.start("cn") - 1 : match.start("cn")] == "几":
            return None  # 几十块: how much is not said
        if groups["cn"] == "一" and (_together(match) or _a_piece(match)):
            return None  # 一块开的会员, 买了一块电池: "together" or "a piece", not ¥1
        if len(groups["cn"]) == 2 and _CN_DIGIT_RUN.fullmatch(groups["cn"]):
            return None  # 两三块钱 is about so much (:func:`_about`), not ¥23
        value = _cn_number(groups["cn"])
        if groups.get("cn_to") and value is not None:
            value = _range_start(groups["cn"], value, groups["cn_to"])
    else:
        unit = (groups.get("unit") or "").strip()
        value = float(groups["num"].replace(",", "")) * _UNIT_VALUES.get(unit, 1)
        if groups.get("to_unit") and not unit and value < float(groups["to"].replace(",", "")):
            value *= _UNIT_VALUES[groups["to_unit"]]  # 1到2万元: the range's unit
        if groups.get("more"):
            if not groups["num"].isdigit():
                return None  # 1.5万5千: no amount anyone says
            value += _more_value(groups["more"], _UNIT_VALUES[unit])
        value += int(groups.get("zero") or 0)  # 1万零500元: and 500
    if value is not None and _pieces_of(match):
        return None  # 四块肉, 3块排骨, 两块电池: pieces, not yuan
    if value is not None and match.group().endswith(("元", "块", "圆")) and not _currency(match):
        value += _cents(match)
    return value


def _round_value(number: str) -> float | None:
    """The value of the round number of an amount said roughly (三百, 2万, 1.5w, 20).

    >>> _round_value("三百"), _round_value("1.5万"), _round_value("20")
    (300.0, 15000.0, 20.0)
    """
    if number[-1] in _UNIT_VALUES and number[0].isdigit():
        return float(number[:-1]) * _UNIT_VALUES[number[-1]]
    return float(number) if number.isdigit() else _cn_number(number)


def _cents(match: re.Match[str]) -> float:
    """The 角 and 分 right after a yuan amount's ``match`` (5元6角: 0.6; 一块二毛五: 0.25), or the
    tenths of 块 said alone (两块五: 0.5); 0 when none follow."""
    text, end = match.string, match.end()
    cents = _CENTS.match(text, end)
    if cents:
        jiao, fen = cents.group("jiao"), cents.group("fen") or cents.group("fen_alone")
        return round((_digit_value(jiao) * 10 if jiao else 0) + (_digit_value(fen) if fen else 0)) / 100
    tenths = _TENTHS.match(text, end) if match.group().endswith("块") else None
    return _digit_value(tenths.group(1)) / 10 if tenths else 0.0


def _digit_value(digit: str) -> int:
    """One digit, in Arabic or Chinese numerals (5, 五, 两)."""
    return int(digit) if digit.isdigit() else _DIGIT_VALUES[digit]


# about so much, in Chinese numerals: two digits, one after the other (or 三五), and their unit: 两三百,
# 三四千, 一两万, 五六十, 三四十万, 三五百; 两三 alone (两三块钱: ¥2 and ¥3, not ¥23)
_ABOUT = re.compile("([一二两三四五六七八])([二两三四五六七八九])(十万|百万|千万|[十百千万])?")
# (where one is said with 十 or 百 after a money verb: 扣了两三百; read backwards, as faster to find)
_ABOUT_SITE_REVERSED = re.compile("[十百][二两三四五六七八九][一二两三四五六七八]")
_DIGIT_VALUES = {char: i for i, char in enumerate("零一二三四五六七八九")} | {"两": 2}
_RANGE_BEFORE = re.compile(r"[-~到至]\s*$")


def _amount_values(match: re.Match[str]) -> list[float]:
    """The value of an amount's match, or the two ends of an amount said roughly (:func:`_about`)."""
    value = _amount_value(match)
    if value is not None:
        return [value]
    return _about(match) if match.groupdict().get("cn") else []


def _about(match: re.Match[str]) -> list[float]:
    """The two ends of an amount said roughly in Chinese numerals (两三百块: ¥200 and ¥300, read as
    the range 两百到三百块 would be); none when it is not one (三六百, 一千两三百: how much is not
    said), nor when it ends a range (一到两三百块).

    >>> [_about(re.match("(?P<cn>.+)", text)) for text in ("两三百", "一两万", "三五千", "五六十", "三六百")]
    [[200.0, 300.0], [10000.0, 20000.0], [3000.0, 5000.0], [50.0, 60.0], []]
    """
    about = _ABOUT.fullmatch(match.group("cn"))
    if about is None:
        return []
    low, high = _DIGIT_VALUES[about.group(1)], _DIGIT_VALUES[about.group(2)]
    if not (high == low + 1 or (low, high) == (3, 5)):
        return []
    if _RANGE_BEFORE.search(match.string, max(0, match.start() - 3), match.start()):
        return []
    if about.group(3) is None and (_a_piece(match) or _counted(match)):
        return []  # 两三块饼干, 鸡腿也就三四块，: pieces, as 一块电池 is
    unit = 1
    for char in about.group(3) or "":
        unit *= {"十": 10, **_UNIT_VALUES}[char]
    return [float(low * unit), float(high * unit)]


# the number and unit a range's second end starts with (五千 of 三到五千元, 十万 of 八到十万元)
_CN_RANGE_UNIT = re.compile("([一二两三四五六七八九十]+)([万千百])")
_CN_DIGIT_RUN = re.compile("[一二两三四五六七八九]{2}")


def _range_start(first: str, value: float, to: str) -> float | None:
    """The value of the first end of a range in Chinese numerals (``value`` as written): times the
    second end's unit when it has none and is the smaller number (三到五千元: 3,000); None when
    either end is no number (两三到五百元, 一到两三百块: how much is not said).

    >>> _range_start("三", 3.0, "五千"), _range_start("五百", 500.0, "一千"), _range_start("九", 9.0, "一万")
    (3000.0, 500.0, 9.0)
    """
    if _CN_DIGIT_RUN.search(first) or _cn_number(to) is None:
        return None
    lead = _CN_RANGE_UNIT.match(to)
    if lead and not any(unit in first for unit in "十百千万"):
        number = written_out_number(lead.group(1))
        if number is not None and value < number:
            return value * _UNIT_VALUES[lead.group(2)]
    return value


def _more_value(more: str, unit: int) -> int:
    """The value of what follows the unit of a colloquial amount (:data:`_MORE`): 5千 and 5 after
    万 are 5,000, 1千8 after 万 1,800, 5 after 千 500.

    >>> _more_value("5", 10000), _more_value("1千8", 10000), _more_value("2百", 1000)
    (5000, 1800, 200)
    """
    value = 0
    for i, char in enumerate(more):
        if char.isdigit():
            following = more[i + 1 : i + 2]
            unit = _UNIT_VALUES[following] if following else unit // 10
            value += int(char) * unit
    return value


# 一块 followed by these is "together" (一块开的会员, 一块买的, 一块出去, 一块一起买的), not ¥1; 块儿 is
# never an amount
_TOGETHER = re.compile("[开买办去玩吃看用住走来]|一起|出去|过去")
# ... unless a money verb comes right before it (花了一块买的: ¥1)
_MONEY_VERB_BEFORE = re.compile(rf"(?:{_MONEY_VERB}|花|付|充)\s*$")


def _after_money_verb(text: str, start: int) -> bool:
    """Whether a money verb comes right before ``start`` (花了一块, 扣了3块: yuan)."""
    return _MONEY_VERB_BEFORE.search(text, max(0, start - 4), start) is not None


def _together(match: re.Match[str]) -> bool:
    """Whether the 一块 of ``match`` (an amount in Chinese numerals) means "together"."""
    text, end = match.string, match.end()
    return (
        match.group().endswith("块")
        and _TOGETHER.match(text, end) is not None
        and not _after_money_verb(text, match.start())
    )


# what may follow 一块 when it is ¥1: 钱, 硬币, tenths (一块五), 多, 半, 毛, 的, a particle or adverb (一块了,
# 一块都不给), or a fee within a few characters (一块手续费); any other character is a thing (一块电池,
# 一块肉, 一块一块); 这一块, 那一块, 每一块 are a part or a piece
_YUAN_NEXT = re.compile(
    "钱|硬币|[多半毛的零二两三四五六七八九了给都也还就才又被吧啊呢吗啦没到]|一(?!块)|[\u4e00-\u9fff]{0,3}费|[^\u4e00-\u9fff]|$"
)
_PART_BEFORE = re.compile("[这那哪每]$")
# ... and after a size or a place, one not followed by money words is a piece or "together" (很大一块,
# 小一块, 挤在一块)
_SIZE_OR_PLACE_BEFORE = re.compile("[大小在]$")
_MONEY_NEXT = re.compile("钱|硬币|[\u4e00-\u9fff]{0,3}费")


def _a_piece(match: re.Match[str]) -> bool:
    """Whether the 一块 of ``match`` (an amount in Chinese numerals) is a piece or a part of
    something, not ¥1 (买了一块电池, 这一块): not after a money verb, nor followed by money words."""
    text, start, end = match.string, match.start(), match.end()
    if not match.group().endswith("块") or _after_money_verb(text, start):
        return False
    if _SIZE_OR_PLACE_BEFORE.search(text, max(0, start - 1), start) and not _MONEY_NEXT.match(text, end):
        return True
    return (
        _PART_BEFORE.search(text, max(0, start - 1), start) is not None or _YUAN_NEXT.match(text, end) is None
    )


# a dish or an item named after a thing in pieces (排骨饭, 牛肉面, 鸡肉卷, 西瓜汁, 玻璃杯): priced whole
_DISH = "(?!饭|面|粉|汤|粥|卷|堡|汁|饺|煲|套餐|杯|膜|瓶|卡|券)"
# what follows 块 when it counts pieces of meat or of a thing (四块肉, 3块排骨, 两块鸡肉, 两块电池), not
# yuan: meat cut in pieces, and things that come in pieces and are never a price's object right
# after 块 (五块肉夹馍 is priced: 肉夹馍, 肉饼 … are not meat in pieces, nor 排骨饭 …: _DISH)
_PIECES = re.compile(
    "(?:肉(?!夹|饼|包|松|串|粽|丸|脯|干|丝|末|钱)|[鸡鸭鱼牛猪羊]肉|排骨|骨头|鸡块|鸡腿(?!堡)|鸡翅(?!包)|鸭腿|鱼块|牛腩"
    "|西瓜|蛋糕|饼干|巧克力|电池|玻璃|砖|石头|豆腐(?!脑|花|干|乳)|肥皂|香皂|月饼)" + _DISH
)
# the 块 that ends a range's second end, after it (5块 of 3到5块排骨, 五块 of 三到五块排骨)
_RANGE_END_UNIT = re.compile(r"\s*[万千百]?(?:\d[千百]?|\s\d[千百])?\s*块(?!钱|儿)")
# a range's first end and its connector, before its second end (3到 of 3到5块排骨)
_RANGE_FIRST_BEFORE = re.compile(r"[0-9.一二两三四五六七八九十百千万]+\s*[万千百]?\s*(?:-|~|到|至)\s*$")
# a measure word right before the number: the number is the price of what it measures (一个300块蛋糕)
_MEASURED_BEFORE = re.compile(r"个\s*$")


def _pieces_of(match: re.Match[str]) -> bool:
    """Whether the N块 of ``match`` counts pieces (四块肉, 3块排骨), not yuan: a thing in pieces
    right after 块, and no money verb right before (花了四块, 扣了3块 are yuan whatever follows), no
    decimals (38.5块排骨) and no 个 (一个300块蛋糕); a range (3到5块排骨) is read as a whole.

    >>> [_pieces_of(re.search("(..)块", t)) for t in ("给了四块肉", "只有3块排骨", "花了四块肉夹馍")]
    [True, True, False]
    """
    text, start, end = match.string, match.start(), match.end()
    groups = match.groupdict()
    to = "to" if groups.get("to") else "cn_to" if groups.get("cn_to") else None
    if to is not None:  # a range's first end (3 of 3到5块排骨): pieces where its second end is
        unit = _RANGE_END_UNIT.match(text, match.end(to))
        if unit is None:
            return False
        end = unit.end()
    elif not match.group().endswith("块"):
        return False
    else:  # a range's second end (5块 of 3到5块排骨): the money verb is before the range
        first = _RANGE_FIRST_BEFORE.search(text, max(0, start - 16), start)
        start = start if first is None else first.start()
    return (
        "." not in text[start:end]  # 38.5块排骨: a price, pieces are whole
        and _PIECES.match(text, end) is not None
        and not _after_money_verb(text, start)
        and _MEASURED_BEFORE.search(text, max(0, start - 2), start) is None
    )


# 两三块 at a clause's end after meat served in pieces (or a thing cut up) and 就 or 只有 counts the
# pieces (鸡腿也就三四块，全是骨头; 蛋糕切开只有两三块。), unless a money word is in its clause or the
# next (排骨一斤就四五块，; 花了四五块，): then, or in doubt, it is yuan. Food sold by the piece is
# priced so (煎饼就五六块, 肉夹馍就七八块, 一个面包就五六块, 一盒鸡蛋就八九块, 鸡腿堡就五六块)
_PORTION = (
    "(?:肉(?!夹|饼|包|松|串|粽|丸|脯|干|丝|末)|猪脚|猪蹄|猪手|排骨|骨头|鸡块|鸡腿(?!堡)|鸡翅(?!包)|鸭块|鸭腿|鱼块"
    "|牛腩|牛筋|虾仁)" + _DISH + "|切开|切成|切了"
)
_COUNTED_BEFORE = re.compile(rf"(?:{_PORTION})[^,。.!?;\s]{{0,6}}?(?:就|只有|只剩|只)$")
_CLAUSE_ENDS = re.compile("[,。.!?;\\s\ue000]")  # (and the wall between the texts of a batch)
_COUNT_ENDS = re.compile("[,。.!;\\s\ue000]|$")  # a clause's end, the text's (not ?: 就三四块? asks a price)
# (卖 but not 外卖, a meal)
_MONEY_WORD = re.compile("钱|元|付|扣|退|花|买|价|费|(?<!外)卖|收|斤|贵|便宜|成本|值|赚|抽|省|¥")


def _counted(match: re.Match[str]) -> bool:
    """Whether 两三块 (``match``, an amount said roughly) counts pieces, not yuan (see
    :data:`_COUNTED_BEFORE`).

    >>> [_counted(re.search("(?P<cn>..)块", t)) for t in ("鸡腿也就三四块,", "花了四五块,", "只有两三块,")]
    [True, False, False]
    """
    text, start, end = match.string, match.start(), match.end()
    if not match.group().endswith("块") or not _COUNT_ENDS.match(text, end):
        return False
    before = _CLAUSE_ENDS.split(text[max(0, start - 12) : start])[-1]
    # the next clause: none at the text's end (in a batch, the wall: what follows is another text)
    after = "" if text[end : end + 1] in ("", _WALL) else _CLAUSE_ENDS.split(text[end + 1 : end + 13])[0]
    return (
        _COUNTED_BEFORE.search(before) is not None
        and _MONEY_WORD.search(before) is None
        and _MONEY_WORD.search(after) is None
    )


def _display_amount(value: float, currency: str = "") -> str:
    """An amount as a reader sees it: ¥1,299, ¥58.8; in another currency US$9.99, 20美元; said
    roughly, as said (三百多元: its currency is the phrase, marked :data:`_AS_SAID`)."""
    if currency.startswith(_AS_SAID):
        return currency[1:]
    number = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    if not currency:
        return f"¥{number}"
    return f"{currency}{number}" if currency.endswith("$") else f"{number}{currency}"


# the name of a dollar written before its $ (S$, MOP$ …; HK$, US$ and NT$ are the pattern's)
_DOLLAR_NAME = re.compile("(?<![A-Za-z])(?:NZ|AU|CA|SG|MOP|[ACRS])$")


# currencies written as a sign, by their names
_SIGN_NAMES = {"€": "欧元", "£": "英镑"}


def _currency(match: re.Match[str]) -> str:
    """An amount's currency: "" for yuan, else as written ($, US$, HK$, NT$, 美元, 港币 …; € is 欧元);
    for an amount said roughly, the phrase itself (:data:`_AS_SAID` 三百多元)."""
    groups = match.groupdict()
    if groups.get("approx"):
        return f"{_AS_SAID}{groups['approx']}元"
    sign = (groups.get("cur") or groups.get("cur_after") or "").upper()
    if sign in _SIGN_NAMES:
        return _SIGN_NAMES[sign]
    if sign == "$":
        start = match.start("cur")
        name = _DOLLAR_NAME.search(match.string, max(0, start - 3), start)
        return f"{name.group()}$" if name else sign
    return groups.get("fx") or ("" if sign in ("", "¥", "人民币") else sign)


def _unique(items: Iterable[_T]) -> list[_T]:
    """The items that are not empty (or 0), each once, in order."""
    return list(dict.fromkeys(filter(None, items)))


# a table of names, as _find_names reads it: (name, spellings) by position in the table, and for
# each spelling the pattern of every spelling finds, the positions of the names that may be there
_Table = tuple[list[tuple[str, list[str]]], dict[str, tuple[int, ...]]]


def _hidden_by(found: str, spelling: str) -> bool:
    """Whether ``spelling`` may be in a text where the name pattern reported ``found``: inside it,
    or overlapping its end."""
    return spelling in found or any(found.endswith(spelling[:k]) for k in range(1, len(spelling)))


class _Near(dict[str, tuple[int, ...]]):
    """What the name pattern found → the positions of the table's names that may be there,
    worked out the first time a spelling is found (a table has hundreds)."""

    def __init__(self, entries: list[tuple[str, list[str]]]) -> None:
        super().__init__()
        self.entries = entries

    def __missing__(self, found: str) -> tuple[int, ...]:
        near = tuple(
            i for i, (_, group) in enumerate(self.entries) if any(_hidden_by(found, s) for s in group)
        )
        self[found] = near
        return near


@lru_cache(maxsize=1)
def _name_index() -> tuple[re.Pattern[str], dict[int, _Table]]:
    """(every spelling of :data:`PLATFORMS` and :data:`CHANNELS`, longest first; each table).

    A spelling the pattern does not report is inside or overlaps one it does (it starts in a
    match), so the names with such a spelling may be there too.
    """
    tables = (PLATFORMS, CHANNELS)
    spellings = sorted(
        {s for table in tables for group in table.values() for s in group}, key=len, reverse=True
    )
    indexed: dict[int, _Table] = {}
    for table in tables:
        entries = list(table.items())
        indexed[id(table)] = (entries, _Near(entries))
    # a name spelt in digits (12306, 交管12123 …) counts only as a number of its own, not inside an
    # order or phone number
    return re.compile("|".join(map(_spelling_pattern, spellings))), indexed


def _spelling_pattern(spelling: str) -> str:
    """A spelling as a pattern; one that starts or ends with a digit only as a number of its own
    (the look-behind comes after the first character, so every alternative still starts with a
    literal one and the regex engine can skip the positions none starts at).

    >>> print(_spelling_pattern("12306"), _spelling_pattern("交管12123"), _spelling_pattern("淘宝"))
    1(?<!\\d1)2306(?!\\d) 交管12123(?!\\d) 淘宝
    """
    pattern = re.escape(spelling)
    if spelling[:1].isdigit():
        pattern = rf"{spelling[0]}(?<!\d{spelling[0]}){re.escape(spelling[1:])}"
    return pattern + r"(?!\d)" if spelling[-1:].isdigit() else pattern


# words that hold a short spelling of a name without naming it
NOT_A_NAME = {
    "电信": ("电信诈骗", "电信网络诈骗"),  # telephone fraud, not China Telecom
    "联通": ("关联通",),  # 关联通知
    "网易云": ("网易云盘", "网易云课堂", "网易云游戏", "网易云信"),  # not NetEase Cloud Music
    "微信": ("微信读书", "企业微信"),  # apps of their own, not a payment by WeChat
    "喜马拉雅": ("喜马拉雅山",),  # the mountains, not the audio app
    "知乎": ("知乎上看",),  # where a tip was read, not the platform complained about
}


def _position(text: str, spelling: str) -> int:
    """Where a name's spelling first occurs in ``text`` (-1: nowhere); one spelt in digits only as a
    number of its own, and none inside a word of :data:`NOT_A_NAME`.

    >>> _position("接到电信诈骗电话，后来打了电信客服", "电信"), _position("关联通知", "联通")
    (13, -1)
    """
    position = text.find(spelling)
    digits = spelling[:1].isdigit() or spelling[-1:].isdigit()
    words = NOT_A_NAME.get(spelling, ())
    if position < 0 or not (digits or words):
        return position
    for m in re.finditer(_spelling_pattern(spelling), text):
        starts = [m.start() - word.find(spelling) for word in words]
        if not any(at >= 0 and text.startswith(word, at) for word, at in zip(words, starts)):
            return m.start()
    return -1


def _find_names(text: str, table: dict[str, list[str]], found: list[str] | None = None) -> list[str]:
    """The names of ``table`` (:data:`PLATFORMS` or :data:`CHANNELS`) spelt in ``text``, in the order
    they appear; ``found``: what :func:`_name_index`'s pattern finds in the text, if known."""
    any_spelling, indexed = _name_index()
    if found is None:
        found = any_spelling.findall(text)
    if not found:  # most texts name nothing
        return []
    entries, near = indexed[id(table)]
    hits: list[tuple[int, str]] = []
    for i in sorted({i for spelling in found for i in near[spelling]}):
        name, spellings = entries[i]
        for spelling in spellings:
            position = _position(text, spelling)
            if position >= 0:
                hits.append((position, name))
                break
    hits.sort()
    names = [name for _, name in hits]
    # "微信" is implied by "微信支付"; "美团" stays even with "美团外卖"
    if "微信支付" in names and "微信" in names:
        names.remove("微信")
    return names


@overload
def extract_facts(  # type: ignore[overload-overlap]  # a str is an Iterable[str] too
    text: str, *, known: Mapping[str, object] | None = None, today: _dt.date | None = None
) -> Facts: ...


@overload
def extract_facts(
    text: Iterable[str],
    *,
    known: Iterable[Mapping[str, object] | None] | None = None,
    today: _dt.date | None = None,
) -> list[Facts]: ...


def extract_facts(
    text: str | Iterable[str],
    *,
    known: Mapping[str, object] | Iterable[Mapping[str, object] | None] | None = None,
    today: _dt.date | None = None,
) -> Facts | list[Facts]:
    """Extract the facts a refund request needs from one complaint (→ :class:`Facts`), or from a
    list of complaints (→ a list of :class:`Facts`, found several times faster than one by one).

    ``known`` adds what other columns of the row say, by kind (:data:`FACT_KINDS`: platform,
    date, order_number, waybill, money, phone): ``{"platform": "微信支付", "date": "2024-03-02 21:14"}``
    (for a list: one such mapping, or None, per complaint). Relative dates in the text (昨晚, 前天,
    上周三) are resolved against ``today`` or, without it, against a known date (when the
    complaint was filed); otherwise they stay as written.

    >>> extract_facts("2023年11月28日晚上8点被扣了一百九十九块").amounts
    ['¥199']
    >>> f = extract_facts("昨晚 7:40 付款失败", known={"platform": "淘宝", "date": "2024-03-02 21:14"})
    >>> f.platforms, f.dates, f.row_dates, f.times
    (['淘宝'], ['2024年3月1日'], ['2024年3月2日'], ['晚上7:40'])
    >>> [f.amounts for f in extract_facts(["扣了199元", "页面打不开"])]
    [['¥199'], []]
    """
    if isinstance(text, str):
        if known is not None and not isinstance(known, Mapping):
            raise InvalidParameterError(f"known must be a mapping for one text, got {type(known).__name__}")
        facts = _texts_facts([text])[0]
        _add_context(facts, known, today)
        return facts
    texts = _checked_texts(text)
    rows: list[Mapping[str, object] | None] = [None] * len(texts)
    if isinstance(known, Mapping) or (known is not None and not isinstance(known, Iterable)):
        raise InvalidParameterError(
            f"known must be one mapping (or None) per text for a list of texts, got {type(known).__name__}"
        )
    if known is not None:
        rows = list(known)
        if len(rows) != len(texts):
            raise InvalidParameterError(f"known holds {len(rows)} rows for {len(texts)} texts")
    found = [facts for part in _parts(texts) for facts in _distinct_texts_facts(part)]
    if known is not None or today is not None:
        for facts, row in zip(found, rows):
            _add_context(facts, row, today)
    return found


def _checked_texts(texts: object) -> list[str]:
    if isinstance(texts, bytes) or not isinstance(texts, Iterable):
        raise InvalidInputError(f"extract_facts expects a str or a list of str, got {type(texts).__name__}")
    checked = list(texts)
    for i, text in enumerate(checked):
        if not isinstance(text, str):
            raise InvalidInputError(f"extract_facts: text {i} is {type(text).__name__}, not str")
    return checked


def _parts(texts: list[str]) -> Iterator[list[str]]:
    """``texts`` cut into parts of at most :data:`_PART_TEXTS` texts and about :data:`_PART_CHARS`
    characters."""
    if len(texts) <= _PART_TEXTS and sum(map(len, texts)) <= _PART_CHARS:
        yield texts
        return
    start, chars = 0, 0
    for end, text in enumerate(texts):
        chars += min(len(text), MAX_FACT_CHARS)
        if end > start and (end - start >= _PART_TEXTS or chars > _PART_CHARS):
            yield texts[start:end]
            start, chars = end, min(len(text), MAX_FACT_CHARS)
    if start < len(texts):
        yield texts[start:]


def _distinct_texts_facts(texts: list[str]) -> list[Facts]:
    """:func:`_texts_facts`, each distinct text once (a copy of its facts for the others)."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return _texts_facts(texts)
    by_text = dict(zip(distinct, _texts_facts(distinct)))
    seen: set[str] = set()
    out = []
    for text in texts:
        facts = by_text[text]
        out.append(Facts(*(list(getattr(facts, name)) for name in facts.keys())) if text in seen else facts)
        seen.add(text)
    return out


def _add_context(facts: Facts, known: Mapping[str, object] | None, today: _dt.date | None) -> None:
    """Add what other columns of the row say, and resolve relative dates (see extract_facts)."""
    if known:
        if not _KINDS.issuperset(known):
            unknown = sorted(set(known) - _KINDS)
            raise InvalidParameterError(
                f"known facts of unknown kind {', '.join(unknown)}; kinds: {', '.join(FACT_KINDS)}"
            )
        _add_known(facts, known)
    reference = today
    if reference is None and known and known.get("date") is not None:
        parsed = parse_when(known["date"])
        reference = parsed[0] if parsed else None
    if reference is not None and facts.dates:
        facts.dates = _unique(resolve_date(d, reference) for d in facts.dates)


# Joins the texts of a batch: a private-use character no pattern matches or looks past
_WALL = "\ue000"
# a batch is searched in parts of at most this many texts and characters (the CSV path's chunks)
_PART_TEXTS = 2000
_PART_CHARS = 400_000


class _Batch:
    """Texts joined by :data:`_WALL`, searched as one string: a match belongs to the text it
    starts in, and is the match a search of that text alone finds (no pattern matches the wall
    or looks past it, but :data:`_WAN_NEAR_MONEY`, which is searched text by text).

    A batch of one text is that text: the searches are the ones :func:`extract_facts` of it runs.
    """

    def __init__(self, texts: list[str], joined: str | None = None) -> None:
        self.texts = texts
        if joined is None:
            joined = texts[0] if len(texts) == 1 else _WALL.join(texts)
        self.text = joined  # (``joined``: the texts joined already)
        self.starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        self._reversed: str | None = None

    @property
    def reversed(self) -> str:
        """The batch read backwards: what ends in a number starts with 点, 元 … there (faster to
        find, see :data:`_HOUR_SITE_REVERSED`)."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed

    def owner(self, position: int) -> int:
        """The text ``position`` is in."""
        return bisect_right(self.starts, position) - 1

    def holding(self, pattern: re.Pattern[str], backwards: bool = False) -> list[int]:
        """The texts ``pattern`` is found in (``backwards``: in :attr:`reversed`), in order."""
        if len(self.texts) == 1:
            return [0] if pattern.search(self.reversed if backwards else self.text) else []
        if not backwards:
            return sorted({self.owner(m.start()) for m in pattern.finditer(self.text)})
        last = len(self.text) - 1
        return sorted({self.owner(last - m.start()) for m in pattern.finditer(self.reversed)})

    def matches(
        self, pattern: re.Pattern[str], texts: list[int] | None = None
    ) -> Iterator[tuple[int, re.Match[str]]]:
        """(text, match) of ``pattern`` over the batch, or over ``texts`` only, in order."""
        if len(self.texts) == 1:
            if texts is None or texts:
                yield from ((0, m) for m in pattern.finditer(self.text))
            return
        if texts is None:
            owner = self.owner
            for m in pattern.finditer(self.text):
                yield owner(m.start()), m
            return
        for i in texts:
            start = self.starts[i]
            # the end of the text is the end of the string for the pattern
            for m in pattern.finditer(self.text, start, start + len(self.texts[i])):
                yield i, m


def _texts_facts(texts: list[str]) -> list[Facts]:
    """The facts of each text (of one part of a batch), every pattern searched once over all."""
    # the start only, as the model reads it: a pasted book must not stall a batch (or a letter)
    raws = [_nfkc_short(text[:MAX_FACT_CHARS]) for text in texts]
    batch = _Batch(raws)
    if len(raws) > 1 and batch.text.count(_WALL) != len(raws) - 1:  # a text holds the wall itself
        return [_texts_facts([text])[0] for text in texts]
    # in simplified characters: 訂單號, 8點, 199塊 are read as 订单号, 8点, 199块 (names too)
    simplified = _converted(batch.text)
    pieces = [] if simplified is None else [simplified] if len(raws) == 1 else simplified.split(_WALL)
    if len(pieces) != len(raws):  # text by text: one of them cannot be converted
        batch = _Batch([_converted(text) or text for text in raws])
    elif simplified != batch.text:
        batch = _Batch(pieces, simplified)
    financial = batch.holding(_FINANCIAL_SITE)  # 壹仟贰佰元 is read as 一千二百元 (in a few texts)
    if financial:
        texts = list(batch.texts)
        for i in financial:
            texts[i] = _ordinary_numerals(texts[i])
        batch = _Batch(texts)
    platforms, channels = _names(batch)
    phones, orders, waybills, scrubbed = _phones_and_orders(batch)
    amounts = _amounts(scrubbed)
    shown = {i: [_display_amount(*amount) for amount in found] for i, found in amounts.items()}
    values = {i: [value for value, _ in found] for i, found in amounts.items()}
    dates, times = _dates(scrubbed), _times(scrubbed)
    for i in {*dates, *times}:  # (only a text that names two dates or times can name both)
        if len(dates.get(i, ())) + len(times.get(i, ())) > 1:
            dates[i], times[i] = _failure_when(scrubbed.texts[i], dates.get(i, []), times.get(i, []))
    columns: list[dict[int, list[Any]]] = [shown, values, dates, times]
    columns += [orders, phones, platforms, channels, _durations(scrubbed)]
    for i in scrubbed.holding(_TIME_RANGE_SITE):  # 从晚上7点到10点一直打不开: how long, when nothing says it
        if not columns[-1].get(i):
            lasted = range_duration(scrubbed.texts[i])
            if lasted:
                columns[-1][i] = [lasted]
    if len(raws) == 1:
        facts = [Facts(*(found.get(0, []) for found in columns))]
    else:  # every field of every Facts its own list: most are empty
        facts = list(map(Facts, *(_filled(found, len(raws)) for found in columns)))
    for i, numbers in waybills.items():
        facts[i].waybill_numbers = numbers
    return facts


def _filled(found: dict[int, list[_T]], size: int) -> list[list[_T]]:
    """``found`` as a list of ``size`` lists (a new empty one where ``found`` has none)."""
    filled: list[list[_T]] = [[] for _ in range(size)]
    for i, items in found.items():
        filled[i] = items
    return filled


# the characters that keep most complaints from being NFKC already (full-width punctuation), and
# their compatibility decompositions
_FULL_WIDTH = {char: unicodedata.normalize("NFKD", char) for char in "，（）？！：；～"}


def _nfkc_short(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on a complaint.

    >>> _nfkc_short("扣了１９９元（微信）")
    '扣了199元(微信)'
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    for char, half in _FULL_WIDTH.items():
        if char in text:
            text = text.replace(char, half)
    # a character replaced by its compatibility decomposition leaves the string's NFKC form as it was
    return text if unicodedata.is_normalized("NFKC", text) else _nfkc(text)


def _names(batch: _Batch) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """(platforms, channels) of the texts that name some, matched in lower case (the batch is in
    simplified characters already: :func:`_texts_facts` converted it)."""
    joined = batch.text.lower()
    pieces = [joined] if len(batch.texts) == 1 else joined.split(_WALL)
    found: dict[int, list[str]] = {}
    for i, m in _Batch(pieces, joined).matches(_name_index()[0]):  # one search for both tables
        found.setdefault(i, []).append(m.group())
    platforms = {i: _find_names(pieces[i], PLATFORMS, spelt) for i, spelt in found.items()}
    channels = {i: _find_names(pieces[i], CHANNELS, spelt) for i, spelt in found.items()}
    return platforms, channels


def _converted(text: str) -> str | None:
    """``text`` in simplified characters, or None if OpenCC cannot read it (a lone surrogate)."""
    try:
        converted: str = simplified_converter().convert(text)
    except Exception:  # conversion is a nicety for reading facts, never a reason to fail
        return None
    return converted


def _phones_and_orders(
    batch: _Batch,
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]], _Batch]:
    """(masked phones, order numbers, waybill numbers) of the texts that hold some, and the batch
    with them blanked out (an order number is not an amount)."""
    phones: dict[int, list[str]] = {}
    orders: dict[int, list[str]] = {}
    waybills: dict[int, list[str]] = {}
    texts = batch.texts
    scrubbed: dict[int, str] = {}
    for i in batch.holding(_PHONE_HINT):
        text = texts[i]
        found = [m for m in _PHONE.finditer(text) if not _ORDER_LABEL_BEFORE.search(text, 0, m.start())]
        own = (m for m in found if not _OTHERS_PHONE_BEFORE.search(text, max(0, m.start() - 12), m.start()))
        phones[i] = _unique(mask_phones(m.group(0)).replace(" ", "").replace("-", "") for m in own)
        if phones[i]:
            scrubbed[i] = _blanked(text, found)
    parcels = batch.holding(_WAYBILL_KEYWORD)
    for i in sorted({*batch.holding(_ORDER_KEYWORD), *batch.holding(_BARE_ORDER_HINT), *parcels}):
        without_phones = scrubbed.get(i, texts[i])
        numbers = _waybills(without_phones) if parcels and i in parcels else []
        numbered, couriers = _orders(without_phones)
        if couriers:  # SF1234567890123 alone: a parcel's
            numbers = _unique([*numbers, *couriers])
        # 快递单号 ends in 单号: its number is the parcel's, not an order's
        orders[i] = [order for order in numbered if order not in numbers]
        for order in orders[i] + numbers:
            without_phones = without_phones.replace(order, " ")
        if numbers:
            waybills[i] = numbers
        if orders[i] or numbers:
            scrubbed[i] = without_phones
    if not scrubbed:  # the batch as it is (most texts hold neither)
        return phones, orders, waybills, batch
    return phones, orders, waybills, _Batch([scrubbed.get(i, text) for i, text in enumerate(texts)])


def _blanked(text: str, matches: list[re.Match[str]]) -> str:
    """``text`` with each match replaced by a space."""
    pieces, at = [], 0
    for m in matches:
        pieces += [text[at : m.start()], " "]
        at = m.end()
    pieces.append(text[at:])
    return "".join(pieces)


def _orders(text: str) -> tuple[list[str], list[str]]:
    """(order numbers, parcel numbers without a label) of a text.

    >>> _orders("订单号2023112812345678，SF1234567890123还没到，退款单号RF20231128001")
    (['2023112812345678'], ['SF1234567890123'])
    """
    orders: list[str] = []
    couriers: list[str] = []
    for m in _ORDER.finditer(text):
        value = m.group("id") or m.group("bare")
        if not value or sum(c.isdigit() for c in value) < 6 or _DASHED_DATE.fullmatch(value):
            continue  # 订单2023-11-28被取消 names a date
        if m.group("bare"):
            if _CARD_LABEL_BEFORE.search(text, 0, m.start()):
                continue  # a bank card or ID number is no order number (and is not repeated back)
            if _COURIER_NUMBER.fullmatch(value) and _stands_alone(text, m.start("bare"), m.end("bare")):
                couriers.append(value)
                continue
        elif _COURIER_NUMBER.fullmatch(value) and _parcels_label(text, m):
            couriers.append(value)  # 顺丰的单号SF1234567890123: the shape says whose
            continue
        orders.append(value)
    return _unique(orders), [n for n in _unique(couriers) if n not in orders]  # (labelled an order's)


# what a courier-shaped number is part of when it is no parcel's: a web address or an e-mail
# (…/SF1234567890123, SF1234567890123@qq.com), or a product's, a coupon's or a staff member's code
_PART_OF_BEFORE = re.compile(
    r"(?:[/=@_.#&?]|编码|型号|货号|工号|券码|兑换码|优惠码|代码|邀请码)\s*[:：]?\s*$"
)
_PART_OF_AFTER = re.compile(r"[@/._=&?]\w")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` stands on its own (see :data:`_PART_OF_BEFORE`).

    >>> _stands_alone("SF1234567890123还没到", 0, 15), _stands_alone("商品编码JD1234567890123", 4, 19)
    (True, False)
    """
    return not _PART_OF_BEFORE.search(text, max(0, start - 6), start) and not _PART_OF_AFTER.match(text, end)


# 单号 alone names no owner (顺丰的单号SF1234567890123, 快递员给的单号是YT…): a courier-shaped
# number after it is the parcel's; after 订单号 or 订单的单号 (订单 单号, 订单详情里的单号), or a
# payment's label (付款单号, 支付单号, 充值单号 …), the order's
_PLAIN_LABEL = re.compile(r"单号\s*[:：是为]?\s*")
# (or where an order's details show it: 订单详情里的单号, 订单页面上的单号, 订单信息里单号; not
# 订单的物流详情里: the parcel's)
_ORDER_WORD_BEFORE = re.compile(
    r"(?:订单|付款|支付|充值|购买|购物|缴费|交费|消费|账单|帐单)"
    r"(?:(?:详情页?|页面?|信息|记录|列表|截图)(?:里面?|中|上|内)?|里面?|中|上|内)?的?\s?$"
)


def _parcels_label(text: str, match: re.Match[str]) -> bool:
    """Whether the number of ``match`` (of :data:`_ORDER`, labelled) is labelled 单号 alone and
    stands on its own (see :data:`_PLAIN_LABEL`).

    >>> [_parcels_label(t, _ORDER.search(t)) for t in ("顺丰的单号SF1234567890123", "订单的单号SF1234567890123")]
    [True, False]
    """
    start, end = match.start("id"), match.end("id")
    return (
        _PLAIN_LABEL.fullmatch(text, match.start(), start) is not None
        and _ORDER_WORD_BEFORE.search(text, max(0, match.start() - 9), match.start()) is None
        and _stands_alone(text, start, end)
    )


def _waybills(text: str) -> list[str]:
    """The parcel numbers a text labels as such (运单号, 快递单号, 物流单号 …).

    >>> _waybills("快递单号：SF1234567890123，订单号2023112812345678")
    ['SF1234567890123']
    """
    found = (m.group("id") for m in _WAYBILL.finditer(text))
    return _unique(n for n in found if sum(c.isdigit() for c in n) >= 6 and not _DASHED_DATE.fullmatch(n))


def _amounts(batch: _Batch) -> dict[int, list[tuple[float, str]]]:
    """The (value, currency) of the amounts of the texts that hold some, in order."""
    text = batch.text
    yuan = "元" in text or "块" in text or "圆" in text
    # (pattern, the texts it can match in: None for all), in the order the patterns are tried
    searches: list[tuple[re.Pattern[str], list[int] | None]] = []
    if yuan:
        searches.append((_AMOUNT_PATTERNS[0], batch.holding(_RANGE_SITE)))
    if "¥" in text or "$" in text or "€" in text or "£" in text or _FX_BEFORE_SITE.search(text):
        searches.append((_AMOUNT_PATTERNS[1], None))
    if yuan or "人民币" in text or _OTHER_MONEY_WORD.search(text):
        searches.append((_AMOUNT_PATTERNS[2], None))
    if yuan:
        written = batch.holding(_CN_AMOUNT_SITE_REVERSED, backwards=True)
        searches += [(_AMOUNT_PATTERNS[3], written), (_AMOUNT_PATTERNS[4], written)]
    if "多" in text or "余" in text or "来" in text:
        rough = batch.holding(_APPROX_SITE_REVERSED, backwards=True)
        if rough:
            if yuan:
                searches.append((_APPROX, batch.holding(_APPROX_YUAN_SITE_REVERSED, backwards=True)))
            searches.append((_VERB_APPROX, rough))
    # (the texts that hold 万 or 千: faster to find than a verb; or 两三百, 五六十, said roughly; or
    # 3w, 万 written w)
    wan_qian = {*batch.holding(_WAN), *batch.holding(_QIAN)} if "万" in text or "千" in text else set()
    about = batch.holding(_ABOUT_SITE_REVERSED, backwards=True) if "百" in text or "十" in text else []
    if "w" in text or "W" in text:
        about = [*about, *batch.holding(_W_SITE_REVERSED, backwards=True)]
    if wan_qian or about:
        searches.append((_VERB_AMOUNT, sorted(wan_qian.union(about))))
    if "万" in text:  # text by text: its look-ahead would read past the wall
        searches.append((_WAN_NEAR_MONEY, batch.holding(_WAN_SITE_REVERSED, backwards=True)))
    if "取" in text or "存" in text:
        searches.append((_CASH_AMOUNT, batch.holding(_CASH_MACHINE)))
    if "提现" in text:
        searches.append((_CASHOUT_AMOUNT, batch.holding(_CASHOUT_SITE)))
    if plain := batch.holding(_VERB_PLAIN_SITE):
        searches.append((_VERB_PLAIN, plain))
    if wan_qian and ("取" in text or "存" in text or "提现" in text):  # (the few texts with 万 or 千)
        searches.append((_CASH_WAN, [i for i in sorted(wan_qian) if _CASH_WORD.search(batch.texts[i])]))
    found: dict[int, list[re.Match[str]]] = {}
    for pattern, texts in searches:
        for i, m in batch.matches(pattern, texts):
            if i in found:
                found[i].append(m)
            else:
                found[i] = [m]
    return {i: _values(matches) for i, matches in found.items()}


def _values(matches: list[re.Match[str]]) -> list[tuple[float, str]]:
    """The (value, currency) of one text's amounts in order, each once; a match that overlaps one
    of an earlier pattern (the end of a range) is not counted twice."""
    if len(matches) == 1:  # the common case
        value = _amount_value(matches[0])
        if value is not None:
            return [(value, _currency(matches[0]))] if 0 < value < math.inf else []
    amounts: list[tuple[int, int, tuple[float, str]]] = []
    taken: list[tuple[int, int]] = []
    for m in matches:
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        values = [value for value in _amount_values(m) if 0 < value < math.inf]  # (not 10**400元)
        for end, value in enumerate(values):  # (the two ends of 两三百块 in their order)
            amounts.append((m.start(), end, (value, _currency(m))))
        if values:
            taken.append((m.start(), m.end()))
    amounts.sort()
    return _unique(v for _, _, v in amounts)


def _dates(batch: _Batch) -> dict[int, list[str]]:
    """The dates of the texts that name some, in order."""
    text = batch.text
    calendar, numeric, days_first, slash, relative = _DATE_PATTERNS
    searches: list[tuple[re.Pattern[str], list[int] | None]] = []
    if "年" in text or "/" in text or "." in text or "-" in text:
        years = batch.holding(_YEAR_SITE_REVERSED, backwards=True)
        searches += [(calendar, years), (numeric, years)]
    if "月" in text:
        searches.append((days_first, batch.holding(_DAY_SITE)))
    if "/" in text:
        searches.append((slash, batch.holding(_SLASH_SITE)))
    if "号" in text:
        searches.append((_DAY_ALONE, batch.holding(_DAY_ALONE_SITE_REVERSED, backwards=True)))
    if _RELATIVE_SITE.search(text):
        searches.append((relative, None))
    if "月" in text:
        searches.append((_CN_MONTH_DAY, batch.holding(_CN_MONTH_DAY_SITE)))
    if "前" in text:
        searches.append((_DAYS_AGO, batch.holding(_DAYS_AGO_SITE_REVERSED, backwards=True)))
    if english := batch.holding(_EN_DATE_SITE):
        searches.append((_EN_DATE, english))
    # a relative word that starts a time ("昨晚7点") is reported once, as a date
    return _found_in_order(batch, searches, _date_of)


def _date_of(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("ago"):  # 三天前: as said, unless it dates a state gone back to (回到三天前的版本)
        text, start = m.string, m.start()
        if _BACK_TO.search(text, max(0, start - 3), start) or _STATE_OF.match(text, m.end()):
            return None
        return "".join(g["ago"].split())
    if g.get("cm"):  # 十一月三号
        month, day = _CN_MONTHS.get(g["cm"]), numeral_value(g["cd"])
        return f"{month}月{day}日" if month and day and 1 <= day <= 31 else None
    if g.get("mon"):  # Nov 3
        start = m.start()
        if m.string[start - 1 : start].isascii() and m.string[start - 1 : start].isalpha():
            return None  # inside a word (Renov 3)
        day, prefix = int(g["ed"]), f"{g['ey']}年" if g.get("ey") else ""
        month = _EN_MONTHS.index(g["mon"][:3].lower()) + 1
        return f"{prefix}{month}月{day}日" if 1 <= day <= 31 else None
    if g.get("rel"):
        gloss = _DATE_GLOSS.match(m.string, m.end())
        if gloss is None and _glosses_a_date(m):
            return None
        return (_date_of(gloss) if gloss else None) or g["rel"]
    if g.get("day"):
        day = int(g["day"])
        return f"{day}号" if 1 <= day <= 31 else None  # as written: which month is the writer's to say
    if g.get("d") is None:
        return f"{g['y']}年{int(g['m'])}月"
    month, day = int(g["m"]), int(g["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    prefix = f"{g['y']}年" if g.get("y") else ""
    return f"{prefix}{month}月{day}日"


def _glosses_a_date(m: re.Match[str]) -> bool:
    """Whether the relative date ``m`` is in brackets right after a calendar date that is read
    (11月22日（上周五）; not 13月45日（上周五）, nor 20号（今天）)."""
    text, start = m.string, m.start()
    if not text[max(0, start - 4) : start].rstrip().endswith("(") or not _GLOSS_CLOSE.match(text, m.end()):
        return False
    for pattern in (_DATE_PATTERNS[0], _DATE_PATTERNS[2], _DATE_PATTERNS[3]):
        for date in pattern.finditer(text, max(0, start - 32), start):
            opening = _GLOSS_OPEN.match(text, date.end())
            if opening is not None and opening.end() == start and _date_of(date):
                return True
    return False


def _found_in_order(
    batch: _Batch,
    searches: list[tuple[re.Pattern[str], list[int] | None]],
    value_of: Callable[[re.Match[str]], str | None],
) -> dict[int, list[str]]:
    """Each text's values (``value_of`` of each match of the searches that is not None), in the
    order they appear, each once."""
    found: dict[int, list[tuple[int, str]]] = {}
    for pattern, texts in searches:
        for i, m in batch.matches(pattern, texts):
            value = value_of(m)
            if value:
                found.setdefault(i, []).append((m.start(), value))
    return {i: _in_order(values) for i, values in found.items()}


def _in_order(found: list[tuple[int, str]]) -> list[str]:
    """What one text holds, ordered by where it starts (then alphabetically), each once."""
    if len(found) == 1:
        return [found[0][1]]
    return _unique(value for _, value in sorted(found))


def _times(batch: _Batch) -> dict[int, list[str]]:
    """The times of day of the texts that name some, in order."""
    text = batch.text
    clock, hours = _TIME_PATTERNS
    searches: list[tuple[re.Pattern[str], list[int] | None]] = []
    if ":" in text or "：" in text:
        searches.append((clock, batch.holding(_CLOCK_SITE)))
    if "点" in text:
        searches.append((hours, batch.holding(_HOUR_SITE_REVERSED, backwards=True)))
    return _found_in_order(batch, searches, _time_of)


_WEEKDAY_BEFORE = re.compile("(?:周|星期|礼拜)$")


def _time_of(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if m.string[m.start("h") - 1 : m.start("h")].isdigit():
        return None  # the end of a longer number (12306点了支付 is no 6点)
    h = g["h"]
    if h[0] in "一二三四五六" and _WEEKDAY_BEFORE.search(m.string, max(0, m.start("h") - 2), m.start("h")):
        h = h[1:]  # the day's numeral (周六十点: 10点; 上周六点了份饭, 周三点的单: 点 is "ordered")
        if not h:
            return None
    hour = h if h.isdigit() else _cn_number(h)
    if hour is None or int(float(hour)) > 24:
        return None
    minute = g.get("mi")
    if not h.isdigit() and not g.get("prefix"):
        # 一点都不好用, 差一点, 第三点: "a bit" and ordinals, not times (一点多, 一点钟 are)
        before = m.string[m.start("h") - 1 : m.start("h")]
        after = m.string[m.end() : m.end() + 1]
        if before == "第" or (h == "一" and not minute and after not in ("多", "钟", "零")):
            return None
    if minute and not minute.isdigit() and minute != "半":
        if "十" in minute or m.group().endswith("分"):
            minute = _cn_number(minute)
            minute = None if minute is None else str(int(minute))
        elif minute in _QUARTERS and m.string[m.end("mi") : m.end("mi") + 1] == "刻":
            minute = _QUARTERS[minute]  # 八点一刻, 三点三刻
        else:
            minute = None  # 10点一直打不开: the 一 is not a minute
    hh = int(float(hour))
    prefix = g.get("prefix") or ""
    if not prefix and (":" in m.group() or "：" in m.group()):
        prefix, hh = _half_of_day(m, hh)
    if minute == "半":
        shown = f"{hh}点半"
    elif minute:
        shown = f"{hh}:{int(minute):02d}"
    elif m.string.startswith("多", m.end()) and m.group().endswith("点"):
        shown = f"{hh}点多"  # about so late, as said: 9点 would be more exact than the text
    else:
        shown = f"{hh}点"
    # 昨晚/今晚 are reported as the date; the time keeps the part of the day
    prefix = "晚上" if prefix.endswith("晚") or prefix.endswith("晚上") else prefix
    return prefix + shown


_QUARTERS = {"一": "15", "三": "45"}
# am or pm written after a clock time (3:30pm, 10:15 a.m.) or before it (PM 4:05)
_AM_PM_AFTER = re.compile(r"\s*([ap])\.?m(?![a-z])\.?", re.IGNORECASE)
_AM_PM_BEFORE = re.compile(r"(?<![a-z])([ap])\.?m\.?\s*$", re.IGNORECASE)


def _half_of_day(m: re.Match[str], hour: int) -> tuple[str, int]:
    """The part of the day (上午, 中午, 下午, 凌晨 for 12 am) and hour of a clock time ``m`` marked am
    or pm; ("", hour) when it is not marked."""
    text = m.string
    marked = _AM_PM_AFTER.match(text, m.end()) or _AM_PM_BEFORE.search(text, max(0, m.start() - 6), m.start())
    if marked is None or not 1 <= hour <= 12:
        return "", hour
    if marked.group(1).lower() == "a":
        return ("凌晨", 0) if hour == 12 else ("上午", hour)
    return ("中午" if hour == 12 else "下午"), hour


# when a text says both, the date and time of the failure are the ones given, not those of the
# purchase: 昨天开的会员，今晚一直黑屏 failed 今晚. What was bought, opened or topped up (开的, 买的,
# 充的, 办的 …; not 打开的, 退订的) ...
_PURCHASE = re.compile(
    r"(?:(?<![打离分公展拆])开通?|购?买|充值?|办理?|(?<!退)订|下单)的|下的单|(?:开通|购?买|办理)了"
)
_PURCHASE_SITE = re.compile("[开通买充值办理订单][的了]|下的单")  # in every purchase (fast to find)
# ... what went wrong as it was being used (黑屏, 打不开 …) or else (失败, 没了, a charge: unless it
# was only seen or shown then: 今天看短信扣了两笔, 今天显示订单失败) ...
_BROKE = re.compile(
    "黑屏|白屏|花屏|闪退|卡死|死机|打不开|开不了|用不了|登不上|登录不了|进不去|看不了|连不上|上不了网|断网"
    "|掉线|无法(?:使用|登录|打开|播放|观看|访问|连接|支付|付款)|不能用|报错|崩溃|崩了|宕机|转圈"
)
_WENT_WRONG = re.compile("失败|异常|消失|不见了|没了|丢失|清空|出错|故障|扣款|扣了|被扣|扣费|扣钱")
_SEEN = re.compile("发现|看|查|显示|才知道|收到|短信|账单|记录")
# ... and what says when it was reported, not when it failed (今天客服说扣款失败)
_REPORTED = re.compile("客服|联系|投诉|反馈")
# where a clause ends: punctuation, or a space between two words (昨晚开始就进不去 白屏转圈)
_CLAUSE_END = re.compile(r"[,。!?;\n]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _failure_when(text: str, dates: list[str], times: list[str]) -> tuple[list[str], list[str]]:
    """``dates`` and ``times`` of ``text`` without those said only of a purchase, when those of the
    failure are said too. A date is that of what its clause says, up to the next date (a time's:
    up to the next date or time); a purchase's only if nothing fails before the next one.

    >>> _failure_when("昨天开的会员，今晚8点一直黑屏", ["昨天", "今晚"], ["晚上8点"])
    (['今晚'], ['晚上8点'])
    >>> _failure_when("昨天买的，付款时提示失败，今天又扣了", ["昨天", "今天"], [])
    (['昨天', '今天'], [])
    """
    if not _PURCHASE_SITE.search(text) or not (_BROKE.search(text) or _WENT_WRONG.search(text)):
        return dates, times
    if not _PURCHASE.search(text):
        return dates, times
    mentions = _when_mentions(text)
    roles: dict[tuple[bool, str], set[str]] = {}
    for k, (start, end, is_date, value) in enumerate(mentions):
        later = (s for s, _, d, _ in mentions[k + 1 :] if s >= end and (d or not is_date))
        until = next(later, len(text))
        after = until - len(text[end:until].lstrip())  # (past the spaces right after it)
        clause = _CLAUSE_END.search(text, after, until)
        roles.setdefault((is_date, value), set()).add(
            _role(text[start : clause.start() if clause else until], text[start:until])
        )
    if not any("failure" in found for found in roles.values()):
        return dates, times
    bought = {key for key, found in roles.items() if found == {"purchase"}}
    return [d for d in dates if (True, d) not in bought], [t for t in times if (False, t) not in bought]


def _role(clause: str, until_next: str) -> str:
    """What happened at a date or time, by its clause (and all that follows it up to the next
    one): a purchase (and nothing failed), the failure, or something else."""
    if _REPORTED.search(clause):
        return "other"
    if _PURCHASE.search(clause):
        return "other" if _BROKE.search(until_next) or _WENT_WRONG.search(until_next) else "purchase"
    if _BROKE.search(clause) or (_WENT_WRONG.search(clause) and not _SEEN.search(clause)):
        return "failure"
    return "other"


def _when_mentions(text: str) -> list[tuple[int, int, bool, str]]:
    """(start, end, is a date, value) of each date and time ``text`` names, in order (a relative
    date glossed by a calendar date in brackets ends after them)."""
    mentions = []
    for pattern in (*_DATE_PATTERNS, _DAY_ALONE, _CN_MONTH_DAY, _DAYS_AGO, _EN_DATE):
        for m in pattern.finditer(text):
            gloss = _DATE_GLOSS.match(text, m.end()) if m.groupdict().get("rel") else None
            value = _date_of(m)
            if value:
                mentions.append((m.start(), gloss.end() if gloss else m.end(), True, value))
    for pattern in _TIME_PATTERNS:
        for m in pattern.finditer(text):
            value = _time_of(m)
            if value:
                mentions.append((m.start(), m.end(), False, value))
    return sorted(mentions)


# a stretch of time between two clock times followed by what went wrong (晚上7点到10点一直打不开,
# 10:30-13:00登不上): how long the problem lasted, when the text says it no other way. Each end has
# 点 or a colon (7到10个 is no time); 9点到10点之间扣的款 is when, not how long (no outage follows).
# The day before an end's period says when the range crosses midnight (昨晚8点到今天早上8点, 晚上10点
# 到第二天早上6点)
_PERIOD = "早上|上午|中午|下午|晚上|傍晚|凌晨|夜里|半夜|今晚|昨晚|今早"
_TIME_RANGE = re.compile(
    r"(?:(?P<d1>昨天|今天)\s*)?"
    rf"(?P<p1>{_PERIOD})?\s*(?P<h1>\d{{1,2}})(?:[:：](?P<m1>\d\d)|点(?:(?P<n1>[0-5]?\d)分|(?P<half1>半))?)"
    r"\s*(?:到|至|-|~|—|–)\s*(?:(?P<d2>今天|第二天|次日|隔天)\s*)?"
    rf"(?P<p2>{_PERIOD})?\s*(?P<h2>\d{{1,2}})(?:[:：](?P<m2>\d\d)|点(?:(?P<n2>[0-5]?\d)分|(?P<half2>半))?)"
    r"(?=[^。！？!?\n]{0,12}?(?:打不开|用不了|登不上|登录不了|进不去|连不上|上不了网|断网|断线|断开|中断|掉线|崩|卡死|卡住"
    r"|黑屏|白屏|闪退|报错|宕机|瘫痪|停服|故障|异常|挂了|[转付]不了|提现不了"
    r"|无法(?:登录|使用|访问|打开|连接|支付|付款|创建|加入|加载|上网|转账|提现|下单|缴费|播放)"
    r"|不能(?:用|登录|使用|上网|支付|转账|提现|下单|播放)))"
)
_TIME_RANGE_SITE = re.compile(r"[点:：]\s*\d{0,2}分?半?\s*(?:到|至|-|~|—|–)")
_EVENING = frozenset({"下午", "晚上", "傍晚", "今晚", "昨晚"})


def range_duration(text: str) -> str | None:
    """How long the first clock-time range followed by a failure in ``text`` lasted (约3小时), or None.

    >>> range_duration("从晚上11点到凌晨2点一直打不开"), range_duration("10:30到13:00登不上")
    ('约3小时', '约2小时30分钟')
    >>> range_duration("昨晚8点到今天早上8点一直登不上"), range_duration("9点到10点之间扣的款") is None
    ('约12小时', True)
    """
    m = _TIME_RANGE.search(text)
    if m is None:
        return None
    # the end on the next day (第二天, or 今天, 今早, 今晚 after 昨天, 昨晚): then up to a whole day
    yesterday = (m["d1"] or m["p1"] or "").startswith("昨")
    today = m["d2"] == "今天" or m["p2"] in ("今早", "今晚")
    next_day = m["d2"] in ("第二天", "次日", "隔天") or (yesterday and today)
    start = _minutes(m["p1"], m["h1"], m["m1"] or m["n1"], m["half1"])
    if start is None:
        return None
    if m["p2"]:
        end = _minutes(m["p2"], m["h2"], m["m2"] or m["n2"], m["half2"])
        if end is None:
            return None
        ends = [end, end + 24 * 60]
    else:  # no period said: the nearest reading after the start (7点到10点, 上午10点到3点, 晚上11点到2点)
        hour, minute = int(m["h2"]), int(m["m2"] or m["n2"] or 0) + (30 if m["half2"] else 0)
        if hour > 24 or minute >= 60:
            return None
        ends = [(hour + 12 * k) * 60 + minute for k in range(4) if hour < 12 or k in (0, 2)]
    if next_day:
        ends = [end for end in ends if end >= 24 * 60]
    lasted = min((end - start for end in ends if end > start), default=None)
    if lasted is None or lasted > (24 if next_day else 16) * 60:
        return None
    hours, minutes = divmod(lasted, 60)
    if not hours:
        return f"约{minutes}分钟"
    return f"约{hours}小时" + (f"{minutes}分钟" if minutes else "")


def _minutes(period: str | None, hour: str, minute: str | None, half: str | None) -> int | None:
    """Minutes after midnight of a clock time with its period (晚上8点 → 1200), None if impossible."""
    h, mi = int(hour), int(minute or 0) + (30 if half else 0)
    if h > 24 or mi >= 60:
        return None
    if h < 12 and (
        period in _EVENING or (period == "中午" and h < 6) or (period in ("夜里", "半夜") and h >= 6)
    ):
        h += 12
    elif h == 12 and period in ("凌晨", "半夜", "夜里"):
        h = 0
    return h * 60 + mi


def _durations(batch: _Batch) -> dict[int, list[str]]:
    """How long the problem has lasted, for the texts that say it."""
    found: dict[int, list[str]] = {}
    text = batch.text
    for m in _duration_matches(text, batch.reversed):
        i = batch.owner(m.start())
        start, end = batch.starts[i], batch.starts[i] + len(batch.texts[i])
        tail = text[m.end() : min(end, m.end() + 4)].lower()
        head = text[max(start, m.start() - 4) : m.start()]
        if _NOT_A_DURATION_TAIL.search(tail) or (m.group("unit") == "日" and head.rstrip().endswith("月")):
            continue  # 三天前, 买了三个月的会员; 11月28日还没到 (a date)
        lasted = _DURATION_TAIL.search(tail) is not None
        # "X了三个月" is as often what was bought as how long it lasted: months and years need more
        if not lasted and (
            head.endswith("了")
            and _LONG_UNIT.search(m.group("unit"))
            and not re.search(r"(等|持续|过去|断|卡|黑屏|用不了)了$", head)
        ):
            continue
        if lasted or _DURATION_HEAD.search(head):
            found.setdefault(i, []).append(m.group(0).rstrip("多之久"))
    return {i: _unique(durations) for i, durations in found.items()}


_DIGITS = re.compile(r"\d+")
_CN_COUNT = "一二两三四五六七八九十半几"  # what the number of a duration is written with, besides digits


def _duration_matches(text: str, reversed_text: str) -> list[re.Match[str]]:
    """What ``_DURATION.finditer(text)`` finds, tried only where a match can start.

    Every match holds one place where a number ends right before a unit (三|天, 2|个小时), found
    from the end in ``reversed_text`` (:data:`_DURATION_SITE_REVERSED`), and starts where that
    number does: at the first of its digits (of its whole part, for 1.5), or up to two characters before for 一…几 (but not
    inside an earlier match: 一个半小时 holds two numbers, 三天半 ends in one). Nothing can match
    before, so trying there is what finditer does.
    """
    size, end = len(text), 0
    matches: list[re.Match[str]] = []
    for site in reversed(list(_DURATION_SITE_REVERSED.finditer(reversed_text))):
        last = size - site.end()  # the number's last character
        if text[last].isdecimal():  # what \d matches
            digits = _DIGITS.match(reversed_text, site.end() - 1)
            start = last + 1 - len(digits.group()) if digits else last
            if start > 1 and text[start - 1] == "." and text[start - 2].isdecimal():  # 1.5小时
                whole = _DIGITS.match(reversed_text, size - start + 1)
                start -= 1 + (len(whole.group()) if whole else 0)
        else:
            start = last
            while start > last - 2 and start > 0 and text[start - 1] in _CN_COUNT:
                start -= 1
        if start < end:  # (the number starts in an earlier match, which may end in 半: 三天半一小时)
            if end > last:
                continue  # inside it (一个半小时 holds 半小时)
            start = end
        match = _DURATION.match(text, start)
        if match is not None:
            matches.append(match)
            end = match.end()
    return matches


# What other columns of a row can tell (see extract_facts(known=...)), as the playbook names them.
FACT_KINDS = ("platform", "date", "order_number", "waybill", "money", "phone")
_KINDS = frozenset(FACT_KINDS)
_RELATIVE_DATE = _DATE_PATTERNS[-1]
# this month or last, and a day of it (上个月25号: said without the month's number)
_MONTH_DAY = re.compile(r"(?P<which>上{1,2}个?月|本月|这个月)(?:(?P<day>\d{1,2})[日号])?")
_WEEKDAYS = "一二三四五六日天"
_DAYS_BACK = {
    "今天": 0,
    "今日": 0,
    "今晚": 0,
    "今早": 0,
    "昨天": 1,
    "昨日": 1,
    "昨晚": 1,
    "昨早": 1,
    "前天": 2,
    "大前天": 3,
    "大大前天": 4,
}
_WHEN = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"(?:[\sT]*(?P<h>\d{1,2})\s*[:：时点]\s*(?P<mi>\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")


def join_when(dates: list[str], times: list[str]) -> str:
    """A date and a time as one phrase: ``11月28日 19:40``, ``11月28日晚上8点``, ``昨晚7:40``.

    >>> join_when(["昨晚"], ["晚上7:40"]), join_when(["11月28日"], ["19:40"]), join_when([], ["19:40"])
    ('昨晚7:40', '11月28日 19:40', '19:40')
    """
    date, time = (dates[0] if dates else ""), (times[0] if times else "")
    if not date or not time:
        return date or time
    if date.endswith("晚") and time.startswith("晚上"):
        time = time[2:]  # 昨晚 晚上7:40 says it twice
    return f"{date} {time}" if time[:1].isdigit() and date[-1:] != "晚" else date + time


def is_rough_amount(amount: str) -> bool:
    """Whether an amount as :func:`extract_facts` shows it is said roughly (三百多元), not exactly.

    >>> is_rough_amount("三百多元"), is_rough_amount("¥300")
    (True, False)
    """
    return amount.endswith(("多元", "余元", "来元"))


def is_relative_date(date: str) -> bool:
    """Whether a date as :func:`extract_facts` shows it is relative (昨晚, 上周三), not a calendar date.

    >>> is_relative_date("昨晚"), is_relative_date("11月28日")
    (True, False)
    """
    return _RELATIVE_DATE.fullmatch(date) is not None or _DAYS_AGO.fullmatch(date) is not None


def parse_when(value: object) -> tuple[_dt.date, str | None] | None:
    """(date, ``"HH:MM"`` or None) of a cell such as ``2024-03-02 21:14``, ``2024年3月2日``, a
    ``datetime`` or a pandas ``Timestamp``; None when it holds no full date.

    >>> parse_when("2024-03-02 21:14")
    (datetime.date(2024, 3, 2), '21:14')
    """
    if isinstance(value, _dt.datetime):
        if value != value:  # pandas' NaT is a datetime that holds no date
            return None
        return value.date(), f"{value.hour}:{value.minute:02d}" if (value.hour, value.minute) != (
            0,
            0,
        ) else None
    if isinstance(value, _dt.date):
        return value, None
    text = _cell(value)
    if not text:
        return None
    return _when_of_text(text) if len(text) <= 64 else _when_of_text.__wrapped__(text)


@lru_cache(maxsize=1024)  # a date column holds the same few cells many times
def _when_of_text(text: str) -> tuple[_dt.date, str | None] | None:
    text = unicodedata.normalize("NFKC", text)
    match = _WHEN.search(text) or _COMPACT_DATE.match(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        day = _dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    clock = None
    if g.get("h") is not None and int(g["h"]) <= 24:
        minute = int(g["mi"] or 0)
        clock = None if (int(g["h"]), minute) == (0, 0) else f"{int(g['h'])}:{minute:02d}"
    return day, clock


def _calendar(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def resolve_date(date: str, today: _dt.date) -> str:
    """A relative date as a calendar date counted back from ``today``; other dates unchanged.

    >>> import datetime
    >>> resolve_date("昨晚", datetime.date(2024, 3, 2)), resolve_date("11月28日", datetime.date(2024, 3, 2))
    ('2024年3月1日', '11月28日')
    """
    if not is_relative_date(date):
        return date
    try:
        return _resolved(date, today)
    except OverflowError:  # today near 0001-01-01 or 9999-12-31 (a sentinel date in a column)
        return date


def _resolved(date: str, today: _dt.date) -> str:
    if date in _DAYS_BACK:
        return _calendar(today - _dt.timedelta(days=_DAYS_BACK[date]))
    ago = _DAYS_AGO.fullmatch(date)
    if ago is not None:  # 三天前 (两周前, 一个多月前: not one day)
        n = ago["n"] if ago["unit"] == "天" else None
        days = None if n is None else int(n) if n.isdigit() else numeral_value(n)
        return _calendar(today - _dt.timedelta(days=days)) if days is not None else date
    month = _MONTH_DAY.fullmatch(date)
    if month is not None:  # 本月, 上个月, 上个月25号, 上上个月
        first = today.replace(day=1)
        for _ in range(month["which"].count("上")):
            first = (first - _dt.timedelta(days=1)).replace(day=1)
        if month["day"]:
            try:
                day: _dt.date | None = first.replace(day=int(month["day"]))
            except ValueError:  # 上个月31号 of a month of 30 days: the month alone
                day = None
            if day is not None and day <= today:  # (本月25号 said on the 4th is no day yet)
                return _calendar(day)
        return f"{first.year}年{first.month}月"
    # 上个礼拜三: 上周三; 上上个星期五: 上上周五 (the week before last)
    weekday, week = date[-1], re.sub("^(上{1,2})个?(?:星期|礼拜)$", r"\1周", date[:-1])
    if weekday in _WEEKDAYS and week in ("周", "星期", "礼拜", "上周", "上上周"):
        target = min(_WEEKDAYS.index(weekday), 6)
        monday = today - _dt.timedelta(days=today.weekday())
        if week.startswith("上"):
            return _calendar(monday - _dt.timedelta(days=7 * week.count("上") - target))
        day = monday + _dt.timedelta(days=target)
        # 周三 said on a Monday is most likely the last one, not the coming one
        return _calendar(day if day <= today else day - _dt.timedelta(days=7))
    return date  # 上周: not one day


def _cell(value: object) -> str:
    """A cell as text: '' for missing values (None, NaN, pandas' NA and NaT), integers without '.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _add_known(facts: Facts, known: Mapping[str, object]) -> None:
    """Merge what other columns of the row say into ``facts`` (the text's own facts come first,
    except for the platform: a platform column names it exactly)."""
    platform = _cell(known.get("platform"))[:40]
    if platform:
        channel, name, lowered = _platform_cell(platform)
        if channel is not None:
            facts.channels = _unique([channel, *facts.channels])
        else:
            # 美团 in the text adds nothing to a 美团外卖 column
            facts.platforms = _unique([name, *(p for p in facts.platforms if p.lower() not in lowered)])
    when = parse_when(known.get("date"))
    if when is not None:
        day, clock = when
        if not facts.dates and clock and not facts.times:
            facts.times = [clock]  # the row's clock goes with the row's date only
        facts.row_dates = [_calendar(day)]
    order = _id_cell(known.get("order_number"))
    if order:
        facts.order_numbers = _unique([*facts.order_numbers, order])
    waybill = _id_cell(known.get("waybill"))
    if waybill:  # the column says whose number it is: not an order's, whatever the text called it
        facts.waybill_numbers = _unique([*facts.waybill_numbers, waybill])
        facts.order_numbers = [n for n in facts.order_numbers if n != waybill]
    money = _cell(known.get("money"))
    if money:
        value, currency = _amount_of(money)
        if value is None:
            try:
                value = float(money.replace(",", "").lstrip("¥￥"))
            except ValueError:  # a number of 万 or in Chinese numerals (1.5万, 两千): yuan
                value = _amount_of(money + "元")[0] if _YUAN_CELL.fullmatch(money) else None
        if value is not None and 0 < value < math.inf and value not in facts.amount_values:
            facts.amount_values = [*facts.amount_values, value]
            facts.amounts = [*facts.amounts, _display_amount(value, currency)]
    phone = _cell(known.get("phone"))
    if phone:
        facts.phones = _unique([*facts.phones, mask_phones(phone).replace(" ", "").replace("-", "")])


# a money column's cell that is a number of yuan without 元: 1.5万, 2万5千, 两千, 一百九十九
_YUAN_CELL = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*[万千](?:\d[千百]?)?|[零一二两三四五六七八九十百千万]+)\s*")


def _id_cell(value: object) -> str:
    """An order's or a parcel's number a cell holds ('' if it holds none: blank, too long, no
    letter or digit)."""
    number = _cell(value)
    return number if len(number) <= 64 and any(c.isalnum() for c in number) else ""


@lru_cache(maxsize=1024)  # a platform column holds the same few names many times
def _platform_cell(platform: str) -> tuple[str | None, str, str]:
    """What a platform column's cell names: (the payment channel it is, or None; else the platform,
    by its name if it is one of PLATFORMS; the cell in lower case)."""
    lowered = unicodedata.normalize("NFKC", platform).lower()
    channels = _find_names(lowered, CHANNELS)
    if channels and len(lowered) <= len(_spelling(channels[0])) + 2:
        return channels[0], "", lowered
    named = _find_names(lowered, PLATFORMS)
    return None, named[0] if named and named[0].lower() == lowered else platform, lowered


def _spelling(name: str) -> str:
    return CHANNELS.get(name, [name])[0] if CHANNELS.get(name) else name
