"""``DagView``: a payload with its notebook bundle (symnb MIME type, SVG, text).

>>> from symnb import symbols, cos
>>> x, = symbols("x"),
>>> v = dag(cos(x) ** 2 + x, title="example")
>>> sorted(v._repr_mimebundle_())
['application/vnd.symnb.dag+json', 'image/svg+xml', 'text/plain']
>>> v
DagView(dag: 5 nodes, 5 edges)
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from .dag import MIME_TYPE, dag_payload, egraph_payload, validate_payload

__all__ = ["DagView", "dag", "egraph_view", "step_view", "collapsed"]


class DagView:
    """A DAG or e-graph payload ready for display (``payload``, ``svg``, ``to_json``)."""

    def __init__(self, payload: dict) -> None:
        self.payload = validate_payload(payload)
        self._svg: str | None = None

    @property
    def svg(self) -> str:
        """The SVG fallback drawing (computed once)."""
        if self._svg is None:
            from .collapse import visible_payload
            from .dag import OPTIONS, truncate_payload
            from .svg import payload_svg
            shown = visible_payload(self.payload)       # what opens visible, when collapsed
            self._svg = payload_svg(truncate_payload(shown, OPTIONS.svg_max_nodes))
        return self._svg

    def to_json(self) -> str:
        return json.dumps(self.payload, separators=(",", ":"))

    def __repr__(self) -> str:
        p = self.payload
        s = p["stats"]
        extra = f", {s['classes']} classes" if p["kind"] == "egraph" else ""
        tr = p.get("truncated")
        cut = f"; {tr['omitted']} of {tr['total']} nodes omitted" if tr else ""
        if p.get("collapsed"):
            from .collapse import visible_ids
            cut += f"; opens collapsed, {len(visible_ids(p))} shown"
        return f"DagView({p['kind']}: {s['nodes']} nodes, {s['edges']} edges{extra}{cut})"

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        from .dag import OPTIONS
        data: Any = self.payload
        if len(data["nodes"]) > OPTIONS.inline_nodes:
            data = self.to_json()
        return {MIME_TYPE: data, "image/svg+xml": self.svg, "text/plain": repr(self)}


def collapsed(p: dict, collapse: bool | None = None, max_nodes: int | None = None) -> dict:
    """``p`` opening collapsed when ``collapse`` is true, or by default (``None``) when it
    has more than ``OPTIONS.collapse_above`` nodes and no explicit ``max_nodes`` asked to
    see that many (:mod:`symnb.display.collapse`)."""
    from .collapse import collapse_dag, collapse_egraph
    from .dag import OPTIONS
    if collapse is None:
        collapse = max_nodes is None and len(p["nodes"]) > OPTIONS.collapse_above
    if not collapse:
        return p
    if p["kind"] == "egraph":
        return collapse_egraph(p)
    return collapse_dag(p, OPTIONS.open_nodes, OPTIONS.wide_args)


def dag(expr: Any, *, max_nodes: int | None = None, title: str | None = None,
        highlight: Iterable[Any] = (), values: Mapping[Any, float] | None = None,
        costs: Mapping[str, float] | None = None, collapse: bool | None = None) -> DagView:
    """The DAG view of a term or list of terms (see ``dag_payload`` for the options).

    Large graphs open collapsed (``collapse``: see ``collapsed``).

    >>> from symnb import symbols, expand
    >>> x, y = symbols("x y")
    >>> v = dag(expand((x + y + 1) ** 60))
    >>> len(v.payload["collapsed"]) > 0, v.payload["nodes"][0]["children"][-1]
    (True, 'g0')
    """
    from .dag import OPTIONS, truncate_payload
    budget = max_nodes
    if max_nodes is None and collapse is not False:     # collapsed: a larger graph can travel
        budget = max(OPTIONS.max_nodes, OPTIONS.collapsed_max_nodes)
    p = collapsed(dag_payload(expr, max_nodes=budget, title=title, highlight=highlight,
                              values=values, costs=costs), collapse, max_nodes)
    if not p.get("collapsed") and len(p["nodes"]) > OPTIONS.max_nodes and max_nodes is None:
        p = truncate_payload(p, OPTIONS.max_nodes)
    return DagView(p)


def egraph_view(classes: Mapping[Any, Any], roots: Any, *, collapse: bool | None = None,
                **kw: Any) -> DagView:
    """An e-graph view from plain data (see ``egraph_payload``); a large one opens on the
    extracted term's classes and their alternatives (``collapse``: see ``collapsed``)."""
    return DagView(collapsed(egraph_payload(classes, roots, **kw), collapse,
                             kw.get("max_nodes")))


def _fits(t: Any, budget: int) -> bool:
    """True when the DAG under ``t`` has at most ``budget`` distinct nodes (stops early)."""
    from ..terms.interface import term_ops
    seen: set = set()
    stack = [t]
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        if len(seen) > budget:
            return False
        ops = term_ops(u)
        if ops.iscall(u):
            stack.extend(ops.arguments(u))
    return True


def step_view(trace: Any, i: int, *, max_nodes: int | None = None) -> DagView:
    """DAG of a rewrite trace's expression after step ``i``, the rewritten subterm highlighted.

    When the whole expression has more than ``max_nodes`` nodes, the view is rooted at the
    highest ancestor of the changed subterm (along the step's path) that fits the budget,
    and the title says where it sits; nothing else is cut silently.

    >>> from symnb import symbols, sin, cos
    >>> from symnb.rewriting import rewrite, rule
    >>> x, y = symbols("x y")
    >>> _, tr = rewrite(y * (sin(x)**2 + cos(x)**2) + 1,
    ...                 [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
    >>> v = step_view(tr, 0)
    >>> [n["label"] for n in v.payload["nodes"] if n["id"] in v.payload["highlight"]]
    ['y']
    >>> step_view(tr, 0, max_nodes=1).payload["title"]
    'step 0: pyth (subterm at (1,) of 3 nodes)'
    """
    from ..terms.interface import arguments, iscall
    from .dag import OPTIONS
    budget = OPTIONS.max_nodes if max_nodes is None else int(max_nodes)
    if budget < 1:
        raise ValueError(f"max_nodes must be >= 1, got {max_nodes}")
    step = trace[i]
    whole = step.expr
    chain = [whole]           # the nodes along the path, root first
    node = whole
    for k in step.path:      # follow the path where it still exists in the rebuilt term
        if not iscall(node):
            break
        args = list(arguments(node))
        if k >= len(args):
            break
        node = args[k]
        chain.append(node)
    mark = node               # the subterm at the path, or its nearest surviving ancestor
    title = f"step {step.index}: {step.rule}"
    root, depth = whole, 0
    if not _fits(whole, budget):
        depth = len(chain) - 1
        for d, t in enumerate(chain):          # the highest ancestor that fits the budget
            if _fits(t, budget):
                depth = d
                break
        root = chain[depth]
        total = dag_payload(whole, max_nodes=1, node_text=False)["stats"]["total_nodes"]
        title += f" (subterm at {tuple(step.path[:depth])} of {total} nodes)"
    return DagView(dag_payload(root, max_nodes=budget, title=title, highlight=[mark]))
