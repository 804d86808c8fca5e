"""Recycled MINRES for sequences of symmetric (possibly indefinite) systems.

After Wang, de Sturler and Paulino (2007), "Large-scale topology optimization using
preconditioned Krylov subspace methods with recycling": a carried space ``U`` with
``C = A U`` orthonormal is projected out, MINRES runs on the symmetric operator
``P A P`` (``P = I - C^T C``) with its short recurrence, and the solution is corrected by
``U``. The true residual ``P (r0 - A V z)`` is what MINRES minimises. After the solve the
space is refreshed by Rayleigh-Ritz on ``[U; v_1 .. v_s]``: ``V A V^T`` is the Lanczos
tridiagonal MINRES built, ``U A V^T = C V^T = 0``, so only the ``k x k`` block is new;
the ``k`` Ritz vectors of smallest ``|theta|`` are carried on.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .deflated_cg import DeflationSpace, check_space, ritz_refresh
from .krylov import start
from .linop import CallbackT
from .result import SolveResult


def check_symmetric(A: Any, rtol: float = 1e-10) -> bool:
    """Structural then numeric symmetry test of a sparse or dense matrix (``|A - A^T| <= rtol |A|``).

    >>> import scipy.sparse as sp
    >>> check_symmetric(sp.diags([1.0, 2.0, 1.0], [-1, 0, 1], shape=(4, 4))), check_symmetric(sp.eye(3, k=1))
    (True, False)
    """
    import scipy.sparse as sp

    S = sp.csr_matrix(A)
    T = S.T.tocsr()
    S.sort_indices()
    T.sort_indices()
    if S.nnz != T.nnz or not (np.array_equal(S.indptr, T.indptr) and np.array_equal(S.indices, T.indices)):
        D = S - T
        return bool(D.nnz == 0 or np.abs(D.data).max() <= rtol * max(np.abs(S.data).max(), 1e-300))
    scale = np.abs(S.data).max() if S.nnz else 0.0
    return bool(np.all(np.abs(S.data - T.data) <= rtol * scale))


def recycled_minres(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
                    M: Any = None, callback: CallbackT | None = None, recycle: Any = None, k: int = 8,
                    store: int | None = None, check: bool = True) -> SolveResult:
    """MINRES with a recycled space for symmetric ``A``; ``result.recycle`` feeds the next system.

    ``k`` vectors are carried; ``store`` (default ``8 k``) leading Lanczos vectors are kept for
    the refresh. ``M`` is not supported (MINRES needs an SPD preconditioner; pass ``None``).
    ``check=True`` tests symmetry first and raises a one-line error for a nonsymmetric ``A``.

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1.0, 1.2, -1.0], [-1, 0, 1], shape=(200, 200), format="csr")  # indefinite
    >>> r1 = recycled_minres(A, np.ones(200), k=6)
    >>> r2 = recycled_minres(A * 1.05, np.ones(200), k=6, recycle=r1.recycle)
    >>> r1.converged and r2.converged and r2.iterations < r1.iterations
    True
    """
    if M is not None:
        raise ValueError("recycled MINRES takes no preconditioner here; pass M=None (or use method='gcrodr')")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"k must be a non-negative integer (vectors carried to the next system), got {k!r}")
    store = 8 * int(k) if store is None else int(store)
    op, b, x, r, hist = start(A, b, x0, tol, maxiter, callback)
    if check and not check_symmetric(op.A):
        raise ValueError("A is not symmetric; MINRES needs a symmetric matrix: use method='gcrodr' or 'auto'")
    U = check_space(recycle, op.n)
    method = f"rminres(k={int(k)})"
    C = None
    if U is not None and hist.bnorm > 0:
        AU = np.array([op.matvec(u) for u in U])
        Q, R = np.linalg.qr(AU.T)
        d = np.abs(np.diag(R))
        keep = d > 1e-10 * d.max()
        if keep.any():
            Q, R = np.linalg.qr(AU[keep].T)
            C = np.ascontiguousarray(Q.T)
            U = np.linalg.solve(R.T, U[keep])  # rows: A U^T = C^T
            c = C @ r
            x += c @ U
            r -= c @ C
            hist.res[0] = float(np.linalg.norm(r)) / hist.bnorm
            hist.mv[0] = op.matvecs
        else:
            U = None
    rounds, logs = 0, []
    reason = "converged" if hist.res[0] <= hist.tol else None
    while reason is None:
        z, reason, log = _minres(op, r, hist, C, store if not logs else 0)
        logs.append(log)
        rounds += 1
        Az = op.matvec(z)
        x += z
        if C is not None:
            x -= (C @ Az) @ U
        rel = hist.correct(op.residual(x, b, r))
        if reason == "converged" and rel > hist.tol:
            reason = None if rounds < 5 and hist.remaining > 0 else "maxiter"
    res = hist.result(x, reason, method, k=int(k), restarts=rounds - 1 if rounds else 0)
    res.recycle = _refresh(U, C, logs[0] if logs else None, int(k), store)
    if res.recycle is not None:
        res.info["ritz_values"] = res.recycle.theta
    return res


def _minres(op, r0: np.ndarray, hist, C: np.ndarray | None, store: int):
    """Paige-Saunders MINRES on ``P A P`` from ``r0`` (``P`` projects out the rows of ``C``).

    Returns ``(z, reason, (V, alphas, betas))`` with the first ``store`` Lanczos vectors."""
    n = op.n

    def apply(v: np.ndarray) -> np.ndarray:  # P A v: the Lanczos vectors already lie in range(P)
        w = op.matvec(v)
        return w if C is None else w - (C @ w) @ C

    beta1 = float(np.linalg.norm(r0))
    z = np.zeros(n)
    V, alphas, betas = [], [], []
    if beta1 == 0:
        return z, "converged", (V, alphas, betas)
    r1 = r0.copy()
    r2 = r0.copy()
    y = r0.copy()
    oldb, beta, dbar, epsln, phibar = 0.0, beta1, 0.0, 0.0, beta1
    cs, sn = -1.0, 0.0
    w, w2 = np.zeros(n), np.zeros(n)
    eps = np.finfo(float).eps
    reason = None
    it = 0
    while reason is None:
        v = y / beta
        if len(V) < store:
            V.append(v)
        y = apply(v)
        if it >= 1:
            y -= (beta / oldb) * r1
        alfa = float(v @ y)
        if len(alphas) < store:
            alphas.append(alfa)
        y -= (alfa / beta) * r2
        r1, r2 = r2, y
        oldb, beta = beta, float(np.linalg.norm(y))
        if len(betas) < store:
            betas.append(beta)
        oldeps = epsln
        delta = cs * dbar + sn * alfa
        gbar = sn * dbar - cs * alfa
        epsln = sn * beta
        dbar = -cs * beta
        gamma = max(float(np.hypot(gbar, beta)), eps)
        cs, sn = gbar / gamma, beta / gamma
        phi = cs * phibar
        phibar = sn * phibar
        w1, w2 = w2, w
        w = (v - oldeps * w1 - delta * w2) / gamma
        z += phi * w
        it += 1
        reason = hist.step(phibar)
        if reason is None and not beta > 0:
            reason = "converged"  # invariant subspace: the projected system is solved
    return z, reason, (V, alphas, betas)


def _refresh(U, C, log, k: int, store: int) -> DeflationSpace | None:
    """Ritz vectors of smallest ``|theta|`` on ``[U; V_s]``, with ``T = blockdiag(U C^T, tridiag)``."""
    if k == 0 or log is None:
        return None if U is None else DeflationSpace(U, np.full(U.shape[0], np.nan))
    V, alphas, betas = log
    s = min(len(V), len(alphas), store)
    if s == 0:
        return None if U is None else DeflationSpace(U, np.full(U.shape[0], np.nan))
    T = np.diag(alphas[:s]) + np.diag(betas[: s - 1], 1) + np.diag(betas[: s - 1], -1)
    Z = np.array(V[:s])
    if U is not None:
        UC = U @ C.T
        kk = U.shape[0]
        T = np.block([[0.5 * (UC + UC.T), np.zeros((kk, s))], [np.zeros((s, kk)), T]])
        Z = np.vstack([U, Z])
    W, theta = ritz_refresh(Z, T, k, magnitude=True)
    return DeflationSpace(np.ascontiguousarray(W), theta)
