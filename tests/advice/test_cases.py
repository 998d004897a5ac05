import pytest

from classifier.advice.cases import PAYMENT_CASES, cues_of


@pytest.mark.parametrize(
    "text",
    [
        "对方说已经转给我了，但我一直没收到",
        "对方说已经转了，我这边一直没到账",
        "租客说上周已经转了3000元房租给我，可我的卡里一直没到账",
        "客户说早就汇了货款，可我们公司账户一直没入账",
        "我是收款方，对方说支付宝转账成功了，我这边没有收到这笔钱",
        "对方说已经汇了，我查了三天流水都查不到",
        "租客转给我的房租一直没到账",
        "對方說已經轉給我了，可是我的帳戶一直沒有入帳",
        "我是房东，租客说12月1号已经用支付宝转了2800元房租到我的建行卡，可我查了三天都没有这笔钱",
        "老板说工资已经打到我卡上了，我一直没收到",
        "公司说已经打款了，我的卡里一直没到账",
        "公司把工资打到我卡上，一直没到账",
        "同学转我200块，一直没到账",  # 转给我 said short
        "对方说转给我了，我没收到。后来银行说要第二天才到账",  # it will come: it has not
        "对方说转给我了，但我一直没收到，客服说会在24小时内才到账",
    ],
)
def test_money_sent_to_the_writer_that_never_arrived_is_the_payees_case(text):
    assert cues_of(text).case == "transfer_not_received"
    assert "transfer_not_received" in PAYMENT_CASES


@pytest.mark.parametrize(
    "text",
    [
        "我给我妈转了5000，她一直没收到",  # 转给我妈: the writer sent it
        "转给我妈的钱她说没收到",
        "我转给房东3000元，房东说没收到",
        "我转给我的朋友500，他没收到",  # 我的朋友 is a person, not the money
        "我转了3000到我妈的卡，她一直没收到",  # 到我妈的卡: the writer sent it
        "我从招行转了2万到我自己的工行卡，三天了还没到账",  # between the writer's own cards
        "我对房东说已经转了3000，房东说没收到",
        "房东说没收到我转的房租，我用农行转的，显示成功",  # (no case: a refund of a charge)
        "我转过去的5000块对方一直没收到",
    ],
)
def test_money_the_writer_sent_stays_the_senders_case(text):
    assert cues_of(text).case == "transfer_not_arrived"


@pytest.mark.parametrize(
    "text",
    [
        "朋友转给我的2000块已经到账了",  # it arrived
        "租客转给我的房租之前一直没到账，今天终于到了",  # it came in the end
        "对方说转给我了，我刚收到",
        "对方说转给我了，但是转账失败了，我也没收到",  # it failed: the refund advice
        "对方说转给我了，我没收到短信提醒，不过钱到账了",  # a text message did not come, not money
        "商家说退款已经转给我了，可一直没到账",  # a refund: the category's own advice
        "支付宝提现打款给我了，三天还没到账",  # a cash-out stays the platform's to pay
        "我跟他说已经转了，他说卡里没有",  # what the writer told him: the writer sent it
    ],
)
def test_a_payee_who_got_the_money_or_whose_money_is_no_transfer_has_no_payee_case(text):
    assert cues_of(text).case != "transfer_not_received"


@pytest.mark.parametrize(
    "text",
    [
        # someone else's transfer to someone else, reported second-hand: the writer is no payee
        "他说他早就转过去了，可是房东说一直没收到",
        "她说已经转给我弟了，我弟说没收到",
        "对方说已经汇了，可是商家那边查不到",
        "买家说已经转了800，但是卖家说没到账",
        # ... or said plainly of a person the text names (it was the payee's case)
        "他说他早就转过去了，可是房东一直没收到",
        "租客说房租已经转了，房东到现在也没收到",
        "对方说已经汇过去了，我妈还没到账",
        "买家说已经转了800，卖家一直没收到",
    ],
)
def test_a_transfer_someone_else_says_did_not_come_is_no_payees_case(text):
    assert cues_of(text).case != "transfer_not_received"


