"""Sparse Jacobians compiled from the shapes of the rows (issue 16): the same pattern and
values as differentiating entry by entry."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.compiler import jacobian
from symnb.compiler.row_jacobian import plan_jacobian
from symnb.compiler.ssa import ArgMap
from symnb.terms import Symbol, evaluate, exp, sin, symbols


def _rows(n: int) -> tuple[list, list, Symbol]:
    """Periodic rows (classes by wrap-around), a coincidence u[i] * u[i] in some rows,
    calls and a scalar parameter, and a few irregular rows."""
    u = list(symbols(f"u0:{n}"))
    k = Symbol("k")
    rows = []
    for i in range(n):
        a, b = u[(i + 1) % n], u[(i * 3) % n]
        rows.append(2 * u[i] - u[i - 1] + k * u[i] * a ** 2 + sin(b) * exp(u[i] * a) - 0.5)
    rows[5] = rows[5] + u[0] ** 3 * 7          # breaks the shape of one row
    return rows, u, k


def _two_species(n: int) -> tuple[list, list]:
    """The Brusselator's rows on a ring of ``n`` cells and its state ``u + v``."""
    u, v = list(symbols(f"u0:{n}")), list(symbols(f"v0:{n}"))
    rows = [1 + u[i] ** 2 * v[i] - 4 * u[i] + 0.5 * (u[i - 1] - 2 * u[i] + u[(i + 1) % n])
            for i in range(n)]
    rows += [3 * u[i] - u[i] ** 2 * v[i] + 0.5 * (v[i - 1] - 2 * v[i] + v[(i + 1) % n])
             for i in range(n)]
    return rows, u + v


def _assert_values(jac, entries: list, u: list, k: Symbol, seed: int) -> None:
    """The compiled values at a random point equal ``evaluate`` of the entries."""
    x = np.random.default_rng(seed).uniform(0.2, 1.2, len(u))
    vals = np.empty(len(entries))
    jac(vals, x, 0.8)
    env = dict(zip(u, x)) | {k: 0.8}
    want = np.array([evaluate(e, env) for e in entries])
    assert np.max(np.abs(vals - want) / (np.abs(want) + 1e-300)) <= 1e-13


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_row_plan_matches_entry_by_entry(backend: str) -> None:
    rows, u, k = _rows(24)
    lazy = jacobian(rows, u)
    jac = lazy.compile(args=[u, k], sparse=True, backend=backend)
    assert lazy._entries is None           # compiled from the row shapes, no entries built
    eager = jacobian(rows, u, lazy=False)
    assert (lazy.indptr == eager.indptr).all() and (lazy.indices == eager.indices).all()
    _assert_values(jac, eager.entries, u, k, seed=1)
    assert jac.stats["loops"] < eager.nnz // 8


def test_irregular_rows_are_planned_entry_by_entry() -> None:
    u = list(symbols("u0:12"))
    rows = [u[i] ** (i + 2) + u[(i + 1) % 12] for i in range(12)]     # every row its own shape
    assert plan_jacobian(rows, u, ArgMap([u])) is None
    assert plan_jacobian(rows, u, ArgMap([u[::-1]])) is None          # not the state order
    J = jacobian(rows, u)
    jac = J.compile(args=[u], sparse=True, backend="python")
    vals = np.empty(J.nnz)
    jac(vals, np.full(12, 0.5))
    assert vals[0] == pytest.approx(2 * 0.5) and J.nnz == 24


def test_reuses_the_rhs_lowering_only_for_the_same_rows() -> None:
    from symnb.compiler import compile_array
    from symnb.compiler.row_jacobian import recall_rows
    rows, u, k = _rows(16)
    other = [2 * r for r in rows]                   # same length and shapes, other terms
    compile_array(rows, args=[u, k], inplace=True, backend="python")
    assert recall_rows(rows, ArgMap([u, k])) is not None
    assert recall_rows(other, ArgMap([u, k])) is None
    assert recall_rows(rows, ArgMap([u, [k]])) is None   # k as an array argument
    J = jacobian(other, u)
    jac = J.compile(args=[u, k], sparse=True, backend="python")
    _assert_values(jac, J.entries, u, k, seed=2)


def test_loops_of_one_length_share_a_for_with_the_same_values() -> None:
    """Two species on a ring (the Brusselator in 1-D): loops of equal length are fused, and
    the values equal those of the unfused source bit for bit."""
    import symnb.compiler.api as api
    n = 12
    rows, state = _two_species(n)
    fused = jacobian(rows, state).compile(args=[state], sparse=True, backend="python")
    orig = api.generate_array
    try:
        api.generate_array = lambda *a, **k: orig(*a, **{**k, "fuse": False})
        plain = jacobian(rows, state).compile(args=[state], sparse=True, backend="python")
    finally:
        api.generate_array = orig
    n_for = fused.source.count("    for j in ")
    assert n_for < plain.source.count("    for j in ") == fused.stats["loops"]
    x = np.random.default_rng(3).uniform(0.5, 1.5, 2 * n)
    a, b = np.empty(fused.pattern.nnz), np.empty(fused.pattern.nnz)
    fused(a, x)
    plain(b, x)
    assert np.array_equal(a, b)
    eager = jacobian(rows, state, lazy=False)
    env = dict(zip(state, x))
    assert np.allclose(a, [evaluate(e, env) for e in eager.entries], rtol=1e-13)


