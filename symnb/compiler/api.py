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
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Sequence

from .. import config
from ..terms.limits import LimitExceeded
from .backends import Backend, build, get_backend
from .codegen import Module, generate_array, generate_scalar
from .compiled import Compiled
from .gc_pause import gc_paused
from .progress import COMPILE_PHASES, Reporter, reporter_for, reporting
from .row_jacobian import remember_rows
from .shapes import Canon, make_plan
from .ssa import IR, ArgMap
from . import table_args

__all__ = ["compile", "compile_array", "entry_name"]

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


def entry_name(name: str, functions: dict | None = None) -> str:
    """The generated function's name: ``name`` if usable in generated code (``"f"`` is).

    ValueError when ``name`` would hide a name the generated code uses (a math function,
    a reserved or private name, one of ``functions``).

    >>> entry_name("rhs"), entry_name("f")
    ('rhs', 'f')
    >>> entry_name("sin")
    Traceback (most recent call last):
      ...
    ValueError: function name 'sin' is not usable in generated code (it would hide a name the code uses); pick another, e.g. 'h'
    """
    if name == "f":
        return name
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) or \
            name.startswith("_") or (name in _RESERVED) or name in (functions or {}) or \
            (name[0] == "v" and name[1:].isdigit()):
        raise ValueError(f"function name {name!r} is not usable in generated code "
                         f"(it would hide a name the code uses); pick another, e.g. 'h'")
    return name


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


class _Lowered:
    """What lowering + codegen produced (or what the lowering cache returned)."""
    __slots__ = ("module", "functions_used", "ops_tree", "ops_cse", "plan_summary", "seconds")

    def __init__(self, module: Any, functions_used: set, ops_tree: int, ops_cse: int,
                 plan_summary: dict | None, seconds: float) -> None:
        self.module = module
        self.functions_used = set(functions_used)
        self.ops_tree = ops_tree
        self.ops_cse = ops_cse
        self.plan_summary = plan_summary
        self.seconds = seconds

    def payload(self) -> dict:
        m = self.module
        return {"source": m.source, "tables": m.tables, "entry": m.entry,
                "helpers": list(m.helpers), "table_params": list(m.table_params),
                "functions_used": sorted(self.functions_used),
                "ops_tree": self.ops_tree, "ops_cse": self.ops_cse,
                "plan_summary": self.plan_summary}

    @classmethod
    def from_payload(cls, p: dict) -> "_Lowered":
        # a payload stored before ``table_params`` existed has a source without them
        module = Module(p["source"], tables=p["tables"], entry=p["entry"], helpers=p["helpers"],
                        table_params=list(p.get("table_params", [])))
        return cls(module, set(p["functions_used"]), p["ops_tree"], p["ops_cse"],
                   p["plan_summary"], 0.0)


def _lower_cached(exprs: list, argmap: ArgMap, argnames: list, options: str, cache: bool,
                  backend: Backend, functions: dict | None,
                  lower: Callable[[], _Lowered]) -> tuple[_Lowered, str]:
    """Run ``lower()``, or with ``cache`` (and a caching backend) load its stored result
    keyed by the expressions' structural digest (a hit skips lowering and code generation)."""
    if not (cache and backend.caches and not functions):
        return lower(), "off"
    from .cache import load_lowering, lowering_key, store_lowering
    t0 = time.perf_counter()
    with gc_paused():
        key = lowering_key(exprs, [argmap.symbols, argmap.is_array, argnames], options)
    hit = load_lowering(key)
    if hit is not None:
        low = _Lowered.from_payload(hit)
        low.seconds = time.perf_counter() - t0
        return low, "hit"
    low = lower()
    low.seconds = time.perf_counter() - t0   # the digest counts too
    try:
        store_lowering(key, low.payload())
    except OSError:  # a read-only cache directory only costs the next compile time
        return low, "miss"
    return low, "miss (stored)"


@dataclass(frozen=True)
class _Job:
    """What ``compile``/``compile_array`` asked for, handed to ``_finish``."""
    backend: Backend
    form: str
    argmap: ArgMap
    argnames: list
    n_out: int
    fastmath: bool = False
    parallel: bool = False
    cache: bool = False
    functions: dict | None = None
    out_ndim: int | None = None
    vectorize: bool = False
    inplace: bool = False
    shape: tuple | None = None


