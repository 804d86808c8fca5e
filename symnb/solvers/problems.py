"""Seeded generators of linear-system sequences (Darcy, Helmholtz, heat/Crank-Nicolson, shifted Laplacians)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


@dataclass
class LinearSystem:
    """One system ``A x = b`` with the parameters that generated it.

    ``params`` (e.g. the coefficient field) is what sequences sort by; ``context`` is a
    scalar feature for contextual bandits.
    """

    A: sp.csr_matrix
    b: np.ndarray
    params: np.ndarray | None = None
    context: float | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.A.shape[0]


def laplacian_2d(n: int, scaled: bool = False) -> sp.csr_matrix:
    """5-point Dirichlet Laplacian on an ``n x n`` interior grid (diagonal 4, or ``/h^2`` if scaled).

    >>> laplacian_2d(3).shape
    (9, 9)
    """
    if n < 1:
        raise ValueError(f"grid size n must be >= 1, got {n}")
    T = sp.diags([-np.ones(n - 1), 2 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1])
    I = sp.eye(n)
    L = (sp.kron(I, T) + sp.kron(T, I)).tocsr()
    return L * float(n + 1) ** 2 if scaled else L


def gaussian_random_field(n: int, rng: np.random.Generator | int | None = None, alpha: float = 2.0,
                          tau: float = 3.0, sigma: float = 1.0) -> np.ndarray:
    """Periodic Gaussian random field on ``n x n`` with spectrum ``(4 pi^2 |k|^2 + tau^2)^(-alpha)``.

    Zero mean, standard deviation ``sigma``.

    >>> gaussian_random_field(16, 0).shape
    (16, 16)
    """
    rng = np.random.default_rng(rng)
    k = np.fft.fftfreq(n) * n
    kx, ky = np.meshgrid(k, k, indexing="ij")
    amp = (4 * np.pi**2 * (kx**2 + ky**2) + tau**2) ** (-alpha / 2)
    amp[0, 0] = 0.0
    noise = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
    f = np.real(np.fft.ifft2(amp * noise))
    s = f.std()
    return sigma * f / s if s > 0 else f


def kl_random_field(n: int, modes: int, rng: np.random.Generator | int | None = None, alpha: float = 2.0,
                    tau: float = 3.0, sigma: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Periodic GRF truncated to its ``modes`` leading Karhunen-Loeve modes; returns ``(field, xi)``.

    Same covariance as :func:`gaussian_random_field` (spectrum ``(4 pi^2 |k|^2 + tau^2)^(-alpha)``),
    but written as ``sum_j sqrt(lambda_j) xi_j phi_j`` over the real Fourier modes
    ``phi_j = sqrt(2) cos/sin(2 pi k.x)`` of largest ``lambda_j``, with ``xi ~ N(0, I_modes)``. The
    field depends linearly on the ``modes`` numbers ``xi``, so samples live in a
    ``modes``-dimensional family (the setting in which sorting a sequence finds close
    neighbours). ``sigma`` scales the expected spatial standard deviation (not per sample).

    >>> f, xi = kl_random_field(16, 6, 0); f.shape, xi.shape
    ((16, 16), (6,))
    """
    if not isinstance(modes, (int, np.integer)) or modes < 1:
        raise ValueError(f"modes must be a positive integer, got {modes!r}")
    if n < 2:
        raise ValueError(f"grid size n must be >= 2, got {n}")
    rng = np.random.default_rng(rng)
    basis = _kl_basis(n, int(modes), float(alpha), float(tau))
    lam, phi = basis
    xi = rng.standard_normal(lam.size)
    f = np.tensordot(np.sqrt(lam) * xi, phi, axes=1)
    scale = sigma / np.sqrt(lam.sum())  # E[mean_x f^2] = sum lambda_j (mean phi_j^2 = 1)
    return f * scale, xi


