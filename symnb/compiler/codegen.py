"""Printing a plan as readable Python source (the same text numba compiles).

One assignment per shared IR node (``v3 = u[0] * u[1]``), nodes used once are
inlined; a denominator shared by several products is divided once
(``v4 = 1.0 / u[2]``); loops over index tables for groups, straight-line helper functions
(``_chunk0``...) for leftovers (written into the entry function when they are short), a
segment sum for split sums.  Table arrays are module globals named ``_I0`` (ints), ``_F0``
(floats), ``_S*`` (segment sum); numba freezes them into the machine code, unless they are
big enough to be passed as arguments: with ``table_args=True`` the entry function then
takes them first, ``def f(_I0, _SP, out, u):``, and ``Module.table_params`` names them.

>>> from symnb.terms import symbols, sin
>>> from symnb.compiler.ssa import IR, ArgMap
>>> x, y = symbols("x y")
>>> ir = IR(ArgMap([x, y]))
>>> r = ir.lower(sin(x * y) ** 2 + x * y)
>>> print(generate_scalar(ir, r, ["x", "y"]).source.split("\\n", 1)[1])
def f(x, y):
    v0 = y * x
    v1 = sin(v0)
    return v0 + v1 * v1
<BLANKLINE>
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .columns import Columns
from .ir import Call, Const, ConstSlot, In, InSlot, Leaf, Lin, Node, Pow, Prod, Recip, children
from .shapes import Group, Plan, SegmentSum
from .ssa import IR
from .table_args import pass_tables

__all__ = ["Module", "generate_scalar", "generate_array", "float_literal", "index_dtype",
           "index_table", "hoist_reciprocals", "print_dag", "slice_segments", "pack16", "unpack16"]

_CALL_NAMES = {"Abs": "abs", "sign": "_sign"}

#: index tables whose entries are all below this are packed, 16 bits per index
PACK_BELOW = 2**16

#: straight-line leftovers of at most this many lines in all are written into the entry
#: function, not into ``_chunk*`` helpers (each one a separate numba compile)
INLINE_CHUNK_LINES = 64


def pack16(columns: Sequence[Any]) -> np.ndarray:
    """Two to four index columns (entries < 2**16) packed into one uint64 per row.

    >>> pack16([[1, 2], [3, 4]]).tolist() == [1 | 3 << 16, 2 | 4 << 16]
    True
    """
    word = np.zeros(len(columns[0]), dtype=np.uint64)
    for c, col in enumerate(columns):
        word |= np.asarray(col, dtype=np.uint64) << np.uint64(16 * c)
    return word


def unpack16(word: str, count: int) -> list[str]:
    """Source reading the ``count`` 16-bit fields of ``word`` (the top one needs no mask).

    >>> unpack16("_I0[j]", 3)
    ['_I0[j] & _M16', '(_I0[j] >> _U16) & _M16', '_I0[j] >> _U32']
    """
    fields = [f"{word} & _M16"] + [f"({word} >> _U{16 * c}) & _M16" for c in range(1, count)]
    fields[-1] = f"{word} >> _U{16 * (count - 1)}" if count > 1 else fields[-1]
    return fields


@dataclass
class Module:
    """Generated source plus the table globals it refers to; ``table_params``: the tables
    the entry function takes as its leading parameters, in order (the caller binds them)."""
    source: str
    tables: dict = field(default_factory=dict)
    entry: str = "f"
    helpers: list = field(default_factory=list)
    functions: set = field(default_factory=set)
    table_params: list = field(default_factory=list)


def index_dtype(top: int) -> Any:
    """Smallest *unsigned* integer type holding ``0..top``: numba (like C) then skips
    the negative-index wrap-around test on every gather, and the tables shrink.

    >>> index_dtype(300), index_dtype(70000), index_dtype(2**40)
    (<class 'numpy.uint16'>, <class 'numpy.uint32'>, <class 'numpy.int64'>)
    """
    if top < 2**8:
        return np.uint8
    if top < 2**16:
        return np.uint16
    if top < 2**32:
        return np.uint32
    return np.int64


def index_table(a: Any) -> np.ndarray:
    """``a`` (non-negative integers) as a C-contiguous table of the smallest unsigned type."""
    a = np.asarray(a, dtype=np.int64)
    top = int(a.max()) if a.size else 0
    return np.ascontiguousarray(a.astype(index_dtype(top)))


def float_literal(v: float) -> str:
    """Source text for a float (``inf``/``nan`` are names the backends define)."""
    v = float(v)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "(-inf)"
    return repr(v)


class _Expr:
    """Source text with its precedence: 3 atom, 2 power, 1 product, 0 sum."""
    __slots__ = ("text", "prec")

    def __init__(self, text: str, prec: int) -> None:
        self.text = text
        self.prec = prec

    def at(self, prec: int) -> str:
        return self.text if self.prec >= prec else f"({self.text})"


def _leaf_float(v: Any) -> _Expr:
    if isinstance(v, str):
        return _Expr(v, 3)
    t = float_literal(v)
    return _Expr(t, 1 if t.startswith("-") else 3)


MAX_INLINE_DEPTH = 40
"""Nodes used once are inlined up to this nesting depth, then assigned to a name (CPython's
compiler fails on source nested a few hundred levels deep, e.g. a 3,000-level power tower)."""


def print_dag(entries: Sequence[Node], outs: Sequence[tuple[str | None, int]],
              indent: str, prefix: str = "v") -> list[str]:
    """Lines evaluating a local DAG.

    ``entries`` (``ir.py``), referring to earlier entries by position: ``Leaf(text,
    prec)``, ``Lin(const, coefs, refs)``, ``Prod(coef, numer, denom)``, ``Pow(b, e)``,
    ``Call(name, refs)``; coefficients/constants are floats (printed, folded when
    0/1/-1) or source text.  ``outs``: ``(lhs, ref)``; ``lhs`` None means ``return``.
    """
    entries, outs = hoist_reciprocals(entries, outs)
    uses = [0] * len(entries)
    for e in entries:
        for r in children(e):
            uses[r] += 1
    for _, r in outs:
        uses[r] += 1
    exprs: list = [None] * len(entries)
    depth = [0] * len(entries)    # nesting of the inlined text (0: a name or a leaf)
    lines: list[str] = []
    nvar = 0
    for k, e in enumerate(entries):
        if type(e) is Leaf:
            ex = _Expr(e.text, e.prec)
            assign = uses[k] > 1 and "[" in e.text
        else:
            ex = _format(e, exprs)
            depth[k] = 1 + max((depth[r] for r in children(e)), default=0)
            assign = uses[k] > 1 or depth[k] > MAX_INLINE_DEPTH
        if assign:
            name = f"{prefix}{nvar}"
            nvar += 1
            lines.append(f"{indent}{name} = {ex.text}")
            ex = _Expr(name, 3)
            depth[k] = 0
        exprs[k] = ex
    for lhs, r in outs:
        if lhs is None:
            lines.append(f"{indent}return {exprs[r].text}")
        else:
            lines.append(f"{indent}{lhs} = {exprs[r].text}")
    return lines


def hoist_reciprocals(entries: Sequence[Node], outs: Sequence[tuple[str | None, int]]
                      ) -> tuple[list, list]:
    """A denominator shared by two or more products is divided once: ``r = 1.0 / d``,
    and the products multiply by ``r`` (a division costs several multiplications).

    >>> e = [Leaf("x", 3), Leaf("y", 3), Prod(1.0, (1,), (0,)), Prod(2.0, (), (0,)),
    ...      Lin(0.0, (1.0, 1.0), (2, 3))]
    >>> print("\\n".join(print_dag(e, [(None, 4)], "")))
    v0 = 1.0 / x
    return y * v0 + 2.0 * v0
    """
    count: dict[int, int] = {}
    for e in entries:
        if type(e) is Prod:
            for d in set(e.denom):
                count[d] = count.get(d, 0) + 1
    hoist = {d for d, c in count.items() if c >= 2}
    if not hoist:
        return list(entries), list(outs)
    new: list = []
    remap: dict[int, int] = {}
    recip: dict[int, int] = {}
    for k, e in enumerate(entries):
        match e:
            case Lin(const, coefs, refs):
                e = Lin(const, coefs, tuple(remap[r] for r in refs))
            case Prod(coef, numer, denom):
                num = [remap[r] for r in numer]
                den = []
                for d in denom:
                    if d in hoist:
                        num.append(recip[d])
                    else:
                        den.append(remap[d])
                e = Prod(coef, tuple(num), tuple(den))
            case Pow(b, x):
                e = Pow(remap[b], remap[x])
            case Recip(r):
                e = Recip(remap[r])
            case Call(name, refs):
                e = Call(name, tuple(remap[r] for r in refs))
        remap[k] = len(new)
        new.append(e)
        if k in hoist:
            recip[k] = len(new)
            new.append(Recip(remap[k]))
    return new, [(lhs, remap[r]) for lhs, r in outs]


def _format(e: Node, exprs: list) -> _Expr:
    match e:
        case Lin():
            return _format_lin(e, exprs)
        case Prod():
            return _format_prod(e, exprs)
        case Pow(b, x):
            return _Expr(f"{exprs[b].at(3)} ** {exprs[x].at(3)}", 2)
        case Recip(r):
            return _Expr(f"1.0 / {exprs[r].at(3)}", 1)
        case Call(name, refs):
            name = _CALL_NAMES.get(name, name)
            return _Expr(f"{name}({', '.join(exprs[r].text for r in refs)})", 3)
    raise ValueError(f"unknown entry {e!r}")


def _format_lin(e: Lin, exprs: list) -> _Expr:
    parts: list[str] = []
    const = e.const
    if isinstance(const, str) or float(const) != 0.0:
        parts.append(_leaf_float(const).text)
    for c, r in zip(e.coefs, e.children):
        x = exprs[r]
        if isinstance(c, str):
            term, sign = f"{c} * {x.at(2)}", "+"
        else:
            c = float(c)
            if c == 1.0:
                term, sign = x.at(1), "+"
            elif c == -1.0:
                term, sign = x.at(2) if x.text.startswith("-") else x.at(1), "-"
            elif c < 0:
                term, sign = f"{_leaf_float(-c).text} * {x.at(2)}", "-"
            else:
                term, sign = f"{_leaf_float(c).text} * {x.at(2)}", "+"
        if not parts:
            parts.append(term if sign == "+" else f"-{term}")
        else:
            parts.append(f"{sign} {term}")
    if not parts:
        return _Expr("0.0", 3)
    return _Expr(" ".join(parts), 0 if len(parts) > 1 else 1)


def _format_prod(e: Prod, exprs: list) -> _Expr:
    coef, num, den = e.coef, e.numer, e.denom
    if not den and len(num) == 1 and not isinstance(coef, str) and float(coef) == 1.0:
        return exprs[num[0]]          # e.g. a hoisted reciprocal alone
    factors = [exprs[r].at(2) if k else exprs[r].at(1) for k, r in enumerate(num)]
    neg = False
    if isinstance(coef, str):
        factors.insert(0, coef)
    elif float(coef) == -1.0 and factors:
        neg = True
    elif float(coef) != 1.0 or not factors:
        factors.insert(0, _leaf_float(coef).text)
    text = " * ".join(factors)
    if neg and text.startswith("-"):
        text = f"({text})"
    if den:
        d = [exprs[r] for r in den]
        dt = d[0].at(3) if len(d) == 1 else "(" + " * ".join(x.at(2) for x in d) + ")"
        text = f"{text} / {dt}"
    if neg:
        text = "-" + text
    return _Expr(text, 1)


# ----------------------------------------------------------------------
def _ir_entries(ir: IR, roots: Sequence[int], argnames: Sequence[str]) -> tuple[list, dict]:
    """Printer entries for the IR nodes reachable from ``roots`` (literal leaves)."""
    order = ir.reachable(roots)
    local: dict[int, int] = {}
    entries: list = []
    for i in order:
        n = ir.nodes[i]
        match n:
            case In(argpos, elem):
                name = argnames[argpos]
                e: Node = Leaf(name if elem < 0 else f"{name}[{elem}]", 3)
            case Const(v):
                x = _leaf_float(v)
                e = Leaf(x.text, x.prec)
            case Lin(const, coefs, chs):
                e = Lin(const, coefs, tuple(local[c] for c in chs))
            case Prod(coef, num, den):
                e = Prod(coef, tuple(local[c] for c in num), tuple(local[c] for c in den))
            case Pow(b, x):
                e = Pow(local[b], local[x])
            case Call(name, args):
                e = Call(name, tuple(local[c] for c in args))
            case _:
                raise ValueError(f"cannot print IR node {n}")
        local[i] = len(entries)
        entries.append(e)
    return entries, local


def generate_scalar(ir: IR, root: int, argnames: Sequence[str], name: str = "f",
                    header: str = "") -> Module:
    """Source of ``def f(*args): return <expr>``."""
    entries, local = _ir_entries(ir, [root], argnames)
    lines = [f"# generated by symnb.compile{header}",
             f"def {name}({', '.join(argnames)}):"]
    lines += print_dag(entries, [(None, local[root])], "    ")
    return Module("\n".join(lines) + "\n", entry=name)


def _affine(vals: Sequence[int]) -> tuple[int, int] | None:
    if isinstance(vals, np.ndarray):    # a column of ``Columns`` members
        return _affine_array(vals)
    if not vals:
        return None
    a = vals[0]
    b = vals[1] - a if len(vals) > 1 else 0
    for k, v in enumerate(vals):
        if v != a + b * k:
            return None
    return a, b


def _affine_array(vals: np.ndarray) -> tuple[int, int] | None:
    """``_affine`` of an integer array."""
    if not len(vals):
        return None
    a = int(vals[0])
    b = int(vals[1]) - a if len(vals) > 1 else 0
    if not np.array_equal(vals, a + b * np.arange(len(vals), dtype=np.int64)):
        return None
    return a, b


def _same_float(col: Any) -> bool:
    """Whether every value of ``col`` equals the first (NaN equal to NaN)."""
    v0 = col[0]
    if isinstance(col, np.ndarray):
        return bool(np.all((col == v0) | (np.isnan(col) & (v0 != v0))))
    return all(v == v0 or (v != v and v0 != v0) for v in col)


def _member_columns(members: Any) -> tuple[list, list]:
    """Integer columns (the output index last) and float columns of a group's members."""
    if isinstance(members, Columns):
        icols = [members.ints[:, c] for c in range(members.ints.shape[1])]
        icols.append(members.out)
        return icols, [members.floats[:, c] for c in range(members.floats.shape[1])]
    ni = len(members[0][1])
    nf = len(members[0][2])
    icols = [[m[1][c] for m in members] for c in range(ni)]
    icols.append([m[0] for m in members])           # output index
    return icols, [[m[2][c] for m in members] for c in range(nf)]


