"""The notebooks run top to bottom, render Chinese without missing glyphs, and ship without outputs."""

import warnings
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
nbformat = pytest.importorskip("nbformat")


def test_there_are_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_data.ipynb",
        "02_model.ipynb",
        "03_triage.ipynb",
        "04_adapt.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path):
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=240, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    text = "\n".join(
        str(output.get("text", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "Glyph" not in text and "missing from font" not in text
    images = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert images, "every notebook draws at least one figure"


def test_chinese_renders_without_missing_glyphs(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("mplfonts")
    from classifier.tools import plots

    plots.use_chinese_font()
    fig, ax = plots._figure()
    ax.set_title("支付系统故障 · 服务系统中断 · 数据系统错误 · 其他（非系统故障）")
    ax.set_xlabel("置信度（￥199，订单号）")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "zh.png")
    assert not [w for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
