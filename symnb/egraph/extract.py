"""Extraction that minimizes the cost of the DAG (a shared subterm counted once).

egglog's built-in extractor minimizes tree cost.  Here the saturated e-graph
is read back (``EGraphData.read``, from egglog's frozen tables) and extracted
in two steps:

1. ``tree_best``: the optimal tree-cost choice per e-class (Knuth's
   generalisation of Dijkstra; always acyclic);
2. ``dag_improve``: local search over the chosen DAG: switch one e-class to
   another e-node when the cost of the whole DAG (every output together,
   reference-counted) drops; new e-classes enter with their tree choice;
   switches that would make a cycle are rejected.

>>> # a hand-made e-graph: class 0 = x, 1 = P (expensive), 2 = Q, 3 = root R, 4 = root S
>>> d = EGraphData.from_lists(
...     classes=[[0], [1], [2], [3, 4], [5]],
...     nodes=[("var", "x"), ("Fn1", "P", ), ("Fn1", "Q"), ("Fn1", "F"), ("Fn1", "G"),
...            ("Fn1", "H")],
...     children=[(), (0,), (0,), (1,), (2,), (1,)],
...     costs=[0, 10, 6, 1, 1, 1])
>>> tree = tree_best(d)
>>> tree[3]                  # tree cost picks G(Q): 7 < 11
4
>>> sel = dag_improve(d, tree, roots=[3, 4])
>>> sel[3], dag_cost(d, sel, [3, 4])   # with S = H(P) needed anyway, F(P) is cheaper
(3, 12.0)
"""
from __future__ import annotations

import heapq
import time
from fractions import Fraction
from typing import Any, Iterable, Sequence

from ..terms.walk import postorder_from

__all__ = ["EGraphData", "tree_best", "dag_improve", "dag_cost", "extract_terms"]

_INF = float("inf")
_KINDS = {"Num": "num", "Flt": "flt", "Var": "var"}


