"""Sequences of related systems: SKR (sort + Krylov recycling) and ``solve_sequence``.

SKR (Wang et al., ICLR 2024): order the systems by greedy nearest neighbour on their
parameters (Frobenius distance of the coefficient fields), then solve in that order with
GCRO-DR, carrying the recycled subspace from one system to the next.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from .auto import RECYCLED, resolve
from .groups import METHODS as _METHODS
from .groups import solve_group as _solve_group
from .problems import LinearSystem
from ..reprs import RenderedHTML
from .result import SolveResult, _go


def as_system(s: Any) -> LinearSystem:
    """Accept a :class:`LinearSystem` or a tuple ``(A, b[, params])``."""
    if isinstance(s, LinearSystem):
        return s
    if isinstance(s, tuple) and len(s) in (2, 3):
        return LinearSystem(s[0], np.asarray(s[1]), None if len(s) == 2 else np.asarray(s[2]))
    raise ValueError(f"a system must be a LinearSystem or a tuple (A, b[, params]), got {type(s).__name__}")


def _features(systems: Sequence[LinearSystem]) -> np.ndarray:
    """One row per system: flattened params, else the matrix entries (dense if patterns differ)."""
    if all(s.params is not None for s in systems):
        feats = [np.asarray(s.params, dtype=float).ravel() for s in systems]
        if len({f.shape for f in feats}) != 1:
            raise ValueError("all systems' params must have the same shape to be sorted")
        return np.vstack(feats)
    mats = [sp.csr_matrix(s.A) for s in systems]
    if len({m.shape for m in mats}) != 1:
        raise ValueError("systems of different sizes cannot be sorted by distance")
    first = mats[0]
    if all(m.nnz == first.nnz and np.array_equal(m.indptr, first.indptr) and np.array_equal(m.indices, first.indices)
           for m in mats):
        return np.vstack([m.data for m in mats])
    return np.vstack([m.toarray().ravel() for m in mats])


def greedy_order(features: np.ndarray, start: int = 0) -> np.ndarray:
    """Greedy nearest-neighbour path through the rows of ``features`` (Euclidean/Frobenius).

    >>> greedy_order(np.array([[0.0], [10.0], [1.0], [9.0]])).tolist()
    [0, 2, 3, 1]
    """
    F = np.asarray(features, dtype=float)
    N = F.shape[0]
    if N == 0:
        return np.zeros(0, dtype=np.int64)
    if not 0 <= start < N:
        raise ValueError(f"start must index a system (0..{N - 1}), got {start}")
    sq = np.einsum("ij,ij->i", F, F)
    D = sq[:, None] + sq[None, :] - 2.0 * (F @ F.T)
    np.maximum(D, 0.0, out=D)
    visited = np.zeros(N, dtype=bool)
    order = [start]
    visited[start] = True
    cur = start
    for _ in range(N - 1):
        d = np.where(visited, np.inf, D[cur])
        cur = int(np.argmin(d))
        visited[cur] = True
        order.append(cur)
    return np.asarray(order, dtype=np.int64)


def sort_systems(systems: Sequence[Any], start: int = 0) -> np.ndarray:
    """Permutation that visits ``systems`` in greedy nearest-neighbour order of their parameters."""
    systems = [as_system(s) for s in systems]
    return greedy_order(_features(systems), start)


@dataclass
class SequenceResult(RenderedHTML):
    """Per-system outcomes of a sequence solve (indexed like the input list).

    ``order`` is the order the systems were solved in; ``time`` the wall time of the whole call.
    """

    results: list[SolveResult]
    order: np.ndarray
    time: float
    label: str = "sequence"
    info: dict = field(default_factory=dict)

    @property
    def iterations(self) -> np.ndarray:
        return np.array([r.iterations for r in self.results])

    @property
    def matvecs(self) -> np.ndarray:
        return np.array([r.matvecs for r in self.results])

    @property
    def times(self) -> np.ndarray:
        return np.array([r.time for r in self.results])

    @property
    def solutions(self) -> list[np.ndarray]:
        return [r.x for r in self.results]

    @property
    def total_matvecs(self) -> int:
        return int(self.matvecs.sum())

    @property
    def converged(self) -> bool:
        return all(r.converged for r in self.results)

    def summary(self) -> list[tuple[str, Any]]:
        mv = self.matvecs
        return [("label", self.label), ("systems", len(self.results)), ("all converged", self.converged),
                ("total matvecs", int(mv.sum())), ("mean matvecs", f"{mv.mean():.1f}" if mv.size else "-"),
                ("total iterations", int(self.iterations.sum())), ("time [s]", f"{self.time:.4g}")]

    def __repr__(self) -> str:
        return (f"SequenceResult(label={self.label!r}, systems={len(self.results)}, converged={self.converged}, "
                f"total_matvecs={self.total_matvecs}, time={self.time:.3g}s)")

    def trace(self, y: str = "matvecs", name: str | None = None):
        go = _go()
        vals = getattr(self, y)[self.order]
        return go.Scatter(x=np.arange(1, len(vals) + 1), y=vals, mode="lines+markers", name=name or self.label)

    def figure(self, y: str = "matvecs"):
        """Per-system ``"matvecs"``, ``"iterations"`` or ``"times"`` in solve order."""
        return compare_sequences([self], y=y)


def compare_sequences(results: Sequence[SequenceResult], y: str = "matvecs"):
    """Several sequence results on one plotly figure (e.g. the SKR ablation)."""
    if y not in ("matvecs", "iterations", "times"):
        raise ValueError(f"y must be 'matvecs', 'iterations' or 'times', got {y!r}")
    go = _go()
    fig = go.Figure([r.trace(y=y) for r in results])
    fig.update_layout(xaxis_title="system (solve order)", yaxis_title=y, template="plotly_white",
                      title="sequence")
    return fig


def solve_sequence(systems: Sequence[Any], method: str = "auto", sort: bool = True, recycle: bool = True,
                   tol: float = 1e-8, maxiter: int | None = None, client: Any = None,
                   groups: int | None = None, label: str | None = None, symmetric: bool | None = None,
                   **solver_kw: Any) -> SequenceResult:
    """Solve a list of systems, optionally sorted and with Krylov recycling.

    ``method``: ``"auto"`` (default: see :mod:`symnb.solvers.auto`; ``symmetric=True/False``
    skips its symmetry test, and GCRO-DR keywords ``m``/``refresh`` make it GCRO-DR),
    ``"dcg"`` (recycled CG, ``k``), ``"rminres"`` (recycled MINRES, ``k``), ``"gcrodr"``
    (``m``, ``k``), ``"gmres"`` (``restart``), ``"cg"``, ``"pcg"``, ``"sor"``, ``"ssor"``;
    ``precond="amg"``/``"ilu"`` carries one preconditioner through each group. What auto
    chose (and any switch it made) is in ``info``. The solve order is split into ``groups`` contiguous runs of
    near neighbours; each run carries its own recycled space. With a
    ``dask.distributed.Client`` the runs go to the workers (default: one per worker);
    without one they run here, one after another (default: one run).

    >>> from symnb.solvers.problems import darcy_sequence
    >>> seq = darcy_sequence(4, 8)
    >>> res = solve_sequence(seq, m=10, k=4)
    >>> res.converged, sorted(res.order.tolist())
    (True, [0, 1, 2, 3])
    """
    t0 = time.perf_counter()
    if method not in _METHODS and method != "auto":
        raise ValueError(f"unknown method {method!r}; choose 'auto' or one of {sorted(_METHODS)}")
    systems = [as_system(s) for s in systems]
    method, solver_kw, auto_info = resolve(systems[0].A, method, symmetric, solver_kw) if systems else (
        "gcrodr", solver_kw, {})
    N = len(systems)
    order = sort_systems(systems) if (sort and N > 1) else np.arange(N)
    if groups is None:
        groups = 1
        if client is not None:
            try:
                groups = max(1, len(client.scheduler_info()["workers"]))
            except Exception:  # pragma: no cover - very old clients
                groups = 1
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive integer, got {groups!r}")
    chunks = [c for c in np.array_split(order, min(int(groups), max(N, 1))) if len(c)]
    kw = dict(solver_kw, tol=tol, maxiter=maxiter)
    if client is None:
        parts = [_solve_group([systems[i] for i in c], method, recycle, kw) for c in chunks]
    else:
        from .distributed import solve_groups

        parts = solve_groups(client, [[systems[i] for i in c] for c in chunks], method, recycle, kw)
    results: list[SolveResult | None] = [None] * N
    for c, part in zip(chunks, parts):
        for i, r in zip(c, part):
            results[int(i)] = r
    if label is None:
        label = f"{method}{' sorted' if sort else ''}{' recycled' if recycle and method in _RECYCLING else ''}"
    notes = [r.info["note"] for r in results if r is not None and "note" in r.info]
    return SequenceResult(results=results, order=order, time=time.perf_counter() - t0, label=label,
                          info={"method": method, "sort": sort, "recycle": recycle, "groups": len(chunks),
                                **auto_info, **({"notes": notes} if notes else {})})


_RECYCLING = ("gcrodr", *RECYCLED)


def skr(systems: Sequence[Any], m: int = 40, k: int = 20, sort: bool = True, recycle: bool = True,
        tol: float = 1e-8, maxiter: int | None = None, client: Any = None, **kw: Any) -> SequenceResult:
    """Sorting-based Krylov recycling: greedy sort + GCRO-DR(m, k) with recycling.

    ``sort=False`` / ``recycle=False`` give the ablations.

    >>> from symnb.solvers.problems import darcy_sequence
    >>> skr(darcy_sequence(3, 8), m=10, k=4).converged
    True
    """
    return solve_sequence(systems, method="gcrodr", sort=sort, recycle=recycle, tol=tol, maxiter=maxiter,
                          client=client, m=m, k=k, **kw)
