"""symnb.compiler.as_written: values equal to ``evaluate``, no CSE, powers as pow calls,
the e-graph's extraction written out as extracted, clear errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from symnb.compiler.as_written import as_written_source, compile_as_written
from symnb.egraph import run_egraph
from symnb.egraph.costs import CostModel
from symnb.terms import Function, cos, evaluate, exp, log, sin, sqrt, symbols

from .conftest import mass_action

X, Y, Z = symbols("x y z")
EXPRS = [X ** 2 * Y + X ** 3 - X * Y, -X - Y ** 3 / X, sin(X) * cos(Y) + exp(Z) / (1 + X ** 2),
         log(Y) * sqrt(Z) - (X + Y) * (X - Z), (X + Y + Z) ** -2, 2.5 * X * Y * Z - 7, X ** 0.3]


def _values(exprs: list, args: list, point: np.ndarray) -> np.ndarray:
    env = dict(zip(args, point))
    return np.array([evaluate(e, env) for e in exprs])


@pytest.mark.parametrize("jit", [False, True])
def test_values_equal_evaluate(jit: bool) -> None:
    f = compile_as_written(EXPRS, [X, Y, Z], jit=jit)
    rng = np.random.default_rng(3)
    for _ in range(5):
        pt = rng.uniform(0.2, 3.0, 3)
        out = np.empty(len(EXPRS))
        f(out, pt)
        np.testing.assert_allclose(out, _values(EXPRS, [X, Y, Z], pt), rtol=1e-12)


def test_mass_action_network_values() -> None:
    du, y, k = mass_action(12, 30, seed=2)
    args = y + k
    f = compile_as_written(du, args)
    pt = np.random.default_rng(0).uniform(0.5, 2.0, len(args))
    out = np.empty(len(du))
    f(out, pt)
    np.testing.assert_allclose(out, _values(du, args, pt), rtol=1e-12, atol=1e-12)


def test_no_cse_and_pow_calls() -> None:
    src = as_written_source([X * Y + sin(X * Y), cos(X * Y), (X + Y) ** 2], [X, Y])
    assert src.count("a[0] * a[1]") == 3          # the shared product is written each time
    assert src.count("math.pow(") == 1            # (x + y)^2: a pow call, not a product
    assert "math.sin(a[0] * a[1])" in src


def test_grouping_kept() -> None:
    src = as_written_source([X - (Y - Z), X / (Y * Z)], [X, Y, Z])
    f = compile_as_written([X - (Y - Z), X / (Y * Z)], [X, Y, Z], jit=False)
    out = np.empty(2)
    f(out, np.array([1.0, 2.0, 4.0]))
    assert out.tolist() == [3.0, 0.125]
    assert "out[1] = a[0] / (a[1] * a[2])" in src


def test_egraph_extraction_written_as_extracted() -> None:
    # the cpu rules turn x^2 into x*x; symnb's canonical terms would make it x^2 again
    e = [X ** 2 * Y + X ** 2 * Z]
    terms, rep = run_egraph(e, ruleset="default", cost=CostModel(flat_powers=True), tree=True,
                            keep_graph=True, time_limit=5.0)
    src = as_written_source(rep, [X, Y, Z])
    assert "math.pow" not in src
    f = compile_as_written(rep, [X, Y, Z])
    out = np.empty(1)
    pt = np.array([1.7, 0.3, -2.1])
    f(out, pt)
    np.testing.assert_allclose(out, _values(e, [X, Y, Z], pt), rtol=1e-12)


def test_errors() -> None:
    with pytest.raises(ValueError, match="not in args"):
        as_written_source([X + Y], [X])
    with pytest.raises(TypeError, match="args must be symbols"):
        as_written_source([X], [X + 1])
    with pytest.raises(ValueError, match="does not know 'g'"):
        as_written_source([Function("g")(X)], [X])
    with pytest.raises(ValueError, match="bad function name"):
        as_written_source([X], [X], name="out")
    with pytest.raises(TypeError, match="list of expressions"):
        as_written_source("x + y", [X])
    _, rep = run_egraph([X + X], keep_graph=False, time_limit=2.0)
    with pytest.raises(ValueError, match="keep_graph=True"):
        as_written_source(rep, [X])


def test_ieee_like_evaluate() -> None:
    f = compile_as_written([1 / X, log(X)], [X])
    out = np.empty(2)
    f(out, np.array([0.0]))
    assert out[0] == math.inf and out[1] == -math.inf
