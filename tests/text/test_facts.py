"""Golden cases for fact extraction: amounts, dates, times, ids, phones, platforms, durations."""

import datetime
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.text import facts
from classifier.text.facts import extract_facts, mask_phones, mask_private, parse_amount, resolve_date
from classifier.text.normalize import simplified_converter

AMOUNTS = [
    ("扣了199元", ["¥199"]),
    ("扣了199块", ["¥199"]),
    ("扣了199块钱", ["¥199"]),
    ("扣款￥1,299.00", ["¥1,299"]),
    ("扣款¥58.8", ["¥58.8"]),
    ("扣了１９９元", ["¥199"]),  # full-width digits
    ("被扣一百九十九块", ["¥199"]),
    ("被扣两千块", ["¥2,000"]),
    ("被扣三千五百元", ["¥3,500"]),
    ("损失1.2万元", ["¥12,000"]),
    ("借了3万块", ["¥30,000"]),
    ("贷款1.2万被扣了", ["¥12,000"]),
    ("扣了100-200元不等", ["¥100", "¥200"]),
    ("扣了100到200块", ["¥100", "¥200"]),
    ("一次58.8元，一次199元", ["¥58.8", "¥199"]),
    ("扣了2598 元", ["¥2,598"]),
    ("扣了$20", ["$20"]),  # not yuan
    ("充了648点券", []),  # game currency is not money
    ("没有金额的投诉", []),
    ("一块儿去吃饭", []),  # 一块儿 = together
    ("订单号2023112812345678扣了5元", ["¥5"]),  # the order number is not an amount
    ("工单61706749，777元", ["¥777"]),  # a Chinese comma between two numbers is no thousands comma
    ("扣了1,234,567元", ["¥1,234,567"]),
    ("扣了12,3456元", ["¥3,456"]),  # groups of three only, and never from inside a run of digits
    ("扣了$10,又扣了$20", ["$10", "$20"]),
    # at a cash machine, what was taken out or paid in, without 元
    ("昨天去ATM取800，钱没出来", ["¥800"]),
    ("在存款机存了4500没到账", ["¥4,500"]),
    ("取款机取款1200一直显示处理中", ["¥1,200"]),
    ("atm取了600块，又存了300", ["¥600", "¥300"]),
    ("ATM取了3次，取了200多", []),  # how many times; how much not said
    ("ATM存款2023-11-28被退回", []),  # a date
    ("ATM旁边领取30积分", []),
    ("取了800，没出来", []),  # no cash machine: 取 could be anything
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amounts(text, expected):
    assert extract_facts(text).amounts == expected


@pytest.mark.parametrize(
    ("text", "amounts", "values"),
    [
        # about so much: shown as said (a number is what it is more than), never as an exact sum
        ("扣了三百多块", ["三百多元"], [300.0]),
        ("付款失败扣了两千多元", ["两千多元"], [2000.0]),
        ("被扣了300多块钱", ["300多元"], [300.0]),
        ("退了一百来块", ["一百来元"], [100.0]),
        ("损失二百余元", ["二百余元"], [200.0]),
        ("转了五千多，对方没收到", ["五千多元"], [5000.0]),
        ("充值1千多没到账", ["1千多元"], [1000.0]),
        ("等了20多分钟，付款2次", [], []),  # a time, a count
        # financial numerals (大写)
        ("退款壹仟贰佰元还没到", ["¥1,200"], [1200.0]),
        ("收据写的是人民币叁佰伍拾元整", ["¥350"], [350.0]),
        ("扣了貳佰圓", ["¥200"], [200.0]),
        ("我姓伍，登陆不了", [], []),  # 伍, 陆 outside a numeral
        # 万 written w after a money verb (not 65W, a charger's watts)
        ("转了3w没到账", ["¥30,000"], [30000.0]),
        ("被扣了1.5w", ["¥15,000"], [15000.0]),
        ("借了2W块", ["¥20,000"], [20000.0]),
        ("65W快充头很费电", [], []),
        # euros
        ("付了€25，会员没开通", ["25欧元"], [25.0]),
        ("扣了 € 12.5", ["12.5欧元"], [12.5]),
        ("花了50€买的票", ["50欧元"], [50.0]),
        ("扣了25欧元", ["25欧元"], [25.0]),
    ],
)
def test_amounts_said_roughly_in_financial_numerals_in_wan_or_in_euros(text, amounts, values):
    found = extract_facts(text)
    assert (found.amounts, found.amount_values) == (amounts, values)


DATES = [
    ("2023年11月28日扣款", ["2023年11月28日"]),
    ("2024-05-12扣款", ["2024年5月12日"]),
    ("2024/5/12扣款", ["2024年5月12日"]),
    ("11月3号扣款", ["11月3日"]),
    ("11月３日扣款", ["11月3日"]),
    ("11/3扣的款", ["11月3日"]),
    ("昨天扣的款", ["昨天"]),
    ("前天晚上扣的", ["前天"]),
    ("上周三扣的", ["上周三"]),
    ("13月45日", []),  # not a date
    ("今天没啥事", ["今天"]),
]


@pytest.mark.parametrize(
    ("text", "dates", "resolved"),
    [
        # a month and day in Chinese numerals: a calendar date
        ("十一月三号扣的款", ["11月3日"], ["11月3日"]),
        ("十二月二十五日付款失败", ["12月25日"], ["12月25日"]),
        ("十月一号那天开的会员", ["10月1日"], ["10月1日"]),
        ("二十一月三号", [], []),  # no month
        # so many days, weeks or months ago: as said, and days counted back from a known day
        ("3天前扣的款", ["3天前"], ["2024年11月17日"]),
        ("三天前扣了199元", ["三天前"], ["2024年11月17日"]),
        ("十五天以前开的会员", ["十五天以前"], ["2024年11月5日"]),
        ("两周前开的会员一直用不了", ["两周前"], ["两周前"]),  # not one day
        ("半个月前就扣了", ["半个月前"], ["半个月前"]),
        ("几天前扣的", [], []),  # how many days is not said
        # what data went back to, not when the problem was
        ("存档回到了三个月前，进度全没了", [], []),
        ("今天打开文档，内容变成了两周前的版本", ["今天"], ["2024年11月20日"]),
        ("最新的备份是三周前的，这三周改的全没了", [], []),
        ("显示退款成功，那是十三天前的事", ["十三天前"], ["2024年11月7日"]),
        ("昨日文件被回退至一周前版本", ["昨日"], ["2024年11月19日"]),
        ("换手机一看进度是三个月前的😭", [], []),
        ("前天扣的款", ["前天"], ["2024年11月18日"]),
        # a date in English, month first
        ("Nov 3扣了199元", ["11月3日"], ["11月3日"]),
        ("charged twice on November 3rd, 2024", ["2024年11月3日"], ["2024年11月3日"]),
        ("Dec. 12 付款失败", ["12月12日"], ["12月12日"]),
        ("may 35", [], []),  # no day
        ("Novel 3", [], []),
    ],
)
def test_dates_in_chinese_numerals_days_ago_and_in_english(text, dates, resolved):
    assert extract_facts(text).dates == dates
    assert extract_facts(text, today=datetime.date(2024, 11, 20)).dates == resolved


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates(text, expected):
    assert extract_facts(text).dates == expected


TIMES = [
    ("昨晚7点40扣款", ["晚上7:40"]),  # the part of the day stays with the clock
    ("昨晚 7:40 扣款", ["晚上7:40"]),
    ("19:40扣款", ["19:40"]),
    ("下午3:15扣款", ["下午3:15"]),
    ("今天早上九点半", ["早上9点半"]),
    ("晚上8点被扣", ["晚上8点"]),
]


@pytest.mark.parametrize(("text", "expected"), TIMES)
def test_times(text, expected):
    assert extract_facts(text).times == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("订单号2023112812345678", ["2023112812345678"]),
        ("订单号：E20231128001234", ["E20231128001234"]),
        ("交易号 4200001234567890123", ["4200001234567890123"]),
        ("流水号是ab12345678", ["ab12345678"]),
        ("订单61706749，777元", ["61706749"]),  # README: an order number and ¥777, not ¥61,706,749,777
        ("没有订单号", []),
        ("电话13812345678", []),  # a phone number is not an order number
    ],
)
def test_order_numbers(text, expected):
    assert extract_facts(text).order_numbers == expected


