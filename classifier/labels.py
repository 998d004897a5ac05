"""The four categories, in the order used everywhere (API, CSV columns, metadata)."""

from __future__ import annotations

__all__ = ["LABELS", "LABEL_NAMES_ZH", "LABEL_NAMES_EN", "FAILURE_LABELS", "OTHER"]

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
