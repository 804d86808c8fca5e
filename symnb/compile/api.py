"""``compile`` and ``compile_array``: the public entry points.

Division by zero and functions outside their domain follow IEEE in every
backend (``1/0 -> inf``, ``0/0 -> nan``, ``log(-1) -> nan``), as ``evaluate`` does.

>>> from symnb.terms import symbols, sin
>>> x, y = symbols("x y")
>>> f = compile(sin(x) * y + x ** 2, args=[x, y], backend="python")
>>> round(f(0.5, 2.0), 12)
1.208851077208
>>> u = symbols("u0:3")
>>> rhs = compile_array([u[1], -u[0], u[0] * u[2]], args=[list(u)], inplace=True,
...                     backend="python")
>>> import numpy as np
>>> du = np.empty(3); rhs(du, np.array([1.0, 2.0, 3.0])); du
array([ 2., -1.,  3.])
"""
from __future__ import annotations

import builtins
import keyword
import time
from typing import Any, Sequence

import numpy as np

from .backends import BACKENDS, build
from .codegen import generate_array, generate_scalar
from .compiled import Compiled
from .shapes import make_plan
from .ssa import IR, ArgMap, tree_ops

__all__ = ["compile", "compile_array"]

_RESERVED = {"o", "w", "out", "j", "r", "k", "end", "a0", "a1", "a2", "a3", "np", "inf", "nan", "prange", "f",
             "abs", "range"} | set(dir(builtins)) | set(keyword.kwlist)
_RESERVED |= {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log",
              "sqrt", "atan2", "asinh", "acosh", "atanh", "erf", "erfc", "gamma", "loggamma",
              "floor", "ceiling"}


def _flatten(exprs: Any) -> tuple[list, tuple]:
    """Flatten nested lists / object arrays / sympy matrices; return (items, shape)."""
    if hasattr(exprs, "tolist") and not hasattr(exprs, "free_symbols") or \
            (hasattr(exprs, "tolist") and hasattr(exprs, "shape") and hasattr(exprs, "rows")):
        exprs = exprs.tolist()
    if not isinstance(exprs, (list, tuple)):
        raise TypeError("compile_array needs a sequence (or nested sequences) of expressions")

    def shape_of(x: Any) -> tuple:
        if isinstance(x, (list, tuple)):
            if not x:
                return (0,)
            s = shape_of(x[0])
            return (len(x),) + s
        return ()

    shape = shape_of(exprs)
    flat: list = []

    def walk(x: Any, depth: int) -> None:
        if depth == len(shape):
            if isinstance(x, (list, tuple)):
                raise ValueError("ragged nested expression lists")
            flat.append(x)
            return
        if not isinstance(x, (list, tuple)) or len(x) != shape[depth]:
            raise ValueError("ragged nested expression lists")
        for y in x:
            walk(y, depth + 1)

    walk(exprs, 0)
    return flat, shape


def _argnames(argmap: ArgMap, names: Sequence[str] | None) -> list[str]:
    if names is not None:
        names = list(names)
        if len(names) != len(argmap):
            raise ValueError(f"names has {len(names)} entries for {len(argmap)} args")
        for n in names:
            if not n.isidentifier() or n in _RESERVED or n.startswith("_") or \
                    (n[0] == "v" and n[1:].isdigit()):
                raise ValueError(f"argument name {n!r} is not usable in generated code")
        if len(set(names)) != len(names):
            raise ValueError("argument names must be distinct")
        return names
    out: list[str] = []
    array_names = iter(["u", "p", "q", "z", "s"])
    for pos, is_arr in enumerate(argmap.is_array):
        cand = None
        if is_arr:
            cand = next(array_names, None)
        else:
            n = argmap.symbols[pos][0]
            if n.isidentifier() and n not in _RESERVED and not n.startswith("_") and \
                    not (n[0] == "v" and n[1:].isdigit()):
                cand = n
        if cand is None or cand in out or any(cand == argmap.symbols[q][0] and
                                              not argmap.is_array[q] and q != pos
                                              for q in range(len(argmap))):
            cand = f"a{pos}"
        out.append(cand)
    return out


def _check_missing(ir: IR) -> None:
    if ir.missing:
        raise ValueError(f"free symbol(s) not in args: {', '.join(sorted(ir.missing))}")


def _numba_types(argmap: ArgMap, out_ndim: int | None) -> list:
    import numba
    arr = numba.types.Array(numba.float64, 1, "C")
    sig = [] if out_ndim is None else [numba.types.Array(numba.float64, out_ndim, "C")]
    sig += [arr if a else numba.float64 for a in argmap.is_array]
    return sig


def _python_wrapper(py: Any, argmap: ArgMap, inplace: bool, vectorize: bool) -> Any:
    scalars = [not a for a in argmap.is_array]
    f64 = np.float64

    def call(*args: Any) -> Any:
        if inplace:
            out, rest = args[0], args[1:]
        else:
            out, rest = None, args
        conv = [np.asarray(a, dtype=float) if (vectorize or not s) else f64(a)
                for a, s in zip(rest, scalars)]
        with np.errstate(all="ignore"):
            r = py(*conv) if out is None else py(out, *conv)
        if vectorize and isinstance(r, np.ndarray) and r.ndim == 0:
            return float(r)
        if not inplace and isinstance(r, np.floating):
            return float(r)
        return r
    return call


