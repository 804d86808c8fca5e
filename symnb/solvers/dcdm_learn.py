"""Training the DCDM direction network without labels (JAX on CPU: ``pip install 'symnb[learn]'``).

The loss is the paper's: a direction ``N(r)`` is good when ``A N(r)`` reproduces ``r`` up to a
scalar, so each training vector costs ``min_s ||r - s A N(r)||^2 / ||r||^2
= 1 - cos^2(r, A N(r))``; no solutions are needed. Training vectors follow the paper's recipe:
random combinations of eigenvectors of the training matrices, weighted towards the low end of
the spectrum (the components CG is slow on). ``A`` is applied as a 5-point stencil; the
network is trained on the Jacobi-scaled ``D^-1/2 A D^-1/2``, the system it sees in ``dcdm``.
"""
from __future__ import annotations

import time
from typing import Any, Sequence

import numpy as np

from .dcdm import PARAM_NAMES, DirectionNet, diag_feature, grid_side, jacobi_scaled
from .linop import as_csr

LEARN_HINT = "DCDM training needs JAX: pip install 'symnb[learn]'"


def require_jax() -> Any:
    """Import JAX (lazily); a one-line ImportError naming the extra when it is absent."""
    try:
        import jax
    except ImportError as e:  # pragma: no cover - exercised with jax hidden in the tests
        raise ImportError(LEARN_HINT) from e
    return jax


def stencil(A: Any) -> np.ndarray:
    """The 5-point stencil of ``A`` on its ``n x n`` grid: (5, n, n) = centre, i-1, i+1, j-1, j+1.

    >>> from symnb.solvers import laplacian_2d
    >>> s = stencil(laplacian_2d(3)); s[0, 1, 1], s[1, 0, 0], s[2, 0, 0]
    (np.float64(4.0), np.float64(0.0), np.float64(-1.0))
    """
    A = as_csr(A)
    n = grid_side(A.shape[0])
    N = n * n
    out = np.zeros((5, N))
    out[0] = A.diagonal()
    out[1, n:] = A.diagonal(-n)
    out[2, :-n] = A.diagonal(n)
    out[3, 1:] = A.diagonal(-1)
    out[4, :-1] = A.diagonal(1)
    if np.count_nonzero(out) != A.count_nonzero():
        raise ValueError("A is not a 5-point stencil on an n x n grid (row-major); DCDM training needs one")
    return out.reshape(5, n, n)


