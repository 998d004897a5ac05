"""The learning-curve tool: nested, seeded samples; summaries; the folds of the CLI bar."""

import json
from pathlib import Path

import pandas as pd
import pytest

from classifier.tools.adapt_curve import CURVE_FILE, K_GRID, k_rows, source_rows, summarize, write_folds

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
needs_corpora = pytest.mark.skipif(not (CORPORA / "realdev.csv").is_file(), reason="no ../shared/corpora")


def test_k_rows_are_nested_and_seeded():
    pool = list(range(100, 260))
    samples = [k_rows(pool, k, seed=3) for k in K_GRID]
    for small, big in zip(samples, samples[1:]):
        assert big[: len(small)] == small
    assert len(samples[-1]) == 160  # K larger than the pool: all of it
    assert k_rows(pool, 50, seed=3) == samples[1] != k_rows(pool, 50, seed=4)


def test_summarize_gives_intervals_and_paired_gains():
    truth = ["payment", "other", "data_error", "service_interruption"] * 25
    worse = ["other"] * 40 + truth[40:]
    summary = summarize(truth, {"k0-w1": worse, "k25-w3": truth})
    f1, low, high = summary["k0-w1"]["macro_f1"]
    assert low <= f1 <= high < 1
    assert summary["k25-w3"]["macro_f1"] == (1.0, 1.0, 1.0)
    gain, glow, _ = summary["k25-w3"]["gain_over_k0"]
    assert gain > 0 and glow > 0 and "gain_over_k0" not in summary["k0-w1"]


def test_the_committed_curve_has_every_k_for_both_sources():
    curve = json.loads(CURVE_FILE.read_text("utf-8"))
    assert curve["folds"] == 5
    for source in ("unionpay", "realdev"):
        keys = [k for k in curve[source] if k.startswith("k")]
        assert keys[0] == "k0-w1" and len(keys) == 1 + len(K_GRID)
    assert all(text not in json.dumps(curve) for text in ("扣", "钱"))  # numbers only, never text


@needs_corpora
def test_sources_and_the_two_folds_of_the_bar(tmp_path):
    assert len(source_rows("unionpay", CORPORA)) == 200
    assert len(source_rows("realdev", CORPORA)) == 412
    first, second = write_folds("unionpay", tmp_path, corpora_dir=CORPORA)
    a, b = (pd.read_csv(p, dtype=str, keep_default_na=False) for p in (first, second))
    assert len(a) == len(b) == 100
    assert (a["label"].value_counts() - b["label"].value_counts()).abs().max() <= 1  # stratified
