"""Saving a model is all or nothing: a save that fails or is interrupted half-way (disk full,
Ctrl-C) leaves the model that was in the folder loading with the same answers, and no
temporary folder or file behind."""

import copy
import errno
import json
import os

import numpy as np
import pytest

from classifier import ComplaintClassifier, fileformat
from classifier.engine.lean import LeanModel
from classifier.errors import InputFileError, LeanUnsupported
from classifier.fileformat import read_sidecar

TEXTS = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏", "购物车的商品全没了", "快递太慢了"]


def _snapshot(folder):
    """Every entry under ``folder`` (names and bytes), hidden ones included."""
    return {
        str(path.relative_to(folder)): (path.read_bytes() if path.is_file() else None)
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def old_model(pipeline, tmp_path):
    """The bundled estimator saved into ``tmp_path/m`` (the model a retrain must not lose)."""
    folder = tmp_path / "m"
    pipeline.save(folder, metadata={"note": "old"})
    return folder


@pytest.fixture
def new_model(pipeline):
    """Another model (another threshold): every file it writes differs from the old one's."""
    model = copy.copy(pipeline)
    model.threshold_ = 0.3
    return model


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _interrupted(*args, **kwargs):
    raise KeyboardInterrupt


def _assert_old_model_intact(folder, before, pipeline):
    assert _snapshot(folder.parent) == before  # the same files, byte for byte, and nothing else
    lean = LeanModel.load(folder)
    assert lean.metadata_["note"] == "old"
    np.testing.assert_array_equal(lean.predict_proba(TEXTS), LeanModel.load().predict_proba(TEXTS))
    loaded = ComplaintClassifier.load(folder, trust_pickle=True)
    assert loaded.predict(TEXTS).tolist() == pipeline.predict(TEXTS).tolist()


@pytest.mark.parametrize("failure", [_disk_full, _interrupted], ids=["disk full", "ctrl-c"])
@pytest.mark.parametrize("where", ["lean arrays", "sidecar"])
def test_a_save_that_fails_half_way_keeps_the_old_model(
    pipeline, new_model, old_model, monkeypatch, failure, where
):
    before = _snapshot(old_model.parent)
    if where == "lean arrays":  # the second file written, after model.joblib
        monkeypatch.setattr("classifier.engine.lean.np.savez", failure)
    else:  # the last file written
        monkeypatch.setattr("classifier.model.estimator.write_sidecar", failure)
    expected = KeyboardInterrupt if failure is _interrupted else OSError
    with pytest.raises(expected):
        new_model.save(old_model, metadata={"note": "new"})
    monkeypatch.undo()  # the lean engine's table cache writes with np.savez too
    _assert_old_model_intact(old_model, before, pipeline)


@pytest.mark.parametrize("failure", [_disk_full, _interrupted], ids=["disk full", "ctrl-c"])
def test_a_swap_that_fails_keeps_the_old_model(pipeline, new_model, old_model, monkeypatch, failure):
    """Where the system cannot exchange two folders in one step, the old one is renamed aside
    and put back when the new one cannot be renamed in."""
    before = _snapshot(old_model.parent)
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append((src, dst))
        if str(src).endswith(".new"):  # the finished staging folder, renamed into place
            failure()
        real_rename(src, dst)

    monkeypatch.setattr(fileformat, "_exchange", lambda a, b: False)
    monkeypatch.setattr(fileformat.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt if failure is _interrupted else OSError):
        new_model.save(old_model, metadata={"note": "new"})
    monkeypatch.undo()
    assert [dst for _, dst in calls][-1] == old_model  # the old folder was put back
    _assert_old_model_intact(old_model, before, pipeline)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed aside"])
def test_a_retrain_replaces_the_model_and_keeps_other_files(new_model, old_model, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(fileformat, "_exchange", lambda a, b: False)
    (old_model / "notes.txt").write_text("我的笔记", "utf-8")
    (old_model / "runs").mkdir()
    (old_model / "runs" / "a.csv").write_text("x", "utf-8")
    os.chmod(old_model, 0o750)
    new_model.save(old_model, metadata={"note": "new"})
    assert LeanModel.load(old_model).metadata_["note"] == "new"
    assert LeanModel.load(old_model).threshold_ == 0.3
    assert (old_model / "notes.txt").read_text("utf-8") == "我的笔记"
    assert (old_model / "runs" / "a.csv").read_text("utf-8") == "x"
    assert os.stat(old_model).st_mode & 0o777 == 0o750
    assert sorted(p.name for p in old_model.parent.iterdir()) == ["m"]


def test_the_old_models_files_that_the_new_one_does_not_write_go_with_it(pipeline, old_model, monkeypatch):
    def unsupported(self):
        raise LeanUnsupported("isotonic")

    monkeypatch.setattr(ComplaintClassifier, "to_lean", unsupported)
    pipeline.save(old_model, metadata={"note": "new"})
    assert sorted(p.name for p in old_model.iterdir()) == ["model.joblib", "model.json"]
    assert read_sidecar(old_model)["lean_files"] == {}


def test_a_new_folder_gets_the_usual_mode_and_nothing_else(pipeline, tmp_path):
    folder = tmp_path / "deep" / "new"
    pipeline.save(folder)
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(folder).st_mode & 0o777 == 0o777 & ~umask
    assert sorted(p.name for p in folder.parent.iterdir()) == ["new"]
    assert sorted(p.name for p in folder.iterdir()) == ["lean.json", "lean.npz", "model.joblib", "model.json"]


def test_a_symlinked_model_folder_keeps_its_link(pipeline, old_model, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(old_model)
    pipeline.save(link, metadata={"note": "new"})
    assert link.is_symlink()
    assert LeanModel.load(link).metadata_["note"] == "new"


def test_a_folder_of_other_files_keeps_them_and_a_failed_save_leaves_nothing(pipeline, tmp_path, monkeypatch):
    folder = tmp_path / "stuff"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep", "utf-8")
    before = _snapshot(tmp_path)
    monkeypatch.setattr("classifier.engine.lean.np.savez", _disk_full)
    with pytest.raises(OSError):
        pipeline.save(folder)
    assert _snapshot(tmp_path) == before
    monkeypatch.undo()
    pipeline.save(folder)
    assert (folder / "keep.txt").read_text("utf-8") == "keep"
    assert sorted(p.name for p in folder.iterdir()) == [
        "keep.txt",
        "lean.json",
        "lean.npz",
        "model.joblib",
        "model.json",
    ]
    assert json.loads((folder / "model.json").read_text("utf-8"))["lean_files"]


def test_a_save_onto_a_file_is_refused_and_keeps_it(pipeline, tmp_path):
    file = tmp_path / "model"
    file.write_text("not a folder", "utf-8")
    with pytest.raises(InputFileError, match="is a file; give a folder"):
        pipeline.save(file)
    assert file.read_text("utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
