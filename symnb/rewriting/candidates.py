"""The stages ``simplify`` chains into candidates, and which chains fit an expression.

A *stage* is one named transformation of a native term: the default rule sets
(``"rules"``), a polynomial normal form of ``symnb.polys`` (``"cancel"``,
``"factor"``), or a function family (``"trigsimp"``, ``"expand_trig"``, ``"powers"``,
``"radsimp"``, ``"expand_log"``, ``"logcombine"``).  ``features(t)`` reads once which
function families and which shapes (quotients, products of sums, radicals) occur;
``first_pipelines`` and ``next_pipelines`` pick the chains worth trying, so a
polynomial never meets Fu's rules and ``exp(x) + 1`` never meets ``factor``.

>>> from symnb import symbols, sin, cos, sqrt
>>> x, y = symbols("x y")
>>> f = features((x**2 - y**2)/(x - y))
>>> sorted(f)
['rational']
>>> first_pipelines(f)
[('rules',), ('cancel',), ('cancel', 'factor')]
>>> sorted(features(sin(x)**2 + cos(x)/sqrt(x + 1)))
['radical', 'rational', 'sum', 'trig']
>>> STAGES["cancel"]((x**2 - y**2)/(x - y))
x + y
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable

from .. import polys
from ..terms.core import Add, Call, Mul, Pow, Term
from ..terms.calculus import expand
from .families import (TR, TRIG_RULESETS, expand_log, expand_power_base, expand_trig, family_rules,
                       hypersimp, logcombine, radsimp, trigsimp)
from .identities import identity_rules
from .normal_form import cancel
from .rulesets import default_rules
from .simplify import rewrite

__all__ = ["STAGES", "features", "first_pipelines", "next_pipelines", "POLY_MAX_TERMS"]

POLY_MAX_TERMS = 2000
"""``max_terms`` of the polynomial stages: larger normal forms are not candidates."""

_TRIG = frozenset(("sin", "cos", "tan", "cot", "sec", "csc"))
_HYPER = frozenset(("sinh", "cosh", "tanh"))


@lru_cache(maxsize=None)
def _rule_list(name: str) -> tuple:
    if name == "rules":
        return tuple(default_rules()) + tuple(identity_rules()) + TRIG_RULESETS["TR2i"]
    return tuple(family_rules("powsimp")) + tuple(family_rules("powdenest"))


def _rules(t: Term) -> Term:
    return rewrite(t, list(_rule_list("rules")), max_iter=50)


def _powers(t: Term) -> Term:
    return rewrite(t, list(_rule_list("powers")), max_iter=50)


def _cancel(t: Term) -> Term:
    return cancel(t, max_terms=POLY_MAX_TERMS)


def _factor(t: Term) -> Term:
    return polys.factor(t, max_terms=POLY_MAX_TERMS)


STAGES: dict[str, Callable[[Term], Term]] = {
    "rules": _rules, "cancel": _cancel, "factor": _factor, "trigsimp": trigsimp,
    "expand_trig": expand_trig, "powers": _powers, "radsimp": radsimp,
    "expand_log": expand_log, "logcombine": logcombine, "expand": expand,
    "hypersimp": hypersimp, "double_angle": TR["TR11"],
    "expand_power_base": expand_power_base,
}
"""Stage name -> ``fn(term) -> term``.  The rule stages record their own named steps in
an active trace; the others are recorded as one step named after the stage."""

RULE_STAGES = frozenset(("rules", "trigsimp", "expand_trig", "powers", "radsimp",
                         "expand_log", "logcombine", "hypersimp", "double_angle",
                         "expand_power_base"))


def features(t: Term) -> frozenset:
    """Which families and shapes occur in ``t``: ``trig``, ``hyper``, ``exp``, ``log``,
    ``inverse`` (of the function names); ``rational`` (a sum inside a product or a power,
    or a sum of quotients: something for ``cancel``); ``radical`` (a fractional or symbolic
    exponent); ``sign`` (``sign``/``Abs``); ``sum`` (the whole expression is a sum of
    two or more non-constant terms, not all linear: an expanded polynomial, something for ``factor``)."""
    out: set = set()
    if type(t) is Add and len(t.terms) >= 2 and any(type(u) in (Mul, Pow) for u in t.terms):
        out.add("sum")
    seen: set = set()
    stack = [(t, False)]
    while stack:
        u, inside = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        tu = type(u)
        if tu is Call:
            name = u.func.name
            if name in _TRIG:
                out.add("trig")
            elif name in _HYPER:
                out.add("hyper")
            elif name in ("exp", "log"):
                out.add(name)
            elif name in ("sign", "Abs"):
                out.add("sign")
            elif name.startswith("a"):
                out.add("inverse")
            stack.extend((a, False) for a in u.args_)
        elif tu is Add:
            if inside:
                out.add("rational")
            stack.extend((a, False) for a in u.terms)
        elif tu is Mul:
            for b, e in u.factors.items():
                _exponent(e, out)
                stack.append((b, True))
        elif tu is Pow:
            _exponent(u.exp, out)
            stack.append((u.base, True))
            stack.append((u.exp, False))
    return frozenset(out)


def _exponent(e: Any, out: set) -> None:
    if isinstance(e, Term):
        v = getattr(e, "value", None)
        if v is None or type(v) is not int:
            out.add("radical")
    elif isinstance(e, Fraction) or type(e) is not int:
        out.add("radical")


def first_pipelines(f: frozenset) -> list[tuple]:
    """The chains of stages tried on the input, cheapest and likeliest first."""
    out: list = [("rules",)]
    rational = "rational" in f
    if rational:
        out += [("cancel",), ("cancel", "factor")]
    elif "sum" in f:
        out.append(("factor",))          # x^2 + 2*x + 1 -> (1 + x)^2
    if f & {"trig", "hyper"}:
        out += [("trigsimp",)]
        if rational:
            out += [("cancel", "trigsimp"), ("trigsimp", "cancel")]
    if "trig" in f and rational:
        out += [("expand_trig", "cancel"), ("double_angle", "cancel")]
    if "exp" in f and "hyper" not in f:
        out.append(("hypersimp",))
    if "radical" in f or "exp" in f:
        out.append(("powers",))
        if rational:
            out.append(("expand", "rules"))
    if "radical" in f:
        out.append(("expand_power_base", "powers"))
    if "radical" in f and rational:
        out += [("radsimp",), ("radsimp", "cancel")]
    if "log" in f:
        out += [("expand_log", "rules"), ("logcombine",)]
    return out


def next_pipelines(f: frozenset) -> list[tuple]:
    """The chains tried again on the best candidate of a round."""
    out: list = [("rules",)]
    if "rational" in f:
        out.append(("cancel",))
    if f & {"trig", "hyper"}:
        out += [("trigsimp",), ("cancel", "rules")]
    if "radical" in f or "exp" in f:
        out.append(("powers",))
    return out
