"""``complaint-classifier bench``: measure speed and memory on this machine, side by side.

Compares the batch path with the textbook pipeline a user would otherwise write
(``TfidfVectorizer(tokenizer=jieba.lcut)`` + ``LinearSVC`` over a pandas column), side by side
in one run, and measures single-text latency, cold start, peak RSS and model size. The headline
is the command people run (every result column), next to scores only (``--columns
confidence``). Timings are medians over repeated, alternated runs; whole-process timings run in
fresh subprocesses, and each also reports its CPU seconds (less sensitive to a busy machine
than wall time). :func:`profile_stages` breaks a batch run down by stage.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..batch.readers import open_table
from ..batch.workers import collect_less_often
from ..engine.kernel import kernel, kernel_status
from ..engine.lean import LeanModel
from ..engine.scorer import Model
from ..errors import InvalidParameterError
from ..fileformat import MODEL_FILE
from ..model.files import default_model
from ..paths import default_model_dir
from .latency import warm_passes
from .report import load_corpus

__all__ = ["STAGES", "TARGETS", "BenchReport", "bench", "make_bench_csv", "profile_stages"]

_TEXTBOOK = r"""
import sys, time, json
t0, c0 = time.perf_counter(), time.process_time()
import jieba, joblib, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
train = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
fit_started, fit_cpu = time.perf_counter(), time.process_time()
vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None)
model = LinearSVC().fit(vectorizer.fit_transform(train["text"]), train["label"])
fit_seconds, fit_cpu = time.perf_counter() - fit_started, time.process_time() - fit_cpu
frame = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
frame["category"] = model.predict(vectorizer.transform(frame["投诉内容"]))
frame.to_csv(sys.argv[3], index=False)
print(json.dumps({"seconds": time.perf_counter() - t0 - fit_seconds,
                  "cpu_seconds": time.process_time() - c0 - fit_cpu}))
