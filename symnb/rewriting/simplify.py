"""Entry points: ``rewrite(expr, rules)`` and ``simplify(expr, using=...)``.

``simplify`` dispatches on ``using`` through ``SIMPLIFIERS``, a name -> simplifier
registry.  This layer knows only ``"rules"``; higher layers register theirs
(``register_simplifier("egraph", "symnb.egraph.api:egraph_simplify")`` is done by
``symnb/__init__.py``, lazily, so egglog loads on the first ``using="egraph"``).

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

from .. import config
from ..terms.limits import DepthExceeded, deadline
from . import recorder
from .matcher import clear_cache
from .rule import Rule
from .strategies import Chain, Fixpoint, Postwalk

__all__ = ["rewrite", "simplify", "register_simplifier", "get_simplifier", "simplifier_names",
           "SIMPLIFIERS", "default_strategy"]

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

    With ``trace=True`` returns ``(result, RewriteTrace)``.  A term nested beyond what the
    recursive strategies take raises ``DepthExceeded``.

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
    except RecursionError:   # the strategies recurse: a 500-level tower is too deep
        raise DepthExceeded("rewrite") from None
    finally:
        clear_cache()


def _simplify_rules(expr: Any, *, rules: Any = None, trace: bool = False,
                    max_iter: int = DEFAULT_MAX_ITER, measure: Callable[[Any], Any] | None = None,
                    time_limit: float | None = None, max_rounds: int | None = None,
                    timeout: float | None = None) -> Any:
    """``rules`` given: those rules to a fixpoint.  Otherwise the strategy of
    ``simplify_strategy.py`` (``measure``, ``time_limit``, ``max_rounds``) on symnb,
    sympy and symengine terms, and the default rules on other term types.  ``timeout``
    seconds (default ``symnb.config.simplify_seconds``) bound the whole call's wall-clock
    time (``LimitExceeded``); ``time_limit`` only stops the strategy starting new chains."""
    from . import simplify_strategy as st
    native = isinstance(expr, (int, float)) or type(expr).__module__.split(".", 1)[0] in (
        "symnb", "sympy", "symengine")
    extra = {k: v for k, v in (("measure", measure), ("time_limit", time_limit),
                               ("max_rounds", max_rounds)) if v is not None}
    if extra and not (rules is None and native):
        raise TypeError(f"simplify(..., rules=...) takes no {', '.join(extra)}; "
                        f"drop them or leave out rules")
    seconds = config.simplify_seconds if timeout is None else timeout
    with deadline(seconds, "simplify", expr, "timeout", "simplify_seconds"):
        try:
            if rules is None and native:
                return st.strategy_simplify(expr, trace=trace, **extra)
            if rules is None:
                from .rulesets import default_rules
                rules = default_rules()
            return rewrite(expr, rules, trace=trace, max_iter=max_iter)
        except RecursionError:   # the walkers recurse: a 500-level tower is too deep
            raise DepthExceeded("simplify") from None


Simplifier = Callable[..., Any]

SIMPLIFIERS: dict[str, Simplifier | str] = {"rules": _simplify_rules}
"""``using`` name -> simplifier ``fn(expr, **options)``, or ``"module:attr"`` naming one
(imported on first use).  Simplifiers of higher layers (the e-graph's ``"egraph"``)
register themselves; ``symnb/__init__.py`` registers them lazily by name."""


def register_simplifier(name: str, fn: Simplifier | str) -> None:
    """Make ``simplify(expr, using=name)`` call ``fn(expr, **options)``.

    ``fn`` is a callable, or ``"package.module:attr"``: imported on the first
    ``simplify(..., using=name)`` (so registering costs no import).

    >>> register_simplifier("identity", "symnb.terms.walk:nothing-here")
    Traceback (most recent call last):
      ...
    ValueError: simplifier 'identity': 'symnb.terms.walk:nothing-here' is not 'module:attr' (e.g. 'mypkg.simp:my_simplify')
    >>> register_simplifier("identity", lambda e, **kw: e)
    >>> simplify(1, using="identity"); del SIMPLIFIERS["identity"]
    1
    """
    if not isinstance(name, str) or not name:
        raise ValueError("a simplifier needs a non-empty name, e.g. register_simplifier('mine', fn)")
    if isinstance(fn, str):
        mod, _, attr = fn.partition(":")
        if not (attr.isidentifier() and all(p.isidentifier() for p in mod.split("."))):
            raise ValueError(f"simplifier {name!r}: {fn!r} is not 'module:attr' "
                             f"(e.g. 'mypkg.simp:my_simplify')")
    elif not callable(fn):
        raise TypeError(f"simplifier {name!r} must be callable or a 'module:attr' string, "
                        f"got {type(fn).__name__}")
    SIMPLIFIERS[name] = fn


def simplifier_names() -> list[str]:
    """The registered ``using`` names, in registration order.

    >>> simplifier_names()[0]
    'rules'
    """
    return list(SIMPLIFIERS)


def get_simplifier(using: str) -> Simplifier:
    """The simplifier registered as ``using`` (importing a lazy ``"module:attr"`` entry)."""
    fn = SIMPLIFIERS.get(using) if isinstance(using, str) else None
    if fn is None:
        choices = ", ".join(repr(k) for k in SIMPLIFIERS)
        raise ValueError(f"unknown simplifier {using!r}; valid choices: {choices}")
    if isinstance(fn, str):
        import importlib
        mod, _, attr = fn.partition(":")
        fn = getattr(importlib.import_module(mod), attr)
        if SIMPLIFIERS.get(using) is not fn:
            SIMPLIFIERS[using] = fn
    return fn


def simplify(expr: Any, using: str = "rules", **options: Any) -> Any:
    """Simplify ``expr`` (symnb, sympy or symengine term).

    ``using="rules"``: the strategy of ``simplify_strategy.py``: candidates from the
    default rules, ``symnb.polys`` (``cancel``, ``factor``) and the function families
    (``trigsimp``, ``powsimp``, ``radsimp``, ``expand_log``, ...), the least ``measure``
    (default ``count_ops``) wins and never one costlier than ``expr`` (options:
    ``measure``, ``trace``, ``time_limit``, ``max_rounds``, ``timeout`` in seconds, default
    ``symnb.config.simplify_seconds``, past which it raises a one-line ``LimitExceeded``;
    ``rules=`` runs just those rules to a fixpoint, with ``max_iter``).  Other names come from ``register_simplifier``.
    """
    return get_simplifier(using)(expr, **options)
