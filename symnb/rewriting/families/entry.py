"""The common entry of the family simplifiers: input checks, sympy round trip, traces.

>>> from symnb import symbols
>>> x = symbols("x")
>>> run_entry(x + 1, lambda t: t, False, "identity")
1 + x
>>> run_entry("x", lambda t: t, False, "trigsimp")
Traceback (most recent call last):
  ...
TypeError: trigsimp expects a symnb or sympy expression, got str; parse text with symnb.parse
"""
from __future__ import annotations

from typing import Any, Callable

from .. import recorder
from ..matcher import clear_cache
from ...terms.core import Number, Term
from .trigfamily import clear_memo

__all__ = ["run_entry"]


def run_entry(expr: Any, fn: Callable[[Term], Term], trace: bool, name: str) -> Any:
    """``fn`` on ``expr`` as a native term (sympy input is converted there and back);
    with ``trace`` also the ``RewriteTrace`` of the steps that made the result."""
    back = None
    if isinstance(expr, Term):
        t = expr
    elif isinstance(expr, (int, float)) and not isinstance(expr, bool):
        t = Number(expr)
    elif type(expr).__module__.split(".", 1)[0] == "sympy":
        from ...terms.sympy_bridge import from_sympy, to_sympy
        t, back = from_sympy(expr), to_sympy
    else:
        raise TypeError(f"{name} expects a symnb or sympy expression, got "
                        f"{type(expr).__name__}; parse text with symnb.parse")
    try:
        if not trace:
            r = fn(t)
            return r if back is None else back(r)
        from ..steps import RewriteTrace
        tracer = recorder.Tracer()
        with recorder.active(tracer):
            r = fn(t)
        rt = RewriteTrace(t, r, tracer.events, tracer.stopped or "done", name)
        return (r if back is None else back(r)), rt
    finally:
        clear_cache()
        clear_memo()
