"""``radsimp``: rationalise denominators of the form ``a + b`` with square roots.

``1/(a + b)`` becomes ``(a - b)/(a^2 - b^2)`` when ``a`` or ``b`` holds a
square root that the product removes (an identity wherever ``a - b`` is
nonzero; for numeric radicals it always is).  Works on symnb terms.

>>> from symnb import symbols, sqrt
>>> x, y = symbols("x y")
>>> radsimp(1 / (1 + sqrt(2))), radsimp(1 / (sqrt(3) - sqrt(2)))
(-1 + sqrt(2), sqrt(2) + sqrt(3))
>>> radsimp(x / (sqrt(x) + sqrt(y)))
x*(sqrt(x) - sqrt(y))/(x - y)
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

from ...terms.calculus import expand
from ...terms.core import Add, Mul, Pow, Term, Number, power
from ..rule import Rule
from ..simplify import DEFAULT_MAX_ITER
from .base import family, run

__all__ = ["radsimp", "RADSIMP"]

_HALF = Fraction(1, 2)


def _has_root(t: Term) -> bool:
    """A square root (of anything) among the factors of ``t``."""
    if type(t) is Pow:
        return type(t.exp) is Number and t.exp.value == _HALF
    if type(t) is Mul:
        return any(e == _HALF for e in t.factors.values() if not isinstance(e, Term))
    return False


def _two_parts(d: Any) -> tuple | None:
    if type(d) is not Add:
        return None
    parts = [c * t for t, c in d.terms.items()]
    if d.const != 0:
        parts.append(Number(d.const))
    return tuple(parts) if len(parts) == 2 else None


def _rationalise(m: dict) -> Any:
    d, n = m["d"], m["n"]
    if not isinstance(d, Term) or type(n.value) is not int:
        return None
    parts = _two_parts(d)
    if parts is None or not any(_has_root(p) for p in parts):
        return None
    a, b = parts
    den = expand(a * a - b * b)
    if den is Number(0) or _two_parts(den) is not None and any(map(_has_root, _two_parts(den))):
        return None
    return power((a - b) / den, Number(-n.value))


RADSIMP = (
    ("1/(a + b*sqrt(c)) -> (a - b*sqrt(c))/(a^2 - b^2*c)", "~d^~n::is_negative", _rationalise),
)
"""``radsimp``: (label, pattern, replacement)."""


@lru_cache(maxsize=None)
def _rules() -> tuple[Rule, ...]:
    return family("radsimp", RADSIMP)


def radsimp(expr: Any, *, trace: bool = False, max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Rationalise denominators holding square roots (sympy's ``radsimp``, two-term case)."""
    return run(expr, _rules(), trace, max_iter)
