"""Learning to Relax: pick SOR's omega per instance with bandits (Khodak et al., ICLR 2024).

``TsallisINF`` is the 1/2-Tsallis-INF bandit (Zimmert & Seldin 2021) with
importance-weighted loss estimates; ``ContextualTsallisINF`` keeps one per bin of a
scalar context. ``ChebCB`` is a Chebyshev-regression (SquareCB-style) bandit and ``ValleyCB``
learns the kink curve ``omega*(c)`` of Young's SOR theory from bandit feedback.
Each is a :class:`RelaxPolicy` (``choose(context) -> arm``, ``update(arm, cost, context)``,
the cost being the SOR sweeps the played omega needed), so ``learn_to_relax`` runs them,
and any policy of yours, through one loop, next to the comparators: every fixed omega of
the grid (so the best one in hindsight) and the instance-optimal
``omega* = 1 + (beta / (1 + sqrt(1 - beta^2)))^2``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

from ..reprs import RenderedHTML
from . import kernels as K
from .linop import as_csr, check_vector
from .result import _go
from .sor import jacobi_spectral_radius, optimal_omega


def omega_grid(n_arms: int = 20, lo: float = 1.0, hi: float = 1.95) -> np.ndarray:
    """Evenly spaced relaxation parameters (the bandit's arms).

    >>> omega_grid(20)[[0, -1]].tolist()
    [1.0, 1.95]
    """
    if n_arms < 1 or not 0 < lo <= hi < 2:
        raise ValueError(f"need n_arms >= 1 and 0 < lo <= hi < 2, got {n_arms}, {lo}, {hi}")
    return np.linspace(lo, hi, n_arms)


@runtime_checkable
class RelaxPolicy(Protocol):
    """A policy choosing SOR's omega (an arm: an index into the grid) instance by instance.

    ``choose(context)``: the arm to play on the next instance (``context``: its scalar
    context, or ``None`` when the sequence has none; policies without a context ignore
    it).  ``update(arm, cost, context)``: the cost the played arm incurred (SOR sweeps,
    at least 1; bandit feedback: the other arms' costs stay unseen).

    >>> isinstance(TsallisINF(3), RelaxPolicy), isinstance(object(), RelaxPolicy)
    (True, False)
    """

    def choose(self, context: float | None) -> int: ...

    def update(self, arm: int, cost: float, context: float | None) -> None: ...


def _check_arm(arm: Any, n_arms: int) -> None:
    if not (isinstance(arm, (int, np.integer)) and 0 <= arm < n_arms):
        raise ValueError(f"arm must be an integer in 0..{n_arms - 1}, got {arm!r}")


class TsallisINF:
    """1/2-Tsallis-INF for adversarial bandits with losses in [0, 1].

    ``p_i = 4 / (eta_t (L_i - x))^2`` with ``x`` normalising ``sum p = 1`` and
    ``eta_t = eta / sqrt(t)``; ``L`` holds importance-weighted cumulative loss estimates.
    The loss of a cost is ``cost / cost_scale`` (e.g. ``cost_scale=maxiter`` for sweeps).

    >>> bandit = TsallisINF(3, seed=0)
    >>> arm = bandit.choose(None); bandit.update(arm, 0.5)
    >>> bool(abs(bandit.probabilities().sum() - 1) < 1e-12)
    True
    """

    def __init__(self, n_arms: int, seed: int | np.random.Generator | None = None, eta: float = 8.0,
                 baseline: bool = True, cost_scale: float = 1.0):
        if n_arms < 1:
            raise ValueError(f"n_arms must be >= 1, got {n_arms}")
        if not eta > 0:
            raise ValueError(f"eta must be positive, got {eta}")
        if not cost_scale > 0:
            raise ValueError(f"cost_scale must be positive, got {cost_scale}")
        self.n_arms, self.eta, self.baseline = int(n_arms), float(eta), bool(baseline)
        self.cost_scale = float(cost_scale)
        self._mean, self._count = 0.0, 0
        self.rng = np.random.default_rng(seed)
        self.L = np.zeros(self.n_arms)
        self.t = 0
        self._p: np.ndarray | None = None

    def probabilities(self) -> np.ndarray:
        """Sampling distribution for the next round."""
        if self._p is not None:
            return self._p
        eta = self.eta / np.sqrt(self.t + 1)
        L = self.L - self.L.min()
        x = -2.0 / eta  # the best arm alone would have probability 1 -> sum >= 1
        for _ in range(100):
            d = eta * (L - x)
            w = 4.0 / d**2
            f = w.sum() - 1.0
            if abs(f) < 1e-12:
                break
            x -= f / (2.0 * eta * np.sum(w / d))  # Newton: df/dx = sum 8 eta / d^3
        p = np.maximum(4.0 / (eta * (L - x)) ** 2, 0.0)
        self._p = p / p.sum()
        return self._p

    def sample(self) -> int:
        return int(self.rng.choice(self.n_arms, p=self.probabilities()))

    def choose(self, context: Any = None) -> int:
        """The arm to play next (drawn from ``probabilities()``; no context used)."""
        return self.sample()

    def update(self, arm: int, cost: float, context: Any = None) -> None:
        """Feed back the cost of the arm played (its loss ``cost / cost_scale`` in [0, 1])."""
        _check_arm(arm, self.n_arms)
        loss = cost / self.cost_scale
        if not (np.isfinite(loss) and -1e-12 <= loss <= 1 + 1e-12):
            raise ValueError(f"loss (cost / cost_scale) must lie in [0, 1], got {loss}")
        p = self.probabilities()[arm]
        # loss estimate B + 1[played] (loss - B) / p for every arm; adding B to all arms
        # leaves the distribution unchanged, so only the played arm is updated. B is the
        # running mean of past losses (variance reduction).
        B = self._mean if self.baseline else 0.0
        self.L[arm] += (loss - B) / p
        self._count += 1
        self._mean += (loss - self._mean) / self._count
        self.t += 1
        self._p = None


class ContextualTsallisINF:
    """One :class:`TsallisINF` per bin of a scalar context (bins given by ``edges``).

    >>> cb = ContextualTsallisINF(4, edges=[0.0, 0.5, 1.0], seed=1)
    >>> cb.bin(0.7), cb.bin(-3.0), cb.bin(9.0)
    (1, 0, 1)
    >>> cb.update(cb.choose(0.7), 0.25, 0.7); [b.t for b in cb.bandits]
    [0, 1]
    """

    def __init__(self, n_arms: int, edges: Sequence[float], seed: int | None = None, eta: float = 8.0,
                 cost_scale: float = 1.0):
        edges = np.asarray(edges, dtype=float)
        if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
            raise ValueError("edges must be an increasing sequence of at least 2 numbers")
        self.edges = edges
        rng = np.random.default_rng(seed)
        self.bandits = [TsallisINF(n_arms, rng, eta, cost_scale=cost_scale) for _ in range(edges.size - 1)]

    def bin(self, context: float) -> int:
        return int(np.clip(np.searchsorted(self.edges, context, side="right") - 1, 0, len(self.bandits) - 1))

    def sample(self, context: float) -> int:
        return self.bandits[self.bin(context)].sample()

    def choose(self, context: float) -> int:
        """The arm to play next in ``context`` (from the bandit of its bin)."""
        return self.sample(context)

    def update(self, arm: int, cost: float, context: float) -> None:
        """Feed back the cost of ``arm`` played in ``context`` (to the bandit of its bin)."""
        self.bandits[self.bin(context)].update(arm, cost)


class ChebCB:
    """Regression bandit: ridge fit of the cost on Chebyshev features, inverse-gap-weighted play.

    After Foster & Rakhlin's SquareCB and the Chebyshev-regression contextual bandit of
    Khodak et al.: the cost of arm ``a`` (parameter ``grid[a]``) in context ``c`` is modelled
    as ``sum_ij w_ij T_i(c~) T_j(omega~)`` (``T`` Chebyshev polynomials on ``[-1, 1]``; without a
    context only the ``omega`` part). Each round the arm of least predicted cost ``b`` is
    played with the remaining mass, every other arm with ``1 / (K + gamma_t gap_a)``, where
    ``gap`` is the predicted cost difference divided by ``scale`` and ``gamma_t = gamma
    sqrt(t)``. Sharing one smooth model across arms (and contexts) is what keeps exploration
    cheap: a bad ``omega`` need not be tried in every context to be avoided.
    ``target="log"`` fits log-costs (multiplicative structure), ``"raw"`` the costs themselves.
    Only the played arm's cost is observed (bandit feedback).

    >>> cb = ChebCB(np.linspace(1.0, 1.9, 10), seed=0)
    >>> for _ in range(40):
    ...     a = cb.sample(); cb.update(a, 10.0 + 100 * abs(cb.grid[a] - 1.5))
    >>> p = cb.probabilities(); bool(abs(p.sum() - 1) < 1e-12), int(np.argmax(p))
    (True, 5)
    """

    def __init__(self, grid: Sequence[float], context_range: tuple[float, float] | None = None,
                 deg_context: int = 5, deg_omega: int = 4, gamma: float = 1000.0, scale: float = 1000.0,
                 target: str = "raw", ridge: float = 1e-3, refit: int = 10, warmup: int = 20,
                 seed: int | np.random.Generator | None = None):
        self.grid = np.asarray(grid, dtype=float)
        if self.grid.ndim != 1 or self.grid.size < 1:
            raise ValueError("grid must be a non-empty 1-D array")
        if target not in ("log", "raw"):
            raise ValueError(f"target must be 'log' or 'raw', got {target!r}")
        if not (gamma > 0 and scale > 0 and ridge > 0):
            raise ValueError("gamma, scale and ridge must be positive")
        if context_range is not None and not context_range[1] > context_range[0]:
            raise ValueError(f"context_range must be (lo, hi) with lo < hi, got {context_range}")
        self.context_range = context_range
        self.dc = int(deg_context) if context_range is not None else 0
        self.dw = int(min(deg_omega, self.grid.size - 1))
        self.gamma, self.scale, self.target, self.ridge = float(gamma), float(scale), target, float(ridge)
        self.refit, self.warmup = max(1, int(refit)), int(warmup)
        self.rng = np.random.default_rng(seed)
        lo, hi = float(self.grid.min()), float(self.grid.max())
        w = np.zeros_like(self.grid) if hi == lo else 2 * (self.grid - lo) / (hi - lo) - 1
        self._Vw = np.polynomial.chebyshev.chebvander(w, self.dw)  # (K, dw+1)
        nf = (self.dc + 1) * (self.dw + 1)
        self._AtA = np.zeros((nf, nf))
        self._Aty = np.zeros(nf)
        self._coef: np.ndarray | None = None
        self.t = 0

    @property
    def n_arms(self) -> int:
        return self.grid.size

    def _features(self, context: float | None) -> np.ndarray:
        """(K, n_features) design rows of every arm in ``context``."""
        if self.context_range is None:
            return self._Vw
        if context is None or not np.isfinite(context):
            raise ValueError("this ChebCB needs a finite context")
        lo, hi = self.context_range
        x = float(np.clip(2 * (context - lo) / (hi - lo) - 1, -1, 1))
        Vc = np.polynomial.chebyshev.chebvander(np.array([x]), self.dc)[0]
        return (Vc[None, :, None] * self._Vw[:, None, :]).reshape(self.n_arms, -1)

    def predict(self, context: float | None = None) -> np.ndarray | None:
        """Predicted cost of every arm (``None`` before the first fit)."""
        if self._coef is None:
            return None
        pred = self._features(context) @ self._coef
        return np.exp(np.minimum(pred, 700.0)) if self.target == "log" else pred

    def probabilities(self, context: float | None = None) -> np.ndarray:
        """Inverse-gap-weighted distribution for the next round in ``context``."""
        K = self.n_arms
        pred = self.predict(context)
        if pred is None:
            return np.full(K, 1.0 / K)
        b = int(np.argmin(pred))
        gap = np.maximum(pred - pred[b], 0.0) / self.scale
        p = 1.0 / (K + self.gamma * np.sqrt(self.t + 1) * gap)
        p[b] = 0.0
        p[b] = 1.0 - p.sum()
        return p

    def sample(self, context: float | None = None) -> int:
        return int(self.rng.choice(self.n_arms, p=self.probabilities(context)))

    def choose(self, context: float | None = None) -> int:
        """The arm to play next in ``context`` (drawn from ``probabilities(context)``)."""
        return self.sample(context)

    def update(self, arm: int, cost: float, context: float | None = None) -> None:
        """Feed back the observed cost (e.g. iterations, > 0 for ``target="log"``) of the arm played."""
        _check_arm(arm, self.n_arms)
        if not np.isfinite(cost) or (self.target == "log" and cost <= 0):
            raise ValueError(f"cost must be finite{' and positive' if self.target == 'log' else ''}, got {cost}")
        f = self._features(context)[arm]
        y = np.log(cost) if self.target == "log" else float(cost)
        self._AtA += np.outer(f, f)
        self._Aty += f * y
        self.t += 1
        if self.t >= self.warmup and (self.t - self.warmup) % self.refit == 0:
            reg = self.ridge * np.eye(self._AtA.shape[0])
            self._coef = np.linalg.solve(self._AtA + reg, self._Aty)


def _young_rho(omega: np.ndarray, beta: float) -> np.ndarray:
    """SOR spectral radius of a consistently ordered matrix with Jacobi spectral radius ``beta``."""
    d = (omega * beta) ** 2 - 4.0 * (omega - 1.0)
    return np.where(d > 0, ((omega * beta + np.sqrt(np.maximum(d, 0.0))) / 2.0) ** 2, omega - 1.0)


def _young_omega(beta: np.ndarray) -> np.ndarray:
    return 1.0 + (beta / (1.0 + np.sqrt(1.0 - beta**2))) ** 2


class ValleyCB:
    """Contextual SOR-omega bandit that learns the kink curve ``omega*(c)`` of Young's theory.

    Assumption (stated, not checked): the systems are consistently ordered with a Jacobi
    spectral radius ``beta(c)`` that varies smoothly with the scalar context ``c``, and SOR with
    ``omega`` needs about ``kappa / -log rho(omega, beta) + b`` sweeps, ``rho`` Young's spectral
    radius (``omega - 1`` on the plateau ``omega >= omega*``, steep below it), ``kappa = log(1/tol)``
    and ``b`` a learned offset (the median excess of confident plateau observations). Only the
    played ``(c, arm, iterations)`` is used (bandit feedback). An observation whose cost lies
    more than ``margin`` above the plateau pins ``beta(c_i)`` by inverting Young's formula; one
    on the plateau only bounds it (``omega*(c_i) <= omega``); one at ``maxiter`` is ignored.
    ``beta(c)`` is a tricube-weighted local-linear fit in ``1 - beta`` over the ``neighbours``
    nearest observations, the bounds entering as one-sided constraints (active-set refits);
    where nothing but bounds is known the estimate is lowered one grid step (optimism), so
    a context probes down the grid until it sees the cost rise. Play: inverse-gap weighting
    on the predicted costs, ``p_a = 1 / (K + gamma sqrt(t) gap_a)`` with relative gaps.

    >>> grid = omega_grid(20)
    >>> cb = ValleyCB(grid, tol=1e-8, seed=0)
    >>> rng = np.random.default_rng(0)
    >>> for _ in range(300):   # synthetic valley: beta falls with c, Young-model costs
    ...     c = rng.uniform(); beta = 0.995 - 0.06 * c
    ...     a = cb.choose(c); cost = np.log(1e8) / -np.log(_young_rho(grid[a], beta)) + 4
    ...     cb.update(a, float(np.ceil(cost)), c)
    >>> p = cb.probabilities(0.5); bool(abs(p.sum() - 1) < 1e-12), round(float(grid[np.argmax(p)]), 2)
    (True, 1.6)
    >>> [round(float(grid[np.argmax(cb.probabilities(c))]), 2) for c in (0.1, 0.9)]  # true best: 1.75, 1.5
    [1.75, 1.5]
    """

    def __init__(self, grid: Sequence[float], tol: float = 1e-8, maxiter: int | None = None, gamma: float = 300.0,
                 neighbours: int = 48, margin: float = 0.1, seed: int | np.random.Generator | None = None):
        self.grid = np.asarray(grid, dtype=float)
        if self.grid.ndim != 1 or self.grid.size < 2 or np.any(self.grid <= 0) or np.any(self.grid >= 2):
            raise ValueError("grid must be a 1-D array of at least 2 omegas in (0, 2)")
        if not 0 < tol < 1:
            raise ValueError(f"tol must lie in (0, 1), got {tol}")
        if not (gamma > 0 and margin > 0 and neighbours >= 2):
            raise ValueError("gamma and margin must be positive and neighbours >= 2")
        self.kappa, self.b = float(-np.log(tol)), 0.0
        self.maxiter = None if maxiter is None else int(maxiter)
        self.gamma, self.neighbours, self.margin = float(gamma), int(neighbours), float(margin)
        self.step = float(np.median(np.diff(np.sort(self.grid))))
        self.rng = np.random.default_rng(seed)
        self._c: list[float] = []
        self._a: list[int] = []
        self._y: list[float] = []
        self._wpred: list[float] = []  # omega* estimate at play time (selects plateau data for b)
        self._b_fitted = False
        self._state: tuple | None = None
        self._last: tuple[float, float | None] | None = None
        self.t = 0

    @property
    def n_arms(self) -> int:
        return self.grid.size

    def _check_context(self, context: Any) -> float:
        try:
            c = float(context)
        except (TypeError, ValueError):
            raise ValueError(f"context must be a finite number, got {context!r}") from None
        if not np.isfinite(c):
            raise ValueError(f"context must be a finite number, got {context!r}")
        return c

    def _plateau(self, w: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return self.kappa / -np.log(np.where(w > 1, w - 1.0, 1.0)) + self.b

    def _refit(self) -> tuple:
        c, w, y = np.array(self._c), self.grid[np.array(self._a, dtype=np.int64)], np.array(self._y)
        capped = y >= self.maxiter if self.maxiter is not None else np.zeros(y.size, bool)
        m = self.margin if self._b_fitted else max(self.margin, 0.25)  # b still unknown: wider band
        point = ((w <= 1) | (y > self._plateau(w) * (1 + m))) & ~capped
        bound = ~point & ~capped
        rho = np.where(point, np.exp(-self.kappa / np.maximum(y - self.b, 1e-9)), 1.0)
        beta = np.clip((rho + w - 1) / (w * np.sqrt(rho)), 0.0, 1 - 1e-12)
        wb = np.clip(w, 1 + 1e-12, 2 - 1e-12)
        u = np.where(point, 1 - beta, 1 - 2 * np.sqrt(wb - 1) / wb)  # bounds: u >= 1 - beta*(omega)
        keep = point | bound
        self._state = (c[keep], u[keep], point[keep])
        return self._state

    def beta_hat(self, context: float) -> float | None:
        """Estimated Jacobi spectral radius in ``context`` (``None`` before any usable data)."""
        ctx = self._check_context(context)
        if self._last is not None and self._last[0] == ctx and self._state is not None:
            return self._last[1]
        c, u, point = self._state if self._state is not None else self._refit()
        if c.size < 2:
            return None
        d = np.abs(c - ctx)
        k = min(self.neighbours, c.size)
        idx = np.argpartition(d, k - 1)[:k]
        h = d[idx].max() * 1.0001 + 1e-12
        wt = (1 - (d[idx] / h) ** 3) ** 3 + 1e-6
        X = np.c_[np.ones(k), c[idx] - ctx]
        isp, val = point[idx], u[idx]
        use = isp if isp.any() else ~isp  # only bounds known: take them as values
        for _ in range(4):  # one-sided constraints: add the bounds the fit violates, refit
            WX = X[use] * wt[use, None]
            coef = np.linalg.solve(X[use].T @ WX + 1e-9 * np.eye(2), WX.T @ val[use])
            new = isp | (~isp & (X @ coef < val - 1e-12)) if isp.any() else use
            if np.array_equal(new, use):
                break
            use = new
        beta = 1 - float(np.clip(coef[0], 1e-9, 1.0))
        if wt[isp].sum() < 0.01 * wt.sum():  # no pinned kink nearby: probe one grid step lower
            w0 = max(float(_young_omega(beta)) - self.step, 1.0)
            beta = 2 * np.sqrt(w0 - 1) / w0
        self._last = (ctx, beta)
        return beta

    def predict(self, context: float) -> np.ndarray | None:
        """Predicted iterations of every arm in ``context`` (``None`` before any usable data)."""
        beta = self.beta_hat(context)
        if beta is None:
            return None
        rho = np.clip(_young_rho(self.grid, beta), 1e-300, 1 - 1e-15)
        return self.kappa / -np.log(rho) + self.b

    def probabilities(self, context: float) -> np.ndarray:
        """Inverse-gap-weighted distribution over the arms in ``context``."""
        pred = self.predict(context)
        K = self.n_arms
        p = np.zeros(K)
        if pred is None:  # no data: the middle of the grid
            p[K // 2] = 1.0
            return p
        best = int(np.argmin(pred))
        gap = (pred - pred[best]) / pred[best]
        p = 1.0 / (K + self.gamma * np.sqrt(self.t + 1) * gap)
        p[best] = 0.0
        p[best] = 1.0 - p.sum()
        return p

    def sample(self, context: float) -> int:
        return int(self.rng.choice(self.n_arms, p=self.probabilities(context)))

    def choose(self, context: float) -> int:
        """The arm to play next in ``context`` (drawn from ``probabilities(context)``)."""
        return self.sample(context)

    def update(self, arm: int, cost: float, context: float) -> None:
        """Feed back the iterations (> 0) the played ``arm`` needed in ``context``."""
        ctx = self._check_context(context)
        _check_arm(arm, self.n_arms)
        if not (np.isfinite(cost) and cost > 0):
            raise ValueError(f"cost must be a positive finite iteration count, got {cost}")
        beta = self.beta_hat(ctx)
        self._wpred.append(float(_young_omega(beta)) if beta is not None else 2.0)
        self._c.append(ctx)
        self._a.append(int(arm))
        self._y.append(float(cost))
        self.t += 1
        self._state, self._last = None, None
        if self.t % 25 == 0:
            self._fit_offset()

    def _fit_offset(self) -> None:
        """``b`` = median excess over ``kappa x`` of plays well above the omega* predicted then."""
        w, y = self.grid[np.array(self._a, dtype=np.int64)], np.array(self._y)
        sel = (w >= np.array(self._wpred) + 0.03) & (w > 1)
        if self.maxiter is not None:
            sel &= y < self.maxiter
        if sel.sum() >= 10:
            self.b = float(max(np.median(y[sel] - self.kappa / -np.log(w[sel] - 1)), 0.0))
            self._b_fitted = True
            self._state, self._last = None, None


def sor_iterations(A: Any, b: Any, omega: float, tol: float = 1e-8, maxiter: int = 1000) -> int:
    """SOR sweeps from ``x = 0`` until ``||b - A x|| <= tol ||b||`` (capped at ``maxiter``).

    >>> import scipy.sparse as sp
    >>> A = sp.diags([-1, 4.0, -1], [-1, 0, 1], shape=(20, 20), format="csr")
    >>> 0 < sor_iterations(A, np.ones(20), 1.1) < 30
    True
    """
    A = as_csr(A)
    b = check_vector(b, A.shape[0], "b")
    d = A.diagonal()
    if np.any(d == 0):
        raise ValueError("SOR needs a nonzero diagonal")
    n = A.shape[0]
    return int(K.sor_count(A.indptr, A.indices, A.data, d, b, float(omega), tol * (np.linalg.norm(b) or 1.0),
                           int(maxiter), np.empty(n), np.empty(n)))


@dataclass
class RelaxResult(RenderedHTML):
    """Per-instance SOR iterations of each policy (``iterations[name]``) and the omega it used."""

    iterations: dict[str, np.ndarray]
    omegas: dict[str, np.ndarray]
    grid: np.ndarray
    table: np.ndarray  # (T, n_arms) iterations of every fixed omega
    maxiter: int
    time: float
    info: dict = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        return {k: int(v.sum()) for k, v in self.iterations.items()}

    def fixed_totals(self) -> np.ndarray:
        """Total iterations of each fixed omega of the grid."""
        return self.table.sum(axis=0)

    def ratio(self, policy: str, baseline: str = "best fixed") -> float:
        """Total iterations of ``policy`` divided by those of ``baseline``."""
        return float(self.iterations[policy].sum() / self.iterations[baseline].sum())

    def summary_rows(self) -> list[list[Any]]:
        tot = self.totals()
        best = tot.get("best fixed")
        opt = tot.get("instance-optimal")
        rows = []
        for k, v in tot.items():
            rows.append([k, v, f"{v / best:.3f}" if best else "-", f"{v / opt:.3f}" if opt else "-"])
        return rows

    def __repr__(self) -> str:
        return "RelaxResult(" + ", ".join(f"{k}={v}" for k, v in self.totals().items()) + ")"

    def figure(self):
        """Cumulative SOR iterations vs instance for every policy."""
        go = _go()
        fig = go.Figure()
        for k, v in self.iterations.items():
            fig.add_trace(go.Scatter(x=np.arange(1, v.size + 1), y=np.cumsum(v), mode="lines", name=k))
        fig.update_layout(xaxis_title="instance", yaxis_title="cumulative SOR iterations",
                          template="plotly_white", title="Learning to Relax")
        return fig


def play(policy: RelaxPolicy, table: np.ndarray, contexts: Sequence[float] | None = None) -> np.ndarray:
    """The arms ``policy`` plays on the instances of ``table`` (``(T, n_arms)`` iterations of every
    arm): on instance ``t`` it chooses an arm, then sees only that arm's cost (at least 1).

    >>> table = np.array([[9, 3], [8, 2], [9, 4]])
    >>> play(TsallisINF(2, seed=0, cost_scale=10), table).tolist()
    [1, 0, 0]
    """
    T = table.shape[0]
    ctx = [None] * T if contexts is None else contexts
    arms = np.empty(T, dtype=np.int64)
    for t in range(T):
        arm = int(policy.choose(ctx[t]))
        arms[t] = arm
        policy.update(arm, float(max(table[t, arm], 1)), ctx[t])
    return arms


_BUILT_IN = ("tsallis-inf", "squarecb", "contextual", "chebcb", "valleycb", "best fixed", "omega=1",
             "instance-optimal")


def learn_to_relax(systems: Sequence[Any], grid: np.ndarray | None = None, contexts: Sequence[float] | None = None,
                   n_bins: int = 10, tol: float = 1e-8, maxiter: int = 1000, seed: int = 0, eta: float = 8.0,
                   betas: Sequence[float] | None = None,
                   context_range: tuple[float, float] | None = None,
                   policies: Mapping[str, RelaxPolicy] | None = None) -> RelaxResult:
    """Solve a sequence with SOR, choosing omega by Tsallis-INF, contextual Tsallis-INF and comparators.

    The Tsallis-INF loss of an instance is ``iterations / maxiter``. ``contexts`` default to
    each system's ``context``; context bins split ``context_range`` (default: the contexts'
    range) evenly into ``n_bins``. ``betas`` (Jacobi spectral radii) are computed if not given.
    Learners (bandit feedback: each sees only the iterations of the omega it played):
    ``"tsallis-inf"``, ``"contextual"`` (one Tsallis-INF per context bin), ``"squarecb"``
    and ``"chebcb"`` (:class:`ChebCB` without / with the context) and ``"valleycb"``
    (:class:`ValleyCB`, the kink curve of Young's theory; the contextual policy whose total
    the benchmark holds to 10% of ``"instance-optimal"``). Comparators:
    ``"best fixed"`` (in hindsight over the grid), ``"instance-optimal"`` (omega* from the
    Jacobi spectral radius), ``"omega=1"`` (Gauss-Seidel).  ``policies``: more named
    :class:`RelaxPolicy` objects (arms index ``grid``), run after the learners, the same way.

    >>> from symnb.solvers.problems import shifted_laplacians
    >>> res = learn_to_relax(shifted_laplacians(30, n=5), maxiter=500)
    >>> res.table.shape, sorted(res.totals())[-4:]
    ((30, 20), ['omega=1', 'squarecb', 'tsallis-inf', 'valleycb'])
    """
    from .sequence import as_system

    t0 = time.perf_counter()
    grid = omega_grid() if grid is None else np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size < 1 or np.any(grid <= 0) or np.any(grid >= 2):
        raise ValueError("grid must be a 1-D array of omegas in (0, 2)")
    extra = dict(policies or {})
    for name, policy in extra.items():
        if name in _BUILT_IN:
            raise ValueError(f"policy name {name!r} is taken by a built-in policy or comparator; "
                             f"rename it")
        if not isinstance(policy, RelaxPolicy):
            raise TypeError(f"policy {name!r} needs choose(context) and "
                            f"update(arm, cost, context) (a RelaxPolicy)")
    systems = [as_system(s) for s in systems]
    T = len(systems)
    if T == 0:
        raise ValueError("learn_to_relax needs at least one system")
    if contexts is None:
        contexts = [s.context for s in systems]
        if any(c is None for c in contexts):
            contexts = None
    if contexts is not None:
        contexts = np.asarray(contexts, dtype=float)
        if contexts.shape != (T,) or not np.all(np.isfinite(contexts)):
            raise ValueError(f"contexts must be {T} finite numbers")
    mats = [as_csr(s.A) for s in systems]
    bs = [check_vector(s.b, m.shape[0], "b") for s, m in zip(systems, mats)]
    # full-information table: iterations of every fixed omega on every instance
    table = np.empty((T, grid.size), dtype=np.int64)
    for t, (A, b) in enumerate(zip(mats, bs)):
        for a, w in enumerate(grid):
            table[t, a] = sor_iterations(A, b, w, tol, maxiter)
    # learners (bandit feedback: each sees only the iterations of the omega it played)
    learners: dict[str, RelaxPolicy] = {
        "tsallis-inf": TsallisINF(grid.size, seed=seed, eta=eta, cost_scale=maxiter),
        # regression bandit over omega (no context): SquareCB-style, costs = iteration counts
        "squarecb": ChebCB(grid, deg_omega=4, gamma=1000.0, scale=float(maxiter), target="raw",
                           seed=seed + 2)}
    info: dict[str, Any] = {}
    if contexts is not None:
        lo, hi = float(contexts.min()), float(contexts.max())
        if context_range is not None:
            lo, hi = float(context_range[0]), float(context_range[1])
        if not hi > lo:
            hi = lo + 1.0
        edges = np.linspace(lo, hi, n_bins + 1)
        info["edges"] = edges
        learners["contextual"] = ContextualTsallisINF(grid.size, edges, seed=seed + 1, eta=eta,
                                                      cost_scale=maxiter)
        # contextual regression bandit: log-iterations ~ Chebyshev(c) x Chebyshev(omega)
        # refit every round (a 42x42 solve): on the shifted-Laplacian sequence this cut the
        # excess over omega* from 18% to 12-14% (refit every 10 rounds lags where contexts
        # are dense and the optimum moves fastest)
        learners["chebcb"] = ChebCB(grid, context_range=(lo, hi), deg_context=5, deg_omega=6,
                                    gamma=1000.0, scale=float(maxiter), target="log", refit=1,
                                    seed=seed + 3)
        # kink-curve model (Young's SOR theory, beta(c) learned locally): the contextual figure
        learners["valleycb"] = ValleyCB(grid, tol=tol, maxiter=maxiter, seed=seed + 4)
    learners.update(extra)
    iters: dict[str, np.ndarray] = {}
    oms: dict[str, np.ndarray] = {}
    for name, policy in learners.items():
        arms = play(policy, table, contexts)
        iters[name], oms[name] = table[np.arange(T), arms], grid[arms]
    info = {"final_probabilities": learners["tsallis-inf"].probabilities().copy(), **info}
    best = int(np.argmin(table.sum(axis=0)))
    iters["best fixed"], oms["best fixed"] = table[:, best].copy(), np.full(T, grid[best])
    if np.any(np.isclose(grid, 1.0)):
        g = int(np.argmin(np.abs(grid - 1.0)))
        iters["omega=1"], oms["omega=1"] = table[:, g].copy(), np.ones(T)
    if betas is None:
        betas = [jacobi_spectral_radius(A) for A in mats]
    betas = np.asarray(betas, dtype=float)
    if np.all(betas < 1):
        wstar = np.array([optimal_omega(beta=bt) for bt in betas])
        iters["instance-optimal"] = np.array([sor_iterations(A, b, w, tol, maxiter) for A, b, w in zip(mats, bs, wstar)])
        oms["instance-optimal"] = wstar
    info["best_fixed_omega"] = float(grid[best])
    return RelaxResult(iterations=iters, omegas=oms, grid=grid, table=table, maxiter=int(maxiter),
                       time=time.perf_counter() - t0, info=info)
