"""Exponentials and logarithms: ``expand_log`` and ``logcombine`` (sympy's ``force=False``).

``log(x*y) = log(x) + log(y)`` holds when ``x`` is positive (any nonzero
``y``); ``log(x^n) = n*log(x)`` when ``x`` is positive and ``n`` real.
``logcombine`` goes the other way, as sympy does: ``log(x) + log(y) ->
log(x*y)`` for positive ``x`` and ``y``, ``a*log(x) -> log(x^a)`` for real
``a`` and positive ``x``.  ``force=True`` applies them regardless of
assumptions (sympy's meaning: you vouch for the values).

>>> from symnb import symbols, log
>>> x, y = symbols("x y")
>>> p, q = symbols("p q", positive=True)
>>> expand_log(log(p * q**2 * x)), expand_log(log(x * y)), expand_log(log(x * y), force=True)
(log(p) + log(x) + 2*log(q), log(x*y), log(x) + log(y))
>>> logcombine(log(p) + 2*log(q)), logcombine(log(x) + log(y))
(log(p*q^2), log(x) + log(y))
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..ops import build
from ..rule import Rule
from ..simplify import DEFAULT_MAX_ITER
from .base import family, run

__all__ = ["expand_log", "logcombine", "EXPAND_LOG", "LOGCOMBINE"]


def _split_log(m: dict) -> Any:
    x = m["x"]
    rest = build(x, "Mul", list(m["ys"]))
    return build(x, "Add", [build(x, "log", [x]), build(x, "log", [rest])])


EXPAND_LOG = (
    ("log(x*y) -> log(x) + log(y) (x positive)", "log(~x::positive * ~~ys)", _split_log),
    ("log(x^n) -> n*log(x) (x positive, n real)", "log(~x::positive^~n::real) => ~n*log(~x)"),
)
"""``expand_log``: (label, rule text) or (label, pattern, replacement)."""

LOGCOMBINE = (
    ("log(x) + log(y) -> log(x*y) (x, y positive)",
     "log(~x::positive) + log(~y::positive) => log(~x*~y)"),
    ("a*log(x) -> log(x^a) (a real, x positive)", "~a::real * log(~x::positive) => log(~x^~a)"),
)
"""``logcombine``: (label, rule text)."""

_FORCED = {  # the same identities without the assumption checks
    "expand_log": (("log(x*y) -> log(x) + log(y) (forced)", "log(~x * ~~ys)", _split_log),
                   ("log(x^n) -> n*log(x) (forced)", "log(~x^~n) => ~n*log(~x)")),
    "logcombine": (("log(x) + log(y) -> log(x*y) (forced)", "log(~x) + log(~y) => log(~x*~y)"),
                   ("a*log(x) -> log(x^a) (forced)", "~a::not_number * log(~x) => log(~x^~a)",),
                   ("c*log(x) -> log(x^c) (forced)", "~a::is_number * log(~x) => log(~x^~a)")),
}


@lru_cache(maxsize=None)
def _rules(name: str, force: bool) -> tuple[Rule, ...]:
    specs = _FORCED[name] if force else {"expand_log": EXPAND_LOG, "logcombine": LOGCOMBINE}[name]
    return family(name, specs)


def expand_log(expr: Any, *, force: bool = False, trace: bool = False,
               max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Split logarithms of products and powers where the assumptions allow."""
    return run(expr, _rules("expand_log", bool(force)), trace, max_iter)


def logcombine(expr: Any, *, force: bool = False, trace: bool = False,
               max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Merge sums of logarithms and their real multiples where the assumptions allow."""
    return run(expr, _rules("logcombine", bool(force)), trace, max_iter)