def _top(col: Any) -> int:
    return int(col.max()) if isinstance(col, np.ndarray) else max(col)


def _affine_text(a: int, b: int, var: str) -> str:
    if b == 0:
        return str(a)
    t = var if b == 1 else f"{b} * {var}"
    if a == 0:
        return t
    return f"{t} + {a}" if a > 0 else f"{t} - {-a}"


def _group_code(g: Group, gi: int, argnames: Sequence[str], loop: str,
                tables: dict, comment: str) -> list[str]:
    members = g.members
    n = len(members)
    icols, fcols = _member_columns(members)
    itable: list = []
    iexpr: list = []
    for col in icols:
        aff = _affine(col)
        if aff is not None:
            iexpr.append(_affine_text(aff[0], aff[1], "j"))
        else:
            iexpr.append(len(itable))
            itable.append(col)
    # two to four table columns under 2**16 are packed into one word per member: one
    # load instead of several (egfr_net's products u[a] * u[b]: 0.85 -> 0.72 us)
    packed = 2 <= len(itable) <= 4 and max(map(_top, itable)) < PACK_BELOW
    fields = unpack16(f"_I{gi}[j]", len(itable)) if packed else []
    single = len(itable) == 1      # one column: a 1-D table, one index per load
    iexpr = [e if isinstance(e, str) else fields[e] if packed else
             f"_I{gi}[j]" if single else f"_I{gi}[j, {e}]" for e in iexpr]
    ftable: list = []
    fexpr: list = []
    for col in fcols:
        if _same_float(col):
            fexpr.append(float(col[0]))
        else:
            fexpr.append(f"_F{gi}[j, {len(ftable)}]")
            ftable.append(col)
    if packed:
        word = pack16(itable)
        tables[f"_I{gi}"] = word.astype(np.uint32) if len(itable) == 2 else word
    elif single:
        tables[f"_I{gi}"] = index_table(itable[0])
    elif itable:
        tables[f"_I{gi}"] = index_table(np.array(itable, dtype=np.int64).T)
    if ftable:
        tables[f"_F{gi}"] = np.ascontiguousarray(np.array(ftable, dtype=np.float64).T)
    entries: list = []
    for e in g.entries:
        match e:
            case InSlot(argpos, slot):
                name = argnames[argpos]
                e = Leaf(name if slot < 0 else f"{name}[{iexpr[slot]}]", 3)
            case ConstSlot(slot):
                x = _leaf_float(fexpr[slot])
                e = Leaf(x.text, x.prec)
            case Lin(fc, fcoefs, refs):
                e = Lin(fexpr[fc], tuple(fexpr[s] for s in fcoefs), refs)
            case Prod(fc, num, den):
                e = Prod(fexpr[fc], num, den)
        entries.append(e)
    tgt = "o" if g.target == "out" else "w"
    lines = [f"    # loop {gi}: {n} outputs of one shape, e.g. {tgt}[{members[0][0]}] = {comment}",
             f"    for j in {loop}({n}):"]
    lines += print_dag(entries, [(f"{tgt}[{iexpr[-1]}]", len(entries) - 1)], "        ")
    return lines


