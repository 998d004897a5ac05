import pickle
import re

import pytest

from classifier.errors import InvalidInputError
from classifier.text.concepts import CONCEPTS, TAG_MARK, TAGS, concept_tags
from classifier.text.normalize import normalize_text
from classifier.text.tokenizer import NOT_A_WORD, JiebaTokenizer


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # the same story in different words gets the same tags
        ("银行卡扣了钱，会员没开通", ["§付款", "§扣钱", "§金额", "§权益", "§未到"]),
        ("信用卡被扣了，套餐没生效", ["§付款", "§扣钱", "§权益", "§未到"]),
        ("页面一直打不开", ["§显示", "§仍然", "§用不了"]),
        ("积分全没了", ["§记录", "§不见"]),
        ("自己不小心删了", ["§自己", "§自己", "§不见"]),
        ("快递三天了还没到", ["§商品", "§时长", "§未到"]),
        ("今天天气不错", []),
    ],
)
def test_tags_name_what_the_phrases_are(text, tags):
    assert concept_tags(normalize_text(text)) == tags


def test_amounts_are_tagged_after_normalisation():
    assert concept_tags(normalize_text("扣了199元")) == ["§扣钱", "§金额"]


def test_every_concept_pattern_compiles_and_matches_nothing_empty():
    for name, pattern in CONCEPTS.items():
        assert re.fullmatch(pattern, "") is None, name
        assert TAG_MARK + name in TAGS


def test_tags_are_words_to_the_vectorizer_but_the_segmenter_never_makes_one():
    assert all(not NOT_A_WORD.match(tag) for tag in TAGS)
    tok = JiebaTokenizer(concepts=True)
    # a text that spells a tag gets the tag's characters cut apart, and its own tags after them
    assert not set(tok("§扣钱 §未到")[:-2]) & TAGS
    assert tok("扣了199元") == ["扣了", "<money>", "§扣钱", "§金额"]


def test_the_tokenizer_adds_tags_only_when_asked():
    plain, tagged = JiebaTokenizer(), JiebaTokenizer(concepts=True)
    text = "支付宝扣了199元却显示支付失败"
    assert tagged(text)[: len(plain(text))] == plain(text)
    assert tagged(text)[len(plain(text)) :] == concept_tags(normalize_text(text))
    # models saved before tags existed keep their settings and fingerprints
    assert "concepts" not in plain.settings() and tagged.settings()["concepts"] is True
    assert plain.fingerprint() != tagged.fingerprint()
    assert "concepts=True" in repr(tagged) and "concepts" not in repr(plain)


def test_a_joined_batch_has_each_texts_tags_before_its_newline():
    tok = JiebaTokenizer(normalize=False, concepts=True)
    texts = [normalize_text(t) for t in ["扣了钱没到账", "", "页面打不开", "你好"]]
    raw = tok.cut_joined(texts)
    per_text: list[list[str]] = [[]]
    for token in raw:
        if token == "\n":
            per_text.append([])
        else:
            per_text[-1].append(token)
    assert [[t for t in words if t in TAGS] for words in per_text] == [concept_tags(t) for t in texts]
    # the words of each text, filtered as __call__ filters them, come out the same
    assert [[t for t in words if not NOT_A_WORD.match(t)] for words in per_text] == [tok(t) for t in texts]


def test_a_newline_the_caller_did_not_normalise_away_is_refused():
    with pytest.raises(InvalidInputError):
        JiebaTokenizer(normalize=False, concepts=True).cut_joined(["扣了\n钱"])
    with pytest.raises(InvalidInputError):  # the segmenter joins \r\n into one token
        JiebaTokenizer(normalize=False, concepts=True).cut_joined(["扣了\r", "钱"])


def test_a_tokenizer_pickled_before_concepts_existed_has_them_off():
    tok = JiebaTokenizer()
    state = tok.__getstate__()
    del state["concepts"]
    old = JiebaTokenizer.__new__(JiebaTokenizer)
    old.__setstate__(state)
    assert old.concepts is False and old == pickle.loads(pickle.dumps(tok))


def _reference(text):
    from classifier.text import concepts

    return [concepts._TAGS[m.lastgroup] for m in concepts._REFERENCE.finditer(text)]


def test_the_fast_lexicon_reads_every_text_as_the_reference_does(corpus):
    import random

    from classifier.text import concepts
    from classifier.text.normalize import normalize_many

    texts = normalize_many(corpus["text"].tolist())
    # strings made of the lexicon's own characters, digits, placeholders and near misses overlap
    # its phrases far more often than real text does
    alphabet = sorted(
        set("".join(concepts.CONCEPTS.values())) - set("\\()|?:[]<=*{},")
        | set("0123456789\ue001\ue008受还解١٢")
    )
    rng = random.Random(0)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(30_000)]
    assert [concept_tags(t) for t in texts] == [_reference(t) for t in texts]
    # every alternative of the fast lexicon starts with a literal character (what makes it fast)
    assert all(not led.startswith(("(", "[", "\\d")) for _, led in concepts._LED)


def test_digits_other_than_0_to_9_are_read_by_the_reference():
    text = "等了٣天还没到账"  # an Arabic-Indic 3, which \d matches and 0-9 does not
    assert concept_tags(text) == _reference(text) == ["§时长", "§未到"]


def test_a_pattern_that_cannot_be_led_by_a_literal_is_refused_at_import():
    from classifier.text.concepts import _literal_led

    with pytest.raises(ValueError, match="literal"):
        _literal_led("(?:a|b)?c")
    assert _literal_led("(?:没|未)(?:到|变)") == ["没(?:到|变)", "未(?:到|变)"]
    assert _literal_led("(?<=[付充])不了") == ["不(?<=[付充]不)了"]


def test_the_same_text_asked_again_gets_its_own_list():
    """classify() asks twice for one text's tags (tokenizer, then guard): the second answer is
    the first's, and changing one list changes no later answer."""
    text = "银行卡扣了199元，会员还没到账"
    first = concept_tags(text)
    first.append("§改了")
    assert concept_tags(text) == ["§付款", "§扣钱", "§金额", "§权益", "§未到"]
    assert concept_tags("不小心多按了一个0") == ["§自己", "§自己"]
    assert concept_tags(text) == ["§付款", "§扣钱", "§金额", "§权益", "§未到"]


def test_alternatives_are_grouped_by_their_lead_character_in_order():
    from classifier.text.concepts import _grouped

    pattern, tags = _grouped([("§a", "扣款"), ("§b", "付款"), ("§c", "扣了"), ("§d", "\\ue001")])
    assert pattern == "扣(?:款()|了())|付(?:款())|\\ue001(?:())"  # 扣 and 付 are common leads: first
    assert tags == ["", "§a", "§c", "§b", "§d"]
    with pytest.raises(ValueError, match="quantified lead"):
        _grouped([("§a", "扣?款")])
