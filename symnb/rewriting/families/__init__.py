"""Rule families with sympy's names: powers, radicals, exponentials and logarithms.

Each family is a named rule set (its rules show as ``"powsimp: ..."`` in a
``RewriteTrace``) and a function usable alone: ``powsimp``, ``powdenest``,
``expand_power_base``, ``radsimp``, ``expand_log``, ``logcombine``.  Rules
that need an assumption check it (see ``predicates.py``), so every family is
value-preserving on the whole complex plane unless called with ``force=True``.

>>> from symnb import symbols, log
>>> p = symbols("p", positive=True)
>>> result, tr = expand_log(log(p**3), trace=True)
>>> result, tr.steps[0].rule
(3*log(p), 'expand_log: log(x^n) -> n*log(x) (x positive, n real)')
>>> sorted(FAMILIES)
['expand_log', 'expand_power_base', 'logcombine', 'powdenest', 'powsimp', 'radsimp']
"""
from __future__ import annotations

from typing import Any, Callable

from .explog import expand_log, logcombine
from .powers import expand_power_base, powdenest, powsimp
from .radicals import radsimp

__all__ = ["powsimp", "powdenest", "expand_power_base", "radsimp", "expand_log", "logcombine",
           "FAMILIES"]

FAMILIES: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (powsimp, powdenest, expand_power_base, radsimp, expand_log,
                            logcombine)
}
"""Family name -> its function ``fn(expr, *, trace=False, max_iter=...)``."""