@pytest.mark.parametrize(
    "text",
    [
        "租客说已经转了，我查了银行流水也查不到，中介也说没收到",  # the writer's own word too
        "他说已经转给我了，可是我哥帮我查了说没收到",  # 转给我: the writer is the payee
        "对方说已经转了，但是一直没到账",  # no one else named: as before
        "对方说已经转了，我和房东都没收到",  # the writer too
        "对方说已经转了，他一直没收到，我也查不到",  # 他 may be the writer's 他: the writer's word decides
    ],
)
def test_a_payee_is_still_one_when_others_are_named(text):
    assert cues_of(text).case == "transfer_not_received"


@pytest.mark.parametrize(
    "text",
    [
        # no one else says anything: 收款 is the writer's account, 其他 no person, 妈的 a curse,
        # 他的 his payment, 我老是/我同样/我家里 the writer (they lost the payee's case)
        "对方说已经转了，收款账户一直没到账",
        "对方说已经汇了，我这边收款一直没到账",
        "对方说早就转了，妈的到现在都没到账",
        "对方说已经转了，银行卡和其他账户都查不到",
        "租客说已经转了，其他租客的房租都到了，就他的没到账",
        "对方说已经打款了，我老是查不到",
        "对方说已经转了，我同样查不到",
        "租客说已经转了，我家里的卡一直没到账",
    ],
)
def test_a_payee_is_still_one_when_no_one_else_says_it_did_not_come(text):
    assert cues_of(text).case == "transfer_not_received"


def test_the_payees_case_is_read_only_for_payment_complaints():
    text = "对方说已经转给我了，但我一直没收到"
    assert cues_of(text, "other").case is None and cues_of(text, "data_error").case is None


@pytest.mark.parametrize(
    ("text", "account"),
    [
        ("租客用建行转了3000元给我，我的招行卡一直没到账", "招商银行"),
        ("对方说转给我了，我这边的工行卡一直没收到", "工商银行"),
        ("租客用建行转给我3000，一直没到账", None),  # the payer's bank, not the writer's
        ("朋友说微信转给我500块了，我零钱里没收到", "微信"),
        ("对方说支付宝转给我了，我的银行卡没收到", None),  # the card's bank is unnamed
        ("客户说通过支付宝给我转了800，我的微信一直没收到", "微信"),  # (支付宝: the payer's)
        ("对方用微信转给我了，我支付宝里一直没到账", "支付宝"),
    ],
)
def test_the_account_a_payee_keeps_the_money_in(text, account):
    cues = cues_of(text)
    assert cues.case == "transfer_not_received" and cues.account == account
    assert cues_of("我转给房东3000元，房东说没收到").account is None  # only a payee's


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("微信提现500元到银行卡，显示成功，但卡里没有", "cashout_not_arrived"),
        ("支付宝提现2000，三天了银行卡一分没进", "cashout_not_arrived"),
        ("给妈妈转了500元生活费，她说一分钱都没收到", "transfer_not_arrived"),
        ("转给房东3000，他说卡里还没有。", "transfer_not_arrived"),
        ("微信零钱提现到银行卡，显示成功，卡里还是没有", "cashout_not_arrived"),
        ("朋友说微信转给我500块了，零钱里没有", "transfer_not_received"),
    ],
)
def test_money_said_to_be_missing_in_so_many_words_has_not_arrived(text, case):
    assert cues_of(text).case == case


def test_an_empty_card_after_sending_money_is_no_missing_transfer():
    assert cues_of("我转账给朋友，结果我卡里没有钱了").case is None  # a balance, not the transfer


@pytest.mark.parametrize(
    "text",
    [
        "我从支付宝转到我的建行卡，一直没到账",
        "把微信零钱转到我的银行卡里，到现在都没到",
        "我用网银转到我本人的另一张卡上，钱扣了但是没到",
    ],
)
def test_money_the_writer_moved_between_their_own_accounts_is_no_payees_case(text):
    # no 对方 to ask for a receipt: the writer holds the debit and the serial number
    assert cues_of(text).case != "transfer_not_received"
