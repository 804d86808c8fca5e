"""CVODE's Krylov solvers with preconditioners from the compiled Jacobian, linsolver="auto",
linear-solver stats, fallbacks, progress and interruption (issue 16)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from symnb.models.integrators import get_integrator
from symnb.models.integrators.cvode import (DENSE_MAX, KRYLOV_MIN, LAPACK_MAX,
                                            choose_linsolver)
from symnb.models.integrators.krylov import JacobianPreconditioner, PreconditionerWarning
from symnb.models.ode import ODEProblem, SolveError, set_progress_factory, solve
from symnb.terms import symbols

T_END = 40.0


@pytest.fixture(scope="module")
def stiff():
    """Robertson's stiff kinetics feeding a 5-species linear chain (rates 1e-2 .. 1e3)."""
    x = symbols("x0:8")
    k = [1e-2, 1e3, 1.0, 50.0, 0.3]
    rob = [-0.04 * x[0] + 1e4 * x[1] * x[2],
           0.04 * x[0] - 1e4 * x[1] * x[2] - 3e7 * x[1] ** 2,
           3e7 * x[1] ** 2 - k[0] * x[2]]
    chain = [k[0] * x[2] - k[1] * x[3], k[1] * x[3] - k[2] * x[4], k[2] * x[4] - k[3] * x[5],
             k[3] * x[5] - k[4] * x[6], k[4] * x[6]]
    return ODEProblem(rob + chain, list(x), compile_backend="python", name="stiff")


U0 = [1.0, 0, 0, 0, 0, 0, 0, 0]


@pytest.fixture(scope="module")
def reference(stiff):
    r = solve(stiff, U0, (0.0, T_END), rtol=1e-11, atol=1e-14, linsolver="dense")
    assert r.success
    return r.y[:, -1]


def close(y, ref, tol):
    return np.max(np.abs(y - ref) / (np.abs(ref) + 1e-6)) < tol


def test_auto_rules_and_override(stiff):
    assert choose_linsolver(DENSE_MAX, DENSE_MAX ** 2) == "dense"
    assert choose_linsolver(356, 8431) == "lapackdense"             # egfr_net: 6.6 % dense
    assert choose_linsolver(LAPACK_MAX, LAPACK_MAX * 10) == "gmres"   # large and sparse
    assert choose_linsolver(KRYLOV_MIN - 1, 10 * KRYLOV_MIN) == "sparse"
    assert choose_linsolver(3072, 13184) == "sparse"          # reaction–diffusion stencil
    assert choose_linsolver(3744, 58_000) == "gmres"                 # fceri_gamma2's size
    assert solve(stiff, U0, (0.0, 1.0)).stats["linsolver"] == "dense"
    for ls in ("sparse", "lapackdense", "gmres", "bicgstab", "tfqmr"):
        assert solve(stiff, U0, (0.0, 1.0), linsolver=ls).stats["linsolver"] == ls
    with pytest.raises(SolveError, match="unknown linsolver 'cg'"):
        solve(stiff, U0, (0.0, 1.0), linsolver="cg")
    with pytest.raises(SolveError, match="unknown jtimes 'fd'"):
        solve(stiff, U0, (0.0, 1.0), linsolver="gmres", jtimes="fd")


@pytest.mark.parametrize("linsolver", ["gmres", "bicgstab", "tfqmr"])
@pytest.mark.parametrize("precond", ["ilu", "lu", "dense", "jacobi"])
def test_krylov_matches_direct(stiff, reference, linsolver, precond):
    r = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver=linsolver,
              precond=precond)
    assert r.success and r.stats["precond"] == precond
    assert close(r.y[:, -1], reference, 1e-4)
    d = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver="sparse")
    assert close(d.y[:, -1], reference, 1e-4)


@pytest.mark.parametrize("jtimes", ["matrix", "dq"])
def test_jtimes_and_gamma_reuse(stiff, reference, jtimes):
    base = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver="gmres",
                 jtimes=jtimes, gamma_tol=0.0)
    lazy = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver="gmres",
                 jtimes=jtimes, gamma_tol=1.0)
    for r in (base, lazy):
        assert r.success and close(r.y[:, -1], reference, 1e-4)
        assert r.stats["njtimes"] > 0
        if jtimes == "dq":                                       # each product: one RHS call
            assert r.stats["nfev"] > r.stats["njtimes"] + r.stats["steps"]
    assert lazy.stats["npsetups"] < base.stats["npsetups"]        # γ reuse skips factors


