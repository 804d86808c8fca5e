"""``egraph_simplify`` (``simplify(expr, using="egraph")``) and ``optimize_for_eval``.

>>> from symnb import symbols, sin, cos
>>> x, y = symbols("x y")
>>> egraph_simplify(sin(x)**2 + cos(x)**2 + y)
1 + y
>>> e, rep = egraph_simplify(x*y + x*sin(y), report=True)
>>> e, rep.cost_before > rep.cost_after
(x*(y + sin(y)), True)
>>> out = optimize_for_eval([x/y + 1/y, 2/y])
>>> out
[(1 + x)/y, 2/y]
"""
from __future__ import annotations

import math
import shutil
import time
from typing import Any, Iterable, Sequence

from .bridge import Encoding, load
from .costs import as_cost_model
from .extract import EGraphData, dag_cost, dag_improve, extract_terms, tree_best
from .report import EGraphReport, op_counts
from .rulesets import as_ruleset
from .saturate import default_match_limit, saturate

__all__ = ["egraph_simplify", "optimize_for_eval", "run_egraph", "DEFAULT_LIMITS", "cost_of"]

DEFAULT_LIMITS = {"iter_limit": 12, "node_limit": 20_000, "time_limit": 10.0}


def _check_limits(iter_limit: Any, node_limit: Any, time_limit: Any) -> None:
    if isinstance(iter_limit, bool) or not isinstance(iter_limit, int) or iter_limit < 0:
        raise ValueError(f"iter_limit must be an int >= 0, got {iter_limit!r}")
    if isinstance(node_limit, bool) or not isinstance(node_limit, int) or node_limit < 1:
        raise ValueError(f"node_limit must be an int >= 1, got {node_limit!r}")
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or \
            not time_limit > 0 or math.isnan(time_limit):
        raise ValueError(f"time_limit must be a number of seconds > 0, got {time_limit!r}")


def _back(t: Any, like: Any) -> Any:
    mod = type(like).__module__.split(".", 1)[0]
    if mod == "sympy":
        from ..terms.sympy_bridge import to_sympy
        return to_sympy(t)
    if mod == "symengine":
        from ..terms.symengine_bridge import to_symengine
        return to_symengine(t)
    return t


def run_egraph(exprs: Sequence[Any], *, ruleset: Any = None, cost: Any = None,
               iter_limit: int = DEFAULT_LIMITS["iter_limit"],
               node_limit: int = DEFAULT_LIMITS["node_limit"],
               time_limit: float = DEFAULT_LIMITS["time_limit"],
               positive: Iterable[Any] = (), keep_graph: bool = True,
               match_limit: Any = "auto") -> tuple[list, EGraphReport]:
    """Saturate one e-graph holding every expression, extract the cheapest DAG.

    Returns ``(terms, report)``.  When no form cheaper than the input is
    found (under ``cost``), the inputs come back unchanged.  ``match_limit``: matches one
    rule may apply per iteration (``"auto"``: ``max(1000, node_limit // 20)``; None: no
    limit), which keeps a single egglog iteration - it cannot be interrupted - bounded.
    """
    _check_limits(iter_limit, node_limit, time_limit)
    if match_limit == "auto":
        ml = default_match_limit(node_limit)
    elif match_limit is None or (isinstance(match_limit, int) and not isinstance(match_limit, bool)
                                 and match_limit > 0):
        ml = match_limit
    else:
        raise ValueError(f"match_limit must be 'auto', None or an int > 0, got {match_limit!r}")
    model = as_cost_model(cost)
    rs = as_ruleset(ruleset)
    exprs = list(exprs)
    t0 = time.perf_counter()
    enc = Encoding()
    rows = [enc.add(e) for e in exprs]
    for p in positive:
        enc.mark_positive(p)
    before_nodes = _reachable_rows(enc, rows)
    cost_before = _enc_cost(model, enc, before_nodes)
    ops_before = op_counts([enc.nodes[k] for k in before_nodes])
    eg, tmp = load(enc)
    try:
        eg.run_program(*eg.parse_program(rs.program("main")))
        t1 = time.perf_counter()
        # the limit covers the whole call: loading already spent part of it
        stats, reason, first = saturate(eg, iter_limit=iter_limit, node_limit=node_limit,
                                        time_limit=max(time_limit - (t1 - t0), 1e-3),
                                        match_limit=ml)
        t2 = time.perf_counter()
        d = EGraphData.read(eg, model)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    roots = [d.refs[r] for r in rows]
    tree = tree_best(d)
    tree_cost = dag_cost(d, tree, roots)
    # DAG-cost local search gets what is left of the limit (the tree extraction is its start)
    sel = dag_improve(d, tree, roots,
                      time_limit=max(0.05, time_limit - (time.perf_counter() - t0)))
    cost_after = dag_cost(d, sel, roots)
    if tree_cost < cost_after:
        sel = {c: tree[c] for c in _reach(d, tree, roots)}
        cost_after = tree_cost
    kept = cost_after >= cost_before
    out: list = list(exprs)
    if not kept:
        try:
            terms = extract_terms(d, sel, roots)
            out = [_back(t, e) for t, e in zip(terms, exprs)]
        except (ZeroDivisionError, TypeError, ValueError, OverflowError):
            kept = True
    cost_returned = cost_before
    if not kept:
        # symnb's canonical forms may undo some of the extracted shape (x*x is x^2 again):
        # never hand back something costlier than the input
        cost_returned = cost_of(out, model)
        if cost_returned > cost_before:
            kept, out, cost_returned = True, list(exprs), cost_before
    if kept:
        cost_after = cost_before
        ops_after = ops_before
    else:
        ops_after = op_counts([d.nodes[n] for n in sel.values()])
    t3 = time.perf_counter()
    report = EGraphReport(
        stop_reason=reason, iterations=stats, initial=first, cost_before=cost_before,
        cost_after=cost_after, tree_cost_after=tree_cost, ops_before=ops_before,
        ops_after=ops_after,
        seconds={"load": t1 - t0, "saturate": t2 - t1, "extract": t3 - t2, "total": t3 - t0},
        limits={"iter_limit": iter_limit, "node_limit": node_limit, "time_limit": time_limit,
                "match_limit": ml},
        ruleset=rs.name, cost_model=model, kept_input=kept, cost_returned=cost_returned,
        data=d if keep_graph else None, selection=sel if keep_graph else None, roots=roots)
    return out, report


