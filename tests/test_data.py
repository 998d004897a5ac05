"""The training corpus: size, balance, breadth, styles, split, and no near-duplicates."""

import re
import unicodedata
from collections import defaultdict

import pytest

LABELS = {"payment", "service_interruption", "data_error", "other"}
STYLES = {"terse", "narrative", "question", "emotional", "formal", "typo", "traditional", "mixed_en", "emoji"}


def test_columns_and_values(corpus):
    assert list(corpus.columns) == ["id", "text", "label", "domain", "style", "split", "origin", "weight"]
    assert corpus["id"].is_unique
    assert set(corpus["label"]) == LABELS
    assert set(corpus["split"]) == {"train", "test"}
    assert (corpus["text"].str.strip() != "").all()


def test_row_weights_follow_the_rounds(corpus):
    # rows written for the real register (rounds 12 and later) count 3 times; see data/README.md
    rounds = corpus["origin"].str.extract(r"_r(\d+)_")[0].astype(float).fillna(0)
    expected = (rounds >= 12).map({True: "3", False: "1"})
    assert (corpus["weight"].astype(str) == expected).all()


def test_size_and_balance(corpus):
    assert len(corpus) >= 4000
    assert corpus["label"].value_counts().min() >= 800


def test_domains(corpus):
    counts = corpus["domain"].value_counts()
    assert len(counts) >= 15
    assert counts.min() >= 100


def test_styles(corpus):
    shares = corpus["style"].value_counts(normalize=True)
    for style in STYLES:
        assert shares.get(style, 0) >= 0.05, style
    terse = corpus[corpus["style"] == "terse"]["text"].str.len()
    narrative = corpus[corpus["style"] == "narrative"]["text"].str.len()
    assert terse.max() <= 12 and narrative.min() >= 150


def test_test_split_is_big_enough_and_written_separately(corpus):
    test = corpus[corpus["split"] == "test"]
    assert len(test) / len(corpus) >= 0.15
    # test rows come from their own writing batches, never from a training batch
    assert not set(test["origin"]) & set(corpus[corpus["split"] == "train"]["origin"])


def test_template_rows_are_at_most_a_fifth(corpus):
    assert corpus["origin"].str.startswith("template").mean() <= 0.20


def _grams(text, n=5):
    text = re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text).lower())
    return {text[i : i + n] for i in range(max(1, len(text) - n + 1))}


@pytest.mark.slow  # compares every pair of rows that share a 5-gram
def test_no_near_duplicates(corpus):
    """No two rows share ≥ 80% of their character 5-grams (Jaccard)."""
    grams = [_grams(t) for t in corpus["text"]]
    index = defaultdict(set)
    for i, g in enumerate(grams):
        candidates = set()
        for gram in g:
            candidates |= index[gram]
        for j in candidates:
            jaccard = len(g & grams[j]) / len(g | grams[j])
            assert jaccard < 0.8, (corpus["id"].iloc[i], corpus["id"].iloc[j])
        for gram in g:
            index[gram].add(i)


def test_data_card_counts_match_the_corpus(corpus):
    from pathlib import Path

    from classifier.tools.report import corpus_card_tables

    card = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text("utf-8")
    assert corpus_card_tables(corpus) in card
