"""detect_encoding: short Big5 files are Big5, short GBK files full of punctuation stay GB18030."""

import pytest

from classifier.charsets import detect_encoding

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
