"""Rewriting strategies: tiny composable callables (as in SymbolicUtils.jl).

Each strategy maps a term to a term (rules map to ``None`` when they do not
apply; strategies treat that as "unchanged").  They walk terms only through
the term interface, so one strategy object rewrites symnb, sympy and
symengine terms alike.

>>> from symnb import symbols, sin, cos
>>> from symnb.rewriting.rule import rule
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

from .recorder import STATE, RewriteState, Tracer, current_tracer, fixpoint_state
from .matcher import _CACHE, _info
from ..terms.interface import maketerm, term_ops

__all__ = ["Strategy", "Chain", "RestartedChain", "Postwalk", "Prewalk", "Fixpoint", "IfElse",
           "PassThrough", "RewriteWarning"]

Rewriter = Callable[[Any], Any]


class RewriteWarning(UserWarning):
    """A strategy stopped at its iteration cap without a trace to report it in."""


def _done_set(walker: Strategy, rw: Any, st: RewriteState | None) -> "set | None":
    """Inside a Fixpoint, the walker's set of subterms on which a whole walk fired no rule
    (kept only when ``rw`` is pure: a ``Rule``, or a chain of ``Rule`` objects)."""
    memo = None if st is None else st.unchanged
    if memo is None:
        return None
    done = memo.get(walker)
    if done is None:
        from .rule import Rule
        pure = type(rw) is Rule or (isinstance(rw, Chain) and rw._pure)
        if not pure:
            return None
        done = memo[walker] = set()
    return done


_KEEP = object()
"""Walk memo value for "unchanged": the walker returns the very object it was given, so a
structurally equal but distinct copy (sympy) does not make its parent look rewritten."""


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

    Rules that cannot apply to the current term are skipped without being
    called: those whose pattern head (``Add``, ``sin``, ...) differs from the
    term's, and those needing an operation or literal that occurs nowhere in
    the term (``Rule.need`` against the term's feature mask; the applicable
    list is built once per head and mask).  Inside a ``Fixpoint``, a chain of
    ``Rule`` objects remembers the terms on which none of its rules fired and
    returns them at once on the next iteration (rules are pure functions of
    the term).
    """

    __slots__ = ("rws", "_heads", "_needs", "_fns", "_table", "_pure", "_masked")

    def __init__(self, rws: Iterable[Rewriter]) -> None:
        from .rule import Rule
        self.rws = tuple(rws)
        self._heads = tuple(getattr(rw, "head", None) for rw in self.rws)
        self._needs = tuple(rw.need if type(rw) is Rule else 0 for rw in self.rws)
        # a Rule's feature check is done here, once per term, so call it unchecked
        self._fns = tuple(rw.apply if type(rw) is Rule else rw for rw in self.rws)
        self._table: dict = {}
        self._pure = all(type(rw) is Rule for rw in self.rws)
        self._masked = any(self._needs)   # else the head alone selects the rewriters

    def _applicable(self, head: Any, mask: int = -1) -> list:
        """Indices of the rewriters that may apply to a term with this head and feature mask."""
        key = (head, mask)
        lst = self._table.get(key)
        if lst is None:
            if head is None:
                head = "<leaf>"
            if len(self._table) > 10_000:
                self._table.clear()
            lst = self._table[key] = [
                i for i, (h, need) in enumerate(zip(self._heads, self._needs))
                if (h is None or h == head or
                    (isinstance(h, frozenset) and (head in h or (head == "<leaf>" and None in h))))
                and not (need & ~mask)]
        return lst

    def __call__(self, t: Any) -> Any:
        st = STATE.get() if self._pure else None
        memo = None if st is None else st.unchanged
        if memo is not None:
            seen = memo.get(self)
            if seen is None:
                seen = memo[self] = set()
            try:
                if t in seen:
                    return t
            except TypeError:  # unhashable term: no memo
                return self._apply(t)
            fired = st.fired
            r = self._apply(t)
            if r is t and st.fired == fired:
                seen.add(t)
            return r
        return self._apply(t)

    def _apply(self, t: Any) -> Any:
        fns = self._fns
        lst = self._for(t)
        k = 0
        while k < len(lst):
            i = lst[k]
            r = fns[i](t)
            k += 1
            if r is not None and r is not t:
                t = r
                lst = self._for(t)
                k = bisect_left(lst, i + 1)
        return t

    def _for(self, t: Any) -> list:
        if not self._masked:
            return self._applicable(term_ops(t).head(t))
        try:
            info = _CACHE.get(t)
            if info is None:
                info = _info(t)
        except TypeError:  # unhashable term: filter by head only
            return self._applicable(term_ops(t).head(t))
        return self._applicable(info.head, info.mask)

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
        fns = self._fns
        for _ in range(self.max_restarts):
            for i in self._for(t):
                r = fns[i](t)
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

    Shared subterms (a DAG) are rewritten once per walk (memoised).  Inside a
    ``Fixpoint``, when the rewriter is made of ``Rule`` objects only (pure
    functions of the term), a subterm whose whole walk fired no rule is
    remembered and not walked again on later iterations.
    """

    __slots__ = ("rw",)

    def __init__(self, rw: Rewriter) -> None:
        self.rw = rw

    def __call__(self, t: Any) -> Any:
        st = STATE.get()
        if st is None:
            return _postwalk(t, self.rw, None, None, None)
        tr = st.tracer
        if tr is not None:
            tr.walk_start()
        return _postwalk(t, self.rw, tr, _done_set(self, self.rw, st), st)

    def __repr__(self) -> str:
        return f"Postwalk({_name(self.rw)})"


def _postwalk(root: Any, rw: Rewriter, tr: Tracer | None, done: "set | None",
              st: RewriteState | None) -> Any:
    """One bottom-up walk of ``root`` (shared subterms once), traced when ``tr`` is a
    tracer; ``done`` (with the state ``st`` counting fired rules) is the Fixpoint memo
    of ``_done_set``, or None.  The walk is a closure: its recursive calls pass one
    argument, so the untraced walk costs what a walk made for it alone would."""
    memo: dict = {}

    def walk(t: Any) -> Any:
        hit = memo.get(t)
        if hit is not None:
            if hit is _KEEP:
                return t
            if tr is not None and not _same(hit, t):
                tr.record("(shared subterm, rewritten above)", t, hit)
            return hit
        if done is not None:
            if t in done:
                memo[t] = _KEEP
                return t
            fired = st.fired  # type: ignore[union-attr]
        u = t
        ops = term_ops(t)
        if ops.iscall(t):
            args = ops.arguments(t)
            if tr is None:
                new = [walk(a) for a in args]
            else:
                path = tr.path
                new = []
                for i, a in enumerate(args):
                    path.append(i)
                    new.append(walk(a))
                    path.pop()
            for a, n in zip(args, new):
                if a is not n:
                    u = maketerm(ops.operation(t), new)
                    break
        r = rw(u)
        if r is None:
            r = u
        if r is t:
            memo[t] = _KEEP
            if done is not None and st.fired == fired:  # type: ignore[union-attr]
                done.add(t)
        else:
            memo[t] = r
        return r

    return walk(root)


class Prewalk(Strategy):
    """Rewrite top-down: the node first, then the arguments of the result.

    A rewriter that keeps growing terms below itself makes a Prewalk recurse
    without end; prefer Postwalk under Fixpoint for such rule sets.
    """

    __slots__ = ("rw",)

    def __init__(self, rw: Rewriter) -> None:
        self.rw = rw

    def __call__(self, t: Any) -> Any:
        tr = current_tracer()
        if tr is not None:
            tr.walk_start()
        return self._walk(t, {}, tr)

    def _walk(self, t: Any, memo: dict, tr: Any) -> Any:
        hit = memo.get(t)
        if hit is not None:
            if hit is _KEEP:
                return t
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
        memo[t] = _KEEP if u is t else u
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
        st = STATE.get()
        if st is not None and st.unchanged is not None:   # inside an enclosing Fixpoint
            return self._run(t, st)
        with fixpoint_state() as st:
            return self._run(t, st)

    def _run(self, t: Any, st: RewriteState) -> Any:
        rw = self.rw
        for _ in range(self.max_iter):
            fired = st.fired
            r = rw(t)
            if r is None:
                return t
            if st.fired == fired and _same(r, t):
                return t
            t = r
        _hit_limit(self, self.max_iter)
        return t

    def __repr__(self) -> str:
        return f"Fixpoint({_name(self.rw)}, max_iter={self.max_iter})"


def _hit_limit(s: Strategy, n: int) -> None:
    tr = current_tracer()
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
