"""Worker processes of a batch run, and the settings of the processes that are ours to tune.

A file of 1 MB or more is classified by worker processes (:func:`processed_chunks`), forked
with the model already loaded where the platform allows, so the parent only reads and writes.
The processes of a batch run (the CLI and its workers) are tuned:

- :func:`keep_freed_memory` (glibc only): the batch path allocates and frees arrays of a few
  megabytes for every batch of texts. glibc hands such blocks back to the kernel straight away
  and faults fresh zeroed pages in for the next batch, which cost about a tenth of a batch run in
  kernel time. Keeping freed memory (up to the limits below) for reuse removes that cost; peak
  memory is unchanged, since the largest live set is the same.
- :func:`one_blas_thread`: NumPy's OpenBLAS starts a thread per core that spins after each
  call; with one worker process per core those threads only steal time from the workers.
- :func:`freeze_loaded_objects`: the loaded model is a few hundred thousand long-lived objects
  that the garbage collector would otherwise walk again and again.
- :func:`collect_less_often`: a batch makes millions of short-lived lists, tuples and dicts,
  nearly all freed by reference counting as soon as they are done with; the cyclic garbage
  collector, started every 700 of them by default, walked them for nothing: a fifth of an
  every-column run's CPU time in one process, 4–10% in forked workers that froze the model. It
  now runs every 50,000: cyclic garbage waits a little longer (the batch path makes almost
  none), and peak memory is unchanged.

>>> keep_freed_memory() in (True, False)
True
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from ..errors import InputFileError

__all__ = [
    "PARALLEL_MIN_BYTES",
    "Job",
    "collect_less_often",
    "default_jobs",
    "freeze_loaded_objects",
    "keep_freed_memory",
    "one_blas_thread",
    "processed_chunks",
    "resolve_jobs",
    "start_method",
]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# blocks below this come from the reusable heap, not fresh mappings (glibc's own upper bound)
_MMAP_THRESHOLD = 32 << 20
# free memory at the top of the heap kept instead of returned to the kernel
_TRIM_THRESHOLD = 64 << 20


def keep_freed_memory() -> bool:
    """Tell glibc to reuse freed memory for the next batch; True if the settings took effect."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False
    except (ValueError, OSError):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # both together: setting the trim threshold alone turns glibc's adaptive threshold off
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    )


def one_blas_thread() -> None:
    """Ask OpenBLAS (and its kin) for one thread, if NumPy is not loaded yet (else no effect)."""
    if "numpy" not in sys.modules:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")


# objects allocated (less those freed) between two collections of the youngest generation
GC_THRESHOLD = 50_000


def collect_less_often() -> None:
    """Start the garbage collector's youngest generation every :data:`GC_THRESHOLD` allocations,
    not every 700 (the older generations as often as before, relative to it)."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, older, oldest)


def freeze_loaded_objects() -> None:
    """Move every object alive now out of the garbage collector's sight (it is never freed anyway)."""
    gc.collect()
    gc.freeze()


# Files smaller than this are classified in-process: starting workers costs more than it saves.
PARALLEL_MIN_BYTES = 1 << 20

In = TypeVar("In")
Out = TypeVar("Out")
In_contra = TypeVar("In_contra", contravariant=True)
Out_co = TypeVar("Out_co", covariant=True)
Chunk = TypeVar("Chunk")


class Job(Protocol[In_contra, Out_co]):
    """What the workers run on every chunk; built once, sent to each worker once."""

    def __call__(self, inputs: In_contra, /) -> Out_co: ...

    def warm_up(self) -> None:
        """Build whatever is built lazily, so forked workers inherit it instead of building it."""
        ...


_JOB: Job[Any, object] | None = None


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker exit when the process that started it dies (even by SIGKILL): else it
    would wait for work forever, holding the caller's pipes open. Linux only (prctl)."""
    # the parent's SIGTERM handler (clean up, then exit) is not the worker's to run
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            prctl = ctypes.CDLL(None, use_errno=True).prctl
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _init_worker(job: Job[Any, object] | bytes, parent: int | None = None) -> None:
    if parent is not None:
        _die_with_parent(parent)
    keep_freed_memory()
    collect_less_often()
    global _JOB
    _JOB = pickle.loads(job) if isinstance(job, bytes) else job


def _run_in_worker(inputs: object) -> object:
    assert _JOB is not None
    return _JOB(inputs)


def default_jobs() -> int:
    """Every core."""
    return os.cpu_count() or 1


def resolve_jobs(jobs: int | None, input: str) -> int:
    """``jobs`` if given (at least 1; at most every core for a file under 1 MB, and at most
    :data:`JOBS_PER_CORE` per core for any), else every core for a file of 1 MB or more, else 1.

    >>> resolve_jobs(999, "-") == default_jobs()
    True
    """
    try:
        size = -1 if input == "-" else os.path.getsize(input)
    except OSError:
        size = -1
    if jobs is not None:
        if jobs < 1:
            raise InputFileError(f"--jobs must be at least 1, got {jobs}")
        # a worker is a process with its own model: more than the cores can run only wait, and
        # a small file has fewer chunks than that anyway (--jobs 999 once forked 999 processes)
        most = default_jobs() * (JOBS_PER_CORE if size >= PARALLEL_MIN_BYTES else 1)
        return min(jobs, most)
    return default_jobs() if size >= PARALLEL_MIN_BYTES else 1


# at most this many workers per core, however many are asked for
JOBS_PER_CORE = 4


def start_method() -> str:
    """``fork`` on Linux (workers start at once and share the loaded model), else ``spawn``."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _pool(job: Job[In, Out], jobs: int) -> ProcessPoolExecutor:
    """Worker processes holding ``job``: forked where the platform allows (they start at once and
    share the parent's loaded, warmed-up model), spawned elsewhere (the job is pickled once)."""
    payload: Job[In, Out] | bytes
    context: multiprocessing.context.BaseContext
    if start_method() == "fork":
        job.warm_up()  # build lazy tables once
        freeze_loaded_objects()  # the workers inherit the model: the collector need not walk it
        context, payload = multiprocessing.get_context("fork"), job
    else:
        context, payload = multiprocessing.get_context("spawn"), pickle.dumps(job)
    return ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(payload, os.getpid())
    )


def processed_chunks(
    chunks: Iterable[Chunk], inputs_of: Callable[[Chunk], In], job: Job[In, Out], jobs: int
) -> Iterator[tuple[Chunk, Out]]:
    """Yield (chunk, job's output) in input order, running the job in ``jobs`` processes."""
    if jobs == 1:
        for chunk in chunks:
            yield chunk, job(inputs_of(chunk))
        return
    with _pool(job, jobs) as pool:
        pending: deque[tuple[Chunk, Future[Out]]] = deque()
        try:
            for chunk in chunks:
                pending.append((chunk, pool.submit(_run_in_worker, inputs_of(chunk))))  # type: ignore[arg-type]
                # a bounded window keeps memory flat and the output in input order
                while len(pending) > 2 * jobs:
                    done_chunk, future = pending.popleft()
                    yield done_chunk, future.result()
            while pending:
                done_chunk, future = pending.popleft()
                yield done_chunk, future.result()
        except BaseException:
            # interrupted (Ctrl-C, SIGTERM, an error): do not wait for chunks nobody will write
            pool.shutdown(wait=False, cancel_futures=True)
            raise
