"""Trigonometric simplification: Fu's TR rule sets and the public ``trigsimp``, ``expand_trig``.

``TRIG_RULESETS`` holds each of Fu's rules (``TR1`` … ``TR22``, ``TRmorrie``) as a named
rule set usable with ``rewrite``; ``TR[name]`` is the same set as a ready strategy.
``trigsimp`` runs Fu's program for the circular functions, then for the hyperbolic ones
and their exponential forms, and returns the cheapest candidate (``count_ops``, then the
number of trigonometric/hyperbolic calls), never one costlier than its input.

>>> from symnb import symbols, sin, cos, tan, cosh, sinh
>>> x, y = symbols("x y")
>>> trigsimp(sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y))
0
>>> trigsimp(tan(x)*cos(x)), trigsimp(2*sin(x)*cos(x)), trigsimp(cosh(x)**2 - sinh(x)**2)
(sin(x), sin(2*x), 1)
>>> expand_trig(sin(x + y)), expand_trig(cos(3*x))
(cos(x)*sin(y) + cos(y)*sin(x), -3*cos(x) + 4*cos(x)^3)
>>> from symnb.rewriting import rewrite
>>> rewrite(sin(x)**2 + cos(x)**2, TR["TR5"])
1
"""
from __future__ import annotations

from typing import Any, Callable

from ..rule import Rule
from ..strategies import Chain, Fixpoint, Postwalk
from ...terms.core import Term
from . import trigfamily as tf
from .entry import run_entry
from .combinators import Best, Seq
from .fu_program import fu, fu_family
from .tr_rules import family_rulesets, family_strategies
from .hyperbolic import HYPER_FUNCS, HYPER_RULESETS, hypersimp
from .trigfamily import TRIG

__all__ = ["trigsimp", "expand_trig", "fu", "TRIG_RULESETS", "HYPER_RULESETS", "TR",
           "trigsimp_measure"]

TRIG_RULESETS: dict[str, tuple[Rule, ...]] = family_rulesets(TRIG)
"""Fu's rule sets for sin, cos, tan, cot, sec, csc: ``TR1`` … ``TR22``, ``TRmorrie``, ``TRmult``."""

TR: dict[str, Callable[[Term], Term]] = family_strategies(TRIG)
"""Each rule set as a strategy (``Fixpoint(Postwalk(Chain(rules)))``), and ``TR0`` (expand)."""

_TRIG_FUNCS = TRIG.functions
_ALL_FUNCS = _TRIG_FUNCS | HYPER_FUNCS


def trigsimp_measure(t: Term) -> tuple:
    """(``count_ops``, number of trigonometric and hyperbolic calls)."""
    return tf.ops(t), tf.count_calls(t, _ALL_FUNCS)


def _short_programs(T: dict) -> list:
    """Short TR chains tried before Fu's full program: when one is as cheap, its trace
    (a step or three) is the one shown."""
    return [T["TR10i"], Seq(T["TR2"], T["TR2i"]), Seq(T["TR5"], T["TR0"], T["TR10i"]),
            Seq(T["TR6"], T["TR0"], T["TR10i"]), Seq(T["TR0"], T["TR8"], T["TR0"])]


def _trigsimp(t: Term, measure: Callable[[Term], Any]) -> Term:
    def circular(u: Term) -> Term:
        if not tf.has_calls(u, _TRIG_FUNCS):
            return u
        return Best(measure, *_short_programs(TR), lambda v: fu_family(v, TRIG))(u)
    return Best(measure, lambda u: u, Seq(circular, lambda u: hypersimp(u, measure)))(t)


def trigsimp(expr: Any, *, measure: Callable[[Term], Any] | None = None,
             trace: bool = False) -> Any:
    """Simplify trigonometric and hyperbolic functions by Fu's rules (``fu``), the
    hyperbolic rule sets and exponential forms.  The result is the input when nothing
    is cheaper by ``measure`` (default ``trigsimp_measure``).  ``trace=True`` returns
    ``(result, RewriteTrace)`` with the named steps that made it.

    >>> from symnb import symbols, sin, cos
    >>> x = symbols("x")
    >>> r, tr = trigsimp(cos(x)**2 - sin(x)**2, trace=True)
    >>> r, [s.rule.split()[0] for s in tr], tr.steps[0].before
    (cos(2*x), ['TR10i'], cos(x)^2 - sin(x)^2)
    """
    m = measure or trigsimp_measure
    return run_entry(expr, lambda t: _trigsimp(t, m), trace, "trigsimp")


def _expand_rules() -> list:
    rules: list = []
    for sets in (TRIG_RULESETS, HYPER_RULESETS):
        for key in ("TR10", "TRmult", "TR12"):
            rules.extend(sets.get(key, ()) or sets.get("H" + key, ()))
    return rules


_EXPAND = Fixpoint(Postwalk(Chain(_expand_rules())), max_iter=200)


def expand_trig(expr: Any, *, trace: bool = False) -> Any:
    """Expand sums and integer multiples in the arguments of sin, cos, tan and of sinh,
    cosh, tanh (``sin(x + y) → sin x cos y + cos x sin y``, ``cos 3x → 4cos³x − 3cos x``,
    ``tan(x + y) → (tan x + tan y)/(1 − tan x tan y)``), as sympy's ``expand_trig``."""
    return run_entry(expr, _EXPAND, trace, "expand_trig")



