"""``ODEProblem`` and ``solve``: compiled right-hand side and sparse Jacobian, stiff solvers.

The RHS terms are compiled to an in-place function ``f(du, u, p, t)`` and the
Jacobian's nonzeros (in CSC order) to ``jac(vals, u, p, t)`` with
``symnb.compile``.  ``solve`` hands them to the integrator named by ``backend``
(registry: ``symnb.models.integrators``): SUNDIALS CVODE (scikit-sundae, BDF with
SUNDIALS' dense, LAPACK or the sparse SuperLU_MT solver; the default) or
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

from ..reprs import RenderedHTML, renderer_of
from ..terms.core import Symbol, Term
from ..progress_hook import SOLVE_PROGRESS

__all__ = ["ODEProblem", "ODEResult", "solve", "SolveError", "set_progress_factory"]


def set_progress_factory(factory: Any) -> None:
    """Make ``factory(problem, t_span)`` give the default ``progress`` callback of every
    solve whose integrator takes one, made once the solve runs long (``None``: no default;
    ``"module:attribute"``: imported then).  The root package registers the notebook bar
    ``"symnb.display.solve_progress:solve_progress"`` (see ``progress_hook``)."""
    SOLVE_PROGRESS.set(factory)


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
    ``symnb.compile`` (``"numba"``; ``"python"`` for tiny problems and tests);
    ``cache=True`` uses the on-disk compile cache (``symnb.compiler.cache``).
    ``memory_limit`` (bytes or ``"2GB"``; default ``symnb.config.compile_memory_limit``,
    ``None``: no limit) refuses before compiling, with ``MemoryLimitExceeded`` giving the
    estimated size, a problem whose compile would need more (``symnb.models.memory``).
    ``progress``: a callback receiving the compile's phases as plain data
    (``symnb.compiler.progress``; ``None``: the registered default, the notebook bar of
    ``symnb.display``; ``False``: none).

    Attributes: ``rhs_compiled`` / ``jac_compiled`` (``Compiled``), ``jac_pattern``
    (``scipy.sparse.csc_matrix`` of ones), ``nnz``, ``compile_seconds``.  ``jvp()`` and
    ``jvp_compiled``: ``J v`` from the compiled directional derivative, built on first use
    (``jvp=True``: at construction), for CVODE's Krylov solvers (``jtimes="jvp"``).
    """

    def __init__(self, rhs: Any, state: Any, params: Any = (), t: Any = "t", *,
                 u0: Any = None, names: Sequence[str] | None = None, jac: bool = True,
                 compile_backend: str = "numba", name: str = "ODEProblem",
                 observables: Mapping[str, Any] | None = None, cache: bool = False,
                 jvp: bool = False, memory_limit: Any = None, progress: Any = None) -> None:
        from ..compiler.progress import COMPILE_PHASES, reporter_for, reporting
        steps = [f"RHS {p}" for p in COMPILE_PHASES]
        if jac:
            steps += ["Jacobian differentiate"] + [f"Jacobian {p}" for p in COMPILE_PHASES]
        rep, owned = reporter_for(progress, steps, f"compile {name}")
        with reporting(rep, owned):
            self._build(rhs, state, params, t, u0, names, jac, compile_backend, name,
                        observables, cache, rep, memory_limit)
        if jvp:
            _ = self.jvp_compiled     # compile now rather than on the first Krylov solve

    def _build(self, rhs: Any, state: Any, params: Any, t: Any, u0: Any, names: Any,
               jac: bool, compile_backend: str, name: str, observables: Any, cache: bool,
               rep: Any, memory_limit: Any) -> None:
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
        from .. import config
        if memory_limit is not None or config.compile_memory_limit is not None:
            from .memory import check_memory, estimate_compile_memory
            check_memory(estimate_compile_memory(self.terms, self.state, jac), memory_limit,
                         name)
        args: list = [self.state, self.params or [Symbol("_nop")], self.t]
        names_ = ["u", "p", "t"]
        self._compile_opts = dict(backend=compile_backend, cache=cache)
        self._jvp: Any = None
        rep.prefix = "RHS"
        self.rhs_compiled = compile_array(self.terms, args, inplace=True, cache=cache,
                                          backend=compile_backend, names=names_, progress=rep)
        self.jac_compiled = None
        self.jac_pattern = None
        self.nnz = 0
        if jac:
            rep.prefix = "Jacobian"
            J = jacobian(self.terms, self.state)
            self.symbolic_jacobian = J
            extra = {"cache": cache} if cache else {}
            # values in CSC order; from the shapes of the rows when they are regular
            self.jac_compiled = J.compile(args, sparse=True, csc=True, backend=compile_backend,
                                          names=names_, progress=rep, **extra)
            n = len(self.state)
            import scipy.sparse as sp
            self.nnz = J.nnz
            self.jac_pattern = sp.csr_matrix((np.ones(J.nnz), J.indices, J.indptr),
                                             shape=(n, n)).tocsc()
            self.jac_pattern.sort_indices()
            if J.nnz == 0:
                self.jac_compiled = compile_array([_num_term(0)], args, inplace=True,
                                                  backend=compile_backend, names=names_,
                                                  form="sparse-jacobian (CSC)", progress=rep)
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

    @property
    def jvp_compiled(self) -> Any:
        """``jv(out, u, v, p, t)``: ``out = J(u, p, t) v``, compiled from the directional
        derivative ``Σ_j ∂f_i/∂u_j v_j`` of the stored symbolic Jacobian
        (``symnb.compiler.directional``) on first use."""
        if self._jvp is None:
            if self.jac_compiled is None:
                raise ValueError("this problem was built with jac=False: J v needs its "
                                 "symbolic Jacobian (build it with jac=True)")
            from ..compiler import compile_array
            from ..compiler.directional import jvp_terms
            taken = {str(s) for s in self.state} | {str(s) for s in self.params}
            pre = "_dir"
            while any(x.startswith(pre) for x in taken):
                pre += "_"
            dirs = [Symbol(f"{pre}{j}") for j in range(self.n)]
            args = [self.state, dirs, self.params or [Symbol("_nop")], self.t]
            self._jvp = compile_array(jvp_terms(self.symbolic_jacobian, dirs) or [_num_term(0)],
                                      args, inplace=True, names=["u", "v", "p", "t"],
                                      form="jacobian-vector product", **self._compile_opts)
        return self._jvp

    def jvp(self, u: Any, v: Any, p: Any = None, t: float = 0.0) -> np.ndarray:
        """``J(u, p, t) v`` from the compiled directional derivative (a new array)."""
        out = np.empty(self.n)
        vv = np.ascontiguousarray(v, dtype=float)
        if vv.shape != (self.n,):
            raise ValueError(f"v has shape {vv.shape}; J v needs a vector of {self.n} values")
        self.jvp_compiled(out, np.ascontiguousarray(u, dtype=float), vv, self._pvec(p),
                          float(t))
        return out

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


