"""Files: every input variant keeps row count, order, columns and gets the right statuses.

The batch columns against ``classify``, scores-only against every column, worker processes
against one process and block reading against line reading are checked in
tests/test_equivalence.py.
"""

import csv
import io
import json

import pandas as pd
import pytest

from classifier import classify_file, classify_frame
from classifier.batch.columns import RESULT_COLUMNS, find_text_column, text_column_of
from classifier.batch.readers import ReadOptions, Row, open_table
from classifier.errors import ColumnNotFoundError, InputFileError, ResultColumnError

ROWS = [("1", "付款显示失败但银行卡扣了199元"), ("2", "会员开了视频一直黑屏"), ("3", "购物车的商品全没了")]


def _csv(rows, delimiter=",", newline="\n", header=("编号", "投诉内容")):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


VARIANTS = {
    "utf8": (_csv(ROWS).encode("utf-8"), ["ok"] * 3),
    "utf8_bom": (b"\xef\xbb\xbf" + _csv(ROWS).encode("utf-8"), ["ok"] * 3),
    "gbk": (_csv(ROWS).encode("gbk"), ["ok"] * 3),
    "gb18030": (_csv(ROWS + [("4", "𠮷野家外卖付了钱订单没了")]).encode("gb18030"), ["ok"] * 4),
    "tsv": (_csv(ROWS, delimiter="\t").encode(), ["ok"] * 3),
    "semicolon": (_csv(ROWS, delimiter=";").encode(), ["ok"] * 3),
    "crlf": (_csv(ROWS, newline="\r\n").encode(), ["ok"] * 3),
    "multiline_cell": (_csv(ROWS + [("4", '第一行：扣了钱\n第二行：订单没生成,"急"')]).encode(), ["ok"] * 4),
    "blank_texts": (_csv(ROWS + [("4", ""), ("5", "   ")]).encode(), ["ok"] * 3 + ["empty_text"] * 2),
    "huge_cell": (_csv(ROWS + [("4", "扣款失败" * 260000)]).encode(), ["ok"] * 3 + ["truncated"]),
    "duplicate_headers": (
        _csv([(a, b, "x") for a, b in ROWS], header=("编号", "投诉内容", "编号")).encode(),
        ["ok"] * 3,
    ),
    "malformed_line": (
        _csv(ROWS).encode() + b"4,extra,fields,here\n5,\xe6\x89\xa3\xe6\xac\xbe\n",
        ["ok"] * 3 + ["malformed_line", "ok"],
    ),
    "semicolons_in_cells": (_csv(ROWS + [("4", "扣款;失败;;没到账|||")]).encode(), ["ok"] * 4),
    "bare_carriage_return": (
        _csv(ROWS).encode() + "4,扣款\r失败\n".encode(),
        ["ok"] * 3 + ["malformed_line"],
    ),
    "binary_garbage": (_csv(ROWS).encode() + b"4,\xff\xfe\x00\x81garbage\n", ["ok"] * 3 + ["decode_error"]),
}


