"""Compare two models on labelled rows neither was trained on: F1 with intervals, McNemar, changes.

>>> report = compare("checked.csv", ["my-model"])                # doctest: +SKIP
>>> print(report.format())                                       # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InputFileError
from ..labels import LABELS
from ..model.estimator import ComplaintClassifier
from ..model.significance import BOOTSTRAP_ROUNDS, Interval, bootstrap_f1, mcnemar_exact
from .adapt import read_labelled
from .readers import ReadOptions
from .writers import open_writer

__all__ = ["BUNDLED", "Comparison", "compare"]

BUNDLED = "bundled"  # the name of the bundled model in a comparison


@dataclass
class Comparison:
    """Two models scored on the same held-out rows."""

    models: list[str]
    n: int
    skipped_training_rows: int
    scores: dict[str, dict[str, Interval]]  # model → macro_f1 / label → (point, low, high)
    difference: Interval  # second minus first, paired bootstrap
    only_first_right: int
    only_second_right: int
    mcnemar_p: float
    changed: int
    changed_rows: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Every field (JSON-ready), without the changed rows' texts."""
        data = asdict(self)
        data.pop("changed_rows")
        return data

    def format(self) -> str:
        """A plain-text table for terminals."""
        first, second = self.models
        width = max(len("label"), *(len(label) for label in LABELS))
        lines = [f"{self.n} labelled rows; models: A = {first}, B = {second}"]
        if self.skipped_training_rows:
            lines.append(f"skipped {self.skipped_training_rows} rows a model was trained on")
        lines.append(f"{'F1 (95% interval)':{width}s}  {'A':>22s}  {'B':>22s}")
        for key in ["macro_f1", *LABELS]:
            if key not in self.scores[first]:
                continue
            cells = [self.scores[m][key] for m in self.models]
            lines.append(
                f"{key:{width}s}  "
                + "  ".join(f"{p:.3f} [{lo:.3f}, {hi:.3f}]".rjust(22) for p, lo, hi in cells)
            )
        d, lo, hi = self.difference
        lines.append(
            f"B − A macro-F1: {d:+.3f} [{lo:+.3f}, {hi:+.3f}] (paired bootstrap, {BOOTSTRAP_ROUNDS} rounds)"
        )
        lines.append(
            f"McNemar (exact): only A right on {self.only_first_right} rows, only B right on "
            f"{self.only_second_right}; p = {self.mcnemar_p:.3g}"
        )
        lines.append(f"rows whose label changed: {self.changed}")
        return "\n".join(lines)


def _load(model: str | None, trust_pickle: bool) -> tuple[str, ComplaintClassifier]:
    # the full estimator: it remembers its training rows, which are never scored
    if model is None or model == BUNDLED:
        return BUNDLED, ComplaintClassifier.load()
    return str(model), ComplaintClassifier.load(model, trust_pickle=trust_pickle)


def compare(
    data: str | os.PathLike[str],
    models: Sequence[str | None],
    *,
    text_column: str | None = None,
    label_column: str = "label",
    output: str | os.PathLike[str] | None = None,
    force: bool = False,
    seed: int = 0,
    read: ReadOptions | None = None,
    trust_pickle: bool = False,
) -> Comparison:
    """Score two models (``None`` or ``"bundled"``: the bundled model; one given: it against the
    bundled model) on the labelled rows of ``data`` that neither was trained on.

    Gives macro-F1 and per-class F1 with 95 % bootstrap intervals (the same resamples for both),
    the paired interval of the difference, McNemar's exact test on the rows exactly one model
    gets right, and the rows whose predicted label changed (written to ``output`` if given, as
    ``text``, ``label``, ``model_a``, ``model_b`` and ``change``: see :func:`_change`).
    """
    chosen = list(models)
    if len(chosen) == 1:
        chosen = [None, chosen[0]]
    if len(chosen) != 2:
        raise InputFileError(f"compare needs one or two models, got {len(chosen)}")
    (first, a), (second, b) = _load(chosen[0], trust_pickle), _load(chosen[1], trust_pickle)
    if first == second:
        second += " (2)"
    rows = read_labelled(data, text_column=text_column, label_column=label_column, read=read)
    seen = [x or y for x, y in zip(a.was_trained_on(rows.texts), b.was_trained_on(rows.texts))]
    kept = [i for i, s in enumerate(seen) if not s]
    if not kept:
        raise InputFileError(
            f"every labelled row of {data} was used to train one of the models: nothing to compare on"
        )
    texts = [rows.texts[i] for i in kept]
    truth = [rows.labels[i] for i in kept]
    said_a, said_b = [str(x) for x in a.predict(texts)], [str(x) for x in b.predict(texts)]
    scores = bootstrap_f1(truth, {first: said_a, second: said_b}, seed=seed)
    only_a, only_b, p = mcnemar_exact(truth, said_a, said_b)
    changed = [
        {"text": t, "label": y, "model_a": pa, "model_b": pb}
        for t, y, pa, pb in zip(texts, truth, said_a, said_b)
        if pa != pb
    ]
    if output is not None:
        columns = ["text", "label", "model_a", "model_b", "change"]
        writer = open_writer(output, columns, input_path=str(data), force=force)
        try:
            writer.write([[r["text"], r["label"], r["model_a"], r["model_b"], _change(r)] for r in changed])
            writer.commit()
        except BaseException:
            writer.abort()
            raise
    return Comparison(
        models=[first, second],
        n=len(kept),
        skipped_training_rows=len(rows.texts) - len(kept),
        scores={name: scores[name] for name in (first, second)},
        difference=scores["difference"]["macro_f1"],
        only_first_right=only_a,
        only_second_right=only_b,
        mcnemar_p=p,
        changed=len(changed),
        changed_rows=changed,
    )


def _change(row: dict[str, str]) -> str:
    """``fixed`` (B right, A wrong), ``broken`` (A right, B wrong) or ``both_wrong``."""
    if row["model_b"] == row["label"]:
        return "fixed"
    return "broken" if row["model_a"] == row["label"] else "both_wrong"
