"""Krylov solvers: CG, preconditioned CG and restarted GMRES(m).

All share the signature ``solve(A, b, x0=None, tol=1e-8, maxiter=None, M=None,
callback=None) -> SolveResult``. ``tol`` bounds the relative residual ``||b-Ax||/||b||``;
``maxiter`` bounds the number of iterations (one matvec each; default ``max(10 n, 1000)``);
``callback(iteration, rel_residual)`` is called every iteration and stops the solve
(reason ``"callback"``) when it returns ``True``.
"""
from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.linalg as sla

from . import kernels as K
from .linop import CSROperator, CallbackT, prepare
from .precond import Preconditioner, make_preconditioner
from .result import SolveResult


class History:
    """Residual / matvec bookkeeping shared by the iterative solvers."""

    def __init__(self, op: CSROperator, bnorm: float, r0norm: float, tol: float, maxiter: int,
                 callback: CallbackT | None):
        self.op, self.bnorm, self.tol, self.maxiter, self.callback = op, bnorm, tol, maxiter, callback
        self.res = [r0norm / bnorm]
        self.mv = [op.matvecs]
        self.it = 0
        self.t0 = time.perf_counter()

    @property
    def remaining(self) -> int:
        return self.maxiter - self.it

    def step(self, res_abs: float) -> str | None:
        """Record one iteration; return a stop reason or ``None``."""
        rel = res_abs / self.bnorm
        self.it += 1
        self.res.append(rel)
        self.mv.append(self.op.matvecs)
        if not np.isfinite(rel):
            return "breakdown"
        if self.callback is not None and self.callback(self.it, rel) is True:
            return "callback"
        if rel <= self.tol:
            return "converged"
        if self.it >= self.maxiter:
            return "maxiter"
        return None

    def correct(self, res_abs: float) -> float:
        """Replace the last (estimated) entry by the true residual; returns it relative."""
        rel = res_abs / self.bnorm
        self.res[-1] = rel
        self.mv[-1] = self.op.matvecs
        return rel

    def result(self, x, reason: str, method: str, **info) -> SolveResult:
        return SolveResult(x=x, residuals=np.asarray(self.res, dtype=float),
                           matvec_history=np.asarray(self.mv, dtype=np.int64), matvecs=self.op.matvecs,
                           time=time.perf_counter() - self.t0, converged=reason == "converged",
                           reason=reason, method=method, info=info)


def start(A, b, x0, tol, maxiter, callback):
    """Validate, compute the initial residual; returns ``(op, b, x, r, hist)``."""
    t0 = time.perf_counter()
    op, b, x, tol, maxiter = prepare(A, b, x0, tol, maxiter)
    bnorm = float(np.linalg.norm(b))
    if bnorm == 0.0:
        x[:] = 0.0
        r = np.zeros(op.n)
        hist = History(op, 1.0, 0.0, tol, maxiter, callback)
    else:
        if x0 is None:
            r = b.copy()
            rnorm = bnorm
        else:
            r = np.empty(op.n)
            rnorm = op.residual(x, b, r)
        hist = History(op, bnorm, rnorm, tol, maxiter, callback)
    hist.t0 = t0
    return op, b, x, r, hist


def _apply(prec: Preconditioner | None, v: np.ndarray, out: np.ndarray) -> np.ndarray:
    if prec is None:
        out[:] = v
        return out
    return prec.apply(v, out)


def cg(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
       M: Any = None, callback: CallbackT | None = None) -> SolveResult:
    """Conjugate gradients for symmetric positive definite ``A`` (PCG when ``M`` is given).

    A non-positive curvature ``p.Ap`` (singular or indefinite ``A``) or a non-positive
    ``r.Mr`` stops with ``converged=False, reason="breakdown"``.

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(50, 50), format="csr")
    >>> res = cg(A, np.ones(50))
    >>> res.converged, bool(np.allclose(A @ res.x, 1, atol=1e-6))
    (True, True)
    """
    op, b, x, r, hist = start(A, b, x0, tol, maxiter, callback)
    prec = make_preconditioner(M, op)
    method = "cg" if prec is None else f"pcg[{prec.name}]"
    if hist.res[0] <= hist.tol:
        return hist.result(x, "converged", method)
    n = op.n
    # breakdown threshold on the curvature: p.Ap <= eps * ||A||_inf * p.p
    anorm = float(np.max(np.abs(op.A).sum(axis=1))) if op.A.nnz else 0.0
    thresh = 64 * np.finfo(float).eps * anorm
    z = r if prec is None else prec.apply(r, np.empty(n))
    p = z.copy()
    rz = K.dot(r, z)
    pp = K.dot(p, p)
    q = np.empty(n)
    if not rz > 0:
        return hist.result(x, "breakdown", method)
    reason = "maxiter" if hist.maxiter == 0 else None
    indptr, indices, data = op.indptr, op.indices, op.data
    # three passes over the long vectors per iteration: q = A p (with p.q), r -= alpha q
    # (with r.r), then x += alpha p and p = z + beta p together (x's update is deferred)
    while reason is None:
        pq = K.csr_matvec_dot(indptr, indices, data, p, q)
        op.matvecs += 1
        if not pq > thresh * pp:
            reason = "breakdown"
            break
        alpha = rz / pq
        rr = K.axpy_norm2(r, q, -alpha)
        reason = hist.step(np.sqrt(rr))
        if reason is None and prec is not None:
            prec.apply(r, z)
            rz_new = K.dot(r, z)
            if not rz_new > 0:
                reason = "breakdown"
        elif reason is None:
            rz_new = rr
        if reason is not None:
            K.axpy(x, p, alpha)
            break
        pp = K.cg_step_xp(x, p, z, alpha, rz_new / rz)
        rz = rz_new
    return hist.result(x, reason, method)


