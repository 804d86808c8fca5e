"""Sparse Jacobians planned from the shapes of the rows: differentiate each shape once.

Rows of one *shape* (``shapes.Canon``: the same sub-DAG over other input elements)
with the same constants and the same order and coincidences of their state
elements have derivatives of one shape too: the derivative of a member is the
representative's with the member's elements in place of the representative's.  So
one representative row per such class is differentiated, its nonzero derivatives
are lowered and serialised, and every member becomes one more entry of a loop over
index tables, read from the member's own slots.  No per-entry term is built,
lowered or grouped; the CSR position of a member's ``k``-th entry is
``indptr[row] + k`` (a PDE's rows: affine, no index table).  Rows in classes
smaller than ``min_group`` are differentiated one by one and planned as usual.
Classes, tables and loop members (``columns.Columns``) are numpy arrays: no Python
object per row or entry but the rows' own serialisations; the rows' loops come from the
RHS compile's plan when it remembered them (``remember_rows``).

>>> from symnb.terms import symbols
>>> from symnb.compiler.ssa import ArgMap
>>> u = list(symbols("u0:8"))
>>> rows = [u[i] * u[(i + 1) % 8] - 3 * u[i] for i in range(8)]
>>> r = plan_jacobian(rows, u, ArgMap([u]), min_group=4)
>>> r.indptr[:3].tolist(), r.indices[:4].tolist(), [len(g.members) for g in r.plan.groups]
([0, 2, 4], [0, 1, 1, 2], [7, 7])
>>> r.plan.chunks        # the last row wraps around: its own class, straight-line code
[[('out', 14, 19), ('out', 15, 25)]]
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from operator import is_, itemgetter, ne
from typing import Any, Sequence

import numpy as np

from ..terms.core import ZERO, Symbol, Term
from .columns import Columns
from .ir import InSlot, flat_key
from .shapes import Canon, Group, Plan, make_plan
from .ssa import IR, ArgMap

__all__ = ["RowJacobian", "plan_jacobian", "remember_rows", "recall_rows", "argmap_for",
           "csc_positions", "reorder"]


@dataclass
class RowJacobian:
    """A planned sparse Jacobian: ``ir`` and ``plan`` for code generation (output ``k`` is
    CSR entry ``k``), the pattern (``indptr``, ``indices``) and, for comments,
    ``examples`` (IR root -> a derivative term)."""
    ir: IR
    plan: Plan
    indptr: np.ndarray
    indices: np.ndarray
    examples: dict


_RECENT: list = []
"""The latest whole-row lowering ``(rows, argument names, ir, roots, canon, loops)``: a
sparse Jacobian of the rows an RHS compile has just lowered and grouped starts from there."""


def remember_rows(rows: Sequence[Any], argmap: ArgMap, ir: IR, roots: list,
                  canon: Canon, plan: Plan | None = None, min_group: int = 4) -> None:
    """Keep the lowering of ``rows`` (only the latest one is kept).  ``plan``: the rows'
    own plan (``make_plan`` with ``min_group``); when its loops hold every row, they are
    the loops the Jacobian's plan would find again, and it takes them as they are."""
    loops = None
    if plan is not None:
        whole = [g for g in plan.groups if g.target == "out"]
        if sum(len(g.members) for g in whole) == len(roots):
            loops = (min_group, whole)
    _RECENT[:] = [(list(rows), (argmap.symbols, argmap.is_array), ir, roots, canon, loops)]


def recall_rows(rows: Sequence[Any], argmap: ArgMap) -> tuple | None:
    """``(ir, roots, canon, loops)`` remembered for these very terms and argument names
    (``loops``: ``(min_group, groups)`` or None), or None."""
    if not _RECENT:
        return None
    old, names, ir, roots, canon, loops = _RECENT[0]
    if len(old) != len(rows) or names != (argmap.symbols, argmap.is_array) or \
            not all(map(is_, old, rows)):
        return None
    return ir, roots, canon, loops


