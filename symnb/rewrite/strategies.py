"""Rewriting strategies: tiny composable callables (as in SymbolicUtils.jl).

Each strategy maps a term to a term (rules map to ``None`` when they do not
apply; strategies treat that as "unchanged").  They walk terms only through
the term interface, so one strategy object rewrites symnb, sympy and
symengine terms alike.

>>> from symnb import symbols, sin, cos
>>> from symnb.rewrite.rule import rule
>>> x, y = symbols("x y")
>>> pyth = rule("sin(~x)^2 + cos(~x)^2 => 1")
>>> Postwalk(pyth)(sin(x + sin(y)**2 + cos(y)**2)**2 + cos(1 + x)**2)
1
>>> from symnb import Function
>>> f, g, h = Function("f"), Function("g"), Function("h")
>>> Fixpoint(Postwalk(Chain([rule("g(~x) => h(~x)"), rule("f(~x) => g(~x)")])))(f(x))
h(x)
"""
from __future__ import annotations

import warnings
from bisect import bisect_left
from typing import Any, Callable, Iterable

from . import tracing
from ..terms.interface import maketerm, term_ops

__all__ = ["Strategy", "Chain", "RestartedChain", "Postwalk", "Prewalk", "Fixpoint", "IfElse",
           "PassThrough", "RewriteWarning"]

Rewriter = Callable[[Any], Any]


class RewriteWarning(UserWarning):
    """A strategy stopped at its iteration cap without a trace to report it in."""


def _head(t: Any) -> str:
    h = term_ops(t).head(t)
    return "<leaf>" if h is None else h


_UNCHANGED: "dict | None" = None
"""While a Fixpoint runs: Chain -> set of terms on which none of its rules fired."""


def _same(a: Any, b: Any) -> bool:
    return a is b or a == b


def _name(rw: Any) -> str:
    return repr(rw) if isinstance(rw, Strategy) or hasattr(rw, "lhs") else \
        getattr(rw, "__name__", type(rw).__name__)


