"""Words for timings: a time unit that fits a set of durations, and how two times compare,
always read in one direction ("2.1× faster than numpy", never "0.48× numpy").

>>> speed_text(1.0e-6, 2.1e-6, "numpy")
'2.1× faster than numpy'
>>> speed_text(3.0e-6, 1.0e-6, "numpy")
'3× slower than numpy'
>>> time_unit([2.5e-7, 6.1e-7])
('ns', 1e-09)
>>> bar_label(6.1e-7, 6.1e-7, "numpy", "numpy"), bar_label(3.0e-7, 6.1e-7, "symnb", "numpy")
('610 ns · baseline', '300 ns · symnb: 2.03× faster than numpy')
"""
from __future__ import annotations

import math
from typing import Sequence

from .harness import format_seconds

__all__ = ["speed_text", "speedup", "time_unit", "bar_label", "times"]

_UNITS = (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9))


def speedup(t: float, base: float) -> float:
    """How many times faster ``t`` is than ``base`` (``base / t``; > 1: faster)."""
    if not (t > 0 and base > 0 and math.isfinite(t) and math.isfinite(base)):
        raise ValueError(f"times must be positive and finite to compare (got {t!r} and "
                         f"{base!r}); drop the failed or zero measurement")
    return base / t


def speed_text(t: float, base: float, base_name: str) -> str:
    """``t`` against the baseline's time ``base``: ``"N× faster than NAME"`` when ``t`` is
    the quicker one, ``"N× slower than NAME"`` otherwise (N >= 1 either way)."""
    s = speedup(t, base)
    if s >= 1:
        return f"{times(s)} faster than {base_name}"
    return f"{times(1 / s)} slower than {base_name}"


def times(x: float) -> str:
    """``2.1×``, ``472×``, ``5,355×`` (three significant digits, no exponent)."""
    return f"{x:,.0f}×" if x >= 1000 else f"{x:.3g}×"


def bar_label(t: float, base: float, name: str, base_name: str) -> str:
    """The text on ``name``'s bar: its value and, unless it is the baseline, how it
    compares with the baseline (the ratio sits on the measured bar, never the baseline's)."""
    if name == base_name:
        return f"{format_seconds(t)} · baseline"
    return f"{format_seconds(t)} · {name}: {speed_text(t, base, base_name)}"


def time_unit(seconds: Sequence[float]) -> tuple[str, float]:
    """``(unit, scale)`` with which the largest of ``seconds`` reads between 1 and 1000."""
    top = max((abs(s) for s in seconds if math.isfinite(s)), default=0.0)
    for unit, scale in _UNITS:
        if top >= scale:
            return unit, scale
    return _UNITS[-1]
