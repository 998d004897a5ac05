import datetime

import pytest
from click.testing import CliRunner

from classifier import classify, letter
from classifier.advice.advise import advise
from classifier.advice.result import Result
from classifier.cli import main
from classifier.errors import InvalidParameterError
from classifier.labels import LABEL_NAMES_ZH, LABELS

TEXT = "11月28日晚上8点在淘宝用支付宝付款显示失败，但银行卡扣了199元，订单号2023112812345678，三天了还没退，电话13812345678"
# what a category × facts review reads: no facts at all, every fact, a relative date and a card
TEXTS = {
    "none": "出问题了，一直没人处理",
    "full": "11月28日晚上8点在淘宝用支付宝付款，扣了199元，订单号2023112812345678，三天了还没解决，电话13812345678",
    "relative": "昨晚 7:40 在京东遇到问题，银行卡扣了58.8元，黑屏了两个小时",
}


def _letter(text, label, **kwargs):
    result = advise(Result(text, label, LABEL_NAMES_ZH[label], 0.9, {x: 0.25 for x in LABELS}))
    return result.letter(**kwargs)


def test_letter_contains_the_extracted_facts():
    text = classify(TEXT).letter()
    for fact in ("199元", "11月28日晚上8点", "2023112812345678", "淘宝", "支付宝", "三天", "138****5678"):
        assert fact in text, fact
    assert "13812345678" not in text  # the phone number is masked everywhere


def test_letter_does_not_repeat_card_id_or_full_width_phone_numbers():
    text = letter(
        "银行卡6222021234567890123被扣了199元，身份证号110101199003074518，电话１３８１２３４５６７８"
    )
    for number in ("6222021234567890123", "110101199003074518", "１３８１２３４５６７８", "12345678901"):
        assert number not in text, number
    assert "6222***********0123" in text and "１３８****５６７８" in text


def test_someone_elses_phone_is_not_the_contact_phone():
    text = letter("付款失败扣了199元，打了商家电话13812345678一直没人接")
    assert "联系电话：＿＿＿＿（请补上）" in text
    assert "联系电话：139****5678" in letter(
        "付款失败扣了199元，商家电话13812345678没人接，我的手机13912345678"
    )


def test_letter_has_clause_deadline_and_escalation():
    text = letter(TEXT)
    assert text.startswith("退款申请")
    assert "《用户服务协议》中关于支付异常处理的约定（第＿＿＿＿条）" in text
    assert "24小时内" in text
    assert text.count("12315") == 1
    assert "联系发卡银行申请差错处理" in text  # a bank card was charged


def test_missing_facts_are_left_as_blanks():
    text = letter("付款显示失败但是钱被扣了")
    assert "订单号/交易流水号：＿＿＿＿（请补上）" in text
    assert "扣款金额：＿＿＿＿（请补上）" in text
    assert "致＿＿＿＿客服" in text


def test_deadline_is_configurable_and_validated():
    assert "48小时内" in classify(TEXT).letter(deadline_hours=48)
    for bad in (-5, 0, 721, 2.5, True):
        with pytest.raises(InvalidParameterError, match="deadline_hours"):
            classify(TEXT).letter(deadline_hours=bad)


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_category_and_fact_combination_reads_cleanly(label, name):
    text = _letter(TEXTS[name], label)
    assert text.count("12315") == 1
    assert "）（" not in text and "（（" not in text  # no doubled brackets
    assert "{" not in text and "<" not in text and "¥" not in text
    assert "银行卡官方客服" not in text and "  " not in text.replace("    ", "")
    if label != "payment":
        assert "支付异常" not in text and "扣款原因" not in text
    if label in ("data_error", "other"):
        assert "服务不可用" not in text  # no payment or outage clauses in these letters
    if name == "relative":
        assert "（请填写具体日期，投诉中写的是“昨晚”）" in text
        assert "本人于昨晚" not in text


def test_relative_dates_are_resolved_against_the_letters_date():
    text = _letter(TEXTS["relative"], "service_interruption", today=datetime.date(2024, 3, 2))
    assert "本人于2024年3月1日晚上7:40使用京东时" in text
    assert "日期：2024年3月2日" in text
    assert "请填写具体日期" not in text


