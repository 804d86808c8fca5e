"""The recording side of rewrite traces: cheap hooks that rules and walkers call.

While a ``Tracer`` is active (``with active(tracer):``), every rule that fires
records ``(rule name, path, before, after)``; walkers keep ``tracer.path``
(argument indices from the root) and mark where a new walk starts.  With no
tracer active the hooks cost one global read.  ``steps.py`` turns the records
into a ``RewriteTrace``.

>>> from symnb.rewriting import recorder
>>> t = Tracer()
>>> with active(t):
...     recorder.ACTIVE is t
True
>>> recorder.ACTIVE is None
True
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

__all__ = ["Tracer", "active", "ACTIVE", "FIRED"]

ACTIVE: "Tracer | None" = None
FIRED = 0
"""How many times any rule has fired (Fixpoint uses it to see rules that cycle)."""


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


@contextmanager
def active(tracer: Tracer) -> Iterator[Tracer]:
    """Make ``tracer`` the active one for the duration of the block."""
    global ACTIVE
    prev = ACTIVE
    ACTIVE = tracer
    try:
        yield tracer
    finally:
        ACTIVE = prev
