import os
import subprocess
import sys

import pytest

GLIBC = sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")


@pytest.mark.skipif(not GLIBC, reason="the settings exist on glibc only")
def test_settings_take_effect_on_glibc_and_stop_page_faults_between_batches():
    # a fresh process: the same allocation pattern faults far fewer pages once freed memory is kept
    code = """
import resource, sys
import numpy as np
from classifier._allocator import keep_freed_memory
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
    from classifier import _allocator

    monkeypatch.setattr(_allocator.sys, "platform", "darwin")
    assert _allocator.keep_freed_memory() is False
