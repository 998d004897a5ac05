"""Turning probabilities and feature contributions into :class:`Result` objects.

Shared by the scikit-learn model and the lean inference engine, so both answer identically.
Importing this module does not import scikit-learn.
"""

from __future__ import annotations

import numpy as np

from .labels import LABEL_NAMES_ZH, LABELS, OTHER
from .normalize import PLACEHOLDERS
from .result import Reason, Result

__all__ = [
    "MAX_TEXT_CHARS",
    "build_results",
    "check_texts",
    "classify_with",
    "decide",
    "display_term",
    "pick_reasons",
    "reasons_from",
    "text_status",
]

# Longer texts are cut before classification (and get status "truncated"): complaints are
# short, and tokenising megabytes of text would stall a batch for no gain.
MAX_TEXT_CHARS = 5000


def check_texts(texts, what="texts") -> list[str]:
    """A list of strings, or a TypeError that says what was wrong (a bare str is refused)."""
    from collections.abc import Iterable

    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{what} must be a list of strings, got a single {type(texts).__name__}; "
            "wrap it in a list, or use classify(text) for one text"
        )
    if not isinstance(texts, Iterable):
        raise TypeError(f"{what} must be a list of strings, got {type(texts).__name__}")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{what}[{i}] is {type(t).__name__}, not str")
    return texts


def decide(proba: np.ndarray, classes: np.ndarray, threshold: float):
    """(labels, confidence, abstained): ``other`` where the top probability is below threshold."""
    top = proba.argmax(axis=1)
    conf = proba.max(axis=1)
    abstain = conf < threshold
    return np.where(abstain, OTHER, classes[top]), conf, abstain


# Function words carry weight in the model but explain nothing to a reader; they are not shown.
_NOT_A_REASON = frozenset("的了但我你他她它是在都也就还和与及吗呢吧啊呀着过又很太这那个之而或则却")


def display_term(name: str) -> str:
    """A feature name as scikit-learn writes it (``words__扣 钱``, ``chars__扣了``) → what a reader sees."""
    channel, _, term = name.partition("__")
    term = term.replace(" ", "") if channel == "words" else term.strip()
    for char, token in PLACEHOLDERS.items():
        term = term.replace(char, token)
    return term


def pick_reasons(candidates, k: int = 5) -> list[Reason]:
    """The first k readable terms of ``(term, contribution)`` pairs sorted by contribution, largest first."""
    reasons: list[Reason] = []
    seen: set[str] = set()
    for term, weight in candidates:
        if weight <= 0 or len(reasons) >= k:
            break
        # a character n-gram inside a word already listed adds nothing for a reader
        if not term or term in _NOT_A_REASON or term in seen or any(term in s for s in seen):
            continue
        seen.add(term)
        reasons.append(Reason(term=term, weight=float(weight)))
    return reasons


def reasons_from(name_of, contributions, features, k: int = 5) -> list[Reason]:
    """The k largest positive contributions as readable terms.

    ``name_of(j)`` gives the name of the j-th contribution's feature as scikit-learn writes it
    (``words__扣 钱``, ``chars__扣了``); it is only asked for the few that can make the list.
    ``features`` are their feature indices: equal contributions are taken in feature order, so
    every engine lists the same reasons.
    """
    order = np.lexsort((np.asarray(features), -np.asarray(contributions)))
    return pick_reasons(((display_term(name_of(j)), contributions[j]) for j in order), k)


def text_status(text: str) -> str:
    """``empty_text``, ``truncated`` (longer than MAX_TEXT_CHARS) or ``ok``."""
    if not text.strip():
        return "empty_text"
    return "truncated" if len(text) > MAX_TEXT_CHARS else "ok"


def build_results(texts, proba, classes, threshold, reasons) -> list[Result]:
    """One advised :class:`Result` per text; ``reasons[i]`` are text i's reasons for its top class."""
    from .advice import advise

    classes = np.asarray(classes)
    labels, conf, abstain = decide(proba, classes, threshold)
    class_index = {c: i for i, c in enumerate(classes)}
    results = []
    for i, text in enumerate(texts):
        label = str(labels[i])
        status = text_status(text)
        result = Result(
            text=text,
            category=label,
            category_zh=LABEL_NAMES_ZH[label],
            confidence=float(conf[i]),
            probabilities={c: float(proba[i, class_index[c]]) for c in LABELS},
            reasons=[] if status == "empty_text" else reasons[i],
            abstained=bool(abstain[i]),
            status=status,
        )
        results.append(advise(result))
    return results


def classify_with(model, texts):
    """``model.classify``: one text (→ :class:`Result`) or a list (→ list), for any engine with
    ``score_texts``, ``classes_`` and ``threshold_``."""
    single = isinstance(texts, str)
    texts = check_texts([texts] if single else texts)
    proba, reasons = model.score_texts(texts, reasons=True)  # refuses an unfitted model first
    if not texts:
        return []
    results = build_results(texts, proba, model.classes_, model.threshold_, reasons)
    return results[0] if single else results
