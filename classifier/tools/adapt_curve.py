"""The gain from adaptation, cross-validated: the learning curve and the weight it uses.

For a labelled real-text source (realdev, or the UnionPay questions labelled one by one), split
its rows into 5 stratified folds; for each fold, add K rows of the other folds to the bundled
corpus (:func:`classifier.batch.adapt.combine_with_corpus`, weight W), train, and predict the
fold. Every row is predicted once per (K, W) by a model that never saw it; the pooled predictions
give macro-F1 with bootstrap 95 % intervals, and the gain over the corpus-only model (K = 0) a
paired interval. These models are measurements only and are never saved.

Only numbers are written (``data/eval/adapt_curve.json``): the texts stay in ``../shared/corpora``.

    python -m classifier.tools.adapt_curve --corpora ../shared/corpora -j 2

>>> k_rows(list(range(10)), 4, seed=0) == k_rows(list(range(10)), 4, seed=0)
True
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from ..batch.adapt import LabelledRows, bundled_corpus, combine_with_corpus
from ..errors import InputFileError
from ..fileformat import sha256_file
from ..model.estimator import ComplaintClassifier
from ..model.significance import bootstrap_f1, macro_f1
from ..paths import cache_dir, project_root
from .realtext import default_corpora_dir

__all__ = [
    "CURVE_FILE",
    "K_GRID",
    "WEIGHT_GRID",
    "k_rows",
    "learning_curve",
    "source_rows",
    "summarize",
    "write_folds",
]

K_GRID = (25, 50, 100, 200)
WEIGHT_GRID = (1.0, 3.0, 10.0, 30.0)
FOLDS = 5
CURVE_FILE = project_root() / "data" / "eval" / "adapt_curve.json"


def source_rows(name: str, corpora_dir: str | os.PathLike[str] | None = None) -> LabelledRows:
    """The labelled rows of a source: ``realdev`` or ``unionpay`` (question-level labels)."""
    folder = Path(corpora_dir) if corpora_dir else default_corpora_dir()
    if name == "realdev":
        frame = pd.read_csv(folder / "realdev.csv", dtype=str, keep_default_na=False)
        return LabelledRows(frame["text"].tolist(), frame["label"].tolist(), file="realdev.csv")
    if name == "unionpay":
        questions = pd.read_csv(folder / "unionpay_95516_questions.csv", dtype=str, keep_default_na=False)
        questions["nth"] = questions.groupby("question_id").cumcount().astype(str)
        labels = pd.read_csv(
            project_root() / "data" / "eval" / "unionpay_question_labels.csv",
            dtype=str,
            keep_default_na=False,
        )
        merged = labels.merge(questions, on=["question_id", "nth"], how="inner")
        return LabelledRows(merged["question"].tolist(), merged["label"].tolist(), file="unionpay_questions")
    raise InputFileError(f"unknown source {name!r}; use realdev or unionpay")


def write_folds(
    source: str,
    directory: str | os.PathLike[str],
    *,
    folds: int = 2,
    seed: int = 0,
    corpora_dir: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write a source's rows as ``folds`` stratified files ``<source>_fold<i>.csv`` (``text,label``).

    For the command-line bar: ``train --add`` one fold, ``compare`` on the others. Write them
    outside the repository: they hold third-party text.
    """
    rows = source_rows(source, corpora_dir)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    split = StratifiedKFold(folds, shuffle=True, random_state=seed).split(rows.texts, rows.labels)
    paths = []
    for i, (_, held) in enumerate(split, start=1):
        path = folder / f"{source}_fold{i}.csv"
        pd.DataFrame({"text": [rows.texts[j] for j in held], "label": [rows.labels[j] for j in held]}).to_csv(
            path, index=False
        )
        paths.append(path)
    return paths


def k_rows(pool: Sequence[int], k: int, *, seed: int) -> list[int]:
    """The first ``k`` of a seeded shuffle of ``pool``: nested (K = 25 ⊂ 50 ⊂ …), the same every run."""
    order = np.random.default_rng(seed).permutation(len(pool))
    return [int(pool[i]) for i in order[:k]]


