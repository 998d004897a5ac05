"""train(): reading a labelled CSV's per-row weights and passing them to the fit."""

import re

import numpy as np
import pandas as pd
import pytest

from classifier.errors import TrainingDataError
from classifier.model import training
from classifier.model.estimator import ComplaintClassifier
from classifier.model.training import row_weights

ROWS = {
    "text": ["扣了两次钱", "页面一直打不开", "积分清零了", "快递太慢了"],
    "label": ["payment", "service_interruption", "data_error", "other"],
}


def test_row_weights_are_read_as_numbers_and_absent_without_the_column():
    frame = pd.DataFrame({**ROWS, "weight": ["3", "1", "0.5", "2"]})
    assert row_weights(frame).tolist() == [3.0, 1.0, 0.5, 2.0]
    assert row_weights(frame, "poids") is None
    assert row_weights(frame, "") is None and row_weights(frame, None) is None


@pytest.mark.parametrize("bad", ["0", "-1", "", "三", "nan", "inf"])
def test_a_weight_that_is_not_a_number_above_zero_names_its_row(bad):
    frame = pd.DataFrame({**ROWS, "weight": ["1", bad, "1", "1"]})
    with pytest.raises(TrainingDataError, match=rf"1 row\(s\) have a 'weight'.*row 2: '{bad}'"):
        row_weights(frame)


def test_train_passes_the_weight_column_to_fit_and_can_ignore_it(tmp_path, monkeypatch):
    path = tmp_path / "weighted.csv"
    pd.DataFrame({**ROWS, "weight": ["3", "1", "1", "2"]}).to_csv(path, index=False)
    seen = []

    def fit(self, texts, labels, sample_weight=None, groups=None):
        seen.append(None if sample_weight is None else list(sample_weight))
        raise RuntimeError("stop before fitting")

    monkeypatch.setattr(ComplaintClassifier, "fit", fit)
    for column in ("weight", None):
        with pytest.raises(RuntimeError, match="stop"):
            training.train(path, weight_column=column)
    assert seen == [[3.0, 1.0, 1.0, 2.0], None]


def test_train_refuses_a_bad_weight_before_fitting(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({**ROWS, "weight": ["1", "1", "x", "1"]}).to_csv(path, index=False)
    with pytest.raises(TrainingDataError, match=re.escape(f"of {path} have a 'weight'")):
        training.train(path)


def test_the_bundled_corpus_weighs_the_real_register_rounds_three_times(corpus):
    weights = row_weights(corpus[corpus.split == "train"])
    assert set(np.unique(weights)) == {1.0, 3.0}


LABELS4 = ["payment", "service_interruption", "data_error", "other"]


def _grouped_csv(path, n_groups, rows_per_label=21):
    """Labelled rows whose ``origin`` spreads every label over ``n_groups`` groups."""
    texts = [f"{word}{i}" for word in ("扣了钱", "黑屏", "订单没了", "态度差") for i in range(rows_per_label)]
    labels = [label for label in LABELS4 for _ in range(rows_per_label)]
    origins = [f"batch{i % n_groups}" for i in range(len(texts))]
    pd.DataFrame({"text": texts, "label": labels, "origin": origins}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("n_groups", [4, 5, 6, 7])
def test_too_few_groups_fold_at_random_and_say_why(tmp_path, monkeypatch, n_groups):
    """5 or 6 groups used to reach scikit-learn's GroupKFold inside the held-out folds
    ("n_splits=5 greater than the number of groups: 4"); now they fold rows as 4 groups did."""
    seen = []

    def fit(self, texts, labels, sample_weight=None, groups=None):
        seen.append(groups)
        raise RuntimeError("stop before fitting")

    monkeypatch.setattr(ComplaintClassifier, "fit", fit)
    with pytest.raises(RuntimeError, match="stop"):
        training.train(_grouped_csv(tmp_path / "g.csv", n_groups))
    if n_groups >= 7:
        assert seen[0] is not None and len(set(seen[0])) == n_groups
    else:
        assert seen == [None]


def test_the_sidecar_says_why_groups_were_not_used(tmp_path, monkeypatch):
    saved = {}
    monkeypatch.setattr(ComplaintClassifier, "fit", lambda self, *a, **k: self)
    monkeypatch.setattr(training, "save_trained", lambda model, output, **record: saved.update(record))
    training.train(_grouped_csv(tmp_path / "g.csv", 5), tmp_path / "m")
    assert saved["groups"] is None
    assert saved["groups_unused"] == (
        "the 'origin' column was not used: grouped folds need at least 7 different groups with cv=5, "
        "got 5; rows were folded at random"
    )
    saved.clear()
    training.train(_grouped_csv(tmp_path / "g7.csv", 7), tmp_path / "m7")
    assert saved["groups"] == "origin" and "groups_unused" not in saved


@pytest.mark.parametrize(
    ("origins", "message"),
    [
        (lambda i, label: f"b{i % 5}", "need at least 7 different groups with cv=5, got 5"),
        (lambda i, label: f"b{i % 6}", "need at least 7 different groups with cv=5, got 6"),
        # each label in groups of its own: a fold that holds them all out has none to train on
        (lambda i, label: f"{label}{i % 2}", "leaves no 'other' row to train on"),
    ],
)
def test_fit_refuses_groups_that_cannot_fold(origins, message):
    texts = [f"{word}{i}" for word in ("扣了钱", "黑屏", "订单没了", "态度差") for i in range(21)]
    labels = [label for label in LABELS4 for _ in range(21)]
    groups = [origins(i, label) for i, label in enumerate(labels)]
    with pytest.raises(TrainingDataError, match=re.escape(message)):
        ComplaintClassifier().fit(texts, labels, groups=groups)


def test_groups_of_very_different_sizes_are_named():
    # four big groups fill four folds; the fifth holds out the four small ones, leaving 4 < cv
    groups = [g for g in "ABCD" for _ in range(100)] + ["t1", "t2", "t3", "t4"]
    labels = (LABELS4 * 101)[: len(groups)]
    assert ComplaintClassifier().groups_problem(groups, labels) == (
        "grouped folds hold out whole groups, and these 8 groups differ so much in size that one of "
        "the 5 folds leaves only 4 groups to train on (cv=5 are needed); add groups or even out their sizes"
    )
    assert ComplaintClassifier().groups_problem(groups[:400] + ["t1"] * 4, labels) is not None
    even = [f"g{i % 7}" for i in range(len(groups))]  # 7 and 4 coprime: every label in every group
    assert ComplaintClassifier().groups_problem(even, labels) is None


@pytest.mark.slow
def test_the_same_training_run_writes_the_same_bytes(tmp_path, corpus):
    """Two processes with different hash seeds (set order) write byte-identical model files, so a
    retrained default model shows no diff unless the model changed."""
    import os
    import subprocess
    import sys

    small = pd.concat(
        [
            corpus[corpus.split == "train"].groupby("label").head(40),
            corpus[corpus.split == "test"].groupby("label").head(5),
        ]
    )
    data = tmp_path / "small.csv"
    small.to_csv(data, index=False)
    files = []
    for seed in ("1", "2"):
        out = tmp_path / f"model{seed}"
        subprocess.run(
            [sys.executable, "-m", "classifier.cli", "train", str(data), "-o", str(out), "--seed", "0"],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        files.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert files[0].keys() == files[1].keys() and "model.joblib" in files[0]
    assert files[0] == files[1]
    reloaded = ComplaintClassifier.load(tmp_path / "model1", trust_pickle=True)
    assert isinstance(reloaded.training_digests_, frozenset)
    assert reloaded.was_trained_on(small["text"].head(3)) == [True, True, True]
