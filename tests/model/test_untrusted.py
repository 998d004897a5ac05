"""Model folders written by someone else: nothing in them runs, and every malformed sidecar gets
one clear error (issue 14, items 12 and 14).

The attack: whoever can write a model folder replaces ``model.joblib`` with a pickle that runs
code and rehashes the sidecar around it. Answering (``load_for_inference``, the CLI, Dask) must
not unpickle at all; only ``ComplaintClassifier.load(..., trust_pickle=True)`` does.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier import ComplaintClassifier
from classifier.cli import main
from classifier.engine.lean import LeanModel
from classifier.errors import ModelIntegrityError, UntrustedModelError
from classifier.fileformat import sha256_file
from classifier.model.files import load_for_inference

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_complaints.csv"


class _Payload:
    """Unpickling this creates the marker file: proof that code from the pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _copy(model_dir: Path, target: Path) -> Path:
    shutil.copytree(model_dir, target)
    return target


def _edit_sidecar(folder: Path, edit) -> None:
    path = folder / "model.json"
    meta = json.loads(path.read_text("utf-8"))
    meta = edit(meta)
    path.write_text(json.dumps(meta), "utf-8")


def _plant_pickle(folder: Path, marker: Path, *, drop_lean: bool) -> None:
    (folder / "model.joblib").write_bytes(pickle.dumps(_Payload(marker)))

    def rehash(meta):
        meta["model_sha256"] = sha256_file(folder / "model.joblib")
        if drop_lean:
            meta["lean_files"] = {}
        return meta

    _edit_sidecar(folder, rehash)


def _cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_a_rehashed_malicious_pickle_beside_lean_files_is_never_opened(model_dir, tmp_path):
    folder = _copy(model_dir, tmp_path / "model")
    marker = tmp_path / "ran"
    _plant_pickle(folder, marker, drop_lean=False)
    model = load_for_inference(folder)
    assert isinstance(model, LeanModel)
    assert model.classify("付款失败但扣了钱").category == "payment"
    result = _cli("classify", SAMPLE, "-o", tmp_path / "out.csv", "-q", "--model", folder)
    assert result.exit_code == 0, result.output
    with pytest.raises(UntrustedModelError, match="runs code"):
        ComplaintClassifier.load(folder)
    assert not marker.exists()


def test_a_model_without_lean_files_is_not_unpickled_for_answering(model_dir, tmp_path):
    folder = _copy(model_dir, tmp_path / "model")
    marker = tmp_path / "ran"
    _plant_pickle(folder, marker, drop_lean=True)
    with pytest.raises(UntrustedModelError, match="trust_pickle=True"):
        load_for_inference(folder)
    for engine in ("local", "dask"):  # the model is loaded before any cluster starts
        result = _cli(
            "classify", SAMPLE, "-o", tmp_path / engine, "-q", "--model", folder, "--engine", engine
        )
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    result = _cli("explain", "扣了钱", "--model", folder)
    assert result.exit_code == 1
    result = _cli("evaluate", SAMPLE, "--model", folder)
    assert result.exit_code == 1 and "--trust-pickle" in result.output
    assert not marker.exists()
    # the explicit opt-in is the one way in, and it is documented as running the file's code
    assert "runs code from the file" in (ComplaintClassifier.load.__doc__ or "").replace("**", "")
    with pytest.raises(ModelIntegrityError):
        ComplaintClassifier.load(folder, trust_pickle=True)
    assert marker.exists()


@pytest.mark.parametrize("name", ["/etc/passwd", "../model.joblib", "sub/model.joblib", "", ".."])
def test_file_names_in_the_sidecar_must_be_plain_names_inside_the_folder(model_dir, tmp_path, name):
    folder = _copy(model_dir, tmp_path / "model")
    _edit_sidecar(folder, lambda meta: {**meta, "model_file": name})
    with pytest.raises(ModelIntegrityError, match="plain names"):
        ComplaintClassifier.load(folder, trust_pickle=True)
    folder2 = _copy(model_dir, tmp_path / "model2")

    def lean_elsewhere(meta):
        files = meta["lean_files"]
        files[name or "x/"] = files.pop("lean.json")
        return meta

    _edit_sidecar(folder2, lean_elsewhere)
    with pytest.raises(ModelIntegrityError, match="plain names"):
        load_for_inference(folder2)


def _rehashed_empty_lean_json(folder: Path) -> None:
    (folder / "lean.json").write_text("{}", "utf-8")
    digest = sha256_file(folder / "lean.json")

    def edit(meta):
        meta["lean_files"]["lean.json"] = digest
        return meta

    _edit_sidecar(folder, edit)


def _rehashed_short_arrays(folder: Path) -> None:
    import numpy as np

    with np.load(folder / "lean.npz") as data:
        arrays = {k: data[k] for k in data.files}
    arrays["coef"] = arrays["coef"][:, :10]
    with open(folder / "lean.npz", "wb") as fh:
        np.savez(fh, **arrays)
    digest = sha256_file(folder / "lean.npz")

    def edit(meta):
        meta["lean_files"]["lean.npz"] = digest
        return meta

    _edit_sidecar(folder, edit)


def _without(key):
    return lambda folder: _edit_sidecar(folder, lambda meta: {k: v for k, v in meta.items() if k != key})


def _replace(value):
    return lambda folder: _edit_sidecar(folder, lambda meta: value)


def _set(key, value):
    return lambda folder: _edit_sidecar(folder, lambda meta: {**meta, key: value})


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_without("tokenizer"), "'tokenizer' is missing"),
        (_set("tokenizer", {"settings": {}}), "no sha256"),
        (_replace([1, 2, 3]), "expected a JSON object, found list"),
        (_replace("model"), "expected a JSON object, found str"),
        (_set("lean_files", ["lean.npz", "lean.json"]), "'lean_files' is list"),
        (_set("lean_files", {"lean.json": 5, "lean.npz": "x"}), "not a sha256"),
        (_set("threshold", "high"), "'threshold' is str"),
        (_set("model_sha256", None), "'model_sha256' is null"),
        (_set("lean_files", {"lean.json": "0" * 64}), "expected lean.npz and lean.json"),
        (_rehashed_empty_lean_json, "lean files in .* are not valid"),
        (_rehashed_short_arrays, "coef has shape"),
    ],
    ids=lambda v: v if isinstance(v, str) else getattr(v, "__name__", "tamper"),
)
def test_a_malformed_sidecar_gets_one_clear_error(model_dir, tmp_path, tamper, message):
    folder = _copy(model_dir, tmp_path / "model")
    tamper(folder)
    with pytest.raises(ModelIntegrityError, match=message):
        load_for_inference(folder)
    result = _cli("explain", "扣了钱", "--model", folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
