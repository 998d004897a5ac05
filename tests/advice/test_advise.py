from classifier import classify
from classifier.advice.advise import advise
from classifier.advice.result import Result


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
    assert r.facts["amounts"] == ["¥299"]
