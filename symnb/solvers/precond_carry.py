"""Preconditioners that carry over a sequence: built once, rebuilt when convergence degrades.

``AMG`` wraps a pyamg smoothed-aggregation hierarchy (one V-cycle per application; for SPD
systems), ``ILU`` scipy's ``spilu``, ``ILU0`` our numba ILU(0) / IC(0) (:mod:`.ilu0`). :class:`CarriedPreconditioner`
builds one from the first matrix of a sequence and reuses it for the next systems (their
matrices differ, so it is a preconditioner for a nearby matrix); when a solve needs more
than ``growth`` times the iterations seen right after the last build, the next system
gets a fresh one.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .ilu0 import ILU0
from .linop import as_csr
from .precond import Preconditioner
from .result import SolveResult


class AMG(Preconditioner):
    """One smoothed-aggregation AMG V-cycle (pyamg) as ``M``; SPD ``A``.

    >>> from symnb.solvers.problems import laplacian_2d
    >>> from symnb.solvers import cg
    >>> A = laplacian_2d(32); b = np.ones(A.shape[0])
    >>> cg(A, b, M=AMG(A)).iterations < cg(A, b).iterations // 4
    True
    """

    name = "amg"

    def __init__(self, A: Any):
        import pyamg  # lazy: only when an AMG preconditioner is asked for

        self.ml = pyamg.smoothed_aggregation_solver(as_csr(A), max_coarse=50)
        self.levels = len(self.ml.levels)

    def apply(self, r: np.ndarray, out: np.ndarray) -> np.ndarray:
        out[:] = self.ml.solve(r, x0=np.zeros_like(r), tol=1e-300, maxiter=1, cycle="V", accel=None)
        return out


class ILU(Preconditioner):
    """Incomplete LU (scipy ``spilu``, SuperLU's threshold ILU) as ``M``.

    >>> import scipy.sparse as sp
    >>> from symnb.solvers import gmres
    >>> A = sp.diags([-1.3, 3.0, -0.7], [-1, 0, 1], shape=(60, 60), format="csc")
    >>> gmres(A, np.ones(60), M=ILU(A)).iterations <= 3
    True
    """

    name = "ilu"

    def __init__(self, A: Any, drop_tol: float = 1e-3, fill_factor: float = 5.0):
        try:
            self.lu = spla.spilu(sp.csc_matrix(as_csr(A)), drop_tol=drop_tol, fill_factor=fill_factor)
        except RuntimeError as exc:
            raise ValueError(f"ILU failed on this matrix ({exc}); use M='amg', 'jacobi' or None") from None

    def apply(self, r: np.ndarray, out: np.ndarray) -> np.ndarray:
        out[:] = self.lu.solve(r)
        return out


class PreconditionerError(ValueError):
    """A carried preconditioner could not be built for a system (e.g. a zero pivot)."""


_KINDS = {"amg": AMG, "ilu": ILU, "ilu0": ILU0}


class CarriedPreconditioner:
    """A preconditioner of ``kind`` (``"amg"``, ``"ilu"`` or ``"ilu0"``) shared by the systems of a sequence.

    :func:`solve_carried` asks it for ``M`` (:meth:`get`), limits a solve to ``growth`` times
    the iterations of the first solve after the last build (:meth:`budget`), and when that
    limit is hit rebuilds ``M`` from the current matrix (:meth:`refresh`) and continues from
    the iterate reached. ``builds`` counts the constructions.

    >>> c = CarriedPreconditioner("ilu"); c.budget() is None
    True
    >>> c.observe(10); c.budget()
    20
    """

    def __init__(self, kind: str = "amg", growth: float = 2.0):
        if kind not in _KINDS:
            raise ValueError(f"unknown carried preconditioner {kind!r}; choose one of {sorted(_KINDS)}")
        if not growth > 1:
            raise ValueError(f"growth must be > 1 (iteration ratio that triggers a rebuild), got {growth!r}")
        self.kind, self.growth = kind, float(growth)
        self.M: Preconditioner | None = None
        self.baseline: int | None = None
        self.builds = 0
        self.shape: tuple[int, int] | None = None

    def get(self, A: Any) -> Preconditioner:
        """The current preconditioner; built from ``A`` when there is none or the size changed."""
        if self.M is None or tuple(A.shape) != self.shape:
            self.refresh(A)
        return self.M

    def refresh(self, A: Any) -> Preconditioner:
        """Rebuild from ``A`` now (:class:`PreconditionerError` when the construction fails)."""
        try:
            self.M = _KINDS[self.kind](A)
        except ValueError as exc:
            raise PreconditionerError(str(exc)) from None
        self.shape, self.baseline = tuple(A.shape), None
        self.builds += 1
        return self.M

    def budget(self) -> int | None:
        """Iterations allowed before a rebuild (``None``: no solve seen since the last build)."""
        return None if self.baseline is None else int(np.ceil(self.growth * self.baseline))

    def observe(self, iterations: int) -> None:
        """Record the iterations of a solve; the first one after a build is the baseline."""
        if self.baseline is None:
            self.baseline = max(int(iterations), 1)


def solve_carried(solve: Callable[..., SolveResult], A: Any, b: np.ndarray, carry: CarriedPreconditioner,
                  maxiter: int | None = None, **kw: Any) -> SolveResult:
    """``solve(A, b, M=..., **kw)`` with the carried preconditioner, rebuilt mid-solve if it degraded.

    The returned result covers both parts (histories joined, matvecs summed);
    ``info["rebuilt"]`` says whether ``M`` was rebuilt during this solve.

    >>> from symnb.solvers.problems import darcy_sequence
    >>> from symnb.solvers import cg
    >>> carry = CarriedPreconditioner("amg")
    >>> res = [solve_carried(cg, s.A, s.b, carry) for s in darcy_sequence(3, 16)]
    >>> all(r.converged for r in res), carry.builds >= 1
    (True, True)
    """
    limit = carry.budget()
    total = max(10 * A.shape[0], 1000) if maxiter is None else int(maxiter)
    first = solve(A, b, M=carry.get(A), maxiter=total if limit is None else min(limit, total), **kw)
    if first.reason != "maxiter" or limit is None or first.iterations >= total:
        carry.observe(first.iterations)
        first.info["rebuilt"] = False
        return first
    M = carry.refresh(A)
    if "recycle" in kw and first.recycle is not None:
        kw["recycle"] = first.recycle
    second = solve(A, b, x0=first.x, M=M, maxiter=total - first.iterations, **kw)
    carry.observe(second.iterations)
    return join(first, second)


def join(first: SolveResult, second: SolveResult) -> SolveResult:
    """One result for a solve continued from ``first.x``: histories joined, matvecs summed."""
    mv = first.matvecs
    res = SolveResult(x=second.x, residuals=np.concatenate([first.residuals, second.residuals[1:]]),
                      matvec_history=np.concatenate([first.matvec_history, mv + second.matvec_history[1:]]),
                      matvecs=mv + second.matvecs, time=first.time + second.time, converged=second.converged,
                      reason=second.reason, method=second.method, info=dict(second.info, rebuilt=True),
                      recycle=second.recycle)
    return res