class EGraphData:
    """E-classes and e-nodes as plain lists.

    ``nodes[i]``: ``(kind, payload...)`` without children; ``children[i]``: child
    class ids; ``node_class[i]``; ``classes[c]``: node ids; ``costs[i]``;
    ``refs``: load-row number -> class id (how roots are found).
    """

    def __init__(self) -> None:
        self.nodes: list[tuple] = []
        self.children: list[tuple] = []
        self.node_class: list[int] = []
        self.classes: list[list[int]] = []
        self.class_sort: list[str] = []
        self.costs: list[float] = []
        self.refs: dict[int, int] = {}

    @classmethod
    def from_lists(cls, classes: Sequence[Sequence[int]], nodes: Sequence[tuple],
                   children: Sequence[Sequence[int]], costs: Sequence[float]) -> "EGraphData":
        d = cls()
        d.nodes = [tuple(n) for n in nodes]
        d.children = [tuple(c) for c in children]
        d.costs = [float(c) for c in costs]
        d.classes = [list(c) for c in classes]
        d.class_sort = ["Math"] * len(classes)
        d.node_class = [0] * len(nodes)
        for c, ns in enumerate(classes):
            for n in ns:
                d.node_class[n] = c
        return d

    @classmethod
    def read(cls, eg: Any, cost_model: Any) -> "EGraphData":
        """Read the Math/MathList tables of a (rebuilt) egglog e-graph."""
        d = cls()
        fr = eg.freeze()
        ids: dict = {"Math": {}, "MathList": {}}
        classes, class_sort = d.classes, d.class_sort
        nodes, children, node_class, costs = d.nodes, d.children, d.node_class, d.costs

        def klass(sort: str, v: Any) -> int:
            table = ids[sort]
            c = table.get(v)
            if c is None:
                c = table[v] = len(classes)
                classes.append([])
                class_sort.append(sort)
            return c

        to_i64 = eg.value_to_i64

        def rat(v: Any) -> Any:
            q = eg.value_to_bigrat(v)
            return int(q) if q.denominator == 1 else Fraction(q)

        conv = {"String": eg.value_to_string, "f64": eg.value_to_f64, "BigRat": rat}
        refs_raw: list = []
        node_cost = cost_model.node_cost
        for name, fn in fr.functions.items():
            if fn.is_let_binding:
                continue
            if name == "Ref":
                refs_raw = [(to_i64(r.inputs[0]), r.output) for r in fn.rows]
                continue
            osort = fn.output_sort
            if osort not in ("Math", "MathList") or name == "RefL":
                continue
            # per input: its sort when a child class, else the converter of its literal
            plan = []
            for s in fn.input_sorts:
                if s in ("Math", "MathList"):
                    plan.append((s, None))
                elif s in conv:
                    plan.append((None, conv[s]))
                else:
                    raise ValueError(f"unexpected input sort {s} in {name}")
            kind = _KINDS.get(name, name)
            literal = any(f is not None for _, f in plan)
            fixed = None if literal else node_cost((kind,))
            out_ids = ids[osort]
            for r in fn.rows:
                if r.subsumed:
                    continue
                if literal:
                    kids: list = []
                    payload: list = []
                    for (s, f), v in zip(plan, r.inputs):
                        if f is None:
                            kids.append(klass(s, v))
                        else:
                            payload.append(f(v))
                    node = (kind, *payload)
                    ch = tuple(kids)
                    cost = node_cost(node)
                else:
                    node = (kind,)
                    ch = tuple([klass(s, v) for (s, _), v in zip(plan, r.inputs)])
                    cost = fixed
                i = len(nodes)
                nodes.append(node)
                children.append(ch)
                c = out_ids.get(r.output)
                if c is None:
                    c = klass(osort, r.output)
                node_class.append(c)
                classes[c].append(i)
                costs.append(cost)
        # a power with a numeric exponent costs what its evaluation costs (x^2 is one '*')
        for i, node in enumerate(nodes):
            if node[0] == "Pow":
                for j in classes[children[i][1]]:
                    if nodes[j][0] in ("num", "flt"):
                        costs[i] = cost_model.pow_cost(nodes[j][1])
                        break
        refs = ids["Math"]
        for k, v in refs_raw:
            c = refs.get(v)
            if c is not None:
                d.refs[k] = c
        return d

    @classmethod
    def read_root_leaves(cls, eg: Any, rows: Sequence[int], cost_model: Any) -> "EGraphData | None":
        """Only the numbers and symbols in the classes of ``(Ref k)``, ``k`` in ``rows``
        (None unless every such class holds one): what a tree extraction of those roots
        picks, read without copying the rest of the e-graph."""
        fns = eg.freeze().functions
        ref = fns.get("Ref")
        if ref is None:
            return None
        want = set(rows)
        to_i64 = eg.value_to_i64
        root_of = {to_i64(r.inputs[0]): r.output for r in ref.rows}
        if not want <= root_of.keys():
            return None
        targets = {root_of[k] for k in want}
        leaves: dict = {}
        for name, kind, conv in (("Num", "num", eg.value_to_bigrat), ("Flt", "flt", eg.value_to_f64),
                                 ("Var", "var", eg.value_to_string)):
            fn = fns.get(name)
            for r in (fn.rows if fn is not None else ()):
                if r.output in targets and not r.subsumed:
                    v = conv(r.inputs[0])
                    if kind == "num":
                        v = int(v) if v.denominator == 1 else Fraction(v)
                    leaves.setdefault(r.output, []).append((kind, v))
        if len(leaves) < len(targets):
            return None
        d = cls()
        cid: dict = {}
        for out, nodes in leaves.items():
            cid[out] = len(d.classes)
            d.classes.append([])
            d.class_sort.append("Math")
            for node in nodes:
                d.classes[-1].append(len(d.nodes))
                d.nodes.append(node)
                d.children.append(())
                d.node_class.append(cid[out])
                d.costs.append(cost_model.node_cost(node))
        d.refs = {k: cid[root_of[k]] for k in want}
        return d

    @property
    def n_classes(self) -> int:
        return sum(1 for c in self.classes if c)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)


