"""Vectorised n-gram lookup: the same features the per-text path counts."""

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.lean import _char_ngrams
from classifier.ngrams import CharNgrams, WordNgrams, _CodeTable, count_entries


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(0, 2**62), min_size=1, max_size=300),
    st.lists(st.integers(0, 2**62), max_size=50),
)
def test_code_table_finds_every_code_and_nothing_else(codes, probes):
    codes = sorted(codes)
    table = _CodeTable(codes, list(range(len(codes))))
    index = {c: i for i, c in enumerate(codes)}
    queries = codes + probes
    assert table.lookup(np.array(queries, dtype=np.int64)).tolist() == [index.get(q, -1) for q in queries]


def test_colliding_codes_all_land():
    codes = [i << 40 for i in range(64)]  # identical low bits
    table = _CodeTable(codes, list(range(64)))
    assert table.lookup(np.array(codes, dtype=np.int64)).tolist() == list(range(64))


TEXTS = ["扣了钱没到账", "", "页面打不开 打不开", "扣", "钱钱钱", "a b"]


def test_character_ngrams_match_the_analyzer():
    terms = sorted({g for t in TEXTS for g in _char_ngrams(t, 1, 3)})[::2]  # half are unknown
    index = {t: i for i, t in enumerate(terms)}
    rows, features, counts = count_entries(CharNgrams(terms, (1, 3)).entries(TEXTS), len(terms))
    got = [Counter() for _ in TEXTS]
    for r, f, c in zip(rows.tolist(), features.tolist(), counts.tolist()):
        got[r][terms[f]] = c
    expected = [Counter(g for g in _char_ngrams(t, 1, 3) if g in index) for t in TEXTS]
    assert got == expected


def test_word_ngrams_skip_punctuation_and_breaks():
    terms = ["扣", "钱", "扣 钱", "到账", "钱 到账", "<money>"]
    grams = WordNgrams(terms, (1, 2))
    tokens = ["扣", "，", "钱", "到账", "\n", "钱", "\n", "\ue001", "扣"]
    rows, features, counts = count_entries(grams.entries(tokens), len(terms))
    found = sorted(zip(rows.tolist(), [terms[f] for f in features.tolist()], counts.tolist()))
    # "，" is not a word, so 扣 and 钱 are neighbours; no bigram spans the "\n" between texts
    assert found == [
        (0, "到账", 1.0),
        (0, "扣", 1.0),
        (0, "扣 钱", 1.0),
        (0, "钱", 1.0),
        (0, "钱 到账", 1.0),
        (1, "钱", 1.0),
        (2, "<money>", 1.0),
        (2, "扣", 1.0),
    ]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="扣钱了a 😀\uffff𐒠", max_size=12), min_size=1, max_size=8), st.randoms())
def test_character_ngrams_match_the_analyzer_beyond_the_bmp_too(texts, rng):
    every = sorted({g for t in texts for g in _char_ngrams(t, 1, 3)})
    terms = sorted(set(rng.sample(every, len(every) // 2)) | {"钱😀钱"})  # some known, some not
    index = {t: i for i, t in enumerate(terms)}
    rows, features, counts = count_entries(CharNgrams(terms, (1, 3)).entries(texts), len(terms))
    got = [Counter() for _ in texts]
    for r, f, c in zip(rows.tolist(), features.tolist(), counts.tolist()):
        got[r][terms[f]] = c
    assert got == [Counter(g for g in _char_ngrams(t, 1, 3) if g in index) for t in texts]


def test_a_term_holding_the_separator_is_refused():
    import pytest

    with pytest.raises(ValueError):
        CharNgrams(["扣\n"], (1, 2))