def pcg(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
        M: Any = "jacobi", callback: CallbackT | None = None) -> SolveResult:
    """Preconditioned CG; ``M`` defaults to Jacobi (``"ssor"`` or any matrix/callable works).

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1, 4.0, -1], [-1, 0, 1], shape=(30, 30), format="csr")
    >>> pcg(A, np.ones(30), M="ssor").converged
    True
    """
    return cg(A, b, x0=x0, tol=tol, maxiter=maxiter, M=M, callback=callback)


_DGKS = 1.0 / np.sqrt(2.0)
_LOSS = 1e-12  # tolerated |Q w| / ||w|| of a new basis vector after one pass


def cgs_dgks(Q: np.ndarray, nq: int, w: np.ndarray, h: np.ndarray, always: bool = False) -> float:
    """Classical Gram-Schmidt of ``w`` against the orthonormal rows ``Q[:nq]`` (BLAS-2).

    One pass is ``c = Q w; w -= Q^T c`` (two gemv). When it cancelled more than
    ``1 - 1/sqrt(2)`` of ``||w||`` (the Daniel-Gragg-Kaufman-Stewart test) the remaining
    component ``c2 = Q w`` is measured (one gemv) and subtracted (the second pass, "twice
    is enough") unless it is already below ``1e-12 ||w||``. ``always=True`` runs the full
    second pass every time (classical CGS2). Coefficients go to ``h[:nq]``; ``w`` is
    overwritten; returns ``||w||``.

    >>> Q = np.eye(3)[:2].copy(); w = np.array([1.0, 2.0, 3.0]); h = np.empty(2)
    >>> cgs_dgks(Q, 2, w, h), h.tolist(), w.tolist()
    (3.0, [1.0, 2.0], [0.0, 0.0, 3.0])
    """
    w0 = np.sqrt(K.dot(w, w))
    if nq == 0:
        return float(w0)
    Qn = Q[:nq]
    c = Qn @ w
    w -= c @ Qn
    wn = np.sqrt(K.dot(w, w))
    if always or wn < _DGKS * w0:
        c2 = Qn @ w
        if always or np.sqrt(K.dot(c2, c2)) > _LOSS * wn:
            w -= c2 @ Qn
            c += c2
            wn = np.sqrt(K.dot(w, w))
    h[:nq] = c
    return float(wn)