def argmap_for(args: Sequence[Any]) -> ArgMap:
    """``ArgMap(args)``, or the remembered lowering's own when ``args`` (lists of native
    symbols, native symbols) name the same symbols: no second table of every name.

    >>> from symnb.terms import symbols
    >>> u = list(symbols("u0:3"))
    >>> remember_rows([], ArgMap([u]), IR(ArgMap([u])), [], None)
    >>> argmap_for([u]) is _RECENT[0][2].argmap, argmap_for([u[:2]]).sizes
    (True, [2])
    """
    if _RECENT:
        old = _RECENT[0][2].argmap
        names = _plain_names(args)
        if names is not None and names == (old.symbols, old.is_array):
            return old
    return ArgMap(args)


def _plain_names(args: Sequence[Any]) -> tuple | None:
    """``(names per argument, is_array)`` of lists/tuples of native symbols and native
    symbols; None for anything else."""
    names, is_array = [], []
    for a in args:
        if type(a) is Symbol:
            names.append([a.name])
            is_array.append(False)
        elif type(a) in (list, tuple) and set(map(type, a)) <= {Symbol}:
            names.append([s.name for s in a])
            is_array.append(True)
        else:
            return None
    return names, is_array


def _state_arg(argmap: ArgMap, vars: Sequence[Any]) -> int | None:
    names = [v.name for v in vars]
    for pos, is_arr in enumerate(argmap.is_array):
        if is_arr and argmap.symbols[pos] == names:
            return pos
    return None


def _slot_args(entries: Sequence[Any]) -> dict:
    """Integer slot -> argument position, from a shape's ``InSlot`` entries."""
    return {e.slot: e.argpos for e in entries if type(e) is InSlot and e.slot >= 0}


