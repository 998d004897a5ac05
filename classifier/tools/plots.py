"""Figures for the notebooks, with Chinese text that renders on a fresh machine.

Needs the ``[notebooks]`` extra (matplotlib and ``mplfonts``, which ships the open-licensed
Noto Sans CJK SC font). :func:`use_chinese_font` registers that font with matplotlib; every
plotting function calls it, so no figure shows empty boxes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ClassifierError, MissingExtraError
from ..labels import LABEL_NAMES_ZH, LABELS
from ..model.evaluation import EvaluationReport

# matplotlib and mplfonts are the [notebooks] extra: imported on first use, with a message
Figure = Any

__all__ = [
    "plot_calibration",
    "plot_category_counts",
    "plot_confidence",
    "plot_confusion",
    "plot_corpus",
    "plot_coverage",
    "plot_learning_curve",
    "plot_lengths",
    "plot_per_class",
    "use_chinese_font",
]

_FONT_FILE = "NotoSansCJKsc-Regular.otf"  # SIL Open Font License


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError(
            "plots need matplotlib: pip install 'complaint-classifier[notebooks]'"
        ) from None
    return plt


@lru_cache(maxsize=1)
def use_chinese_font() -> str:
    """Register Noto Sans CJK SC with matplotlib and make it the default; returns its name."""
    _pyplot()
    from matplotlib import font_manager, rcParams

    try:
        import mplfonts
    except ImportError:
        raise MissingExtraError(
            "Chinese plot labels need the bundled CJK font: pip install 'complaint-classifier[notebooks]'"
        ) from None
    path = Path(mplfonts.__file__).parent / "fonts" / _FONT_FILE
    if not path.is_file():
        raise ClassifierError(f"the CJK font {path} is missing; reinstall mplfonts")
    font_manager.fontManager.addfont(str(path))
    name: str = font_manager.FontProperties(fname=str(path)).get_name()
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [name, *[f for f in rcParams["font.sans-serif"] if f != name]]
    rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    return name


def _figure(width: float = 7.0, height: float = 4.0) -> tuple[Figure, Any]:
    plt = _pyplot()
    use_chinese_font()
    return plt.subplots(figsize=(width, height))


def _zh(labels: Any) -> list[str]:
    return [f"{LABEL_NAMES_ZH.get(label, label)}\n{label}" for label in labels]


def plot_corpus(counts: dict[str, pd.DataFrame]) -> Figure:
    """Stacked bars: rows per domain, coloured by label (from :func:`report.corpus_counts`)."""
    fig, ax = _figure(9, 4.5)
    table = counts["domain_by_label"]
    bottom = np.zeros(len(table))
    for label in LABELS:
        ax.bar(table.index, table[label], bottom=bottom, label=LABEL_NAMES_ZH[label])
        bottom += table[label].to_numpy()
    ax.set_title("各领域的样本数（按类别）")
    ax.set_ylabel("条数")
    ax.tick_params(axis="x", rotation=60)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_lengths(df: pd.DataFrame) -> Figure:
    """Histogram of text lengths per label (log scale on x)."""
    fig, ax = _figure()
    bins = np.logspace(0, np.log10(max(2, df["text"].str.len().max())), 30)
    for label in LABELS:
        ax.hist(
            df.loc[df["label"] == label, "text"].str.len(),
            bins=bins,
            histtype="step",
            label=LABEL_NAMES_ZH[label],
        )
    ax.set_xscale("log")
    ax.set_xlabel("字数")
    ax.set_ylabel("条数")
    ax.set_title("文本长度分布")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_confusion(report: EvaluationReport) -> Figure:
    """Heat map of an :class:`~classifier.model.evaluation.EvaluationReport`'s confusion matrix."""
    fig, ax = _figure(6, 5)
    matrix = np.asarray(report.confusion)
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(LABELS)), _zh(LABELS), fontsize=8)
    ax.set_yticks(range(len(LABELS)), _zh(LABELS), fontsize=8)
    ax.set_xlabel("预测类别")
    ax.set_ylabel("真实类别")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            color = "white" if matrix[i, j] > matrix.max() / 2 else "black"
            ax.text(j, i, matrix[i, j], ha="center", va="center", color=color)
    ax.set_title(f"混淆矩阵（macro-F1 {report.macro_f1:.3f}）")
    fig.tight_layout()
    return fig


