"""The CLI under hostile or clumsy use: no clobbered file, no traceback (issue 14).

Every adversarial input is generated here, in tmp_path.
"""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from classifier.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_complaints.csv"
SMALL = "编号,投诉内容\n1,付款失败但扣了钱\n2,会员开了一直黑屏\n"


def run(*args: object, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def one_line_error(result) -> bool:
    return (
        result.exit_code == 1
        and "Traceback" not in result.output
        and result.output.startswith("Error: ")
        and result.output.count("\n") == 1
    )


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(SMALL, "utf-8")
    return path


# ---------------------------------------------------------------- 1. --summary-json
def test_summary_json_never_overwrites_the_input(small, tmp_path):
    before = small.read_bytes()
    for force in ([], ["--force"]):
        result = run("classify", small, "-o", tmp_path / "out.csv", "-q", "--summary-json", small, *force)
        assert one_line_error(result) and "input" in result.output
        assert small.read_bytes() == before
        (tmp_path / "out.csv").unlink(missing_ok=True)


def test_summary_json_needs_force_to_replace_a_file(small, tmp_path):
    summary = tmp_path / "s.json"
    summary.write_text("keep me", "utf-8")
    result = run("classify", small, "-o", tmp_path / "out.csv", "-q", "--summary-json", summary)
    assert one_line_error(result) and "--force" in result.output
    assert summary.read_text("utf-8") == "keep me"
    assert not (tmp_path / "out.csv").exists()  # refused before the run, not after it
    result = run("classify", small, "-o", tmp_path / "out.csv", "-q", "--summary-json", summary, "--force")
    assert result.exit_code == 0, result.output
    assert json.loads(summary.read_text("utf-8"))["rows"] == 2
    assert not list(tmp_path.glob(".*.part"))


def test_summary_json_into_a_missing_folder(small, tmp_path):
    summary = tmp_path / "new" / "deeper" / "s.json"
    result = run("classify", small, "-o", tmp_path / "out.csv", "-q", "--summary-json", summary)
    assert result.exit_code == 0, result.output
    assert json.loads(summary.read_text("utf-8"))["rows"] == 2


def test_summary_json_and_output_must_differ(small, tmp_path):
    out = tmp_path / "out.csv"
    result = run("classify", small, "-o", out, "-q", "--summary-json", out)
    assert result.exit_code == 2 and not out.exists()


def test_stdin_is_not_overwritten_even_with_force(small, tmp_path):
    before = small.read_bytes()
    with open(small, "rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "classifier", "classify", "-", "-o", str(small), "--force", "-q"],
            stdin=stdin,
            capture_output=True,
            cwd=ROOT,
            timeout=120,
        )
    assert done.returncode == 1, done.stderr
    assert b"stdin" in done.stderr and b"Traceback" not in done.stderr
    assert small.read_bytes() == before


# ---------------------------------------------------------------- 5. devices and pipes
def test_output_to_dev_null_or_a_link_to_it_leaves_the_device(small, tmp_path):
    result = run("classify", small, "-o", "/dev/null", "-q")
    assert result.exit_code == 0, result.output
    link = tmp_path / "null.csv"
    link.symlink_to("/dev/null")
    result = run("classify", small, "-o", link, "-q")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_named_pipe_is_written_into_the_pipe(small, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("classify", small, "-o", fifo, "-q")
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    lines = received[0].decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("编号,投诉内容,category")


# ---------------------------------------------------------------- 7. killed while running
def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_killing_the_parent_stops_its_workers_and_frees_the_pipes(tmp_path, how):
    import signal
    import time

    rows = ["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏", "购物车的商品全没了"]
    source = tmp_path / "big.csv"
    with open(source, "w", encoding="utf-8") as fh:
        fh.write("编号,投诉内容\n")
        for i in range(60_000):
            fh.write(f"{i},{rows[i % 3]}{i}\n")
    out = tmp_path / "out.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "classifier", "classify", str(source), "-o", str(out), "-q", "-j", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) >= 2, process.stderr.read() if process.poll() is not None else "no workers"
    time.sleep(0.5)
    process.send_signal(getattr(signal, how))
    process.wait(timeout=60)
    # the workers exit too, so the caller's pipes reach end of file
    assert process.stdout.read() == b""
    process.stderr.read()
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
    if how != "SIGKILL":
        assert process.returncode == 128 + getattr(signal, how)  # 143, 129
        assert not out.exists() and not list(tmp_path.glob(".*.part"))  # cleaned up like Ctrl-C


# ---------------------------------------------------------------- one-line errors
def _cases(tmp_path: Path, small: Path) -> dict[str, tuple[list[object], str]]:
    binary = tmp_path / "program.csv"
    binary.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(4000))
    old_excel = tmp_path / "renamed.csv"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40)
    noise = tmp_path / "noise.csv"
    noise.write_bytes(random.Random(7).randbytes(20_000))
    return {
        "output_under_a_file": (["classify", small, "-o", small / "out.csv"], "a file is in the way"),
        "overlong_output_name": (["classify", small, "-o", tmp_path / ("x" * 300 + ".csv")], "too long"),
        "two_character_delimiter": (["classify", small, "--delimiter", "ab"], "one character"),
        "binary_input": (["classify", binary], "binary"),
        "old_excel_renamed_csv": (["classify", old_excel], "old Excel (.xls)"),
        "random_bytes": (["classify", noise], "binary"),
        "disk_full": (["classify", small, "-o", "/dev/full"], "No space left"),
        "parquet_output": (["classify", small, "-o", tmp_path / "x.parquet"], "cannot write .parquet"),
        "xls_output": (["classify", small, "-o", tmp_path / "x.xls"], "cannot write .xls"),
        "host_name_codec": (["classify", small, "--encoding", "idna"], "not an encoding of text files"),
        "unknown_codec": (["classify", small, "--encoding", "klingon"], "unknown encoding 'klingon'"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "output_under_a_file",
        "overlong_output_name",
        "two_character_delimiter",
        "binary_input",
        "old_excel_renamed_csv",
        "random_bytes",
        "disk_full",
        "parquet_output",
        "xls_output",
        "host_name_codec",
        "unknown_codec",
    ],
)
def test_failures_are_one_line_errors(small, tmp_path, case):
    args, message = _cases(tmp_path, small)[case]
    if case == "disk_full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    result = run(*args, "-q")
    assert one_line_error(result), result.output
    assert message in result.output
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".*.part"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes regardless of permissions")
def test_permission_problems_are_one_line_errors(small, tmp_path):
    small.chmod(0)
    assert one_line_error(run("classify", small, "-q"))
    small.chmod(0o644)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert one_line_error(run("classify", small, "-o", locked / "out.csv", "-q"))