def test_two_dates_leave_the_date_to_the_writer():
    text = _letter("昨天一直黑屏，今晚打开还是黑屏", "service_interruption", today=datetime.date(2024, 3, 2))
    assert "本人于＿＿＿＿年＿＿月＿＿日（请填写问题发生的日期，投诉中提到“昨天”“今晚”）使用" in text


def test_the_date_of_the_failure_is_not_the_purchases():
    # 昨天 is when the membership was bought: the letter asked to choose between 昨天 and 今晚
    text = _letter(
        "昨天刚开的会员，今晚打开都是黑屏", "service_interruption", today=datetime.date(2024, 3, 2)
    )
    assert "本人于2024年3月2日晚上使用" in text


def test_the_rows_date_stands_in_when_the_text_names_none():
    result = advise(
        Result("付款失败但钱被扣了", "payment", "", 0.9, {x: 0.25 for x in LABELS}),
        known={"platform": "淘宝", "date": "2024-03-02 21:14"},
    )
    assert "本人于2024年3月2日 21:14在淘宝付款时" in result.letter()


def test_a_colloquial_amount_is_asked_back_whole():
    text = _letter("昨天在淘宝充了2万5千元一直没到账", "payment")
    assert "扣款金额：25000元" in text
    assert "退还被错误扣除的款项25000元" in text


def test_a_ticket_number_is_not_listed_as_the_order_number():
    text = _letter("淘宝付款失败但扣了199元，客服给的工单号12345678，一直没人处理", "payment")
    assert "订单号/交易流水号：＿＿＿＿（请补上）" in text


def test_a_day_of_the_month_is_kept_as_written():
    text = _letter("28号在淘宝付款，28号扣的款到现在没退", "payment")
    assert "本人于28号在淘宝付款时" in text


def test_a_data_error_letter_cites_no_payment_clause():
    text = letter("购物车里的商品全没了，订单信息也显示错误")
    assert text.startswith("数据更正申请")
    assert "保障用户数据准确、安全的约定" in text
    assert "支付" not in text and "扣款" not in text


@pytest.mark.parametrize(
    ("name_of_file", "label", "name"),
    [
        ("letter_payment_full.txt", "payment", "full"),
        ("letter_service_interruption_relative.txt", "service_interruption", "relative"),
        ("letter_data_error_none.txt", "data_error", "none"),
        ("letter_other_full.txt", "other", "full"),
    ],
)
def test_golden_letters(name_of_file, label, name, golden):
    golden(name_of_file, _letter(TEXTS[name], label))


def test_cli_letter():
    result = CliRunner().invoke(main, ["letter", TEXT, "--deadline-hours", "72"])
    assert result.exit_code == 0
    assert "72小时内" in result.output and "199元" in result.output


def test_cli_letter_refuses_a_negative_deadline():
    result = CliRunner().invoke(main, ["letter", TEXT, "--deadline-hours", "-5"])
    assert result.exit_code == 2
    assert "--deadline-hours" in result.output and "-5 小时" not in result.output


