"""Property-based: arbitrary text never raises and always gives one valid result per input."""

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from classifier import classify_file, classify_frame
from classifier.errors import NoContentError
from classifier.labels import LABELS

STRANGE = st.sampled_from(
    [
        "\u200b",
        "\u200f",
        "\u202e",
        "\ufeff",
        "\x00",
        "\x1b[31m",
        "\r",
        "\t",
        "\ud800",
        "\udfff",
        "\ue001",
        "𠮷",
        "👍🏽",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(STRANGE, st.text(max_size=5)), max_size=40).map("".join),
    st.integers(min_value=1, max_value=3).map(lambda n: "扣款失败" * (25000 * n)),
)
CELLS = st.one_of(TEXTS, st.none(), st.integers(), st.floats(allow_nan=True), st.booleans())
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(TEXTS)
@example("")
@example(" \u3000\n")
def test_classify_never_raises(lean, text):
    result = lean.classify(text)
    assert result.category in LABELS
    if result.status == "empty_text":
        assert result.confidence == 0 and result.probabilities == {}
    else:
        assert abs(sum(result.probabilities.values()) - 1) < 1e-6
    assert result.status in ("ok", "empty_text", "needs_review", "truncated")
    result.to_dict()
    if result.status in ("empty_text", "needs_review"):
        assert result.category == "other" and not result.steps
        with pytest.raises(NoContentError):
            result.letter()
    else:
        result.letter()


@PROPERTY
@given(st.lists(CELLS, min_size=1, max_size=8))
def test_classify_frame_keeps_one_row_per_input(lean, cells):
    out = classify_frame(pd.DataFrame({"text": pd.Series(cells, dtype=object)}), model=lean)
    assert len(out) == len(cells)
    assert set(out["status"]) <= {"ok", "empty_text", "needs_review", "truncated"}


@PROPERTY
@given(st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_batch_file_keeps_one_row_per_record(lean, tmp_path_factory, texts):
    # surrogates cannot be written to a UTF-8 file: write them as escapes, as a user's export would
    texts = [t.encode("utf-8", "backslashreplace").decode("utf-8") for t in texts]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "text"])
    writer.writerows([i, t] for i, t in enumerate(texts))
    folder = tmp_path_factory.mktemp("prop")
    source, target = folder / "in.csv", folder / "out.csv"
    source.write_text(buf.getvalue(), "utf-8")
    summary = classify_file(source, target, model=lean, text_column="text")
    out = pd.read_csv(target, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert summary.rows == len(texts) == len(out)
    assert out["id"].tolist() == [str(i) for i in range(len(texts))]
