"""Rule sets shipped as data: (name, rule text) pairs, grouped by topic.

Rules are identities on the whole complex plane wherever both sides are
defined (sympy's semantics; the property tests check each one numerically at
real and complex points).  A rule that holds only under an assumption says so
with an assumption predicate (``~x::real``, ``~x::positive``, ...): it fires
only when ``ask`` proves the fact, so ``log(exp(y))`` stays for a complex
``y`` and becomes ``y`` for a real one.  They are built into ``Rule``
objects on first use.

>>> [r.name for r in ruleset("trig")][:2]
['pythagorean', 'one-minus-sin2']
>>> sorted(RULESETS)
['algebra', 'exp_log', 'fractions', 'powers', 'trig']
"""
from __future__ import annotations

from functools import lru_cache

from .rule import Rule, rule

__all__ = ["RULESETS", "ruleset", "default_rules", "DEFAULT_SETS"]

RULESETS: dict[str, tuple[tuple[str, str], ...]] = {
    "algebra": (
        ("add-zero", "~x + 0 => ~x"),
        ("mul-one", "~x * 1 => ~x"),
        ("mul-zero", "~x * 0 => 0"),
        ("factor-common", "~x::not_number + ~y*~x::not_number => (1 + ~y)*~x"),
    ),
    "powers": (
        ("pow-one", "~x^1 => ~x"),
        ("pow-zero", "~x^0 => 1"),
        ("one-pow", "1^~x => 1"),
        ("pow-pow", "(~x^~a)^~n::integer => ~x^(~a*~n)"),
        ("pow-pow-positive", "(~x::positive^~a::real)^~b => ~x^(~a*~b)"),
        ("mul-pow", "~x^~a * ~x^~b => ~x^(~a + ~b)"),
        ("sqrt-square-nonnegative", "sqrt(~x::nonnegative^2) => ~x"),
        ("sqrt-square-real", "sqrt(~x::real^2) => Abs(~x)"),
        ("abs-nonnegative", "Abs(~x::nonnegative) => ~x"),
        ("abs-nonpositive", "Abs(~x::nonpositive) => -~x"),
    ),
    "exp_log": (
        ("log-exp", "log(exp(~x::real)) => ~x"),
        ("exp-log", "exp(log(~x)) => ~x"),
        ("exp-mul", "exp(~x) * exp(~y) => exp(~x + ~y)"),
        ("exp-pow", "exp(~x)^~n::integer => exp(~n*~x)"),
        ("exp-real-pow", "exp(~x::real)^~y => exp(~y*~x)"),
    ),
    "trig": (
        ("pythagorean", "~!c*sin(~x)^2 + ~!c*cos(~x)^2 => ~c"),
        ("one-minus-sin2", "1 - sin(~x)^2 => cos(~x)^2"),
        ("one-minus-cos2", "1 - cos(~x)^2 => sin(~x)^2"),
        ("double-angle-sin", "2*sin(~x)*cos(~x) => sin(2*~x)"),
        ("double-angle-cos", "cos(~x)^2 - sin(~x)^2 => cos(2*~x)"),
        ("tan", "sin(~x)/cos(~x) => tan(~x)"),
    ),
    "fractions": (
        ("common-denominator", "~!x/~z + ~!y/~z => (~x + ~y)/~z"),
        ("fraction-of-fraction", "(~x/~y)^(-1) => ~y/~x"),
    ),
}
"""Topic -> ((rule name, rule text), ...).  Edit or extend freely; ``ruleset`` builds them."""

DEFAULT_SETS = ("algebra", "powers", "exp_log", "trig", "fractions")
"""The sets ``simplify(expr, using="rules")`` applies, in this order."""


@lru_cache(maxsize=None)
def _built(name: str) -> tuple[Rule, ...]:
    try:
        spec = RULESETS[name]
    except KeyError:
        raise ValueError(f"unknown rule set {name!r}; known: {', '.join(sorted(RULESETS))}") \
            from None
    return tuple(rule(text, name=rname) for rname, text in spec)


def ruleset(name: str) -> list[Rule]:
    """The rules of one shipped set."""
    return list(_built(name))


def default_rules() -> list[Rule]:
    """All rules of ``DEFAULT_SETS``."""
    return [r for n in DEFAULT_SETS for r in _built(n)]
