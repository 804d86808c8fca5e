"""Fu, Zhong and Zeng's (2006) simplification strategy, on the rewriting engine.

Each TR rule is a named ``Rule`` (so a ``RewriteTrace`` shows ``TR5 (sin² → 1 − cos²)``),
run to a fixpoint bottom-up.  Fu's combination rules chain them (``Seq``, Fu's tuples)
or try each branch from the same input and keep the cheapest (``Best``, Fu's lists),
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

from .. import recorder
from ..pattern import Slot
from ..rule import Rule
from ..strategies import Chain, Fixpoint, Postwalk
from ...terms.calculus import expand
from ...terms.core import Term
from . import trigcore as tc
from . import trigfamily as tf
from .multiple_angle import multiple_angle
from .trigfamily import HYPER, TRIG, Family

__all__ = ["fu", "fu_family", "fu_measure", "family_rulesets", "family_strategies",
           "term_rule", "normal_form", "Seq", "Best", "Guarded", "run_traced"]

normal_form: Callable[[Term], Term] = expand
"""TR0's polynomial normal form.  After ``symnb.polys`` lands: ``cancel`` (one line)."""


def term_rule(name: str, heads: Any, fn: Callable[[Term], Term | None]) -> Rule:
    """A named rule on whole terms: ``fn(t)`` is the rewritten term or None.  ``heads``
    (an operation name or a set of them) lets ``Chain`` skip terms of other heads."""
    r = Rule(Slot("t"), lambda m: _on_native(fn, m["t"]), name)
    r.head = heads if isinstance(heads, str) else frozenset(heads)
    return r


def _on_native(fn: Callable[[Term], Term | None], t: Any) -> Any:
    """``fn`` on a native term; a sympy or symengine term goes through its bridge."""
    if isinstance(t, Term):
        return fn(t)
    lib = type(t).__module__.split(".", 1)[0]
    if lib == "sympy":
        from ...terms.sympy_bridge import from_sympy as there, to_sympy as back
    elif lib == "symengine":
        from ...terms.symengine_bridge import from_symengine as there, to_symengine as back
    else:
        return None
    r = fn(there(t))
    return None if r is None else back(r)


def _names(fam: Family) -> dict:
    s, c, t = fam.sin.name, fam.cos.name, fam.tan.name
    p = fam.prefix
    m = "−" if fam.sigma == 1 else "+"          # the sign in c(a+b) = c c ∓ s s
    s2 = f"1 − {c}²" if fam.sigma == 1 else f"{c}² − 1"
    c2 = f"1 − {s}²" if fam.sigma == 1 else f"1 + {s}²"
    return {
        "TR1": f"{p}1 (sec → 1/cos, csc → 1/sin)",
        "TR2": f"{p}2 ({t} → {s}/{c}" + (", cot → cos/sin)" if fam.cot else ")"),
        "TR2i": f"{p}2i ({s}/{c} → {t}, {s}/(1 + {c}) → {t}(x/2))",
        "TR5": f"{p}5 ({s}² → {s2})",
        "TR6": f"{p}6 ({c}² → {c2})",
        "TR7": f"{p}7 ({c}² → (1 + {c} 2x)/2)",
        "TR8": f"{p}8 (products → sums)",
        "TR9": f"{p}9 (sums → products)",
        "TR10": f"{p}10 ({s}(a + b) → {s} a {c} b + {c} a {s} b)",
        "TR10i": f"{p}10i ({s} a {c} b + {c} a {s} b → {s}(a + b), "
                 f"{c} a {c} b {m} {s} a {s} b → {c}(a + b))",
        "TR11": f"{p}11 ({s} 2x → 2 {s} x {c} x)",
        "TR12": f"{p}12 ({t}(a + b) → ({t} a + {t} b)/(1 {m} {t} a {t} b))",
        "TR13": f"{p}13 ({t} a {t} b → products of {t}(a + b))",
        "TR22": f"{p}22 ({t}² → sec² − 1, cot² → csc² − 1)",
        "TRmorrie": f"{p}morrie ({c} x {c} 2x ⋯ → {s} 2ⁿx/(2ⁿ {s} x))",
        "TRmult": f"{p}mult ({c} nx, {s} nx → Chebyshev polynomials)",
    }


def family_rulesets(fam: Family) -> dict[str, tuple[Rule, ...]]:
    """Fu's TR rule sets for one family: name -> rules (one named rule each)."""
    return dict(_rulesets(fam))


