import copy
import json
from importlib import resources

import pytest

from classifier import LABELS, classify
from classifier.advice.cases import CASES, DELIVERY_CASES, EVERY_CATEGORY_CASES, PAYMENT_CASES
from classifier.advice.playbook import load_playbook, parse_playbook
from classifier.errors import PlaybookError


@pytest.fixture(scope="module")
def raw():
    return json.loads(resources.files("classifier.advice").joinpath("playbook.json").read_text("utf-8"))


def test_categories_match_model_labels_both_ways(default_model):
    playbook = load_playbook()
    assert set(playbook.categories) == set(LABELS)
    assert set(default_model.classes_) == set(playbook.categories)


def test_every_item_names_a_guide_section():
    playbook = load_playbook()
    for guidance in playbook.categories.values():
        for key in ("evidence", "steps", "tips", "levers", "escalation", "cautions"):
            for item in getattr(guidance, key):
                assert item.source in playbook.sections


def test_harmful_advice_is_left_out(raw):
    text = json.dumps(raw, ensure_ascii=False)
    assert "不干胶" not in text


def test_every_category_warns_about_hacker_recovery_scams():
    for label, text in [
        ("payment", "付款显示失败但银行卡扣了199元"),
        ("service_interruption", "会员开了视频一直黑屏"),
        ("data_error", "购物车的商品全没了"),
        ("other", "快递太慢了，客服态度也差"),
    ]:
        result = classify(text)
        assert any("黑客追款" in w and "骗局" in w for w in result.warnings), label


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["categories"].pop("payment"),
        lambda d: d["categories"].__setitem__("refund", d["categories"]["other"]),
        lambda d: d["categories"]["payment"]["steps"][0].__setitem__("source", "网上看来的"),
        lambda d: d["categories"]["data_error"].__setitem__("evidence", []),
        lambda d: d["categories"]["payment"]["cases"]["atm_deposit"].__setitem__("like", "nowhere"),
        lambda d: d["categories"]["payment"]["cases"]["atm_withdrawal"].__setitem__("like", "atm_deposit"),
        lambda d: d["categories"]["payment"]["cases"]["atm_card"].__setitem__("hint", "x"),
        lambda d: d["categories"]["payment"]["cases"]["atm_card"]["letter"].__setitem__("title", "{when}"),
        lambda d: d["categories"]["payment"]["cases"]["transfer_not_arrived"]["steps"][0].pop("source"),
        lambda d: d["categories"]["payment"]["missing"][0].__setitem__("with_time", "没有金额"),  # not a date
        lambda d: d["categories"]["other"]["cases"]["scam"].__setitem__("every_category", "yes"),
        # a case of every category may not be one of another category's too
        lambda d: d["categories"]["payment"]["cases"].__setitem__("scam", {}),
    ],
)
def test_validation_rejects_broken_playbooks(raw, mutate):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(PlaybookError):
        parse_playbook(data)


def test_every_case_the_text_can_show_has_its_advice():
    payment, other = load_playbook().category("payment"), load_playbook().category("other")
    assert set(payment.cases) == {*PAYMENT_CASES, *EVERY_CATEGORY_CASES}
    assert set(other.cases) == {*DELIVERY_CASES, *EVERY_CATEGORY_CASES}
    assert set(CASES) == set(PAYMENT_CASES) | set(DELIVERY_CASES) | set(EVERY_CATEGORY_CASES)
    for label, guidance in load_playbook().categories.items():
        for name in EVERY_CATEGORY_CASES:
            case = guidance.case(name)
            assert case is not guidance and case.label == label, (label, name)
            assert case.steps == other.case(name).steps and case.letter == other.case(name).letter
    for name, case in payment.cases.items():
        if name in EVERY_CATEGORY_CASES:
            continue
        assert case.case(name) is case and payment.case(name) is case
        assert {i.facts[0] for i in case.missing} <= {i.facts[0] for i in payment.missing}, name
    for name, case in other.cases.items():
        assert other.case(name) is case and case.label == "other", name
    assert payment.case(None) is payment and other.case("atm_card") is other
    assert payment.case("parcel_damaged") is payment


def test_a_case_is_the_category_with_its_own_parts():
    payment = load_playbook().category("payment")
    deposit, withdrawal = payment.cases["atm_deposit"], payment.cases["atm_withdrawal"]
    assert deposit.escalation == withdrawal.escalation != payment.escalation  # like atm_withdrawal
    assert deposit.letter.clause == withdrawal.letter.clause != payment.letter.clause
    assert deposit.letter.title != withdrawal.letter.title
    # a case with an escalation of its own uses it for bank cards too
    transfer = payment.cases["transfer_not_arrived"]
    assert transfer.letter.card_escalation == transfer.letter.escalation != payment.letter.card_escalation
    # the payee's case is the sender's where they agree (escalation, the clause) and its own elsewhere
    payee = payment.cases["transfer_not_received"]
    assert payee.escalation == transfer.escalation and payee.letter.clause == transfer.letter.clause
    assert payee.evidence != transfer.evidence and payee.letter.title == "入账查询申请"


def test_no_step_holds_the_csv_list_separator():
    # the CSV joins a row's steps (and evidence, missing facts) with "；": one inside a step splits it
    every = [g for c in load_playbook().categories.values() for g in (c, *c.cases.values())]
    for guidance in every:
        for key in ("evidence", "steps", "missing"):
            for item in getattr(guidance, key):
                assert "；" not in item.text, item.text