@pytest.mark.parametrize(
    ("text", "waybills", "orders"),
    [
        ("快递单号：SF1234567890123，订单号2023112812345678", ["SF1234567890123"], ["2023112812345678"]),
        ("运单号75312345678901显示已签收", ["75312345678901"], []),
        ("物流单号是YT1234567890123，扣了199元", ["YT1234567890123"], []),
        ("快递JT0001234567890三天没动", ["JT0001234567890"], []),
        ("订单号SF1234567890123", [], ["SF1234567890123"]),  # labelled an order's: an order's
        # without a label, a number only a courier gives (SF… was listed as an order number)
        ("SF1234567890123一直显示运输中", ["SF1234567890123"], []),
        (
            "京东的件JD0012345678901三天没动，订单号2023112812345678",
            ["JD0012345678901"],
            ["2023112812345678"],
        ),
        ("YT9876543210123显示签收了但我没收到", ["YT9876543210123"], []),
        ("极兔JT0001234567891丢了", ["JT0001234567891"], []),
        ("订单号SF1234567890123，SF1234567890123", [], ["SF1234567890123"]),  # the label says whose
        ("AB1234567890123没发货", [], ["AB1234567890123"]),  # no courier's letters
        ("JD00123456789012没发货", [], ["JD00123456789012"]),  # 14 digits: no 京东 waybill
        ("202311281234567一直没发货", [], ["202311281234567"]),  # digits alone: as before
        ("快递3天没到，快递员电话13812345678", [], []),
        # a courier's shape inside a web address, an e-mail or someone's code: no parcel's
        ("付款页面https://pay.example.com/SF1234567890123打不开", [], ["SF1234567890123"]),
        ("客服邮箱SF1234567890123@qq.com一直不回", [], ["SF1234567890123"]),
        ("商品编码JD1234567890123的耳机扣了两次钱", [], ["JD1234567890123"]),
        ("客服工号JT1234567890123态度很差", [], ["JT1234567890123"]),
        # labelled 单号 alone, the number's shape says whose it is (they were orders' numbers)
        ("顺丰的单号SF9876543210987到现在没动", ["SF9876543210987"], []),
        ("快递员给的单号是YT2468013579246，查不到", ["YT2468013579246"], []),
        ("单号：JD0098765432101三天没更新", ["JD0098765432101"], []),
        # ... but an order's after 订单 or with no courier's shape
        ("订单的单号JT1357924680135被取消了", [], ["JT1357924680135"]),
        ("单号DD2023112812345678一直没发货", [], ["DD2023112812345678"]),
        ("单号2023112812345678一直没发货", [], ["2023112812345678"]),
        # ... or after a payment's label (付款单号, 支付单号 …), or 订单 and a space: no 单号 alone
        ("付款单号JD2468013579135，钱扣了一直没发货", [], ["JD2468013579135"]),
        ("支付单号SF1122334455667扣了两次", [], ["SF1122334455667"]),
        ("充值单号JT9988776655443一直没到账", [], ["JT9988776655443"]),
        ("购买单号YT5566778899001显示已取消", [], ["YT5566778899001"]),
        ("订单 单号JT1357924680135被取消了", [], ["JT1357924680135"]),
        # ... or after where an order's details show it (订单详情里的单号, 订单页面上的单号)
        ("订单详情里的单号JD1234567890123，付款失败还扣了钱", [], ["JD1234567890123"]),
        ("订单详情页的单号是JD1234567890123", [], ["JD1234567890123"]),
        ("订单里的单号JD1234567890123扣了两次", [], ["JD1234567890123"]),
        ("订单信息里单号：JT1357924680135", [], ["JT1357924680135"]),
        ("订单页面上的单号YT5566778899001显示已取消", [], ["YT5566778899001"]),
        # (not a parcel's details named after the order's: 订单的物流详情里的单号 is the parcel's)
        ("订单的物流详情里单号JD0098765432101三天没更新", ["JD0098765432101"], []),
    ],
)
def test_a_parcels_number_is_no_order_number(text, waybills, orders):
    facts = extract_facts(text)
    assert (facts.waybill_numbers, facts.order_numbers) == (waybills, orders)
    assert extract_facts([text, "订单号2023112812345678"])[0] == facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13812345678", ["138****5678"]),
        ("打+86 138-1234-5678", ["138****5678"]),
        ("两个号13812345678和13912345678", ["138****5678", "139****5678"]),
        ("订单号2023112812345678", []),
    ],
)
def test_phones_are_masked(text, expected):
    assert extract_facts(text).phones == expected


@pytest.mark.parametrize(
    ("text", "platforms", "channels"),
    [
        ("美团外卖用微信支付付的", ["美团"], ["微信支付"]),
        ("淘宝下单，支付宝扣了钱", ["淘宝"], ["支付宝"]),
        ("在拼多多用花呗", ["拼多多"], ["花呗"]),
        ("B站大会员", ["B站"], []),
        ("抖音直播间打赏", ["抖音"], []),
        ("京东白条分期", ["京东"], ["京东白条"]),
        ("銀聯卡在京東付款", ["京东"], ["银联"]),  # traditional characters
        ("云闪付转账", [], ["云闪付"]),
    ],
)
def test_platforms_and_channels(text, platforms, channels):
    facts = extract_facts(text)
    assert facts.platforms == platforms
    assert facts.channels == channels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三天了还没退", ["三天"]),
        ("等了两个小时", ["两个小时"]),
        ("一个星期了还没到账", ["一个星期"]),
        ("已经10天了", ["10天"]),
        ("半个月了", ["半个月"]),
        ("买了三天的会员", []),  # not how long the problem lasted
        ("爱奇艺会员视频黑屏了两个小时", ["两个小时"]),
        ("宽带断了3小时", ["3小时"]),
        ("游戏卡了四十分钟", ["四十分钟"]),
        ("断网3小时", ["3小时"]),
        ("两天前扣的款", []),  # a time point, not a duration
        ("开了一年会员", []),
        ("等了三个月", ["三个月"]),
    ],
)
def test_durations(text, expected):
    assert extract_facts(text).durations == expected


def test_everything_at_once():
    facts = extract_facts(
        "昨晚7点40在美团用微信支付付了￥199，订单号2023112812345678，三天了还没退，电话13812345678"
    )
    assert facts.amounts == ["¥199"]
    assert facts.dates == ["昨晚"] and facts.times == ["晚上7:40"]
    assert facts.order_numbers == ["2023112812345678"]
    assert facts.phones == ["138****5678"]
    assert facts.platforms == ["美团"] and facts.channels == ["微信支付"]
    assert facts.durations == ["三天"]


KNOWN = {
    "platform": "微信支付",
    "date": "2024-03-02 21:14",
    "money": "199",
    "order_number": "A20240302",
    "phone": "13812345678",
}


def test_known_facts_from_other_columns_are_merged():
    facts = extract_facts("付款失败但钱被扣了", known=KNOWN)
    assert facts.channels == ["微信支付"] and facts.platforms == []
    assert facts.dates == [] and facts.row_dates == ["2024年3月2日"] and facts.times == ["21:14"]
    assert facts.amounts == ["¥199"] and facts.order_numbers == ["A20240302"]
    assert facts.phones == ["138****5678"]


def test_known_facts_come_after_the_texts_own_and_are_not_repeated():
    facts = extract_facts("11月28日晚上8点扣了199元", known=KNOWN)
    assert facts.amounts == ["¥199"]
    assert facts.dates == ["11月28日"] and facts.row_dates == ["2024年3月2日"]
    assert facts.times == ["晚上8点"]  # the column's clock belongs to its own date


def test_a_waybill_column_gives_the_parcels_number():
    facts = extract_facts(
        "单号SF1234567890123一直没更新，订单号2023112812345678", known={"waybill": "SF1234567890123"}
    )
    assert facts.waybill_numbers == ["SF1234567890123"]
    assert facts.order_numbers == ["2023112812345678"]  # the column says whose the other number is
    assert extract_facts("快递没到", known={"waybill": " - "}).waybill_numbers == []


def test_a_platform_column_names_the_platform_exactly():
    assert extract_facts("美团扣了两次", known={"platform": "美团外卖"}).platforms == ["美团外卖"]
    assert extract_facts("扣了两次", known={"platform": "某某生活App"}).platforms == ["某某生活App"]
    assert extract_facts("扣了两次", known={"platform": float("nan")}).platforms == []


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("昨晚 7:40 扣款", ["2024年3月5日"]),
        ("前天扣的款", ["2024年3月4日"]),
        ("上周三扣的", ["2024年2月28日"]),
        ("周五扣的", ["2024年3月1日"]),  # said on a Wednesday: the last Friday
        ("礼拜一扣的", ["2024年3月4日"]),
        ("上上周五扣的", ["2024年2月23日"]),  # (was 上周五: 2024年3月1日)
        ("上上个星期三扣的", ["2024年2月21日"]),
        ("上上个月扣的", ["2024年1月"]),  # (was 上个月)
        ("上上个月25号扣的", ["2024年1月25日"]),
        ("大大前天扣的", ["2024年3月2日"]),  # (was 大前天)
        ("上个月扣的", ["2024年2月"]),
        ("上个月25号充的会员", ["2024年2月25日"]),  # the day of last month
        ("本月3日扣的", ["2024年3月3日"]),
        ("上个月30号扣的", ["2024年2月"]),  # February had no 30th: the month alone
        ("这个月20号扣的", ["2024年3月"]),  # the 20th is still to come on the 6th: the month alone
        ("上个月3号线停运，今天又停", ["2024年2月", "2024年3月6日"]),  # 3号线 is a line, not a day
        ("11月28日扣的", ["11月28日"]),
    ],
)
def test_relative_dates_are_resolved_against_today(text, dates):
    import datetime

    assert extract_facts(text, today=datetime.date(2024, 3, 6)).dates == dates


def test_relative_dates_are_resolved_against_a_known_date():
    facts = extract_facts("昨天扣的款", known={"date": "2024/03/02"})
    assert facts.dates == ["2024年3月1日"] and facts.row_dates == ["2024年3月2日"]


def test_unknown_kinds_of_known_facts_are_refused():
    with pytest.raises(ValueError, match="platform"):
        extract_facts("扣了钱", known={"shop": "x"})


def test_parse_amount_and_mask():
    assert parse_amount("一百九十九块") == 199
    assert parse_amount("没有") is None
    assert mask_phones("13812345678") == "138****5678"


def test_rejects_non_strings():
    with pytest.raises(TypeError):
        extract_facts(None)


# --------------------------------------------------------------------------- fast paths
# extract_facts finds what the plain algorithm below finds: every pattern, spelt plainly, run
# over the whole text, one text at a time. The fast one respells some patterns, skips the ones
# a text cannot match, and searches a list of texts joined.

