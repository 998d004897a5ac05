"""The compiled kernel: never required, survives a broken compiler, and keeps its C side in step.

Its numbers against the NumPy batch path are checked in tests/test_equivalence.py.
"""

import re

import numpy as np
import pytest

from classifier.engine import kernel as native
from classifier.engine import kernel_reasons, kernel_spelling, reasons, tables
from classifier.engine.guard import Evidence, has_content
from classifier.engine.lean import KERNEL, NUMPY_BATCH, LeanModel
from classifier.errors import LeanUnsupported

C_SOURCE = native.SOURCE.read_text("utf-8")


def _defines() -> dict[str, int]:
    found = {}
    for name, value in re.findall(r"^#define (\w+) (.+?)(?:\s*/\*.*)?$", C_SOURCE, re.M):
        found[name] = int(value.strip("()").removesuffix("ULL"), 0)
    return found


def test_constants_shared_with_c_agree():
    defines = _defines()
    assert defines["EMPTY"] == tables.EMPTY
    assert defines["NOT_WORD"] == tables.NOT_WORD
    assert defines["BREAK"] == tables.BREAK
    assert defines["SEPARATOR"] == ord(tables.SEPARATOR)
    assert defines["FIBONACCI"] == tables.FIBONACCI == int(tables.CodeTable._MULTIPLIER)
    assert defines["MAX_CLASSES"] == native.MAX_CLASSES
    # the longest n-grams the C loops handle are the longest the NumPy tables accept
    assert defines["MAX_CHAR_N"] == 3 and defines["MAX_WORD_N"] == 2
    assert defines["UNKNOWN"] == tables.UNKNOWN
    for name in ("TOKEN_PUNCTUATION", "TOKEN_FILLER", "TOKEN_COUNT", "TOKEN_SPACE", "TOKEN_SHIFT"):
        assert defines[name] == getattr(reasons, name), name
    assert defines["MAX_RAW"] == kernel_reasons.MAX_RAW >= reasons.RAW_REASONS
    assert defines["MAX_SHORTLIST"] == kernel_reasons.MAX_SHORTLIST >= kernel_reasons.SHORTLIST


def _struct(name: str) -> tuple[tuple[str, str], ...]:
    body = re.search(r"typedef struct \{([^{}]*)\} " + name + ";", C_SOURCE).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    fields = []
    for declaration in body.split(";"):
        declaration = declaration.strip()
        if not declaration:
            continue
        kind, names = re.match(r"((?:const )?\w+)\s+(.*)", declaration).groups()
        for field in names.split(","):
            field = field.strip()
            pointer = field.startswith("*")
            assert kind in (
                "int64_t",
                "double",
                "const double",
                "const int64_t",
                "const int32_t",
                "const uint32_t",
                "const uint8_t",
            )
            assert pointer or kind == "int64_t", (kind, field)  # 8-byte fields only: no padding
            fields.append((field.lstrip("*"), "p" if pointer else "i"))
    return tuple(fields)


@pytest.mark.parametrize(
    "c_name, fields, args",
    [
        ("batch_t", native.BATCH_FIELDS, native.BatchArgs),
        ("reasons_t", kernel_reasons.REASONS_FIELDS, kernel_reasons.ReasonsArgs),
        ("spell_t", kernel_spelling.SPELL_FIELDS, kernel_spelling.SpellArgs),
    ],
)
def test_the_structs_python_passes_are_the_structs_c_reads(c_name, fields, args):
    assert _struct(c_name) == fields
    assert [name for name, _ in args._fields_] == [name for name, _ in fields]


def test_what_cc_reasons_writes_has_an_array_of_that_name():
    outputs = kernel_reasons._OUTPUTS
    assert outputs[0] == "raw_counts" and outputs[-1] == "status"
    found = kernel_reasons.Found(3)
    arrays = [getattr(found, name) for name in outputs]
    # the addresses the kernel is given are those of the arrays of those names, which do not overlap
    assert found.addresses() == [kernel_reasons.address_of(array) for array in arrays]
    ends = [address + array.nbytes for address, array in zip(found.addresses(), arrays)]
    assert ends[:-1] == found.addresses()[1:]
    assert all(not array.any() for array in arrays)


