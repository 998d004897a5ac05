"""The batch readers and writers under adversarial input (issue 14): rows in = rows out, no
clobbered file, no traceback. Every adversarial file is generated here, in tmp_path."""

from __future__ import annotations

import json

import pytest

from classifier.batch.writers import open_writer
from classifier.errors import InputFileError


def _rows_of(tmp_path, data: bytes) -> list:
    """The rows the batch reader gives for a CSV file holding ``data``."""
    from classifier.batch.readers import open_table

    source = tmp_path / "long.csv"
    source.write_bytes(data)
    table = open_table(source)
    try:
        return list(table.rows)
    finally:
        table.close()


# ---------------------------------------------------------------- 4. two runs, one output
def test_a_run_without_force_never_replaces_an_output_that_appeared_meanwhile(tmp_path):
    out = tmp_path / "out.csv"
    first = open_writer(out, ["a"])
    first.write([["mine"]])
    out.write_text("the other run's output", "utf-8")  # another run committed first
    with pytest.raises(InputFileError, match="appeared while this run was writing"):
        first.commit()
    first.abort()
    assert out.read_text("utf-8") == "the other run's output"
    assert not list(tmp_path.glob(".*.part"))


def test_with_force_the_later_run_wins(tmp_path):
    out = tmp_path / "out.csv"
    writer = open_writer(out, ["a"], force=True)
    writer.write([["mine"]])
    out.write_text("older", "utf-8")
    writer.commit()
    assert "mine" in out.read_text("utf-8-sig")


# ---------------------------------------------------------------- 2. JSON Lines
def _classified(tmp_path, name: str, data: bytes, suffix: str = ".csv", **kwargs):
    import pandas as pd

    from classifier.batch.files import classify_file

    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / f"{source.stem}.out{suffix}"
    summary = classify_file(source, out, columns="confidence", **kwargs)
    if suffix == ".jsonl":
        return summary, pd.read_json(out, lines=True, dtype=False)
    return summary, pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_jsonl_columns_are_every_key_and_a_missing_text_key_is_a_status(tmp_path):
    lines = [
        {"id": 1},
        {"id": 2, "text": "付款失败但扣了钱", "meta": {"a": True, "b": [1, "二"]}},
        {"id": 3, "text": "会员开了视频一直黑屏", "late": "后来才有的键"},
    ]
    data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    summary, out = _classified(tmp_path, "in.jsonl", data)
    assert summary.text_column == "text"  # not the id column of the first object
    assert list(out.columns[:4]) == ["id", "text", "meta", "late"]
    assert out["status"].tolist() == ["missing_text", "ok", "ok"]
    assert out["category"].tolist() == ["", "payment", "service_interruption"]
    assert out.loc[2, "late"] == "后来才有的键"
    assert json.loads(out.loc[1, "meta"]) == {"a": True, "b": [1, "二"]}  # JSON, not a repr
    _, back = _classified(tmp_path, "in2.jsonl", data, suffix=".jsonl")
    assert back.loc[1, "meta"] == {"a": True, "b": [1, "二"]}  # nested stays nested in JSONL


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_jsonl_with_a_lone_surrogate_is_classified_not_a_traceback(tmp_path, suffix):
    data = '{"text": "付款失败扣了199元\\ud83d", "\\ud800k": 1}\n{"text": "会员开了视频一直黑屏"}\n'.encode()
    summary, out = _classified(tmp_path, "in.jsonl", data, suffix=suffix)
    assert out["status"].tolist() == ["decode_error", "ok"]
    assert out["category"].tolist() == ["payment", "service_interruption"]
    assert list(out.columns[:2]) == ["text", "\ufffdk"]


def test_jsonl_from_stdin_collects_every_key_too(tmp_path, piped_stdin):
    from classifier.batch.readers import open_table

    data = b'{"id": 1}\n{"id": 2, "text": "\xe6\x89\xa3\xe4\xba\x86\xe9\x92\xb1"}\n'
    piped_stdin(data)
    table = open_table("-", None)
    try:
        assert table.columns == ["id", "text"]
        assert [row.fields for row in table.rows] == [[1, None], [2, "扣了钱"]]
    finally:
        table.close()