def _inline_lines(backend: Backend, functions_used: set, functions: dict | None,
                  fastmath: bool) -> int | None:
    """``generate_array``'s ``inline_lines``: 0 (every straight-line part a ``_chunk*``
    helper) where the backend emits helpers as LLVM IR and covers their functions, else the
    default (short parts written into the entry function)."""
    if functions or not backend.llvm_chunks(fastmath):
        return None
    from .llvm_chunks import covers
    return 0 if covers(functions_used) else None


def _finish(low: _Lowered, lowering_cache: str, job: _Job,
            reporter: Reporter | None = None) -> Compiled:
    """Build the lowered module with the job's backend; the ``Compiled`` with its stats."""
    if reporter is not None:
        reporter.phase("numba" if job.backend.name == "numba" else "build")
    t1 = time.perf_counter()
    b, module = job.backend, low.module
    params, source = module.table_params, module.source
    cache_file = None
    if job.cache and b.caches:
        cache_file = b.cache_file(source, module.tables, job.form, job.fastmath, job.parallel)
    with gc_paused():   # with a big model alive, each full GC pass costs ~0.1 s
        fn, py = build(source, module.entry, module.helpers, module.tables, b,
                       low.functions_used, user_functions=job.functions,
                       signature=b.signature(job.argmap.is_array, job.out_ndim),
                       fastmath=job.fastmath, parallel=job.parallel, cache_file=cache_file,
                       vectorize=job.vectorize, table_params=params)
    cache_state = b.cache_state(fn, cache_file)
    from .llvm_chunks import is_llvm_chunk
    n_llvm = sum(is_llvm_chunk(py.__globals__.get(h)) for h in module.helpers)
    if params:   # the kernel takes its big tables first (no constants for LLVM to parse)
        fn = partial(fn, *[module.tables[k] for k in params])
    t2 = time.perf_counter()
    stats = {"form": job.form, "backend": b.name, "outputs": job.n_out,
             "ops_tree": low.ops_tree, "ops_cse": low.ops_cse,
             "codegen_seconds": low.seconds, "compile_seconds": t2 - t1,
             "source_lines": source.count("\n"), "cache": cache_state,
             "lowering_cache": lowering_cache, "parallel": job.parallel,
             "fastmath": job.fastmath, "llvm_chunks": n_llvm}
    if low.plan_summary is not None:
        stats.update(low.plan_summary)
    wrapper = b.wrapper(py, job.argmap.is_array, job.inplace, job.vectorize)
    if params:
        stats["table_arguments"] = list(params)
    return Compiled(fn, source, stats, py_func=py, shape=job.shape, wrapper=wrapper,
                    argnames=tuple(job.argnames), name=module.entry)


def _check_ops(n_ops: int, limit: int | None, field: str, exprs: Any) -> None:
    """Refuse (one line) before code generation when the operations after sharing pass the
    limit (``max_ops``, default ``symnb.config.<field>``)."""
    limit = getattr(config, field) if limit is None else limit
    if n_ops > limit:
        what = exprs if not isinstance(exprs, list) or len(exprs) != 1 else exprs[0]
        if isinstance(what, list):
            what = f"{len(what)} expressions"
        raise LimitExceeded("compile", what, "operations", n_ops, limit, "max_ops", field)


def compile(expr: Any, args: Sequence[Any], *, backend: str | Backend = "numba",
            vectorize: bool = False, fastmath: bool = False, cache: bool = False,
            names: Sequence[str] | None = None, functions: dict | None = None,
            name: str = "f", max_ops: int | None = None) -> Compiled:
    """Compile one expression to ``f(*args) -> float``.

    ``args``: symbols (scalar arguments) or sequences of symbols (array
    arguments, indexed in the generated code).  ``vectorize=True`` gives a
    function broadcasting over array inputs (a numba ufunc; the python/numpy
    backends broadcast through numpy).  A list of expressions is handed to
    ``compile_array``.  Free symbols missing from ``args`` raise ValueError.
    ``backend``: a name registered in ``symnb.compiler.backends.BACKENDS`` (``"numba"``,
    ``"python"``, ``"numpy"``, or one added with ``register_backend``) or a ``Backend``.
    ``name``: the generated function's name (its source says ``def name(...)``).
    ``max_ops`` (default ``symnb.config.compile_max_scalar_ops``): more operations after
    sharing than this (one straight-line function) raise ``LimitExceeded`` before code
    generation.
    """
    b = get_backend(backend)
    if isinstance(expr, (list, tuple)):
        return compile_array(expr, args, backend=backend, fastmath=fastmath, cache=cache,
                             names=names, functions=functions, name=name, max_ops=max_ops)
    entry = entry_name(name, functions)
    argmap = ArgMap(args)
    if vectorize and any(argmap.is_array):
        raise ValueError("vectorize=True needs scalar arguments only")
    argnames = _argnames(argmap, names)
    form = "vectorized" if vectorize else "scalar"

    def lower() -> _Lowered:
        t0 = time.perf_counter()
        with gc_paused():
            ir = IR(argmap, functions)
            root = ir.lower(expr)
            _check_missing(ir)
            ir.share_products([root])
            _check_ops(ir.count_ops([root]), max_ops, "compile_max_scalar_ops", [expr])
            module = generate_scalar(ir, root, argnames, entry,
                                     header=f": form={form}, backend={b.name}")
            return _Lowered(module, ir.functions_used, ir.tree_ops_of([expr]),
                            ir.count_ops([root]), None, time.perf_counter() - t0)

    opts = f"scalar|{form}|{b.name}" + ("" if entry == "f" else f"|name={entry}")
    low, lstate = _lower_cached([expr], argmap, argnames, opts, cache, b, functions, lower)
    return _finish(low, lstate, _Job(b, form, argmap, argnames, n_out=1, fastmath=fastmath,
                                     cache=cache, functions=functions, vectorize=vectorize))


