"""SOR and SSOR with relaxation parameter omega, and the classical optimal omega."""
from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from . import kernels as K
from .krylov import History
from .linop import CSROperator, CallbackT, as_csr, prepare
from .result import SolveResult


def _diag(op: CSROperator, what: str) -> np.ndarray:
    d = op.diag
    if np.any(d == 0):
        raise ValueError(f"{what} needs a nonzero diagonal; A has {int(np.sum(d == 0))} zero diagonal entries")
    return d


def _relax(A, b, x0, tol, maxiter, M, callback, omega, symmetric) -> SolveResult:
    name = "ssor" if symmetric else "sor"
    if M is not None:
        raise ValueError(f"{name} takes no preconditioner M (omega is its parameter)")
    if not (np.isfinite(omega) and 0.0 < omega < 2.0):
        raise ValueError(f"{name} omega must lie in (0, 2), got {omega!r}")
    t0 = time.perf_counter()
    op, b, x, tol, maxiter = prepare(A, b, x0, tol, maxiter)
    diag = _diag(op, name.upper())
    bnorm = float(np.linalg.norm(b)) or 1.0
    per = 3 if symmetric else 2  # matvec-equivalents per iteration: sweep(s) + residual
    r = np.empty(op.n)
    method = f"{name}(omega={omega:.4g})"
    if callback is None:
        hist_abs = np.empty(maxiter + 1)
        it = K.sor_solve(op.indptr, op.indices, op.data, diag, b, x, float(omega), symmetric,
                         tol * bnorm, maxiter, hist_abs, r)
        nonfinite = it < 0
        it = abs(it)
        res = hist_abs[: it + 1] / bnorm
        if nonfinite:
            reason = "breakdown"
        elif res[-1] <= tol:
            reason = "converged"
        else:
            reason = "maxiter"
        mv = 1 + per * np.arange(it + 1)
        return SolveResult(x=x, residuals=res, matvec_history=np.asarray(mv, dtype=np.int64),
                           matvecs=int(mv[-1]), time=time.perf_counter() - t0,
                           converged=reason == "converged", reason=reason, method=method,
                           info={"omega": float(omega)})
    # Python loop so the callback sees every sweep
    r0 = op.residual(x, b, r)
    hist = History(op, bnorm, r0, tol, maxiter, callback)
    hist.t0 = t0
    reason = "converged" if hist.res[0] <= tol else ("maxiter" if maxiter == 0 else None)
    while reason is None:
        K.sor_forward(op.indptr, op.indices, op.data, diag, b, x, float(omega))
        if symmetric:
            K.sor_backward(op.indptr, op.indices, op.data, diag, b, x, float(omega))
        op.matvecs += per - 1
        reason = hist.step(op.residual(x, b, r))
    return hist.result(x, reason, method, omega=float(omega))


def sor(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
        M: Any = None, callback: CallbackT | None = None, omega: float = 1.0) -> SolveResult:
    """Successive over-relaxation (forward Gauss-Seidel sweeps relaxed by ``omega``).

    ``matvecs`` counts matvec-equivalents (one per sweep, one per residual check).

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1, 4.0, -1], [-1, 0, 1], shape=(40, 40), format="csr")
    >>> res = sor(A, np.ones(40), omega=1.1)
    >>> res.converged, res.residual < 1e-8
    (True, True)
    """
    return _relax(A, b, x0, tol, maxiter, M, callback, omega, False)


def ssor(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
         M: Any = None, callback: CallbackT | None = None, omega: float = 1.0) -> SolveResult:
    """Symmetric SOR: a forward then a backward sweep per iteration.

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1, 4.0, -1], [-1, 0, 1], shape=(40, 40), format="csr")
    >>> ssor(A, np.ones(40), omega=1.2).converged
    True
    """
    return _relax(A, b, x0, tol, maxiter, M, callback, omega, True)


def jacobi_spectral_radius(A: Any) -> float:
    """Spectral radius of the Jacobi iteration matrix ``I - D^{-1} A``.

    >>> import scipy.sparse as sp
    >>> round(jacobi_spectral_radius(sp.diags([-1, 2.0, -1], [-1, 0, 1], shape=(9, 9))), 6)
    0.951057
    """
    A = as_csr(A)
    d = A.diagonal()
    if np.any(d == 0):
        raise ValueError("the Jacobi iteration needs a nonzero diagonal")
    n = A.shape[0]
    Dinv = sp.diags(1.0 / d)
    J = (sp.eye(n) - Dinv @ A).tocsr()
    if n <= 1500:
        return float(np.max(np.abs(np.linalg.eigvals(J.toarray()))))
    symmetric = abs(A - A.T).max() == 0 and np.all(d > 0)
    if symmetric:
        s = sp.diags(1.0 / np.sqrt(d))
        Js = (sp.eye(n) - s @ A @ s).tocsr()
        return float(np.max(np.abs(spla.eigsh(Js, k=2, which="BE", return_eigenvectors=False))))
    return float(np.max(np.abs(spla.eigs(J, k=1, which="LM", return_eigenvectors=False))))


def optimal_omega(A: Any = None, beta: float | None = None) -> float:
    """Young's optimal SOR parameter ``1 + (beta / (1 + sqrt(1 - beta^2)))^2``.

    ``beta`` is the Jacobi spectral radius (computed from ``A`` if not given); exact for
    consistently ordered matrices with ``beta < 1`` (e.g. 5-point Laplacians).

    >>> round(optimal_omega(beta=0.9), 4)
    1.3929
    """
    if beta is None:
        if A is None:
            raise ValueError("give A or beta")
        beta = jacobi_spectral_radius(A)
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"optimal omega needs a Jacobi spectral radius in [0, 1), got {beta}")
    return float(1.0 + (beta / (1.0 + np.sqrt(1.0 - beta * beta))) ** 2)