@lru_cache(maxsize=None)
def _rulesets(fam: Family) -> tuple:
    n = _names(fam)
    fam_heads = {f.name for f in fam.functions}
    spec = [
        ("TR1", {"sec", "csc"}, tc.reciprocals_to_cos_sin),
        ("TR2", {fam.tan.name, "cot"}, tc.to_sin_cos),
        ("TR2i", "Mul", tc.to_tan),
        ("TR5", "Pow", lambda f, t: tc.pythagorean_power(f, t, "sin")),
        ("TR6", "Pow", lambda f, t: tc.pythagorean_power(f, t, "cos")),
        ("TR7", "Pow", tc.cos_square_to_double),
        ("TR8", {"Mul", "Pow"}, tc.products_to_sums),
        ("TR9", "Add", tc.sums_to_products),
        ("TR10", fam_heads, tc.expand_angle_sum),
        ("TR10i", "Add", tc.sum_to_angle),
        ("TR11", fam_heads, tc.double_angle),
        ("TR12", fam.tan.name, tc.tan_angle_sum),
        ("TR13", "Mul", tc.tan_products),
        ("TR22", "Pow", tc.tan_square_to_sec),
        ("TRmorrie", "Mul", tc.morrie),
        ("TRmult", fam_heads, multiple_angle),
    ]
    if fam.sec is None:
        spec = [s for s in spec if s[0] not in ("TR1", "TR22")]
    return tuple((key, (term_rule(n[key], heads, (lambda g: lambda t: g(fam, t))(fn)),))
                 for key, heads, fn in spec)


class Guarded:
    """``strategy(t)`` only when ``t`` calls one of ``funcs`` (else ``t`` at once): a rule
    set whose rules all need such a call skips the walk over terms without one."""

    __slots__ = ("strategy", "funcs")

    def __init__(self, strategy: Callable[[Term], Term], funcs: frozenset) -> None:
        self.strategy, self.funcs = strategy, funcs

    def __call__(self, t: Term) -> Term:
        if not isinstance(t, Term) or tf.has_calls(t, self.funcs):
            return self.strategy(t)
        return t

    def __repr__(self) -> str:
        return f"Guarded({self.strategy!r})"


def _needs(fam: Family) -> dict:
    """Rule set -> the functions one of which a term must call for a rule to apply."""
    s, c, t = fam.sin, fam.cos, fam.tan
    tc_ = frozenset(f for f in (t, fam.cot) if f is not None)
    sc = frozenset((s, c))
    return {"TR1": frozenset(f for f in (fam.sec, fam.csc) if f is not None), "TR2": tc_,
            "TR2i": frozenset((s,)), "TR5": frozenset((s,)), "TR6": frozenset((c,)),
            "TR7": frozenset((c,)), "TR8": sc, "TR9": sc, "TR10": sc, "TR10i": sc,
            "TR11": sc, "TR12": frozenset((t,)), "TR13": tc_, "TR22": tc_,
            "TRmorrie": frozenset((c,)), "TRmult": sc | {t}}


@lru_cache(maxsize=None)
def family_strategies(fam: Family) -> dict[str, Callable[[Term], Term]]:
    """Each rule set as a strategy ``Fixpoint(Postwalk(Chain(rules)))`` (skipped on terms
    without the functions it needs), plus ``TR0``."""
    needs = _needs(fam)
    out: dict = {k: Guarded(Fixpoint(Postwalk(Chain(rules)), max_iter=50), needs[k])
                 for k, rules in _rulesets(fam)}
    out["TR0"] = _tr0
    return out


def _tr0(t: Term) -> Term:
    """TR0: the polynomial normal form, recorded as one step when it changes ``t``."""
    r = normal_form(t)
    tr = recorder.ACTIVE
    if tr is not None and r is not t:
        tr.record(f"TR0 ({getattr(normal_form, '__name__', 'normal form')})", t, r)
    return r


# ----------------------------------------------------------------------
# Fu's combinators, with traces that keep only the chosen branch
# ----------------------------------------------------------------------
def run_traced(f: Callable[[Term], Term], t: Term) -> tuple[Term, list | None]:
    """``f(t)`` and, while a trace is recorded, the events of this run alone."""
    if recorder.ACTIVE is None:
        return f(t), None
    tr = recorder.Tracer()
    with recorder.active(tr):
        r = f(t)
    return r, tr.events


def _adopt(events: list | None) -> None:
    """Append a chosen branch's events to the active trace (paths below its current path)."""
    tr = recorder.ACTIVE
    if tr is None or not events:
        return
    base = tuple(tr.path)
    tr.events.extend((r, base + p, b, a) for r, p, b, a in events)


class Seq:
    """Fu's tuple: apply each transform to the result of the previous one."""

    __slots__ = ("fs",)

    def __init__(self, *fs: Callable[[Term], Term]) -> None:
        self.fs = fs

    def __call__(self, t: Term) -> Term:
        for f in self.fs:
            t = f(t)
        return t


class Best:
    """Fu's list: each branch from the same input; the least ``measure`` wins (first on ties)."""

    __slots__ = ("fs", "measure")

    def __init__(self, measure: Callable[[Term], Any], *fs: Callable[[Term], Term]) -> None:
        self.fs, self.measure = fs, measure

    def __call__(self, t: Term) -> Term:
        best = None
        for f in self.fs:
            r, ev = run_traced(f, t)
            key = self.measure(r)
            if best is None or key < best[0]:
                best = (key, r, ev)
        _adopt(best[2])
        return best[1]


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
    _adopt(rv[1])
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
