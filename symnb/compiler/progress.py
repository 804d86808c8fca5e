"""Compile progress as plain data: phases reported to a ``progress=`` callback.

A long compile (lowering, planning, code generation, numba; a Jacobian's
differentiation) reports dicts ``{what, phase, step, steps, fraction, seconds,
done, interrupted}`` to a callback, at each phase and every ~0.1 s inside a
long one.  Nothing here draws: ``symnb.display.compile_progress`` registers a
factory (``set_compile_progress_factory``, held by ``symnb.progress_hook.COMPILE_PROGRESS``;
the root package registers it by name, imported only where IPython is loaded) whose
callbacks show a notebook bar once a compile has run 2 s.  An interrupt (Ctrl-C, a kernel interrupt) ends the
report with ``interrupted=True`` and propagates; nothing half-built is kept.

>>> seen = []
>>> rep = Reporter(seen.append, ["lower", "numba"], what="f")
>>> rep.phase("lower"); rep.tick(5, 10); rep.phase("numba"); rep.finish()
>>> [(d["phase"], d["step"], round(d["fraction"], 2), d["done"]) for d in seen]
[('lower', 1, 0.0, False), ('numba', 2, 0.5, False), ('numba', 2, 1.0, True)]
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

__all__ = ["Reporter", "set_compile_progress_factory", "reporter_for", "reporting"]

from ..progress_hook import COMPILE_PROGRESS

COMPILE_PHASES = ("lower", "plan", "codegen", "numba")
"""The phases of one ``compile_array``."""


def set_compile_progress_factory(factory: Callable[[str], Any] | str | None) -> None:
    """Make ``factory(what)`` give the default ``progress`` callback of every compile
    (a callable, a ``"module:attribute"`` string, or ``None``: no default).  The root
    package installs the notebook bar of ``symnb.display`` this way, by name."""
    COMPILE_PROGRESS.set(factory)


class Reporter:
    """Reports the phases ``steps`` of a compile to ``sink`` (``None``: reports nothing).

    ``prefix`` names the part being compiled when one reporter spans several compiles
    (an ODE problem's RHS and Jacobian): phase ``name`` is reported as
    ``f"{prefix} {name}"`` and looked up under that name in ``steps``.
    """

    def __init__(self, sink: Callable[[dict], Any] | None, steps: Sequence[str],
                 what: str = "compile") -> None:
        self.sink = sink
        self.steps = list(steps)
        self.what = what
        self.prefix = ""
        self._step = 0
        self._name = ""
        self._t0 = time.perf_counter()
        self._last = self._t0

    def _report(self, within: float, done: bool = False, interrupted: bool = False) -> None:
        now = time.perf_counter()
        self._last = now
        n = max(len(self.steps), 1)
        frac = 1.0 if done and not interrupted else min((self._step - 1 + within) / n, 1.0)
        self.sink({"what": self.what, "phase": self._name, "step": self._step,  # type: ignore
                   "steps": len(self.steps), "fraction": max(frac, 0.0),
                   "seconds": now - self._t0, "done": done, "interrupted": interrupted})

    def phase(self, name: str) -> None:
        """Start phase ``name``."""
        if self.sink is None:
            return
        full = f"{self.prefix} {name}" if self.prefix else name
        self._name = full
        self._step = self.steps.index(full) + 1 if full in self.steps else self._step + 1
        self._report(0.0)

    def tick(self, done: int, total: int) -> None:
        """``done`` of ``total`` items of the current phase (reported every ~0.1 s)."""
        if self.sink is None or time.perf_counter() - self._last < 0.1:
            return
        self._report(done / total if total else 1.0)

    def finish(self, interrupted: bool = False) -> None:
        """The last report: ``done`` (and ``interrupted`` when the compile was stopped)."""
        if self.sink is not None:
            self._report(0.0, done=True, interrupted=interrupted)


def reporter_for(progress: Any, steps: Sequence[str], what: str) -> tuple[Reporter, bool]:
    """``(reporter, owned)`` for a ``progress=`` argument: a ``Reporter`` (shared, not
    owned), a callback, ``False`` (none) or ``None`` (the registered default, if any)."""
    if isinstance(progress, Reporter):
        return progress, False
    if progress is None:
        factory = COMPILE_PROGRESS.resolve()
        if factory is not None:
            progress = factory(what)
    if progress is False or progress is None:
        return Reporter(None, steps, what), True
    if not callable(progress):
        raise TypeError(f"progress must be a callable taking a dict, False or None, got "
                        f"{type(progress).__name__}")
    return Reporter(progress, steps, what), True


@contextmanager
def reporting(reporter: Reporter, owned: bool) -> Iterator[Reporter]:
    """Finish an owned reporter when the block ends; an interrupt or error is reported as
    ``interrupted`` (by whoever owns the reporter) and propagates."""
    try:
        yield reporter
    except BaseException:
        if owned:
            reporter.finish(interrupted=True)
        raise
    if owned:
        reporter.finish()
