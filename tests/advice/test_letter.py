from click.testing import CliRunner

from classifier import classify, letter
from classifier.cli import main

TEXT = "11月28日晚上8点在淘宝用支付宝付款显示失败，但银行卡扣了199元，订单号2023112812345678，三天了还没退，电话13812345678"


def test_letter_contains_the_extracted_facts():
    text = classify(TEXT).letter()
    for fact in ("¥199", "11月28日", "2023112812345678", "淘宝", "支付宝", "三天", "138****5678"):
        assert fact in text, fact
    assert "13812345678" not in text  # the phone number is masked everywhere


def test_letter_has_evidence_clause_deadline_and_escalation():
    text = letter(TEXT)
    assert text.startswith("退款申请")
    assert "《用户服务协议》第＿＿＿＿条" in text
    assert "24 小时内" in text
    assert "12315" in text
    assert "银行卡或支付账户的扣款记录、扣款短信（¥199，11月28日 晚上8点）" in text


def test_missing_facts_are_left_as_blanks():
    text = letter("付款显示失败但是钱被扣了")
    assert "订单号/交易流水号：＿＿＿＿（请补上）" in text
    assert "涉及金额：＿＿＿＿（请补上）" in text


def test_deadline_is_configurable():
    assert "48 小时内" in classify(TEXT).letter(deadline_hours=48)


def test_cli_letter():
    result = CliRunner().invoke(main, ["letter", TEXT, "--deadline-hours", "72"])
    assert result.exit_code == 0
    assert "72 小时内" in result.output and "¥199" in result.output
