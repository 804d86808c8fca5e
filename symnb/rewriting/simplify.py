"""Entry points: ``rewrite(expr, rules)`` and ``simplify(expr, using=...)``.

``simplify`` dispatches on ``using`` through ``SIMPLIFIERS``; the e-graph
simplifier registers itself there (``register_simplifier("egraph", fn)``).

>>> from symnb import symbols, sin, cos, exp, log
>>> x, y = symbols("x y")
>>> r = symbols("r", real=True)
>>> simplify(sin(x)**2 + cos(x)**2 + log(exp(r)))
1 + r
>>> simplify(log(exp(y)))       # y may be complex: log(exp(2*pi*I)) is 0, not 2*pi*I
log(exp(y))
>>> simplify(x, using="magic")
Traceback (most recent call last):
  ...
ValueError: unknown simplifier 'magic'; valid choices: 'rules', 'egraph'
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from . import recorder
from .matcher import clear_cache
from .rule import Rule
from .strategies import Chain, Fixpoint, Postwalk

__all__ = ["rewrite", "simplify", "register_simplifier", "SIMPLIFIERS", "default_strategy"]

DEFAULT_MAX_ITER = 100


def default_strategy(rules: Iterable[Any], max_iter: int = DEFAULT_MAX_ITER) -> Fixpoint:
    """``Fixpoint(Postwalk(Chain(rules)))``: rewrite everywhere, bottom-up, until nothing fires."""
    return Fixpoint(Postwalk(Chain(rules)), max_iter=max_iter)


def _as_strategy(rules: Any, max_iter: int) -> Callable[[Any], Any]:
    if isinstance(rules, Rule):
        return default_strategy([rules], max_iter)
    if callable(rules):
        return rules
    try:
        rs = list(rules)
    except TypeError:
        raise TypeError(f"rewrite expects a strategy, a rule or a list of rules, got "
                        f"{type(rules).__name__}") from None
    for r in rs:
        if not callable(r):
            raise TypeError(f"not a rule or strategy: {r!r}")
    return default_strategy(rs, max_iter)


def rewrite(expr: Any, rules: Any, *, trace: bool = False,
            max_iter: int = DEFAULT_MAX_ITER) -> Any:
    """Rewrite ``expr`` with a strategy, or a list of rules (under ``default_strategy``).

    With ``trace=True`` returns ``(result, RewriteTrace)``.

    >>> from symnb import symbols
    >>> from symnb.rewriting.rule import rule
    >>> x, y = symbols("x y")
    >>> result, tr = rewrite(x*y + x, [rule("~x + ~y*~x => (1 + ~y)*~x", name="factor")], trace=True)
    >>> result, len(tr), tr.steps[0].rule, tr.stopped
    (x*(1 + y), 1, 'factor', 'fixpoint')
    """
    strategy = _as_strategy(rules, max_iter)
    try:
        if not trace:
            r = strategy(expr)
            return expr if r is None else r
        from .steps import RewriteTrace
        tracer = recorder.Tracer()
        with recorder.active(tracer):
            r = strategy(expr)
        r = expr if r is None else r
        stopped = tracer.stopped or ("fixpoint" if isinstance(strategy, Fixpoint) else "done")
        return r, RewriteTrace(expr, r, tracer.events, stopped, repr(strategy))
    finally:
        clear_cache()


def _simplify_rules(expr: Any, *, rules: Any = None, trace: bool = False,
                    max_iter: int = DEFAULT_MAX_ITER) -> Any:
    if rules is None:
        from .rulesets import default_rules
        rules = default_rules()
    return rewrite(expr, rules, trace=trace, max_iter=max_iter)


def _simplify_egraph(expr: Any, **options: Any) -> Any:
    """``using="egraph"``: ``symnb.egraph.egraph_simplify``, imported (with egglog) on first use."""
    from ..egraph.api import egraph_simplify
    return egraph_simplify(expr, **options)


SIMPLIFIERS: dict[str, Callable[..., Any]] = {"rules": _simplify_rules, "egraph": _simplify_egraph}
"""``using`` name -> simplifier ``fn(expr, **options)``."""


def register_simplifier(name: str, fn: Callable[..., Any]) -> None:
    """Make ``simplify(expr, using=name)`` call ``fn(expr, **options)``."""
    if not isinstance(name, str) or not name:
        raise ValueError("a simplifier needs a non-empty name")
    SIMPLIFIERS[name] = fn


def simplify(expr: Any, using: str = "rules", **options: Any) -> Any:
    """Simplify ``expr`` (symnb, sympy or symengine term).

    ``using="rules"``: the default rule sets to a fixpoint (options: ``rules``,
    ``trace``, ``max_iter``).  Other names come from ``register_simplifier``.
    """
    fn = SIMPLIFIERS.get(using) if isinstance(using, str) else None
    if fn is None:
        choices = ", ".join(repr(k) for k in SIMPLIFIERS)
        raise ValueError(f"unknown simplifier {using!r}; valid choices: {choices}")
    return fn(expr, **options)
