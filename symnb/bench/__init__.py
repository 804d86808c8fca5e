"""Benchmark harness: repeats, medians, spread and ratios, with a plotly bar chart.

>>> r = bench({"sum": lambda: sum(range(200)), "len": lambda: len("abc")}, repeat=3, number=50)
>>> r.names, len(r.times["sum"]), r.baseline
(['sum', 'len'], 3, 'sum')
>>> r.ratio("sum")
1.0
"""
from __future__ import annotations

from .harness import BenchResult, bench

__all__ = ["BenchResult", "bench"]
