"""SUNDIALS CVODE through scikit-sundae: BDF (or Adams) with the compiled Jacobian.

``linsolver``: ``"sparse"`` (SuperLU_MT, the compiled Jacobian written into its CSC
values), ``"dense"`` (the compiled nonzeros scattered into SUNDIALS' dense matrix),
``"lapackdense"`` (the same matrix, LAPACK's LU), the Krylov solvers ``"gmres"``,
``"bicgstab"`` and ``"tfqmr"`` (preconditioned with a factorization of ``I − γJ`` built
from the compiled sparse Jacobian, and ``J v`` from the same matrix: :mod:`.krylov`),
or ``"auto"`` (:func:`choose_linsolver`: dense up to ``DENSE_MAX`` states, LAPACK dense
for Jacobians with at least ``LAPACK_DENSITY`` nonzeros up to ``DENSE_KRYLOV_MIN`` states,
from there to ``LAPACK_MAX`` GMRES preconditioned with a dense LU of ``I − γJ``
(``precond="auto"``: :func:`choose_precond`), GMRES with ILU from ``KRYLOV_MIN`` states
with ``KRYLOV_ROW_NNZ`` nonzeros per row, SuperLU_MT otherwise).  CVODE runs with the OpenMP
and OpenBLAS bundled in scikit-sundae set to one thread (restored afterwards).
scikit-sundae is imported on the first solve.

What the solve costs is set by CVODE's counters (``stats``) times the cost of each unit of
work; ``benchmarks/egfr_solve.py`` prints that floor.  egfr_net to t=100, rtol 1e-6, CPU,
load ~2 on 2 cores: LAPACK dense does 41 LUs (7 Jacobians; CVODE refactors when γ moved
30 %, every 20 steps and after failed steps) and 438 solves, floor 49.5 ms (dgetrf
0.94 ms, dgetrs 20 µs, RHS 5 µs), measured 69 ms, scipy's BDF 184 ms: at most 3.7×;
GMRES with the dense-LU preconditioner and ``gamma_tol=3``: 14 LUs, 772 solves, floor
33 ms, at most 5.7× (an LU only with a new J: 7 LUs, 804 solves, 27 ms, 6.5×).  Even
LAPACK dense with one LU per Jacobian and no extra step would be 17.5 ms.
CVODE's optional inputs measured there against the defaults (CPU, error at t=100 from
1.5e-7): ``dgmax`` 2 −8 % (2.3e-7), 3 −20 % (28 LUs, 429 steps, 5.6e-7), over rtol
1e-4..1e-8 dgmax 2–3 saved 8–34 % with errors 0.7–12× the default's, and adds steps
where LUs are cheap (the 6-state test problem: 443 → 539 steps), so it stays an option;
``CVodeSetLSetupFrequency`` 50 −5 %, ``CVodeSetJacEvalFrequency`` 200 +12 %, max
order 4 +7 %, 3 +75 %.

>>> CVODE.methods, CVODE.options[:3], CVODE.stats_keys[-4:]
(('BDF', 'Adams'), ('linsolver', 'precond', 'jtimes'), ('npsetups', 'npsolves', 'njtimes', 'interrupted'))
>>> CVODE.options[-2:]
('dgmax', 'progress')
"""
from __future__ import annotations

import time
import warnings
from numbers import Real
from typing import Any, Callable

import numpy as np

from ..ode import ODEResult, SolveError

__all__ = ["CVODE", "DENSE_MAX", "LAPACK_DENSITY", "LAPACK_MAX", "DENSE_KRYLOV_MIN",
           "DENSE_GAMMA_TOL", "JVP_MAX_OPS", "single_thread",
           "choose_linsolver", "choose_precond", "choose_jtimes", "cvode_library", "cvode_mem",
           "cvode_counters", "cvode_set", "set_dgmax"]

_SUNDIALS_RT: list = []


def _bundled_libraries(pattern: str) -> list:
    """ctypes handles of the libraries matching ``pattern`` that scikit-sundae bundles and
    has already loaded (``RTLD_NOLOAD``), in name order; ``[]`` if none or no scikit-sundae."""
    import ctypes
    import os
    from pathlib import Path
    try:
        import sksundae
        libs = Path(sksundae.__file__).resolve().parent.parent / "scikit_sundae.libs"
        paths = sorted(libs.glob(pattern))
    except (ImportError, AttributeError, OSError):
        return []
    found = []
    for path in paths:
        try:
            found.append(ctypes.CDLL(str(path), mode=os.RTLD_NOLOAD | os.RTLD_LOCAL))
        except OSError:
            continue
    return found


