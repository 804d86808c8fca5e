"""Fu, Zhong and Zeng's (2006) simplification strategy, on the rewriting engine.

Each TR rule is a named ``Rule`` (``tr_rules.py``; a ``RewriteTrace`` shows
``TR5 (sin² → 1 − cos²)``), run to a fixpoint bottom-up.  Fu's combination rules chain them (``Seq``, Fu's tuples)
or try each branch from the same input and keep the cheapest (``Best``, Fu's lists;
``combinators.py``),
under a cost measure: by default Fu's, the number of trigonometric functions, then
``count_ops``.  The rules are written once for a ``Family`` (``trigcore.py``), so the
same program simplifies hyperbolic functions.

``safe=True`` (the default) leaves out TR12, TR13 and TRmorrie, the three identities
that hold only where both sides are defined and can add removable poles
(``cos(x)·cos(2x) → sin(4x)/(4 sin x)`` at ``x = 0``); everything else keeps the value
everywhere the input is defined.

>>> from symnb import symbols, sin, cos
>>> x = symbols("x")
>>> fu(cos(x)**4 - sin(x)**4 - cos(2*x))
0
>>> fu(sin(x)/cos(x))
tan(x)
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from ...terms.core import Term
from . import trigfamily as tf
from .combinators import Best, Seq, adopt, run_traced
from .tr_rules import family_strategies
from .trigfamily import HYPER, TRIG, Family

__all__ = ["fu", "fu_family", "fu_measure"]


def _identity(t: Term) -> Term:
    return t


def fu_measure(*families: Family) -> Callable[[Term], tuple]:
    """Fu's cost: (number of calls of the families' functions, ``count_ops``); with no
    family given, the circular and the hyperbolic ones."""
    funcs = frozenset().union(*[f.functions for f in (families or (TRIG, HYPER))])
    return lambda t: (tf.count_calls(t, funcs), tf.ops(t))


_DEFAULT_MEASURES = {TRIG: fu_measure(TRIG), HYPER: fu_measure(HYPER), None: fu_measure()}


@lru_cache(maxsize=32)
def _programs(fam: Family, measure: Callable, safe: bool) -> dict:
    T = family_strategies(fam)
    g = T.get
    TR0, TR5, TR6, TR8, TR9, TR10i, TR11 = (T[k] for k in
                                           ("TR0", "TR5", "TR6", "TR8", "TR9", "TR10i", "TR11"))
    morrie = _identity if safe else T["TRmorrie"]
    CTR1 = Best(measure, Seq(TR5, TR0), Seq(TR6, TR0), _identity)
    CTR2 = Seq(TR11, Best(measure, Seq(TR5, TR0), Seq(TR6, TR0), TR0))
    CTR3 = Best(measure, Seq(morrie, TR8, TR0), Seq(morrie, TR8, TR10i, TR0), _identity)
    CTR4 = Best(measure, TR10i, _identity)
    RL1 = TR0 if safe else Seq(T["TR12"], T["TR13"], TR0)
    RL2 = Best(measure,
               Seq(T["TR10"], TR11),
               Seq(TR5, T["TR7"], TR11),
               Seq(CTR3, CTR1, TR9, CTR2, TR9, TR9, CTR4),
               _identity)
    return {"TR1": g("TR1", _identity), "TR2": T["TR2"], "TR2i": T["TR2i"], "TR8": TR8,
            "TRmorrie": morrie, "RL1": RL1, "RL2": RL2}


def fu_family(t: Term, fam: Family = TRIG, measure: Callable | None = None,
              safe: bool = True) -> Term:
    """Fu's algorithm for one family on a native term (see ``fu``)."""
    measure = measure or _DEFAULT_MEASURES[fam]
    P = _programs(fam, measure, safe)
    tangents = frozenset(f for f in (fam.tan, fam.cot) if f is not None)
    sincos = frozenset((fam.sin, fam.cos))
    was: tuple = (t, [])

    def step(f: Callable, cand: tuple) -> tuple:
        r, ev = run_traced(f, cand[0])
        return r, cand[1] + (ev or [])

    rv = step(P["TR1"], was)
    if tf.has_calls(rv[0], tangents):
        rv1 = step(P["RL1"], rv)
        if measure(rv1[0]) < measure(rv[0]):
            rv = rv1
        if tf.has_calls(rv[0], tangents):
            rv = step(P["TR2"], rv)
    if tf.has_calls(rv[0], sincos):
        rv1 = step(P["RL2"], rv)
        rv2 = step(P["TR8"], step(P["TRmorrie"], rv1))
        rv = min([was, rv, rv1, rv2], key=lambda c: measure(c[0]))
    rv = min([step(P["TR2i"], rv), rv], key=lambda c: measure(c[0]))
    adopt(rv[1])
    return rv[0]


def fu(expr: Any, measure: Callable[[Term], Any] | None = None, *, safe: bool = True,
       trace: bool = False) -> Any:
    """Simplify the trigonometric functions of ``expr`` by Fu's rules, then the hyperbolic
    ones by the same program (``σ = −1``); never returns something costlier than ``expr``
    by ``measure`` (default ``fu_measure()``: number of trigonometric and hyperbolic
    functions, then ``count_ops``).  ``safe=False`` adds TR12, TR13 and
    TRmorrie (may add removable poles).  ``trace=True`` gives ``(result, RewriteTrace)``.

    >>> from symnb import symbols, sin, cos
    >>> x, y = symbols("x y")
    >>> fu(sin(x)*cos(y) + cos(x)*sin(y))
    sin(x + y)
    >>> r, tr = fu(1 - 2*sin(x)**2, trace=True)
    >>> r, [s.rule for s in tr]
    (cos(2*x), ['TR8 (products → sums)'])
    """
    from .entry import run_entry

    m = measure or _DEFAULT_MEASURES[None]

    def both(t: Term) -> Term:
        t = fu_family(t, TRIG, m, safe)
        return fu_family(t, HYPER, m, safe) if tf.has_calls(t, HYPER.functions) else t
    return run_entry(expr, both, trace, "fu")