#: series styles of ``ODEResult.figure``: eight colour-blind-safe colours (Okabe–Ito) and
#: six dash patterns, so up to 24 series differ in colour or dash, and the first six in both
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
            "#000000")
_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


@dataclass
class ODEResult(RenderedHTML):
    """Solution in scipy's layout: ``t`` (nt,), ``y`` (n, nt), ``success``, ``message``.

    ``stats``: ``nfev``, ``njev``, ``steps`` (internal steps; ``None`` when only
    ``t_eval`` points were returned), ``backend``, ``method``, ``seconds``,
    ``t_reached``, and the integrator's own (its ``stats_keys``: for CVODE the linear
    solver, linear iterations, preconditioner setups or LU factorizations, ``interrupted``).  ``names`` labels the components; ``figure()`` plots some.
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
        for k, i in enumerate(self.indices(components)):
            label = self.names[i] if i < len(self.names) else f"y[{i}]"
            # colour *and* dash differ per series: lines that overlap stay apart
            fig.add_trace(go.Scatter(x=self.t, y=self.y[i], mode="lines", name=label,
                                     line=dict(color=_COLOURS[k % len(_COLOURS)],
                                               dash=_DASHES[k % len(_DASHES)], width=2)))
        fig.update_layout(title=title or f"{self.stats.get('backend', '')} "
                                         f"{self.stats.get('method', '')}: "
                                         f"{'success' if self.success else 'FAILED'}",
                          xaxis_title="t", yaxis_title="value", template="plotly_white",
                          height=360)
        return fig

    def _ipython_display_(self) -> None:
        """In IPython: the summary table, then the interactive figure, as two outputs
        (drawn by ``symnb.display.models``)."""
        renderer_of(self, "ipython_display")(self)

    def summary(self) -> list[tuple[str, Any]]:
        s = self.stats
        return [("success", self.success), ("message", self.message),
                ("backend / method", f"{s.get('backend')} / {s.get('method')}"),
                ("states × saved times", f"{self.y.shape[0]} × {len(self.t)}"),
                ("t reached", s.get("t_reached")), ("steps", s.get("steps")),
                ("RHS evaluations", s.get("nfev")), ("Jacobian evaluations", s.get("njev")),
                *([("linear solver", s["linsolver"])] if s.get("linsolver") else []),
                *self._linear_rows(),
                ("wall time", f"{s.get('seconds', 0.0):.3f} s")]

    def _linear_rows(self) -> list[tuple[str, Any]]:
        """The linear solver's counters: LU factorizations for a direct solver, linear
        iterations and preconditioner setups for a Krylov one (none when not reported)."""
        s = self.stats
        if not s.get("npsetups"):
            return []
        if s.get("precond") is None and not s.get("nliters"):
            return [("LU factorizations", s["npsetups"])]
        return [("linear iterations / preconditioner setups",
                 f"{s.get('nliters')} / {s['npsetups']}")]

    def __repr__(self) -> str:
        s = self.stats
        return (f"<ODEResult {'success' if self.success else 'FAILED'} [{s.get('backend')} "
                f"{s.get('method')}] {self.y.shape[0]} states, {len(self.t)} times, "
                f"t_reached={s.get('t_reached')}, nfev={s.get('nfev')}, njev={s.get('njev')}, "
                f"{s.get('seconds', 0.0):.3f} s: {self.message}>")


def solve(problem: ODEProblem, u0: Any = None, t_span: Any = (0.0, 1.0), *,
          p: Any = None, t_eval: Any = None, rtol: float = 1e-6, atol: Any = 1e-8,
          backend: str = "cvode", method: str | None = None, max_steps: int | None = None,
          first_step: float | None = None, **options: Any) -> ODEResult:
    """Integrate ``problem`` from ``u0`` over ``t_span`` (stiff solvers; see module doc).

    ``backend``: a registered integrator (``symnb.models.integrators``): ``"cvode"``
    (default; ``method`` "BDF" or "Adams"; option ``linsolver``: ``"auto"``,
    ``"sparse"``, ``"dense"`` or ``"lapackdense"``) or ``"scipy"`` (``method`` "BDF",
    "Radau" or "LSODA"), or one added with ``register_integrator``; ``options`` go to
    it.  ``t_eval``: output times (default: every internal step).  A failed solve
    returns ``success=False`` with the solver's message and the last time reached in
    ``message`` and ``stats`` (whose keys each integrator documents).  ``max_steps``
    (default ``symnb.config.ode_max_steps``) bounds the internal steps per output interval
    (CVODE; solve_ivp has no such limit): past it the solve stops with ``success=False``.
    CVODE also takes ``linsolver="gmres"`` etc. with a preconditioner from the compiled
    Jacobian, ``progress=`` (a callback; by default the one ``set_progress_factory``
    registered), and returns the steps taken so far when interrupted (Ctrl-C).
    """
    from .. import config
    from .integrators import get_integrator
    if not isinstance(problem, ODEProblem):
        raise TypeError(f"solve needs an ODEProblem, got {type(problem).__name__}")
    integrator = get_integrator(backend)
    for k in options:
        if k not in integrator.options:
            takes = ", ".join(integrator.options) or "none"
            raise SolveError(f"the {backend!r} integrator has no option {k!r} (its options: "
                             f"{takes})")
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
    if max_steps is None:
        max_steps = config.ode_max_steps
    if "progress" in integrator.options and "progress" not in options:
        sink = SOLVE_PROGRESS.make(problem, ts)
        if sink is not None:
            options["progress"] = sink
    return integrator.solve(problem, y0, ts, p=problem._pvec(p), t_eval=t_eval, rtol=rtol,
                            atol=atol, method=method, max_steps=max_steps,
                            first_step=first_step, **options)
