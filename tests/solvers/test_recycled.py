import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from symnb.solvers import (AMG, ILU, ILU0, CarriedPreconditioner, DeflationSpace, check_symmetric,
                           convection_diffusion_sequence, darcy, darcy_rotation_sequence, deflated_cg,
                           gcrodr_defaults, helmholtz_shift_sequence, recycled_minres, solve_carried, solve_sequence)
from symnb.solvers.auto import adapted, resolve


def _exact(s):
    return spla.spsolve(s.A.tocsc(), s.b)


def _indefinite(n=12):
    return helmholtz_shift_sequence(1, n, seed=3, k2=(80.0, 80.0))[0]


def test_recycled_cg_matches_spsolve_and_needs_fewer_iterations():
    seq = darcy_rotation_sequence(6, 20, seed=1, shuffle=False)
    space, rec, plain = None, [], []
    for s in seq:
        r = deflated_cg(s.A, s.b, k=8, recycle=space)
        assert r.converged and isinstance(r.recycle, DeflationSpace) and r.recycle.k == 8
        np.testing.assert_allclose(r.x, _exact(s), rtol=1e-6)
        space = r.recycle
        rec.append(r.iterations)
        plain.append(deflated_cg(s.A, s.b, k=0).iterations)
    assert rec[0] == plain[0]  # nothing carried into the first system
    assert all(a < b for a, b in zip(rec[1:], plain[1:]))
    assert sum(rec[1:]) <= 0.8 * sum(plain[1:])


def test_recycled_cg_ritz_values_approach_the_smallest_eigenvalues():
    s = darcy(12, seed=0)
    space = None
    for _ in range(4):
        r = deflated_cg(s.A, s.b, k=3, recycle=space)
        space = r.recycle
    lam = np.linalg.eigvalsh(s.A.toarray())
    # Rayleigh-Ritz values bound the eigenvalues from above and land near the small end
    assert np.all(space.theta >= lam[0] * (1 - 1e-8))
    assert space.theta[0] == pytest.approx(lam[0], rel=1e-3)


def test_recycled_cg_with_carried_amg_in_a_sequence():
    seq = darcy_rotation_sequence(4, 24, seed=2)
    res = solve_sequence(seq, method="dcg", k=4, precond="amg")
    assert res.converged and res.label.startswith("dcg")
    for s, x in zip(seq, res.solutions):
        np.testing.assert_allclose(x, _exact(s), rtol=1e-6)
    assert res.iterations.max() < 40


def test_recycled_minres_on_indefinite_helmholtz_sequence():
    seq = helmholtz_shift_sequence(5, 16, seed=0, k2=(70.0, 75.0))
    assert np.linalg.eigvalsh(seq[0].A.toarray()).min() < 0  # really indefinite
    space, rec, plain = None, [], []
    for s in sorted(seq, key=lambda s: s.params[0]):
        r = recycled_minres(s.A, s.b, k=8, recycle=space)
        assert r.converged
        np.testing.assert_allclose(r.x, _exact(s), rtol=1e-6, atol=1e-9 * np.abs(_exact(s)).max())
        space = r.recycle
        rec.append(r.iterations)
        plain.append(recycled_minres(s.A, s.b, k=0).iterations)
    assert sum(rec[1:]) < sum(plain[1:])


def test_nonsymmetric_matrix_to_a_symmetric_method_is_one_clear_error():
    cd = convection_diffusion_sequence(2, 8)
    assert not check_symmetric(cd[0].A) and check_symmetric(darcy(6, seed=0).A)
    with pytest.raises(ValueError, match="not symmetric"):
        recycled_minres(cd[0].A, cd[0].b)
    for method in ("dcg", "rminres", "cg"):
        with pytest.raises(ValueError, match="needs a symmetric matrix"):
            solve_sequence(cd, method=method)


