"""The kernel's spelling of reasons (cc_spell) against Python's (reasons._shown), to the bit."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.engine import kernel as native
from classifier.engine import kernel_spelling, reasons
from classifier.engine.lean import KERNEL
from classifier.text.normalize import Origins

# texts that take each of cc_spell's turns: amounts and dates (anchors), runs of spaces, spaces
# at the ends, full-width forms, traditional characters, a term said twice, a term inside a
# longer one, and texts it leaves to Python (a tab, a newline, a private-use character)
_TEXTS = [
    "付款显示失败但银行卡扣了199元",
    "  银行卡  扣了 199 元，  页面  一直打不开  ",
    "扣了１９９元！！頁面打不開，銀行卡扣款兩次",
    "扣钱扣钱扣钱，又扣钱了，支付失败支付失败",
    "会员开了视频一直黑屏，黑屏，黑屏了三个小时，2024年3月2日 晚上8点",
    "订单号 1234567890123 付款 失败 ，客服电话 13800138000 打不通",
    "扣了199元\t页面打不开",
    "扣了199元\n页面打不开",
    "扣了\ue0ff199元页面打不开",
    "ATM吞卡了，取款2000元没出钞，账户却扣了",
    "充值100元游戏币没到账 充值 100 元 到账 0",
]


@pytest.fixture
def with_kernel(lean):
    if native.kernel() is None:
        pytest.skip(f"no kernel: {native.kernel_status()}")
    assert lean.engine_for(2, reasons=True) == KERNEL
    return lean


def _in_python(model, texts, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(kernel_spelling, "spell", lambda *args: None)
        return model.score_texts(texts, reasons=True)[1]


def _spelled_rows(model, texts, monkeypatch):
    """How many rows cc_spell spelled itself."""
    counts = []
    spell = kernel_spelling.spell

    def counted(*args):
        spelled = spell(*args)
        counts.extend(spelled.counts.tolist())
        return spelled

    with monkeypatch.context() as patched:
        patched.setattr(kernel_spelling, "spell", counted)
        model.score_texts(texts, reasons=True)
    return sum(n >= 0 for n in counts)


def test_the_kernel_spells_reasons_as_python_does(with_kernel, corpus, monkeypatch):
    texts = corpus["text"].sample(1500, random_state=11).tolist() + _TEXTS
    spelled = with_kernel.score_texts(texts, reasons=True)[1]
    assert spelled == _in_python(with_kernel, texts, monkeypatch)  # terms, weights (==) and features
    assert _spelled_rows(with_kernel, texts, monkeypatch) >= 0.95 * len(texts)


def test_one_text_is_spelled_as_in_a_batch(with_kernel, monkeypatch):
    # one text is spelled by Python (cc_spell's call costs more than it saves), a batch in C
    batch = _TEXTS * 2
    assert _spelled_rows(with_kernel, batch, monkeypatch) >= len(batch) / 2
    in_a_batch = with_kernel.score_texts(batch, reasons=True)[1]
    assert [with_kernel.score_texts([text], reasons=True)[1][0] for text in batch] == in_a_batch
    assert _spelled_rows(with_kernel, _TEXTS[:1], monkeypatch) == 0


def test_texts_it_cannot_spell_are_left_to_python(with_kernel, monkeypatch):
    # not printable (a tab, a newline, a private-use character): Python spells them
    odd = [t for t in _TEXTS if not t.isprintable()] * kernel_spelling.SPELL_MIN
    assert len(odd) == 3 * kernel_spelling.SPELL_MIN and _spelled_rows(with_kernel, odd, monkeypatch) == 0
    assert with_kernel.score_texts(odd, reasons=True)[1] == _in_python(with_kernel, odd, monkeypatch)


def test_weights_too_close_to_order_are_left_to_python():
    # two terms 1e-9 apart: cc_spell does not round, it hands the row back
    text = "扣钱，黑屏"
    spelled = _spell_alone(text, [(0, 2, 0.3, ("f0",)), (3, 5, 0.3 + 1e-9, ("f1",))])
    assert spelled is not None and spelled.counts.tolist() == [-1]
    spelled = _spell_alone(text, [(0, 2, 0.3, ("f0",)), (3, 5, 0.4, ("f1",))])
    assert spelled.counts.tolist() == [2] and spelled.starts[:2].tolist() == [3, 0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="付款失败扣了钱元页面打不开黑屏 ，。!a1２９😀𠮷頁開\t\n\ue0ff", max_size=50),
        min_size=kernel_spelling.SPELL_MIN,
        max_size=16,
    )
)
def test_any_batch_is_spelled_as_python_spells_it(lean, texts):
    if native.kernel() is None:
        pytest.skip(f"no kernel: {native.kernel_status()}")
    spelled = lean.score_texts(texts, reasons=True)[1]
    original = kernel_spelling.spell
    kernel_spelling.spell = lambda *args: None
    try:
        assert spelled == lean.score_texts(texts, reasons=True)[1]
    finally:
        kernel_spelling.spell = original


def test_a_lone_surrogate_leaves_the_batch_to_python(with_kernel):
    found = kernel_spelling.Found(1)
    assert kernel_spelling.spell(native.kernel().spell, ["扣\ud800钱"], ["扣钱"], ["扣钱"], found, 5) is None
    assert np.array_equal(found.phrase_counts, [0])


_PRINTABLE = st.text(alphabet="扣钱黑屏页面打不开 a,。1２9.万k两千三零点", min_size=1, max_size=24)


@settings(max_examples=300, deadline=None)
@given(_PRINTABLE, st.data())
def test_any_phrases_are_spelled_as_python_spells_them(text, data):
    # phrases anywhere in a printable text (spaces at their ends, inside one another, said twice)
    # with weights that sum in any order: cc_spell's reasons are _shown's, or it hands the row back
    if native.kernel() is None:
        pytest.skip(f"no kernel: {native.kernel_status()}")
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))), min_size=1, max_size=8)
    )
    spans = [(start, end) for start, end in spans if start < end]
    # sums of distinct weights differ by more than 1e-8, but where 1e-9 is added
    weights = data.draw(
        st.lists(
            st.sampled_from([0.11, 0.23, 0.37, 0.52, 0.71, 1e-9]), min_size=len(spans), max_size=len(spans)
        )
    )
    phrases = [
        (start, end, weight, (f"f{i}",)) for i, ((start, end), weight) in enumerate(zip(spans, weights))
    ]
    spelled = _spell_alone(text, phrases)
    assert spelled is not None
    expected = reasons._shown(text, Origins(range(len(text)), range(1, len(text) + 1)), phrases, 5)
    if spelled.counts[0] >= 0:
        assert kernel_spelling._ShownLists(spelled, 5).reasons(text, 0, phrases) == expected
    else:  # not spelled: digits other than ASCII's, a phrase cut inside a number, or two terms'
        # weights within 1e-8
        cut = any(_cuts_a_number(text, at) for start, end, *_ in phrases for at in (start, end))
        assert kernel_spelling._OTHER_DIGITS.search(text) or cut or len(expected) > 1


def _cuts_a_number(text, at):
    pair = text[at - 1 : at + 1] if 0 < at < len(text) else ""
    digits = all(c.isascii() and c.isdigit() or c in reasons._IN_A_NUMBER for c in pair)
    return len(pair) == 2 and (digits or all(c in reasons._CN_NUMERALS for c in pair))


def test_cc_spell_knows_the_characters_of_a_number_python_widens_to():
    # the C side's lists (in_a_number, in_a_cn_number) are reasons._IN_A_NUMBER and _CN_NUMERALS
    source = native.SOURCE.read_text("utf-8")
    body = source[source.index("static int in_a_number") : source.index("static int cuts_a_number")]
    quoted = set(re.findall(r"c == '(.)'", body)) | {
        chr(int(h, 16)) for h in re.findall(r"c == (0x[0-9A-F]+)", body)
    }
    assert quoted - set("0123456789") == reasons._IN_A_NUMBER
    numerals = body[body.index("numerals[] = {") : body.index("};")]
    assert {chr(int(h, 16)) for h in re.findall(r"0x[0-9A-F]+", numerals)} == reasons._CN_NUMERALS


def _spell_alone(text, phrases):
    """cc_spell of one text whose normalised text is itself, with these phrases."""
    found = kernel_spelling.Found(1)
    found.phrase_counts[0] = len(phrases)
    for i, (start, end, weight, _) in enumerate(phrases):
        found.phrase_starts[i], found.phrase_ends[i], found.phrase_weights[i] = start, end, weight
    return kernel_spelling.spell(native.kernel().spell, [text], [text], [text], found, 5)


def _spelled_alone(text, phrases):
    spelled = _spell_alone(text, phrases)
    return kernel_spelling._ShownLists(spelled, 5).reasons(text, 0, phrases)


def test_a_space_at_a_terms_end_is_no_part_of_it(with_kernel):
    # "扣钱 " is "扣钱", said twice: one reason, its features in the order they were seen
    text = "扣钱 黑屏"
    phrases = [(0, 2, 0.1, ("f0",)), (0, 3, 0.3, ("f1",)), (3, 5, 0.2, ("f2",))]
    shown = _spelled_alone(text, phrases)
    assert [(r.term, r.features) for r in shown] == [("扣钱", ("f0", "f1")), ("黑屏", ("f2",))]
    assert shown == reasons._shown(text, Origins(range(5), range(1, 6)), phrases, 5)
