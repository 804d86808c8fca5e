"""``SolveResult``: the solution plus its convergence history (plotly figures here; the
notebook table is ``symnb.display.solvers``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..reprs import RenderedHTML


def _go():
    import plotly.graph_objects as go  # lazy: plotly only when a figure is asked for

    return go


def plotted_residuals(residuals: Any) -> np.ndarray:
    """Residuals ready for a log axis: exact zeros (and anything smaller) are clipped to
    machine epsilon times the initial residual, so one exact solve does not stretch the
    axis down to 1e-300.

    >>> plotted_residuals([1.0, 1e-3, 0.0]).tolist()
    [1.0, 0.001, 2.220446049250313e-16]
    """
    r = np.asarray(residuals, dtype=float)
    first = float(r[0]) if r.size and np.isfinite(r[0]) and r[0] > 0 else 1.0
    return np.maximum(r, np.finfo(float).eps * first)


AXIS_TITLES = {"iteration": "iteration", "matvecs": "matrix–vector products"}
RESIDUAL_TITLE = "relative residual ‖b − Ax‖/‖b‖ (log)"


@dataclass
class SolveResult(RenderedHTML):
    """Outcome of one linear solve.

    Attributes: ``x`` solution, ``residuals`` relative residual norms ``||b-Ax||/||b||``
    (entry ``i`` after ``i`` iterations; entry 0 is the initial guess), ``matvec_history``
    cumulative matvecs at each entry, ``matvecs`` total, ``time`` wall seconds,
    ``converged`` and ``reason`` (``"converged"``, ``"maxiter"``, ``"breakdown"``, ``"callback"``).
    """

    x: np.ndarray
    residuals: np.ndarray
    matvec_history: np.ndarray
    matvecs: int
    time: float
    converged: bool
    reason: str
    method: str
    info: dict = field(default_factory=dict)
    recycle: Any = None  # GCRO-DR: the recycled subspace for the next system

    @property
    def iterations(self) -> int:
        return len(self.residuals) - 1

    @property
    def residual(self) -> float:
        """Final relative residual."""
        return float(self.residuals[-1])

    def summary(self) -> list[tuple[str, Any]]:
        return [("method", self.method), ("n", self.x.shape[0]), ("converged", self.converged),
                ("reason", self.reason), ("iterations", self.iterations), ("matvecs", self.matvecs),
                ("relative residual", f"{self.residual:.3e}"), ("time [s]", f"{self.time:.4g}")]

    def __repr__(self) -> str:
        return (f"SolveResult(method={self.method!r}, converged={self.converged}, reason={self.reason!r}, "
                f"iterations={self.iterations}, matvecs={self.matvecs}, residual={self.residual:.3e}, "
                f"time={self.time:.3g}s)")

    def trace(self, x: str = "iteration", name: str | None = None):
        go = _go()
        xs = np.arange(len(self.residuals)) if x == "iteration" else self.matvec_history
        ys = plotted_residuals(self.residuals)
        return go.Scatter(x=xs, y=ys, mode="lines", name=name or self.method)

    def figure(self, x: str = "iteration"):
        """Plotly figure: log-scale relative residual vs ``"iteration"`` or ``"matvecs"``."""
        return compare([self], x=x)


def compare(results: Sequence[SolveResult], x: str = "iteration", names: Sequence[str] | None = None):
    """Several convergence histories on one log-scale plotly figure.

    >>> import scipy.sparse as sp, numpy as np
    >>> from symnb.solvers import cg, gmres, compare
    >>> A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(20, 20)); b = np.ones(20)
    >>> fig = compare([cg(A, b), gmres(A, b)], x="matvecs")
    >>> len(fig.data)
    2
    """
    if x not in ("iteration", "matvecs"):
        raise ValueError(f"x must be 'iteration' or 'matvecs', got {x!r}")
    go = _go()
    fig = go.Figure()
    for i, r in enumerate(results):
        fig.add_trace(r.trace(x=x, name=names[i] if names else None))
    fig.update_layout(xaxis_title=AXIS_TITLES[x], yaxis_title=RESIDUAL_TITLE,
                      yaxis_type="log", yaxis_exponentformat="power", template="plotly_white",
                      title="convergence")
    return fig
