"""The notebook view of a ``RewriteTrace``: a static step list, each step's DAG as an SVG
image (changed subterm in red) within an output budget, and a stepper that a small inline
script switches on.  Needs no kernel to re-display.

>>> from symnb import symbols, sin, cos
>>> from symnb.rewriting import rewrite, rule
>>> x, y = symbols("x y")
>>> _, tr = rewrite(y * (sin(x)**2 + cos(x)**2) + 1,
...                 [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
>>> sorted(TRACE.mimebundle(tr))
['application/vnd.symnb.rewrite-trace+json', 'text/html', 'text/plain']
>>> len([g for g in step_graphs(tr) if g])
2
"""
from __future__ import annotations

import hashlib
import html
import json
from typing import Any

from ..reprs import Renderer
from ..rewriting.steps import MAX_DISPLAY_STEPS, MIME_TYPE
from ..terms.interface import iscall
from .dag import OPTIONS, dag_payload
from .svg import svg_img
from .view import DagView, _fits, step_view

__all__ = ["step_graphs", "trace_html", "TRACE"]


def step_graphs(trace: Any, shown: int | None = None) -> list:
    """Static drawings for the notebook view, as HTML ``<img>`` tags holding SVG: the
    initial DAG, then each step's DAG with the changed subterm highlighted
    (``step_view``).  Budgeted by ``OPTIONS`` (``step_max_nodes`` per graph,
    ``step_graphs`` graphs, ``step_svg_bytes`` of encoded images in all); entries past
    the budget are ``None``."""
    n = min(len(trace.steps), MAX_DISPLAY_STEPS) if shown is None else shown
    out: list = [None] * (n + 1)
    if not OPTIONS.term_graphs:
        return out
    budget, left = OPTIONS.step_max_nodes, OPTIONS.step_svg_bytes
    if iscall(trace.initial):
        first = dag_payload(trace.initial, max_nodes=budget, title="initial",
                            node_text=_fits(trace.initial, OPTIONS.node_text_limit))
        svg = svg_img(DagView(first).svg, "initial expression DAG")
        if len(svg) <= left:
            out[0], left = svg, left - len(svg)
    for k in range(min(n, OPTIONS.step_graphs)):
        v = step_view(trace, k, max_nodes=budget)
        svg = svg_img(v.svg, v.payload.get("title", f"step {k}"))
        if len(svg) > left:
            break
        out[k + 1], left = svg, left - len(svg)
    return out


def trace_html(trace: Any) -> str:
    """The static HTML view of ``trace`` (deterministic: no random ids)."""
    data = trace.to_json()
    return _html(data, step_graphs(trace, len(data["steps"])))


def _bundle(trace: Any) -> dict:
    data = trace.to_json()
    return {"text/plain": repr(trace), "text/html": _html(data, step_graphs(
        trace, len(data["steps"]))), MIME_TYPE: data}


TRACE = Renderer(html=trace_html, bundle=_bundle)
"""The renderer of ``RewriteTrace``."""


_CSS = """
.symnb-trace{font-family:sans-serif;font-size:13px;border:1px solid #ddd;padding:6px 10px}
.symnb-trace .ctl{margin:4px 0}
.symnb-trace ol{padding-left:2em;margin:4px 0}
.symnb-trace li{margin:6px 0}
.symnb-trace .rule{font-family:monospace;background:#f3f3f3;padding:0 3px}
.symnb-trace .path{color:#777}
.symnb-trace .dag{overflow-x:auto;max-height:420px;overflow-y:auto;margin:2px 0}
.symnb-trace .nodag{color:#777;font-size:11px}
"""

_JS = """
(function(){var r=document.getElementById("%s");if(!r)return;
var items=r.querySelectorAll("li.step"),c=r.querySelector(".ctl"),s=c.querySelector("input"),
l=c.querySelector(".lbl");c.style.display="block";
function show(i){i=Math.max(0,Math.min(items.length-1,i));s.value=i;
for(var k=0;k<items.length;k++){items[k].style.display=(k===i)?"":"none";}
l.textContent=(i===0?"initial":"step "+i)+" / "+(items.length-1);}
s.addEventListener("input",function(){show(+s.value);});
c.querySelector(".prev").addEventListener("click",function(){show(+s.value-1);});
c.querySelector(".next").addEventListener("click",function(){show(+s.value+1);});
show(items.length-1);})();
"""


def _html(data: dict, graphs: list | None = None) -> str:
    """Static HTML: the full step list (readable without JavaScript), each step with its DAG
    (an SVG image, changed subterm in red) where the output budget allows, plus a stepper that
    a small inline script switches on; all LaTeX is in the page, so MathJax typesets it once."""
    e = html.escape
    uid = "symnb-trace-" + hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    n = len(data["steps"])
    graphs = list(graphs or [])
    graphs += [None] * (n + 1 - len(graphs))
    drawn = sum(g is not None for g in graphs[1:])
    head = (f"<b>RewriteTrace</b>: {data['n_steps']} step{'s' if data['n_steps'] != 1 else ''}"
            f" &middot; stopped: <b>{e(data['stopped'])}</b>")
    if data["truncated"]:
        head += f" &middot; showing the first {n}"
    if 0 < drawn < n:
        head += f" &middot; DAGs for the first {drawn} steps (output budget)"

    def dag(k: int) -> str:
        g = graphs[k]
        if g is None:
            return '<div class="nodag">DAG not drawn (output budget)</div>' if k and drawn else ""
        return f'<div class="dag">{g}</div>'

    items = [f'<li class="step" value="0"><i>initial</i>: ${e(data["initial"]["latex"])}$'
             f'{dag(0)}</li>']
    for s in data["steps"]:
        path = "root" if not s["path"] else "(" + ", ".join(map(str, s["path"])) + ")"
        items.append(
            f'<li class="step" value="{s["index"] + 1}"><span class="rule">{e(s["rule"])}</span> '
            f'<span class="path">at {path}</span>: '
            f'${e(s["before"]["latex"])}$ &rarr; ${e(s["after"]["latex"])}$'
            f'<div>${e(s["highlight_latex"])}$</div>{dag(s["index"] + 1)}</li>')
    ctl = (f'<div class="ctl" style="display:none"><button class="prev">&#9664;</button> '
           f'<input type="range" min="0" max="{n}" value="{n}"> '
           f'<button class="next">&#9654;</button> <span class="lbl"></span></div>')
    return (f'<div class="symnb-trace" id="{uid}"><style>{_CSS}</style><div>{head}</div>{ctl}'
            f'<ol start="0">{"".join(items)}</ol>'
            f'<div>result: ${e(data["result"]["latex"])}$</div>'
            f'<script>{_JS % uid}</script></div>')