"""

_TEXTBOOK_IMPORTS = "import jieba, joblib, pandas, sklearn.feature_extraction.text, sklearn.svm"
_COLD = "from classifier import classify; classify('付款显示失败但银行卡扣了199元')"
_COLD_CLI = ["explain", "付款失败扣了钱"]

_RSS = r"""
import resource, subprocess, sys, time, json
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and the workers it waited for
print(json.dumps({"seconds": time.perf_counter() - t, "rc": code, "max_rss_mb": usage.ru_maxrss / 1024,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime}))
"""
# the stages of a batch run, in the order a row meets them (profile_stages)
STAGES = (
    "read",
    "normalise",
    "tokenise",
    "score",
    "reasons",
    "guard",
    "facts",
    "advice",
    "render",
    "IPC",
    "other",
)

# The speed issue's targets on the 2-core machine: measurement → (bound, "min" or "max", unit)
TARGETS: dict[str, tuple[float, str, str]] = {
    "speedup": (10.0, "min", "×"),
    "scores_only_speedup": (15.0, "min", "×"),
    "single_p50_ms": (0.3, "max", " ms"),
    "single_p99_ms": (1.0, "max", " ms"),
    "cold_start_seconds": (0.5, "max", " s"),
    "memory_peak_rss_mb": (200.0, "max", " MB"),
}


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
    # CPU seconds (user + system, workers included) of the same runs: medians
    textbook_cpu_seconds: float | None = None
    ours_cpu_seconds: float | None = None
    scores_only_cpu_seconds: float | None = None
    # new process → first result of `complaint-classifier explain`
    cold_start_cli_seconds: float | None = None
    # columns ("every column", "scores only") → stage → µs per row (profile_stages)
    profile: dict[str, dict[str, float]] = field(default_factory=dict)
    engines: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Every measurement, and which targets were met (JSON-ready)."""
        return {**asdict(self), "targets_met": self.targets()}

    def targets(self) -> dict[str, bool]:
        """Each measured target (:data:`TARGETS`) → whether this run met it."""
        met = {}
        for name, (bound, kind, _) in TARGETS.items():
            value = getattr(self, name)
            if value is not None:
                met[name] = value >= bound if kind == "min" else value <= bound
        return met

    def _target_lines(self) -> list[str]:
        lines = []
        for name, ok in self.targets().items():
            bound, kind, unit = TARGETS[name]
            value = getattr(self, name)
            sign = "≥" if kind == "min" else "≤"
            lines.append(
                f"  {name}: {value:.2f}{unit} (target {sign} {bound:g}{unit}): {'met' if ok else 'NOT met'}"
            )
        return ["targets (speed issue, 2-core machine):", *lines]

    def _cpu(self, seconds: float | None) -> str:
        if seconds is None or not self.textbook_cpu_seconds:
            return ""
        return f"; CPU {seconds:.2f} s, {self.textbook_cpu_seconds / seconds:.2f}×"

    def format(self) -> str:
        """A plain-text table for terminals: the default (every column) first."""
        rows = [
            (
                "batch, complaint-classifier, every column (the default)",
                f"{self.ours_seconds:.2f} s",
                f"{self.speedup:.2f}× textbook{self._cpu(self.ours_cpu_seconds)}"
                " (category, probabilities, reasons, evidence, steps, missing facts)",
            ),
            (
                "batch, complaint-classifier --columns confidence",
                f"{self.scores_only_seconds:.2f} s",
                f"{self.scores_only_speedup:.2f}× textbook{self._cpu(self.scores_only_cpu_seconds)}"
                " (category, confidence, status)",
            ),
            (
                "batch, textbook pipeline (whole process)",
                f"{self.textbook_seconds:.2f} s",
                f"{self.rows} rows"
                + (f"; CPU {self.textbook_cpu_seconds:.2f} s" if self.textbook_cpu_seconds else ""),
            ),
            (
                "single text p50 / p99",
                f"{self.single_p50_ms:.2f} / {self.single_p99_ms:.2f} ms",
                "classify() of 1,000 corpus texts one by one, warm, in a fresh process",
            ),
            (
                "cold start (new process → first result)",
                f"{self.cold_start_seconds:.2f} s",
                "python -c 'from classifier import classify; classify(...)'",
            ),
        ]
        if self.cold_start_cli_seconds is not None:
            rows.append(
                ("cold start, CLI", f"{self.cold_start_cli_seconds:.2f} s", "complaint-classifier explain")
            )
        rows += [
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
        return "\n".join(
            lines
            + [f"(medians of {self.repeats} runs)"]
            + engines
            + self.notes
            + self._target_lines()
            + self._profile_table()
        )

    def _profile_table(self) -> list[str]:
        if not self.profile:
            return []
        modes = list(self.profile)
        lines = ["", "stage breakdown (CPU µs per row, one process; IPC: the pickling workers would do)"]
        lines.append(f"{'stage':10s}" + "".join(f"{mode:>16s}" for mode in modes))
        for stage in [*STAGES, "total"]:
            cells = "".join(f"{self.profile[mode].get(stage, 0.0):16.1f}" for mode in modes)
            lines.append(f"{stage:10s}{cells}")
        extra = [
            f"{mode}: {self.profile[mode].get('IPC bytes', 0.0):.0f} bytes/row pickled back" for mode in modes
        ]
        return [*lines, "; ".join(extra)]


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


def _bytecode_env(folder: Path) -> dict[str, str]:
    """The environment of every timed process: bytecode written to and read from ``folder``, as
    ``pip install`` leaves a package (compiled). Without it, a tree installed editable under
    PYTHONDONTWRITEBYTECODE is compiled from source in each process, ~0.1 s of every start."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    return env


def _run_json(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    # every timed run starts quiet: the previous run's output is on disk, not being flushed
    if hasattr(os, "sync"):
        os.sync()
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _cli() -> list[str]:
    return [sys.executable, "-m", "classifier"]


class _Stages:
    """Exclusive CPU seconds per stage: a stage's time without the stages it calls (CPU time, so
    that other jobs on a busy machine do not land in whichever stage was running)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._inner: list[float] = []

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds
        if self._inner:
            self._inner[-1] += seconds

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._inner.append(0.0)
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - started
                inner = self._inner.pop()
                self.add(stage, elapsed - inner)
                if self._inner:
                    self._inner[-1] += inner

        return timed


def profile_stages(
    path: str | os.PathLike[str], model: Model, columns: str | None = None
) -> dict[str, float]:
    """Where the time of ``classify_file(path, columns=columns)`` goes: CPU µs per row by stage.

    Runs in this process (one worker), with the library's functions wrapped in timers for the
    duration of the run: read (the CSV reader, timed on its own pass), normalise, tokenise, score
    (n-grams, TF-IDF, the linear decision, calibration), reasons, guard (the content guard),
    facts (``extract_facts``), advice (``checklist`` on cache misses), render (CSV text) and IPC:
    the pickle round trip of each chunk's inputs and output, which worker processes would pay
    (``IPC bytes``: bytes per row pickled back). ``other`` is the rest (result columns, statuses,
    the caches). A warm-up run on a few rows comes first. The run collects garbage as a worker
    does (:func:`~classifier.batch.workers.collect_less_often`; restored after).
    """
    threshold = gc.get_threshold()
    collect_less_often()
    try:
        return _profiled(path, model, columns)
    finally:
        gc.set_threshold(*threshold)


