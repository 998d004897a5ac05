"""Scale out on Dask: DataFrames larger than one machine, and globs of complaint files.

Needs the ``[dask]`` extra. The model travels to each worker once, through a worker plugin
that unpickles it at worker start-up; every partition then runs through the same code as the
single-machine path (:func:`classifier.classify_frame` for DataFrames,
:func:`classifier.classify_file` for files), so statuses and row guarantees are identical.

>>> from classifier.distributed import classify_dask          # doctest: +SKIP
>>> out = classify_dask(dd.read_parquet("complaints/"), text_column="投诉内容")  # doctest: +SKIP
"""

from __future__ import annotations

import glob
import hashlib
import os
import pickle
import time
from collections import Counter
from pathlib import Path

from .errors import ClassifierError, InputFileError

try:  # the plugin must subclass WorkerPlugin; without the [dask] extra, _require_dask explains
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - exercised only without the extra
    _WorkerPlugin = object

__all__ = ["ModelPlugin", "classify_dask", "classify_files_dask", "model_key", "worker_model_loads"]

_PLUGIN_PREFIX = "complaint-classifier-model-"
# model key -> model, per worker process; filled by ModelPlugin.setup
_WORKER_MODELS: dict = {}
_LOADS = Counter()


def _require_dask():
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise ClassifierError(
            "the Dask engine needs the dask extra: pip install 'complaint-classifier[dask]'"
        ) from None


class ModelPlugin(_WorkerPlugin):
    """Worker plugin that unpickles the model once when a worker starts (or joins later)."""

    def __init__(self, key: str, blob: bytes):
        self.key = key
        self.blob = blob
        self.name = _PLUGIN_PREFIX + key

    def setup(self, worker=None):
        if self.key not in _WORKER_MODELS:
            _WORKER_MODELS[self.key] = pickle.loads(self.blob)
            _LOADS[self.key] += 1

    def teardown(self, worker=None):
        _WORKER_MODELS.pop(self.key, None)


def worker_model_loads(key: str | None = None) -> int:
    """How many times this process loaded model ``key`` (all models if None); run it on workers."""
    return _LOADS[key] if key is not None else sum(_LOADS.values())


def _model_for(key: str):
    try:
        return _WORKER_MODELS[key]
    except KeyError:
        raise ClassifierError(
            "the model was not installed on this worker; use classify_dask / classify_files_dask, "
            "which register it through ModelPlugin"
        ) from None


def model_key(model) -> tuple[str, bytes]:
    """(key, pickled model): the key names the model on workers (see :func:`worker_model_loads`)."""
    blob = pickle.dumps(model)
    return hashlib.sha256(blob).hexdigest()[:16], blob


def _register_model(client, model) -> str:
    from .api import default_model

    key, blob = model_key(model or default_model())
    client.register_plugin(ModelPlugin(key, blob), name=_PLUGIN_PREFIX + key)
    return key


def _client(scheduler=None):
    _require_dask()
    from distributed import Client, LocalCluster, get_client

    if scheduler is not None:
        return Client(scheduler), True
    try:
        return get_client(), False
    except ValueError:
        cluster = LocalCluster(processes=True, dashboard_address=None)
        return Client(cluster), True


def _classify_partition(frame, text_column, key, columns):
    from .batch import NUMERIC_COLUMNS, _output_names, classify_frame

    out = classify_frame(frame, text_column=text_column, model=_model_for(key), columns=columns)
    # typed text columns, so Parquet and Arrow-backed frames get a real schema
    names = _output_names([str(c) for c in frame.columns])
    for column in columns:
        if column not in NUMERIC_COLUMNS:
            out[names[column]] = out[names[column]].astype("string")
    return out


def classify_dask(ddf, text_column=None, model=None, *, client=None, columns=None):
    """Classify a Dask DataFrame; returns a lazy Dask DataFrame with the batch path's columns.

    Uses the current ``distributed`` client (or ``client``); the model is sent to each worker
    once through :class:`ModelPlugin`, and each partition runs :func:`classify_frame`.
    """
    _require_dask()
    if client is None:
        client, _ = _client()
    return _map_classify(ddf, text_column, _register_model(client, model), columns)[0]