class Strategy:
    """Base class: ``strategy(term) -> term``."""

    __slots__ = ()

    def __call__(self, t: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


class PassThrough(Strategy):
    """``rw(t)``, or ``t`` itself when ``rw`` returns None."""

    __slots__ = ("rw",)

    def __init__(self, rw: Rewriter) -> None:
        self.rw = rw

    def __call__(self, t: Any) -> Any:
        r = self.rw(t)
        return t if r is None else r

    def __repr__(self) -> str:
        return f"PassThrough({_name(self.rw)})"


class Chain(Strategy):
    """Apply each rewriter in turn, each to the result of the previous one.

    Rules whose pattern head (``Add``, ``sin``, ...) differs from the current
    term's head are skipped without matching (an index built once per head).
    Inside a ``Fixpoint``, a chain of ``Rule`` objects remembers the terms on
    which none of its rules fired and returns them at once on the next
    iteration (rules are pure functions of the term).
    """

    __slots__ = ("rws", "_heads", "_table", "_pure")

    def __init__(self, rws: Iterable[Rewriter]) -> None:
        from .rule import Rule
        self.rws = tuple(rws)
        self._heads = tuple(getattr(rw, "head", None) for rw in self.rws)
        self._table: dict = {}
        self._pure = all(type(rw) is Rule for rw in self.rws)

    def _applicable(self, head: str) -> list:
        lst = self._table.get(head)
        if lst is None:
            lst = self._table[head] = [i for i, h in enumerate(self._heads)
                                       if h is None or h == head or
                                       (isinstance(h, frozenset) and
                                        (head in h or (head == "<leaf>" and None in h)))]
        return lst

    def __call__(self, t: Any) -> Any:
        memo = _UNCHANGED
        if memo is not None and self._pure:
            seen = memo.get(self)
            if seen is None:
                seen = memo[self] = set()
            try:
                if t in seen:
                    return t
            except TypeError:  # unhashable term: no memo
                return self._apply(t)
            fired = tracing.FIRED
            r = self._apply(t)
            if r is t and tracing.FIRED == fired:
                seen.add(t)
            return r
        return self._apply(t)

    def _apply(self, t: Any) -> Any:
        rws = self.rws
        lst = self._applicable(_head(t))
        k = 0
        while k < len(lst):
            i = lst[k]
            r = rws[i](t)
            k += 1
            if r is not None and r is not t:
                if _head(r) != _head(t):
                    lst = self._applicable(_head(r))
                    k = bisect_left(lst, i + 1)
                t = r
        return t

    def __repr__(self) -> str:
        return f"Chain([{', '.join(_name(r) for r in self.rws)}])"


class RestartedChain(Chain):
    """Try the rewriters in order; after one applies, start again from the first.

    Stops when none applies, or after ``max_restarts`` (reported like Fixpoint's cap).
    """

    __slots__ = ("max_restarts",)

    def __init__(self, rws: Iterable[Rewriter], max_restarts: int = 1000) -> None:
        super().__init__(rws)
        self.max_restarts = max_restarts

    def __call__(self, t: Any) -> Any:
        rws = self.rws
        for _ in range(self.max_restarts):
            for i in self._applicable(_head(t)):
                r = rws[i](t)
                if r is not None and r is not t:
                    t = r
                    break
            else:
                return t
        _hit_limit(self, self.max_restarts)
        return t

    def __repr__(self) -> str:
        return f"RestartedChain([{', '.join(_name(r) for r in self.rws)}])"


class Postwalk(Strategy):
    """Rewrite bottom-up: arguments first, then the rebuilt node.

    Shared subterms (a DAG) are rewritten once per walk (memoised).
    """

    __slots__ = ("rw",)

    def __init__(self, rw: Rewriter) -> None:
        self.rw = rw

    def __call__(self, t: Any) -> Any:
        tr = tracing.ACTIVE
        if tr is None:
            return self._walk(t, {})
        tr.walk_start()
        return self._walk_traced(t, {}, tr)

    def _walk(self, t: Any, memo: dict) -> Any:
        hit = memo.get(t)
        if hit is not None:
            return hit
        u = t
        ops = term_ops(t)
        if ops.iscall(t):
            args = ops.arguments(t)
            walk = self._walk
            new = [walk(a, memo) for a in args]
            for a, n in zip(args, new):
                if a is not n:
                    u = maketerm(ops.operation(t), new)
                    break
        r = self.rw(u)
        if r is None:
            r = u
        memo[t] = r
        return r

    def _walk_traced(self, t: Any, memo: dict, tr: tracing.Tracer) -> Any:
        hit = memo.get(t)
        if hit is not None:
            if not _same(hit, t):
                tr.record("(shared subterm, rewritten above)", t, hit)
            return hit
        u = t
        ops = term_ops(t)
        if ops.iscall(t):
            args = ops.arguments(t)
            path = tr.path
            new = []
            for i, a in enumerate(args):
                path.append(i)
                new.append(self._walk_traced(a, memo, tr))
                path.pop()
            for a, n in zip(args, new):
                if a is not n:
                    u = maketerm(ops.operation(t), new)
                    break
        r = self.rw(u)
        if r is None:
            r = u
        memo[t] = r
        return r

    def __repr__(self) -> str:
        return f"Postwalk({_name(self.rw)})"


class Prewalk(Strategy):
    """Rewrite top-down: the node first, then the arguments of the result.

    A rewriter that keeps growing terms below itself makes a Prewalk recurse
    without end; prefer Postwalk under Fixpoint for such rule sets.
    """

    __slots__ = ("rw",)

    def __init__(self, rw: Rewriter) -> None:
        self.rw = rw

    def __call__(self, t: Any) -> Any:
        tr = tracing.ACTIVE
        if tr is not None:
            tr.walk_start()
        return self._walk(t, {}, tr)

    def _walk(self, t: Any, memo: dict, tr: Any) -> Any:
        hit = memo.get(t)
        if hit is not None:
            if tr is not None and not _same(hit, t):
                tr.record("(shared subterm, rewritten above)", t, hit)
            return hit
        r = self.rw(t)
        if r is None:
            r = t
        u = r
        ops = term_ops(r)
        if ops.iscall(r):
            args = ops.arguments(r)
            if tr is None:
                new = [self._walk(a, memo, None) for a in args]
            else:
                new = []
                for i, a in enumerate(args):
                    tr.path.append(i)
                    new.append(self._walk(a, memo, tr))
                    tr.path.pop()
            for a, n in zip(args, new):
                if a is not n:
                    u = maketerm(ops.operation(r), new)
                    break
        memo[t] = u
        return u

    def __repr__(self) -> str:
        return f"Prewalk({_name(self.rw)})"


class Fixpoint(Strategy):
    """Apply ``rw`` until nothing changes, at most ``max_iter`` times.

    "Nothing changes" means no rule fired: a rule set that cycles (``a => b``,
    ``b => a``) keeps firing and stops at the cap, reported as
    ``trace.stopped == "iteration limit"`` (or a ``RewriteWarning`` when untraced).
    """

    __slots__ = ("rw", "max_iter")

    def __init__(self, rw: Rewriter, max_iter: int = 100) -> None:
        if max_iter < 1:
            raise ValueError(f"max_iter must be >= 1, got {max_iter}")
        self.rw = rw
        self.max_iter = max_iter

    def __call__(self, t: Any) -> Any:
        global _UNCHANGED
        outer = _UNCHANGED is None
        if outer:
            _UNCHANGED = {}
        try:
            return self._run(t)
        finally:
            if outer:
                _UNCHANGED = None

    def _run(self, t: Any) -> Any:
        rw = self.rw
        for _ in range(self.max_iter):
            fired = tracing.FIRED
            r = rw(t)
            if r is None:
                return t
            if tracing.FIRED == fired and _same(r, t):
                return t
            t = r
        _hit_limit(self, self.max_iter)
        return t

    def __repr__(self) -> str:
        return f"Fixpoint({_name(self.rw)}, max_iter={self.max_iter})"


def _hit_limit(s: Strategy, n: int) -> None:
    tr = tracing.ACTIVE
    if tr is not None:
        tr.stopped = "iteration limit"
    else:
        warnings.warn(f"{type(s).__name__} stopped at its iteration limit ({n}); "
                      "the rules may cycle", RewriteWarning, stacklevel=3)


class IfElse(Strategy):
    """``yes(t)`` if ``cond(t)`` else ``no(t)`` (``no`` defaults to leaving ``t`` alone)."""

    __slots__ = ("cond", "yes", "no")

    def __init__(self, cond: Callable[[Any], bool], yes: Rewriter,
                 no: Rewriter | None = None) -> None:
        self.cond, self.yes, self.no = cond, yes, no

    def __call__(self, t: Any) -> Any:
        rw = self.yes if self.cond(t) else self.no
        if rw is None:
            return t
        r = rw(t)
        return t if r is None else r

    def __repr__(self) -> str:
        return f"IfElse({_name(self.cond)}, {_name(self.yes)}, {_name(self.no)})"
