"""One-call classification with the bundled default model (top layer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import overload

from .advice.result import Result
from .engine.scorer import Model
from .errors import InvalidInputError
from .model.files import default_model

__all__ = ["classify", "default_model", "explain", "letter"]


@overload
def classify(texts: str, model: Model | None = None) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too


@overload
def classify(texts: Iterable[str], model: Model | None = None) -> list[Result]: ...


def classify(texts: str | Iterable[str], model: Model | None = None) -> Result | list[Result]:
    """Classify one complaint (→ ``Result``) or a list of complaints (→ list of ``Result``).

    >>> classify("付款显示失败但银行卡扣了199元").category
    'payment'
    >>> [r.category for r in classify(["会员开了视频一直黑屏", "购物车的商品全没了"])]
    ['service_interruption', 'data_error']
    """
    return (model or default_model()).classify(texts)


def _one(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} takes one text (str), got {type(text).__name__}")
    return text


def explain(text: str, model: Model | None = None) -> str:
    """A readable card for one complaint: category, confidence, reasons, evidence, steps.

    >>> print(explain("付款显示失败但银行卡扣了199元").splitlines()[0])  # doctest: +ELLIPSIS
    类别：支付系统故障（payment）  置信度：...
    """
    return classify(_one(text, "explain"), model=model).card()


def letter(text: str, model: Model | None = None) -> str:
    """A 退款申请 draft for one complaint, with its facts and the evidence to attach.

    >>> print(letter("付款显示失败但银行卡扣了199元").splitlines()[0])
    退款申请
    """
    return classify(_one(text, "letter"), model=model).letter()
