"""The lean engine: files, the choice of path, and answering without scikit-learn.

Its numbers against the pipeline's, and its batch paths against its one-text path, are checked
in tests/test_equivalence.py.
"""

import json
import pickle
import subprocess
import sys

import numpy as np
import pytest

from classifier.engine import scorer
from classifier.engine.kernel import kernel
from classifier.engine.lean import KERNEL, NUMPY_BATCH, ONE_TEXT, LeanModel
from classifier.engine.scorer import Model, Scorer, batches
from classifier.errors import InvalidInputError, ModelIntegrityError, ModelVersionError


def test_bundled_default_answers_without_scikit_learn():
    code = (
        "import sys; from classifier import classify; r = classify('付款显示失败但银行卡扣了199元'); "
        "print(r.category, any(m.startswith(('sklearn', 'scipy', 'joblib', 'pandas')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["payment", "False"]


def test_tampered_lean_files_are_refused(model_dir, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in model_dir.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    meta = (bad / "lean.json").read_text("utf-8").replace('"threshold": ', '"threshold": 0.0001 + ', 1)
    (bad / "lean.json").write_text(meta, "utf-8")
    with pytest.raises(ModelIntegrityError, match="sha256"):
        LeanModel.load(bad)


def test_an_unknown_lean_format_is_a_version_error(model_dir, tmp_path):
    for f in model_dir.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    meta = json.loads((tmp_path / "lean.json").read_text("utf-8"))
    meta["format"] = 99
    (tmp_path / "lean.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelVersionError, match="lean format 99"):
        LeanModel.from_files(tmp_path)


def test_saving_an_unchanged_model_keeps_its_files(lean, tmp_path):
    first = lean.save(tmp_path)
    stamps = {name: path.stat().st_mtime_ns for name, path in first.items()}
    hashes = LeanModel.file_hashes(first)
    again = lean.save(tmp_path)
    assert {name: path.stat().st_mtime_ns for name, path in again.items()} == stamps
    assert LeanModel.file_hashes(again) == hashes
    reloaded = LeanModel.from_files(tmp_path)
    assert reloaded.meta == lean.meta
    assert all(np.array_equal(a, b) for a, b in zip(reloaded.arrays().values(), lean.arrays().values()))


def test_pickles_for_worker_processes(lean):
    lean.score_texts(["付款失败扣了钱", "页面打不开"])  # lazy tables built, as before forking
    clone = pickle.loads(pickle.dumps(lean))
    assert clone.predict(["会员开了视频一直黑屏"]).tolist() == lean.predict(["会员开了视频一直黑屏"]).tolist()


def test_rejects_a_bare_string(lean):
    with pytest.raises(TypeError, match="list of strings"):
        lean.predict_proba("扣了钱")
    with pytest.raises(InvalidInputError):
        lean.predict_proba(["扣了钱", 5])


def test_every_engine_keeps_the_scorer_contract(lean, pipeline):
    for engine in (lean, lean.one_text, lean.numpy_batch, lean.kernel, pipeline):
        assert isinstance(engine, Scorer)
    assert isinstance(lean, Model) and isinstance(pipeline, Model)


def test_the_path_is_chosen_in_one_place_and_reported(lean):
    batch = KERNEL if kernel() is not None else NUMPY_BATCH
    # one text: the kernel too where it can be had (its per-call cost is now below the one-text path's)
    assert lean.engine_for(1, reasons=False) == (KERNEL if kernel() is not None else ONE_TEXT)
    assert lean.engine_for(5, reasons=True) == batch  # reasons no longer leave the kernel
    assert lean.engine_for(5, reasons=False) == batch
    described = lean.describe()
    assert described["one text"] == lean.engine_for(1, reasons=True)
    assert described["batch scores"] == lean.engine_for(2, reasons=False)
    assert described["batch reasons"] == lean.engine_for(2, reasons=True)


def test_a_model_the_batch_paths_cannot_run_is_answered_one_text_at_a_time(lean):
    wide = LeanModel(meta={**lean.meta, "char_ngram_range": [1, 4]}, arrays=lean.arrays())
    assert wide.engine_for(10, reasons=False) == ONE_TEXT
    assert "one-text" in wide.describe()["kernel"]


def test_batches_are_bounded_in_rows_and_characters(monkeypatch):
    monkeypatch.setattr(scorer, "BATCH_ROWS", 3)
    monkeypatch.setattr(scorer, "BATCH_CHARS", 10)
    texts = ["aaaa", "bb", "c", "d", "e" * 50, "ff", "gggg", "hhhhhhh"]
    assert list(batches(texts)) == [(0, 3), (3, 4), (4, 5), (5, 7), (7, 8)]
    assert list(batches([])) == []


def test_calibration_keeps_its_formula_for_every_kind_of_row(lean):
    """calibrated() divides in place where it can; the numbers are the sigmoid-then-normalise
    formula's, to the bit, and a row whose sigmoids all underflow is uniform."""
    rng = np.random.default_rng(0)
    n_classes = len(lean.classes_)
    decision = rng.normal(0, 3, (200, n_classes))
    decision[7] = 1e6 * np.sign(lean.calibration_a)  # every sigmoid 0: the row cannot be normalised
    decision[8] = -1e6 * np.sign(lean.calibration_a)  # every sigmoid 1
    with np.errstate(over="ignore"):  # exp(1e6·|a|) is inf, as it would be in a real row
        proba = 1.0 / (1.0 + np.exp(lean.calibration_a * decision + lean.calibration_b))
        got = lean.calibrated(decision)
    total = proba.sum(axis=1, keepdims=True)
    expected = np.divide(proba, total, out=np.full_like(proba, 1 / n_classes), where=total != 0)
    expected[(expected > 1.0) & (expected <= 1.0 + 1e-5)] = 1.0
    assert np.array_equal(got, expected)
    assert np.array_equal(got[7], np.full(n_classes, 1 / n_classes))
    assert np.array_equal(lean.calibrated(decision[9:10]), expected[9:10])  # one row, as one text is
    assert lean.calibrated(decision[:0]).shape == (0, n_classes)