def test_cli_letter_reads_stdin_and_speaks_json():
    import json

    result = CliRunner().invoke(
        main, ["letter", "-", "--json", "--date", "2024-03-02"], input="昨晚视频一直黑屏\n"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["category"] == "service_interruption"
    assert "2024年3月1日晚上" in data["letter"] and "昨晚视频一直黑屏" in data["letter"]
    assert data["facts"]["dates"] == ["昨晚"]


def test_cli_letter_refuses_a_bad_date():
    result = CliRunner().invoke(main, ["letter", TEXT, "--date", "yesterday"])
    assert result.exit_code == 2 and "--date" in result.output


def test_several_amounts_leave_the_refund_amount_to_the_writer():
    # a double charge told with the total: asking for "5999元、11998元" back would ask for both
    text = _letter("京东付款扣了两次款，每次5,999元，一共扣了11998元", "payment")
    assert "扣款金额：5999元、11998元（投诉中提到的金额，请核对）" in text
    assert "退还被错误扣除的款项＿＿＿＿（请填写应退金额，投诉中提到5999元、11998元）" in text
    one = _letter("京东付款显示失败但扣了5,999元", "payment")
    assert "退还被错误扣除的款项5999元，" in one and "请核对" not in one


def test_a_letter_to_a_bank_says_gui_hang_and_escalates_to_the_regulators():
    text = _letter("招商银行app转账显示失败，但是卡里扣了3000元", "payment")
    assert "致招商银行客服" in text
    assert "在招商银行转账时遇到支付异常" in text
    assert "根据贵行相关服务协议中关于支付异常处理的约定" in text and "贵平台" not in text
    assert "国家金融监督管理总局（12378）" in text and "联系发卡银行" not in text
    # a platform named beside the card: the letter goes to the platform, the card's bank is next
    shop = _letter("淘宝付款失败，招商银行卡扣了199元", "payment")
    assert "致淘宝客服" in shop and "联系发卡银行申请差错处理" in shop and "12378" not in shop


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("取钱失败但卡里扣了2000元", "取款"),
        ("提现失败但余额扣了300元", "提现"),
        ("转帐失败但扣了钱", "转账"),
        ("信用卡还款失败但扣了钱", "还款"),
        ("话费充值扣了钱没到账", "充值"),
        ("付款失败扣了199元", "付款"),
    ],
)
def test_the_payment_letter_names_what_was_being_paid(text, action):
    assert f"{action}时遇到支付异常" in _letter(text, "payment")


def test_the_service_letter_asks_a_refund_only_for_what_was_paid():
    text = _letter("腾讯会议开会时一直掉线，连不上", "service_interruption")
    assert "本人已付费的，按故障时长退还相应费用或顺延服务期限" in text
    assert "涉及金额" not in text and "已付费用" not in text  # not asked for: the service may be free
    assert "付费或开通会员的凭证（如有）" in text


# a transfer the screen showed as done that never reached the payee: the letter asks where the
# money is, not for money "deducted in error"
TRANSFER = "上周五用工商银行手机银行给家人转账5000元，显示交易成功，五天了对方还没收到"


def test_a_transfer_that_never_arrived_asks_where_the_money_went():
    text = _letter(TRANSFER, "payment", today=datetime.date(2024, 3, 20))
    assert text.startswith("转账未到账查询申请")
    assert "致工商银行客服及投诉处理部门" in text
    assert "本人于2024年3月15日通过工商银行转账，款项至今未到账，具体情况如下" in text
    assert (
        "查明该笔款项（涉及金额5000元）的去向，确保款项尽快到账；无法到账的，将款项原路退回本人账户" in text
    )
    assert "交易流水号：＿＿＿＿（请补上）" in text and "收款账户" in text
    assert "交易详情截图或电子回单" in text and "收款方未收到款项的证明" in text
    assert "贵行相关服务协议" in text and "国家金融监督管理总局（12378）" in text
    for wrong in ("错误扣除", "支付失败", "订单", "扣款原因", "贵平台", "支付异常"):
        assert wrong not in text, wrong


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        ("微信转账给房东2800元，显示对方已收款，房东说没收到", "通过微信转账，款项至今未到账"),
        ("支付宝提现到银行卡显示成功，三天了还没到账", "通过支付宝提现，款项至今未到账"),
        ("用手机银行给我妈转了5000块，显示成功，她那边一直没收到", "通过＿＿＿＿银行转账，款项至今未到账"),
        ("跨行转账显示成功，对方两天了都没入账", "通过＿＿＿＿银行转账，款项至今未到账"),
        ("转帐显示成功了 对方说没收到钱", "通过＿＿＿＿转账，款项至今未到账"),
        ("货款用网银汇过去一周了，对方银行说根本没收到这笔钱", "通过＿＿＿＿银行转账，款项至今未到账"),
        ("提现三天了还没到卡里", "通过＿＿＿＿提现，款项至今未到账"),
        ("转了钱对方没收到", "通过＿＿＿＿转账，款项至今未到账"),
        ("微信零钱提现了3500元，手续费也扣了，卡上一直没有这笔入账", "通过微信支付提现，款项至今未到账"),
        ("微信转给朋友两千块，我这边显示对方已收款，可他说零钱里根本没有", "通过微信转账，款项至今未到账"),
        ("国外客户的货款用网银汇款过去一周了，对方银行说没收到", "通过＿＿＿＿银行汇款，款项至今未到账"),
    ],
)
def test_every_kind_of_transfer_that_did_not_arrive_gets_the_tracing_letter(text, opening):
    letter = _letter(text, "payment")
    assert opening in letter
    assert "查明该笔" in letter and "错误扣除" not in letter and "支付结果页面" not in letter


