"""The benchmark's inputs and report (the timings themselves run in `complaint-classifier bench`)."""

import json
import subprocess
import sys

import pandas as pd

from classifier.tools.bench import BenchReport, _bytecode_env, make_bench_csv


def test_bench_csv_texts_are_distinct(tmp_path, corpus):
    path = make_bench_csv(tmp_path / "b.csv", 500, corpus=corpus)
    frame = pd.read_csv(path, dtype=str)
    assert len(frame) == 500 and frame["投诉内容"].is_unique
    # de-duplication must not be able to help the batch path
    assert frame["投诉内容"].str.len().min() > 10


def _report(**measured):
    values = dict(
        rows=100,
        repeats=1,
        textbook_seconds=20.0,
        ours_seconds=10.0,
        speedup=2.0,
        scores_only_seconds=2.5,
        scores_only_speedup=8.0,
        single_p50_ms=0.3,
        single_p99_ms=1.0,
        cold_start_seconds=0.4,
        peak_rss_mb=200,
        model_mb=2.5,
    )
    return BenchReport(**{**values, **measured})


def test_report_names_both_batch_modes():
    report = _report()
    text = report.format()
    assert "--columns confidence" in text and "8.00× textbook" in text and "2.00× textbook" in text
    assert json.loads(json.dumps(report.to_dict()))["scores_only_speedup"] == 8.0


def test_report_says_which_targets_were_met():
    report = _report(ours_seconds=1.9, speedup=10.5, single_p99_ms=1.2)
    met = report.targets()
    assert met == {
        "speedup": True,
        "scores_only_speedup": False,
        "single_p50_ms": True,
        "single_p99_ms": False,
        "cold_start_seconds": True,
    }
    text = report.format()
    assert "scores_only_speedup: 8.00× (target ≥ 15×): NOT met" in text
    assert json.loads(json.dumps(report.to_dict()))["targets_met"] == met


def test_the_stage_breakdown_covers_every_stage_and_leaves_the_collector_as_it_was(tmp_path, corpus, lean):
    import gc

    from classifier.tools.bench import STAGES, profile_stages

    path = make_bench_csv(tmp_path / "b.csv", 300, corpus=corpus)
    before = gc.get_threshold()
    stages = profile_stages(path, lean)  # the bundled model as the CLI loads it
    assert gc.get_threshold() == before
    assert set(STAGES) <= set(stages) and stages["total"] > 0
    assert stages["reasons"] > 0 and stages["facts"] > 0  # every column: both ran
    assert sum(stages[s] for s in STAGES) <= stages["total"] * 1.001


def test_timed_processes_read_bytecode_compiled_before_them(tmp_path, monkeypatch):
    # under PYTHONDONTWRITEBYTECODE an editable tree is compiled from source in every process:
    # the cold start would time the compiler, which an installed package never runs
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = _bytecode_env(tmp_path / "bytecode")
    assert "PYTHONDONTWRITEBYTECODE" not in env
    script = "import sys; print(sys.dont_write_bytecode, sys.pycache_prefix)"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", str(tmp_path / "bytecode")]
