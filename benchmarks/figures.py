"""Percentiles and printing for the benchmark harness."""

from __future__ import annotations

import json
from typing import Any


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(result: dict[str, Any], as_json: bool) -> None:
    """The figures as JSON, or one aligned `name: value` line each."""
    if as_json:
        print(json.dumps(result, indent=2))
        return
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:>{width}}: {value}")
