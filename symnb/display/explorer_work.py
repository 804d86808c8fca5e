"""What the expression-explorer dashboard works out for one input: plain values and
ready-made MIME bundles, never a ``display`` call.

Each function takes what a budgeted call can carry (the typed text, or a term, which
pickles) and returns a dict, so :func:`symnb.display.budget.run_within` can run it in a
thread or in its worker process and the dashboard shows the bundles afterwards:
:func:`overview` (read the text, its DAG and the simplification steps), :func:`egraph_tab`
and :func:`speed_tab` (the heavy tabs, meant for the worker process).

>>> r = overview("(x^2 - y^2)/(x - y)")
>>> r["result"], r["cost_before"], r["cost_after"], r["step_names"]
(x + y, 6, 1, ['cancel'])
>>> sorted(r["dag"])[:1], "text/html" in r["steps"]
(['application/vnd.symnb.dag+json'], True)
>>> try:
...     overview("(" * 600 + "x" + ")" * 600)
... except ValueError as err:
...     print(type(err).__name__, str(err).splitlines()[0])
ParseError expression nested deeper than 500 levels at column 501
"""
from __future__ import annotations

import time
from typing import Any

from ..bench.harness import bench as benchmark
from ..compiler.api import compile as compile_expr
from ..compiler.errors import CompileError
from ..egraph.api import egraph_simplify
from ..rewriting.simplify import simplify
from ..terms.calculus import count_ops, free_symbols
from ..terms.generic import count_nodes
from ..terms.limits import LimitExceeded
from ..terms.parse import parse
from ..terms.sympy_bridge import to_sympy
from .view import dag

__all__ = ["overview", "egraph_tab", "speed_tab", "bundle", "MAX_NODES", "STEPS_SHARE"]

MAX_NODES = 20_000      # larger expressions are refused (the page stays responsive)
STEPS_SHARE = 0.8       # share of the budget left after reading that simplify may use


class TooLarge(ValueError):
    """The expression has more tree nodes than the explorer shows."""


def bundle(obj: Any) -> dict:
    """``obj``'s MIME bundle (``_repr_mimebundle_``, else ``text/plain``)."""
    rep = getattr(obj, "_repr_mimebundle_", None)
    data = rep() if rep is not None else None
    if isinstance(data, tuple):
        data = data[0]
    return dict(data) if data else {"text/plain": repr(obj)}


def overview(src: str, seconds: float = 10.0) -> dict:
    """Parse ``src`` (``ParseError`` as is, :class:`TooLarge` past :data:`MAX_NODES`) and
    work out its DAG and ``simplify(e, trace=True)`` with the result's cost against the
    input's (``count_ops``).  Simplify gets :data:`STEPS_SHARE` of what is left of
    ``seconds``; if it refuses, ``steps_error`` holds its one line and the DAG still shows."""
    t0 = time.monotonic()
    e = parse(src)
    n = count_nodes(e)
    if n > MAX_NODES:
        raise TooLarge(f"expression too large to explore here ({n} tree nodes; at most "
                       f"{MAX_NODES})")
    out: dict = {"expr": e, "dag": bundle(dag(e, title=src)), "cost_before": count_ops(e)}
    left = max(STEPS_SHARE * (seconds - (time.monotonic() - t0)), 0.05)
    try:
        result, trace = simplify(e, trace=True, timeout=left)
    except LimitExceeded as err:
        out["steps_error"] = str(err).splitlines()[0]
        return out
    out.update(result=result, cost_after=count_ops(result), steps=bundle(trace),
               step_names=[s.rule for s in trace.steps], strategy=trace.strategy)
    return out


def egraph_tab(e: Any, time_limit: float = 5.0) -> dict:
    """The e-graph result of ``e`` (``best``) and the bundles of the result line and its
    report; ``error`` holds the one line of a refusal (a limit, an unsupported function)."""
    try:
        best, rep = egraph_simplify(e, report=True, time_limit=time_limit)
    except Exception as err:        # an e-graph limit or an unsupported function
        return {"best": None, "error": "e-graph: " + str(err).splitlines()[0], "shown": []}
    from html import escape
    line = {"text/html": f"<p>e-graph result: <code>{escape(str(best))}</code></p>",
            "text/plain": f"e-graph result: {best}"}
    return {"best": best, "error": "", "shown": [line, bundle(rep)]}


def speed_tab(e: Any) -> dict:
    """Compile ``e`` with numba and time it against ``sympy.lambdify``: the compiled
    function's bundle and the :class:`~symnb.bench.harness.BenchResult` (``result``), or
    ``error``, the compiler's one-line refusal."""
    args = sorted(free_symbols(e), key=lambda s: s.name)
    try:
        f = compile_expr(e, args)
    except CompileError as err:
        return {"result": None, "error": "compile: " + str(err).splitlines()[0], "shown": []}
    import sympy
    g = sympy.lambdify([to_sympy(s) for s in args], to_sympy(e))
    vals = [0.5 + 0.25 * i for i in range(len(args))]
    r = benchmark({"symnb (numba)": lambda: f(*vals), "sympy.lambdify": lambda: g(*vals)},
                  repeat=3, min_time=0.02, baseline="sympy.lambdify")
    return {"result": r, "error": "", "shown": [bundle(f)]}