def _map_classify(ddf, text_column, key, wanted=None):
    """(lazy classified frame, result column names, text column)."""
    import pandas as pd

    from .batch import NUMERIC_COLUMNS, _output_names, find_text_column, result_columns

    columns = [str(c) for c in ddf.columns]
    if text_column is None:
        text_column = find_text_column(columns)
    elif text_column not in columns:
        raise InputFileError(f"no column {text_column!r}; available: {', '.join(columns)}; use --text-column")
    names = _output_names(columns)
    wanted = result_columns(wanted)
    meta = ddf._meta.copy()
    for column in wanted:
        dtype = "float64" if column in NUMERIC_COLUMNS else "string"
        meta[names[column]] = pd.Series([], dtype=dtype, index=meta.index)
    classified = ddf.map_partitions(_classify_partition, text_column, key, wanted, meta=meta)
    return classified, names, text_column


def _classify_one_file(source: str, target: str, key: str, options: dict) -> dict:
    from .batch import classify_file

    # force=True: a task re-run after a worker died overwrites its own half-done part
    summary = classify_file(source, target, model=_model_for(key), force=True, quiet=True, jobs=1, **options)
    return summary.to_dict()


def _expand(pattern: str) -> list[str]:
    paths = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
    paths = [p for p in paths if os.path.isfile(p)]
    if not paths:
        raise InputFileError(f"no input files match {pattern!r}")
    return paths


def classify_files_dask(
    pattern,
    output_dir,
    *,
    model=None,
    scheduler=None,
    client=None,
    text_column=None,
    encoding=None,
    delimiter=None,
    output_format="csv",
    columns=None,
):
    """Classify every file matching ``pattern`` on a Dask cluster, one output part per input file.

    CSV/TSV/JSONL/xlsx inputs go through :func:`classify_file` on the workers (same encodings,
    statuses and row guarantees); Parquet inputs are read with Dask and classified per partition.
    Returns a :class:`~classifier.batch.Summary` for the whole run.
    """
    from .batch import LABELS, Summary

    started = time.perf_counter()
    paths = _expand(str(pattern))
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    client, own = (client, False) if client is not None else _client(scheduler)
    try:
        key = _register_model(client, model)
        if all(p.endswith(".parquet") for p in paths):
            return _classify_parquet(client, paths, out, key, text_column, started, columns)
        options = {
            "text_column": text_column,
            "encoding": encoding,
            "delimiter": delimiter,
            "columns": columns,
        }
        targets = [str(out / f"part-{i:05d}-{Path(p).stem}.{output_format}") for i, p in enumerate(paths)]
        futures = [
            client.submit(_classify_one_file, p, t, key, options, key=f"classify-file-{i}-{key}", pure=False)
            for i, (p, t) in enumerate(zip(paths, targets))
        ]
        results = client.gather(futures)
    finally:
        if own:
            client.close()
    for stray in out.glob(".*.part"):
        stray.unlink()  # temp files of attempts that died with their worker
    summary = Summary(input=str(pattern), output=str(out), format="dask")
    categories: Counter = Counter()
    statuses: Counter = Counter()
    encodings = set()
    for r in results:
        summary.rows += r["rows"]
        summary.abstained += r["abstained"]
        categories.update(r["categories"])
        statuses.update(r["statuses"])
        encodings.add(r["encoding"])
        summary.text_column = r["text_column"]
    summary.categories = {label: categories[label] for label in LABELS}
    summary.statuses = dict(statuses)
    summary.encoding = ",".join(sorted(encodings))
    summary.seconds = time.perf_counter() - started
    return summary


def _classify_parquet(client, paths, out: Path, key, text_column, started, columns=None):
    import dask.dataframe as dd

    from .batch import LABELS, Summary

    ddf = dd.read_parquet(paths)
    result, names, text_column = _map_classify(ddf, text_column, key, columns)
    result.to_parquet(str(out), write_index=False)
    # count on the cluster from the written parts: only the small tallies come back
    written = dd.read_parquet(str(out), columns=[names["category"], names["status"]])
    counts = written[names["category"]].value_counts().compute()
    statuses = written[names["status"]].value_counts().compute()
    summary = Summary(input=",".join(paths), output=str(out), rows=int(statuses.sum()), format="parquet")
    summary.text_column = text_column
    summary.categories = {label: int(counts.get(label, 0)) for label in LABELS}
    summary.statuses = {str(k): int(v) for k, v in statuses.items()}
    summary.seconds = time.perf_counter() - started
    return summary
