"""Fu's combinators with traces that keep only the chosen branch.

``Seq`` is Fu's tuple (apply in turn), ``Best`` Fu's list (each branch from the same
input, the least ``measure`` wins, the first on ties), ``Guarded`` skips a strategy on
terms that call none of the functions it needs.  While a trace is recorded, each
branch of a ``Best`` records into its own tracer and only the winner's steps join
the trace, so the trace replays to the result.

>>> from symnb import symbols
>>> x = symbols("x")
>>> Best(lambda t: t.count_ops(), lambda t: t, lambda t: (x + 1)**2)(x**2 + 2*x + 1)
(1 + x)^2
"""
from __future__ import annotations

from typing import Any, Callable

from .. import recorder
from ...terms.core import Term
from . import trigfamily as tf

__all__ = ["Seq", "Best", "Guarded", "run_traced", "adopt"]


def run_traced(f: Callable[[Term], Term], t: Term) -> tuple[Term, list | None]:
    """``f(t)`` and, while a trace is recorded, the events of this run alone."""
    if recorder.current_tracer() is None:
        return f(t), None
    tr = recorder.Tracer()
    with recorder.active(tr):
        r = f(t)
    return r, tr.events


def adopt(events: list | None) -> None:
    """Append a chosen branch's events to the active trace (paths below its current path)."""
    tr = recorder.current_tracer()
    if tr is None or not events:
        return
    base = tuple(tr.path)
    tr.events.extend((r, base + p, b, a) for r, p, b, a in events)


class Seq:
    """Fu's tuple: apply each transform to the result of the previous one."""

    __slots__ = ("fs",)

    def __init__(self, *fs: Callable[[Term], Term]) -> None:
        self.fs = fs

    def __call__(self, t: Term) -> Term:
        for f in self.fs:
            t = f(t)
        return t


class Best:
    """Fu's list: each branch from the same input; the least ``measure`` wins (first on ties)."""

    __slots__ = ("fs", "measure")

    def __init__(self, measure: Callable[[Term], Any], *fs: Callable[[Term], Term]) -> None:
        self.fs, self.measure = fs, measure

    def __call__(self, t: Term) -> Term:
        best = None
        for f in self.fs:
            r, ev = run_traced(f, t)
            key = self.measure(r)
            if best is None or key < best[0]:
                best = (key, r, ev)
        adopt(best[2])
        return best[1]


class Guarded:
    """``strategy(t)`` only when ``t`` calls one of ``funcs`` (else ``t`` at once): a rule
    set whose rules all need such a call skips the walk over terms without one."""

    __slots__ = ("strategy", "funcs")

    def __init__(self, strategy: Callable[[Term], Term], funcs: frozenset) -> None:
        self.strategy, self.funcs = strategy, funcs

    def __call__(self, t: Term) -> Term:
        if not isinstance(t, Term) or tf.has_calls(t, self.funcs):
            return self.strategy(t)
        return t

    def __repr__(self) -> str:
        return f"Guarded({self.strategy!r})"