def test_auto_switches_for_nonsymmetric_and_indefinite_with_notes():
    cd = convection_diffusion_sequence(3, 10)
    res = solve_sequence(cd)
    assert res.converged and res.info["method"] == "gcrodr" and res.info["symmetric"] is False
    chosen = res.info["gcrodr_defaults"]
    assert {"m", "k", "refresh", "matvec_s", "orth_per_vector_s"} <= set(chosen)
    assert res.results[res.order[0]].method.startswith(f"gcrodr({chosen['m']},{chosen['k']})[ilu0]")
    # after the first solve GCRO-DR is resized to the steps a solve takes (noted in the result)
    first = res.results[res.order[0]].iterations
    m2, k2 = adapted(chosen["m"], chosen["k"], first)["m"], adapted(chosen["m"], chosen["k"], first)["k"]
    assert res.info["notes"] == [f"auto: first system took {first} steps; GCRO-DR({m2},{k2}) next"]
    assert all(res.results[i].method.startswith(f"gcrodr({m2},{k2})") for i in res.order[1:])
    for s, x in zip(cd, res.solutions):
        np.testing.assert_allclose(x, _exact(s), rtol=1e-6)
    helm = helmholtz_shift_sequence(3, 12, seed=1, k2=(80.0, 85.0))
    res = solve_sequence(helm)  # positive diagonal: auto tries CG first, meets negative curvature
    assert res.converged and res.info["method"] == "dcg"
    assert len(res.info["notes"]) == 1 and "switched to rminres" in res.info["notes"][0]
    assert "use method='rminres'" in res.info["notes"][0]
    assert all(r.method.startswith("rminres") for r in res.results)
    for s, x in zip(helm, res.solutions):
        np.testing.assert_allclose(x, _exact(s), rtol=1e-6, atol=1e-9 * np.abs(_exact(s)).max())


def test_auto_choice():
    A = darcy(8, seed=0).A
    assert resolve(A, "auto", None, {})[:2] == ("dcg", {"k": 0, "fallback": "rminres", "precond": "ilu0"})
    method, kw, info = resolve(darcy(91, seed=0).A, "auto", None, {})  # 8281 unknowns: AMG carried
    assert method == "dcg" and kw["precond"] == "amg" and info["symmetry"] == "tested"
    assert resolve(A, "auto", None, {"M": "jacobi"})[1].get("precond") is None
    assert resolve(A, "auto", False, {})[0] == "gcrodr"  # the user's flag skips the test
    assert resolve(-A, "auto", True, {})[0] == "rminres"  # symmetric with a negative diagonal
    assert resolve(A, "auto", None, {"m": 10})[0] == "gcrodr"
    with pytest.raises(ValueError, match="symmetric must be"):
        resolve(A, "auto", "yes", {})


def test_negative_curvature_stops_cg_keeps_partial_result():
    s = _indefinite()
    for k, space in ((0, None), (4, None)):
        r = deflated_cg(s.A, s.b, k=k, recycle=space)
        assert not r.converged and r.reason == "negative curvature"
        assert "not positive definite" in r.info["message"]
        assert np.all(np.isfinite(r.x)) and r.iterations >= 1 and len(r.residuals) == r.iterations + 1
    # a carried space on which A is indefinite is caught before iterating
    w = np.linalg.eigh(s.A.toarray())[1][:, :1].T
    r = deflated_cg(s.A, s.b, k=2, recycle=w)
    assert r.reason == "negative curvature" and "recycled space" in r.info["message"]


def test_recycle_space_dimension_mismatch_is_one_clear_error():
    a, b = darcy(6, seed=0), darcy(7, seed=0)
    space = deflated_cg(a.A, a.b, k=3).recycle
    with pytest.raises(ValueError, match="dimension mismatch.*length 36 but A is 49x49"):
        deflated_cg(b.A, b.b, k=3, recycle=space)
    with pytest.raises(ValueError, match="dimension mismatch"):
        recycled_minres(b.A, b.b, k=3, recycle=space)
    with pytest.raises(ValueError, match="2-D"):
        deflated_cg(a.A, a.b, recycle=np.ones(36))
    with pytest.raises(ValueError, match="k must be"):
        deflated_cg(a.A, a.b, k=-1)
    with pytest.raises(ValueError, match="preconditioner"):
        recycled_minres(a.A, a.b, M="jacobi")


def test_carried_preconditioner_rebuilds_when_convergence_degrades():
    near, far = darcy(20, seed=0), darcy(20, seed=0, sigma=3.0)
    carry = CarriedPreconditioner("amg")
    r1 = solve_carried(deflated_cg, near.A, near.b, carry, k=0)
    r2 = solve_carried(deflated_cg, near.A * 1.01, near.b, carry, k=0)
    assert carry.builds == 1 and not r2.info["rebuilt"]
    r3 = solve_carried(deflated_cg, far.A, far.b, carry, k=0)  # the old hierarchy no longer fits
    assert r1.converged and r2.converged and r3.converged
    assert r3.info["rebuilt"] and carry.builds == 2
    np.testing.assert_allclose(r3.x, _exact(far), rtol=1e-6)
    assert r3.matvecs == r3.matvec_history[-1] and len(r3.residuals) == r3.iterations + 1
    with pytest.raises(ValueError, match="unknown carried"):
        CarriedPreconditioner("lu")
    with pytest.raises(ValueError, match="carries a preconditioner"):
        solve_sequence(darcy_rotation_sequence(2, 6), method="gmres", precond="amg")