def tree_best(d: EGraphData) -> list[int]:
    """Per class the e-node of least tree cost (-1 where none is finite)."""
    nc = len(d.classes)
    best = [-1] * nc
    cost = [_INF] * nc
    parents: list[list[int]] = [[] for _ in range(nc)]
    children, costs, node_class = d.children, d.costs, d.node_class
    pending = [0] * len(children)
    heap: list = []
    for i, ch in enumerate(children):
        n = len(ch)
        if n == 0:
            heap.append((costs[i], i))
            continue
        if n == 2 and ch[0] == ch[1]:
            ch = ch[:1]
        elif n > 2:
            ch = tuple(set(ch))
        pending[i] = len(ch)
        for c in ch:
            parents[c].append(i)
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        cst, i = pop(heap)
        c = node_class[i]
        if best[c] != -1:
            continue
        best[c] = i
        cost[c] = cst
        for p in parents[c]:
            pending[p] -= 1
            if pending[p] == 0 and best[node_class[p]] == -1:
                ch = children[p]
                if len(ch) == 1:
                    k = costs[p] + cost[ch[0]]
                elif len(ch) == 2:
                    k = costs[p] + cost[ch[0]] + cost[ch[1]]
                else:
                    k = costs[p] + sum(cost[x] for x in ch)
                push(heap, (k, p))
    return best


def _distinct(ch: tuple) -> Iterable[int]:
    return ch if len(ch) < 2 or len(set(ch)) == len(ch) else tuple(dict.fromkeys(ch))


def _selected(d: EGraphData, sel: Sequence[int] | dict, roots: Iterable[int]) -> list[int]:
    seen: set = set()
    order: list = []
    stack = list(roots)
    while stack:
        c = stack.pop()
        if c in seen:
            continue
        seen.add(c)
        order.append(c)
        stack.extend(d.children[sel[c]])
    return order


def dag_cost(d: EGraphData, sel: Sequence[int] | dict, roots: Iterable[int]) -> float:
    """Cost of the DAG reached from ``roots`` through the choice ``sel`` (each class once)."""
    return float(sum(d.costs[sel[c]] for c in _selected(d, sel, roots)))


def dag_improve(d: EGraphData, start: Sequence[int], roots: Sequence[int], *,
                max_passes: int = 4, time_limit: float = 30.0) -> dict:
    """Local search from the choice ``start`` minimizing the DAG cost of ``roots`` together."""
    t0 = time.perf_counter()
    children, costs, classes = d.children, d.costs, d.classes
    sel: dict = {}
    ref: dict = {}
    for c in _selected(d, start, roots):
        sel[c] = start[c]
    for r in set(roots):
        ref[r] = ref.get(r, 0) + 1
    for c, n in sel.items():
        for x in _distinct(children[n]):
            ref[x] = ref.get(x, 0) + 1

    height = _heights(d, sel)
    parents: dict = {}
    for c, n in sel.items():
        for y in children[n]:
            parents.setdefault(y, set()).add(c)

    def reaches(sources: list, target: int) -> bool:
        seen: set = set()
        ht = height[target]
        stack = [x for x in sources if height[x] > ht or x == target]
        while stack:
            x = stack.pop()
            if x == target:
                return True
            if x in seen:
                continue
            seen.add(x)
            stack.extend(y for y in children[sel[x]] if height[y] > ht or y == target)
        return False

    def trial(c: int, cur: int, n2: int) -> tuple | None:
        tmp: dict = {}
        new: dict = {}
        added = 0.0
        touched: list = []
        stack = list(_distinct(children[n2]))
        while stack:
            x = stack.pop()
            if x == c:
                return None
            r = tmp.get(x)
            if r is None:
                r = ref.get(x, 0)
            if r > 0:
                tmp[x] = r + 1
                if x not in new:
                    touched.append(x)
                continue
            b = start[x]
            if b < 0:
                return None
            tmp[x] = 1
            new[x] = b
            added += costs[b]
            stack.extend(_distinct(children[b]))
        if touched and reaches(touched, c):
            return None
        removed = 0.0
        stack = list(_distinct(children[cur]))
        while stack:
            x = stack.pop()
            r = tmp.get(x)
            if r is None:
                r = ref.get(x, 0)
            r -= 1
            tmp[x] = r
            if r == 0:
                n = new.get(x, sel.get(x))
                removed += costs[n]
                stack.extend(_distinct(children[n]))
        return costs[n2] - costs[cur] + added - removed, tmp, new

    for _ in range(max_passes):
        improved = False
        for c in list(sel):
            if ref.get(c, 0) <= 0 or len(classes[c]) < 2:
                continue
            if time.perf_counter() - t0 > time_limit:
                break
            for n2 in classes[c]:
                cur = sel[c]
                if n2 == cur:
                    continue
                res = trial(c, cur, n2)
                if res is None or res[0] >= -1e-9:
                    continue
                _, tmp, new = res
                ref.update(tmp)
                sel.update(new)
                sel[c] = n2
                improved = True
                for x in _postorder_new(d, new):
                    height[x] = 1 + max((height[y] for y in children[sel[x]]), default=0)
                    for y in children[sel[x]]:
                        parents.setdefault(y, set()).add(x)
                for y in children[n2]:
                    parents.setdefault(y, set()).add(c)
                h = 1 + max((height[y] for y in children[n2]), default=0)
                if h > height[c]:
                    height[c] = h
                    up = [c]
                    while up:   # keep every parent higher than its children
                        x = up.pop()
                        for q in parents.get(x, ()):
                            if height.get(q, 0) <= height[x]:
                                height[q] = height[x] + 1
                                up.append(q)
        if not improved:
            break
    return {c: n for c, n in sel.items() if ref.get(c, 0) > 0}


