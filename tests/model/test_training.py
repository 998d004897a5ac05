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