@pytest.mark.parametrize("min_group", [2, 4, 30])
def test_row_groups_are_the_loops_of_shapes_group(min_group: int) -> None:
    """``_row_groups`` finds the loops ``shapes._group`` finds: members, order, entries."""
    from symnb.compiler.row_jacobian import _row_groups
    from symnb.compiler.shapes import Canon, _group
    from symnb.compiler.ssa import IR
    rows, u, k = _rows(40)
    rows += [u[i] * k - u[(i + 2) % 40] for i in range(0, 40, 3)]
    ir = IR(ArgMap([u, k]))
    roots = [ir.lower(r) for r in rows]
    want, _ = _group(Canon(ir), list(enumerate(roots)), "out", min_group)
    got = _row_groups(Canon(ir), roots, min_group)
    assert len(got) == len(want) > 0
    for (entries, idx, M, floats), g in zip(got, want):
        assert entries == g.entries
        assert idx.tolist() == [m[0] for m in g.members]
        assert M.tolist() == [m[1] for m in g.members]
        assert floats == [m[2] for m in g.members]


@pytest.mark.parametrize("width", [0, 1, 3, 9, 10])
def test_order_codes_tell_rows_apart_as_dense_ranks_do(width: int) -> None:
    """Rows get equal codes exactly when their dense ranks are equal (pairwise signs up to
    nine columns, ranks beyond)."""
    from symnb.compiler.row_jacobian import _dense_ranks, _order_codes
    S = np.random.default_rng(width).integers(0, 4, size=(400, width))
    codes = _order_codes(S).tolist()
    ranks = [tuple(r) for r in _dense_ranks(S).tolist()]
    for i in range(0, 400, 7):
        for j in range(400):
            assert (codes[i] == codes[j]) == (ranks[i] == ranks[j])


def test_the_rhs_plan_loops_are_taken_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the rows' own plan remembered (every row in a loop), the Jacobian plan takes its
    loops instead of grouping again, and comes out the same."""
    import symnb.compiler.row_jacobian as rj
    from symnb.compiler.codegen import generate_array
    from symnb.compiler.shapes import Canon, make_plan
    from symnb.compiler.ssa import IR
    n = 16
    rows, state = _two_species(n)
    argmap = ArgMap([state])
    ir = IR(argmap)
    roots = [ir.lower(r) for r in rows]
    canon = Canon(ir)
    plan = make_plan(ir, roots, canon=canon)
    assert sum(len(g.members) for g in plan.groups) == len(rows)

    def source(r: rj.RowJacobian) -> str:
        return generate_array(r.ir, r.plan, ["u"], (r.plan.n_out,), inplace=True).source

    rj.remember_rows(rows, argmap, ir, roots, canon)
    again = rj.plan_jacobian(rows, state, argmap)
    rj.remember_rows(rows, argmap, ir, roots, canon, plan=plan, min_group=4)
    monkeypatch.setattr(rj, "_row_groups", None)          # must not be called
    taken = rj.plan_jacobian(rows, state, argmap)
    assert source(taken) == source(again)
    assert (taken.indptr == again.indptr).all() and (taken.indices == again.indices).all()
    with pytest.raises(TypeError):                         # another min_group: groups again
        rj.plan_jacobian(rows, state, argmap, min_group=3)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_csc_order_holds_the_csr_values_moved(backend: str) -> None:
    """``csc=True`` (the row plan's loops renumbered and re-sorted) writes CSR entry ``k``
    to its CSC position, bit for bit."""
    from symnb.compiler.row_jacobian import csc_positions
    rows, state = _two_species(10)
    csr = jacobian(rows, state)
    jr = csr.compile(args=[state], sparse=True, backend=backend)
    csc = jacobian(rows, state)
    jc = csc.compile(args=[state], sparse=True, csc=True, backend=backend)
    assert csr._entries is None and csc._entries is None
    x = np.random.default_rng(4).uniform(0.5, 1.5, len(state))
    a, b = np.empty(csr.nnz), np.empty(csc.nnz)
    jr(a, x)
    jc(b, x)
    moved = np.empty_like(a)
    moved[csc_positions(csr.indptr, csr.indices, len(state))] = a
    assert np.array_equal(b, moved)
