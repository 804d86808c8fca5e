"""``solve_ensemble``: one compiled ``ODEProblem``, many parameter sets and initial states.

Runs go in-process, or in batches to ``dask.distributed`` workers (``client=`` an
existing ``Client``; ``workers=N`` starts a ``LocalCluster`` of N processes and closes
it after).  Compiled numba functions do not travel between processes: workers get a
``ProblemRecipe`` (the right-hand side and observables as one exact node table of
``symnb.terms.nodetable``, the state and parameter symbols, defaults) and rebuild the
problem once per process, with the on-disk compile cache.  Every run ends with a
status — ``"success"``, ``"failed"`` (the solver stopped: its message is kept) or
``"error"`` (an exception) — and a failed run's rows are NaN; the others finish.  ``progress(done, total)`` is
called as runs complete (``symnb.display.models.progress_bar`` draws it in a notebook).

>>> from symnb.terms import symbols
>>> from symnb.models.ode import ODEProblem
>>> x, k = symbols("x k")
>>> prob = ODEProblem([-k * x], [x], {k: 1.0}, u0=[1.0], compile_backend="python",
...                   observables={"2x": 2 * x})
>>> res = solve_ensemble(prob, [[0.5], [1.0], [2.0]], times=[0.0, 1.0])
>>> res.y.shape, list(res.status)
((3, 1, 2), ['success', 'success', 'success'])
>>> [round(float(v), 4) for v in res.y[:, 0, -1]]
[0.6065, 0.3679, 0.1353]
>>> round(float(res.quantiles(q=(0.5,))["series"]["2x"]["q50"][-1]), 4)
0.7358
"""
from __future__ import annotations

import hashlib
import math
import pickle
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..reprs import RenderedHTML
from ..terms.core import Symbol, Term
from ..terms.nodetable import pack, unpack
from .ode import ODEProblem, SolveError, solve

__all__ = ["solve_ensemble", "EnsembleResult", "ProblemRecipe", "recipe_of"]


@dataclass
class ProblemRecipe:
    """What rebuilds an ``ODEProblem`` in another process (picklable plain data)."""

    nodes: list
    rhs: list
    observables: dict
    state: list
    params: list
    values: Any
    t: Symbol
    u0: Any
    names: list
    backend: str
    name: str
    jac: bool
    key: str = ""

    def build(self) -> ODEProblem:
        """The problem (compiled with the on-disk cache)."""
        terms = unpack(self.nodes, self.rhs + list(self.observables.values()))
        rhs, obs = terms[:len(self.rhs)], terms[len(self.rhs):]
        params = dict(zip(self.params, self.values)) if self.values is not None else \
            self.params
        return ODEProblem(rhs, self.state, params, self.t, u0=self.u0, names=self.names,
                          jac=self.jac, compile_backend=self.backend, name=self.name,
                          observables=dict(zip(self.observables, obs)), cache=True)


def recipe_of(problem: ODEProblem) -> ProblemRecipe:
    """The ``ProblemRecipe`` of ``problem`` (its ``key`` identifies it on workers)."""
    obs = problem.observables
    nodes, roots = pack(list(problem.terms) + list(obs.values()))
    n = len(problem.terms)
    r = ProblemRecipe(nodes, roots[:n], dict(zip(obs, roots[n:])), list(problem.state),
                      list(problem.params), None if problem.param_values is None
                      else [float(v) for v in problem.param_values], problem.t,
                      problem.u0, list(problem.names), problem.rhs_compiled.backend,
                      problem.name, problem.jac_compiled is not None)
    r.key = hashlib.sha1(pickle.dumps(r)).hexdigest()
    return r


_PROBLEMS: dict[str, ODEProblem] = {}
"""Per process: recipe key -> rebuilt problem (a worker compiles each problem once)."""


def _problem_for(recipe: ProblemRecipe) -> ODEProblem:
    p = _PROBLEMS.get(recipe.key)
    if p is None:
        p = _PROBLEMS[recipe.key] = recipe.build()
    return p


# ----- running -------------------------------------------------------------------------------
def _run_one(problem: ODEProblem, p: np.ndarray, u0: np.ndarray, times: np.ndarray,
             opts: dict) -> tuple[Any, str, str, float]:
    """``(y or None, status, message, CPU seconds)`` of one run."""
    c0 = time.process_time()
    try:
        r = solve(problem, u0, (times[0], times[-1]), p=p if len(p) else None, t_eval=times,
                  **opts)
    except Exception as exc:  # noqa: BLE001 - one run's error must not stop the others
        return None, "error", f"{type(exc).__name__}: {exc}", time.process_time() - c0
    cpu = time.process_time() - c0
    if not r.success or r.y.shape[1] != len(times):
        y = np.full((problem.n, len(times)), np.nan)
        m = min(r.y.shape[1], len(times))
        y[:, :m] = r.y[:, :m]
        return y, "failed", str(r.message), cpu
    return r.y, "success", "", cpu


