import os
import subprocess
import sys

import pytest

GLIBC = sys.platform.startswith("linux") and (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")


@pytest.mark.slow
@pytest.mark.skipif(not GLIBC, reason="the settings exist on glibc only")
def test_settings_take_effect_on_glibc_and_stop_page_faults_between_batches():
    # a fresh process: the same allocation pattern faults far fewer pages once freed memory is kept
    code = """
import resource, sys
import numpy as np
from classifier.batch.workers import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
before = faults()
for _ in range(50):  # as batches do: several arrays of about a megabyte, then all freed
    parts = [np.ones((1 << 17) + 1000 * j) for j in range(8)]
    del parts
print(faults() - before)
"""
    runs = {
        mode: int(
            subprocess.run(
                [sys.executable, "-c", code, mode], capture_output=True, text=True, check=True
            ).stdout
        )
        for mode in ("default", "keep")
    }
    assert runs["keep"] * 5 < runs["default"]


def test_elsewhere_it_reports_that_nothing_changed(monkeypatch):
    from classifier.batch import workers as _allocator

    monkeypatch.setattr(_allocator.sys, "platform", "darwin")
    assert _allocator.keep_freed_memory() is False


def test_one_blas_thread_is_set_before_numpy_loads_in_a_batch_run():
    code = """
import os, sys
import classifier.cli, classifier.batch, classifier.batch.workers
assert "numpy" not in sys.modules  # the CLI has not loaded NumPy by the time it tunes the process
from classifier.batch.workers import one_blas_thread
one_blas_thread()
import numpy
print(os.environ["OPENBLAS_NUM_THREADS"])
"""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "1", out.stderr


def test_freezing_moves_live_objects_out_of_the_collectors_sight():
    code = """
import gc
from classifier.batch.workers import freeze_loaded_objects
kept = [[i] for i in range(1000)]
freeze_loaded_objects()
print(gc.get_freeze_count() >= 1000)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr


def test_jobs_default_to_every_core_for_big_files(tmp_path):
    from classifier.batch.workers import PARALLEL_MIN_BYTES, default_jobs, resolve_jobs

    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_bytes(b"x" * 10)
    big.write_bytes(b"x" * PARALLEL_MIN_BYTES)
    assert resolve_jobs(None, str(small)) == 1 and resolve_jobs(None, "-") == 1
    assert resolve_jobs(None, str(big)) == default_jobs()
    assert resolve_jobs(1, str(big)) == 1
    # asked for more: at most every core for a small file, four per core for a big one
    assert resolve_jobs(999, str(small)) == resolve_jobs(999, "-") == default_jobs()
    assert resolve_jobs(999, str(big)) == 4 * default_jobs()
    assert resolve_jobs(2 * default_jobs(), str(big)) == 2 * default_jobs()


def test_a_batch_process_collects_cyclic_garbage_less_often_but_still_collects_it():
    # a fresh process: the setting is the process's, and cycles are still freed in the end
    code = """
import gc, weakref
from classifier.batch.workers import GC_THRESHOLD, collect_less_often
older = gc.get_threshold()[1:]
collect_less_often()
assert gc.get_threshold() == (GC_THRESHOLD, *older)
class Node: pass
first = Node(); first.me = first
alive = weakref.ref(first); del first
kept = [[] for _ in range(GC_THRESHOLD // 2)]
assert alive() is not None  # 700 allocations used to be enough for a collection
kept += [[] for _ in range(GC_THRESHOLD)]
assert alive() is None
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_workers_are_tuned_as_the_cli_process_is(monkeypatch):
    from classifier.batch import workers

    calls = []
    monkeypatch.setattr(workers, "collect_less_often", lambda: calls.append("collect"))
    monkeypatch.setattr(workers, "keep_freed_memory", lambda: calls.append("memory"))
    monkeypatch.setattr(workers, "_JOB", None)
    workers._init_worker(b"\x80\x04N.")  # a pickled None: no job, no parent to watch
    assert calls == ["memory", "collect"]
