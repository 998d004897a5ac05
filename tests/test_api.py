import subprocess
import sys

import pytest

from classifier import LABELS, Result, classify, explain
from classifier.errors import InvalidInputError


def test_one_text_in_one_result_out():
    result = classify("付款显示失败但银行卡扣了199元")
    assert isinstance(result, Result)
    assert result.category in LABELS
    assert 0 <= result.confidence <= 1
    assert result.evidence and result.steps
    assert result.to_dict()["category_zh"] == result.category_zh


def test_list_in_list_out_in_order():
    texts = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏", "购物车的商品全没了"]
    results = classify(texts)
    assert [r.text for r in results] == texts


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("付款显示失败但银行卡扣了199元", "payment"),
        ("会员开了视频一直黑屏", "service_interruption"),
        ("购物车的商品全没了", "data_error"),
    ],
)
def test_the_guides_own_examples(text, label):
    # the three symptoms the refund guide uses to define its categories
    assert classify(text).category == label


def test_empty_and_huge_texts_get_a_status():
    assert classify("").status == "empty_text"
    assert classify("   \n").status == "empty_text"
    big = classify("扣款失败" * 5000)
    assert big.status == "truncated" and big.category in LABELS


def test_explain_is_a_readable_card():
    card = explain("付款显示失败但银行卡扣了199元")
    assert card.startswith("类别：支付系统故障 · payment")
    assert "需要保留的证据" in card and "建议步骤" in card


def test_explain_refuses_a_list():
    with pytest.raises(TypeError, match="one text"):
        explain(["a", "b"])


def test_import_does_no_work():
    """Importing the package loads no model, no dictionary and no scikit-learn."""
    code = (
        "import sys, classifier; "
        "print(any(m.startswith(('sklearn', 'jieba', 'pandas')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_surface_is_declared():
    import classifier

    for name in classifier.__all__:
        assert getattr(classifier, name) is not None
    with pytest.raises(AttributeError):
        classifier.does_not_exist  # noqa: B018


def test_classify_takes_a_model_directory(model_dir):
    from classifier import classify

    assert classify("付款失败扣了钱", model=str(model_dir)).category == "payment"
    assert classify(["付款失败扣了钱"], model=model_dir)[0].category == "payment"


def test_letter_takes_a_deadline_and_a_date():
    import datetime

    from classifier import letter

    text = letter("昨晚在淘宝付款失败，扣了199元", deadline_hours=12, today=datetime.date(2024, 3, 2))
    assert "12小时内" in text and "本人于2024年3月1日晚上在淘宝付款时" in text


def test_result_repr_is_one_short_line():
    from classifier import classify

    r = classify("付款显示失败但银行卡扣了199元，" * 20)
    assert repr(r).startswith("Result(category='payment'") and "\n" not in repr(r) and len(repr(r)) < 120


@pytest.mark.parametrize("texts", [{"付款失败": 1}, {"付款失败", "会员黑屏"}, {"a": 1}.keys()])
def test_a_dict_or_a_set_of_texts_is_refused(texts):
    with pytest.raises(InvalidInputError, match="list of strings"):
        classify(texts)
