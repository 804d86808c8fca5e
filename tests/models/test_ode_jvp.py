"""J v from the compiled directional derivative (ODEProblem.jvp, CVODE jtimes="jvp"; issue 16)."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.compiler.directional import directional_derivative, jvp_terms
from symnb.compiler.jacobian import jacobian
from symnb.models.ode import ODEProblem, SolveError, solve
from symnb.terms import symbols
from tests.compile.conftest import mass_action


def network(n: int, m: int, seed: int) -> tuple[list, list, dict]:
    """``(rhs, species, rate constants)`` of a random mass-action network (tests/compile)."""
    rhs, y, k = mass_action(n, m, seed)
    rates = np.random.default_rng(seed).uniform(0.1, 10.0, m)
    return rhs, y, dict(zip(k, rates))


def central_difference(prob: ODEProblem, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    h = 1e-6 * (1.0 + np.linalg.norm(u)) / np.linalg.norm(v)
    return (prob.rhs(u + h * v) - prob.rhs(u - h * v)) / (2 * h)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_jvp_matches_finite_differences_and_the_jacobian(backend):
    rhs, y, rates = network(12, 40, seed=5)
    k = symbols("k")
    rhs[0] = rhs[0] - k * y[0] ** 3 / (1 + y[1] ** 2)       # a non-polynomial rate law
    prob = ODEProblem(rhs, y, {**rates, k: 0.7}, compile_backend=backend)
    rng = np.random.default_rng(0)
    for _ in range(3):
        u, v = rng.uniform(0.2, 2.0, 12), rng.standard_normal(12)
        jv = prob.jvp(u, v)
        assert np.allclose(jv, central_difference(prob, u, v), rtol=1e-6, atol=1e-6)
        assert np.allclose(jv, prob.jac(u) @ v, rtol=1e-12, atol=1e-12)
    assert np.allclose(prob.jvp(u, v, p={k: 2.0}), prob.jac(u, p={k: 2.0}) @ v)


def test_jvp_errors_and_symbol_names():
    x, y = symbols("x y")
    with pytest.raises(ValueError, match="jac=False"):
        ODEProblem([-x, x], [x, y], jac=False, compile_backend="python").jvp([1, 1], [1, 0])
    prob = ODEProblem([-x * y, x * y], [x, y], compile_backend="python")
    with pytest.raises(ValueError, match="vector of 2 values"):
        prob.jvp([1.0, 2.0], [1.0, 2.0, 3.0])
    # state symbols named like the direction symbols: J v stays the right product
    d0, d1 = symbols("_dir0 _dir1")
    clash = ODEProblem([-d0 * d1 ** 2, d0], [d0, d1], compile_backend="python")
    assert clash.jvp([2.0, 3.0], [1.0, 1.0]).tolist() == [-9.0 - 12.0, 1.0]
    with pytest.raises(ValueError, match="one direction symbol per variable"):
        jvp_terms(jacobian([x * y], [x, y]), symbols("a"))
    with pytest.raises(TypeError, match="must be symbols"):
        directional_derivative([x * y], [x, y], [x, 2])


def test_krylov_with_the_compiled_jvp():
    rhs, y, rates = network(30, 120, seed=2)
    prob = ODEProblem(rhs, y, rates, compile_backend="python")
    u0 = np.random.default_rng(1).uniform(0.5, 1.5, 30)
    ref = solve(prob, u0, (0.0, 5.0), rtol=1e-10, atol=1e-12, linsolver="dense")
    dq = solve(prob, u0, (0.0, 5.0), rtol=1e-7, atol=1e-10, linsolver="gmres", jtimes="dq")
    assert dq.stats["jtimes"] == "dq"       # auto before the J v is compiled
    auto = solve(prob, u0, (0.0, 5.0), rtol=1e-7, atol=1e-10, linsolver="gmres")
    assert auto.stats["jtimes"] == "dq"
    jv = solve(prob, u0, (0.0, 5.0), rtol=1e-7, atol=1e-10, linsolver="gmres", jtimes="jvp")
    s = jv.stats
    assert jv.success and s["jtimes"] == "jvp" and s["njtimes"] > 0
    own = dq.stats["nfev"] - dq.stats["njtimes"]  # dq: CVODE's RHS calls + one per product
    assert abs(s["nfev"] - own) <= 0.2 * own      # jvp: the products cost no RHS call
    scale = np.maximum(np.abs(ref.y[:, -1]), 1e-3)
    assert np.max(np.abs(jv.y[:, -1] - ref.y[:, -1]) / scale) < 1e-4
    auto = solve(prob, u0, (0.0, 5.0), rtol=1e-7, atol=1e-10, linsolver="gmres")
    assert auto.stats["jtimes"] == "jvp"    # auto once it is compiled
    assert solve(prob, u0, (0.0, 1.0), linsolver="dense").stats["jtimes"] is None
    with pytest.raises(SolveError, match="unknown jtimes 'fd'"):
        solve(prob, u0, (0.0, 1.0), linsolver="gmres", jtimes="fd")
