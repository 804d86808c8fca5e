import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from hypothesis import given, settings, strategies as st

from symnb.solvers import (SolveResult, cg, compare, gcrodr, gmres, laplacian_2d, pcg, sor, ssor)

SPD_SOLVERS = {
    "cg": cg,
    "pcg-jacobi": pcg,
    "pcg-ssor": lambda A, b, **kw: pcg(A, b, M="ssor", **kw),
    "gmres": gmres,
    "gmres-jacobi": lambda A, b, **kw: gmres(A, b, M="jacobi", **kw),
    "gcrodr": lambda A, b, **kw: gcrodr(A, b, m=12, k=4, **kw),
    "sor": lambda A, b, **kw: sor(A, b, omega=1.6, **kw),
    "ssor": lambda A, b, **kw: ssor(A, b, omega=1.4, **kw),
}
NONSYM_SOLVERS = {k: v for k, v in SPD_SOLVERS.items() if not k.startswith(("cg", "pcg", "ssor"))}
ALL = [cg, pcg, gmres, gcrodr, sor, ssor]


@pytest.mark.parametrize("name", SPD_SOLVERS)
def test_spd_reaches_tol_and_matches_spsolve(spd, name):
    A, b = spd
    res = SPD_SOLVERS[name](A, b, tol=1e-10)
    assert isinstance(res, SolveResult)
    assert res.converged and res.reason == "converged"
    assert np.linalg.norm(b - A @ res.x) / np.linalg.norm(b) <= 1e-10 * 1.01
    np.testing.assert_allclose(res.x, spla.spsolve(A.tocsc(), b), rtol=0, atol=1e-7)
    assert res.residuals[0] == pytest.approx(1.0)
    assert res.residuals.shape == res.matvec_history.shape == (res.iterations + 1,)
    assert res.matvecs >= res.iterations


@pytest.mark.parametrize("name", NONSYM_SOLVERS)
def test_nonsymmetric_reaches_tol(nonsym, name):
    A, b = nonsym
    res = NONSYM_SOLVERS[name](A, b, tol=1e-9)
    assert res.converged
    np.testing.assert_allclose(res.x, spla.spsolve(A.tocsc(), b), atol=1e-7)


@pytest.mark.parametrize("solver", ALL)
@pytest.mark.parametrize("A, b, match", [
    (np.ones((3, 4)), np.ones(3), "square"),
    (np.eye(3), np.ones(4), "shape mismatch"),
    (np.array([[1.0, np.nan], [0, 1]]), np.ones(2), "A contains NaN"),
    (np.eye(2), np.array([1.0, np.inf]), "b contains NaN"),
    (np.ones(3), np.ones(3), "2-D"),
    (np.eye(2), np.ones((2, 2)), "vector"),
])
def test_bad_input_raises(solver, A, b, match):
    with pytest.raises(ValueError, match=match):
        solver(A, b)


@pytest.mark.parametrize("solver", ALL)
def test_bad_x0_tol_maxiter(solver):
    A, b = 4 * np.eye(3), np.ones(3)
    with pytest.raises(ValueError, match="x0 contains NaN"):
        solver(A, b, x0=np.array([0, np.nan, 0]))
    with pytest.raises(ValueError, match="tol"):
        solver(A, b, tol=0.0)
    with pytest.raises(ValueError, match="maxiter"):
        solver(A, b, maxiter=-1)


@pytest.mark.parametrize("A, b", [
    (np.diag([1.0, -1.0]), np.ones(2)),  # indefinite
    (np.diag([1.0, 0.0]), np.ones(2)),  # singular, inconsistent
    (sp.diags([1.0, -2.0, 3.0, -4.0] * 5), np.ones(20)),
])
def test_cg_breakdown(A, b):
    res = cg(A, b, maxiter=1000)
    assert not res.converged
    assert res.reason == "breakdown"
    assert res.iterations <= 20


@pytest.mark.parametrize("solver", [cg, gmres, lambda A, b, **kw: gmres(A, b, restart=3, **kw), gcrodr,
                                    lambda A, b, **kw: gcrodr(A, b, m=4, k=2, **kw), sor, ssor,
                                    lambda A, b, **kw: sor(A, b, callback=lambda i, r: None, **kw)])
@pytest.mark.parametrize("maxiter", [0, 1, 7])
def test_maxiter_bounds_work(spd, solver, maxiter):
    A, b = spd
    res = solver(A, b, tol=1e-14, maxiter=maxiter)
    assert res.iterations <= maxiter
    assert not res.converged and res.reason == "maxiter"


def test_singular_gmres_stops():
    A = sp.csr_matrix(np.diag([1.0, 2.0, 0.0]))
    res = gmres(A, np.ones(3), maxiter=50)
    assert not res.converged and res.iterations <= 50


def test_zero_rhs_gives_zero():
    res = gmres(np.eye(3) * 2, np.zeros(3), x0=np.ones(3))
    assert res.converged and np.all(res.x == 0)


def test_x0_is_used(spd):
    A, b = spd
    x = spla.spsolve(A.tocsc(), b)
    res = cg(A, b, x0=x)
    assert res.converged and res.iterations == 0


def test_callback_stops(spd):
    A, b = spd
    seen = []

    def cb(i, r):
        seen.append((i, r))
        return i >= 3

    res = gmres(A, b, callback=cb)
    assert res.reason == "callback" and not res.converged
    assert [i for i, _ in seen] == [1, 2, 3]


