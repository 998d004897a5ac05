"""Shared fixtures: the corpus, the bundled model (pipeline and lean), and one small model
trained once per session for the tests that need a model of their own (those are marked slow)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CORPORA = (ROOT.parent / "shared" / "corpora").resolve()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    # keep jieba's prefix-dictionary cache inside the test run
    os.environ.setdefault("COMPLAINT_CLASSIFIER_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository checkout."""
    return ROOT


@pytest.fixture(scope="session")
def edge_texts() -> list[str]:
    """Inputs every scoring path must handle alike: blanks, punctuation, our separator and
    placeholder characters, over-long text, control characters, characters beyond the BMP."""
    return [
        "",
        "   ",
        "！！！",
        "\ue000付款失败",
        "扣" * 6000,
        "a\nb\tc 扣了199元",
        "𠮷野家付了钱 😀😀",
        "12306退票钱没到账",
        "付款付款付款付款失败失败，扣扣扣扣扣扣扣了钱" * 30,
    ]


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return pd.read_csv(DATA / "complaints.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The bundled model's directory (pickle, lean files, sidecar)."""
    from classifier.paths import default_model_dir

    return default_model_dir()


@pytest.fixture(scope="session")
def default_model():
    """The bundled model as the scikit-learn estimator (loaded, never trained here)."""
    from classifier import ComplaintClassifier

    return ComplaintClassifier.load()


@pytest.fixture(scope="session")
def pipeline(default_model):
    """The model most tests classify with: the bundled estimator (the scikit-learn engine)."""
    return default_model


@pytest.fixture(scope="session")
def lean():
    """The bundled model as the lean engine."""
    from classifier.engine.lean import LeanModel

    return LeanModel.load()


@pytest.fixture(scope="session")
def small_training_set(corpus):
    """About 100 training rows per label: enough for a usable model in a few seconds."""
    train = corpus[corpus["split"] == "train"]
    sample = train.groupby("label").sample(100, random_state=0)
    return sample["text"].tolist(), sample["label"].tolist()


@pytest.fixture(scope="session")
def small_model(small_training_set):
    """A model trained here, once per session (tests using it are marked slow)."""
    from classifier import ComplaintClassifier

    texts, labels = small_training_set
    return ComplaintClassifier(cv=3).fit(texts, labels)


@pytest.fixture(scope="session")
def small_model_dir(small_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model")
    small_model.save(path)
    return path


@pytest.fixture(scope="session")
def small_lean(small_model_dir):
    from classifier.engine.lean import LeanModel

    return LeanModel.load(small_model_dir)


@pytest.fixture(scope="session")
def dask_client():
    """A LocalCluster of 2 worker processes, shared by the Dask tests."""
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("dask.dataframe")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(scope="session")
def dask_rows(corpus):
    """12,000 rows with an id column, one of them blank."""
    frame = corpus[["id", "text"]]
    copies = [frame.assign(id=frame["id"] + suffix) for suffix in ("", "b", "c")]
    frame = pd.concat(copies).head(12000).reset_index(drop=True)
    frame.loc[5, "text"] = ""  # an empty text keeps its row and gets a status
    return frame


@pytest.fixture
def golden():
    """Compare rendered text with a golden file of tests/advice/golden/; after a deliberate change
    of wording, rewrite them with ``UPDATE_GOLDEN=1 pytest tests/advice`` and read the diff."""
    folder = Path(__file__).parent / "advice" / "golden"

    def check(name: str, rendered: str) -> None:
        path = folder / name
        if os.environ.get("UPDATE_GOLDEN"):
            path.write_text(rendered + "\n", "utf-8")
        assert rendered + "\n" == path.read_text("utf-8")

    return check


@pytest.fixture
def run():
    """Invoke the CLI in-process: ``run("classify", path, "-o", out)`` (arguments made strings)."""
    from click.testing import CliRunner

    from classifier.cli import main

    runner = CliRunner()

    def _run(*args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return _run


class _Pipe(io.RawIOBase):
    """stdin from a pipe: readable once, not seekable."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.fixture
def piped_stdin(monkeypatch) -> Callable[[bytes], None]:
    """``piped_stdin(data)``: sys.stdin becomes a pipe that gives ``data`` once (not seekable)."""

    def pipe(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(_Pipe(data))))

    return pipe
