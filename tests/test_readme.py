"""The README's commands work as written (the docs cannot rot)."""

import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _quick_start_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_the_two_commands():
    install_and_run, dev_and_test = _quick_start_commands()
    assert install_and_run.startswith(
        "pip install . && complaint-classifier classify data/sample_complaints.csv"
    )
    assert dev_and_test == 'pip install -e ".[dev]" && pytest'
    ci = (ROOT / ".ci" / "run").read_text()
    assert dev_and_test in ci


def test_quick_start_classify_command_runs(tmp_path):
    command = _quick_start_commands()[0].split("&&", 1)[1].strip()
    args = shlex.split(command)
    args[args.index("-o") + 1] = str(tmp_path / "classified.csv")
    exe = Path(sys.executable).with_name("complaint-classifier")
    proc = subprocess.run([str(exe), *args[1:]], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "40 行" in proc.stderr
    lines = (tmp_path / "classified.csv").read_text("utf-8-sig").splitlines()
    assert len(lines) == 41


def test_python_examples_run():
    import doctest

    block = README.split("## Using from Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0


def _console_examples(*commands):
    """(arguments, shown output lines) of each ```console block running one of ``commands``."""
    for block in re.findall(r"```console\n(.+?)\n```", README, flags=re.S):
        first, *shown = block.splitlines()
        args = shlex.split(first.removeprefix("$ "))
        if args[0] == "complaint-classifier" and args[1] in commands:
            yield args[1:], shown


def _in_order(shown, printed):
    """Each stretch of ``shown`` between "…" lines is a run of ``printed`` lines, in order."""
    stretches, current = [], []
    for line in shown:
        if line.strip() == "…":
            stretches.append(current)
            current = []
        else:
            current.append(line)
    stretches.append(current)
    at = 0
    for stretch in filter(None, stretches):
        starts = [
            i for i in range(at, len(printed) - len(stretch) + 1) if printed[i : i + len(stretch)] == stretch
        ]
        if not starts:
            return False
        at = starts[0] + len(stretch)
    return True


def test_explain_and_letter_examples_print_what_the_readme_shows(run):
    examples = list(_console_examples("explain", "letter"))
    assert sorted(args[0] for args, _ in examples) == ["explain", "letter"]
    for args, shown in examples:
        printed = run(*args).output.splitlines()
        assert _in_order(shown, printed), (args, shown, printed)


def test_in_order_catches_a_drifted_line():
    printed = ["a", "b", "c", "d"]
    assert _in_order(["a", "b", "…", "d"], printed)
    assert not _in_order(["a", "x", "…"], printed)
    assert not _in_order(["c", "…", "a"], printed)


@pytest.mark.slow
def test_wheel_ships_the_default_model(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 and "hatchling" in proc.stderr:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT)],
            capture_output=True,
            text=True,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("complaint_classifier-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "classifier/default_model/model.joblib" in names
    assert "classifier/default_model/model.json" in names
    assert "classifier/default_model/lean.npz" in names and "classifier/default_model/lean.json" in names
    assert "classifier/advice/playbook.json" in names
    assert "classifier/text/userdict.txt" in names
    assert "classifier/engine/_kernel.c" in names
