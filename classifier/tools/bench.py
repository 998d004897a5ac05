"""``complaint-classifier bench``: measure speed and memory on this machine, side by side.

Compares the batch path with the textbook pipeline a user would otherwise write
(``TfidfVectorizer(tokenizer=jieba.lcut)`` + ``LinearSVC`` over a pandas column), and measures
single-text latency, cold start, peak RSS and model size. Timings are medians over repeated
runs; whole-process timings run in fresh subprocesses.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..engine.kernel import kernel, kernel_status
from ..engine.lean import LeanModel
from ..engine.scorer import Model
from ..fileformat import MODEL_FILE
from ..model.files import default_model
from ..paths import default_model_dir
from .report import load_corpus

__all__ = ["BenchReport", "bench", "make_bench_csv"]

_TEXTBOOK = r"""
import sys, time, json
t0 = time.perf_counter()
import jieba, joblib, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
train = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
fit_started = time.perf_counter()
vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None)
model = LinearSVC().fit(vectorizer.fit_transform(train["text"]), train["label"])
fit_seconds = time.perf_counter() - fit_started
frame = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
frame["category"] = model.predict(vectorizer.transform(frame["投诉内容"]))
frame.to_csv(sys.argv[3], index=False)
print(json.dumps({"seconds": time.perf_counter() - t0 - fit_seconds}))
"""

_COLD = "from classifier import classify; classify('付款显示失败但银行卡扣了199元')"

_RSS = r"""
import resource, subprocess, sys, time, json
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.perf_counter() - t, "rc": code,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