def plan_jacobian(rows: Sequence[Term], vars: Sequence[Any], argmap: ArgMap, *,
                  min_group: int = 4, chunk_ops: int = 400,
                  min_share: float = 0.5) -> RowJacobian | None:
    """Plan ``d rows / d vars`` (``vars``: the symbols of one array argument of ``argmap``,
    in order) from the shapes of the rows; ``None`` when that argument is missing or
    fewer than ``min_share`` of the rows fall into classes of ``min_group`` or more."""
    from ..terms.calculus import diff_many, free_symbols
    sp = _state_arg(argmap, vars)
    if sp is None:
        return None
    lookup = argmap.lookup

    def columns(row: Term) -> list:
        """The sorted columns of the state variables in ``row``."""
        found = []
        for s in free_symbols(row):
            w = lookup(getattr(s, "name", None))
            if w is not None and w[0] == sp and vars[w[1]] == s:
                found.append(w[1])
        return sorted(found)
    hit = recall_rows(rows, argmap)
    if hit is None:
        ir = IR(argmap)
        roots = [ir.lower(r) for r in rows]
        canon = Canon(ir)
        loops = None
    else:
        ir, roots, canon, loops = hit
    if ir.missing:
        return None
    groups = _loop_tables(loops[1]) if loops is not None and loops[0] == min_group else \
        _row_groups(canon, roots, min_group)
    classes: list = []   # (group, member positions), classes in order of first member
    tables = []          # per group: (state slots, ints as an array, output indices)
    for gi, (entries, idx, M, floats) in enumerate(groups):
        slots = _slot_args(entries)
        state = [s for s, a in sorted(slots.items()) if a == sp]
        tables.append((state, M, idx))
        classes += [(gi, which) for which in _classes(floats, M[:, state])]
    big = [(gi, which) for gi, which in classes if len(which) >= min_group]
    if sum(len(m) for _, m in big) < min_share * len(rows):
        return None
    counts = np.zeros(len(rows), dtype=np.int64)
    templates = []      # (ints, rows, [(state slot of the variable, key, dfloats, root, term,
    templated = np.zeros(len(rows), dtype=bool)   # slot_of)]) per class
    for gi, which in big:
        state, M, idx = tables[gi]
        Mc, rows_c = M[which], idx[which]
        rep_idx, rep_ints = int(rows_c[0]), Mc[0].tolist()
        row = rows[rep_idx]
        deps = columns(row)
        slots = _slot_args(groups[gi][0])
        if sorted({rep_ints[s] for s in state}) != deps:
            continue   # the row's variables are not its state slots: plan it entry by entry
        where: dict = {}
        for s in sorted(slots):
            where.setdefault((slots[s], rep_ints[s]), s)
        rank = _dense_ranks(Mc[:1, state])[0].tolist()
        of_rank = {}
        for s, r in zip(state, rank):
            of_rank.setdefault(r, s)      # a state slot holding the r-th smallest variable
        entries = []
        for r_j, (j, d) in enumerate(zip(deps, diff_many(row, [vars[j] for j in deps]))):
            if d is ZERO:
                continue
            r = ir.lower(d)
            key, dints, dfloats = canon.serialize(r)
            dslots = _slot_args(Canon.entries(key))
            slot_of = [where.get((dslots[t], v)) for t, v in enumerate(dints)]
            if None in slot_of:
                break
            entries.append((of_rank[r_j], key, dfloats, r, d, slot_of))
        else:
            counts[rows_c] = len(entries)
            templated[rows_c] = True
            templates.append((Mc, rows_c, entries))
    rest: list = []
    for i in np.flatnonzero(~templated).tolist():
        row = rows[i]
        deps = columns(row)
        nz = [(j, d) for j, d in zip(deps, diff_many(row, [vars[j] for j in deps]))
              if d is not ZERO]
        rest.append((i, nz))
        counts[i] = len(nz)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    examples: dict = {}
    by_key: dict = {}   # key -> blocks of members (outputs, ints, floats, root)
    for Mc, rows_c, entries in templates:
        start = indptr[rows_c]
        for k, (s_var, key, dfloats, r, d, slot_of) in enumerate(entries):
            indices[start + k] = Mc[:, s_var]
            blocks = by_key.get(key)
            if blocks is None:
                blocks = by_key[key] = []
                examples[r] = d
            blocks.append((start + k, Mc[:, slot_of], dfloats, r))
    pos: list = []
    rest_roots: list = []
    for i, nz in rest:
        start = int(indptr[i])
        for k, (j, d) in enumerate(nz):
            indices[start + k] = j
            r = ir.lower(d)
            examples.setdefault(r, d)
            pos.append(start + k)
            rest_roots.append(r)
    plan = make_plan(ir, rest_roots, min_group=min_group, chunk_ops=chunk_ops)
    _renumber(plan, pos)
    kept = []
    for g in plan.groups:   # a loop of the rows planned one by one joins a template's loop
        same = by_key.get(tuple(flat_key(e) for e in g.entries)) if g.target == "out" else None
        if same is None:
            kept.append(g)
        else:
            same.extend(([i], [ints], fl, root) for i, ints, fl, root in g.members)
    plan.groups = kept
    for key, blocks in by_key.items():
        plan.groups.extend(_split_constants(Canon.entries(key), blocks))
    plan.n_out = int(indptr[-1])
    return RowJacobian(ir, plan, indptr.astype(np.int32), indices, examples)


def csc_positions(indptr: np.ndarray, indices: np.ndarray, n_cols: int) -> np.ndarray:
    """``pos[k]``: where CSR entry ``k`` goes in CSC order (columns, rows ascending).

    >>> csc_positions(np.array([0, 2, 3]), np.array([0, 1, 0]), 2).tolist()
    [0, 2, 1]
    """
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    order = np.lexsort((rows, indices))
    pos = np.empty(len(indices), dtype=np.int64)
    pos[order] = np.arange(len(indices))
    return pos


def reorder(plan: Plan, pos: Sequence[int]) -> None:
    """Write output ``k`` of ``plan`` to ``pos[k]`` instead (e.g. CSC order)."""
    _renumber(plan, pos)
    for g in plan.groups:
        if isinstance(g.members, Columns):
            g.members = g.members.sorted()
        else:
            g.members.sort(key=lambda m: m[0])