def test_a_batchs_entries_are_where_their_addresses_say():
    entries = kernel_reasons.Entries(2, 7, 4)
    assert entries.addresses() == tuple(
        kernel_reasons.address_of(a) for a in (entries.starts, entries.features, entries.terms)
    )
    assert (entries.starts.shape, entries.features.shape, entries.terms.shape) == ((5,), (7,), (7, 4))
    assert not entries.starts.any()  # the rest the kernel writes before it reads
    entries.features[:] = 7
    entries.terms[:] = 1.5
    assert not entries.starts.any() and (entries.features == 7).all()


@pytest.mark.parametrize(
    "array",
    [
        np.arange(10.0),
        np.arange(10.0)[3:],  # a view: its own first element
        np.arange(10.0)[::2],  # not contiguous
        np.zeros(0),  # empty
        np.zeros((0, 4)),
        np.frombuffer(b"abcdefgh", dtype=np.uint8),  # read-only
    ],
    ids=["array", "view", "strided", "empty", "empty 2-d", "read-only"],
)
def test_an_arrays_address_is_its_first_elements(array):
    assert kernel_reasons.address_of(array) == array.ctypes.data


def test_a_machine_without_a_compiler_uses_numpy(model_dir, corpus, monkeypatch):
    monkeypatch.setattr(native, "_compiler", lambda: None)
    native.kernel.cache_clear()
    try:
        assert native.kernel() is None and native.kernel_status() == "no C compiler found"
        model = LeanModel.load(model_dir)
        texts = corpus["text"].head(50).tolist()
        assert model.kernel.tables is None and model.engine_for(50, reasons=False) == NUMPY_BATCH
        assert model.describe()["kernel"] == "no C compiler found"
        np.testing.assert_allclose(
            model.score_texts(texts)[0], model.numpy_batch.score(texts)[0], rtol=0, atol=1e-12
        )
    finally:
        native.kernel.cache_clear()