def _sundials_runtime() -> tuple:
    """(libgomp, OpenBLAS) bundled with scikit-sundae and already loaded; ``None`` if absent."""
    if not _SUNDIALS_RT:
        import ctypes
        found: list = [None, None]
        for k, (pattern, get, set_) in enumerate((
                ("libgomp*.so*", "omp_get_max_threads", "omp_set_num_threads"),
                ("libopenblas*.so*", "openblas_get_num_threads",
                 "openblas_set_num_threads"))):
            for lib in _bundled_libraries(pattern):
                try:
                    getattr(lib, get).restype = ctypes.c_int
                    getattr(lib, set_).argtypes = [ctypes.c_int]
                    found[k] = (getattr(lib, get), getattr(lib, set_))
                    break
                except AttributeError:
                    continue
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
DENSE_KRYLOV_MIN = 400
"""In LAPACK dense's range (``LAPACK_DENSITY``, up to ``LAPACK_MAX``), ``"auto"`` switches
from ``DENSE_KRYLOV_MIN`` states to GMRES with the dense-LU preconditioner and
``gamma_tol=DENSE_GAMMA_TOL``: a factorization costs n³ while GMRES adds a few
preconditioner solves (n²) and Python calls per step, and reusing the LU over larger
γ changes cuts factorizations about 3×.  Measured (synthetic mass-action networks of
BCR's density, t in [0, 10], rtol 1e-6, CPU, best of 3, one run, load ~1; LAPACK dense
against GMRES + dense LU): 80 states 3.7 against 8.8 ms, 150: 8.5 / 14.3, 250: 19.1 /
22.3, egfr_net (356) 67.7 / 59.6, 500: 115 / 76 ms (34 / 10 LUs), 1,122: 914 / 422 ms
(36 / 11 LUs); scaled errors against rtol 1e-10 stayed at or below 1.2e-7."""
DENSE_GAMMA_TOL = 3.0
KRYLOV_MIN = 1000
"""``"auto"`` picks GMRES with the ILU preconditioner from ``KRYLOV_MIN`` states up when the
Jacobian has at least ``KRYLOV_ROW_NNZ`` nonzeros per row (irregular reaction networks,
whose sparse LU fills in), and SuperLU_MT below or for sparser Jacobians (stencils).
Measured (rtol 1e-6): BCR (1,122 states) GMRES + ILU 2.8 s, SuperLU_MT 4.9 s;
fceri_gamma2 (3,744 states, 119,824 nonzeros) 32 s against 149 s (PITFALLS.md), and
2.9 s with this module's defaults (ILU drop 1e-3, γ reuse, difference-quotient J v); the 3-species
reaction–diffusion Jacobian (4.3 nonzeros per row) stays faster on SuperLU_MT: N=32 (3,072
states) 57 ms CPU against 145 ms for GMRES + ILU, N=16 (768) 13 against 49 ms."""
KRYLOV_ROW_NNZ = 8.0
GAMMA_TOL = 1.0
"""Krylov default ``gamma_tol``: while CVODE keeps J, refactor ``I − γJ`` only when γ moved
by more than this (relative).  CVODE itself asks for a new preconditioner when γ moved
30 %; measured on egfr_net (GMRES + ILU, rtol 1e-6, CPU): ``gamma_tol=0`` 162 ms, 44
factorizations, 409 linear iterations; ``1.0`` 102 ms, 24 and 501 (same accuracy).  With
the exact ``"lu"`` preconditioner: 1.0 gives 153 ms, 3.0 gives 135 ms.  With ``"dense"``
(best of 5, load ~2): 3.0 gives 58 ms, 14 factorizations; 1e9 (an LU only with a new J)
53 ms, 7 factorizations, but the error at t=100 grew from 3.9e-8 to 4.3e-7."""

