"""Notebook views of the models layer: ``ODEProblem``, ``ODEResult`` (table, static SVG
plot and the interactive plotly figure), ``ReactionNetwork``, the reaction–diffusion
models and ``EnsembleResult`` (table and quantile bands; ``ensemble_progress`` draws a
``solve_ensemble`` progress bar).

>>> from symnb.terms import symbols
>>> from symnb.models import ODEProblem, solve
>>> x, k = symbols("x k")
>>> prob = ODEProblem([-k * x], [x], {k: 1.0}, compile_backend="python", jac=False)
>>> res = solve(prob, [1.0], (0.0, 1.0))
>>> ode_result_html(res).startswith("<table class='symnb-table'>"), "<svg" in ode_svg(res)
(True, True)
"""
from __future__ import annotations

import html
from typing import Any

import numpy as np

from ..reprs import Renderer
from .figures import PLOTLY_MIME, plotly_json
from .tables import kv_table

__all__ = ["ode_svg", "ode_result_html", "ode_result_bundle", "network_html",
           "ODE_PROBLEM", "ODE_RESULT", "NETWORK", "REACTION_DIFFUSION", "BRUSSELATOR",
           "ensemble_figure", "ensemble_progress", "ENSEMBLE_RESULT"]


def ode_svg(res: Any, components: Any = None, width: int = 480, height: int = 200) -> str:
    """A static SVG line plot of the selected components (no JavaScript needed)."""
    idx = res.indices(components)
    if not len(res.t) or not idx:
        return ""
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
              "#e377c2", "#7f7f7f"]
    t = res.t
    keep = np.unique(np.linspace(0, len(t) - 1, min(len(t), 400)).astype(int))
    Y = res.y[idx][:, keep]
    finite = Y[np.isfinite(Y)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    t0, t1 = float(t[0]), float(t[-1]) if t[-1] > t[0] else float(t[0]) + 1.0
    pad = 30
    sx = lambda v: pad + (v - t0) / (t1 - t0) * (width - 2 * pad)  # noqa: E731
    sy = lambda v: height - pad - (v - lo) / (hi - lo) * (height - 2 * pad)  # noqa: E731
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             f"class='symnb-ode-plot'><rect x='{pad}' y='{pad}' width='{width - 2 * pad}' "
             f"height='{height - 2 * pad}' fill='none' stroke='#ccc'/>"]
    for k, (i, row) in enumerate(zip(idx, Y)):
        pts = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(t[keep], row)
                       if np.isfinite(b))
        label = html.escape(res.names[i] if i < len(res.names) else f"y[{i}]")
        parts.append(f"<polyline fill='none' stroke='{colors[k % 8]}' stroke-width='1.5' "
                     f"points='{pts}'><title>{label}</title></polyline>")
    parts.append(f"<text x='{pad}' y='{height - 8}' font-size='10'>t = {t0:g}</text>"
                 f"<text x='{width - pad}' y='{height - 8}' font-size='10' "
                 f"text-anchor='end'>{t1:g}</text><text x='2' y='{pad - 4}' "
                 f"font-size='10'>{hi:.3g}</text><text x='2' y='{height - pad + 12}' "
                 f"font-size='10'>{lo:.3g}</text></svg>")
    return "".join(parts)


def ode_result_html(res: Any) -> str:
    """The ``summary()`` table and the static SVG plot."""
    return kv_table("ODEResult", res.summary()) + ode_svg(res)


def ode_result_bundle(res: Any) -> dict:
    """Plain text, an HTML table + static SVG plot, and the interactive plotly figure."""
    bundle = {"text/plain": repr(res), "text/html": ode_result_html(res)}
    if len(res.t):
        bundle[PLOTLY_MIME] = plotly_json(res.figure())
    return bundle


class _ODEResultRenderer(Renderer):
    """``ODEResult``'s renderer: in IPython the table and the chart are two outputs."""

    __slots__ = ()

    def ipython_display(self, res: Any) -> None:
        """The summary table, then the interactive figure (or the static plot without
        plotly data): each shown once."""
        from IPython.display import display
        if not len(res.t):
            display({"text/plain": repr(res), "text/html": ode_result_html(res)}, raw=True)
            return
        display({"text/plain": repr(res), "text/html": kv_table("ODEResult", res.summary())},
                raw=True)
        display({"text/plain": "<ODEResult figure>", "text/html": ode_svg(res),
                 PLOTLY_MIME: plotly_json(res.figure())}, raw=True)


def network_html(net: Any) -> str:
    """The ``summary()`` table and the first five reactions."""
    ex = "".join(f"<li><code>{html.escape(net.reaction_str(r))}</code></li>"
                 for r in net.reactions[:5])
    return (f"<div class='symnb-network'>{kv_table(f'ReactionNetwork {net.name}', net.summary())}"
            f"<ul>{ex}</ul></div>")


