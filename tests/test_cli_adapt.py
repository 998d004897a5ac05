"""The adaptation loop from the command line: review → label → train --add → compare."""

import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_complaints.csv"


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_review_writes_a_queue(run, tmp_path):
    classified = tmp_path / "classified.csv"
    assert run("classify", SAMPLE, "-o", classified, "-q").exit_code == 0
    result = run("review", classified, "-o", tmp_path / "queue.csv", "--size", "8", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "从 40 行中选出 8 行" in result.output and "train --add" in result.output
    queue = _read(tmp_path / "queue.csv")
    assert len(queue) == 8 and list(queue.columns[-2:]) == ["label", "why_chosen"]
    again = run("review", classified, "-o", tmp_path / "queue.csv", "--size", "8", "--seed", "1")
    assert again.exit_code == 1 and "--force" in again.output


def _labelled(tmp_path, cells):
    path = tmp_path / "own.csv"
    pd.DataFrame({"投诉内容": ["付款失败但扣了钱"] * len(cells), "label": cells}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("columns", "cells", "message"),
    [
        ({"投诉内容": ["扣了钱"], "标签": ["支付"]}, None, "no column 'label'; available: 投诉内容, 标签"),
        (None, ["支付", "付款失败了", "unknown"], "2 row(s) with an unknown label in column 'label': row 3"),
        (None, ["", " "], "has no labelled rows"),
    ],
    ids=["missing label column", "bad label cells", "no labelled rows"],
)
def test_train_add_bad_files_give_one_message_without_traceback(run, tmp_path, columns, cells, message):
    if columns is not None:
        path = tmp_path / "own.csv"
        pd.DataFrame(columns).to_csv(path, index=False)
    else:
        path = _labelled(tmp_path, cells)
    result = run("train", "--add", path, "-o", tmp_path / "model")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.count("Error:") == 1
    assert not (tmp_path / "model").exists()


def test_train_needs_data_or_add(run, tmp_path):
    result = run("train", "-o", tmp_path / "m")
    assert result.exit_code == 2 and "--add" in result.output
    bad = run("train", "--add", _labelled(tmp_path, ["支付"]), "-o", tmp_path / "m", "--weight", "0")
    assert bad.exit_code == 2


@pytest.mark.slow
def test_the_loop_through_the_cli(run, tmp_path, corpus):
    small = pd.concat(
        [
            corpus[corpus.split == "train"].groupby("label").sample(50, random_state=0),
            corpus[corpus.split == "test"].groupby("label").sample(10, random_state=0),
        ]
    )
    data = tmp_path / "small.csv"
    small.to_csv(data, index=False)
    own = corpus[corpus.split == "test"].groupby("label").sample(10, random_state=1)
    own_path = tmp_path / "own.csv"
    pd.DataFrame({"text": own["text"], "label": own["label"]}).to_csv(own_path, index=False)
    result = run("train", data, "--add", own_path, "-o", tmp_path / "adapted", "--weight", "2", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["rows"]["own"] == 40 and payload["weight"] == 2.0
    sidecar = json.loads((tmp_path / "adapted" / "model.json").read_text())
    assert sidecar["adaptation"]["rows"]["corpus"] == 200
    held = tmp_path / "held.csv"
    rest = corpus[corpus.split == "test"].drop(own.index).groupby("label").head(25)
    rest[["text", "label"]].to_csv(held, index=False)
    compared = run(
        "compare",
        held,
        "--model",
        tmp_path / "adapted",
        "-o",
        tmp_path / "changed.csv",
        "--json",
        "--trust-pickle",
    )
    assert compared.exit_code == 0, compared.output
    report = json.loads(compared.output)
    assert report["n"] == 100 and report["models"][0] == "bundled"
    assert _read(tmp_path / "changed.csv").shape[0] == report["changed"]
    text = run(
        "compare", held, "--model", "bundled", "--model", tmp_path / "adapted", "--trust-pickle"
    ).output
    assert "B − A macro-F1" in text and "McNemar" in text
