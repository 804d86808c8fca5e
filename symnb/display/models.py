"""Notebook views of the models layer: ``ODEProblem``, ``ODEResult`` (table, static SVG
plot and the interactive plotly figure), ``ReactionNetwork`` and the reaction–diffusion
models.

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
           "ODE_PROBLEM", "ODE_RESULT", "NETWORK", "REACTION_DIFFUSION", "BRUSSELATOR"]


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
