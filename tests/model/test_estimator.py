import subprocess
import sys

import joblib
import numpy as np
import pytest

from classifier import LABELS, ComplaintClassifier
from classifier.engine.scorer import decide_texts
from classifier.errors import LeanUnsupported, NotFittedError, TrainingDataError
from classifier.model.estimator import choose_threshold


def test_predict_rejects_a_bare_string(pipeline):
    with pytest.raises(TypeError, match="list of strings"):
        pipeline.predict("付款失败但扣了钱")
    with pytest.raises(TypeError, match="list of strings"):
        pipeline.predict_proba("付款失败但扣了钱")


def test_predict_rejects_non_string_items(pipeline):
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        pipeline.predict(["扣了钱", 5])


def test_shapes_and_label_names(pipeline):
    texts = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏", "购物车的商品全没了"]
    proba = pipeline.predict_proba(texts)
    assert proba.shape == (3, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert sorted(pipeline.classes_) == sorted(LABELS)
    assert all(label in LABELS for label in pipeline.predict(texts))
    assert pipeline.predict([]).tolist() == []


def test_classify_keeps_the_shape_of_its_input(pipeline):
    one = pipeline.classify("付款显示失败但银行卡扣了199元")
    many = pipeline.classify(["付款显示失败但银行卡扣了199元"])
    assert not isinstance(one, list) and isinstance(many, list) and len(many) == 1
    assert one.to_dict() == many[0].to_dict()
    assert set(one.probabilities) == set(LABELS)
    assert abs(sum(one.probabilities.values()) - 1) < 1e-6


def test_abstains_below_threshold(pipeline):
    model = ComplaintClassifier(threshold=0.99).set_params()  # unfitted copy just for params
    assert model.threshold == 0.99
    texts = ["嗯", "付款显示失败但银行卡扣了199元"]
    proba = pipeline.predict_proba(texts)
    labels, conf, abstain, _ = decide_texts(pipeline, texts, proba)
    for label, c, a in zip(labels, conf, abstain):
        assert a == (c < pipeline.threshold_)
        if a:
            assert label == "other"


def test_reasons_point_at_the_text(pipeline):
    result = pipeline.classify("付款显示失败但银行卡扣了199元")
    assert result.reasons, "a confident prediction should come with reasons"
    assert all(r.weight > 0 for r in result.reasons)
    assert [r.weight for r in result.reasons] == sorted((r.weight for r in result.reasons), reverse=True)


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError, match="not fitted"):
        ComplaintClassifier().predict(["扣了钱"])


def test_fit_validates_labels():
    with pytest.raises(TrainingDataError, match="unknown labels"):
        ComplaintClassifier().fit(["a", "b"], ["payment", "refund"])
    with pytest.raises(TrainingDataError, match="too few"):
        ComplaintClassifier().fit(["扣钱"] * 4, ["payment"] * 4)


@pytest.mark.slow
def test_same_data_and_seed_give_the_same_model(small_training_set):
    texts, labels = small_training_set
    probe = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏", "快递太慢了", "积分没了"]
    a = ComplaintClassifier(cv=3, random_state=7).fit(texts, labels)
    b = ComplaintClassifier(cv=3, random_state=7).fit(texts, labels)
    assert a.threshold_ == b.threshold_
    np.testing.assert_array_equal(a.predict_proba(probe), b.predict_proba(probe))


@pytest.mark.slow
def test_fitted_pipeline_loads_in_a_fresh_process(pipeline, tmp_path):
    path = tmp_path / "pipeline.joblib"
    joblib.dump(pipeline.pipeline_, path)
    expected = pipeline.pipeline_.predict(["付款显示失败但银行卡扣了199元", "购物车的商品全没了"]).tolist()
    code = (
        "import joblib, sys, json; p = joblib.load(sys.argv[1]); "
        "print(json.dumps(p.predict(['付款显示失败但银行卡扣了199元', '购物车的商品全没了']).tolist()))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == __import__("json").dumps(expected)


def test_choose_threshold_prefers_abstaining_on_unsure_mistakes():
    classes = sorted(LABELS)  # data_error, other, payment, service_interruption
    proba = np.array(
        [
            [0.05, 0.05, 0.85, 0.05],  # confident payment, right
            [0.30, 0.20, 0.40, 0.10],  # unsure payment, truly other
            [0.05, 0.05, 0.05, 0.85],
            [0.85, 0.05, 0.05, 0.05],
            [0.05, 0.85, 0.05, 0.05],
        ]
    )
    y = ["payment", "other", "service_interruption", "data_error", "other"]
    t = choose_threshold(proba, y, classes)
    assert 0.40 < t <= 0.85


def _unsure_rows(n_right: int, n_unsure_wrong: int) -> tuple[np.ndarray, list[str]]:
    """Confident right answers over all labels, plus unsure payment answers to texts truly other."""
    sure = np.eye(4) * 0.85 + 0.05
    rows = [sure[i % 4] for i in range(n_right)] + [np.array([0.30, 0.20, 0.40, 0.10])] * n_unsure_wrong
    labels = [sorted(LABELS)[i % 4] for i in range(n_right)] + ["other"] * n_unsure_wrong
    return np.array(rows), labels


def test_with_folds_abstaining_must_pay_more_than_the_folds_noise():
    classes = sorted(LABELS)
    # one unsure mistake among 400 rows: abstaining on it gains less than the folds disagree
    proba, y = _unsure_rows(400, 1)
    y[0] = "other"  # and the folds disagree: a confident mistake in one of them
    folds = [np.arange(i, len(y), 5) for i in range(5)]
    assert choose_threshold(proba, y, classes) > 0.40  # the pooled best abstains …
    assert choose_threshold(proba, y, classes, folds=folds) == 0.25  # … within noise: it answers
    # many unsure mistakes in every fold: abstaining clearly pays, and the rule abstains
    proba, y = _unsure_rows(400, 100)
    assert choose_threshold(proba, y, classes, folds=[np.arange(i, len(y), 5) for i in range(5)]) > 0.40


def test_to_lean_refuses_what_the_lean_engine_does_not_implement(pipeline, monkeypatch):
    calibrated = pipeline.pipeline_[-1].calibrated_classifiers_[0]
    monkeypatch.setattr(calibrated, "method", "isotonic")
    with pytest.raises(LeanUnsupported, match="sigmoid"):
        pipeline.to_lean()
    with pytest.raises(ValueError):  # LeanUnsupported is a ValueError too
        pipeline.to_lean()


def test_to_lean_gives_the_bundled_lean_files(pipeline, lean):
    made = pipeline.to_lean()
    assert made.meta == lean.meta
    assert all(np.array_equal(a, b) for a, b in zip(made.arrays().values(), lean.arrays().values()))


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"C": -1}, "'C' parameter"),
        ({"cv": 1}, "'cv' parameter"),
        ({"threshold": 2}, "'threshold' parameter"),
        ({"calibration": "platt"}, "'calibration' parameter"),
        ({"word_ngram_range": (2, 1)}, "'word_ngram_range' parameter"),
    ],
)
def test_bad_parameters_are_named_at_fit(params, named):
    from classifier.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=named):
        ComplaintClassifier(**params).fit(["扣了钱"] * 8, ["payment"] * 8)


def test_parameters_are_keyword_only():
    with pytest.raises(TypeError):
        ComplaintClassifier(0.5)


def test_predict_returns_an_array_like_scikit_learn(pipeline):
    import numpy as np

    predicted = pipeline.predict(["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏"])
    assert isinstance(predicted, np.ndarray) and predicted.tolist() == ["payment", "service_interruption"]
