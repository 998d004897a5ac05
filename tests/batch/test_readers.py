"""classifier/batch/readers.py: what a damaged file's rows become (each one a row with a status,
none lost, none merged into another), and the clear errors for files that cannot be read."""

from __future__ import annotations

import json

import pytest

from classifier.batch import readers
from classifier.batch.readers import open_table
from classifier.errors import InputFileError


def _rows(tmp_path, data: bytes, name: str = "in.csv") -> list[tuple[int, str, list]]:
    """(line, status, fields) of every row the reader gives for a file holding ``data``."""
    source = tmp_path / name
    source.write_bytes(data)
    table = open_table(source)
    try:
        return [(row.line, row.status, row.fields) for row in table.rows]
    finally:
        table.close()


def _piped_rows(piped_stdin, data: bytes) -> list[tuple[int, str, list]]:
    piped_stdin(data)
    table = open_table("-")
    try:
        return [(row.line, row.status, row.fields) for row in table.rows]
    finally:
        table.close()


# ---------------------------------------------------------------- a quote never closed
def test_a_quote_left_open_to_the_end_is_one_malformed_line_and_the_rows_after_it_are_read(tmp_path):
    lines = ["编号,投诉内容"] + [f"{i},付款失败扣了{i}元" for i in range(1, 1001)]
    lines[3] = '3,"付款失败 he said'
    rows = _rows(tmp_path, ("\n".join(lines) + "\n").encode())
    assert len(rows) == 1000
    assert rows[2] == (4, "malformed_line", ["3", '"付款失败 he said'])
    assert [fields[0] for _, _, fields in rows] == [str(i) for i in range(1, 1001)]
    assert [line for line, _, _ in rows] == list(range(2, 1002))
    assert {status for _, status, _ in rows[3:]} == {"ok"}
    assert rows[-1] == (1001, "ok", ["1000", "付款失败扣了1000元"])


@pytest.mark.parametrize(
    "newline, last",
    [("\n", "\n"), ("\n", ""), ("\r\n", "\r\n"), ("\r", "\r")],
    ids=["lf", "no-final-newline", "crlf", "lone-cr"],
)
def test_an_open_quote_is_found_whatever_the_line_ends(tmp_path, newline, last):
    data = newline.join(["id,text", "1,a", '2,"b', "3,c", "4,d"]) + last
    rows = _rows(tmp_path, data.encode())
    assert rows == [
        (2, "ok", ["1", "a"]),
        (3, "malformed_line", ["2", '"b']),
        (4, "ok", ["3", "c"]),
        (5, "ok", ["4", "d"]),
    ]


def test_a_closed_multiline_cell_is_read_as_before(tmp_path):
    data = 'id,text\n1,a\n2,"多行\n正常,""引号""\n三行"\n3,"b"\n'.encode()
    assert _rows(tmp_path, data) == [
        (2, "ok", ["1", "a"]),
        (3, "ok", ["2", '多行\n正常,"引号"\n三行']),
        (6, "ok", ["3", "b"]),
    ]


def test_the_record_up_to_the_line_that_opened_the_quote_is_the_malformed_one(tmp_path):
    # a closed multi-line cell, then a second cell on its last line whose quote never closes
    data = b'id,text,note\n1,"a\nb","c\n3,d,e\n4,f,g\n'
    rows = _rows(tmp_path, data)
    assert [(line, status) for line, status, _ in rows] == [(2, "malformed_line"), (4, "ok"), (5, "ok")]
    assert rows[0][2][0] == "1" and "c" in rows[0][2][-1]
    assert rows[1][2] == ["3", "d", "e"]


def test_a_header_with_an_open_quote_is_a_clear_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes('编号,"投诉内容\n1,付款失败\n'.encode())
    with pytest.raises(InputFileError, match="header row opens a quote on line 1 that is never closed"):
        open_table(source)


def _open_quote_file() -> bytes:
    body = "".join(f"{i},付款失败扣了钱{i}\n" for i in range(3, 3003))  # far more than the cap
    return ('id,text\n1,a\n2,"unclosed\n' + body).encode()


def _check_every_row_after_the_quote(rows) -> None:
    assert len(rows) == 3002
    assert rows[1] == (3, "malformed_line", ["2", '"unclosed'])
    assert all(line == int(fields[0]) + 1 for line, _, fields in rows)
    assert {status for _, status, _ in rows[2:]} == {"ok"}
    assert rows[-1][2] == ["3002", "付款失败扣了钱3002"]


