"""classifier/batch/frames.py: DataFrames and records whose cells are missing in pandas' ways
(pd.NA, NaT, NumPy NaN), and frames whose column names are not unique."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from classifier import classify_frame
from classifier.batch.columns import as_text, is_missing
from classifier.batch.frames import classify_records
from classifier.errors import DuplicateColumnError, InvalidInputError


@pytest.mark.parametrize("dtype", ["string", "string[pyarrow]", "object"])
def test_a_null_text_of_a_string_column_is_empty_text(lean, dtype):
    if dtype == "string[pyarrow]":
        pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"t": pd.array(["付款失败扣了钱", None], dtype=dtype)})
    out = classify_frame(frame, text_column="t", model=lean)
    assert out["status"].tolist() == ["ok", "empty_text"]
    assert out["category"].tolist()[1] == ""
    assert np.isnan(out["confidence"].iloc[1])


def test_every_kind_of_missing_cell_is_empty_text(lean):
    missing = [None, float("nan"), pd.NA, pd.NaT, np.float32("nan"), np.datetime64("NaT")]
    frame = pd.DataFrame({"t": pd.Series(["付款失败扣了钱", *missing], dtype=object)})
    out = classify_frame(frame, text_column="t", model=lean)
    assert out["status"].tolist() == ["ok"] + ["empty_text"] * len(missing)


def test_records_with_a_null_text_are_empty_text(lean):
    out = classify_records(
        [{"t": pd.NA}, {"t": "付款失败扣了钱"}, {"t": pd.NaT}], text_column="t", model=lean
    )
    assert [r["status"] for r in out] == ["empty_text", "ok", "empty_text"]


def test_missing_fact_cells_are_no_facts(lean):
    frame = pd.DataFrame(
        {
            "投诉内容": ["付款失败扣了钱", "付款失败扣了钱"],
            "投诉时间": pd.to_datetime(["2024-03-02 21:14", None]),
            "平台": pd.array(["淘宝", None], dtype="string"),
        }
    )
    out = classify_frame(frame, model=lean)  # NaT in a date column raised ValueError
    assert out["status"].tolist() == ["ok", "ok"]
    assert "2024年3月2日" in out["evidence"].iloc[0] and "淘宝" in out["steps"].iloc[0]
    assert "<NA>" not in out["steps"].iloc[1] and "NaT" not in out["evidence"].iloc[1]


def test_is_missing_and_as_text():
    assert all(map(is_missing, [None, float("nan"), pd.NA, pd.NaT, np.float64("nan"), np.datetime64("NaT")]))
    assert not any(map(is_missing, ["", "<NA>", 0, False, np.int64(3), np.array([1.0, np.nan]), [None]]))
    assert [as_text(v) for v in (pd.NA, pd.NaT, "付款", 3, b"\xe6\x89\xa3")] == [
        None,
        None,
        "付款",
        "3",
        "扣",
    ]


@pytest.mark.parametrize(
    "columns, kwargs, message",
    [
        (["t", "t", "x"], {"text_column": "t"}, r"2 columns are named 't', the text column"),
        (["投诉内容", "投诉内容", "x"], {}, r"2 columns are named '投诉内容', the text column"),
        (["t", "date", "date"], {"text_column": "t"}, r"named 'date', the date column.*fact_columns"),
    ],
)
def test_a_duplicated_column_that_is_read_is_a_clear_error(lean, columns, kwargs, message):
    frame = pd.DataFrame([["付款失败扣了钱", "2024-01-01", "y"]], columns=columns)
    with pytest.raises(DuplicateColumnError, match=message) as raised:
        classify_frame(frame, model=lean, **kwargs)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, InvalidInputError)


def test_other_duplicated_columns_are_kept(lean):
    frame = pd.DataFrame([["付款失败扣了钱", "a", "b"]], columns=["t", "x", "x"])
    out = classify_frame(frame, text_column="t", model=lean)
    assert list(out.columns[:3]) == ["t", "x", "x"] and out["status"].tolist() == ["ok"]
    assert out.iloc[0, 1:3].tolist() == ["a", "b"]
