"""Compiled RHS and sparse Jacobian of real models equal ``evaluate`` to 1e-12 (issue 16).

Code generation for large models splits sums into segment sums and reads native terms
directly; these checks pin the values on egfr_net (mass action with symbolic rate
constants) and the Brusselator, and the symbolic Jacobian against finite differences.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from symnb.compiler import compile_array, jacobian
from symnb.terms import evaluate
from symnb.terms.core import Symbol

from .conftest import brusselator

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "bionetgen"
EGFR = SHARED / "egfr_net.net"


def _check(terms: list, state: list, args: list, values: list, env: dict) -> None:
    """Compiled RHS and Jacobian vs evaluate; the Jacobian vs central differences."""
    n = len(state)
    rhs = compile_array(terms, args, inplace=True)
    du = np.empty(n)
    rhs(du, *values)
    want = np.array([evaluate(e, env) for e in terms])
    scale = np.abs(want) + 1e-12 * np.max(np.abs(want))
    assert np.max(np.abs(du - want) / scale) <= 1e-12
    J = jacobian(terms, state)
    jac = J.compile(args=args, sparse=True)
    vals = np.empty(J.nnz)
    jac(vals, *values)
    jwant = np.array([evaluate(e, env) for e in J.entries])
    jscale = np.abs(jwant) + 1e-12 * np.max(np.abs(jwant))
    assert np.max(np.abs(vals - jwant) / jscale) <= 1e-12
    # the derivative itself: J @ v against central differences of the compiled RHS
    u = values[0]
    v = np.random.default_rng(5).standard_normal(n) * u * 1e-6
    hi, lo = np.empty(n), np.empty(n)
    rhs(hi, u + v, *values[1:])
    rhs(lo, u - v, *values[1:])
    fd = (hi - lo) / 2
    import scipy.sparse as sp
    got = sp.csr_matrix((vals, J.indices, J.indptr), shape=J.shape) @ v
    assert np.max(np.abs(got - fd)) <= 1e-6 * (np.max(np.abs(fd)) + 1e-300)


@pytest.mark.skipif(not EGFR.exists(), reason=f"egfr_net.net not found at {EGFR}")
def test_egfr_rhs_and_jacobian_match_evaluate() -> None:
    from symnb.models.bionetgen import load_bionetgen
    net = load_bionetgen(EGFR)
    terms, state = net.rhs(), list(net.symbols)
    params = list(net.values)
    rng = np.random.default_rng(3)
    u = rng.uniform(0.1, 2.0, len(state)) * 100
    p = np.array([float(net.values[k]) for k in params]) * rng.uniform(0.5, 1.5, len(params))
    env = dict(zip(state, u)) | dict(zip(params, p)) | {Symbol("t"): 0.0}
    _check(terms, state, [state, params, Symbol("t")], [u, p, 0.0], env)


def test_brusselator_rhs_and_jacobian_match_evaluate() -> None:
    ex, y = brusselator(12)
    u = np.random.default_rng(4).uniform(0.5, 2.0, len(y))
    _check(ex, y, [y], [u], dict(zip(y, u)))


def test_many_sum_shapes_are_split_into_few_loops() -> None:
    """A Jacobian whose sums fall into many shapes is emitted as unit loops and one
    segment sum, not one loop per shape; its values stay those of ``evaluate``."""
    from .conftest import mass_action
    du, y, k = mass_action(40, 400, seed=2)
    J = jacobian(du, y)
    jac = J.compile(args=[y, k], sparse=True)
    assert jac.stats["segment_sum_rows"] > 0
    assert jac.stats["loops"] <= 8
    rng = np.random.default_rng(6)
    u, kv = rng.uniform(0.5, 2.0, 40), rng.uniform(0.1, 1.0, 400)
    vals = np.empty(J.nnz)
    jac(vals, u, kv)
    env = dict(zip(y, u)) | dict(zip(k, kv))
    want = np.array([evaluate(e, env) for e in J.entries])
    assert np.max(np.abs(vals - want) / (np.abs(want) + 1e-12)) <= 1e-12


def test_jacobian_of_long_mixed_rows_matches_finite_differences() -> None:
    """Rows longer than the part containing a variable (the pruned walk and the long-sum
    shortcut of ``diff``) with powers, calls and numeric terms: entries vs differences."""
    from symnb.terms import exp, sin, symbols
    x = list(symbols("x0:12"))
    rows = []
    for i in range(12):
        e = 1.5 + x[i] ** 3 * x[(i + 1) % 12]
        for j in range(12):
            e = e + (j + 1) * x[j] * x[(j + i) % 12] + sin(x[j]) * x[i]
        rows.append(e + exp(x[i] * x[(i + 5) % 12]) / 7)
    J = jacobian(rows, x)
    u = np.random.default_rng(8).uniform(0.2, 0.9, 12)
    env = dict(zip(x, u))
    dense = np.zeros((12, 12))
    for i in range(12):
        for k in range(J.indptr[i], J.indptr[i + 1]):
            dense[i, J.indices[k]] = evaluate(J.entries[k], env)
    h = 1e-6
    for j in range(12):
        hi, lo = dict(env), dict(env)
        hi[x[j]] += h
        lo[x[j]] -= h
        fd = np.array([(evaluate(r, hi) - evaluate(r, lo)) / (2 * h) for r in rows])
        assert np.allclose(dense[:, j], fd, rtol=1e-7, atol=1e-7)
