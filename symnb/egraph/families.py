"""Rule sets per function family for ``egraph_simplify``: trigonometric, hyperbolic,
exp/log, powers, and the assumption analysis that guards some of them.

Every unguarded rule holds on the whole complex plane (away from poles and removable
singularities, as cancelling ``x/x`` does); rules valid only for positive or real
arguments carry ``when`` facts (``Positive``, ``Real``) that the e-graph proves from the
symbols' assumptions (loaded by ``egraph_simplify``) and the ``facts`` rules below.

>>> from symnb.egraph.families import SIMPLIFY, TRIG
>>> len(TRIG) > 10, SIMPLIFY.name
(True, 'simplify')
>>> from symnb import symbols, sin, cos
>>> from symnb.egraph import egraph_simplify
>>> x, y = symbols("x y")
>>> egraph_simplify(sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y))
0
"""
from __future__ import annotations

from fractions import Fraction

from .rulesets import ALGEBRA, CPU, ERule, RULESETS, RawRule, Ruleset, num

__all__ = ["TRIG", "HYPERBOLIC", "EXPLOG", "POWERS", "FACTS", "SIMPLIFY"]

ZERO, ONE, TWO, HALF = num(0), num(1), num(2), num(Fraction(1, 2))
_INT = "(= (denom n) (bigint 1))"
_Q1, _Q2, _Q3, _Q4 = (f"(bigrat (bigint {k}) (bigint 1))" for k in (1, 2, 3, 4))


def f(name: str, a: str) -> str:
    """The e-node of a call ``name(a)``."""
    return f'(Fn1 "{name}" {a})'


def _sq(a: str) -> str:
    return f"(Pow {a} {TWO})"


_trig: list = [
    ERule("sin-sum", f("sin", "(Add a b)"),
          f"(Add (Mul {f('sin', 'a')} {f('cos', 'b')}) (Mul {f('cos', 'a')} {f('sin', 'b')}))"),
    ERule("cos-sum", f("cos", "(Add a b)"),
          f"(Sub (Mul {f('cos', 'a')} {f('cos', 'b')}) (Mul {f('sin', 'a')} {f('sin', 'b')}))"),
    ERule("sin-sum-fold",
          f"(Add (Mul {f('sin', 'a')} {f('cos', 'b')}) (Mul {f('cos', 'a')} {f('sin', 'b')}))",
          f("sin", "(Add a b)")),
    ERule("cos-sum-fold",
          f"(Sub (Mul {f('cos', 'a')} {f('cos', 'b')}) (Mul {f('sin', 'a')} {f('sin', 'b')}))",
          f("cos", "(Add a b)")),
    ERule("sin-neg", f("sin", "(Neg a)"), f"(Neg {f('sin', 'a')})"),
    ERule("cos-neg", f("cos", "(Neg a)"), f("cos", "a")),
    ERule("sin-double", f("sin", f"(Mul a {TWO})"), f"(Mul (Mul {f('sin', 'a')} {f('cos', 'a')}) {TWO})"),
    ERule("cos-double", f("cos", f"(Mul a {TWO})"), f"(Sub {_sq(f('cos', 'a'))} {_sq(f('sin', 'a'))})"),
    ERule("cos-double-sin", f("cos", f"(Mul a {TWO})"),
          f"(Sub {ONE} (Mul {_sq(f('sin', 'a'))} {TWO}))"),
    ERule("cos-double-cos", f("cos", f"(Mul a {TWO})"),
          f"(Sub (Mul {_sq(f('cos', 'a'))} {TWO}) {ONE})"),
    ERule("sin2-half", _sq(f("sin", "a")),
          f"(Sub {HALF} (Mul {f('cos', f'(Mul a {TWO})')} {HALF}))"),
    ERule("sin2-cos2", _sq(f("sin", "a")), f"(Sub {ONE} {_sq(f('cos', 'a'))})"),
    ERule("cos2-sin2", _sq(f("cos", "a")), f"(Sub {ONE} {_sq(f('sin', 'a'))})"),
    ERule("pythagoras-1", f"(Add {_sq(f('sin', 'a'))} {_sq(f('cos', 'a'))})", ONE),
    ERule("tan-def", f("tan", "a"), f"(Div {f('sin', 'a')} {f('cos', 'a')})", bidirectional=True),
    ERule("sin-asin", f("sin", f("asin", "a")), "a"),
    ERule("cos-acos", f("cos", f("acos", "a")), "a"),
    ERule("tan-atan", f("tan", f("atan", "a")), "a"),
    ERule("sin-zero", f("sin", ZERO), ZERO),
    ERule("cos-zero", f("cos", ZERO), ONE),
]

