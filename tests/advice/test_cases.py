import pytest

from classifier.advice.cases import PAYMENT_CASES, cues_of
from classifier.labels import LABELS


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


@pytest.mark.parametrize(
    "text",
    [
        "有人打电话自称是淘宝客服，说我买的裙子质量有问题要退款，让我开了屏幕共享，卡里6000块被转走了",
        "接到一个冒充京东客服的电话，说要帮我关闭金融服务，我按他说的转了两万到安全账户",
        "对方说要把钱转到安全账户才能解冻，我就转了8500",
        "朋友拉我进群做刷单返利，第一单返了10块，后面垫付了3000就被踢了",
        "在交友软件上被骗转了一万二，对方说带我投资，现在人找不到了",
        "我被骗了，汇了2000元给对方，还能追回来吗",
        "被骗子转走四千，能不能追回",
        "收到短信说包裹丢了可以理赔，点了链接填了银行卡号和验证码，卡里被扣了2600元",
        "一个假冒抖音的网站让我充值，充了300元才发现是假网站",
        "冒充客服说要给我退款，骗了我1500元",
        "有人冒充我表哥借钱，我一着急就在手机银行转了一万",
    ],
)
def test_a_scam_victim_gets_the_scam_case_whatever_the_category(text):
    for label in LABELS:
        assert cues_of(text, label).case == "scam", label


@pytest.mark.parametrize(
    "text",
    [
        # money a platform or a merchant holds: no scam
        "联系淘宝客服申请退款，客服说三天内到账，现在一周了还没到",
        "客服态度很差，退款申请一直不给处理",
        "付款显示失败但银行卡扣了199元",
        "转账显示成功，对方一直没收到",
        # a buyer who feels cheated by a product, or a seller said to fake sales: no fraud
        "衣服和图片完全不一样，感觉被骗了，花了199块",
        "这家店的好评全是刷单刷出来的，东西很差",
        "商品是假冒伪劣，申请退货卖家不理",
        "账号说我涉嫌刷单被封了，我根本没刷过",
        # nobody lost money: a call or a message only, or it was stopped in time
        "有人冒充移动客服打电话让我把钱转到安全账户，差点就信了，挂了之后打10086才知道是假的",
        "每天接到好几个诈骗电话，让我按1转人工，运营商能不能拦一下",
        "有人冒充我在微信上借钱，我的好几个朋友都来问我",
        "开会时屏幕共享一点就提示失败，全组都用不了",
    ],
)
def test_no_scam_case_without_a_scam_that_took_the_writers_money(text):
    for label in LABELS:
        assert cues_of(text, label).case != "scam", label


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        ("被骗了3000块，还能追回来吗", True),  # an amount cheated, wanted back
        ("配件加价两百，白白被骗了一百多", False),  # a buyer overcharged
        ("这个价钱感觉自己受骗了一样，东西一般", False),  # 骗了一样: no amount
        ("为了防诈骗，银行把我的卡冻了，我只是给表姐转了几笔货款", False),  # 防诈骗: no fraud
        ("酒店很难找，千万别受骗上当，绕着楼转了3圈才找到门", False),  # 转了3圈: no money
        ("店家说好半小时送到，结果退了餐还骗了我45块钱", False),  # a shop, no scam scheme
    ],
)
def test_a_scam_is_told_from_a_buyer_who_feels_cheated(text, scam):
    assert (cues_of(text, "other").case == "scam") is scam


@pytest.mark.parametrize(
    "text",
    [
        "大堂经理很耐心，教我妈认出了骗子的电话，钱倒是没被骗走",
        "这手机不像正品，要么是翻新，要么冒充。充一晚上只充了70%",
        "酒店不好找，被骗了100打车费，从大堂右转走30米再左转",
    ],
)
def test_no_scam_case_for_money_kept_a_fake_product_or_a_way_walked(text):
    assert cues_of(text, "other").case != "scam"


@pytest.mark.parametrize(
    "text",
    [
        # a shop's own claims and goods: a refund's or a fake's complaint, not a scam's
        "商家自称是官方旗舰店，我付了1200买的手机，收到发现是翻新机",
        "商家拿高仿冒充正品，我付了500元买的，要求假一赔三",
        "这家店的客服是假客服吧，只会自动回复，我付了399到现在不发货",
        # a refund the shop says it sent, a refund link of the shop's own
        "感觉被骗了，客服说退款已经转了，但我一直没收到",
        "申请退款时客服让我点了退款链接，结果扣了5元手续费，退款还没到",
    ],
)
def test_a_shops_claims_or_its_refund_are_no_scam(text):
    assert cues_of(text, "other").case != "scam" and cues_of(text, "payment").case != "scam"


@pytest.mark.parametrize(
    "text",
    [
        "骗子冒充客服，让我转账了9000元",
        "对方冒充京东客服，让我把钱转到了他给的账户，两万块",
        "有人冒充我们领导，让我转了3万给一个供应商",
        "被骗子骗走了6800，已经报警了",
        "被骗转账5000",  # says itself where the money went
        "网上认识的人让我投资，我被骗转了3000",
    ],
)
def test_a_scam_victim_says_how_the_money_left_in_many_ways(text):
    assert cues_of(text, "other").case == "scam"


def test_a_scam_told_in_traditional_characters_is_read_as_one():
    cues = cues_of("我被騙了，對方冒充客服讓我用招商銀行轉了3000到安全帳戶", "other")
    assert cues.case == "scam" and cues.account == "招商银行"
    # a lone surrogate (a broken emoji) is no reason to fail
    assert cues_of("我被騙了\ud83d，對方冒充客服讓我轉了3000", "other").case == "scam"