def compile_array(exprs: Any, args: Sequence[Any], *, inplace: bool = False,
                  backend: str | Backend = "numba", parallel: bool = False,
                  fastmath: bool = False,
                  cache: bool = False, names: Sequence[str] | None = None,
                  functions: dict | None = None, reroll: bool = True, min_group: int = 4,
                  chunk_ops: int = 400, form: str | None = None, name: str = "f",
                  max_ops: int | None = None, progress: Any = None) -> Compiled:
    """Compile an array of expressions (any nesting depth) to an array-valued function.

    ``inplace=True`` gives ``f(out, *args)`` writing into ``out`` (C-contiguous,
    the shape of ``exprs``) with no allocation but a work vector when sums are
    split; otherwise ``f(*args)`` returns a new array.  Outputs of the same shape
    are re-rolled into loops over index tables (``reroll``; groups of at least
    ``min_group``), leftovers are emitted straight-line in helper functions of
    about ``chunk_ops`` operations (numba: their bodies go straight to LLVM IR through an
    ``@intrinsic``, ``symnb.compiler.llvm_chunks``, unless
    ``symnb.config.compile_llvm_chunks`` is off).  ``parallel=True`` runs the loops under
    ``numba.prange``.  The ``numpy`` backend emits plain straight-line code, as
    ``sympy.lambdify`` does.  ``name``: the generated function's name.  ``max_ops`` (default
    ``symnb.config.compile_max_ops``): more operations after sharing raise ``LimitExceeded``
    before code generation.  ``progress``: a callback receiving plain-data reports of the
    phases (``symnb.compiler.progress``; ``None``: the registered default, e.g. the notebook
    bar of ``symnb.display``; ``False``: none); an interrupt stops the compile cleanly.
    """
    rep, owned = reporter_for(progress, COMPILE_PHASES, f"compile {name}")
    with reporting(rep, owned):
        return _compile_array(exprs, args, inplace, backend, parallel, fastmath, cache, names,
                              functions, reroll, min_group, chunk_ops, form, name, max_ops, rep)


