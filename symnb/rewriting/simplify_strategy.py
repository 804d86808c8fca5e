"""``simplify(e)`` as a strategy: candidates from the rule sets, the polynomial normal
forms and the function families, the cheapest one wins, never one costlier than ``e``.

Round one runs the chains of stages that fit ``e`` (``candidates.first_pipelines``: the
default rules, ``cancel``, ``factor``, ``trigsimp``, ``powsimp``, ``radsimp``,
``expand_log``, …, and combinations such as ``cancel`` after ``trigsimp``).  Each later
round runs the short chains again on the best candidate so far, while that improves
and the budget (``max_rounds``, ``time_limit``) lasts.  Stage results are memoised per
call, so chains sharing a prefix share its work.

The cost is ``measure(term)`` (default ``count_ops``), then the number of divisions;
ties go to the default rules' result, then to the input, then to the earlier candidate.
With ``trace=True`` the winning chain is run once more with a trace:
the steps are the named rules of the rule stages (``TR10i (…)``, ``powsimp: …``) and one
step per polynomial stage (``cancel``), so a student sees why.

>>> from symnb import symbols, sin, cos
>>> x, y = symbols("x y")
>>> strategy_simplify((x**2 - y**2)/(x - y))
x + y
>>> strategy_simplify(sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y))
0
>>> r, tr = strategy_simplify((x**3 - 1)/(x - 1), trace=True)
>>> r, [s.rule for s in tr], tr.steps[-1].expr
(1 + x + x^2, ['cancel'], 1 + x + x^2)
"""
from __future__ import annotations

import time
from typing import Any, Callable

from . import recorder
from ..terms.core import Add, Call, Mul, Number, Pow, Term
from .candidates import RULE_STAGES, STAGES, features, first_pipelines, next_pipelines
from .families.trigfamily import clear_memo, ops
from .matcher import clear_cache

__all__ = ["strategy_simplify", "DEFAULT_TIME_LIMIT", "DEFAULT_MAX_ROUNDS"]

DEFAULT_TIME_LIMIT = 0.5
"""Seconds after which no new chain is started (the best found so far is returned)."""
DEFAULT_MAX_ROUNDS = 3
"""Rounds of candidates: the first from the input, each later one from the best so far."""


class _Search:
    """One call's candidates: memoised stage results and the chain that made each term."""

    def __init__(self, measure: Callable[[Term], Any], deadline: float,
                 stop_at_number: bool) -> None:
        self.measure, self.deadline, self.stop_at_number = measure, deadline, stop_at_number
        self.memo: dict = {}
        self.history: dict = {}
        self.costs: dict = {}

    def cost(self, t: Term) -> Any:
        c = self.costs.get(t)
        if c is None:
            c = self.costs[t] = (self.measure(t), divisions(t))
        return c

    def stage(self, name: str, t: Term) -> Term:
        key = (name, t)
        r = self.memo.get(key)
        if r is None:
            try:
                r = STAGES[name](t)
            except Exception:   # a stage that cannot work on t gives no candidate
                r = t
            if not isinstance(r, Term):
                r = t
            self.memo[key] = r
            if r not in self.history:
                self.history[r] = self.history[t] + (name,)
        return r

    def run(self, start: Term, pipelines: list) -> list:
        out = []
        for chain in pipelines:
            if time.perf_counter() > self.deadline:
                break
            t = start
            for name in chain:
                t = self.stage(name, t)
            out.append(t)
            if self.stop_at_number and type(t) is Number:
                break       # nothing costs less than a number under count_ops
        return out


def divisions(t: Term) -> int:
    """Factors with a negative exponent: the tie-breaker between equally costly forms
    (``x/(1 + x)`` before ``1/(1 + 1/x)``)."""
    n, seen, stack = 0, set(), [t]
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        tu = type(u)
        if tu is Mul:
            for b, e in u.factors.items():
                n += _negative(e)
                stack.append(b)
        elif tu is Pow:
            n += _negative(u.exp)
            stack += [u.base, u.exp]
        elif tu is Add:
            stack += list(u.terms)
        elif tu is Call:
            stack += list(u.args_)
    return n


def _negative(e: Any) -> int:
    v = e.value if type(e) is Number else e
    return int(not isinstance(v, Term) and not isinstance(v, complex) and v < 0)