_CN = "零〇一二两三四五六七八九十百千万亿点"
_HALF = "(?:半(?![夜个天小分月年周星礼日]))?"
_UNITS = rf"个[多半]?小时|小时|分钟|天{_HALF}|日(?!期|元)|个?星期|周(?![一二三四五六日天末])|个?礼拜|个[多半]?月|年{_HALF}"
_WEEK = "一二三四五六日天"
_TWICE = rf"(?:{facts._SAID_FROM}上)?"  # 上上周, not 看板上上周
PLAIN = {
    "cn range": (
        facts._AMOUNT_PATTERNS[3],
        rf"(?P<cn>[{_CN}]{{1,10}})(?=\s*(?:-|~|到|至)\s*(?P<cn_to>[{_CN}]{{1,10}})\s*(?:元|块钱|块(?!儿)|圆))",
    ),
    "cn amount": (facts._AMOUNT_PATTERNS[4], rf"(?P<cn>[{_CN}]{{1,10}})\s*(?:元|块钱|块(?!儿)|圆)"),
    "wan": (
        facts._WAN_NEAR_MONEY,
        r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万)(?P<more>\d(?:千(?:\d百?|\s\d百)?|百)?"
        r"|\s\d(?:千(?:\d百?|\s\d百)?|百))?(?![\d千百万])"
        r"(?!\s*(?:积分|分(?![\d一二两三四五六七八九十]*期)|点|里程|步|个|条|次|人|张|像素|象素|色|粉丝|字))"
        r"(?=[^元块]{0,6}(?:钱|款|费|额|贷|借|扣|付|转|还(?:款|钱|贷|清|了)|赔))",
    ),
    "calendar": (
        facts._DATE_PATTERNS[0],
        r"(?P<y>\d{4})\s*[年/.-]\s*(?P<m>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})\s*[日号]?",
    ),
    "year and month": (facts._DATE_PATTERNS[1], r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)"),
    "month and day": (
        facts._DATE_PATTERNS[2],
        r"(?<!\d)(?<!\d\d\d\d年)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]",
    ),
    "month/day": (facts._DATE_PATTERNS[3], r"(?<![\d/.:])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])"),
    "relative": (
        facts._DATE_PATTERNS[4],
        rf"(?P<rel>(?:大|大大)?前天|昨天|今天|昨日|今日|昨晚|今晚|今早|昨早|{_TWICE}上周[{_WEEK}]?|{_TWICE}上个?(?:星期|礼拜)[{_WEEK}]"
        rf"|(?:{_TWICE}上个月|{_TWICE}上月|本月|这个月)(?:\d{{1,2}}[日号](?![楼线床房座门窗位机]))?|(?<![下上])周[{_WEEK}]|(?<!下)(?<!下个)星期[{_WEEK}]|(?<!下)(?<!下个)礼拜[{_WEEK}])",
    ),
    "duration": (
        facts._DURATION,
        rf"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十半几]{{1,3}})\s*(?:多)?\s*(?P<unit>{_UNITS})(?:多|之久)?",
    ),
}
# characters the patterns and their gates care about, some that NFKC changes, and the wall
_TRICKY = (
    "0123456789٣𝟗０１２一二两三四五六七八九十百千万亿零〇点半几元块圆钱儿¥￥$,.-~/:：年月日号时分钟"
    "天周星期礼拜个小多之久大前昨今晚早上下午本这末了等已经断卡订单号流水交易编码电话会员的 \t　余来wW€£壹贰貳佰仟拾伍陆"
    "ABCabcE-淘寶銀聯京東微信支付宝美团外卖Σ\ue000\ue001\x00"
)
_TRICKY_TEXT = st.text(alphabet=_TRICKY, max_size=60) | st.lists(
    st.sampled_from(
        [
            "扣了",
            "199元",
            "一百九十九块",
            "1.2万",
            "被扣",
            "块儿",
            "100-200元",
            "¥58.8",
            "rmb",
            "人民币",
            "2023年11月28日",
            "11/3",
            "11月3号",
            "昨晚",
            "大前天",
            "上周三",
            "7点40",
            "19:40",
            "下午3:15",
            "九点半",
            "三天了",
            "等了两个小时",
            "买了三个月的会员",
            "充了2万5千元",
            "2万 5千",
            "1千 2百",
            "转了1.5万没到",
            "扣了3千5",
            "花了一万八",
            "1万积分",
            "一块开的",
            "一个半小时了",
            "一天半",
            "28号扣的",
            "3号线",
            "到",
            "一直打不开",
            "凌晨2点",
            "港币500",
            "买了一块电池",
            "订单号：E20231128001234",
            "快递单号：SF1234567890123",
            "运单号75312345678901",
            "邮件EA123456789CN",
            "AB1234567890C",
            "13812345678",
            "+86 138-1234-5678",
            "淘寶",
            "微信支付",
            "12306",
            "Apple Pay",
            "B站",
            "，",
            "（",
            "　",
        ]
    ),
    max_size=12,
).map("".join)
# pieces of facts (numbers, units, prefixes, keywords): their joins put any two side by side
_PIECES = (
    "1 7 23 40 199 2024 12345678 13812345678 ٣ 一 两 三 十 十二 百 千 万 零 半 几 点 点半 分 : ： 元 块 块钱 圆 rmb"
    " 人民币 ¥ $ . , - ~ 到 至 / 年 月 日 号 天 个 小时 分钟 星期 周 礼拜 多 之久 了 等了 已经 前 后 的会员 儿 期"
    " 早上 下午 晚上 昨晚 今晚 大 前天 昨 今 上周 上个月 本月 这个月 星期三 钱 扣 付 订单号 单号 编号 流水号 交易号 工单 投诉单号 受理 售后 服务 E AB"
    " +86 淘寶 銀聯 微信 支付 宝 美团 外卖 12306 apple pay 　 \t ， 5 千5 万5 转了 扣了 没 积分 个半 号 号扣 一块 开"
    " 开的 买的 黑屏 失败 发现 客服"
    " 快递 快递单号 运单 物流 邮件 号码 SF -"
    " ATM 取款机 取 存了 取款 领取 12,000"
    " 提现 取了 2万 3千 两三 三四 五六十 百块 块饼干 受理号 退款单号 申请编号 JD YT JT 1234567890123"
    " 详情 详情页 里的 页面上 信息里 物流详情"
    " 鸡腿也就 蛋糕只有 花了 订单的 单号是 付款 订单"
    " 三百多 两千多 300多 余 来 1.5w 3W w € 欧元 壹仟 贰佰 伍拾 陆 元整"
    " 十一月 三号 二十五日 前 以前 之前 两周 个月 半个月 几 Nov Dec. May november 3rd , 2024"
).split(" ") + [" "]
_TRICKY_TEXT |= st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)
_SAMPLES = [
    "昨晚7点40在美团用微信支付付了￥199，订单号2023112812345678，三天了还没退，电话13812345678",
    "从晚上11点到凌晨2点一直打不开，10:30-13:00也登不上",
    "扣了100到200块，又扣了一百九十九块，共1.2万被扣了",
    "扣了一万五到两万元，三到五千块，两三百元，一到两三百块，九至一万圆",
    "2023年11月28日扣款，11/3又扣，2024年5月退，今天早上九点半，前天晚上8点",
    "块E20235112306三　单ｶ小²３这个月",  # an order number that starts with a letter
    "黑屏了两个小时，等了三个月，买了三个月的会员，两天前，十二三四天",
    "銀聯卡在京東付款，Apple Pay和apple pay，12306，b站",
    "５万元贷款，3万块，十万八千元",
    "昨天充了2万5千元，转了1.5万没到，扣了3千5，花了一万八。1万积分，一块开的会员",
    "贷款2万 5千被扣了，扣了2万 5千 3百元，付了1千 2百元，转了2万 5次，扣了1万5到2万 5千元",
    "28号扣的款，第28号，28号楼，3号线，断网一个半小时了，等了一天半了",
    "上周五（11月22日）扣的款，昨天(2024年11月21日)，星期三（11/20），前天（13月45日）",
    "11月22日（上周五）扣的款，2024-11-21 (昨天)，11/20（星期三），13月45日（前天）",
    "昨天开的会员，今晚8点一直黑屏，前天买的卡今天发现扣了两次，上周五（11月22日）充的话费周一打不开",
    "",
    "快递单号SF1234567890123，订单号2023112812345678，运单75312345678901，物流单号:-1234567",
    "ATM取2000没出钞，存款机存了12,000，取了3次，取款500元，领取66积分，存款2024-11-28",
    "ATM取了2万没出钞，提现1.5万，取了3千5，取了2个号，取了2万多，存了1万步",
    "扣了两三百，花了五六十，三四千块，一两万元，两三块钱，两三块饼干，两三天，三四个小时，一千两三百元",
    "SF1234567890123没到，JD0012345678901，YT1234567890123，订单号SF1234567890999，退款单号RF1234567890",
    "鸡腿也就三四块，蛋糕只有两三块。花了四五块，顺丰的单号SF1234567890123，订单的单号JT1234567890123",
    "\ud800扣了199元",  # a lone surrogate: OpenCC cannot read it
    "扣了\ue000199元",  # the character that joins a list of texts
]


@pytest.mark.parametrize("name", list(PLAIN))
@given(text=_TRICKY_TEXT)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_respelt_patterns_find_what_the_plain_ones_find(name, text):
    fast, plain = PLAIN[name]
    text = unicodedata.normalize("NFKC", text)
    found = [(m.span(), m.groupdict()) for m in fast.finditer(text)]
    assert found == [(m.span(), m.groupdict()) for m in re.compile(plain).finditer(text)]
    if name == "duration":
        assert [(m.span(), m.groupdict()) for m in facts._duration_matches(text, text[::-1])] == found


def _plain_names(text, table):
    found = []
    for name, spellings in table.items():
        for spelling in spellings:
            # a name spelt in digits counts only as a number of its own
            bounded = spelling[:1].isdigit() or spelling[-1:].isdigit()
            pattern = rf"(?<!\d){re.escape(spelling)}(?!\d)" if bounded else re.escape(spelling)
            # not inside a word that holds the spelling without naming the platform
            hidden = [(w, w.index(spelling)) for w in facts.NOT_A_NAME.get(spelling, ())]
            starts = [
                m.start()
                for m in re.finditer(pattern, text)
                if not any(text[m.start() - at : m.start() - at + len(w)] == w for w, at in hidden)
            ]
            if starts:
                found.append((starts[0], name))
                break
    names = [name for _, name in sorted(found)]
    if "微信支付" in names and "微信" in names:
        names.remove("微信")
    return names


def _plain_durations(text):
    durations = []
    for m in re.finditer(PLAIN["duration"][1], text):
        tail, head = text[m.end() : m.end() + 4].lower(), text[max(0, m.start() - 4) : m.start()]
        if facts._NOT_A_DURATION_TAIL.search(tail):
            continue
        if m.group("unit") == "日" and head.rstrip().endswith("月"):
            continue  # the day of a date
        lasted = facts._DURATION_TAIL.search(tail) is not None
        if not lasted and (
            head.endswith("了")
            and re.search("[月年]", m.group("unit"))
            and not re.search(r"(等|持续|过去|断|卡|黑屏|用不了)了$", head)
        ):
            continue
        if lasted or facts._DURATION_HEAD.search(head):
            durations.append(m.group(0).rstrip("多之久"))
    return durations