JTIMES = ("auto", "dq", "jvp", "matrix")
JVP_MAX_OPS = 50_000
"""``jtimes="auto"`` uses the compiled J v (when it exists) for RHS of at most this many
operations.  The directional derivative of a mass-action RHS has about twice its
products (``∂(k·a·b)·v = k·b·v_a + k·a·v_b``), so it wins only where the difference
quotient's fixed numpy overhead matters.  Measured (CPU per product, one run, load ~8 on
2 cores): egfr_net (RHS 15,380 ops, 5.2 µs) J v 8.0 µs against about 10.5 µs for the
difference quotient (GMRES + ILU to t=100: 66.7 against 70.0 ms); the BCR-size synthetic
network (1,122 states, 24,388 reactions, RHS 134,998 ops, 26.5 µs) J v 50.7 µs, solve to
t=10 1.11 s against 1.08 s with ``"dq"``."""
DIRECT = ("dense", "lapackdense", "sparse")
KRYLOV = ("gmres", "bicgstab", "tfqmr")
LINSOLVERS = ("auto",) + DIRECT + KRYLOV
NEXT_SOLVER = {"gmres": "sparse", "bicgstab": "gmres", "tfqmr": "gmres", "sparse": "gmres",
               "lapackdense": "sparse", "dense": "sparse"}
"""The linear solver a failed solve continues with (from its last accepted step)."""
_LS_FAILURES = {-3, -4, -6, -7, -8, -9}   # error-test / convergence / lsetup / lsolve fails


def choose_linsolver(n: int, nnz: int) -> str:
    """The linear solver ``linsolver="auto"`` uses for ``n`` states and ``nnz`` Jacobian
    nonzeros (see ``DENSE_MAX``, ``LAPACK_DENSITY``, ``LAPACK_MAX``, ``KRYLOV_MIN``,
    ``KRYLOV_ROW_NNZ``).

    >>> choose_linsolver(10, 30), choose_linsolver(356, 8431), choose_linsolver(3744, 40000)
    ('dense', 'lapackdense', 'gmres')
    >>> choose_linsolver(3072, 13184)      # a reaction–diffusion stencil: sparse LU
    'sparse'
    """
    if n <= DENSE_MAX:
        return "dense"
    if n <= LAPACK_MAX and nnz >= LAPACK_DENSITY * n * n:
        return "lapackdense" if n < DENSE_KRYLOV_MIN else "gmres"
    if n >= KRYLOV_MIN and nnz >= KRYLOV_ROW_NNZ * n:
        return "gmres"
    return "sparse"


def choose_precond(n: int, nnz: int) -> str:
    """The preconditioner ``precond="auto"`` gives a Krylov solver: ``"dense"`` (LAPACK's
    LU of ``I − γJ``) where the Jacobian is dense enough for LAPACK and has at least
    ``DENSE_KRYLOV_MIN`` and at most ``LAPACK_MAX`` states, ``"ilu"`` otherwise.

    >>> choose_precond(1122, 83848), choose_precond(356, 8431), choose_precond(3744, 119824)
    ('dense', 'ilu', 'ilu')
    >>> choose_linsolver(1122, 83848)
    'gmres'
    """
    if DENSE_KRYLOV_MIN <= n <= LAPACK_MAX and nnz >= LAPACK_DENSITY * n * n:
        return "dense"
    return "ilu"


def choose_jtimes(problem: Any) -> str:
    """``jtimes="auto"``: ``"jvp"`` when the problem's compiled J v already exists
    (``ODEProblem(jvp=True)`` or an earlier ``problem.jvp``) and its RHS has at most
    ``JVP_MAX_OPS`` operations, else ``"dq"`` (see ``JVP_MAX_OPS``)."""
    if getattr(problem, "_jvp", None) is None:
        return "dq"
    ops = problem.rhs_compiled.stats.get("ops_cse")
    return "jvp" if ops is not None and ops <= JVP_MAX_OPS else "dq"


