"""Dask engine on a LocalCluster with 2 worker processes (its answers against the local engine's
are checked in tests/test_equivalence.py)."""

import os
import signal
import threading
import time

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from classifier import classify_dask, classify_frame  # noqa: E402
from classifier.batch.dask_engine import classify_files_dask, model_key, worker_model_loads  # noqa: E402
from classifier.errors import ColumnNotFoundError  # noqa: E402

pytestmark = pytest.mark.slow  # a cluster of worker processes


@pytest.fixture(scope="module")
def client(dask_client):
    return dask_client


@pytest.fixture(scope="module")
def rows(dask_rows):
    return dask_rows


def test_each_worker_loads_the_model_once(client, rows, lean):
    out = classify_dask(
        dd.from_pandas(rows.head(2000), npartitions=8), text_column="text", model=lean, client=client
    )
    assert out.compute()["status"].iloc[5] == "empty_text"
    key, _ = model_key(lean)
    loads = client.run(worker_model_loads, key)
    assert len(loads) == 2 and all(n == 1 for n in loads.values()), loads


def test_a_missing_column_is_the_same_error_as_locally(client, rows, lean):
    with pytest.raises(ColumnNotFoundError, match="no column '正文'"):
        classify_dask(
            dd.from_pandas(rows.head(10), npartitions=1), text_column="正文", model=lean, client=client
        )
    with pytest.raises(ColumnNotFoundError, match="no column '正文'"):
        classify_frame(rows.head(10), text_column="正文", model=lean)


def _write_parts(rows, folder, parts=8):
    folder.mkdir()
    size = len(rows) // parts
    for i in range(parts):
        rows.iloc[i * size : (i + 1) * size].to_csv(folder / f"complaints_{i}.csv", index=False)
    return sorted(folder.glob("*.csv"))


def test_killed_worker_loses_and_duplicates_no_row(client, rows, lean, tmp_path):
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
    summary = classify_files_dask(str(tmp_path / "in" / "*.csv"), out_dir, model=lean, client=client)
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

    from classifier.batch.dask_engine import _require_dask
    from classifier.errors import ClassifierError

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith(("dask", "distributed")):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ClassifierError, match=r"pip install 'complaint-classifier\[dask\]'"):
        _require_dask()


def test_cli_engine_dask(rows, model_dir, tmp_path):
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
            str(model_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("part-*.csv"))) == 2
    assert "400 行" in result.output


def test_parquet_glob(client, rows, lean, tmp_path):
    pytest.importorskip("pyarrow")
    (tmp_path / "in").mkdir()
    part = rows.head(600)
    part.iloc[:300].to_parquet(tmp_path / "in" / "a.parquet", index=False)
    part.iloc[300:].to_parquet(tmp_path / "in" / "b.parquet", index=False)
    summary = classify_files_dask(
        str(tmp_path / "in" / "*.parquet"), tmp_path / "out", model=lean, client=client
    )
    out = dd.read_parquet(str(tmp_path / "out")).compute()
    assert summary.rows == 600 == len(out)
    assert summary.encoding == "" and "编码" not in summary.format_text()  # Parquet has no text encoding
    assert sorted(out["id"]) == sorted(part["id"])
    local = classify_frame(part, text_column="text", model=lean)
    merged = out.merge(local, on="id", suffixes=("", "_local"))
    assert (merged["category"] == merged["category_local"]).all()


def test_parts_never_overwrite_inputs_or_existing_parts_and_a_bad_file_is_its_own_error(
    client, lean, tmp_path
):
    from classifier.errors import InputFileError

    out = tmp_path / "out"
    out.mkdir()
    good = "编号,投诉内容\n1,付款失败但扣了钱\n2,会员开了视频一直黑屏\n"
    (out / "a.csv").write_text(good, "utf-8")
    (out / "part-00000-a.csv").write_text(good, "utf-8")  # an input named like a.csv's part
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for force in (False, True):
        with pytest.raises(InputFileError, match="overwrite an input"):
            classify_files_dask(str(out / "*.csv"), out, model=lean, client=client, force=force)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.csv").write_text(good, "utf-8")
    (inputs / "b.csv").write_text("编号,别的列\n1,x\n", "utf-8")  # no text column
    (inputs / "c.csv").write_bytes(b"")  # empty
    target = tmp_path / "parts"
    summary = classify_files_dask(str(inputs / "*.csv"), target, model=lean, client=client)
    assert summary.rows == 2 and set(summary.errors) == {str(inputs / "b.csv"), str(inputs / "c.csv")}
    assert sorted(p.name for p in target.iterdir()) == ["part-00000-a.csv"]  # nothing partial
    with pytest.raises(InputFileError, match="--force"):
        classify_files_dask(str(inputs / "*.csv"), target, model=lean, client=client)
    summary = classify_files_dask(str(inputs / "*.csv"), target, model=lean, client=client, force=True)
    assert summary.rows == 2


