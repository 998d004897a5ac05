import pandas as pd
import pytest

from classifier import classify
from classifier.advice.advise import advise
from classifier.advice.result import Result
from classifier.labels import LABEL_NAMES_ZH


def _advise(text, label):
    return advise(Result(text, label, "", 0.9, {}))


def test_evidence_is_filled_with_facts():
    r = _advise("11月28日支付宝扣了199元，订单号2023112812345678", "payment")
    assert r.evidence[0] == "银行卡或支付账户的扣款记录、扣款短信（¥199，11月28日）"
    assert "（2023112812345678）" in r.evidence[2]


def test_missing_facts_are_named_and_found_ones_are_not():
    r = _advise("付款失败但钱被扣了", "payment")
    assert any("订单号" in m for m in r.missing_facts)
    assert any("金额" in m for m in r.missing_facts)
    full = _advise("11月28日在淘宝扣了199元，订单号2023112812345678", "payment")
    assert full.missing_facts == []


def test_steps_name_the_platform():
    r = _advise("美团外卖扣了两次钱", "payment")
    assert any("通过美团官方客服" in step for step in r.steps)
    assert all("{platform}" not in step for step in _advise("扣了两次钱", "payment").steps)


def test_result_carries_every_part():
    r = classify("昨晚在京东付款失败，银行卡扣了299元")
    d = r.to_dict()
    for key in ("facts", "evidence", "steps", "tips", "escalation", "warnings", "missing_facts"):
        assert key in d
    assert r.facts["amounts"] == ["¥299"] and d["facts"]["amounts"] == ["¥299"]


def test_a_duration_is_a_fact_and_not_asked_for():
    r = classify("爱奇艺会员视频黑屏了两个小时")
    assert r.facts.durations == ["两个小时"]
    assert not any("持续了多久" in m for m in r.missing_facts)
    assert any("两个小时" in e for e in r.evidence)


def test_facts_are_the_same_type_as_extract_facts():
    from classifier import extract_facts

    r = classify("昨晚在京东付款失败，银行卡扣了299元")
    assert type(r.facts) is type(extract_facts(r.text))
    assert r.facts == extract_facts(r.text)


def test_a_bank_card_is_contacted_through_its_bank():
    r = _advise("付款失败，银行卡扣了钱", "payment")
    assert any("通过发卡银行客服" in s for s in r.steps)
    assert not any("银行卡官方客服" in s for s in r.steps)


def test_known_facts_fill_the_advice():
    r = advise(
        Result("付款失败但钱被扣了", "payment", "", 0.9, {}), known={"platform": "美团", "date": "2024-03-02"}
    )
    assert not any("平台" in m or "日期" in m for m in r.missing_facts)
    assert any("通过美团官方客服" in s for s in r.steps)


def test_no_doubled_brackets_in_any_evidence():
    text = "11月28日晚上8点在淘宝用支付宝付款，扣了199元，订单号2023112812345678，三天了还没解决"
    for label in ("payment", "service_interruption", "data_error", "other"):
        assert not any("）（" in e for e in _advise(text, label).evidence), label


def test_card_reads_in_chinese_and_repr_is_one_short_line(golden):
    r = classify("昨晚 7:40 在京东付款显示失败，但银行卡扣了58.8元，黑屏了两个小时")
    golden("card_payment.txt", r.card())
    assert "\n" not in repr(r) and len(repr(r)) < 120


def test_a_time_without_a_date_is_shown_once():
    result = advise(Result("晚上8:30付款失败扣了199元", "payment", "支付系统故障", 0.9, {}))
    filled = [line for line in result.evidence if "8:30" in line]
    assert filled and all(line.count("8:30") == 1 for line in filled)


def test_two_times_without_a_date_are_both_shown():
    result = advise(Result("10:30付款，12:00还没到账", "payment", "支付系统故障", 0.9, {}))
    assert any("10:30" in line and "12:00" in line for line in result.evidence)


def test_the_failures_date_is_not_the_purchases():
    r = _advise("昨天开的会员，今晚一直黑屏", "service_interruption")
    assert "故障开始的时间和持续时长（今晚）" in r.evidence  # (was 昨天、今晚)
    assert not any("昨天" in line for line in r.evidence)


def test_a_card_sent_to_review_shows_no_confidence_for_its_answer():
    r = advise(
        Result(
            "怎么回事",
            "other",
            LABEL_NAMES_ZH["other"],
            0.51,
            {"service_interruption": 0.51},
            status="needs_review",
        )
    )
    first = r.card().splitlines()[0]
    assert first == "类别：其他（非系统故障） · other（未作判断）"
    assert "置信度" not in r.card()


