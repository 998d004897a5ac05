import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.text.normalize import (
    PLACEHOLDERS,
    Origins,
    normalize_aligned,
    normalize_text,
    simplified_converter,
)

P = {name: char for char, name in PLACEHOLDERS.items()}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＰＰ闪退", "app闪退"),  # full-width Latin → half-width, lower case
        ("付款顯示失敗", "付款显示失败"),  # traditional → simplified
        ("扣了199元", "扣了" + P["<money>"]),
        ("扣了￥1,299.00", "扣了" + P["<money>"]),
        ("单号61706749，777元", "单号" + P["<orderno>"] + "," + P["<money>"]),  # no thousands comma
        ("扣了$10，信用卡", "扣了" + P["<money>"] + ",信用卡"),  # the comma after an amount stays
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


def _shown_spans(text: str) -> list[tuple[str, str]]:
    """Each normalised character beside the original characters it comes from."""
    aligned = normalize_aligned(text)
    assert aligned is not None
    normalized, origins = aligned
    return [(char, text[start:end]) for char, (start, end) in zip(normalized, origins)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＰＰ闪退！", [("a", "Ａ"), ("p", "Ｐ"), ("p", "Ｐ"), ("闪", "闪"), ("退", "退"), ("!", "！")]),
        ("扣了１９９元", [("扣", "扣"), ("了", "了"), (P["<money>"], "１９９元")]),
        ("頁面12306", [("页", "頁"), ("面", "面"), *zip("12306", "12306")]),  # service numbers stay
        ("㍱坏", [("h", "㍱"), ("p", "㍱"), ("a", "㍱"), ("坏", "坏")]),  # one character → three
        ("扣\ue100款", [("扣", "扣"), ("款", "款")]),  # a stray private-use character dropped
        (" 多个 \u3000 空格\n", [("多", "多"), ("个", "个"), (" ", " "), ("空", "空"), ("格", "格")]),
        (
            "见https://a.cn/x 后2023年5月1日扣",
            [
                ("见", "见"),
                (P["<url>"], "https://a.cn/x"),
                (" ", " "),
                ("后", "后"),
                (P["<date>"], "2023年5月1日"),
                ("扣", "扣"),
            ],
        ),
    ],
)
def test_aligned_characters_come_from_their_original(raw, expected):
    assert _shown_spans(raw) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("扣了元块１９0 8\t\u3000.,，:/-¥$万v版月日号点年%Ａb①㍱½頁開\ue001\ue100İ")
        )
        | st.characters(),
        max_size=40,
    )
)
def test_alignment_agrees_with_normalize_text(text):
    aligned = normalize_aligned(text)
    if aligned is None:  # a conversion that changes a phrase's length: nothing to align
        assert normalize_aligned(text, expected=normalize_text(text)) is None
        return
    normalized, origins = aligned
    assert normalized == normalize_text(text)
    assert len(origins) == len(normalized)
    assert all(0 <= start < end <= len(text) for start, end in origins)
    assert [start for start, _ in origins] == sorted(start for start, _ in origins)
    assert normalize_aligned(text, expected=normalized) == aligned


def test_origins_read_as_pairs():
    origins = Origins([0, 2], [2, 3])
    assert origins[1] == (2, 3) and origins[:1] == [(0, 2)] and origins == [(0, 2), (2, 3)]


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("扣款失败頁面打不開會員没到账钱ＡＢab，。！？：；（）【】「」…—～·“”")
            + [
                "😡",
                "\u0301",
                "İ",
                "㎏",
                "\u3000",
                "\u200b",
                "\ue00a",
                "\ufeff",
                "Ⅻ",
                "ｶ",
                "ﾞ",
                "乾",
                "隆",
                "后",
                "\u302a",  # CJK tone marks: combining, so NFKC reorders runs of them
                "\u302b",
                "\u302f",
            ]
        ),
        max_size=30,
    )
)
def test_texts_normalised_character_by_character_take_the_short_way_to_the_same_origins(text):
    # normalize_aligned(text, expected=…) skips the alignment where each character of the
    # normalised text comes from the one in its place; the long way must say the same
    normalized = normalize_text(text)
    assert normalize_aligned(text, expected=normalized) == normalize_aligned(text)


def test_every_plain_character_normalises_to_one_character_that_does_not_combine():
    # the short way's whitelist, character by character: a character that combines could be
    # reordered by NFKC, one that becomes several or none would shift every origin after it
    import unicodedata

    from classifier.text.normalize import _PLAIN, _compat_expanding

    plain = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and _PLAIN.fullmatch(chr(c))]
    assert len(plain) > 30_000
    assert all(unicodedata.combining(char) == 0 for char in plain)
    single = [char for char in plain if not _compat_expanding().search(char)]  # (… and the like: ruled out)
    assert all(len(unicodedata.normalize("NFKC", char).lower()) == 1 for char in single)
