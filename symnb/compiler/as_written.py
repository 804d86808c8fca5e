"""As-written evaluation: every output evaluated as its expression is written.

The baseline of the Symbolics.jl paper's e-graph result (Gowda et al., "High-performance
symbolic-numerics via multiple dispatch"): no common-subexpression elimination (a subterm
used twice is written, and computed, twice) and every power a ``pow`` call, whatever its
exponent.  ``symnb.compile`` does the opposite (CSE, integer powers by multiplication);
this module exists to measure what those two steps are worth, and what an e-graph's
extraction is worth on top of code written this way (tutorial 03, ``benchmarks/egraph.py``).

Two inputs, one emitter over e-nodes (``symnb.egraph.bridge``'s node language: binary
``Add``/``Mul`` chains, ``Div`` of numerator by denominator, ``Pow``):

* terms: written as ``symnb.egraph`` encodes them (``Encoding``);
* an ``EGraphReport`` (``run_egraph(..., keep_graph=True)``): the extracted e-nodes
  themselves, before symnb's canonical constructors would turn ``x*x`` back into ``x^2``.

The function is ``f(out, a)``: ``a`` holds the values of ``args`` in order, ``out``
receives the outputs.  ``jit=False`` runs the same source in the interpreter.

>>> from symnb.terms import symbols
>>> x, y = symbols("x y")
>>> print(as_written_source([x**2*y + x**2, (x + y)/x], [x, y]), end="")
def f(out, a):
    out[0] = math.pow(a[0], 2.0) + math.pow(a[0], 2.0) * a[1]
    out[1] = (a[0] + a[1]) / a[0]
>>> import numpy as np
>>> f = compile_as_written([x**2*y + x**2, (x + y)/x], [x, y], jit=False)
>>> out = np.empty(2); f(out, np.array([3.0, 2.0])); out
array([27.        ,  1.66666667])
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Sequence

from ..egraph.bridge import Encoding
from .backends import _NUMBA_MATH, _exec

__all__ = ["as_written_source", "compile_as_written", "MAX_SOURCE_CHARS"]

#: a bound on the generated source: writing out a DAG with much sharing as trees can
#: grow exponentially
MAX_SOURCE_CHARS = 20_000_000

# the functions the numba backend maps to ``math`` (one table: ``backends._NUMBA_MATH``)
_MATH = {name: f"math.{fn.__name__}" for name, fn in _NUMBA_MATH.items()
         if getattr(fn, "__module__", None) == "math"}
_MATH.update({"Abs": "abs", "abs": "abs"})
_INFIX = {"Add": (" + ", 1), "Sub": (" - ", 1), "Mul": (" * ", 2), "Div": (" / ", 2)}
_ATOM, _UNARY = 4, 3


def _number(v: Any) -> tuple[str, int]:
    f = float(Fraction(v)) if isinstance(v, (int, Fraction)) else float(v)
    if not math.isfinite(f):
        raise ValueError(f"cannot write the number {f} into as-written source")
    return repr(f), (_UNARY if f < 0 else _ATOM)


def _emit(nodes: Sequence[tuple], kids: Callable[[int], Sequence[int]], roots: Sequence[int],
          var: Callable[[str], str]) -> list[str]:
    """One expression string per root; a node shared by several parents is written in
    each of them (no CSE).  Parentheses follow the tree exactly (``a + (b + c)`` keeps
    its grouping), left-folded chains need none."""
    from ..terms.walk import postorder_from
    done: dict[int, tuple[str, int]] = {}
    total = 0
    for i in postorder_from({r: None for r in roots}, lambda i: (k for k in kids(i))):
        n = nodes[i]
        kind = n[0]
        ch = [done[k] for k in kids(i)]
        if kind == "var":
            s = (var(n[1]), _ATOM)
        elif kind in ("num", "flt"):
            s = _number(n[1])
        elif kind == "Mul" and nodes[kids(i)[1]][0] in ("num", "flt") \
                and float(nodes[kids(i)[1]][1]) == -1.0:
            a, p = ch[0]
            s = ("-" + (a if p >= _UNARY else f"({a})"), _UNARY)
        elif kind in _INFIX:
            op, prec = _INFIX[kind]
            (a, pa), (b, pb) = ch
            a = a if pa >= prec else f"({a})"
            b = b if pb > prec else f"({b})"
            s = (a + op + b, prec)
        elif kind == "Neg":
            a, p = ch[0]
            s = ("-" + (a if p >= _UNARY else f"({a})"), _UNARY)
        elif kind == "Pow":
            s = (f"math.pow({ch[0][0]}, {ch[1][0]})", _ATOM)
        elif kind in ("Fn1", "Fn2") and n[1] in _MATH:
            s = (f"{_MATH[n[1]]}({', '.join(c for c, _ in ch)})", _ATOM)
        else:
            what = n[1] if kind in ("Fn1", "Fn2", "FnN") else kind
            raise ValueError(f"as-written evaluation does not know {what!r}; use symnb.compile "
                             "for this expression")
        total += len(s[0])
        if total > MAX_SOURCE_CHARS:
            raise ValueError(f"the as-written source exceeds {MAX_SOURCE_CHARS:,} characters "
                             "(the DAG shares too much to be written out as trees); raise "
                             "symnb.compiler.as_written.MAX_SOURCE_CHARS or use symnb.compile")
        done[i] = s
    return [done[r][0] for r in roots]


def _arg_names(args: Sequence[Any]) -> dict[str, int]:
    enc = Encoding()
    out: dict[str, int] = {}
    for j, s in enumerate(args):
        n = enc.nodes[enc.add(s)]
        if n[0] != "var":
            raise TypeError(f"args must be symbols, got {s!r}")
        out[n[1]] = j
    return out


def _rows(exprs: Any) -> tuple[Sequence[tuple], Callable, list[int]]:
    """(nodes, children of a node, root nodes) of terms or of an e-graph report."""
    if hasattr(exprs, "selection") and hasattr(exprs, "data"):
        d, sel = exprs.data, exprs.selection
        if d is None or sel is None:
            raise ValueError("this EGraphReport kept no e-graph; run it with keep_graph=True")
        # class -> its chosen node; children are classes
        node_of = {c: sel[c] for c in sel}
        nodes = {c: d.nodes[n] for c, n in node_of.items()}
        return nodes, (lambda c: d.children[node_of[c]]), list(exprs.roots)
    if isinstance(exprs, (str, bytes)) or not hasattr(exprs, "__iter__"):
        raise TypeError("as-written evaluation needs a list of expressions or an EGraphReport")
    enc = Encoding()
    roots = [enc.add(e) for e in exprs]
    return enc.nodes, (lambda k: enc.nodes[k][2:] if enc.nodes[k][0] in ("Fn1", "Fn2")
                       else enc.nodes[k][1:] if enc.nodes[k][0] in _NODE_KIDS else ()), roots


_NODE_KIDS = {"Add", "Sub", "Mul", "Div", "Pow", "Neg"}


def as_written_source(exprs: Any, args: Sequence[Any], name: str = "f") -> str:
    """Python source of ``name(out, a)`` writing ``exprs`` (terms or an ``EGraphReport``)
    as written: no CSE, powers as ``math.pow`` calls."""
    if not name.isidentifier() or name in ("out", "a", "math"):
        raise ValueError(f"bad function name {name!r}; use a Python identifier other than "
                         "out, a, math")
    index = _arg_names(args)

    def var(n: str) -> str:
        j = index.get(n)
        if j is None:
            raise ValueError(f"symbol {n!r} is not in args; pass every free symbol in args")
        return f"a[{j}]"

    nodes, kids, roots = _rows(exprs)
    lines = [f"def {name}(out, a):"]
    lines += [f"    out[{i}] = {s}" for i, s in enumerate(_emit(nodes, kids, roots, var))]
    return "\n".join(lines) + "\n"


def compile_as_written(exprs: Any, args: Sequence[Any], *, jit: bool = True) -> Callable:
    """``f(out, a)`` evaluating ``exprs`` as written; numba (``jit=True``, IEEE error
    model, eager float64 compile) or the interpreter.  ``f.source`` is the source."""
    src = as_written_source(exprs, args)
    ns: dict = {"math": math}
    _exec(src, "<symnb-as-written>", ns)
    f = ns["f"]
    if jit:
        import numba
        f = numba.njit("void(float64[::1], float64[::1])", error_model="numpy")(f)
    try:
        f.source = src
    except AttributeError:      # numba dispatchers take attributes too; be safe
        pass
    return f
