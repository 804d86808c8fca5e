"""Rule families with sympy's names: powers, radicals, exponentials and logarithms,
trigonometric and hyperbolic functions (Fu's TR rules: ``trig.py``, ``hyperbolic.py``).

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
>>> [r.name for r in family_rules("logcombine")][0]
'logcombine: log(x) + log(y) -> log(x*y) (x, y positive)'
"""
from __future__ import annotations

from typing import Any, Callable

from ..rule import Rule
from . import explog, powers, radicals
from .explog import expand_log, logcombine
from .powers import expand_power_base, powdenest, powsimp
from .radicals import radsimp
from .trig import TR, TRIG_RULESETS, expand_trig, fu, trigsimp
from .hyperbolic import HYPER_RULESETS, hypersimp

__all__ = ["powsimp", "powdenest", "expand_power_base", "radsimp", "expand_log", "logcombine",
           "FAMILIES", "family_rules", "trigsimp", "expand_trig", "fu", "hypersimp", "TR",
           "TRIG_RULESETS", "HYPER_RULESETS"]

FAMILIES: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (powsimp, powdenest, expand_power_base, radsimp, expand_log,
                            logcombine)
}
"""Family name -> its function ``fn(expr, *, trace=False, max_iter=...)``."""


def family_rules(name: str, force: bool = False) -> tuple[Rule, ...]:
    """The rules of family ``name`` (to combine with others in a strategy of one's own).

    ``force=True`` gives the assumption-free variants where the family has them
    (``expand_log``, ``logcombine``).
    """
    if name not in FAMILIES:
        raise ValueError(f"unknown rule family {name!r}; known: {', '.join(sorted(FAMILIES))}")
    if name in ("expand_log", "logcombine"):
        return explog._rules(name, bool(force))
    return radicals._rules() if name == "radsimp" else powers._rules(name)