def test_a_cash_out_that_did_not_arrive_asks_for_it_back_in_the_balance():
    text = _letter("支付宝提现到银行卡显示成功，三天了还没到账", "payment")
    assert text.startswith("提现未到账查询申请")
    assert "查明该笔提现款项的去向，确保款项尽快到账；无法到账的，将款项退回本人账户余额" in text
    assert "收款银行卡（开户银行、卡号后四位）：＿＿＿＿（请补上）" in text
    assert "收款方" not in text and "原路退回" not in text


def test_a_transfer_to_a_bank_with_no_name_is_addressed_to_the_bank():
    text = _letter("用手机银行给我妈转了5000块，显示成功，她那边一直没收到", "payment")
    assert "致＿＿＿＿银行客服及投诉处理部门" in text
    assert "贵行相关服务协议" in text and "国家金融监督管理总局（12378）" in text and "12315" not in text
    # a payment service's transfer goes to the service and to the central bank, which oversees it
    wechat = _letter("微信转账给房东2800元，显示对方已收款，房东说没收到", "payment")
    assert "致微信客服" in wechat and "中国人民银行（12363）" in wechat and "12378" not in wechat


# money sent to the writer that never arrived: the writer asks their own bank whether it reached
# the account and to trace it, not for a refund
PAYEE = "租客说上周五已经用手机银行转了3000元房租给我，可我的工行卡一直没到账"


def test_a_payee_asks_their_own_bank_whether_the_money_reached_the_account():
    text = _letter(PAYEE, "payment", today=datetime.date(2024, 3, 20))
    assert text.startswith("入账查询申请")
    assert "致工商银行客服及投诉处理部门" in text
    assert "付款方称已于2024年3月15日向本人账户转账，但本人账户至今未收到该笔款项，具体情况如下" in text
    assert "核实该笔款项（涉及金额3000元）是否已到达本人账户；已到达的，请尽快入账" in text
    assert "请凭交易流水号向汇出银行或支付机构发起查询，查明款项去向" in text
    assert "付款方（户名、汇出银行或平台）：＿＿＿＿（请补上）" in text
    assert "本人收款账户（户名、账号）：＿＿＿＿（请补上）" in text
    assert "付款方的转账凭证或电子回单" in text and "本人账户同一时段的入账明细截图" in text
    assert "贵行相关服务协议" in text and "国家金融监督管理总局（12378）" in text
    for wrong in ("退还", "退回", "错误扣除", "扣款", "订单", "贵平台", "支付异常", "未到账查询"):
        assert wrong not in text, wrong


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("租客用建行转了3000元给我，一直没到账", "＿＿＿＿银行"),  # 建行 is the payer's
        ("对方说已经转给我了，但我一直没收到", "＿＿＿＿银行"),
        ("租客用建行转了3000元给我，我的招行卡一直没到账", "招商银行"),
        ("朋友说微信转给我500块了，我零钱里一直没收到", "微信"),
    ],
)
def test_a_payees_letter_goes_to_the_bank_that_holds_their_account(text, addressee):
    letter = _letter(text, "payment")
    assert letter.startswith("入账查询申请") and f"致{addressee}客服及投诉处理部门" in letter
    assert "退还" not in letter and "退回本人账户" not in letter


