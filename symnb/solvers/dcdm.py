"""The Deep Conjugate Direction Method (Kaneda et al., ICML 2023) and its direction network.

``dcdm`` is a conjugate-direction iteration: each search direction is proposed by a
function of the normalised residual (a trained network, or a classical stand-in), then
A-orthogonalised against the last ``memory`` directions, and the step length is the exact
line search ``alpha = r.d / d.Ad``. With the identity as "network" and ``memory=1`` it is CG
(Jacobi: Jacobi-PCG), in exact arithmetic.

``DirectionNet`` evaluates the convolutional network in numpy (inference needs no extra
package); training it needs JAX: ``symnb.solvers.dcdm_learn`` (``pip install 'symnb[learn]'``).
The network is a U-net whose coarsening level is applied recursively with shared weights,
so one set of weights runs on any ``2^k x 2^k`` grid; it works on the Jacobi-scaled system
``D^-1/2 A D^-1/2`` (a ReLU network cannot divide by the coefficient, so we do it for it) and
sees ``log diag(A)`` as a second channel.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import kernels as K
from .krylov import start
from .linop import CSROperator, CallbackT, as_csr
from .result import SolveResult

PRETRAINED = Path(__file__).resolve().parent / "data" / "dcdm_darcy32.npz"
PARAM_NAMES = ("w_in", "w_a", "w_b", "w_out")
MIN_COARSE = 2  # recursion stops once a level is this small (or odd)


def grid_side(N: int) -> int:
    """The side ``n`` of an ``n x n`` grid with ``N`` unknowns.

    >>> grid_side(1024)
    32
    """
    n = math.isqrt(N)
    if n * n != N:
        raise ValueError(f"the direction network needs an n x n grid, but A has {N} unknowns (not a square)")
    return n


def diag_feature(A: Any) -> np.ndarray:
    """The network's second input channel: ``log diag(A)`` minus its mean, on the grid.

    >>> from symnb.solvers import laplacian_2d
    >>> float(np.abs(diag_feature(laplacian_2d(4))).max())
    0.0
    """
    d = np.asarray(as_csr(A).diagonal(), dtype=float)
    if np.any(d <= 0):
        raise ValueError("the direction network needs a positive diagonal (an SPD matrix)")
    n = grid_side(d.size)
    f = np.log(d)
    return (f - f.mean()).reshape(n, n)


def jacobi_scaled(A: Any) -> tuple[Any, np.ndarray]:
    """``(D^-1/2 A D^-1/2, D^-1/2)`` as CSR and a vector: the unit-diagonal system the network sees.

    >>> from symnb.solvers import laplacian_2d
    >>> S, s = jacobi_scaled(laplacian_2d(3)); float(S.diagonal().max()), float(s[0])
    (1.0, 0.5)
    """
    import scipy.sparse as sp

    A = as_csr(A)
    d = np.asarray(A.diagonal(), dtype=float)
    if np.any(d <= 0):
        raise ValueError("the direction network needs a positive diagonal (an SPD matrix)")
    s = 1.0 / np.sqrt(d)
    D = sp.diags(s)
    return (D @ A @ D).tocsr(), s


def conv3x3(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Zero-padded 3x3 cross-correlation: ``x`` (Cin, H, W), ``w`` (Cout, Cin, 3, 3).

    >>> conv3x3(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)))[0].tolist()
    [[4.0, 6.0, 4.0], [6.0, 9.0, 6.0], [4.0, 6.0, 4.0]]
    """
    cin, H, W = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    cols = np.stack([xp[:, i:i + H, j:j + W] for i in range(3) for j in range(3)])  # (9, Cin, H, W)
    wm = w.transpose(0, 2, 3, 1).reshape(w.shape[0], 9 * cin)
    return (wm @ cols.reshape(9 * cin, H * W)).reshape(w.shape[0], H, W)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _level(h: np.ndarray, p: dict) -> np.ndarray:
    e = _relu(conv3x3(h, p["w_a"]))
    C, H, W = e.shape
    if H % 2 == 0 and W % 2 == 0 and min(H, W) // 2 >= MIN_COARSE:
        c = _level(e.reshape(C, H // 2, 2, W // 2, 2).mean(axis=(2, 4)), p)
        u = np.repeat(np.repeat(c, 2, axis=1), 2, axis=2)
    else:
        u = np.zeros_like(e)
    return _relu(conv3x3(np.concatenate([e, u]), p["w_b"]))


def forward(params: dict, r: np.ndarray, feat: np.ndarray) -> np.ndarray:
    """The network on one grid: residual ``r`` and feature ``feat`` (both H x W) -> H x W."""
    x = np.stack([r, feat]).astype(float)
    h = _relu(conv3x3(x, params["w_in"]))
    return conv3x3(_level(h, params), params["w_out"])[0]


@dataclass
class DirectionNet:
    """A trained direction network ``N(r) ~ A^{-1} r`` (up to a scalar); numpy inference.

    ``params`` holds ``w_in`` (C, 2, 3, 3), ``w_a`` (C, C, 3, 3), ``w_b`` (C, 2C, 3, 3) and
    ``w_out`` (1, C, 3, 3); ``meta`` records how it was trained.

    >>> net = DirectionNet.pretrained()
    >>> net.channels, net.meta["grid"]
    (16, 32)
    """

    params: dict
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [k for k in PARAM_NAMES if k not in self.params]
        if missing:
            raise ValueError(f"direction-network weights lack {missing}; expected {list(PARAM_NAMES)}")
        self.params = {k: np.asarray(self.params[k], dtype=float) for k in PARAM_NAMES}
        C = self.params["w_in"].shape[0]
        want = {"w_in": (C, 2, 3, 3), "w_a": (C, C, 3, 3), "w_b": (C, 2 * C, 3, 3), "w_out": (1, C, 3, 3)}
        for k, shape in want.items():
            if self.params[k].shape != shape:
                raise ValueError(f"weight {k} has shape {self.params[k].shape}, expected {shape}")

    @property
    def channels(self) -> int:
        return int(self.params["w_in"].shape[0])

    @classmethod
    def load(cls, path: str | Path) -> "DirectionNet":
        """Weights saved by :meth:`save` (an ``.npz``; ``meta_*`` entries become ``meta``)."""
        with np.load(path, allow_pickle=False) as z:
            params = {k: z[k] for k in PARAM_NAMES if k in z.files}
            meta = {k[5:]: z[k].item() if z[k].ndim == 0 else z[k] for k in z.files if k.startswith("meta_")}
        return cls(params, meta)

    @classmethod
    def pretrained(cls) -> "DirectionNet":
        """The weights shipped with symnb (Darcy, 32 x 32; ``benchmarks/_dcdm_train.py``)."""
        return cls.load(PRETRAINED)

    def save(self, path: str | Path) -> None:
        meta = {f"meta_{k}": np.asarray(v) for k, v in self.meta.items()}
        np.savez_compressed(path, **{k: v.astype(np.float32) for k, v in self.params.items()}, **meta)

    def __call__(self, r: np.ndarray, feat: np.ndarray) -> np.ndarray:
        """``N(r)`` for a flat residual on the grid of ``feat`` (``r`` scaled to unit RMS first,
        as in training: the feature channel is not scaled, so the input scale matters)."""
        n = feat.shape[0]
        r = np.asarray(r, dtype=float).reshape(n, n)
        rms = float(np.linalg.norm(r)) / n
        return forward(self.params, r / rms if rms > 0 else r, feat).ravel()

    def directions(self, A: Any) -> Callable[[np.ndarray], np.ndarray]:
        """``r -> D^-1/2 N(D^-1/2 r)`` bound to ``A``: the network works on the Jacobi-scaled
        system (unit diagonal), as in training; the diagonal feature is computed once."""
        feat = diag_feature(A)
        s = jacobi_scaled(A)[1]
        return lambda r: s * self(s * r, feat)


def _direction_map(net: Any, op: CSROperator) -> tuple[Callable[[np.ndarray], np.ndarray], str]:
    if isinstance(net, DirectionNet):
        return net.directions(op.A), "dcdm[net]"
    if net == "identity":
        return (lambda r: r.copy()), "dcdm[identity]"
    if net == "jacobi":
        d = op.diag
        if np.any(d <= 0):
            raise ValueError("net='jacobi' needs a positive diagonal")
        return (lambda r: r / d), "dcdm[jacobi]"
    if callable(net):
        return net, "dcdm[callable]"
    raise ValueError(f"net must be a DirectionNet, 'identity', 'jacobi' or a callable r -> d, got {net!r}")


def dcdm(A: Any, b: Any, x0: Any = None, tol: float = 1e-8, maxiter: int | None = None,
         net: Any = None, memory: int = 2, callback: CallbackT | None = None) -> SolveResult:
    """Deep Conjugate Direction Method for SPD ``A``: directions ``N(r/||r||)``, A-orthogonalised.

    ``net``: a :class:`DirectionNet` (default: the pretrained one), ``"identity"``,
    ``"jacobi"`` or any callable ``r -> d``. Each direction is A-orthogonalised against the
    last ``memory`` ones (the paper uses 2); one matvec and one network call per iteration.
    A non-positive curvature ``d.Ad`` stops with ``reason="breakdown"``.

    >>> import numpy as np
    >>> from symnb.solvers import laplacian_2d
    >>> A = laplacian_2d(16); b = np.ones(256)
    >>> res = dcdm(A, b, tol=1e-6)
    >>> res.converged, bool(np.allclose(A @ res.x, b, atol=1e-4))
    (True, True)
    """
    if not isinstance(memory, (int, np.integer)) or memory < 1:
        raise ValueError(f"memory must be a positive integer, got {memory!r}")
    op, b, x, r, hist = start(A, b, x0, tol, maxiter, callback)
    direction, method = _direction_map(DirectionNet.pretrained() if net is None else net, op)
    info = {"memory": int(memory)}
    if hist.res[0] <= hist.tol:
        return hist.result(x, "converged", method, **info)
    anorm = float(np.max(np.abs(op.A).sum(axis=1))) if op.A.nnz else 0.0
    thresh = 64 * np.finfo(float).eps * anorm
    past: deque = deque(maxlen=int(memory))  # (d, Ad, d.Ad) of the last directions
    reason = "maxiter" if hist.maxiter == 0 else None
    rnorm = hist.res[0] * hist.bnorm
    while reason is None:
        d = np.asarray(direction(r / rnorm), dtype=float).reshape(-1)
        if d.shape != r.shape or not np.all(np.isfinite(d)):
            reason = "breakdown"
            break
        for dj, Adj, dAdj in past:
            d -= (K.dot(d, Adj) / dAdj) * dj
        Ad = op.matvec(d)
        dd, dAd = K.dot(d, d), K.dot(d, Ad)
        if not dAd > thresh * dd:
            reason = "breakdown"
            break
        alpha = K.dot(r, d) / dAd
        K.axpy(x, d, alpha)
        rnorm = float(np.sqrt(K.axpy_norm2(r, Ad, -alpha)))
        past.append((d, Ad, dAd))
        reason = hist.step(rnorm)
    return hist.result(x, reason, method, **info)