def _profiled(path: str | os.PathLike[str], model: Model, columns: str | None) -> dict[str, float]:
    from ..batch import columns as columns_module
    from ..batch import files as files_module

    stages = _Stages()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.csv"
        warm = Path(folder) / "warm.csv"
        with open(path, encoding="utf-8") as fh, open(warm, "w", encoding="utf-8") as out_fh:
            out_fh.writelines(line for _, line in zip(range(101), fh))  # the header and 100 rows
        files_module.classify_file(warm, out, model=model, jobs=1, columns=columns, force=True)
        table = open_table(path)
        started = time.process_time()
        rows = sum(1 for _ in table.rows)
        stages.add("read", time.process_time() - started)
        table.close()

        patched: list[tuple[object, str, object]] = []

        def patch(owner: object, name: str, stage: str) -> None:
            if hasattr(owner, name):
                patched.append((owner, name, vars(owner).get(name, _MISSING)))
                setattr(owner, name, stages.wrap(stage, getattr(owner, name)))

        ipc_bytes = 0
        processed = files_module.processed_chunks

        def with_ipc(chunks: Any, inputs_of: Any, job: Any, jobs: int) -> Any:
            nonlocal ipc_bytes

            def sent(chunk: Any) -> Any:
                inputs = inputs_of(chunk)
                started = time.process_time()
                pickle.loads(pickle.dumps(inputs))
                stages.add("IPC", time.process_time() - started)
                return inputs

            for chunk, output in processed(chunks, sent, job, jobs):
                started = time.process_time()
                data = pickle.dumps(output)
                pickle.loads(data)
                stages.add("IPC", time.process_time() - started)
                ipc_bytes += len(data)
                yield chunk, output

        patch(model, "score_texts", "score")
        if isinstance(model, LeanModel):
            patch(model, "normalized", "normalise")
            patch(model.tokenizer, "cut_joined", "tokenise")
            patch(model.numpy_batch, "reasons", "reasons")
            patch(model.kernel, "reasons", "reasons")  # the kernel's: picked in C, spelled in Python
        patch(model.guard_, "needs_review", "guard")
        patch(columns_module, "extract_facts", "facts")
        patch(columns_module, "checklist", "advice")
        patch(files_module, "render_columns", "render")
        patched.append((files_module, "processed_chunks", processed))
        setattr(files_module, "processed_chunks", with_ipc)  # noqa: B010 - restored below
        try:
            started = time.process_time()
            files_module.classify_file(path, out, model=model, jobs=1, columns=columns, force=True)
            total = time.process_time() - started + stages.seconds["read"]
        finally:
            for owner, name, original in reversed(patched):
                if original is _MISSING:
                    delattr(owner, name)
                else:
                    setattr(owner, name, original)
    seconds = stages.seconds
    seconds["other"] = max(0.0, total - sum(seconds.values()))
    result = {stage: value / rows * 1e6 for stage, value in seconds.items()}
    result["total"] = total / rows * 1e6
    result["IPC bytes"] = ipc_bytes / rows
    return result


_MISSING = object()


def _single_latencies(
    texts: list[str], passes: int, env: dict[str, str], folder: Path, model: Model | None
) -> list[tuple[float, float]]:
    """Each pass's (p50, p99) in ms of classify() of ``texts`` one by one: the default model's
    in a fresh process that imports only the classifier (:mod:`.latency`), a given model's here."""
    if model is not None:
        return warm_passes(model.classify, texts, passes)
    path = folder / "single.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    args = [sys.executable, "-m", "classifier.tools.latency", str(path), str(passes)]
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    return [(p50, p99) for p50, p99 in json.loads(out.stdout.strip().splitlines()[-1])]


