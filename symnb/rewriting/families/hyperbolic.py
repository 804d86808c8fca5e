"""Hyperbolic functions: Fu's rules for sinh/cosh/tanh (``HTR…``) and the exponential forms.

The TR rules come from ``fu.family_rulesets(HYPER)`` (same identities as the circular
ones with ``σ = −1``: ``cosh² − sinh² = 1``, ``cosh(a+b) = cosh a cosh b + sinh a sinh b``).
The exponential forms go both ways: ``HTRexp`` writes sinh, cosh, tanh with ``exp``;
``HTRexpi`` combines ``p·exp(u) ± p·exp(−u)`` into ``2p·cosh u`` or ``2p·sinh u`` and
``cosh u ± sinh u`` into ``exp(±u)``, and ``(eᵛ − 1)/(eᵛ + 1)`` into ``tanh(v/2)``.

>>> from symnb import symbols, exp, sinh, cosh
>>> x = symbols("x")
>>> hypersimp(cosh(x)**2 - sinh(x)**2)
1
>>> hypersimp((exp(x) + exp(-x))/2)
cosh(x)
>>> hypersimp(cosh(x) - sinh(x))
exp(-x)
>>> hypersimp((exp(2*x) - 1)/(exp(2*x) + 1))
tanh(x)
"""
from __future__ import annotations

from typing import Any, Callable

from ..rule import Rule, rule
from ..strategies import Chain, Fixpoint, Postwalk
from ...terms.core import Add, Call, Term
from ...terms.functions import cosh, exp, sinh, tanh
from . import trigfamily as tf
from .combinators import Best, Seq
from .fu_program import fu_family
from .tr_rules import family_rulesets, family_strategies, term_rule
from .trigfamily import HYPER

__all__ = ["HYPER_RULESETS", "hyper_to_exp", "exp_to_hyper", "hypersimp", "hyper_measure",
           "HYPER_FUNCS"]

HYPER_FUNCS = frozenset((sinh, cosh, tanh))
_WITH_EXP = HYPER_FUNCS | {exp}


def _exp_arg(f: dict) -> list:
    """``(sign, u, rest)`` for each ``exp(±u)`` factor to the power one (``u`` sign-normalised)."""
    out = []
    for b, e in f.items():
        if type(b) is Call and b.func is exp and type(e) is int and e == 1:
            a = b.args_[0]
            sign = -1 if tf.negative_lead(a) else 1
            rest = dict(f)
            del rest[b]
            out.append((sign, -a if sign < 0 else a, tf.build_product(1, rest)))
    return out


def _exp_pairs(t: Term) -> Term | None:
    """``p·R·exp(u) + p·R·exp(−u) → 2p·R·cosh u``; with ``−p``: ``2p·R·sinh u``."""
    def keys(unit: Term) -> list:
        _, f = tf.factors_of(unit)
        return [((u, rest), (sign, u, rest)) for sign, u, rest in _exp_arg(f)]

    def join(p: tuple, q: tuple) -> Term | None:
        (ci, (si, u, rest)), (cj, (sj, _, _)) = p, q
        if si == sj:
            return None
        cplus = ci if si > 0 else cj
        return 2 * cplus * rest * (cosh(u) if ci == cj else sinh(u))
    return tf.combine_pairs(t, keys, join)


def _hyper_pairs(t: Term) -> Term | None:
    """``p·R·cosh u ± p·R·sinh u → p·R·exp(±u)``."""
    def keys(unit: Term) -> list:
        _, f = tf.factors_of(unit)
        out = []
        for b, e in f.items():
            if type(b) is Call and b.func in (sinh, cosh) and type(e) is int and e == 1:
                rest = dict(f)
                del rest[b]
                r = tf.build_product(1, rest)
                out.append(((b.args_[0], r), (b.func, b.args_[0], r)))
        return out

    def join(p: tuple, q: tuple) -> Term | None:
        (ci, (fi, u, rest)), (cj, (fj, _, _)) = p, q
        if fi is fj:
            return None
        ccosh = ci if fi is cosh else cj
        return ccosh * rest * exp(u if ci == cj else -u)
    return tf.combine_pairs(t, keys, join)