# ---------------------------------------------------------------- 3. a long malformed record
def test_a_malformed_record_of_several_megabytes_keeps_its_start(tmp_path):
    # a quoted cell spanning 15,000 lines (3.5 MB, 1.2 million characters), then a bare carriage
    # return after the closing quote: the csv module rejects the record only at its end
    body = "\n".join(f"第{i}行，" + "扣款失败没到账" * 10 for i in range(15_000))
    data = f'id,text\n1,"START{body}"\rjunk\n2,付款失败\n'.encode()
    rows = _rows_of(tmp_path, data)
    assert [row.fields[0] for row in rows] == ["1", "2"]
    assert rows[0].status == "malformed_line"
    assert "START第0行" in "".join(rows[0].fields)
    assert "第14999行" in "".join(rows[0].fields)
    assert rows[1].fields == ["2", "付款失败"] and rows[1].status == "ok"


# ---------------------------------------------------------------- 8-10. decoding
GOOD = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏", "购物车的商品全没了"] * 20


def _rows_csv(texts, newline="\n") -> str:
    return newline.join(["编号,投诉内容", *(f"{i},{t}" for i, t in enumerate(texts))]) + newline


def test_a_utf8_file_with_one_gbk_line_marks_only_that_line(tmp_path):
    # texts whose UTF-8 bytes are also valid GB18030, so only the share of lines can tell
    texts = ["付款失败扣了钱啊", "购物车商品全没了", "重复扣款"] * 20
    good = _rows_csv(texts).encode("utf-8")
    good.decode("gb18030")
    lines = good.split(b"\n")
    lines[7] = "6,扣款失败钱没退".encode("gbk")
    summary, out = _classified(tmp_path, "mixed.csv", b"\n".join(lines))
    _, clean = _classified(tmp_path, "clean.csv", good)
    assert summary.encoding == "utf-8"
    assert out["status"].tolist() == ["ok"] * 6 + ["decode_error"] + ["ok"] * 53
    keep = out.index != 6
    assert out["投诉内容"][keep].tolist() == clean["投诉内容"][keep].tolist()
    assert out["category"][keep].tolist() == clean["category"][keep].tolist()


@pytest.mark.parametrize("layout", ["lone_cr", "lf_header_then_cr"])
def test_lone_carriage_returns_end_rows_as_pandas_reads_them(tmp_path, layout):
    import pandas as pd

    text = _rows_csv(GOOD[:5], newline="\r")
    if layout == "lf_header_then_cr":
        text = text.replace("\r", "\n", 1)
    summary, out = _classified(tmp_path, f"{layout}.csv", text.encode("utf-8"))
    expected = pd.read_csv(tmp_path / f"{layout}.csv", dtype=str, keep_default_na=False)
    assert summary.rows == len(expected) == 5
    assert out["投诉内容"].tolist() == expected["投诉内容"].tolist() == GOOD[:5]
    assert set(out["status"]) == {"ok"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "cp037"])
def test_encodings_that_cannot_be_split_into_lines_are_refused(tmp_path, encoding):
    from classifier.batch.files import classify_file

    source = tmp_path / "in.csv"
    source.write_bytes(_rows_csv(GOOD[:3]).encode(encoding, "replace"))
    with pytest.raises(InputFileError, match="line by line"):
        classify_file(source, tmp_path / "out.csv", encoding=encoding)
    assert not (tmp_path / "out.csv").exists()


def test_big5_is_detected_not_read_as_gb18030(tmp_path):
    traditional = ["付款顯示失敗但銀行卡扣了199元", "會員開了視頻一直黑屏", "購物車的商品全沒了"] * 10
    data = "id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(traditional))
    summary, out = _classified(tmp_path, "big5.csv", data.encode("big5"))
    assert summary.encoding == "big5"
    assert out["text"].tolist() == traditional
    assert out["category"].tolist()[:3] == ["payment", "service_interruption", "data_error"]


# ---------------------------------------------------------------- 11. resource bounds
@pytest.mark.parametrize("quoted", [False, True])
def test_an_overlong_line_is_cut_and_marked_and_the_next_rows_survive(tmp_path, small_cap, quoted):
    cell = "扣款失败," * 5000 if quoted else "扣款失败" * 5000  # 60,000 bytes on one line
    cell = f'"{cell}"' if quoted else cell
    data = f"id,text,note\n1,付款失败,a\n2,{cell},b\n3,会员黑屏,c\n".encode()
    rows = _rows_of(tmp_path, data)
    assert [r.status for r in rows] == ["ok", "too_long", "ok"]
    assert [r.fields[0] for r in rows] == ["1", "2", "3"]
    assert rows[1].fields[1].startswith("扣款失败") and len(rows[1].fields[1]) <= small_cap
    assert rows[2].fields == ["3", "会员黑屏", "c"]


