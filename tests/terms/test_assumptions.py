"""Assumptions: sympy's implications and contradictions, ``ask``, bridges, parsing, pickling."""
import math
import pickle
import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symnb import Abs, Number, Symbol, cos, evaluate, exp, log, parse, sign, sin, sinh, sqrt, \
    symbols, to_latex, to_str
from symnb.terms import FACTS, ask
from symnb.terms.sympy_bridge import from_sympy, to_sympy

from .values import SYM_VALUES, cvalue, draw_value, expressions, k, m, n, p, q, r, x, z


# ----- declaration ---------------------------------------------------------------------
@pytest.mark.parametrize("given,implied", [
    ({"positive": True}, {"real": True, "nonzero": True, "nonnegative": True, "negative": False,
                          "nonpositive": False, "zero": False}),
    ({"negative": True}, {"real": True, "nonzero": True, "nonpositive": True, "positive": False}),
    ({"integer": True}, {"real": True}),
    ({"nonzero": True}, {"real": True, "zero": False}),
    ({"nonnegative": True}, {"real": True, "negative": False}),
    ({"nonnegative": True, "nonzero": True}, {"positive": True}),
    ({"nonnegative": True, "nonpositive": True}, {"zero": True, "integer": True}),
    ({"real": True, "positive": False, "negative": False}, {"zero": True}),
    ({"integer": False}, {"zero": False}),
    ({"real": False}, {"positive": False, "negative": False, "nonzero": False, "integer": False,
                       "nonnegative": False}),
])
def test_implications_match_sympy(given, implied):
    sym = Symbol("a", **given)
    facts = sym.assumptions0
    for f, v in implied.items():
        assert facts[f] is v, f
    ref = sympy.Symbol("a", **given)
    for f in FACTS:                       # every decided fact agrees with sympy's
        assert ask(sym, f) == getattr(ref, "is_" + f), f


def test_unknowns_stay_unknown():
    assert ask(Symbol("a", integer=False), "real") is None
    assert ask(x, "real") is None and ask(x, "positive") is None
    assert Symbol("a").assumptions0 == {}


@pytest.mark.parametrize("given", [
    {"positive": True, "negative": True}, {"positive": True, "real": False},
    {"integer": True, "real": False}, {"nonnegative": True, "negative": True},
    {"nonzero": True, "zero": True}, {"positive": True, "nonpositive": True},
    {"zero": True, "integer": False},
])
def test_contradictions_raise_one_line_at_declaration(given):
    with pytest.raises(ValueError, match="contradictory assumptions for 'a'") as e:
        Symbol("a", **given)
    assert "\n" not in str(e.value)
    with pytest.raises(ValueError):
        symbols("b c", **given)


def test_bad_assumption_names_and_values():
    with pytest.raises(ValueError, match="unknown assumption 'prime'"):
        Symbol("a", prime=True)
    with pytest.raises(ValueError, match="must be True, False or None"):
        Symbol("a", positive=1)
    with pytest.raises(ValueError, match="unknown fact 'odd'"):
        ask(x, "odd")
    assert Symbol("a", positive=None) is Symbol("a")


def test_assumptions_are_part_of_identity():
    assert p is Symbol("p", positive=True) is Symbol("p", positive=True, real=True, nonzero=True)
    assert p is not Symbol("p") and Symbol("p") is not Symbol("p", real=True)
    assert (Symbol("p") + p).terms.keys() == {Symbol("p"), p}     # two different symbols
    assert p - p is Number(0)
    a, b = symbols("a b", integer=True)
    assert ask(a, "integer") and ask(b, "integer")
    assert symbols("t0:3", positive=True)[2] is Symbol("t2", positive=True)


def test_printing_is_unchanged():
    assert to_str(p + x) == to_str(Symbol("p") + x) == "p + x"
    assert to_latex(sqrt(p)) == to_latex(sqrt(Symbol("p")))
    assert repr(p) == "p"


# ----- ask -----------------------------------------------------------------------------
@pytest.mark.parametrize("term,fact,expected", [
    (p + q, "positive", True), (p * q, "positive", True), (p - q, "positive", None),
    (p - q, "real", True), (-p, "negative", True), (p / q, "positive", True),
    (r ** 2, "nonnegative", True), (r ** 2, "positive", None), (x ** 2, "nonnegative", None),
    (r ** 2 + 1, "positive", True), (n ** 2, "integer", True), (n * r, "real", True),
    (n * Fraction(1, 2), "integer", None), (n + 1, "integer", True), (m * m, "positive", True),
    (m ** 3, "negative", True), (z ** 2, "positive", True), (z ** -1, "nonzero", True),
    (sqrt(p), "positive", True), (sqrt(k), "nonnegative", True), (sqrt(m), "real", False),
    (sqrt(r), "real", None), (p ** r, "positive", True), (p ** x, "positive", None),
    (exp(r), "positive", True), (exp(x), "positive", None), (exp(x), "zero", False),
    (log(p), "real", True), (log(p), "positive", None), (log(m), "real", False),
    (log(x), "real", None), (Abs(x), "nonnegative", True), (Abs(x), "real", True),
    (Abs(z), "positive", True), (Abs(n), "integer", True), (sign(r), "integer", True),
    (sin(r), "real", True), (sin(x), "real", None), (cos(r) + 2, "positive", None),
    (sinh(p), "positive", True), (Number(3), "integer", True),
    (Number(Fraction(3, 2)), "integer", False),
    (Number(-2.5), "negative", True), (Number(0), "zero", True), (Number(2.0), "integer", None),
    (exp(r) + p, "positive", True), (p * x, "real", None), (0 * x + p, "positive", True),
])
def test_ask(term, fact, expected):
    assert ask(term, fact) is expected
    # sympy draws the same conclusion, or cannot decide what symnb decides
    theirs = getattr(to_sympy(term), "is_" + fact)
    assert theirs is None or expected is None or theirs is expected