def _run_batch(problem: Any, idx: Sequence[int], P: np.ndarray, U: np.ndarray,
               times: np.ndarray, opts: dict) -> list:
    prob = problem if isinstance(problem, ODEProblem) else _problem_for(problem)
    return [(i,) + _run_one(prob, P[k], U[k], times, opts) for k, i in enumerate(idx)]


def _param_matrix(problem: ODEProblem, params: Any, n_runs: int) -> np.ndarray:
    """``(n_runs, n_params)`` (``n_params`` may be 0)."""
    npar = len(problem.params)
    if params is None:
        return np.tile(problem._pvec(None)[:npar], (n_runs, 1))
    if isinstance(params, Mapping):
        raise SolveError("params: pass a sequence of mappings or an array (n_runs, n_params)")
    rows = list(params) if not isinstance(params, np.ndarray) else params
    if len(rows) and isinstance(rows[0], Mapping):
        return np.array([problem._pvec(r)[:npar] for r in rows]).reshape(len(rows), npar)
    P = np.asarray(rows, dtype=float)
    if P.ndim != 2 or P.shape[1] != npar:
        raise SolveError(f"params must have shape (n_runs, {npar}), got {P.shape}")
    return np.ascontiguousarray(P)


def solve_ensemble(problem: ODEProblem, params: Any = None, u0s: Any = None, *,
                   times: Any, rtol: float = 1e-6, atol: Any = 1e-8, backend: str = "cvode",
                   method: str | None = None, max_steps: int = 100_000,
                   client: Any = None, workers: int | None = None,
                   batch_size: int | None = None,
                   progress: Callable[[int, int], Any] | None = None,
                   **options: Any) -> "EnsembleResult":
    """Solve ``problem`` once per parameter set / initial state, saving at ``times``.

    ``params``: an array ``(n_runs, n_params)`` in ``problem.params`` order, or a
    sequence of mappings name -> value (the rest keep their defaults), or ``None``
    (defaults).  ``u0s``: an array ``(n_runs, n_states)`` or ``None`` (the problem's
    ``u0``).  ``client``: a ``dask.distributed.Client``; ``workers=N``: start a
    ``LocalCluster`` of N single-threaded processes for this call.  ``batch_size``:
    runs per task (default: about four tasks per worker).  Other keywords go to
    ``solve``.  Returns an ``EnsembleResult``.
    """
    if not isinstance(problem, ODEProblem):
        raise TypeError(f"solve_ensemble needs an ODEProblem, got {type(problem).__name__}")
    ts = np.asarray(times, dtype=float).ravel()
    if ts.size < 2 or not np.all(np.diff(ts) > 0):
        raise SolveError("times must be at least two increasing output times")
    n_p = None if params is None else len(params)
    n_u = None if u0s is None else len(u0s)
    if n_p is not None and n_u is not None and n_p != n_u:
        raise SolveError(f"params has {n_p} runs but u0s has {n_u}")
    n_runs = n_p if n_p is not None else (n_u if n_u is not None else 1)
    P = _param_matrix(problem, params, n_runs)
    if u0s is None:
        if problem.u0 is None:
            raise SolveError("no initial states: pass u0s (the problem has no default u0)")
        U = np.tile(problem.u0, (n_runs, 1))
    else:
        U = np.asarray(u0s, dtype=float)
        if U.shape != (n_runs, problem.n):
            raise SolveError(f"u0s must have shape ({n_runs}, {problem.n}), got {U.shape}")
    opts = dict(rtol=rtol, atol=atol, backend=backend, method=method, max_steps=max_steps,
                **options)
    res = EnsembleResult(times=ts, y=np.full((n_runs, problem.n, len(ts)), np.nan),
                         status=np.array(["pending"] * n_runs, dtype=object),
                         messages=[""] * n_runs, params=P, u0s=U, names=list(problem.names),
                         param_names=[str(s) for s in problem.params],
                         cpu_seconds=np.full(n_runs, np.nan))
    res._observables = _observable_maps(problem)
    t0 = time.perf_counter()
    done = 0

    def take(rows: list) -> None:
        nonlocal done
        for i, y, status, msg, cpu in rows:
            if y is not None:
                res.y[i] = y
            res.status[i], res.messages[i], res.cpu_seconds[i] = status, msg, cpu
        done += len(rows)
        if progress is not None:
            progress(done, n_runs)

    if client is None and workers is None:
        res.workers = 0
        for i in range(n_runs):
            take(_run_batch(problem, [i], P[i:i + 1], U[i:i + 1], ts, opts))
    else:
        own = None
        if client is None:
            own = _local_client(int(workers))      # type: ignore[arg-type]
            client = own
        try:
            n_w = max(len(client.scheduler_info().get("workers", {})), 1)
            res.workers = n_w
            bs = batch_size or max(1, math.ceil(n_runs / (4 * n_w)))
            recipe = recipe_of(problem)
            [shared] = client.scatter([recipe], broadcast=True)
            futures = []
            for a in range(0, n_runs, bs):
                idx = list(range(a, min(a + bs, n_runs)))
                futures.append(client.submit(_run_batch, shared, idx, P[a:a + bs],
                                             U[a:a + bs], ts, opts, pure=False))
            from distributed import as_completed
            for fut in as_completed(futures):
                try:
                    take(fut.result())
                except Exception as exc:  # noqa: BLE001 - a lost batch is reported, not raised
                    k = futures.index(fut)
                    idx = range(k * bs, min((k + 1) * bs, n_runs))
                    take([(i, None, "error", f"batch failed: {type(exc).__name__}: {exc}",
                           math.nan) for i in idx])
        finally:
            if own is not None:
                cluster = own.cluster
                own.close()
                cluster.close()
    res.seconds = time.perf_counter() - t0
    return res


