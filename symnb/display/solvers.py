"""Notebook tables of the solvers layer: ``SolveResult``, ``SequenceResult`` (key/value
summaries) and ``RelaxResult`` (one row per policy).

>>> import numpy as np, scipy.sparse as sp
>>> from symnb.solvers import cg
>>> A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(20, 20))
>>> SOLVE_RESULT.html(cg(A, np.ones(20))).startswith('<table class="symnb-table">')
True
"""
from __future__ import annotations

from typing import Any

from ..reprs import Renderer
from .tables import html_table

__all__ = ["SOLVE_RESULT", "SEQUENCE_RESULT", "RELAX_RESULT"]


def _relax_html(res: Any) -> str:
    return html_table(f"Learning to Relax: {res.table.shape[0]} instances, {res.grid.size} arms",
                      header=["policy", "total iterations", "/ best fixed", "/ instance-optimal"],
                      body=res.summary_rows())


SOLVE_RESULT = Renderer(html=lambda r: html_table("SolveResult", r.summary()))
SEQUENCE_RESULT = Renderer(html=lambda r: html_table("SequenceResult", r.summary()))
RELAX_RESULT = Renderer(html=_relax_html)
