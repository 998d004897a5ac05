"""The four categories, in the order used everywhere (API, CSV columns, metadata), and the
names people type for them."""

from __future__ import annotations

import unicodedata

from .errors import UnknownLabelError

__all__ = [
    "ACCEPTED_LABELS",
    "FAILURE_LABELS",
    "LABELS",
    "LABEL_ALIASES",
    "LABEL_NAMES_EN",
    "LABEL_NAMES_ZH",
    "OTHER",
    "label_of",
]

OTHER = "other"
LABELS: tuple[str, ...] = ("payment", "service_interruption", "data_error", OTHER)
FAILURE_LABELS: tuple[str, ...] = LABELS[:3]
LABEL_NAMES_ZH: dict[str, str] = {
    "payment": "支付系统故障",
    "service_interruption": "服务系统中断",
    "data_error": "数据系统错误",
    OTHER: "其他（非系统故障）",
}
LABEL_NAMES_EN: dict[str, str] = {
    "payment": "Payment system failure",
    "service_interruption": "Service interruption",
    "data_error": "Data error",
    OTHER: "Other (not a system failure)",
}

# What people type in a label column, each mapped to its label. Keys are compared after
# NFKC, lower-casing, traditional characters made simplified and spaces and hyphens turned into
# underscores (see label_of).
LABEL_ALIASES: dict[str, str] = {
    # the labels themselves, their Chinese names and their English names
    **{label: label for label in LABELS},
    **{name: label for label, name in LABEL_NAMES_ZH.items()},
    **{name.lower().replace(" ", "_"): label for label, name in LABEL_NAMES_EN.items()},
    # short forms
    "支付": "payment",
    "支付故障": "payment",
    "付款": "payment",
    "服务": "service_interruption",
    "中断": "service_interruption",
    "服务中断": "service_interruption",
    "服务故障": "service_interruption",
    "service": "service_interruption",
    "interruption": "service_interruption",
    "outage": "service_interruption",
    "数据": "data_error",
    "数据错误": "data_error",
    "数据故障": "data_error",
    "data": "data_error",
    "其他": OTHER,
    "其它": OTHER,
    "非系统故障": OTHER,
}


# the traditional characters of the aliases, as their simplified ones (支付系統故障, 數據錯誤)
_SIMPLIFIED = str.maketrans("統務斷數據錯誤", "统务断数据错误")


def _alias_key(typed: str) -> str:
    key = unicodedata.normalize("NFKC", typed).strip().lower().translate(_SIMPLIFIED)
    return "_".join(key.replace("-", " ").replace("_", " ").split())


def label_of(typed: str) -> str | None:
    """The label a person typed, in any accepted form; ``None`` for a blank cell.

    Raises :class:`~classifier.errors.UnknownLabelError` (a ``ValueError``) for anything else.

    >>> label_of("支付系统故障"), label_of("支付"), label_of(" Payment "), label_of("")
    ('payment', 'payment', 'payment', None)
    >>> label_of("其他（非系统故障）"), label_of("Service interruption")
    ('other', 'service_interruption')
    """
    key = _alias_key(typed)
    if not key:
        return None
    label = _ALIAS_KEYS.get(key)
    if label is None:
        raise UnknownLabelError(f"unknown label {typed!r}; {ACCEPTED_LABELS}")
    return label


_ALIAS_KEYS: dict[str, str] = {_alias_key(k): v for k, v in LABEL_ALIASES.items()}
ACCEPTED_LABELS = "accepted: " + "; ".join(
    f"{label} / {LABEL_NAMES_ZH[label]} / {short}"
    for label, short in zip(LABELS, ("支付", "服务中断", "数据错误", "其他"))
)
