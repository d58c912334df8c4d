"""How a time is taken, for ``python -m benchmarks`` and ``json-models compare`` alike.

Each figure is measured in rounds: one run of each contender per round, in turn, so that a
slow spell of a shared machine falls on all of them alike; a time is the median over the
rounds, a ratio the median of the per-round ratios. Timing belongs in those commands, never in
a pass/fail test.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def timed_ms(f: Callable[[], object]) -> float:
    """Wall time of one call of ``f`` in milliseconds. The garbage of earlier calls is
    collected first and the collector is off during the call (as ``timeit`` does), so that
    no contender pays for another's garbage."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        f()
        return (time.perf_counter() - start) * 1000
    finally:
        gc.enable()


def rounds(repeat: int, **contenders: Callable[[], object]) -> dict[str, list[float]]:
    """Times in milliseconds of each contender over ``repeat`` rounds, run in turn within
    each round."""
    times = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, f in contenders.items():
            times[name].append(timed_ms(f))
    return times


def median_ratio(a: list[float], b: list[float]) -> float:
    """The median of the per-round ratios ``a / b``."""
    return statistics.median(x / y for x, y in zip(a, b))
