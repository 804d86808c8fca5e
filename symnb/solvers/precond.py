"""Preconditioners: ``M`` approximates ``A^{-1}`` (scipy's convention)."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from . import kernels as K
from .linop import CSROperator


class Preconditioner:
    """Base class: ``apply(r, out)`` writes ``M r`` into ``out``."""

    name = "M"

    def apply(self, r: np.ndarray, out: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


def _nonzero_diag(op: CSROperator, what: str) -> np.ndarray:
    d = op.diag
    if np.any(d == 0):
        raise ValueError(f"{what} needs a nonzero diagonal; A has {int(np.sum(d == 0))} zero diagonal entries")
    return d


class Jacobi(Preconditioner):
    """``M = D^{-1}``."""

    name = "jacobi"

    def __init__(self, op: CSROperator):
        self.inv = 1.0 / _nonzero_diag(op, "Jacobi")

    def apply(self, r, out):
        np.multiply(r, self.inv, out=out)
        return out


class SSOR(Preconditioner):
    """Symmetric SOR preconditioner with relaxation ``omega`` in (0, 2)."""

    name = "ssor"

    def __init__(self, op: CSROperator, omega: float = 1.0):
        if not 0.0 < omega < 2.0:
            raise ValueError(f"SSOR omega must lie in (0, 2), got {omega}")
        self.op, self.omega = op, float(omega)
        self.diag = _nonzero_diag(op, "SSOR")

    def apply(self, r, out):
        op = self.op
        K.ssor_apply(op.indptr, op.indices, op.data, self.diag, self.omega, r, out)
        return out


class _Explicit(Preconditioner):
    name = "user"

    def __init__(self, M: Any, n: int):
        self.M = M
        shape = getattr(M, "shape", None)
        if shape is not None and tuple(shape) != (n, n):
            raise ValueError(f"shape mismatch: A is {n}x{n} but M has shape {tuple(shape)}")

    def apply(self, r, out):
        if callable(self.M) and not hasattr(self.M, "shape"):
            z = self.M(r)
        else:
            z = self.M @ r
        out[:] = np.asarray(z).ravel()
        return out


def make_preconditioner(M: Any, op: CSROperator) -> Preconditioner | None:
    """Turn the ``M`` argument of a solver into a :class:`Preconditioner`.

    ``None``, ``"jacobi"``, ``"ssor"`` (omega=1), a :class:`Preconditioner`, a matrix or
    ``LinearOperator`` (applied as ``M @ r``) or a callable ``r -> z``.
    """
    if M is None:
        return None
    if isinstance(M, Preconditioner):
        return M
    if isinstance(M, str):
        key = M.lower()
        if key == "jacobi":
            return Jacobi(op)
        if key == "ssor":
            return SSOR(op)
        raise ValueError(f"unknown preconditioner {M!r}; use 'jacobi', 'ssor', a matrix or a callable")
    if sp.issparse(M) or isinstance(M, np.ndarray) or hasattr(M, "matvec") or callable(M):
        return _Explicit(M, op.n)
    raise ValueError(f"M must be None, 'jacobi', 'ssor', a matrix or a callable, got {type(M).__name__}")
