"""The ``complaint-classifier`` command: thin click glue over the library.

Each command parses options, calls the library function of the same name, prints its result,
and turns :class:`ClassifierError` into a one-line error with a non-zero exit code.

The library is imported inside the commands: ``classify`` must tune the process (one BLAS
thread) before NumPy loads, and ``--help`` or ``explain`` should not pay for scikit-learn,
pandas or the batch machinery they do not use.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from ._version import __version__
from .errors import ClassifierError

F = TypeVar("F", bound=Callable[..., Any])

ENCODINGS_HELP = (
    "Input encoding (default: detected: a BOM decides, else UTF-8, else Big5 if the double-byte "
    "text looks traditional, else GB18030); e.g. utf-8, gbk, gb18030, big5."
)


def _printable(message: str) -> str:
    """``message`` with control characters escaped: a header name or file name holding terminal
    escape codes is shown, not run by the terminal, and an error stays on one line."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)


# the library's messages name the option and the Python argument: "use --text-column (text_column=...)"
_PYTHON_HINT = re.compile(r" \((?:[a-z_]+=[^)]*)\)")


def _for_the_command_line(message: str) -> str:
    """A library error as the CLI shows it: the options, without the Python argument names."""
    return _PYTHON_HINT.sub("", message)


def _errors_as_clicks(func: F) -> F:
    """Library errors and failed file operations (permission, disk full, bad path) become
    `Error: …` on one line and exit code 1 instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ClassifierError as exc:
            raise click.ClickException(_printable(_for_the_command_line(str(exc)))) from None
        except BrokenPipeError:  # `… | head` closed the pipe: not an error
            sys.stderr.close()
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(_printable(f"{exc.strerror or exc}{where}")) from None

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


def _load_estimator(model_dir: str | None, trust_pickle: bool) -> Any:
    """The full scikit-learn estimator (evaluation needs its record of training rows).

    Unpickling runs code from the file: a model directory other than the bundled one is only
    unpickled with ``--trust-pickle``.
    """
    from .model.estimator import ComplaintClassifier

    return ComplaintClassifier.load(model_dir, trust_pickle=trust_pickle)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    sys.exit(128 + signum)  # SystemExit: every `finally` and `except BaseException` cleans up


# what ends a run as Ctrl-C does: SIGTERM (kill, a job scheduler), SIGHUP (the terminal closed)
_ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM and SIGHUP clean up as Ctrl-C does (the half-written output's temp file is
    removed, the workers stopped), then exit with 128 + the signal's number (143, 129)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _exit_on_sigterm) for number in _ENDING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _describe(model: Any) -> str:
    describe = getattr(model, "describe", None)
    if describe is None:
        return "engine: the scikit-learn pipeline (this model has no lean files)"
    return "engine: " + "; ".join(f"{k}: {v}" for k, v in describe().items())


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


_STDIN_CHARS = 1_000_000


def _text_or_stdin(text: str) -> str:
    """TEXT, or the text piped in when TEXT is ``-`` (in its encoding: UTF-8, GBK, a BOM's …)."""
    if text != "-":
        return text
    from .charsets import decode_text

    # at most _STDIN_CHARS characters: far more than the model reads (MAX_TEXT_CHARS; a longer text
    # is marked truncated), and a bound on memory whatever is piped in (4 bytes a character at most)
    limit = 4 * _STDIN_CHARS
    data = sys.stdin.buffer.read(limit)
    piped = decode_text(data, final=len(data) < limit)[:_STDIN_CHARS].strip()
    if not piped:
        raise click.UsageError(
            "TEXT is '-' but nothing was piped in; e.g. echo 付款失败扣了钱 | complaint-classifier explain -"
        )
    return piped


def _letter_date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--date``: YYYY-MM-DD, or ``today``."""
    import datetime

    if value is None:
        return None
    if value == "today":
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"--date: {value!r} is not a date; use YYYY-MM-DD or 'today'") from None


def _examples(*lines: str) -> str:
    """A command's --help epilog: examples, kept as written (click rewraps plain paragraphs)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="complaint-classifier")
def main() -> None:
    """Classify Chinese complaints about platform failures and say what to do next."""


@main.command(
    epilog=_examples(
        "complaint-classifier classify data/sample_complaints.csv -o out.csv",
        "complaint-classifier classify complaints.txt --lines -o out.jsonl",
        "cat complaints.csv | complaint-classifier classify - --format jsonl --columns category,reasons",
    )
)
@click.argument("input", type=str)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (.csv, .tsv, .jsonl, .xlsx) or - for stdout.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "tsv", "jsonl", "xlsx"]),
    default=None,
    help="Output format (default: from the output's name; CSV for -). JSON Lines keeps reasons, "
    "evidence, steps and missing facts as arrays.",
)
@click.option(
    "--lines",
    is_flag=True,
    help="INPUT is plain text, one complaint per non-blank line; blank lines are skipped "
    "(also chosen for .txt files). Each output row starts with its input line number (column "
    "'line', counted from 1 with blank lines included, as an editor numbers them).",
)
@click.option(
    "--fact-columns",
    default=None,
    help="Columns whose platform, date, order number, waybill number, amount or phone the advice "
    "uses, comma-separated; COLUMN=KIND where the name does not say the kind (platform, date, "
    "order, waybill, amount, phone), each overriding its kind only (the others are still recognised "
    "by name); 'none' for none (default: recognised by name: 平台/platform, 投诉时间/date, …).",
)
@text_column_option
@model_option
@click.option("--encoding", default=None, help=ENCODINGS_HELP)
@click.option("--delimiter", default=None, help="Input delimiter (default: sniffed); use '\\t' for tabs.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file (and --summary-json file).")
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
    help="Worker processes (default: one per core for files of 1 MB or more, none for smaller "
    "files and stdin; at most one per core for those, four per core for larger files).",
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
    output_format: str | None,
    lines: bool,
    fact_columns: str | None,
) -> None:
    """Classify every row of a complaint file (CSV/TSV/JSONL/xlsx/plain text; - for stdin)."""
    if engine == "dask" and output == "-":
        raise click.UsageError("--engine dask writes one part per input: give an output directory with -o")
    if summary_json:
        from .batch.writers import check_output

        # refused before the run, not after an hour of classifying
        if output != "-" and os.path.abspath(summary_json) == os.path.abspath(output):
            raise click.UsageError("--summary-json and -o name the same file")
        check_output(summary_json, input_path=input, force=force)
    with _sigterm_exits():
        if engine == "local":
            from .batch.workers import collect_less_often, keep_freed_memory, one_blas_thread

            # this process and its forked workers are ours to tune, before NumPy loads
            one_blas_thread()
            keep_freed_memory()
            collect_less_often()
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
                force=force,
                fact_columns=fact_columns,
                output_format=output_format or "csv",
            )
        else:
            from .batch.files import classify_file
            from .batch.readers import ReadOptions

            summary = classify_file(
                input,
                output,
                text_column=text_column,
                model=model,
                force=force,
                jobs=jobs,
                quiet=quiet,
                columns=columns,
                read=ReadOptions(encoding=encoding, delimiter=delimiter, format="lines" if lines else None),
                fact_columns=fact_columns,
                output_format=output_format,
            )
        if summary_json:
            from .batch.writers import write_text

            text = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2)
            write_text(summary_json, text, input_path=input, force=force)
        for warning in summary.warnings:
            click.echo(_printable(f"Warning: {warning}"), err=True)
        if not quiet:
            click.echo("\n".join(map(_printable, summary.format_text().split("\n"))), err=True)
        if summary.errors:
            first, why = next(iter(summary.errors.items()))
            more = f" (and {len(summary.errors) - 1} more)" if len(summary.errors) > 1 else ""
            raise click.ClickException(
                _printable(f"{len(summary.errors)} file(s) not classified: {first}: {why}{more}")
            )