def test_an_open_quote_longer_than_a_record_may_be_loses_no_row(tmp_path, small_cap):
    # the rest of the file was skipped as one over-long record: it is read again from the file
    _check_every_row_after_the_quote(_rows(tmp_path, _open_quote_file()))


def test_an_open_quote_longer_than_a_record_may_be_loses_no_row_from_a_pipe(piped_stdin, small_cap):
    _check_every_row_after_the_quote(_piped_rows(piped_stdin, _open_quote_file()))


def test_an_open_quote_on_a_line_too_long_to_keep_cuts_that_line_only(tmp_path, piped_stdin, small_cap):
    data = ('id,text\n1,a\n2,"' + "长" * 10_000 + "\n3,b\n4,c\n").encode()
    for rows in (_rows(tmp_path, data), _piped_rows(piped_stdin, data)):
        assert [(line, status) for line, status, _ in rows] == [
            (2, "ok"),
            (3, "too_long"),
            (4, "ok"),
            (5, "ok"),
        ]
        assert rows[2][2] == ["3", "b"] and rows[3][2] == ["4", "c"]


def test_an_over_long_quoted_cell_that_closes_is_still_cut_as_before(tmp_path, small_cap):
    data = ('id,text\n1,a\n2,"' + "长\n" * 10_000 + '"\n3,b\n').encode()
    rows = _rows(tmp_path, data)
    assert [status for _, status, _ in rows] == ["ok", "too_long", "ok"]
    assert rows[1][2][1].startswith("长\n长") and rows[2][2] == ["3", "b"]


@pytest.mark.parametrize("directive", ["sep=;", '"sep=;"', "SEP=;"])
def test_an_excel_sep_line_names_the_delimiter_and_is_no_header(tmp_path, directive):
    data = f"{directive}\r\n编号;投诉内容\r\n1;付款失败扣了199元\r\n2;会员一直黑屏\r\n".encode()
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    table = open_table(source)
    try:
        assert table.columns == ["编号", "投诉内容"]
        assert [(row.line, row.status, row.fields) for row in table.rows] == [
            (3, "ok", ["1", "付款失败扣了199元"]),
            (4, "ok", ["2", "会员一直黑屏"]),
        ]
    finally:
        table.close()