def generate_array(ir: IR, plan: Plan, argnames: Sequence[str], out_shape: tuple, *,
                   inplace: bool, parallel: bool = False, header: str = "",
                   describe: Any = None, name: str = "f", fuse: bool = False,
                   table_args: bool = False, inline_lines: int | None = None) -> Module:
    """Source of the array form: ``f(out, *args)`` (in place) or ``f(*args) -> out``.

    ``fuse``: loops over outputs with the same number of members share one ``for``
    (each loop numba compiles costs time; a sparse Jacobian's loops write disjoint
    entries and read only the arguments, so their order does not matter).
    ``table_args``: when the tables together are big (``table_args.pass_tables``), the
    entry takes them as leading parameters, ``f(_I0, ..., out, *args)``, named in order
    in ``Module.table_params``; otherwise they stay globals.
    ``inline_lines`` (default ``INLINE_CHUNK_LINES``): straight-line leftovers of at most
    this many lines in all go into the entry function, longer ones into ``_chunk*`` helpers.

    >>> from symnb.terms import symbols
    >>> from symnb.compiler.ssa import ArgMap
    >>> from symnb.compiler.shapes import make_plan
    >>> y = symbols("y0:40")
    >>> ir = IR(ArgMap([list(y)]))
    >>> roots = [ir.lower(y[(7 * i) % 40] * y[(3 * i) % 40]) for i in range(40)]
    >>> plan = make_plan(ir, roots)
    >>> m = generate_array(ir, plan, ["u"], (40,), inplace=True, table_args=True)
    >>> m.table_params      # a few hundred bytes of tables: globals
    []
    >>> from symnb.compiler import table_args
    >>> saved = table_args.TABLE_ARGUMENTS_BYTES
    >>> try:                # any tables at all count as big
    ...     table_args.TABLE_ARGUMENTS_BYTES = 0
    ...     m = generate_array(ir, plan, ["u"], (40,), inplace=True, table_args=True)
    ... finally:
    ...     table_args.TABLE_ARGUMENTS_BYTES = saved
    >>> m.table_params, [ln for ln in m.source.splitlines() if ln.startswith("def")]
    (['_I0', '_I1'], ['def f(_I0, _I1, out, u):'])
    """
    loop = "prange" if parallel else "range"
    tables: dict = {}
    n = plan.n_out
    body: list[str] = []
    helpers: list[str] = []
    params = ", ".join(argnames)
    work = plan.n_work > 0
    if work:
        # one more slot when there are segment sums: w[n_work] = 0.0 pads their tables
        size = plan.n_work + (plan.segsum is not None)
        body.append(f"    w = np.empty({size})")
    wgroups = [(k, g) for k, g in enumerate(plan.groups) if g.target == "w"]
    ogroups = [(k, g) for k, g in enumerate(plan.groups) if g.target == "out"]
    for k, g in wgroups:
        body += _group_code(g, k, argnames, loop, tables, _describe(describe, g))
    chunk_src: list[str] = []
    chunk_bodies = []
    for chunk in plan.chunks:
        entries, local = _ir_entries(ir, [r for _, _, r in chunk], argnames)
        outs = [(f"{'o' if t == 'out' else 'w'}[{i}]", local[r]) for t, i, r in chunk]
        chunk_bodies.append(print_dag(entries, outs, "    "))
    inline = INLINE_CHUNK_LINES if inline_lines is None else inline_lines
    if sum(map(len, chunk_bodies)) <= inline:
        for lines_ in chunk_bodies:   # a separate numba function costs ~0.03 s to compile
            body += lines_
        chunk_bodies = []
    for ci, lines_ in enumerate(chunk_bodies):
        cname = f"_chunk{ci}"
        helpers.append(cname)
        cparams = "o, w" if work else "o"
        chunk_src.append(f"def {cname}({cparams}, {params}):" if params else
                         f"def {cname}({cparams}):")
        chunk_src += lines_
        chunk_src.append("")
        body.append(f"    {cname}({cparams}{', ' + params if params else ''})")
    if plan.segsum is not None:
        body += _segsum_code(plan.segsum, plan.n_work, loop, tables)
    if fuse:
        body += _fused_loops(ogroups, argnames, loop, tables, describe)
    else:
        for k, g in ogroups:
            body += _group_code(g, k, argnames, loop, tables, _describe(describe, g))
    # every table is read by the entry function: only its loops and segment sums make
    # tables (the straight-line chunks read the arguments alone)
    lead = sorted(tables) if table_args and pass_tables(tables) else []
    signature = ", ".join(lead + (["out"] if inplace else []) + list(argnames))
    lines = [f"# generated by symnb.compile{header}"]
    lines += chunk_src
    lines.append(f"def {name}({signature}):")
    if inplace:
        lines.append("    o = out" if len(out_shape) == 1 else f"    o = out.reshape({n})")
    else:
        lines.append(f"    out = np.empty({tuple(out_shape)!r})")
        lines.append("    o = out" if len(out_shape) == 1 else f"    o = out.reshape({n})")
    lines += body
    if not inplace:
        lines.append("    return out")
    return Module("\n".join(lines) + "\n", tables=tables, entry=name, helpers=helpers,
                  table_params=lead)


