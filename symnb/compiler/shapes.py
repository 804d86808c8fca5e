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
from typing import Any, Callable, Sequence

from ..terms.walk import postorder_from
from .ir import Call, Const, ConstSlot, In, InSlot, Lin, Node, Pow, Prod, from_flat, node_ops
from .ssa import IR

__all__ = ["Group", "SegmentSum", "Plan", "make_plan", "Canon"]


@dataclass
class Group:
    """Outputs (``target[index]``) sharing one shape: ``entries`` is the canonical
    local DAG (see ``Canon``), ``members`` a list of ``(index, ints, floats, root)``."""
    target: str
    entries: tuple[Node, ...]
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

    Entries of the local DAG (``ir.py``), referring to earlier entries by position:
    ``InSlot(argpos, slot)`` an input element (``slot`` -1 for a scalar
    argument), ``ConstSlot(fslot)``, ``Lin(fconst, fcoefs, refs)``,
    ``Prod(fcoef, numer_refs, denom_refs)``, ``Pow(ref, ref)``, ``Call(name, refs)``,
    where ``fconst``, ``fcoefs`` and ``fcoef`` are float-slot numbers.
    """

    def __init__(self, ir: IR) -> None:
        self.ir = ir
        self._sid: dict[int, int] = {}
        self._sintern: dict[tuple, int] = {}
        self._ser: dict[int, tuple] = {}   # serialize's results, by root

    def shape_id(self, i: int) -> int:
        sid = self._sid
        if i in sid:
            return sid[i]
        nodes, kids = self.ir.nodes, self.ir.kids
        # uncached nodes under i, children first (often i alone: a new output over
        # shared sub-terms, which needs no walk)
        for c in kids[i]:
            if c not in sid:
                todo: Any = postorder_from((i,), lambda k: [c for c in kids[k] if c not in sid])
                break
        else:
            todo = (i,)
        for k in todo:
            n = nodes[k]
            t = type(n)
            if t is In:
                key: tuple = (In, n.argpos)
            elif t is Const:
                key = (Const,)
            elif t is Lin:
                key = (Lin, tuple(sorted(sid[c] for c in n.children)))
            elif t is Prod:
                key = (Prod, tuple(sorted(sid[c] for c in n.numer)),
                       tuple(sorted(sid[c] for c in n.denom)))
            elif t is Pow:
                key = (Pow, sid[n.base], sid[n.exp])
            elif t is Call:
                key = (Call, n.name, tuple(sid[c] for c in n.args))
            else:
                key = (t, n)
            sid[k] = self._sintern.setdefault(key, len(self._sintern))
        return sid[i]

    def context(self, root: int) -> dict:
        """For each node under ``root``: the sorted shapes of its parents there (a list,
        compared as a sort key only)."""
        kids = self.ir.kids
        if root not in self._sid:
            self.shape_id(root)
        sid = self._sid       # every node under root has its shape id now
        par: dict[int, list] = {root: []}
        stack = [root]
        pop, push, get = stack.pop, stack.append, par.get
        while stack:
            k = pop()
            s = sid[k]
            for c in kids[k]:
                p = get(c)
                if p is None:
                    par[c] = [s]
                    if kids[c]:
                        push(c)
                else:
                    p.append(s)
        for v in par.values():
            if len(v) > 1:
                v.sort()
        return par

    def serialize(self, root: int) -> tuple[tuple, list, list]:
        """``(shape, ints, floats)`` of the sub-DAG at ``root``: ``shape`` holds the
        entries' flat keys (``ir.flat_key``), equal for sub-DAGs of one shape;
        ``entries(shape)`` gives the entries."""
        nodes, allkids, sid = self.ir.nodes, self.ir.kids, self._sid
        if root not in sid:
            self.shape_id(root)   # and so of every node under root
        local: dict[int, int] = {}
        entries: list = []
        ints: list = []
        floats: list = []
        # one level over leaves (a rate term): every child's only parent is the root,
        # so the sharing context cannot break a tie - skip computing it
        ctx = None
        for c in allkids[root]:
            if type(nodes[c]) not in _LEAVES:
                ctx = self.context(root)
                break
        order: dict[int, tuple] = {}
        stack = [(root, False)]
        pop, push = stack.pop, stack.append
        while stack:
            i, ready = pop()
            if i in local:
                continue
            n = nodes[i]
            kind = type(n)
            if not ready and kind in _OPERATIONS:
                push((i, True))
                # children in canonical order: by shape, then (sums) coefficient, then
                # the shapes of the child's parents in this output (``context``), so the
                # same pattern of sharing gives the same order in every output
                if kind is Lin:
                    if ctx is None:
                        o = sorted(zip(n.coefs, n.children), key=lambda p: (sid[p[1]], p[0]))
                    else:
                        o = sorted(zip(n.coefs, n.children),
                                   key=lambda p: (sid[p[1]], p[0], ctx[p[1]]))
                    order[i] = o
                    chs: Any = [c for _, c in o]
                elif kind is Prod:
                    o = (_sort_refs(n.numer, sid, ctx), _sort_refs(n.denom, sid, ctx))
                    order[i] = o
                    chs = o[0] + o[1]
                else:
                    chs = allkids[i]
                for c in reversed(chs):
                    if c not in local:
                        push((c, False))
                continue
            # entries as flat keys: cheap to build and hash (13k serialisations for egfr)
            if kind is In:
                if n.elem < 0:
                    e: tuple = (InSlot, n.argpos, -1)
                else:
                    e = (InSlot, n.argpos, len(ints))
                    ints.append(n.elem)
            elif kind is Const:
                e = (ConstSlot, len(floats))
                floats.append(n.value)
            elif kind is Lin:
                fc = len(floats)
                floats.append(n.const)
                o = order[i]
                e = (Lin, fc, tuple(range(fc + 1, fc + 1 + len(o))),
                     tuple([local[ch] for _, ch in o]))
                floats.extend([c for c, _ in o])
            elif kind is Prod:
                fc = len(floats)
                floats.append(n.coef)
                num, den = order[i]
                e = (Prod, fc, tuple([local[c] for c in num]), tuple([local[c] for c in den]))
            elif kind is Pow:
                e = (Pow, local[n.base], local[n.exp])
            elif kind is Call:
                e = (Call, n.name, tuple([local[c] for c in n.args]))
            else:
                raise ValueError(f"cannot serialise IR node {n}")
            local[i] = len(entries)
            entries.append(e)
        return tuple(entries), ints, floats

    @staticmethod
    def entries(shape: tuple) -> tuple[Node, ...]:
        """The entries of a ``shape`` from ``serialize``.

        >>> from symnb.terms import symbols
        >>> u = symbols("u0:2")
        >>> from symnb.compiler.ssa import ArgMap
        >>> ir = IR(ArgMap([list(u)]))
        >>> shape, ints, floats = Canon(ir).serialize(ir.lower(3 * u[0] * u[1]))
        >>> Canon.entries(shape)[-1], ints, floats
        (Prod(coef=0, numer=(0, 1), denom=()), [1, 0], [3.0])
        """
        return tuple(from_flat(e) for e in shape)


_OPERATIONS = (Lin, Prod, Pow, Call)
_LEAVES = (In, Const)


def _sort_refs(refs: tuple, sid: dict, ctx: dict | None) -> tuple:
    """``refs`` (a product's factors) ordered by shape, then by sharing context."""
    if len(refs) < 2:
        return refs
    if ctx is None:
        return tuple(sorted(refs, key=sid.__getitem__))
    return tuple(sorted(refs, key=lambda c: (sid[c], ctx[c])))


def _group(canon: Canon, items: Sequence[tuple[int, int]], target: str,
           min_group: int, long_sums: bool = False,
           tick: Callable[[int, int], Any] | None = None) -> tuple[list, list]:
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
            (long_sums and type(n) is Lin and len(members) < (len(n.children) + 1) // 2)
        (rest if few else candidates).extend(members)
    by_key: dict[tuple, Group] = {}
    done = canon._ser   # equal roots (a Jacobian's many equal constants) once
    for k, (idx, root) in enumerate(candidates):
        if tick is not None and not k & 4095:
            tick(k, len(candidates))
        hit = done.get(root)
        if hit is None:
            hit = done[root] = canon.serialize(root)
        key, ints, floats = hit
        g = by_key.get(key)
        if g is None:
            g = by_key[key] = Group(target, canon.entries(key))
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
        if type(n) is In and n.elem >= 0:
            count[n.argpos] = count.get(n.argpos, 0) + 1
    for pos, c in count.items():
        size = ir.argmap.sizes[pos]
        if min_group <= c < size <= 2 * c:
            for e in range(size):
                units.setdefault(ir.node((In, pos, e)), len(units))


def make_plan(ir: IR, roots: Sequence[int], *, reroll: bool = True, min_group: int = 4,
              chunk_ops: int = 400, split_sums: int = 32, sum_loops: int = 6,
              canon: Canon | None = None,
              tick: Callable[[int, int], Any] | None = None) -> Plan:
    """Plan the evaluation of ``roots`` (output ``k`` is ``roots[k]``).

    ``min_group``: smallest group emitted as a loop; ``chunk_ops``: size bound of a
    straight-line function; ``split_sums``: when more than this many outputs are
    left over after grouping whole outputs, their sums are split into terms
    (grouped into loops over a work vector) and a segment sum.  ``sum_loops``: when
    whole sums fall into more shapes than this, every sum is split: numba's compile
    time grows with the number of loops (about 0.1 s each), and the terms of the
    sums fall into a few shapes (a Jacobian of egfr_net: 35 loops took 4.7 s, the
    split form 4 loops).
    """
    plan = Plan(n_out=len(roots))
    items = list(enumerate(roots))
    if not reroll or len(roots) < min_group:
        plan.chunks = _chunk(ir, [("out", i, r) for i, r in items], chunk_ops)
        return plan
    canon = Canon(ir) if canon is None else canon
    groups, rest = _group(canon, items, "out", min_group, long_sums=True, tick=tick)
    # a few repeats of a long sum are cheaper as split sums than as a loop with big tables
    keep = []
    many = sum(type(ir.nodes[g.members[0][3]]) is Lin for g in groups) > sum_loops
    for g in groups:
        if type(ir.nodes[g.members[0][3]]) is Lin and \
                (many or len(g.members) < len(g.entries) // 2):
            rest.extend((idx, root) for idx, _, _, root in g.members)
        else:
            keep.append(g)
    plan.groups = groups = keep
    straight: list = []
    sums = [(i, r) for i, r in rest if type(ir.nodes[r]) is Lin]
    if len(rest) > split_sums and len(sums) > split_sums // 2:
        others = [(i, r) for i, r in rest if type(ir.nodes[r]) is not Lin]
        units: dict[int, int] = {}
        rows, consts, indptr, cols, coefs = [], [], [0], [], []
        for i, r in sorted(sums):
            n = ir.nodes[r]
            rows.append(i)
            consts.append(n.const)
            for c, ch in zip(n.coefs, n.children):
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