_hyper: list = [
    ERule("sinh-sum", f("sinh", "(Add a b)"),
          f"(Add (Mul {f('sinh', 'a')} {f('cosh', 'b')}) (Mul {f('cosh', 'a')} {f('sinh', 'b')}))"),
    ERule("cosh-sum", f("cosh", "(Add a b)"),
          f"(Add (Mul {f('cosh', 'a')} {f('cosh', 'b')}) (Mul {f('sinh', 'a')} {f('sinh', 'b')}))"),
    ERule("sinh-sum-fold",
          f"(Add (Mul {f('sinh', 'a')} {f('cosh', 'b')}) (Mul {f('cosh', 'a')} {f('sinh', 'b')}))",
          f("sinh", "(Add a b)")),
    ERule("cosh-sum-fold",
          f"(Add (Mul {f('cosh', 'a')} {f('cosh', 'b')}) (Mul {f('sinh', 'a')} {f('sinh', 'b')}))",
          f("cosh", "(Add a b)")),
    ERule("sinh-neg", f("sinh", "(Neg a)"), f"(Neg {f('sinh', 'a')})"),
    ERule("cosh-neg", f("cosh", "(Neg a)"), f("cosh", "a")),
    ERule("sinh-double", f("sinh", f"(Mul a {TWO})"),
          f"(Mul (Mul {f('sinh', 'a')} {f('cosh', 'a')}) {TWO})"),
    ERule("cosh-double", f("cosh", f"(Mul a {TWO})"),
          f"(Add {_sq(f('cosh', 'a'))} {_sq(f('sinh', 'a'))})"),
    ERule("cosh2-sinh2", _sq(f("cosh", "a")), f"(Add {ONE} {_sq(f('sinh', 'a'))})"),
    ERule("sinh2-cosh2", _sq(f("sinh", "a")), f"(Sub {_sq(f('cosh', 'a'))} {ONE})"),
    ERule("tanh-def", f("tanh", "a"), f"(Div {f('sinh', 'a')} {f('cosh', 'a')})",
          bidirectional=True),
    ERule("exp-cosh-sinh", f("exp", "a"), f"(Add {f('cosh', 'a')} {f('sinh', 'a')})",
          bidirectional=True),
    ERule("exp-neg-cosh-sinh", f("exp", "(Neg a)"), f"(Sub {f('cosh', 'a')} {f('sinh', 'a')})",
          bidirectional=True),
]

_explog: list = [
    ERule("exp-log", f("exp", f("log", "a")), "a"),
    ERule("exp-sum", f("exp", "(Add a b)"), f"(Mul {f('exp', 'a')} {f('exp', 'b')})"),
    ERule("exp-neg", f("exp", "(Neg a)"), f"(Div {ONE} {f('exp', 'a')})"),
    ERule("exp-int-multiple", f("exp", "(Mul a (Num n))"), f"(Pow {f('exp', 'a')} (Num n))",
          when=(_INT,)),
    ERule("exp-int-power", f"(Pow {f('exp', 'a')} (Num n))", f("exp", "(Mul a (Num n))"),
          when=(_INT,)),
    ERule("exp-real-power", f"(Pow {f('exp', 'a')} b)", f("exp", "(Mul a b)"), when=("(Real a)",)),
    ERule("exp-log-power", f("exp", f"(Mul {f('log', 'a')} b)"), "(Pow a b)"),
    ERule("exp-log-power-r", f("exp", f"(Mul b {f('log', 'a')})"), "(Pow a b)"),
    ERule("log-one", f("log", ONE), ZERO),
    ERule("exp-zero", f("exp", ZERO), ONE),
    ERule("log-exp-real", f("log", f("exp", "a")), "a", when=("(Real a)",)),
    ERule("log-mul-pos", f("log", "(Mul a b)"), f"(Add {f('log', 'a')} {f('log', 'b')})",
          when=("(Positive a)",)),
    ERule("log-div-pos", f("log", "(Div a b)"), f"(Sub {f('log', 'a')} {f('log', 'b')})",
          when=("(Positive b)",)),
    ERule("log-pow-pos", f("log", "(Pow a b)"), f"(Mul b {f('log', 'a')})",
          when=("(Positive a)", "(Real b)")),
]