class CVODE:
    """The ``"cvode"`` integrator (the default of ``solve_ode``).

    Options: ``linsolver`` (module doc), ``precond`` for the Krylov solvers (``"auto"``,
    the default: :func:`choose_precond`; ``"ilu"``, ``"lu"``, ``"dense"``, ``"jacobi"`` or
    ``"none"``; see :mod:`.krylov`), ``jtimes``
    (``"auto"``, the default: :func:`choose_jtimes`; ``"dq"``: difference quotients of the
    compiled RHS at the current state, one RHS call per product; ``"jvp"``: the exact
    ``J(y) v`` from the compiled directional derivative ``ODEProblem.jvp_compiled``,
    compiled on first use (egfr_net: 1–9 s here), no RHS call; ``"matrix"``: J v with the
    sparse J of the last preconditioner setup, i.e. modified Newton.  Measured on
    egfr_net, GMRES + ILU, CPU, one run: dq 70.0 ms, 362 steps, 414 products; jvp 66.7
    ms, same steps; matrix 74.3 ms, 407 steps, 476 products),
    ``krylov_dim``, ``gamma_tol`` (reuse the factors while γ moved less than this,
    relative; default ``DENSE_GAMMA_TOL`` for the dense preconditioner, ``GAMMA_TOL``
    for the others), ``dgmax`` (CVODE's ``DeltaGammaMaxLSetup``: set the linear solver up again,
    a new LU for the direct solvers, when γ moved by more than this, relative; ``None``
    keeps SUNDIALS' 0.3), ``progress`` (a callable given a dict ``t, t0, tf, fraction, steps,
    seconds, done`` at most every 0.1 s and at the end; raising ``KeyboardInterrupt``
    in it stops the solve).  A ``KeyboardInterrupt`` (Ctrl-C, a kernel interrupt)
    during the solve returns the steps taken so far as a failed ``ODEResult`` (message
    "interrupted ...", ``stats["interrupted"]``).  When a linear solver fails (CVODE's
    linear setup or solve, or repeated convergence failures) the solve continues from
    its last step with ``NEXT_SOLVER`` and a ``PreconditionerWarning`` naming the reason.

    ``stats``: ``backend``, ``method``, ``nfev`` (RHS calls, those of difference-quotient
    J v products included), ``njev`` (Jacobian evaluations),
    ``steps`` (``None`` with ``t_eval``), ``seconds``, ``t_reached``, ``linsolver``
    (the last one used), ``precond`` (Krylov: the preconditioner in use at the end),
    ``jtimes`` (Krylov: the J v product used, ``"dq"``, ``"jvp"`` or ``"matrix"``),
    ``nliters`` (linear iterations: Jacobian-vector products for GMRES, half of them
    for BiCGStab and TFQMR, 0 for direct solvers), ``nniters`` (CVODE's nonlinear
    iterations: one linear solve each for the direct solvers), ``npsetups`` (LU
    factorizations: the preconditioner's for Krylov solvers, CVODE's linear-solver setups
    for direct ones; ``nniters`` and direct ``npsetups`` are read from CVODE's memory,
    :func:`cvode_counters`, and ``None`` where that is not reachable), ``npsolves``
    (Krylov: preconditioner solves; ``None`` for direct solvers), ``njtimes``
    (Jacobian-vector products), ``interrupted``.  Without
    ``t_eval`` every internal step is an output; ``max_steps`` bounds them (with
    ``t_eval``: per output interval).
    """

    name = "cvode"
    methods = ("BDF", "Adams")
    options = ("linsolver", "precond", "jtimes", "krylov_dim", "gamma_tol", "dgmax",
               "progress")
    stats_keys = ("backend", "method", "nfev", "njev", "steps", "seconds", "t_reached",
                  "linsolver", "precond", "jtimes", "nniters", "nliters", "npsetups",
                  "npsolves", "njtimes", "interrupted")

    def solve(self, problem: Any, u0: np.ndarray, t_span: np.ndarray, *, p: np.ndarray,
              t_eval: Any = None, rtol: float = 1e-6, atol: Any = 1e-8,
              method: str | None = None, max_steps: int = 100_000,
              first_step: float | None = None, linsolver: str = "auto",
              progress: Callable | None = None, **krylov: Any) -> ODEResult:
        method = method or self.methods[0]
        t0c = time.perf_counter()   # as before: the wall time includes making the solver

        def make(ls: str) -> tuple:
            return self.make_solver(problem, p, rtol=rtol, atol=atol, method=method,
                                    max_steps=max_steps, first_step=first_step,
                                    linsolver=ls, **krylov)
        with _SingleThreadRuntime():
            return _run(problem, make, linsolver, u0, t_span, t_eval, method, max_steps,
                        t0c, progress)

    def make_solver(self, problem: Any, p: np.ndarray, *, rtol: float = 1e-6,
                    atol: Any = 1e-8, method: str | None = None, max_steps: int = 100_000,
                    first_step: float | None = None, linsolver: str = "auto",
                    roots: Any = None, num_roots: int = 0, precond: str = "auto",
                    jtimes: str = "auto", krylov_dim: int = 0,
                    gamma_tol: float | None = None, dgmax: float | None = None) -> tuple:
        """A scikit-sundae CVODE solver for ``problem`` and its options ``(solver, opts)``.

        ``roots(t, y, g)`` (optional) fills ``g`` with ``num_roots`` root functions: the
        solver's ``step`` then stops (status 2) where one changes sign; callers restart it
        with ``init_step`` after changing the state.  ``p`` is read at every call, so
        changing it in place between steps changes the parameters.  Run steps inside
        ``single_thread()``.  For a Krylov ``linsolver``, ``opts["preconditioner"]`` is
        the :class:`JacobianPreconditioner` (its ``counts()``)."""
        from sksundae.cvode import CVODE as _CVODE
        method = method or self.methods[0]
        if method not in self.methods:
            raise SolveError(f"unknown CVODE method {method!r}; choose 'BDF' or 'Adams'")
        if linsolver not in LINSOLVERS:
            raise SolveError(f"unknown linsolver {linsolver!r}; choose one of "
                             f"{', '.join(repr(x) for x in LINSOLVERS)}")
        if dgmax is not None and not (isinstance(dgmax, Real) and not isinstance(dgmax, bool)
                                      and 0 < dgmax < np.inf):
            raise SolveError(f"dgmax must be a positive number, not {dgmax!r}")
        if jtimes not in JTIMES:
            raise SolveError(f"unknown jtimes {jtimes!r}; choose one of "
                             f"{', '.join(repr(x) for x in JTIMES)}")
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
            linsolver = choose_linsolver(problem.n, problem.nnz)
        has_jac = problem.jac_compiled is not None and problem.nnz > 0
        pre, jt_rhs, jt_kind = None, False, None
        if linsolver in KRYLOV:
            from sksundae.cvode import CVODEJacTimes, CVODEPrecond

            from .krylov import JacobianPreconditioner, dq_jtimes, jvp_jtimes
            if precond == "auto":
                precond = choose_precond(problem.n, problem.nnz)
            if gamma_tol is None:
                gamma_tol = DENSE_GAMMA_TOL if precond == "dense" else GAMMA_TOL
            if has_jac:
                jf = problem.jac_compiled.func
                pre = JacobianPreconditioner(lambda vals, y, t: jf(vals, y, p, t),
                                             problem.jac_pattern, kind=precond,
                                             gamma_tol=gamma_tol)
            else:
                import scipy.sparse as sp
                pre = JacobianPreconditioner(lambda vals, y, t: None,
                                             sp.csc_matrix((problem.n, problem.n)), kind="none")
            opts.update(linsolver=linsolver, krylov_dim=int(krylov_dim) or None,
                        precond=CVODEPrecond(pre.setup, pre.solve, "left"))
            if jtimes == "auto":
                jtimes = choose_jtimes(problem) if has_jac else "dq"
            jt_rhs = not has_jac or jtimes == "dq"
            if jt_rhs:
                jt = dq_jtimes(lambda du, y, t: f(du, y, p, t), problem.n, pre)
            elif jtimes == "jvp":
                jv = problem.jvp_compiled.func
                jt = jvp_jtimes(lambda out, y, v, t: jv(out, y, v, p, t), problem.n, pre)
            else:
                jt = pre.jtimes
            jt_kind = "dq" if jt_rhs else jtimes
            opts["jactimes"] = CVODEJacTimes(None, jt)
            if opts["krylov_dim"] is None:
                del opts["krylov_dim"]
        elif has_jac and linsolver == "sparse":
            jf = problem.jac_compiled.func

            def jacfn(t: float, y: np.ndarray, yp: np.ndarray, JJ: np.ndarray) -> None:
                ybuf2[:] = y
                jf(JJ, ybuf2, p, t)   # JJ: the nonzeros in CSC order of jac_pattern

            opts.update(linsolver="sparse", sparsity=problem.jac_pattern, jacfn=jacfn, nthreads=1)
        elif has_jac:
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
        if dgmax is not None:
            solver = _WithDgmax(solver, dgmax)
        opts["preconditioner"] = pre
        opts["jtimes_rhs"] = jt_rhs   # True: each J v costs one RHS call (counted in nfev)
        opts["jtimes_kind"] = jt_kind
        return solver, opts


