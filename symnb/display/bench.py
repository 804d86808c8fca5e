"""Notebook views of the bench layer: ``BenchResult`` (timings table, fastest in bold, plus
the plotly bar chart; in IPython two outputs, so each shows once), ``SuiteResult`` and ``Results`` (a results folder's figures).

>>> from symnb.bench import BenchResult
>>> r = BenchResult({"a": [2.0, 3.0], "b": [1.0]}, {"a": 1, "b": 1})
>>> "<tr style='font-weight:bold'><td style='text-align:left'><code>b</code>" in bench_html(r)
True
"""
from __future__ import annotations

import html
from typing import Any

from ..reprs import Renderer
from .figures import PLOTLY_MIME, plotly_json

__all__ = ["bench_html", "suite_table_html", "BENCH_RESULT", "SUITE_RESULT", "RESULTS"]


def bench_html(r: Any) -> str:
    """The ``rows()`` as a table: median, spread, ratio vs baseline, loops."""
    e = html.escape
    head = ("<tr><th style='text-align:left'>statement</th><th>median / call</th>"
            "<th>min – max</th><th>ratio vs baseline</th><th>loops</th></tr>")
    body = []
    for n, med, spr, rat, num in r.rows():
        bold = " style='font-weight:bold'" if n == r.fastest else ""
        body.append(f"<tr{bold}><td style='text-align:left'><code>{e(n)}</code></td>"
                    f"<td>{e(med)}</td><td>{e(spr)}</td><td>{e(rat)}</td><td>{num}</td></tr>")
    return (f"<table class='symnb-bench'><caption style='text-align:left'><b>BenchResult"
            f"</b> · baseline <code>{e(r.baseline)}</code> · fastest in bold</caption>"
            f"{head}{''.join(body)}</table>")


def _bench_bundle(r: Any) -> dict:
    return {"text/plain": repr(r), "text/html": bench_html(r),
            PLOTLY_MIME: plotly_json(r.figure())}


class _BenchRenderer(Renderer):
    """``BenchResult``'s renderer: in IPython the table and the chart are two outputs."""

    __slots__ = ()

    def ipython_display(self, r: Any) -> None:
        """The timings table, then the chart: each shown once."""
        from IPython.display import display
        display({"text/plain": repr(r), "text/html": bench_html(r)}, raw=True)
        fig = r.figure()
        display({"text/plain": f"<chart: {fig.layout.title.text}>",
                 PLOTLY_MIME: plotly_json(fig)}, raw=True)


def suite_table_html(suite: Any) -> str:
    """A suite's figures as an HTML table (ratios first, with their targets)."""
    e = html.escape
    reads = {f.name: f"{sp.subject}: {sp.text()}" + (f" ({sp.label()})" if sp.label() !=
                                                       "overall" else "")
             for sp, f in suite.speedups()}
    rows = "".join(
        f"<tr><td><code>{e(f.name)}</code></td><td>{e(f.kind)}</td>"
        f"<td style='text-align:right'>{e(f.text())}</td><td>{e(reads.get(f.name, ''))}</td>"
        f"<td>{e(f.target or '')}</td></tr>"
        for f in suite.figures())
    return ("<table class='symnb-bench-figures'><tr><th style='text-align:left'>figure"
            "</th><th>kind</th><th>value</th><th>reads as</th><th>target</th></tr>" + rows
            + "</table>")


def _suite_html(suite: Any) -> str:
    return (f"<p><b>{html.escape(suite.name)}</b> · {html.escape(suite.header())}</p>"
            + suite_table_html(suite))


def _results_html(res: Any) -> str:
    e = html.escape
    head = f"<p><b>benchmark results</b> · <code>{e(str(res.folder))}</code>"
    if res.machine:
        head += f" · {e(res.machine)}"
    rows = "".join(f"<tr><td>{e(n)}</td><td>{e(s.header())}</td><td>{len(s.figures())}</td>"
                   "</tr>" for n, s in res.suites.items())
    probs = "".join(f"<li>{e(p)}</li>" for p in
                    res.problems + [w for s in res.suites.values() for w in s.warnings])
    return (head + "</p><table><tr><th>suite</th><th>run</th><th>figures</th></tr>" + rows
            + "</table>" + (f"<ul>{probs}</ul>" if probs else ""))


class _SuiteRenderer(Renderer):
    """``SuiteResult``'s renderer; ``table_html`` serves ``SuiteResult.table_html()``."""

    __slots__ = ()

    def table_html(self, suite: Any) -> str:
        return suite_table_html(suite)


BENCH_RESULT = _BenchRenderer(html=bench_html, bundle=_bench_bundle)
SUITE_RESULT = _SuiteRenderer(html=_suite_html)
RESULTS = Renderer(html=_results_html)