@main.command(
    epilog=_examples(
        "complaint-classifier explain 付款显示失败但银行卡扣了199元",
        "echo 付款失败扣了钱 | complaint-classifier explain -",
        "complaint-classifier explain 会员视频黑屏了两个小时 --json",
    )
)
@click.argument("text")
@model_option
@json_option
@_errors_as_clicks
def explain(text: str, model_dir: str | None, as_json: bool) -> None:
    """Explain one complaint (TEXT, or - to read it from stdin): category, confidence, reasons,
    evidence, steps."""
    from .api import explain as explain_text

    text = _text_or_stdin(text)
    model = _load(model_dir)
    if as_json:
        _echo_json(model.classify(text).to_dict())
    else:
        click.echo(explain_text(text, model=model))


@main.command(
    epilog=_examples(
        "complaint-classifier letter 11月28日在淘宝付款失败，银行卡扣了199元",
        "echo 昨晚视频一直黑屏 | complaint-classifier letter - --date today",
        "complaint-classifier letter 购物车的商品全没了 --deadline-hours 48 --json",
    )
)
@click.argument("text")
@model_option
@click.option(
    "--deadline-hours",
    type=click.IntRange(1, 720),
    default=24,
    show_default=True,
    help="Handling deadline asked for in the letter, in hours (1 to 720).",
)
@click.option(
    "--date",
    "today",
    default=None,
    callback=_letter_date,
    help="Date the letter (YYYY-MM-DD or 'today'); relative dates in TEXT (昨晚, 前天) are counted "
    "from it. Without it they are left as blanks to fill in.",
)
@json_option
@_errors_as_clicks
def letter(text: str, model_dir: str | None, deadline_hours: int, today: Any, as_json: bool) -> None:
    """Draft a letter for one complaint (TEXT, or - to read it from stdin): a 退款申请 for payment
    problems, a 退款（补偿）申请 for service outages, a 数据更正申请 for data errors, a 售后处理申请
    otherwise."""
    result = _load(model_dir).classify(_text_or_stdin(text))
    drafted = result.letter(deadline_hours=deadline_hours, today=today)
    if as_json:
        _echo_json(
            {
                "category": result.category,
                "category_zh": result.category_zh,
                "letter": drafted,
                "facts": result.facts.to_dict(),
                "missing_facts": result.missing_facts,
            }
        )
    else:
        click.echo(drafted)


