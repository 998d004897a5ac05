"""The ``complaint-classifier`` command: thin click glue over the library.

Each command parses options, calls the library function of the same name, prints its result,
and turns :class:`ClassifierError` into a one-line error with a non-zero exit code.

The library is imported inside the commands: ``classify`` must tune the process (one BLAS
thread) before NumPy loads, and ``--help`` or ``explain`` should not pay for scikit-learn,
pandas or the batch machinery they do not use.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ._version import __version__
from .errors import ClassifierError

F = TypeVar("F", bound=Callable[..., Any])

ENCODINGS_HELP = "Input encoding (default: BOM → UTF-8 → GB18030); e.g. utf-8, gbk, gb18030."


def _errors_as_clicks(func: F) -> F:
    """Library errors become `Error: …` and exit code 1 instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ClassifierError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:  # `… | head` closed the pipe: not an error
            sys.stderr.close()

    return wrapper  # type: ignore[return-value]


def model_option(func: F) -> F:
    """``--model DIR`` (default: the bundled model)."""
    return click.option(
        "--model",
        "model_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Model directory (default: the bundled model).",
    )(func)


def json_option(func: F) -> F:
    """``--json``: machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")(func)


def text_column_option(func: F) -> F:
    """``--text-column NAME``."""
    return click.option(
        "--text-column",
        default=None,
        help="Column with the complaint text (default: guessed from 投诉内容, 内容, text, …).",
    )(func)


def _load(model_dir: str | None) -> Any:
    """The verified model for answering (lean engine when the directory has it)."""
    from .model.files import load_for_inference

    return load_for_inference(model_dir)


def _load_estimator(model_dir: str | None) -> Any:
    """The full scikit-learn estimator (evaluation needs its record of training rows)."""
    from .model.estimator import ComplaintClassifier

    return ComplaintClassifier.load(model_dir)


def _describe(model: Any) -> str:
    describe = getattr(model, "describe", None)
    if describe is None:
        return "engine: the scikit-learn pipeline (this model has no lean files)"
    return "engine: " + "; ".join(f"{k}: {v}" for k, v in describe().items())


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="complaint-classifier")
def main() -> None:
    """Classify Chinese complaints about platform failures and say what to do next."""


@main.command()
@click.argument("input", type=str)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (.csv, .tsv, .jsonl, .xlsx) or - for stdout.",
)
@text_column_option
@model_option
@click.option("--encoding", default=None, help=ENCODINGS_HELP)
@click.option("--delimiter", default=None, help="Input delimiter (default: sniffed); use '\\t' for tabs.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask: INPUT is a glob of CSV/TSV/JSONL/Parquet files and -o a directory (one part per input).",
)
@click.option(
    "--scheduler",
    default=None,
    help="With --engine dask: address of a running Dask scheduler (default: a local cluster).",
)
@click.option(
    "-j",
    "--jobs",
    type=int,
    default=None,
    help="Worker processes (default: all cores for files of 1 MB or more).",
)
@click.option(
    "--columns",
    default=None,
    help="Result columns to write, comma-separated (default: all). category and status are always "
    "written; without reasons, evidence, steps and missing_facts a run is several times faster.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also say which engine scores (kernel, NumPy …) and why.")
@click.option(
    "--summary-json",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the summary as JSON here.",
)
@_errors_as_clicks
def classify(
    input: str,
    output: str,
    text_column: str | None,
    model_dir: str | None,
    encoding: str | None,
    delimiter: str | None,
    force: bool,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
    columns: str | None,
    quiet: bool,
    verbose: bool,
    summary_json: str | None,
) -> None:
    """Classify every row of a complaint file (CSV/TSV/JSONL/xlsx; - for stdin)."""
    if engine == "dask" and output == "-":
        raise click.UsageError("--engine dask writes one part per input: give an output directory with -o")
    if engine == "local":
        from .batch.workers import keep_freed_memory, one_blas_thread

        # this process and its forked workers are ours to tune, before NumPy loads
        one_blas_thread()
        keep_freed_memory()
    model = _load(model_dir)
    if verbose:
        click.echo(_describe(model), err=True)
    if engine == "dask":
        from .batch.dask_engine import classify_files_dask

        summary = classify_files_dask(
            input,
            output,
            model=model,
            scheduler=scheduler,
            text_column=text_column,
            encoding=encoding,
            delimiter=delimiter,
            columns=columns,
        )
    else:
        from .batch.files import classify_file

        summary = classify_file(
            input,
            output,
            text_column=text_column,
            model=model,
            encoding=encoding,
            delimiter=delimiter,
            force=force,
            jobs=jobs,
            quiet=quiet,
            columns=columns,
        )
    if summary_json:
        with open(summary_json, "w", encoding="utf-8") as fh:
            json.dump(summary.to_dict(), fh, ensure_ascii=False, indent=2)
    if not quiet:
        click.echo(summary.format_text(), err=True)


@main.command()
@click.argument("text")
@model_option
@json_option
@_errors_as_clicks
def explain(text: str, model_dir: str | None, as_json: bool) -> None:
    """Explain one complaint: category, confidence, reasons, evidence, steps."""
    from .api import explain as explain_text

    model = _load(model_dir)
    if as_json:
        _echo_json(model.classify(text).to_dict())
    else:
        click.echo(explain_text(text, model=model))


@main.command()
@click.argument("text")
@model_option
@click.option(
    "--deadline-hours", default=24, show_default=True, help="Handling deadline asked for in the letter."
)
@_errors_as_clicks
def letter(text: str, model_dir: str | None, deadline_hours: int) -> None:
    """Draft a refund request (退款申请) for one complaint."""
    click.echo(_load(model_dir).classify(text).letter(deadline_hours=deadline_hours))


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False), help="Directory for the model."
)
@click.option("--seed", default=0, show_default=True, help="Random seed (same data + seed → same model).")
@click.option("--text-column", default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True)
@json_option
@_errors_as_clicks
def train(data: str, output: str, seed: int, text_column: str, label_column: str, as_json: bool) -> None:
    """Train a model on DATA (split=train rows) and score it on the split=test rows."""
    from .model.training import train as train_model

    model, report = train_model(data, output, text_column=text_column, label_column=label_column, seed=seed)
    if as_json:
        _echo_json(
            {"model": output, "threshold": model.threshold_, "held_out": report.to_dict() if report else None}
        )
        return
    click.echo(f"saved model to {output} (abstain threshold {model.threshold_:.2f})")
    if report:
        click.echo("held-out test split:")
        click.echo(report.format())
    else:
        click.echo("no split=test rows: no held-out metrics recorded")


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False), required=False)
@model_option
@click.option("--text-column", default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True)
@click.option(
    "--split",
    default="test",
    show_default=True,
    help="Rows of this split (if the file has a split column); 'all' for every row.",
)
@click.option(
    "--real-text",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Also run the real-text checks on the public corpora in this directory (e.g. ../shared/corpora).",
)
@click.option(
    "--sample", type=int, default=None, help="With --real-text: at most this many reviews per corpus."
)
@json_option
@_errors_as_clicks
def evaluate(
    data: str | None,
    model_dir: str | None,
    text_column: str,
    label_column: str,
    split: str,
    real_text: str | None,
    sample: int | None,
    as_json: bool,
) -> None:
    """Score a model on labelled DATA it was not trained on, and/or on real text (--real-text)."""
    from .model.evaluation import evaluate as evaluate_model
    from .tools.realtext import real_text_checks

    if data is None and real_text is None:
        raise click.UsageError("give a labelled CSV, --real-text DIR, or both")
    model = _load_estimator(model_dir)
    report = real = None
    if data is not None:
        report = evaluate_model(
            data,
            model,
            text_column=text_column,
            label_column=label_column,
            split=None if split == "all" else split,
        )
    if real_text is not None:
        real = real_text_checks(real_text, model, sample=sample)
    if as_json:
        payload: dict[str, Any] = report.to_dict() if report else {}
        if real:
            payload["real_text"] = real.to_dict()
        _echo_json(payload)
        return
    if report:
        click.echo(report.format())
    if real:
        click.echo(("\n" if report else "") + real.format())


@main.command()
@click.option("--rows", default=20000, show_default=True, help="Rows in the generated benchmark CSV.")
@click.option("--repeats", default=3, show_default=True, help="Runs per measurement (medians are reported).")
@click.option(
    "--memory-mb",
    type=float,
    default=None,
    help="Also classify a generated CSV of this size and report peak RSS.",
)
@click.option(
    "--profile",
    is_flag=True,
    help="Also break a batch run down by stage (µs per row: normalise, tokenise, score, reasons, "
    "guard, facts, advice, render, IPC), every column and scores only.",
)
@json_option
@_errors_as_clicks
def bench(rows: int, repeats: int, memory_mb: float | None, profile: bool, as_json: bool) -> None:
    """Measure batch speed vs the textbook pipeline, latency, cold start, memory and model size."""
    from .tools.bench import bench as run_bench

    report = run_bench(rows=rows, repeats=repeats, memory_mb=memory_mb, profile=profile)
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(report.format())


if __name__ == "__main__":  # pragma: no cover
    main()