# ---------------------------------------------------------------- JSON Lines
def _jsonl(tmp_path, objects_or_lines) -> bytes:
    return "".join(
        (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in objects_or_lines
    ).encode()


def test_jsonl_keys_beyond_the_cap_go_into_one_column_with_a_warning(tmp_path):
    data = _jsonl(tmp_path, [{"text": "付款失败", f"k{i}": i} for i in range(20_000)])
    source = tmp_path / "wide.jsonl"
    source.write_bytes(data)
    table = open_table(source)
    try:
        assert len(table.columns) == readers.MAX_JSONL_COLUMNS + 1
        assert table.columns[:2] == ["text", "k0"] and table.columns[-1] == "more_keys"
        assert any("more than 1000 distinct keys" in w and "'more_keys'" in w for w in table.warnings)
        rows = list(table.rows)
    finally:
        table.close()
    assert len(rows) == 20_000
    assert {len(row.fields) for row in rows} == {readers.MAX_JSONL_COLUMNS + 1}
    assert rows[0].values["k0"] == 0 and rows[0].values["more_keys"] is None
    assert rows[998].values["k998"] == 998
    assert rows[999].values["more_keys"] == {"k999": 999}  # the 1,001st key: text, then k0..k998
    assert rows[19_999].values["more_keys"] == {"k19999": 19_999}


def test_jsonl_with_few_keys_has_no_extra_column(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(_jsonl(tmp_path, [{"id": 1, "text": "付款失败"}, {"id": 2, "late": "x"}]))
    table = open_table(source)
    try:
        assert table.columns == ["id", "text", "late"] and not table.warnings
    finally:
        table.close()


@pytest.mark.parametrize(
    "bad",
    [
        '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"text": "付款失败", "x": ' + "[" * 101 + "]" * 101 + "}",
        '{"text": "付款失败", "n": 1' + "0" * 5000 + "}",  # more digits than Python converts
        '{"text": bad json',
    ],
    ids=["100000-deep", "101-deep", "5000-digit-number", "invalid"],
)
def test_a_json_line_python_cannot_hold_is_a_malformed_line(tmp_path, bad):
    source = tmp_path / "in.jsonl"
    source.write_bytes(_jsonl(tmp_path, [{"text": "付款失败扣了钱"}, bad, {"text": "页面打不开"}]))
    table = open_table(source)
    try:
        rows = [(row.status, row.fields) for row in table.rows]
    finally:
        table.close()
    assert rows == [("ok", ["付款失败扣了钱"]), ("malformed_line", [bad]), ("ok", ["页面打不开"])]


def test_a_lone_surrogate_escape_is_replaced_and_marked(tmp_path):
    # half an emoji, as JavaScript's JSON.stringify writes a string cut inside a surrogate pair
    lines = ['{"text": "付款失败\\ud83d", "\\udc00k": ["\\ud800"]}', '{"text": "黑屏\\ud83d\\ude21"}']
    rows = _rows(tmp_path, _jsonl(tmp_path, lines), "in.jsonl")
    assert rows == [
        (1, "decode_error", ["付款失败\ufffd", ["\ufffd"]]),
        (2, "ok", ["黑屏\U0001f621", None]),  # a pair is one character
    ]


def test_a_json_line_nested_within_the_limit_is_read(tmp_path):
    nested = '{"text": "付款失败", "x": ' + "[" * 99 + "]" * 99 + "}"
    source = tmp_path / "in.jsonl"
    source.write_bytes(_jsonl(tmp_path, [nested]))
    table = open_table(source)
    try:
        (row,) = list(table.rows)
    finally:
        table.close()
    assert row.status == "ok" and row.values["text"] == "付款失败"


# ---------------------------------------------------------------- --encoding
@pytest.mark.parametrize("encoding", ["idna", "IDNA"])
def test_a_codec_that_cannot_decode_text_files_is_refused(tmp_path, encoding):
    source = tmp_path / "in.csv"
    source.write_text("编号,投诉内容\n1,付款失败\n", "utf-8")
    with pytest.raises(InputFileError, match=f"--encoding {encoding} is not an encoding of text files"):
        open_table(source, readers.ReadOptions(encoding=encoding))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf_8_sig", "gbk", "gb18030", "utf-8"])
def test_the_suggested_encodings_are_accepted(tmp_path, encoding):
    source = tmp_path / "in.csv"
    source.write_bytes("编号,投诉内容\n1,付款失败\n".encode(encoding))
    table = open_table(source, readers.ReadOptions(encoding=encoding))
    try:
        assert table.columns == ["编号", "投诉内容"]
        assert [row.fields for row in table.rows] == [["1", "付款失败"]]
    finally:
        table.close()


# ---------------------------------------------------------------- one complaint per line


def test_each_line_keeps_the_number_an_editor_shows(tmp_path):
    # a BOM, CRLF line ends, blank and whitespace-only lines, bytes that do not decode
    data = (
        "\ufeff付款失败扣了钱\r\n\r\n会员视频一直黑屏\r\n   \r\n".encode() + b"\xff\xfe\n\n\n\xe8\xb4\xad\n"
    )
    rows = _rows(tmp_path, data, "in.txt")
    assert [fields for _, _, fields in rows] == [
        [1, "付款失败扣了钱"],
        [3, "会员视频一直黑屏"],
        [5, "\ufffd\ufffd"],
        [8, "购"],
    ]
    assert [(line, status) for line, status, _ in rows] == [
        (1, "ok"),
        (3, "ok"),
        (5, "decode_error"),
        (8, "ok"),
    ]


def test_lines_that_end_at_a_lone_cr_are_lines_too(tmp_path):
    # an old Mac text file: each complaint was one row, not the three of them one text
    data = "付款失败扣了199元\r会员一直黑屏\r\r购物车的商品全没了\r".encode()
    rows = _rows(tmp_path, data, "in.txt")
    assert [fields for _, _, fields in rows] == [
        [1, "付款失败扣了199元"],
        [2, "会员一直黑屏"],
        [4, "购物车的商品全没了"],
    ]
    # a stray \r inside mostly \n lines stays part of its line, as in a CSV
    rows = _rows(tmp_path, "付款失败\r扣了钱\n黑屏\n页面打不开\n".encode(), "in.txt")
    assert [fields for _, _, fields in rows] == [[1, "付款失败\r扣了钱"], [2, "黑屏"], [3, "页面打不开"]]


def test_an_empty_pipe_is_called_stdin(piped_stdin):
    piped_stdin(b"")
    with pytest.raises(InputFileError, match="^stdin is empty$"):  # (was "- is empty")
        open_table("-")


def test_line_numbers_from_a_pipe_count_the_blank_lines_too(piped_stdin):
    piped_stdin("\n\n付款失败\n\n黑屏".encode())
    table = open_table("-", readers.ReadOptions(format="lines"))
    try:
        assert table.columns == ["line", "text"]
        assert [row.fields for row in table.rows] == [[3, "付款失败"], [5, "黑屏"]]
    finally:
        table.close()
