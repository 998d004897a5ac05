"""The contract every engine keeps, and the one way scores become :class:`Result` objects.

Four engines compute the same probabilities: the scikit-learn pipeline
(:class:`~classifier.model.estimator.ComplaintClassifier`), and the lean engine's three paths
(:mod:`.one_text`, :mod:`.numpy_batch`, :mod:`.kernel`). Each is a :class:`Scorer`; a
:class:`Model` is a scorer that also knows its classes and abstain threshold, which is all
:func:`classify_with` and the batch layer need. Importing this module does not import
scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Protocol, overload, runtime_checkable

import numpy as np

from ..advice.advise import advise
from ..advice.result import Reason, Result
from ..errors import InvalidInputError
from ..labels import LABEL_NAMES_ZH, LABELS, OTHER
from .guard import ContentGuard

__all__ = [
    "BATCH_CHARS",
    "BATCH_ROWS",
    "MAX_TEXT_CHARS",
    "Model",
    "Scorer",
    "Scores",
    "batches",
    "build_results",
    "check_texts",
    "classify_with",
    "decide",
    "decide_texts",
    "text_status",
]

# Longer texts are cut before classification (and get status "truncated"): complaints are
# short, and tokenising megabytes of text would stall a batch for no gain.
MAX_TEXT_CHARS = 5000
# Texts scored together by the batch paths: enough to amortise the per-call work, few enough
# (in rows and in characters) to keep the n-gram arrays to a few tens of megabytes.
BATCH_ROWS = 2000
BATCH_CHARS = 200_000

# (probabilities: one row per text, columns in classes_ order; each text's reasons or None)
Scores = tuple[np.ndarray, list[list[Reason]] | None]


@runtime_checkable
class Scorer(Protocol):
    """Anything that scores texts: the pipeline, the lean engine, and each of its paths."""

    def score_texts(self, texts: list[str], *, reasons: bool = False) -> Scores:
        """Probabilities (and, with ``reasons``, each text's reasons for its top class)."""
        ...


@runtime_checkable
class Model(Scorer, Protocol):
    """A scorer that answers: its classes, its abstain threshold, predict and classify."""

    classes_: np.ndarray
    threshold_: float

    @property
    def guard_(self) -> ContentGuard:
        """The content guard (:mod:`.guard`): which answers need a human look."""
        ...

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray: ...

    def predict(self, texts: Iterable[str]) -> np.ndarray: ...

    @overload
    def classify(self, texts: str) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too

    @overload
    def classify(self, texts: Iterable[str]) -> list[Result]: ...

    def classify(self, texts: str | Iterable[str]) -> Result | list[Result]:
        """One text (→ :class:`Result`) or a list (→ list of results)."""
        ...


def check_texts(texts: Any, what: str = "texts") -> list[str]:
    """A list of strings, or an :class:`InvalidInputError` (a ``TypeError``) that says what was wrong.

    >>> check_texts(("扣了钱",))
    ['扣了钱']
    """
    if isinstance(texts, (str, bytes)):
        raise InvalidInputError(
            f"{what} must be a list of strings, got a single {type(texts).__name__}; "
            "wrap it in a list, or use classify(text) for one text"
        )
    if not isinstance(texts, Iterable):
        raise InvalidInputError(f"{what} must be a list of strings, got {type(texts).__name__}")
    if isinstance(texts, (Mapping, AbstractSet)):
        # a dict would give its keys, a set its texts in no set order: neither is what was meant
        raise InvalidInputError(
            f"{what} must be a list of strings, got a {type(texts).__name__}; pass list(...) of the texts"
        )
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InvalidInputError(f"{what}[{i}] is {type(t).__name__}, not str")
    return texts


def decide(
    proba: np.ndarray, classes: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labels, confidence, abstained): ``other`` where the top probability is below threshold."""
    top = proba.argmax(axis=1)
    conf = proba.max(axis=1)
    abstain = conf < threshold
    return np.where(abstain, OTHER, classes[top]), conf, abstain


def decide_texts(
    model: Model, texts: Sequence[str], proba: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(labels, confidence, abstained, needs_review): :func:`decide`, then the content guard.

    Texts the guard flags are answered ``other``; their confidence stays the model's.
    """
    labels, conf, abstain = decide(proba, model.classes_, model.threshold_)
    answered = np.where(labels != OTHER, proba.argmax(axis=1), -1)
    cut = [text[:MAX_TEXT_CHARS] for text in texts]
    review = model.guard_.needs_review(cut, answered)
    return np.where(review, OTHER, labels), conf, abstain, review


def _decided_one(
    model: Model, text: str, proba: np.ndarray
) -> tuple[list[str], list[float], list[bool], list[bool]] | None:
    """:func:`decide_texts` of one text, in Python values (for one text NumPy's calls cost more
    than the comparisons); None where a probability is not a number (NumPy's rule then decides)."""
    row = proba[0].tolist()
    if any(p != p for p in row):
        return None
    confidence = max(row)
    top = row.index(confidence)  # the first largest, as argmax
    abstained = confidence < model.threshold_
    label = OTHER if abstained else str(model.classes_[top])
    answered = -1 if label == OTHER else top
    review = bool(model.guard_.needs_review([text[:MAX_TEXT_CHARS]], np.array([answered]))[0])
    return [OTHER if review else label], [confidence], [abstained], [review]


def text_status(text: str) -> str:
    """``empty_text``, ``truncated`` (longer than MAX_TEXT_CHARS) or ``ok``."""
    if not text.strip():
        return "empty_text"
    return "truncated" if len(text) > MAX_TEXT_CHARS else "ok"


def batches(texts: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive batches of at most BATCH_ROWS texts and BATCH_CHARS characters."""
    start, chars = 0, 0
    for i, text in enumerate(texts):
        size = min(len(text), MAX_TEXT_CHARS)
        if i > start and (i - start >= BATCH_ROWS or chars + size > BATCH_CHARS):
            yield start, i
            start, chars = i, 0
        chars += size
    if start < len(texts):
        yield start, len(texts)


def build_results(
    model: Model, texts: list[str], proba: np.ndarray, reasons: list[list[Reason]]
) -> list[Result]:
    """One advised :class:`Result` per text; ``reasons[i]`` are text i's reasons for its top class.

    Blank texts get status ``empty_text`` (confidence 0, no probabilities) and texts the content
    guard flags ``needs_review``: both are answered ``other``, with no refund playbook.
    """
    classes = [str(c) for c in model.classes_]
    columns = [classes.index(c) for c in LABELS]
    results = []
    # Python values read once per batch: one NumPy scalar at a time is most of a text's cost here
    decided = _decided_one(model, texts[0], proba) if len(texts) == 1 else None
    if decided is None:
        labels, conf, abstain, review = decide_texts(model, texts, proba)
        decided = labels.tolist(), conf.tolist(), abstain.tolist(), review.tolist()
    rows = zip(texts, *decided, proba.tolist())
    for i, (text, label, confidence, abstained, flagged, row) in enumerate(rows):
        status = text_status(text)
        if status == "empty_text":
            label = OTHER
        else:
            status = "needs_review" if flagged else status
        empty = status == "empty_text"  # nothing was read: no confidence, no probabilities (as in a CSV)
        result = Result(
            text=text,
            category=label,
            category_zh=LABEL_NAMES_ZH[label],
            confidence=0.0 if empty else confidence,
            probabilities={} if empty else {c: row[j] for c, j in zip(LABELS, columns)},
            reasons=[] if status in ("empty_text", "needs_review") else reasons[i],
            abstained=abstained,
            status=status,
        )
        results.append(advise(result))
    return results


@overload
def classify_with(model: Model, texts: str) -> Result: ...  # type: ignore[overload-overlap]  # a str is an Iterable[str] too


@overload
def classify_with(model: Model, texts: Iterable[str]) -> list[Result]: ...


def classify_with(model: Model, texts: str | Iterable[str]) -> Result | list[Result]:
    """``model.classify``: one text (→ :class:`Result`) or a list (→ list), for any :class:`Model`."""
    single = isinstance(texts, str)
    checked = check_texts([texts] if single else texts)
    proba, reasons = model.score_texts(checked, reasons=True)  # refuses an unfitted model first
    if not checked:
        return []
    results = build_results(model, checked, proba, reasons or [])
    return results[0] if single else results
