"""The content guard: the same needs_review answer from every entry point, and only for thin texts."""

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from classifier import classify_frame
from classifier.cli import main
from classifier.engine.guard import ContentGuard, Evidence, has_content
from classifier.engine.scorer import BATCH_ROWS
from classifier.errors import NoContentError
from classifier.model.estimator import ComplaintClassifier
from classifier.text.normalize import normalize_text

THIN = ["123456", "1", "😡😡😡垃圾平台！！！", "不行", "？？？"]
CLEAR = [
    "付款显示失败但银行卡扣了199元",
    "会员开了视频一直黑屏",
    "购物车的商品全没了",
    "快递太慢了，客服态度也差",
]


@pytest.mark.parametrize("text", THIN)
def test_thin_texts_need_review_and_get_no_playbook(lean, text):
    result = lean.classify(text)
    assert (result.status, result.category) == ("needs_review", "other")
    assert not result.steps and not result.evidence and not result.reasons
    assert "人工复核" in result.card()
    with pytest.raises(NoContentError, match="says too little.*status needs_review"):
        result.letter()


def test_clear_complaints_pass_the_guard(lean):
    results = lean.classify(CLEAR)
    assert [r.status for r in results] == ["ok"] * len(CLEAR)
    assert [r.category for r in results] == ["payment", "service_interruption", "data_error", "other"]


def test_the_guard_is_the_same_in_both_engines(pipeline, lean):
    a, b = pipeline.guard_, lean.guard_
    assert a.threshold == b.threshold > 0  # chosen on held-out folds when the model was fitted
    assert a.terms == b.terms and np.allclose(a.weights, b.weights)
    texts = THIN + CLEAR + ["崩了", "闪退", "扣钱"]
    assert pipeline.predict(texts).tolist() == lean.predict(texts).tolist()


def test_the_batch_path_flags_what_classify_flags(lean):
    texts = THIN + CLEAR
    out = classify_frame(pd.DataFrame({"text": texts}), model=lean)
    expected = [r.status for r in lean.classify(texts)]
    assert out["status"].tolist() == expected
    flagged = out[out["status"] == "needs_review"]
    assert (flagged["category"] == "other").all() and (flagged["steps"] == "").all()
    assert (flagged["reasons"] == "").all()


def test_empty_text_is_empty_text_everywhere(lean):
    result = lean.classify("")
    assert (result.status, result.category, result.steps) == ("empty_text", "other", [])
    assert (result.confidence, result.probabilities) == (0.0, {})  # as a CSV row: nothing was read
    runner = CliRunner()
    explained = runner.invoke(main, ["explain", ""])
    assert explained.exit_code == 0 and "empty_text" in explained.output
    refused = runner.invoke(main, ["letter", "？？？"])
    assert refused.exit_code == 1 and "needs_review" in refused.output
    assert "Traceback" not in refused.output


def test_no_content_rule_is_on_normalised_text():
    assert not has_content(normalize_text("１２３ ！！ 😀 2024年5月1日"))
    assert has_content(normalize_text("ＡＰＰ"))  # full-width letters are letters after NFKC


def test_evidence_counts_each_term_once_and_stops_early():
    guard = ContentGuard(["扣", "扣款", "款"], np.array([[4.0], [5.0], [1.0]]), 6.0)
    assert guard.evidence("扣款扣款", 0) == 10.0
    assert guard.evidence("扣款扣款", 0, stop_at=6.0) >= 6.0


def test_groups_need_as_many_groups_as_folds():
    texts = [
        "扣了钱没到账",
        "重复扣款",
        "页面打不开",
        "一直黑屏",
        "积分清零了",
        "订单信息错了",
        "快递太慢",
        "服务态度差",
    ] * 3
    labels = ["payment"] * 2 + ["service_interruption"] * 2 + ["data_error"] * 2 + ["other"] * 2
    with pytest.raises(ValueError, match="groups"):
        ComplaintClassifier(cv=3).fit(texts, labels * 3, groups=["a", "b"] * 12)


@pytest.mark.slow  # fits 3 × 3 small pipelines
def test_grouped_fit_chooses_both_thresholds(corpus):
    train = corpus[corpus["split"] == "train"].groupby("label").sample(60, random_state=0)
    model = ComplaintClassifier(cv=3).fit(train["text"], train["label"], groups=train["origin"])
    assert 0.25 <= model.threshold_ <= 0.8
    assert model.evidence_threshold_ > 0
    assert model.guard_.threshold == model.evidence_threshold_
    assert model.to_lean().guard_.threshold == model.evidence_threshold_