def test_stats_keys(stiff):
    keys = set(get_integrator("cvode").stats_keys)
    g = solve(stiff, U0, (0.0, 1.0), linsolver="gmres")
    assert set(g.stats) == keys
    s = g.stats
    assert s["nliters"] == s["njtimes"] > 0 and s["npsetups"] > 0 and s["njev"] > 0
    assert s["npsetups"] >= s["njev"] and s["interrupted"] is False
    b = solve(stiff, U0, (0.0, 1.0), linsolver="bicgstab").stats
    assert b["nliters"] == b["njtimes"] // 2 > 0
    d = solve(stiff, U0, (0.0, 1.0), linsolver="dense").stats
    assert set(d) == keys and d["nliters"] == 0 and d["njev"] > 0
    assert d["npsetups"] >= d["njev"] and d["nniters"] >= d["steps"]     # CVODE's own LU count


def test_ilu_breakdown_falls_back_with_a_warning(stiff, reference, monkeypatch):
    import scipy.sparse.linalg as sla

    def broken(*a, **k):
        raise RuntimeError("Factor is exactly singular")
    monkeypatch.setattr(sla, "spilu", broken)
    with pytest.warns(PreconditionerWarning, match=r"'ilu' failed \(ILU breakdown: Factor is "
                                                   r"exactly singular\); using 'lu'"):
        r = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver="gmres")
    assert r.success and r.stats["precond"] == "lu" and close(r.y[:, -1], reference, 1e-4)
    monkeypatch.setattr(sla, "splu", broken)
    with pytest.warns(PreconditionerWarning, match="'lu' failed .*; using 'jacobi'"):
        r = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver="gmres")
    assert r.success and r.stats["precond"] == "jacobi" and close(r.y[:, -1], reference, 1e-4)


def test_singular_and_nonfinite_preconditioners_fall_back():
    import scipy.sparse as sp
    J = sp.csc_matrix(np.array([[1.0, 0.0], [0.0, 2.0]]))
    P = JacobianPreconditioner(lambda v, y, t: v.__setitem__(slice(None), J.data), J,
                               kind="lu")
    with pytest.warns(PreconditionerWarning, match="'lu' failed"):
        P.setup(0.0, np.zeros(2), None, False, [0], 1.0)    # I − J: first row exactly zero
    assert P.kind == "none"                                 # jacobi too: a zero diagonal
    z = np.empty(2)
    P.solve(0.0, None, None, np.array([3.0, 4.0]), z, 1.0, 0.0, 1)
    assert np.array_equal(z, [3.0, 4.0])
    Q = JacobianPreconditioner(lambda v, y, t: v.__setitem__(slice(None), np.nan), J)
    with pytest.warns(PreconditionerWarning, match="non-finite"):
        Q.setup(0.0, np.zeros(2), None, False, [0], 0.5)
    assert Q.kind == "none" and len(Q.counts()["fallbacks"]) == 3
    D = JacobianPreconditioner(lambda v, y, t: v.__setitem__(slice(None), J.data), J,
                               kind="dense")
    with pytest.warns(PreconditionerWarning, match=r"'dense' failed \(I − γJ is singular"):
        D.setup(0.0, np.zeros(2), None, False, [0], 1.0)
    assert D.kind == "none"
    D.kind = "dense"                                        # a regular I − γJ: exact solve
    D.setup(0.0, np.zeros(2), None, True, [0], 0.25)
    D.solve(0.0, None, None, np.array([3.0, 4.0]), z, 0.25, 0.0, 1)
    assert np.allclose(z, [3.0 / 0.75, 4.0 / 0.5])


def test_failed_krylov_solve_continues_with_the_sparse_solver(stiff, reference, monkeypatch):
    rng = np.random.default_rng(0)

    def garbage(self, t, y, yp, r, z, gamma, delta, lr):   # not even a linear operator
        z[:] = rng.standard_normal(len(z)) * 1e8
    monkeypatch.setattr(JacobianPreconditioner, "solve", garbage)
    with pytest.warns(PreconditionerWarning, match=r"linear solver gmres failed at t=.*\); "
                                                   r"continuing with 'sparse'"):
        r = solve(stiff, U0, (0.0, T_END), rtol=1e-8, atol=1e-12, linsolver="gmres")
    assert r.success and r.stats["linsolver"] == "sparse"
    assert close(r.y[:, -1], reference, 1e-4) and r.t[-1] == T_END


def test_progress_reports_plain_data(stiff):
    seen = []
    r = solve(stiff, U0, (0.0, T_END), linsolver="gmres", progress=seen.append)
    assert r.success and len(seen) >= 2
    assert set(seen[0]) == {"t", "t0", "tf", "fraction", "steps", "seconds", "done"}
    assert seen[-1]["done"] and seen[-1]["fraction"] == 1.0 and seen[-1]["t"] == T_END
    assert all(0.0 <= s["fraction"] <= 1.0 for s in seen) and not seen[0]["done"]


