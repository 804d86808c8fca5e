"""Fu's TR rules as named rule sets for a ``Family``, and each set as a strategy.

Each TR rule is one ``Rule`` whose name a ``RewriteTrace`` shows
(``TR5 (sin² → 1 − cos²)``, ``HTR5 (sinh² → cosh² − 1)``); the work is done by the
identities of ``trigcore.py`` on native terms (sympy and symengine terms go through
their bridges).  ``TR0`` is the polynomial normal form ``normal_form``.

>>> from symnb import symbols, sin, cos
>>> from symnb.rewriting import rewrite
>>> x = symbols("x")
>>> [r.name for r in family_rulesets(TRIG)["TR6"]]
['TR6 (cos² → 1 − sin²)']
>>> rewrite(cos(x)**4, family_strategies(TRIG)["TR6"])
(1 - sin(x)^2)^2
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from .. import recorder
from ..pattern import Slot
from ..rule import Rule
from ..strategies import Chain, Fixpoint, Postwalk
from ...terms.core import Term
from . import trigcore as tc
from ..normal_form import expand_or_cancel
from .combinators import Guarded
from .multiple_angle import multiple_angle
from .trigfamily import TRIG, Family

__all__ = ["family_rulesets", "family_strategies", "term_rule", "normal_form"]

normal_form: Callable[[Term], Term] = expand_or_cancel
"""TR0's normal form: the expanded form or ``symnb.polys.cancel``'s quotient, the cheaper
(bounded in size): cancelling closes ``tan(2x) - 2 tan x/(1 - tan² x)``."""


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
    tr = recorder.current_tracer()
    if tr is not None and r is not t:
        tr.record(f"TR0 ({getattr(normal_form, '__name__', 'normal form')})", t, r)
    return r
