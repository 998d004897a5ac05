import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.text.alignment import Anchors, normalize_aligned_many
from classifier.text.normalize import normalize_aligned, normalize_many

# characters that make the rules, the conversions and the pieces between placeholders
# interesting: digits and money units, separators, a repeated word, whitespace, full-width and
# traditional characters, a character that decomposes into several (㍱), a placeholder itself
_ALPHABET = list("扣了元块１９0 8\t\u3000.,，:/-¥$万v版月日号点年%Ａb頁開㍱\ue001工单扣钱1") + [
    "扣了",
    "199元",
    "工单12345678",
    "。\ue000。",  # the mark that joins a batch's texts
]


def _one_by_one(texts, traditional=True):
    normalized = normalize_many(texts, traditional=traditional)
    return normalized, [
        normalize_aligned(text, traditional=traditional, expected=expected)
        for text, expected in zip(texts, normalized)
    ]


def _same(batch, single):
    return [None if a is None else (a[0], list(a[1])) for a in batch] == [
        None if a is None else (a[0], list(a[1])) for a in single
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_ALPHABET), max_size=12).map("".join), min_size=2, max_size=6),
    st.booleans(),
)
def test_a_batch_is_aligned_as_each_text_alone(texts, traditional):
    normalized, single = _one_by_one(texts, traditional)
    assert _same(normalize_aligned_many(texts, normalized, traditional=traditional), single)


@pytest.mark.parametrize(
    "text",
    [
        "扣了199元又扣了199元",  # the same amount twice: the piece between them is found once
        "1元1元1元",  # pieces that could be placed in more than one way: left to normalize_aligned
        "工单61706749，777元",  # two placeholders with a comma between them
        "扣了199元，工单号12345678，10:30",
        "頁面打不開，扣了１９９元",  # full-width digits and traditional characters
        "扣了 199 元  然后黑屏",  # a run of whitespace: left to normalize_aligned
        "升级 family\tplan 扣了 199 元",  # lone whitespace characters: read off, each a space
        "黑屏",
    ],
)
def test_complaints_are_aligned_as_each_alone(text):
    texts = [text, "扣了5元", "昨天10点黑屏"]
    normalized, single = _one_by_one(texts)
    assert _same(normalize_aligned_many(texts, normalized), single)
    assert single[0] is not None


def test_anchors_give_each_characters_origin():
    # "扣了\ue001!" from "扣了１９９元！": the placeholder from 2 to 6, "!" after it
    origins = Anchors([(2, 2, 6, 6)], length=4).origins()
    assert list(origins) == [(0, 1), (1, 2), (2, 6), (6, 7)]
    assert origins.starts[1:3] == [1, 2] and origins.ends[-1] == 7
    with pytest.raises(IndexError):
        origins.starts[4]


def test_most_complaints_are_read_off_without_running_the_rules_again(monkeypatch):
    texts = [
        "扣了１９９元！",
        "工单61706749，777元",
        "頁面打不開，扣了199元又扣了199元",
        "10点到12点一直黑屏",
    ]
    normalized, single = _one_by_one(texts)
    monkeypatch.setattr("classifier.text.alignment.normalize_aligned", pytest.fail)
    assert _same(normalize_aligned_many(texts, normalized), single)


def test_a_text_holding_the_mark_that_joins_a_batch_leaves_the_others_their_own_origins():
    texts = ["黑屏。\ue000。扣了12元", "扣了5元", "扣了3元"]
    normalized, single = _one_by_one(texts)
    assert _same(normalize_aligned_many(texts, normalized), single)


def test_lone_spaces_are_read_off_without_the_rules(monkeypatch):
    """A text whose whitespace characters stand alone (not at its ends) is read off like one with
    none; a run of them or one at an end goes to normalize_aligned."""
    from classifier.text import alignment

    texts = ["升级 family plan 扣了 199 元", "a\tb 扣了5元"]
    normalized, single = _one_by_one(texts)
    asked = []
    monkeypatch.setattr(alignment, "normalize_aligned", lambda text, **_: asked.append(text))
    assert _same(normalize_aligned_many(texts, normalized), single)
    assert _same([alignment.aligned_text(texts[0], normalized[0])], single[:1])
    assert asked == []
    normalize_aligned_many(["扣了  199元", " 黑屏 了"], normalize_many(["扣了  199元", " 黑屏 了"]))
    assert asked == ["扣了  199元", " 黑屏 了"]


def test_each_text_s_origins_are_made_when_its_turn_comes(monkeypatch):
    """normalize_aligned_each gives normalize_aligned_many's results, making a text's origins
    only when the caller asks for it (a batch's are never all held at once)."""
    from classifier.text import alignment

    texts = ["扣了１９９元！", "工单61706749，777元", "升级 family plan 扣了 199 元", "黑屏"]
    normalized = normalize_many(texts)
    made = []
    original = alignment.Anchors.origins
    monkeypatch.setattr(alignment.Anchors, "origins", lambda self: made.append(self) or original(self))
    each = alignment.normalize_aligned_each(texts, normalized)
    assert _same([next(each)], normalize_aligned_many(texts[:1], normalized[:1]))
    assert len(made) == 2  # the first text's, then its check through normalize_aligned_many
    assert _same([next(each), *each], normalize_aligned_many(texts[1:], normalized[1:]))
