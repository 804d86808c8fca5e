"""Polynomial normal forms as e-graph candidates (``symnb.polys``) and the exploration of
expanded representatives.

Rewrite rules find ``(x - y)*(x + y)`` only if something writes it; a gcd does.  Before
saturation, ``seeds`` gives the input's ``cancel`` and ``factor`` forms, put in the root's
e-class.  After saturation, ``expanded_costs`` prices every trigonometric or hyperbolic
call of a sum or multiple, and one of ``sin``/``cos`` (``sinh``/``cosh``), high: the
cheapest tree under it is the e-graph's fully expanded form, written in one function of
each pair, whose ``cancel`` closes identities such as ``sin(x + y) - sin(x)*cos(y) -
cos(x)*sin(y)`` that the rules alone reach only through many associativity steps.

>>> from symnb import symbols
>>> x, y = symbols("x y")
>>> seeds((x**2 - y**2) / (x - y))
[x + y]
"""
from __future__ import annotations

from typing import Any

from ..terms.core import Term
from .extract import EGraphData, tree_best

__all__ = ["seeds", "normal_candidates", "expanded_costs", "NORMAL_MAX_TERMS"]

NORMAL_MAX_TERMS = 400
"""Size limit (terms) of the polynomial normal forms tried; larger ones are skipped."""

_EXPANDABLE = frozenset({"sin", "cos", "tan", "sinh", "cosh", "tanh", "exp"})
_PENALTY = 50.0


def _forms(expr: Any, which: tuple) -> list:
    from ..polys import PolynomialError, PolynomialTooLarge, cancel, factor
    fns = {"cancel": cancel, "factor": factor}
    out: list = []
    for name in which:
        try:
            t = fns[name](expr, max_terms=NORMAL_MAX_TERMS)
        except (PolynomialError, PolynomialTooLarge, ZeroDivisionError, ValueError, TypeError,
                OverflowError):
            continue
        if t is not expr and t not in out:
            out.append(t)
    return out


def seeds(expr: Any) -> list:
    """``cancel`` and ``factor`` forms of ``expr`` that differ from it (symnb terms only)."""
    if not isinstance(expr, Term) or not expr.free_symbols:
        return []
    return _forms(expr, ("cancel", "factor"))


def normal_candidates(terms: list) -> list:
    """``cancel`` forms of ``terms`` (each differing from its term)."""
    out: list = []
    for t in terms:
        if isinstance(t, Term):
            out += [c for c in _forms(t, ("cancel",)) if c not in out]
    return out


def expanded_costs(d: EGraphData, avoid: tuple) -> list:
    """Costs of ``d``'s e-nodes that make the cheapest tree the expanded one: a call of
    ``sin cos tan sinh cosh tanh exp`` whose argument class holds a sum, difference,
    negation or multiple, a ``tan``/``tanh``, and a call of any function in ``avoid``
    cost ``_PENALTY`` more."""
    kinds_of = [set() for _ in d.classes]
    for i, n in enumerate(d.nodes):
        k = n[0]
        if k == "Mul":
            if any(d.nodes[j][0] in ("num", "flt") for j in d.classes[d.children[i][1]]):
                k = "Multiple"
        kinds_of[d.node_class[i]].add(k)
    costs = list(d.costs)
    for i, n in enumerate(d.nodes):
        if n[0] != "Fn1":
            continue
        g = n[1]
        if g in avoid or g in ("tan", "tanh"):
            costs[i] += _PENALTY
        elif g in _EXPANDABLE and kinds_of[d.children[i][0]] & {"Add", "Sub", "Neg", "Multiple"}:
            costs[i] += _PENALTY
    return costs


def expanded_terms(d: EGraphData, roots: list, symbols: Any) -> list:
    """The expanded representative of each root, once per ``avoid`` choice."""
    from .extract import extract_terms
    out: list = []
    names = {n[1] for n in d.nodes if n[0] == "Fn1"} & _EXPANDABLE
    if not names:
        return out
    saved = d.costs
    try:
        for avoid in (("sin", "sinh"), ("cos", "cosh")):
            if not names & {"sin", "cos", "sinh", "cosh", "tan", "tanh"} and avoid[0] == "cos":
                break       # only exp: the first pass is the expanded form
            d.costs = expanded_costs(d, avoid)
            best = tree_best(d)
            if any(best[r] < 0 for r in roots):
                continue
            try:
                out += extract_terms(d, best, roots, symbols)
            except (ZeroDivisionError, TypeError, ValueError, OverflowError, RuntimeError):
                continue
    finally:
        d.costs = saved
    return out