_KL_CACHE: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _kl_basis(n: int, modes: int, alpha: float, tau: float) -> tuple[np.ndarray, np.ndarray]:
    """Leading real Fourier modes on the periodic ``n x n`` grid: ``(lambda (modes,), phi (modes, n, n))``."""
    key = (n, modes, alpha, tau)
    if key not in _KL_CACHE:
        half = n // 2
        freqs = [(kx, ky) for kx in range(0, half + 1) for ky in range(-half + 1, half + 1)
                 if (kx > 0 or ky > 0)]
        freqs.sort(key=lambda q: (q[0] ** 2 + q[1] ** 2, q))
        x = (np.arange(n) + 0.5) / n
        X, Y = np.meshgrid(x, x, indexing="ij")
        lams, phis = [], []
        for kx, ky in freqs:
            lam = (4 * np.pi**2 * (kx * kx + ky * ky) + tau**2) ** (-alpha)
            arg = 2 * np.pi * (kx * X + ky * Y)
            for fn in (np.cos, np.sin):
                ph = fn(arg)
                nrm = np.sqrt(np.mean(ph * ph))
                if nrm > 1e-8:  # sin vanishes at Nyquist frequencies
                    lams.append(lam)
                    phis.append(ph / nrm)
            if len(lams) >= modes:
                break
        if len(lams) < modes:
            raise ValueError(f"an {n}x{n} grid has only {len(lams)} modes, asked for {modes}")
        _KL_CACHE[key] = (np.array(lams[:modes]), np.array(phis[:modes]))
    return _KL_CACHE[key]


def darcy_matrix(Kfield: np.ndarray) -> sp.csr_matrix:
    """Cell-centred finite volumes for ``-div(K grad h)`` on the unit square, ``h = 0`` on the boundary.

    Faces use the harmonic mean of ``K``; the matrix is SPD.
    """
    Kf = np.asarray(Kfield, dtype=float)
    if Kf.ndim != 2 or Kf.shape[0] != Kf.shape[1]:
        raise ValueError(f"K must be a square 2-D field, got shape {Kf.shape}")
    if not np.all(np.isfinite(Kf)) or np.any(Kf <= 0):
        raise ValueError("K must be positive and finite")
    n = Kf.shape[0]
    inv_h2 = float(n * n)
    idx = np.arange(n * n).reshape(n, n)
    rows, cols, vals = [], [], []
    diag = np.zeros((n, n))
    # interior faces, x then y direction
    for a, bb, ia, ib in ((Kf[:-1, :], Kf[1:, :], idx[:-1, :], idx[1:, :]),
                          (Kf[:, :-1], Kf[:, 1:], idx[:, :-1], idx[:, 1:])):
        t = 2 * a * bb / (a + bb) * inv_h2
        rows += [ia.ravel(), ib.ravel()]
        cols += [ib.ravel(), ia.ravel()]
        vals += [-t.ravel(), -t.ravel()]
        np.add.at(diag, (np.unravel_index(ia.ravel(), (n, n))), t.ravel())
        np.add.at(diag, (np.unravel_index(ib.ravel(), (n, n))), t.ravel())
    # Dirichlet boundary faces at distance h/2
    tb = 2 * inv_h2
    diag[0, :] += tb * Kf[0, :]
    diag[-1, :] += tb * Kf[-1, :]
    diag[:, 0] += tb * Kf[:, 0]
    diag[:, -1] += tb * Kf[:, -1]
    rows.append(idx.ravel())
    cols.append(idx.ravel())
    vals.append(diag.ravel())
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n * n, n * n))
    A.sort_indices()
    return A


def darcy(n: int, seed: int | None = None, sigma: float = 1.0, alpha: float = 2.0, tau: float = 3.0,
          modes: int | None = None) -> LinearSystem:
    """Darcy flow ``-div(K grad h) = 1`` with ``K = exp(GRF)`` on an ``n x n`` grid.

    ``modes=None``: the full GRF (every Fourier mode, each sample scaled to std ``sigma``);
    ``modes=M``: the GRF truncated to its ``M`` leading KL modes (:func:`kl_random_field`),
    whose KL coefficients go to ``meta["xi"]``. ``params`` is the coefficient field ``K``.

    >>> s = darcy(8, seed=0); s.A.shape, s.params.shape
    ((64, 64), (8, 8))
    >>> darcy(8, seed=0, modes=4).meta["xi"].shape
    (4,)
    """
    meta: dict[str, Any] = {"problem": "darcy", "seed": seed, "modes": modes}
    if modes is None:
        f = gaussian_random_field(n, seed, alpha=alpha, tau=tau, sigma=sigma)
    else:
        f, meta["xi"] = kl_random_field(n, modes, seed, alpha=alpha, tau=tau, sigma=sigma)
    Kf = np.exp(f)
    return LinearSystem(darcy_matrix(Kf), np.ones(n * n), params=Kf, meta=meta)


