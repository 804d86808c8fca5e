"""``trace``: run a numpy function on symbolic arrays; Jacobian sparsity and Jacobians.

>>> import numpy as np
>>> def f(u, k):
...     return np.concatenate([k * u[:1] ** 2, u[1:] - u[:-1]])
>>> tr = trace(f, ("u", 3), 2.0)
>>> [str(e) for e in tr.terms]
['2*u[0]^2', '-u[0] + u[1]', '-u[1] + u[2]']
>>> jacobian_sparsity(tr.outputs, tr.inputs[0]).toarray().astype(int).tolist()
[[1, 0, 0], [1, 1, 0], [0, 1, 1]]
>>> [str(e) for e in jacobian(tr.outputs, tr.inputs[0]).entries]
['4*u[0]', '-1', '1', '-1', '1']
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from ..reprs import RenderedHTML
from ..compiler.gc_pause import gc_paused
from ..terms.core import Symbol, Term
from .errors import TraceError, location_from_traceback
from .symarray import SymArray, _structure, as_terms, sym_array

__all__ = ["trace", "Traced", "jacobian_sparsity", "jacobian", "flat_terms", "flat_symbols"]


def _spec_to_arg(spec: Any) -> tuple[Any, bool]:
    """(argument, is_symbolic) for one trace spec."""
    if isinstance(spec, SymArray):
        return spec, True
    if isinstance(spec, Term):
        return SymArray(as_terms(spec)), True
    if isinstance(spec, str):
        return sym_array(spec, ()), True
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str):
        return sym_array(spec[0], spec[1]), True
    return spec, False


def _translate(e: BaseException) -> TraceError:
    loc = location_from_traceback(e.__traceback__)
    msg = str(e)
    if "truth value" in msg:
        return TraceError("Python 'if'/'while'/'and'/'or' on a symbolic value",
                          "select with np.where(numeric_condition, a, b) or make the condition "
                          "depend on numbers only", loc)
    if "float()" in msg or "real number" in msg or "setting an array element" in msg:
        return TraceError("a symbolic value was written into a numeric numpy array "
                          f"({msg})",
                          "allocate the output with np.zeros_like(u) / np.empty_like(u) of a "
                          "symbolic input, or build it with np.concatenate / np.stack", loc)
    if "not supported between" in msg:
        return TraceError(f"comparison of a symbolic value ({msg})",
                          "compare numbers only and select with np.where", loc)
    return TraceError(f"{type(e).__name__}: {msg}",
                      "use arithmetic, slicing and numpy functions on whole arrays", loc)


class Traced(RenderedHTML):
    """A traced function: ``outputs`` (SymArray), ``inputs`` (the symbolic arguments),
    ``terms`` (flat output terms), ``seconds`` (tracing time)."""

    def __init__(self, outputs: SymArray, inputs: list, seconds: float, name: str) -> None:
        self.outputs = outputs
        self.inputs = inputs
        self.seconds = seconds
        self.name = name

    @property
    def terms(self) -> list:
        return self.outputs.terms

    @property
    def shape(self) -> tuple:
        return self.outputs.shape

    def symbols(self, which: int = 0) -> list:
        """Flat list of the symbols of symbolic argument ``which``."""
        return self.inputs[which].terms

    def jacobian_sparsity(self, which: int = 0) -> Any:
        return jacobian_sparsity(self.outputs, self.inputs[which])

    def jacobian(self, which: int = 0, sparse: bool = True) -> Any:
        return jacobian(self.outputs, self.inputs[which], sparse=sparse)

    def __repr__(self) -> str:
        return (f"<Traced {self.name}: {len(self.inputs)} symbolic input(s), output shape "
                f"{self.shape}, {self.seconds:.3f} s>")

    def dag_nodes(self) -> int:
        """Distinct nodes in the DAG of all outputs (shared subterms counted once)."""
        from ..terms.core import postorder
        seen: set = set()
        for t in self.terms:
            if t not in seen:
                seen.update(postorder(t))
        return len(seen)


def _arguments(specs: tuple, kwspecs: dict) -> tuple[list, list, dict]:
    """``(args, symbolic inputs, kwargs)`` for the trace specs."""
    args, inputs = [], []
    for s in specs:
        a, sym = _spec_to_arg(s)
        args.append(a)
        if sym:
            inputs.append(a)
    kwargs = {}
    for k, s in kwspecs.items():
        a, sym = _spec_to_arg(s)
        kwargs[k] = a
        if sym:
            inputs.append(a)
    return args, inputs, kwargs


def trace(f: Callable[..., Any], *specs: Any, **kwspecs: Any) -> Traced:
    """Run ``f`` on symbolic arguments and return its output terms (a ``Traced``).

    Each spec is ``("name", shape)`` (a fresh ``sym_array``), a name string (a
    scalar symbol, e.g. ``"t"``), a ``SymArray`` or term (used as given), or any
    other value (a number, numeric array, dict: passed unchanged).  Code that
    cannot be traced raises ``TraceError`` naming the offending line of ``f``.
    """
    with gc_paused():   # the input symbols too (see compiler.gc_pause)
        args, inputs, kwargs = _arguments(specs, kwspecs)
        t0 = time.perf_counter()
        try:
            with np.errstate(all="ignore"):
                out = f(*args, **kwargs)
                if isinstance(out, SymArray):
                    out.to_numpy()   # pending sums are built here, the collector still held off
        except TraceError:
            raise
        except (TypeError, ValueError, AttributeError) as e:
            raise _translate(e) from e
    if out is None:
        raise TraceError(f"{getattr(f, '__name__', 'f')} returned None",
                         "return the output array (in-place-only functions cannot be traced: "
                         "allocate du = np.zeros_like(u), fill it and return it)",
                         location="")
    out = _structure(out) if isinstance(out, (list, tuple)) else out
    if not isinstance(out, SymArray):
        out = SymArray(as_terms(out))
    name = getattr(f, "__name__", "f")
    return Traced(out, inputs, time.perf_counter() - t0, name)


def flat_terms(x: Any) -> list:
    """A flat list of terms from a SymArray, Traced, term, or nested sequence."""
    if isinstance(x, Traced):
        return x.terms
    if isinstance(x, SymArray):
        return x.terms
    if isinstance(x, Term):
        return [x]
    if isinstance(x, np.ndarray):
        return list(as_terms(x).flat)
    if isinstance(x, (list, tuple)):
        out: list = []
        for v in x:
            out.extend(flat_terms(v))
        return out
    return list(as_terms(x).flat)


def flat_symbols(x: Any) -> list:
    """Flat list of symbols; anything else raises ValueError naming it."""
    syms = flat_terms(x)
    for s in syms:
        if not isinstance(s, Symbol):
            raise ValueError(f"inputs must be symbols, got {s}")
    return syms


def jacobian_sparsity(outputs: Any, inputs: Any) -> Any:
    """Structural sparsity of ``d outputs / d inputs``: a ``scipy.sparse.csr_matrix`` of bools.

    Entry ``(i, j)`` is True when ``inputs[j]`` occurs in ``outputs[i]``.  The cost
    is linear in the number of nonzeros (free-symbol sets are cached per DAG node).
    """
    import scipy.sparse as sp
    outs = flat_terms(outputs)
    ins = flat_symbols(inputs)
    col = {s: j for j, s in enumerate(ins)}
    if len(col) != len(ins):
        raise ValueError("jacobian_sparsity: inputs must be distinct symbols")
    indptr = np.empty(len(outs) + 1, dtype=np.int64)
    indptr[0] = 0
    idx: list = []
    get = col.get
    for i, e in enumerate(outs):
        cols = sorted(j for j in map(get, e.free_symbols) if j is not None)
        idx.extend(cols)
        indptr[i + 1] = len(idx)
    indices = np.asarray(idx, dtype=np.int64)
    return sp.csr_matrix((np.ones(len(idx), dtype=bool), indices, indptr),
                         shape=(len(outs), len(ins)))


def jacobian(outputs: Any, inputs: Any, sparse: bool = True) -> Any:
    """Symbolic Jacobian of traced outputs with respect to symbolic inputs.

    ``sparse=True`` gives ``symnb.compile.SymbolicJacobian`` (CSR entries, pattern,
    ``.compile(...)``); ``sparse=False`` a dense object ndarray of terms.  Plain lists
    of terms, symbols, sympy or symengine expressions work as in
    ``symnb.compiler.jacobian``.
    """
    from ..compiler.jacobian import jacobian as _jac
    try:
        outs, ins = flat_terms(outputs), flat_symbols(inputs)
    except (TraceError, ValueError):
        outs, ins = list(outputs), list(inputs)   # e.g. sympy / symengine expressions
    J = _jac(outs, ins)
    if sparse:
        return J
    return np.array(J.dense(), dtype=object).reshape(J.shape)
