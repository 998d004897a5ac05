import pytest

from classifier.text.normalize import PLACEHOLDERS, normalize_text, simplified_converter

P = {name: char for char, name in PLACEHOLDERS.items()}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＰＰ闪退", "app闪退"),  # full-width Latin → half-width, lower case
        ("付款顯示失敗", "付款显示失败"),  # traditional → simplified
        ("扣了199元", "扣了" + P["<money>"]),
        ("扣了￥1,299.00", "扣了" + P["<money>"]),
        ("扣了１９９元", "扣了" + P["<money>"]),  # full-width digits
        ("被扣一百九十九块", "被扣" + P["<money>"]),
        ("损失1.2万元", "损失" + P["<money>"]),
        ("订单号2023112812345678", "订单号" + P["<orderno>"]),
        ("流水号ab12345678cd", "流水号" + P["<orderno>"]),
        ("电话13812345678", "电话" + P["<phone>"]),
        ("打400-820-8820没人接", "打" + P["<phone>"] + "没人接"),
        ("2023年11月28日扣款", P["<date>"] + "扣款"),
        ("11月3号扣款", P["<date>"] + "扣款"),
        ("2024-05-12扣款", P["<date>"] + "扣款"),
        ("昨晚7点40付款", "昨晚" + P["<time>"] + "付款"),
        ("19:40付款", P["<time>"] + "付款"),
        ("见https://example.com/a?b=1", "见" + P["<url>"]),
        ("更新到v8.0.1后闪退", "更新到" + P["<version>"] + "后闪退"),
        ("等了3天", "等了" + P["<num>"] + "天"),
        ("打12315投诉", "打12315投诉"),  # service numbers stay words
        ("  多个   空格\n换行 ", "多个 空格 换行"),
    ],
)
def test_normalize_golden(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_is_idempotent():
    text = "2023年11月28日在App里付了￥199，訂單號2023112812345678，电话13812345678"
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_input_private_use_and_surrogates_are_dropped():
    assert normalize_text("扣\ue100款\ud800") == "扣款"


def test_options_turn_steps_off():
    assert normalize_text("顯示199元", traditional=False, placeholders=False) == "顯示199元"


def test_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a str"):
        normalize_text(199)


def test_converter_is_built_once():
    assert simplified_converter() is simplified_converter()


# normalize_many, the fast NFKC and the NumPy island finder are checked against their slow
# references in tests/test_equivalence.py