def _best(search: _Search, current: Term, found: list) -> Term:
    best, key = current, search.cost(current)
    for t in found:
        k = search.cost(t)
        if k < key:
            best, key = t, k
    return best


def search_best(e: Term, measure: Callable[[Term], Any], time_limit: float,
                max_rounds: int) -> tuple[Term, tuple, str]:
    """The cheapest candidate for ``e``, the chain of stages that made it, and why the
    search stopped: ``"fixpoint"`` (a round found nothing cheaper), ``"time limit"`` or
    ``"iteration limit"`` (``max_rounds`` rounds, each still improving)."""
    s = _Search(measure, time.perf_counter() + time_limit, measure is ops)
    s.history[e] = ()
    found = s.run(e, first_pipelines(features(e)))
    # the default rules point the simpler way: their result wins a tie with the input
    start = found[0] if found and s.cost(found[0]) <= s.cost(e) else e
    best = _best(s, start, found)
    stopped = "fixpoint" if best is e or type(best) is Number else "iteration limit"
    for _ in range(max_rounds - 1):
        if stopped == "fixpoint":
            break
        nxt = _best(s, best, s.run(best, next_pipelines(features(best))))
        if nxt is best or type(nxt) is Number:
            stopped = "fixpoint"
        best = nxt
    if time.perf_counter() > s.deadline:
        stopped = "time limit"
    return best, s.history.get(best, ()), stopped


def _stage_events(name: str, before: Term) -> tuple[Term, list]:
    """Run one stage under its own tracer: its result and events that replay to it."""
    from .steps import RewriteTrace
    tr = recorder.Tracer()
    try:
        with recorder.active(tr):
            after = STAGES[name](before)
    except Exception:
        return before, []
    if after is before:
        return after, []
    events = tr.events if name in RULE_STAGES else []
    if events:
        rt = RewriteTrace(before, after, events, "done")
        if not (len(rt) and rt.expr_after(-1) == after):
            events = []
    return after, events or [(name, (), before, after)]


def traced_chain(e: Term, chain: tuple) -> tuple[Term, list]:
    """Re-run ``chain`` on ``e`` recording its steps (paths from the root)."""
    events: list = []
    t = e
    for name in chain:
        t, ev = _stage_events(name, t)
        events.extend(ev)
    return t, events


def _native(expr: Any) -> tuple[Any, Callable | None]:
    if isinstance(expr, Term):
        return expr, None
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return Number(expr), None
    lib = type(expr).__module__.split(".", 1)[0]
    if lib == "sympy":
        from ..terms.sympy_bridge import from_sympy, to_sympy
        return from_sympy(expr), to_sympy
    if lib == "symengine":
        from ..terms.symengine_bridge import from_symengine, to_symengine
        return from_symengine(expr), to_symengine
    raise TypeError(f"simplify expects a symnb, sympy or symengine expression, got "
                    f"{type(expr).__name__}; parse text with symnb.parse")


def strategy_simplify(expr: Any, *, measure: Callable[[Term], Any] | None = None,
                      trace: bool = False, time_limit: float = DEFAULT_TIME_LIMIT,
                      max_rounds: int = DEFAULT_MAX_ROUNDS) -> Any:
    """The cheapest form of ``expr`` found by the chains of stages that fit it.

    ``measure(term)`` is the cost (default ``count_ops``); the result never costs more
    than ``expr``.  ``time_limit`` (seconds) stops starting new chains; ``max_rounds``
    bounds the rounds.  ``trace=True`` returns ``(result, RewriteTrace)``.
    """
    if measure is not None and not callable(measure):
        raise TypeError(f"measure must be a callable term -> cost, got {type(measure).__name__}")
    t, back = _native(expr)
    m = measure or ops
    try:
        best, chain, stopped = search_best(t, m, time_limit, max_rounds)
        if not trace:
            return best if back is None else back(best)
        from .steps import RewriteTrace
        r, events = traced_chain(t, chain)
        if r != best:       # a stage that is not deterministic: show the one-step truth
            r, events = best, [("simplify", (), t, best)]
        rt = RewriteTrace(t, r, events, stopped, "simplify: " + (" → ".join(chain) or "input"))
        return (r if back is None else back(r)), rt
    finally:
        clear_cache()
        clear_memo()
