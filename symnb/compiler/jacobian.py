"""Symbolic Jacobians with their sparsity pattern, compiled dense or sparse (CSR).

``jacobian(exprs, vars)`` differentiates each row once for all the variables it
depends on (``diff_many``: one walk of the row; each derivative visits only the
subterms containing its variable); the pattern is the
structural one: entry ``(i, j)`` is stored when ``vars[j]`` occurs in
``exprs[i]`` and the derivative is not identically zero.  sympy and
symengine inputs are converted to native terms first.  The derivatives are
taken when first asked for (``entries``, ``indptr``, ...); a sparse ``compile``
before that differentiates one row per class of rows of one shape
(``row_jacobian``) and builds no entry at all.

>>> from symnb.terms import symbols
>>> x, y = symbols("x y")
>>> J = jacobian([x * y, x ** 2], [x, y])
>>> J.pattern.toarray().tolist()
[[1, 1], [1, 0]]
>>> [str(e) for e in J.entries]
['y', 'x', '2*x']
>>> jac = J.compile(args=[[x, y]], sparse=True, backend="python")
>>> import numpy as np
>>> vals = np.empty(J.nnz); jac(vals, np.array([3.0, 5.0])); vals
array([5., 3., 6.])
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..terms.core import ZERO, Symbol, Term
from ..terms.interface import issym
from .gc_pause import gc_paused

__all__ = ["jacobian", "SymbolicJacobian", "to_native"]

_ROW_PLAN_OPTIONS = {"backend", "names", "name", "fastmath", "parallel", "min_group",
                     "chunk_ops", "progress"}
"""Options of ``compile`` the plan from row shapes honours (others: entry by entry)."""


def to_native(t: Any) -> Term:
    """A native symnb term for ``t`` (sympy / symengine objects are converted)."""
    if isinstance(t, Term):
        return t
    if isinstance(t, (int, float)):
        from ..terms.core import sympify_num
        return sympify_num(t)
    mod = type(t).__module__.split(".", 1)[0]
    if mod == "sympy":
        from ..terms.sympy_bridge import from_sympy
        return from_sympy(t)
    if mod == "symengine":
        from ..terms.symengine_bridge import from_symengine
        return from_symengine(t)
    raise TypeError(f"cannot differentiate a {type(t).__name__}")


class SymbolicJacobian:
    """The nonzero entries of ``d exprs[i] / d vars[j]`` in CSR order.

    ``entries`` (terms), ``indptr``, ``indices``, ``shape``, ``nnz``,
    ``pattern`` (``scipy.sparse.csr_matrix`` of ones, int8), ``dense()``.
    """

    def __init__(self, entries: list | None, indptr: np.ndarray | None,
                 indices: np.ndarray | None, shape: tuple[int, int],
                 rows: list | None = None, vars: list | None = None) -> None:
        self._entries = entries
        self._indptr = indptr
        self._indices = indices
        self.shape = shape
        self._rows = rows
        self._vars = vars

    def _compute(self) -> None:
        """Differentiate every row (when ``jacobian`` was asked lazily)."""
        from .progress import Reporter
        with gc_paused():
            J = _jacobian(self._rows, self._vars, Reporter(None, []))  # type: ignore[arg-type]
        self._entries, self._indptr, self._indices = J._entries, J._indptr, J._indices

    @property
    def entries(self) -> list:
        if self._entries is None:
            self._compute()
        return self._entries  # type: ignore[return-value]

    @property
    def indptr(self) -> np.ndarray:
        if self._indptr is None:
            self._compute()
        return self._indptr  # type: ignore[return-value]

    @property
    def indices(self) -> np.ndarray:
        if self._indices is None:
            self._compute()
        return self._indices  # type: ignore[return-value]

    @property
    def nnz(self) -> int:
        return len(self.indices)

    @property
    def pattern(self) -> Any:
        import scipy.sparse as sp
        return sp.csr_matrix((np.ones(self.nnz, dtype=np.int8), self.indices.copy(),
                              self.indptr.copy()), shape=self.shape)

    def dense(self) -> list:
        """The Jacobian as nested lists of terms (zeros included)."""
        m, n = self.shape
        rows = [[ZERO] * n for _ in range(m)]
        for i in range(m):
            for k in range(self.indptr[i], self.indptr[i + 1]):
                rows[i][self.indices[k]] = self.entries[k]
        return rows

    def compile(self, args: Sequence[Any], *, sparse: bool = True, inplace: bool = True,
                csc: bool = False, **kw: Any) -> Any:
        """Compile to ``jac(values, *args)`` (sparse: ``values`` in CSR order, or in CSC
        order with ``csc=True``, length ``nnz``) or ``jac(J, *args)`` (dense ``m x n``); see
        ``compile_array``."""
        from .api import compile_array, compile_jacobian_rows
        form = "sparse-jacobian" + (" (CSC)" if csc else "") + ("" if inplace else " (array)")
        if sparse and self._entries is None and self._indices is None and \
                set(kw) <= _ROW_PLAN_OPTIONS and \
                (got := compile_jacobian_rows(self._rows, self._vars, args,  # type: ignore
                                              inplace=inplace, form=form, csc=csc,
                                              **kw)) is not None:
            c, rj = got
            self._indptr, self._indices = rj.indptr, rj.indices
            c.pattern = self.pattern
            return c
        if sparse:
            from .progress import Reporter
            if isinstance(kw.get("progress"), Reporter) and self._entries is None:
                kw["progress"].phase("differentiate")
            entries = self.entries
            if csc:
                from .row_jacobian import csc_positions
                order = np.empty(self.nnz, dtype=np.int64)
                order[csc_positions(self.indptr, self.indices, self.shape[1])] = \
                    np.arange(self.nnz)
                entries = [entries[k] for k in order]
            c = compile_array(entries, args, inplace=inplace, form=form, **kw)
            c.pattern = self.pattern
        else:
            c = compile_array(self.dense(), args, inplace=inplace,
                              form="dense-jacobian" + ("" if inplace else " (array)"), **kw)
        return c

    def __repr__(self) -> str:
        return f"<SymbolicJacobian {self.shape[0]}x{self.shape[1]}, nnz={self.nnz}>"


def jacobian(exprs: Sequence[Any], vars: Sequence[Any], progress: Any = None,
             lazy: bool = True) -> SymbolicJacobian:
    """Symbolic Jacobian of ``exprs`` with respect to ``vars`` with its sparsity pattern.

    ``progress``: a callback receiving plain-data reports (``symnb.compiler.progress``;
    ``None``: the registered default; ``False``: none)."""
    if progress is None and lazy:
        es, vs = _rows_and_vars(exprs, vars)
        return SymbolicJacobian(None, None, None, (len(es), len(vs)), rows=es, vars=vs)
    from .progress import reporter_for, reporting
    rep, owned = reporter_for(progress, ["differentiate"], "jacobian")
    with reporting(rep, owned), gc_paused():
        rep.phase("differentiate")
        return _jacobian(exprs, vars, rep)


def _rows_and_vars(exprs: Sequence[Any], vars: Sequence[Any]) -> tuple[list, list]:
    es = [to_native(e) for e in exprs]
    vs: list[Symbol] = []
    for v in vars:
        n = v if isinstance(v, Symbol) else to_native(v) if issym(v) else None
        if not isinstance(n, Symbol):   # a sympy symbol keeps its assumptions (from_sympy)
            raise TypeError(f"jacobian variables must be symbols, got {v!r}")
        vs.append(n)
    col = {v: j for j, v in enumerate(vs)}
    if len(col) != len(vs):
        raise ValueError("jacobian variables must be distinct")
    return es, vs


def _jacobian(exprs: Sequence[Any], vars: Sequence[Any], rep: Any) -> SymbolicJacobian:
    from ..terms.calculus import diff_many, free_symbols
    es, vs = _rows_and_vars(exprs, vars)
    col = {v: j for j, v in enumerate(vs)}
    entries: list = []
    indices: list = []
    indptr = [0]
    for i, e in enumerate(es):
        if not i & 1023:
            rep.tick(i, len(es))
        deps = sorted(col[s] for s in free_symbols(e) if s in col)
        for j, d in zip(deps, diff_many(e, [vs[j] for j in deps])):
            if d is not ZERO:
                entries.append(d)
                indices.append(j)
        indptr.append(len(entries))
    return SymbolicJacobian(entries, np.array(indptr, dtype=np.int32),
                            np.array(indices, dtype=np.int32), (len(es), len(vs)))