def _joined(result):
    return "\n".join(result.evidence + result.steps + result.missing_facts)


def test_a_transfer_that_never_arrived_is_traced_by_its_serial_number():
    r = _advise("上周五用工商银行手机银行给家人转账5000元，显示交易成功，五天了对方还没收到", "payment")
    assert r.evidence[0] == "本人账户的扣款记录（交易明细、扣款短信，¥5,000，上周五）"
    advice = _joined(r)
    assert "交易流水号" in advice and "电子回单" in advice and "收款方" in advice
    assert any("通过工商银行官方客服" in s and "查明款项去向" in s for s in r.steps)
    for wrong in ("订单", "《用户服务协议》", "30天", "支付失败", "退款申请"):
        assert wrong not in advice, wrong
    assert not any("冷静期" in t for t in r.tips)
    assert any("12378" in e for e in r.escalation)


def test_a_transfer_with_no_bank_or_service_named_is_asked_of_both():
    r = _advise("转了5千对方没收到", "payment")
    assert any("通过银行或支付平台的官方客服" in s for s in r.steps)
    bank = _advise("用手机银行给我妈转了5000块，显示成功，她那边一直没收到", "payment")
    assert any("通过银行官方客服" in s for s in bank.steps)


@pytest.mark.parametrize(
    "text",
    [
        "对方说上周已经转给我了，可我的卡里一直没收到这笔钱",
        "租客用手机银行转了3000元房租给我，我这边一直没到账",
        "朋友往我卡里汇了两千块，三天了还没到账",
        "客户说早就转了货款，可我们账户没收到这笔钱",
    ],
)
def test_money_sent_to_the_one_complaining_gets_the_payees_advice(text):
    from classifier.advice.cases import cues_of

    # not the sender's advice (本人账户的扣款记录, 退回本人账户): the payee's (transfer_not_received)
    assert cues_of(text).case == "transfer_not_received"
    advice = _joined(_advise(text, "payment"))
    assert "本人账户的扣款记录" not in advice and "入账明细" in advice


def test_a_payee_is_told_to_check_the_account_and_ask_the_payer_and_their_own_bank():
    r = _advise("租客说上周五已经转了3000元房租给我，可我的工行卡一直没到账", "payment")
    assert (
        r.evidence[0]
        == "对方的转账凭证或电子回单截图，能看到交易流水号、收款账号和交易状态（¥3,000，上周五）"
    )
    advice = _joined(r)
    for said in ("入账明细", "聊天记录中对方确认已经转账", "收款账号", "1-2个工作日", "查询查复", "12378"):
        assert said in advice, said
    assert r.steps[0].startswith("确认问题：请对方发来转账凭证，先核对上面的收款账号、户名")
    assert any("请对方向汇出银行" in s and "交易流水号" in s for s in r.steps)
    # the writer's own bank (我的工行卡) is asked, not the payer's
    assert any("通过工商银行官方客服查询本人账户有没有这笔入账" in s for s in r.steps)
    for wrong in ("扣款", "订单", "退款", "《用户服务协议》", "原路退回", "30天"):
        assert wrong not in advice, wrong
    assert any("伪造" in w for w in r.warnings) and any("12378" in e for e in r.escalation)
    assert "没有提到交易流水号：请对方提供（在对方的交易详情或电子回单上可以找到）" in r.missing_facts


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("租客用建行转了3000元给我，我的招行卡一直没到账", "招商银行官方客服"),  # 建行 is the payer's
        ("租客用建行转了3000元给我，一直没到账", "开户银行的客服或柜台"),  # whose bank it is, unsaid
        ("朋友说微信转给我500块了，我零钱里一直没收到", "微信官方客服"),
    ],
)
def test_a_payee_asks_the_bank_that_holds_their_own_account(text, service):
    assert any(f"通过{service}查询本人账户" in s for s in _advise(text, "payment").steps)


def test_the_batch_columns_tell_the_payees_bank_from_the_payers():
    # the same facts and case, a different account (whose bank 建行 is): the cache must tell them apart
    texts = [
        "租客用建行转了3000元给我，我的建行卡一直没到账",
        "租客用建行转了3000元给我，一直没到账",
        "我用建行转了3000元给房东，房东说一直没到账",
    ]
    out = _batch_matches_one_by_one(texts)
    assert len(set(out["steps"])) == 3


