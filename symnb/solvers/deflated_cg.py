"""Recycled (deflated) conjugate gradients for sequences of SPD systems.

Saad, Yeung, Erhel and Guyomarc'h (2000), "A deflated version of the conjugate gradient
algorithm": the rows of ``W`` (approximate eigenvectors of the smallest eigenvalues) are
projected out of every search direction (``W A p = 0``), so CG runs on the rest of the
spectrum. After a solve, ``W`` is refreshed by Rayleigh-Ritz on ``[W; p_0 .. p_{s-1}]``:
because the directions are ``A``-conjugate and ``A``-orthogonal to ``W``, the projected
matrix is block diagonal, ``diag(W A W^T, p_i.A p_i)``, and the ``p_i.A p_i`` are the
curvatures CG computes anyway. Only the Gram matrix of the stored vectors is new.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import kernels as K
from .krylov import cg, start
from .lanczos_ritz import LanczosRitz
from .linop import CSROperator, CallbackT
from .precond import make_preconditioner
from .result import SolveResult


@dataclass
class DeflationSpace:
    """Carried space of a recycled CG/MINRES: rows of ``W`` (k, n) and their Ritz values ``theta``."""

    W: np.ndarray
    theta: np.ndarray

    @property
    def k(self) -> int:
        return self.W.shape[0]

    @property
    def n(self) -> int:
        return self.W.shape[1]

    def __repr__(self) -> str:
        return f"DeflationSpace(k={self.k}, n={self.n})"


def check_space(space: Any, n: int) -> np.ndarray | None:
    """Rows of a carried space as a float array, or ``None``; one clear error on a size mismatch."""
    if space is None:
        return None
    W = space.W if isinstance(space, DeflationSpace) else getattr(space, "U", space)
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ValueError(f"recycle space must hold vectors as rows of a 2-D array, got shape {W.shape}")
    if W.shape[1] != n:
        raise ValueError(f"recycle space dimension mismatch: its vectors have length {W.shape[1]} but A is "
                         f"{n}x{n}; pass recycle=None when the system size changes")
    return W if W.shape[0] else None


def ritz_refresh(Z: np.ndarray, T: np.ndarray, k: int, magnitude: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Rayleigh-Ritz: ``k`` Ritz pairs of ``A`` on the rows of ``Z`` given ``T = Z A Z^T``.

    Smallest Ritz values (``magnitude=True``: smallest ``|theta|``, for indefinite ``A``).
    Rows are scaled to unit length and the Gram matrix's near-null directions dropped, so
    dependent rows are harmless. Returns ``(W, theta)`` with unit rows ``W``.

    >>> A = np.diag([1.0, 2.0, 3.0, 10.0]); Z = np.eye(4)[[3, 0, 2]]
    >>> W, th = ritz_refresh(Z, Z @ A @ Z.T, 2); th.tolist(), np.abs(W).argmax(axis=1).tolist()
    ([1.0, 3.0], [0, 2])
    """
    s = 1.0 / np.maximum(np.sqrt(np.einsum("ij,ij->i", Z, Z)), 1e-300)
    Zs = Z * s[:, None]
    Ts = T * np.outer(s, s)
    G = Zs @ Zs.T
    lam, Q = np.linalg.eigh(0.5 * (G + G.T))
    keep = lam > 1e-10 * lam.max()
    S = Q[:, keep] / np.sqrt(lam[keep])
    H = S.T @ Ts @ S
    theta, Y = np.linalg.eigh(0.5 * (H + H.T))
    idx = np.argsort(np.abs(theta) if magnitude else theta, kind="stable")[:k]
    W = (S @ Y[:, idx]).T @ Zs
    W /= np.maximum(np.sqrt(np.einsum("ij,ij->i", W, W)), 1e-300)[:, None]
    return W, theta[idx]