@pytest.mark.parametrize(
    "text",
    [
        "转账失败但钱扣了，对方也没收到",  # it failed: the refund letter
        "话费充值扣了钱没到账",  # what was bought did not arrive, not the money
        "付款成功但会员没到账",
        "扫码付款显示成功，商家说没收到，我又付了一次",  # paid twice: one payment comes back
        "付款页面转了3分钟显示结果未知，钱扣了，对方说没收到",  # the page spun: not a transfer
        "给朋友转了钱买游戏钻石，钻石一个没到",  # what it bought did not arrive
    ],
)
def test_a_failed_transfer_or_a_missing_purchase_keeps_the_refund_letter(text):
    letter = _letter(text, "payment")
    assert letter.startswith("退款申请") and "退还被错误扣除的款项" in letter


# an ATM complaint goes to the card's bank even when it names none
ATM = "在ATM取款失败但银行卡扣了500元"


def test_an_atm_with_no_bank_named_is_addressed_to_the_bank():
    text = _letter(ATM, "payment")
    assert text.startswith("ATM取款差错处理申请")
    assert "致＿＿＿＿银行客服及投诉处理部门" in text
    assert "本人于＿＿＿＿年＿＿月＿＿日在ATM取款时，交易出现异常" in text
    assert "根据贵行相关服务协议" in text and "贵平台" not in text and "《用户服务协议》" not in text
    assert "将被错误扣除的款项500元退回本人账户" in text
    assert "ATM所在地点及设备编号：＿＿＿＿（请补上）" in text
    assert "ATM交易凭条（如有）" in text and "银行卡交易明细或扣款短信截图" in text
    assert "国家金融监督管理总局（12378）或中国人民银行（12363）" in text and "12315" not in text
    assert "支付结果页面截图" not in text and "订单" not in text


@pytest.mark.parametrize(
    ("text", "addressee", "title"),
    [
        ("取款机没吐钱却扣款", "＿＿＿＿银行", "ATM取款差错处理申请"),
        ("柜员机取钱没出钞，卡里少了1000元", "＿＿＿＿银行", "ATM取款差错处理申请"),
        ("建设银行ATM取2000没出钞，卡里扣了", "建设银行", "ATM取款差错处理申请"),
        ("ATM存款3000元，钱被吞了没入账", "＿＿＿＿银行", "ATM存款差错处理申请"),
        (
            "工行的存取款一体机上存了5000，机器卡住了，钱没退出来，卡上也没加",
            "工商银行",
            "ATM存款差错处理申请",
        ),
    ],
)
def test_atm_letters(text, addressee, title):
    letter = _letter(text, "payment")
    assert letter.startswith(title) and f"致{addressee}客服" in letter
    assert "12378" in letter and "支付结果页面截图" not in letter


def test_an_atm_that_kept_the_card_asks_for_the_card_back():
    text = _letter("ATM吞卡了，卡里的钱也被扣了800元，钱没吐出来", "payment")
    assert text.startswith("ATM吞卡处理申请") and "在ATM取款时被吞卡" in text
    assert "协助本人尽快取回被吞的银行卡；该笔交易如有款项被错误扣除（涉及金额800元）" in text


def test_an_atm_deposit_asks_for_the_cash_to_be_credited():
    text = _letter("ATM存款3000元，钱被吞了没入账", "payment")
    assert "本人于＿＿＿＿年＿＿月＿＿日在ATM存款时，交易出现异常" in text
    assert "将本人存入但未入账的款项（涉及金额3000元）补记入本人账户" in text
    assert "存入金额：3000元" in text and "扣" not in text


@pytest.mark.parametrize(
    "text",
    ["打完车付了38，过了十分钟又扣一次38，你们是把我当提款机吗", "关了自动续费又扣了我68，当我是提款机？"],
)
def test_a_platform_called_a_cash_machine_is_not_an_atm(text):
    letter = _letter(text, "payment")
    assert letter.startswith("退款申请") and "ATM" not in letter and "银行" not in letter


