"""``EGraphReport``: why saturation stopped, per-iteration stats, costs, and the e-graph.

The report is data: ``summary()``, ``to_dict`` / ``to_json`` (the whole report) and
``egraph_data()`` (the e-graph for the shared DAG payload).  Its notebook bundle is drawn by
``symnb.display.egraph`` (registered for this class, see :mod:`symnb.reprs`): the DAG
payload (``application/vnd.symnb.dag+json``, kind ``"egraph"``: e-classes as clusters of
e-nodes, edges to child classes, the e-node extraction chose, costs; explicitly truncated
above ``symnb.display.OPTIONS.max_nodes``) rendered by the JupyterLab extension, the SVG
fallback, an HTML summary with the per-iteration table, and text.  ``payload()`` /
``view()`` ask that renderer for the payload and its ``DagView``.  egglog's own visualizer
is never embedded.

>>> from symnb import symbols, sin, cos
>>> from symnb.egraph import egraph_simplify
>>> x, y = symbols("x y")
>>> _, rep = egraph_simplify(sin(x)**2 + cos(x)**2 + y, report=True)
>>> p = rep.payload()
>>> p["kind"], p["roots"] == [c["id"] for c in p["classes"]][:1], p["truncated"]
('egraph', True, None)
>>> sorted(rep._repr_mimebundle_())
['application/vnd.symnb.dag+json', 'image/svg+xml', 'text/html', 'text/plain']
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from ..reprs import RenderedHTML, renderer_of

__all__ = ["EGraphReport", "op_counts", "node_label"]


_KIND = {"var": "symbol", "num": "number", "flt": "number", "Nil": "other"}


def node_label(node: tuple) -> str:
    """Short text of an e-node: ``+``, ``*``, ``sin``, ``x``, ``3/2`` ..."""
    kind = node[0]
    sym = {"Add": "+", "Sub": "-", "Mul": "*", "Div": "/", "Pow": "^", "Neg": "neg",
           "Nil": "[]", "Cons": "::"}
    if kind in sym:
        return sym[kind]
    if kind in ("var", "Fn1", "Fn2", "FnN"):
        return str(node[1])
    if kind in ("num", "flt"):
        return str(node[1])
    return kind


def op_counts(nodes: Sequence[tuple]) -> dict:
    """Operations by label among e-nodes (leaves and list cells left out)."""
    c: Counter = Counter()
    for n in nodes:
        if n[0] in ("var", "num", "flt", "Nil", "Cons"):
            continue
        c[node_label(n)] += 1
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(kw_only=True, eq=False)
class EGraphReport(RenderedHTML):
    """What one e-graph simplification did.

    Attributes: ``stop_reason`` ('saturated', 'iter_limit', 'node_limit',
    'time_limit', 'match_limit'), ``iterations`` (``IterationStats`` list), ``initial``
    (sizes after loading), ``cost_before``/``cost_after`` (DAG cost under
    ``cost_model`` of the input and of the extracted e-graph DAG),
    ``cost_returned`` (of the returned symnb terms: their canonical form may
    undo some of the extracted shape, e.g. ``x*x`` is ``x^2`` again; defaults to
    ``cost_after``), ``ops_before``/``ops_after``, ``seconds`` (load,
    saturate, extract, total), ``limits``, ``ruleset``, ``kept_input`` (True when
    no cheaper form was found and the input came back), ``chosen`` (e-class ->
    chosen e-node label, for the extracted DAG); ``data`` (the e-graph kept, or
    ``None``), ``selection`` (e-class -> extracted e-node) and ``roots``.
    """

    stop_reason: str
    iterations: list
    initial: Any
    cost_before: float
    cost_after: float
    tree_cost_after: float
    ops_before: dict
    ops_after: dict
    seconds: dict
    limits: dict
    ruleset: str
    cost_model: Any
    kept_input: bool
    data: Any = None
    selection: dict | None = None
    roots: Sequence[int] = ()
    cost_returned: float | None = None

    def __post_init__(self) -> None:
        if self.cost_returned is None:
            self.cost_returned = self.cost_after
        self.selection = dict(self.selection or {})
        self.roots = list(self.roots)

    # ----- numbers ---------------------------------------------------------
    @property
    def eclasses(self) -> int:
        return (self.iterations[-1] if self.iterations else self.initial).eclasses

    @property
    def enodes(self) -> int:
        return (self.iterations[-1] if self.iterations else self.initial).enodes

    @property
    def chosen(self) -> dict:
        """E-class id -> label of the chosen e-node (the extracted DAG)."""
        d = self.data
        if d is None:
            return {}
        return {c: node_label(d.nodes[n]) for c, n in self.selection.items()}

    @property
    def ratio(self) -> float:
        """cost_before / cost_after."""
        return self.cost_before / self.cost_after if self.cost_after else float("inf")

    def summary(self) -> str:
        s = self.seconds
        ret = "" if self.cost_returned == self.cost_after else \
            f"; returned terms cost {self.cost_returned:g}"
        return (f"EGraphReport: stopped by {self.stop_reason} after {len(self.iterations)} "
                f"iteration(s); {self.eclasses} e-classes, {self.enodes} e-nodes; "
                f"cost {self.cost_before:g} -> {self.cost_after:g} "
                f"({self.ratio:.2f}x{', input kept' if self.kept_input else ''}"
                f"{ret}); "
                f"saturate {s.get('saturate', 0):.3f} s, extract {s.get('extract', 0):.3f} s")

    def __repr__(self) -> str:
        return self.summary()

    # ----- serialization -----------------------------------------------------
    def to_dict(self, max_classes: int = 2000) -> dict:
        """JSON-able report; ``graph`` holds at most ``max_classes`` e-classes, nearest the
        roots first (``graph.truncated`` says whether some were left out)."""
        out = {
            "stop_reason": self.stop_reason, "cost_before": self.cost_before,
            "cost_after": self.cost_after, "tree_cost_after": self.tree_cost_after,
            "cost_returned": self.cost_returned,
            "ops_before": self.ops_before, "ops_after": self.ops_after,
            "seconds": dict(self.seconds), "limits": dict(self.limits), "ruleset": self.ruleset,
            "kept_input": self.kept_input, "initial": self.initial.as_dict(),
            "iterations": [it.as_dict() for it in self.iterations],
            "cost_model": dict(self.cost_model),
        }
        out["graph"] = self.graph(max_classes)
        return out

    def graph(self, max_classes: int = 2000) -> dict:
        """The e-graph: ``classes`` [{id, sort, chosen, nodes: [{id, op, children, cost,
        chosen}]}], ``edges`` [[node id, class id]], ``roots`` (class ids)."""
        d = self.data
        if d is None:
            return {"classes": [], "edges": [], "roots": [], "truncated": False}
        order: list = []
        seen: set = set()
        queue = list(dict.fromkeys(self.roots))
        seen.update(queue)
        i = 0
        while i < len(queue) and len(order) < max_classes:
            c = queue[i]
            i += 1
            order.append(c)
            for n in d.classes[c]:
                for x in d.children[n]:
                    if x not in seen:
                        seen.add(x)
                        queue.append(x)
        kept = set(order)
        classes, edges = [], []
        for c in order:
            chosen = self.selection.get(c)
            nodes = []
            for n in d.classes[c]:
                nodes.append({"id": n, "op": node_label(d.nodes[n]),
                              "children": list(d.children[n]), "cost": d.costs[n],
                              "chosen": n == chosen})
                edges.extend([n, x] for x in d.children[n] if x in kept)
            classes.append({"id": c, "sort": d.class_sort[c], "chosen": chosen, "nodes": nodes})
        return {"classes": classes, "edges": edges, "roots": list(dict.fromkeys(self.roots)),
                "truncated": len(order) < len(queue) or i < len(queue)}

    def to_json(self, max_classes: int = 2000) -> str:
        return json.dumps(self.to_dict(max_classes))

    # ----- display payload ----------------------------------------------------
    def class_costs(self) -> dict:
        """E-class id -> best tree cost (``inf`` where no finite term exists)."""
        d = self.data
        if d is None:
            return {}
        from .extract import tree_best
        best = tree_best(d)
        cost: dict = {}
        for c0 in range(len(d.classes)):
            if c0 in cost:
                continue
            stack = [c0]
            while stack:                      # children first; the tree choice is acyclic
                c = stack[-1]
                n = best[c]
                if n < 0:
                    cost[c] = float("inf")
                    stack.pop()
                    continue
                todo = [k for k in d.children[n] if k not in cost and k not in stack]
                if todo:
                    stack.extend(todo)
                    continue
                stack.pop()
                cost[c] = d.costs[n] + sum(cost.get(k, float("inf")) for k in d.children[n])
        return cost

    def egraph_data(self) -> dict:
        """The e-graph as plain data for ``symnb.display.egraph_payload``: ``classes``
        (reachable from the roots, nearest first: id -> e-nodes with op, label, children,
        cost, kind), ``roots``, ``chosen`` (class -> index of the extracted e-node),
        ``class_costs`` (finite best tree costs) and ``title``."""
        d = self.data
        title = (f"e-graph ({self.ruleset}): stopped by {self.stop_reason}; "
                 f"cost {self.cost_before:g} -> {self.cost_after:g}")
        if d is None:
            raise ValueError("this report kept no e-graph (keep_graph=False)")
        roots = list(dict.fromkeys(self.roots))
        order, seen = list(roots), set(roots)
        i = 0
        while i < len(order):
            for n in d.classes[order[i]]:
                for k in d.children[n]:
                    if k not in seen:
                        seen.add(k)
                        order.append(k)
            i += 1
        ccost = self.class_costs()
        classes = {c: [{"op": d.nodes[n][0], "label": node_label(d.nodes[n]),
                        "children": list(d.children[n]), "cost": d.costs[n],
                        "kind": _KIND.get(d.nodes[n][0], "call")}
                       for n in d.classes[c]] for c in order}
        chosen = {}
        for c in order:
            pick = self.selection.get(c)
            if pick is not None and pick in d.classes[c]:
                chosen[c] = d.classes[c].index(pick)
        costs = {c: ccost[c] for c in order if c in ccost and ccost[c] != float("inf")}
        return {"classes": classes, "roots": roots, "chosen": chosen, "class_costs": costs,
                "title": title}

    # ----- notebook (drawn by the renderer registered for this class) ----------
    def payload(self, max_nodes: int | None = None) -> dict:
        """The e-graph as a ``symnb.display`` payload (kind ``"egraph"``): the classes
        reachable from the roots, nearest first, at most ``max_nodes`` e-nodes (default
        ``symnb.display.OPTIONS.max_nodes``; ``truncated`` says what was left out)."""
        return renderer_of(self, "payload")(self, max_nodes)

    def view(self, max_nodes: int | None = None) -> Any:
        """The e-graph as a ``symnb.display.DagView`` (renderer payload + SVG fallback)."""
        return renderer_of(self, "view")(self, max_nodes)

    def _ipython_display_(self) -> None:
        """In IPython: the summary table, then the e-graph view (a renderer shows one MIME
        type per output, so the table and the interactive graph are two outputs)."""
        renderer_of(self, "ipython_display")(self)
