"""Scale out on Dask: DataFrames larger than one machine, and globs of complaint files.

Needs the ``[dask]`` extra. The model travels to each worker once, through a worker plugin
that unpickles it at worker start-up; every partition then runs through the same code as the
single-machine path (:func:`classifier.classify_frame` for DataFrames,
:func:`classifier.classify_file` for files), so statuses and row guarantees are identical.

>>> from classifier import classify_dask                       # doctest: +SKIP
>>> out = classify_dask(dd.read_parquet("complaints/"), text_column="投诉内容")  # doctest: +SKIP
"""

from __future__ import annotations

import glob
import hashlib
import os
import pickle
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..engine.scorer import Model
from ..errors import ClassifierError, ColumnNotFoundError, InputFileError, MissingExtraError
from ..model.files import default_model
from .columns import (
    NUMERIC_COLUMNS,
    FactColumns,
    check_read_columns_unique,
    fact_columns_of,
    output_names,
    result_columns,
    text_column_of,
)
from .files import classify_file
from .frames import classify_frame
from .readers import ReadOptions
from .summary import Summary, Tally
from .writers import check_output

# dask and distributed are the [dask] extra: imported where they are used, and the plugin's base
# class falls back to object without them (_require_dask then names the pip install)
try:
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - exercised only without the extra
    _WorkerPlugin = object  # type: ignore[assignment,misc]

__all__ = ["ModelPlugin", "classify_dask", "classify_files_dask", "model_key", "worker_model_loads"]

_PLUGIN_PREFIX = "complaint-classifier-model-"
# model key -> model, per worker process; filled by ModelPlugin.setup
_WORKER_MODELS: dict[str, Model] = {}
_LOADS: Counter[str] = Counter()


def _require_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            "the Dask engine needs the dask extra: pip install 'complaint-classifier[dask]'"
        ) from None


class ModelPlugin(_WorkerPlugin):
    """Worker plugin that unpickles the model once when a worker starts (or joins later)."""

    def __init__(self, key: str, blob: bytes) -> None:
        self.key = key
        self.blob = blob
        self.name = _PLUGIN_PREFIX + key

    def setup(self, worker: object = None) -> None:
        """Unpickle the model into this worker process (once per key)."""
        if self.key not in _WORKER_MODELS:
            _WORKER_MODELS[self.key] = pickle.loads(self.blob)
            _LOADS[self.key] += 1

    def teardown(self, worker: object = None) -> None:
        """Forget the model."""
        _WORKER_MODELS.pop(self.key, None)


def worker_model_loads(key: str | None = None) -> int:
    """How many times this process loaded model ``key`` (all models if None); run it on workers."""
    return _LOADS[key] if key is not None else sum(_LOADS.values())


def _model_for(key: str) -> Model:
    try:
        return _WORKER_MODELS[key]
    except KeyError:
        raise ClassifierError(
            "the model was not installed on this worker; use classify_dask / classify_files_dask, "
            "which register it through ModelPlugin"
        ) from None


def model_key(model: Model) -> tuple[str, bytes]:
    """(key, pickled model): the key names the model on workers (see :func:`worker_model_loads`)."""
    blob = pickle.dumps(model)
    return hashlib.sha256(blob).hexdigest()[:16], blob


def _register_model(client: Any, model: Model | None) -> str:
    key, blob = model_key(model or default_model())
    client.register_plugin(ModelPlugin(key, blob), name=_PLUGIN_PREFIX + key)
    return key


def _client(scheduler: str | None = None) -> tuple[Any, bool]:
    _require_dask()
    from distributed import Client, LocalCluster, get_client  # the [dask] extra

    if scheduler is not None:
        return Client(scheduler), True
    try:
        return get_client(), False
    except ValueError:
        cluster = LocalCluster(processes=True, dashboard_address=None)
        return Client(cluster), True


def _classify_partition(
    frame: pd.DataFrame, text_column: str, key: str, columns: list[str], facts: FactColumns
) -> pd.DataFrame:
    out = classify_frame(
        frame,
        text_column=text_column,
        model=_model_for(key),
        columns=columns,
        fact_columns={column: kind for kind, column in facts.items()},
    )
    # typed text columns, so Parquet and Arrow-backed frames get a real schema
    names = output_names([str(c) for c in frame.columns])
    for column in columns:
        if column not in NUMERIC_COLUMNS:
            out[names[column]] = out[names[column]].astype("string")
    return out


def classify_dask(
    ddf: Any,
    text_column: str | None = None,
    model: Model | None = None,
    *,
    client: Any = None,
    columns: str | Iterable[object] | None = None,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
) -> Any:
    """Classify a Dask DataFrame; returns a lazy Dask DataFrame with the batch path's columns.

    Uses the current ``distributed`` client (or ``client``); the model is sent to each worker
    once through :class:`ModelPlugin`, and each partition runs :func:`classify_frame`.
    ``fact_columns`` as for :func:`classify_frame` (resolved once, here).
    """
    _require_dask()
    if client is None:
        client, _ = _client()
    return _map_classify(ddf, text_column, _register_model(client, model), columns, fact_columns)[0]


