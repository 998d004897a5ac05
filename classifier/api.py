"""One-call classification with the bundled default model."""

from __future__ import annotations

import threading

__all__ = ["classify", "default_model", "explain", "letter"]

_DEFAULT = None
_LOCK = threading.Lock()


def default_model():
    """The bundled default model for inference, loaded once per process on first use.

    This is the lean engine (:class:`classifier.lean.LeanModel`): the same numbers as the
    scikit-learn pipeline without importing scikit-learn. ``ComplaintClassifier.load()`` gives
    the full estimator (for refitting, evaluation on training rows, or inspection).
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                from .persistence import load_for_inference

                _DEFAULT = load_for_inference()
    return _DEFAULT


def classify(texts, model=None):
    """Classify one complaint (→ ``Result``) or a list of complaints (→ list of ``Result``).

    >>> classify("付款显示失败但银行卡扣了199元").category
    'payment'
    >>> [r.category for r in classify(["会员开了视频一直黑屏", "购物车的商品全没了"])]
    ['service_interruption', 'data_error']
    """
    return (model or default_model()).classify(texts)


def explain(text: str, model=None) -> str:
    """A readable card for one complaint: category, confidence, reasons, evidence, steps.

    >>> print(explain("付款显示失败但银行卡扣了199元").splitlines()[0])  # doctest: +ELLIPSIS
    类别：支付系统故障（payment）  置信度：...
    """
    if not isinstance(text, str):
        raise TypeError(f"explain takes one text (str), got {type(text).__name__}")
    return classify(text, model=model).card()


def letter(text: str, model=None) -> str:
    """A 退款申请 draft for one complaint, with its facts and the evidence to attach.

    >>> print(letter("付款显示失败但银行卡扣了199元").splitlines()[0])
    退款申请
    """
    if not isinstance(text, str):
        raise TypeError(f"letter takes one text (str), got {type(text).__name__}")
    return classify(text, model=model).letter()