@dataclass
class BenchReport:
    """Everything ``bench`` measured."""

    rows: int
    repeats: int
    textbook_seconds: float
    ours_seconds: float
    speedup: float
    scores_only_seconds: float
    scores_only_speedup: float
    single_p50_ms: float
    single_p99_ms: float
    cold_start_seconds: float
    peak_rss_mb: float
    model_mb: float
    memory_file_mb: float | None = None
    memory_peak_rss_mb: float | None = None
    memory_seconds: float | None = None
    engines: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Every measurement (JSON-ready)."""
        return asdict(self)

    def format(self) -> str:
        """A plain-text table for terminals."""
        rows = [
            (
                "batch, textbook pipeline (whole process)",
                f"{self.textbook_seconds:.2f} s",
                f"{self.rows} rows",
            ),
            (
                "batch, complaint-classifier --columns confidence",
                f"{self.scores_only_seconds:.2f} s",
                f"{self.scores_only_speedup:.2f}× textbook (category, confidence, status)",
            ),
            (
                "batch, complaint-classifier, every column",
                f"{self.ours_seconds:.2f} s",
                f"{self.speedup:.2f}× textbook (+ reasons, evidence, steps)",
            ),
            (
                "single text p50 / p99",
                f"{self.single_p50_ms:.2f} / {self.single_p99_ms:.2f} ms",
                "classify(), warm",
            ),
            ("cold start (new process → first result)", f"{self.cold_start_seconds:.2f} s", ""),
            ("peak RSS, batch run", f"{self.peak_rss_mb:.0f} MB", "largest single process"),
            ("model size", f"{self.model_mb:.1f} MB", "model.joblib"),
        ]
        if self.memory_file_mb:
            rows.append(
                (
                    f"peak RSS on a {self.memory_file_mb:.0f} MB CSV",
                    f"{self.memory_peak_rss_mb:.0f} MB",
                    f"{self.memory_seconds:.0f} s",
                )
            )
        width = max(len(r[0]) for r in rows)
        lines = [f"{name:{width}s}  {value:>16s}  {note}" for name, value, note in rows]
        engines = (
            ["engines: " + "; ".join(f"{k}: {v}" for k, v in self.engines.items())] if self.engines else []
        )
        return "\n".join(lines + [f"(medians of {self.repeats} runs)"] + engines + self.notes)


def make_bench_csv(
    path: str | os.PathLike[str],
    rows: int,
    *,
    seed: int = 0,
    corpus: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> Path:
    """Write a CSV of ``rows`` distinct complaints built from the corpus (ids and amounts varied)."""
    frame = corpus if isinstance(corpus, pd.DataFrame) else load_corpus(corpus)
    texts = frame["text"].tolist()
    rng = random.Random(seed)
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["编号", "投诉内容"])
        for i in range(rows):
            # a varied suffix keeps texts distinct, so the batch path's de-duplication cannot help
            text = f"{rng.choice(texts)}（工单{rng.randrange(10**7, 10**8)}，{rng.randrange(1, 999)}元）"
            writer.writerow([i, text])
    return path


def _run_json(args: list[str]) -> dict[str, Any]:
    # every timed run starts quiet: the previous run's output is on disk, not being flushed
    if hasattr(os, "sync"):
        os.sync()
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _cli() -> list[str]:
    return [sys.executable, "-m", "classifier"]


def bench(
    rows: int = 20000, repeats: int = 3, memory_mb: float | None = None, model: Model | None = None
) -> BenchReport:
    """Run every measurement and return a :class:`BenchReport`."""
    model = model or default_model()
    corpus = load_corpus()
    started = time.perf_counter()
    kernel()  # compiled once here if need be, so the timed runs find it in the cache
    compile_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = make_bench_csv(tmp / "bench.csv", rows, corpus=corpus)
        train = tmp / "train.csv"
        corpus[corpus["split"] == "train"][["text", "label"]].to_csv(train, index=False)
        textbook_script = tmp / "textbook.py"
        textbook_script.write_text(_TEXTBOOK, "utf-8")
        rss_script = tmp / "rss.py"
        rss_script.write_text(_RSS, "utf-8")

        textbook: list[float] = []
        ours: list[float] = []
        scores_only: list[float] = []
        rss: list[float] = []
        classify = [sys.executable, str(rss_script), *_cli(), "classify", str(source), "--force", "-q"]
        for _ in range(repeats):
            textbook.append(
                _run_json(
                    [sys.executable, str(textbook_script), str(train), str(source), str(tmp / "tb.csv")]
                )["seconds"]
            )
            run = _run_json([*classify, "-o", str(tmp / "ours.csv")])
            ours.append(run["seconds"])
            rss.append(run["max_rss_mb"])
            run = _run_json([*classify, "-o", str(tmp / "scores.csv"), "--columns", "confidence"])
            scores_only.append(run["seconds"])
            rss.append(run["max_rss_mb"])

        cold = []
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", _COLD], check=True, capture_output=True)
            cold.append(time.perf_counter() - started)

        probe = corpus["text"].sample(min(1000, len(corpus)), random_state=0).tolist()
        for text in probe[:50]:
            model.classify(text)  # warm-up
        latencies = []
        for text in probe:
            started = time.perf_counter()
            model.classify(text)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()

        report = BenchReport(
            rows=rows,
            repeats=repeats,
            textbook_seconds=statistics.median(textbook),
            ours_seconds=statistics.median(ours),
            speedup=statistics.median(textbook) / statistics.median(ours),
            scores_only_seconds=statistics.median(scores_only),
            scores_only_speedup=statistics.median(textbook) / statistics.median(scores_only),
            single_p50_ms=latencies[len(latencies) // 2],
            single_p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            cold_start_seconds=statistics.median(cold),
            peak_rss_mb=max(rss),
            model_mb=os.path.getsize(default_model_dir() / MODEL_FILE) / 2**20,
        )
        if isinstance(model, LeanModel):
            report.engines = model.describe()
        if kernel_status() == "loaded":
            report.notes.append(
                f"batch scoring: the compiled kernel (ready in {compile_seconds:.2f} s, compiled on "
                "first use); COMPLAINT_CLASSIFIER_NATIVE=0 measures the NumPy path"
            )
        else:
            report.notes.append(f"batch scoring: NumPy ({kernel_status()})")
        if memory_mb:
            average = os.path.getsize(source) / rows
            big = make_bench_csv(tmp / "big.csv", int(memory_mb * 2**20 / average), corpus=corpus)
            run = _run_json(
                [
                    sys.executable,
                    str(rss_script),
                    *_cli(),
                    "classify",
                    str(big),
                    "-o",
                    str(tmp / "big_out.csv"),
                    "-q",
                    "--force",
                ]
            )
            report.memory_file_mb = os.path.getsize(big) / 2**20
            report.memory_peak_rss_mb = run["max_rss_mb"]
            report.memory_seconds = run["seconds"]
        return report
