"""The DAG payload: one JSON schema for expression DAGs and e-graphs.

MIME type ``application/vnd.symnb.dag+json``.  The JupyterLab extension
(``labextension/``) renders it; every bundle also carries an SVG drawn in
Python (:mod:`symnb.display.svg`) and ``text/plain`` for places without it.

Schema (version 1).  Common fields::

    {
      "version": 1,
      "kind": "dag" | "egraph",
      "title": str,                       # optional caption
      "nodes": [node, ...],               # expression nodes or e-nodes, each drawn once
      "roots": [id, ...],                 # node ids (dag) or class ids (egraph)
      "highlight": [id, ...],             # node/class ids to emphasise (e.g. a rewrite step)
      "truncated": null | {"total": int, "shown": int, "omitted": int, "budget": int},
      "stats": {"nodes": int, "edges": int, ...}
    }

A ``node`` is ``{"id": str, "op": str, "label": str, "children": [id, ...]}`` plus optional
``"kind"`` (``"call"|"symbol"|"number"|"other"``; default: ``"symbol"`` for op ``Symbol``,
``"number"`` for op ``Number``, else ``"call"``), ``"text"``, ``"latex"`` (the subexpression rooted
there; absent for large graphs, where the viewer rebuilds it from the children),
``"value"`` (a number), ``"cost"`` (a number) and ``"elided": k`` (the node has ``k``
arguments that were cut off by the node budget).  ``children`` is in argument order;
a shared subterm is one node with several parents.

In an e-graph (``"kind": "egraph"``) every node also has ``"class"`` (its e-class id), and
its ``children`` are *class* ids; the payload adds::

      "classes": [{"id": str, "nodes": [node id, ...], "chosen": node id | null,
                   "cost": number | null}, ...]

``chosen`` is the e-node extraction picked, ``cost`` the best cost of the class.

The MIME value is the payload object, or the same object serialized as a JSON *string*
(bundles do this above ``OPTIONS.inline_nodes`` nodes: nbformat pretty-prints JSON
objects one value per line, which would triple the saved size).  Renderers accept both.

Large graphs open collapsed (:mod:`symnb.display.collapse`): ``"collapsed": [node id, ...]``
lists nodes drawn with their children hidden until clicked; such a node may carry
``"size"`` (distinct nodes below it).  A *summary node* (``"group": true``, op ``"…"``)
stands for the arguments of a wide node past its first few; its children are those
arguments.

Truncation is explicit: above ``max_nodes`` the nodes nearest the roots (breadth
first) are kept, ``truncated`` says how many were left out, and cut nodes carry
``elided``.  Nothing is dropped silently.

>>> from symnb import symbols, sin
>>> x, y = symbols("x y")
>>> p = dag_payload(sin(x) * y + sin(x))
>>> [n["label"] for n in p["nodes"]]
['+', 'sin', '×', 'x', 'y']
>>> p["stats"]["nodes"], p["stats"]["edges"], p["truncated"]
(5, 5, None)
>>> validate_payload(p) is p
True
>>> dag_payload(sin(x) * y + sin(x), max_nodes=2)["truncated"]
{'total': 5, 'shown': 2, 'omitted': 3, 'budget': 2}
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

__all__ = ["MIME_TYPE", "SCHEMA_VERSION", "PayloadError", "DisplayOptions", "OPTIONS",
           "dag_payload", "egraph_payload", "validate_payload", "truncate_payload",
           "term_bundle_parts"]

MIME_TYPE = "application/vnd.symnb.dag+json"
SCHEMA_VERSION = 1

_KINDS = ("call", "symbol", "number", "other")
_OP_LABELS = {"Add": "+", "Mul": "×", "Pow": "^", "Derivative": "∂"}


class PayloadError(ValueError):
    """A DAG/e-graph payload that does not follow the schema."""


@dataclass
class DisplayOptions:
    """Display settings (edit ``symnb.display.OPTIONS``).

    ``max_nodes``: node budget of payloads and SVGs built for reprs;
    ``term_graphs``: add the DAG payload and SVG to term reprs;
    ``node_text_limit``: graphs up to this many nodes carry per-node text/LaTeX;
    ``svg_max_nodes``: node budget of the SVG fallback (it says what it left out);
    ``inline_nodes``: above this many nodes bundles carry the payload as a JSON string;
    ``step_max_nodes``: node budget of each step's DAG in a rewrite trace's view (a larger
    expression is shown from the highest ancestor of the changed subterm that fits);
    ``step_graphs`` / ``step_svg_bytes``: at most this many step DAGs, and SVG bytes in all,
    per trace view (later steps keep their text/LaTeX line only);
    ``collapse_above``: views of larger graphs open collapsed (:mod:`symnb.display.collapse`)
    with about ``open_nodes`` nodes visible, argument lists longer than ``wide_args``
    gathered under a summary node; such a view carries up to ``collapsed_max_nodes`` nodes.
    """

    max_nodes: int = 2000
    term_graphs: bool = True
    node_text_limit: int = 150
    svg_max_nodes: int = 500
    inline_nodes: int = 200
    step_max_nodes: int = 40
    step_graphs: int = 30
    step_svg_bytes: int = 150_000
    collapse_above: int = 300
    open_nodes: int = 120
    wide_args: int = 12
    collapsed_max_nodes: int = 5000


OPTIONS = DisplayOptions()


def _label(op: str) -> str:
    return _OP_LABELS.get(op, op)


def _fmt_value(v: Any) -> Any:
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if math.isfinite(f) else None


def dag_payload(exprs: Any, *, max_nodes: int | None = None, title: str | None = None,
                highlight: Iterable[Any] = (), values: Mapping[Any, float] | None = None,
                costs: Mapping[str, float] | None = None, node_text: bool | None = None) -> dict:
    """The DAG payload of a term (or a list of terms), through the term interface.

    Works for symnb, sympy and symengine terms.  ``highlight``: subterms to mark
    (their whole subtrees are marked).  ``values``: symbol -> number; each node then
    carries its numeric ``value``.  ``costs``: operation name -> cost per node.
    ``node_text``: force per-node text/LaTeX on or off (default: small graphs only).

    >>> from symnb import symbols
    >>> x, = symbols("x"),
    >>> p = dag_payload(x**2 + x, values={x: 3.0}, highlight=[x**2])
    >>> [(n["label"], n.get("value")) for n in p["nodes"]]
    [('+', 12.0), ('x', 3.0), ('^', 9.0), ('2', 2.0)]
    >>> p["highlight"]
    ['n1', 'n2', 'n3']
    """
    from ..terms.interface import term_ops
    roots = list(exprs) if isinstance(exprs, (list, tuple)) else [exprs]
    if not roots:
        raise ValueError("dag_payload needs at least one expression")
    budget = OPTIONS.max_nodes if max_nodes is None else int(max_nodes)
    if budget < 1:
        raise ValueError(f"max_nodes must be >= 1, got {max_nodes}")

    ids: dict = {}
    order: list = []
    kids: dict = {}
    queue: deque = deque()
    for r in roots:
        if r not in ids:
            ids[r] = f"n{len(order)}"
            order.append(r)
            queue.append(r)
    # breadth-first over distinct nodes; count the total even past the budget
    total_seen = len(order)
    while queue:
        t = queue.popleft()
        ops = term_ops(t)
        args = list(ops.arguments(t)) if ops.iscall(t) else []
        kids[t] = args
        for a in args:
            if a not in ids:
                ids[a] = f"n{len(order)}"
                order.append(a)
                queue.append(a)
                total_seen += 1
    shown = order[:budget]
    shown_set = {ids[t] for t in shown}
    small = len(shown) <= OPTIONS.node_text_limit if node_text is None else node_text
    if small:
        from ..terms.printing import to_latex_limited, to_str_limited
    vals: dict = {}
    if values is not None:
        vals = _node_values(order, kids, values)

    nodes = []
    n_edges = 0
    for t in shown:
        ops = term_ops(t)
        node: dict = {"id": ids[t]}
        if ops.iscall(t):
            op = ops.opname(t)
            node.update(op=op, label=_label(op))
            ch = [ids[a] for a in kids[t]]
            keep = [c for c in ch if c in shown_set]
            if len(keep) < len(ch):
                node["elided"] = len(ch) - len(keep)
            node["children"] = keep
            n_edges += len(keep)
            if costs is not None and op in costs:
                node["cost"] = float(costs[op])
        elif ops.issym(t):
            name = ops.symname(t)
            node.update(op="Symbol", label=name, children=[])
        elif ops.isnumber(t):
            from ..terms.printing import format_number
            v = ops.numvalue(t)
            node.update(op="Number", label=format_number(v), children=[])
            fv = _fmt_value(v)
            if fv is not None:
                node["value"] = fv
        else:
            node.update(op=type(t).__name__, label=str(t)[:40], kind="other", children=[])
        if small:
            node["text"] = to_str_limited(t, 400)
            node["latex"] = to_latex_limited(t, 400)
        if t in vals and "value" not in node:
            node["value"] = vals[t]
        nodes.append(node)

    hl: list = []
    if highlight:
        marks = _subtree_ids(list(highlight), ids, kids)
        hl = [i for i in marks if i in shown_set]
    trunc = None
    if total_seen > len(shown):
        trunc = {"total": total_seen, "shown": len(shown), "omitted": total_seen - len(shown),
                 "budget": budget}
    payload = {"version": SCHEMA_VERSION, "kind": "dag", "nodes": nodes,
               "roots": [ids[r] for r in dict.fromkeys(roots)], "highlight": hl,
               "truncated": trunc, "stats": {"nodes": len(nodes), "edges": n_edges,
                                             "total_nodes": total_seen}}
    if title:
        payload["title"] = str(title)
    return payload


def _subtree_ids(marks: list, ids: dict, kids: dict) -> list:
    out: dict = {}
    stack = [m for m in marks if m in ids]
    while stack:
        t = stack.pop()
        i = ids[t]
        if i in out:
            continue
        out[i] = True
        stack.extend(kids.get(t, ()))
    return sorted(out, key=lambda s: int(s[1:]))


def _node_values(order: list, kids: dict, env: Mapping[Any, float]) -> dict:
    """Numeric value of every node (children first), using ``evaluate`` per operation."""
    from ..terms.calculus import EvaluationError, evaluate
    from ..terms.core import Number, Term
    from ..terms.interface import iscall, maketerm, operation
    from ..terms.walk import postorder_from
    out: dict = {}
    post = postorder_from(order, lambda t: kids.get(t, ()))   # children before parents
    for t in post:
        if t not in kids or not isinstance(t, Term):
            continue
        try:
            if iscall(t):
                args = kids[t]
                if any(a not in out for a in args):
                    continue
                # evaluate the operation on numeric leaves: O(1) per node
                leaf = maketerm(operation(t), [Number(out[a]) for a in args])
                v = evaluate(leaf, {})
            else:
                v = evaluate(t, env)
        except (EvaluationError, TypeError, ValueError, ZeroDivisionError, OverflowError,
                KeyError):
            continue
        fv = _fmt_value(v)
        if fv is not None:
            out[t] = fv
    return out


def egraph_payload(classes: Mapping[Any, Sequence[Any]], roots: Sequence[Any], *,
                   chosen: Mapping[Any, int] | None = None,
                   class_costs: Mapping[Any, float] | None = None,
                   highlight: Iterable[Any] = (), title: str | None = None,
                   max_nodes: int | None = None) -> dict:
    """Build an e-graph payload from plain data.

    ``classes``: class id -> list of e-nodes, each ``(op, child_class_ids)`` or
    ``(op, child_class_ids, cost)`` or a dict with keys ``op``, ``children``,
    ``cost``, ``label``, ``kind``.  ``chosen``: class id -> index of the extracted e-node.
    ``class_costs``: class id -> best cost.  ``highlight``: class ids.

    >>> p = egraph_payload({"a": [("Mul", ["b", "c"], 4.0), ("Add", ["b", "b"], 1.0)],
    ...                     "b": [("x", [])], "c": [("2", [])]}, roots=["a"],
    ...                    chosen={"a": 1}, class_costs={"a": 3.0, "b": 1.0, "c": 1.0})
    >>> [(c["id"], c["chosen"], c["cost"]) for c in p["classes"]]
    [('c0', 'e1', 3.0), ('c1', 'e2', 1.0), ('c2', 'e3', 1.0)]
    >>> p["nodes"][0]["children"], validate_payload(p)["kind"]
    (['c1', 'c2'], 'egraph')
    """
    cid = {k: f"c{i}" for i, k in enumerate(classes)}
    for r in roots:
        if r not in cid:
            raise PayloadError(f"root class {r!r} is not among the classes")
    out_classes, nodes = [], []
    n_edges = 0
    for k, enodes in classes.items():
        members = []
        for j, en in enumerate(enodes):
            if isinstance(en, Mapping):
                op, ch, cost, label = en["op"], en.get("children", ()), en.get("cost"), \
                    en.get("label")
                kind = en.get("kind")
            else:
                en = tuple(en)
                if len(en) not in (2, 3):
                    raise PayloadError(f"e-node {en!r} of class {k!r}: expected (op, children"
                                       f"[, cost])")
                op, ch, cost, label = en[0], en[1], (en[2] if len(en) == 3 else None), None
                kind = None
            try:
                chi = [cid[c] for c in ch]
            except KeyError as e:
                raise PayloadError(f"e-node {op!r} of class {k!r} points to unknown class "
                                   f"{e.args[0]!r}") from None
            nid = f"e{len(nodes)}"
            node = {"id": nid, "op": str(op), "label": str(label or _label(str(op))),
                    "kind": kind if kind in _KINDS else ("call" if chi else "other"),
                    "class": cid[k], "children": chi}
            if cost is not None:
                node["cost"] = float(cost)
            nodes.append(node)
            members.append(nid)
            n_edges += len(chi)
        pick = (chosen or {}).get(k)
        if pick is None and len(members) == 1:
            pick = 0
        ccost = (class_costs or {}).get(k)
        out_classes.append({"id": cid[k], "nodes": members,
                            "chosen": members[pick] if pick is not None else None,
                            "cost": None if ccost is None else float(ccost)})
    payload = {"version": SCHEMA_VERSION, "kind": "egraph", "nodes": nodes,
               "classes": out_classes, "roots": [cid[r] for r in roots],
               "highlight": [cid[h] for h in highlight if h in cid], "truncated": None,
               "stats": {"nodes": len(nodes), "edges": n_edges, "classes": len(out_classes),
                         "total_nodes": len(nodes)}}
    if title:
        payload["title"] = str(title)
    budget = OPTIONS.max_nodes if max_nodes is None else int(max_nodes)
    return truncate_payload(payload, budget)


def _breadth_first(roots: list, members: Callable[[Any], Sequence], byid: dict,
                   max_nodes: int) -> tuple[dict, dict]:
    """Breadth first from ``roots`` over units (e-classes, or single nodes: ``members(u)`` are
    a unit's node ids), keeping each unit whose members still fit in ``max_nodes``; a unit's
    children are the ids its members point to. Returns (kept units, kept node ids).

    >>> byid = {1: {"children": [2, 3]}, 2: {"children": []}, 3: {"children": []}}
    >>> _breadth_first([1], lambda i: (i,), byid, 2)
    ({1: True, 2: True}, {1: True, 2: True})
    """
    kept: dict = {}
    keep: dict = {}
    queue = deque(roots)
    seen = set(queue)
    while queue:
        u = queue.popleft()
        ms = members(u)
        if len(keep) + len(ms) > max_nodes:
            continue
        kept[u] = True
        for m in ms:
            keep[m] = True
            for ch in byid[m]["children"]:
                if ch not in seen:
                    seen.add(ch)
                    queue.append(ch)
    return kept, keep


def truncate_payload(payload: dict, max_nodes: int) -> dict:
    """Keep at most ``max_nodes`` nodes (breadth first from the roots), saying so.

    Works for both kinds; an e-graph keeps whole classes while they fit.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be >= 1, got {max_nodes}")
    nodes = payload["nodes"]
    if len(nodes) <= max_nodes:
        return payload
    byid = {n["id"]: n for n in nodes}
    if payload["kind"] == "egraph":
        cls = {c["id"]: c for c in payload["classes"]}
        kept_classes, keep = _breadth_first(payload["roots"], lambda c: cls[c]["nodes"], byid,
                                            max_nodes)
        new_nodes = _trim_nodes(nodes, keep, kept_classes)
        classes = [c for c in payload["classes"] if c["id"] in kept_classes]
        out = dict(payload, nodes=new_nodes, classes=classes,
                   roots=[r for r in payload["roots"] if r in kept_classes],
                   highlight=[h for h in payload["highlight"] if h in kept_classes or h in keep])
    else:
        _, keep = _breadth_first(payload["roots"], lambda i: (i,), byid, max_nodes)
        new_nodes = _trim_nodes(nodes, keep, keep)
        out = dict(payload, nodes=new_nodes, roots=[r for r in payload["roots"] if r in keep],
                   highlight=[h for h in payload["highlight"] if h in keep])
    if payload.get("collapsed"):
        out["collapsed"] = [c for c in payload["collapsed"] if c in keep]
    total = payload["stats"].get("total_nodes", len(nodes))
    out["truncated"] = {"total": total, "shown": len(out["nodes"]),
                        "omitted": total - len(out["nodes"]), "budget": max_nodes}
    out["stats"] = dict(payload["stats"], nodes=len(out["nodes"]),
                        edges=sum(len(n["children"]) for n in out["nodes"]))
    return out


def _fail(msg: str) -> None:
    raise PayloadError(msg)


def validate_payload(p: Any) -> dict:
    """Check ``p`` against the schema; return it or raise ``PayloadError`` naming the problem.

    >>> validate_payload({"version": 1, "kind": "dag", "nodes": [], "roots": ["n0"]})
    Traceback (most recent call last):
      ...
    symnb.display.dag.PayloadError: root 'n0' is not a node id
    """
    if not isinstance(p, Mapping):
        _fail(f"payload must be a JSON object, got {type(p).__name__}")
    if p.get("version") != SCHEMA_VERSION:
        _fail(f"unsupported payload version {p.get('version')!r} (expected {SCHEMA_VERSION})")
    kind = p.get("kind")
    if kind not in ("dag", "egraph"):
        _fail(f"kind must be 'dag' or 'egraph', got {kind!r}")
    for key in ("nodes", "roots"):
        if not isinstance(p.get(key), list):
            _fail(f"'{key}' must be a list")
    ids: set = set()
    for k, n in enumerate(p["nodes"]):
        if not isinstance(n, Mapping):
            _fail(f"node #{k} is not an object")
        for key in ("id", "op", "label"):
            if not isinstance(n.get(key), str):
                _fail(f"node #{k}: '{key}' must be a string")
        if n["id"] in ids:
            _fail(f"duplicate node id {n['id']!r}")
        ids.add(n["id"])
        if n.get("kind", "other") not in _KINDS:
            _fail(f"node {n['id']!r}: kind must be one of {', '.join(_KINDS)}")
        if not isinstance(n.get("children"), list) or \
                not all(isinstance(c, str) for c in n["children"]):
            _fail(f"node {n['id']!r}: 'children' must be a list of ids")
        for key in ("value", "cost"):
            if key in n and n[key] is not None and (
                    isinstance(n[key], bool) or not isinstance(n[key], (int, float))):
                _fail(f"node {n['id']!r}: '{key}' must be a number")
        for key in ("elided", "size"):
            if key in n and (isinstance(n[key], bool) or not isinstance(n[key], int)
                             or n[key] < 0):
                _fail(f"node {n['id']!r}: '{key}' must be a non-negative integer")
        if "group" in n and not isinstance(n["group"], bool):
            _fail(f"node {n['id']!r}: 'group' must be true or false")
    if kind == "dag":
        targets = ids
        what = "node"
    else:
        if not isinstance(p.get("classes"), list):
            _fail("an e-graph payload needs a 'classes' list")
        targets = set()
        owner: dict = {}
        for k, c in enumerate(p["classes"]):
            if not isinstance(c, Mapping) or not isinstance(c.get("id"), str):
                _fail(f"class #{k} needs a string 'id'")
            if c["id"] in targets:
                _fail(f"duplicate class id {c['id']!r}")
            targets.add(c["id"])
            if not isinstance(c.get("nodes"), list) or not c["nodes"]:
                _fail(f"class {c['id']!r}: 'nodes' must be a non-empty list")
            for m in c["nodes"]:
                if m not in ids:
                    _fail(f"class {c['id']!r} lists unknown e-node {m!r}")
                owner[m] = c["id"]
            if c.get("chosen") is not None and c["chosen"] not in c["nodes"]:
                _fail(f"class {c['id']!r}: chosen e-node {c['chosen']!r} is not in the class")
            cc = c.get("cost")
            if cc is not None and (isinstance(cc, bool) or not isinstance(cc, (int, float))):
                _fail(f"class {c['id']!r}: 'cost' must be a number or null")
        for n in p["nodes"]:
            if owner.get(n["id"]) != n.get("class"):
                _fail(f"e-node {n['id']!r}: 'class' {n.get('class')!r} does not match the "
                      f"class listing it")
        what = "class"
    for n in p["nodes"]:
        for c in n["children"]:
            if c not in targets:
                _fail(f"node {n['id']!r}: child {c!r} is not a {what} id")
    for r in p["roots"]:
        if r not in targets:
            _fail(f"root {r!r} is not a {what} id")
    coll = p.get("collapsed", [])
    if not isinstance(coll, list) or any(c not in ids for c in coll):
        _fail("'collapsed' must list node ids")
    hl = p.get("highlight", [])
    if not isinstance(hl, list) or any(h not in ids and h not in targets for h in hl):
        _fail("'highlight' must list node or class ids")
    tr = p.get("truncated")
    if tr is not None:
        if not isinstance(tr, Mapping) or not all(
                isinstance(tr.get(k), int) for k in ("total", "shown", "omitted")):
            _fail("'truncated' must be null or {total, shown, omitted, budget}")
        if tr["total"] != tr["shown"] + tr["omitted"]:
            _fail("'truncated': total must equal shown + omitted")
    return p  # type: ignore[return-value]


def term_bundle_parts(t: Any) -> dict:
    """The display parts a term's notebook bundle adds: DAG payload and SVG (lazy import)."""
    if not OPTIONS.term_graphs:
        return {}
    from ..terms.interface import term_ops
    if not term_ops(t).iscall(t):
        return {}
    from .view import dag
    b = dag(t)._repr_mimebundle_()
    del b["text/plain"]
    return b


def _trim_nodes(nodes: list, keep: Mapping, targets: Mapping) -> list:
    """The kept nodes, each with children outside ``targets`` dropped and counted as elided."""
    out = []
    for n in nodes:
        if n["id"] in keep:
            ch = n["children"]
            kept = [c for c in ch if c in targets]
            n2 = dict(n, children=kept)
            if len(kept) < len(ch):
                n2["elided"] = len(ch) - len(kept)
            out.append(n2)
    return out
