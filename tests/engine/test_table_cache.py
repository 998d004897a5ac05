"""Tables kept on disk between runs: loaded they answer as built ones do, and a file that is not
the one written is never used (it is built again)."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.engine import table_cache
from classifier.engine.guard import ContentGuard
from classifier.engine.kernel import CompactTables
from classifier.engine.kernel_reasons import ReasonTables
from classifier.engine.lean import LeanModel
from classifier.engine.table_cache import TableCache, model_key
from classifier.engine.tables import CharNgrams, WordNgrams
from classifier.errors import LeanUnsupported

TEXTS = [
    "付款显示失败但银行卡扣了199元",
    "会员开了视频一直黑屏",
    "购物车的商品全没了",
    "骑手送餐晚了四十分钟",
    "𠀀扣款😀 <money>",
    "",
]


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """A cache folder of this test's own; returns its tables/ folder."""
    monkeypatch.setenv("COMPLAINT_CLASSIFIER_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPLAINT_CLASSIFIER_TABLE_CACHE", raising=False)
    return tmp_path / "cache" / "tables"


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_every_kind_of_table_survives_the_round_trip(lean):
    words = WordNgrams(lean.meta["word_terms"], lean.word_range)
    chars = CharNgrams(lean.meta["char_terms"], lean.char_range)
    compact = CompactTables(
        lean.meta["char_terms"], lean.char_range, words, lean.coef, lean.word_idf, lean.char_idf
    )
    reasons = ReasonTables(lean, words)
    assert _same(WordNgrams.from_arrays(words.to_arrays()).to_arrays(), words.to_arrays())
    assert _same(CharNgrams.from_arrays(chars.to_arrays()).to_arrays(), chars.to_arrays())
    assert _same(ReasonTables.from_arrays(reasons.to_arrays()).to_arrays(), reasons.to_arrays())
    guard = ContentGuard.from_arrays(lean.guard_.to_arrays(), lean.char_vocabulary, 3.0)
    assert np.array_equal(guard.weights, lean.guard_.weights) and guard.threshold == 3.0
    again = CompactTables.from_arrays(compact.to_arrays(), lean.coef, lean.word_idf, lean.char_idf)
    assert _same(again.to_arrays(), compact.to_arrays()) and again.prune is compact.prune
    # and they find the same n-grams
    normalized = lean.normalized(TEXTS)
    loaded_words = WordNgrams.from_arrays(words.to_arrays())
    cut = lean.tokenizer.cut_joined(normalized)
    for built, loaded, source in (
        (words, loaded_words, cut),
        (chars, CharNgrams.from_arrays(chars.to_arrays()), normalized),
    ):
        assert all(np.array_equal(x, y) for x, y in zip(built.entries(source), loaded.entries(source)))


def test_a_model_loaded_twice_answers_the_same_from_saved_tables(cache):
    built = LeanModel.load()
    first = built.classify(TEXTS * 3)
    # the guard read the kernel's findings: it builds its own n-gram tables ("chars") when it
    # counts for itself, as after a batch scored by NumPy
    built.guard_.needs_review(TEXTS * 3, np.zeros(len(TEXTS) * 3, dtype=np.int64))
    assert sorted(p.name.split("-")[0] for p in cache.glob("*.npz")) == [
        "chars",
        "guard",
        "kernel",
        "reasons",
        "words",
    ]
    loaded = LeanModel.load()  # a new model object: its tables come from the files
    again = loaded.classify(TEXTS * 3)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in first]
    assert np.array_equal(loaded.predict_proba(TEXTS), built.predict_proba(TEXTS))


def test_a_file_that_is_not_the_one_written_is_built_again(cache):
    expected = [r.to_dict() for r in LeanModel.load().classify(TEXTS * 2)]
    saved = next(cache.glob("words-*.npz"))
    good = saved.read_bytes()
    saved.write_bytes(good[:1000] + bytes(len(good) - 1000))  # same size, sha256 no longer matches
    assert [r.to_dict() for r in LeanModel.load().classify(TEXTS * 2)] == expected
    assert saved.read_bytes() == good  # rewritten by the build


def test_a_cache_folder_others_can_write_is_not_used(cache):
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    expected = LeanModel.load().predict_proba(TEXTS)
    assert np.array_equal(LeanModel.load().predict_proba(TEXTS), expected)
    assert not list(cache.iterdir())


def test_the_cache_can_be_turned_off_and_is_not_used_without_a_key(cache, monkeypatch):
    monkeypatch.setenv("COMPLAINT_CLASSIFIER_TABLE_CACHE", "0")
    LeanModel.load().classify(TEXTS * 2)
    assert not cache.exists()
    monkeypatch.delenv("COMPLAINT_CLASSIFIER_TABLE_CACHE")
    assert model_key(None) is None and TableCache(None).key is None
    assert model_key({"lean.json": "a"}) != model_key({"lean.json": "b"})


def test_only_the_most_recent_entries_of_a_kind_are_kept(cache, monkeypatch):
    monkeypatch.setattr(table_cache, "_KEEP", 2)
    for key in ("a" * 32, "b" * 32, "c" * 32):
        TableCache(key).get("demo", lambda: {"x": np.arange(3)}, dict, dict)
    kept = sorted(p.name for p in cache.glob("demo-*.npz"))
    assert len(kept) == 2 and "demo-" + "a" * 32 + ".npz" not in kept
    loaded = TableCache("c" * 32).get("demo", lambda: pytest.fail("built again"), dict, dict)
    assert loaded["x"].tolist() == [0, 1, 2]


def test_saved_tables_that_do_not_fit_together_are_refused(lean):
    words = WordNgrams(lean.meta["word_terms"], lean.word_range)
    compact = CompactTables(
        lean.meta["char_terms"], lean.char_range, words, lean.coef, lean.word_idf, lean.char_idf
    )
    arrays = compact.to_arrays()
    arrays["bigrams_hash"] = arrays["bigrams_hash"] * 2  # a mask that does not fit the slots
    with pytest.raises(LeanUnsupported, match="mask"):
        CompactTables.from_arrays(arrays, lean.coef, lean.word_idf, lean.char_idf)
    arrays = compact.to_arrays()
    arrays["word_unigram"] = arrays["word_unigram"][:-1]  # a word id the kernel would read past
    with pytest.raises(LeanUnsupported, match="do not fit together"):
        CompactTables.from_arrays(arrays, lean.coef, lean.word_idf, lean.char_idf)
    saved = words.to_arrays()
    saved["unigram"] = saved["unigram"][:-1]
    with pytest.raises(LeanUnsupported, match="one unigram feature per word"):
        WordNgrams.from_arrays(saved)
