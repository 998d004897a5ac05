import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.normalize import PLACEHOLDERS, normalize_many, normalize_text

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


# characters every normalisation step cares about: full-width forms, digits and units the
# placeholder rules read, whitespace, combining marks, private-use and placeholder characters
_TRICKY = (
    "０１２３４５６７８９ＡＢｃ，。！？（）…①㎡é\u0301ＷＷＷ．元块圆月日号点分钟半版儿 \t\n\r"
    "0123456789-/.:：年abchtpsvw¥$万千百一二三两十\ue000\ue001\ue005Σσ扣钱付款失败開頁麵"
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_TRICKY, max_size=40), max_size=30))
def test_normalizing_many_at_once_equals_one_at_a_time(texts):
    assert normalize_many(texts) == [normalize_text(t) for t in texts]


def test_normalizing_many_on_the_corpus(corpus):
    texts = corpus["text"].tolist()
    assert normalize_many(texts) == [normalize_text(t) for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=_TRICKY + "\ud800", max_size=1500))
def test_fast_nfkc_is_nfkc(text):
    import unicodedata

    from classifier.normalize import _nfkc

    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=_TRICKY + "٣𝟎😀𐒠付款", min_size=900, max_size=2500))
def test_island_spans_of_long_text_are_the_regex_spans(text):
    from classifier.normalize import _ISLAND, _island_spans

    assert _island_spans(text) == [m.span() for m in _ISLAND.finditer(text)]
