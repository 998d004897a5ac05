"""Settings for the processes of a batch run (the CLI and its workers), which are ours to tune.

- :func:`keep_freed_memory` (glibc only): the batch path allocates and frees arrays of a few
  megabytes for every batch of texts. glibc hands such blocks back to the kernel straight away
  and faults fresh zeroed pages in for the next batch, which cost about a tenth of a batch run in
  kernel time. Keeping freed memory (up to the limits below) for reuse removes that cost; peak
  memory is unchanged, since the largest live set is the same.
- :func:`one_blas_thread`: NumPy's OpenBLAS starts a thread per core that spins after each
  call; with one worker process per core those threads only steal time from the workers.
- :func:`freeze_loaded_objects`: the loaded model is a few hundred thousand long-lived objects
  that the garbage collector would otherwise walk again and again.

>>> from classifier._process import keep_freed_memory
>>> keep_freed_memory() in (True, False)
True
"""

from __future__ import annotations

import sys

__all__ = ["freeze_loaded_objects", "keep_freed_memory", "one_blas_thread"]

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
    import ctypes
    import os

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
    import os

    if "numpy" not in sys.modules:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")


def freeze_loaded_objects() -> None:
    """Move every object alive now out of the garbage collector's sight (it is never freed anyway)."""
    import gc

    gc.collect()
    gc.freeze()
