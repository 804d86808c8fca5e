"""``ODEProblem`` and ``solve``: compiled right-hand side and sparse Jacobian, stiff solvers.

The RHS terms are compiled to an in-place function ``f(du, u, p, t)`` and the
Jacobian's nonzeros (in CSC order) to ``jac(vals, u, p, t)`` with
``symnb.compile``.  ``solve`` hands them to SUNDIALS CVODE (scikit-sundae, BDF
with the sparse SuperLU_MT solver; the default) or to
``scipy.integrate.solve_ivp`` (``backend="scipy"``: BDF, Radau or LSODA with the
Jacobian as a scipy sparse matrix).  No integrator is written here.

>>> from symnb.terms import symbols
>>> x, y, k = symbols("x y k")
>>> prob = ODEProblem([-k * x, k * x], [x, y], {k: 2.0}, compile_backend="python")
>>> res = solve(prob, [1.0, 0.0], (0.0, 1.0), rtol=1e-8, atol=1e-10)
>>> bool(res.success), round(float(res.y[0, -1]), 6), round(float(res.y[1, -1]), 6)
(True, 0.135335, 0.864665)
>>> res.y.shape[0], res.stats["backend"]
(2, 'cvode')
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from ..reprs import RenderedHTML
from ..terms.core import Symbol, Term

__all__ = ["ODEProblem", "ODEResult", "solve", "SolveError"]


class SolveError(RuntimeError):
    """A solve that cannot start (bad initial state, unknown backend/method)."""


def _symbols(x: Any, what: str) -> list:
    from ..tracing.api import flat_terms
    syms = flat_terms(x) if not isinstance(x, Mapping) else list(x)
    for s in syms:
        if not isinstance(s, Symbol):
            raise ValueError(f"{what} must be symbols, got {s}")
    if len(set(syms)) != len(syms):
        raise ValueError(f"{what} must be distinct symbols")
    return syms


class ODEProblem(RenderedHTML):
    """``du/dt = rhs(u, p, t)`` with a compiled in-place RHS and compiled sparse Jacobian.

    ``rhs``: terms (list, SymArray or ``Traced``); ``state``: the state symbols in
    the same order; ``params``: a mapping symbol -> default value, or a sequence of
    symbols (values then given as ``p=`` to ``solve``); ``t``: the time symbol
    (a name or Symbol; default ``t``).  ``u0`` optionally stores a default initial
    state, ``names`` component names.  ``compile_backend`` is handed to
    ``symnb.compile`` (``"numba"``; ``"python"`` for tiny problems and tests).

    Attributes: ``rhs_compiled`` / ``jac_compiled`` (``Compiled``), ``jac_pattern``
    (``scipy.sparse.csc_matrix`` of ones), ``nnz``, ``compile_seconds``.
    """

    def __init__(self, rhs: Any, state: Any, params: Any = (), t: Any = "t", *,
                 u0: Any = None, names: Sequence[str] | None = None, jac: bool = True,
                 compile_backend: str = "numba", name: str = "ODEProblem",
                 observables: Mapping[str, Any] | None = None) -> None:
        from ..tracing.api import flat_terms
        from ..compiler import compile_array
        from ..compiler.jacobian import jacobian
        t0 = time.perf_counter()
        self.name = name
        self.terms = [x if isinstance(x, Term) else _num_term(x) for x in flat_terms(rhs)]
        self.state = _symbols(state, "state")
        if len(self.terms) != len(self.state):
            raise ValueError(f"rhs has {len(self.terms)} entries for {len(self.state)} states")
        self.params = _symbols(params, "params")
        self.param_values = (np.array([float(params[s]) for s in self.params])
                             if isinstance(params, Mapping) else None)
        self.t = Symbol(t) if isinstance(t, str) else t
        if not isinstance(self.t, Symbol):
            raise ValueError(f"t must be a symbol or a name, got {t!r}")
        self.names = list(names) if names is not None else [str(s) for s in self.state]
        self.u0 = None if u0 is None else np.asarray(u0, dtype=float)
        self.observables = dict(observables or {})
        allowed = set(self.state) | set(self.params) | {self.t}
        for e in self.terms:
            extra = [str(s) for s in e.free_symbols if s not in allowed]
            if extra:
                raise ValueError(f"rhs uses symbols that are neither state, params nor t: "
                                 f"{', '.join(sorted(extra))}")
        args: list = [self.state, self.params or [Symbol("_nop")], self.t]
        names_ = ["u", "p", "t"]
        self.rhs_compiled = compile_array(self.terms, args, inplace=True,
                                          backend=compile_backend, names=names_)
        self.jac_compiled = None
        self.jac_pattern = None
        self.nnz = 0
        if jac:
            J = jacobian(self.terms, self.state)
            self.symbolic_jacobian = J
            n = len(self.state)
            import scipy.sparse as sp
            order = sp.csr_matrix((np.arange(1, J.nnz + 1, dtype=np.int64), J.indices,
                                   J.indptr), shape=(n, n)).tocsc()
            order.sort_indices()
            perm = order.data - 1
            self.nnz = J.nnz
            self.jac_pattern = sp.csc_matrix((np.ones(J.nnz), order.indices.copy(),
                                              order.indptr.copy()), shape=(n, n))
            entries = [J.entries[k] for k in perm] or [_num_term(0)]
            self.jac_compiled = compile_array(entries, args, inplace=True,
                                              backend=compile_backend, names=names_,
                                              form="sparse-jacobian (CSC)")
        self.compile_seconds = time.perf_counter() - t0

    @property
    def n(self) -> int:
        return len(self.state)

    def _pvec(self, p: Any) -> np.ndarray:
        if p is None:
            if self.params and self.param_values is None:
                raise SolveError("this problem's params have no default values: pass p=")
            pv = self.param_values if self.params else np.zeros(1)
        elif isinstance(p, Mapping):
            base = dict(zip(self.params, self.param_values)) if self.param_values is not None \
                else {}
            for k, v in p.items():
                key = Symbol(k) if isinstance(k, str) else k
                if key not in set(self.params):
                    raise SolveError(f"p names an unknown parameter {k}")
                base[key] = float(v)
            missing = [str(s) for s in self.params if s not in base]
            if missing:
                raise SolveError(f"p lacks values for {', '.join(missing)}")
            pv = np.array([base[s] for s in self.params])
        else:
            pv = np.asarray(p, dtype=float).ravel()
            if len(pv) != len(self.params):
                raise SolveError(f"p has {len(pv)} values for {len(self.params)} parameters")
        return np.ascontiguousarray(pv if len(pv) else np.zeros(1), dtype=float)

    def rhs(self, u: Any, p: Any = None, t: float = 0.0) -> np.ndarray:
        """The compiled RHS at ``(u, t)`` (a new array)."""
        du = np.empty(self.n)
        self.rhs_compiled(du, np.ascontiguousarray(u, dtype=float), self._pvec(p), float(t))
        return du

    def jac(self, u: Any, p: Any = None, t: float = 0.0) -> Any:
        """The compiled Jacobian at ``(u, t)`` as a ``scipy.sparse.csc_matrix``."""
        import scipy.sparse as sp
        if self.jac_compiled is None:
            raise ValueError("this problem was built with jac=False")
        vals = np.empty(max(self.nnz, 1))
        self.jac_compiled(vals, np.ascontiguousarray(u, dtype=float), self._pvec(p), float(t))
        P = self.jac_pattern
        return sp.csc_matrix((vals[:self.nnz], P.indices, P.indptr), shape=P.shape)

    def __repr__(self) -> str:
        return (f"<ODEProblem {self.name}: {self.n} states, {len(self.params)} params, "
                f"Jacobian nnz {self.nnz}, compiled in {self.compile_seconds:.2f} s>")

    def summary(self) -> list[tuple[str, Any]]:
        """``(label, value)`` rows: sizes, compile time, RHS operations (the notebook table)."""
        return [("states", self.n), ("parameters", len(self.params)),
                ("Jacobian nonzeros", self.nnz),
                ("compile (RHS + Jacobian)", f"{self.compile_seconds:.2f} s"),
                ("RHS ops (tree → CSE)", f"{self.rhs_compiled.stats.get('ops_tree')} → "
                                         f"{self.rhs_compiled.stats.get('ops_cse')}")]


def _num_term(v: Any) -> Term:
    from ..terms.core import sympify_num
    return sympify_num(v)


@dataclass
class ODEResult(RenderedHTML):
    """Solution in scipy's layout: ``t`` (nt,), ``y`` (n, nt), ``success``, ``message``.

    ``stats``: ``nfev``, ``njev``, ``steps`` (internal steps; ``None`` when only
    ``t_eval`` points were returned), ``backend``, ``method``, ``seconds``,
    ``t_reached``.  ``names`` labels the components; ``figure()`` plots some.
    The notebook view (table, static SVG plot, plotly figure) is ``symnb.display.models``.
    """

    t: np.ndarray
    y: np.ndarray
    success: bool
    message: str
    status: int
    stats: dict = field(default_factory=dict)
    names: list = field(default_factory=list)

    @property
    def nfev(self) -> int:
        return self.stats.get("nfev", 0)

    @property
    def njev(self) -> int:
        return self.stats.get("njev", 0)

    @property
    def steps(self) -> Any:
        return self.stats.get("steps")

    def __getitem__(self, name: str) -> np.ndarray:
        """Trajectory of the component called ``name``."""
        try:
            return self.y[self.names.index(name)]
        except ValueError:
            raise KeyError(f"no component named {name!r}") from None

    def indices(self, components: Any = None) -> list[int]:
        """Row indices of ``components`` (indices or names; ``None``: up to 8, evenly spread)."""
        n = self.y.shape[0]
        if components is None:
            if n <= 8:
                return list(range(n))
            return sorted({int(round(i)) for i in np.linspace(0, n - 1, 6)})
        out = []
        for c in components:
            out.append(self.names.index(c) if isinstance(c, str) else int(c))
        return out

    def figure(self, components: Any = None, title: str | None = None) -> Any:
        """Plotly figure of the selected components (indices or names; default: up to 8)."""
        import plotly.graph_objects as go
        fig = go.Figure()
        for i in self.indices(components):
            label = self.names[i] if i < len(self.names) else f"y[{i}]"
            fig.add_trace(go.Scatter(x=self.t, y=self.y[i], mode="lines", name=label))
        fig.update_layout(title=title or f"{self.stats.get('backend', '')} "
                                         f"{self.stats.get('method', '')}: "
                                         f"{'success' if self.success else 'FAILED'}",
                          xaxis_title="t", yaxis_title="value", template="plotly_white",
                          height=360)
        return fig

    def summary(self) -> list[tuple[str, Any]]:
        s = self.stats
        return [("success", self.success), ("message", self.message),
                ("backend / method", f"{s.get('backend')} / {s.get('method')}"),
                ("states × saved times", f"{self.y.shape[0]} × {len(self.t)}"),
                ("t reached", s.get("t_reached")), ("steps", s.get("steps")),
                ("RHS evaluations", s.get("nfev")), ("Jacobian evaluations", s.get("njev")),
                ("wall time", f"{s.get('seconds', 0.0):.3f} s")]

    def __repr__(self) -> str:
        s = self.stats
        return (f"<ODEResult {'success' if self.success else 'FAILED'} [{s.get('backend')} "
                f"{s.get('method')}] {self.y.shape[0]} states, {len(self.t)} times, "
                f"t_reached={s.get('t_reached')}, nfev={s.get('nfev')}, njev={s.get('njev')}, "
                f"{s.get('seconds', 0.0):.3f} s: {self.message}>")


_SCIPY_METHODS = ("BDF", "Radau", "LSODA")

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


def solve(problem: ODEProblem, u0: Any = None, t_span: Any = (0.0, 1.0), *,
          p: Any = None, t_eval: Any = None, rtol: float = 1e-6, atol: Any = 1e-8,
          backend: str = "cvode", method: str | None = None, max_steps: int = 100_000,
          first_step: float | None = None, linsolver: str = "auto") -> ODEResult:
    """Integrate ``problem`` from ``u0`` over ``t_span`` (stiff solvers; see module doc).

    ``backend="cvode"`` (default; ``method`` "BDF" or "Adams") or ``"scipy"``
    (``method`` "BDF", "Radau" or "LSODA").  CVODE's ``linsolver``: ``"sparse"``
    (SuperLU_MT, the compiled Jacobian written into its CSC values), ``"dense"``
    (the compiled nonzeros scattered into SUNDIALS' dense matrix), ``"lapackdense"``
    (the same matrix, LAPACK's LU) or ``"auto"`` (dense up to ``DENSE_MAX`` states,
    LAPACK dense for Jacobians with at least ``LAPACK_DENSITY`` nonzeros up to
    ``LAPACK_MAX`` states, SuperLU_MT otherwise).  CVODE runs with the OpenMP and
    OpenBLAS bundled in scikit-sundae set to one thread (restored afterwards).
    ``t_eval``: output times (default: every internal step).  A failed solve returns
    ``success=False`` with the solver's message and the last time reached in
    ``message`` and ``stats``.
    """
    if not isinstance(problem, ODEProblem):
        raise TypeError(f"solve needs an ODEProblem, got {type(problem).__name__}")
    if u0 is None:
        if problem.u0 is None:
            raise SolveError("no initial state: pass u0 (the problem has no default)")
        u0 = problem.u0
    y0 = np.array(u0, dtype=float).ravel()
    if y0.shape != (problem.n,):
        raise SolveError(f"u0 has {y0.size} values for {problem.n} states")
    if not np.all(np.isfinite(y0)):
        raise SolveError("u0 contains NaN or infinity")
    ts = np.asarray(t_span, dtype=float).ravel()
    if ts.shape != (2,) or not ts[1] > ts[0]:
        raise SolveError(f"t_span must be (t0, tf) with tf > t0, got {t_span!r}")
    pv = problem._pvec(p)
    if backend == "cvode":
        return _solve_cvode(problem, y0, ts, pv, t_eval, rtol, atol, method or "BDF",
                            max_steps, first_step, linsolver)
    if backend == "scipy":
        return _solve_scipy(problem, y0, ts, pv, t_eval, rtol, atol, method or "BDF",
                            first_step)
    raise SolveError(f"unknown backend {backend!r}; choose 'cvode' or 'scipy'")


def _solve_cvode(problem: ODEProblem, y0: np.ndarray, ts: np.ndarray, pv: np.ndarray,
                 t_eval: Any, rtol: float, atol: Any, method: str, max_steps: int,
                 first_step: float | None, linsolver: str = "sparse") -> ODEResult:
    from sksundae.cvode import CVODE
    if method not in ("BDF", "Adams"):
        raise SolveError(f"unknown CVODE method {method!r}; choose 'BDF' or 'Adams'")
    f = problem.rhs_compiled.func
    ybuf = np.empty(problem.n)
    ybuf2 = np.empty(problem.n)

    def rhsfn(t: float, y: np.ndarray, yp: np.ndarray) -> None:
        ybuf[:] = y       # y is read-only; the compiled function wants a C float64 array
        f(yp, ybuf, pv, t)

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
            jf(JJ, ybuf2, pv, t)   # JJ: the nonzeros in CSC order of jac_pattern

        opts.update(linsolver="sparse", sparsity=problem.jac_pattern, jacfn=jacfn, nthreads=1)
    elif problem.jac_compiled is not None and problem.nnz:
        jf = problem.jac_compiled.func
        P = problem.jac_pattern
        rows = P.indices.astype(np.int64)
        cols = np.repeat(np.arange(problem.n), np.diff(P.indptr))
        vals = np.empty(problem.nnz)

        def jacfn(t: float, y: np.ndarray, yp: np.ndarray, JJ: np.ndarray) -> None:
            ybuf2[:] = y
            jf(vals, ybuf2, pv, t)
            JJ[:] = 0.0
            JJ[rows, cols] = vals  # scatter the compiled nonzeros into the dense matrix

        opts.update(linsolver=linsolver, jacfn=jacfn)
    else:
        opts.update(linsolver="lapackdense" if linsolver == "lapackdense" else "dense")
    import warnings
    t0c = time.perf_counter()
    with warnings.catch_warnings():
        # sksundae warns that its own sparse FD Jacobian is unused when jacfn is given
        warnings.filterwarnings("ignore", message="Custom sparse Jacobian approximation")
        solver = CVODE(rhsfn, **opts)
    with _SingleThreadRuntime():
        return _run_cvode(problem, solver, opts, y0, ts, t_eval, method, max_steps, t0c)


def _run_cvode(problem: ODEProblem, solver: Any, opts: dict, y0: np.ndarray, ts: np.ndarray,
               t_eval: Any, method: str, max_steps: int, t0c: float) -> ODEResult:
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


def _solve_scipy(problem: ODEProblem, y0: np.ndarray, ts: np.ndarray, pv: np.ndarray,
                 t_eval: Any, rtol: float, atol: Any, method: str,
                 first_step: float | None) -> ODEResult:
    import scipy.sparse as sp
    from scipy.integrate import solve_ivp
    if method not in _SCIPY_METHODS:
        raise SolveError(f"unknown scipy method {method!r}; choose one of "
                         f"{', '.join(_SCIPY_METHODS)}")
    f = problem.rhs_compiled.func
    n = problem.n

    def fun(t: float, y: np.ndarray) -> np.ndarray:
        du = np.empty(n)
        f(du, np.ascontiguousarray(y, dtype=float), pv, t)
        return du

    kw: dict = {}
    if problem.jac_compiled is not None and problem.nnz:
        jf = problem.jac_compiled.func
        P = problem.jac_pattern
        vals = np.empty(problem.nnz)
        if method == "LSODA":
            def jac(t: float, y: np.ndarray) -> Any:
                jf(vals, np.ascontiguousarray(y, dtype=float), pv, t)
                return sp.csc_matrix((vals.copy(), P.indices, P.indptr), shape=P.shape).toarray()
        else:
            def jac(t: float, y: np.ndarray) -> Any:
                jf(vals, np.ascontiguousarray(y, dtype=float), pv, t)
                return sp.csc_matrix((vals.copy(), P.indices, P.indptr), shape=P.shape)
        kw["jac"] = jac
    if first_step:
        kw["first_step"] = float(first_step)
    t0 = time.perf_counter()
    sol = solve_ivp(fun, (float(ts[0]), float(ts[1])), y0, method=method, t_eval=t_eval,
                    rtol=rtol, atol=atol, **kw)
    wall = time.perf_counter() - t0
    t_reached = float(sol.t[-1]) if len(sol.t) else float(ts[0])
    msg = str(sol.message)
    if not sol.success:
        msg = f"{msg} (last time reached t={t_reached:.6g})"
    stats = dict(backend="scipy", method=method, nfev=int(sol.nfev), njev=int(sol.njev),
                 nlu=int(getattr(sol, "nlu", 0)),
                 steps=(len(sol.t) - 1) if t_eval is None else None, seconds=wall,
                 t_reached=t_reached)
    return ODEResult(np.asarray(sol.t), np.asarray(sol.y), bool(sol.success), msg,
                     int(sol.status), stats, problem.names)
