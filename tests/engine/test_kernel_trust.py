"""A compiled kernel is loaded only from this user's private folder and only while its sha256
is the one recorded when it was built: a library planted in the cache is never loaded (issue 14,
item 13)."""

from __future__ import annotations

import hashlib
import platform
import subprocess

import pytest

from classifier.engine import kernel as native

_EVIL = r"""
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void planted(void) {
    int fd = open("%s", O_CREAT | O_WRONLY, 0600);
    if (fd >= 0) close(fd);
}
int cc_score_batch(void *args) { return 0; }
"""


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """kernel() with an empty cache of its own; the real kernel is loaded again afterwards."""
    compiler = native._compiler()
    if compiler is None:
        pytest.skip("no C compiler")
    monkeypatch.setenv("COMPLAINT_CLASSIFIER_CACHE", str(tmp_path / "cache"))
    native.kernel.cache_clear()
    yield compiler
    native.kernel.cache_clear()


def _planted(compiler: str, where, marker) -> bytes:
    source = where.with_suffix(".c")
    source.write_text(_EVIL % marker)
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(where), str(source)], check=True)
    source.unlink()
    return where.read_bytes()


def _tag(compiler: str) -> str:
    data = native.SOURCE.read_bytes() + compiler.encode() + platform.machine().encode()
    return hashlib.sha256(data).hexdigest()[:16]


def test_a_library_planted_in_the_cache_folder_is_not_loaded(fresh, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    marker = tmp_path / "ran"
    tag = _tag(fresh)
    # where earlier versions kept the kernel, and where this one keeps it, without a record
    _planted(fresh, cache / f"kernel-{tag}.so", marker)
    (cache / "kernel").mkdir(mode=0o700)
    evil = _planted(fresh, cache / "kernel" / f"kernel-{tag}-{'0' * 16}.so", marker)
    # a record that names the planted library but does not match its bytes
    (cache / "kernel" / f"kernel-{tag}.sha256").write_text("0" * 64)
    assert native.kernel() is not None and native.kernel_status() == "loaded"
    assert not marker.exists()
    record = (cache / "kernel" / f"kernel-{tag}.sha256").read_text().strip()
    assert record != hashlib.sha256(evil).hexdigest()
    built = cache / "kernel" / f"kernel-{tag}-{record[:16]}.so"
    assert hashlib.sha256(built.read_bytes()).hexdigest() == record


def test_a_kernel_folder_others_can_write_is_refused(fresh, tmp_path):
    cache = tmp_path / "cache"
    folder = cache / "kernel"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    marker = tmp_path / "ran"
    tag = _tag(fresh)
    evil = _planted(fresh, folder / "planted.so", marker)
    digest = hashlib.sha256(evil).hexdigest()
    (folder / "planted.so").rename(folder / f"kernel-{tag}-{digest[:16]}.so")
    (folder / f"kernel-{tag}.sha256").write_text(digest)  # a record that matches: still refused
    assert native.kernel() is None
    assert "others can write" in native.kernel_status()
    assert not marker.exists()


def test_a_swapped_library_is_rebuilt_not_loaded(fresh, tmp_path):
    assert native.kernel() is not None  # a legitimate build, with its record
    folder = tmp_path / "cache" / "kernel"
    (library,) = folder.glob("kernel-*-*.so")
    marker = tmp_path / "ran"
    _planted(fresh, library, marker)  # replaced after the build: the record no longer matches
    native.kernel.cache_clear()
    assert native.kernel() is not None and native.kernel_status() == "loaded"
    assert not marker.exists()
    record = (folder / library.name.rsplit("-", 1)[0]).with_suffix(".sha256").read_text().strip()
    assert hashlib.sha256(library.read_bytes()).hexdigest() == record  # rebuilt over the swap
