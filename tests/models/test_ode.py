"""ODEProblem / solve on CVODE and scipy; the 3-species reaction–diffusion model (issue 6)."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.models.ode import ODEProblem, ODEResult, SolveError, solve
from symnb.models.reaction_diffusion import brusselator_2d, reaction_diffusion_3species
from symnb.terms import cos, symbols


@pytest.fixture(scope="module")
def decay():
    x, y, k = symbols("x y k")
    return ODEProblem([-k * x, k * x - 0.5 * y], [x, y], {k: 2.0}, compile_backend="python")


def exact(t, k=2.0):
    x = np.exp(-k * t)
    y = k / (k - 0.5) * (np.exp(-0.5 * t) - np.exp(-k * t))
    return x, y


@pytest.mark.parametrize("backend,method", [("cvode", "BDF"), ("cvode", "Adams"),
                                            ("scipy", "BDF"), ("scipy", "Radau"),
                                            ("scipy", "LSODA")])
def test_backends_match_exact(decay, backend, method):
    r = solve(decay, [1.0, 0.0], (0.0, 3.0), rtol=1e-9, atol=1e-12, backend=backend,
              method=method)
    assert isinstance(r, ODEResult) and r.success
    assert r.t.ndim == 1 and r.y.shape == (2, len(r.t))
    x, y = exact(r.t)
    assert np.allclose(r.y[0], x, rtol=1e-6, atol=1e-9)
    assert np.allclose(r.y[1], y, rtol=1e-6, atol=1e-9)
    assert r.nfev > 0 and r.steps == len(r.t) - 1
    assert r.stats["backend"] == backend


def test_cvode_runs_single_threaded_and_restores_thread_counts():
    import sksundae.cvode  # noqa: F401  (loads the bundled runtime)
    from symnb.models.integrators.cvode import _sundials_runtime
    rt = _sundials_runtime()
    pairs = [p for p in rt if p is not None]
    assert rt[0] is not None        # the wheel's libgomp, which SuperLU_MT's regions use
    before = [get() for get, _ in pairs]
    for get, set_ in pairs:
        set_(2)
    seen = []
    x, k = symbols("x k")
    prob = ODEProblem([-k * x], [x], {k: 1.0}, compile_backend="python")
    prob.rhs_compiled.func, f = (lambda du, u, p, t: (seen.append([g() for g, _ in pairs]),
                                                     f(du, u, p, t))), prob.rhs_compiled.func
    try:
        r = solve(prob, [1.0], (0.0, 1.0))
        after = [get() for get, _ in pairs]
    finally:
        for (get, set_), b in zip(pairs, before):
            set_(b)
    assert r.success and r.stats["linsolver"] == "dense"          # auto: 1 <= DENSE_MAX
    assert seen and all(c == [1] * len(pairs) for c in seen)       # one thread inside
    assert after == [2] * len(pairs)                               # restored after


def test_t_eval_params_override(decay):
    te = np.linspace(0, 1, 5)
    r = solve(decay, [1.0, 0.0], (0.0, 1.0), t_eval=te, p={"k": 1.0}, rtol=1e-10, atol=1e-12)
    assert np.allclose(r.t, te)
    assert np.allclose(r.y[0], np.exp(-te), rtol=1e-7)
    r2 = solve(decay, [1.0, 0.0], (0.0, 1.0), t_eval=[1.0], p=[1.0], backend="scipy",
               rtol=1e-10, atol=1e-12)
    assert r2.y.shape == (2, 1) and abs(r2.y[0, 0] - np.exp(-1)) < 1e-7


def test_time_dependent_rhs_and_jacobian_values():
    u, t = symbols("u t")
    prob = ODEProblem([cos(t)], [u], (), t, compile_backend="python")
    r = solve(prob, [0.0], (0.0, 2.0), rtol=1e-10, atol=1e-12)
    assert abs(r.y[0, -1] - np.sin(2.0)) < 1e-7
    a, b, c = symbols("a b c")
    p2 = ODEProblem([a * b, b ** 2 - c, a * c], [a, b, c], compile_backend="python")
    J = p2.jac([1.0, 2.0, 3.0]).toarray()
    assert np.allclose(J, [[2, 1, 0], [0, 4, -1], [3, 0, 1]])


def test_failure_reports_message_and_last_time():
    u = symbols("u")
    prob = ODEProblem([u ** 2], [u], compile_backend="python")
    for backend in ("cvode", "scipy"):
        r = solve(prob, [1.0], (0.0, 2.0), backend=backend, max_steps=2000)
        assert not r.success
        assert "last time reached t=" in r.message
        assert 0.9 < r.stats["t_reached"] < 1.0 + 1e-6


def test_bad_input(decay):
    with pytest.raises(SolveError, match="u0 has 3 values"):
        solve(decay, [1.0, 0.0, 0.0], (0, 1))
    with pytest.raises(SolveError, match="unknown backend"):
        solve(decay, [1.0, 0.0], (0, 1), backend="euler")
    with pytest.raises(SolveError, match="t_span"):
        solve(decay, [1.0, 0.0], (1, 0))
    with pytest.raises(SolveError, match="unknown parameter"):
        solve(decay, [1.0, 0.0], (0, 1), p={"q": 1.0})
    with pytest.raises(SolveError, match="no initial state"):
        solve(decay, None, (0, 1))
    x, z = symbols("x z")
    with pytest.raises(ValueError, match="neither state"):
        ODEProblem([x * z], [x], compile_backend="python")


def test_result_repr_and_figure(decay):
    r = solve(decay, [1.0, 0.0], (0.0, 1.0))
    assert "ODEResult success" in repr(r)
    b = r._repr_mimebundle_()
    assert "text/html" in b and "application/vnd.plotly.v1+json" in b
    assert "<svg" in b["text/html"] and b["text/html"].count("<polyline") == 2
    fig = r.figure(components=["y"])
    assert len(fig.data) == 1 and fig.data[0].name == "y"
    assert np.array_equal(r["x"], r.y[0])
    assert "ODEProblem" in decay._repr_html_()


# ----- the 3-species reaction–diffusion system ------------------------------------------
@pytest.fixture(scope="module")
def rd8():
    return reaction_diffusion_3species(8)


def test_rd_traced_values_exact(rd8):
    from symnb.compiler import compile_array
    tr = rd8.trace()
    f = compile_array(tr.terms, args=[tr.symbols(0)], backend="python")
    rng = np.random.default_rng(3)
    for _ in range(3):
        x = rng.uniform(0, 2, rd8.n)
        assert np.allclose(f(x), rd8.rhs(x), rtol=1e-13, atol=1e-12)


def test_rd_sparsity_is_stencil_plus_reactions(rd8):
    S = rd8.jacobian_sparsity()
    E = rd8.expected_sparsity()
    assert S.shape == (rd8.n, rd8.n)
    assert (S != E).nnz == 0
    # A rows: stencil (corner 3, edge 4, interior 5 points) + B + C; B and C rows: 3
    assert np.bincount(S.indptr[1:] - S.indptr[:-1]).nonzero()[0].tolist() == [3, 5, 6, 7]


def test_rd_compiled_problem_and_jacobian(rd8):
    prob = rd8.problem()                       # numba: RHS and sparse Jacobian
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 2, rd8.n)
    assert np.allclose(prob.rhs(x), rd8.rhs(x), rtol=1e-13, atol=1e-12)
    J = prob.jac(x).toarray()
    h = 1e-6
    fd = np.empty_like(J)
    for j in range(rd8.n):
        e = np.zeros(rd8.n)
        e[j] = h
        fd[:, j] = (rd8.rhs(x + e) - rd8.rhs(x - e)) / (2 * h)
    assert np.allclose(J, fd, rtol=1e-6, atol=1e-5)
    r1 = solve(prob, rd8.u0, rd8.t_span, rtol=1e-8, atol=1e-10, linsolver="sparse")
    r2 = solve(prob, rd8.u0, rd8.t_span, rtol=1e-8, atol=1e-10, backend="scipy")
    r3 = solve(prob, rd8.u0, rd8.t_span, rtol=1e-8, atol=1e-10, linsolver="dense")
    r4 = solve(prob, rd8.u0, rd8.t_span, rtol=1e-8, atol=1e-10)     # auto: sparse (192 > 64)
    assert r1.success and r2.success and r3.success
    assert np.allclose(r1.y[:, -1], r2.y[:, -1], rtol=1e-5, atol=1e-8)
    assert np.allclose(r1.y[:, -1], r3.y[:, -1], rtol=1e-6, atol=1e-9)
    assert r1.stats["linsolver"] == "sparse" and r1.njev > 0
    assert r3.stats["linsolver"] == "dense" and r3.njev > 0
    assert r4.stats["linsolver"] == "sparse" and np.array_equal(r4.y, r1.y)
    r5 = solve(prob, rd8.u0, rd8.t_span, rtol=1e-8, atol=1e-10, linsolver="lapackdense")
    assert r5.success and r5.stats["linsolver"] == "lapackdense"
    assert np.allclose(r1.y[:, -1], r5.y[:, -1], rtol=1e-6, atol=1e-9)
    with pytest.raises(SolveError, match="unknown linsolver 'klu'"):
        solve(prob, rd8.u0, rd8.t_span, linsolver="klu")


def test_brusselator_traced_forcing_and_two_phase_solve():
    from symnb.compiler import compile_array
    m = brusselator_2d(6)
    tr = m.trace()
    F = tr.inputs[1].terms[0]
    f = compile_array(tr.terms, args=[tr.symbols(0), F], backend="python")
    x = np.random.default_rng(5).uniform(0, 3, m.n)
    for t in (0.5, 2.0):
        assert np.allclose(f(x, 1.0 if t >= 1.1 else 0.0), m.rhs(x, t), rtol=1e-12, atol=1e-9)
    prob = m.problem(compile_backend="python")
    r1, r2 = m.solve(prob, rtol=1e-6, atol=1e-8, backend="scipy")
    assert r1.success and r2.success and r2.t[-1] == 11.5
    assert np.all(np.isfinite(r2.y)) and r2.y.min() > -1e-6


# ----- the integrator registry -------------------------------------------------------
class _Euler:
    """A user integrator: fixed-step explicit Euler on the compiled RHS."""
    name, methods, options = "euler", ("explicit",), ("steps",)
    stats_keys = ("backend", "method", "nfev", "njev", "steps", "seconds", "t_reached")

    def solve(self, problem, u0, t_span, *, p, t_eval, rtol, atol, method, max_steps,
              first_step, steps=1000):
        t = np.linspace(t_span[0], t_span[1], steps + 1)
        y = np.empty((problem.n, steps + 1))
        y[:, 0] = u0
        du = np.empty(problem.n)
        for i in range(steps):
            problem.rhs_compiled.func(du, y[:, i].copy(), p, t[i])
            y[:, i + 1] = y[:, i] + (t[i + 1] - t[i]) * du
        stats = dict(backend="euler", method=method or "explicit", nfev=steps, njev=0,
                     steps=steps, seconds=0.0, t_reached=float(t[-1]))
        return ODEResult(t, y, True, "done", 0, stats, problem.names)


def test_registered_integrator_is_dispatched_with_its_options(decay):
    from symnb.models import integrator_names, register_integrator
    from symnb.models.integrators import INTEGRATORS
    register_integrator("euler", _Euler())
    try:
        assert integrator_names() == ["cvode", "scipy", "euler"]
        r = solve(decay, [1.0, 0.0], (0.0, 1.0), backend="euler", steps=4000)
        assert r.stats["backend"] == "euler" and r.y.shape == (2, 4001)
        assert abs(r.y[0, -1] - exact(np.array([1.0]))[0][0]) < 1e-3
        with pytest.raises(SolveError, match=r"the 'euler' integrator has no option 'linsolver' "
                                             r"\(its options: steps\)"):
            solve(decay, [1.0, 0.0], (0.0, 1.0), backend="euler", linsolver="dense")
    finally:
        del INTEGRATORS["euler"]
    with pytest.raises(SolveError, match=r"unknown backend 'euler'; registered: 'cvode', 'scipy'"):
        solve(decay, [1.0, 0.0], (0.0, 1.0), backend="euler")
    with pytest.raises(SolveError, match=r"'scipy' integrator has no option 'linsolver' "
                                         r"\(its options: none\)"):
        solve(decay, [1.0, 0.0], (0.0, 1.0), backend="scipy", linsolver="dense")
    with pytest.raises(TypeError, match="needs name, methods, options, stats_keys and solve"):
        register_integrator("bad", object())
    with pytest.raises(ValueError, match="non-empty name"):
        register_integrator("", _Euler())


@pytest.mark.parametrize("backend", ["cvode", "scipy"])
def test_shipped_integrators_fill_their_documented_stats(decay, backend):
    from symnb.models.integrators import COMMON_STATS, get_integrator
    integ = get_integrator(backend)
    assert integ.name == backend and set(COMMON_STATS) <= set(integ.stats_keys)
    r = solve(decay, [1.0, 0.0], (0.0, 1.0), backend=backend)
    assert set(r.stats) == set(integ.stats_keys) and r.stats["method"] == integ.methods[0]
    with pytest.raises(SolveError, match=f"unknown {'CVODE' if backend == 'cvode' else 'scipy'} "
                                         f"method 'RK4'"):
        solve(decay, [1.0, 0.0], (0.0, 1.0), backend=backend, method="RK4")
