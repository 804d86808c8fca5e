"""Numba kernels shared by every solver (CSR matvec, fused vector updates, sweeps).

All kernels are ``njit(cache=True)`` so the compile cost is paid once per machine.
Arrays are CSR triplets ``(indptr, indices, data)`` as produced by scipy (int32 or int64
indices; one specialisation each). The row loops run over unsigned positions
(``uintp``): with signed indices numba emits a negative-index wraparound test on every
``x[indices[k]]`` load, which made the Poisson matvec ~40% slower than scipy's C++ one.
"""
from __future__ import annotations

import numpy as np
from numba import njit, uintp


@njit(cache=True)
def csr_matvec(indptr, indices, data, x, out):
    """``out[:] = A @ x`` for a CSR matrix."""
    n = out.shape[0]
    start = uintp(indptr[0])
    for i in range(n):
        end = uintp(indptr[i + 1])
        s = 0.0
        for k in range(start, end):
            s += data[k] * x[uintp(indices[k])]
        start = end
        out[i] = s


@njit(cache=True)
def csr_matvec_dot(indptr, indices, data, x, out):
    """``out[:] = A @ x`` and return ``x @ out`` (one pass; used by CG)."""
    n = out.shape[0]
    acc = 0.0
    start = uintp(indptr[0])
    for i in range(n):
        end = uintp(indptr[i + 1])
        s = 0.0
        for k in range(start, end):
            s += data[k] * x[uintp(indices[k])]
        start = end
        out[i] = s
        acc += s * x[i]
    return acc


@njit(cache=True)
def csr_matvec_dot2(indptr, indices, data, x, out):
    """``out[:] = A @ x``; return ``(x @ out, x @ x)`` in one pass (CG's curvature check)."""
    n = out.shape[0]
    acc = 0.0
    xx = 0.0
    start = uintp(indptr[0])
    for i in range(n):
        end = uintp(indptr[i + 1])
        s = 0.0
        for k in range(start, end):
            s += data[k] * x[uintp(indices[k])]
        start = end
        out[i] = s
        acc += s * x[i]
        xx += x[i] * x[i]
    return acc, xx


@njit(cache=True)
def csr_residual(indptr, indices, data, x, b, out):
    """``out[:] = b - A @ x`` and return ``||out||_2``."""
    n = out.shape[0]
    acc = 0.0
    start = uintp(indptr[0])
    for i in range(n):
        end = uintp(indptr[i + 1])
        s = b[i]
        for k in range(start, end):
            s -= data[k] * x[uintp(indices[k])]
        start = end
        out[i] = s
        acc += s * s
    return np.sqrt(acc)


@njit(cache=True)
def dot(x, y):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += x[i] * y[i]
    return acc


@njit(cache=True)
def axpy_norm2(y, x, alpha):
    """``y += alpha * x``; returns ``y @ y`` (CG's residual update, one pass)."""
    acc = 0.0
    for i in range(y.shape[0]):
        yi = y[i] + alpha * x[i]
        y[i] = yi
        acc += yi * yi
    return acc


@njit(cache=True)
def cg_step_xp(x, p, z, alpha, beta):
    """``x += alpha p`` then ``p = z + beta p`` in one pass; returns the new ``p @ p``.

    CG defers the solution update to this pass: ``p`` is read once for both updates,
    so an iteration streams the long vectors three times (matvec, residual, this).
    """
    acc = 0.0
    for i in range(x.shape[0]):
        pi = p[i]
        x[i] += alpha * pi
        pi = z[i] + beta * pi
        p[i] = pi
        acc += pi * pi
    return acc


@njit(cache=True)
def axpy(y, x, alpha):
    """``y += alpha * x`` in place."""
    for i in range(y.shape[0]):
        y[i] += alpha * x[i]


@njit(cache=True)
def mgs(Q, nq, w, h):
    """Modified Gram-Schmidt of ``w`` against rows ``Q[:nq]``.

    Coefficients go to ``h[:nq]``; ``w`` is overwritten; returns ``||w||``.
    """
    n = w.shape[0]
    for j in range(nq):
        s = 0.0
        for i in range(n):
            s += Q[j, i] * w[i]
        h[j] = s
        for i in range(n):
            w[i] -= s * Q[j, i]
    acc = 0.0
    for i in range(n):
        acc += w[i] * w[i]
    return np.sqrt(acc)


