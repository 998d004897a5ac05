"""Allocator settings for batch processes (the CLI and its workers), on glibc only.

The batch path allocates and frees arrays of a few megabytes for every batch of texts. glibc
hands such blocks back to the kernel straight away and faults fresh zeroed pages in for the
next batch, which cost about a tenth of a batch run in kernel time. Keeping freed memory (up to
the limits below) for reuse removes that cost; peak memory is unchanged, since the largest live
set is the same.

>>> from classifier._allocator import keep_freed_memory
>>> keep_freed_memory() in (True, False)
True
"""

from __future__ import annotations

import sys

__all__ = ["keep_freed_memory"]

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
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
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
