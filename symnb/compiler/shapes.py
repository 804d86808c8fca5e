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
from operator import itemgetter
from typing import Any, Callable, Sequence

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
        self._tmpl: dict[tuple, tuple | None] = {}  # see _serialize_shallow
        self._reuse: dict[int, int] = {}     # by root shape: template hits - misses
        self._leaf_shapes: set[int] = set()  # shape ids of inputs and constants
        self._over_leaves: set[int] = set()  # of operations whose children are leaves

    def shape_id(self, i: int) -> int:
        sid = self._sid
        s = sid.get(i)
        if s is not None:
            return s
        kids = self.ir.kids
        kk = kids[i]
        add = self._add_shape
        for c in kk:
            if c not in sid:
                break
        else:
            return add(i)    # a new output over shared sub-terms
        # the nodes under i without a shape id, children first, in postorder_from's
        # order (last child first; the numbering of shapes follows it): inline two
        # levels down, the general walk below that
        for c in reversed(kk):
            if c in sid:
                continue
            for g in reversed(kids[c]):
                if g not in sid:
                    for x in kids[g]:
                        if x not in sid:
                            for k in _postorder_new(i, kids, sid):
                                add(k)
                            return sid[i]
                    add(g)
            add(c)
        return add(i)

    def _add_shape(self, k: int) -> int:
        """Number the shape of node ``k``, whose children have shape ids."""
        sid = self._sid
        n = self.ir.nodes[k]
        t = type(n)
        get = sid.__getitem__
        if t is In:
            key: tuple = (In, n.argpos)
        elif t is Const:
            key = (Const,)
        elif t is Lin:
            key = (Lin, tuple(sorted(map(get, n.children))))
        elif t is Prod:
            key = (Prod, tuple(sorted(map(get, n.numer))), tuple(sorted(map(get, n.denom))))
        elif t is Pow:
            key = (Pow, sid[n.base], sid[n.exp])
        elif t is Call:
            key = (Call, n.name, tuple(map(get, n.args)))
        else:
            key = (t, n)
        intern = self._sintern
        s = intern.get(key)
        if s is None:
            s = intern[key] = len(intern)
            if t is In or t is Const:
                self._leaf_shapes.add(s)
            elif t in _OPERATIONS and self._leaf_shapes.issuperset(
                    [x for part in key[1:] if type(part) is tuple for x in part]
                    if t is not Pow else key[1:]):
                self._over_leaves.add(s)
        sid[k] = s
        return s

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

    def serialize(self, root: int, reuse: bool = False) -> tuple[tuple, list, list]:
        """``(shape, ints, floats)`` of the sub-DAG at ``root``: ``shape`` holds the
        entries' flat keys (``ir.flat_key``), equal for sub-DAGs of one shape;
        ``entries(shape)`` gives the entries.

        The entries are the sub-DAG in depth-first postorder, children of sums and
        products in canonical order: by shape, then (sums) coefficient, then the
        shapes of the child's parents in this output (``context``), so the same
        pattern of sharing gives the same order in every output.  ``reuse``: try
        a template shared with earlier outputs (``_serialize_shallow``), worth it
        where many outputs have the shape id of ``root``; the result is the same."""
        if root not in self._sid:
            self.shape_id(root)   # and so of every node under root
        hit = self._serialize_shallow(root) if reuse else None
        return self._serialize_walk(root) if hit is None else hit

    def _serialize_shallow(self, root: int) -> tuple[tuple, list, list] | None:
        """``serialize`` of a sum or product whose children are leaves or operations
        over leaves (rate terms, stencils: nearly every output); None for any other root.

        Such a sub-DAG is read in a fixed *raw* order: the root's children as stored,
        then the children of each operation among them (at its first occurrence).
        The serialisation depends only on the raw order's shape ids (a node's kind,
        arity, function name; an input's argument, so whether it is a scalar), the
        sharing pattern (which raw positions are one node) and the sums'
        coefficients (they order terms): this *signature* gives a *template*, the
        entries and where the ints and floats come from, then only filled in (the
        outputs of a stencil share a few).  A template is made on the signature's
        second sight, and a root shape whose outputs keep missing stops trying."""
        nodes, allkids, sid = self.ir.nodes, self.ir.kids, self._sid
        shape = sid[root]
        score = self._reuse.get(shape, 0)
        if score < -8:
            return None      # outputs of this shape seldom share a template
        n = nodes[root]
        kind = type(n)
        if kind is Lin:
            vals = [n.const, *n.coefs]
            desc: list = [Lin, n.coefs]
        elif kind is Prod:
            vals = [n.coef]
            desc = [Prod, len(n.numer), len(n.denom)]
        else:
            return None
        rk = allkids[root]
        raw = list(rk)
        get = sid.__getitem__
        rs = list(map(get, rk))
        leaves, over = self._leaf_shapes, self._over_leaves
        ops: list = []
        for j, s in enumerate(rs):
            if s in leaves:
                continue
            if s not in over:
                return None
            c = rk[j]
            if c in ops:
                continue
            m = nodes[c]
            t = type(m)
            if t is Lin:
                desc.append(m.coefs)    # they order the terms; other operations'
                vals.append(m.const)    # arities and names are in their shape ids
                vals += m.coefs
            elif t is Prod:
                vals.append(m.coef)
            ops.append(c)
            ks = allkids[c]
            raw += ks
            rs += map(get, ks)
        # which raw positions are one node: the first position of each (by a scan
        # while short, a dict beyond)
        if len(raw) <= 16:
            desc += (tuple(rs), tuple(map(raw.index, raw)))
        else:
            first: dict[int, int] = {}
            desc += (tuple(rs), tuple([first.setdefault(c, j) for j, c in enumerate(raw)]))
        sig = tuple(desc)
        tmpl = self._tmpl
        tm = tmpl.get(sig, 0)
        if tm == 0:      # made on the second sight: the sums of a network's Jacobian
            tmpl[sig] = None    # often differ in their coefficients
            self._reuse[shape] = score - 1
            return None
        self._reuse[shape] = score + 1
        if tm is None:
            tm = tmpl[sig] = _shallow_template(root, raw, ops, nodes, allkids, sid,
                                               self.context(root) if ops else None)
        entries, ipick, fpick, cpos = tm
        if cpos:
            vals += [nodes[raw[j]].value for j in cpos]
        return entries, [nodes[c][1] for c in ipick(raw)], list(fpick(vals))  # [1]: In.elem

    def _serialize_walk(self, root: int) -> tuple[tuple, list, list]:
        """``serialize`` of any sub-DAG: an iterative depth-first walk."""
        nodes, allkids, sid = self.ir.nodes, self.ir.kids, self._sid
        local: dict[int, int] = {}
        entries: list = []
        ints: list = []
        floats: list = []
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
        >>> u = symbols("canon_a canon_b")   # names no other example uses: the slot
        >>> from symnb.compiler.ssa import ArgMap  # order follows the terms' creation order
        >>> ir = IR(ArgMap([list(u)]))
        >>> shape, ints, floats = Canon(ir).serialize(ir.lower(3 * u[0] * u[1]))
        >>> Canon.entries(shape)[-1], ints, floats
        (Prod(coef=0, numer=(0, 1), denom=()), [1, 0], [3.0])
        """
        return tuple(from_flat(e) for e in shape)


_OPERATIONS = (Lin, Prod, Pow, Call)
_LEAVES = (In, Const)
_REUSE_MIN = 32
"""Outputs of one shape id from which on ``_group`` serialises through templates:
fewer seldom repay making them (the sums of a network's Jacobian differ in order)."""


def _postorder_new(i: int, kids: list, sid: dict) -> list:
    """The nodes under ``i`` without a shape id, each after its children: the order of
    ``postorder_from((i,), lambda k: [c for c in kids[k] if c not in sid])``
    (tested against it), without its pairs and set."""
    order: list = []
    seen: set = set()
    stack = [i]
    pop, push = stack.pop, stack.extend
    while stack:
        k = stack[-1]
        if k in seen:
            pop()
            continue
        new = [c for c in kids[k] if c not in sid and c not in seen]
        if new:
            push(new)
            continue
        pop()
        seen.add(k)
        order.append(k)
    return order


def _sort_refs(refs: tuple, sid: dict, ctx: dict | None) -> tuple:
    """``refs`` (a product's factors) ordered by shape, then by sharing context."""
    if len(refs) < 2:
        return refs
    if ctx is None:
        return tuple(sorted(refs, key=sid.__getitem__))
    return tuple(sorted(refs, key=lambda c: (sid[c], ctx[c])))


def _term_order(n: Lin, sid: dict, ctx: dict | None) -> list:
    """The order of a sum's terms: a stable sort by shape, coefficient, then sharing
    context (positions into ``n.children``)."""
    ch, co = n.children, n.coefs
    if ctx is None:
        keys = list(zip(map(sid.__getitem__, ch), co))
    else:
        keys = list(zip(map(sid.__getitem__, ch), co, map(ctx.__getitem__, ch)))
    return sorted(range(len(ch)), key=keys.__getitem__)


def _shallow_template(root: int, raw: list, ops: list, nodes: list, allkids: list,
                      sid: dict, ctx: dict | None) -> tuple[tuple, Callable, Callable, tuple]:
    """``(entries, int sources, float sources, const positions)`` of a root for
    ``Canon._serialize_shallow``: ints are the elements of the inputs at raw positions
    ``int sources(raw)``; floats are ``float sources(vals)``, where
    ``vals`` is the root's constant and coefficients (a product's coefficient), those
    of each operation in ``ops`` in turn, then the constants at ``const positions``.
    ``ctx``: ``Canon.context(root)``, None if ``ops`` is empty (one level over leaves,
    a rate term: every child's only parent is the root, so it cannot break a tie)."""
    n = nodes[root]
    rk = allkids[root]
    # float offset of each operation's constant (a product's coefficient) in vals
    voff = {root: 0}
    nv = 1 + len(n.coefs) if type(n) is Lin else 1
    for c in ops:
        voff[c] = nv
        m = nodes[c]
        t = type(m)
        nv += 1 + len(m.coefs) if t is Lin else 1 if t is Prod else 0
    local: dict[int, int] = {}
    entries: list = []
    isrc: list = []
    fsrc: list = []
    cpos: list = []

    def leaf(g: int) -> None:
        x = nodes[g]
        local[g] = len(entries)
        if type(x) is In:
            if x.elem < 0:
                entries.append((InSlot, x.argpos, -1))
            else:
                entries.append((InSlot, x.argpos, len(isrc)))
                isrc.append(raw.index(g))
        else:
            entries.append((ConstSlot, len(fsrc)))
            fsrc.append(nv + len(cpos))
            cpos.append(raw.index(g))

    def op(c: int, m: Any, chs: Any) -> None:
        t = type(m)
        if t is Lin:
            perm = _term_order(m, sid, ctx)
            chs = [m.children[j] for j in perm]
        elif t is Prod:
            num, den = _sort_refs(m.numer, sid, ctx), _sort_refs(m.denom, sid, ctx)
            chs = num + den
        for g in chs:
            if g not in local:
                leaf(g)
        o = voff.get(c)
        if t is Lin:
            fc = len(fsrc)
            fsrc.append(o)
            fsrc.extend(o + 1 + j for j in perm)
            e: tuple = (Lin, fc, tuple(range(fc + 1, fc + 1 + len(chs))),
                        tuple([local[g] for g in chs]))
        elif t is Prod:
            fc = len(fsrc)
            fsrc.append(o)
            e = (Prod, fc, tuple([local[g] for g in num]), tuple([local[g] for g in den]))
        elif t is Pow:
            e = (Pow, local[m.base], local[m.exp])
        else:
            e = (Call, m.name, tuple([local[g] for g in m.args]))
        local[c] = len(entries)
        entries.append(e)

    if type(n) is Lin:
        och = [n.children[j] for j in _term_order(n, sid, ctx)]
    else:
        och = list(_sort_refs(n.numer, sid, ctx) + _sort_refs(n.denom, sid, ctx))
    for c in och:
        if c in local:
            continue
        m = nodes[c]
        if type(m) in _LEAVES:
            leaf(c)
        else:
            op(c, m, allkids[c])
    op(root, n, rk)
    return tuple(entries), _picker(isrc), _picker(fsrc), tuple(cpos)


def _picker(positions: list) -> Callable[[Sequence], tuple]:
    """``lambda seq: tuple(seq[j] for j in positions)``, in C."""
    if len(positions) == 1:
        return lambda seq, j=positions[0]: (seq[j],)
    return itemgetter(*positions) if positions else lambda seq: ()


def _group(canon: Canon, items: Sequence[tuple[int, int]], target: str,
           min_group: int, long_sums: bool = False,
           tick: Callable[[int, int], Any] | None = None) -> tuple[list, list]:
    """Group ``(index, root)`` items by shape; returns (groups, leftover items).

    ``long_sums``: sums repeated fewer times than half their length are left over
    (``make_plan`` splits them), so they are not serialised at all."""
    # equal serialisations imply equal shape ids: serialise only the items whose
    # shape id is shared by at least ``min_group`` items (cheap pre-filter)
    sids: dict[int, list] = {}
    known = canon._sid.get
    for idx, root in items:
        s = known(root)
        sids.setdefault(canon.shape_id(root) if s is None else s, []).append((idx, root))
    rest: list = []
    candidates: list = []
    reuse: list = []     # per candidate: serialise through a shared template
    nodes = canon.ir.nodes
    for members in sids.values():
        n = nodes[members[0][1]]
        few = len(members) < min_group or \
            (long_sums and type(n) is Lin and len(members) < (len(n.children) + 1) // 2)
        (rest if few else candidates).extend(members)
        if not few:
            reuse += [len(members) >= _REUSE_MIN] * len(members)
    by_key: dict[tuple, Group] = {}
    done = canon._ser   # equal roots (a Jacobian's many equal constants) once
    shallow = canon._serialize_shallow    # (every candidate has its shape id)
    last: Any = None
    for k, (idx, root) in enumerate(candidates):
        if tick is not None and not k & 4095:
            tick(k, len(candidates))
        hit = done.get(root)
        if hit is None:
            hit = done[root] = reuse[k] and shallow(root) or canon.serialize(root)
        key, ints, floats = hit
        if key is not last:     # outputs through one template share their key object
            g = by_key.get(key)
            if g is None:
                g = by_key[key] = Group(target, canon.entries(key))
            last, add = key, g.members.append
        add((idx, ints, floats, root))
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