def bench(
    rows: int = 20000,
    repeats: int = 3,
    memory_mb: float | None = None,
    model: Model | None = None,
    profile: bool = False,
) -> BenchReport:
    """Run every measurement and return a :class:`BenchReport` (``profile``: add the stage
    breakdown of :func:`profile_stages` for every column and for scores only). The batch runs and
    the cold start are the default model's; ``model``, if given, is the one the stages and the
    single-text latency time (in this process: by default that runs in a fresh one)."""
    for name, value in (("rows", rows), ("repeats", repeats)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidParameterError(f"bench: {name} must be a whole number of at least 1, got {value!r}")
    if memory_mb is not None and not (isinstance(memory_mb, (int, float)) and memory_mb > 0):
        raise InvalidParameterError(f"bench: memory_mb must be a number above 0 (or None), got {memory_mb!r}")
    given = model
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

        env = _bytecode_env(tmp / "bytecode")
        classify = [sys.executable, str(rss_script), *_cli(), "classify", str(source), "--force", "-q"]
        small = make_bench_csv(tmp / "small.csv", 20, corpus=corpus)
        for warm_up in (  # untimed: each command's modules compiled once, as an install leaves them
            [sys.executable, "-c", _TEXTBOOK_IMPORTS],
            [sys.executable, "-c", _COLD],
            [*_cli(), *_COLD_CLI],
            [*_cli(), "classify", str(small), "-o", str(tmp / "small_out.csv"), "--force", "-q"],
        ):
            subprocess.run(warm_up, check=True, capture_output=True, env=env)

        runs: dict[str, list[dict[str, Any]]] = {"textbook": [], "ours": [], "scores": []}
        for _ in range(repeats):  # alternated, so a change in the machine's load hits all three
            runs["textbook"].append(
                _run_json(
                    [sys.executable, str(textbook_script), str(train), str(source), str(tmp / "tb.csv")],
                    env,
                )
            )
            runs["ours"].append(_run_json([*classify, "-o", str(tmp / "ours.csv")], env))
            runs["scores"].append(
                _run_json([*classify, "-o", str(tmp / "scores.csv"), "--columns", "confidence"], env)
            )

        def median(name: str, key: str = "seconds") -> float:
            return statistics.median(run[key] for run in runs[name])

        cold, cold_cli = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", _COLD], check=True, capture_output=True, env=env)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            subprocess.run([*_cli(), *_COLD_CLI], check=True, capture_output=True, env=env)
            cold_cli.append(time.perf_counter() - started)

        probe = corpus["text"].sample(min(1000, len(corpus)), random_state=0).tolist()
        single = _single_latencies(probe, repeats, env, tmp, given)

        report = BenchReport(
            rows=rows,
            repeats=repeats,
            textbook_seconds=median("textbook"),
            ours_seconds=median("ours"),
            speedup=median("textbook") / median("ours"),
            scores_only_seconds=median("scores"),
            scores_only_speedup=median("textbook") / median("scores"),
            single_p50_ms=statistics.median(p50 for p50, _ in single),
            single_p99_ms=statistics.median(p99 for _, p99 in single),
            cold_start_seconds=statistics.median(cold),
            cold_start_cli_seconds=statistics.median(cold_cli),
            peak_rss_mb=max(run["max_rss_mb"] for run in runs["ours"] + runs["scores"]),
            model_mb=os.path.getsize(default_model_dir() / MODEL_FILE) / 2**20,
            textbook_cpu_seconds=median("textbook", "cpu_seconds"),
            ours_cpu_seconds=median("ours", "cpu_seconds"),
            scores_only_cpu_seconds=median("scores", "cpu_seconds"),
        )
        if profile:
            report.profile = {
                "every column": profile_stages(source, model),
                "scores only": profile_stages(source, model, "confidence"),
            }
        if isinstance(model, LeanModel):
            report.engines = model.describe()
        report.notes.append(
            "every process is timed with its modules' bytecode compiled by an untimed run before, "
            "as pip install leaves a package"
        )
        if kernel_status() == "loaded":
            report.notes.append(
                f"batch scoring: the compiled kernel (ready in {compile_seconds:.2f} s, compiled on "
                "first use); COMPLAINT_CLASSIFIER_NATIVE=0 measures the NumPy path"
            )
        else:
            report.notes.append(f"batch scoring: NumPy ({kernel_status()})")
        if memory_mb:
            average = os.path.getsize(source) / rows
            big = make_bench_csv(tmp / "big.csv", max(1, int(memory_mb * 2**20 / average)), corpus=corpus)
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
                ],
                env,
            )
            report.memory_file_mb = os.path.getsize(big) / 2**20
            report.memory_peak_rss_mb = run["max_rss_mb"]
            report.memory_seconds = run["seconds"]
        return report
