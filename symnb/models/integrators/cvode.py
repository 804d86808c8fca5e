"""SUNDIALS CVODE through scikit-sundae: BDF (or Adams) with the compiled Jacobian.

``linsolver``: ``"sparse"`` (SuperLU_MT, the compiled Jacobian written into its CSC
values), ``"dense"`` (the compiled nonzeros scattered into SUNDIALS' dense matrix),
``"lapackdense"`` (the same matrix, LAPACK's LU) or ``"auto"`` (dense up to
``DENSE_MAX`` states, LAPACK dense for Jacobians with at least ``LAPACK_DENSITY``
nonzeros up to ``LAPACK_MAX`` states, SuperLU_MT otherwise).  CVODE runs with the
OpenMP and OpenBLAS bundled in scikit-sundae set to one thread (restored afterwards).
scikit-sundae is imported on the first solve.

>>> CVODE.methods, CVODE.options, CVODE.stats_keys[-1]
(('BDF', 'Adams'), ('linsolver',), 'linsolver')
"""
from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from ..ode import ODEResult, SolveError

__all__ = ["CVODE", "DENSE_MAX", "LAPACK_DENSITY", "LAPACK_MAX", "single_thread"]

_SUNDIALS_RT: list = []


def _sundials_runtime() -> tuple:
    """(libgomp, OpenBLAS) bundled with scikit-sundae and already loaded; ``None`` if absent."""
    if not _SUNDIALS_RT:
        found: list = [None, None]
        try:
            import ctypes
            import os
            from pathlib import Path

            import sksundae
            libs = Path(sksundae.__file__).resolve().parent.parent / "scikit_sundae.libs"
            for k, (pattern, get, set_) in enumerate((
                    ("libgomp*.so*", "omp_get_max_threads", "omp_set_num_threads"),
                    ("libopenblas*.so*", "openblas_get_num_threads",
                     "openblas_set_num_threads"))):
                for path in sorted(libs.glob(pattern)):
                    try:   # RTLD_NOLOAD: only a library the extension has loaded already
                        lib = ctypes.CDLL(str(path), mode=os.RTLD_NOLOAD | os.RTLD_LOCAL)
                        getattr(lib, get).restype = ctypes.c_int
                        getattr(lib, set_).argtypes = [ctypes.c_int]
                        found[k] = (getattr(lib, get), getattr(lib, set_))
                        break
                    except (OSError, AttributeError):
                        continue
        except (ImportError, AttributeError, OSError):
            pass
        _SUNDIALS_RT.append(tuple(found))
    return _SUNDIALS_RT[0]


class _SingleThreadRuntime:
    """Run CVODE with its bundled OpenMP and OpenBLAS on one thread; restore them after.

    The scikit-sundae wheel bundles an OpenMP (libgomp) build; SuperLU_MT with
    ``nthreads=1`` still enters OpenMP regions sized by ``omp_get_max_threads()``,
    whose spinning worker threads dominate small factorizations and solves.
    Measured here (2 shared cores, 3-species reaction–diffusion, N=16, 153
    steps): 0.18 s CPU with the default thread count, 0.013–0.02 s with one
    thread (the same as ``OMP_NUM_THREADS=1`` in the environment).
    """

    def __enter__(self) -> "_SingleThreadRuntime":
        self.saved = []
        for pair in _sundials_runtime():
            if pair is not None:
                get, set_ = pair
                old = int(get())
                if old != 1:
                    set_(1)
                    self.saved.append((set_, old))
        return self

    def __exit__(self, *exc: Any) -> None:
        for set_, old in self.saved:
            set_(old)


DENSE_MAX = 64
"""``linsolver="auto"`` uses SUNDIALS' own dense LU up to this many states.
Measured here with one OpenMP thread (best of 5, 3-species reaction–diffusion,
rtol 1e-6, sparse / dense / LAPACK dense): 48 states 4.6 / 4.1 / 4.0 ms, 108
states 5.3 / 7.0 / 11.2 ms, 432 states 11 / 196 / 126 ms, 768 states 18 / 756 /
323 ms."""
LAPACK_DENSITY = 0.05
"""Above ``DENSE_MAX`` and up to ``LAPACK_MAX`` states, ``"auto"`` picks LAPACK's
dense LU when the Jacobian has at least this fraction of nonzeros (SuperLU_MT's
fill-in and per-factorization ordering then cost more than a dense LU): on
egfr_net (356 states, 8431 nonzeros = 6.6 %) LAPACK dense took 0.09 s CPU,
SuperLU_MT 0.13–0.16 s, SUNDIALS' dense 0.22 s; the reaction–diffusion
Jacobians above (about 1 %) stay on SuperLU_MT."""
LAPACK_MAX = 1500


