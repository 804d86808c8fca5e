"""Notebook views of the e-graph layer: ``EGraphReport`` (summary, per-iteration table, the
e-graph payload and its SVG), ``Ruleset`` and ``CostModel`` (HTML tables).

>>> from symnb import symbols, sin, cos
>>> from symnb.egraph import egraph_simplify
>>> x, y = symbols("x y")
>>> _, rep = egraph_simplify(sin(x)**2 + cos(x)**2 + y, report=True)
>>> REPORT.payload(rep)["kind"], sorted(REPORT.mimebundle(rep))
('egraph', ['application/vnd.symnb.dag+json', 'image/svg+xml', 'text/html', 'text/plain'])
"""
from __future__ import annotations

import html
from typing import Any

from ..reprs import Renderer
from .dag import egraph_payload
from .svg import svg_img
from .view import DagView

__all__ = ["REPORT", "RULESET", "COST_MODEL", "EGraphReportRenderer", "ruleset_html",
           "cost_model_html"]


class EGraphReportRenderer:
    """The renderer of ``symnb.egraph.EGraphReport`` (payload, view, HTML, bundle, and the
    two-output IPython display)."""

    def payload(self, rep: Any, max_nodes: int | None = None) -> dict:
        """The shared DAG payload (kind ``"egraph"``) of ``rep.egraph_data()``."""
        return egraph_payload(**rep.egraph_data(), max_nodes=max_nodes)

    def view(self, rep: Any, max_nodes: int | None = None,
             collapse: bool | None = None) -> DagView:
        """The e-graph view; a large one opens on the extracted term's classes and their
        alternatives (everything on request: ``collapse=False`` or the view's expand-all)."""
        from .view import collapsed
        return DagView(collapsed(self.payload(rep, max_nodes), collapse, max_nodes))

    def table_html(self, rep: Any) -> str:
        """Summary, ruleset, operations after, and the per-iteration table (first 12)."""
        rows = "".join(
            f"<tr><td>{it.iteration}</td><td>{it.eclasses}</td><td>{it.enodes}</td>"
            f"<td>{it.seconds * 1e3:.1f}</td><td>{sum(it.matches.values())}</td></tr>"
            for it in rep.iterations[:12])
        more = (f"<tr><td colspan=5>... {len(rep.iterations) - 12} more</td></tr>"
                if len(rep.iterations) > 12 else "")
        ops = ", ".join(f"{k}: {v}" for k, v in list(rep.ops_after.items())[:8])
        return (f"<b>EGraphReport</b> "
                f"<p>{html.escape(rep.summary().split(': ', 1)[1])}</p>"
                f"<p>ruleset <code>{html.escape(rep.ruleset)}</code>; "
                f"operations after: {html.escape(ops)}</p>"
                f"<table><tr><th>iter</th><th>e-classes</th><th>e-nodes</th><th>ms</th>"
                f"<th>matches</th></tr><tr><td>0</td><td>{rep.initial.eclasses}</td>"
                f"<td>{rep.initial.enodes}</td><td></td><td></td></tr>{rows}{more}</table>")

    def _html(self, rep: Any, svg: str | None) -> str:
        img = svg_img(svg, "e-graph") if svg else ""
        return f"<div class='symnb-egraph-report'>{self.table_html(rep)}{img}</div>"

    def html(self, rep: Any) -> str:
        """Summary, per-iteration table and (when the graph was kept) the SVG drawing."""
        return self._html(rep, self.view(rep).svg if rep.data is not None else None)

    def mimebundle(self, rep: Any) -> dict:
        """The e-graph payload (symnb MIME type), its SVG, the HTML summary and text."""
        if rep.data is None:
            return {"text/plain": rep.summary(), "text/html": self.html(rep)}
        b = self.view(rep)._repr_mimebundle_()
        b["text/html"] = self._html(rep, b["image/svg+xml"])
        b["text/plain"] = rep.summary()
        return b

    def ipython_display(self, rep: Any) -> None:
        """The summary table, then the e-graph view: two outputs."""
        from IPython.display import display
        display({"text/plain": rep.summary(),
                 "text/html": f"<div class='symnb-egraph-report'>{self.table_html(rep)}</div>"},
                raw=True)
        if rep.data is not None:
            display(self.view(rep))


REPORT = EGraphReportRenderer()


def ruleset_html(rs: Any) -> str:
    """An e-graph ``Ruleset`` as a table: name, pattern, replacement of each rule."""
    rows = "".join(f"<tr><td>{html.escape(r.name)}</td><td><code>"
                   f"{html.escape(getattr(r, 'lhs', getattr(r, 'facts', '')))}</code></td>"
                   f"<td><code>{html.escape(getattr(r, 'rhs', getattr(r, 'actions', '')))}"
                   f"</code></td></tr>" for r in rs.rules)
    return (f"<b>Ruleset {html.escape(rs.name)}</b> ({len(rs.rules)} rules)"
            f"<table><tr><th>name</th><th>pattern</th><th>replacement</th></tr>{rows}</table>")


def cost_model_html(model: Any) -> str:
    """A ``CostModel`` as a table of operation costs."""
    rows = "".join(f"<tr><td><code>{k}</code></td><td>{v:g}</td></tr>"
                   for k, v in model.items())
    return (f"<b>CostModel</b> ({model.name})<table><tr><th>op</th><th>cost</th></tr>"
            f"{rows}</table>")


RULESET = Renderer(html=ruleset_html)
COST_MODEL = Renderer(html=cost_model_html)
