"""The complaint classifier: word + character TF-IDF, a calibrated linear SVM, an abstain threshold.

>>> from classifier import ComplaintClassifier
>>> model = ComplaintClassifier.load()          # the bundled default model
>>> model.predict(["付款显示失败但银行卡扣了199元", "会员开了视频一直黑屏"])
array(['payment', 'service_interruption'], dtype=object)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any, ClassVar, overload

import joblib
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._param_validation import InvalidParameterError as SklearnParameterError

from ..advice.result import Reason, Result
from ..engine.guard import ContentGuard
from ..engine.lean import LEAN_ARRAYS, LEAN_FORMAT, LEAN_META, LeanModel
from ..engine.reasons import RAW_REASONS, readable_reasons, reasons_from
from ..engine.scorer import MAX_TEXT_CHARS, Scores, check_texts, classify_with, decide_texts
from ..errors import (
    InvalidParameterError,
    LeanUnsupported,
    ModelIntegrityError,
    NotFittedError,
    TrainingDataError,
    UntrustedModelError,
)
from ..fileformat import (
    FORMAT,
    MODEL_FILE,
    SIDECAR_FILE,
    check_compatible,
    library_versions,
    model_directory,
    read_sidecar,
    sha256_file,
    verify_file,
    write_model_directory,
    write_sidecar,
)
from ..labels import LABELS, OTHER
from ..paths import packaged_model_dir
from ..text.normalize import normalize_text
from ..text.tokenizer import JiebaTokenizer

__all__ = [
    "ComplaintClassifier",
    "TextNormalizer",
    "MAX_TEXT_CHARS",
    "choose_evidence_threshold",
    "choose_threshold",
]

Folds = list[tuple[np.ndarray, np.ndarray]]

_MIN_ROWS_PER_LABEL = 5
# The length of a terse complaint ("ATM没出钞但扣款了"): the content guard's bar is set on these.
SHORT_TEXT = 12


class TextNormalizer(TransformerMixin, BaseEstimator):
    """Pipeline step applying :func:`classifier.normalize.normalize_text` to every text."""

    def __init__(self, traditional: bool = True) -> None:
        self.traditional = traditional

    def fit(self, X: Iterable[str], y: object = None) -> TextNormalizer:
        """Nothing to learn."""
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        """Every text normalised."""
        return [normalize_text(t, traditional=self.traditional) for t in X]

    def __sklearn_is_fitted__(self) -> bool:
        return True


def choose_threshold(
    proba: np.ndarray,
    y: Sequence[str],
    classes: Sequence[str],
    sample_weight: np.ndarray | None = None,
    folds: Sequence[np.ndarray] | None = None,
) -> float:
    """Pick the abstain threshold that maximises macro-F1 on held-out probabilities.

    Texts whose top probability is below the threshold are answered ``other``. Ties go to the
    lowest threshold, so the model abstains no more than it has to. With ``sample_weight``,
    each text counts as many times as its weight.

    With ``folds`` (the held-out rows of each fold), the one-standard-error rule: the lowest
    threshold whose mean macro-F1 over the folds is within one standard error of the best
    mean. Abstaining costs an answer on every text it touches, so it has to gain more than the
    folds' own noise; a curve that is flat within that noise keeps every answer.
    """
    ordered = np.asarray(classes)
    top = proba.argmax(axis=1)
    conf = proba.max(axis=1)
    predicted = ordered[top]
    truth = np.asarray(y)
    weights = np.ones(len(truth)) if sample_weight is None else np.asarray(sample_weight)
    parts = [np.arange(len(truth))] if not folds else [np.asarray(f) for f in folds]
    thresholds = np.round(np.arange(0.25, 0.81, 0.01), 2)
    scores = np.empty((len(thresholds), len(parts)))
    for i, t in enumerate(thresholds):
        answer = np.where(conf < t, OTHER, predicted)
        for j, rows in enumerate(parts):
            scores[i, j] = f1_score(
                truth[rows],
                answer[rows],
                labels=list(LABELS),
                average="macro",
                zero_division=0,
                sample_weight=weights[rows],
            )
    mean = scores.mean(axis=1)
    best = int(np.argmax(mean))  # the first (lowest) of equal bests
    if len(parts) < 2:
        return float(thresholds[best])
    standard_error = scores[best].std(ddof=1) / np.sqrt(len(parts))
    return float(thresholds[np.flatnonzero(mean >= mean[best] - standard_error)[0]])


def _min_rows_per_label(cv: int, auto_threshold: bool) -> int:
    """The fewest rows of each label ``fit`` can use: calibration splits them into ``cv`` folds,
    and choosing the threshold calibrates on each of ``cv`` outer folds' training part.

    >>> _min_rows_per_label(5, True), _min_rows_per_label(5, False), _min_rows_per_label(3, True)
    (7, 5, 5)
    """
    needed = max(_MIN_ROWS_PER_LABEL, cv)
    if auto_threshold:
        while needed - -(-needed // cv) < cv:  # the outer fold holds out ceil(n / cv) of them
            needed += 1
    return needed


def _min_groups(cv: int, nested: bool) -> int:
    """The fewest groups grouped folds can use: ``cv``, or, when each fold's training part is
    folded again (choosing the thresholds), enough that every fold leaves ``cv`` of them.

    >>> _min_groups(5, True), _min_groups(5, False), _min_groups(3, True)
    (7, 5, 5)
    """
    needed = cv
    if nested:
        while needed - -(-needed // cv) < cv:  # a fold holds out ceil(n / cv) equal groups
            needed += 1
    return needed


def choose_evidence_threshold(
    proba: np.ndarray,
    evidence: np.ndarray,
    y: Sequence[str],
    classes: Sequence[str],
    threshold: float,
    quantile: float,
    lengths: Sequence[int],
) -> float:
    """The content guard's evidence threshold, from held-out predictions.

    Among short held-out failure texts (at most :data:`SHORT_TEXT` characters) that the model
    answered correctly (top class = label, above the abstain threshold), the ``quantile`` of
    their evidence for that class. Evidence grows with length, so short complaints — the
    thinnest real ones, "一直闪退", "扣钱了" — set the bar: about that share of them would be
    sent to review, and every text with less evidence is. (All lengths are used if fewer than
    100 texts are short.)
    """
    top = np.asarray(classes)[proba.argmax(axis=1)]
    right = (top == np.asarray(y)) & (top != OTHER) & (proba.max(axis=1) >= threshold)
    short = right & (np.asarray(lengths) <= SHORT_TEXT)
    chosen = short if short.sum() >= 100 else right
    if quantile <= 0 or not chosen.any():
        return 0.0
    return float(np.quantile(evidence[chosen], quantile))


def _terms_of(vectorizer: TfidfVectorizer) -> list[str]:
    """A fitted vectorizer's terms in the order of its feature indices."""
    ordered = [""] * len(vectorizer.vocabulary_)
    for term, index in vectorizer.vocabulary_.items():
        ordered[index] = term
    return ordered


