"""The compiled kernel: never required, survives a broken compiler, and keeps its C side in step.

Its numbers against the NumPy batch path are checked in tests/test_equivalence.py.
"""

import re

import numpy as np

from classifier.engine import kernel as native
from classifier.engine import tables
from classifier.engine.lean import NUMPY_BATCH, LeanModel

C_SOURCE = native.SOURCE.read_text("utf-8")


def _defines() -> dict[str, int]:
    found = {}
    for name, value in re.findall(r"^#define (\w+) (.+?)(?:\s*/\*.*)?$", C_SOURCE, re.M):
        found[name] = int(value.strip("()").removesuffix("ULL"), 0)
    return found


def test_constants_shared_with_c_agree():
    defines = _defines()
    assert defines["EMPTY"] == tables.EMPTY
    assert defines["NOT_WORD"] == tables.NOT_WORD
    assert defines["BREAK"] == tables.BREAK
    assert defines["SEPARATOR"] == ord(tables.SEPARATOR)
    assert defines["FIBONACCI"] == tables.FIBONACCI == int(tables.CodeTable._MULTIPLIER)
    assert defines["MAX_CLASSES"] == native.MAX_CLASSES
    # the longest n-grams the C loops handle are the longest the NumPy tables accept
    assert defines["MAX_CHAR_N"] == 3 and defines["MAX_WORD_N"] == 2


def test_the_struct_python_passes_is_the_struct_c_reads():
    body = re.search(r"typedef struct \{([^{}]*)\} batch_t;", C_SOURCE).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    fields = []
    for declaration in body.split(";"):
        declaration = declaration.strip()
        if not declaration:
            continue
        kind, names = re.match(r"((?:const )?\w+)\s+(.*)", declaration).groups()
        for name in names.split(","):
            name = name.strip()
            pointer = name.startswith("*")
            assert kind in (
                "int64_t",
                "double",
                "const double",
                "const int64_t",
                "const int32_t",
                "const uint32_t",
            )
            assert pointer or kind == "int64_t", (kind, name)  # 8-byte fields only: no padding
            fields.append((name.lstrip("*"), "p" if pointer else "i"))
    assert tuple(fields) == native.BATCH_FIELDS
    assert [name for name, _ in native.BatchArgs._fields_] == [name for name, _ in fields]


def test_a_machine_without_a_compiler_uses_numpy(model_dir, corpus, monkeypatch):
    monkeypatch.setattr(native, "_compiler", lambda: None)
    native.kernel.cache_clear()
    try:
        assert native.kernel() is None and native.kernel_status() == "no C compiler found"
        model = LeanModel.load(model_dir)
        texts = corpus["text"].head(50).tolist()
        assert model.kernel.tables is None and model.engine_for(50, reasons=False) == NUMPY_BATCH
        assert model.describe()["kernel"] == "no C compiler found"
        np.testing.assert_allclose(
            model.score_texts(texts)[0], model.numpy_batch.score(texts)[0], rtol=0, atol=1e-12
        )
    finally:
        native.kernel.cache_clear()


def test_it_can_be_switched_off_and_a_broken_compiler_is_survived(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPLAINT_CLASSIFIER_NATIVE", "0")
    native.kernel.cache_clear()
    try:
        assert native.kernel() is None and "disabled" in native.kernel_status()
        monkeypatch.delenv("COMPLAINT_CLASSIFIER_NATIVE")
        monkeypatch.setenv("COMPLAINT_CLASSIFIER_CACHE", str(tmp_path))  # nothing compiled yet
        monkeypatch.setenv("CC", "false")  # a "compiler" that always fails
        monkeypatch.setattr(native, "_compiler", lambda: "/bin/false")
        native.kernel.cache_clear()
        assert native.kernel() is None and "could not build" in native.kernel_status()
        assert not list(tmp_path.glob("*.so")) and not list(tmp_path.glob(".kernel-*"))
    finally:
        native.kernel.cache_clear()
