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

__all__ = ["DagView", "dag", "egraph_view", "step_view"]


class DagView:
    """A DAG or e-graph payload ready for display (``payload``, ``svg``, ``to_json``)."""

    def __init__(self, payload: dict) -> None:
        self.payload = validate_payload(payload)
        self._svg: str | None = None

    @property
    def svg(self) -> str:
        """The SVG fallback drawing (computed once)."""
        if self._svg is None:
            from .dag import OPTIONS, truncate_payload
            from .svg import payload_svg
            self._svg = payload_svg(truncate_payload(self.payload, OPTIONS.svg_max_nodes))
        return self._svg

    def to_json(self) -> str:
        return json.dumps(self.payload, separators=(",", ":"))

    def __repr__(self) -> str:
        p = self.payload
        s = p["stats"]
        extra = f", {s['classes']} classes" if p["kind"] == "egraph" else ""
        tr = p.get("truncated")
        cut = f"; {tr['omitted']} of {tr['total']} nodes omitted" if tr else ""
        return f"DagView({p['kind']}: {s['nodes']} nodes, {s['edges']} edges{extra}{cut})"

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        from .dag import OPTIONS
        data: Any = self.payload
        if len(data["nodes"]) > OPTIONS.inline_nodes:
            data = self.to_json()
        return {MIME_TYPE: data, "image/svg+xml": self.svg, "text/plain": repr(self)}


def dag(expr: Any, *, max_nodes: int | None = None, title: str | None = None,
        highlight: Iterable[Any] = (), values: Mapping[Any, float] | None = None,
        costs: Mapping[str, float] | None = None) -> DagView:
    """The DAG view of a term or list of terms (see ``dag_payload`` for the options)."""
    return DagView(dag_payload(expr, max_nodes=max_nodes, title=title, highlight=highlight,
                               values=values, costs=costs))


def egraph_view(classes: Mapping[Any, Any], roots: Any, **kw: Any) -> DagView:
    """An e-graph view from plain data (see ``egraph_payload``)."""
    return DagView(egraph_payload(classes, roots, **kw))


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