def single_thread() -> _SingleThreadRuntime:
    """Context manager: CVODE's bundled OpenMP and OpenBLAS on one thread inside."""
    return _SingleThreadRuntime()


_CVODE_LIB: list = []
_MEM_VERSION: list = []           # [whether the installed scikit-sundae is one checked]
_MEM_LAYOUT = ("1.2.0", 128, 24)
"""The scikit-sundae version (pinned in pyproject.toml) whose Cython ``CVODE`` object was
checked here, its ``__basicsize__`` and the offset of its ``void* mem`` (after the object header and the
vtable pointer; the next field is the ``SUNContext``, which CVODE's memory starts with)."""


def cvode_library() -> Any:
    """ctypes handle of the CVODE library scikit-sundae has loaded (for CVODE's optional
    inputs and counters on :func:`cvode_mem`); ``None`` if absent."""
    if not _CVODE_LIB:
        found = _bundled_libraries("libsundials_cvode*.so*")
        _CVODE_LIB.append(found[0] if found else None)
    return _CVODE_LIB[0]


def cvode_mem(solver: Any) -> int | None:
    """The address of CVODE's memory inside a scikit-sundae ``CVODE`` after ``init_step``
    (scikit-sundae keeps it in a C field); ``None`` where the layout is not the one checked
    (``_MEM_LAYOUT``: version, object size, and CVODE's memory must start with the solver's
    ``SUNContext``)."""
    import ctypes
    if isinstance(solver, _WithDgmax):
        solver = solver.solver
    inner = getattr(solver, "_CVODE__CVODE", None)
    if not _MEM_VERSION:
        from importlib.metadata import PackageNotFoundError, version
        try:
            _MEM_VERSION.append(version("scikit-sundae") == _MEM_LAYOUT[0])
        except PackageNotFoundError:
            _MEM_VERSION.append(False)
    if not _MEM_VERSION[0] or inner is None or type(inner).__basicsize__ != _MEM_LAYOUT[1]:
        return None
    at = id(inner) + _MEM_LAYOUT[2]
    mem, ctx = (ctypes.c_void_p.from_address(at + k).value for k in (0, 8))
    if not mem or not ctx or ctypes.c_void_p.from_address(mem).value != ctx:
        return None
    return mem


