"""``scipy.integrate.solve_ivp`` (BDF, Radau or LSODA) with the compiled sparse Jacobian.

The Jacobian goes to scipy as a ``csc_matrix`` (dense for LSODA, which needs one).

>>> ScipyIVP.methods, ScipyIVP.stats_keys[-1]
(('BDF', 'Radau', 'LSODA'), 'nlu')
"""
from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..ode import ODEResult, SolveError

__all__ = ["ScipyIVP"]


class ScipyIVP:
    """The ``"scipy"`` integrator.

    ``stats``: ``backend``, ``method``, ``nfev``, ``njev``, ``steps`` (``None`` with
    ``t_eval``), ``seconds``, ``t_reached``, ``nlu`` (LU decompositions).
    ``max_steps`` does not apply (solve_ivp has no such limit).
    """

    name = "scipy"
    methods = ("BDF", "Radau", "LSODA")
    options: tuple[str, ...] = ()
    stats_keys = ("backend", "method", "nfev", "njev", "steps", "seconds", "t_reached", "nlu")

    def solve(self, problem: Any, u0: np.ndarray, t_span: np.ndarray, *, p: np.ndarray,
              t_eval: Any = None, rtol: float = 1e-6, atol: Any = 1e-8,
              method: str | None = None, max_steps: int = 100_000,
              first_step: float | None = None) -> ODEResult:
        import scipy.sparse as sp
        from scipy.integrate import solve_ivp
        method = method or self.methods[0]
        if method not in self.methods:
            raise SolveError(f"unknown scipy method {method!r}; choose one of "
                             f"{', '.join(self.methods)}")
        f = problem.rhs_compiled.func
        n = problem.n

        def fun(t: float, y: np.ndarray) -> np.ndarray:
            du = np.empty(n)
            f(du, np.ascontiguousarray(y, dtype=float), p, t)
            return du

        kw: dict = {}
        if problem.jac_compiled is not None and problem.nnz:
            jf = problem.jac_compiled.func
            P = problem.jac_pattern
            vals = np.empty(problem.nnz)
            if method == "LSODA":
                def jac(t: float, y: np.ndarray) -> Any:
                    jf(vals, np.ascontiguousarray(y, dtype=float), p, t)
                    return sp.csc_matrix((vals.copy(), P.indices, P.indptr), shape=P.shape).toarray()
            else:
                def jac(t: float, y: np.ndarray) -> Any:
                    jf(vals, np.ascontiguousarray(y, dtype=float), p, t)
                    return sp.csc_matrix((vals.copy(), P.indices, P.indptr), shape=P.shape)
            kw["jac"] = jac
        if first_step:
            kw["first_step"] = float(first_step)
        t0 = time.perf_counter()
        sol = solve_ivp(fun, (float(t_span[0]), float(t_span[1])), u0, method=method, t_eval=t_eval,
                        rtol=rtol, atol=atol, **kw)
        wall = time.perf_counter() - t0
        t_reached = float(sol.t[-1]) if len(sol.t) else float(t_span[0])
        msg = str(sol.message)
        if not sol.success:
            msg = f"{msg} (last time reached t={t_reached:.6g})"
        stats = dict(backend="scipy", method=method, nfev=int(sol.nfev), njev=int(sol.njev),
                     nlu=int(getattr(sol, "nlu", 0)),
                     steps=(len(sol.t) - 1) if t_eval is None else None, seconds=wall,
                     t_reached=t_reached)
        return ODEResult(np.asarray(sol.t), np.asarray(sol.y), bool(sol.success), msg,
                         int(sol.status), stats, problem.names)
