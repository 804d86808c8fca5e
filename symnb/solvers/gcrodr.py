"""GCRO-DR(m, k): GMRES with deflated restarting and a recycled subspace.

After every cycle the ``k`` harmonic Ritz vectors of smallest magnitude span ``U_k``
with ``A M U_k = C_k`` and ``C_k`` orthonormal; later Arnoldi vectors are kept
orthogonal to ``C_k``. Passing ``recycle=previous_result.recycle`` to the next solve
carries ``U_k`` over: ``C_k = A_new M U_k`` is rebuilt and re-orthonormalised (k
matvecs), which is what makes a *sequence* of related systems cheap (Parks et al. 2006).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla

from .krylov import _apply, arnoldi_cycle, start, updated_residual
from .linop import CallbackT
from .precond import make_preconditioner
from .result import SolveResult


@dataclass
class RecycleSpace:
    """Recycled subspace: rows of ``U`` (k, n) and ``C`` with ``A M U^T = C^T``, ``C C^T = I``."""

    U: np.ndarray
    C: np.ndarray

    @property
    def k(self) -> int:
        return self.U.shape[0]

    def __repr__(self) -> str:
        return f"RecycleSpace(k={self.k}, n={self.U.shape[1]})"


def harmonic_ritz(G: np.ndarray, WtV: np.ndarray, k: int) -> np.ndarray | None:
    """Real basis (columns) of the ``k`` harmonic Ritz vectors of smallest |theta|.

    Solves ``G^T G z = theta G^T WtV z``; complex pairs contribute real and imaginary parts.
    When ``G^T WtV`` is well conditioned (LAPACK ``gecon`` estimate > 1e-10) this is the
    standard eigenproblem of ``(G^T WtV)^{-1} G^T G`` (LU + ``geev``, ~40% cheaper than the
    QZ algorithm); otherwise the generalized problem is solved.
    """
    Ga, Gb = G.T @ G, G.T @ WtV
    theta = Z = None
    if Gb.size and np.all(np.isfinite(Gb)):
        lu, piv, info = sla.lapack.dgetrf(Gb)
        if info == 0:
            rcond, info = sla.lapack.dgecon(lu, np.abs(Gb).sum(axis=0).max(), norm="1")
            if info == 0 and rcond > 1e-10:
                X, info = sla.lapack.dgetrs(lu, piv, Ga)
                if info == 0 and np.all(np.isfinite(X)):
                    try:
                        theta, Z = np.linalg.eig(X)
                    except np.linalg.LinAlgError:
                        theta = Z = None
    if theta is None:
        try:
            theta, Z = sla.eig(Ga, Gb)
        except (np.linalg.LinAlgError, ValueError):
            return None
    mag = np.abs(theta)
    mag[~np.isfinite(theta)] = np.inf
    cols: list[np.ndarray] = []
    taken: list[complex] = []
    for idx in np.argsort(mag, kind="stable"):
        if len(cols) >= k or not np.isfinite(mag[idx]):
            break
        t, z = theta[idx], Z[:, idx]
        if abs(t.imag) > 1e-12 * max(mag[idx], 1e-300):
            if any(abs(np.conj(t) - s) <= 1e-10 * mag[idx] for s in taken):
                continue
            taken.append(t)
            cols.append(z.real.copy())
            if len(cols) < k:
                cols.append(z.imag.copy())
        else:
            cols.append(np.real(z).copy())
    if not cols:
        return None
    return np.column_stack(cols)


def _orth_pair(GP: np.ndarray):
    """QR of ``GP`` keeping only well-conditioned columns; returns ``(Q, R, keep)``."""
    Q, R = sla.qr(GP, mode="economic", check_finite=False)
    d = np.abs(np.diag(R))
    keep = d > 1e-10 * (d.max() if d.size else 0.0)
    if not np.all(keep):
        Q, R = sla.qr(GP[:, keep], mode="economic", check_finite=False)
    return Q, R, keep


def rebuild(U: np.ndarray, matvec) -> tuple[np.ndarray, np.ndarray] | None:
    """New ``(U, C)`` for a changed matrix: ``C = orth(A M U)``, ``U <- U R^{-1}``."""
    AU = np.empty_like(U)
    for i in range(U.shape[0]):
        AU[i] = matvec(U[i])
    if not np.all(np.isfinite(AU)):
        return None
    Q, R, keep = _orth_pair(AU.T)
    if R.size == 0:
        return None
    return _rinv_t(R) @ U[keep], np.ascontiguousarray(Q.T)


def _rinv_t(R: np.ndarray) -> np.ndarray:
    """``R^{-T}`` of a small triangular ``R`` (applied to long rows by one gemm, not n solves)."""
    return sla.solve_triangular(R, np.eye(R.shape[0]), trans="T", check_finite=False)


def _update_recycle(U: np.ndarray, C: np.ndarray, V: np.ndarray, Hb: np.ndarray, B: np.ndarray,
                    k: int) -> tuple[np.ndarray, np.ndarray]:
    """New ``(U, C)`` from the ``k`` harmonic Ritz vectors of a deflated cycle over ``[U; V_j]``
    (``V`` of ``j + 1`` rows used, ``Hb`` its Hessenberg matrix, ``B = C A M V_j``); the old
    pair is kept when the eigenproblem or the QR fails."""
    kk, j = U.shape[0], Hb.shape[1]
    # small matrices first; every product with the long rows of U, C, V is one gemm
    inv_norms = 1.0 / np.sqrt(np.einsum("ij,ij->i", U, U))
    G = np.zeros((kk + j + 1, kk + j))
    G[:kk, :kk] = np.diag(inv_norms)
    G[:kk, kk:] = B
    G[kk:, kk:] = Hb
    WtV = np.zeros_like(G)
    WtV[:kk, :kk] = (C @ U.T) * inv_norms
    WtV[kk:, :kk] = (V[: j + 1] @ U.T) * inv_norms
    WtV[kk: kk + j, kk:] = np.eye(j)
    P = harmonic_ritz(G, WtV, k)
    if P is None:
        return U, C
    Q, R, keep = _orth_pair(G @ P)
    if not R.size:
        return U, C
    P = P[:, keep]
    Ri = _rinv_t(R)
    return ((Ri @ (P[:kk].T * inv_norms)) @ U + (Ri @ P[kk:].T) @ V[:j],
            Q[:kk].T @ C + Q[kk:].T @ V[: j + 1])


def gcrodr(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
           M: Any = None, callback: CallbackT | None = None, m: int = 40, k: int = 20,
           recycle: RecycleSpace | None = None, reorth: str = "dgks", refresh: int = 1) -> SolveResult:
    """GCRO-DR(m, k) with right preconditioning; ``result.recycle`` feeds the next system.

    With ``k=0`` it is GMRES(m) exactly. ``maxiter`` bounds Arnoldi steps. ``refresh``:
    ``U_k`` is updated from the harmonic Ritz vectors every ``refresh`` cycles and after the
    last one (``0``: only after the last, so a solve runs with the subspace it was given);
    between updates a cycle costs no eigenproblem and no products with the long rows of
    ``U``/``C`` beyond the solution update. Each Arnoldi
    step orthogonalises against ``[C_k; V]`` in one classical Gram-Schmidt pass and repeats
    it only when the DGKS test flags cancellation (``reorth="always"``: always twice).

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1.2, 2.5, -0.8], [-1, 0, 1], shape=(80, 80), format="csr")
    >>> r1 = gcrodr(A, np.ones(80), m=10, k=4)
    >>> r2 = gcrodr(A * 1.01, np.ones(80), m=10, k=4, recycle=r1.recycle)
    >>> r1.converged and r2.converged and r2.iterations < r1.iterations
    True
    """
    if not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m must be a positive integer, got {m!r}")
    if not isinstance(k, (int, np.integer)) or not 0 <= k < m:
        raise ValueError(f"k must be an integer with 0 <= k < m, got k={k!r}, m={m!r}")
    if reorth not in ("dgks", "always"):
        raise ValueError(f"reorth must be 'dgks' or 'always', got {reorth!r}")
    if not isinstance(refresh, (int, np.integer)) or isinstance(refresh, bool) or refresh < 0:
        raise ValueError(f"refresh must be a non-negative integer (cycles between updates of U_k), got {refresh!r}")
    op, b, x, r, hist = start(A, b, x0, tol, maxiter, callback)
    prec = make_preconditioner(M, op)
    method = f"gcrodr({m},{k})" + ("" if prec is None else f"[{prec.name}]")
    n = op.n
    tmp, tmp2 = np.empty(n), np.empty(n)
    AM = lambda v: op.matvec(_apply(prec, v, tmp2))  # noqa: E731

    U = C = None
    rnorm = hist.res[0] * hist.bnorm
    if recycle is not None and k > 0 and recycle.U.ndim == 2 and recycle.U.shape[1] == n and recycle.k > 0:
        if hist.bnorm > 0:
            built = rebuild(np.array(recycle.U[:k], dtype=float), AM)
            if built is not None:
                U, C = built
                c = C @ r
                x += _apply(prec, c @ U, tmp)
                r -= c @ C
                rnorm = float(np.linalg.norm(r))
                hist.mv[0] = op.matvecs
        else:
            U, C = recycle.U, recycle.C
    if rnorm / hist.bnorm <= hist.tol:
        res = hist.result(x, "converged", method, m=int(m), k=int(k))
        res.recycle = None if U is None else RecycleSpace(U, C)
        return res

    reason = None
    cycle = 0
    while reason is None:
        cycle += 1
        if hist.remaining <= 0:
            reason = "maxiter"
            break
        deflated = U is not None
        if not deflated:
            j, y, V, Hb, _, status = arnoldi_cycle(op, prec, r, rnorm, min(int(m), hist.remaining), hist,
                                                   reorth=reorth)
            if status == "breakdown":
                reason = "breakdown"
                break
            x += _apply(prec, y @ V[:j], tmp)
            if k > 0 and j > 0:
                P = harmonic_ritz(Hb, np.eye(j + 1, j), k)
                if P is not None:
                    Q, R, keep = _orth_pair(Hb @ P)
                    if R.size:
                        C = Q.T @ V[: j + 1]
                        U = (_rinv_t(R) @ P[:, keep].T) @ V[:j]
        else:
            kk = U.shape[0]
            j, y, V, Hb, B, status = arnoldi_cycle(op, prec, r, rnorm, min(int(m) - kk, hist.remaining),
                                                   hist, C=C, reorth=reorth)
            if status == "breakdown":
                reason = "breakdown"
                break
            x += _apply(prec, y @ V[:j] - (B @ y) @ U, tmp)
        # A M (V y - U B y) = V_{j+1} Hbar y, so the residual update needs no matvec
        r, rnorm = updated_residual(V, Hb, y, rnorm)
        stopping = rnorm / hist.bnorm <= hist.tol or status is not None
        if deflated and (stopping or (refresh > 0 and cycle % refresh == 0)):
            U, C = _update_recycle(U, C, V, Hb, B, k)
        if stopping:
            rnorm = op.residual(x, b, r)  # confirm with the true residual
            if C is not None and np.isfinite(rnorm):
                c = C @ r
                x += _apply(prec, c @ U, tmp)
                r -= c @ C
                rnorm = float(np.linalg.norm(r))
            rel = hist.correct(rnorm)
            if rel <= hist.tol:
                reason = "converged"
            elif not np.isfinite(rel):
                reason = "breakdown"
            elif status in ("maxiter", "callback"):
                reason = status
            elif status == "lucky":
                reason = "breakdown"
    res = hist.result(x, reason, method, m=int(m), k=int(k))
    res.recycle = None if U is None else RecycleSpace(np.ascontiguousarray(U), C)
    return res