def cvode_counters(solver: Any) -> dict:
    """CVODE's own counters of a solver after ``init_step``: ``steps``, ``nfev``,
    ``nlsetups`` (linear-solver setups: LU factorizations for the direct solvers),
    ``nniters`` (nonlinear iterations: one linear solve each), ``netfails`` (error-test
    failures); ``{}`` where :func:`cvode_mem` finds no memory.

    >>> import numpy as np; from sksundae.cvode import CVODE as C
    >>> s = C(lambda t, y, yp: yp.__setitem__(0, -1e3 * y[0]), linsolver="dense")
    >>> _ = s.init_step(0.0, np.ones(1)); _ = s.step(1.0)
    >>> c = cvode_counters(s); c["nlsetups"] > 0 and c["nniters"] >= c["steps"] > 0
    True
    """
    import ctypes
    mem, lib = cvode_mem(solver), cvode_library()
    if mem is None or lib is None:
        return {}
    out = {}
    for key, name in (("steps", "NumSteps"), ("nfev", "NumRhsEvals"),
                      ("nlsetups", "NumLinSolvSetups"), ("nniters", "NumNonlinSolvIters"),
                      ("netfails", "NumErrTestFails")):
        fn = getattr(lib, "CVodeGet" + name)
        fn.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_long)]
        n = ctypes.c_long()
        if fn(ctypes.c_void_p(mem), ctypes.byref(n)) != 0:
            return {}
        out[key] = int(n.value)
    return out


