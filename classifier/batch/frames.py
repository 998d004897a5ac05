"""DataFrames and records: the batch path in memory, row count in = row count out.

>>> import pandas as pd
>>> from classifier import classify_frame
>>> out = classify_frame(pd.DataFrame({"投诉内容": ["付款显示失败但银行卡扣了199元", ""]}))
>>> out["category"].tolist(), out["status"].tolist(), bool(out["confidence"].isna()[1])
(['payment', ''], ['ok', 'empty_text'], True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..engine.scorer import Model
from ..errors import InvalidInputError
from ..model.files import default_model
from .columns import (
    NUMERIC_COLUMNS,
    RowClassifier,
    as_text,
    check_read_columns_unique,
    fact_columns_of,
    known_facts,
    output_names,
    present,
    text_column_of,
)

__all__ = ["classify_frame", "classify_records"]


def classify_records(
    records: Sequence[Mapping[str, Any]],
    text_column: str,
    model: Model | None = None,
    statuses: Iterable[str] | None = None,
    columns: str | Iterable[object] | None = None,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Classify a list of dicts (one per row); returns the dicts with result columns added.

    ``fact_columns`` say which keys hold facts the advice uses (see
    :func:`~classifier.batch.columns.fact_columns_of`; default: guessed from the keys).
    """
    keys = list(records[0]) if records else []
    facts = fact_columns_of(keys, fact_columns, text_column)
    classifier = RowClassifier(model or default_model(), columns, facts)
    names = output_names(keys)
    texts = [as_text(r.get(text_column)) for r in records]
    known = [known_facts(facts, r) for r in records] if classifier.fact_columns else None
    results = classifier(texts, list(statuses) if statuses else ["ok"] * len(records), known)
    out_names = [names[k] for k in classifier.columns]
    return [{**r, **dict(zip(out_names, res))} for r, res in zip(records, results)]


def classify_frame(
    df: pd.DataFrame,
    text_column: str | None = None,
    model: Model | None = None,
    columns: str | Iterable[object] | None = None,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Classify a DataFrame's text column; returns a copy with the result columns appended.

    Missing or blank texts get status ``empty_text``; every row is kept, in order. ``columns``
    picks result columns (see :func:`~classifier.batch.columns.result_columns`);
    ``fact_columns`` the columns whose platform, date, order number, waybill number, amount or phone
    the advice uses (see :func:`~classifier.batch.columns.fact_columns_of`; default: guessed from
    the names).
    """
    if not isinstance(df, pd.DataFrame):
        raise InvalidInputError(f"classify_frame expects a pandas DataFrame, got {type(df).__name__}")
    text_column = text_column_of(list(df.columns), text_column)
    facts = fact_columns_of(list(df.columns), fact_columns, text_column)
    check_read_columns_unique(list(df.columns), text_column, facts)
    classifier = RowClassifier(model or default_model(), columns, facts)
    texts = [as_text(v) for v in df[text_column].tolist()]
    known = None
    if classifier.fact_columns:
        by_kind = {
            kind: [present(v) for v in df[column].tolist()]
            for kind, column in classifier.fact_columns.items()
        }
        known = [dict(zip(by_kind, row)) for row in zip(*by_kind.values())]
    results = classifier(texts, ["ok"] * len(texts), known)
    out = df.copy()
    names = output_names([str(c) for c in df.columns])
    for column, cells in zip(
        classifier.columns, zip(*results) if results else [()] * len(classifier.columns)
    ):
        values: list[object] | pd.Series = list(cells)
        if column in NUMERIC_COLUMNS:  # blank rows have no probabilities: NaN, not ""
            values = pd.Series(
                [float("nan") if v == "" else v for v in cells], index=df.index, dtype="float64"
            )
        out[names[column]] = values
    return out