def cost_of(exprs: Any, cost: Any = None) -> float:
    """DAG cost of an expression or a list of them under a cost model (shared subterms once).

    >>> from symnb import symbols, sin
    >>> x, y = symbols("x y")
    >>> cost_of(sin(x) * y), cost_of([sin(x), sin(x) + y])
    (139.0, 137.0)
    """
    model = as_cost_model(cost)
    items = list(exprs) if isinstance(exprs, (list, tuple)) else [exprs]
    enc = Encoding()
    rows = [enc.add(e) for e in items]
    return _enc_cost(model, enc, _reachable_rows(enc, rows))


def _enc_cost(model: Any, enc: Encoding, rows: Iterable[int]) -> float:
    total = 0.0
    nodes = enc.nodes
    for k in rows:
        n = nodes[k]
        if n[0] == "Pow" and nodes[n[2]][0] in ("num", "flt"):
            total += model.pow_cost(nodes[n[2]][1])
        else:
            total += model.node_cost(n)
    return float(total)


def _reachable_rows(enc: Encoding, rows: Sequence[int]) -> list[int]:
    seen: set = set()
    stack = list(rows)
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        n = enc.nodes[k]
        kind = n[0]
        if kind in ("Add", "Mul", "Sub", "Div", "Pow"):
            stack += [n[1], n[2]]
        elif kind in ("Neg",):
            stack.append(n[1])
        elif kind in ("Fn1", "FnN"):
            stack.append(n[2])
        elif kind == "Fn2":
            stack += [n[2], n[3]]
        elif kind == "Cons":
            stack += [n[1], n[2]]
    return list(seen)


def _reach(d: EGraphData, sel: Any, roots: Sequence[int]) -> list[int]:
    seen: set = set()
    stack = list(roots)
    while stack:
        c = stack.pop()
        if c not in seen:
            seen.add(c)
            stack.extend(d.children[sel[c]])
    return list(seen)


def egraph_simplify(expr: Any, *, ruleset: Any = None, cost: Any = None,
                    iter_limit: int = DEFAULT_LIMITS["iter_limit"],
                    node_limit: int = DEFAULT_LIMITS["node_limit"],
                    time_limit: float = DEFAULT_LIMITS["time_limit"],
                    positive: Iterable[Any] = (), report: bool = False,
                    trace: bool = False) -> Any:
    """Equality saturation + DAG-cost extraction of one expression.

    ``ruleset``: ``"algebra"``, ``"cpu"``, a ``Ruleset``, symnb rules, or a
    list of those (default: algebra + cpu).  ``cost``: a mapping overriding
    the CPU-cycle table, or a ``CostModel``.  ``positive``: terms known to be
    positive (enables ``log(a) + log(b) -> log(a*b)``).  ``report=True`` (or
    ``trace=True``, as for ``using="rules"``) returns ``(term, EGraphReport)``.
    """
    (out,), rep = run_egraph([expr], ruleset=ruleset, cost=cost, iter_limit=iter_limit,
                             node_limit=node_limit, time_limit=time_limit, positive=positive)
    return (out, rep) if (report or trace) else out


def optimize_for_eval(exprs: Sequence[Any], *, ruleset: Any = None, cost: Any = None,
                      iter_limit: int = DEFAULT_LIMITS["iter_limit"],
                      node_limit: int = DEFAULT_LIMITS["node_limit"],
                      time_limit: float = DEFAULT_LIMITS["time_limit"],
                      positive: Iterable[Any] = (), report: bool = False) -> Any:
    """Optimize a vector of outputs (e.g. an ODE right-hand side) in one shared e-graph,
    minimizing the cost of evaluating all of them together.  Returns a list (and the
    report with ``report=True``).  ``ruleset="eval"`` is the ``cpu`` rewrites plus
    factoring of shared leading factors and denominators without commutativity/
    associativity (it grows far more slowly than the default algebra+cpu on big sums)."""
    if isinstance(exprs, (str, bytes)) or not isinstance(exprs, Iterable):
        raise TypeError("optimize_for_eval needs a sequence of expressions")
    out, rep = run_egraph(list(exprs), ruleset=ruleset, cost=cost, iter_limit=iter_limit,
                          node_limit=node_limit, time_limit=time_limit, positive=positive)
    return (out, rep) if report else out
