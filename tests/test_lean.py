"""The lean inference engine gives the scikit-learn pipeline's answers without scikit-learn."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from classifier.errors import ModelIntegrityError
from classifier.lean import LeanModel


@pytest.fixture(scope="module")
def lean(small_model_dir):
    return LeanModel.load(small_model_dir)


def test_same_probabilities_as_the_pipeline(small_model, lean, corpus):
    texts = corpus[corpus["split"] == "test"]["text"].tolist() + ["", "   ", "扣" * 6000, "！！！"]
    np.testing.assert_allclose(lean.predict_proba(texts), small_model.predict_proba(texts), atol=1e-6)
    assert lean.predict(texts) == small_model.predict(texts)
    assert lean.threshold_ == small_model.threshold_


def test_same_results_as_the_pipeline(small_model, lean, corpus):
    texts = corpus["text"].sample(100, random_state=1).tolist()
    for a, b in zip(small_model.classify(texts), lean.classify(texts)):
        assert a.category == b.category and a.status == b.status and a.evidence == b.evidence
        assert {r.term for r in a.reasons[:3]} <= {r.term for r in b.reasons} | {
            r.term for r in a.reasons[3:]
        }


def test_bundled_default_answers_without_scikit_learn():
    code = (
        "import sys; from classifier import classify; r = classify('付款显示失败但银行卡扣了199元'); "
        "print(r.category, any(m.startswith(('sklearn', 'scipy', 'joblib', 'pandas')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["payment", "False"]


def test_tampered_lean_files_are_refused(small_model_dir, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in small_model_dir.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    meta = (bad / "lean.json").read_text("utf-8").replace('"threshold": ', '"threshold": 0.0001 + ', 1)
    (bad / "lean.json").write_text(meta, "utf-8")
    with pytest.raises(ModelIntegrityError, match="sha256"):
        LeanModel.load(bad)


def test_pickles_for_worker_processes(lean):
    clone = pickle.loads(pickle.dumps(lean))
    assert clone.predict(["会员开了视频一直黑屏"]) == lean.predict(["会员开了视频一直黑屏"])


def test_rejects_a_bare_string(lean):
    with pytest.raises(TypeError, match="list of strings"):
        lean.predict_proba("扣了钱")


@pytest.mark.parametrize("batch_rows, batch_chars", [(7, 10**9), (2000, 10**9), (2000, 3000)])
def test_batch_path_answers_like_one_text_at_a_time(
    lean, corpus, edge_texts, monkeypatch, batch_rows, batch_chars
):
    import classifier.lean

    monkeypatch.setattr(classifier.lean, "BATCH_ROWS", batch_rows)
    monkeypatch.setattr(classifier.lean, "BATCH_CHARS", batch_chars)
    texts = corpus[corpus["split"] == "test"]["text"].tolist()[:400] + edge_texts
    one_by_one = [lean.score_texts([t], reasons=True) for t in texts]
    proba, reasons = lean.score_texts(texts, reasons=True)
    np.testing.assert_allclose(proba, np.vstack([p for p, _ in one_by_one]), rtol=0, atol=1e-12)

    def shown(rs):
        return [(r.term, round(r.weight, 9)) for r in rs]

    assert [shown(r) for r in reasons] == [shown(r[0]) for _, r in one_by_one]


def test_equal_contributions_are_listed_in_feature_order(lean):
    # every engine breaks ties the same way, so batch and single answers list the same reasons
    from classifier._answers import reasons_from

    names = {0: "chars__扣钱", 1: "chars__扣"}
    picked = reasons_from(lambda j: names[[1, 0][j]], np.array([0.5, 0.5]), np.array([1, 0]))
    assert [r.term for r in picked] == ["扣钱"]


def test_batches_are_bounded_in_rows_and_characters(monkeypatch):
    import classifier.lean
    from classifier.lean import _batches

    monkeypatch.setattr(classifier.lean, "BATCH_ROWS", 3)
    monkeypatch.setattr(classifier.lean, "BATCH_CHARS", 10)
    texts = ["aaaa", "bb", "c", "d", "e" * 50, "ff", "gggg", "hhhhhhh"]
    assert list(_batches(texts)) == [(0, 3), (3, 4), (4, 5), (5, 7), (7, 8)]
    assert list(_batches([])) == []
