import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from classifier import ComplaintClassifier
from classifier.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_complaints.csv"


def test_classify_sample_keeps_every_row_and_column(run, tmp_path):
    out = tmp_path / "out.csv"
    result = run("classify", SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    classified = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(classified) == len(source)
    assert list(classified.columns[: len(source.columns)]) == list(source.columns)
    assert classified["编号"].tolist() == source["编号"].tolist()
    assert {"category", "category_zh", "confidence", "status"} <= set(classified.columns)
    assert "文本列：投诉内容" in result.stderr if hasattr(result, "stderr") else True


def test_classify_to_stdout_and_from_stdin(run):
    data = "内容\n付款显示失败但银行卡扣了199元\n会员开了视频一直黑屏\n"
    result = run("classify", "-", "-o", "-", "-q", input=data.encode())
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("内容,category")
    assert len(lines) == 3


def test_summary_json(run, tmp_path):
    summary = tmp_path / "s.json"
    result = run("classify", SAMPLE, "-o", tmp_path / "o.jsonl", "-q", "--summary-json", summary)
    assert result.exit_code == 0
    data = json.loads(summary.read_text("utf-8"))
    assert data["rows"] == 40 and data["statuses"]["empty_text"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("classify", "missing.csv"), "no such file"),
        (("classify", SAMPLE, "--text-column", "正文"), "available: 编号, 投诉时间, 平台, 投诉内容"),
        (("classify", SAMPLE, "--encoding", "nope"), "unknown encoding"),
        (("explain", "扣钱", "--model", "/nonexistent/model"), "no model sidecar"),
    ],
)
def test_usage_errors_exit_non_zero_without_traceback(run, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_explain_card_and_json(run):
    result = run("explain", "付款显示失败但银行卡扣了199元")
    assert result.exit_code == 0
    assert result.output.startswith("类别：支付系统故障 · payment")
    data = json.loads(run("explain", "付款显示失败但银行卡扣了199元", "--json").output)
    assert data["category"] == "payment" and data["evidence"]


@pytest.mark.slow
def test_train_then_evaluate(run, tmp_path, corpus):
    small = pd.concat(
        [
            corpus[corpus.split == "train"].groupby("label").head(40),
            corpus[corpus.split == "test"].groupby("label").head(10),
        ]
    )
    data = tmp_path / "small.csv"
    small.to_csv(data, index=False)
    result = run("train", data, "-o", tmp_path / "model")
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output
    assert "as many times as its 'weight' column says" in result.output  # never weighted unseen
    report = json.loads(
        run("evaluate", data, "--model", tmp_path / "model", "--trust-pickle", "--json").output
    )
    assert report["n"] == 40 and report["skipped_training_rows"] == 0
    assert "macro_f1" in report
    record = json.loads((tmp_path / "model" / "model.json").read_text("utf-8"))["training_data"]
    train_rows = small[small.split == "train"]
    unusable = ComplaintClassifier().groups_problem(train_rows.origin, train_rows.label)
    assert record["groups"] == (None if unusable else "origin")
    assert (record.get("groups_unused") is not None) == bool(unusable)
    assert ("note: the 'origin' column was not used" in result.output) == bool(unusable)
    assert record["weights"] == "weight"  # the corpus's weight column
    assert sidecar_params(tmp_path / "model")["concepts"] is True
    args = ("--group-column", "", "--weight-column", "", "--no-concepts")
    result = run("train", data, "-o", tmp_path / "random-folds", *args)
    assert result.exit_code == 0, result.output
    sidecar = json.loads((tmp_path / "random-folds" / "model.json").read_text("utf-8"))
    assert sidecar["training_data"]["groups"] is None and sidecar["training_data"]["weights"] is None
    assert sidecar["params"]["concepts"] is False and "concepts" not in sidecar["tokenizer"]["settings"]


def sidecar_params(folder):
    return json.loads((folder / "model.json").read_text("utf-8"))["params"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--add", SAMPLE, "--group-column", "origin"], "--group-column goes without --add"),
        (["--add", SAMPLE, "--weight-column", "weight"], "--weight-column goes without --add"),
        ([SAMPLE, "--group-column", "text"], "is the text or label column"),
    ],
)
def test_train_group_column_misuse_is_one_usage_error(run, tmp_path, args, message):
    result = run("train", *args, "-o", tmp_path / "m")
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in main.commands:
        assert re.search(rf"complaint-classifier {name}\b", readme), name


def test_classify_columns_option(run, tmp_path):
    out = tmp_path / "few.csv"
    result = run("classify", SAMPLE, "-o", out, "-q", "--columns", "confidence")
    assert result.exit_code == 0, result.output
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    classified = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(classified.columns) == [*source.columns, "category", "confidence", "status"]

    bad = run("classify", SAMPLE, "-o", tmp_path / "bad.csv", "--columns", "evidence,colour")
    assert bad.exit_code == 1
    assert "unknown result column(s) colour" in bad.output
    assert "Traceback" not in bad.output


def test_verbose_names_the_engine(run, tmp_path):
    result = run("classify", SAMPLE, "-o", tmp_path / "o.csv", "-v")
    assert result.exit_code == 0, result.output
    assert "engine: one text: " in result.output and "; batch scores: " in result.output