def test_header_escape_codes_are_printed_escaped(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("\x1b[2J\x1b]0;pwned\x07编号,别的\n1,x\n", "utf-8")
    result = run("classify", source, "--text-column", "正文")
    assert one_line_error(result)
    assert "\x1b" not in result.output and "\\x1b[2J" in result.output


def test_a_delimiter_the_file_contradicts_is_warned_about(small, tmp_path):
    result = run("classify", small, "-o", tmp_path / "out.csv", "--delimiter", ";", "-q")
    assert result.exit_code == 0
    assert "Warning: --delimiter ';' does not occur in the header" in result.output


def test_training_on_too_few_rows_names_the_real_minimum(tmp_path):
    rows = ["text,label"] + [
        f"{t}{i},{label}"
        for label, t in [
            ("payment", "扣了钱"),
            ("service_interruption", "黑屏"),
            ("data_error", "订单没了"),
            ("other", "态度差"),
        ]
        for i in range(6)
    ]
    data = tmp_path / "small.csv"
    data.write_text("\n".join(rows) + "\n", "utf-8")
    result = run("train", data, "-o", tmp_path / "model")
    assert one_line_error(result) and "at least 7" in result.output


# ---------------------------------------------------------------- CSV injection
def test_cells_with_another_list_separator_are_quoted_whole(tmp_path):
    import csv

    source = tmp_path / "in.csv"
    source.write_text(
        '编号,投诉内容\n1,"扣了钱;=HYPERLINK(""http://x"")"\n2,会员开了视频一直黑屏\n3,＝1+1 付款失败\n',
        "utf-8",
    )
    out = tmp_path / "out.csv"
    assert run("classify", source, "-o", out, "-q").exit_code == 0
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[1].startswith('"1","扣了钱;=HYPERLINK(""http://x"")",')  # every field quoted
    assert lines[2].startswith("2,会员开了视频一直黑屏,")  # rows without one are as before
    back = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    assert back[1][1] == '扣了钱;=HYPERLINK("http://x")'
    assert back[3][1] == "＝1+1 付款失败"  # full-width: not run by spreadsheets, left as written


# ---------------------------------------------------------------- train, evaluate, bench
LABELLED = "text,label,split\n扣了两次钱,payment,test\n页面一直打不开,service_interruption,test\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        ('text,label\n"扣了钱,payment\n黑屏,other\n'.encode(), "EOF inside string"),
        (b"PK\x03\x04" + bytes(200), "spreadsheet workbook"),
        (LABELLED.encode("utf-8") + "坏了,other,test\n".encode("gbk"), "line 4 holds bytes"),
    ],
    ids=["empty", "unclosed quote", "workbook", "a gbk line in utf-8"],
)
@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_an_unreadable_labelled_file_is_a_one_line_error(tmp_path, command, content, message):
    data = tmp_path / "labelled.csv"
    data.write_bytes(content)
    args = ["-o", tmp_path / "model"] if command == "train" else []
    result = run(command, data, *args)
    assert one_line_error(result), result.output
    assert message in result.output and str(data) in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labelled.csv"]  # no model folder begun