def test_fact_columns_reach_the_workers(client, lean, tmp_path):
    frame = pd.DataFrame(
        {
            "投诉内容": ["付款显示失败但银行卡扣了钱", "昨晚视频一直黑屏", "购物车的商品全没了", ""],
            "平台": ["淘宝", "爱奇艺", "拼多多", "京东"],
            "投诉时间": ["2024-03-02 21:14", "2024-03-02 22:40", "2024-03-03", ""],
        }
    )
    local = classify_frame(frame, model=lean)
    ddf = dd.from_pandas(frame, npartitions=2)
    out = classify_dask(ddf, model=lean, client=client).compute()
    for column in ("evidence", "steps", "missing_facts"):
        assert out[column].astype(str).tolist() == local[column].astype(str).tolist(), column
    assert not any("平台" in m for m in out["missing_facts"])
    none = classify_dask(ddf, model=lean, client=client, fact_columns="none").compute()
    assert any("平台" in m for m in none["missing_facts"].astype(str))
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False)
    summary = classify_files_dask(str(source), tmp_path / "out", model=lean, client=client)
    assert summary.fact_columns == {"date": "投诉时间", "platform": "平台"}


def test_the_content_guard_holds_on_the_cluster(client, lean):
    texts = ["123456", "😡😡😡垃圾平台！！！", "不行", "付款显示失败但银行卡扣了199元", "？？？"]
    out = classify_dask(
        dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=2),
        text_column="text",
        model=lean,
        client=client,
    ).compute()
    assert out["status"].tolist() == [r.status for r in lean.classify(texts)]
    assert out["status"].tolist().count("needs_review") == 4


def test_a_parquet_file_without_the_text_column_is_the_local_error_before_any_work(client, lean, tmp_path):
    pytest.importorskip("pyarrow")
    inputs = tmp_path / "in"
    inputs.mkdir()
    pd.DataFrame({"投诉内容": ["付款失败扣了钱"]}).to_parquet(inputs / "a.parquet")
    pd.DataFrame({"other": ["付款失败扣了钱"]}).to_parquet(inputs / "b.parquet")
    pattern = str(inputs / "*.parquet")
    with pytest.raises(ColumnNotFoundError, match=r"b\.parquet: no column '投诉内容'; available: other"):
        classify_files_dask(pattern, tmp_path / "out", model=lean, client=client)
    with pytest.raises(ColumnNotFoundError, match=r"a\.parquet: no column 'other'; available: 投诉内容"):
        classify_files_dask(pattern, tmp_path / "out", model=lean, client=client, text_column="other")
    assert not list((tmp_path / "out").iterdir())


def test_parquet_files_whose_columns_differ_are_a_clear_error(client, lean, tmp_path):
    from classifier.errors import InputFileError

    pytest.importorskip("pyarrow")
    inputs = tmp_path / "in"
    inputs.mkdir()
    pd.DataFrame({"text": ["付款失败扣了钱"], "id": [1]}).to_parquet(inputs / "a.parquet")
    pd.DataFrame({"text": [3], "id": [2]}).to_parquet(inputs / "b.parquet")
    with pytest.raises(InputFileError, match=r"column 'text' is string in .*a\.parquet.* but int64 in"):
        classify_files_dask(str(inputs / "*.parquet"), tmp_path / "out", model=lean, client=client)
    pd.DataFrame({"text": ["页面打不开"]}).to_parquet(inputs / "b.parquet")
    with pytest.raises(InputFileError, match="do not have the same columns"):
        classify_files_dask(str(inputs / "*.parquet"), tmp_path / "out", model=lean, client=client)


def test_null_parquet_cells_are_empty_text_and_an_all_null_column_is_written(client, lean, tmp_path):
    pytest.importorskip("pyarrow")
    inputs = tmp_path / "in"
    inputs.mkdir()
    pd.DataFrame(
        {"text": pd.array(["付款失败扣了钱", None], dtype="string"), "note": [None, None]}
    ).to_parquet(inputs / "a.parquet", index=False)
    pd.DataFrame({"text": pd.array([None, "页面打不开"], dtype="string"), "note": ["x", None]}).to_parquet(
        inputs / "b.parquet", index=False
    )
    summary = classify_files_dask(str(inputs / "*.parquet"), tmp_path / "out", model=lean, client=client)
    out = dd.read_parquet(str(tmp_path / "out")).compute()
    assert summary.rows == 4 == len(out)
    assert out["status"].tolist() == ["ok", "empty_text", "empty_text", "ok"]
    assert out["note"].tolist()[2] == "x"


def test_a_json_line_nested_too_deep_is_malformed_on_the_cluster(client, lean, tmp_path):
    source = tmp_path / "deep.jsonl"
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    source.write_text('{"text": "付款失败扣了钱"}\n' + deep + '\n{"text": "页面打不开"}\n', "utf-8")
    summary = classify_files_dask(str(source), tmp_path / "out", model=lean, client=client)
    assert not summary.errors and summary.rows == 3
    assert summary.statuses == {"ok": 2, "malformed_line": 1}


def test_a_duplicated_text_column_is_a_clear_error_on_dask(client, lean):
    from classifier.errors import DuplicateColumnError

    frame = pd.DataFrame([["付款失败扣了钱", "x"]], columns=["text", "text"])
    with pytest.raises(DuplicateColumnError, match="2 columns are named 'text'"):
        classify_dask(dd.from_pandas(frame, npartitions=1), text_column="text", model=lean, client=client)
