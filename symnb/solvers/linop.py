"""Input validation and the CSR operator every solver works on."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse as sp

from . import kernels as K


class CSROperator:
    """A square CSR matrix with a numba matvec that counts its applications.

    >>> import scipy.sparse as sp
    >>> op = CSROperator(sp.eye(3, format="csr") * 2.0)
    >>> op.matvec(np.ones(3)).tolist(), op.matvecs
    ([2.0, 2.0, 2.0], 1)
    """

    def __init__(self, A: Any):
        A = as_csr(A)
        self.A = A
        self.n = A.shape[0]
        self.indptr, self.indices, self.data = A.indptr, A.indices, A.data
        self.matvecs = 0
        self._diag = None

    @property
    def diag(self) -> np.ndarray:
        if self._diag is None:
            self._diag = np.asarray(self.A.diagonal(), dtype=np.float64)
        return self._diag

    def matvec(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        if out is None:
            out = np.empty(self.n)
        K.csr_matvec(self.indptr, self.indices, self.data, x, out)
        self.matvecs += 1
        return out

    def residual(self, x: np.ndarray, b: np.ndarray, out: np.ndarray) -> float:
        """``out = b - A x``; returns its norm (counts one matvec)."""
        self.matvecs += 1
        return K.csr_residual(self.indptr, self.indices, self.data, x, b, out)


def as_csr(A: Any) -> sp.csr_matrix:
    """Validate ``A`` (dense array or scipy sparse) and return float64 CSR."""
    if isinstance(A, CSROperator):
        return A.A
    if sp.issparse(A):
        if A.ndim != 2:
            raise ValueError(f"A must be a 2-D matrix, got {A.ndim}-D")
        A = sp.csr_matrix(A)
    else:
        arr = np.asarray(A)
        if arr.ndim != 2:
            raise ValueError(f"A must be a 2-D matrix, got an array with shape {arr.shape}")
        A = sp.csr_matrix(arr)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    if np.iscomplexobj(A.data):
        raise ValueError("A is complex; only real matrices are supported")
    if A.dtype != np.float64:
        A = A.astype(np.float64)
    if not np.all(np.isfinite(A.data)):
        raise ValueError("A contains NaN or inf")
    if not A.has_sorted_indices:
        A = A.sorted_indices()
    return A


def check_vector(v: Any, n: int, name: str) -> np.ndarray:
    """Validate a right-hand side / initial guess of length ``n`` (float64 copy)."""
    arr = np.asarray(v)
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} is complex; only real vectors are supported")
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a vector, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"shape mismatch: A is {n}x{n} but {name} has length {arr.shape[0]}")
    try:
        arr = np.array(arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric ({exc})") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def check_params(tol: float, maxiter: int | None, n: int) -> tuple[float, int]:
    """Validate ``tol`` and ``maxiter`` (default ``max(10 n, 1000)``)."""
    if not (isinstance(tol, (int, float, np.floating)) and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive finite number, got {tol!r}")
    if maxiter is None:
        maxiter = max(10 * n, 1000)
    if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 0:
        raise ValueError(f"maxiter must be a non-negative integer, got {maxiter!r}")
    return float(tol), int(maxiter)


def prepare(A: Any, b: Any, x0: Any, tol: float, maxiter: int | None):
    """Common front end: returns ``(op, b, x, tol, maxiter)``."""
    op = A if isinstance(A, CSROperator) else CSROperator(A)
    b = check_vector(b, op.n, "b")
    x = np.zeros(op.n) if x0 is None else check_vector(x0, op.n, "x0")
    tol, maxiter = check_params(tol, maxiter, op.n)
    return op, b, x, tol, maxiter


CallbackT = Callable[[int, float], Any]
