"""CVODE's own counters read from its memory (linear-solver setups, nonlinear iterations)
and the ``dgmax`` option (CVodeSetDeltaGammaMaxLSetup), issue 16."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.models.integrators.cvode import CVODE, cvode_counters, cvode_mem, single_thread
from symnb.models.ode import ODEProblem, SolveError, solve
from symnb.terms import symbols


@pytest.fixture(scope="module")
def stiff():
    """Robertson's kinetics feeding a 3-species linear chain."""
    x = symbols("x0:6")
    rhs = [-0.04 * x[0] + 1e4 * x[1] * x[2],
           0.04 * x[0] - 1e4 * x[1] * x[2] - 3e7 * x[1] ** 2,
           3e7 * x[1] ** 2 - 0.01 * x[2],
           0.01 * x[2] - 50.0 * x[3], 50.0 * x[3] - 0.3 * x[4], 0.3 * x[4]]
    return ODEProblem(rhs, list(x), compile_backend="python", name="stiff6")


U0 = [1.0, 0, 0, 0, 0, 0]
T_END = 1e3


@pytest.fixture(scope="module")
def reference(stiff):
    r = solve(stiff, U0, (0.0, T_END), rtol=1e-11, atol=1e-14, linsolver="dense")
    assert r.success
    return r.y[:, -1]


def scaled_error(y, ref):
    return float(np.max(np.abs(y - ref) / (np.abs(ref) + 1e-6)))


@pytest.mark.parametrize("linsolver", ["dense", "lapackdense", "sparse"])
def test_direct_solvers_report_their_lu_setups(stiff, linsolver):
    s = solve(stiff, U0, (0.0, T_END), linsolver=linsolver).stats
    assert isinstance(s["npsetups"], int) and s["npsetups"] > 0
    assert s["njev"] <= s["npsetups"] <= s["steps"]       # one LU per setup, J reused
    assert isinstance(s["nniters"], int) and s["nniters"] >= s["steps"]
    assert s["nfev"] >= s["nniters"]                        # one RHS per Newton iteration
    assert s["npsolves"] is None                            # no preconditioner


def test_krylov_keeps_its_preconditioner_count(stiff):
    s = solve(stiff, U0, (0.0, T_END), linsolver="gmres", precond="lu", gamma_tol=3.0).stats
    assert s["npsetups"] >= s["njev"] > 0 and s["nniters"] >= s["steps"] > 0
    assert s["npsolves"] >= s["nniters"]             # at least one preconditioner solve each


def test_counters_read_the_solvers_own_memory(stiff):
    p = np.zeros(0)
    solver, _ = CVODE().make_solver(stiff, p, linsolver="dense")
    assert cvode_mem(solver) is None or cvode_counters(solver) == {}   # no memory yet
    with single_thread():
        solver.init_step(0.0, np.array(U0, dtype=float))
        for _ in range(30):
            res = solver.step(T_END, method="onestep")
    c = cvode_counters(solver)
    assert c["steps"] == 30 and c["nfev"] == res.nfev and c["nlsetups"] > 0


def test_dgmax_cuts_setups_and_keeps_the_answer(stiff, reference):
    base = solve(stiff, U0, (0.0, T_END), rtol=1e-6, atol=1e-10, linsolver="lapackdense")
    lazy = solve(stiff, U0, (0.0, T_END), rtol=1e-6, atol=1e-10, linsolver="lapackdense",
                 dgmax=3.0)
    assert base.success and lazy.success
    assert lazy.stats["npsetups"] < base.stats["npsetups"]
    assert scaled_error(lazy.y[:, -1], reference) < 1e-4
    assert scaled_error(base.y[:, -1], reference) < 1e-4
    assert solve(stiff, U0, (0.0, 1.0), dgmax=np.int64(2)).success    # numpy numbers too


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), "2", True])
def test_dgmax_rejects_non_positive(stiff, bad):
    with pytest.raises(SolveError, match="dgmax must be a positive number"):
        solve(stiff, U0, (0.0, 1.0), dgmax=bad)


def test_summary_names_lu_factorizations_for_direct_and_krylov_counters_otherwise():
    from symnb.models.ode import ODEResult
    direct = dict(backend="cvode", method="BDF", linsolver="lapackdense", precond=None,
                  nliters=0, npsetups=41)
    krylov = dict(direct, linsolver="gmres", precond="ilu", nliters=414, npsetups=22)
    def rows(stats: dict) -> dict:
        return dict(ODEResult(np.zeros(1), np.zeros((1, 1)), True, "ok", 0, stats).summary())

    assert rows(direct)["LU factorizations"] == 41
    assert "linear iterations / preconditioner setups" not in rows(direct)
    assert rows(krylov)["linear iterations / preconditioner setups"] == "414 / 22"
    assert "LU factorizations" not in rows(dict(direct, npsetups=None))


def test_auto_takes_gmres_with_a_dense_lu_for_large_dense_jacobians():
    from symnb.models.integrators.cvode import DENSE_KRYLOV_MIN
    n = DENSE_KRYLOV_MIN
    rng = np.random.default_rng(4)
    y = symbols(f"yd0:{n}")
    rows = []
    for i in range(n):
        cols = rng.choice(n, size=int(0.06 * n), replace=False)
        rows.append(-(1.0 + 100.0 * (i % 7)) * y[i]
                    + sum(0.01 * rng.uniform() * y[int(j)] for j in cols if j != i))
    prob = ODEProblem(rows, list(y))
    u0 = np.ones(n)
    auto = solve(prob, u0, (0.0, 1.0), rtol=1e-8, atol=1e-10)
    ref = solve(prob, u0, (0.0, 1.0), rtol=1e-8, atol=1e-10, linsolver="lapackdense")
    assert (auto.stats["linsolver"], auto.stats["precond"]) == ("gmres", "dense")
    assert ref.stats["linsolver"] == "lapackdense"
    assert np.allclose(auto.y[:, -1], ref.y[:, -1], rtol=1e-5, atol=1e-9)
    ilu = solve(prob, u0, (0.0, 1.0), rtol=1e-8, atol=1e-10, linsolver="gmres", precond="ilu")
    assert ilu.stats["precond"] == "ilu"
