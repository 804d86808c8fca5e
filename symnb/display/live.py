"""Live solver convergence: a plotly ``FigureWidget`` that updates while a solve runs.

In a kernel the widget is displayed and redrawn at most every ``interval`` seconds; at the
end a static figure follows it (``static=True``) so that saved outputs show the history
without a kernel.  Outside a kernel nothing is displayed and the widget is still returned.

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

from .widgets import in_kernel

__all__ = ["live_solve"]


def live_solve(solver: Callable[..., Any], A: Any, b: Any, *, interval: float = 0.1,
               static: bool = True, title: str | None = None, **kw: Any) -> tuple[Any, Any]:
    """Run ``solver(A, b, callback=..., **kw)`` with a live convergence plot.

    Returns ``(SolveResult, FigureWidget)``; the widget ends with the exact history.
    """
    import numpy as np
    import plotly.graph_objects as go
    if "callback" in kw:
        raise ValueError("live_solve installs its own callback; pass no 'callback'")
    name = getattr(solver, "__name__", "solver")
    fig = go.FigureWidget(go.Scatter(x=[0], y=[1.0], mode="lines", name=name))
    fig.update_layout(xaxis_title="iteration", yaxis_title="relative residual ||b-Ax||/||b||",
                      yaxis_type="log", template="plotly_white", height=340,
                      title=title or f"{name}: live convergence")
    show = in_kernel()
    if show:
        from IPython.display import display
        display(fig)
    xs: list = [0]
    ys: list = [1.0]
    last = [time.perf_counter()]

    def redraw() -> None:
        with fig.batch_update():
            fig.data[0].x = list(xs)
            fig.data[0].y = list(ys)

    def callback(it: int, rel: float) -> None:
        xs.append(it)
        ys.append(max(float(rel), np.finfo(float).tiny))
        now = time.perf_counter()
        if show and now - last[0] >= interval:
            last[0] = now
            redraw()

    result = solver(A, b, callback=callback, **kw)
    xs[:] = list(range(len(result.residuals)))
    ys[:] = [max(float(r), np.finfo(float).tiny) for r in result.residuals]
    redraw()
    if show and static:
        from IPython.display import display
        display(result.figure())
    return result, fig
