"""Single-text latency: ``classify()`` of texts one at a time, timed. ``bench`` runs it in a
fresh process that imports only the classifier (``python -m classifier.tools.latency``), as a
user's program would: the benchmark's own process holds pandas, scikit-learn and their thread
pools, which slow every call a little.

>>> p50, p99 = latencies(len, ["付款失败扣了钱", "会员开了视频一直黑屏"])
>>> 0 <= p50 <= p99
True
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence

from ..errors import InvalidParameterError

__all__ = ["latencies", "main", "warm_passes"]

WARM_UP = 50  # texts classified before the timed passes


def latencies(classify: Callable[[str], object], texts: Sequence[str]) -> tuple[float, float]:
    """(p50, p99) in ms of ``classify`` of each text, one at a time."""
    if not texts:
        raise InvalidParameterError("latencies needs at least one text")
    times = []
    for text in texts:
        started = time.perf_counter()
        classify(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def warm_passes(
    classify: Callable[[str], object], texts: Sequence[str], passes: int
) -> list[tuple[float, float]]:
    """Each pass's :func:`latencies`, after ``classify`` of the first :data:`WARM_UP` texts."""
    for text in texts[:WARM_UP]:
        classify(text)
    return [latencies(classify, texts) for _ in range(passes)]


def main(argv: Sequence[str]) -> None:
    """``python -m classifier.tools.latency TEXTS.json PASSES``: prints a JSON list of each
    pass's (p50, p99) of the default model's ``classify()``, after a warm-up."""
    from classifier import classify

    path, passes = argv[0], int(argv[1])
    with open(path, encoding="utf-8") as file:
        texts = json.load(file)
    print(json.dumps(warm_passes(classify, texts, passes)))


if __name__ == "__main__":
    main(sys.argv[1:])
