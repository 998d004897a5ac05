"""Writers: what reaches an output file, and what never does."""

import pytest

from classifier.batch import writers
from classifier.batch.writers import Writer
from classifier.errors import InputFileError

openpyxl = pytest.importorskip("openpyxl")


def test_a_sheet_leaves_out_the_control_characters_it_cannot_hold(tmp_path):
    out = tmp_path / "out.xlsx"
    writer = Writer(str(out), ["text"], "xlsx")
    writer.write([["付款\x01失败\x00扣了钱\x1b"], ["=1+1\t第二行\n"]])
    writer.commit()
    cells = [row[0].value for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2)]
    assert cells == ["付款失败扣了钱", "'=1+1\t第二行\n"]


def test_a_sheet_with_more_rows_than_excel_holds_is_refused_and_nothing_is_left(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "MAX_XLSX_ROWS", 3)  # the header and two rows
    out = tmp_path / "out.xlsx"
    writer = Writer(str(out), ["text"], "xlsx")
    writer.write([["a"], ["b"]])
    with pytest.raises(InputFileError, match="at most 3 rows"):
        writer.write([["c"]])
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_that_cannot_be_saved_raises_and_leaves_nothing(tmp_path, monkeypatch):
    from openpyxl.writer import excel

    def full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(excel.ExcelWriter, "write_data", full)
    out = tmp_path / "out.xlsx"
    writer = Writer(str(out), ["text"], "xlsx")
    writer.write([["付款失败"]])
    with pytest.raises(OSError, match="No space"):
        writer.commit()
    writer.abort()
    assert list(tmp_path.iterdir()) == []
