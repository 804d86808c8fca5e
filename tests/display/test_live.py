"""``live_solve``: the trace grows while the solver runs and ends with the exact history;
several solves share one widget; ``on_redraw`` sees the progress."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from symnb.display.live import live_solve
from symnb.solvers import cg, gmres, laplacian_2d
from symnb.solvers.result import plotted_residuals


def _system(n: int = 12):
    A = laplacian_2d(n)
    return A, np.ones(A.shape[0])


def test_own_widget_ends_with_exact_history():
    A, b = _system()
    res, fig = live_solve(cg, A, b, tol=1e-10)
    assert res.converged and len(fig.data) == 1
    assert list(fig.data[0].x) == list(range(len(res.residuals)))
    # the exact history, below machine epsilon x initial residual clipped (log axis)
    np.testing.assert_allclose(fig.data[0].y, plotted_residuals(res.residuals))
    assert min(fig.data[0].y) >= np.finfo(float).eps * res.residuals[0]


def test_trace_grows_during_the_solve_in_a_shared_widget():
    import plotly.graph_objects as go
    A, b = _system()
    fig = go.FigureWidget()
    seen: list = []          # trace length observed from inside the solve, per iteration

    def watched(A, b, callback, **kw):
        def spy(it, rel):
            out = callback(it, rel)
            seen.append(len(fig.data[-1].y))
            return out
        return cg(A, b, callback=spy, **kw)

    redraws: list = []
    res, same = live_solve(watched, A, b, fig=fig, name="CG", interval=0.0, tol=1e-10,
                           on_redraw=lambda it, rel: redraws.append((it, rel)))
    assert same is fig
    # with interval 0 every iteration redraws: after iteration k the trace has k + 1 points
    assert seen == list(range(2, res.iterations + 2))
    assert [it for it, _ in redraws] == list(range(1, res.iterations + 1)) + [res.iterations]
    assert redraws[-1][1] == pytest.approx(res.residual)

    res2, _ = live_solve(gmres, A, b, fig=fig, name="GMRES", x="matvecs", tol=1e-10)
    assert [t.name for t in fig.data] == ["CG", "GMRES"]
    assert list(fig.data[1].x) == [int(m) for m in res2.matvec_history]
    assert len(fig.data[0].y) == len(res.residuals)      # the first trace is untouched


def test_throttled_redraws_and_bad_arguments():
    A, b = _system()
    import plotly.graph_objects as go
    fig = go.FigureWidget()
    redraws: list = []
    res, _ = live_solve(cg, A, b, fig=fig, interval=1e9, on_redraw=lambda *a: redraws.append(a))
    assert len(redraws) == 1 and redraws[0][0] == res.iterations    # only the final one
    with pytest.raises(ValueError, match="own callback"):
        live_solve(cg, A, b, callback=lambda *a: None)
    with pytest.raises(ValueError, match="x must be"):
        live_solve(cg, A, b, x="time")
    M = sp.identity(4, format="csr")
    res, fig = live_solve(gmres, M, np.ones(4))
    assert res.converged and fig.data[0].name == "gmres"


def test_sync_figure_gives_late_views_the_current_figure():
    import plotly.graph_objects as go
    from symnb.display.live import sync_figure
    A, b = _system()
    fig = go.FigureWidget()
    fig.update_layout(title="empty")
    assert fig._widget_data == []            # the snapshot a new view would start from
    res, _ = live_solve(cg, A, b, fig=fig, name="CG")
    # live_solve syncs at the end: a view opened now sees the finished history
    assert [t["name"] for t in fig._widget_data] == ["CG"]
    np.testing.assert_allclose(fig._widget_data[0]["y"], res.residuals)
    fig.layout.title.text = "after"
    fig.data = []
    assert fig._widget_data != [] and fig._widget_layout["title"]["text"] == "empty"
    assert sync_figure(fig) is fig
    assert fig._widget_data == [] and fig._widget_layout["title"]["text"] == "after"
    with pytest.raises(TypeError, match="FigureWidget"):
        sync_figure(go.Figure())