def _compile_array(exprs: Any, args: Sequence[Any], inplace: bool, backend: str | Backend,
                   parallel: bool, fastmath: bool, cache: bool, names: Sequence[str] | None,
                   functions: dict | None, reroll: bool, min_group: int, chunk_ops: int,
                   form: str | None, name: str, max_ops: int | None,
                   rep: Reporter) -> Compiled:
    b = get_backend(backend)
    entry = entry_name(name, functions)
    flat, shape = _flatten(exprs)
    argmap = ArgMap(args)
    argnames = _argnames(argmap, names)
    if not b.loops:
        reroll = False
        parallel = False
    form = form or ("in-place" if inplace else "array")

    def lower() -> _Lowered:
        t0 = time.perf_counter()
        with gc_paused():
            ir = IR(argmap, functions)
            rep.phase("lower")
            roots = []
            for start in range(0, len(flat), 4096):
                roots.extend(ir.lower(e) for e in flat[start:start + 4096])
                rep.tick(start, len(flat))
            _check_missing(ir)
            ir.share_products(roots)
            n_ops = ir.count_ops(roots)
            _check_ops(n_ops, max_ops, "compile_max_ops", flat)
            rep.phase("plan")
            canon = Canon(ir)
            plan = make_plan(ir, roots, reroll=reroll, min_group=min_group,
                             chunk_ops=chunk_ops, canon=canon, tick=rep.tick)
            if functions is None and reroll:
                remember_rows(flat, argmap, ir, roots, canon, plan=plan, min_group=min_group)
            rep.phase("codegen")

            def describe(g: Any) -> str:
                if g.target != "out":
                    return "a term of the split sums"
                from ..terms.generic import to_string
                try:
                    return to_string(flat[g.members[0][0]])
                except Exception:  # noqa: BLE001
                    return str(flat[g.members[0][0]])

            inline = _inline_lines(b, ir.functions_used, functions, fastmath)
            module = generate_array(ir, plan, argnames, shape, inplace=inplace,
                                    parallel=parallel,
                                    header=f": form={form}, backend={b.name}",
                                    describe=describe, name=entry, table_args=tables_as_args,
                                    inline_lines=inline)
            return _Lowered(module, ir.functions_used, ir.tree_ops_of(flat),
                            n_ops, plan.summary(), time.perf_counter() - t0)

    tables_as_args = b.table_args
    options = (f"array|{form}|{b.name}|{shape}|inplace={inplace}|par={parallel}|"
               f"reroll={reroll}|{min_group}|{chunk_ops}"
               + ("" if entry == "f" else f"|name={entry}")
               + (f"|table_args>={table_args.TABLE_ARGUMENTS_BYTES}" if tables_as_args else "")
               + ("|llvm_chunks" if b.llvm_chunks(fastmath) else ""))   # other source
    low, lstate = _lower_cached(flat, argmap, argnames, options, cache, b, functions, lower)
    return _finish(low, lstate, _Job(b, form, argmap, argnames, n_out=len(flat),
                                     fastmath=fastmath, parallel=parallel, cache=cache,
                                     functions=functions,
                                     out_ndim=len(shape) if inplace else None,
                                     inplace=inplace, shape=shape), rep)


def compile_jacobian_rows(rows: list, vars: list, args: Sequence[Any], *, inplace: bool = True,
                          backend: str | Backend = "numba", names: Sequence[str] | None = None,
                          name: str = "f", form: str = "sparse-jacobian",
                          fastmath: bool = False, parallel: bool = False, min_group: int = 4,
                          chunk_ops: int = 400, progress: Any = None,
                          csc: bool = False) -> tuple | None:
    """The sparse Jacobian of ``rows`` with respect to ``vars`` (one array argument of
    ``args``) compiled from the shapes of the rows (``row_jacobian``): ``(Compiled,
    RowJacobian)``, or ``None`` when the rows are not regular enough (then differentiate
    entry by entry and use ``compile_array``).  ``csc``: values in CSC order."""
    from .row_jacobian import argmap_for, csc_positions, plan_jacobian, reorder
    b = get_backend(backend)
    if not b.loops:
        return None
    entry = entry_name(name, None)
    argmap = argmap_for(args)
    argnames = _argnames(argmap, names)
    rep, owned = reporter_for(progress, COMPILE_PHASES, f"compile {name}")
    with reporting(rep, owned):
        t0 = time.perf_counter()
        with gc_paused():
            rep.phase("plan")
            rj = plan_jacobian(rows, vars, argmap, min_group=min_group, chunk_ops=chunk_ops)
            if rj is None:
                return None
            if csc:
                reorder(rj.plan, csc_positions(rj.indptr, rj.indices, len(vars)))
            rep.phase("codegen")
            n = rj.plan.n_out

            def describe(g: Any) -> str:
                return str(rj.examples.get(g.members[0][3], "...")) if g.target == "out" \
                    else "a term of the split sums"
            inline = _inline_lines(b, rj.ir.functions_used, None, fastmath)
            module = generate_array(rj.ir, rj.plan, argnames, (n,), inplace=inplace,
                                    parallel=parallel, header=f": form={form}, backend={b.name}",
                                    describe=describe, name=entry, fuse=True,
                                    table_args=b.table_args, inline_lines=inline)
            low = _Lowered(module, rj.ir.functions_used, 0, 0, rj.plan.summary(),
                           time.perf_counter() - t0)
        job = _Job(b, form, argmap, argnames, n_out=n, fastmath=fastmath, parallel=parallel,
                   out_ndim=1 if inplace else None, inplace=inplace, shape=(n,))
        return _finish(low, "off", job, rep), rj