def test_ask_on_sympy_terms_uses_sympy():
    sp = sympy.Symbol("p", positive=True)
    assert ask(sp + 1, "positive") is True and ask(sympy.Symbol("w"), "real") is None
    assert ask(object(), "real") is None


def test_ask_on_symengine_terms_trusts_only_numbers():
    import symengine
    assert ask(symengine.Symbol("w"), "integer") is None      # symengine's is_integer is False
    assert ask(symengine.Integer(2), "positive") is True
    assert ask(symengine.Rational(1, 2), "integer") is False


TOL = 1e-7


def _holds(fact: str, v: complex) -> bool | None:
    """Whether ``v`` has ``fact``, or None when too close to a border to tell."""
    scale = max(1.0, abs(v))
    real = abs(v.imag) <= TOL * scale
    if not real:
        return False if abs(v.imag) > 1e-4 * scale else None
    a = v.real
    if abs(a) <= TOL * scale:    # zero, or a tiny value rounded: signs cannot be told
        return True if fact == "real" else None
    near_int = abs(a - round(a)) <= TOL * scale
    return {"real": True, "positive": a > 0, "negative": a < 0, "zero": False, "nonzero": True,
            "nonnegative": a > 0, "nonpositive": a < 0,
            "integer": True if near_int else (False if abs(a - round(a)) > 1e-4 else None)}[fact]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(t=expressions, seed=st.integers(0, 10 ** 6))
def test_ask_is_sound_at_random_points(t, seed):
    try:
        verdicts = {f: ask(t, f) for f in FACTS}
    except ZeroDivisionError:
        return
    decided = {f: v for f, v in verdicts.items() if v is not None}
    if not decided:
        return
    rnd = random.Random(seed)
    for _ in range(3):
        env = {sym: draw_value(SYM_VALUES[sym], rnd) for sym in t.free_symbols}
        v = cvalue(t, env)
        if v is None:
            continue
        for f, claim in decided.items():
            seen = _holds(f, v)
            assert seen is None or seen is claim, (str(t), f, claim, env, v)


# ----- bridges, parsing, pickling, evaluation --------------------------------------------
def test_sympy_round_trip_keeps_assumptions():
    e = p * x + sqrt(r ** 2) + log(n + k) + m * z
    se = to_sympy(e)
    syms = {str(v): v for v in se.free_symbols}
    assert syms["p"].is_positive and syms["x"].is_positive is None
    assert syms["n"].is_integer and syms["k"].is_nonnegative and syms["z"].is_nonzero
    assert from_sympy(se) is e
    assert to_sympy(p) == sympy.Symbol("p", positive=True)
    assert from_sympy(sympy.Symbol("p", positive=True)) is p
    # facts symnb does not model are dropped, the ones it models are kept
    assert from_sympy(sympy.Symbol("a", prime=True)) is Symbol("a", positive=True, integer=True)
    assert from_sympy(sympy.Symbol("a", rational=True)) is Symbol("a", real=True)


def test_symengine_has_no_assumptions():
    from symnb.terms.symengine_bridge import from_symengine, to_symengine
    e = p * x + 1
    assert str(to_symengine(e)) in ("1 + p*x", "1 + x*p")
    assert from_symengine(to_symengine(e)) is Symbol("p") * x + 1
    assert from_symengine(to_symengine(e), symbols=e.free_symbols) is e


def test_parse_keeps_given_symbols_and_pickle_keeps_assumptions():
    assert parse("p*x + 1", {"p": p}) is p * x + 1
    assert parse("p*x + 1") is Symbol("p") * x + 1
    e = sqrt(p) + n * x
    assert pickle.loads(pickle.dumps(e)) is e
    assert pickle.loads(pickle.dumps(p)) is p


def test_evaluate_by_name_finds_assumption_symbols():
    assert evaluate(p + 1, {"p": 2}) == 3.0
    assert math.isclose(log(p).evaluate(p=math.e), 1.0)


def test_root_of_a_reciprocal_folds_only_off_the_negative_axis():
    # sqrt(1/x) = 1/sqrt(x) fails at x = -4 (I/2 against -I/2): sympy keeps it, so do we
    assert sqrt(1 / x) is not 1 / sqrt(x)
    assert sqrt(1 / p) is 1 / sqrt(p) and sqrt(1 / k) is 1 / sqrt(k)
    env = {x: -4.0}
    assert cvalue(sqrt(1 / x), env) == pytest.approx(0.5j)
    assert cvalue(1 / sqrt(x), env) == pytest.approx(-0.5j)