def test_a_failed_payment_seen_in_a_bank_app_is_still_the_shops_to_answer():
    # the bank's app only showed the charge: the letter and the steps stay the category's own
    text = "打车页面写着支付失败，手机银行短信却提醒已扣款56.2元"
    letter = _letter(text, "payment")
    assert "致＿＿＿＿客服" in letter and "贵平台《用户服务协议》中关于支付异常处理的约定" in letter
    assert "12315" in letter and "12378" not in letter
    assert any("通过平台官方客服" in s for s in advise(Result(text, "payment", "", 0.9, {})).steps)


def test_the_charged_but_failed_letter_is_unchanged():
    text = _letter("11月28日在淘宝付款显示失败，但银行卡扣了199元", "payment")
    assert "本人于11月28日在淘宝付款时遇到支付异常" in text
    assert (
        "根据贵平台《用户服务协议》中关于支付异常处理的约定（第＿＿＿＿条），本人申请：退还被错误扣除的款项199元，并书面说明扣款原因。"
        in text
    )
    assert "2. 支付结果页面截图（显示“支付失败”或订单未生成）" in text
    assert "本人将联系发卡银行申请差错处理，并向消费者协会投诉，或通过全国12315平台投诉。" in text


def test_a_parcel_never_received_is_asked_of_the_courier_it_names():
    text = _letter("淘宝买的台灯，中通快递显示已签收但我没收到，快递单号75312345678901，三天了", "other")
    assert text.startswith("快件查询及处理申请")
    assert "致中通快递客服及投诉处理部门" in text and "本人的一件快件至今没有收到" in text
    assert "快递单号：75312345678901" in text and "问题已持续：三天" in text
    assert "收件人及收件地址：＿＿＿＿（请补上）" in text and "订单号" not in text
    assert "查明该快件的去向和签收情况" in text and "向邮政管理部门申诉（12305）" in text
    for wrong in ("售后", "消费时", "12315", "致淘宝"):
        assert wrong not in text, wrong


def test_a_damaged_parcel_with_no_courier_named_leaves_the_courier_blank():
    text = _letter("快递送来的时候箱子都压扁了，杯子碎了两个，价值128元", "other")
    assert text.startswith("快件破损处理申请")
    assert "致＿＿＿＿快递公司客服及投诉处理部门" in text and "本人收到的快件有破损" in text
    assert "快递单号：＿＿＿＿（请补上）" in text and "物品价值：128元" in text
    assert "外包装和物品破损处的照片或视频" in text and "12305" in text


def test_a_scam_victims_letter_asks_their_bank_to_stop_the_payment():
    text = _letter("有人冒充京东客服，让我把钱转到安全账户，我用招商银行转了两万", "other")
    assert text.startswith("紧急止付申请")
    assert "致招商银行客服及投诉处理部门" in text and "京东" not in text.split("\n")[2]
    assert "止付" in text and "20000元" in text and "报案" in text
    assert "12378" in text
    # no bank or payment service named: left for the writer to fill in
    blank = _letter("被骗子用刷单返利骗着垫付了800元", "other")
    assert "致＿＿＿＿（银行或支付平台）客服及投诉处理部门" in blank
    assert "在＿＿＿＿（银行或支付平台）的账户资金被骗转出" in blank


def test_an_amount_said_roughly_is_quoted_and_left_for_the_writer_to_make_exact():
    text = _letter("在淘宝付款显示失败，但是银行卡扣了三百多块", "payment")
    assert "扣款金额：三百多元（请核对准确金额）" in text
    assert "退还被错误扣除的款项＿＿＿＿（请填写准确金额，投诉中写的是“三百多元”）" in text
    assert "¥300" not in text and "300元" not in text


def test_a_letter_goes_to_the_platform_paid_not_one_named_in_passing():
    text = _letter("京东买的平板，打王者荣耀就卡，屏幕还发烫", "other")
    assert "致京东客服及投诉处理部门" in text and "在京东消费时" in text
    text = _letter("玩和平精英的时候这手机烫得厉害，卡得不行", "other")
    assert "致＿＿＿＿客服及投诉处理部门" in text and "和平精英消费" not in text