@main.command(
    epilog=_examples(
        "complaint-classifier train data/complaints.csv -o my-model --seed 0",
        "complaint-classifier train --add my-labelled-queue.csv -o my-model",
        "complaint-classifier train labelled.csv -o my-model --text-column 投诉内容 --label-column 类别",
    )
)
@click.argument("data", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False), help="Directory for the model."
)
@click.option("--force", is_flag=True, help="Write into OUTPUT even if it holds files that are not a model.")
@click.option(
    "--add",
    "own",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Your labelled rows (e.g. a filled review queue): train on the bundled corpus (or DATA) plus these.",
)
@click.option(
    "--weight",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="With --add: how many times each of your rows counts [default: 3, chosen by measurement].",
)
@click.option("--seed", default=0, show_default=True, help="Random seed (same data + seed → same model).")
@click.option("--text-column", default=None, help="Text column [default: text; with --add: guessed].")
@click.option("--label-column", default="label", show_default=True)
@click.option(
    "--group-column",
    default=None,
    help="Column naming each row's writing batch or source: calibration and thresholds are chosen on "
    "folds that hold out whole groups, when it has enough groups (at least 7 for the 5 folds; with "
    "fewer, rows are folded at random and a note says so) [default: origin; '' to fold rows at random].",
)
@click.option(
    "--weight-column",
    default=None,
    help="Column of per-row weights (a number above 0: how many times the row counts) "
    "[default: weight, when the file has one; '' for equal weights].",
)
@click.option(
    "--concepts/--no-concepts",
    default=True,
    show_default=True,
    help="Give the word channel concept tags (money taken, did not arrive, the user's own slip …; "
    "classifier/text/concepts.py).",
)
@json_option
@_errors_as_clicks
def train(
    data: str | None,
    output: str,
    force: bool,
    own: str | None,
    weight: float | None,
    seed: int,
    text_column: str | None,
    label_column: str,
    group_column: str | None,
    weight_column: str | None,
    concepts: bool,
    as_json: bool,
) -> None:
    """Train a model on DATA (split=train rows) and score it on the split=test rows.

    With --add OWN.csv: train on the bundled corpus (or DATA) plus your labelled rows.
    """
    if own is None:
        if data is None:
            raise click.UsageError(
                "give a labelled CSV to train on, or --add OWN.csv to adapt the bundled corpus"
            )
        if weight is not None:
            raise click.UsageError("--weight goes with --add")
        from .model.training import train as train_model

        group_column = "origin" if group_column is None else group_column
        if group_column and group_column in (text_column or "text", label_column):
            raise click.UsageError(f"--group-column {group_column!r} is the text or label column")
        weight_column = "weight" if weight_column is None else weight_column

        with _sigterm_exits():  # a killed save removes its staging folder, as Ctrl-C does
            model, report = train_model(
                data,
                output,
                text_column=text_column or "text",
                label_column=label_column,
                group_column=group_column or None,
                weight_column=weight_column or None,
                seed=seed,
                force=force,
                concepts=concepts,
            )
        from .fileformat import read_sidecar

        # a column that happens to be called "weight" (a parcel's, say) must not weigh rows unseen
        record = read_sidecar(output)["training_data"]
        extra: dict[str, Any] = {"weights": record.get("weights")}
        if record.get("groups_unused"):
            extra["groups_unused"] = record["groups_unused"]
    else:
        if group_column is not None:
            raise click.UsageError("--group-column goes without --add (adapting folds rows at random)")
        if weight_column is not None:
            raise click.UsageError(
                "--weight-column goes without --add (the corpus's rows keep its weight column; "
                "yours weigh --weight)"
            )
        from .batch.adapt import DEFAULT_WEIGHT, adapt

        with _sigterm_exits():
            model, combined, report = adapt(
                own,
                output,
                weight=DEFAULT_WEIGHT if weight is None else weight,
                corpus=data,
                seed=seed,
                text_column=text_column,
                label_column=label_column,
                concepts=concepts,
            )
        extra = {
            "rows": {
                "corpus": combined.corpus_rows,
                "own": combined.own_rows,
                "corpus_near_duplicates_dropped": combined.dropped_near_duplicates,
            },
            "weight": combined.weight,
        }
    if as_json:
        _echo_json(
            {
                "model": output,
                "threshold": model.threshold_,
                "held_out": report.to_dict() if report else None,
                **extra,
            }
        )
        return
    if extra.get("groups_unused"):
        click.echo(f"note: {extra['groups_unused']}")
    if extra.get("weights"):
        click.echo(
            f"each row counts as many times as its '{extra['weights']}' column says "
            "(--weight-column '' for equal weights)"
        )
    if "rows" in extra:
        rows = extra["rows"]
        click.echo(
            f"trained on {rows['corpus']} bundled rows + {rows['own']} of yours (weight {extra['weight']:g}; "
            f"{rows['corpus_near_duplicates_dropped']} bundled near-duplicates of your rows dropped)"
        )
    click.echo(f"saved model to {output} (abstain threshold {model.threshold_:.2f})")
    if report:
        click.echo("held-out test split:")
        click.echo(report.format())
    else:
        click.echo("no split=test rows: no held-out metrics recorded")


