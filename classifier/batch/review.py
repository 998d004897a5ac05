"""The review queue: the rows of a classified file most worth a human look, plus a random share.

From the output of ``complaint-classifier classify``, :func:`review` picks every
``needs_review`` row, a random share of all classified rows (so the team's labels also give an
unbiased accuracy estimate), and fills the rest with the least certain rows: lowest confidence
and nearest ties between the two top labels, taken in turn. The queue keeps the original
columns, in file order, and adds an empty ``label`` column and ``why_chosen``.

>>> picks = choose_rows([0.99, 0.41, 0.52, 0.50], [0.98, 0.10, 0.06, 0.30], ["ok"] * 4, size=2, random_share=0)
>>> [(i, why) for i, why in sorted(picks.items())]
[(1, 'low_confidence'), (2, 'near_tie')]
"""

from __future__ import annotations

import math
import os
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..errors import ColumnNotFoundError, InputFileError
from ..labels import LABELS
from .columns import PROB_COLUMNS
from .readers import ReadOptions, open_table
from .writers import open_writer

__all__ = ["REVIEW_STATUS", "ReviewSummary", "WHY_CHOSEN", "choose_rows", "review"]

# The status the classifier gives rows it could score but should not be trusted on.
REVIEW_STATUS = "needs_review"
WHY_CHOSEN = ("needs_review", "random", "low_confidence", "near_tie")
# Rows whose text was scored; the others (blank, damaged lines) are never queued.
_SCORED = ("ok", "truncated", "decode_error", REVIEW_STATUS)


@dataclass
class ReviewSummary:
    """What went into the queue, and why."""

    rows: int  # rows of the classified file
    scored: int  # of which classified (the rest: blank or damaged)
    queued: int
    why_chosen: dict[str, int]
    output: str

    def to_dict(self) -> dict[str, Any]:
        """Every field (JSON-ready)."""
        return asdict(self)

    def format(self) -> str:
        """One line for terminals, in Chinese as ``classify``'s summary is (the queue is for the
        team that reads the complaints).

        >>> print(ReviewSummary(40, 39, 10, {"random": 2, "low_confidence": 8}, "queue.csv").format())
        从 40 行中选出 10 行 → queue.csv（随机抽取 2，把握不足 8）；请在 label 列填上每行的正确类别（payment、service_interruption、data_error 或 other），然后运行：complaint-classifier train --add queue.csv -o <新模型目录>
        """
        if not self.queued:
            return (
                f"从 {self.rows} 行中没有选出要复核的行（已分类 {self.scored} 行）；{self.output} 里只有表头"
            )
        why = "，".join(f"{_WHY_ZH.get(k, k)} {v}" for k, v in self.why_chosen.items() if v)
        return (
            f"从 {self.rows} 行中选出 {self.queued} 行 → {self.output}（{why}）；"
            f"请在 label 列填上每行的正确类别（{'、'.join(LABELS[:-1])} 或 {LABELS[-1]}），"
            f"然后运行：complaint-classifier train --add {shlex.quote(self.output)} -o <新模型目录>"
        )


# why_chosen's values (kept as they are in the queue's column, for machines), as the summary says them
_WHY_ZH = {
    "needs_review": "待人工复核",
    "random": "随机抽取",
    "low_confidence": "把握不足",
    "near_tie": "前两类难分",
}


