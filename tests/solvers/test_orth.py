"""Orthogonalisation in Arnoldi / GCRO-DR and the fused CG kernels."""
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from symnb.solvers import cg, darcy_sequence, gcrodr, laplacian_2d
from symnb.solvers import kernels as K
from symnb.solvers.gcrodr import rebuild
from symnb.solvers.krylov import History, arnoldi_cycle, cgs_dgks
from symnb.solvers.linop import CSROperator


@pytest.fixture(scope="module")
def darcy_seq():
    return darcy_sequence(4, 20, seed=3, modes=8)


@pytest.mark.parametrize("always", [False, True])
def test_cgs_dgks_projects_out(always):
    rng = np.random.default_rng(0)
    Q = np.linalg.qr(rng.standard_normal((50, 8)))[0].T.copy()
    # mostly inside span(Q): heavy cancellation, the DGKS test must trigger a second pass
    w0 = Q.T @ rng.standard_normal(8) * 1e4 + rng.standard_normal(50)
    w, h = w0.copy(), np.empty(8)
    nrm = cgs_dgks(Q, 8, w, h, always)
    assert np.abs(Q @ w).max() < 1e-12 * np.linalg.norm(w)
    assert nrm == pytest.approx(np.linalg.norm(w), rel=1e-12)
    np.testing.assert_allclose(h @ Q + w, w0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(h, Q @ w0, rtol=1e-12)


def test_cgs_dgks_no_basis():
    w = np.array([3.0, 4.0])
    assert cgs_dgks(np.empty((0, 2)), 0, w, np.empty(0)) == 5.0


@pytest.mark.parametrize("reorth", ["dgks", "always"])
def test_arnoldi_against_recycled_space_stays_orthogonal(darcy_seq, reorth):
    """Along a recycled sequence: ||C V^T|| and ||V V^T - I|| stay below 1e-8."""
    rec = None
    for s in darcy_seq:
        res = gcrodr(s.A, s.b, m=30, k=10, recycle=rec, reorth=reorth)
        assert res.converged
        rec = res.recycle
        op = CSROperator(s.A)
        built = rebuild(rec.U.copy(), op.matvec)
        assert built is not None
        _, C = built
        r = s.b - C.T @ (C @ s.b)
        hist = History(op, 1.0, 1.0, 1e-300, 10**6, None)
        j, _, V, Hb, B, _ = arnoldi_cycle(op, None, r, float(np.linalg.norm(r)), 20, hist, C=C, reorth=reorth)
        Vj = V[: j + 1]
        assert j == 20
        assert np.linalg.norm(C @ Vj.T) < 1e-8
        assert np.linalg.norm(Vj @ Vj.T - np.eye(j + 1)) < 1e-8
        # the Arnoldi relation (I - C^T C) A V_j = V_{j+1} Hbar and B = C A V_j
        AV = np.array([s.A @ v for v in V[:j]])
        np.testing.assert_allclose(AV - B.T @ C, Hb.T @ Vj, atol=1e-9 * np.abs(AV).max())


def test_dgks_does_not_increase_iterations(darcy_seq):
    totals = {}
    for reorth in ("dgks", "always"):
        rec, tot = None, 0
        for s in darcy_seq:
            res = gcrodr(s.A, s.b, m=30, k=10, recycle=rec, reorth=reorth)
            assert res.converged and res.residual < 1e-8
            rec, tot = res.recycle, tot + res.matvecs
        totals[reorth] = tot
    assert totals["dgks"] <= 1.02 * totals["always"]


def test_reorth_bad_value(spd):
    A, b = spd
    with pytest.raises(ValueError, match="reorth"):
        gcrodr(A, b, reorth="never")


def test_cg_iterates_match_scipy():
    """The deferred x update gives the same iterate after k steps as scipy's cg."""
    A = laplacian_2d(12).tocsr()
    b = np.random.default_rng(2).standard_normal(A.shape[0])
    for k in (1, 2, 7):
        ours = cg(A, b, tol=1e-300, maxiter=k)
        assert ours.iterations == k and ours.reason == "maxiter"
        theirs, _ = spla.cg(A, b, rtol=1e-300, atol=0.0, maxiter=k)
        np.testing.assert_allclose(ours.x, theirs, rtol=1e-10, atol=1e-12)


def test_cg_callback_stop_keeps_x_consistent():
    A = laplacian_2d(10).tocsr()
    b = np.ones(A.shape[0])
    res = cg(A, b, callback=lambda it, rel: it == 5)
    assert res.reason == "callback" and res.iterations == 5
    # the recorded residual is the residual of the returned x
    rel = np.linalg.norm(b - A @ res.x) / np.linalg.norm(b)
    assert rel == pytest.approx(res.residuals[-1], rel=1e-8)


def test_kernels_int32_and_int64_indices_agree():
    A = laplacian_2d(9).tocsr()
    A64 = sp.csr_matrix((A.data, A.indices.astype(np.int64), A.indptr.astype(np.int64)), shape=A.shape)
    x = np.random.default_rng(3).standard_normal(A.shape[0])
    for M in (A, A64):
        out = np.empty(A.shape[0])
        acc = K.csr_matvec_dot(M.indptr, M.indices, M.data, x, out)
        np.testing.assert_allclose(out, A @ x, rtol=1e-14)
        assert acc == pytest.approx(x @ (A @ x), rel=1e-12)
        r = np.empty_like(out)
        assert K.csr_residual(M.indptr, M.indices, M.data, x, out, r) == pytest.approx(0.0, abs=1e-12)
    assert cg(A64, np.ones(81)).iterations == cg(A, np.ones(81)).iterations