@pytest.mark.parametrize(
    "text", ["用網銀轉帳三千元給朋友，對方帳戶一直沒有入帳", "轉帳五千元，顯示成功，還沒到帳"]
)
def test_a_transfer_not_credited_in_traditional_characters_is_traced(text):
    from classifier.advice.cases import cues_of

    assert cues_of(text).case == "transfer_not_arrived"


@pytest.mark.parametrize(
    "text", ["我给我妈转了5000，她一直没收到", "转给我弟的钱他说没收到", "我转给房东3000元，房东说没收到"]
)
def test_money_the_one_complaining_sent_keeps_the_transfer_case(text):
    from classifier.advice.cases import cues_of

    assert cues_of(text).case == "transfer_not_arrived"


def test_an_atm_complaint_gets_atm_advice():
    r = _advise("在ATM取款失败但银行卡扣了500元", "payment")
    advice = _joined(r)
    assert "ATM打出的交易凭条" in advice and "设备编号" in advice
    assert any("通过发卡银行客服" in s for s in r.steps)
    for wrong in ("订单", "《用户服务协议》", "30天", "支付结果页面", "平台"):
        assert wrong not in advice, wrong
    assert any("12378" in e for e in r.escalation) and not any("12315" in e for e in r.escalation)
    deposit = _advise("ATM存款3000元，钱被吞了没入账", "payment")
    assert "入账" in _joined(deposit) and "扣款" not in _joined(deposit)


@pytest.mark.parametrize(
    "text",
    ["在自助取款机上跨行转账，撤销以后钱多久能退回原账户", "请问用柜员机转了一笔钱给同学，什么时候能入账"],
)
def test_a_transfer_made_at_an_atm_is_no_atm_withdrawal(text):
    from classifier.advice.cases import cues_of

    cues = cues_of(text)
    assert cues.atm and cues.case is None
    assert cues_of("在取款机上转账时取了500现金，机器没出钞却扣了钱").case == "atm_withdrawal"


def test_the_charged_but_failed_advice_is_the_playbooks():
    from classifier.advice.playbook import load_playbook

    guidance = load_playbook().category("payment")
    r = _advise("付款显示失败但银行卡扣了199元", "payment")
    assert [e.split("（¥")[0] for e in r.evidence] == [i.text for i in guidance.evidence]
    assert r.tips == [i.text for i in guidance.tips + guidance.levers]
    assert len(r.steps) == len(guidance.steps) and "报出订单号和扣款时间" in r.steps[2]


def test_only_payment_complaints_get_a_payment_case():
    from classifier.advice.playbook import load_playbook

    r = _advise("在ATM取款失败但银行卡扣了500元", "service_interruption")
    assert r.evidence[0] == load_playbook().category("service_interruption").evidence[0].text
    assert not any("ATM" in e for e in r.evidence)


def _batch_matches_one_by_one(texts: list[str]) -> pd.DataFrame:
    """The batch columns of ``texts``, after checking each row against ``classify()`` of its text."""
    from classifier.batch.frames import classify_frame

    out = classify_frame(pd.DataFrame({"text": texts}), columns=["category", "evidence", "steps"])
    for text, row in zip(texts, out.to_dict("records")):
        one = classify(text)
        assert (row["category"], row["evidence"], row["steps"]) == (
            one.category,
            "；".join(one.evidence),
            "；".join(one.steps),
        ), text
    return out


def test_the_batch_columns_read_the_same_case_as_one_text():
    # rows with the same facts (¥500) but different cases: the advice cache must tell them apart
    texts = [
        "付款失败扣了500元",
        "在ATM取款失败扣了500元",
        "转账显示成功，500元对方没收到",
        "付款失败扣了500元",
    ]
    out = _batch_matches_one_by_one(texts)
    assert out["steps"][0] == out["steps"][3] != out["steps"][1] != out["steps"][2]


