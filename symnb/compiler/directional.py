"""Jacobian-vector products as terms: ``(J v)_i = Σ_j ∂f_i/∂x_j · v_j``.

``jvp_terms(J, dirs)`` builds the directional derivative of the expressions behind a
``SymbolicJacobian`` along the direction symbols ``dirs`` (one per variable) from the
Jacobian's stored nonzeros, so nothing is differentiated twice;
``directional_derivative(exprs, vars, dirs)`` differentiates first.  Compiled with
``compile_array`` (arguments: the variables, the directions, ...), the result is a
matrix-free ``J v`` that never stores J: ``symnb.models`` uses it for CVODE's Krylov
solvers (``jtimes="jvp"``).

>>> from symnb.terms import symbols
>>> x, y, a, b = symbols("x y a b")
>>> [str(e) for e in directional_derivative([x * y, x ** 2], [x, y], [a, b])]
['a*y + b*x', '2*a*x']
>>> from symnb.compiler import compile_array
>>> jv = compile_array(directional_derivative([x * y, x ** 2], [x, y], [a, b]),
...                    [[x, y], [a, b]], backend="python")
>>> import numpy as np
>>> jv(np.array([3.0, 5.0]), np.array([1.0, -1.0])).tolist()     # J = [[5, 3], [6, 0]]
[2.0, 6.0]
"""
from __future__ import annotations

from typing import Any, Sequence

from ..terms.core import Add, Symbol, Term, acc_add, make_add, mul
from .jacobian import SymbolicJacobian, jacobian

__all__ = ["jvp_terms", "directional_derivative"]


def jvp_terms(J: SymbolicJacobian, dirs: Sequence[Symbol]) -> list[Term]:
    """``[Σ_j J[i, j] · dirs[j] for each row i]`` from the nonzeros of ``J``."""
    m, n = J.shape
    dirs = [dirs] if isinstance(dirs, Symbol) else list(dirs)
    if len(dirs) != n:
        raise ValueError(f"jvp_terms needs one direction symbol per variable: got "
                         f"{len(dirs)} for {n} (pass as many as the Jacobian has columns)")
    for d in dirs:
        if not isinstance(d, Symbol):
            raise TypeError(f"directions must be symbols, got {d!r} (make them with "
                            f"symnb.terms.symbols)")
    out: list[Term] = []
    for i in range(m):
        acc: dict = {}
        const: Any = 0
        for k in range(int(J.indptr[i]), int(J.indptr[i + 1])):
            e, d = J.entries[k], dirs[int(J.indices[k])]
            if type(e) is Add:      # distribute: monomials the compiler groups into loops
                if e.const != 0:
                    const = acc_add(acc, const, d, e.const)
                for t, c in e.terms.items():
                    const = acc_add(acc, const, mul(t, d), c)
            else:
                const = acc_add(acc, const, mul(e, d))
        out.append(make_add(const, acc))
    return out


def directional_derivative(exprs: Sequence[Any], vars: Sequence[Any],
                           dirs: Sequence[Symbol]) -> list[Term]:
    """``Σ_j ∂exprs[i]/∂vars[j] · dirs[j]`` for each expression (see the module doc)."""
    return jvp_terms(jacobian(exprs, vars), dirs)
