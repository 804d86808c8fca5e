"""Ensembles: many parameter sets / initial states on one compiled problem (issue 15)."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from symnb.models.ensemble import recipe_of, solve_ensemble
from symnb.models.network import ReactionNetwork
from symnb.models.ode import ODEProblem, SolveError
from symnb.terms import symbols
from symnb.terms.core import Symbol
from symnb.terms.nodetable import pack, unpack

T = np.linspace(0.0, 2.0, 5)


def decay_network():
    # A -> B at k, B -> 0 at 0.5: A = A0 exp(-k t)
    net = ReactionNetwork([("A -> B", "k"), ("B -> 0", 0.5)], parameters={"k": 1.0},
                          initial={"A": 2.0}, observables={"Atot": ["A"], "AB": ["A", "B"]})
    return net, net.problem(compile_backend="python")


def test_parameter_sets_and_initial_states_match_the_analytic_solution():
    net, prob = decay_network()
    ks = np.array([[0.5], [1.0], [3.0]])
    calls = []
    res = solve_ensemble(prob, ks, times=T, rtol=1e-10, atol=1e-12,
                         progress=lambda d, n: calls.append((d, n)))
    assert res.y.shape == (3, 2, 5) and list(res.status) == ["success"] * 3
    assert np.allclose(res.y[:, 0, :], 2.0 * np.exp(-ks * T), rtol=1e-7)
    assert calls[-1] == (3, 3) and len(calls) == 3
    assert np.all(res.cpu_seconds >= 0) and res.seconds > 0
    obs = res.observables()
    assert np.allclose(obs["Atot"], res.y[:, 0, :])
    assert np.allclose(obs["AB"], res.y[:, 0, :] + res.y[:, 1, :])
    u0s = np.array([[1.0, 0.0], [4.0, 1.0]])
    res2 = solve_ensemble(prob, [{"k": 2.0}, {}], u0s, times=T, rtol=1e-10, atol=1e-12)
    assert np.allclose(res2.y[:, 0, :], u0s[:, :1] * np.exp(-np.array([[2.0], [1.0]]) * T))
    band = res.quantiles(q=(0.0, 0.5, 1.0))
    assert band["n_ok"] == 3 and band["times"] == T.tolist()
    assert np.allclose(band["series"]["Atot"]["q50"], 2.0 * np.exp(-1.0 * T), rtol=1e-7)
    assert np.allclose(band["series"]["Atot"]["q00"], 2.0 * np.exp(-3.0 * T), rtol=1e-7)


def test_a_failed_run_is_marked_and_the_others_finish():
    u, k = symbols("u k")
    prob = ODEProblem([k * u ** 2], [u], {k: 1.0}, u0=[1.0], compile_backend="python")
    # u = 1 / (1 - k t) blows up at t = 1/k: k = 1 fails before t = 2
    res = solve_ensemble(prob, [[0.1], [1.0], [0.2]], times=T, max_steps=2000)
    assert list(res.status) == ["success", "failed", "success"] and res.failed == [1]
    assert res.messages[1] and np.isnan(res.y[1, 0, -1])
    assert np.allclose(res.y[0, 0], 1 / (1 - 0.1 * T), rtol=1e-5)
    assert "failed" in repr(res) and dict(res.summary())["failed / error"] == 1
    assert res.quantiles()["n_ok"] == 2


def test_a_problem_without_parameters_varies_its_initial_states():
    net = ReactionNetwork([("A -> B", 2.0)], initial={"A": 1.0})
    prob = net.problem(compile_backend="python")
    res = solve_ensemble(prob, None, [[1.0, 0.0], [3.0, 1.0]], times=T, rtol=1e-10,
                         atol=1e-12)
    assert list(res.status) == ["success"] * 2 and res.params.shape == (2, 0)
    assert np.allclose(res.y[:, 0, :], np.array([[1.0], [3.0]]) * np.exp(-2.0 * T))
    assert np.allclose(res.y[:, 1, :], [[1.0], [4.0]] - res.y[:, 0, :])
    with pytest.raises(SolveError, match=r"params must have shape \(n_runs, 0\)"):
        solve_ensemble(prob, [[1.0]], times=T)


def test_bad_shapes_are_refused():
    _, prob = decay_network()
    with pytest.raises(SolveError, match="params has 2 runs but u0s has 3"):
        solve_ensemble(prob, [[1.0], [2.0]], np.ones((3, 2)), times=T)
    with pytest.raises(SolveError, match="u0s must have shape"):
        solve_ensemble(prob, None, np.ones((3, 3)), times=T)
    with pytest.raises(SolveError, match="increasing"):
        solve_ensemble(prob, [[1.0]], times=[1.0, 0.0])
    with pytest.raises(SolveError, match="params must have shape"):
        solve_ensemble(prob, np.ones((2, 3)), times=T)


def test_terms_travel_as_a_node_table():
    a, b, bp = Symbol("A(b!1).B(a!1)"), Symbol("$C()"), Symbol("$C()", positive=True)
    terms = [a * b + 2 * a ** 2, (a + 1) / b, a * b, a * bp + b]
    nodes, roots = pack(terms)
    assert all(x is y for x, y in zip(unpack(nodes, roots), terms))
    back = unpack(*pickle.loads(pickle.dumps((nodes, roots))))
    assert all(x is y for x, y in zip(back, terms))
    _, prob = decay_network()
    rec = recipe_of(prob)
    assert rec.key == recipe_of(prob).key
    rebuilt = pickle.loads(pickle.dumps(rec)).build()
    assert np.allclose(rebuilt.rhs([1.0, 2.0]), prob.rhs([1.0, 2.0]))


def test_local_cluster_of_two_workers_gives_the_same_runs():
    pytest.importorskip("distributed")
    _, prob = decay_network()
    P = np.linspace(0.2, 3.0, 12)[:, None]
    local = solve_ensemble(prob, P, times=T, rtol=1e-9, atol=1e-11)
    dist = solve_ensemble(prob, P, times=T, rtol=1e-9, atol=1e-11, workers=2, batch_size=3)
    assert dist.workers == 2 and list(dist.status) == ["success"] * 12
    assert np.allclose(dist.y, local.y, rtol=1e-12)


def test_notebook_view_has_the_quantile_band_figure():
    import symnb  # noqa: F401  (registers the renderers)
    from symnb.display.figures import PLOTLY_MIME
    from symnb.display.models import ensemble_figure, ensemble_progress
    _, prob = decay_network()
    res = solve_ensemble(prob, np.linspace(0.5, 2.0, 7)[:, None], times=T)
    bundle = res._repr_mimebundle_()
    assert "EnsembleResult" in bundle["text/html"] and PLOTLY_MIME in bundle
    fig = ensemble_figure(res, which=["Atot"], q=(0.1, 0.5, 0.9))
    assert [t.name for t in fig.data] == ["Atot 10–90%", "Atot median"]
    assert np.allclose(fig.data[1].y, np.median(res.y[:, 0, :], axis=0))
    assert ensemble_progress() is None          # no kernel: no bar