def _fused_loops(ogroups: list, argnames: Sequence[str], loop: str, tables: dict,
                 describe: Any) -> list[str]:
    """The loops of ``ogroups`` (``(number, group)``), those of one length in one ``for``
    (where the first of them stands)."""
    by_length: dict[int, list] = {}
    for k, g in ogroups:
        by_length.setdefault(len(g.members), []).append((k, g))
    body: list[str] = []
    for same in by_length.values():
        for at, (k, g) in enumerate(same):
            lines = _group_code(g, k, argnames, loop, tables, _describe(describe, g))
            body += lines if at == 0 else ["    " + lines[0]] + lines[2:]
    return body


LANES = 4


def slice_segments(s: SegmentSum, zero: int, lanes: int = LANES) -> dict:
    """Lay a segment sum out in slices of ``lanes`` outputs that advance together.

    Outputs are sorted by their number of terms (longest first, stable) and cut into
    slices of ``lanes``; slice ``j`` runs ``steps[j]:steps[j + 1]``, and step ``k``
    holds one term of every output of the slice: ``cols[k, l]`` (an index into ``w``)
    and ``coefs[k, l]``.  Shorter outputs are padded with ``(zero, 0.0)`` (``w[zero]``
    is 0.0, so a pad adds +0.0 even when other entries of ``w`` are inf or nan), and a
    last, partial slice repeats its last output (the repeat writes the same value).
    ``rows[j * lanes + l]`` is the position in ``s.rows`` of lane ``l`` of slice ``j``.

    >>> s = SegmentSum([0, 1, 2], [0.0] * 3, [0, 1, 1, 4], [5, 6, 7, 8], [1.0, 2.0, 3.0, 4.0])
    >>> t = slice_segments(s, zero=9, lanes=2)
    >>> t["steps"].tolist(), t["rows"].tolist()     # output 1 has no terms
    ([0, 3, 3], [2, 0, 1, 1])
    >>> t["cols"].tolist(), t["coefs"].tolist()
    ([[6, 5], [7, 9], [8, 9]], [[2.0, 1.0], [3.0, 0.0], [4.0, 0.0]])
    """
    indptr = np.asarray(s.indptr, dtype=np.int64)
    length = np.diff(indptr)
    order = np.argsort(-length, kind="stable")
    nrows = len(order)
    nslices = -(-nrows // lanes)
    rows = np.empty(nslices * lanes, dtype=np.int64)
    rows[:nrows] = order
    if nslices * lanes > nrows:
        rows[nrows:] = order[-1]
    depth = length[rows].reshape(nslices, lanes).max(axis=1) if nrows else np.zeros(0, np.int64)
    steps = np.zeros(nslices + 1, dtype=np.int64)
    np.cumsum(depth, out=steps[1:])
    cols = np.full((int(steps[-1]), lanes), zero, dtype=np.int64)
    coefs = np.zeros((int(steps[-1]), lanes))
    src_cols = np.asarray(s.cols, dtype=np.int64)
    src_coefs = np.asarray(s.coefs, dtype=np.float64)
    for j in range(nslices):
        for lane in range(lanes):
            r = rows[j * lanes + lane]
            a, b = indptr[r], indptr[r + 1]
            k = steps[j]
            cols[k:k + b - a, lane] = src_cols[a:b]
            coefs[k:k + b - a, lane] = src_coefs[a:b]
    return {"steps": steps, "rows": rows, "cols": cols, "coefs": coefs}


def _segsum_code(s: SegmentSum, n_work: int, loop: str, tables: dict) -> list[str]:
    """Source of the segment sums, four outputs at a time (see ``slice_segments``).

    Each output has its own accumulator, so the four add chains overlap, and a slice
    needs one loop exit instead of one per output.  With ``w`` indices under 2**16
    the four indices of a step are packed into one uint64 (``_SQ[k]``): one load
    instead of four (measured on egfr_net: segment sums 3.5 -> 2.8 us).  Every index
    and offset is unsigned (``_SP``, ``k`` and the ``np.uint64`` constants), so numba
    emits no negative-index wrap-around test."""
    t = slice_segments(s, n_work)
    lanes = LANES
    nslices = len(t["steps"]) - 1
    tables["_SP"] = t["steps"].astype(np.uint64)
    tables["_SV"] = np.ascontiguousarray(t["coefs"])
    out_rows = np.asarray(s.rows, dtype=np.int64)[t["rows"]]
    tables["_SO"] = index_table(out_rows)
    consts = np.asarray(s.consts, dtype=np.float64)[t["rows"]]
    if np.any(consts != 0.0):
        tables["_SC"] = consts
    packed = n_work < PACK_BELOW
    if packed:
        tables["_SQ"] = pack16(t["cols"].T)
        cols = [f"w[{f}]" for f in unpack16("_SQ[k]", lanes)]
        how = "w indices packed in _SQ[k], 16 bits each"
    else:
        tables["_SQ"] = index_table(t["cols"])
        cols = [f"w[_SQ[k, {lane}]]" for lane in range(lanes)]
        how = "w index _SQ[k, l]"
    lines = [f"    # segment sums: {len(s.rows)} outputs from {len(s.cols)} terms in w, {lanes} "
             "outputs at a time (one",
             f"    # accumulator each), sorted by length and padded with w[{n_work}] = 0.0; "
             "step k of a",
             f"    # slice holds one term per output l: coefficient _SV[k, l], {how}",
             f"    w[{n_work}] = 0.0",
             f"    for j in {loop}({nslices}):",
             "        k = _SP[j]",
             "        end = _SP[j + 1]"]
    lines += [f"        a{lane} = 0.0" for lane in range(lanes)]
    lines.append("        while k < end:")
    lines += [f"            a{lane} += _SV[k, {lane}] * {cols[lane]}" for lane in range(lanes)]
    lines += ["            k += _U1",
              f"        r = {lanes} * j"]
    for lane in range(lanes):
        r = "r" if lane == 0 else f"r + {lane}"
        cterm = f"_SC[{r}] + " if "_SC" in tables else ""
        lines.append(f"        o[_SO[{r}]] = {cterm}a{lane}")
    return lines


def _describe(describe: Any, g: Group) -> str:
    if describe is None:
        return "..."
    try:
        text = describe(g)
    except Exception:  # noqa: BLE001 - a comment must never break codegen
        return "..."
    return text if len(text) <= 80 else text[:77] + "..."
