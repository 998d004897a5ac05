"""Fixtures of the batch tests."""

import pytest


@pytest.fixture
def small_cap(monkeypatch) -> int:
    """Records of at most 2,000 characters (lines of 8,000 bytes), so the cuts are cheap to test."""
    from classifier.batch import readers

    monkeypatch.setattr(readers, "MAX_RECORD_CHARS", 2000)
    monkeypatch.setattr(readers, "_LINE_BYTES", 8000)
    monkeypatch.setattr(readers, "_BLOCK_BYTES", 1000)
    return 2000
