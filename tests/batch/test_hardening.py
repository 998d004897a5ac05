"""The batch readers and writers under adversarial input (issue 14): rows in = rows out, no
clobbered file, no traceback. Every adversarial file is generated here, in tmp_path."""

from __future__ import annotations

import pytest

from classifier.batch.writers import open_writer
from classifier.errors import InputFileError


# ---------------------------------------------------------------- 4. two runs, one output
def test_a_run_without_force_never_replaces_an_output_that_appeared_meanwhile(tmp_path):
    out = tmp_path / "out.csv"
    first = open_writer(out, ["a"])
    first.write([["mine"]])
    out.write_text("the other run's output", "utf-8")  # another run committed first
    with pytest.raises(InputFileError, match="appeared while this run was writing"):
        first.commit()
    first.abort()
    assert out.read_text("utf-8") == "the other run's output"
    assert not list(tmp_path.glob(".*.part"))


def test_with_force_the_later_run_wins(tmp_path):
    out = tmp_path / "out.csv"
    writer = open_writer(out, ["a"], force=True)
    writer.write([["mine"]])
    out.write_text("older", "utf-8")
    writer.commit()
    assert "mine" in out.read_text("utf-8-sig")