@pytest.mark.parametrize(
    "phrase",
    "手机银行 手機銀行 网上银行 網上銀行 网银 網銀 银行app 銀行app 贵行 貴行 银行柜台 銀行櫃檯 跨行 "
    "atm ａｔｍ 取款机 取款機 提款机 提款機 柜员机 櫃員機 存款机 存款機 存取款 "
    "吞卡 吃卡 卡被吞 卡被机器吃 把卡吞 将我的卡吃 吞了我的卡".split(),
)
def test_the_quick_search_for_bank_words_misses_none(phrase):
    from classifier.advice import cases

    assert cases._BANKISH.search(f"昨天{phrase}了"), phrase
    assert cases.cues_of(f"昨天{phrase}了", "other").bank, phrase


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("快递三天没动静，显示已签收但我根本没收到", "parcel_not_received"),
        ("物流信息一直停在转运中心，五天没更新了", "parcel_not_received"),
        ("快递员没打电话就把包裹放门口，包裹丢了", "parcel_not_received"),
        ("没收到货，系统却显示签收", "parcel_not_received"),
        ("包裹顯示已簽收，可是我根本沒收到", "parcel_not_received"),
        ("网购的台灯快递还没到，都一个星期了", "parcel_not_received"),
        ("收到快递时箱子都压扁了，里面的杯子碎了两个", "parcel_damaged"),
        ("外包装破损，快递还被拆开过", "parcel_damaged"),
        ("快递员不负责，把箱子压坏了", "parcel_damaged"),
        # no delivery case: not said, came in the end, not a parcel, not a courier's doing
        ("快递很快，包装完好，没有破损", None),
        ("没有一个箱子是压变形的，快递小哥辛苦了", None),
        ("包装太单薄了，怕快递压坏", None),
        ("烂成这样，应该不是快递路上压坏的，是发货前就烂了", None),
        ("选了近的仓库，快递运输途中减少损坏", None),
        ("快递太慢了，八天才到", None),
        ("物流一直没有动静，今天刚收到", None),
        ("外卖一个小时还没送到", None),
        ("收到短信说快递柜包裹滞留，点击链接缴纳保管费", None),
        ("东西不好用，快递员态度也差，最后当垃圾丢了", None),
        ("客服态度太差了", None),
        # a parcel not delivered as the reason or the time of something else
        ("民宿老板人很好，因为快递还没到，我退房后请他帮忙代收了", None),
        ("快递员还没送货的时候就说东西有瑕疵，商家却不肯换", None),
        ("快递还没到，已经一个星期了，客服只会让我等", "parcel_not_received"),
        # signed for and not received, then it came
        ("没收到东西系统就显示签收了，打了三次电话，第二天才送到我手上", None),
        ("快递显示签收但我没收到，后来打给快递员，他下午就送到了", None),
    ],
)
def test_the_delivery_case_of_a_complaint(text, case):
    from classifier.advice.cases import cues_of

    assert cues_of(text, "other").case == case
    assert cues_of(text, "payment").case is None and cues_of(text, "data_error").case is None


def test_a_parcel_never_received_is_the_couriers_and_then_the_postal_regulators():
    r = _advise("淘宝买的台灯，顺丰显示已签收但我根本没收到，运单号SF1234567890123", "other")
    assert r.evidence[0] == "快递单号（运单号，SF1234567890123）"
    assert "快递单号 SF1234567890123" in r.card()
    assert any("签收时间、签收人或投放地点" in e for e in r.evidence)
    steps = "\n".join(r.steps)
    assert "联系快递公司客服" in steps and "卖家或购物平台客服" in steps
    assert "7日内" in steps and "12305" in steps and "国家邮政局申诉网站" in steps
    # the waybill number is the parcel's: no order number is found, and none is asked as one
    assert r.facts.order_numbers == [] and not any("快递单号" in m for m in r.missing_facts)
    assert any("没有提到订单号" in m for m in r.missing_facts)
    assert any("快递市场管理办法" in t for t in r.tips) and any("确认收货" in w for w in r.warnings)


def test_a_damaged_parcel_keeps_its_pieces_and_asks_for_compensation():
    r = _advise("收到快递时箱子都压扁了，里面的杯子碎了两个，价值128元", "other")
    advice = _joined(r)
    assert "破损处的照片或视频" in advice and "申请理赔" in advice and "12305" in advice
    assert "物品价值的凭证（¥128）" in advice and "没有提到快递单号" in advice
    assert "没有提到物品价值" not in advice and "签收情况" not in advice


def test_other_complaints_keep_the_categorys_advice():
    from classifier.advice.playbook import load_playbook

    r = _advise("客服态度太差了，问什么都不回", "other")
    assert r.evidence == [i.text for i in load_playbook().category("other").evidence]
    assert "12305" not in _joined(r)