def _finish(ir: IR, terms: list, roots: list, module: Any, backend: str, form: str,
            argmap: ArgMap, argnames: list, t0: float, *, fastmath: bool, parallel: bool,
            cache: bool, functions: dict | None, out_ndim: int | None, vectorize: bool,
            inplace: bool, plan_summary: dict | None, shape: tuple | None) -> Compiled:
    t1 = time.perf_counter()
    cache_file = None
    cache_state = "off"
    if cache and backend == "numba":
        from .cache import cache_file as _cf
        import numba
        opts = f"{backend}|{form}|fm={fastmath}|par={parallel}|numba={numba.__version__}"
        cache_file = _cf(module.source, module.tables, opts)
        cache_state = "file " + cache_file
    sig = _numba_types(argmap, out_ndim) if backend == "numba" else None
    fn, py = build(module.source, module.entry, module.helpers, module.tables, backend,
                   ir.functions_used, user_functions=functions, signature=sig,
                   fastmath=fastmath, parallel=parallel, cache_file=cache_file,
                   vectorize=vectorize)
    t2 = time.perf_counter()
    if backend == "numba" and cache_file is not None and hasattr(fn, "stats"):
        try:
            hits = sum(fn.stats.cache_hits.values())
            cache_state = "hit" if hits else "miss (stored)"
        except Exception:  # noqa: BLE001
            pass
    stats = {"form": form, "backend": backend, "outputs": len(roots),
             "ops_tree": tree_ops(terms), "ops_cse": ir.count_ops(roots),
             "codegen_seconds": t1 - t0, "compile_seconds": t2 - t1,
             "source_lines": module.source.count("\n"), "cache": cache_state,
             "parallel": parallel, "fastmath": fastmath}
    if plan_summary is not None:
        stats.update(plan_summary)
    wrapper = None
    if backend != "numba":
        wrapper = _python_wrapper(py, argmap, inplace, vectorize)
    return Compiled(fn, module.source, stats, py_func=py, shape=shape, wrapper=wrapper,
                    argnames=tuple(argnames))


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def compile(expr: Any, args: Sequence[Any], *, backend: str = "numba", vectorize: bool = False,
            fastmath: bool = False, cache: bool = False, names: Sequence[str] | None = None,
            functions: dict | None = None) -> Compiled:
    """Compile one expression to ``f(*args) -> float``.

    ``args``: symbols (scalar arguments) or sequences of symbols (array
    arguments, indexed in the generated code).  ``vectorize=True`` gives a
    function broadcasting over array inputs (a numba ufunc; the python/numpy
    backends broadcast through numpy).  A list of expressions is handed to
    ``compile_array``.  Free symbols missing from ``args`` raise ValueError.
    """
    _check_backend(backend)
    if isinstance(expr, (list, tuple)):
        return compile_array(expr, args, backend=backend, fastmath=fastmath, cache=cache,
                             names=names, functions=functions)
    t0 = time.perf_counter()
    argmap = ArgMap(args)
    if vectorize and any(argmap.is_array):
        raise ValueError("vectorize=True needs scalar arguments only")
    argnames = _argnames(argmap, names)
    ir = IR(argmap, functions)
    root = ir.lower(expr)
    _check_missing(ir)
    form = "vectorized" if vectorize else "scalar"
    module = generate_scalar(ir, root, argnames,
                             header=f": form={form}, backend={backend}")
    return _finish(ir, [expr], [root], module, backend, form, argmap, argnames, t0,
                   fastmath=fastmath, parallel=False, cache=cache, functions=functions,
                   out_ndim=None, vectorize=vectorize, inplace=False, plan_summary=None,
                   shape=None)


def compile_array(exprs: Any, args: Sequence[Any], *, inplace: bool = False,
                  backend: str = "numba", parallel: bool = False, fastmath: bool = False,
                  cache: bool = False, names: Sequence[str] | None = None,
                  functions: dict | None = None, reroll: bool = True, min_group: int = 4,
                  chunk_ops: int = 400, form: str | None = None) -> Compiled:
    """Compile an array of expressions (any nesting depth) to an array-valued function.

    ``inplace=True`` gives ``f(out, *args)`` writing into ``out`` (C-contiguous,
    the shape of ``exprs``) with no allocation but a work vector when sums are
    split; otherwise ``f(*args)`` returns a new array.  Outputs of the same shape
    are re-rolled into loops over index tables (``reroll``; groups of at least
    ``min_group``), leftovers are emitted straight-line in helper functions of
    about ``chunk_ops`` operations.  ``parallel=True`` runs the loops under
    ``numba.prange``.  The ``numpy`` backend emits plain straight-line code, as
    ``sympy.lambdify`` does.
    """
    _check_backend(backend)
    t0 = time.perf_counter()
    flat, shape = _flatten(exprs)
    argmap = ArgMap(args)
    argnames = _argnames(argmap, names)
    ir = IR(argmap, functions)
    roots = [ir.lower(e) for e in flat]
    _check_missing(ir)
    if backend == "numpy":
        reroll = False
        parallel = False
    plan = make_plan(ir, roots, reroll=reroll, min_group=min_group, chunk_ops=chunk_ops)
    form = form or ("in-place" if inplace else "array")

    def describe(g: Any) -> str:
        if g.target != "out":
            return "a term of the split sums"
        from ..terms.generic import to_string
        try:
            return to_string(flat[g.members[0][0]])
        except Exception:  # noqa: BLE001
            return str(flat[g.members[0][0]])

    module = generate_array(ir, plan, argnames, shape, inplace=inplace, parallel=parallel,
                            header=f": form={form}, backend={backend}", describe=describe)
    return _finish(ir, flat, roots, module, backend, form, argmap, argnames, t0,
                   fastmath=fastmath, parallel=parallel, cache=cache, functions=functions,
                   out_ndim=len(shape) if inplace else None, vectorize=False, inplace=inplace,
                   plan_summary=plan.summary(), shape=shape)