class CVODE:
    """The ``"cvode"`` integrator (the default of ``solve_ode``).

    ``stats``: ``backend``, ``method``, ``nfev``, ``njev``, ``steps`` (``None`` with
    ``t_eval``), ``seconds``, ``t_reached``, ``linsolver`` (the one used).  Without
    ``t_eval`` every internal step is an output; ``max_steps`` bounds them (with
    ``t_eval``: per output interval).
    """

    name = "cvode"
    methods = ("BDF", "Adams")
    options = ("linsolver",)
    stats_keys = ("backend", "method", "nfev", "njev", "steps", "seconds", "t_reached",
                  "linsolver")

    def solve(self, problem: Any, u0: np.ndarray, t_span: np.ndarray, *, p: np.ndarray,
              t_eval: Any = None, rtol: float = 1e-6, atol: Any = 1e-8,
              method: str | None = None, max_steps: int = 100_000,
              first_step: float | None = None, linsolver: str = "auto") -> ODEResult:
        method = method or self.methods[0]
        t0c = time.perf_counter()   # as before: the wall time includes making the solver
        solver, opts = self.make_solver(problem, p, rtol=rtol, atol=atol, method=method,
                                        max_steps=max_steps, first_step=first_step,
                                        linsolver=linsolver)
        with _SingleThreadRuntime():
            return _run(problem, solver, opts, u0, t_span, t_eval, method, max_steps, t0c)

    def make_solver(self, problem: Any, p: np.ndarray, *, rtol: float = 1e-6,
                    atol: Any = 1e-8, method: str | None = None, max_steps: int = 100_000,
                    first_step: float | None = None, linsolver: str = "auto",
                    roots: Any = None, num_roots: int = 0) -> tuple:
        """A scikit-sundae CVODE solver for ``problem`` and its options ``(solver, opts)``.

        ``roots(t, y, g)`` (optional) fills ``g`` with ``num_roots`` root functions: the
        solver's ``step`` then stops (status 2) where one changes sign; callers restart it
        with ``init_step`` after changing the state.  ``p`` is read at every call, so
        changing it in place between steps changes the parameters.  Run steps inside
        ``single_thread()``."""
        from sksundae.cvode import CVODE as _CVODE
        method = method or self.methods[0]
        if method not in self.methods:
            raise SolveError(f"unknown CVODE method {method!r}; choose 'BDF' or 'Adams'")
        f = problem.rhs_compiled.func
        ybuf = np.empty(problem.n)
        ybuf2 = np.empty(problem.n)

        def rhsfn(t: float, y: np.ndarray, yp: np.ndarray) -> None:
            ybuf[:] = y       # y is read-only; the compiled function wants a C float64 array
            f(yp, ybuf, p, t)

        opts: dict = dict(method=method, rtol=rtol, atol=atol, max_num_steps=int(max_steps))
        if first_step:
            opts["first_step"] = float(first_step)
        if linsolver == "auto":
            n = problem.n
            if n <= DENSE_MAX:
                linsolver = "dense"
            elif n <= LAPACK_MAX and problem.nnz >= LAPACK_DENSITY * n * n:
                linsolver = "lapackdense"
            else:
                linsolver = "sparse"
        if linsolver not in ("sparse", "dense", "lapackdense"):
            raise SolveError(f"unknown linsolver {linsolver!r}; choose 'auto', 'sparse', 'dense' "
                             f"or 'lapackdense'")
        if problem.jac_compiled is not None and problem.nnz and linsolver == "sparse":
            jf = problem.jac_compiled.func

            def jacfn(t: float, y: np.ndarray, yp: np.ndarray, JJ: np.ndarray) -> None:
                ybuf2[:] = y
                jf(JJ, ybuf2, p, t)   # JJ: the nonzeros in CSC order of jac_pattern

            opts.update(linsolver="sparse", sparsity=problem.jac_pattern, jacfn=jacfn, nthreads=1)
        elif problem.jac_compiled is not None and problem.nnz:
            jf = problem.jac_compiled.func
            P = problem.jac_pattern
            rows = P.indices.astype(np.int64)
            cols = np.repeat(np.arange(problem.n), np.diff(P.indptr))
            vals = np.empty(problem.nnz)

            def jacfn(t: float, y: np.ndarray, yp: np.ndarray, JJ: np.ndarray) -> None:
                ybuf2[:] = y
                jf(vals, ybuf2, p, t)
                JJ[:] = 0.0
                JJ[rows, cols] = vals  # scatter the compiled nonzeros into the dense matrix

            opts.update(linsolver=linsolver, jacfn=jacfn)
        else:
            opts.update(linsolver="lapackdense" if linsolver == "lapackdense" else "dense")
        if roots is not None and num_roots:
            roots.terminal = [False] * int(num_roots)
            opts.update(eventsfn=roots, num_events=int(num_roots))
        with warnings.catch_warnings():
            # sksundae warns that its own sparse FD Jacobian is unused when jacfn is given
            warnings.filterwarnings("ignore", message="Custom sparse Jacobian approximation")
            solver = _CVODE(rhsfn, **opts)
        return solver, opts