def plain_facts(text):
    """The facts of one text as the plain algorithm finds them (a dict like ``Facts.to_dict``)."""
    unique = facts._unique
    raw = unicodedata.normalize("NFKC", text[: facts.MAX_FACT_CHARS])
    try:
        raw = simplified_converter().convert(raw)
    except Exception:
        pass
    raw = facts._ordinary_numerals(raw)  # 壹仟贰佰元: 一千二百元
    try:
        simplified = simplified_converter().convert(raw.lower())
    except Exception:
        simplified = raw.lower()
    # an 11-digit number labelled as an order's is not a phone number
    labelled = re.compile(r"(?:单号|订单|编号|流水号|交易号|受理号)\s*[:：是为]?\s*$")
    found = [m for m in facts._PHONE.finditer(raw) if not labelled.search(raw[: m.start()])]
    phones = unique(mask_phones(m.group()).replace(" ", "").replace("-", "") for m in found)
    scrubbed = raw
    for m in reversed(found):
        scrubbed = scrubbed[: m.start()] + " " + scrubbed[m.end() :]
    card = re.compile(r"(?:卡号|银行卡|信用卡|储蓄卡|借记卡|身份证|证件)号?码?\s*[:：是为]?\s*$")
    # a parcel's number (快递单号 SF…) is no order number
    waybills = unique(
        v
        for m in facts._WAYBILL.finditer(scrubbed)
        if sum(map(str.isdigit, v := m["id"])) >= 6 and not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v)
    )
    # (a number labelled 单号 alone, not 订单的单号 nor 付款单号, reads as one without a label: 顺丰的单号SF…)
    plain_label = re.compile(r"单号\s*[:：是为]?\s*")
    order_word = re.compile(
        r"(?:订单|付款|支付|充值|购买|购物|缴费|交费|消费|账单|帐单)"
        r"(?:(?:详情页?|页面?|信息|记录|列表|截图)(?:里面?|中|上|内)?|里面?|中|上|内)?的?\s?$"
    )
    numbers = [
        (
            v,
            m["bare"] is not None
            or bool(
                plain_label.fullmatch(scrubbed, m.start(), m.start("id"))
                and not order_word.search(scrubbed[: m.start()])
            ),
        )
        for m in facts._ORDER.finditer(scrubbed)
        if (v := m["id"] or m["bare"])
        and sum(map(str.isdigit, v)) >= 6
        and not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v)
        and not (m["bare"] and card.search(scrubbed[: m.start()]))
    ]
    # a courier's number without a label (SF1234567890123) is no order number either
    courier = re.compile(r"(?i:SF\d{12,15}|JD\d{13}|JT\d{13}|YT\d{13})")
    couriers = [v for v, bare in numbers if bare and courier.fullmatch(v)]
    labelled_orders = [v for v, bare in numbers if not (bare and courier.fullmatch(v))]
    waybills = unique([*waybills, *(v for v in couriers if v not in labelled_orders)])
    orders = unique(v for v in labelled_orders if v not in waybills)
    for number in orders + waybills:
        scrubbed = scrubbed.replace(number, " ")
    amounts, taken = [], []
    patterns = [
        *facts._AMOUNT_PATTERNS[:3],
        re.compile(PLAIN["cn range"][1]),
        re.compile(PLAIN["cn amount"][1]),
        facts._APPROX,  # 三百多块: as said
        facts._VERB_APPROX,  # 扣了五千多
        facts._VERB_AMOUNT,
        re.compile(PLAIN["wan"][1]),
    ]
    if re.search("[Aa][Tt][Mm]|取款机|存款机|提款机|柜员机", scrubbed):  # 取800 at a cash machine
        patterns.append(facts._CASH_AMOUNT)
    patterns.append(facts._CASHOUT_AMOUNT)  # 提现500: 提现 is money whatever the text
    patterns.append(facts._VERB_PLAIN)  # 扣了600: a plain number after a money verb
    if re.search("(?i:atm)|取款|存款机|提款机|柜员机|取现|提现", scrubbed):  # 取了2万, 提现1万
        patterns.append(facts._CASH_WAN)
    for pattern in patterns:
        for m in pattern.finditer(scrubbed):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            values = [value for value in facts._amount_values(m) if value > 0]  # (两三百块: two)
            amounts += [(m.start(), end, (value, facts._currency(m))) for end, value in enumerate(values)]
            if values:
                taken.append(m.span())
    found = unique(v for _, _, v in sorted(amounts))
    values = [value for value, _ in found]
    dates = [
        (m.start(), facts._date_of(m))
        for pattern in [re.compile(PLAIN["calendar"][1]), re.compile(PLAIN["year and month"][1])]
        + facts._DATE_PATTERNS[2:4]
        + [facts._DAY_ALONE, re.compile(PLAIN["relative"][1])]
        + [facts._CN_MONTH_DAY, facts._DAYS_AGO, facts._EN_DATE]  # 十一月三号, 三天前, Nov 3
        for m in pattern.finditer(scrubbed)
    ]
    times = [(m.start(), facts._time_of(m)) for p in facts._TIME_PATTERNS for m in p.finditer(scrubbed)]
    dates, times = facts._failure_when(  # 昨天开的会员，今晚一直黑屏: 今晚, not the purchase's 昨天
        scrubbed,
        unique(d for _, d in sorted((s, d) for s, d in dates if d)),
        unique(t for _, t in sorted((s, t) for s, t in times if t)),
    )
    return {
        "amounts": [facts._display_amount(*amount) for amount in found],
        "amount_values": values,
        "dates": dates,
        "times": times,
        "order_numbers": orders,
        "phones": phones,
        "platforms": _plain_names(simplified, facts.PLATFORMS),
        "channels": _plain_names(simplified, facts.CHANNELS),
        "durations": unique(_plain_durations(scrubbed)) or unique([facts.range_duration(scrubbed)]),
        "row_dates": [],
        "waybill_numbers": waybills,
    }


@pytest.mark.parametrize("text", _SAMPLES)
def test_facts_are_what_the_plain_algorithm_finds(text):
    assert extract_facts(text).to_dict() == plain_facts(text)


@given(text=_TRICKY_TEXT)
@settings(max_examples=500, deadline=None)
def test_facts_of_any_text_are_what_the_plain_algorithm_finds(text):
    assert extract_facts(text).to_dict() == plain_facts(text)


@given(texts=st.lists(_TRICKY_TEXT, max_size=8))
@settings(max_examples=200, deadline=None)
def test_a_list_of_texts_has_the_facts_of_each(texts):
    assert [f.to_dict() for f in extract_facts(texts)] == [extract_facts(t).to_dict() for t in texts]


def test_a_list_of_texts_has_the_facts_of_each_for_tricky_ones():
    texts = _SAMPLES + [s[::-1] for s in _SAMPLES] + _SAMPLES  # and some twice
    found = extract_facts(texts, known=[KNOWN if i % 3 else None for i in range(len(texts))])
    expected = [extract_facts(t, known=KNOWN if i % 3 else None) for i, t in enumerate(texts)]
    assert [f.to_dict() for f in found] == [f.to_dict() for f in expected]
    assert len({id(f.amounts) for f in found}) == len(found)  # each its own lists, even a repeated text


def test_pieces_at_a_texts_end_are_read_alike_in_a_list():
    """The clause after 三四块 at a text's end is none, even where the next text of a list has money."""
    texts = ["外卖的鸡腿也就三四块", "花了钱没到账", "鸡翅只有三四块", "退款四五块"]
    assert [f.amounts for f in extract_facts(texts)] == [extract_facts(t).amounts for t in texts]
    assert [f.amounts for f in extract_facts(texts)] == [[], [], [], ["¥4", "¥5"]]


def test_a_long_list_is_searched_in_parts(monkeypatch):
    monkeypatch.setattr(facts, "_PART_TEXTS", 3)
    texts = [f"第{i}次扣了{i + 1}元" for i in range(10)]
    assert [f.amounts for f in extract_facts(texts)] == [[f"¥{i + 1}"] for i in range(10)]


def test_nfkc_of_a_complaint():
    for text in _SAMPLES + ["（１）ＡＢ…①", "é\u0301", "ﬁ"]:
        assert facts._nfkc_short(text) == unicodedata.normalize("NFKC", text)


def test_a_list_needs_one_known_row_per_text():
    with pytest.raises(ValueError, match="2 texts"):
        extract_facts(["扣了钱", "扣了钱"], known=[KNOWN])
    with pytest.raises(ValueError, match="one mapping"):
        extract_facts(["扣了钱"], known=KNOWN)
    with pytest.raises(TypeError, match="text 1 is int"):
        extract_facts(["扣了钱", 3])
    with pytest.raises(TypeError):
        extract_facts(b"bytes")


def test_any_two_pieces_side_by_side():
    texts = [a + b for a in _PIECES for b in _PIECES] + [a + " " + b for a in _PIECES[:40] for b in _PIECES]
    plain = [plain_facts(t) for t in texts]
    assert [f.to_dict() for f in extract_facts(texts)] == plain
    assert [extract_facts(t).to_dict() for t in texts] == plain


def test_a_number_between_any_words():
    heads = ["", "等了", "已经", "黑屏了", "1", "1 到 ", "2至", "3~", "4-", "早上", "昨晚 ", "编号"]
    numbers = ["7", "12", "2024", "٣", "两", "十二", "十二三", "半", "几", "1.5", "1,299"]
    units = [
        "点",
        "点半",
        "点四十分",
        ":40",
        "元",
        "块",
        "块钱",
        "万钱",
        "天",
        "个多月",
        "礼拜",
        "年5月",
        "月3日",
    ]
    units += ["月 3号", "/5", "-5-6", "小时", "分钟", "周五"]
    texts = [
        h + n + s + u + t
        for h in heads
        for n in numbers
        for s in ("", " ", "多")
        for u in units
        for t in ("", "了", "的会员")
    ]
    plain = [plain_facts(t) for t in texts]
    assert [f.to_dict() for f in extract_facts(texts)] == plain
    assert [extract_facts(t).to_dict() for t in texts[::7]] == plain[::7]


