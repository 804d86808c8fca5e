"""The Symbolics.jl paper's e-graph experiment, measured: as-written code, the e-graph's
extraction, and ``symnb.compile`` on one right-hand side (tutorial 03, benchmarks/egraph.py).

Gowda et al. ("High-performance symbolic-numerics via multiple dispatch") saturate an
e-graph with commutativity, factoring (``a*x + a*y = a*(x + y)``) and power/division
rules, extract by a table of CPU cycles (SymbolicUtils' ``op_costs``: ``+`` 1, ``*`` 3,
``/`` 24, ``^`` 100, ...) and report that the generated reaction-network function runs
in half the time.  Their baseline is the function *as written*: no CSE, ``^`` a power
call.  Four functions are built here from the same outputs, all numba, all timed in one
process inside one compiled loop over ``batch`` states (no Python call overhead):

* (a) the outputs as written (``symnb.compiler.as_written``);
* (b) the e-graph's extraction under that cycle table (``^`` flat: every power a call,
  tree cost: nothing shared), written out as extracted;
* (c) ``symnb.compile`` of the outputs (CSE, integer powers by multiplication);
* (d) ``symnb.compile`` of the e-graph's terms.

``interpreted=True`` also times (a) and (b) run by CPython on Python floats, where every
written operation is executed.  (LLVM, behind numba, turns ``pow(x, 2.0)`` into ``x*x`` by
itself, and shares a repeated product only within one output: a store to ``out`` might
overwrite ``a``, so it loads the arguments again after each; ``count_ops_in`` shows it.)

>>> from symnb.terms import symbols
>>> x, y, k = symbols("x y k")
>>> r = measure([k*x*y + k*x**2, k*x*y - k*x**2], [x, y, k], [1.5, 0.5, 2.0],
...             batch=4, min_time=1e-4, rounds=1, interpreted=False, time_limit=2.0)
>>> sorted(r.seconds), r.max_rel_diff < 1e-12, r.cost["b"] <= r.cost["a"]
(['a', 'b', 'c', 'd'], True, True)
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["LABELS", "AsWrittenResult", "measure", "paper_costs", "count_ops_in"]

LABELS = {"a": "as written (no CSE, pow calls)",
          "b": "e-graph extraction, as written",
          "c": "symnb.compile (CSE + strength reduction)",
          "d": "symnb.compile of the e-graph's terms",
          "e": "as written, CPython interpreter",
          "f": "e-graph extraction, as written, CPython interpreter"}


def paper_costs() -> Any:
    """The SymbolicUtils cycle table as the paper used it: every power a ``^`` call (100)."""
    from ..egraph.costs import CostModel
    return CostModel(name="SymbolicUtils cycles, ^ flat", flat_powers=True)


@dataclass
class AsWrittenResult:
    """Seconds per evaluation (``seconds``: letter -> s), the cycle costs (``cost``: a, b
    tree costs under ``paper_costs``; c: DAG cost under the default table, i.e. shared
    subterms once and integer powers by multiplication), the e-graph report, the largest
    relative difference between any two versions' outputs, and the e-graph's seconds."""
    seconds: dict
    cost: dict
    report: Any
    max_rel_diff: float
    egraph_seconds: float
    sources: dict = field(default_factory=dict, repr=False)
    #: (a), (b): arithmetic in the written source and in numba's optimized LLVM IR
    ops: dict = field(default_factory=dict)

    def ratio(self, slow: str, fast: str) -> float:
        """``seconds[slow] / seconds[fast]`` (> 1: ``fast`` is faster)."""
        return self.seconds[slow] / self.seconds[fast]

    def figures(self) -> dict:
        """Flat figures for a benchmark's JSON: times ``*_s``, ``ratio_x_y`` = time x /
        time y (letters as in ``LABELS``), cycle-cost ratios."""
        out: dict = {f"{k}_s": v for k, v in self.seconds.items()}
        for x, y in (("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("c", "d"), ("e", "f")):
            if x in self.seconds and y in self.seconds:
                out[f"ratio_{x}_{y}"] = self.ratio(x, y)
        out["cycles_cost_ratio_a_b"] = self.cost["a"] / self.cost["b"]
        out["cycles_cost_ratio_a_c"] = self.cost["a"] / self.cost["c"]
        out["cycles_cost_ratio_c_d"] = self.cost["c"] / self.cost["d"]
        out["max_rel_diff"] = self.max_rel_diff
        out["egraph_s"] = self.egraph_seconds
        return out


def _best_per_eval(calls: dict[str, Callable[[], Any]], per: dict[str, int], rounds: int,
                   min_time: float) -> dict[str, float]:
    """Best seconds per evaluation of each call, the calls interleaved over ``rounds``."""
    best = {k: float("inf") for k in calls}
    loops = {}
    for k, f in calls.items():
        f()
        n = 1
        while True:
            t = time.perf_counter()
            for _ in range(n):
                f()
            if time.perf_counter() - t > min_time:
                break
            n *= 2
        loops[k] = n
    for _ in range(rounds):
        for k, f in calls.items():
            n = loops[k]
            t = time.perf_counter()
            for _ in range(n):
                f()
            best[k] = min(best[k], (time.perf_counter() - t) / (n * per[k]))
    return best


_SOURCE_OPS = {"*": r" \* ", "+": r" \+ ", "-": r" - |(?<=[\s(,])-(?=[a-z(])", "/": " / ",
               "pow": r"math\.pow\("}
_IR_OPS = {"*": r"= fmul ", "+": r"= fadd ", "-": r"= f(?:sub|neg) ", "/": r"= fdiv ",
           "pow": r"call [^\n]*@(?:llvm\.pow|pow)\b"}


def count_ops_in(f: Any) -> dict:
    """Arithmetic of an as-written function: ``{"source": {op: n}, "llvm": {op: n}}``,
    written in its source and left in numba's optimized LLVM IR (where ``pow(x, 2.0)``
    has become ``x*x``, and repeated pure operations within one output are shared).

    >>> from symnb.compiler.as_written import compile_as_written
    >>> from symnb.terms import symbols
    >>> x, y = symbols("x y")
    >>> n = count_ops_in(compile_as_written([x**2 * y + x**3], [x, y]))
    >>> n["source"]["pow"], n["llvm"]["pow"], n["llvm"]["*"]
    (2, 1, 2)
    """
    src = f.source
    out: dict = {"source": {}, "llvm": {}}
    for op, pat in _SOURCE_OPS.items():
        out["source"][op] = len(re.findall(pat, src))
    ir = "\n".join(f.inspect_llvm().values()) if hasattr(f, "inspect_llvm") else ""
    for op, pat in _IR_OPS.items():
        out["llvm"][op] = len(re.findall(pat, ir))
    return out


_DRIVE: dict = {}


def _driver() -> Any:
    if "f" not in _DRIVE:
        import numba

        @numba.njit
        def drive(f, out, states):        # pragma: no cover - numba-compiled
            for i in range(states.shape[0]):
                f(out, states[i])
        _DRIVE["f"] = drive
    return _DRIVE["f"]


def measure(exprs: Sequence[Any], args: Sequence[Any], values: Sequence[float], *,
            ruleset: Any = "default", time_limit: float = 10.0, node_limit: int = 200_000,
            batch: int = 256, rounds: int = 7, min_time: float = 0.03,
            interpreted: bool = True, seed: int = 0) -> AsWrittenResult:
    """Build (a)-(d) (and (e), (f) with ``interpreted``) for ``exprs`` over the symbols
    ``args`` and time them on ``batch`` states around ``values`` (each value times a
    random factor in [0.9, 1.1]); see the module docstring."""
    from ..compiler import compile_array
    from ..compiler.as_written import compile_as_written
    from ..egraph import run_egraph
    from ..egraph.api import cost_of
    exprs, args = list(exprs), list(args)
    if len(values) != len(args):
        raise ValueError(f"values has {len(values)} entries for {len(args)} args; give one "
                         "value per symbol in args")
    t = time.perf_counter()
    terms, rep = run_egraph(exprs, ruleset=ruleset, cost=paper_costs(), tree=True,
                            keep_graph=True, time_limit=time_limit, node_limit=node_limit)
    t_eg = time.perf_counter() - t
    fa = compile_as_written(exprs, args)
    fb = compile_as_written(rep, args)
    fc = compile_array(exprs, args=[args], inplace=True).func
    fd = compile_array(terms, args=[args], inplace=True).func
    rng = np.random.default_rng(seed)
    states = np.ascontiguousarray(np.asarray(values, float) *
                                  rng.uniform(0.9, 1.1, (batch, len(args))))
    outs = {k: np.empty(len(exprs)) for k in "abcdef"}
    fns = {"a": fa, "b": fb, "c": fc, "d": fd}
    ref = np.empty(len(exprs))
    fc(ref, states[0])
    diff = 0.0
    for k, f in fns.items():
        f(outs[k], states[0])
        diff = max(diff, float(np.max(np.abs(outs[k] - ref) / np.maximum(np.abs(ref), 1e-300))))
    drive = _driver()
    calls: dict = {k: (lambda f=f, o=outs[k]: drive(f, o, states)) for k, f in fns.items()}
    per = dict.fromkeys(calls, batch)
    if interpreted:
        for k, src in (("e", exprs), ("f", rep)):
            g = compile_as_written(src, args, jit=False)
            row = states[0].tolist()            # Python floats: the interpreter's own arithmetic
            res = [0.0] * len(exprs)
            g(res, row)
            got = np.array(res)
            diff = max(diff, float(np.max(np.abs(got - ref) / np.maximum(np.abs(ref), 1e-300))))
            calls[k] = (lambda g=g, o=res, r=row: g(o, r))
            per[k] = 1
    seconds = _best_per_eval(calls, per, rounds, min_time)
    # b: the tree cost of what (b) writes out, the extraction itself (run_egraph's own
    # result may be the input again when symnb's canonical forms undo the extraction)
    cost = {"a": rep.cost_before, "b": rep.tree_cost_after, "c": cost_of(exprs),
            "d": cost_of(terms)}
    return AsWrittenResult(seconds=seconds, cost=cost, report=rep, max_rel_diff=diff,
                           egraph_seconds=t_eg,
                           sources={"a": fa.source, "b": fb.source},
                           ops={"a": count_ops_in(fa), "b": count_ops_in(fb)})