def darcy_sequence(count: int, n: int, seed: int = 0, **kw: Any) -> list[LinearSystem]:
    """``count`` independent Darcy systems (seeds ``seed, seed+1, ...``); ``kw`` go to :func:`darcy`.

    >>> [s.meta["seed"] for s in darcy_sequence(3, 6, seed=4, modes=8)]
    [4, 5, 6]
    """
    return [darcy(n, seed=seed + i, **kw) for i in range(count)]


def helmholtz(n: int, seed: int | None = None, k0: float = 4.0, contrast: float = 0.3) -> LinearSystem:
    """Helmholtz ``-lap u - k(x)^2 u = f`` (Dirichlet, 5-point) with a random wavenumber field.

    ``k = k0 (1 + contrast * GRF)``; indefinite once ``k^2`` exceeds ``2 pi^2``. ``f`` is a
    unit point source in the centre.

    >>> helmholtz(8, seed=1).A.shape
    (64, 64)
    """
    kf = k0 * (1.0 + contrast * gaussian_random_field(n, seed))
    A = (laplacian_2d(n, scaled=True) - sp.diags(kf.ravel() ** 2)).tocsr()
    b = np.zeros(n * n)
    b[(n // 2) * n + n // 2] = float((n + 1) ** 2)
    return LinearSystem(A, b, params=kf, meta={"problem": "helmholtz", "seed": seed})


def heat_sequence(n: int, steps: int, dt: float = 1e-3, seed: int = 0, amplitude: float = 0.5,
                  period: int = 50) -> list[LinearSystem]:
    """Crank-Nicolson steps of ``u_t = kappa(t) lap u + 1`` under time-varying diffusivity.

    System ``t`` is ``(I + dt/2 kappa_t L) u_{t+1} = (I - dt/2 kappa_t L) u_t + dt``; the
    reference trajectory is stepped with a direct solver so every ``b`` is well defined.
    ``context`` is ``kappa_t``.

    >>> seq = heat_sequence(6, steps=3); len(seq), seq[0].A.shape
    (3, (36, 36))
    """
    rng = np.random.default_rng(seed)
    L = laplacian_2d(n, scaled=True)
    I = sp.eye(n * n, format="csr")
    u = gaussian_random_field(n, rng).ravel()
    out = []
    for t in range(steps):
        kappa = float(1.0 + amplitude * np.sin(2 * np.pi * t / period) + 0.1 * amplitude * rng.standard_normal())
        kappa = max(kappa, 0.05)
        A = (I + 0.5 * dt * kappa * L).tocsr()
        b = (I - 0.5 * dt * kappa * L) @ u + dt
        out.append(LinearSystem(A, b, params=np.array([kappa]), context=kappa,
                                meta={"problem": "heat", "step": t}))
        u = spla.spsolve(A.tocsc(), b)
    return out


def shifted_laplacians(count: int, n: int = 10, seed: int = 0, c_min: float = -0.15,
                       c_scale: float = 0.6, a: float = 0.5, b: float = 1.5) -> list[LinearSystem]:
    """``A = L + c I`` (``L`` the unscaled 5-point Laplacian) with ``c ~ c_min + c_scale Beta(a, b)``.

    The Learning-to-Relax setting; ``context = c``, right-hand sides are standard normal.

    >>> seq = shifted_laplacians(4, n=5, seed=1); len(seq), seq[0].A.shape
    (4, (25, 25))
    """
    rng = np.random.default_rng(seed)
    L = laplacian_2d(n)
    I = sp.eye(n * n, format="csr")
    cs = c_min + c_scale * rng.beta(a, b, size=count)
    out = []
    for c in cs:
        A = (L + c * I).tocsr()
        A.sort_indices()
        out.append(LinearSystem(A, rng.standard_normal(n * n), params=np.array([c]), context=float(c),
                                meta={"problem": "shifted_laplacian", "c": float(c)}))
    return out


def convection_diffusion_sequence(count: int, n: int = 32, seed: int = 0, peclet: float = 20.0,
                                  spread: float = 0.5) -> list[LinearSystem]:
    """``-lap u + w . grad u = 1`` (Dirichlet, upwind 5-point) with a wind turning from system to system.

    ``w = peclet * (cos t, sin t)`` with ``t = t0 + spread * U(-1, 1)`` (seeded; ``peclet`` is
    the grid-independent ``|w|``). The matrices are nonsymmetric M-matrices; ``params`` is
    ``w``.

    >>> seq = convection_diffusion_sequence(3, 6); len(seq), bool(abs(seq[0].A - seq[0].A.T).max() > 0)
    (3, True)
    """
    rng = np.random.default_rng(seed)
    L = laplacian_2d(n, scaled=True)
    h = 1.0 / (n + 1)
    I = sp.eye(n)
    fwd = sp.diags([-np.ones(n - 1), np.ones(n)], [-1, 0]) / h  # backward difference (wind > 0)
    bwd = sp.diags([-np.ones(n), np.ones(n - 1)], [0, 1]) / h  # forward difference (wind < 0)
    t0 = rng.uniform(0, 2 * np.pi)
    out = []
    for t in t0 + spread * rng.uniform(-1.0, 1.0, size=count):
        wx, wy = peclet * np.cos(t), peclet * np.sin(t)
        Dx = fwd if wx >= 0 else bwd
        Dy = fwd if wy >= 0 else bwd
        A = (L + abs(wx) * sp.kron(I, Dx) + abs(wy) * sp.kron(Dy, I)).tocsr()
        A.sort_indices()
        out.append(LinearSystem(A, np.ones(n * n), params=np.array([wx, wy]),
                                meta={"problem": "convection_diffusion", "angle": float(t)}))
    return out


def helmholtz_shift_sequence(count: int, n: int = 32, seed: int = 0, k2: tuple[float, float] = (60.0, 100.0),
                             contrast: float = 0.2) -> list[LinearSystem]:
    """Shifted indefinite Helmholtz ``-lap u - k^2 c(x) u = f`` with ``k^2 ~ U(k2)`` per system.

    ``c = 1 + contrast * GRF`` is one fixed medium (seeded); the symmetric matrices are
    indefinite once ``k^2 c`` exceeds the smallest Laplacian eigenvalue ``2 pi^2 ~ 19.7``.
    ``f`` is a smooth bump; ``params`` is ``[k^2]``.

    >>> seq = helmholtz_shift_sequence(2, 6, k2=(60.0, 61.0)); float(abs(seq[0].A - seq[0].A.T).max())
    0.0
    """
    rng = np.random.default_rng(seed)
    L = laplacian_2d(n, scaled=True)
    c = (1.0 + contrast * gaussian_random_field(n, rng)).ravel()
    x = (np.arange(n) + 1.0) / (n + 1)
    X, Y = np.meshgrid(x, x, indexing="ij")
    f = np.exp(-((X - 0.3) ** 2 + (Y - 0.6) ** 2) / 0.01).ravel()
    out = []
    for s in rng.uniform(k2[0], k2[1], size=count):
        A = (L - sp.diags(s * c)).tocsr()
        A.sort_indices()
        out.append(LinearSystem(A, f.copy(), params=np.array([s]), meta={"problem": "helmholtz_shift",
                                                                          "k2": float(s)}))
    return out


def darcy_rotation_sequence(count: int, n: int, seed: int = 0, shuffle: bool = True) -> list[LinearSystem]:
    """Darcy systems whose log-coefficient rotates between two GRFs: ``K = exp(cos t f0 + sin t f1)``.

    ``t`` runs over ``[0, pi/2]`` in ``count`` even steps (shuffled when ``shuffle``), so
    neighbours in ``t`` are close and the sequence is a smooth one-parameter family in
    disguise; ``params`` is ``K``, ``meta["t"]`` the angle.

    >>> seq = darcy_rotation_sequence(4, 6); sorted(round(s.meta["t"], 3) for s in seq)
    [0.0, 0.524, 1.047, 1.571]
    """
    rng = np.random.default_rng(seed)
    f0, f1 = gaussian_random_field(n, rng), gaussian_random_field(n, rng)
    ts = np.linspace(0.0, np.pi / 2, count)
    if shuffle:
        ts = rng.permutation(ts)
    out = []
    for t in ts:
        Kf = np.exp(np.cos(t) * f0 + np.sin(t) * f1)
        out.append(LinearSystem(darcy_matrix(Kf), np.ones(n * n), params=Kf,
                                meta={"problem": "darcy_rotation", "t": float(t)}))
    return out
