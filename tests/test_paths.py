"""Where the corpus-reading commands find the project's data/: the clone the package sits in, or
the clone the user runs them from (a plain ``pip install .`` keeps data/ out of site-packages)."""

from pathlib import Path

import pytest

from classifier import paths
from classifier.errors import InputFileError
from classifier.tools.report import load_corpus


def _clone(root: Path) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "data" / "complaints.csv").write_text("text,label,split\n付款失败扣了钱,payment,train\n", "utf-8")
    (root / "classifier").mkdir()
    (root / "classifier" / "paths.py").write_text("", "utf-8")
    (root / "notebooks").mkdir()
    return root


@pytest.fixture
def installed(tmp_path, monkeypatch) -> Path:
    """The package as a plain install puts it: no data/ beside it."""
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(paths, "project_root", lambda: site)
    return site


def test_an_editable_install_uses_its_own_clone():
    assert paths.checkout_root() == paths.project_root()
    assert (paths.checkout_root() / "data" / "complaints.csv").is_file()


@pytest.mark.parametrize("where", [".", "notebooks"])
def test_a_plain_install_run_from_a_clone_finds_that_clone(installed, tmp_path, monkeypatch, where):
    clone = _clone(tmp_path / "complaint-classifier")
    monkeypatch.chdir(clone / where)
    assert paths.checkout_root() == clone
    assert load_corpus()["text"].tolist() == ["付款失败扣了钱"]


def test_a_folder_that_only_has_a_data_folder_is_not_a_clone(installed, tmp_path, monkeypatch):
    other = tmp_path / "elsewhere"
    (other / "data").mkdir(parents=True)
    (other / "data" / "complaints.csv").write_text("text\nx\n", "utf-8")
    monkeypatch.chdir(other)
    assert paths.checkout_root() == installed
    with pytest.raises(InputFileError, match="run this from a clone of the repository"):
        load_corpus()