def training_vectors(A: Any, count: int, rng: np.random.Generator, low_weight: float = 9.0) -> np.ndarray:
    """``count`` unit vectors ``sum_j c_j q_j`` over the eigenvectors of ``A`` (dense ``eigh``).

    ``c_j ~ N(0, 1)``, times ``low_weight`` on the lower half of the spectrum (the paper's
    skew towards the components that converge slowly).
    """
    lam, Q = np.linalg.eigh(as_csr(A).toarray())
    w = np.where(np.arange(lam.size) < lam.size // 2, low_weight, 1.0)
    V = (rng.standard_normal((count, lam.size)) * w) @ Q.T
    return V / np.linalg.norm(V, axis=1, keepdims=True)


def init_params(channels: int, rng: np.random.Generator) -> dict:
    """He-initialised weights for :class:`~symnb.solvers.dcdm.DirectionNet`."""
    shapes = {"w_in": (channels, 2), "w_a": (channels, channels), "w_b": (channels, 2 * channels),
              "w_out": (1, channels)}
    return {k: rng.standard_normal((*s, 3, 3)) * np.sqrt(2.0 / (9 * s[1])) for k, s in shapes.items()}


def _jax_forward(jnp: Any, lax: Any, params: dict, x: Any) -> Any:
    """The network of :func:`symnb.solvers.dcdm.forward` on a batch ``x`` (B, 2, H, W)."""
    def conv(h, w):
        return lax.conv_general_dilated(h, w, (1, 1), "SAME", dimension_numbers=("NCHW", "OIHW", "NCHW"))

    def level(h):
        e = jnp.maximum(conv(h, params["w_a"]), 0.0)
        B, C, H, W = e.shape
        if H % 2 == 0 and W % 2 == 0 and min(H, W) // 2 >= 2:
            c = level(e.reshape(B, C, H // 2, 2, W // 2, 2).mean(axis=(3, 5)))
            u = jnp.repeat(jnp.repeat(c, 2, axis=2), 2, axis=3)
        else:
            u = jnp.zeros_like(e)
        return jnp.maximum(conv(jnp.concatenate([e, u], axis=1), params["w_b"]), 0.0)

    h = jnp.maximum(conv(x, params["w_in"]), 0.0)
    return conv(level(h), params["w_out"])[:, 0]


def _apply_stencil(jnp: Any, S: Any, y: Any) -> Any:
    """``A y`` for a batch: stencils ``S`` (B, 5, n, n), fields ``y`` (B, n, n)."""
    z = jnp.zeros_like(y[:, :1, :])
    zc = jnp.zeros_like(y[:, :, :1])
    up = jnp.concatenate([z, y[:, :-1, :]], axis=1)      # y[i-1, j]
    down = jnp.concatenate([y[:, 1:, :], z], axis=1)     # y[i+1, j]
    left = jnp.concatenate([zc, y[:, :, :-1]], axis=2)   # y[i, j-1]
    right = jnp.concatenate([y[:, :, 1:], zc], axis=2)   # y[i, j+1]
    return S[:, 0] * y + S[:, 1] * up + S[:, 2] * down + S[:, 3] * left + S[:, 4] * right


def train_direction_net(systems: Sequence[Any], vectors_per_system: int = 256, channels: int = 16,
                        steps: int = 1500, batch: int = 32, lr: float = 2e-3, seed: int = 0,
                        log_every: int = 100, verbose: bool = False) -> tuple[DirectionNet, list]:
    """Train a :class:`~symnb.solvers.dcdm.DirectionNet` on the matrices of ``systems`` (Adam).

    ``systems`` (or bare matrices) may mix grid sizes; steps take turns over the sizes, which
    teaches the shared-weight levels to behave alike at every scale.

    Returns the network (numpy weights; ``meta`` records the settings and the training time)
    and the loss history ``[(step, mean loss), ...]`` (every ``log_every`` steps).
    """
    jax = require_jax()
    import jax.numpy as jnp
    from jax import lax

    if not systems:
        raise ValueError("train_direction_net needs at least one system")
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    groups: dict[int, list] = {}  # grid side -> [R, F, S] arrays (one jit shape per side)
    for sys_ in systems:
        M = as_csr(getattr(sys_, "A", sys_))
        n = grid_side(M.shape[0])
        Ms = jacobi_scaled(M)[0]  # the network's system: unit diagonal
        R = training_vectors(Ms, vectors_per_system, rng).reshape(-1, n, n) * n  # unit RMS per entry
        F = np.broadcast_to(diag_feature(M), (vectors_per_system, n, n))
        S = np.broadcast_to(stencil(Ms), (vectors_per_system, 5, n, n))
        groups.setdefault(n, []).append((R, F, S))
    data = {n: [jnp.asarray(np.concatenate(a), dtype=jnp.float32) for a in zip(*g)] for n, g in groups.items()}
    sides = sorted(data)
    t_data = time.perf_counter() - t0

    def loss_fn(params, r, f, s):
        y = _jax_forward(jnp, lax, params, jnp.stack([r, f], axis=1))
        Ay = _apply_stencil(jnp, s, y)
        num = jnp.sum(r * Ay, axis=(1, 2)) ** 2
        den = jnp.sum(r * r, axis=(1, 2)) * jnp.sum(Ay * Ay, axis=(1, 2)) + 1e-30
        return jnp.mean(1.0 - num / den)

    b1, b2, eps = 0.9, 0.999, 1e-8

    @jax.jit
    def step(params, m, v, k, r, f, s):
        loss, g = jax.value_and_grad(loss_fn)(params, r, f, s)
        m = {p: b1 * m[p] + (1 - b1) * g[p] for p in params}
        v = {p: b2 * v[p] + (1 - b2) * g[p] ** 2 for p in params}
        lr_k = lr * 0.5 * (1 + jnp.cos(jnp.pi * k / steps))  # cosine decay
        params = {p: params[p] - lr_k * (m[p] / (1 - b1 ** (k + 1))) /
                  (jnp.sqrt(v[p] / (1 - b2 ** (k + 1))) + eps) for p in params}
        return params, m, v, loss

    params = {k: jnp.asarray(w, dtype=jnp.float32) for k, w in init_params(channels, rng).items()}
    m = {k: jnp.zeros_like(w) for k, w in params.items()}
    v = {k: jnp.zeros_like(w) for k, w in params.items()}
    history, acc = [], []
    for k in range(steps):
        R, F, S = data[sides[k % len(sides)]]  # sizes take turns
        idx = rng.integers(0, R.shape[0], batch)
        params, m, v, loss = step(params, m, v, k, R[idx], F[idx], S[idx])
        acc.append(loss)
        if (k + 1) % log_every == 0 or k + 1 == steps:
            history.append((k + 1, float(np.mean([float(a) for a in acc]))))
            acc = []
            if verbose:
                print(f"step {k + 1:5d}  loss {history[-1][1]:.4f}  {time.perf_counter() - t0:6.1f} s", flush=True)
    seconds = time.perf_counter() - t0
    meta = {"grid": max(sides), "grids": np.array(sides), "systems": len(systems), "vectors_per_system": vectors_per_system, "steps": steps,
            "batch": batch, "lr": lr, "seed": seed, "train_seconds": seconds, "data_seconds": t_data,
            "final_loss": history[-1][1], "jax": jax.__version__}
    net = DirectionNet({k: np.asarray(params[k], dtype=float) for k in PARAM_NAMES}, meta)
    return net, history
