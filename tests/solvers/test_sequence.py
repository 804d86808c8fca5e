import numpy as np
import pytest
import scipy.sparse.linalg as spla
from hypothesis import given, settings, strategies as st

from symnb.solvers import (SequenceResult, compare_sequences, darcy, darcy_sequence, gaussian_random_field,
                           greedy_order, heat_sequence, helmholtz, gmres, shifted_laplacians, skr,
                           solve_sequence, sort_systems)


@settings(max_examples=30, deadline=None)
@given(N=st.integers(1, 15), d=st.integers(1, 4), seed=st.integers(0, 1000))
def test_greedy_order_is_permutation(N, d, seed):
    F = np.random.default_rng(seed).standard_normal((N, d))
    order = greedy_order(F)
    assert sorted(order.tolist()) == list(range(N)) and order[0] == 0


def test_greedy_order_follows_nearest_neighbour():
    F = np.array([[0.0], [5.0], [1.0], [4.0], [2.0]])
    assert greedy_order(F).tolist() == [0, 2, 4, 3, 1]
    with pytest.raises(ValueError, match="start"):
        greedy_order(F, start=9)


def test_sort_systems_uses_params():
    seq = darcy_sequence(6, 6, seed=2)
    order = sort_systems(seq)
    F = np.vstack([s.params.ravel() for s in seq])
    np.testing.assert_array_equal(order, greedy_order(F))


def test_skr_solutions_and_ablation():
    seq = darcy_sequence(5, 8, seed=0)
    runs = [skr(seq, m=12, k=4), skr(seq, m=12, k=4, sort=False), skr(seq, m=12, k=4, recycle=False),
            solve_sequence(seq, method="gmres", sort=False, restart=12)]
    for res in runs:
        assert isinstance(res, SequenceResult) and res.converged
        assert sorted(res.order.tolist()) == list(range(5))
        for s, x in zip(seq, res.solutions):
            np.testing.assert_allclose(x, spla.spsolve(s.A.tocsc(), s.b), rtol=1e-6)
        assert res.matvecs.shape == res.iterations.shape == res.times.shape == (5,)
    assert runs[1].order.tolist() == [0, 1, 2, 3, 4]
    assert runs[0].info["recycle"] and not runs[2].info["recycle"]
    html = runs[0]._repr_html_()
    assert "SequenceResult" in html and "total matvecs" in html
    fig = compare_sequences(runs, y="matvecs")
    assert len(fig.data) == 4
    np.testing.assert_array_equal(fig.data[0].y, runs[0].matvecs[runs[0].order])


def test_solve_sequence_tuples_and_errors():
    s = darcy(6, seed=1)
    res = solve_sequence([(s.A, s.b), (s.A * 2.0, s.b)], method="cg")
    assert res.converged
    np.testing.assert_allclose(res.solutions[1], res.solutions[0] / 2.0, rtol=1e-6)
    with pytest.raises(ValueError, match="unknown method"):
        solve_sequence([s], method="lu")
    with pytest.raises(ValueError, match="LinearSystem"):
        solve_sequence([s.A])
    with pytest.raises(ValueError, match="groups"):
        solve_sequence([s], groups=0)


def test_groups_in_process_match_single_solves():
    seq = darcy_sequence(4, 6, seed=3)
    res = solve_sequence(seq, m=10, k=3, groups=2)
    assert res.info["groups"] == 2 and res.converged


def test_generators_reproducible_and_valid():
    a, b = darcy(8, seed=5), darcy(8, seed=5)
    assert (a.A != b.A).nnz == 0
    assert abs(a.A - a.A.T).max() == 0
    assert np.linalg.eigvalsh(a.A.toarray()).min() > 0
    assert (darcy(8, seed=6).A != a.A).nnz > 0
    f = gaussian_random_field(16, 0, sigma=2.0)
    assert f.std() == pytest.approx(2.0)
    h = helmholtz(8, seed=1)
    assert gmres(h.A, h.b, tol=1e-8).converged
    heat = heat_sequence(5, steps=4, seed=0)
    assert len(heat) == 4 and all(s.context > 0 for s in heat)
    sl = shifted_laplacians(50, n=4, seed=0)
    cs = np.array([s.context for s in sl])
    assert cs.min() >= -0.15 and cs.max() <= 0.45
    np.testing.assert_allclose((sl[0].A - sl[1].A).diagonal(), cs[0] - cs[1])


def _slowly_varying(n=16, count=6, eps=0.02):
    from symnb.solvers.problems import darcy_matrix
    f0, f1 = gaussian_random_field(n, 0), gaussian_random_field(n, 1)
    return [darcy_matrix(np.exp(f0 + eps * t * f1)) for t in range(count)]


@pytest.mark.parametrize("M", [None, "jacobi"])
def test_recycling_strictly_reduces_matvecs_on_slowly_varying_sequence(M):
    from symnb.solvers import RecycleSpace, gcrodr
    from symnb.solvers.precond import make_preconditioner
    from symnb.solvers.linop import CSROperator

    mats = _slowly_varying()
    b = np.ones(mats[0].shape[0])
    space, rec, fresh = None, [], []
    for A in mats:
        r = gcrodr(A, b, m=20, k=8, recycle=space, M=M)
        assert r.converged and isinstance(r.recycle, RecycleSpace)
        np.testing.assert_allclose(A @ r.x, b, rtol=0, atol=1e-7 * np.linalg.norm(b))
        space = r.recycle
        rec.append(r.matvecs)
        fresh.append(gcrodr(A, b, m=20, k=8, M=M).matvecs)
        # invariants of the carried space: C orthonormal, A M U^T = C^T for *this* matrix
        U, C = space.U, space.C
        np.testing.assert_allclose(C @ C.T, np.eye(space.k), atol=1e-10)
        prec = make_preconditioner(M, CSROperator(A))
        MU = U if prec is None else np.array([prec.apply(u, np.empty_like(u)) for u in U])
        np.testing.assert_allclose((A @ MU.T).T, C, atol=1e-8 * np.abs(C).max())
    assert rec[0] == fresh[0]  # nothing to recycle for the first system
    assert all(r < f for r, f in zip(rec[1:], fresh[1:]))  # includes the k matvecs of rebuilding C
    assert sum(rec[1:]) <= 0.85 * sum(fresh[1:])


def test_kl_random_field_is_linear_in_its_coefficients():
    from symnb.solvers import kl_random_field

    f, xi = kl_random_field(12, 6, 3)
    g, xi2 = kl_random_field(12, 6, 3)
    np.testing.assert_array_equal(f, g)
    np.testing.assert_array_equal(xi, xi2)
    assert f.shape == (12, 12) and xi.shape == (6,)
    # the field is a fixed linear map of xi: fields from 7 seeds span at most 6 dimensions
    F = np.vstack([kl_random_field(12, 6, s)[0].ravel() for s in range(7)])
    sv = np.linalg.svd(F, compute_uv=False)
    assert sv[6] < 1e-10 * sv[0] and sv[5] > 1e-6 * sv[0]
    s = darcy(12, seed=2, modes=6)
    assert s.meta["modes"] == 6 and s.meta["xi"].shape == (6,)
    np.testing.assert_allclose(np.log(s.params), kl_random_field(12, 6, 2)[0])
    with pytest.raises(ValueError, match="modes"):
        kl_random_field(12, 0)
    with pytest.raises(ValueError, match="modes"):
        kl_random_field(4, 40)
