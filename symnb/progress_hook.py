"""Default ``progress`` sinks of long work: hooks holding a factory, resolved lazily (a leaf).

:data:`SOLVE_PROGRESS` serves ODE solves (``symnb.models.ode``) and :data:`COMPILE_PROGRESS`
compiles (``symnb.compiler.progress``); this module imports nothing of symnb's, so both
layers may use it.

``solve`` asks :data:`SOLVE_PROGRESS` for a sink when the caller passes none.  A factory is
``factory(problem, t_span) -> callable(info dict)``, given as an object or, as renderers are
in :mod:`symnb.reprs`, as a ``"module:attribute"`` string, so registering it imports
nothing.  The sink the hook hands out is deferred: the factory is made (and a string
imported) only once a solve has run ``after`` seconds, and a string only where IPython is
loaded, so short solves and scripts never import it.  The root package registers
the notebook bar of ``symnb.display`` this way; models never import display.

>>> hook = ProgressHook(after=0.5)
>>> seen = []
>>> hook.set(lambda problem, t_span: seen.append)
>>> sink = hook.make(None, (0.0, 1.0))
>>> sink(dict(t=0.1, seconds=0.2)); sink(dict(t=0.9, seconds=0.6)); seen
[{'t': 0.9, 'seconds': 0.6}]
>>> hook.set("no_colon")
Traceback (most recent call last):
  ...
ValueError: progress factory spec 'no_colon' must read 'module:attribute'
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

__all__ = ["ProgressHook", "SOLVE_PROGRESS", "COMPILE_PROGRESS"]


class ProgressHook:
    """Holds one progress factory (object, ``"module:attribute"`` or ``None``)."""

    __slots__ = ("_factory", "after")

    def __init__(self, factory: Any = None, after: float = 1.0) -> None:
        self._factory: Any = None
        self.after = after      # seconds a solve runs before its sink is made
        self.set(factory)

    @property
    def factory(self) -> Any:
        """The registration as given (or as resolved): save it to restore it later."""
        return self._factory

    def set(self, factory: Any) -> None:
        """Register ``factory``: a callable, a ``"module:attribute"`` string, or ``None``."""
        if isinstance(factory, str):
            if factory.count(":") != 1:
                raise ValueError(f"progress factory spec {factory!r} must read "
                                 f"'module:attribute'")
        elif factory is not None and not callable(factory):
            raise TypeError(f"a progress factory must be callable, a 'module:attribute' "
                            f"string or None, got {type(factory).__name__}")
        self._factory = factory

    def resolve(self) -> Callable | None:
        """The factory, importing a string spec (only where IPython is loaded)."""
        spec = self._factory
        if not isinstance(spec, str):
            return spec
        if "IPython" not in sys.modules:
            return None
        module, attr = spec.split(":")
        f = getattr(importlib.import_module(module), attr)
        if self._factory is spec:       # not replaced meanwhile: keep the import
            self._factory = f
        return f

    def make(self, problem: Any, t_span: Any) -> Callable[[dict], None] | None:
        """A sink for one solve (``None`` when no factory is registered)."""
        return None if self._factory is None else _Deferred(self, problem, t_span)


class _Deferred:
    """Passes progress dicts to the factory's sink, made once the solve has run long."""

    __slots__ = ("hook", "problem", "t_span", "sink", "off")

    def __init__(self, hook: ProgressHook, problem: Any, t_span: Any) -> None:
        self.hook, self.problem, self.t_span = hook, problem, t_span
        self.sink: Any = None
        self.off = False

    def __call__(self, info: dict) -> None:
        sink = self.sink
        if sink is None:
            if self.off or info.get("seconds", 0.0) < self.hook.after:
                return
            factory = self.hook.resolve()
            if factory is None:
                self.off = True
                return
            sink = self.sink = factory(self.problem, self.t_span)
        sink(info)


SOLVE_PROGRESS = ProgressHook()
"""The hook ``symnb.models.ode.solve`` uses (``set_progress_factory`` sets it)."""

COMPILE_PROGRESS = ProgressHook()
"""The hook of compiles: a factory ``factory(what) -> callable(info dict)``, resolved with
``resolve()`` and called at the start of each compile (the bar it makes waits 2 s before it
shows); ``symnb.compiler.progress.set_compile_progress_factory`` sets it."""
