"""Printing a plan as readable Python source (the same text numba compiles).

One assignment per shared IR node (``v3 = u[0] * u[1]``), nodes used once are
inlined; a denominator shared by several products is divided once
(``v4 = 1.0 / u[2]``); loops over index tables for groups, straight-line helper functions
(``_chunk0``...) for leftovers, a segment sum for split sums.  Table arrays
are module globals named ``_I0`` (ints), ``_F0`` (floats), ``_S*`` (segment
sum); they are passed to the backend as globals (numba freezes them into the
machine code).

>>> from symnb.terms import symbols, sin
>>> from symnb.compile.ssa import IR, ArgMap
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

from .shapes import Group, Plan
from .ssa import IR

__all__ = ["Module", "generate_scalar", "generate_array", "float_literal", "index_dtype",
           "index_table", "hoist_reciprocals", "print_dag"]

_CALL_NAMES = {"Abs": "abs", "sign": "_sign"}


@dataclass
class Module:
    """Generated source plus the table globals it refers to."""
    source: str
    tables: dict = field(default_factory=dict)
    entry: str = "f"
    helpers: list = field(default_factory=list)
    functions: set = field(default_factory=set)


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


def print_dag(entries: Sequence[tuple], outs: Sequence[tuple[str | None, int]],
              indent: str, prefix: str = "v") -> list[str]:
    """Lines evaluating a local DAG.

    ``entries``: ``("leaf", text, prec)``, ``("lin", const, ((coef, ref), ...))``,
    ``("prod", coef, numer, denom)``, ``("pow", b, e)``, ``("call", name, refs)``;
    coefficients/constants are floats (printed, folded when 0/1/-1) or source text.
    ``outs``: ``(lhs, ref)``; ``lhs`` None means ``return``.
    """
    entries, outs = hoist_reciprocals(entries, outs)
    uses = [0] * len(entries)
    for e in entries:
        for r in _refs(e):
            uses[r] += 1
    for _, r in outs:
        uses[r] += 1
    exprs: list = [None] * len(entries)
    lines: list[str] = []
    nvar = 0
    for k, e in enumerate(entries):
        if e[0] == "leaf":
            ex = _Expr(e[1], e[2])
            assign = uses[k] > 1 and "[" in e[1]
        else:
            ex = _format(e, exprs)
            assign = uses[k] > 1
        if assign:
            name = f"{prefix}{nvar}"
            nvar += 1
            lines.append(f"{indent}{name} = {ex.text}")
            ex = _Expr(name, 3)
        exprs[k] = ex
    for lhs, r in outs:
        if lhs is None:
            lines.append(f"{indent}return {exprs[r].text}")
        else:
            lines.append(f"{indent}{lhs} = {exprs[r].text}")
    return lines


def hoist_reciprocals(entries: Sequence[tuple], outs: Sequence[tuple[str | None, int]]
                      ) -> tuple[list, list]:
    """A denominator shared by two or more products is divided once: ``r = 1.0 / d``,
    and the products multiply by ``r`` (a division costs several multiplications).

    >>> e = [("leaf", "x", 3), ("leaf", "y", 3), ("prod", 1.0, (1,), (0,)),
    ...      ("prod", 2.0, (), (0,)), ("lin", 0.0, ((1.0, 2), (1.0, 3)))]
    >>> print("\\n".join(print_dag(e, [(None, 4)], "")))
    v0 = 1.0 / x
    return y * v0 + 2.0 * v0
    """
    count: dict[int, int] = {}
    for e in entries:
        if e[0] == "prod":
            for d in set(e[3]):
                count[d] = count.get(d, 0) + 1
    hoist = {d for d, c in count.items() if c >= 2}
    if not hoist:
        return list(entries), list(outs)
    new: list = []
    remap: dict[int, int] = {}
    recip: dict[int, int] = {}
    for k, e in enumerate(entries):
        kind = e[0]
        if kind == "lin":
            e = ("lin", e[1], tuple((c, remap[r]) for c, r in e[2]))
        elif kind == "prod":
            num = [remap[r] for r in e[2]]
            den = []
            for d in e[3]:
                if d in hoist:
                    num.append(recip[d])
                else:
                    den.append(remap[d])
            e = ("prod", e[1], tuple(num), tuple(den))
        elif kind in ("pow", "recip"):
            e = (kind,) + tuple(remap[r] for r in e[1:])
        elif kind == "call":
            e = ("call", e[1], tuple(remap[r] for r in e[2]))
        remap[k] = len(new)
        new.append(e)
        if k in hoist:
            recip[k] = len(new)
            new.append(("recip", remap[k]))
    return new, [(lhs, remap[r]) for lhs, r in outs]


def _refs(e: tuple) -> tuple:
    kind = e[0]
    if kind == "recip":
        return (e[1],)
    if kind == "lin":
        return tuple(r for _, r in e[2])
    if kind == "prod":
        return tuple(e[2]) + tuple(e[3])
    if kind == "pow":
        return (e[1], e[2])
    if kind == "call":
        return tuple(e[2])
    return ()


def _format(e: tuple, exprs: list) -> _Expr:
    kind = e[0]
    if kind == "lin":
        parts: list[str] = []
        const = e[1]
        if isinstance(const, str) or float(const) != 0.0:
            parts.append(_leaf_float(const).text)
        for c, r in e[2]:
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
    if kind == "prod":
        coef, num, den = e[1], e[2], e[3]
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
    if kind == "pow":
        return _Expr(f"{exprs[e[1]].at(3)} ** {exprs[e[2]].at(3)}", 2)
    if kind == "recip":
        return _Expr(f"1.0 / {exprs[e[1]].at(3)}", 1)
    if kind == "call":
        name = _CALL_NAMES.get(e[1], e[1])
        return _Expr(f"{name}({', '.join(exprs[r].text for r in e[2])})", 3)
    raise ValueError(f"unknown entry {e!r}")


# ----------------------------------------------------------------------
def _ir_entries(ir: IR, roots: Sequence[int], argnames: Sequence[str]) -> tuple[list, dict]:
    """Printer entries for the IR nodes reachable from ``roots`` (literal leaves)."""
    order = ir.reachable(roots)
    local: dict[int, int] = {}
    entries: list = []
    for i in order:
        n = ir.nodes[i]
        kind = n[0]
        if kind == "in":
            name = argnames[n[1]]
            e: tuple = ("leaf", name if n[2] < 0 else f"{name}[{n[2]}]", 3)
        elif kind == "c":
            x = _leaf_float(n[1])
            e = ("leaf", x.text, x.prec)
        elif kind == "lin":
            e = ("lin", n[1], tuple((c, local[ch]) for c, ch in zip(n[2], n[3])))
        elif kind == "prod":
            e = ("prod", n[1], tuple(local[c] for c in n[2]), tuple(local[c] for c in n[3]))
        elif kind == "pow":
            e = ("pow", local[n[1]], local[n[2]])
        elif kind == "call":
            e = ("call", n[1], tuple(local[c] for c in n[2]))
        else:
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
    if not vals:
        return None
    a = vals[0]
    b = vals[1] - a if len(vals) > 1 else 0
    for k, v in enumerate(vals):
        if v != a + b * k:
            return None
    return a, b


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
    ni = len(members[0][1])
    nf = len(members[0][2])
    icols: list[list[int]] = [[m[1][c] for m in members] for c in range(ni)]
    icols.append([m[0] for m in members])           # output index
    fcols = [[m[2][c] for m in members] for c in range(nf)]
    itable: list = []
    iexpr: list[str] = []
    for col in icols:
        aff = _affine(col)
        if aff is not None:
            iexpr.append(_affine_text(aff[0], aff[1], "j"))
        else:
            iexpr.append(f"_I{gi}[j, {len(itable)}]")
            itable.append(col)
    ftable: list = []
    fexpr: list = []
    for col in fcols:
        v0 = col[0]
        if all(v == v0 or (v != v and v0 != v0) for v in col):
            fexpr.append(float(v0))
        else:
            fexpr.append(f"_F{gi}[j, {len(ftable)}]")
            ftable.append(col)
    if itable:
        tables[f"_I{gi}"] = index_table(np.array(itable, dtype=np.int64).T)
    if ftable:
        tables[f"_F{gi}"] = np.ascontiguousarray(np.array(ftable, dtype=np.float64).T)
    entries: list = []
    for e in g.entries:
        kind = e[0]
        if kind == "S":
            name = argnames[e[1]]
            entries.append(("leaf", name if e[2] < 0 else f"{name}[{iexpr[e[2]]}]", 3))
        elif kind == "C":
            x = _leaf_float(fexpr[e[1]])
            entries.append(("leaf", x.text, x.prec))
        elif kind == "lin":
            entries.append(("lin", fexpr[e[1]], tuple((fexpr[s], r) for s, r in e[2])))
        elif kind == "prod":
            entries.append(("prod", fexpr[e[1]], e[2], e[3]))
        else:
            entries.append(e)
    tgt = "o" if g.target == "out" else "w"
    lines = [f"    # loop {gi}: {n} outputs of one shape, e.g. {tgt}[{members[0][0]}] = {comment}",
             f"    for j in {loop}({n}):"]
    lines += print_dag(entries, [(f"{tgt}[{iexpr[-1]}]", len(entries) - 1)], "        ")
    return lines


def generate_array(ir: IR, plan: Plan, argnames: Sequence[str], out_shape: tuple, *,
                   inplace: bool, parallel: bool = False, header: str = "",
                   describe: Any = None, name: str = "f") -> Module:
    """Source of the array form: ``f(out, *args)`` (in place) or ``f(*args) -> out``."""
    loop = "prange" if parallel else "range"
    tables: dict = {}
    n = plan.n_out
    body: list[str] = []
    helpers: list[str] = []
    params = ", ".join(argnames)
    work = plan.n_work > 0
    if work:
        body.append(f"    w = np.empty({plan.n_work})")
    wgroups = [(k, g) for k, g in enumerate(plan.groups) if g.target == "w"]
    ogroups = [(k, g) for k, g in enumerate(plan.groups) if g.target == "out"]
    for k, g in wgroups:
        body += _group_code(g, k, argnames, loop, tables, _describe(describe, g))
    chunk_src: list[str] = []
    for ci, chunk in enumerate(plan.chunks):
        cname = f"_chunk{ci}"
        helpers.append(cname)
        roots = [r for _, _, r in chunk]
        entries, local = _ir_entries(ir, roots, argnames)
        outs = [(f"{'o' if t == 'out' else 'w'}[{i}]", local[r]) for t, i, r in chunk]
        cparams = "o, w" if work else "o"
        chunk_src.append(f"def {cname}({cparams}, {params}):" if params else
                         f"def {cname}({cparams}):")
        chunk_src += print_dag(entries, outs, "    ")
        chunk_src.append("")
        body.append(f"    {cname}({cparams}{', ' + params if params else ''})")
    if plan.segsum is not None:
        s = plan.segsum
        # every index here is unsigned, offsets (_SP, k, and the np.uint64 steps) too: numba
        # then emits no negative-index wrap-around test on the three loads per term
        # (measured on egfr_net: 4.8 -> 3.0 us for the segment sums, int64 offsets vs uint64)
        tables["_SP"] = np.array(s.indptr, dtype=np.uint64)
        tables["_SI"] = index_table(s.cols)
        tables["_SV"] = np.array(s.coefs, dtype=np.float64)
        consts = np.array(s.consts, dtype=np.float64)
        if np.all(consts == 0.0):
            cterm = ""
        else:
            tables["_SC"] = consts
            cterm = "_SC[r] + "
        aff = _affine(s.rows)
        if aff is None:
            tables["_SO"] = index_table(s.rows)
            orow = "_SO[r]"
        else:
            orow = _affine_text(aff[0], aff[1], "r")
        # four partial sums break the add-latency chain of one accumulator
        body += [f"    # segment sums: {len(s.rows)} outputs from {len(s.cols)} terms in w",
                 f"    for r in {loop}({len(s.rows)}):",
                 "        k = _SP[r]",
                 "        end = _SP[r + 1]",
                 "        a0 = 0.0",
                 "        a1 = 0.0",
                 "        a2 = 0.0",
                 "        a3 = 0.0",
                 "        while k + _U3 < end:",
                 "            a0 += _SV[k] * w[_SI[k]]",
                 "            a1 += _SV[k + _U1] * w[_SI[k + _U1]]",
                 "            a2 += _SV[k + _U2] * w[_SI[k + _U2]]",
                 "            a3 += _SV[k + _U3] * w[_SI[k + _U3]]",
                 "            k += _U4",
                 "        while k < end:",
                 "            a0 += _SV[k] * w[_SI[k]]",
                 "            k += _U1",
                 f"        o[{orow}] = {cterm}((a0 + a1) + (a2 + a3))"]
    for k, g in ogroups:
        body += _group_code(g, k, argnames, loop, tables, _describe(describe, g))
    lines = [f"# generated by symnb.compile{header}"]
    lines += chunk_src
    if inplace:
        lines.append(f"def {name}(out{', ' + params if params else ''}):")
        lines.append("    o = out" if len(out_shape) == 1 else f"    o = out.reshape({n})")
    else:
        lines.append(f"def {name}({params}):")
        lines.append(f"    out = np.empty({tuple(out_shape)!r})")
        lines.append("    o = out" if len(out_shape) == 1 else f"    o = out.reshape({n})")
    lines += body
    if not inplace:
        lines.append("    return out")
    return Module("\n".join(lines) + "\n", tables=tables, entry=name, helpers=helpers)


def _describe(describe: Any, g: Group) -> str:
    if describe is None:
        return "..."
    try:
        text = describe(g)
    except Exception:  # noqa: BLE001 - a comment must never break codegen
        return "..."
    return text if len(text) <= 80 else text[:77] + "..."