def _map_classify(
    ddf: Any,
    text_column: str | None,
    key: str,
    wanted: str | Iterable[object] | None = None,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
) -> tuple[Any, dict[str, str], str]:
    """(lazy classified frame, result column names, text column)."""
    columns = [str(c) for c in ddf.columns]
    text_column = text_column_of(columns, text_column)
    facts = fact_columns_of(columns, fact_columns, text_column)
    check_read_columns_unique(columns, text_column, facts)
    names = output_names(columns)
    chosen = result_columns(wanted)
    meta = ddf._meta.copy()
    for column in chosen:
        dtype = "float64" if column in NUMERIC_COLUMNS else "string"
        meta[names[column]] = pd.Series([], dtype=dtype, index=meta.index)
    classified = ddf.map_partitions(_classify_partition, text_column, key, chosen, facts, meta=meta)
    return classified, names, text_column


def _classify_one_file(
    source: str,
    target: str,
    key: str,
    text_column: str | None,
    read: ReadOptions,
    columns: object,
    fact_columns: object = None,
) -> dict[str, Any]:
    """One input file → its part; a file that cannot be classified gives its error, not the run's
    (no part is left of it)."""
    try:
        # force=True: a task re-run after a worker died overwrites its own half-done part (the
        # run checked beforehand that no part existed, or was told --force)
        summary = classify_file(
            source,
            target,
            model=_model_for(key),
            force=True,
            quiet=True,
            jobs=1,
            text_column=text_column,
            read=read,
            columns=columns,  # type: ignore[arg-type]
            fact_columns=fact_columns,  # type: ignore[arg-type]
        )
    except ClassifierError as exc:
        return {"input": source, "error": str(exc)}
    except OSError as exc:
        return {"input": source, "error": f"{exc.strerror or exc}: {exc.filename or source}"}
    return summary.to_dict()


def _check_targets(paths: list[str], targets: list[str], force: bool) -> None:
    """The output rules of a local run, for every part: never one of the inputs (a file named
    like a part, in the output folder), an existing part only with ``force``."""
    inputs = {os.path.realpath(p) for p in paths}
    for source, target in zip(paths, targets):
        if os.path.realpath(target) in inputs:
            raise InputFileError(
                f"the output part {target} would overwrite an input file; choose another output folder"
            )
        check_output(target, input_path=source, force=force)


def _expand(pattern: str) -> list[str]:
    paths = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
    paths = [p for p in paths if os.path.isfile(p)]
    if not paths:
        raise InputFileError(f"no input files match {pattern!r}")
    return paths


def classify_files_dask(
    pattern: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    *,
    model: Model | None = None,
    scheduler: str | None = None,
    client: Any = None,
    text_column: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    output_format: str = "csv",
    columns: str | Iterable[object] | None = None,
    force: bool = False,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
) -> Summary:
    """Classify every file matching ``pattern`` on a Dask cluster, one output part per input file.

    CSV/TSV/JSONL/xlsx inputs go through :func:`classify_file` on the workers (same encodings,
    statuses and row guarantees); Parquet inputs are read with Dask and classified per partition.
    Returns a :class:`~classifier.batch.summary.Summary` for the whole run; a file that cannot
    be classified is named in its ``errors`` (the other files are still classified). Parts
    follow the rules of a local output: never an input file, an existing part only with
    ``force``.
    """
    started = time.perf_counter()
    paths = _expand(str(pattern))
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    client, own = (client, False) if client is not None else _client(scheduler)
    try:
        key = _register_model(client, model)
        if all(p.endswith(".parquet") for p in paths):
            return _classify_parquet(client, paths, out, key, text_column, started, columns, fact_columns)
        read = ReadOptions(encoding=encoding, delimiter=delimiter)
        targets = [str(out / f"part-{i:05d}-{Path(p).stem}.{output_format}") for i, p in enumerate(paths)]
        _check_targets(paths, targets, force)
        futures = [
            client.submit(
                _classify_one_file,
                p,
                t,
                key,
                text_column,
                read,
                columns,
                fact_columns,
                key=f"classify-file-{i}-{key}",
                pure=False,
            )
            for i, (p, t) in enumerate(zip(paths, targets))
        ]
        results = client.gather(futures)
    finally:
        if own:
            client.close()
    for target in targets:
        for stray in out.glob(f".{glob.escape(Path(target).name)}.*.part"):
            stray.unlink(missing_ok=True)  # temp files of attempts that died with their worker
    summary = Summary(input=str(pattern), output=str(out), format="dask")
    done = [r for r in results if "error" not in r]
    summary.errors = {r["input"]: r["error"] for r in results if "error" in r}
    tally = Tally()
    tally.add_summaries(done)
    tally.into(summary)
    encodings = {r["encoding"] for r in done if r["encoding"]}  # a workbook has none
    if done:
        summary.text_column = done[-1]["text_column"]
        summary.fact_columns = done[-1].get("fact_columns", {})
    summary.encoding = ",".join(sorted(encodings))
    summary.seconds = time.perf_counter() - started
    return summary


