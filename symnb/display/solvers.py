"""Notebook tables of the solvers layer: ``SolveResult``, ``SequenceResult`` (key/value
summaries) and ``RelaxResult`` (one row per policy).

>>> import numpy as np, scipy.sparse as sp
>>> from symnb.solvers import cg
>>> A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(20, 20))
>>> SOLVE_RESULT.html(cg(A, np.ones(20))).startswith('<table class="symnb-table">')
True
>>> html_table("t", header=["a"], body=[[1]])
'<table class="symnb-table"><caption style="text-align:left"><b>t</b></caption><tr><th>a</th></tr><tr><td>1</td></tr></table>'
"""
from __future__ import annotations

import html
from typing import Any, Sequence

from ..reprs import Renderer

__all__ = ["html_table", "SOLVE_RESULT", "SEQUENCE_RESULT", "RELAX_RESULT"]


def html_table(title: str, rows: Sequence[tuple[str, Any]] | None = None,
               header: Sequence[str] | None = None, body: Sequence[Sequence[Any]] | None = None) -> str:
    """A small HTML table: either key/value ``rows`` or ``header`` + ``body``."""
    esc = lambda v: html.escape(str(v))  # noqa: E731
    out = [f'<table class="symnb-table"><caption style="text-align:left"><b>{esc(title)}</b></caption>']
    if rows is not None:
        for k, v in rows:
            out.append(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>")
    if header is not None:
        out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
        for row in body or ():
            out.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _relax_html(res: Any) -> str:
    return html_table(f"Learning to Relax: {res.table.shape[0]} instances, {res.grid.size} arms",
                      header=["policy", "total iterations", "/ best fixed", "/ instance-optimal"],
                      body=res.summary_rows())


SOLVE_RESULT = Renderer(html=lambda r: html_table("SolveResult", r.summary()))
SEQUENCE_RESULT = Renderer(html=lambda r: html_table("SequenceResult", r.summary()))
RELAX_RESULT = Renderer(html=_relax_html)