@pytest.mark.parametrize("m", [5, 15])
def test_gcrodr_k0_equals_gmres(nonsym, m):
    A, b = nonsym
    g = gmres(A, b, restart=m)
    r = gcrodr(A, b, m=m, k=0)
    assert r.iterations == g.iterations and r.matvecs == g.matvecs
    np.testing.assert_allclose(r.residuals, g.residuals, rtol=1e-9)
    assert r.recycle is None


def test_gcrodr_bad_params(spd):
    A, b = spd
    with pytest.raises(ValueError, match="k must"):
        gcrodr(A, b, m=5, k=5)
    with pytest.raises(ValueError, match="m must"):
        gcrodr(A, b, m=0, k=0)


def test_recycling_reduces_matvecs_on_slowly_varying_sequence():
    L = laplacian_2d(24)
    n = L.shape[0]
    rng = np.random.default_rng(3)
    seq = [(L + 0.001 * t * sp.eye(n)).tocsr() for t in range(5)]
    bs = [rng.standard_normal(n) for _ in seq]
    plain = sum(gcrodr(A, b, m=20, k=10).matvecs for A, b in zip(seq, bs))
    space, recycled = None, 0
    for A, b in zip(seq, bs):
        r = gcrodr(A, b, m=20, k=10, recycle=space)
        assert r.converged
        space = r.recycle
        recycled += r.matvecs
        np.testing.assert_allclose(A @ r.x, b, atol=1e-6)
    assert space.U.shape == (10, n)
    np.testing.assert_allclose(space.C @ space.C.T, np.eye(10), atol=1e-8)
    # C = A U for the last matrix
    np.testing.assert_allclose(space.C.T, seq[-1] @ space.U.T, atol=1e-8)
    assert recycled < plain


@pytest.mark.parametrize("refresh", [0, 2, 3])
def test_gcrodr_refresh_keeps_recycle_space_valid(refresh):
    L = laplacian_2d(20)
    n = L.shape[0]
    rng = np.random.default_rng(5)
    seq = [(L + 0.002 * t * sp.eye(n)).tocsr() for t in range(4)]
    space, mv_fresh, mv_recycled = None, [], []
    for A in seq:
        b = rng.standard_normal(n)
        r = gcrodr(A, b, m=16, k=6, recycle=space, refresh=refresh)
        assert r.converged
        np.testing.assert_allclose(A @ r.x, b, atol=1e-6 * np.linalg.norm(b))
        space = r.recycle
        # the subspace handed on is updated after the last cycle: C = A U, C orthonormal
        np.testing.assert_allclose(space.C @ space.C.T, np.eye(space.k), atol=1e-8)
        np.testing.assert_allclose(space.C.T, A @ space.U.T, atol=1e-8)
        mv_recycled.append(r.matvecs)
        mv_fresh.append(gcrodr(A, b, m=16, k=6, refresh=refresh).matvecs)
    assert sum(mv_recycled[1:]) < sum(mv_fresh[1:])


def test_gcrodr_refresh_same_solution_and_bad_refresh(spd):
    A, b = spd
    every = gcrodr(A, b, m=8, k=3, refresh=1)
    final = gcrodr(A, b, m=8, k=3, refresh=0)
    assert every.converged and final.converged
    np.testing.assert_allclose(final.x, every.x, rtol=1e-5, atol=1e-7)
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="refresh must"):
            gcrodr(A, b, m=8, k=3, refresh=bad)


def test_gmres_residuals_nonincreasing(nonsym):
    A, b = nonsym
    res = gmres(A, b, restart=5)
    assert np.all(np.diff(res.residuals) <= 1e-12)


def test_preconditioner_variants(spd):
    A, b = spd
    Minv = sp.diags(1.0 / A.diagonal())
    r1 = pcg(A, b, M=Minv)
    r2 = pcg(A, b, M=lambda r: r / A.diagonal())
    r3 = pcg(A, b, M="jacobi")
    assert r1.iterations == r2.iterations == r3.iterations
    with pytest.raises(ValueError, match="unknown preconditioner"):
        cg(A, b, M="ilu")
    with pytest.raises(ValueError, match="shape mismatch"):
        cg(A, b, M=sp.eye(3))
    with pytest.raises(ValueError, match="preconditioner"):
        sor(A, b, M="jacobi")
    with pytest.raises(ValueError, match="zero diagonal"):
        pcg(np.array([[0.0, 1.0], [1.0, 0.0]]), np.ones(2))


def test_result_repr_and_figures(spd):
    A, b = spd
    r1, r2 = cg(A, b), gmres(A, b, restart=5)
    html = r1._repr_html_()
    assert "<table" in html and "converged" in html and "cg" in html
    assert "iterations=" in repr(r1)
    fig = r1.figure()
    assert fig.layout.yaxis.type == "log"
    np.testing.assert_allclose(fig.data[0].y, r1.residuals)
    fig2 = compare([r1, r2], x="matvecs")
    assert len(fig2.data) == 2
    np.testing.assert_array_equal(fig2.data[1].x, r2.matvec_history)
    with pytest.raises(ValueError):
        compare([r1], x="time")


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_cg_random_spd(n, seed):
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((n, n))
    A = G @ G.T + n * np.eye(n)
    b = rng.standard_normal(n)
    res = cg(A, b, tol=1e-10)
    assert res.converged
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-6, atol=1e-8)