def _heights(d: EGraphData, sel: dict) -> dict:
    """Height of each selected class (leaves 0): a parent is always higher than its children."""
    h: dict = {}
    for c in sel:
        if c in h:
            continue
        stack = [(c, False)]
        while stack:
            x, ready = stack.pop()
            if x in h:
                continue
            ch = d.children[sel[x]]
            if not ready:
                stack.append((x, True))
                stack.extend((y, False) for y in ch if y not in h)
                continue
            h[x] = 1 + max((h[y] for y in ch), default=0) if ch else 0
    return h


def _postorder_new(d: EGraphData, new: dict) -> list:
    """Classes of ``new`` (class -> chosen node), each after the classes of ``new`` below it."""
    return postorder_from(new, lambda x: (y for y in d.children[new[x]] if y in new))


def extract_terms(d: EGraphData, sel: dict | Sequence[int], roots: Sequence[int],
                  symbols: Any = None) -> list:
    """Build the symnb terms of ``roots`` under the choice ``sel`` (one term per class);
    ``symbols``: the encoding's name -> symbol table (keeps the symbols' assumptions)."""
    from ..terms.core import Add
    from .bridge import decode_node
    nodes, children = d.nodes, d.children
    ref: dict = {}
    for c in _selected(d, sel, roots):
        for x in _distinct(children[sel[c]]):
            ref[x] = ref.get(x, 0) + 1
    for r in roots:
        ref[r] = ref.get(r, 0) + 1

    def summands(c: int) -> list:
        """(sign, class) leaves of the sum at ``c``, through unshared inner sums."""
        out: list = []
        stack = [(1, c, True)]
        while stack:
            sg, x, top = stack.pop()
            n = sel[x]
            k = nodes[n][0]
            if (top or ref.get(x, 0) == 1) and k in ("Add", "Sub"):
                a, b = children[n]
                stack.append((sg if k == "Add" else -sg, b, False))
                stack.append((sg, a, False))
            else:
                out.append((sg, x))
        return out

    memo: dict = {}
    active: set = set()
    for root in roots:
        stack = [(root, False, None)]
        while stack:
            c, ready, deps = stack.pop()
            if c in memo:
                continue
            n = sel[c]
            kind = nodes[n][0]
            if not ready:
                if c in active:
                    raise RuntimeError("extraction chose a cycle (an internal error)")
                active.add(c)
                deps = summands(c) if kind in ("Add", "Sub") else None
                kids = [x for _, x in deps] if deps is not None else children[n]
                stack.append((c, True, deps))
                stack.extend((x, False, None) for x in kids if x not in memo)
                continue
            if deps is not None:
                memo[c] = Add(*[memo[x] if sg > 0 else -memo[x] for sg, x in deps])
            else:
                memo[c] = decode_node(nodes[n], [memo[x] for x in children[n]], symbols)
            active.discard(c)
    return [memo[r] for r in roots]
