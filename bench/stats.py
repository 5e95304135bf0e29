"""Small statistics helpers: percentiles without numpy, and a one-line summary."""

from __future__ import annotations

import math
import statistics


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation, like numpy's default."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict:
    """n, p50, p95, p99, mean, max of `values` (whatever unit they are in)."""
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": statistics.fmean(values) if values else math.nan,
        "max": max(values) if values else math.nan,
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan
