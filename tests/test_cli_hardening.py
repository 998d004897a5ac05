"""The CLI under hostile or clumsy use: no clobbered file, no traceback (issue 14).

Every adversarial input is generated here, in tmp_path.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

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
