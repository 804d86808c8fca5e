"""Large graphs open collapsed: which nodes a DAG or e-graph payload shows at first.

A payload may list ``"collapsed": [node id, ...]``: nodes drawn with their children hidden
until clicked (the renderer's "expand all" shows everything).  For a DAG, the top levels
stay open while they fit ``open_nodes``, breadth first, and a node with more than ``wide``
arguments keeps its first ``wide - 1`` and gathers the rest under one *summary node*
(``"group": true``, label ``"… 1,880 more"``): a collapsed node that stands for those
arguments.  Collapsed nodes carry ``"size"``, the number of distinct nodes below them.
For an e-graph, the classes on the extracted term's path are open and show their
alternatives; the alternatives' own children stay collapsed.  The payload's ``stats``
gain ``collapsed`` (and ``groups`` or ``path_classes``).

>>> from symnb import symbols, expand
>>> from symnb.display import dag_payload
>>> x, y = symbols("x y")
>>> p = collapse_dag(dag_payload(expand((x + y + 1) ** 12)), open_nodes=40, wide=8)
>>> root = p["nodes"][0]
>>> len(root["children"]), p["nodes"][-1]["label"], p["nodes"][-1]["id"] in p["collapsed"]
(8, '… 84 more', True)
>>> len(visible_ids(p)) <= 40
True
"""
from __future__ import annotations

from collections import deque
from typing import Any

__all__ = ["collapse_dag", "collapse_egraph", "visible_ids", "visible_payload"]


def _sizes(nodes: list, byid: dict, ids: list) -> dict:
    """``id -> number of distinct nodes below it`` (bitsets, children first)."""
    index = {n["id"]: k for k, n in enumerate(nodes)}
    below: dict = {}
    for start in ids:
        stack = [(start, False)]
        while stack:
            i, done = stack.pop()
            if i in below:
                continue
            kids = byid[i]["children"] if i in byid else []
            if done:
                bits = 0
                for c in kids:
                    if c in index:
                        bits |= below.get(c, 0) | (1 << index[c])
                below[i] = bits
                continue
            stack.append((i, True))
            stack.extend((c, False) for c in kids if c in byid and c not in below)
    return {i: below[i].bit_count() for i in ids}


def collapse_dag(p: dict, open_nodes: int = 120, wide: int = 12) -> dict:
    """A copy of DAG payload ``p`` that opens with at most about ``open_nodes`` nodes
    visible: summary nodes for wide argument lists, ``collapsed`` and ``size`` set."""
    if open_nodes < 1 or wide < 2:
        raise ValueError(f"open_nodes must be >= 1 and wide >= 2, got {open_nodes}, {wide}")
    nodes = [dict(n) for n in p["nodes"]]
    groups = []
    for n in nodes:
        ch = n["children"]
        if len(ch) > wide:
            g = {"id": f"g{len(groups)}", "op": "…", "label": f"… {len(ch) - wide + 1:,} more",
                 "kind": "other", "group": True, "children": ch[wide - 1:]}
            groups.append(g)
            n["children"] = ch[:wide - 1] + [g["id"]]
    nodes += groups
    byid = {n["id"]: n for n in nodes}
    visible = dict.fromkeys(p["roots"])
    opened: set = set()
    queue = deque(p["roots"])
    while queue:                       # breadth first: the top levels open while they fit
        i = queue.popleft()
        new = [c for c in dict.fromkeys(byid[i]["children"]) if c not in visible]
        if len(visible) + len(new) > open_nodes:
            continue
        opened.add(i)
        for c in new:
            visible[c] = None
            queue.append(c)
    # everything else opens one level per click
    closed = [n["id"] for n in nodes if n["children"] and n["id"] not in opened]
    sizes = _sizes(nodes, byid, closed)
    for i in closed:
        byid[i]["size"] = sizes[i]
    stats = dict(p["stats"], groups=len(groups), collapsed=len(closed))
    return dict(p, nodes=nodes, collapsed=closed, stats=stats)


def collapse_egraph(p: dict) -> dict:
    """A copy of e-graph payload ``p`` opening on the extracted term's classes: every
    non-chosen e-node there (an alternative) starts collapsed.  Unchanged when no class
    records a chosen e-node."""
    cls = {c["id"]: c for c in p["classes"]}
    byid = {n["id"]: n for n in p["nodes"]}
    if not any(c.get("chosen") and len(c["nodes"]) > 1 for c in p["classes"]):
        return p               # no extraction recorded (one-member classes choose alone)
    path: dict = {}
    stack = list(p["roots"])
    while stack:
        c = stack.pop()
        if c in path or c not in cls:
            continue
        path[c] = None
        pick = cls[c].get("chosen")
        for m in ([pick] if pick else cls[c]["nodes"]):
            stack.extend(byid[m]["children"])
    closed = [m for c in path for m in cls[c]["nodes"]
              if m != cls[c].get("chosen") and cls[c].get("chosen") and byid[m]["children"]]
    stats = dict(p["stats"], path_classes=len(path), collapsed=len(closed))
    return dict(p, collapsed=closed, stats=stats)


def visible_ids(p: dict) -> list:
    """Ids of the nodes drawn at first (not below a collapsed node), as the renderer does."""
    closed = set(p.get("collapsed") or ())
    byid = {n["id"]: n for n in p["nodes"]}
    members = ({c["id"]: c["nodes"] for c in p["classes"]} if p["kind"] == "egraph"
               else None)
    seen: dict = {}
    out: list = []
    stack = list(reversed(p["roots"]))
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen[u] = None
        for m in (members[u] if members is not None else [u]):
            out.append(m)
            if m not in closed:
                stack.extend(reversed(byid[m]["children"]))
    return out


def visible_payload(p: dict) -> dict:
    """``p`` cut to what opens visible (for static drawings): collapsed nodes keep no
    children and count them as ``elided``.  ``p`` itself when nothing is collapsed."""
    closed = set(p.get("collapsed") or ())
    if not closed:
        return p
    keep = dict.fromkeys(visible_ids(p))
    nodes = []
    for n in p["nodes"]:
        if n["id"] in keep:
            n2 = dict(n)
            if n["id"] in closed:
                n2["children"] = []
                n2["elided"] = len(n["children"]) + n.get("elided", 0)
            nodes.append(n2)
    out = dict(p, nodes=nodes, collapsed=[])
    if p["kind"] == "egraph":
        kept = {n["class"] for n in nodes}
        out["classes"] = [c for c in p["classes"] if c["id"] in kept]
        out["highlight"] = [h for h in p["highlight"] if h in kept or h in keep]
    else:
        out["highlight"] = [h for h in p.get("highlight", []) if h in keep]
    out["stats"] = dict(p["stats"], nodes=len(nodes),
                        edges=sum(len(n["children"]) for n in nodes))
    return out