@pytest.fixture
def write(tmp_path):
    def _write(name, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variants_keep_every_row(variant, write, tmp_path, pipeline):
    data, statuses = VARIANTS[variant]
    source = write(f"{variant}.csv", data)
    out = tmp_path / "out.csv"
    summary = classify_file(source, out, model=pipeline)
    result = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert summary.rows == len(statuses) == len(result)
    assert result["status"].tolist() == statuses
    assert result.iloc[:, 0].tolist() == [str(i) for i in range(1, len(statuses) + 1)]
    assert list(result.columns[: len(result.columns) - len(RESULT_COLUMNS)])[:2] == ["编号", "投诉内容"]
    for column in RESULT_COLUMNS:
        assert column in result.columns


@pytest.mark.parametrize("variant", ["utf8_bom", "gbk", "gb18030"])
def test_encodings_classify_like_utf8(variant, write, tmp_path, pipeline):
    base = classify_file(write("a.csv", VARIANTS["utf8"][0]), tmp_path / "a_out.csv", model=pipeline)
    other = classify_file(write("b.csv", VARIANTS[variant][0]), tmp_path / "b_out.csv", model=pipeline)
    a = pd.read_csv(tmp_path / "a_out.csv", encoding="utf-8-sig")
    b = pd.read_csv(tmp_path / "b_out.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(a, b.iloc[: len(a)])
    assert other.encoding != base.encoding or variant == "utf8"


def test_summary_reports_encoding_and_counts(write, tmp_path, pipeline):
    summary = classify_file(write("g.csv", VARIANTS["gbk"][0]), tmp_path / "o.csv", model=pipeline)
    assert summary.encoding == "gb18030"
    assert sum(summary.categories.values()) == 3
    assert summary.to_dict()["rows_per_second"] > 0


def test_jsonl_in_and_out(write, tmp_path, pipeline):
    lines = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in ROWS) + "\n{broken\n"
    source = write("in.jsonl", lines.encode())
    classify_file(source, tmp_path / "out.jsonl", model=pipeline)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [r["status"] for r in out] == ["ok", "ok", "ok", "malformed_line"]


def test_xlsx_in_and_out(tmp_path, pipeline):
    pytest.importorskip("openpyxl")
    pd.DataFrame(ROWS, columns=["编号", "投诉内容"]).to_excel(tmp_path / "in.xlsx", index=False)
    summary = classify_file(tmp_path / "in.xlsx", tmp_path / "out.xlsx", model=pipeline)
    out = pd.read_excel(tmp_path / "out.xlsx", dtype=str)
    assert len(out) == 3 and (out["status"] == "ok").all()
    # a workbook has no text encoding, nor does one renamed .csv: the summary names none
    (tmp_path / "renamed.csv").write_bytes((tmp_path / "in.xlsx").read_bytes())
    renamed = classify_file(tmp_path / "renamed.csv", tmp_path / "out2.csv", model=pipeline)
    for s in (summary, renamed):
        assert s.format == "xlsx" and s.encoding == ""
        assert s.format_text().splitlines()[0].endswith("（文本列：投诉内容）")


def test_formula_cells_are_neutralised(write, tmp_path, pipeline):
    source = write("f.csv", _csv([("1", '=HYPERLINK("http://x","退款")'), ("-2", "@SUM(1)扣款")]).encode())
    classify_file(source, tmp_path / "o.csv", model=pipeline)
    out = pd.read_csv(tmp_path / "o.csv", dtype=str, encoding="utf-8-sig")
    assert out["投诉内容"].tolist()[0].startswith("'=")
    assert out["投诉内容"].tolist()[1].startswith("'@")
    assert out["编号"].tolist() == ["1", "-2"]  # plain numbers stay numbers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf", "is empty"),
        ("编号,投诉内容\n".encode(), "no data rows"),
    ],
)
def test_empty_inputs_are_clear_errors(write, tmp_path, pipeline, data, message):
    with pytest.raises(InputFileError, match=message):
        classify_file(write("e.csv", data), tmp_path / "o.csv", model=pipeline)
    assert not (tmp_path / "o.csv").exists()


def test_missing_file_and_column(write, tmp_path, pipeline):
    with pytest.raises(InputFileError, match="no such file"):
        classify_file(tmp_path / "nope.csv", tmp_path / "o.csv", model=pipeline)
    source = write("c.csv", _csv(ROWS, header=("编号", "备注")).encode())
    with pytest.raises(ColumnNotFoundError, match="available: 编号, 备注"):
        classify_file(source, tmp_path / "o.csv", model=pipeline, text_column="正文")


def test_safe_writes(write, tmp_path, pipeline):
    source = write("s.csv", VARIANTS["utf8"][0])
    with pytest.raises(InputFileError, match="input file"):
        classify_file(source, source, model=pipeline, force=True)
    out = tmp_path / "exists.csv"
    out.write_text("keep me")
    with pytest.raises(InputFileError, match="--force"):
        classify_file(source, out, model=pipeline)
    assert out.read_text() == "keep me"
    classify_file(source, out, model=pipeline, force=True)
    assert "category" in out.read_text("utf-8-sig")
    assert not list(tmp_path.glob(".*.part"))


def test_bad_encoding_name(write, tmp_path, pipeline):
    with pytest.raises(InputFileError, match="unknown encoding 'klingon'"):
        classify_file(
            write("x.csv", VARIANTS["utf8"][0]), tmp_path / "o.csv", model=pipeline, encoding="klingon"
        )


def test_classify_frame_keeps_rows_and_columns(pipeline):
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "内容": ["扣了钱没到账", None, float("nan"), 12345]})
    out = classify_frame(frame, model=pipeline)
    assert len(out) == 4 and list(out.columns[:2]) == ["id", "内容"]
    assert out["status"].tolist() == ["ok", "empty_text", "empty_text", "needs_review"]  # digits only
    assert out["category"].iloc[0] != "" and out["category"].iloc[1] == ""


def test_existing_result_columns_are_not_overwritten(pipeline):
    frame = pd.DataFrame({"text": ["扣了钱没到账"], "category": ["人工标注"]})
    out = classify_frame(frame, model=pipeline)
    assert out["category"].tolist() == ["人工标注"]
    assert out["category_predicted"].iloc[0] in ("payment", "service_interruption", "data_error", "other")


def test_text_column_guess():
    assert find_text_column(["id", "Text"]) == "Text"
    assert find_text_column(["编号", "投诉内容(必填)"]) == "投诉内容(必填)"
    assert find_text_column(["編號", "投訴時間", "平臺", "投訴內容"]) == "投訴內容"  # traditional
    assert find_text_column(["编号", "投訴內容（必填）"]) == "投訴內容（必填）"
    assert find_text_column(["\ud800", "Text"]) == "Text"  # a header OpenCC cannot read
    with pytest.raises(ColumnNotFoundError, match="--text-column"):
        find_text_column(["a", "b"])


