"""Vectorised n-gram tables (their agreement with dicts and with the per-text n-grams is checked in
tests/test_equivalence.py)."""

import numpy as np
import pytest

from classifier.engine.tables import CharNgrams, CodeTable, WordNgrams, count_entries
from classifier.errors import LeanUnsupported


def test_colliding_codes_all_land():
    codes = [i << 40 for i in range(64)]  # identical low bits
    table = CodeTable(codes, list(range(64)))
    assert table.lookup(np.array(codes, dtype=np.int64)).tolist() == list(range(64))


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


def test_a_term_holding_the_separator_is_refused():
    with pytest.raises(LeanUnsupported):
        CharNgrams(["扣\n"], (1, 2))


def test_longer_ngrams_than_the_batch_paths_handle_are_refused():
    with pytest.raises(LeanUnsupported, match="longer than 3"):
        CharNgrams(["扣"], (1, 4))
    with pytest.raises(LeanUnsupported, match="longer than 2"):
        WordNgrams(["扣"], (1, 3))
