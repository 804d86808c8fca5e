"""What every family of rules shares: named rules built once, applied to a fixpoint.

A family is a named rule set.  Each rule is named ``"<family>: <what it does>"``
so a ``RewriteTrace`` says which family and which identity made each step.

>>> from symnb import symbols, exp
>>> x, y = symbols("x y")
>>> rules = family("demo", [("exp(a)*exp(b) -> exp(a+b)", "exp(~x) * exp(~y) => exp(~x + ~y)")])
>>> [r.name for r in rules]
['demo: exp(a)*exp(b) -> exp(a+b)']
>>> run(exp(x) * exp(y), rules)
exp(x + y)
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from ..rule import Rule, rule
from ..simplify import DEFAULT_MAX_ITER, rewrite

__all__ = ["family", "run"]

Spec = tuple  # (label, "lhs => rhs") or (label, "lhs", fn(match) -> term | None)


def family(name: str, specs: Iterable[Spec]) -> tuple[Rule, ...]:
    """Build the rules of family ``name`` from ``(label, text)`` or ``(label, lhs, fn)``."""
    out = []
    for spec in specs:
        label, lhs = spec[0], spec[1]
        rhs: Callable | None = spec[2] if len(spec) > 2 else None
        out.append(rule(lhs, rhs, name=f"{name}: {label}"))
    return tuple(out)


def run(expr: Any, rules: Iterable[Rule], trace: bool = False,
        max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Rewrite ``expr`` with ``rules`` everywhere, bottom-up, to a fixpoint."""
    return rewrite(expr, list(rules), trace=trace, max_iter=max_iter)
