"""Dask engine on a LocalCluster with 2 worker processes."""

import os
import signal
import threading
import time

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from classifier import classify_file, classify_frame  # noqa: E402
from classifier.distributed import classify_dask, classify_files_dask, worker_model_loads  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def rows(corpus):
    frame = corpus[["id", "text"]]
    copies = [frame.assign(id=frame["id"] + suffix) for suffix in ("", "b", "c")]
    frame = pd.concat(copies).head(12000).reset_index(drop=True)
    frame.loc[5, "text"] = ""  # an empty text keeps its row and gets a status
    return frame


def test_dataframe_results_identical_to_local_path(client, rows, small_model):
    assert len(rows) >= 12000
    ddf = dd.from_pandas(rows, npartitions=8)
    out = classify_dask(ddf, text_column="text", model=small_model, client=client).compute()
    local = classify_frame(rows, text_column="text", model=small_model)
    pd.testing.assert_frame_equal(out.reset_index(drop=True), local.reset_index(drop=True), check_dtype=False)
    assert out["status"].iloc[5] == "empty_text"
    loads = client.run(worker_model_loads)
    assert len(loads) == 2 and all(n == 1 for n in loads.values()), loads


def _write_parts(rows, folder, parts=8):
    folder.mkdir()
    size = len(rows) // parts
    for i in range(parts):
        rows.iloc[i * size : (i + 1) * size].to_csv(folder / f"complaints_{i}.csv", index=False)
    return sorted(folder.glob("*.csv"))


def test_file_glob_gives_one_part_per_input_like_the_local_path(client, rows, small_model, tmp_path):
    sources = _write_parts(rows, tmp_path / "in")
    summary = classify_files_dask(
        str(tmp_path / "in" / "*.csv"), tmp_path / "out", model=small_model, client=client
    )
    parts = sorted((tmp_path / "out").glob("part-*.csv"))
    assert len(parts) == len(sources) and summary.rows == len(rows)
    local = classify_file(sources[3], tmp_path / "local.csv", model=small_model)
    assert local.rows == len(rows) // 8
    pd.testing.assert_frame_equal(
        pd.read_csv(parts[3], dtype=str, encoding="utf-8-sig"),
        pd.read_csv(tmp_path / "local.csv", dtype=str, encoding="utf-8-sig"),
    )


def test_killed_worker_loses_and_duplicates_no_row(client, rows, small_model, tmp_path):
    _write_parts(rows, tmp_path / "in", parts=8)
    pids = client.run(os.getpid)
    victim = next(iter(pids.values()))

    out_dir = tmp_path / "out"

    def kill_mid_run():
        # as soon as the first part is being written: 8 files on 2 workers, so most work is left
        deadline = time.monotonic() + 60
        while not (out_dir.is_dir() and os.listdir(out_dir)) and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(victim, signal.SIGKILL)

    killer = threading.Thread(target=kill_mid_run, daemon=True)
    killer.start()
    summary = classify_files_dask(str(tmp_path / "in" / "*.csv"), out_dir, model=small_model, client=client)
    killer.join(timeout=60)
    assert not killer.is_alive()
    out = pd.concat(
        pd.read_csv(p, dtype=str, encoding="utf-8-sig") for p in sorted((tmp_path / "out").glob("part-*.csv"))
    )
    assert summary.rows == len(rows) == len(out)
    assert sorted(out["id"]) == sorted(rows["id"])
    assert not list((tmp_path / "out").glob(".*.part"))
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()  # the worker really died and was replaced


def test_missing_extra_names_the_install(monkeypatch):
    import builtins

    from classifier.distributed import _require_dask
    from classifier.errors import ClassifierError

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith(("dask", "distributed")):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ClassifierError, match=r"pip install 'complaint-classifier\[dask\]'"):
        _require_dask()


def test_cli_engine_dask(rows, small_model_dir, tmp_path):
    from click.testing import CliRunner

    from classifier.cli import main

    _write_parts(rows.head(400), tmp_path / "in", parts=2)
    result = CliRunner().invoke(
        main,
        [
            "classify",
            str(tmp_path / "in" / "*.csv"),
            "-o",
            str(tmp_path / "out"),
            "--engine",
            "dask",
            "--model",
            str(small_model_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("part-*.csv"))) == 2
    assert "400 行" in result.output


def test_parquet_glob(client, rows, small_model, tmp_path):
    pytest.importorskip("pyarrow")
    (tmp_path / "in").mkdir()
    part = rows.head(600)
    part.iloc[:300].to_parquet(tmp_path / "in" / "a.parquet", index=False)
    part.iloc[300:].to_parquet(tmp_path / "in" / "b.parquet", index=False)
    summary = classify_files_dask(
        str(tmp_path / "in" / "*.parquet"), tmp_path / "out", model=small_model, client=client
    )
    out = dd.read_parquet(str(tmp_path / "out")).compute()
    assert summary.rows == 600 == len(out)
    assert sorted(out["id"]) == sorted(part["id"])
    local = classify_frame(part, text_column="text", model=small_model)
    merged = out.merge(local, on="id", suffixes=("", "_local"))
    assert (merged["category"] == merged["category_local"]).all()


def test_chosen_columns_on_the_cluster(client, rows, small_model, tmp_path):
    part = rows.head(400)
    ddf = dd.from_pandas(part, npartitions=4)
    out = classify_dask(ddf, text_column="text", model=small_model, client=client, columns="confidence")
    out = out.compute().reset_index(drop=True)
    assert list(out.columns) == ["id", "text", "category", "confidence", "status"]
    local = classify_frame(part, text_column="text", model=small_model, columns="confidence")
    pd.testing.assert_frame_equal(out, local.reset_index(drop=True), check_dtype=False)