_powers: list = [
    ERule("pow-add", "(Mul (Pow a b) (Pow a c))", "(Pow a (Add b c))"),
    ERule("pow-add-one", "(Mul a (Pow a b))", f"(Pow a (Add b {ONE}))"),
    ERule("pow-sub-one", "(Div (Pow a b) a)", f"(Pow a (Sub b {ONE}))"),
    ERule("pow-split", "(Pow a (Add b c))", "(Mul (Pow a b) (Pow a c))"),
    ERule("pow-pow-int-any", "(Pow (Pow a b) (Num n))", "(Pow a (Mul b (Num n)))", when=(_INT,)),
    ERule("pow-pow-pos", "(Pow (Pow a b) c)", "(Pow a (Mul b c))",
          when=("(Positive a)", "(Real b)")),
    ERule("mul-pow-int", "(Pow (Mul a b) (Num n))", "(Mul (Pow a (Num n)) (Pow b (Num n)))",
          when=(_INT,)),
    ERule("mul-pow-pos", "(Pow (Mul a b) c)", "(Mul (Pow a c) (Pow b c))", when=("(Positive a)",)),
    ERule("mul-pow-fold", "(Mul (Pow a c) (Pow b c))", "(Pow (Mul a b) c)", when=("(Positive a)",)),
    ERule("mul-pow-fold-int", "(Mul (Pow a (Num n)) (Pow b (Num n)))", "(Pow (Mul a b) (Num n))",
          when=(_INT,)),
    ERule("div-self", "(Div a a)", ONE),
    ERule("div-cancel", "(Div (Mul a b) a)", "b"),
    ERule("div-cancel-mul", "(Div (Mul a b) (Mul a c))", "(Div b c)"),
    ERule("div-one", f"(Div a {ONE})", "a"),
    ERule("mul-div-cancel", "(Mul a (Div b a))", "b"),
    ERule("abs-pos", f("Abs", "a"), "a", when=("(Positive a)",)),
    ERule("abs-mul", f("Abs", "(Mul a b)"), f"(Mul {f('Abs', 'a')} {f('Abs', 'b')})"),
    ERule("abs-square-real", _sq(f("Abs", "a")), _sq("a"), when=("(Real a)",)),
    ERule("abs-pow-int", f("Abs", "(Pow a (Num n))"), f"(Pow {f('Abs', 'a')} (Num n))",
          when=(_INT,)),
    ERule("sign-pos", f("sign", "a"), ONE, when=("(Positive a)",)),
    ERule("double", "(Add a a)", f"(Mul a {TWO})"),
    # even powers through squares (sin^4 = (sin^2)^2 = (1 - cos^2)^2), multiples split
    # (sin(3x) = sin(2x + x)): what the angle and Pythagorean rules need to see
    ERule("pow-even-square", "(Pow a (Num n))", f"(Pow {_sq('a')} (Num (/ n {_Q2})))",
          when=(_INT, f"(>= n {_Q4})", f"(= (denom (/ n {_Q2})) (bigint 1))")),
    ERule("multiple-split", "(Mul a (Num n))", f"(Add (Mul a (Num (- n {_Q1}))) a)",
          when=(_INT, f"(>= n {_Q3})", f"(<= n {_Q4})")),
]

_Q0 = "(bigrat (bigint 0) (bigint 1))"
# What the e-graph can prove from the loaded facts: positive terms are real and nonzero;
# real terms stay real under + - * / and real functions; a positive base with a real
# exponent (and exp of a real) is positive.
_facts: list = [
    RawRule("real-pos", "((Positive e))", "((Real e))"),
    RawRule("real-num", "((= e (Num q)))", "((Real e))"),
    RawRule("real-flt", "((= e (Flt q)))", "((Real e))"),
    RawRule("real-add", "((= e (Add a b)) (Real a) (Real b))", "((Real e))"),
    RawRule("real-sub", "((= e (Sub a b)) (Real a) (Real b))", "((Real e))"),
    RawRule("real-mul", "((= e (Mul a b)) (Real a) (Real b))", "((Real e))"),
    RawRule("real-neg", "((= e (Neg a)) (Real a))", "((Real e))"),
    RawRule("pos-exp-real", '((= e (Fn1 "exp" a)) (Real a))', "((Positive e))"),
    RawRule("pos-pow-real", "((= e (Pow a b)) (Positive a) (Real b))", "((Positive e))"),
    RawRule("pos-abs", '((= e (Fn1 "Abs" a)) (Positive a))', "((Positive e))"),
] + [RawRule(f"real-{g}", f'((= e (Fn1 "{g}" a)) (Real a))', "((Real e))")
     for g in ("sin", "cos", "tan", "exp", "sinh", "cosh", "tanh", "atan", "Abs", "sign")]

TRIG = Ruleset("trig", _trig, check=False)
HYPERBOLIC = Ruleset("hyperbolic", _hyper, check=False)
EXPLOG = Ruleset("explog", _explog, check=False)
POWERS = Ruleset("powers", _powers, check=False)
FACTS = Ruleset("facts", _facts, check=False)

# the cpu rewrites that are simplifications too (no pow -> mul, no sign variants); not
# sin-cos-tan, pythagoras, add-neg-sub, neg-mul-one: the same rewrites as tan-def,
# pythagoras-1, sub-def and neg-def (a copy is one more rule to copy and query per call)
_CPU_SIMPLIFY = {"log-exp", "log-exp-num", "exp-add", "log-mul", "mul-neg",
                 "common-denominator", "div-mul-div", "div-div", "recip-mul-div",
                 "mul-recip-div"}
#: the default of ``egraph_simplify``: algebra, the families, the fact analysis.
# distribution is left to the polynomial normal forms (normal.py): with commutativity and
# associativity it multiplies the e-graph fastest
SIMPLIFY = Ruleset("simplify", [r for r in ALGEBRA.rules if r.name != "distribute"] +
                   [r for r in CPU.rules if r.name in _CPU_SIMPLIFY or r.name.startswith("pos-")]
                   + _trig + _hyper + _explog + _powers + _facts, check=False)

RULESETS.update({"trig": TRIG, "hyperbolic": HYPERBOLIC, "explog": EXPLOG, "powers": POWERS,
                 "facts": FACTS, "simplify": SIMPLIFY})