def test_evaluate_reads_gbk_as_classify_does(tmp_path):
    data = tmp_path / "gbk.csv"
    data.write_bytes(LABELLED.encode("gbk"))
    result = run("evaluate", data, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] + report["skipped_training_rows"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "0"], "Invalid value for '--rows': 0 is not in the range x>=1"),
        (["--repeats", "0"], "Invalid value for '--repeats': 0 is not in the range x>=1"),
        (["--rows", "-3"], "Invalid value for '--rows'"),
        (["--memory-mb", "0"], "Invalid value for '--memory-mb'"),
    ],
)
def test_bench_refuses_nothing_to_measure(args, message):
    result = run("bench", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("bad", [{"rows": 0}, {"repeats": 0}, {"rows": 2.5}, {"memory_mb": -1}])
def test_bench_library_refuses_nothing_to_measure(bad, monkeypatch):
    from classifier.errors import InvalidParameterError
    from classifier.tools import bench

    monkeypatch.setattr(bench, "default_model", lambda: pytest.fail("measured"))
    with pytest.raises(InvalidParameterError, match=next(iter(bad))):
        bench.bench(**bad)


@pytest.mark.slow
def _trained_small_model(tmp_path: Path, corpus: pd.DataFrame) -> tuple[pd.DataFrame, Path, Path, dict]:
    """A 140-row labelled CSV in ``tmp_path``, a model trained on it (seed 1) in ``tmp_path/model``,
    and that model's files as bytes (to check a failed retrain left them as they were)."""
    small = pd.concat(
        [
            corpus[corpus.split == "train"].groupby("label").head(30),
            corpus[corpus.split == "test"].groupby("label").head(5),
        ]
    )
    data = tmp_path / "small.csv"
    small.to_csv(data, index=False)
    model = tmp_path / "model"
    assert run("train", data, "-o", model, "--seed", "1").exit_code == 0
    return small, data, model, {p.name: p.read_bytes() for p in model.iterdir()}


@pytest.mark.parametrize(
    "failure", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["disk full", "ctrl-c"]
)
def test_a_retrain_that_fails_while_saving_keeps_the_old_model(tmp_path, monkeypatch, corpus, failure):
    from classifier.engine.lean import LeanModel

    small, data, model, before = _trained_small_model(tmp_path, corpus)
    texts = small["text"].tolist()
    expected = LeanModel.load(model).predict_proba(texts)

    def savez(*args, **kwargs):
        raise failure

    monkeypatch.setattr("classifier.engine.lean.np.savez", savez)
    result = run("train", data, "-o", model, "--seed", "2")
    monkeypatch.undo()
    if isinstance(failure, OSError):
        assert one_line_error(result) and "No space left on device" in result.output
    else:
        assert result.exit_code == 1 and "Aborted" in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in model.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "small.csv"]
    assert (LeanModel.load(model).predict_proba(texts) == expected).all()


@pytest.mark.slow
def test_a_retrain_killed_while_saving_keeps_the_old_model_and_cleans_up(tmp_path, corpus):
    """SIGTERM while the new model's files are written: exit 143, the old model as it was, no
    staging folder left (SIGTERM cleans up as Ctrl-C does)."""
    _, data, model, before = _trained_small_model(tmp_path, corpus)
    script = (
        "import os, signal, sys\n"
        "import classifier.engine.lean as lean\n"
        "real = lean.np.savez\n"
        "def savez(*args, **kwargs):\n"
        "    real(*args, **kwargs)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "lean.np.savez = savez\n"
        "from classifier.cli import main\n"
        "sys.argv = ['complaint-classifier', *sys.argv[1:]]\n"
        "main()\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", script, "train", str(data), "-o", str(model), "--seed", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert process.returncode == 143, process.stderr
    assert "Traceback" not in process.stderr
    assert {p.name: p.read_bytes() for p in model.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "small.csv"]
