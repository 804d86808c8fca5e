"""The refusal symnb gives when a computation would outgrow its budget.

``LimitExceeded`` lives in the lowest layer that raises it (the term core) and is
re-exported by :mod:`symnb.errors`.  Its message is one line naming the input (abbreviated),
the estimated size, the limit and the keyword or ``symnb.config`` field that raises it:

>>> raise LimitExceeded("expand", "(x + 1)^5000000", "terms", 5000001, 1000000,
...                     "max_terms", "max_expand_terms")
Traceback (most recent call last):
  ...
symnb.terms.limits.LimitExceeded: expand((x + 1)^5000000): about 5000001 terms, limit 1000000; pass max_terms=... or set symnb.config.max_expand_terms
>>> abbreviate("x + " * 40 + "y", 20)
'x + x + … x + x + y'
"""
from __future__ import annotations

from typing import Any

__all__ = ["LimitExceeded", "DepthExceeded", "abbreviate", "deadline"]


def abbreviate(text: Any, width: int = 60) -> str:
    """``str(text)`` on one line, cut in the middle to at most ``width`` characters."""
    s = " ".join(str(text).split())
    if len(s) <= width:
        return s
    half = (width - 3) // 2
    return f"{s[:half].rstrip()} … {s[len(s) - (width - 3 - half):].lstrip()}"


def _shown(what: Any) -> str:
    """Abbreviated text of an input; a term too deep to print shows its kind."""
    try:
        return abbreviate(what)
    except RecursionError:
        return f"<{type(what).__name__} too deeply nested to print>"


def _amount(v: Any) -> str:
    """``str(v)``, with an integer of more than 30 digits as ``10^N`` (its decimal exponent;
    ``str`` of an int refuses beyond 4,300 digits).

    >>> _amount(12), _amount(7 ** 9000)
    ('12', '10^7605')
    """
    if type(v) is int and v.bit_length() > 100:
        import math
        return f"{'-' if v < 0 else ''}10^{int(math.log10(abs(v)))}"
    return str(v)


class LimitExceeded(ValueError):
    """A computation refused because its estimated result exceeds a limit.

    Attributes: ``operation``, ``estimate``, ``limit``, ``keyword`` (raises the limit for
    one call) and ``field`` (the ``symnb.config`` default)."""

    def __init__(self, operation: str, what: Any, unit: str, estimate: Any, limit: Any,
                 keyword: str | None = None, field: str | None = None) -> None:
        self.operation, self.unit = operation, unit
        self.estimate, self.limit = estimate, limit
        self.keyword, self.field = keyword, field
        how = []
        if keyword:
            how.append(f"pass {keyword}=...")
        if field:
            how.append(f"set symnb.config.{field}")
        fix = f"; {' or '.join(how)}" if how else ""
        size = f"about {_amount(estimate)} {unit}, limit {limit}" if estimate is not None else \
            f"stopped at its limit of {limit} {unit}"
        super().__init__(f"{operation}({_shown(what)}): {size}{fix}")


class DepthExceeded(LimitExceeded):
    """A term nested too deeply for a recursive algorithm (printing, conversion)."""

    def __init__(self, operation: str) -> None:
        self.operation, self.unit, self.estimate = operation, "levels", None
        self.limit, self.keyword, self.field = "the recursion limit", None, None
        ValueError.__init__(self, f"{operation}: expression nested too deeply (beyond Python's "
                            f"recursion limit); build it with fewer nested levels")


class _Expired(BaseException):
    """Raised asynchronously in the thread of an expired :class:`deadline` (never escapes it)."""


REFIRE_SECONDS = 0.05
"""How soon an expired :class:`deadline` whose block is still running fires again (also
how long it waits while that thread is inside an ``import``)."""


def _importing(tid: int) -> bool:
    """Whether thread ``tid`` is executing an ``import``: an exception raised there would
    leave a package half-initialised (``numba`` without ``numba.core``), so it waits."""
    import sys
    f = sys._current_frames().get(tid)
    while f is not None:
        if f.f_code.co_filename.startswith("<frozen importlib"):
            return True
        f = f.f_back
    return False


class _Watchdog:
    """One daemon thread that fires every pending :class:`deadline` at its expiry (a heap
    of ``(when, seq, deadline)``), so entering a deadline costs a heap push, not a thread."""

    def __init__(self) -> None:
        self._reset()
        import os
        if hasattr(os, "register_at_fork"):   # a forked child has no watchdog thread (and
            os.register_at_fork(after_in_child=self._reset)   # maybe a lock held): start anew

    def _reset(self) -> None:
        import threading
        self._cond = threading.Condition()
        self._heap: list = []
        self._seq = 0
        self._thread: Any = None

    def add(self, when: float, entry: "deadline") -> None:
        import heapq
        import threading
        with self._cond:
            self._seq += 1
            heapq.heappush(self._heap, (when, self._seq, entry))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="symnb-deadline",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        import heapq
        import time
        with self._cond:
            while True:
                while self._heap and self._heap[0][2]._done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                entry = heapq.heappop(self._heap)[2]
                if not _importing(entry._tid):
                    entry._fire()
                if not entry._done:
                    # an asynchronous exception that lands in a weakref callback or a
                    # __del__ is printed and swallowed: fire again until the block ends
                    self._seq += 1
                    heapq.heappush(self._heap, (time.monotonic() + REFIRE_SECONDS,
                                                self._seq, entry))


_WATCHDOG = _Watchdog()


class deadline:
    """Stop the Python code inside the ``with`` block after ``seconds`` of wall-clock time.

    A shared watchdog thread raises an exception in the blocked thread at its next bytecode
    (long calls into C finish first); the block then ends with a one-line
    :class:`LimitExceeded` naming ``operation``, ``what``, the limit and ``keyword``/``field``.
    ``seconds=None`` or ``inf`` sets no limit.

    >>> with deadline(0.05, "spin", "while True", "timeout"):
    ...     while True:
    ...         pass
    Traceback (most recent call last):
      ...
    symnb.terms.limits.LimitExceeded: spin(while True): stopped at its limit of 0.05 s; pass timeout=...
    """

    def __init__(self, seconds: float | None, operation: str, what: Any = "…",
                 keyword: str | None = None, field: str | None = None) -> None:
        self.seconds, self.operation, self.what = seconds, operation, what
        self.keyword, self.field = keyword, field
        self._armed = False
        self._done = False

    def __enter__(self) -> "deadline":
        import math
        import threading
        import time
        if self.seconds is None or math.isinf(self.seconds):
            return self
        if self.seconds <= 0:
            raise ValueError(f"{self.operation}: a time limit must be positive, got "
                             f"{self.seconds}")
        self._marker = type("_Expired", (_Expired,), {})
        self._lock = threading.Lock()
        self._fired = False
        self._tid = threading.get_ident()
        self._armed = True
        _WATCHDOG.add(time.monotonic() + self.seconds, self)
        return self

    def _fire(self) -> None:
        import ctypes
        with self._lock:
            if not self._done:
                self._fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid),
                                                           ctypes.py_object(self._marker))

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
        if not self._armed:
            return False
        import ctypes
        expired = kind is not None and issubclass(kind, self._marker)
        try:
            with self._lock:
                self._done = True
                if self._fired and not expired:    # fired but not delivered yet: withdraw it
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid), None)
        except self._marker:
            expired = True
        if expired:
            raise LimitExceeded(self.operation, self.what, "s", None, f"{self.seconds:g}",
                                self.keyword, self.field) from None
        return False