def arnoldi_cycle(op: CSROperator, prec: Preconditioner | None, r: np.ndarray, rnorm: float,
                  steps: int, hist: History, C: np.ndarray | None = None, reorth: str = "dgks"):
    """Up to ``steps`` Arnoldi steps of ``(I - C^T C) A M`` from ``r / rnorm``.

    ``C`` holds orthonormal rows (GCRO-DR's ``C_k``). It is copied above ``V`` in one
    buffer ``W = [C; V]``, so each step orthogonalises against ``C`` and ``V`` together
    with one classical Gram-Schmidt pass (two BLAS-2 calls) and re-orthogonalises only when
    the DGKS test asks for it and the measured loss exceeds ``1e-12`` (see :func:`cgs_dgks`;
    ``reorth="always"``: two full passes every step).
    Solves the small least-squares problem with Givens rotations, recording one residual
    estimate per step. Returns ``(j, y, V, Hbar, B, status)`` with ``V`` of shape
    (steps+1, n), ``Hbar`` (j+1, j) and ``B = C A M V_j`` (kk, j).
    """
    if reorth not in ("dgks", "always"):
        raise ValueError(f"reorth must be 'dgks' or 'always', got {reorth!r}")
    always = reorth == "always"
    n = op.n
    kk = 0 if C is None else C.shape[0]
    W = np.empty((kk + steps + 1, n))
    if kk:
        W[:kk] = C
    V = W[kk:]
    H = np.zeros((steps + 1, steps))
    R = np.zeros((steps + 1, steps))
    B = np.zeros((kk, steps))
    cs, sn = np.zeros(steps), np.zeros(steps)
    g = np.zeros(steps + 1)
    g[0] = rnorm
    np.divide(r, rnorm, out=V[0])
    h = np.empty(kk + steps + 1)
    w, tmp = np.empty(n), np.empty(n)
    j_done, status = 0, None
    for j in range(steps):
        if prec is None:
            op.matvec(V[j], w)
        else:
            op.matvec(prec.apply(V[j], tmp), w)
        hn = cgs_dgks(W, kk + j + 1, w, h, always)
        if kk:
            B[:, j] = h[:kk]
        hj = h[kk: kk + j + 1]
        H[: j + 1, j] = hj
        H[j + 1, j] = hn
        R[: j + 2, j] = H[: j + 2, j]
        res = K.givens_column(R, cs, sn, g, j)
        j_done = j + 1
        lucky = not hn > 1e-14 * np.sqrt(K.dot(hj, hj) + hn * hn)
        if lucky:
            V[j + 1] = 0.0
        else:
            np.divide(w, hn, out=V[j + 1])
        status = hist.step(res)
        if status is None and lucky:
            status = "lucky"
        if status is not None:
            break
    Rj = R[:j_done, :j_done]
    gj = g[:j_done]
    d = np.abs(np.diag(Rj))
    if j_done and np.all(np.isfinite(Rj)) and d.min() > 1e-300 and np.all(np.isfinite(gj)):
        y = sla.solve_triangular(Rj, gj, lower=False, check_finite=False)
    elif j_done:
        y = np.linalg.lstsq(np.nan_to_num(Rj), np.nan_to_num(gj), rcond=None)[0]
    else:
        y = np.zeros(0)
    return j_done, y, V, H[: j_done + 1, :j_done], B[:, :j_done], status


def gmres(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
          M: Any = None, callback: CallbackT | None = None, restart: int = 40) -> SolveResult:
    """Restarted GMRES(``restart``) with right preconditioning (true residuals are tracked).

    Between restarts the residual is updated from the small least-squares problem; the
    true residual (one matvec) is checked before stopping.

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.diags([-1.3, 3.0, -0.7], [-1, 0, 1], shape=(60, 60), format="csr")
    >>> res = gmres(A, np.ones(60), restart=10)
    >>> res.converged, res.residual < 1e-8
    (True, True)
    """
    if not isinstance(restart, (int, np.integer)) or restart < 1:
        raise ValueError(f"restart must be a positive integer, got {restart!r}")
    op, b, x, r, hist = start(A, b, x0, tol, maxiter, callback)
    prec = make_preconditioner(M, op)
    method = f"gmres({restart})" + ("" if prec is None else f"[{prec.name}]")
    rnorm = hist.res[0] * hist.bnorm
    if hist.res[0] <= hist.tol:
        return hist.result(x, "converged", method)
    tmp = np.empty(op.n)
    reason = None
    while reason is None:
        steps = min(int(restart), hist.remaining)
        if steps <= 0:
            reason = "maxiter"
            break
        j, y, V, Hb, _, status = arnoldi_cycle(op, prec, r, rnorm, steps, hist)
        if status == "breakdown":
            reason = "breakdown"
            break
        x += _apply(prec, y @ V[:j], tmp)
        r, rnorm = updated_residual(V, Hb, y, rnorm)
        if rnorm / hist.bnorm <= hist.tol or status is not None:
            # confirm with the true residual (one matvec) before stopping
            rnorm = op.residual(x, b, r)
            rel = hist.correct(rnorm)
            if rel <= hist.tol:
                reason = "converged"
            elif status in ("maxiter", "callback"):
                reason = status
            elif status == "lucky" or not np.isfinite(rel):
                reason = "breakdown"  # invariant Krylov space without the solution: singular A
    return hist.result(x, reason, method, restart=int(restart))


def updated_residual(V: np.ndarray, Hb: np.ndarray, y: np.ndarray, rnorm: float) -> tuple[np.ndarray, float]:
    """Residual after a cycle without a matvec: ``r = V_{j+1} (rnorm e1 - Hbar y)``."""
    s = -(Hb @ y)
    s[0] += rnorm
    r = s @ V[: Hb.shape[0]]
    return r, float(np.linalg.norm(r))