def test_it_can_be_switched_off_and_a_broken_compiler_is_survived(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPLAINT_CLASSIFIER_NATIVE", "0")
    native.kernel.cache_clear()
    try:
        assert native.kernel() is None and "disabled" in native.kernel_status()
        monkeypatch.delenv("COMPLAINT_CLASSIFIER_NATIVE")
        monkeypatch.setenv("COMPLAINT_CLASSIFIER_CACHE", str(tmp_path))  # nothing compiled yet
        monkeypatch.setenv("CC", "false")  # a "compiler" that always fails
        monkeypatch.setattr(native, "_compiler", lambda: "/bin/false")
        native.kernel.cache_clear()
        assert native.kernel() is None and "could not build" in native.kernel_status()
        assert not list(tmp_path.glob("*.so")) and not list(tmp_path.glob(".kernel-*"))
    finally:
        native.kernel.cache_clear()


# --------------------------------------------------------------------------- reasons in C
# (the kernel's reasons against the NumPy path's on many texts: tests/test_equivalence.py)

_TEXTS = [
    "付款显示失败但银行卡扣了199元，订单号2023112812345678",
    "会员开了视频一直黑屏，两个小时了",
    "游戏卡了四十分钟，充了648元",
    "付款顯示失敗，ＡＰＰ扣了１９９元！！",
    "",
    "！！！",
]


@pytest.fixture
def with_kernel(lean):
    if native.kernel() is None:
        pytest.skip(f"no kernel: {native.kernel_status()}")
    assert lean.engine_for(len(_TEXTS), reasons=True) == KERNEL
    return lean


def _numpy(model, texts):
    return model.numpy_batch.score_texts(texts, reasons=True)


def test_reasons_come_from_the_kernel_with_the_numpy_paths_bits(with_kernel, monkeypatch):
    calls = []
    readable = native.readable
    monkeypatch.setattr(native, "readable", lambda *args: calls.append(1) or readable(*args))
    proba, found = with_kernel.score_texts(_TEXTS, reasons=True)
    expected_proba, expected = _numpy(with_kernel, _TEXTS)
    assert calls  # the kernel found them
    # the kernel adds in NumPy's order, so the bits agree here; a NumPy whose SIMD sums in
    # another order may differ in the last bits, which no rounded output cell shows
    assert np.allclose(proba, expected_proba, rtol=0, atol=1e-12)
    assert [[(r.term, r.features) for r in row] for row in found] == [
        [(r.term, r.features) for r in row] for row in expected
    ]
    assert np.allclose(
        [r.weight for row in found for r in row],
        [r.weight for row in expected for r in row],
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize("shortlist", [1, 2, 64])
def test_texts_whose_reasons_need_more_than_the_shortlist_sort_them_all(with_kernel, monkeypatch, shortlist):
    monkeypatch.setattr(kernel_reasons, "SHORTLIST", shortlist)
    assert with_kernel.score_texts(_TEXTS, reasons=True)[1] == _numpy(with_kernel, _TEXTS)[1]


def test_a_row_the_kernel_cannot_place_is_done_in_python(with_kernel, monkeypatch):
    flags = reasons.token_flags

    def wrong_lengths(tokens):  # the tokens no longer cover the texts: every row is left to Python
        return flags(tokens) + (1 << reasons.TOKEN_SHIFT)

    monkeypatch.setattr(native, "token_flags", wrong_lengths)
    calls = []
    in_python = kernel_spelling.readable_reasons
    monkeypatch.setattr(
        kernel_spelling, "readable_reasons", lambda *a, **k: calls.append(1) or in_python(*a, **k)
    )
    assert with_kernel.score_texts(_TEXTS, reasons=True)[1] == _numpy(with_kernel, _TEXTS)[1]
    assert len(calls) == len([t for t in _TEXTS if t])  # every text with raw reasons


def test_a_batch_the_reasons_kernel_refuses_is_answered_by_numpy(with_kernel, monkeypatch):
    monkeypatch.setattr(native, "find_reasons", lambda *args: None)
    proba, found = with_kernel.score_texts(_TEXTS, reasons=True)
    expected_proba, expected = _numpy(with_kernel, _TEXTS)
    assert np.array_equal(proba, expected_proba) and found == expected


def test_a_text_that_cannot_be_aligned_shows_its_raw_terms_as_numpy_does(with_kernel, monkeypatch):
    monkeypatch.setattr(reasons, "aligned_text", lambda *args, **kwargs: None)
    # the kernel's path: neither cc_spell nor Python's read-off places the text
    monkeypatch.setattr(kernel_spelling, "spell", lambda *args: None)
    monkeypatch.setattr(kernel_spelling, "aligned_by", lambda *args, **kwargs: None)
    found = with_kernel.score_texts(_TEXTS, reasons=True)[1]
    assert found == _numpy(with_kernel, _TEXTS)[1]
    assert any(found) and all("<" not in r.term and len(r.term) > 1 for row in found for r in row)


def test_scores_only_keep_the_faster_order_of_additions(with_kernel):
    # without reasons the kernel sums as it always has (the scores-only output keeps its bytes)
    proba = with_kernel.score_texts(_TEXTS)[0]
    np.testing.assert_allclose(proba, _numpy(with_kernel, _TEXTS)[0], rtol=0, atol=1e-12)


def _kernel_scores(model, texts, reasons=True):
    scored = model.kernel.scores(texts, reasons=reasons)
    assert scored is not None
    return scored


def test_buffers_kept_between_calls_leave_no_trace(with_kernel):
    # each thread keeps its rows' buffers between calls: a call must find them all zero again,
    # after calls of every size, with and without reasons, and after calls the kernel refused
    alone = [_kernel_scores(with_kernel, [text]) for text in _TEXTS]
    scores_only = _kernel_scores(with_kernel, _TEXTS, reasons=False)[0]
    tables, native_kernel = with_kernel.kernel.tables, native.kernel()
    two = ["付款失败，黑屏了", "会员开了视频一直黑屏，扣了199元"]
    tokens = with_kernel.numpy_batch.word_tables.encode(with_kernel.tokenizer.cut_joined(two))
    chars = native.code_points(two)
    k = len(with_kernel.intercept)
    for entries in (None, kernel_reasons.Entries(1, 2 * len(tokens) + 3 * len(chars), k)):
        decision = np.zeros((1, k))  # a row too few: refused mid-batch, with counts left behind
        assert not native.score_batch(native_kernel, tables, decision, tokens, chars, entries)
    for _ in range(2):
        assert np.array_equal(_kernel_scores(with_kernel, _TEXTS, reasons=False)[0], scores_only)
        batch_proba, batch_found = _kernel_scores(with_kernel, _TEXTS)
        for i, (proba, found) in enumerate(alone):
            again = _kernel_scores(with_kernel, [_TEXTS[i]])
            assert np.array_equal(again[0], proba) and again[1] == found
            assert np.array_equal(batch_proba[i], proba[0]) and batch_found[i] == found[0]


def test_one_text_is_scored_by_the_kernel_as_the_one_text_path_scores_it(with_kernel):
    for text in _TEXTS:
        proba, found = with_kernel.score_texts([text], reasons=True)
        expected_proba, expected = with_kernel.one_text.score_texts([text], reasons=True)
        assert np.allclose(proba, expected_proba, rtol=0, atol=1e-12)
        assert [(r.term, r.features) for r in found[0]] == [(r.term, r.features) for r in expected[0]]


def test_threads_each_keep_their_own_buffers(with_kernel):
    from concurrent.futures import ThreadPoolExecutor

    expected = _kernel_scores(with_kernel, _TEXTS)
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: _kernel_scores(with_kernel, _TEXTS), range(16)))
    for proba, found in runs:
        assert np.array_equal(proba, expected[0]) and found == expected[1]