@main.command()
@click.argument("classified", type=str)
@click.option("-o", "--output", required=True, help="The review queue (.csv, .tsv, .jsonl, .xlsx).")
@click.option(
    "--size", default=100, show_default=True, help="Rows to queue (besides every needs_review row)."
)
@click.option(
    "--seed", default=0, show_default=True, help="Seed of the random share (same file + seed → same queue)."
)
@click.option(
    "--random-share",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    help="Share of the queue drawn at random from all classified rows (an unbiased accuracy estimate).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@json_option
@_errors_as_clicks
def review(
    classified: str, output: str, size: int, seed: int, random_share: float, force: bool, as_json: bool
) -> None:
    """Pick the rows of a classified file worth a human look, with an empty label column to fill."""
    from .batch.review import review as review_file

    summary = review_file(classified, output, size=size, seed=seed, random_share=random_share, force=force)
    if as_json:
        _echo_json(summary.to_dict())
    else:
        click.echo(summary.format())


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--model",
    "models",
    multiple=True,
    help="A model directory, or 'bundled'; give it twice (A, then B) or once (B, against the bundled model).",
)
@click.option(
    "-o",
    "--output",
    default=None,
    help="Write the rows whose predicted label changed to this CSV (its last column, change: "
    "fixed, broken or both_wrong).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--text-column", default=None, help="Text column (default: guessed).")
@click.option("--label-column", default="label", show_default=True)
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap resamples.")
@click.option(
    "--trust-pickle",
    is_flag=True,
    help="Load the models' pickles (needed to skip the rows they were trained on); this runs code "
    "from those folders: only for models you trained or trust.",
)
@json_option
@_errors_as_clicks
def compare(
    data: str,
    models: tuple[str, ...],
    output: str | None,
    force: bool,
    text_column: str | None,
    label_column: str,
    seed: int,
    trust_pickle: bool,
    as_json: bool,
) -> None:
    """Compare two models on labelled DATA: F1 with 95% intervals, McNemar's test, changed rows."""
    from .batch.compare import compare as compare_models

    if len(models) not in (1, 2):
        raise click.UsageError("give --model once (compared with the bundled model) or twice")
    report = compare_models(
        data,
        list(models),
        text_column=text_column,
        label_column=label_column,
        output=output,
        force=force,
        seed=seed,
        trust_pickle=trust_pickle,
    )
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(report.format())
        if output:
            click.echo(f"{report.changed} changed rows → {output}")


@main.command(
    epilog=_examples(
        "complaint-classifier evaluate data/complaints.csv --split test",
        "complaint-classifier evaluate labelled.csv --model my-model --split all --json",
    )
)
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
@click.option(
    "--trust-pickle",
    is_flag=True,
    help="Unpickle --model's model.joblib (evaluation needs the full estimator). Unpickling runs "
    "code from the file: only for a model directory you trust.",
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
    trust_pickle: bool,
    as_json: bool,
) -> None:
    """Score a model on labelled DATA it was not trained on, and/or on real text (--real-text)."""
    from .model.evaluation import evaluate as evaluate_model
    from .tools.realtext import real_text_checks

    if data is None and real_text is None:
        raise click.UsageError("give a labelled CSV, --real-text DIR, or both")
    model = _load_estimator(model_dir, trust_pickle)
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


@main.command(
    epilog=_examples(
        "complaint-classifier bench --rows 2000 --repeats 1",
        "complaint-classifier bench --json",
    )
)
@click.option(
    "--rows",
    type=click.IntRange(min=1),
    default=20000,
    show_default=True,
    help="Rows in the generated benchmark CSV.",
)
@click.option(
    "--repeats",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Runs per measurement (medians are reported).",
)
@click.option(
    "--memory-mb",
    type=click.FloatRange(min=0, min_open=True),
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
