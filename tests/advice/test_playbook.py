import copy
import json
from importlib import resources

import pytest

from classifier import LABELS, classify
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
    ],
)
def test_validation_rejects_broken_playbooks(raw, mutate):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(PlaybookError):
        parse_playbook(data)


def test_no_step_holds_the_csv_list_separator():
    # the CSV joins a row's steps (and evidence, missing facts) with "；": one inside a step splits it
    for guidance in load_playbook().categories.values():
        for key in ("evidence", "steps", "missing"):
            for item in getattr(guidance, key):
                assert "；" not in item.text, item.text
