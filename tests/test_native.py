"""The compiled kernel gives the NumPy batch path's probabilities, and is never required."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import native
from classifier.lean import LeanModel

needs_kernel = pytest.mark.skipif(native.kernel() is None, reason=f"no kernel: {native.kernel_status()}")


@pytest.fixture(scope="module")
def lean(small_model_dir):
    return LeanModel.load(small_model_dir)


def numpy_proba(model, texts):
    return np.vstack([model._score_batch(texts[i : i + 500])[0] for i in range(0, len(texts), 500)])


@needs_kernel
def test_kernel_scores_as_numpy_does(lean, corpus, edge_texts):
    texts = corpus[corpus["split"] == "test"]["text"].tolist() + edge_texts
    proba, _ = lean.score_texts(texts)
    assert lean._native_tables is not None  # the kernel did the scoring
    np.testing.assert_allclose(proba, numpy_proba(lean, texts), rtol=0, atol=1e-12)


@needs_kernel
def test_kernel_scores_the_bundled_model_as_numpy_does(corpus, edge_texts):
    from classifier.api import default_model

    model = default_model()
    texts = corpus["text"].sample(1500, random_state=3).tolist() + edge_texts
    np.testing.assert_allclose(model.score_texts(texts)[0], numpy_proba(model, texts), rtol=0, atol=1e-12)
    assert model._native_tables.prune  # the bundled vocabulary allows skipping trigram look-ups


@needs_kernel
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="付款失败扣了钱元页面打不开 ，。!a1😀𠮷\n", max_size=60), min_size=2, max_size=20
    )
)
def test_kernel_on_any_text(lean, texts):
    np.testing.assert_allclose(lean.score_texts(texts)[0], numpy_proba(lean, texts), rtol=0, atol=1e-12)


@needs_kernel
def test_without_pruning_the_kernel_looks_every_trigram_up(lean, corpus, monkeypatch):
    texts = corpus["text"].head(300).tolist()
    tables = lean._native_tables
    monkeypatch.setattr(tables, "prune", False)
    np.testing.assert_allclose(lean.score_texts(texts)[0], numpy_proba(lean, texts), rtol=0, atol=1e-12)


def test_a_machine_without_a_compiler_uses_numpy(small_model_dir, corpus, monkeypatch):
    monkeypatch.setattr(native, "_compiler", lambda: None)
    native.kernel.cache_clear()
    try:
        assert native.kernel() is None and native.kernel_status() == "no C compiler found"
        model = LeanModel.load(small_model_dir)
        texts = corpus["text"].head(50).tolist()
        assert model._native_tables is None
        np.testing.assert_allclose(model.score_texts(texts)[0], numpy_proba(model, texts), rtol=0, atol=1e-12)
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