def _guard_of(pipeline: Pipeline, threshold: float, traditional: bool) -> ContentGuard:
    """The content guard of a fitted pipeline: its character channel's weights and, with
    concept tags, the content tags' weights in the word channel."""
    words, chars = (t for _, t in pipeline.named_steps["features"].transformer_list)
    coef = pipeline[-1].calibrated_classifiers_[0].estimator.coef_
    word_terms = _terms_of(words)
    n_words = len(word_terms)
    return ContentGuard.from_model_arrays(
        _terms_of(chars),
        chars.idf_,
        coef[:, n_words:],
        threshold,
        traditional=traditional,
        tags=ContentGuard.tag_weights(word_terms, words.idf_, coef[:, :n_words]),
    )


def _row(X: Any, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of row ``i`` of a CSR matrix, without building a new matrix."""
    start, end = X.indptr[i], X.indptr[i + 1]
    return X.indices[start:end], X.data[start:end]


def _check_weights(sample_weight: Sequence[float] | np.ndarray | None, n: int) -> np.ndarray | None:
    """``sample_weight`` as a float array of length ``n`` (or ``None``), or a TrainingDataError."""
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.shape != (n,):
        raise TrainingDataError(
            f"sample_weight has shape {weights.shape}; expected one weight per text ({n})"
        )
    if not np.all(np.isfinite(weights)) or np.any(weights <= 0):
        raise TrainingDataError(
            "sample_weight must be finite and positive (drop a row instead of weighing it 0)"
        )
    return weights


def _text_digest(text: str) -> bytes:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).digest()[:8]


class ComplaintClassifier(ClassifierMixin, BaseEstimator):
    """Classify Chinese complaints into payment / service_interruption / data_error / other.

    Parameters
    ----------
    C : regularisation of the linear SVM (smaller = stronger).
    word_ngram_range, char_ngram_range : n-gram ranges of the jieba-word and character channels.
    min_df : drop n-grams seen in fewer training texts.
    calibration : ``"sigmoid"`` or ``"isotonic"`` probability calibration.
    threshold : abstain threshold, or ``"auto"`` to choose it on cross-validated predictions.
    evidence_quantile : the content guard's threshold is this quantile of the evidence of short,
        correctly answered held-out failure texts (0 keeps only the guard's no-content rule).
    cv : folds for calibration and for choosing the thresholds (grouped when ``fit`` gets
        ``groups``: whole writing batches are held out, as new text would be).
    random_state : seed; the same data and seed give the same model.
    traditional, user_dict, hmm, backend : tokenizer settings (see :class:`JiebaTokenizer`).
    concepts : also give the word channel each text's concept tags (:mod:`classifier.text.concepts`):
        "money taken", "did not arrive", "the user's own slip", whatever words said it.
        Models saved before this setting existed answer as they did (``False``).
    """

    classes_: np.ndarray
    threshold_: float
    evidence_threshold_: float
    pipeline_: Pipeline
    training_digests_: frozenset[bytes]
    n_training_rows_: int
    metadata_: dict[str, Any]

    # checked at fit (scikit-learn's declared constraints): a bad value is named, not a deep error
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "word_ngram_range": [tuple, list],
        "char_ngram_range": [tuple, list],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "calibration": [StrOptions({"sigmoid", "isotonic"})],
        "threshold": [Interval(Real, 0, 1, closed="both"), StrOptions({"auto"})],
        "evidence_quantile": [Interval(Real, 0, 1, closed="both")],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "traditional": ["boolean"],
        "user_dict": ["boolean"],
        "hmm": ["boolean"],
        "backend": [StrOptions({"auto", "jieba", "rjieba"})],
        "concepts": ["boolean"],
    }

    def __init__(
        self,
        *,
        C: float = 0.5,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 2,
        calibration: str = "sigmoid",
        threshold: float | str = "auto",
        evidence_quantile: float = 0.01,
        cv: int = 5,
        random_state: int = 0,
        traditional: bool = True,
        user_dict: bool = True,
        hmm: bool = False,
        backend: str = "auto",
        concepts: bool = True,
    ) -> None:
        self.C = C
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.calibration = calibration
        self.threshold = threshold
        self.evidence_quantile = evidence_quantile
        self.cv = cv
        self.random_state = random_state
        self.traditional = traditional
        self.user_dict = user_dict
        self.hmm = hmm
        self.backend = backend
        self.concepts = concepts

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("concepts", False)  # pickled before concept tags existed
        if isinstance(state.get("training_digests_"), tuple):
            state["training_digests_"] = frozenset(state["training_digests_"])
        super().__setstate__(state)

    # ------------------------------------------------------------------ building
    def tokenizer(self) -> JiebaTokenizer:
        """The word tokenizer this model uses (texts reach it already normalised)."""
        return JiebaTokenizer(
            user_dict=self.user_dict,
            hmm=self.hmm,
            normalize=False,
            traditional=self.traditional,
            backend=self.backend,
            concepts=self.concepts,
        )

    def build_pipeline(self, calibration_folds: Folds | None = None) -> Pipeline:
        """A fresh, unfitted scikit-learn pipeline with this model's settings.

        ``calibration_folds``: the folds the calibration holds out (default: stratified folds).
        """
        words = TfidfVectorizer(
            tokenizer=self.tokenizer(),
            token_pattern=None,  # the default pattern would drop 钱, 卡, 退, 扣
            lowercase=False,  # normalize_text already lower-cased Latin letters
            ngram_range=tuple(self.word_ngram_range),
            min_df=self.min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        chars = TfidfVectorizer(
            analyzer="char",
            lowercase=False,
            ngram_range=tuple(self.char_ngram_range),
            min_df=self.min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        svm = LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state)
        folds: Any = calibration_folds or StratifiedKFold(
            self.cv, shuffle=True, random_state=self.random_state
        )
        return Pipeline(
            [
                ("normalize", TextNormalizer(traditional=self.traditional)),
                ("features", FeatureUnion([("words", words), ("chars", chars)])),
                ("model", CalibratedClassifierCV(svm, method=self.calibration, cv=folds, ensemble=False)),
            ]
        )

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        texts: Iterable[str],
        labels: Iterable[object],
        sample_weight: Sequence[float] | np.ndarray | None = None,
        groups: Iterable[object] | None = None,
    ) -> ComplaintClassifier:
        """Fit on texts and their labels; choose the abstain and evidence thresholds.

        ``sample_weight`` (optional, one per text): how much each text counts (e.g. a team's own
        rows over the bundled corpus); it reaches the SVM, the calibration and the threshold choice.
        ``groups`` (optional, one per text): the writing batch or source of each text. With it,
        calibration and the thresholds are chosen on folds that hold out whole groups, so they
        are set on text unlike the rest — as real complaints are — rather than on close
        relatives of the training rows.

        ``sample_weight`` (one positive number per text) makes a text count that many times, in
        the SVM, in the calibration and in choosing the threshold; ``None`` weighs every text 1.

        >>> texts = ["扣了钱没到账", "重复扣款", "页面打不开", "一直黑屏",
        ...          "积分清零了", "订单信息错了", "快递太慢", "服务态度差"] * 3
        >>> labels = ["payment"] * 2 + ["service_interruption"] * 2 + ["data_error"] * 2 + ["other"] * 2
        >>> m = ComplaintClassifier(cv=2, evidence_quantile=0).fit(texts, labels * 3)
        >>> m.predict(["重复扣款了"])
        array(['payment'], dtype=object)
        """
        try:
            self._validate_params()
        except SklearnParameterError as exc:
            raise InvalidParameterError(str(exc)) from None
        for name in ("word_ngram_range", "char_ngram_range"):
            low, high = (tuple(getattr(self, name)) + (0, 0))[:2]
            if len(tuple(getattr(self, name))) != 2 or not 1 <= low <= high:
                raise InvalidParameterError(
                    f"The {name!r} parameter of ComplaintClassifier must be (low, high) with 1 <= low <= high. "
                    f"Got {getattr(self, name)!r} instead."
                )
        texts = check_texts(texts)
        names = [str(label) for label in labels]
        if len(texts) != len(names):
            raise TrainingDataError(f"{len(texts)} texts but {len(names)} labels")
        unknown = sorted(set(names) - set(LABELS))
        if unknown:
            raise TrainingDataError(f"unknown labels {unknown}; allowed: {', '.join(LABELS)}")
        counts = {label: names.count(label) for label in LABELS}
        needed = _min_rows_per_label(self.cv, self.threshold == "auto" or self.evidence_quantile > 0)
        few = {k: v for k, v in counts.items() if v < needed}
        if few:
            raise TrainingDataError(f"too few training rows for {few}; each label needs at least {needed}")
        weights = _check_weights(sample_weight, len(texts))
        fit_params = {} if weights is None else {"model__sample_weight": weights}
        texts = [t[:MAX_TEXT_CHARS] for t in texts]
        group_ids = self._check_groups(groups, names)
        classes = sorted(LABELS)
        proba = evidence = None
        held_out_folds: list[np.ndarray] = []
        if self.threshold == "auto" or self.evidence_quantile > 0:
            proba, evidence, held_out_folds = self._held_out(texts, names, group_ids, weights)
        self.threshold_ = (
            choose_threshold(proba, names, classes, sample_weight=weights, folds=held_out_folds)
            if self.threshold == "auto" and proba is not None
            else float(self.threshold)
        )
        self.evidence_threshold_ = (
            choose_evidence_threshold(
                proba,
                evidence,
                names,
                classes,
                self.threshold_,
                self.evidence_quantile,
                [len(t) for t in texts],
            )
            if proba is not None and evidence is not None
            else 0.0
        )
        self.pipeline_ = self.build_pipeline(self._folds(names, group_ids)).fit(texts, names, **fit_params)
        self.classes_ = np.asarray(self.pipeline_.classes_)
        self.training_digests_ = frozenset(_text_digest(t) for t in texts)
        self.n_training_rows_ = len(texts)
        self.__dict__.pop("_guard_cache", None)
        return self

    def _check_groups(self, groups: Iterable[object] | None, names: list[str]) -> np.ndarray | None:
        if groups is None:
            return None
        ids = np.asarray([str(g) for g in groups])
        if len(ids) != len(names):
            raise TrainingDataError(f"{len(names)} texts but {len(ids)} groups")
        problem = self.groups_problem(ids, names)
        if problem:
            raise TrainingDataError(problem)
        return ids

    def groups_problem(self, groups: Iterable[object], labels: Iterable[object]) -> str | None:
        """Why ``groups`` cannot give :meth:`fit` its grouped folds; ``None`` when they can.

        Folds hold out whole groups, and every fold must leave rows of each label to train on.
        Choosing the thresholds folds each fold's training part again, so every one of the
        ``cv`` folds must also leave at least ``cv`` groups: with ``cv=5`` that takes 7 groups
        (more when their sizes differ a lot).

        >>> labels = ["payment", "service_interruption", "data_error", "other"] * 35
        >>> ComplaintClassifier().groups_problem(list("abcde") * 28, labels)
        'grouped folds need at least 7 different groups with cv=5, got 5'
        >>> ComplaintClassifier().groups_problem(list("abcdefg") * 20, labels) is None
        True
        """
        ids = np.asarray([str(g) for g in groups])
        y = np.asarray([str(label) for label in labels])
        distinct = len(set(ids.tolist()))
        nested = self.threshold == "auto" or self.evidence_quantile > 0
        needed = _min_groups(self.cv, nested)
        if distinct < needed:
            return f"grouped folds need at least {needed} different groups with cv={self.cv}, got {distinct}"
        everything = set(y.tolist())
        for train, _ in GroupKFold(self.cv).split(ids, y, ids):
            parts = [train]
            if nested:
                left = len(set(ids[train].tolist()))
                if left < self.cv:
                    return (
                        f"grouped folds hold out whole groups, and these {distinct} groups differ so much "
                        f"in size that one of the {self.cv} folds leaves only {left} groups to train on "
                        f"(cv={self.cv} are needed); add groups or even out their sizes"
                    )
                parts += [train[inner] for inner, _ in GroupKFold(self.cv).split(train, y[train], ids[train])]
            for part in parts:
                missing = sorted(everything - set(y[part].tolist()))
                if missing:
                    return (
                        "grouped folds hold out whole groups, and one of them leaves no "
                        f"{', '.join(repr(m) for m in missing)} row to train on: the rows of a label must be "
                        "spread over more groups"
                    )
        return None

    def _folds(self, names: list[str], groups: np.ndarray | None) -> Folds | None:
        """Grouped folds when there are groups, else ``None`` (stratified folds)."""
        if groups is None:
            return None
        return list(GroupKFold(self.cv).split(names, names, groups))

    def _held_out(
        self, texts: list[str], names: list[str], groups: np.ndarray | None, weights: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Held-out probabilities and content evidence (for the top class) of every training text,
        and the rows each fold held out."""
        y = np.asarray(names)
        outer = self._folds(names, groups) or list(
            StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state).split(texts, y)
        )
        proba = np.zeros((len(texts), len(LABELS)))
        evidence = np.zeros(len(texts))
        for train, test in outer:
            inner = (
                None if groups is None else list(GroupKFold(self.cv).split(train, y[train], groups[train]))
            )
            fit_params = {} if weights is None else {"model__sample_weight": weights[train]}
            pipeline = self.build_pipeline(inner).fit([texts[i] for i in train], y[train], **fit_params)
            held = [texts[i] for i in test]
            proba[test] = pipeline.predict_proba(held)
            guard = _guard_of(pipeline, 0.0, self.traditional)
            normalized = pipeline[0].transform(held)
            top = proba[test].argmax(axis=1)
            evidence[test] = [guard.evidence(t, int(k)) for t, k in zip(normalized, top)]
        return proba, evidence, [test for _, test in outer]

    def _check_fitted(self) -> None:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError(
                "this ComplaintClassifier is not fitted; call fit(texts, labels) or "
                "ComplaintClassifier.load()"
            )

    # ------------------------------------------------------------------ predicting
    def _features(self, texts: list[str]) -> Any:
        return self.pipeline_[:-1].transform([t[:MAX_TEXT_CHARS] for t in texts])

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in ``classes_`` order."""
        self._check_fitted()
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        proba: np.ndarray = self.pipeline_[-1].predict_proba(self._features(texts))
        return proba

    @property
    def guard_(self) -> ContentGuard:
        """The content guard (:mod:`classifier.engine.guard`), built from the fitted weights."""
        self._check_fitted()
        guard: ContentGuard | None = self.__dict__.get("_guard_cache")
        if guard is None:
            threshold = getattr(self, "evidence_threshold_", 0.0)  # models fitted before the guard
            guard = self.__dict__["_guard_cache"] = _guard_of(self.pipeline_, threshold, self.traditional)
        return guard

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state = {k: v for k, v in state.items() if not k.endswith("_cache")}
        if "training_digests_" in state:  # sorted: a set's order changes from process to process
            state["training_digests_"] = tuple(sorted(state["training_digests_"]))
        return state

    def predict(self, texts: Iterable[str]) -> np.ndarray:
        """Label names (an array, as scikit-learn's): ``other`` below the abstain threshold and
        where the content guard flags the text."""
        texts = check_texts(texts)
        proba = self.predict_proba(texts)
        return np.asarray([str(label) for label in decide_texts(self, texts, proba)[0]], dtype=object)

    def was_trained_on(self, texts: Iterable[str]) -> list[bool]:
        """For each text, whether (after normalisation) it was one of the training texts."""
        self._check_fitted()
        return [_text_digest(t) in self.training_digests_ for t in check_texts(texts)]

    # ------------------------------------------------------------------ explaining
    def _linear_model(self) -> LinearSVC:
        return self.pipeline_[-1].calibrated_classifiers_[0].estimator

    def _feature_names(self) -> np.ndarray:
        names = getattr(self, "_feature_names_cache", None)
        if names is None:
            names = self.pipeline_[-2].get_feature_names_out()
            self._feature_names_cache = names
        return names

    def _reasons(
        self, indices: np.ndarray, values: np.ndarray, class_index: int, k: int = RAW_REASONS
    ) -> list[Reason]:
        coef = self._linear_model().coef_[class_index]
        names = self._feature_names()
        return reasons_from(lambda j: names[indices[j]], values * coef[indices], indices, k)

    def score_texts(self, texts: Iterable[str], *, reasons: bool = False) -> Scores:
        """(probabilities, each text's reasons or None): classify's numbers without the advice."""
        self._check_fitted()
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, len(self.classes_))), [] if reasons else None
        X = self._features(texts).tocsr()
        proba = self.pipeline_[-1].predict_proba(X)
        if not reasons:
            return proba, None
        tokenizer = self.pipeline_[-2].transformer_list[0][1].tokenizer  # the words channel's
        return proba, [
            readable_reasons(
                text[:MAX_TEXT_CHARS],
                self._reasons(*_row(X, i), int(p.argmax())),
                tokenizer,
                traditional=self.traditional,
            )
            for i, (text, p) in enumerate(zip(texts, proba))
        ]

    @overload
    def classify(self, texts: str) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too

    @overload
    def classify(self, texts: Iterable[str]) -> list[Result]: ...

    def classify(self, texts: str | Iterable[str]) -> Result | list[Result]:
        """Classify one text (→ :class:`Result`) or a list of texts (→ list of results).

        >>> ComplaintClassifier.load().classify("购物车的商品全没了").category
        'data_error'
        """
        return classify_with(self, texts)

    # ------------------------------------------------------------------ the lean engine
    def to_lean(self) -> LeanModel:
        """The same model as arrays, for answering without scikit-learn (:class:`LeanModel`).

        Raises :class:`~classifier.errors.LeanUnsupported` for settings the lean engine does not
        implement (isotonic calibration, a different tf or norm).
        """
        self._check_fitted()
        words, chars = (t for _, t in self.pipeline_.named_steps["features"].transformer_list)
        calibrated = self.pipeline_[-1].calibrated_classifiers_[0]
        linear = calibrated.estimator
        if calibrated.method != "sigmoid":
            raise LeanUnsupported("the lean engine implements sigmoid calibration only")

        tokenizer = self.tokenizer()
        meta = {
            "format": LEAN_FORMAT,
            "classes": [str(c) for c in self.classes_],
            "threshold": float(self.threshold_),
            "evidence_threshold": float(getattr(self, "evidence_threshold_", 0.0)),
            "word_ngram_range": list(words.ngram_range),
            "char_ngram_range": list(chars.ngram_range),
            "tokenizer": {**tokenizer.settings(), "backend": self.backend},
            "word_terms": _terms_of(words),
            "char_terms": _terms_of(chars),
        }
        arrays = {
            "word_idf": words.idf_.astype(np.float64),
            "char_idf": chars.idf_.astype(np.float64),
            "coef": linear.coef_.astype(np.float64),
            "intercept": np.asarray(linear.intercept_, dtype=np.float64),
            "calibration_a": np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64),
            "calibration_b": np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64),
        }
        for key, value in (("sublinear_tf", True), ("norm", "l2"), ("lowercase", False)):
            for vectorizer in (words, chars):
                if getattr(vectorizer, key) != value:
                    raise LeanUnsupported(f"the lean engine needs {key}={value!r}")
        return LeanModel(meta=meta, arrays=arrays)

    # ------------------------------------------------------------------ files
    def save(self, path: str | os.PathLike[str], *, metadata: dict[str, Any] | None = None) -> Path:
        """Write ``model.joblib``, the lean files and the ``model.json`` sidecar into directory ``path``.

        The files are written beside it and swapped in together
        (:func:`~classifier.fileformat.write_model_directory`): a save that fails or is
        interrupted (disk full, Ctrl-C) leaves the model that was there loading as before.
        """
        self._check_fitted()
        try:
            lean: LeanModel | None = self.to_lean()
        except LeanUnsupported:
            lean = None  # e.g. isotonic calibration: answers come from the pickle instead
        write_model_directory(
            path,
            lambda folder: self._write_files(folder, lean, metadata),
            owned=(MODEL_FILE, SIDECAR_FILE, LEAN_ARRAYS, LEAN_META),
        )
        return Path(path)

    def _write_files(self, directory: Path, lean: LeanModel | None, metadata: dict[str, Any] | None) -> None:
        target = directory / MODEL_FILE
        # scikit-learn's vectorizers remember id(stop_words), a memory address: left in, the same
        # training run would pickle different bytes each time (it is re-checked after loading)
        volatile = [
            step
            for step in self.pipeline_.get_params(deep=True).values()
            if "_stop_words_id" in getattr(step, "__dict__", {})
        ]
        addresses = [step.__dict__.pop("_stop_words_id") for step in volatile]
        try:
            joblib.dump(self, target, compress=3)
        finally:
            for step, address in zip(volatile, addresses, strict=True):
                step._stop_words_id = address
        lean_files = LeanModel.file_hashes(lean.save(directory)) if lean is not None else {}
        tokenizer = self.tokenizer()
        sidecar = {
            "format": FORMAT,
            "model_file": MODEL_FILE,
            "model_sha256": sha256_file(target),
            "lean_files": lean_files,
            "labels": list(LABELS),
            "classes": [str(c) for c in self.classes_],
            "threshold": self.threshold_,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.get_params().items()},
            "tokenizer": {
                "settings": tokenizer.settings(),
                "sha256": tokenizer.fingerprint(),
                "backend_at_training": tokenizer.backend_in_use(),
            },
            "training_rows": self.n_training_rows_,
            "versions": library_versions(),
        }
        sidecar.update(metadata or {})
        write_sidecar(directory, sidecar)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str] | None = None, *, trust_pickle: bool = False
    ) -> ComplaintClassifier:
        """Load a saved model after verifying its sidecar; ``None`` loads the bundled default.

        **This runs code from the file**: ``model.joblib`` is a pickle, and whoever can write the
        model directory (the pickle *and* the sidecar's hashes) can make loading it run any code.
        So a directory other than the one shipped with the package is only unpickled with
        ``trust_pickle=True``: pass it only for a directory you (or someone you trust) wrote.
        Answering needs no pickle: :func:`classifier.model.files.load_for_inference` reads the
        lean files. The pickle is opened only once its sha256 matches the sidecar and the
        libraries that wrote it are compatible with the ones installed.
        """
        directory = model_directory(path)
        sidecar = read_sidecar(directory)
        if not trust_pickle and not (path is None and directory == packaged_model_dir()):
            raise UntrustedModelError(
                f"loading {directory / sidecar['model_file']} would unpickle it, and unpickling runs "
                "code from the file; pass trust_pickle=True (CLI: --trust-pickle) only if you trust "
                "whoever wrote that directory. Classifying needs no pickle: use load_for_inference()."
            )
        check_compatible(sidecar, directory)
        model_path = verify_file(directory, sidecar["model_file"], sidecar["model_sha256"])
        model = joblib.load(model_path)
        if not isinstance(model, ComplaintClassifier):
            raise ModelIntegrityError(f"{model_path} does not hold a ComplaintClassifier")
        model.tokenizer().check_fingerprint(sidecar["tokenizer"]["sha256"], directory)
        model.metadata_ = sidecar
        return model
