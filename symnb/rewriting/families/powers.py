"""Powers: ``powsimp`` combines, ``powdenest`` denests, ``expand_power_base`` splits bases.

Each identity holds on the whole complex plane under the assumption its rule
checks (sympy's ``force=False`` meaning): ``(x^a)^b = x^(a*b)`` needs an
integer ``b``, or a positive ``x`` and a real ``a``; ``x^a*y^a = (x*y)^a``
needs nonnegative ``x`` and ``y``.

>>> from symnb import symbols, sqrt, exp
>>> x, y, a, b = symbols("x y a b")
>>> p, q = symbols("p q", positive=True)
>>> r = symbols("r", real=True)
>>> powsimp(exp(x) * exp(y)), powsimp(sqrt(p) * sqrt(q)), powsimp(sqrt(x) * sqrt(y))
(exp(x + y), sqrt(p*q), sqrt(x)*sqrt(y))
>>> powdenest((p**r)**b), powdenest((x**a)**b), powdenest(sqrt(r**2))
(p^(b*r), (x^a)^b, Abs(r))
>>> expand_power_base((p*x)**a), expand_power_base((x*y)**a)
(p^a*x^a, (x*y)^a)
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..ops import build
from ..rule import Rule
from ..simplify import DEFAULT_MAX_ITER
from .base import family, run

__all__ = ["powsimp", "powdenest", "expand_power_base", "POWSIMP", "POWDENEST",
           "EXPAND_POWER_BASE"]

POWSIMP = (
    ("x^a*x^b -> x^(a+b)", "~x^~a * ~x^~b => ~x^(~a + ~b)"),
    ("x*x^b -> x^(1+b)", "~x * ~x^~b => ~x^(1 + ~b)"),
    ("exp(a)*exp(b) -> exp(a+b)", "exp(~x) * exp(~y) => exp(~x + ~y)"),
    ("x^a*y^a -> (x*y)^a (x, y nonnegative)",
     "~x::nonnegative^~a * ~y::nonnegative^~a => (~x*~y)^~a"),
)
"""``powsimp``: (label, rule text)."""

POWDENEST = (
    ("(x^a)^n -> x^(a*n) (n integer)", "(~x^~a)^~n::integer => ~x^(~a*~n)"),
    ("(x^a)^b -> x^(a*b) (x positive, a real)", "(~x::positive^~a::real)^~b => ~x^(~a*~b)"),
    ("sqrt(x^2) -> x (x nonnegative)", "sqrt(~x::nonnegative^2) => ~x"),
    ("sqrt(x^2) -> Abs(x) (x real)", "sqrt(~x::real^2) => Abs(~x)"),
    ("exp(a)^n -> exp(n*a) (n integer)", "exp(~x)^~n::integer => exp(~n*~x)"),
    ("exp(a)^b -> exp(a*b) (a real)", "exp(~x::real)^~y => exp(~y*~x)"),
)
"""``powdenest``: (label, rule text)."""


def _split_base(m: dict) -> Any:
    x, a = m["x"], m["a"]
    rest = build(x, "Mul", list(m["ys"]))
    return build(x, "Mul", [build(x, "Pow", [x, a]), build(x, "Pow", [rest, a])])


EXPAND_POWER_BASE = (
    ("(x*y)^a -> x^a*y^a (x positive)", "(~x::positive * ~~ys)^~a", _split_base),
)
"""``expand_power_base``: (label, pattern, replacement)."""


@lru_cache(maxsize=None)
def _rules(name: str) -> tuple[Rule, ...]:
    specs = {"powsimp": POWSIMP, "powdenest": POWDENEST,
             "expand_power_base": EXPAND_POWER_BASE}[name]
    return family(name, specs)


def powsimp(expr: Any, *, trace: bool = False, max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Combine powers with a common base or exponent (sympy's ``powsimp``, ``force=False``)."""
    return run(expr, _rules("powsimp"), trace, max_iter)


def powdenest(expr: Any, *, trace: bool = False, max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Denest powers of powers where the assumptions allow (sympy's ``powdenest``)."""
    return run(expr, _rules("powdenest"), trace, max_iter)


def expand_power_base(expr: Any, *, trace: bool = False,
                      max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Split ``(x*y)^a`` into ``x^a*y^a`` for positive factors (sympy's ``expand_power_base``).

    (``expand_power_exp`` has no symnb counterpart: the canonical product
    merges ``x^a*x^b`` back into ``x^(a+b)`` on construction.)
    """
    return run(expr, _rules("expand_power_base"), trace, max_iter)
