"""Shared fixtures: the corpus, a small model trained in seconds, the bundled default model."""

from __future__ import annotations

import os
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
def small_training_set(corpus):
    """About 100 training rows per label: enough for a usable model in a few seconds."""
    train = corpus[corpus["split"] == "train"]
    sample = train.groupby("label").sample(100, random_state=0)
    return sample["text"].tolist(), sample["label"].tolist()


@pytest.fixture(scope="session")
def small_model(small_training_set):
    from classifier import ComplaintClassifier

    texts, labels = small_training_set
    return ComplaintClassifier(cv=3).fit(texts, labels)


@pytest.fixture(scope="session")
def small_model_dir(small_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model")
    small_model.save(path)
    return path


@pytest.fixture(scope="session")
def default_model():
    from classifier import ComplaintClassifier

    return ComplaintClassifier.load()