def test_ilu_and_amg_preconditioners():
    cd = convection_diffusion_sequence(1, 12)[0]
    res = solve_sequence([cd], method="gcrodr", m=20, k=5, precond="ilu")
    assert res.converged
    np.testing.assert_allclose(res.solutions[0], _exact(cd), rtol=1e-6)
    M = AMG(darcy(16, seed=0).A)
    out = M.apply(np.ones(256), np.empty(256))
    assert out.shape == (256,) and np.all(np.isfinite(out)) and M.levels >= 2
    with pytest.raises(ValueError, match="ILU failed"):
        ILU(sp.csr_matrix((4, 4)))


def test_gcrodr_defaults_follow_the_measured_costs():
    slow_mv = gcrodr_defaults(None, costs={"matvec_s": 1e-4, "orth_per_vector_s": 1e-6}, n=50_000)
    fast_mv = gcrodr_defaults(None, costs={"matvec_s": 1e-6, "orth_per_vector_s": 1e-6}, n=50_000)
    assert slow_mv["m"] > fast_mv["m"] >= 20 and slow_mv["k"] == slow_mv["m"] // 4
    tiny = gcrodr_defaults(None, costs={"matvec_s": 1e-4, "orth_per_vector_s": 1e-6}, n=30)
    assert tiny["m"] <= 15 and tiny["refresh"] == 1
    huge = gcrodr_defaults(None, costs={"matvec_s": 1e-4, "orth_per_vector_s": 1e-6}, n=10**8)
    assert huge["m"] == 20  # memory bound: 20 vectors of 10^8 doubles already exceed 0.4 GB


def test_ilu0_is_exact_on_a_tridiagonal_matrix_and_checks_its_input():
    A = sp.diags([-1.3, 3.0, -0.7], [-1, 0, 1], shape=(40, 40), format="csr")  # no fill: ILU(0) = LU
    M = ILU0(A)
    b = np.arange(40.0)
    np.testing.assert_allclose(M.apply(b, np.empty(40)), spla.spsolve(A.tocsc(), b), rtol=1e-12)
    s = darcy(16, seed=4)
    res = solve_sequence([s], method="dcg", k=0, precond="ilu0")
    assert res.converged and res.results[0].method.startswith("dpcg[ilu0]")
    assert res.iterations[0] < 0.5 * solve_sequence([s], method="cg").iterations[0]
    np.testing.assert_allclose(res.solutions[0], _exact(s), rtol=1e-6)
    with pytest.raises(ValueError, match="diagonal entry"):
        ILU0(sp.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0]])))
    with pytest.raises(ValueError, match="zero pivot in row 0"):
        ILU0(sp.csr_matrix((np.array([0.0, 1.0, 1.0, 1.0]), np.array([0, 1, 0, 1]), np.array([0, 2, 4])), shape=(2, 2)))
    cd = convection_diffusion_sequence(2, 10)
    res = solve_sequence(cd)
    assert res.converged and all("[ilu0]" in r.method for r in res.results)


def test_auto_copes_with_size_changes_and_a_preconditioner_that_cannot_be_built():
    from symnb.solvers import LinearSystem

    cd = convection_diffusion_sequence(2, 8)
    zero_pivot = sp.csr_matrix((np.array([0.0, 1.0, 1.0, 1.0]), np.array([0, 1, 0, 1]), np.array([0, 2, 4])),
                               shape=(2, 2))
    odd = LinearSystem(zero_pivot, np.array([1.0, 2.0]))
    res = solve_sequence([cd[0], odd, cd[1]], sort=False)
    assert res.converged and res.info["method"] == "gcrodr"
    np.testing.assert_allclose(res.solutions[1], [1.0, 1.0], rtol=1e-8)
    assert any("ilu0 could not be built" in n and "zero pivot" in n for n in res.info["notes"])
    spd = [darcy(6, seed=0), darcy(7, seed=1), darcy(6, seed=2)]
    res = solve_sequence(spd, sort=False, method="dcg", k=3)  # spaces of another size are not carried
    assert res.converged
    for s, x in zip(spd, res.solutions):
        np.testing.assert_allclose(x, _exact(s), rtol=1e-6)