def choose_rows(
    confidence: Sequence[float],
    margin: Sequence[float] | None,
    status: Sequence[str],
    *,
    size: int,
    random_share: float = 0.2,
    seed: int = 0,
) -> dict[int, str]:
    """Row index → why it was chosen, for at most ``size`` rows besides the ``needs_review`` ones.

    ``margin`` is the gap between each row's two most probable labels (``None``: unknown, then
    only the lowest confidence counts). Ties keep file order; the random share comes from
    ``numpy.random.default_rng(seed)``, so the same inputs and seed give the same queue.
    """
    scored = [i for i, s in enumerate(status) if s in _SCORED]
    chosen: dict[int, str] = {i: "needs_review" for i in scored if status[i] == REVIEW_STATUS}
    rest = [i for i in scored if i not in chosen]
    n_random = min(len(rest), size, math.ceil(size * random_share))
    rng = np.random.default_rng(seed)
    for i in sorted(rng.choice(len(rest), size=n_random, replace=False).tolist()):
        chosen[rest[i]] = "random"
    by_confidence = sorted(rest, key=lambda i: (confidence[i], i))
    by_margin = sorted(rest, key=lambda i: (margin[i], i)) if margin is not None else []
    queues = [iter(by_confidence), iter(by_margin)]
    reasons = ("low_confidence", "near_tie")
    budget = min(size, len(rest)) - n_random
    turn = 0
    while budget > 0 and queues:
        which = turn % len(queues)
        for i in queues[which]:
            if i not in chosen:
                chosen[i] = reasons[which] if margin is not None else "low_confidence"
                budget -= 1
                break
        else:  # this ranking is used up
            queues.pop(which)
            continue
        turn += 1
    return chosen


def _number(value: Any) -> float:
    try:
        number = float(str(value).lstrip("'"))
    except ValueError:
        return math.nan
    return number


def _result_name(name: str, position: Mapping[str, int]) -> str:
    """The column ``classify`` wrote result ``name`` into: ``name``, or ``name_predicted`` (and
    so on) where the input already had a column of that name."""
    while f"{name}_predicted" in position:
        name += "_predicted"
    return name


def review(
    classified: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    size: int = 100,
    seed: int = 0,
    random_share: float = 0.2,
    label_column: str = "label",
    force: bool = False,
    read: ReadOptions | None = None,
) -> ReviewSummary:
    """Write the review queue of a classified file (the output of ``classify``) to ``output``.

    >>> review("classified.csv", "queue.csv", size=50)        # doctest: +SKIP
    """
    if size < 1:
        raise InputFileError(f"--size must be at least 1, got {size}")
    if not 0 <= random_share <= 1:
        raise InputFileError(f"random_share must be between 0 and 1, got {random_share}")
    table = open_table(classified, read)
    try:
        columns = list(table.columns)
        if "confidence" not in columns:
            raise ColumnNotFoundError.missing(
                "confidence",
                columns,
                f"{classified} is not a classified file: run complaint-classifier classify first "
                "(with every column, or --columns confidence)",
            )
        rows = [row.fields for row in table.rows]
    finally:
        table.close()
    position = {name: i for i, name in enumerate(columns)}
    # (the classifier's own column of each name: status_predicted where the input had a status)
    for name in ("confidence", "status", *PROB_COLUMNS):
        if name in position:
            position[name] = position[_result_name(name, position)]
    confidence = [_number(r[position["confidence"]]) for r in rows]
    status = [str(r[position["status"]]) if "status" in position else "ok" for r in rows]
    status = [s if not math.isnan(c) or s not in _SCORED else "unscored" for s, c in zip(status, confidence)]
    margin = None
    if all(name in position for name in PROB_COLUMNS):
        probs = np.array([[_number(r[position[c]]) for c in PROB_COLUMNS] for r in rows]).reshape(-1, 4)
        top_two = np.sort(np.nan_to_num(probs, nan=0.0), axis=1)[:, -2:]
        margin = (top_two[:, 1] - top_two[:, 0]).tolist()
    chosen = choose_rows(confidence, margin, status, size=size, random_share=random_share, seed=seed)
    extra = ([] if label_column in position else [label_column]) + ["why_chosen"]
    writer = open_writer(output, columns + extra, input_path=str(classified), force=force)
    try:
        label_blank = [""] if label_column not in position else []
        writer.write([[*rows[i], *label_blank, chosen[i]] for i in sorted(chosen)])
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    counts = {why: sum(1 for w in chosen.values() if w == why) for why in WHY_CHOSEN}
    return ReviewSummary(
        rows=len(rows),
        scored=sum(s in _SCORED for s in status),
        queued=len(chosen),
        why_chosen=counts,
        output=str(output),
    )