def single_thread() -> _SingleThreadRuntime:
    """Context manager: CVODE's bundled OpenMP and OpenBLAS on one thread inside."""
    return _SingleThreadRuntime()


def _run(problem: Any, solver: Any, opts: dict, y0: np.ndarray, ts: np.ndarray, t_eval: Any,
         method: str, max_steps: int, t0c: float) -> ODEResult:
    """Step ``solver`` (made and initialised by ``CVODE.solve``) and collect the result."""
    t_start, tf = float(ts[0]), float(ts[1])
    res = solver.init_step(t_start, y0)
    tlist, ylist = [t_start], [y0.copy()]
    status, msg, ok, steps = 0, "", True, 0
    if t_eval is not None:
        te = np.asarray(t_eval, dtype=float).ravel()
        if te.size == 0 or np.any(np.diff(te) <= 0) or te[0] < t_start or te[-1] > tf:
            raise SolveError("t_eval must be increasing and inside t_span")
        if te[0] == t_start:
            te = te[1:]
        else:
            tlist, ylist = [], []
        for target in te:       # normal mode: max_steps applies to each output interval
            res = solver.step(float(target), method="normal", tstop=tf)
            if not res.success:
                ok = False
                break
            tlist.append(float(res.t))
            ylist.append(np.array(res.y, dtype=float))
        steps = None
    else:
        stalled = 0
        while True:             # one internal step at a time, every step is an output
            res = solver.step(tf, method="onestep", tstop=tf)
            if not res.success:
                ok = False
                break
            steps += 1
            tt = float(res.t)
            stalled = stalled + 1 if tt <= tlist[-1] else 0
            tlist.append(tt)
            ylist.append(np.array(res.y, dtype=float))
            if res.status == 1 or tt >= tf:
                break
            if stalled >= 10:
                ok, msg = False, "step size underflow: t + h == t (solution blows up or " \
                                 "is singular)"
                break
            if steps >= max_steps:
                ok, msg = False, f"reached max_steps={max_steps} internal steps before tf"
                break
    wall = time.perf_counter() - t0c
    status = int(res.status) if ok or not msg else -1
    msg = msg or str(res.message)
    t = np.array(tlist, dtype=float)
    y = np.array(ylist, dtype=float).reshape(len(tlist), problem.n).T
    t_reached = float(res.t) if np.ndim(res.t) == 0 else float(np.ravel(res.t)[-1])
    if not ok:
        msg = f"{msg} (last time reached t={t_reached:.6g})"
    stats = dict(backend="cvode", method=method, nfev=int(res.nfev), njev=int(res.njev),
                 steps=steps, seconds=wall, t_reached=t_reached, linsolver=opts["linsolver"])
    return ODEResult(t, y, ok, msg, status, stats, problem.names)