def test_one_text_at_a_time_in_threads_gives_each_its_own_reasons(with_kernel):
    """A one-text batch's outputs are its thread's own, zeroed for each text: texts taken one by
    one, alternating and from several threads at once, get the reasons of one batch of them all."""
    from concurrent.futures import ThreadPoolExecutor

    texts = _TEXTS * 3
    expected = with_kernel.score_texts(texts, reasons=True)[1]
    assert [with_kernel.score_texts([t], reasons=True)[1][0] for t in texts] == expected
    with ThreadPoolExecutor(8) as pool:  # the kernel runs without the GIL: threads overlap in it
        found = list(pool.map(lambda t: with_kernel.score_texts([t], reasons=True)[1][0], texts * 20))
    assert found == expected * 20


def test_a_thread_keeps_one_row_s_entries_and_grows_them_for_a_longer_text():
    first = kernel_reasons.Entries.for_one_row(10, 4)
    first.starts[:] = 7
    again = kernel_reasons.Entries.for_one_row(5, 4)
    assert again is first and again.starts.tolist() == [0, 0, 0]  # kept, the starts zeroed
    room = len(first.features) + 1  # more than it holds (earlier tests may have grown it)
    longer = kernel_reasons.Entries.for_one_row(room, 4)
    assert (
        longer is not first
        and len(longer.features) >= room
        and longer.terms.shape == (len(longer.features), 4)
    )
    assert kernel_reasons.Entries.for_one_row(10, 3).terms.shape[1] == 3  # another model's classes


@pytest.mark.parametrize("reasons", [False, True])
def test_the_kernel_finds_the_guards_evidence_as_numpy_does(with_kernel, corpus, reasons):
    guard, k = with_kernel.guard_, len(with_kernel.classes_)
    texts = _TEXTS + corpus["text"].tolist()[:300]
    found = Evidence(np.zeros(len(texts), dtype=bool), np.zeros((len(texts), k)))
    assert with_kernel.kernel.scores(texts, reasons=reasons, evidence=found) is not None
    normalized = with_kernel.normalized(texts)
    expected = guard._char_sums(normalized)  # counted in NumPy
    if reasons:  # features in ascending order, as np.bincount adds them: the same bits
        assert np.array_equal(found.sums, expected)
    else:  # in the order the n-grams are first met
        np.testing.assert_allclose(found.sums, expected, rtol=1e-12, atol=0)
    assert found.content.tolist() == [has_content(text) for text in normalized]
    assert found.sums[_TEXTS.index("！！！")].tolist() == [0.0] * k
    assert not found.content[_TEXTS.index("！！！")]


def test_a_refused_guard_array_is_a_clear_error(with_kernel):
    tables, k = with_kernel.kernel.tables, len(with_kernel.classes_)
    decision = np.zeros((1, k))
    chars = np.frombuffer("扣款".encode("utf-32-le"), dtype=np.uint32)
    wrong = np.zeros((k, 3))
    with pytest.raises(LeanUnsupported, match="a column per character feature"):
        native.score_batch(
            native.kernel(), tables, decision, np.zeros(0), chars, evidence=(wrong, np.zeros((1, k)))
        )