def cvode_set(solver: Any, name: str, ctype: str, value: Any, what: str) -> int:
    """Call CVODE's optional-input setter ``CVodeSet<name>`` (its value a ctypes ``ctype``
    such as ``"c_double"``) on a solver after ``init_step``; CVODE's return flag (0: set).
    ``what`` names the option in the error raised where CVODE's memory is out of reach."""
    import ctypes
    mem, lib = cvode_mem(solver), cvode_library()
    if mem is None or lib is None:
        raise SolveError(f"{what} needs scikit-sundae 1.2.0 (the CVODE memory it reaches); "
                         f"leave {what} out with this version")
    fn = getattr(lib, "CVodeSet" + name)
    ct = getattr(ctypes, ctype)
    fn.argtypes = [ctypes.c_void_p, ct]
    return int(fn(ctypes.c_void_p(mem), ct(value)))


def set_dgmax(solver: Any, dgmax: float) -> None:
    """``CVodeSetDeltaGammaMaxLSetup``: CVODE sets up its linear solver again (a new LU
    for the direct solvers) when γ moved by more than ``dgmax`` (relative) since the
    last setup (SUNDIALS' default 0.3); call after ``init_step``."""
    if cvode_set(solver, "DeltaGammaMaxLSetup", "c_double", float(dgmax), "dgmax") != 0:
        raise SolveError(f"CVODE refused dgmax={dgmax!r}; give a positive number")


class _WithDgmax:
    """A scikit-sundae solver whose ``init_step`` also sets ``dgmax`` (:func:`set_dgmax`)."""

    def __init__(self, solver: Any, dgmax: float) -> None:
        self.solver, self.dgmax = solver, float(dgmax)

    def init_step(self, t0: float, y0: np.ndarray) -> Any:
        res = self.solver.init_step(t0, y0)
        set_dgmax(self.solver, self.dgmax)
        return res

    def __getattr__(self, name: str) -> Any:
        return getattr(self.solver, name)


class _Tally:
    """Counters summed over the solvers one solve used (one per linear-solver fallback)."""

    def __init__(self) -> None:
        self.nfev = self.njev = self.nliters = self.njtimes = 0
        self.npsetups: int | None = None
        self.nniters: int | None = None
        self.npsolves: int | None = None
        self.linsolver = self.precond = self.jtimes = None

    def add(self, res: Any, opts: dict, solver: Any) -> None:
        self.linsolver = ls = opts["linsolver"]
        self.jtimes = opts.get("jtimes_kind")
        self.nfev += int(res.nfev or 0) if res is not None else 0
        cv = cvode_counters(solver)
        if cv:
            self.nniters = (self.nniters or 0) + cv["nniters"]
        pre = opts.get("preconditioner")
        if pre is None:
            self.njev += int(res.njev or 0) if res is not None else 0
            self.precond = None
            if cv:
                self.npsetups = (self.npsetups or 0) + cv["nlsetups"]
            return
        c = pre.counts()
        self.nfev += c["njtimes"] if opts.get("jtimes_rhs") else 0
        self.njev += c["njev"]
        self.njtimes += c["njtimes"]
        self.nliters += c["njtimes"] if ls == "gmres" else c["njtimes"] // 2
        self.npsetups = (self.npsetups or 0) + c["npsetups"]
        self.npsolves = (self.npsolves or 0) + c["npsolves"]
        self.precond = c["precond"]


