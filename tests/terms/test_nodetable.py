"""Terms pickle through the exact node table (symnb.terms.nodetable), not through text."""
from __future__ import annotations

import math
import pickle
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings

from symnb.terms import Function, Symbol, cos, exp, log, sin, sqrt, symbols
from symnb.terms.core import Number, Pow
from symnb.terms.nodetable import from_table, pack, unpack

from .strategies import expressions

X = Symbol("x")
XP = Symbol("x", positive=True)
XI = Symbol("x", integer=True)


def roundtrip(obj):
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def test_same_name_different_assumptions_stay_apart():
    e = X + 2 * XP + XI ** 3
    back = roundtrip(e)
    assert back is e
    syms = {s._worlds: s for s in back.free_symbols}
    assert len(syms) == 3 and {s.name for s in syms.values()} == {"x"}
    assert roundtrip([XP, X, sqrt(XP) * X]) == [XP, X, sqrt(XP) * X]


def test_any_symbol_name_and_functions_travel():
    a = Symbol("A(b!1).B(a!1)")
    f = Function("kf_user", 2)
    e = f(a, XP) * sin(a) + exp(cos(X)) - log(a)
    assert roundtrip(e) is e
    assert roundtrip(f) is f and roundtrip(f(X, X)).func.nargs == 2


def test_numbers_are_exact():
    huge = 10 ** 400 + 7
    tiny = Fraction(1, 3 ** 200)
    for v in (huge, -huge, tiny, 0.1, 1e308, math.inf, -math.inf, 2.0):
        assert roundtrip(Number(v)).value == v and type(roundtrip(Number(v)).value) is type(v)
    assert math.isnan(roundtrip(Number(math.nan)).value)
    e = huge * X + tiny * XP ** Fraction(1, 3) + 2.0 * X ** 1.5 + Number(10) ** (Number(10) ** 10)
    assert roundtrip(e) is e
    assert roundtrip(2.0 * X) is not roundtrip(2 * X)       # 2.0 and 2 are different nodes
    assert isinstance(Number(10) ** (Number(10) ** 10), Pow)


def test_term_exponents_and_products():
    y, z = symbols("y z")
    e = X ** y * z ** (y + 1) * 3 + exp(y) ** 2 / z
    table, roots = pack([e, y])
    assert unpack(table, roots) == [e, y]
    assert roundtrip(e) is e


def test_deep_nesting_does_not_recurse():
    e = X
    for i in range(3000):
        e = sin(e + i) if i % 2 else (e + 1) * XP
    assert roundtrip(e) is e
    table, _ = pack([e])
    assert from_table(table) is e and len(table) > 3000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_random_expressions_round_trip(e):
    assert roundtrip(e) is e
    table, roots = pack([e, e])
    assert roots[0] == roots[1] == len(table) - 1


def test_a_fresh_process_rebuilds_the_same_terms():
    f = Function("kf_fresh")
    a = Symbol("A(b!1)")
    e = f(XP) * X + a ** Fraction(2, 3) + 10 ** 50 * XI
    code = ("import pickle, sys\n"
            "e = pickle.loads(sys.stdin.buffer.read())\n"
            "print(e)\n"
            "print(sorted(repr((s.name, s.assumptions0)) for s in e.free_symbols))\n")
    r = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(e),
                         capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    out = r.stdout.decode().splitlines()
    assert out[0] == str(e)
    assert out[1] == str(sorted(repr((s.name, s.assumptions0)) for s in e.free_symbols))
    assert len(e.free_symbols) == 4


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="unknown kind 'q'"):
        unpack([("q", 1)], [0])
    with pytest.raises(TypeError, match="only native symnb terms"):
        pack([object()])