def _fit_predict(
    rows: LabelledRows,
    own: list[int],
    held: list[int],
    weight: float,
    seed: int,
    target: Path,
    threshold: float | str = "auto",
) -> None:
    """Train on the corpus plus rows ``own`` and write the predictions of rows ``held`` to ``target``."""
    data = combine_with_corpus(
        LabelledRows([rows.texts[i] for i in own], [rows.labels[i] for i in own]), weight=weight
    )
    model = ComplaintClassifier(random_state=seed, threshold=threshold)
    model.fit(data.texts, data.labels, sample_weight=data.sample_weight)
    predicted = model.predict([rows.texts[i] for i in held])
    result = {"rows": held, "own": own, "predicted": predicted, "threshold": model.threshold_}
    target.write_text(json.dumps(result))


def _task_key(source: str, fold: int, k: int, weight: float) -> str:
    return f"{source}-f{fold}-k{k}-w{weight:g}"


def learning_curve(
    source: str,
    *,
    ks: Sequence[int] = K_GRID,
    weights: Sequence[float] = (3.0,),
    folds: int = FOLDS,
    seed: int = 0,
    jobs: int = 1,
    corpora_dir: str | os.PathLike[str] | None = None,
) -> dict[str, list[str]]:
    """Held-out predictions of every row for each (K, W): ``{"k100-w3": [label per row], …}``.

    Each fit's predictions are cached (in the package's cache directory) so a rerun only fits
    what is missing. K = 0 is the corpus-only model; its abstain threshold, chosen by
    cross-validation, is kept by the adapted models (so each fits in a sixth of the time).
    """
    from joblib import Parallel, delayed

    rows = source_rows(source, corpora_dir)
    split = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(rows.texts, rows.labels))
    # keyed by the corpus's hash: a changed corpus is measured afresh
    cache = cache_dir() / "adapt_curve" / f"{sha256_file(bundled_corpus())[:12]}-fixed-threshold"
    cache.mkdir(parents=True, exist_ok=True)
    tasks = []
    for fold, (pool, held) in enumerate(split):
        for k in ks:
            for weight in weights if k else ():
                key = _task_key(source, fold, min(k, len(pool)), weight)
                if not (cache / f"{key}.json").is_file():
                    own = k_rows(list(pool), k, seed=seed + fold)
                    tasks.append((key, own, [int(i) for i in held], weight))
    # the corpus-only model does not depend on the fold: fit it once (choosing its abstain
    # threshold by cross-validation, as train does), predict every row
    zero = cache / f"{source}-k0.json"
    if not zero.is_file():
        _fit_predict(rows, [], list(range(len(rows.texts))), 1.0, seed, zero)
    # the adapted models keep that threshold: a sixth of the fitting time (train --add chooses
    # it afresh; the command-line bar measures that path)
    threshold = json.loads(zero.read_text())["threshold"]
    Parallel(n_jobs=jobs)(
        delayed(_fit_predict)(rows, own, held, weight, seed, cache / f"{key}.json", threshold)
        for key, own, held, weight in tasks
    )
    out: dict[str, list[str]] = {}
    zero_predictions = json.loads(zero.read_text())["predicted"] if zero.is_file() else None
    smallest_pool = min(len(pool) for pool, _ in split)
    for k in ks:
        for weight in weights if k else (1.0,):
            predicted = [""] * len(rows.texts)
            for fold, (pool, held) in enumerate(split):
                if k == 0:
                    assert zero_predictions is not None
                    for i in held:
                        predicted[i] = zero_predictions[i]
                    continue
                cached = json.loads(
                    (cache / f"{_task_key(source, fold, min(k, len(pool)), weight)}.json").read_text()
                )
                for i, label in zip(cached["rows"], cached["predicted"]):
                    predicted[i] = label
            out[f"k{min(k, smallest_pool)}-w{weight:g}"] = predicted
    return out