def _renumber(plan: Plan, pos: Sequence[int]) -> None:
    """Outputs ``k`` of ``plan`` become outputs ``pos[k]`` (work-vector slots stay)."""
    table = np.asarray(pos, dtype=np.int64)
    pos = table.tolist() if plan.chunks or plan.segsum is not None or \
        not all(isinstance(g.members, Columns) for g in plan.groups) else []
    for g in plan.groups:
        if g.target != "out":
            continue
        if isinstance(g.members, Columns):
            c = g.members
            g.members = Columns(table[c.out], c.ints, c.floats, c.roots)
        else:
            g.members = [(pos[i], ints, fl, r) for i, ints, fl, r in g.members]
    plan.chunks = [[(t, pos[i] if t == "out" else i, r) for t, i, r in c] for c in plan.chunks]
    if plan.segsum is not None:
        plan.segsum.rows = [pos[i] for i in plan.segsum.rows]


def _split_constants(entries: tuple, blocks: list, most: int = 4) -> list:
    """Loops of one shape (``entries``) over blocks of members ``(outputs, ints, floats,
    root)``: one loop per distinct tuple of constants when there are at most ``most``
    (the constants are then written inline: no float table to read), else one; members
    as ``Columns`` in output order."""
    tuples = [tuple(b[2]) for b in blocks]
    distinct = list(dict.fromkeys(tuples))
    if len(distinct) == 1 or len(distinct) > most:
        parts = [blocks]
    else:
        parts = [[b for b, t in zip(blocks, tuples) if t == want] for want in distinct]
    return [Group("out", entries, Columns.concat(p).sorted()) for p in parts]


