"""Data shaping for the notebooks and the data card: counts, terms, curves, queues.

Everything here returns pandas objects; :mod:`classifier.plots` draws them.

>>> import pandas as pd
>>> df = pd.DataFrame({"label": ["payment", "other"], "domain": ["wallet", "wallet"],
...                    "style": ["plain", "terse"], "split": ["train", "test"], "text": ["扣了钱", "好"]})
>>> int(corpus_counts(df)["label_by_split"].loc["payment", "train"])
1
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.feature_selection import chi2
from sklearn.metrics import f1_score

from ..engine.scorer import Model, decide_texts
from ..errors import InputFileError
from ..labels import LABEL_NAMES_ZH, LABELS, OTHER
from ..model.estimator import ComplaintClassifier
from ..paths import checkout_root
from ..text.normalize import PLACEHOLDERS
from ..text.tokenizer import JiebaTokenizer

__all__ = [
    "BOUNDARY_PATTERNS",
    "boundary_examples",
    "calibration_table",
    "corpus_card_tables",
    "corpus_counts",
    "coverage_curve",
    "distinctive_terms",
    "feature_label",
    "load_corpus",
    "markdown_table",
    "predictions_frame",
    "review_queue",
    "text_lengths",
    "top_features",
    "worst_mistakes",
]

# Boundary cases of data/LABELING.md, found by the words that usually carry them.
BOUNDARY_PATTERNS = {
    "付了钱但权益没到（payment）": ("payment", r"会员|点券|话费|充值|出票|开通"),
    "显示错误但没动钱（data_error）": ("data_error", r"余额|积分|显示|账单"),
    "支付页面故障但没扣钱（service_interruption）": ("service_interruption", r"支付|付款|收银台"),
    "设备硬件故障（other）": (OTHER, r"黑屏|死机|坏了|充不进|屏幕"),
    "商家拒绝退款（other）": (OTHER, r"退款|不退|拒绝"),
}


def load_corpus(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The training corpus (``data/complaints.csv``) as a DataFrame of strings.

    The corpus is in the repository, not in the installed package: without ``path`` it is read
    from a clone (:func:`~classifier.paths.checkout_root`; ``complaint-classifier bench`` and the
    notebooks use it).
    """
    source = Path(path) if path else checkout_root() / "data" / "complaints.csv"
    if not source.is_file():
        if path:
            raise InputFileError(f"{source} does not exist")
        raise InputFileError(
            "the training corpus (data/complaints.csv) is in the project's repository, not in the "
            "installed package: run this from a clone of the repository (or a folder inside it)"
        )
    return pd.read_csv(source, dtype=str, keep_default_na=False)