def test_content_tags_are_evidence_and_frame_tags_are_not():
    weights = ContentGuard.tag_weights(
        ["§未到", "§提问", "会员"], np.array([2.0, 2.0, 1.0]), np.array([[0.0, 0.0, 1.0], [3.0, 5.0, 0.0]])
    )
    assert set(weights) == {"§未到"}  # a question is no evidence of a failure; words are not tags
    guard = ContentGuard(["员"], np.array([[1.0, 0.0]]), 5.0, tags=weights)
    text = normalize_text("会员怎么没到账")  # tags §权益 §提问 §未到; the model has only §未到
    assert guard.evidence(text, 1) == 6.0 and guard.evidence(text, 0) == 1.0
    # the batch sums and the one-text count agree
    texts = ["会员怎么没到账", "会员怎么了", "没到账没到账"]
    answered = np.array([1, 1, 1])
    expected = [guard.evidence(normalize_text(t), 1) < 5.0 for t in texts]
    assert guard.needs_review(texts, answered).tolist() == expected == [False, True, False]
    # a guard without tags counts characters only, as models saved before tags did
    assert ContentGuard(["员"], np.array([[1.0, 0.0]]), 5.0).evidence(text, 1) == 0.0


def _fresh(guard, texts, answered):
    """needs_review without the kernel's findings: counted by the guard itself."""
    guard.forget()
    return guard.needs_review(texts, answered).tolist()


def test_the_kernels_findings_give_the_guards_own_answers(lean, corpus):
    guard = lean.guard_
    # more texts than one batch holds: the findings of every batch are kept together
    texts = THIN + CLEAR + corpus["text"].tolist()[: BATCH_ROWS + 300]
    # answered as the model would, and as the other class: thin and borderline evidence both come up
    for flip in (False, True):
        proba, _ = lean.score_texts(texts)
        answered = np.where(proba.max(axis=1) >= lean.threshold_, proba.argmax(axis=1), -1)
        if flip:
            answered = np.where(answered < 0, 0, -1)
        lean.score_texts(texts)
        assert guard._recall(texts) is not None or lean.engine_for(len(texts), reasons=False) != "kernel"
        with_findings = guard.needs_review(texts, answered).tolist()
        assert with_findings == _fresh(guard, texts, answered)
        one_by_one = []
        for text, k in zip(texts[:400], answered.tolist()):
            lean.score_texts([text])
            one_by_one.append(guard.needs_review([text], np.array([k]))[0])
        assert one_by_one == with_findings[:400]
        assert 0 < sum(with_findings) < len(texts)


def test_the_guard_reads_only_findings_about_the_same_texts(lean):
    guard = lean.guard_
    k, payment = len(lean.classes_), np.array([lean.classes_.tolist().index("payment")])
    plenty = Evidence(np.ones(1, dtype=bool), np.full((1, k), 1e6))  # far more than any text has
    guard.remember(["不行"], plenty)
    assert guard.needs_review(["不行"], payment).tolist() == [False]  # read: the kept sums decide
    guard.remember([CLEAR[0]], plenty)
    assert guard.needs_review(["不行"], payment).tolist() == [True]  # another text's: counted anew
    assert _fresh(guard, ["不行"], payment) == [True]


def test_the_kernels_findings_are_not_kept_after_the_answer_they_were_for(lean):
    """What the kernel found holds the call's texts (cut copies of long ones): read once by the
    answer's guard, then dropped, and never kept by predict_proba, which has no answer."""
    guard, texts = lean.guard_, CLEAR + THIN + ["扣" * 6000]
    for call in (lean.predict, lean.classify, lean.predict_proba):
        guard.forget()
        call(texts)
        assert guard._known is None, call.__name__
    lean.score_texts(texts)  # scores for an answer next (classify_frame): kept until it is given
    if lean.engine_for(len(texts), reasons=False) == "kernel":
        assert guard._recall([text[:5000] for text in texts]) is not None


def test_a_pickled_guard_keeps_no_texts(lean):
    """A model is pickled for worker processes and dask (its key: a hash of the pickle): what the
    kernel found for the last call, the call's texts, goes with neither."""
    import pickle

    from classifier.batch.dask_engine import model_key

    lean.score_texts(["银行卡被扣了两次钱", "页面打不开"])
    key = model_key(lean)[0]
    lean.score_texts(["私人的投诉内容", "会员没到账"])
    blob = pickle.dumps(lean)
    assert "私人的投诉内容".encode() not in blob
    assert pickle.loads(blob).guard_._known is None
    assert model_key(lean)[0] == key  # the same model, whatever it scored last
