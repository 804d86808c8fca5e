"""Live solver convergence: a plotly ``FigureWidget`` that updates while a solve runs.

In a kernel the widget is displayed and redrawn at most every ``interval`` seconds; at the
end a static figure follows it (``static=True``) so that saved outputs show the history
without a kernel.  Outside a kernel nothing is displayed and the widget is still returned.
Several solves can share one widget (``fig=``: each adds its own trace, as a dashboard does);
:func:`sync_figure` keeps the widget right for views opened later (Voila).

>>> import numpy as np, scipy.sparse as sp
>>> from symnb.solvers import cg
>>> A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(30, 30)); b = np.ones(30)
>>> res, fig = live_solve(cg, A, b)
>>> res.converged, len(fig.data[0].y) == len(res.residuals)
(True, True)
"""
from __future__ import annotations

import time
from typing import Any, Callable

from . import solve_progress as _solve_progress  # noqa: F401  (registers the solve bar)
from . import compile_progress as _compile_progress  # noqa: F401  (the compile bar)
from .widgets import in_kernel

__all__ = ["live_solve", "sync_figure"]


def sync_figure(fig: Any) -> Any:
    """Make the state that a *new* view of ``fig`` (a plotly ``FigureWidget``) starts from
    the current figure, and return ``fig``.

    plotly sends edits to open views as messages and snapshots the full state only at
    construction and at display, so a view opened later (Voila connects after the notebook
    ran; a widget shown inside a ``VBox`` is never "displayed") would start from the stale
    snapshot.  Open views are unaffected (they ignore the full-state fields)."""
    from copy import deepcopy
    if not hasattr(fig, "_widget_data"):
        raise TypeError(f"sync_figure needs a plotly FigureWidget, got {type(fig).__name__}")
    fig._widget_layout = deepcopy(fig._layout_obj._props)
    fig._widget_data = deepcopy(fig._data)
    return fig


def live_solve(solver: Callable[..., Any], A: Any, b: Any, *, interval: float = 0.1,
               static: bool = True, title: str | None = None, fig: Any = None,
               name: str | None = None, x: str = "iteration",
               on_redraw: Callable[[int, float], Any] | None = None, **kw: Any) -> tuple[Any, Any]:
    """Run ``solver(A, b, callback=..., **kw)`` with a live convergence plot.

    ``fig``: a ``FigureWidget`` to add this solve's trace to (named ``name``) and redraw
    live; it is neither displayed here nor followed by a static figure (the caller shows
    it).  While running, the trace is residual against iteration; at the end it is the
    exact history against ``x`` (``"iteration"`` or ``"matvecs"``).  ``on_redraw(iteration,
    rel_residual)`` is called at each live redraw and once at the end (e.g. for a progress
    bar).  Returns ``(SolveResult, FigureWidget)``.
    """
    import numpy as np
    import plotly.graph_objects as go

    from ..solvers.result import AXIS_TITLES, RESIDUAL_TITLE, plotted_residuals
    if "callback" in kw:
        raise ValueError("live_solve installs its own callback; pass no 'callback'")
    if x not in ("iteration", "matvecs"):
        raise ValueError(f"x must be 'iteration' or 'matvecs', got {x!r}")
    name = name or getattr(solver, "__name__", "solver")
    own = fig is None
    if own:
        fig = go.FigureWidget()
        fig.update_layout(xaxis_title=AXIS_TITLES["iteration"], yaxis_title=RESIDUAL_TITLE,
                          yaxis_type="log", template="plotly_white", height=340,
                          title=title or f"{name}: live convergence")
    fig.add_trace(go.Scatter(x=[0], y=[1.0], mode="lines", name=name))
    trace = fig.data[-1]
    show = in_kernel()
    if show and own:
        from IPython.display import display
        display(fig)
    live = show or not own
    floor = np.finfo(float).eps       # x0 = 0: the initial relative residual is 1
    xs: list = [0]
    ys: list = [1.0]
    last = [time.perf_counter()]

    def redraw() -> None:
        with fig.batch_update():
            trace.x = list(xs)
            trace.y = list(ys)
        if on_redraw is not None:
            on_redraw(len(ys) - 1, ys[-1])

    def callback(it: int, rel: float) -> None:
        xs.append(it)
        ys.append(max(float(rel), floor))
        now = time.perf_counter()
        if live and now - last[0] >= interval:
            last[0] = now
            redraw()

    result = solver(A, b, callback=callback, **kw)
    xs[:] = (list(range(len(result.residuals))) if x == "iteration"
             else [int(m) for m in result.matvec_history])
    ys[:] = plotted_residuals(result.residuals).tolist()
    redraw()
    sync_figure(fig)
    if show and own and static:
        from IPython.display import display
        display(result.figure(x=x))
    return result, fig
