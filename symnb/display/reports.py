"""``SolveReport``: several solver runs side by side (table + plotly convergence figure).

>>> import numpy as np, scipy.sparse as sp
>>> from symnb.solvers import cg, gmres
>>> A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(30, 30)); b = np.ones(30)
>>> rep = SolveReport([cg(A, b), gmres(A, b)])
>>> [r.converged for r in rep.results], len(rep.figure().data)
([True, True], 2)
"""
from __future__ import annotations

import html
from typing import Any, Sequence

__all__ = ["SolveReport"]


class SolveReport:
    """Results of several linear solves of the same system; ``figure()`` reuses
    ``symnb.solvers.compare`` (log-scale residual histories)."""

    def __init__(self, results: Sequence[Any], title: str = "solver comparison") -> None:
        if not results:
            raise ValueError("SolveReport needs at least one result")
        self.results = list(results)
        self.title = title

    def figure(self, x: str = "iteration") -> Any:
        from ..solvers.result import compare
        fig = compare(self.results, x=x)
        fig.update_layout(title=self.title)
        return fig

    def __repr__(self) -> str:
        return "SolveReport(" + "; ".join(
            f"{r.method}: {r.iterations} it, {r.residual:.2e}, {r.time:.3g}s"
            for r in self.results) + ")"

    def _repr_html_(self) -> str:
        e = html.escape
        keys = [k for k, _ in self.results[0].summary()]
        head = "".join(f"<th>{e(k)}</th>" for k in keys)
        rows = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for _, v in r.summary())
                       + "</tr>" for r in self.results)
        return (f"<table class='symnb-solve'><caption style='text-align:left'><b>"
                f"{e(self.title)}</b></caption><tr>{head}</tr>{rows}</table>")
