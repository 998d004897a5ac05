"""Golden cases for fact extraction: amounts, dates, times, ids, phones, platforms, durations."""

import pytest

from classifier.text.facts import extract_facts, mask_phones, parse_amount

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
    ("扣了$20", ["¥20"]),
    ("充了648点券", []),  # game currency is not money
    ("没有金额的投诉", []),
    ("一块儿去吃饭", []),  # 一块儿 = together
    ("订单号2023112812345678扣了5元", ["¥5"]),  # the order number is not an amount
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amounts(text, expected):
    assert extract_facts(text).amounts == expected


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
        ("没有订单号", []),
        ("电话13812345678", []),  # a phone number is not an order number
    ],
)
def test_order_numbers(text, expected):
    assert extract_facts(text).order_numbers == expected


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
        ("上个月扣的", ["2024年2月"]),
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