def plot_per_class(report: EvaluationReport) -> Figure:
    """Grouped bars of precision, recall and F1 per label."""
    fig, ax = _figure()
    x = np.arange(len(LABELS))
    for offset, (name, values) in zip(
        (-0.25, 0, 0.25), (("精确率", report.precision), ("召回率", report.recall), ("F1", report.f1))
    ):
        ax.bar(x + offset, [values[label] for label in LABELS], width=0.25, label=name)
    ax.set_xticks(x, _zh(LABELS), fontsize=8)
    # the legend sits in a band above the tallest bar, where it hides none (其他 included)
    ax.set_ylim(0, 1.2)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_title("各类别的精确率、召回率与 F1")
    ax.legend(loc="upper center", ncol=3, frameon=False)
    fig.tight_layout()
    return fig


def plot_calibration(table: pd.DataFrame) -> Figure:
    """Reliability diagram from :func:`report.calibration_table`."""
    fig, ax = _figure(5, 5)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="完美校准")
    ax.plot(table["confidence"], table["accuracy"], marker="o", label="模型")
    ax.set_xlabel("平均置信度")
    ax.set_ylabel("实际准确率")
    ax.set_title("可靠性图（概率校准）")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_coverage(curve: pd.DataFrame, threshold: float | None = None) -> Figure:
    """Accuracy on answered texts and coverage as the abstain threshold moves."""
    fig, ax = _figure()
    ax.plot(curve["threshold"], curve["coverage"], marker=".", label="覆盖率（不弃权的比例）")
    ax.plot(curve["threshold"], curve["accuracy_answered"], marker=".", label="已回答部分的准确率")
    ax.plot(curve["threshold"], curve["macro_f1"], marker=".", label="macro-F1")
    if threshold is not None:
        ax.axvline(threshold, color="red", linestyle=":", label=f"模型阈值 {threshold:.2f}")
    ax.set_xlabel("弃权阈值")
    # the curves live near the top: a 0–1 axis would flatten them into one line
    lowest = float(np.nanmin(curve[["coverage", "accuracy_answered", "macro_f1"]].to_numpy()))
    ax.set_ylim(max(0.0, lowest - 0.05 * (1.0 - lowest) - 0.01), 1.005)
    ax.set_title("准确率与覆盖率随阈值的变化")
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


def plot_category_counts(classified: pd.DataFrame) -> Figure:
    """Bar chart of predicted categories in a classified DataFrame."""
    fig, ax = _figure()
    counts = classified["category"].value_counts().reindex(list(LABELS), fill_value=0)
    ax.bar(_zh(LABELS), counts.to_numpy())
    ax.set_ylabel("条数")
    ax.set_title("分类结果")
    fig.tight_layout()
    return fig


def plot_confidence(classified: pd.DataFrame, threshold: float | None = None) -> Figure:
    """Histogram of confidence in a classified DataFrame."""
    fig, ax = _figure()
    values = classified.loc[classified["status"] != "empty_text", "confidence"].astype(float)
    ax.hist(values, bins=20, range=(0, 1))
    if threshold is not None:
        ax.axvline(threshold, color="red", linestyle=":", label=f"弃权阈值 {threshold:.2f}")
        ax.legend()
    ax.set_xlabel("置信度")
    ax.set_ylabel("条数")
    ax.set_title("置信度分布")
    fig.tight_layout()
    return fig


def plot_learning_curve(curve: dict[str, Any], sources: dict[str, str] | None = None) -> Figure:
    """Macro-F1 (95 % bootstrap interval) against the number K of a source's rows added to the corpus.

    ``curve`` is the content of ``data/eval/adapt_curve.json`` (``classifier.tools.adapt_curve``).
    """
    sources = sources or {"unionpay": "银联 95516 问题（逐条标注）", "realdev": "realdev 真实投诉"}
    fig, ax = _figure()
    for source, title in sources.items():
        points = sorted(
            (int(key[1:].split("-")[0]), value["macro_f1"])
            for key, value in curve.get(source, {}).items()
            if key.startswith("k")
        )
        if not points:
            continue
        ks = [k for k, _ in points]
        mid = np.array([v[0] for _, v in points])
        low = np.array([v[1] for _, v in points])
        high = np.array([v[2] for _, v in points])
        line = ax.plot(ks, mid, marker="o", label=title)[0]
        ax.fill_between(ks, low, high, alpha=0.2, color=line.get_color())
    ax.set_xlabel("加入语料的本来源标注条数 K（5 折，其余行做测试）")
    ax.set_ylabel("macro-F1（95% 区间）")
    ax.set_ylim(0, 1.0)
    ax.set_title(f"适配的学习曲线（权重 {curve.get('weight', '?')}）")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