def corpus_counts(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Cross-tabulations of the corpus: label × split, domain × label, style × label."""
    return {
        "label_by_split": pd.crosstab(df["label"], df["split"]).reindex(list(LABELS), fill_value=0),
        "domain_by_label": pd.crosstab(df["domain"], df["label"]).reindex(columns=list(LABELS), fill_value=0),
        "style_by_label": pd.crosstab(df["style"], df["label"]).reindex(columns=list(LABELS), fill_value=0),
    }


def text_lengths(df: pd.DataFrame) -> pd.DataFrame:
    """Length statistics (characters) per label."""
    lengths = df.assign(length=df["text"].str.len())
    return (
        lengths.groupby("label")["length"]
        .describe()[["count", "mean", "50%", "min", "max"]]
        .reindex(list(LABELS))
    )


def distinctive_terms(df: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    """The k jieba terms most associated with each label (chi-squared over document counts)."""
    vectorizer = CountVectorizer(
        tokenizer=JiebaTokenizer(), token_pattern=None, lowercase=False, min_df=3, binary=True
    )
    X = vectorizer.fit_transform(df["text"])
    names = vectorizer.get_feature_names_out()
    columns = {}
    for label in LABELS:
        y = (df["label"] == label).to_numpy()
        scores, _ = chi2(X, y)
        positive = np.asarray(X[y].mean(axis=0)).ravel() > np.asarray(X[~y].mean(axis=0)).ravel()
        scores = np.where(positive, np.nan_to_num(scores), -1)
        columns[label] = [names[i] for i in np.argsort(-scores)[:k]]
    return pd.DataFrame(columns)


def boundary_examples(df: pd.DataFrame, n: int = 3, seed: int = 0) -> pd.DataFrame:
    """A few corpus rows for each boundary case of the labelling guide."""
    rows = []
    for case, (label, pattern) in BOUNDARY_PATTERNS.items():
        hits = df[(df["label"] == label) & df["text"].str.contains(pattern, regex=True)]
        for text in hits.sample(min(n, len(hits)), random_state=seed)["text"]:
            rows.append({"case": case, "label": label, "text": text})
    return pd.DataFrame(rows)


def predictions_frame(model: Model, texts: list[str], labels: list[str]) -> pd.DataFrame:
    """One row per text: true label, prediction (after the content guard), confidence, the four
    probabilities, whether the model abstained and whether the guard sent it to review."""
    proba = model.score_texts(list(texts))[0]  # (not predict_proba: the guard's answer follows)
    predicted, confidence, abstained, review = decide_texts(model, list(texts), proba)
    frame = pd.DataFrame(
        {"text": list(texts), "label": list(labels), "predicted": predicted, "confidence": confidence}
    )
    frame["abstained"] = abstained
    frame["needs_review"] = review
    for i, c in enumerate(model.classes_):
        frame[f"prob_{c}"] = proba[:, i]
    frame["top"] = np.asarray(model.classes_)[proba.argmax(axis=1)]
    return frame


def coverage_curve(predictions: pd.DataFrame, thresholds: Any = None) -> pd.DataFrame:
    """Accuracy on answered texts and coverage as the abstain threshold moves."""
    thresholds = np.round(np.arange(0.25, 0.96, 0.05), 2) if thresholds is None else thresholds
    rows = []
    for t in thresholds:
        answered = predictions["confidence"] >= t
        answer = np.where(answered, predictions["top"], OTHER)
        covered = predictions[answered]
        rows.append(
            {
                "threshold": float(t),
                "coverage": float(answered.mean()),
                "accuracy_answered": float((covered["top"] == covered["label"]).mean())
                if len(covered)
                else np.nan,
                "macro_f1": float(
                    f1_score(predictions["label"], answer, labels=list(LABELS), average="macro")
                ),
            }
        )
    return pd.DataFrame(rows)


def calibration_table(predictions: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Mean confidence vs accuracy of the top label, by confidence bin (a reliability table)."""
    edges = np.linspace(0, 1, bins + 1)
    bucket = np.clip(np.digitize(predictions["confidence"], edges) - 1, 0, bins - 1)
    frame = predictions.assign(bin=bucket, correct=predictions["top"] == predictions["label"])
    table = frame.groupby("bin").agg(
        confidence=("confidence", "mean"), accuracy=("correct", "mean"), n=("correct", "size")
    )
    return table.reset_index(drop=True)


# placeholders as a reader of a feature table sees them (no text to map them back to)
_PLACEHOLDER_NAMES_ZH = {
    "<money>": "［金额］",
    "<orderno>": "［订单号］",
    "<phone>": "［电话］",
    "<date>": "［日期］",
    "<time>": "［时间］",
    "<url>": "［网址］",
    "<version>": "［版本号］",
    "<num>": "［数字］",
}


def feature_label(name: str) -> str:
    """A feature name (``words__扣了 <money>``, ``chars__款失``) as a table shows it: words as they
    are (扣了 ［金额］), character n-grams in 「」, placeholders named in Chinese.

    >>> feature_label("words__扣了 <money>"), feature_label("chars__了\ue001")
    ('扣了 ［金额］', '「了［金额］」')
    """
    channel, _, term = name.partition("__")
    for char, token in PLACEHOLDERS.items():
        term = term.replace(char, token)
    for token, shown in _PLACEHOLDER_NAMES_ZH.items():
        term = term.replace(token, shown)
    return f"「{term}」" if channel == "chars" else term


def top_features(model: ComplaintClassifier, k: int = 12) -> pd.DataFrame:
    """The k features with the largest weight for each label in the linear model."""
    coef = model._linear_model().coef_
    names = model._feature_names()
    columns = {}
    for i, label in enumerate(model.classes_):
        order = np.argsort(-coef[i])[:k]
        columns[str(label)] = [f"{feature_label(str(names[j]))}（{coef[i, j]:.2f}）" for j in order]
    return pd.DataFrame(columns)[list(LABELS)]


def worst_mistakes(model: Model, predictions: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    """The most confident wrong answers, with the reasons the model gives."""
    wrong = predictions[predictions["predicted"] != predictions["label"]].nlargest(k, "confidence")
    reasons = [
        ", ".join(r.term for r in result.reasons[:4]) for result in model.classify(wrong["text"].tolist())
    ]
    return wrong.assign(reasons=reasons)[["text", "label", "predicted", "confidence", "reasons"]]


def review_queue(classified: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The n least confident classified rows: what a person should check first."""
    rows = classified[classified["status"].isin(["ok", "truncated", "decode_error"])]
    confidence = rows["confidence"].astype(float)
    return rows.assign(confidence=confidence).nsmallest(n, "confidence")


def markdown_table(frame: pd.DataFrame, index_name: str = "") -> str:
    """A GitHub-flavoured Markdown table (no extra dependency)."""
    header = [index_name or (frame.index.name or "")] + [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, row in frame.iterrows():
        lines.append("| " + " | ".join([str(index)] + [str(v) for v in row]) + " |")
    return "\n".join(lines)


def corpus_card_tables(df: pd.DataFrame) -> str:
    """The count tables of ``data/README.md`` for this corpus (a test keeps the card in sync)."""
    counts = corpus_counts(df)
    label_split = counts["label_by_split"].copy()
    label_split.index = [f"{label} {LABEL_NAMES_ZH[label]}" for label in label_split.index]
    label_split["total"] = label_split.sum(axis=1)
    domain = counts["domain_by_label"].copy()
    domain["total"] = domain.sum(axis=1)
    style = counts["style_by_label"].copy()
    style["total"] = style.sum(axis=1)
    style["share"] = (style["total"] / len(df)).map(lambda v: f"{v:.1%}")
    return "\n\n".join(
        [
            f"Rows: {len(df)} (train {int((df['split'] == 'train').sum())}, test {int((df['split'] == 'test').sum())})",
            markdown_table(label_split, "label"),
            markdown_table(domain, "domain"),
            markdown_table(style, "style"),
        ]
    )
