"""Labelled CSVs for train and evaluate: UTF-8 read exactly as pandas reads it, GBK as its UTF-8
copy, and every unreadable file one InputFileError naming the file (never a pandas or codec
traceback)."""

import re

import pandas as pd
import pytest

from classifier.errors import InputFileError
from classifier.model import training
from classifier.model.estimator import ComplaintClassifier
from classifier.model.evaluation import evaluate
from classifier.model.labelled import read_labelled_csv

ROWS = "text,label,split\n扣了两次钱,payment,test\n页面一直打不开,service_interruption,test\n积分清零了,data_error,test\n"


def test_a_utf8_csv_is_read_exactly_as_pandas_reads_it(root):
    """The bundled corpus (and so the default model) is read as before."""
    path = root / "data" / "complaints.csv"
    before = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert read_labelled_csv(path).equals(before)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_gbk_and_a_bom_read_as_the_utf8_copy(tmp_path, encoding):
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(ROWS, "utf-8")
    other = tmp_path / f"{encoding}.csv"
    other.write_bytes(ROWS.encode(encoding))
    frame = read_labelled_csv(other)
    assert frame.equals(read_labelled_csv(utf8))
    assert frame["text"].tolist() == ["扣了两次钱", "页面一直打不开", "积分清零了"]


def test_evaluate_reads_a_gbk_file(tmp_path, pipeline):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(ROWS.encode("gbk"))
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(ROWS, "utf-8")
    assert evaluate(gbk, pipeline).to_dict() == evaluate(utf8, pipeline).to_dict()


def _cases(tmp_path):
    mixed = ROWS.encode("utf-8") + "坏了一行,other,test\n".encode("gbk")
    return {
        "empty": (b"", "is empty"),
        "blank lines": (b"\n\n  \n", "is empty"),
        "unclosed quote": (
            'text,label\n"扣了钱,payment\n黑屏,other\n'.encode(),
            "is not a valid CSV file: EOF inside string",
        ),
        "too many fields": (
            "text,label\n扣了钱,payment\n黑屏,other,x,y\n".encode(),
            "Expected 2 fields in line 3, saw 4",
        ),
        "workbook": (b"PK\x03\x04" + bytes(100), "is a spreadsheet workbook, not a CSV file"),
        "utf-16": (ROWS.encode("utf-16"), "UTF-16"),
        "a gbk line in a utf-8 file": (mixed, "is not all UTF-8 text: line 5 holds bytes"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "blank lines",
        "unclosed quote",
        "too many fields",
        "workbook",
        "utf-16",
        "a gbk line in a utf-8 file",
    ],
)
def test_an_unreadable_file_is_one_input_file_error_naming_it(tmp_path, case):
    content, message = _cases(tmp_path)[case]
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=re.escape(message)) as caught:
        read_labelled_csv(path)
    assert str(path) in str(caught.value)


def test_train_and_evaluate_raise_it_before_any_work(tmp_path, monkeypatch, pipeline):
    path = tmp_path / "model.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    monkeypatch.setattr(ComplaintClassifier, "fit", lambda *a, **k: pytest.fail("fitted"))
    with pytest.raises(InputFileError, match="spreadsheet workbook"):
        training.train(path)
    with pytest.raises(InputFileError, match="spreadsheet workbook"):
        evaluate(path, pipeline)
