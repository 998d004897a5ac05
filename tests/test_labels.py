"""The names people type for the four labels."""

import pytest

from classifier.errors import ClassifierError
from classifier.labels import LABEL_ALIASES, LABEL_NAMES_EN, LABEL_NAMES_ZH, LABELS, label_of


@pytest.mark.parametrize("label", LABELS)
def test_every_label_is_accepted_by_name_chinese_name_and_english_name(label):
    assert label_of(label) == label
    assert label_of(LABEL_NAMES_ZH[label]) == label
    assert label_of(LABEL_NAMES_EN[label]) == label
    assert label_of(f"  {label.upper()}\t") == label


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("支付", "payment"),
        ("支付系统故障", "payment"),
        ("ｐａｙｍｅｎｔ", "payment"),
        ("服务中断", "service_interruption"),
        ("service interruption", "service_interruption"),
        ("service-interruption", "service_interruption"),
        ("数据错误", "data_error"),
        ("Data Error", "data_error"),
        ("其他", "other"),
        ("其它", "other"),
        ("其他(非系统故障)", "other"),
    ],
)
def test_short_and_variant_forms(typed, label):
    assert label_of(typed) == label


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_blank_is_none(blank):
    assert label_of(blank) is None


def test_anything_else_is_one_clear_error():
    with pytest.raises(
        ClassifierError, match=r"unknown label '支付失败'.*accepted: payment / 支付系统故障 / 支付"
    ):
        label_of("支付失败")
    with pytest.raises(ValueError):
        label_of("pay")


def test_every_alias_maps_to_a_label():
    assert set(LABEL_ALIASES.values()) == set(LABELS)
    for typed, label in LABEL_ALIASES.items():
        assert label_of(typed) == label


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("支付系統故障", "payment"),
        ("服務系統中斷", "service_interruption"),
        ("數據錯誤", "data_error"),
        ("服務中斷", "service_interruption"),
    ],
)
def test_labels_typed_in_traditional_characters_are_read(typed, label):
    # the texts may be traditional (they are read as simplified): a reviewer may type so too
    assert label_of(typed) == label