def _local_client(n: int) -> Any:
    if n < 1:
        raise SolveError(f"workers must be at least 1, got {n}")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SolveError("workers= needs dask.distributed (pip install 'symnb[dask]')") \
            from None
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster)


def _observable_maps(problem: ODEProblem) -> dict:
    """name -> weight row (linear observables) or the term (others, evaluated on demand)."""
    from ..terms.calculus import diff
    from ..terms.core import Number
    out: dict = {}
    pos = {s: i for i, s in enumerate(problem.state)}
    for name, term in problem.observables.items():
        w = np.zeros(problem.n)
        linear = True
        for s in term.free_symbols:
            d = diff(term, s)
            if s not in pos or not isinstance(d, Number):
                linear = False
                break
            w[pos[s]] = float(d.value)
        out[name] = w if linear else term
    return out


# ----- the result ------------------------------------------------------------------------------
@dataclass
class EnsembleResult(RenderedHTML):
    """``y``: ``(n_runs, n_states, n_times)`` (NaN where a run did not reach a time),
    ``status`` per run (``"success"``, ``"failed"``, ``"error"``) with ``messages``,
    ``params`` / ``u0s`` as run, ``times``, ``names``, ``cpu_seconds`` (per run, in the
    process that ran it), ``seconds`` (wall, all runs); ``observables()`` gives
    ``(n_runs, n_times)`` per observable, ``quantiles()`` the bands as plain data.
    The notebook view (table, quantile-band figure) is ``symnb.display.models``."""

    times: np.ndarray
    y: np.ndarray
    status: np.ndarray
    messages: list
    params: np.ndarray
    u0s: np.ndarray
    names: list
    param_names: list
    cpu_seconds: np.ndarray
    seconds: float = 0.0
    workers: int = 0
    _observables: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of successful runs."""
        return self.status == "success"

    @property
    def failed(self) -> list[int]:
        """Indices of runs that did not succeed."""
        return [int(i) for i in np.flatnonzero(~self.ok)]

    def observables(self) -> dict:
        """name -> ``(n_runs, n_times)``; without observables, the states by name."""
        if not self._observables:
            return {n: self.y[:, i, :] for i, n in enumerate(self.names)}
        out = {}
        for name, w in self._observables.items():
            if isinstance(w, np.ndarray):
                out[name] = np.einsum("s,rst->rt", w, self.y)
            else:
                out[name] = self._evaluate(w)
        return out

    def _evaluate(self, term: Term) -> np.ndarray:
        from ..terms.calculus import evaluate
        out = np.full(self.y.shape[::2], np.nan)
        syms = [Symbol(n) for n in self.names]
        for r in range(self.y.shape[0]):
            for k in range(self.y.shape[2]):
                out[r, k] = evaluate(term, dict(zip(syms, self.y[r, :, k])))
        return out

    def quantiles(self, q: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
                  which: Sequence[str] | None = None) -> dict:
        """Plain data: ``{"times", "q", "n_ok", "series": {name: {"q05": [...], ...}}}``
        over the successful runs (``which``: observable names; default all)."""
        obs = self.observables()
        names = list(which) if which is not None else list(obs)
        ok = self.ok
        series = {}
        for n in names:
            if n not in obs:
                raise KeyError(f"no observable {n!r} (have: {', '.join(obs)})")
            data = obs[n][ok]
            series[n] = {f"q{round(100 * v):02d}": (np.quantile(data, v, axis=0).tolist()
                                                    if len(data) else [math.nan] * len(self.times))
                         for v in q}
        return {"times": self.times.tolist(), "q": list(q), "n_ok": int(ok.sum()),
                "series": series}

    def summary(self) -> list[tuple[str, Any]]:
        """``(label, value)`` rows: runs, successes, failures (first messages), time."""
        rows = [("runs", len(self.status)), ("success", int(self.ok.sum())),
                ("failed / error", len(self.failed)),
                ("states × times", f"{self.y.shape[1]} × {self.y.shape[2]}"),
                ("workers", self.workers or "in-process"),
                ("wall time", f"{self.seconds:.2f} s"),
                ("CPU time of the runs", f"{np.nansum(self.cpu_seconds):.2f} s")]
        for i in self.failed[:3]:
            rows.append((f"run {i}: {self.status[i]}", self.messages[i]))
        return rows

    def __repr__(self) -> str:
        return (f"<EnsembleResult {len(self.status)} runs: {int(self.ok.sum())} success, "
                f"{len(self.failed)} failed, {self.y.shape[1]} states × {self.y.shape[2]} "
                f"times, {self.seconds:.2f} s>")