def test_jobs_must_be_positive(write, tmp_path, pipeline):
    with pytest.raises(InputFileError, match="--jobs"):
        classify_file(write("j.csv", VARIANTS["utf8"][0]), tmp_path / "o.csv", model=pipeline, jobs=0)


def test_columns_choose_what_is_written(write, tmp_path, pipeline):
    source = write("c.csv", VARIANTS["blank_texts"][0])
    classify_file(source, tmp_path / "all.csv", model=pipeline)
    classify_file(source, tmp_path / "few.csv", model=pipeline, columns="prob_payment, confidence")
    every = pd.read_csv(tmp_path / "all.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    few = pd.read_csv(tmp_path / "few.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    # category and status are always written; the rest in the usual order
    assert list(few.columns) == ["编号", "投诉内容", "category", "confidence", "prob_payment", "status"]
    pd.testing.assert_frame_equal(few, every[list(few.columns)])


def test_unknown_result_column_is_a_clear_error(write, tmp_path, pipeline):
    with pytest.raises(ResultColumnError, match="unknown result column.*choose from"):
        classify_file(write("u.csv", VARIANTS["utf8"][0]), tmp_path / "o.csv", model=pipeline, columns="nope")
    assert not (tmp_path / "o.csv").exists()


def test_chunks_are_bounded_by_text_length(monkeypatch):
    import classifier.batch.files
    from classifier.batch.files import _chunks

    monkeypatch.setattr(classifier.batch.files, "CHUNK_CHARS", 10)
    rows = [Row([text], columns=["t"]) for text in ["aaaa", "bbbbbbb", "c", None, "d", "e" * 30, "f"]]
    sizes = [len(chunk) for chunk in _chunks(rows, 3, "t")]
    assert sizes == [2, 3, 1, 1] and sum(sizes) == len(rows)


def test_chunks_of_a_wide_file_are_bounded_by_cells():
    from classifier.batch.files import CHUNK_CELLS, CHUNK_ROWS, _chunks

    columns = ["t"] + [f"c{i}" for i in range(99_999)]
    rows = [Row(["付款失败"] + [""] * 99_999, columns=columns) for _ in range(100)]
    sizes = [len(chunk) for chunk in _chunks(rows, CHUNK_ROWS, "t")]
    assert sizes == [CHUNK_CELLS // 100_000] * (100 // (CHUNK_CELLS // 100_000))
    narrow = [Row(["付款失败"] + [""] * 999, columns=columns[:1000]) for _ in range(4000)]
    assert [len(chunk) for chunk in _chunks(narrow, CHUNK_ROWS, "t")] == [CHUNK_ROWS, CHUNK_ROWS]


def test_a_file_of_100000_columns_is_classified_in_bounded_memory(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    source = tmp_path / "wide.csv"
    with open(source, "w", encoding="utf-8") as fh:
        fh.write("投诉内容," + ",".join(f"c{i}" for i in range(100_000)) + "\n")
        fh.write("付款失败扣了钱\n" * 400)
    out = tmp_path / "out.csv"
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "classifier", "classify", str(source), "-o", str(out), "-q"]
    measure = (  # the peak of the run alone, not of earlier children of this test process
        "import resource, subprocess, sys;"
        "done = subprocess.run(sys.argv[1:], capture_output=True);"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, *command, "--columns", "confidence"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    code, peak_kb = map(int, done.stdout.split())
    assert code == 0, done.stderr
    assert peak_kb < 400 * 1024, f"peak RSS {peak_kb // 1024} MB"  # 2,000-row chunks took over a GB
    with open(out, encoding="utf-8-sig") as fh:
        assert sum(1 for _ in fh) == 401


def test_one_text_column_check_for_every_engine():
    assert text_column_of(["编号", "投诉内容"], None) == "投诉内容"
    assert text_column_of(["编号", "备注"], "备注") == "备注"
    with pytest.raises(ColumnNotFoundError, match="no column '正文'; available: 编号, 备注"):
        text_column_of(["编号", "备注"], "正文")
    with pytest.raises(KeyError):  # ColumnNotFoundError is a KeyError too
        text_column_of(["编号", "备注"], "正文")


def test_read_options_are_one_object(write):
    source = write("semi.csv", VARIANTS["semicolon"][0])
    table = open_table(source, ReadOptions(delimiter=";", encoding="utf-8"))
    assert table.delimiter == ";" and table.encoding == "utf-8"
    assert len(list(table.rows)) == 3
    table.close()


def test_a_file_without_a_header_row_is_warned_about(tmp_path, pipeline):
    source = tmp_path / "in.csv"
    source.write_text("付款失败扣了199元，怎么办\n会员一直黑屏\n订单不见了\n", "utf-8")
    summary = classify_file(source, tmp_path / "out.csv", model=pipeline)
    assert any("reads like a complaint" in w for w in summary.warnings)
    headed = tmp_path / "headed.csv"
    headed.write_text("投诉内容\n付款失败扣了199元，怎么办\n", "utf-8")
    assert not classify_file(headed, tmp_path / "out2.csv", model=pipeline).warnings
