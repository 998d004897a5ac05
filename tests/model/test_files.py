import json

import pytest

from classifier import ComplaintClassifier
from classifier.engine.lean import LeanModel
from classifier.errors import ModelIntegrityError, ModelNotFoundError, ModelVersionError, UntrustedModelError
from classifier.fileformat import read_sidecar
from classifier.model.files import default_model, load_for_inference


@pytest.fixture(scope="module")
def saved_dir(pipeline, tmp_path_factory):
    """The bundled estimator saved again by this version's save code (no training)."""
    return pipeline.save(tmp_path_factory.mktemp("saved"), metadata={"note": "test"})


def test_roundtrip(pipeline, saved_dir):
    loaded = ComplaintClassifier.load(saved_dir, trust_pickle=True)
    texts = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏"]
    assert loaded.predict(texts).tolist() == pipeline.predict(texts).tolist()
    assert loaded.threshold_ == pipeline.threshold_
    assert loaded.metadata_["note"] == "test"


def test_answering_uses_the_lean_files_and_the_default_is_loaded_once(saved_dir):
    assert isinstance(load_for_inference(saved_dir), LeanModel)
    assert default_model() is default_model()


def test_sidecar_records_what_matters(saved_dir):
    meta = read_sidecar(saved_dir)
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


def test_tampered_model_is_refused(saved_dir, tmp_path):
    bad = _copy(saved_dir, tmp_path / "bad")
    blob = bytearray((bad / "model.joblib").read_bytes())
    blob[-10] ^= 0xFF
    (bad / "model.joblib").write_bytes(bytes(blob))
    with pytest.raises(ModelIntegrityError, match="sha256"):
        ComplaintClassifier.load(bad, trust_pickle=True)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        (("versions", "scikit-learn"), "0.24.2", "scikit-learn"),
        (("versions", "classifier"), "99.0.0", "complaint-classifier 99"),
        (("format",), 2, "format"),
        (("tokenizer", "sha256"), "0" * 64, "tokenizer"),
    ],
)
def test_incompatible_model_is_refused(saved_dir, tmp_path, key, value, match):
    bad = _copy(saved_dir, tmp_path / "old")
    meta = json.loads((bad / "model.json").read_text("utf-8"))
    target = meta
    for k in key[:-1]:
        target = target[k]
    target[key[-1]] = value
    (bad / "model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelVersionError, match=match):
        ComplaintClassifier.load(bad, trust_pickle=True)


def test_missing_model_has_a_helpful_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no model sidecar"):
        ComplaintClassifier.load(tmp_path)


def test_bundled_default_model_loads_and_records_held_out_metrics(default_model):
    meta = default_model.metadata_
    held_out = meta["metrics"]["held_out_test"]
    assert held_out["n"] >= 600
    assert meta["training_data"]["file"] == "complaints.csv"


@pytest.mark.slow
def test_a_model_the_lean_engine_cannot_run_still_saves_and_answers(small_training_set, tmp_path):
    texts, labels = small_training_set
    model = ComplaintClassifier(cv=3, calibration="isotonic").fit(texts, labels)
    model.save(tmp_path / "iso")
    assert not (tmp_path / "iso" / "lean.npz").exists()
    with pytest.raises(UntrustedModelError, match="trust_pickle"):
        load_for_inference(tmp_path / "iso")
    answering = load_for_inference(tmp_path / "iso", trust_pickle=True)
    assert isinstance(answering, ComplaintClassifier)
    assert (
        answering.predict(["付款显示失败但银行卡扣了199元"]).tolist()
        == model.predict(["付款显示失败但银行卡扣了199元"]).tolist()
    )
