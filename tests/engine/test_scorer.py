"""The one way scores become results: a text alone is decided as it is in a batch."""

import numpy as np
import pytest

from classifier.engine.scorer import build_results, decide_texts

# rows of probabilities in the bundled model's class order, each with a case it tests
_ROWS = {
    "a clear failure": [0.9, 0.05, 0.03, 0.02],
    "a tie: the first class wins, as argmax": [0.4, 0.4, 0.1, 0.1],
    "just below the threshold": None,  # filled from the model's threshold
    "just at the threshold": None,
    "other on top": [0.05, 0.85, 0.05, 0.05],
}


def _rows(model) -> dict[str, list[float]]:
    rows = dict(_ROWS)
    t = model.threshold_
    # the top probability at the threshold and just below it (rows need not add up to 1 here)
    rows["just below the threshold"] = [np.nextafter(t, 0), 0.1, 0.1, 0.1]
    rows["just at the threshold"] = [0.1, 0.1, 0.1, t]
    return rows


@pytest.mark.parametrize(
    "text",
    [
        "付款显示失败但银行卡扣了199元",
        "会员开了视频一直黑屏",
        "123456",
        "😡😡😡垃圾平台！！！",
        "购物车的商品全没了",
    ],
)
def test_one_text_is_decided_as_in_a_batch(lean, text):
    # each row with each text: the guard's flag, the abstention and the label as a batch gives them
    rows = _rows(lean)
    proba = np.array(list(rows.values()))
    texts = [text] * len(proba)
    labels, confidence, abstained, review = decide_texts(lean, texts, proba)
    for i, case in enumerate(rows):
        (alone,) = build_results(lean, [text], proba[i : i + 1], [[]])
        assert alone.category == labels[i], case
        assert alone.confidence == confidence[i], case
        assert alone.abstained == abstained[i], case
        assert (alone.status == "needs_review") == review[i], case


def test_a_probability_that_is_not_a_number_is_left_to_numpy(lean):
    proba = np.array([[np.nan, 0.5, 0.3, 0.2]])
    labels, confidence, abstained, _ = decide_texts(lean, ["扣了199元没到账"], proba)
    (alone,) = build_results(lean, ["扣了199元没到账"], proba, [[]])
    assert alone.category == labels[0]
    assert np.isnan(alone.confidence) and np.isnan(confidence[0])
    assert alone.abstained == abstained[0]