def _exp_shift(t: Term) -> tuple | None:
    """``(e, v, r)`` when ``t = e·(exp(v) + r)`` with ``e, r`` each ``±1``."""
    if type(t) is not Add or len(t.terms) != 1 or t.const not in (1, -1):
        return None
    ((u, c),) = t.terms.items()
    if type(u) is not Call or u.func is not exp or c not in (1, -1) or \
            type(c) is not int or type(t.const) is not int:
        return None
    return c, u.args_[0], t.const * c


def _tanh_quotient(t: Term) -> Term | None:
    """``p·R·(eᵛ − 1)/(eᵛ + 1) → p·R·tanh(v/2)`` and ``p·R·(eᵛ + 1)/(eᵛ − 1) → p·R/tanh(v/2)``
    (the same meromorphic function: the poles are where ``eᵛ = −1``, resp. ``eᵛ = 1``)."""
    coef, f = tf.factors_of(t)
    shifts = {b: _exp_shift(b) for b, e in f.items() if type(e) is int and e in (1, -1)}
    for nb, a in shifts.items():
        if a is None or f[nb] != 1:
            continue
        for db, d in shifts.items():
            if d is None or f[db] != -1 or d[1] != a[1] or d[2] == a[2]:
                continue
            rest = {b: e for b, e in f.items() if b is not nb and b is not db}
            th = tanh(a[1] / 2)
            k = tf.build_product(coef * a[0] * d[0], rest)
            return k * th if a[2] < 0 else k / th
    return None


def _hyper_to_exp_rules() -> tuple[Rule, ...]:
    return (rule("sinh(~x) => (exp(~x) - exp(-~x))/2", name="HTRexp (sinh → (eˣ − e⁻ˣ)/2)"),
            rule("cosh(~x) => (exp(~x) + exp(-~x))/2", name="HTRexp (cosh → (eˣ + e⁻ˣ)/2)"),
            rule("tanh(~x) => (exp(2*~x) - 1)/(exp(2*~x) + 1)",
                 name="HTRexp (tanh → (e²ˣ − 1)/(e²ˣ + 1))"))


def _exp_to_hyper_rules() -> tuple[Rule, ...]:
    return (term_rule("HTRexpi (p eᵘ ± p e⁻ᵘ → 2p cosh u, 2p sinh u)", "Add", _exp_pairs),
            term_rule("HTRexpi (cosh u ± sinh u → e^(±u))", "Add", _hyper_pairs),
            term_rule("HTRexpi ((eᵛ − 1)/(eᵛ + 1) → tanh(v/2))", "Mul", _tanh_quotient))


HYPER_RULESETS: dict[str, tuple[Rule, ...]] = {
    **{"H" + k: v for k, v in family_rulesets(HYPER).items()},
    "HTRexp": _hyper_to_exp_rules(),
    "HTRexpi": _exp_to_hyper_rules(),
}
"""Hyperbolic rule sets: ``HTR5`` (sinh² → cosh² − 1), ..., ``HTRexp``, ``HTRexpi``."""

hyper_to_exp = Fixpoint(Postwalk(Chain(HYPER_RULESETS["HTRexp"])), max_iter=20)
"""Strategy: sinh, cosh, tanh written with ``exp``."""
exp_to_hyper = Fixpoint(Postwalk(Chain(HYPER_RULESETS["HTRexpi"])), max_iter=20)
"""Strategy: pairs of ``exp(±u)`` and of ``cosh u, sinh u`` combined."""


def hyper_measure(t: Term) -> tuple:
    """(``count_ops``, number of sinh/cosh/tanh/exp calls)."""
    return tf.ops(t), tf.count_calls(t, _WITH_EXP)


def hypersimp(t: Term, measure: Callable[[Term], Any] | None = None) -> Term:
    """Simplify the hyperbolic functions and ``exp(±u)`` pairs of a native term: Fu's
    program for sinh/cosh/tanh and the exponential forms, in both orders, and a round trip
    through ``exp`` (``HTRexp``, TR0, ``HTRexpi``); the cheapest candidate by
    ``measure`` (default ``hyper_measure``), the input on ties."""
    measure = measure or hyper_measure
    if not tf.has_calls(t, _WITH_EXP):
        return t

    def fu_h(u: Term) -> Term:
        return fu_family(u, HYPER) if tf.has_calls(u, HYPER_FUNCS) else u
    tr0 = family_strategies(HYPER)["TR0"]
    return Best(measure, lambda u: u, Seq(fu_h, exp_to_hyper), Seq(exp_to_hyper, fu_h),
                Seq(hyper_to_exp, tr0, exp_to_hyper, fu_h))(t)
