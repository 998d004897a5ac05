"""compare: two models on the same held-out labelled rows."""

import pandas as pd
import pytest

from classifier.batch.compare import BUNDLED, compare
from classifier.errors import ClassifierError


@pytest.fixture(scope="module")
def labelled(tmp_path_factory, corpus):
    """200 test rows of the corpus, labels typed in Chinese."""
    from classifier.labels import LABEL_NAMES_ZH

    rows = corpus[corpus.split == "test"].groupby("label").head(50)
    frame = pd.DataFrame({"投诉内容": rows["text"], "label": rows["label"].map(LABEL_NAMES_ZH)})
    path = tmp_path_factory.mktemp("compare") / "labelled.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_the_bundled_model_against_itself_changes_nothing(labelled, tmp_path):
    report = compare(labelled, [BUNDLED, None], output=tmp_path / "changed.csv")
    assert report.n == 200 and report.changed == 0 and report.mcnemar_p == 1.0
    first, second = report.models
    assert report.scores[first] == report.scores[second]
    assert report.difference == (0.0, 0.0, 0.0)
    assert "macro_f1" in report.format() and "McNemar" in report.format()
    changed = pd.read_csv(tmp_path / "changed.csv", encoding="utf-8-sig")
    assert changed.empty and list(changed.columns) == ["text", "label", "model_a", "model_b", "change"]


@pytest.mark.slow
def test_a_small_model_against_the_bundled_one(labelled, small_model_dir, tmp_path):
    report = compare(labelled, [str(small_model_dir)], output=tmp_path / "changed.csv", trust_pickle=True)
    assert report.models == [BUNDLED, str(small_model_dir)]
    changed = pd.read_csv(tmp_path / "changed.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(changed) == report.changed > 0
    assert list(changed.columns) == ["text", "label", "model_a", "model_b", "change"]
    assert (changed["model_a"] != changed["model_b"]).all()
    assert set(changed["change"]) <= {"fixed", "broken", "both_wrong"}
    fixed = (changed["change"] == "fixed").sum()
    broken = (changed["change"] == "broken").sum()
    assert (report.only_second_right, report.only_first_right) == (fixed, broken)
    data = report.to_dict()
    assert set(data["scores"]) == {BUNDLED, str(small_model_dir)} and "changed_rows" not in data


def test_training_rows_are_not_scored(tmp_path, corpus):
    # the bundled model was trained on (some of) the corpus's train split: those rows are skipped
    from classifier import ComplaintClassifier

    rows = corpus[corpus.split == "train"].head(30)
    seen = sum(ComplaintClassifier.load().was_trained_on(rows["text"].tolist()))
    path = tmp_path / "seen.csv"
    rows[["text", "label"]].to_csv(path, index=False)
    if seen == len(rows):
        with pytest.raises(ClassifierError, match="nothing to compare on"):
            compare(path, [None, None])
    else:
        assert compare(path, [None, None]).skipped_training_rows == seen