def test_the_batch_columns_read_the_same_delivery_case_as_one_text():
    texts = [
        "快递显示已签收，但我根本没收到，快递员电话也打不通",
        "快递到了箱子全压扁了，里面的东西也坏了",
        "商家态度太差，问什么都不回",
    ]
    out = _batch_matches_one_by_one(texts)
    assert list(out["category"]) == ["other"] * 3
    assert len(set(out["steps"])) == 3


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        (
            "上午十点刷信用卡扣了128.5元",
            "payment",
            "没有提到扣款是哪一天：申请时写明日期，并附上扣款短信或账单截图",
        ),
        (
            "每天晚上八点准时崩，视频一直打不开",
            "service_interruption",
            "没有提到故障是哪一天开始的：申请时写明日期",
        ),
        (
            "晚上9点多在建行ATM取500块没吐钱，卡里扣了",
            "payment",
            "没有提到取款是哪一天：申请时写明日期，银行要据此调取交易记录和监控",
        ),
    ],
)
def test_a_time_without_a_date_asks_for_the_day_only(text, label, expected):
    facts = _advise(text, label).facts
    assert facts.times and not facts.dates
    missing = _advise(text, label).missing_facts
    assert expected in missing
    assert not any("日期和时间" in m or "什么时候开始" in m for m in missing)


def test_the_card_shows_a_time_of_day_without_a_date():
    card = _advise("从早上8点到现在，支付宝一直登录不上，已经三个多小时了", "service_interruption").card()
    assert "已知信息：时间 早上8点；" in card  # (the time was left out)
    row = advise(Result("晚上8点扣的钱", "payment", "", 0.9, {}), known={"date": "2024-03-02"})
    assert "表格中的日期 2024年3月2日晚上8点" in row.card() and "时间 " not in row.card()


@pytest.mark.parametrize("label", ["other", "payment", "service_interruption"])
def test_a_scam_victim_is_told_to_call_the_police_and_stop_the_payment_not_to_ask_for_a_refund(label):
    r = _advise("有人自称淘宝客服，说要给我退款，让我开屏幕共享，结果支付宝里的3000元被转走了", label)
    advice = _joined(r)
    assert "110" in advice and "96110" in advice and "止付" in advice
    assert "支付宝官方客服" in advice  # where the money left from, asked to stop it
    assert "淘宝官方客服" not in advice  # the platform the scammer pretended to be is no contact
    assert "聊天记录" in advice and "¥3,000" in advice
    assert "退换货" not in advice and "扣款失败" not in advice
    assert any("安全账户" in t for t in r.tips)


@pytest.mark.parametrize(
    ("text", "contact", "not_contact"),
    [
        # the credit product the story was about is not where the money left from
        (
            "有人自称京东客服，说我的白条要关闭，让我开屏幕共享，结果招行卡里的5200元被转走了",
            "招商银行官方客服",
            "京东白条官方客服",
        ),
        ("冒充客服说花呗额度异常，我用工商银行的卡转了3000到安全账户", "工商银行官方客服", "花呗官方客服"),
        # the payment service the money went through, with a bank named only as the pretext
        ("骗子说我的建行卡被冻结了，让我用支付宝转了800元解冻", "支付宝官方客服", "建设银行官方客服"),
        # a credit product is its service's; a card named but not its bank, the card's bank
        ("冒充客服说要给我退款，让我用花呗付了2999", "支付宝官方客服", "花呗官方客服"),
        ("有人冒充快递说要理赔，我照做后银行卡里的1万2被转走了", "发卡银行客服", "银行卡官方客服"),
        # the chat app the scammer wrote from is not where the money left from
        ("微信上有人冒充我领导，我用手机银行转了2万给他说的账户", "发卡银行客服", "微信官方客服"),
    ],
)
def test_a_scams_stop_payment_goes_where_the_money_left_from(text, contact, not_contact):
    _assert_contact(text, "other", contact, not_contact)


def test_the_batch_columns_read_the_same_scam_case_as_one_text():
    texts = [
        "冒充客服说要给我退款，我按他说的转了1500元到安全账户",
        "客服说要给我退款，三天了还没到账",
        "商家态度太差，问什么都不回",
    ]
    out = _batch_matches_one_by_one(texts)
    assert "96110" in out["steps"][0] and "96110" not in out["steps"][1] + out["steps"][2]