def test_explain_reads_stdin(run):
    result = run("explain", "-", input="付款失败扣了钱\n")
    assert result.exit_code == 0
    assert result.output.startswith("类别：支付系统故障 · payment")
    assert "“扣了钱”" in result.output
    empty = CliRunner().invoke(main, ["explain", "-"], input="")
    assert empty.exit_code == 2 and "nothing was piped in" in empty.output


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_explain_reads_stdin_in_its_encoding(run, encoding):
    # a Windows console pipes GBK (code page 936); Notepad saves UTF-8 with a BOM or UTF-16
    result = run("explain", "-", "--json", input="付款失败扣了199元\r\n".encode(encoding))
    data = json.loads(result.output)
    assert data["text"] == "付款失败扣了199元" and data["category"] == "payment"


def test_explain_reads_a_bounded_part_of_a_huge_stdin(run, monkeypatch):
    from classifier import cli

    monkeypatch.setattr(cli, "_STDIN_CHARS", 6000)
    result = run("explain", "-", "--json", input="付款失败扣了钱" * 100_000)
    data = json.loads(result.output)
    assert data["status"] == "truncated" and len(data["text"]) == 6000


def test_explain_reasons_are_readable(run):
    output = run("explain", "订单2023112812345678被扣了199元却显示支付失败").output
    line = next(x for x in output.splitlines() if x.startswith("判断依据："))
    assert "<" not in line and "\ue001" not in line and "199元" in line


def test_classify_lines_to_jsonl(run, tmp_path):
    source = tmp_path / "in.dat"
    source.write_text("付款失败扣了钱\n会员视频一直黑屏\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = run("classify", source, "--lines", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["category"] for r in rows] == ["payment", "service_interruption"]
    assert isinstance(rows[0]["reasons"], list) and isinstance(rows[0]["evidence"], list)


def test_classify_lines_skips_blank_lines(run, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("付款失败扣了钱\n\n会员视频一直黑屏\n   \n购物车的商品全没了\n", "utf-8")
    out = tmp_path / "out.csv"
    result = run("classify", source, "-o", out, "-q", "--columns", "confidence")
    assert result.exit_code == 0, result.output
    classified = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    # README: one row per non-blank line, in order, after its line number (blank lines counted)
    assert list(classified.columns) == ["line", "text", "category", "confidence", "status"]
    assert classified["text"].tolist() == ["付款失败扣了钱", "会员视频一直黑屏", "购物车的商品全没了"]
    assert classified["line"].tolist() == ["1", "3", "5"]


def test_classify_stdin_to_stdout_as_jsonl(run):
    result = run("classify", "-", "--lines", "--format", "jsonl", "-q", input="付款失败扣了钱\n")
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert row["text"] == "付款失败扣了钱" and isinstance(row["steps"], list)
    assert row["line"] == 1  # a JSON number


def test_classify_fact_columns_option(run, tmp_path):
    out = tmp_path / "out.csv"
    result = run("classify", SAMPLE, "-o", out, "--fact-columns", "平台")
    assert result.exit_code == 0, result.output
    assert "补充信息列：平台（平台）" in result.output
    parcels = tmp_path / "parcels.csv"
    parcels.write_text("投诉内容,运单号\n快递三天没动,YT1234567890123\n", encoding="utf-8")
    result = run("classify", parcels, "-o", tmp_path / "p.csv")
    assert result.exit_code == 0 and "补充信息列：运单号（快递单号）" in result.output, result.output
    bad = run("classify", SAMPLE, "-o", tmp_path / "x.csv", "--fact-columns", "编号")
    assert bad.exit_code == 1 and "编号=KIND" in bad.output
    # a bad kind is answered with the kinds --help names
    kinds = "platform, date, order, waybill, amount, phone"
    assert kinds in " ".join(run("classify", "--help").output.split())
    bad = run("classify", SAMPLE, "-o", tmp_path / "x.csv", "--fact-columns", "编号=colour")
    assert bad.exit_code == 1 and f"KIND one of {kinds}" in bad.output


def test_train_refuses_a_folder_of_other_files(run, tmp_path, root):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"x")
    result = run("train", root / "data" / "complaints.csv", "-o", folder)
    assert result.exit_code == 1
    assert "not empty and holds no model" in result.output and "--force" in result.output
    assert [p.name for p in folder.iterdir()] == ["report.docx"]


@pytest.mark.parametrize("command", ["classify", "explain", "letter", "train", "evaluate", "bench"])
def test_every_help_ends_with_examples(run, command):
    output = run(command, "--help").output
    assert "Examples:" in output
    examples = output.split("Examples:")[1].strip().splitlines()
    assert 2 <= len(examples) <= 3 and all(
        line.strip().startswith(("complaint-classifier", "echo", "cat")) for line in examples
    )


def test_encoding_help_gives_the_detection_order(run):
    from classifier.charsets import detect_encoding

    help_text = "".join(run("classify", "--help").output.split())  # wrapped anywhere
    order = "a BOM decides, else UTF-8, else Big5 if the double-byte text looks traditional, else GB18030"
    assert "".join(order.split()) in help_text
    traditional = "付款失敗，銀行卡被扣款了，訂單沒有生成\n".encode("big5") * 20
    assert detect_encoding(traditional) == "big5"  # the order the help gives, as detected


def test_letter_help_names_each_category_s_letter(run):
    playbook = json.loads((ROOT / "classifier" / "advice" / "playbook.json").read_text("utf-8"))
    titles = [c["letter"]["title"] for c in playbook["categories"].values()]
    assert len(titles) == 4
    help_text = "".join(run("letter", "--help").output.split())
    assert all(title in help_text for title in titles), titles


def test_cli_errors_name_options_not_python_arguments(run, tmp_path):
    result = run("classify", SAMPLE, "-o", tmp_path / "o.csv", "--text-column", "nope")
    assert result.exit_code == 1
    assert "--text-column" in result.output and "text_column=" not in result.output
