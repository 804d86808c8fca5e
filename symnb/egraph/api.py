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
import time
from typing import Any, Iterable, Sequence

from ..terms.walk import postorder_from
from .bridge import Encoding, row_kids
from .costs import as_cost_model
from .extract import EGraphData, dag_cost, dag_improve, extract_terms, tree_best
from .report import EGraphReport, op_counts
from .rulesets import as_ruleset
from . import families  # noqa: F401  (registers the family rulesets)
from .program import compiled
from .prune import read_relations, relevant
from .saturate import default_match_limit, saturate

__all__ = ["egraph_simplify", "optimize_for_eval", "run_egraph", "DEFAULT_LIMITS",
           "SIMPLIFY_LIMITS", "cost_of", "load_into", "assumption_facts"]

DEFAULT_LIMITS = {"iter_limit": 12, "node_limit": 20_000, "time_limit": 10.0}
#: ``egraph_simplify``'s limits: small e-graphs, so that a call takes milliseconds.
SIMPLIFY_LIMITS = {"iter_limit": 8, "node_limit": 250, "time_limit": 2.0}
FACTS = ("Positive", "Real", "Nonzero", "Integer")
"""The facts the e-graph can hold about a term (relations of ``bridge.SCHEMA``)."""
BULK_ROWS = 2000
"""Encodings larger than this load through fact files (egglog's bulk ``input``)."""


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
               match_limit: Any = "auto", tree: bool | None = None,
               candidates: Sequence[tuple[int, Any]] = (),
               assumptions: bool = True, explore: bool = False) -> tuple[list, EGraphReport]:
    """Saturate one e-graph holding every expression, extract the cheapest DAG.

    Returns ``(terms, report)``.  When no form cheaper than the input is
    found (under ``cost``), the inputs come back unchanged.  ``match_limit``: matches one
    rule may apply per iteration (``"auto"``: ``max(1000, node_limit // 20)``; None: no
    limit), which keeps a single egglog iteration - it cannot be interrupted - bounded.
    ``tree``: minimize the tree cost (each occurrence counted, as ``count_ops`` does;
    the default for ``cost="count_ops"``) instead of the DAG cost.  ``candidates``:
    ``(i, term)`` pairs, forms known equal to ``exprs[i]`` put in its e-class.
    ``assumptions``: load the facts (positive, real, nonzero, integer) that the symbols'
    assumptions prove for every subterm.  ``explore``: also try the ``cancel`` forms of
    the result and of the e-graph's expanded representatives (``normal.py``).  The
    ruleset's program is compiled once and reused (``program.compiled``).
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
    if tree is None:
        tree = model.name == "count_ops"
    rs = as_ruleset(ruleset)
    exprs = list(exprs)
    t0 = time.perf_counter()
    enc = Encoding()
    rows = [enc.add(e) for e in exprs]
    before_nodes = _reachable_rows(enc, rows)
    cost_before = _enc_tree_cost(model, enc, rows) if tree else _enc_cost(model, enc, before_nodes)
    ops_before = op_counts([enc.nodes[k] for k in before_nodes])
    for i, c in candidates:
        enc.union(rows[i], enc.add(c))
    # only the rules that can match this input (``prune.py``): the same e-graph, fewer rules
    prs = relevant(rs, enc.call_names())
    reads = read_relations(prs)        # facts no rule reads are not loaded
    if "Positive" in reads:
        for p in positive:
            enc.mark_positive(p)
    if assumptions:
        assumption_facts(enc, reads)
    prog = compiled(prs, bulk=len(enc.nodes) > BULK_ROWS)
    with prog.session() as eg:
        load_into(prog, eg, enc, rows)
        t1 = time.perf_counter()
        # the limit covers the whole call: loading already spent part of it
        stats, reason, first = saturate(eg, iter_limit=iter_limit, node_limit=node_limit,
                                        time_limit=max(time_limit - (t1 - t0), 1e-3),
                                        match_limit=ml, program=prog, classes=keep_graph,
                                        roots=rows if tree else None)
        t2 = time.perf_counter()
        # a root class holding a number or a symbol is the whole tree extraction: read
        # only those leaves (a report keeps the whole e-graph)
        d = EGraphData.read_root_leaves(eg, rows, model) \
            if reason == "done" and not keep_graph else None
        if d is None:
            d = EGraphData.read(eg, model)
    roots = [d.refs[r] for r in rows]
    best = tree_best(d)
    tree_sel = {c: best[c] for c in _reach(d, best, roots)}
    tree_cost = _sel_tree_cost(d, tree_sel, roots) if tree else dag_cost(d, best, roots)
    if tree:
        sel, cost_after = tree_sel, tree_cost
    else:
        # DAG-cost local search gets what is left of the limit (the tree extraction is its start)
        sel = dag_improve(d, best, roots,
                          time_limit=max(0.05, time_limit - (time.perf_counter() - t0)))
        cost_after = dag_cost(d, sel, roots)
        if tree_cost < cost_after:
            sel, cost_after = tree_sel, tree_cost
    kept = cost_after >= cost_before
    out: list = list(exprs)
    if not kept:
        try:
            terms = extract_terms(d, sel, roots, enc.symbols)
            out = [_back(t, e) for t, e in zip(terms, exprs)]
        except (ZeroDivisionError, TypeError, ValueError, OverflowError):
            kept = True
    explored = _explore(d, roots, enc, model, tree, exprs, out, kept) if explore else None
    if explored is not None:
        out, cost_after, kept = explored, cost_of(explored, model, tree=tree), False
    cost_returned = cost_before
    if not kept:
        # symnb's canonical forms may undo some of the extracted shape (x*x is x^2 again):
        # never hand back something costlier than the input
        cost_returned = cost_of(out, model, tree=tree)
        if cost_returned > cost_before:
            kept, out, cost_returned = True, list(exprs), cost_before
    if kept:
        cost_after = cost_before
        ops_after = ops_before
    elif explored is not None:
        e2 = Encoding()
        ops_after = op_counts([e2.nodes[k] for k in _reachable_rows(e2, [e2.add(t) for t in out])])
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


def _explore(d: EGraphData, roots: list, enc: Encoding, model: Any, tree: bool, exprs: list,
             out: list, kept: bool) -> list | None:
    """A cheaper result from the ``cancel`` forms of ``out`` and of the expanded
    representatives (native terms only), or None."""
    from ..terms.core import Term
    from .normal import expanded_terms, normal_candidates
    if not all(isinstance(e, Term) for e in exprs):
        return None
    best = cost_of(out, model, tree=tree) if not kept else cost_of(exprs, model, tree=tree)
    if best <= 1:
        return None         # a leaf or one operation: nothing cheaper to find
    pick = None
    # the input's own cancel form was a seed already
    cands = [[c] for c in normal_candidates(out)] if len(out) == 1 and not kept else []
    if len(roots) == 1:
        cands += [[c] for c in normal_candidates(expanded_terms(d, roots, enc.symbols))]
    for c in cands:
        k = cost_of(c, model, tree=tree)
        if k < best:
            best, pick = k, c
    return pick


def load_into(prog: Any, eg: Any, enc: Encoding, roots: Sequence[int] | None = None) -> None:
    """Add ``enc`` to the e-graph of a program session: as egglog text when small (only
    ``roots`` reachable as ``(Ref k)``, when given), through fact files (egglog's bulk
    ``input``) when large."""
    if len(enc.nodes) <= BULK_ROWS or not getattr(prog, "bulk", True):
        eg.run_program(*prog.parse(enc.commands(roots=roots)))
        return
    cmds = enc.write(prog.fact_dir)
    extra = enc.commands(nodes=False)
    eg.run_program(*prog.parse("\n".join(cmds) + "\n(run load 1)\n" + extra))


def assumption_facts(enc: Encoding, wanted: Iterable[str] = FACTS) -> None:
    """Mark every subterm the symbols' assumptions prove positive, real, nonzero or integer
    (asked only when some symbol carries assumptions); ``wanted``: only these facts (the
    relations some rule reads, ``prune.read_relations``)."""
    if not any("#" in name for name in enc.symbols):
        return
    from ..terms.assumptions import ask
    from ..terms.core import Term
    wanted = set(wanted)
    others = [f for f in FACTS[1:] if f in wanted]
    for t, k in list(enc._memo.items()):
        if not isinstance(t, Term) or type(t).__name__ == "Number":
            continue
        if "Positive" in wanted and ask(t, "positive"):
            enc.positive.add(k)
        for fact in others:
            if ask(t, fact.lower()):
                enc.facts.setdefault(k, set()).add(fact)


def cost_of(exprs: Any, cost: Any = None, *, tree: bool = False) -> float:
    """DAG cost of an expression or a list of them under a cost model (shared subterms once;
    ``tree=True``: every occurrence counted, as ``count_ops`` counts).

    >>> from symnb import symbols, sin
    >>> x, y = symbols("x y")
    >>> cost_of(sin(x) * y), cost_of([sin(x), sin(x) + y])
    (139.0, 137.0)
    """
    model = as_cost_model(cost)
    items = list(exprs) if isinstance(exprs, (list, tuple)) else [exprs]
    enc = Encoding()
    rows = [enc.add(e) for e in items]
    if tree:
        return _enc_tree_cost(model, enc, rows)
    return _enc_cost(model, enc, _reachable_rows(enc, rows))


def _node_cost(model: Any, nodes: list, n: tuple) -> float:
    if n[0] == "Pow" and nodes[n[2]][0] in ("num", "flt"):
        return model.pow_cost(nodes[n[2]][1])
    return model.node_cost(n)


def _enc_tree_cost(model: Any, enc: Encoding, rows: Sequence[int]) -> float:
    """Tree cost of ``rows`` (a shared subterm counted at each occurrence)."""
    nodes = enc.nodes
    memo: dict = {}
    for k in sorted(set(_reachable_rows(enc, rows))):   # children have lower rows
        n = nodes[k]
        memo[k] = _node_cost(model, nodes, n) + sum(memo[c] for c in row_kids(n))
    return float(sum(memo[r] for r in rows))


def _sel_tree_cost(d: EGraphData, sel: dict, roots: Sequence[int]) -> float:
    """Tree cost of the extraction ``sel`` from ``roots``."""
    memo: dict = {}
    for c in postorder_from(roots, lambda c: d.children[sel[c]]):
        memo[c] = d.costs[sel[c]] + sum(memo[x] for x in d.children[sel[c]])
    return float(sum(memo[r] for r in roots))


def _enc_cost(model: Any, enc: Encoding, rows: Iterable[int]) -> float:
    nodes = enc.nodes
    return float(sum(_node_cost(model, nodes, nodes[k]) for k in rows))


def _reachable_rows(enc: Encoding, rows: Sequence[int]) -> list[int]:
    seen: set = set()
    stack = list(rows)
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        stack.extend(row_kids(enc.nodes[k]))
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


def egraph_simplify(expr: Any, *, ruleset: Any = None, cost: Any = "count_ops",
                    iter_limit: int = SIMPLIFY_LIMITS["iter_limit"],
                    node_limit: int = SIMPLIFY_LIMITS["node_limit"],
                    time_limit: float = SIMPLIFY_LIMITS["time_limit"],
                    positive: Iterable[Any] = (), report: bool = False,
                    trace: bool = False, normal_forms: bool = True,
                    assumptions: bool = True, match_limit: Any = None) -> Any:
    """Equality saturation + extraction of one expression; never costlier than ``expr``.

    ``ruleset``: ``"simplify"`` (the default: algebra, trigonometric, hyperbolic, exp/log
    and power families with assumption-guarded rules), ``"algebra"``, ``"cpu"``, a
    ``Ruleset``, symnb rules, or a list of those.  ``cost``: ``"count_ops"`` (the
    default: operations of the expression tree), ``"cycles"`` (the CPU-cycle table,
    DAG cost), a mapping overriding the CPU-cycle table, or a ``CostModel``.
    ``positive``: terms known to be positive, beside what the symbols' assumptions prove
    (``assumptions=True`` loads those).  ``normal_forms``: put the ``cancel``/``factor``
    forms of ``expr`` in its e-class and try the ``cancel`` forms of the result and of
    the expanded representatives.  The limits bound the saturation; when they stop it,
    the best form found so far comes back (``match_limit``, as for ``run_egraph``, is
    off by default: egglog's back-off scheduler costs milliseconds per iteration, and
    the node limit's look-ahead already stops before an iteration that would explode).
    ``report=True`` (or ``trace=True``, as for
    ``using="rules"``) returns ``(term, EGraphReport)``.
    """
    from ..terms.core import Term
    from .normal import seeds
    rs = as_ruleset("simplify" if ruleset is None else ruleset)
    _check_limits(iter_limit, node_limit, time_limit)
    as_cost_model(cost)                 # bad arguments fail even where no e-graph is built
    if not (report or trace) and isinstance(expr, Term) and not expr.args:
        return expr             # a number or a symbol is as simple as it gets
    found = seeds(expr) if normal_forms else []
    if not (report or trace):
        for c in found:
            if not c.args:      # a number or a symbol: nothing is cheaper, no e-graph needed
                return c
    cands = [(0, c) for c in found]
    (out,), rep = run_egraph([expr], ruleset=rs, cost=cost, iter_limit=iter_limit,
                             node_limit=node_limit, time_limit=time_limit, positive=positive,
                             candidates=cands, assumptions=assumptions, explore=normal_forms,
                             match_limit=match_limit,
                             keep_graph=report or trace)
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
