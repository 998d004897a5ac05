"""Reasons a reader can follow: words and phrases of the original text, the raw features kept.

The same reasons from every engine is checked in tests/test_equivalence.py.
"""

import csv

import pytest

from classifier import classify
from classifier.engine.reasons import readable_reasons
from classifier.text.normalize import PLACEHOLDERS
from classifier.text.tokenizer import JiebaTokenizer


def _texts(root):
    with open(root / "data" / "sample_complaints.csv", encoding="utf-8") as fh:
        sample = [row["投诉内容"] for row in csv.DictReader(fh)]
    return [t for t in sample if t] + [
        "爱奇艺会员视频黑屏了两个小时",
        "游戏卡了四十分钟，充了648元",
        "订单2023112812345678被扣了199元却显示支付失败",
        "付款顯示失敗，ＡＰＰ扣了１９９元！！",
        "arg payment failed but charged 30 yuan",
    ]


@pytest.fixture(scope="module")
def results(root):
    texts = _texts(root)
    return list(zip(texts, classify(texts)))


def test_no_reason_shows_a_placeholder_or_private_use_character(results):
    for text, result in results:
        for reason in result.reasons:
            assert "<" not in reason.term and ">" not in reason.term, (text, reason)
            assert not any("\ue000" <= c <= "\uf8ff" for c in reason.term), (text, reason)


def test_every_reason_is_words_of_the_text(results):
    tokenizer = JiebaTokenizer()
    for text, result in results:
        words = set(tokenizer(text)) | set(text.split())
        for reason in result.reasons:
            assert reason.term in text, (text, reason.term)  # the original spelling, not normalised
            if len(reason.term) == 1:
                assert reason.term in words, (text, reason.term)  # a one-character word, not a fragment


def test_no_term_twice_and_strongest_first(results):
    for _, result in results:
        terms = [r.term for r in result.reasons]
        assert len(terms) == len(set(terms))
        assert not any(a != b and a in b for a in terms for b in terms), terms
        weights = [round(r.weight, 9) for r in result.reasons]
        assert weights == sorted(weights, reverse=True)
        assert len(result.reasons) <= 5


def test_placeholders_become_what_they_replaced():
    reasons = classify("付款显示失败但银行卡扣了199元").reasons
    money = [r for r in reasons if "words__<money>" in r.features]
    assert money, [r.term for r in reasons]  # the amount is one of the reasons
    assert all("199元" in r.term and "<money>" not in r.term for r in money)


def test_raw_features_are_kept_for_json():
    data = classify("爱奇艺会员视频黑屏了两个小时").to_dict()
    first = data["reasons"][0]
    assert "黑屏" in first["term"] and any("黑屏" in f for f in first["features"])
    assert all(f.startswith(("words__", "chars__")) for r in data["reasons"] for f in r["features"])
    assert not any(c in f for r in data["reasons"] for f in r["features"] for c in PLACEHOLDERS)


def test_readable_reasons_merge_overlapping_ngrams():
    from classifier.advice.result import Reason

    raw = [
        Reason("了四", 0.3, ("chars__了四",)),
        Reason("四十", 0.2, ("chars__四十",)),
        Reason("卡", 0.1, ("words__卡",)),
    ]
    shown = readable_reasons("游戏卡了四十分钟", raw, JiebaTokenizer(normalize=False))
    assert [r.term for r in shown] == ["四十分钟", "游戏卡"]  # 卡 inside the word 游戏卡
    assert shown[0].features == ("chars__了四", "chars__四十") and shown[0].weight == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("付款失败扣了2万", "2万"),
        ("提现1万三天没到账", "1万"),
        ("付款失败扣了1.5万", "1.5万"),
        ("转账转了3千5一直没到账", "3千5"),
        ("11月3号晚上8点半美团支付失败，微信扣了两千三", "两千三"),
    ],
)
def test_a_number_in_a_reason_is_shown_whole(text, number):
    # 扣了2 of 扣了2万 read as ¥2, 提现1 and 万三天没到账 of 提现1万三天没到账 as ¥1 and nonsense
    terms = [r.term for r in classify(text).reasons]
    numbered = [t for t in terms if any(c.isdigit() or c in "千万" for c in t)]
    assert numbered and all(number in t for t in numbered), terms


def test_no_reason_holds_a_lone_surrogate():
    # half an emoji in a DataFrame's cell: a reason holding it could not be stored as a string
    # (classify_frame raised UnicodeEncodeError) nor written as UTF-8
    import pandas as pd

    from classifier import classify_frame

    texts = ["名积E\r\ud800B", "付款失败\ud83d扣了199元"]
    for result in classify(texts):
        assert all(not any("\ud800" <= c <= "\udfff" for c in r.term) for r in result.reasons)
    out = classify_frame(pd.DataFrame({"text": pd.Series(texts, dtype=object)}), text_column="text")
    assert len(out) == 2


def test_a_vocabularys_terms_at_once_are_its_terms_one_by_one(lean):
    from classifier.engine.reasons import display_term, display_terms

    terms = display_terms(lean.meta["word_terms"], lean.meta["char_terms"])
    assert terms == [display_term.__wrapped__(lean.feature_name(i)) for i in range(len(terms))]


def test_the_kernel_reads_each_tokens_flags_as_the_python_path_tests_them():
    from classifier.engine import reasons

    tokens = ["扣了", "，", "7", "两个", " ", "\ue008", "\ue001", "的", "😀", "abc"]
    flags = reasons.token_flags(tokens).tolist()
    for token, value in zip(tokens, flags):
        assert value >> reasons.TOKEN_SHIFT == len(token)
        assert bool(value & reasons.TOKEN_PUNCTUATION) == reasons._is_punctuation(token)
        assert bool(value & reasons.TOKEN_FILLER) == reasons._is_filler(token)
        assert bool(value & reasons.TOKEN_COUNT) == reasons._is_count(token)
        assert bool(value & reasons.TOKEN_SPACE) == token.isspace()
    assert reasons.token_flags(tokens).tolist() == flags  # the second time from memory