@pytest.fixture
def hook(monkeypatch):
    """The solve-progress hook with no delay, restored afterwards."""
    from symnb.progress_hook import SOLVE_PROGRESS
    monkeypatch.setattr(SOLVE_PROGRESS, "after", 0.0)
    before = SOLVE_PROGRESS.factory
    yield SOLVE_PROGRESS
    SOLVE_PROGRESS.set(before)


def test_default_progress_factory_gets_the_updates(stiff, hook):
    made, seen = [], []

    def factory(problem, t_span):
        made.append((problem.name, tuple(t_span)))
        return seen.append
    set_progress_factory(factory)
    solve(stiff, U0, (0.0, 1.0))
    solve(stiff, U0, (0.0, 1.0), backend="scipy")        # scipy takes no progress
    assert made == [("stiff", (0.0, 1.0))]
    assert len(seen) >= 2 and seen[-1]["done"] and seen[-1]["fraction"] == 1.0
    hook.after = 1e9                                     # a short solve makes no sink
    solve(stiff, U0, (0.0, 1.0))
    assert len(made) == 1
    with pytest.raises(TypeError, match="must be callable"):
        set_progress_factory(3)
    with pytest.raises(ValueError, match="'module:attribute'"):
        set_progress_factory("symnb.display.solve_progress")


def test_the_notebook_bar_is_registered_by_name_and_imported_only_under_ipython():
    import subprocess
    import sys
    code = """
import sys
import symnb
from symnb.models.ode import ODEProblem, solve
from symnb.progress_hook import SOLVE_PROGRESS
print(SOLVE_PROGRESS.factory)
SOLVE_PROGRESS.after = 0.0
x, k = symnb.symbols("x k")
prob = ODEProblem([-k * x], [x], {k: 1.0}, compile_backend="python", name="decay")
assert solve(prob, [1.0], (0.0, 1.0)).success
print("symnb.display" in sys.modules, "IPython" in sys.modules)
import IPython
assert solve(prob, [1.0], (0.0, 1.0)).success
from symnb.display.solve_progress import solve_progress
print(SOLVE_PROGRESS.factory is solve_progress)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:3] == ["symnb.display.solve_progress:solve_progress",
                                         "False False", "True"]


@pytest.mark.parametrize("linsolver", ["gmres", "dense"])
def test_interrupt_keeps_the_partial_result(stiff, linsolver):
    calls = []

    def stop_later(info):
        calls.append(info)
        raise KeyboardInterrupt
    r = solve(stiff, U0, (0.0, T_END), linsolver=linsolver, progress=stop_later)
    assert not r.success and r.stats["interrupted"] and "interrupted" in r.message
    assert len(r.t) >= 2 and r.y.shape == (8, len(r.t)) and r.t[-1] < T_END
    assert r.stats["t_reached"] == r.t[-1] and np.all(np.isfinite(r.y))
    assert len(calls) == 2 and calls[-1]["done"]      # the first step, then the final report


def test_interrupt_inside_the_rhs_keeps_the_partial_result():
    x, k = symbols("x k")
    prob = ODEProblem([-k * x], [x], {k: 1.0}, compile_backend="python")
    f, n = prob.rhs_compiled.func, [0]

    def rhs(du, u, p, t):            # what Ctrl-C does: KeyboardInterrupt inside a callback
        n[0] += 1
        if n[0] == 40:
            raise KeyboardInterrupt
        f(du, u, p, t)
    prob.rhs_compiled.func = rhs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = solve(prob, [1.0], (0.0, 10.0), rtol=1e-10, atol=1e-12)
    assert not r.success and r.stats["interrupted"] and 0 < r.t[-1] < 10.0
    assert np.allclose(r.y[0], np.exp(-r.t), rtol=1e-6)


def test_the_notebook_bar_outside_a_kernel_shows_nothing(stiff):
    from symnb.display.solve_progress import SolveProgress, solve_progress
    bar = solve_progress(stiff, (0.0, 1.0))
    assert isinstance(bar, SolveProgress) and bar.description == "stiff"
    r = solve(stiff, U0, (0.0, 1.0))                 # outside a kernel: nothing is shown
    assert r.success
    bar(dict(t=0.5, t0=0.0, tf=1.0, fraction=0.5, steps=3, seconds=5.0, done=False))
    assert not bar.shown and bar.text == "t = 0.5 / 1 (50 %), 3 steps, 5.0 s"
