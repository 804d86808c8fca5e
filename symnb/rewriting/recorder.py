"""The bookkeeping of a rewrite in progress, held in a context variable.

``STATE`` holds the ``RewriteState`` of the rewrite running in this context (None
when nothing is being traced and no ``Fixpoint`` runs):

* ``tracer``: while a ``Tracer`` is active (``with active(tracer):``), every rule
  that fires records ``(rule name, path, before, after)``; walkers keep
  ``tracer.path`` (argument indices from the root) and mark where a new walk
  starts.  ``steps.py`` turns the records into a ``RewriteTrace``.
* ``fired``: how many times any rule has fired (``Fixpoint`` compares it to see
  rules that cycle, and walkers to see a subterm on which nothing fired);
* ``unchanged``: while a ``Fixpoint`` runs, each pure walker's or chain's set of
  terms on which a whole pass fired no rule (see ``strategies.py``).

No module-level variable is switched: nested and concurrent rewrites (threads,
asyncio tasks) each see their own state.  With nothing active the hooks cost
one ``STATE.get()``.

>>> t = Tracer()
>>> with active(t):
...     STATE.get().tracer is t
True
>>> STATE.get() is None
True
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

__all__ = ["Tracer", "RewriteState", "STATE", "active", "fixpoint_state", "current_tracer"]


class Tracer:
    """Collects rewrite events.  ``events``: ``(rule, path, before, after)``; a ``None`` rule
    marks the start of a walk at ``path`` (the subterm there is re-read from scratch)."""

    __slots__ = ("path", "events", "stopped")

    def __init__(self) -> None:
        self.path: list = []
        self.events: list = []
        self.stopped: str | None = None

    def record(self, rule: str, before: Any, after: Any) -> None:
        self.events.append((rule, tuple(self.path), before, after))

    def walk_start(self) -> None:
        self.events.append((None, tuple(self.path), None, None))


class RewriteState:
    """The tracer, fired-rule counter and Fixpoint memo of one rewrite (see the module doc)."""

    __slots__ = ("tracer", "fired", "unchanged")

    def __init__(self, tracer: Tracer | None = None, unchanged: dict | None = None) -> None:
        self.tracer = tracer
        self.fired = 0
        self.unchanged = unchanged


STATE: ContextVar[RewriteState | None] = ContextVar("symnb_rewrite_state", default=None)


def current_tracer() -> Tracer | None:
    """The active tracer of this context, or None."""
    st = STATE.get()
    return None if st is None else st.tracer


@contextmanager
def active(tracer: Tracer) -> Iterator[Tracer]:
    """Make ``tracer`` the active one for the duration of the block."""
    token = STATE.set(RewriteState(tracer))
    try:
        yield tracer
    finally:
        STATE.reset(token)


@contextmanager
def fixpoint_state() -> Iterator[RewriteState]:
    """A fresh state for an outermost ``Fixpoint``: the current tracer, zero fired
    rules and an empty memo, for the duration of the block.

    >>> t = Tracer()
    >>> with active(t), fixpoint_state() as st:
    ...     STATE.get() is st, st.tracer is t, st.unchanged
    (True, True, {})
    """
    st = STATE.get()
    new = RewriteState(None if st is None else st.tracer, {})
    token = STATE.set(new)
    try:
        yield new
    finally:
        STATE.reset(token)