def _row_groups(canon: Canon, roots: list, min_group: int) -> list:
    """The rows' loops as ``shapes._group`` finds them (the same loops, members and order),
    each as ``(entries, row indices, ints as an array, float lists)``; no member tuples.

    >>> from symnb.terms import symbols
    >>> from symnb.compiler.ssa import ArgMap
    >>> u = list(symbols("u0:6"))
    >>> ir = IR(ArgMap([u]))
    >>> roots = [ir.lower(u[i] * u[(i + 1) % 6] + (i % 2) * u[i] ** 3) for i in range(6)]
    >>> [(idx.tolist(), M.tolist()) for _, idx, M, _ in _row_groups(Canon(ir), roots, 3)]
    [([0, 2, 4], [[1, 0], [2, 3], [4, 5]]), ([1, 3, 5], [[2, 1], [4, 3], [0, 5]])]
    """
    if not roots:
        return []
    sids = np.fromiter(map(canon.shape_id, roots), dtype=np.int64, count=len(roots))
    # rows by shape id, shapes in order of their first row; shapes of fewer rows are left
    _, first, inverse, counts = np.unique(sids, return_index=True, return_inverse=True,
                                          return_counts=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    order = np.argsort(rank[inverse], kind="stable")
    cand = order[counts[inverse[order]] >= min_group].tolist()
    ser, serialize = canon._ser, canon.serialize
    hits = list(map(ser.get, [roots[i] for i in cand]))
    for k in [k for k, h in enumerate(hits) if h is None]:
        r = roots[cand[k]]
        hits[k] = ser[r] = serialize(r)
    codes: dict = {}     # shape key -> loop number, loops in order of their first row
    code_list: list = []
    put = code_list.append
    last, c = None, -1
    for h in hits:
        if h[0] != last:      # neighbours mostly share a key: one comparison, no hash
            last = h[0]
            c = codes.setdefault(last, len(codes))
        put(c)
    code = np.array(code_list, dtype=np.int64)
    cand_a = np.array(cand, dtype=np.int64)
    out = []
    by_code = np.argsort(code, kind="stable")
    bounds = np.cumsum(np.bincount(code, minlength=len(codes)))
    for c, key in enumerate(codes):
        if bounds[c] - (bounds[c - 1] if c else 0) < min_group:
            continue
        mine = by_code[(bounds[c - 1] if c else 0):bounds[c]].tolist()
        out.append((Canon.entries(key), cand_a[mine],
                    *_ints_and_floats(list(map(hits.__getitem__, mine)))))
    return out


def _ints_and_floats(items: list) -> tuple[np.ndarray, list]:
    """The ints (``item[1]``) of ``items`` as one array, a row each, and their float lists
    (``item[2]``): of serialisations ``(key, ints, floats)`` or of group members."""
    ni = len(items[0][1])
    M = np.fromiter(chain.from_iterable(map(itemgetter(1), items)), dtype=np.int64,
                    count=ni * len(items)).reshape(len(items), ni)
    return M, list(map(itemgetter(2), items))


def _loop_tables(loops: list) -> list:
    """``_row_groups``' tables of loops found already (``shapes.Group``)."""
    return [(g.entries, np.fromiter(map(itemgetter(0), g.members), dtype=np.int64,
                                    count=len(g.members)), *_ints_and_floats(g.members))
            for g in loops]


def _classes(floats: list, S: np.ndarray) -> list:
    """Members of one shape in classes of equal constants (``floats``: a list per member)
    and equal order and coincidences of their state elements (``S``: one row of state
    elements per member): arrays of member positions, classes in order of their first
    member."""
    fl0 = floats[0]
    tag = np.zeros(len(floats), dtype=np.int64)
    seen = {tuple(fl0): 0}    # constants compared as tuples (a NaN equals only itself)
    differ = np.fromiter(map(ne, floats, repeat(fl0)), dtype=bool, count=len(floats))
    for k in np.flatnonzero(differ).tolist():
        tag[k] = seen.setdefault(tuple(floats[k]), len(seen))
    code = _order_codes(S) * len(seen) + tag
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    split = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
    return [split[c] for c in np.argsort(first, kind="stable")]


def _order_codes(S: np.ndarray) -> np.ndarray:
    """One integer per row of ``S``, equal for rows whose entries have the same order and
    coincidences (equal ``_dense_ranks``): the signs of all pairwise differences.

    >>> _order_codes(np.array([[5, 3, 5], [9, 1, 9], [1, 2, 0]])).tolist()
    [11, 11, 22]
    """
    w = S.shape[1]
    if w * (w - 1) // 2 > 39:       # 3**39 < 2**63 <= 3**40
        return _row_codes(_dense_ranks(S))
    code = np.zeros(len(S), dtype=np.int64)
    for a in range(w):
        for b in range(a + 1, w):
            code = code * 3 + (S[:, a] > S[:, b]) + 2 * (S[:, a] < S[:, b])
    return code


def _row_codes(K: np.ndarray) -> np.ndarray:
    """One integer per row of ``K`` (non-negative integers), equal for equal rows only.

    >>> _row_codes(np.array([[1, 9, 2], [1, 9, 3], [1, 9, 2]])).tolist()
    [2, 3, 2]
    >>> _row_codes(np.array([[2**40, 1], [2**40, 2**40], [1, 1]])).tolist()
    [2, 3, 0]
    """
    K = K[:, np.flatnonzero((K != K[:1]).any(axis=0))]    # constant columns: skip
    if not K.shape[1]:
        return np.zeros(len(K), dtype=np.int64)
    base = int(K.max()) + 1
    if K.shape[1] * np.log2(base) < 62:     # small values (ranks): digits of one number
        return K @ base ** np.arange(K.shape[1], dtype=np.int64)
    code = np.zeros(len(K), dtype=np.int64)
    distinct = 1
    for col in K.T:
        values, inv = np.unique(col, return_inverse=True)
        if distinct * len(values) >= 2**62:
            code = np.unique(code, return_inverse=True)[1]
            distinct = int(code.max()) + 1
        code = code * len(values) + inv
        distinct *= len(values)
    return code


def _dense_ranks(S: np.ndarray) -> np.ndarray:
    """Each row's entries replaced by their rank among the row's distinct values.

    >>> _dense_ranks(np.array([[5, 3, 5], [1, 2, 0]])).tolist()
    [[1, 0, 1], [1, 2, 0]]
    """
    if S.size == 0:
        return S.copy()
    order = np.argsort(S, axis=1, kind="stable")
    srt = np.take_along_axis(S, order, axis=1)
    dense = np.zeros_like(S)
    dense[:, 1:] = np.cumsum(srt[:, 1:] != srt[:, :-1], axis=1)
    ranks = np.empty_like(S)
    np.put_along_axis(ranks, order, dense, axis=1)
    return ranks