# What an adversarial read of the facts found (each was wrong before): text → facts it must give
MISREAD = [
    ("扣款时间2023-11-28 20:30，199元", {"amounts": ["¥199"], "times": ["20:30"]}),
    ("升级到v2.3.1，100元", {"amounts": ["¥100"]}),
    ("11.28，199元", {"amounts": ["¥199"]}),
    ("腾讯视频会员11月28日还没恢复", {"dates": ["11月28日"], "durations": []}),
    ("扣了3000日元", {"durations": []}),
    ("订单号2023123067890，在淘宝付款失败", {"platforms": ["淘宝"], "order_numbers": ["2023123067890"]}),
    ("京东订单号16582930471", {"phones": [], "order_numbers": ["16582930471"]}),
    ("银行卡6222021234567890123被扣了100元", {"order_numbers": [], "amounts": ["¥100"]}),
    ("订单2023-11-28被取消了", {"order_numbers": [], "dates": ["2023年11月28日"]}),
    ("我有1万积分被扣了", {"amounts": []}),
    ("一点都不好用", {"times": []}),
    ("第三点建议", {"times": []}),
    ("10点一直打不开", {"times": ["10点"]}),
    ("凌晨一点扣了钱", {"times": ["凌晨1点"]}),
    ("三点二十分扣的", {"times": ["3:20"]}),
    (
        "12306点了支付没反应，12123点了缴费也不行",
        {"times": [], "platforms": ["12306", "交管12123"]},
    ),  # (6点, 23点)
    ("单号20231128:05失败", {"times": []}),  # the end of a number is no hour
    ("买了1000点券没到，时间：昨晚 22:14", {"times": ["晚上22:14"]}),  # (0点, taken for the failure's)
    ("打12306没人接", {"platforms": ["12306"]}),
    (
        "昨晚8點在淘寶付款失敗，銀行卡扣了199塊，訂單號123456789",
        {"amounts": ["¥199"], "times": ["晚上8点"], "order_numbers": ["123456789"], "platforms": ["淘宝"]},
    ),
    ("上星期五扣的款", {"dates": ["上星期五"]}),
    ("上个礼拜三付的钱", {"dates": ["上个礼拜三"]}),
    ("说下周五到账", {"dates": []}),
    ("一杯两块五的水扣了九块九", {"amounts": ["¥2.5", "¥9.9"]}),
    ("充了10块5毛钱", {"amounts": ["¥10.5"]}),
    ("被扣了1块5次", {"amounts": ["¥1"]}),
    ("23年11月28日扣的款", {"dates": ["11月28日"]}),
    # what a second adversarial read found in this stop's first changes
    ("订单金额:2,999元，付了...1,499元", {"amounts": ["¥2,999", "¥1,499"]}),
    ("付款5，999元", {"amounts": ["¥5,999"]}),  # a thousands comma typed in Chinese mode
    ("1月1日元旦那天扣了200元，2月24日元宵节又扣", {"amounts": ["¥200"]}),
    ("借了10万分36期还款", {"amounts": ["¥100,000"]}),
    ("这个星期三在京东下的单", {"dates": ["星期三"]}),
    ("下个星期三到账", {"dates": []}),
    ("礼拜天上午十点刷卡扣了两次", {"dates": ["礼拜天"], "times": ["上午10点"]}),  # (none: only 上礼拜天 was)
    ("这礼拜三下的单，下礼拜一才发货", {"dates": ["礼拜三"]}),
    (
        "上上周五扣的，上上个月也扣过",
        {"dates": ["上上周五", "上上个月"]},
    ),  # (上周五, 上个月: a week, a month off)
    ("上上周就扣了", {"dates": ["上上周"]}),
    ("看板上上周完成的卡片全没了", {"dates": ["上周"]}),  # on the board, last week
    ("昨天一点多扣的，今天一点钟还没到", {"times": ["1点多", "1点"]}),  # (were one: 1点)
    ("前天晚上九点多在拼多多付的款", {"times": ["晚上9点多"]}),  # (晚上9点: more exact than said)
    ("2023年11月28日扣的款", {"dates": ["2023年11月28日"]}),
    ("接到电信诈骗电话，关联通知也没收到，网易云盘的文件没了", {"platforms": []}),
    ("电信诈骗骗走了钱，后来打了电信客服", {"platforms": ["中国电信"]}),
    ("微信读书的书架全没了，企业微信也打不了卡", {"platforms": ["微信读书", "企业微信"], "channels": []}),
    ("微信读书会员用微信付的钱没到账", {"platforms": ["微信读书"], "channels": ["微信"]}),
    ("平安银行app登录不了，浦发信用卡也被扣了两次", {"channels": ["平安银行", "浦发银行", "信用卡"]}),
    ("腾讯会议一直掉线，顺丰的单号也查不到", {"platforms": ["腾讯会议", "顺丰"]}),
    (
        "苏宁买的冰箱付款失败，App Store和google play也各扣了一次",
        {"platforms": ["苏宁", "App Store", "Google Play"]},
    ),
    (
        "喜马拉雅会员没开通，知乎盐选也打不开，和平精英充值没到",
        {"platforms": ["喜马拉雅", "知乎", "和平精英"]},
    ),
    ("Netflix扣了两次，Shopee订单也没了", {"platforms": ["Netflix", "虾皮"]}),
    ("去喜马拉雅山拍的照片全没了，买的虾皮有沙子", {"platforms": []}),  # a mountain, dried shrimp
    ("酒店在苏宁电器对面，在知乎上看到的推荐", {"platforms": []}),  # a landmark, a tip
    ("大前天晚上在得物付款1,599元，得物订单显示已关闭", {"platforms": ["得物"]}),  # (none)
    ("觉得物超所值，自己得物流也快", {"platforms": []}),
    ("在北京苏宁电器买的冰箱，蘇寧易購的订单也没了", {"platforms": ["苏宁"]}),
    # 一块 as a piece or a part, not ¥1; as money after a money verb, before 钱, tenths, a fee or a coin
    ("买了一块电池199元，这一块做得不好，每一块都碎了，一块一块地掉", {"amounts": ["¥199"]}),
    ("扣了一块，收了我一块手续费，一块钱都不退", {"amounts": ["¥1"]}),
    ("投了两个一块硬币没反应", {"amounts": ["¥1"]}),
    # a currency said before the number keeps it (it was read as yuan, or not at all)
    ("港币500元被扣了，又扣了美元20", {"amounts": ["500港币", "20美元"]}),
    ("美元2023年涨了，日元3000被扣", {"amounts": ["3,000日元"]}),
    ("被扣了新台幣1,580元，又扣了NT$300", {"amounts": ["1,580新台币", "NT$300"]}),  # (¥1,580, $300)
    ("台币500元没退", {"amounts": ["500台币"]}),
    ("扣了人民币500，又扣了人民币86,500元", {"amounts": ["¥500", "¥86,500"]}),  # (人民币500 was none)
    ("人民币2023年升值了", {"amounts": []}),
    ("付了4块5，门没开", {"amounts": ["¥4.5"]}),
    ("信用卡被扣了$9.99，又扣了HK$50和20美元", {"amounts": ["$9.99", "HK$50", "20美元"]}),
    ("plus$10, 199RMB", {"amounts": ["$10", "¥199"]}),
    ("三块一斤，700块一晚，5块一直没返，10块2盒", {"amounts": ["¥3", "¥700", "¥5", "¥10"]}),
    # amounts said the colloquial way: 2万5千 is 25,000, not the 5千 at its end
    ("昨天充了2万5千元一直没到账", {"amounts": ["¥25,000"], "amount_values": [25000.0]}),
    ("交了3万2元学费", {"amounts": ["¥32,000"]}),
    ("借了1万5块", {"amounts": ["¥15,000"]}),
    ("付了3千5元，又付了1千2百元", {"amounts": ["¥3,500", "¥1,200"]}),
    ("被扣了两千五元", {"amounts": ["¥2,500"]}),
    ("2百5元买的", {"amounts": ["¥250"]}),
    ("扣了1万零500元，又扣了1千零50块", {"amounts": ["¥10,500", "¥1,050"]}),  # (were ¥500 and ¥50)
    ("贷款2万5被扣了", {"amounts": ["¥25,000"]}),  # (was ¥20,000)
    ("2万5千积分被扣了", {"amounts": []}),  # (was ¥20,000)
    ("1.5万5千元", {"amounts": []}),  # no amount anyone says (was ¥5,000)
    # ... and right after a money verb, without 元
    ("扣了2万5", {"amounts": ["¥25,000"]}),
    ("转了1.5万没到", {"amounts": ["¥15,000"]}),
    ("扣了3千5", {"amounts": ["¥3,500"]}),
    ("付了两千五，会员没开通", {"amounts": ["¥2,500"]}),
    ("花了一万八。申请理赔被拒", {"amounts": ["¥18,000"]}),
    ("交了1万1千8。上了不到30节课", {"amounts": ["¥11,800"]}),
    ("转了5千对方没收到", {"amounts": ["¥5,000"]}),
    ("交了三千二的团费", {"amounts": ["¥3,200"]}),
    ("借了10万分36期还款", {"amounts": ["¥100,000"]}),  # (as before)
    ("充了10万分", {"amounts": []}),
    ("扣了1万积分", {"amounts": []}),
    ("走了1.5万步", {"amounts": []}),
    ("扣了一万泰铢外加手续费", {"amounts": []}),  # not yuan
    ("一共扣了一千二多", {"amounts": []}),  # how much is not said
    ("花了一万到两万", {"amounts": []}),
    ("转账5万以内即时到账", {"amounts": []}),  # a limit
    ("内屏6万5千色的", {"amounts": []}),
    ("少了两千，没兑换过", {"amounts": []}),  # 少了 is points as often as money
    # 一块 + a verb is "together"; 一块钱, 一块五, 充了一块 are money
    ("一块开的会员现在没了", {"amounts": []}),
    ("和朋友一块买的，一块出去玩", {"amounts": []}),
    ("一块一起买的两张票，扣了两次", {"amounts": []}),
    ("有一块用了五六年的硬盘", {"amounts": []}),
    ("花了一块买的", {"amounts": ["¥1"]}),
    ("充了一块", {"amounts": ["¥1"]}),
    ("一块钱也没退，一块五的也没退", {"amounts": ["¥1", "¥1.5"]}),
    # how long, with a half: whole
    ("断网一个半小时了", {"durations": ["一个半小时"]}),
    ("等了两个半小时", {"durations": ["两个半小时"]}),
    ("等了1个半小时才到", {"durations": ["1个半小时"]}),  # (was none)
    ("一天半了还没退", {"durations": ["一天半"]}),
    ("一个半月了", {"durations": ["一个半月"]}),
    ("两个半小时前扣的", {"durations": []}),  # a time point
    ("已经三天半夜里都打不开", {"durations": ["三天"]}),
    ("烂了有十天半个月了", {"durations": ["半个月"]}),  # (as before: 半 starts the next one)
    ("两个小时了，3天了", {"durations": ["两个小时", "3天"]}),
    # a clock-time range followed by the failure: how long it lasted, when nothing else says it
    ("从晚上7点到10点一直打不开", {"durations": ["约3小时"]}),
    ("晚上11点到凌晨2点都登不上", {"durations": ["约3小时"]}),
    ("10:30到13:00系统故障", {"durations": ["约2小时30分钟"]}),
    ("下午2点半到4点一直断网", {"durations": ["约1小时30分钟"]}),
    ("9点到10点之间扣的款", {"durations": []}),  # when, not how long
    ("今天上午10:30到11:45，手机银行无法转账", {"durations": ["约1小时15分钟"]}),  # (none)
    ("晚上8点到10点，钱包转不了也提现不了", {"durations": ["约2小时"]}),
    ("之前攒了500多个小时的阅读时长，现在全没了", {"durations": []}),  # what was lost, not how long
    ("晚上7点到10点一直打不开，断了三个小时", {"durations": ["三个小时"]}),  # said: kept as said
    # a day of the month alone, before what is done on a day
    ("28号扣的款到现在没退", {"dates": ["28号"]}),
    ("1号上午付款的，说是预计2号到货", {"dates": ["1号", "2号"]}),
    ("11月28号扣的，28号晚上8点", {"dates": ["11月28日", "28号"], "times": ["晚上8点"]}),
    ("第28号扣的", {"dates": []}),
    ("住28号楼，坐3号线到公司", {"dates": []}),
    ("买了5号充电电池", {"dates": []}),
    ("32号扣的", {"dates": []}),
    ("18:28号扣的", {"dates": [], "times": ["18:28"]}),
    # the tenths of 一块五 before a price's unit or a verb (they were dropped: ¥1, ¥23, ¥9)
    ("一块五一个，一共买了四个", {"amounts": ["¥1.5"]}),
    ("三块八一瓶的水，两块一个的面包", {"amounts": ["¥3.8", "¥2"]}),
    ("一块五没了，23块8扣了两遍，9块8买的券", {"amounts": ["¥1.5", "¥23.8", "¥9.8"]}),
    ("我们一块去的，这一块没弄好，买了一块电池", {"amounts": []}),  # together, a part, a piece
    ("五块一斤，两块一样的蛋糕，5块一次", {"amounts": ["¥5", "¥2"]}),  # the 一 is one 斤
    # a range whose ends have units: both ends (1万5到2万元 was ¥5 and ¥20,000; 1到2万元 ¥1 and ¥20,000)
    ("扣了1万5到2万元", {"amounts": ["¥15,000", "¥20,000"]}),
    ("1万5至2万元不等", {"amounts": ["¥15,000", "¥20,000"]}),
    ("扣了1万到2万元", {"amounts": ["¥10,000", "¥20,000"]}),  # (was ¥20,000 only)
    ("被扣了1到2万元", {"amounts": ["¥10,000", "¥20,000"]}),
    ("扣了3-5千元", {"amounts": ["¥3,000", "¥5,000"]}),
    ("扣了500到1万元", {"amounts": ["¥500", "¥10,000"]}),  # 500 is no number of 万
    ("扣了1万5至2万", {"amounts": []}),  # as 花了一万到两万: how much is not said
    # ... and in Chinese numerals (一万五到两万元 was ¥20,000 only, 三到五千元 ¥5,000)
    ("扣了一万五到两万元", {"amounts": ["¥15,000", "¥20,000"]}),
    ("三到五千元不等", {"amounts": ["¥3,000", "¥5,000"]}),
    ("每次两百至三百块", {"amounts": ["¥200", "¥300"]}),
    ("八到十万元的贷款", {"amounts": ["¥80,000", "¥100,000"]}),
    ("九到一万元", {"amounts": ["¥9", "¥10,000"]}),  # as 500到1万元: 九 is no number of 万
    ("五到十块钱", {"amounts": ["¥5", "¥10"]}),
    # an amount said roughly: both ends, as a range (两三百块 was no amount, 两三块钱 ¥23)
    ("扣了两三百块", {"amounts": ["¥200", "¥300"]}),
    ("维修要三四千块", {"amounts": ["¥3,000", "¥4,000"]}),
    ("前后损失了一两万元", {"amounts": ["¥10,000", "¥20,000"]}),
    ("每个月多扣五六十元", {"amounts": ["¥50", "¥60"]}),
    ("被扣了两三百，客服不理", {"amounts": ["¥200", "¥300"]}),  # after a money verb, no 元
    ("花了五六十就没了", {"amounts": ["¥50", "¥60"]}),
    ("贷款借了三四十万", {"amounts": ["¥300,000", "¥400,000"]}),
    ("三五百块的东西", {"amounts": ["¥300", "¥500"]}),
    ("两三块钱一斤的橘子", {"amounts": ["¥2", "¥3"]}),
    ("一到两三百块", {"amounts": []}),  # the end of a range: how much is not said
    ("等了两三天", {"amounts": []}),
    ("卡了三四个小时，扣了两三次", {"amounts": []}),
    ("盒饭里只有两三块肉", {"amounts": []}),  # pieces, as 一块电池
    # ... and so at a clause's end after a food and 就 or 只有 (they were ¥4 and ¥5, ¥2 and ¥3)
    ("外卖里的鸡翅也就四五块，全是皮", {"amounts": []}),
    ("生日蛋糕切开只有两三块。", {"amounts": []}),
    ("排骨加起来就六七块，米饭倒是很多", {"amounts": []}),
    # ... but yuan after a money word, in doubt, or before 钱
    ("停车费花了四五块，", {"amounts": ["¥4", "¥5"]}),
    ("每天扣了两三块，", {"amounts": ["¥2", "¥3"]}),
    ("西瓜一斤就四五块，", {"amounts": ["¥4", "¥5"]}),  # a price
    ("披萨只有两三块，还卖这么贵", {"amounts": ["¥2", "¥3"]}),  # the next clause is about money
    ("一杯水只要两三块，", {"amounts": ["¥2", "¥3"]}),  # no food before: in doubt, yuan
    ("鸡蛋饼才四五块钱，", {"amounts": ["¥4", "¥5"]}),
    ("一盒鸡蛋就八九块，超市标的十二", {"amounts": ["¥8", "¥9"]}),  # eggs are sold whole: a price
    ("鸭蛋只有三四块。", {"amounts": ["¥3", "¥4"]}),
    ("鱼竿就五六块，质量很差", {"amounts": ["¥5", "¥6"]}),  # no food
    ("鸡蛋糕只有两三块。", {"amounts": ["¥2", "¥3"]}),  # sold by the piece: in doubt, a price
    ("煎饼就五六块，凭什么要二十", {"amounts": ["¥5", "¥6"]}),
    ("肉夹馍就七八块，这家要十五", {"amounts": ["¥7", "¥8"]}),
    ("一个面包就五六块，", {"amounts": ["¥5", "¥6"]}),
    ("外卖的鸡腿堡就五六块，平时都十几块", {"amounts": ["¥5", "¥6"]}),
    ("红烧肉就三四块，全是肥的", {"amounts": []}),
    # ... at the text's end, and before ！, a newline or a space (they were ¥3 and ¥4)
    ("外卖的鸡腿也就三四块", {"amounts": []}),
    ("鸡翅只有三四块！全是皮", {"amounts": []}),
    ("排骨就五六块\n全是骨头", {"amounts": []}),
    ("排骨就五六块？", {"amounts": ["¥5", "¥6"]}),  # a question: in doubt, a price
    ("他退我三块，", {"amounts": ["¥3"]}),
    # one number of pieces right before the thing in pieces (they were ¥4, ¥3, ¥2, ¥3)
    ("外卖就给了四块肉，其他全是土豆", {"amounts": []}),
    ("糖醋排骨只有3块排骨", {"amounts": []}),
    ("一份饭就两块鸡肉", {"amounts": []}),
    ("买的手电筒少了三块电池", {"amounts": []}),
    # ... but yuan after a money verb, before 钱, or before food sold by the piece
    ("花了四块肉夹馍都没吃上", {"amounts": ["¥4"]}),
    ("五块肉夹馍，吃完肚子疼", {"amounts": ["¥5"]}),
    ("扣了3块电池钱", {"amounts": ["¥3"]}),
    ("四块钱的肉", {"amounts": ["¥4"]}),
    ("付了十块排骨", {"amounts": ["¥10"]}),
    # ... and yuan before a dish or an item named after the thing (排骨饭, 牛肉面, 西瓜汁, 玻璃杯),
    # a number with decimals (pieces are whole), or after 个 (一个300块蛋糕: the cake's price)
    ("外卖点了一份32块排骨饭，商家没送", {"amounts": ["¥32"]}),
    ("点了一碗18块牛肉面，一直没送到", {"amounts": ["¥18"]}),
    ("买了一份25块鸭腿饭，没收到", {"amounts": ["¥25"]}),
    ("一杯10块西瓜汁没送到", {"amounts": ["¥10"]}),
    ("下单了12块肉丝面，显示送达了", {"amounts": ["¥12"]}),
    ("买了30块玻璃杯，碎了", {"amounts": ["¥30"]}),
    ("点了38.5块排骨，少送了一半", {"amounts": ["¥38.5"]}),
    ("订了一个300块蛋糕，商家取消了", {"amounts": ["¥300"]}),
    ("这家的牛肉面就七八块", {"amounts": ["¥7", "¥8"]}),
    ("排骨饭里的排骨就三四块", {"amounts": []}),
    # a range is pieces or yuan as a whole (3到5块排骨 was ¥3, 花了3到5块排骨 ¥3 too)
    ("外卖只给了3到5块排骨", {"amounts": []}),
    ("外卖只给了三到五块排骨", {"amounts": []}),
    ("花了3到5块排骨", {"amounts": ["¥3", "¥5"]}),
    ("扣了两三百积分", {"amounts": []}),
    ("三六百块，一千两三百元", {"amounts": []}),  # not two digits one after the other; more than two
    # a space between the parts of a colloquial amount (2万 5千元 was ¥5,000, 贷款2万 5千 ¥20,000)
    ("充了2万 5千元一直没到账", {"amounts": ["¥25,000"]}),
    ("扣了2万 5千", {"amounts": ["¥25,000"]}),
    ("贷款2万 5千被扣了", {"amounts": ["¥25,000"]}),
    ("付了1千 2百元", {"amounts": ["¥1,200"]}),
    ("转了2万 5次", {"amounts": []}),  # a count after the space, not 5千
    # a clock-time range across midnight, the day said (there was no duration)
    ("昨晚8点到今天早上8点一直登不上", {"durations": ["约12小时"]}),
    ("昨天晚上11点到今天凌晨2点半都打不开", {"durations": ["约3小时30分钟"]}),
    ("晚上10点到第二天早上6点一直断网", {"durations": ["约8小时"]}),
    ("昨天下午3点到今天下午3点一直无法登录", {"durations": ["约24小时"]}),
    ("今天早上8点到今天下午5点一直打不开", {"durations": ["约9小时"]}),  # the same day
    ("昨晚8点到今天早上8点之间扣了三次款", {"durations": []}),  # when, not how long
    # a weekday glossed by the date in brackets: the date (the letter left it blank between the two)
    ("上周五（11月22日）扣的款", {"dates": ["11月22日"]}),
    ("昨天(2024年11月21日)付款失败", {"dates": ["2024年11月21日"]}),
    ("星期三（11/20）下的单", {"dates": ["11月20日"]}),
    ("上周五（13月45日）扣的款", {"dates": ["上周五"]}),  # no date in the brackets
    ("上周五（供应商说的）扣的款", {"dates": ["上周五"]}),
    # ... and a weekday in brackets after the date: the date, once (the letter left it blank too)
    ("11月22日（上周五）扣的款", {"dates": ["11月22日"]}),
    ("2024-11-22 (周五)付款失败", {"dates": ["2024年11月22日"]}),
    ("11/20（星期三）下的单", {"dates": ["11月20日"]}),
    ("13月45日（上周五）扣的款", {"dates": ["上周五"]}),  # no date before the brackets
    ("20号（今天）又涨价了", {"dates": ["今天"]}),  # 20号 is read as a date only before what is done
    # the date and time of the failure, not of the purchase, when both are said (昨天 was listed)
    ("昨天开的会员，今晚一直黑屏", {"dates": ["今晚"]}),
    ("昨天晚上8点买的会员今天10点就打不开了", {"dates": ["今天"], "times": ["10点"]}),
    ("前天充的话费，今天被扣了两次", {"dates": ["今天"]}),
    ("11月20日办的卡，11月22日付款失败，11月23日找过客服", {"dates": ["11月22日", "11月23日"]}),
    ("8点开的会员，10点就黑屏了", {"times": ["10点"]}),
    ("昨天开的会员，10点就黑屏了", {"dates": ["昨天"], "times": ["10点"]}),  # 10点 of no other day
    ("昨天买的，付款时提示失败，今天看短信扣了两笔", {"dates": ["昨天", "今天"]}),  # failed 昨天 too
    ("今天10点打开的时候黑屏了，会员是昨天开的", {"dates": ["今天"]}),  # 打开的 is no purchase
    ("昨天买的会员，今天还没到账", {"dates": ["昨天", "今天"]}),  # not yet there: since the purchase
    ("上周买的手机，今天发现扣了两次款", {"dates": ["上周", "今天"]}),  # charged then, seen today
    ("前天买的票，今天显示订单失败", {"dates": ["前天", "今天"]}),  # shown today: failed when?
    ("昨天开的会员，今天客服说扣款失败", {"dates": ["昨天", "今天"]}),  # when it was reported
    ("昨天开的会员 今天早上一直白屏 客服也不理", {"dates": ["今天"]}),  # spaces between clauses
    ("昨天开的会员，今天黑屏，昨天也黑屏", {"dates": ["昨天", "今天"]}),
    ("昨天买的，今天就到了", {"dates": ["昨天", "今天"]}),  # nothing failed
    # a support ticket's number is no order number (the letter listed it as 订单号)
    ("客服给了工单号12345678，订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),
    ("投诉单号是A12345678，扣了199元", {"order_numbers": [], "amounts": ["¥199"]}),
    ("工单编号：20231128000123456还没人处理", {"order_numbers": []}),  # long enough for a bare one
    ("工单号13812345678", {"order_numbers": [], "phones": []}),
    ("受理单号：SL20231128001，订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),
    ("12315给的受理编号是1234567890123，退款199元", {"order_numbers": [], "amounts": ["¥199"]}),
    ("服务单号88812345还在审核", {"order_numbers": []}),
    ("提交了服务工单A987654321，没人回", {"order_numbers": []}),
    # an after-sales request's number names the request, not the purchase: the letter asks for the
    # order's (and after-sales asks for it too)
    ("售后单号20231130445566778，订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),
    ("售后编号：SH7654321", {"order_numbers": []}),
    ("服务订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),  # an order's
    ("交易单号4200001234567890，流水号98765432", {"order_numbers": ["4200001234567890", "98765432"]}),
    # a refund request's or an application's number names the request: no order's (the letter
    # listed 退款单号 and 受理号 as 订单号, which no bank can trace a payment by)
    ("退款单号：RF20231128001，订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),
    ("退款编号20231128556677889还没到账", {"order_numbers": []}),
    ("热线给了受理号2023112800123，扣了88元", {"order_numbers": [], "amounts": ["¥88"]}),
    ("受理号13912345678", {"order_numbers": [], "phones": []}),
    ("申请单号AP20231128001，订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),
    ("申请编号：20231128001234567", {"order_numbers": []}),
    ("退款订单号2023112812345678", {"order_numbers": ["2023112812345678"]}),  # the order's
    ("支付单号20231128123456，商户单号M202311281234", {"order_numbers": ["20231128123456", "M202311281234"]}),
    ("交易流水号123456789012", {"order_numbers": ["123456789012"]}),
    # cash taken out or put in, 万 or 千 without 元 (取了2万 was no amount)
    ("ATM取了2万没出钞", {"amounts": ["¥20,000"]}),
    ("在取款机取了3千5，卡里扣了", {"amounts": ["¥3,500"]}),
    ("提现1万三天没到账", {"amounts": ["¥10,000"]}),
    ("提现1.5万到银行卡一直没到", {"amounts": ["¥15,000"]}),
    ("柜员机取款2万，只吐出来一半", {"amounts": ["¥20,000"]}),
    ("在ATM存了1万没到账", {"amounts": ["¥10,000"]}),
    ("去银行取了2个号排队", {"amounts": []}),
    ("ATM取了3次都失败", {"amounts": []}),
    ("ATM取了2万多", {"amounts": []}),  # how much is not said
    ("取款机旁领取了2万积分", {"amounts": []}),
    ("提现了2万一直没到账", {"amounts": ["¥20,000"]}),  # 一直 ends the amount too
    ("微信提现500到银行卡一直没到账", {"amounts": ["¥500"]}),  # 提现 is money: no 元 needed
    ("提现了300，三天了还没到", {"amounts": ["¥300"]}),
    ("提现2次都失败", {"amounts": []}),
    ("提现10分钟了还没到账", {"amounts": []}),
    ("提现500积分", {"amounts": []}),
    # the 角 (毛) and 分 after 元 or 块 (5元6角 was ¥5, 一块二毛五 ¥1.2, 1块零5分 ¥1)
    ("扣了5元6角", {"amounts": ["¥5.6"]}),
    ("话费扣了2元5毛钱", {"amounts": ["¥2.5"]}),
    ("扣了5块6毛8，又扣了一块二毛五", {"amounts": ["¥5.68", "¥1.25"]}),
    ("十块零五毛，1块零5分，12元3角4分", {"amounts": ["¥10.5", "¥1.05", "¥12.34"]}),
    ("一块两毛一个", {"amounts": ["¥1.2"]}),
    ("扣了10元5分钟后退回", {"amounts": ["¥10"]}),  # 5分钟 is a time
    # a dollar or yuan of somewhere else keeps its name (NT$1,299 was $1,299, 新台币1299元 ¥1,299)
    ("信用卡被扣了NT$1,299", {"amounts": ["NT$1,299"]}),
    ("扣了S$20和MOP$50，不是$5", {"amounts": ["S$20", "MOP$50", "$5"]}),
    ("扣了新台币1299元", {"amounts": ["1,299新台币"]}),
    ("被扣了1299台幣，又扣了5000韩元、30澳元", {"amounts": ["1,299台币", "5,000韩元", "30澳元"]}),
    ("ABS$5的配件", {"amounts": ["$5"]}),  # letters of a word, not a dollar's name
    # a duration with decimals (黑屏1.5小时了 was 5小时)
    ("黑屏1.5小时了", {"durations": ["1.5小时"]}),
    ("已经断了2.5天了，等了0.5个小时", {"durations": ["2.5天", "0.5个小时"]}),
    ("升级到v2.3.1小时候的版本", {"durations": []}),
    # the number of someone else (商家电话, 骑手的手机号) is not the writer's phone
    ("打了商家电话13812345678一直没人接", {"phones": [], "order_numbers": [], "amounts": []}),
    ("骑手的手机号：139-1234-5678一直关机，我的电话13812345678", {"phones": ["138****5678"]}),
    ("客服电话是13812345678但是打不通，快递员电话13912345678也打不通", {"phones": []}),
    ("电话13812345678，商家不回", {"phones": ["138****5678"]}),
    # a year before 元旦 or 元宵 is no amount (2024元旦 was ¥2,024)
    ("2024元旦付款失败", {"amounts": []}),
    ("2023-2024元旦期间扣了钱", {"amounts": []}),
    ("2025元宵节晚会一直黑屏，充了30元", {"amounts": ["¥30"]}),
    ("花了30元宵夜没送到", {"amounts": ["¥30"]}),  # a price of a late meal
    # a quarter of an hour (晚上八点一刻 was 晚上8点) and am / pm (3:30pm was 3:30, read as night)
    ("晚上八点一刻扣的款，三点三刻又扣了", {"times": ["晚上8:15", "3:45"]}),
    ("3:30pm扣款，PM 4:05又扣了一次", {"times": ["下午3:30", "下午4:05"]}),
    ("10:15 am付款失败，12:10 p.m.恢复", {"times": ["上午10:15", "中午12:10"]}),
    ("12:30am扣款", {"times": ["凌晨0:30"]}),
    ("下午3:30pm", {"times": ["下午3:30"]}),
    ("3:30 pmt", {"times": ["3:30"]}),  # no pm: a word
    # 万 of pixels or colours, and 还 as "still", are no money (像素1300万 我想说有300万吗 还没有 was ¥3,000,000)
    ("像素1300万 我想说有300万吗 还没有", {"amounts": []}),
    ("摄像头是110万像素的，还是CCD，26万色的屏幕，还行", {"amounts": []}),
    ("200万象素，还具有自动对焦", {"amounts": []}),
    ("借了5万还没还", {"amounts": ["¥50,000"]}),
    ("欠了2万还款日到了", {"amounts": ["¥20,000"]}),
    # the numeral of a weekday is not an hour (上周六点了份两人餐 was 6点; 周六十点 was no time)
    ("上周六点了份两人餐，周三点的单", {"dates": ["上周六", "周三"], "times": []}),
    ("星期五点了奶茶", {"times": []}),
    ("周六十点付款失败，礼拜天两点又扣了", {"times": ["10点", "2点"]}),
    # 几十块 does not say how much (it was ¥10), as 十几块 and 几百块 do not
    ("买的那个几十块的杂牌，又花了好几十块", {"amounts": []}),
    # 一块 of a size or a place is a piece or "together" (很大一块, 挤在一块 were ¥1); tofu, soap and
    # mooncakes come in pieces (三块豆腐 was ¥3)
    ("屏幕掉下来很大一块，东西都挤在一块", {"amounts": []}),
    ("存在一块钱的差额，大一块钱", {"amounts": ["¥1"]}),
    ("一共就三块豆腐，两块肥皂，五块月饼", {"amounts": []}),
    ("三块豆腐脑，花了两块豆腐钱", {"amounts": ["¥3", "¥2"]}),
    # the week before last is not last week (上上周五 was read as 上周五)
    ("上上周五扣的款，我上上个礼拜三也扣了", {"dates": ["上上周五", "上上个礼拜三"]}),
    ("看板上上周完成的卡片全没了", {"dates": ["上周"]}),  # on the board, last week
    # a plain number right after a money verb, without 元 (扣了600 was no amount)
    ("分三期每期200，结果花呗一次扣了600，什么操作", {"amounts": ["¥600"]}),
    ("票没出，钱扣了426.5", {"amounts": ["¥426.5"]}),
    ("充话费充了100，显示成功没到账", {"amounts": ["¥100"]}),
    ("付款2,899，退货后只退了2,599", {"amounts": ["¥2,899", "¥2,599"]}),
    ("在闲鱼付了1800，卖家跑了", {"amounts": ["¥1,800"]}),
    ("交了300的电费还是欠费", {"amounts": ["¥300"]}),
    ("付款2次都失败", {"amounts": []}),
    ("扣了3000多", {"amounts": ["3000多元"], "amount_values": [3000.0]}),  # about so much: as said
    ("充了100G流量没到", {"amounts": []}),
    ("付款2023-11-28失败", {"amounts": []}),
    ("扣了99积分", {"amounts": []}),
    ("付了50%定金", {"amounts": []}),
    ("转账20231128失败", {"amounts": []}),  # a date or a number, not an amount
    ("驾照扣了12分，罚款200", {"amounts": []}),
    # ... before what it bought (付了1.5万买电脑), and after 金额 (订单金额400)
    ("前天付了1.5万买电脑，订单显示未支付", {"amounts": ["¥15,000"]}),
    ("花了两千五买的会员", {"amounts": ["¥2,500"]}),
    ("订单金额400，只退了200", {"amounts": ["¥400", "¥200"]}),
    ("股票转银行失败，金额：3万", {"amounts": ["¥30,000"]}),
    ("金额不对，少了2次", {"amounts": []}),
    ("偿还欠款[金额16]，借记卡已扣款", {"amounts": []}),  # a blanked amount
    ("对方用工行转给我3000，我的建行卡没到", {"amounts": ["¥3,000"]}),  # what a payer sent
    ("租客说转给我了2800，一直没到账；又转给我1万", {"amounts": ["¥2,800", "¥10,000"]}),
    ("转给我3次都没到", {"amounts": []}),
    # ... and after what was paid in fact (实际付3799) or a fee's name (月费129, 押金99)
    ("冰箱3999元，用券减200，实际付3799，结果扣了3999", {"amounts": ["¥3,999", "¥3,799"]}),
    ("宽带断了三天，月费129；会员年费198也白交了", {"amounts": ["¥129", "¥198"]}),
    ("月费2023年就涨了", {"amounts": []}),
    # ... and after money advanced (垫了4600, 先垫付300): what a scam's 刷单 victim says
    ("刷单返利，一共垫了4600，对方就不回了", {"amounts": ["¥4,600"]}),
    ("客服让我先垫付300，说做完任务连本带利返还", {"amounts": ["¥300"]}),
    ("桌脚垫了2层纸", {"amounts": []}),
    # ... and money a scammer took (骗走了6800, 被骗了3800, 盗刷了8000)
    ("被骗子骗走了6800，已经报警了", {"amounts": ["¥6,800"]}),
    ("冒充客服退款，我被骗了3800", {"amounts": ["¥3,800"]}),
    ("信用卡被盗刷了8000，我人在家里", {"amounts": ["¥8,000"]}),
    ("被骗了3次", {"amounts": []}),
]


def test_the_week_before_last_is_counted_back_two_weeks():
    known = {"date": "2024-11-12"}  # a Tuesday: 上周五 is 11月8日
    assert extract_facts("上上周五扣的款", known=known).dates == ["2024年11月1日"]
    assert extract_facts("上上个礼拜三付的", known=known).dates == ["2024年10月30日"]
    assert extract_facts("上周五扣的款", known=known).dates == ["2024年11月8日"]


@pytest.mark.parametrize(("text", "expected"), MISREAD)
def test_what_was_misread_is_read_right(text, expected):
    found = extract_facts(text).to_dict()
    assert {key: found[key] for key in expected} == expected


def test_a_card_number_is_masked_alone_and_in_traditional_spelling():
    assert mask_private("信用卡6225880012345678 100元被扣") == "信用卡6225********5678 100元被扣"
    assert mask_private("卡號6222021234567890123，身份證110101199003074518") == (
        "卡號6222***********0123，身份證1101**********4518"
    )


def test_a_money_column_keeps_its_currency():
    assert extract_facts("付款失败", known={"money": "20美元"}).amounts == ["20美元"]
    assert extract_facts("付款失败", known={"money": "199"}).amounts == ["¥199"]


@pytest.mark.parametrize(
    ("cell", "amounts"),
    [
        ("1.5万", ["¥15,000"]),  # a money column's number of 万 or in Chinese numerals is yuan (was none)
        ("两千", ["¥2,000"]),
        ("1e9", ["¥1,000,000,000"]),
        ("inf", []),  # no amount anyone paid (was ¥inf)
        ("Infinity", []),
        ("1e400", []),
        ("nan", []),
    ],
)
def test_a_money_column_holds_an_amount_or_none(cell, amounts):
    assert extract_facts("付款失败", known={"money": cell}).amounts == amounts


def test_a_number_too_large_for_a_float_is_no_amount():
    assert extract_facts("扣了" + "9" * 400 + "元，又扣了" + "9" * 400 + "万").amounts == []  # (was ¥inf)


def test_relative_dates_as_written_resolve_to_the_right_day():
    today = datetime.date(2024, 3, 2)  # a Saturday
    assert [resolve_date(d, today) for d in ("上星期五", "上个礼拜天", "周五")] == [
        "2024年2月23日",
        "2024年2月25日",
        "2024年3月1日",
    ]


def test_a_date_at_the_calendar_s_edge_leaves_a_relative_date_as_said():
    # a sentinel date in a column (0001-01-01, 9999-12-31) must not abort a whole batch
    assert resolve_date("昨晚", datetime.date(1, 1, 1)) == "昨晚"
    assert resolve_date("上周三", datetime.date(1, 1, 1)) == "上周三"
    assert extract_facts(
        "前天扣了199元", known={"date": "0001-01-01"}, today=datetime.date(1, 1, 1)
    ).dates == ["前天"]


def _led_by_a_literal(items) -> bool:
    """Whether a parsed pattern (re._parser) starts, in every branch, with a literal character or
    a character class: re then skips in C every position where no match can start."""
    from re import _constants as c

    if not len(items):
        return False
    op, arg = items[0]
    if op in (c.LITERAL, c.IN):
        return True
    if op is c.SUBPATTERN:
        return _led_by_a_literal(arg[-1])
    if op is c.BRANCH:
        return all(_led_by_a_literal(branch) for branch in arg[1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return arg[0] >= 1 and _led_by_a_literal(arg[2])
    return False  # a look-around, an anchor, an optional part: every position is tried


# the patterns searched over whole texts (a batch joined), where a slow start costs most
_SEARCHED_WHOLE = [
    *(f"_AMOUNT_PATTERNS[{i}]" for i in range(len(facts._AMOUNT_PATTERNS))),
    *(f"_DATE_PATTERNS[{i}]" for i in range(len(facts._DATE_PATTERNS))),
    "_VERB_AMOUNT",
    "_APPROX",
    "_VERB_APPROX",
    "_CN_MONTH_DAY",
    "_DAYS_AGO",
    "_EN_DATE",
    "_VERB_PLAIN",
    "_VERB_PLAIN_SITE",
    "_FX_BEFORE_SITE",
    "_OTHER_MONEY_WORD",
]


@pytest.mark.parametrize("name", _SEARCHED_WHOLE)
def test_patterns_searched_over_whole_texts_are_led_by_a_literal(name):
    import re._parser

    base, _, index = name.partition("[")
    pattern = getattr(facts, base)
    pattern = pattern[int(index[:-1])] if index else pattern
    assert _led_by_a_literal(re._parser.parse(pattern.pattern)), name
