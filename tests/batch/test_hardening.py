"""The batch readers and writers under adversarial input (issue 14): rows in = rows out, no
clobbered file, no traceback. Every adversarial file is generated here, in tmp_path."""

from __future__ import annotations

import io
import json

import pytest

from classifier.batch.writers import open_writer
from classifier.errors import InputFileError


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


def test_jsonl_from_stdin_collects_every_key_too(tmp_path, monkeypatch):
    import sys

    from classifier.batch.readers import open_table

    data = b'{"id": 1}\n{"id": 2, "text": "\xe6\x89\xa3\xe4\xba\x86\xe9\x92\xb1"}\n'
    stdin = io.TextIOWrapper(io.BufferedReader(_Unseekable(data)))
    monkeypatch.setattr(sys, "stdin", stdin)
    table = open_table("-", None)
    try:
        assert table.columns == ["id", "text"]
        assert [row.fields for row in table.rows] == [[1, None], [2, "扣了钱"]]
    finally:
        table.close()


class _Unseekable(io.RawIOBase):
    """A pipe: readable once, not seekable."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# ---------------------------------------------------------------- 3. a long malformed record
def test_a_malformed_record_of_several_megabytes_keeps_its_start(tmp_path):
    from classifier.batch.readers import open_table

    # a quoted cell spanning 40,000 lines (about 4 MB), then a bare carriage return after the
    # closing quote: the csv module rejects the record only at its end
    body = "\n".join(f"第{i}行，开头之后的内容" + "x" * 80 for i in range(40_000))
    data = f'id,text\n1,"START{body}"\rjunk\n2,付款失败\n'.encode()
    source = tmp_path / "long.csv"
    source.write_bytes(data)
    table = open_table(source)
    try:
        rows = list(table.rows)
    finally:
        table.close()
    assert [row.fields[0] for row in rows] == ["1", "2"]
    assert rows[0].status == "malformed_line"
    assert "START第0行" in "".join(rows[0].fields)
    assert "第39999行" in "".join(rows[0].fields)
    assert rows[1].fields == ["2", "付款失败"] and rows[1].status == "ok"