def _run(problem: Any, make: Callable, linsolver: str, y0: np.ndarray, ts: np.ndarray,
         t_eval: Any, method: str, max_steps: int, t0c: float,
         progress: Callable | None) -> ODEResult:
    """Step the solvers ``make(linsolver)`` builds and collect the result (with fallbacks)."""
    from .krylov import PreconditionerWarning
    t_start, tf = float(ts[0]), float(ts[1])
    if t_eval is not None:
        te = np.asarray(t_eval, dtype=float).ravel()
        if te.size == 0 or np.any(np.diff(te) <= 0) or te[0] < t_start or te[-1] > tf:
            raise SolveError("t_eval must be increasing and inside t_span")
    solver, opts = make(linsolver)
    tried = {opts["linsolver"]}
    tally = _Tally()
    res = solver.init_step(t_start, y0)
    tlist, ylist = [t_start], [y0.copy()]
    msg, ok, steps, interrupted = "", True, 0, False
    t_last, y_last = t_start, y0
    report = _Progress(progress, t_start, tf, t0c)
    if t_eval is not None:
        if te[0] == t_start:
            te = te[1:]
        else:
            tlist, ylist = [], []
    k = 0                                   # next t_eval index
    stalled = 0
    try:
        while True:
            if t_eval is not None:      # normal mode: max_steps applies to each output interval
                if k >= len(te):
                    break
                res = solver.step(float(te[k]), method="normal", tstop=tf)
            else:                       # one internal step at a time, every step an output
                res = solver.step(tf, method="onestep", tstop=tf)
            nxt = NEXT_SOLVER.get(opts["linsolver"])
            nxt = None if nxt in tried else nxt
            if not res.success or (stalled >= 5 and opts["linsolver"] in KRYLOV):
                why = res.message if not res.success else "step size underflow"
                if nxt and (int(res.status) in _LS_FAILURES or res.success):
                    warnings.warn(f"CVODE linear solver {opts['linsolver']} failed at "
                                  f"t={t_last:.6g} ({why}); continuing with {nxt!r}",
                                  PreconditionerWarning, stacklevel=3)
                    tally.add(res, opts, solver)
                    solver, opts = make(nxt)
                    tried.add(nxt)
                    res = solver.init_step(t_last, y_last)
                    stalled = 0
                    continue
                if not res.success:
                    ok = False
                    break
            tt = float(res.t)
            if t_eval is not None:
                k += 1
                steps = None
            else:
                steps += 1
                stalled = stalled + 1 if tt <= tlist[-1] else 0
            t_last, y_last = tt, np.array(res.y, dtype=float)
            tlist.append(tt)
            ylist.append(y_last)
            report(tt, steps)
            if t_eval is None:
                if res.status == 1 or tt >= tf:
                    break
                if stalled >= 10:
                    ok, msg = False, "step size underflow: t + h == t (solution blows up or " \
                                     "is singular)"
                    break
                if steps >= max_steps:
                    ok, msg = False, f"reached max_steps={max_steps} internal steps before tf"
                    break
    except KeyboardInterrupt:
        ok, interrupted = False, True
        msg = "interrupted (KeyboardInterrupt); the result holds the steps before it"
    tally.add(res, opts, solver)
    try:
        report(t_last, steps, done=True)
    except KeyboardInterrupt:       # the solve is over: keep its result
        pass
    wall = time.perf_counter() - t0c
    status = -1 if interrupted or msg else int(res.status)
    msg = msg or str(res.message)
    t = np.array(tlist, dtype=float)
    y = np.array(ylist, dtype=float).reshape(len(tlist), problem.n).T
    t_reached = t_last if interrupted else (float(res.t) if np.ndim(res.t) == 0
                                            else float(np.ravel(res.t)[-1]))
    if not ok:
        msg = f"{msg} (last time reached t={t_reached:.6g})"
    stats = dict(backend="cvode", method=method, nfev=tally.nfev, njev=tally.njev,
                 steps=steps, seconds=wall, t_reached=t_reached, linsolver=tally.linsolver,
                 precond=tally.precond, jtimes=tally.jtimes, nniters=tally.nniters,
                 nliters=tally.nliters, npsetups=tally.npsetups, npsolves=tally.npsolves,
                 njtimes=tally.njtimes, interrupted=interrupted)
    return ODEResult(t, y, ok, msg, status, stats, problem.names)


class _Progress:
    """Hands ``progress`` a plain dict at most every ``interval`` s and once at the end."""

    def __init__(self, fn: Callable | None, t0: float, tf: float, w0: float,
                 interval: float = 0.1) -> None:
        self.fn, self.t0, self.tf, self.w0, self.interval = fn, t0, tf, w0, interval
        self.next = w0          # the first step reports at once, then every interval

    def __call__(self, t: float, steps: Any, done: bool = False) -> None:
        if self.fn is None:
            return
        now = time.perf_counter()
        if now < self.next and not done:
            return
        self.next = now + self.interval
        self.fn(dict(t=t, t0=self.t0, tf=self.tf,
                     fraction=min(max((t - self.t0) / (self.tf - self.t0), 0.0), 1.0),
                     steps=steps, seconds=now - self.w0, done=done))