@pytest.mark.parametrize(
    ("text", "label", "contact"),
    [
        # a game or an app used on the device the complaint is about: the shop's, not the app's
        ("玩和平精英的时候这手机烫得厉害，卡得不行，才买了一个月", "other", "平台官方客服"),
        ("京东买的平板，打王者荣耀就卡，屏幕还发烫", "other", "京东官方客服"),
        # a platform compared with, where the complaint was paid elsewhere
        ("淘宝上同款才卖99，我在京东买的花了199，客服还不给保价", "other", "京东官方客服"),
        ("比拼多多贵了一倍，天猫买的衣服还起球", "other", "天猫官方客服"),
        # the platform itself: kept
        ("玩和平精英被封号了，申诉了三次都没用", "other", "和平精英官方客服"),
        ("用手机看爱奇艺一直黑屏，会员白开了", "service_interruption", "爱奇艺官方客服"),
        ("抖音直播间买的手机，用了三天就发烫", "other", "抖音官方客服"),
    ],
)
def test_the_contact_is_the_platform_the_complaint_is_about(text, label, contact):
    steps = "\n".join(_advise(text, label).steps)
    assert contact in steps
    for name in ("和平精英", "王者荣耀", "淘宝", "拼多多", "京东", "天猫", "爱奇艺", "抖音"):
        if f"{name}官方客服" != contact:
            assert f"{name}官方客服" not in steps, name


@pytest.mark.parametrize(
    ("text", "label", "contact"),
    [
        # where the writer looked something up is no contact
        (
            "等芒果TV的综艺更新，一直黑屏转圈，去微博一搜全是说崩了的",
            "service_interruption",
            "芒果TV官方客服",
        ),
        # nor a payment app named beside a game played on the device
        ("给老人看微信用的平板，玩王者荣耀也卡，内存太小", "other", "平台官方客服"),
    ],
)
def test_a_platform_looked_up_or_an_app_beside_a_game_is_no_contact(text, label, contact):
    assert contact in "\n".join(_advise(text, label).steps)


@pytest.mark.parametrize(
    ("text", "label", "contact", "not_contact"),
    [
        ("刷微博才知道芒果TV崩了，会员看不了", "service_interruption", "芒果TV", "微博"),
        ("看微博热搜才知道淘宝崩了，付款一直失败", "service_interruption", "淘宝", "微博"),
        ("小红书上好多人说拼多多付款扣了钱但订单没了，我也是", "payment", "拼多多", "小红书"),
        ("抖音上都在说美团外卖挂了，我的订单也一直显示支付中", "payment", "美团", "抖音"),
        ("微博热搜上说淘宝崩了，我付款失败还扣了钱", "payment", "淘宝", "微博"),
        ("在抖音上看到有人说拼多多下单扣款异常，我也被扣了两次", "payment", "拼多多", "抖音"),
    ],
)
def test_where_the_writer_heard_of_an_outage_is_no_contact(text, label, contact, not_contact):
    _assert_contact(text, label, f"{contact}官方客服", f"{not_contact}官方客服")


@pytest.mark.parametrize(
    "text",
    [
        "微博热搜崩了，刷新一直转圈",  # the platform that failed itself
        "小红书崩了，好多人说发不了笔记",
        "看到携程网友的评价订的酒店，结果到了说没有房",  # its users' reviews: where it was booked
    ],
)
def test_a_platform_that_failed_or_its_users_reviews_is_the_contact(text):
    steps = "\n".join(_advise(text, "service_interruption").steps)
    assert "官方客服" in steps and "平台官方客服" not in steps


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("京东买的平板，说好送爱奇艺会员，结果没送，屏幕还发烫", "京东官方客服"),  # a gift, not the app's
        ("京东买的平板，就是为了玩王者荣耀买的，结果屏幕发烫", "京东官方客服"),  # the device was bought
    ],
)
def test_a_gift_or_a_game_a_device_was_bought_for_is_no_contact(text, contact):
    assert contact in "\n".join(_advise(text, "other").steps)


@pytest.mark.parametrize(
    ("text", "contact", "not_contact"),
    [
        ("花呗额度突然降了，我每个月都按时还的", "支付宝官方客服", "花呗官方客服"),
        ("白条分期的手续费怎么这么高", "京东金融官方客服", "京东白条官方客服"),
    ],
)
def test_a_credit_product_is_reached_through_its_service(text, contact, not_contact):
    _assert_contact(text, "other", contact, not_contact)


def _assert_contact(text: str, label: str, contact: str, not_contact: str) -> None:
    steps = "\n".join(_advise(text, label).steps)
    assert contact in steps and not_contact not in steps