def _project_space(W: np.ndarray, op: CSROperator, thresh: float):
    """Orthonormalise ``W`` and diagonalise ``W A W^T``; returns ``(W, AW, lam)`` or a negative curvature."""
    Q, R = np.linalg.qr(W.T)
    d = np.abs(np.diag(R))
    Q = Q[:, d > 1e-10 * d.max()]
    W = np.ascontiguousarray(Q.T)
    AW = np.empty_like(W)
    for i in range(W.shape[0]):
        op.matvec(W[i], AW[i])
    E = W @ AW.T
    lam, Y = np.linalg.eigh(0.5 * (E + E.T))
    W, AW = Y.T @ W, Y.T @ AW
    return W, AW, lam, bool(lam.min() <= thresh)


def deflated_cg(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
                M: Any = None, callback: CallbackT | None = None, recycle: Any = None, k: int = 8,
                store: int | None = None) -> SolveResult:
    """Deflated (recycled) CG for SPD ``A``; ``result.recycle`` (a :class:`DeflationSpace`) feeds the next system.

    ``recycle``: the previous result's space (or rows ``(k, n)``), ``None`` on the first
    system. ``k`` is the number of vectors carried on; ``store`` (default ``max(4 k, 20)``) the
    window of Lanczos vectors (normalised residuals) folded into ``2 k`` running Ritz vectors
    (:class:`~symnb.solvers.lanczos_ritz.LanczosRitz`; with ``M``: the first ``store``
    search directions). With ``M`` it is
    deflated PCG (the refresh still targets the small eigenvalues of ``A``). A non-positive
    curvature ``p.A p`` (or ``w.A w`` on the carried space) stops with
    ``reason="negative curvature"`` and ``info["message"]``; ``x`` holds the iterate so far.

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1.0, 2.05, -1.0], [-1, 0, 1], shape=(200, 200), format="csr")
    >>> r1 = deflated_cg(A, np.ones(200), k=6)
    >>> r2 = deflated_cg(A * 1.1, np.ones(200), k=6, recycle=r1.recycle)
    >>> r1.converged and r2.converged and r2.iterations < r1.iterations
    True
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"k must be a non-negative integer (vectors carried to the next system), got {k!r}")
    store = max(4 * int(k), 20) if store is None else store
    if isinstance(store, bool) or not isinstance(store, (int, np.integer)) or store < 0:
        raise ValueError(f"store must be a non-negative integer (search directions kept), got {store!r}")
    if k == 0 and recycle is None and M is None:
        return _plain(A, b, x0, tol, maxiter, callback)
    op, b, x, r, hist = start(A, b, x0, tol, maxiter, callback)
    W = check_space(recycle, op.n)
    prec = make_preconditioner(M, op)
    method = ("dcg" if prec is None else f"dpcg[{prec.name}]") + f"(k={int(k)})"
    n = op.n
    anorm = float(np.max(np.abs(op.A).sum(axis=1))) if op.A.nnz else 0.0
    thresh = 64 * np.finfo(float).eps * anorm
    AW = lam = None
    if W is not None and hist.bnorm > 0:
        W, AW, lam, negative = _project_space(W, op, thresh)
        hist.mv[0] = op.matvecs
        if negative:
            return _stop(hist, x, method, "A has a non-positive eigenvalue on the recycled space",
                         DeflationSpace(W, lam))
        c = (W @ r) / lam
        x += c @ W
        r -= c @ AW
        hist.res[0] = float(np.linalg.norm(r)) / hist.bnorm
    if hist.res[0] <= hist.tol:
        return _finish(hist, x, "converged", method, W, lam, _DirectionLog(0), k)

    def mu(z: np.ndarray) -> np.ndarray:
        return (AW @ z) / lam

    z = r if prec is None else prec.apply(r, np.empty(n))
    lanczos = prec is None  # refresh from CG's own Lanczos coefficients (else: stored p)
    m0 = None if AW is None else mu(z)
    p = z.copy() if AW is None else z - m0 @ W
    rz = K.dot(r, z)
    if not rz > 0:
        return _stop(hist, x, method, "r.Mr <= 0 at the start: the preconditioner is not positive definite "
                     "(is A indefinite?); use method='rminres' or M=None", None if W is None else
                     DeflationSpace(W, lam), reason="breakdown")
    q = np.empty(n)
    L = LanczosRitz(int(k), store, lam) if lanczos else _DirectionLog(store)
    L.record(r, np.sqrt(rz), m0)
    reason = "maxiter" if hist.maxiter == 0 else None
    message = ""
    while reason is None:
        pq = K.csr_matvec_dot(op.indptr, op.indices, op.data, p, q)
        op.matvecs += 1
        pp = K.dot(p, p)
        if not pq > thresh * pp:
            reason, message = "negative curvature", f"p.Ap = {pq:.3g} <= 0 after {hist.it} iterations"
            break
        alpha = rz / pq
        L.alpha(alpha) if lanczos else L.step(p, pq, alpha)
        K.axpy(x, p, alpha)
        rr = K.axpy_norm2(r, q, -alpha)
        reason = hist.step(np.sqrt(rr))
        if reason is not None:
            break
        if prec is not None:
            prec.apply(r, z)
        rz_new = K.dot(r, z)
        if not rz_new > 0:
            reason, message = "breakdown", "r.Mr <= 0: the preconditioner is not positive definite"
            break
        beta = rz_new / rz
        p *= beta
        p += z
        if AW is not None:
            m = mu(z)
            p -= m @ W
        else:
            m = None
        L.beta(beta)
        L.record(r, np.sqrt(rz_new), m)
        rz = rz_new
    if reason == "negative curvature":
        return _stop(hist, x, method, f"A is not positive definite: {message}; use method='rminres' "
                     "for symmetric indefinite systems", None if W is None else DeflationSpace(W, lam))
    res = _finish(hist, x, reason, method, W, lam, L, k)
    if message:
        res.info["message"] = message
    return res


def _plain(A, b, x0, tol, maxiter, callback) -> SolveResult:
    """Nothing to deflate or carry: the fused numba CG, with its breakdown read as negative curvature."""
    res = cg(A, b, x0=x0, tol=tol, maxiter=maxiter, callback=callback)
    res.method = "dcg(k=0)"
    if res.reason == "breakdown":
        res.reason = "negative curvature"
        res.info["message"] = (f"A is not positive definite: p.Ap <= 0 after {res.iterations} iterations; "
                               "use method='rminres' for symmetric indefinite systems")
    return res


def _stop(hist, x, method: str, message: str, space: DeflationSpace | None,
          reason: str = "negative curvature") -> SolveResult:
    res = hist.result(x, reason, method, message=message)
    res.recycle = space
    return res


class _DirectionLog:
    """The preconditioned refresh: the first ``store`` search directions and their curvatures
    ``p.A p`` (``A``-conjugate and ``A``-orthogonal to ``W``, so ``Z A Z^T`` is diagonal)."""

    def __init__(self, store: int):
        self.store = int(store)
        self.P: list[np.ndarray] = []
        self.curv: list[float] = []

    def record(self, r: np.ndarray, rho: float, m: np.ndarray | None) -> None:
        pass

    def beta(self, beta: float) -> None:
        pass

    def step(self, p: np.ndarray, pq: float, alpha: float) -> None:
        if len(self.P) < self.store:
            self.P.append(p.copy())
            self.curv.append(pq)

    def block(self, W: np.ndarray | None, lam: np.ndarray | None) -> tuple[np.ndarray, np.ndarray] | None:
        if not self.P:
            return None if W is None else (W, np.diag(lam))
        Z = np.array(self.P) if W is None else np.vstack([W, np.array(self.P)])
        d = np.asarray(self.curv) if W is None else np.concatenate([lam, self.curv])
        return Z, np.diag(d)


def _finish(hist, x, reason: str, method: str, W, lam, L: Any, k: int) -> SolveResult:
    """Result with the refreshed space: the ``k`` smallest Ritz pairs on ``[W; stored vectors]``."""
    res = hist.result(x, reason, method, k=int(k))
    blk = None if k == 0 else L.block(W, lam)
    if blk is None:
        res.recycle = None if W is None else DeflationSpace(W, lam)
        return res
    Wn, theta = ritz_refresh(blk[0], blk[1], int(k))
    res.recycle = DeflationSpace(np.ascontiguousarray(Wn), theta)
    res.info["ritz_values"] = theta
    return res