def test_an_overlong_multiline_record_is_cut_and_the_next_rows_survive(tmp_path, small_cap):
    cell = "\n".join(f"第{i}行扣款失败" for i in range(3000))  # 30,000 characters over 3,000 lines
    data = f'id,text,note\n1,付款失败,a\n2,"{cell}",b\n3,会员黑屏,c\n4,"多行\n正常",d\n'.encode()
    rows = _rows_of(tmp_path, data)
    assert [r.fields[0] for r in rows] == ["1", "2", "3", "4"]
    assert [r.status for r in rows] == ["ok", "too_long", "ok", "ok"]
    assert rows[1].fields[1].startswith("第0行扣款失败") and len(rows[1].fields[1]) <= 2 * small_cap
    assert rows[3].fields == ["4", "多行\n正常", "d"]


def test_an_overlong_json_line_is_cut_and_marked(tmp_path, small_cap):
    lines = [{"text": "付款失败"}, {"text": "扣款失败" * 5000}, {"text": "会员开了视频一直黑屏"}]
    data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    summary, out = _classified(tmp_path, "long.jsonl", data)
    assert out["status"].tolist() == ["ok", "too_long", "ok"]
    assert out["category"].tolist()[2] == "service_interruption"


@pytest.mark.parametrize("end", ["\n", "\r"])
def test_an_overlong_line_of_a_text_file_is_cut_and_marked(tmp_path, small_cap, end):
    data = end.join(["付款失败扣了钱", "扣款失败" * 5000, "会员开了视频一直黑屏", ""]).encode()
    summary, out = _classified(tmp_path, "long.txt", data)
    assert out["line"].tolist() == ["1", "2", "3"]
    assert out["status"].tolist() == ["ok", "too_long", "ok"]  # (was truncated: the cut went unsaid)
    assert len(out["text"][1]) == small_cap
    assert out["category"].tolist()[2] == "service_interruption"


def test_facts_read_only_the_start_of_a_long_text():
    import time

    from classifier.engine.scorer import MAX_TEXT_CHARS
    from classifier.text.facts import MAX_FACT_CHARS, extract_facts

    assert MAX_FACT_CHARS == MAX_TEXT_CHARS
    text = "2023年11月28日被扣了199元，订单号123456789012。" + "扣款失败 13800138000 " * 200_000
    started = time.perf_counter()
    facts = extract_facts(text)
    assert time.perf_counter() - started < 2
    assert facts == extract_facts(text[:MAX_FACT_CHARS])
    assert facts.amounts == ["¥199"]


def _workbook(path, shared_strings: bytes, sheet: bytes | None = None) -> None:
    import zipfile

    sheet = sheet or (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/sharedStrings.xml", shared_strings)
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def test_a_shared_strings_bomb_is_refused_before_it_is_read(tmp_path):
    from classifier.batch.readers import open_table

    pytest.importorskip("openpyxl")
    bomb = tmp_path / "bomb.xlsx"
    strings = b"<sst>" + b"<si><t>a</t></si>" * 2_500_000 + b"</sst>"  # 42 MB in a few hundred kB
    _workbook(bomb, strings)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(InputFileError, match="shared strings|zip bomb"):
        open_table(bomb)


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["one_line", "many_lines", "json_line"])
def test_a_100_mb_record_keeps_every_process_under_300_mb(tmp_path, shape):
    import subprocess
    import sys
    from pathlib import Path

    source = tmp_path / ("big.jsonl" if shape == "json_line" else "big.csv")
    piece = ("扣款失败没到账" * 10 + ("\n" if shape == "many_lines" else "")).encode()
    with open(source, "wb") as fh:
        if shape == "json_line":
            fh.write('{"text": "付款失败"}\n{"text": "'.encode())
        else:
            fh.write('id,投诉内容,note\n1,付款失败,a\n2,"'.encode())
        block = piece * 10_000
        for _ in range((100 << 20) // len(block)):
            fh.write(block)
        if shape == "json_line":
            fh.write('"}\n{"text": "会员开了视频一直黑屏"}\n'.encode())
        else:
            fh.write('",b\n3,会员开了视频一直黑屏,c\n'.encode())
    out = tmp_path / "out.csv"
    measure = (
        "import resource, subprocess, sys;"
        "done = subprocess.run(sys.argv[1:], capture_output=True);"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [sys.executable, "-m", "classifier", "classify", str(source), "-o", str(out), "-q"]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, cwd=root)
    code, peak_kb = map(int, done.stdout.split())
    assert code == 0, done.stderr
    assert peak_kb < 300 * 1024, f"peak RSS {peak_kb // 1024} MB"
    import pandas as pd

    result = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert result["status"].tolist() == ["ok", "too_long", "ok"]
    assert result["category"].tolist()[2] == "service_interruption"