def _corpus_test_score(
    rows: LabelledRows, own: list[int], weight: float, seed: int, threshold: float
) -> float:
    data = combine_with_corpus(
        LabelledRows([rows.texts[i] for i in own], [rows.labels[i] for i in own]), weight=weight
    )
    model = ComplaintClassifier(random_state=seed, threshold=threshold)
    model.fit(data.texts, data.labels, sample_weight=data.sample_weight)
    return macro_f1(data.test_labels, [str(x) for x in model.predict(data.test_texts)])


def corpus_cost(
    k: int = 100, weights: Sequence[float] = WEIGHT_GRID, *, seed: int = 0, jobs: int = 1
) -> dict[str, float]:
    """Macro-F1 on the corpus's own test split after adding K UnionPay rows (fold 0) at each weight.

    What a weight costs on the kind of text the corpus covers: the other side of the choice.
    """
    from joblib import Parallel, delayed

    rows = source_rows("unionpay")
    pool, _ = next(StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(rows.texts, rows.labels))
    own = k_rows([int(i) for i in pool], k, seed=seed)
    threshold = float(ComplaintClassifier.load().threshold_)
    grid = [(0, 1.0), *((k, w) for w in weights)]
    scores = Parallel(n_jobs=jobs)(
        delayed(_corpus_test_score)(rows, own[:n], w, seed, threshold) for n, w in grid
    )
    return {f"k{n}-w{w:g}": round(float(v), 4) for (n, w), v in zip(grid, scores)}


def summarize(
    labels: Sequence[str], predictions: dict[str, list[str]], *, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """Macro-F1 (95 % bootstrap interval) of each prediction and its gain over ``k0-w1`` (paired)."""
    out: dict[str, dict[str, Any]] = {}
    for name, predicted in predictions.items():
        pair = {"k0-w1": predictions["k0-w1"], name: predicted} if name != "k0-w1" else {name: predicted}
        scores = bootstrap_f1(labels, pair, seed=seed)
        out[name] = {
            "macro_f1": scores[name]["macro_f1"],
            "per_class": {label: scores[name][label] for label in scores[name] if label != "macro_f1"},
        }
        if "difference" in scores:
            out[name]["gain_over_k0"] = scores["difference"]["macro_f1"]
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Measure the curve (and the weight grid) and write ``data/eval/adapt_curve.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default=None, help="the shared corpora folder")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--only-weights", action="store_true", help="only the weight grid (UnionPay, K=100)")
    parser.add_argument(
        "--weight", type=float, default=None, help="the weight of the curve (default: DEFAULT_WEIGHT)"
    )
    parser.add_argument("-o", "--output", default=str(CURVE_FILE))
    parser.add_argument(
        "--write-folds", metavar="DIR", default=None, help="only write UnionPay's 2 stratified folds to DIR"
    )
    args = parser.parse_args(argv)
    if args.write_folds:
        for path in write_folds("unionpay", args.write_folds, corpora_dir=args.corpora):
            print(path)
        return
    from ..batch.adapt import DEFAULT_WEIGHT

    weight = args.weight or DEFAULT_WEIGHT
    report: dict[str, Any] = {"folds": FOLDS, "seed": 0, "k_grid": list(K_GRID), "weight": weight}
    grid = learning_curve(
        "unionpay", ks=(0, 100), weights=WEIGHT_GRID, jobs=args.jobs, corpora_dir=args.corpora
    )
    rows = source_rows("unionpay", args.corpora)
    report["weight_grid_unionpay_k100"] = summarize(rows.labels, grid)
    cost_file = cache_dir() / "adapt_curve" / f"{sha256_file(bundled_corpus())[:12]}-corpus-cost.json"
    if not cost_file.is_file():
        cost_file.write_text(json.dumps(corpus_cost(jobs=args.jobs)))
    report["corpus_test_after_k100_unionpay_rows"] = json.loads(cost_file.read_text())
    if not args.only_weights:
        for source in ("unionpay", "realdev"):
            rows = source_rows(source, args.corpora)
            curve = learning_curve(
                source, ks=(0, *K_GRID), weights=(weight,), jobs=args.jobs, corpora_dir=args.corpora
            )
            report[source] = {"n": len(rows.texts), **summarize(rows.labels, curve)}
    Path(args.output).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
