"""Re-rolling: group outputs of the same *shape* into loops over index tables.

Each output's IR sub-DAG is serialised canonically (children of sums and
products ordered by their structural shape), with every input element,
constant and coefficient replaced by a positional *slot*.  Outputs with equal
serialisations ("shape keys") differ only in their slot values, so they become
one loop over an integer table (which input elements) and a float table (which
constants); a slot that is the same for every member, or affine in the member
number, is written inline instead.  Sums over many heterogeneous terms (a
reaction network's ``du = S @ rates``) are split: the distinct terms are
grouped and computed into a work vector ``w``, then every output is a
segment sum over a CSR table.  What is left is emitted straight-line in
chunks of bounded size.

>>> from symnb.terms import symbols
>>> from symnb.compiler.ssa import IR, ArgMap
>>> u = symbols("u0:6")
>>> ir = IR(ArgMap([list(u)]))
>>> roots = [ir.lower(u[i] * u[(i + 1) % 6] + 2 * u[i]) for i in range(6)]
>>> p = make_plan(ir, roots, min_group=4)
>>> [len(g.members) for g in p.groups], p.chunks
([6], [])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .ssa import IR, children, node_ops

__all__ = ["Group", "SegmentSum", "Plan", "make_plan", "Canon"]


@dataclass
class Group:
    """Outputs (``target[index]``) sharing one shape: ``entries`` is the canonical
    local DAG (see ``Canon``), ``members`` a list of ``(index, ints, floats)``."""
    target: str
    entries: tuple
    members: list = field(default_factory=list)


@dataclass
class SegmentSum:
    """``out[rows[r]] = consts[r] + sum(coefs[k] * w[cols[k]] for k in indptr[r]:indptr[r+1])``."""
    rows: list
    consts: list
    indptr: list
    cols: list
    coefs: list


@dataclass
class Plan:
    """How to evaluate a flat list of outputs: loops, straight-line chunks and segment sums."""
    n_out: int
    groups: list = field(default_factory=list)
    chunks: list = field(default_factory=list)   # each: list of (target, index, root id)
    n_work: int = 0
    segsum: SegmentSum | None = None

    def summary(self) -> dict:
        return {"loops": len(self.groups),
                "looped_outputs": sum(len(g.members) for g in self.groups),
                "straight_line_outputs": sum(len(c) for c in self.chunks),
                "chunks": len(self.chunks), "work_vector": self.n_work,
                "segment_sum_rows": 0 if self.segsum is None else len(self.segsum.rows)}


class Canon:
    """Canonical serialisation of IR sub-DAGs (shape keys plus slot values).

    Entries of the local DAG, referring to earlier entries by position:
    ``("S", argpos, islot)`` an input element (``islot`` -1 for a scalar
    argument), ``("C", fslot)``, ``("lin", fconst, ((fcoef, ref), ...))``,
    ``("prod", fcoef, numer_refs, denom_refs)``, ``("pow", ref, ref)``,
    ``("call", name, refs)``.
    """

    def __init__(self, ir: IR) -> None:
        self.ir = ir
        self._sid: dict[int, int] = {}
        self._sintern: dict[tuple, int] = {}

    def shape_id(self, i: int) -> int:
        sid = self._sid
        if i in sid:
            return sid[i]
        nodes = self.ir.nodes
        order: list[int] = []          # uncached nodes under i, children first
        stack = [(i, False)]
        while stack:
            k, done = stack.pop()
            if done:
                order.append(k)
                continue
            if k in sid:
                continue
            stack.append((k, True))
            stack.extend((c, False) for c in children(nodes[k]) if c not in sid)
        for k in order:
            if k in sid:
                continue
            n = nodes[k]
            kind = n[0]
            if kind == "in":
                key: tuple = ("S", n[1])
            elif kind == "c":
                key = ("C",)
            elif kind == "lin":
                key = ("L", tuple(sorted(sid[c] for c in n[3])))
            elif kind == "prod":
                key = ("P", tuple(sorted(sid[c] for c in n[2])),
                       tuple(sorted(sid[c] for c in n[3])))
            elif kind == "pow":
                key = ("W", sid[n[1]], sid[n[2]])
            elif kind == "call":
                key = ("F", n[1], tuple(sid[c] for c in n[2]))
            else:
                key = ("?", n)
            sid[k] = self._sintern.setdefault(key, len(self._sintern))
        return sid[i]

    def ordered(self, i: int, ctx: dict) -> tuple:
        """Children of node ``i`` in canonical order (for ``lin``: ``(coef, child)`` pairs).

        Ties of shape are broken by coefficient, then by ``ctx`` (the shapes of a
        child's parents inside the output being serialised), so that the same
        pattern of sharing gives the same order in every output."""
        n = self.ir.nodes[i]
        kind = n[0]
        sid = self.shape_id
        if kind == "lin":
            return tuple(sorted(zip(n[2], n[3]), key=lambda p: (sid(p[1]), p[0], ctx[p[1]])))
        if kind == "prod":
            def key(c: int) -> tuple:
                return (sid(c), ctx[c])
            return (tuple(sorted(n[2], key=key)), tuple(sorted(n[3], key=key)))
        return ()

    def context(self, root: int) -> dict:
        """For each node under ``root``: the sorted shapes of its parents there."""
        nodes = self.ir.nodes
        sid = self.shape_id
        par: dict[int, list] = {}
        for k in self.ir.reachable([root]):
            par.setdefault(k, [])
            s = sid(k)
            for c in children(nodes[k]):
                par[c].append(s)
        return {k: tuple(sorted(v)) for k, v in par.items()}

    def serialize(self, root: int) -> tuple[tuple, list, list]:
        """``(key, ints, floats)`` of the sub-DAG at ``root``."""
        nodes = self.ir.nodes
        local: dict[int, int] = {}
        entries: list = []
        ints: list = []
        floats: list = []
        kids = children(nodes[root])
        if all(nodes[c][0] in ("in", "c") for c in kids):
            # one level over leaves (a rate term): every child's only parent is the
            # root, so the sharing context cannot break a tie - skip computing it
            ctx: Any = _NO_CONTEXT
        else:
            ctx = self.context(root)
        order: dict[int, tuple] = {}
        stack = [(root, False)]
        while stack:
            i, ready = stack.pop()
            if i in local:
                continue
            n = nodes[i]
            kind = n[0]
            if not ready and kind in ("lin", "prod", "pow", "call"):
                stack.append((i, True))
                if kind in ("lin", "prod"):
                    o = order[i] = self.ordered(i, ctx)
                    chs = [c for _, c in o] if kind == "lin" else list(o[0]) + list(o[1])
                else:
                    chs = list(children(n))
                for c in reversed(chs):
                    if c not in local:
                        stack.append((c, False))
                continue
            if kind == "in":
                if n[2] < 0:
                    e: tuple = ("S", n[1], -1)
                else:
                    e = ("S", n[1], len(ints))
                    ints.append(n[2])
            elif kind == "c":
                e = ("C", len(floats))
                floats.append(n[1])
            elif kind == "lin":
                fc = len(floats)
                floats.append(n[1])
                terms = []
                for c, ch in order[i]:
                    terms.append((len(floats), local[ch]))
                    floats.append(c)
                e = ("lin", fc, tuple(terms))
            elif kind == "prod":
                fc = len(floats)
                floats.append(n[1])
                num, den = order[i]
                e = ("prod", fc, tuple(local[c] for c in num), tuple(local[c] for c in den))
            elif kind == "pow":
                e = ("pow", local[n[1]], local[n[2]])
            elif kind == "call":
                e = ("call", n[1], tuple(local[c] for c in n[2]))
            else:
                raise ValueError(f"cannot serialise IR node {n}")
            local[i] = len(entries)
            entries.append(e)
        return tuple(entries), ints, floats


class _NoContext:
    """A sharing context that is the same for every node."""

    def __getitem__(self, key: int) -> tuple:
        return ()


_NO_CONTEXT = _NoContext()


def _group(canon: Canon, items: Sequence[tuple[int, int]], target: str,
           min_group: int, long_sums: bool = False) -> tuple[list, list]:
    """Group ``(index, root)`` items by shape; returns (groups, leftover items).

    ``long_sums``: sums repeated fewer times than half their length are left over
    (``make_plan`` splits them), so they are not serialised at all."""
    # equal serialisations imply equal shape ids: serialise only the items whose
    # shape id is shared by at least ``min_group`` items (cheap pre-filter)
    sids: dict[int, list] = {}
    for idx, root in items:
        sids.setdefault(canon.shape_id(root), []).append((idx, root))
    rest: list = []
    candidates: list = []
    nodes = canon.ir.nodes
    for members in sids.values():
        n = nodes[members[0][1]]
        few = len(members) < min_group or \
            (long_sums and n[0] == "lin" and len(members) < (len(n[3]) + 1) // 2)
        (rest if few else candidates).extend(members)
    by_key: dict[tuple, Group] = {}
    for idx, root in candidates:
        key, ints, floats = canon.serialize(root)
        g = by_key.get(key)
        if g is None:
            g = by_key[key] = Group(target, key)
        g.members.append((idx, ints, floats, root))
    groups = []
    for g in by_key.values():
        if len(g.members) >= min_group:
            groups.append(g)
        else:
            rest.extend((idx, root) for idx, _, _, root in g.members)
    return groups, rest


def _chunk(ir: IR, items: Sequence[tuple[str, int, int]], chunk_ops: int) -> list:
    """Split straight-line outputs into chunks of at most ~``chunk_ops`` operations."""
    chunks: list = []
    cur: list = []
    seen: set = set()
    ops = 0
    for target, idx, root in items:
        new = [k for k in ir.reachable([root]) if k not in seen]
        cost = sum(node_ops(ir.nodes[k]) for k in new) + 1
        if cur and ops + cost > chunk_ops:
            chunks.append(cur)
            cur, seen, ops = [], set(), 0
            new = ir.reachable([root])
            cost = sum(node_ops(ir.nodes[k]) for k in new) + 1
        cur.append((target, idx, root))
        seen.update(new)
        ops += cost
    if cur:
        chunks.append(cur)
    return chunks


def _complete_inputs(ir: IR, units: dict, min_group: int) -> None:
    """When the terms of split sums use most elements of an array argument as they are
    (first-order rates ``k * u[i]``), add the unused elements as units too: copying
    them is then one loop ``w[j] = u[j]`` with no index table."""
    count: dict[int, int] = {}
    for node in units:
        n = ir.nodes[node]
        if n[0] == "in" and n[2] >= 0:
            count[n[1]] = count.get(n[1], 0) + 1
    for pos, c in count.items():
        size = ir.argmap.sizes[pos]
        if min_group <= c < size <= 2 * c:
            for e in range(size):
                units.setdefault(ir.node(("in", pos, e)), len(units))


def make_plan(ir: IR, roots: Sequence[int], *, reroll: bool = True, min_group: int = 4,
              chunk_ops: int = 400, split_sums: int = 32) -> Plan:
    """Plan the evaluation of ``roots`` (output ``k`` is ``roots[k]``).

    ``min_group``: smallest group emitted as a loop; ``chunk_ops``: size bound of a
    straight-line function; ``split_sums``: when more than this many outputs are
    left over after grouping whole outputs, their sums are split into terms
    (grouped into loops over a work vector) and a segment sum.
    """
    plan = Plan(n_out=len(roots))
    items = list(enumerate(roots))
    if not reroll or len(roots) < min_group:
        plan.chunks = _chunk(ir, [("out", i, r) for i, r in items], chunk_ops)
        return plan
    canon = Canon(ir)
    groups, rest = _group(canon, items, "out", min_group, long_sums=True)
    # a few repeats of a long sum are cheaper as split sums than as a loop with big tables
    keep = []
    for g in groups:
        if ir.nodes[g.members[0][3]][0] == "lin" and len(g.members) < len(g.entries) // 2:
            rest.extend((idx, root) for idx, _, _, root in g.members)
        else:
            keep.append(g)
    plan.groups = groups = keep
    straight: list = []
    sums = [(i, r) for i, r in rest if ir.nodes[r][0] == "lin"]
    if len(rest) > split_sums and len(sums) > split_sums // 2:
        others = [(i, r) for i, r in rest if ir.nodes[r][0] != "lin"]
        units: dict[int, int] = {}
        rows, consts, indptr, cols, coefs = [], [], [0], [], []
        for i, r in sorted(sums):
            n = ir.nodes[r]
            rows.append(i)
            consts.append(n[1])
            for c, ch in zip(n[2], n[3]):
                cols.append(units.setdefault(ch, len(units)))
                coefs.append(c)
            indptr.append(len(cols))
        _complete_inputs(ir, units, min_group)
        ugroups, urest = _group(canon, [(k, u) for u, k in units.items()], "w", min_group)
        # renumber w so that every loop writes a contiguous range (no output-index table),
        # members in the order of the inputs they read (a copy of u becomes w[j] = u[j])
        remap: dict[int, int] = {}
        for g in ugroups:
            g.members.sort(key=lambda m: m[1])
            g.members = [(remap.setdefault(k, len(remap)), ints, fl, root)
                         for k, ints, fl, root in g.members]
        urest = [(remap.setdefault(k, len(remap)), u) for k, u in urest]
        cols = [remap[c] for c in cols]
        plan.groups.extend(ugroups)
        straight.extend(("w", k, u) for k, u in urest)
        plan.n_work = len(units)
        plan.segsum = SegmentSum(rows, consts, indptr, cols, coefs)
        rest = others
    straight.extend(("out", i, r) for i, r in rest)
    plan.chunks = _chunk(ir, straight, chunk_ops)
    return plan
