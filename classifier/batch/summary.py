"""What a batch run did: one :class:`Summary`, tallied the same way by every engine."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ..labels import LABEL_NAMES_ZH, LABELS

__all__ = ["Summary", "Tally"]

_KINDS_ZH = {
    "platform": "平台",
    "date": "日期",
    "order_number": "订单号",
    "waybill": "快递单号",
    "money": "金额",
    "phone": "电话",
}


@dataclass
class Summary:
    """What a batch run did: counts, encoding ("" where the input has no text encoding: a
    workbook, Parquet), timing."""

    input: str
    output: str
    rows: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    abstained: int = 0
    encoding: str = ""
    format: str = ""
    text_column: str = ""
    seconds: float = 0.0
    # input file → why it was not classified (runs over several files)
    errors: dict[str, str] = field(default_factory=dict)
    # what the readers noticed but did not stop for (a --delimiter the file contradicts)
    warnings: list[str] = field(default_factory=list)
    fact_columns: dict[str, str] = field(default_factory=dict)  # fact kind -> column the advice read

    @property
    def rows_per_second(self) -> float:
        """Rows classified per second of the whole run."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Every field plus ``rows_per_second`` (JSON-ready)."""
        return {**asdict(self), "rows_per_second": round(self.rows_per_second, 1)}

    def format_text(self) -> str:
        """The lines the CLI prints after a run (the encoding only where the input has one).

        >>> print(Summary("in.xlsx", "out.csv", rows=2, text_column="内容").format_text().splitlines()[0])
        2 行 → out.csv（文本列：内容）
        >>> print(Summary("in.csv", "-", 2, encoding="gb18030", text_column="内容").format_text().splitlines()[0])
        2 行 → -（文本列：内容，编码：gb18030）
        """
        encoding = f"，编码：{self.encoding}" if self.encoding else ""
        cats = "，".join(
            f"{LABEL_NAMES_ZH[k]} {v}" for k, v in self.categories.items() if k in LABEL_NAMES_ZH
        )
        problems = {k: v for k, v in self.statuses.items() if k != "ok"}
        return "\n".join(
            [
                f"{self.rows} 行 → {self.output}（文本列：{self.text_column}{encoding}）",
                *(
                    [
                        "补充信息列："
                        + "，".join(f"{c}（{_KINDS_ZH.get(k, k)}）" for k, c in self.fact_columns.items())
                    ]
                    if self.fact_columns
                    else []
                ),
                f"类别：{cats or '无'}；其中因把握不足归为“其他”：{self.abstained}",
                "状态：" + ("，".join(f"{k} {v}" for k, v in problems.items()) if problems else "全部 ok"),
                f"用时 {self.seconds:.2f} 秒，{self.rows_per_second:.0f} 行/秒",
                *(f"未能处理 {name}：{error}" for name, error in self.errors.items()),
            ]
        )


class Tally:
    """Counts of rows, categories, statuses and abstentions, added up part by part.

    >>> tally = Tally()
    >>> tally.add(rows=2, categories={"payment": 2}, statuses={"ok": 2}, abstained=0)
    >>> tally.add(rows=1, categories={}, statuses={"empty_text": 1}, abstained=0)
    >>> summary = tally.into(Summary("in.csv", "out.csv"))
    >>> summary.rows, summary.categories["payment"], summary.statuses
    (3, 2, {'ok': 2, 'empty_text': 1})
    """

    def __init__(self) -> None:
        self.rows = 0
        self.abstained = 0
        self.categories: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()

    def add(
        self, *, rows: int, categories: Mapping[str, int], statuses: Mapping[str, int], abstained: int
    ) -> None:
        """Count one part (a chunk of rows, or a finished file's summary)."""
        self.rows += rows
        self.abstained += abstained
        self.categories.update(categories)
        self.statuses.update(statuses)

    def add_summaries(self, summaries: Iterable[Mapping[str, Any]]) -> None:
        """Count finished runs (``Summary.to_dict()`` of each part)."""
        for s in summaries:
            self.add(
                rows=s["rows"], categories=s["categories"], statuses=s["statuses"], abstained=s["abstained"]
            )

    def into(self, summary: Summary) -> Summary:
        """``summary`` with these counts (categories in label order, every label present)."""
        summary.rows = self.rows
        summary.abstained = self.abstained
        summary.categories = {label: self.categories[label] for label in LABELS}
        summary.statuses = dict(self.statuses)
        return summary
