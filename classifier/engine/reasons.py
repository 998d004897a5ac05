"""Reasons: the terms that pushed a text towards its class, the same whichever engine scored it.

>>> import numpy as np
>>> names = {0: "chars__扣钱", 1: "chars__扣"}
>>> [r.term for r in reasons_from(lambda j: names[[1, 0][j]], np.array([0.5, 0.5]), np.array([1, 0]))]
['扣钱']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..advice.result import Reason
from ..text.normalize import PLACEHOLDERS

__all__ = ["display_term", "pick_reasons", "reasons_from"]

# Function words carry weight in the model but explain nothing to a reader; they are not shown.
_NOT_A_REASON = frozenset("的了但我你他她它是在都也就还和与及吗呢吧啊呀着过又很太这那个之而或则却")


def display_term(name: str) -> str:
    """A feature name as scikit-learn writes it (``words__扣 钱``, ``chars__扣了``) → what a reader sees."""
    channel, _, term = name.partition("__")
    term = term.replace(" ", "") if channel == "words" else term.strip()
    for char, token in PLACEHOLDERS.items():
        term = term.replace(char, token)
    return term


def pick_reasons(candidates: Iterable[tuple[str, float]], k: int = 5) -> list[Reason]:
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


def reasons_from(
    name_of: Callable[[int], str], contributions: np.ndarray, features: np.ndarray, k: int = 5
) -> list[Reason]:
    """The k largest positive contributions as readable terms.

    ``name_of(j)`` gives the name of the j-th contribution's feature as scikit-learn writes it
    (``words__扣 钱``, ``chars__扣了``); it is only asked for the few that can make the list.
    ``features`` are their feature indices: equal contributions are taken in feature order, so
    every engine lists the same reasons.
    """
    order = np.lexsort((np.asarray(features), -np.asarray(contributions)))
    return pick_reasons(((display_term(name_of(j)), contributions[j]) for j in order), k)