@njit(cache=True)
def givens_column(R, cs, sn, g, j):
    """Apply the previous rotations to column ``j`` of ``R``, make a new one.

    ``R`` is the (m+1, m) Hessenberg copy, ``g`` the rotated right-hand side.
    Returns ``|g[j+1]|``, the least-squares residual norm.
    """
    for i in range(j):
        a = R[i, j]
        c = R[i + 1, j]
        R[i, j] = cs[i] * a + sn[i] * c
        R[i + 1, j] = -sn[i] * a + cs[i] * c
    a = R[j, j]
    c = R[j + 1, j]
    d = np.sqrt(a * a + c * c)
    if d == 0.0:
        cs[j] = 1.0
        sn[j] = 0.0
    else:
        cs[j] = a / d
        sn[j] = c / d
    R[j, j] = d
    R[j + 1, j] = 0.0
    gj = g[j]
    g[j] = cs[j] * gj
    g[j + 1] = -sn[j] * gj
    return abs(g[j + 1])


@njit(cache=True)
def sor_forward(indptr, indices, data, diag, b, x, omega):
    """One forward SOR sweep in place."""
    n = x.shape[0]
    for i in range(n):
        s = b[i]
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if j != i:
                s -= data[k] * x[j]
        x[i] = (1.0 - omega) * x[i] + omega * s / diag[i]


@njit(cache=True)
def sor_backward(indptr, indices, data, diag, b, x, omega):
    """One backward SOR sweep in place."""
    n = x.shape[0]
    for i in range(n - 1, -1, -1):
        s = b[i]
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if j != i:
                s -= data[k] * x[j]
        x[i] = (1.0 - omega) * x[i] + omega * s / diag[i]


@njit(cache=True)
def sor_solve(indptr, indices, data, diag, b, x, omega, symmetric, tol_abs, maxiter, hist, r):
    """Run (S)SOR sweeps until ``||b - A x|| <= tol_abs`` or ``maxiter`` sweeps.

    ``hist[k]`` gets the residual norm after ``k`` sweeps (``hist[0]`` the initial one).
    Returns the number of sweeps done (negative if the iterate became non-finite).
    """
    res = csr_residual(indptr, indices, data, x, b, r)
    hist[0] = res
    if res <= tol_abs:
        return 0
    for it in range(1, maxiter + 1):
        sor_forward(indptr, indices, data, diag, b, x, omega)
        if symmetric:
            sor_backward(indptr, indices, data, diag, b, x, omega)
        res = csr_residual(indptr, indices, data, x, b, r)
        hist[it] = res
        if not np.isfinite(res):
            return -it
        if res <= tol_abs:
            return it
    return maxiter


@njit(cache=True)
def sor_count(indptr, indices, data, diag, b, omega, tol_abs, maxiter, r, x):
    """Sweeps SOR needs from ``x = 0`` to reach ``tol_abs`` (capped at ``maxiter``)."""
    for i in range(x.shape[0]):
        x[i] = 0.0
    res = csr_residual(indptr, indices, data, x, b, r)
    if res <= tol_abs:
        return 0
    for it in range(1, maxiter + 1):
        sor_forward(indptr, indices, data, diag, b, x, omega)
        res = csr_residual(indptr, indices, data, x, b, r)
        if res <= tol_abs or not np.isfinite(res):
            return it if np.isfinite(res) else maxiter
    return maxiter


@njit(cache=True)
def ssor_apply(indptr, indices, data, diag, omega, r, z):
    """SSOR preconditioner ``z = M^{-1} r``: one symmetric sweep from zero."""
    n = r.shape[0]
    # forward: (D/omega + L) y = r
    for i in range(n):
        s = r[i]
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if j < i:
                s -= data[k] * z[j]
        z[i] = omega * s / diag[i]
    # scale: y' = (2 - omega)/omega * D y
    c = (2.0 - omega) / omega
    for i in range(n):
        z[i] = c * diag[i] * z[i]
    # backward: (D/omega + U) z = y'
    for i in range(n - 1, -1, -1):
        s = z[i]
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if j > i:
                s -= data[k] * z[j]
        z[i] = omega * s / diag[i]

