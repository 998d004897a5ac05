"""One-call classification with the bundled default model (top layer)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from typing import overload

from .advice.result import Result
from .engine.scorer import Model
from .errors import InvalidInputError
from .model.files import default_model, load_for_inference

__all__ = ["classify", "default_model", "explain", "letter"]


# a loaded model, or the directory of a saved one
ModelLike = Model | str | os.PathLike[str] | None
_LOADED: dict[str, Model] = {}


def _model(model: ModelLike) -> Model:
    """The model to answer with: the default, a loaded one, or one loaded (once) from a directory."""
    if model is None:
        return default_model()
    if isinstance(model, (str, os.PathLike)):
        key = os.path.abspath(os.fspath(model))
        if key not in _LOADED:
            _LOADED[key] = load_for_inference(model)
        return _LOADED[key]
    return model


@overload
def classify(texts: str, model: ModelLike = None) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too


@overload
def classify(texts: Iterable[str], model: ModelLike = None) -> list[Result]: ...


def classify(texts: str | Iterable[str], model: ModelLike = None) -> Result | list[Result]:
    """Classify one complaint (→ ``Result``) or a list of complaints (→ list of ``Result``).

    ``model`` is a loaded model or the directory of a saved one (default: the bundled model).

    >>> classify("付款显示失败但银行卡扣了199元").category
    'payment'
    >>> [r.category for r in classify(["会员开了视频一直黑屏", "购物车的商品全没了"])]
    ['service_interruption', 'data_error']
    """
    return _model(model).classify(texts)


def _one(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} takes one text (str), got {type(text).__name__}")
    return text


def explain(text: str, model: ModelLike = None) -> str:
    """A readable card for one complaint: category, confidence, reasons, evidence, steps.

    >>> print(explain("付款显示失败但银行卡扣了199元").splitlines()[0])  # doctest: +ELLIPSIS
    类别：支付系统故障 · payment　置信度：...
    """
    return classify(_one(text, "explain"), model=model).card()


def letter(
    text: str, model: ModelLike = None, *, deadline_hours: int = 24, today: datetime.date | None = None
) -> str:
    """A letter for one complaint (退款申请, 数据更正申请 …), with its facts and attachments.

    ``deadline_hours`` (1 to 720) is the deadline asked for; ``today`` dates the letter and
    resolves relative dates (昨晚, 前天) in the complaint.

    >>> print(letter("付款显示失败但银行卡扣了199元").splitlines()[0])
    退款申请
    """
    return classify(_one(text, "letter"), model=model).letter(deadline_hours=deadline_hours, today=today)
