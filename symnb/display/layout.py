"""A small layered (Sugiyama-style) layout in pure Python, for the SVG fallback.

Steps: layers by longest path from the roots (back edges of cycles ignored, so
e-graphs work too); order within layers by a few barycenter sweeps; x positions
pulled toward the neighbours' mean while keeping order and spacing.  Linear in
the graph size per sweep, so a few thousand nodes lay out in well under a second.

>>> pos = layered_layout(["a", "b", "c"], {"a": ["b", "c"]}, {"a": 10, "b": 10, "c": 10})
>>> [pos[k][1] for k in "abc"]
[0, 1, 1]
>>> pos["b"][0] < pos["a"][0] < pos["c"][0]
True
"""
from __future__ import annotations

from typing import Hashable, Mapping, Sequence

__all__ = ["layered_layout"]


def _layers(ids: Sequence[Hashable], succ: Mapping, roots: Sequence[Hashable]) -> dict:
    """Longest-path layering over the DAG left after dropping DFS back edges."""
    index = {k: i for i, k in enumerate(ids)}
    n = len(ids)
    adj = [[index[c] for c in succ.get(k, ()) if c in index] for k in ids]
    state = [0] * n            # 0 new, 1 on stack, 2 done
    post: list = []
    keep = [list() for _ in range(n)]
    starts = [index[r] for r in roots if r in index] + list(range(n))
    for s in starts:
        if state[s]:
            continue
        state[s] = 1
        stack = [(s, 0)]
        while stack:
            v, i = stack[-1]
            if i < len(adj[v]):
                stack[-1] = (v, i + 1)
                w = adj[v][-1 - i]      # last child first: reversed postorder keeps arg order
                if state[w] == 1:
                    continue           # back edge: ignore for layering
                keep[v].append(w)
                if state[w] == 0:
                    state[w] = 1
                    stack.append((w, 0))
            else:
                state[v] = 2
                post.append(v)
                stack.pop()
    layer = [0] * n
    for v in reversed(post):               # topological order of the kept edges
        lv = layer[v] + 1
        for w in keep[v]:
            if layer[w] < lv:
                layer[w] = lv
    return {"adj": keep, "layer": layer, "order": list(reversed(post))}


def layered_layout(ids: Sequence[Hashable], succ: Mapping[Hashable, Sequence[Hashable]],
                   widths: Mapping[Hashable, float], roots: Sequence[Hashable] = (),
                   gap: float = 12.0, sweeps: int = 4) -> dict:
    """Positions ``id -> (x_center, layer)`` for a directed graph drawn top-down.

    ``succ``: id -> child ids (edges point down); ``widths``: box width per id.
    """
    if not ids:
        return {}
    info = _layers(ids, succ, roots or ids[:1])
    adj, layer, topo = info["adj"], info["layer"], info["order"]
    n = len(ids)
    preds: list = [[] for _ in range(n)]
    for v in range(n):
        for w in adj[v]:
            preds[w].append(v)
    nl = max(layer) + 1
    rows: list = [[] for _ in range(nl)]
    for v in topo:                          # DFS order gives a crossing-light start
        rows[layer[v]].append(v)
    pos = [0.0] * n
    for r in rows:
        for i, v in enumerate(r):
            pos[v] = i / max(len(r), 1)

    def sweep(rng: range, nbrs: list) -> None:
        for li in rng:
            r = rows[li]
            key = {}
            for i, v in enumerate(r):
                nb = nbrs[v]
                key[v] = sum(pos[u] for u in nb) / len(nb) if nb else pos[v]
            r.sort(key=key.__getitem__)
            m = max(len(r), 1)
            for i, v in enumerate(r):
                pos[v] = i / m

    for s in range(sweeps):
        if s % 2 == 0:
            sweep(range(1, nl), preds)
        else:
            sweep(range(nl - 2, -1, -1), adj)

    w = [float(widths[k]) for k in ids]
    x = [0.0] * n
    for r in rows:                          # initial packing, left to right
        cur = 0.0
        for v in r:
            x[v] = cur + w[v] / 2
            cur += w[v] + gap

    def place(r: list, nbrs: list) -> None:
        if not r:
            return
        want = []
        for v in r:
            nb = nbrs[v]
            want.append(sum(x[u] for u in nb) / len(nb) if nb else x[v])
        # push right to respect spacing, then pull left toward the wish
        xs = list(want)
        for i in range(1, len(r)):
            lo = xs[i - 1] + (w[r[i - 1]] + w[r[i]]) / 2 + gap
            if xs[i] < lo:
                xs[i] = lo
        for i in range(len(r) - 2, -1, -1):
            hi = xs[i + 1] - (w[r[i + 1]] + w[r[i]]) / 2 - gap
            if xs[i] > hi:
                xs[i] = max(hi, want[i] if want[i] <= hi else hi)
        for v, xv in zip(r, xs):
            x[v] = xv

    for _ in range(2):
        for li in range(1, nl):
            place(rows[li], preds)
        for li in range(nl - 2, -1, -1):
            place(rows[li], adj)
    left = min(x[v] - w[v] / 2 for v in range(n))
    return {ids[v]: (x[v] - left, layer[v]) for v in range(n)}
