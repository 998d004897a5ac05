import json

import pytest

from classifier import ComplaintClassifier
from classifier.errors import ModelIntegrityError, ModelNotFoundError, ModelVersionError
from classifier.persistence import read_sidecar


def test_roundtrip(small_model, small_model_dir):
    loaded = ComplaintClassifier.load(small_model_dir)
    texts = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏"]
    assert loaded.predict(texts) == small_model.predict(texts)
    assert loaded.threshold_ == small_model.threshold_


def test_sidecar_records_what_matters(small_model_dir):
    meta = read_sidecar(small_model_dir)
    assert meta["labels"] == ["payment", "service_interruption", "data_error", "other"]
    assert 0 < meta["threshold"] < 1
    assert len(meta["model_sha256"]) == 64
    assert len(meta["tokenizer"]["sha256"]) == 64
    for lib in ("classifier", "scikit-learn", "jieba", "python"):
        assert meta["versions"][lib]


def _copy(src, dst):
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def test_tampered_model_is_refused(small_model_dir, tmp_path):
    bad = _copy(small_model_dir, tmp_path / "bad")
    blob = bytearray((bad / "model.joblib").read_bytes())
    blob[-10] ^= 0xFF
    (bad / "model.joblib").write_bytes(bytes(blob))
    with pytest.raises(ModelIntegrityError, match="sha256"):
        ComplaintClassifier.load(bad)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        (("versions", "scikit-learn"), "0.24.2", "scikit-learn"),
        (("versions", "classifier"), "99.0.0", "complaint-classifier 99"),
        (("format",), 2, "format"),
        (("tokenizer", "sha256"), "0" * 64, "tokenizer"),
    ],
)
def test_incompatible_model_is_refused(small_model_dir, tmp_path, key, value, match):
    bad = _copy(small_model_dir, tmp_path / "old")
    meta = json.loads((bad / "model.json").read_text("utf-8"))
    target = meta
    for k in key[:-1]:
        target = target[k]
    target[key[-1]] = value
    (bad / "model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelVersionError, match=match):
        ComplaintClassifier.load(bad)


def test_missing_model_has_a_helpful_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no model sidecar"):
        ComplaintClassifier.load(tmp_path)


def test_bundled_default_model_loads_and_records_held_out_metrics(default_model):
    meta = default_model.metadata_
    held_out = meta["metrics"]["held_out_test"]
    assert held_out["n"] >= 600
    assert meta["training_data"]["file"] == "complaints.csv"


def test_a_model_the_lean_engine_cannot_run_still_saves_and_answers(small_training_set, tmp_path):
    from classifier.persistence import load_for_inference

    texts, labels = small_training_set
    model = ComplaintClassifier(cv=3, calibration="isotonic").fit(texts, labels)
    model.save(tmp_path / "iso")
    assert not (tmp_path / "iso" / "lean.npz").exists()
    answering = load_for_inference(tmp_path / "iso")
    assert isinstance(answering, ComplaintClassifier)
    assert answering.predict(["付款显示失败但银行卡扣了199元"]) == model.predict(
        ["付款显示失败但银行卡扣了199元"]
    )
