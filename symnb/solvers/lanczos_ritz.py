"""Ritz vectors of the smallest eigenvalues gathered while CG runs, in bounded memory.

CG's residuals ``r_j / ||r_j||`` are Lanczos vectors and its coefficients give their
tridiagonal ``T`` (``T_jj = 1/alpha_j + beta_{j-1}/alpha_{j-1}``,
``T_{j,j+1} = -sqrt(beta_j)/alpha_j``). In deflated CG (rows ``W``, ``E = W A W^T``
diagonal) the residuals stay orthogonal to ``W`` and ``v_i.A v_j = T_ij + mu_i.E mu_j``
with ``mu_j = E^{-1} W A v_j``, which CG computes for its projection. So the projection
of ``A`` on ``[W; kept Ritz vectors; current window]`` is known from scalars already at
hand; every ``window`` steps the window is folded into ``2 nev`` vectors: the ``nev`` smallest
Ritz vectors and those of the previous step (the thick, locally optimal restart of eigCG,
Stathopoulos and Orginos 2010): the kept vectors couple to
the next window only through the last Lanczos vector, with coefficient ``-sqrt(beta)/alpha``.
"""
from __future__ import annotations

import numpy as np


class LanczosRitz:
    """Streaming Rayleigh-Ritz over the whole CG run: ``record`` each normalised residual (with
    its ``mu``), ``alpha``/``beta`` as CG makes them, then :meth:`block` gives ``(Z, Z A Z^T)``.

    >>> import scipy.sparse as sp
    >>> A = sp.diags(np.arange(1.0, 101.0)).tocsr(); b = np.ones(100)
    >>> lr = LanczosRitz(nev=4, window=10)
    >>> x = np.zeros(100); r = b.copy(); p = r.copy(); rr = r @ r
    >>> lr.record(r, np.sqrt(rr), None)
    >>> for _ in range(40):
    ...     q = A @ p; alpha = rr / (p @ q); x += alpha * p; r -= alpha * q
    ...     lr.alpha(alpha); rr_new = r @ r; lr.beta(rr_new / rr)
    ...     p = r + (rr_new / rr) * p; rr = rr_new; lr.record(r, np.sqrt(rr), None)
    >>> Z, T = lr.block(None, None); th = np.linalg.eigvalsh(T)
    >>> bool(abs(th[0] - 1.0) < 1e-6)
    True
    """

    def __init__(self, nev: int, window: int, lam: np.ndarray | None = None):
        self.nev, self.window, self.lam = int(nev), max(int(window), 2), lam
        self.V: list[np.ndarray] = []  # the current window of Lanczos vectors
        self.mus: list[np.ndarray] = []
        self.alphas: list[float] = []
        self.betas: list[float] = []
        self.Y: np.ndarray | None = None  # kept Ritz vectors (rows, up to 2 nev)
        self.H: np.ndarray | None = None  # Y A Y^T
        self.muY: np.ndarray | None = None  # (q, kk): W A y = E muY[i]
        self.cY: np.ndarray | None = None  # coefficients of Y on the last folded Lanczos vector
        self.couple = 0.0  # T entry between the last folded vector and the window's first
        self.dprev = 0.0  # beta/alpha of the last folded vector: part of the window's first T_jj

    def record(self, r: np.ndarray, rho: float, m: np.ndarray | None) -> None:
        if not rho > 0:
            return
        if len(self.V) == self.window and len(self.alphas) == self.window and len(self.betas) == self.window:
            self._fold()
        self.V.append(r / rho)
        if m is not None:
            self.mus.append(m / rho)

    def alpha(self, a: float) -> None:
        if len(self.alphas) < len(self.V):
            self.alphas.append(float(a))

    def beta(self, b: float) -> None:
        if len(self.betas) < len(self.alphas):
            self.betas.append(float(b))

    def _window_block(self, s: int, lam: np.ndarray | None):
        a = np.asarray(self.alphas[:s])
        bt = np.asarray(self.betas[: s - 1])
        d = 1.0 / a
        d[0] += self.dprev
        d[1:] += bt / a[:-1]
        off = -np.sqrt(bt) / a[:-1]
        T = np.diag(d) + np.diag(off, 1) + np.diag(off, -1)
        Mh = None
        if lam is not None and self.mus:
            Mh = np.array(self.mus[:s]).T  # (kk, s)
            T = T + Mh.T @ (lam[:, None] * Mh)
        return np.array(self.V[:s]), T, Mh

    def _fold(self) -> None:
        """Fold the window into the ``nev`` smallest Ritz vectors of ``[Y; window]``."""
        s = min(len(self.V), len(self.alphas))
        if s == 0:
            return
        lam = self.lam
        V, T, Mh = self._window_block(s, lam)
        if self.Y is None:
            Z, TZ, muZ = V, T, (None if Mh is None else Mh.T)
        else:
            q = self.Y.shape[0]
            C = np.zeros((q, s))
            C[:, 0] = self.cY * self.couple
            if Mh is not None:
                C += self.muY @ (lam[:, None] * Mh)
            Z = np.vstack([self.Y, V])
            TZ = np.block([[self.H, C], [C.T, T]])
            muZ = None if Mh is None else np.vstack([self.muY, Mh.T])
        TZ = 0.5 * (TZ + TZ.T)
        # keep the nev smallest Ritz vectors of [Y; window] and of the same space less its
        # last vector (eigCG's locally optimal restart: 2 nev vectors, Rayleigh-Ritz on them)
        Q1 = np.linalg.eigh(TZ)[1][:, : self.nev]
        Q2 = np.linalg.eigh(TZ[:-1, :-1])[1][:, : self.nev]
        B, R = np.linalg.qr(np.hstack([Q1, np.vstack([Q2, np.zeros((1, Q2.shape[1]))])]))
        B = B[:, np.abs(np.diag(R)) > 1e-10]
        theta, G = np.linalg.eigh(B.T @ TZ @ B)
        Q = B @ G
        self.Y = Q.T @ Z
        self.H = np.diag(theta)
        self.muY = None if muZ is None else Q.T @ muZ
        self.cY = Q[-1]
        last = s - 1
        if len(self.betas) > last:
            self.couple = -np.sqrt(self.betas[last]) / self.alphas[last]
            self.dprev = self.betas[last] / self.alphas[last]
        del self.V[:s], self.mus[:s], self.alphas[:s], self.betas[:s]

    def block(self, W: np.ndarray | None, lam: np.ndarray | None) -> tuple[np.ndarray, np.ndarray] | None:
        """``(Z, Z A Z^T)`` over ``[W; Ritz vectors kept]`` after folding what is left."""
        self._fold()
        if self.Y is None:
            return None if W is None else (W, np.diag(lam))
        if W is None:
            return self.Y, self.H
        EM = (self.muY * lam).T if self.muY is not None else np.zeros((W.shape[0], self.Y.shape[0]))
        T = np.block([[np.diag(lam), EM], [EM.T, self.H]])
        return np.vstack([W, self.Y]), T
