"""detect_encoding: short Big5 files are Big5, short GBK files full of punctuation stay GB18030;
decode_text: one piped text in whatever encoding it came in."""

import pytest

from classifier.charsets import decode_text, detect_encoding

SHORT = ["內容\n付款失敗扣了錢\n會員開了視頻一直黑屏\n", "內容\n付款失敗，扣了錢。\n"]


@pytest.mark.parametrize("text", SHORT)
def test_a_few_words_of_big5_are_big5(text):
    assert detect_encoding(text.encode("big5")) == "big5"


@pytest.mark.parametrize(
    "text",
    [
        "内容\n付款失败扣了钱\n会员开了视频一直黑屏\n",
        "内容\n付款失败，扣了钱。\n“会员”开了：视频一直黑屏！\n",
        "内容\n扣钱\n",
        "编号,投诉内容\n1,购物车的商品全没了，《会员协议》呢？\n",
    ],
)
def test_short_gbk_stays_gb18030(text):
    assert detect_encoding(text.encode("gbk")) == "gb18030"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-32"])
def test_a_piped_text_is_read_in_its_encoding(encoding):
    text = "付款失败，银行卡扣了199元"
    assert decode_text(text.encode(encoding)) == text


def test_a_piped_text_in_big5_and_with_damaged_bytes():
    assert decode_text("付款失敗，扣了錢".encode("big5")) == "付款失敗，扣了錢"
    assert decode_text("付款失败".encode() + b"\xff") == "付款失败\ufffd"
    assert decode_text("付款失败".encode()[:-1], final=False) == "付款失"  # cut inside a character