def _classify_parquet(
    client: Any,
    paths: list[str],
    out: Path,
    key: str,
    text_column: str | None,
    started: float,
    columns: str | Iterable[object] | None = None,
    fact_columns: str | Mapping[str, str] | Iterable[str] | None = None,
) -> Summary:
    import dask.dataframe as dd  # the [dask] extra

    text_column, untyped = _check_parquet_columns(paths, text_column)
    ddf = dd.read_parquet(paths)
    result, names, chosen_column = _map_classify(ddf, text_column, key, columns, fact_columns)
    result.to_parquet(
        str(out), write_index=False, schema=_output_schema(result, untyped) if untyped else "infer"
    )
    # count on the cluster from the written parts: only the small tallies come back
    written = dd.read_parquet(str(out), columns=[names["category"], names["status"]])
    counts = written[names["category"]].value_counts().compute()
    statuses = written[names["status"]].value_counts().compute()
    summary = Summary(input=",".join(paths), output=str(out), format="parquet", text_column=chosen_column)
    tally = Tally()
    tally.add(
        rows=int(statuses.sum()),
        categories={str(k): int(v) for k, v in counts.items()},
        statuses={str(k): int(v) for k, v in statuses.items()},
        abstained=0,
    )
    tally.into(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _parquet_columns(path: str) -> dict[str, Any]:
    """The columns of a Parquet file and their Arrow types, from its schema (no data is read);
    not the index."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # the [dask] extra

    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputFileError(f"{path}: cannot read it as Parquet: {exc}") from None
    index = {c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)}
    return {field.name: field.type for field in schema if field.name not in index}


def _check_parquet_columns(paths: list[str], text_column: str | None) -> tuple[str, dict[str, Any]]:
    """(the text column, the types of the columns that hold only nulls in the first file).

    The text column is given or guessed from the first file's columns; every file must have
    it, and the columns of the first file with the same types (``large_string`` is
    ``string``; a column of nulls goes with any type): the files are read as one table, and a
    file that does not fit it would fail in the middle of the run. A column of nulls in the
    first file takes its type from the first file where it has one (Dask cannot write it
    otherwise)."""
    import pyarrow as pa  # the [dask] extra

    def kind(arrow_type: Any) -> str:
        return str(arrow_type).replace("large_", "")

    first = _parquet_columns(paths[0])
    try:
        chosen = text_column_of(list(first), text_column)
    except ColumnNotFoundError as exc:
        raise ColumnNotFoundError(f"{paths[0]}: {exc}") from None
    untyped = {name: pa.null() for name, arrow_type in first.items() if kind(arrow_type) == "null"}
    for path in paths[1:]:
        columns = _parquet_columns(path)
        if chosen not in columns:
            missing = ColumnNotFoundError.missing(
                chosen, list(columns), "use --text-column (text_column=...)"
            )
            raise ColumnNotFoundError(f"{path}: {missing}")
        if set(columns) != set(first):
            raise InputFileError(
                f"the Parquet files do not have the same columns: {paths[0]} has {', '.join(first)}; "
                f"{path} has {', '.join(columns)}; classify them separately or give them the same columns"
            )
        for name, arrow_type in columns.items():
            if name in untyped:
                if kind(untyped[name]) == "null":
                    untyped[name] = arrow_type
                arrow_type, expected = kind(arrow_type), kind(untyped[name])
            else:
                arrow_type, expected = kind(arrow_type), kind(first[name])
            if arrow_type != expected and arrow_type != "null":
                raise InputFileError(
                    f"the Parquet files' column {name!r} is {expected} in {paths[0]} (or an earlier file) "
                    f"but {arrow_type} in {path}; classify them separately or give the column one type"
                )
    return chosen, untyped


def _output_schema(result: Any, untyped: dict[str, Any]) -> Any:
    """The Arrow schema of the parts: Dask's (inferred from the frame's dtypes), but with the
    types found for the columns that hold only nulls in the first file (Dask cannot infer
    those)."""
    import pyarrow as pa  # the [dask] extra
    from dask.dataframe.dispatch import pyarrow_schema_dispatch

    inferred = pyarrow_schema_dispatch(result._meta_nonempty.drop(columns=list(untyped))).remove_metadata()
    return pa.schema(
        [
            pa.field(name, untyped[name]) if name in untyped else inferred.field(name)
            for name in result.columns
        ]
    )