def _reaction_diffusion_html(m: Any) -> str:
    return (f"<div class='symnb-model'><b>3-species reaction–diffusion</b>, N={m.N} "
            f"({m.n} states), t ∈ {html.escape(str(m.t_span))}, constants "
            f"{html.escape(str(m.params))}</div>")


def _brusselator_html(m: Any) -> str:
    return (f"<div class='symnb-model'><b>2-D Brusselator</b>, N={m.N} ({m.n} states),"
            f" forcing on for t ≥ {m.t_switch}, t ∈ {m.t_span}</div>")


ODE_PROBLEM = Renderer(html=lambda p: kv_table(f"ODEProblem {p.name}", p.summary()))
ODE_RESULT = _ODEResultRenderer(html=ode_result_html, bundle=ode_result_bundle)
NETWORK = Renderer(html=network_html)
REACTION_DIFFUSION = Renderer(html=_reaction_diffusion_html)
BRUSSELATOR = Renderer(html=_brusselator_html)


_BAND_COLORS = ["31,119,180", "255,127,14", "44,160,44", "214,39,40", "148,103,189",
                "140,86,75"]


def ensemble_figure(res: Any, which: Any = None, q: tuple = (0.05, 0.25, 0.5, 0.75, 0.95),
                    title: str | None = None) -> Any:
    """Plotly figure of ``res.quantiles(q)``: per observable the median line and the
    bands between symmetric quantile pairs (default: up to six observables).

    >>> from symnb.terms import symbols
    >>> from symnb.models.ode import ODEProblem
    >>> from symnb.models.ensemble import solve_ensemble
    >>> x, k = symbols("x k")
    >>> prob = ODEProblem([-k * x], [x], {k: 1.0}, u0=[1.0], compile_backend="python")
    >>> res = solve_ensemble(prob, [[0.5], [1.0], [2.0]], times=[0.0, 0.5, 1.0])
    >>> fig = ensemble_figure(res)
    >>> [t.name for t in fig.data]
    ['x 5–95%', 'x 25–75%', 'x median']
    """
    import plotly.graph_objects as go
    names = list(which) if which is not None else list(res.observables())[:6]
    data = res.quantiles(q=q, which=names)
    t = data["times"]
    keys = [f"q{round(100 * v):02d}" for v in q]
    pairs = [(keys[i], keys[-1 - i]) for i in range(len(keys) // 2)]
    median = "q50" if "q50" in keys else None
    fig = go.Figure()
    for c, name in enumerate(names):
        rgb = _BAND_COLORS[c % len(_BAND_COLORS)]
        ser = data["series"][name]
        for k, (lo, hi) in enumerate(pairs):
            alpha = 0.15 + 0.15 * k
            fig.add_trace(go.Scatter(x=t + t[::-1], y=ser[hi] + ser[lo][::-1], fill="toself",
                                     fillcolor=f"rgba({rgb},{alpha:.2f})", line={"width": 0},
                                     name=f"{name} {int(lo[1:])}–{int(hi[1:])}%", legendgroup=name,
                                     hoverinfo="skip"))
        if median:
            fig.add_trace(go.Scatter(x=t, y=ser[median], mode="lines", name=f"{name} median",
                                     line={"color": f"rgb({rgb})"}, legendgroup=name))
    fig.update_layout(title=title or f"{data['n_ok']} of {len(res.status)} runs: median and "
                                     "quantile bands", xaxis_title="t", yaxis_title="value",
                      template="plotly_white", height=380)
    return fig


def _ensemble_html(res: Any) -> str:
    return kv_table("EnsembleResult", res.summary())


def _ensemble_bundle(res: Any) -> dict:
    bundle = {"text/plain": repr(res), "text/html": _ensemble_html(res)}
    if res.ok.any():
        bundle[PLOTLY_MIME] = plotly_json(ensemble_figure(res))
    return bundle


def ensemble_progress(description: str = "runs", force: bool = False) -> Any:
    """A ``progress(done, total)`` callback for ``solve_ensemble``: an ipywidgets bar in a
    notebook kernel (or with ``force=True``), ``None`` (no bar) elsewhere."""
    import time

    from .widgets import in_kernel
    if not (force or in_kernel()):
        return None
    import ipywidgets as w
    from IPython.display import display
    bar = w.IntProgress(value=0, min=0, max=1, description=description, bar_style="info")
    label = w.Label("")
    display(w.HBox([bar, label]))
    t0 = time.perf_counter()

    def update(done: int, total: int) -> None:
        bar.max = max(total, 1)
        bar.value = min(done, bar.max)
        label.value = f"{done}/{total} in {time.perf_counter() - t0:.1f} s"
        if done >= total:
            bar.bar_style = "success"
    return update


ENSEMBLE_RESULT = Renderer(html=_ensemble_html, bundle=_ensemble_bundle)
