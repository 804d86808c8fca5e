"""Named slot predicates (``~x::is_number``), written against the term interface.

The ``is_*`` predicates look at the shape of a term (``is_positive``: a
numeric leaf > 0).  The assumption predicates, named after sympy's facts
(``~x::positive``, ``real``, ``integer``, ``nonnegative``, ``nonpositive``,
``negative``, ``nonzero``), hold when ``ask`` proves the fact from the
symbols' assumptions: rules valid only under an assumption use them.

>>> from symnb import symbols
>>> x, = symbols("x"),
>>> is_number(x), is_symbol(x), is_integer(x ** 0)
(False, True, True)
>>> p = symbols("p", positive=True)
>>> PREDICATES["positive"](p + 1), PREDICATES["positive"](x), PREDICATES["real"](p - 3)
(True, False, True)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from ..terms.assumptions import FACTS, ask
from ..terms.interface import iscall, isnumber, issym, numvalue

__all__ = ["PREDICATES", "resolve_predicate", "is_number", "is_integer", "is_positive",
           "is_negative", "is_nonzero", "not_number", "is_symbol", "is_call", "is_exact", "proven"]


def is_number(t: Any) -> bool:
    """A numeric leaf."""
    return isnumber(t)


def is_integer(t: Any) -> bool:
    """An exact integer leaf."""
    return isnumber(t) and type(numvalue(t)) is int


def is_exact(t: Any) -> bool:
    """An exact (int or Fraction) numeric leaf."""
    return isnumber(t) and type(numvalue(t)) in (int, Fraction)


def is_positive(t: Any) -> bool:
    """A numeric leaf > 0."""
    return isnumber(t) and numvalue(t) > 0


def is_negative(t: Any) -> bool:
    """A numeric leaf < 0."""
    return isnumber(t) and numvalue(t) < 0


def is_nonzero(t: Any) -> bool:
    """A numeric leaf != 0."""
    return isnumber(t) and numvalue(t) != 0


def not_number(t: Any) -> bool:
    """Anything but a numeric leaf."""
    return not isnumber(t)


def is_symbol(t: Any) -> bool:
    """A symbol."""
    return issym(t)


def is_call(t: Any) -> bool:
    """A compound term."""
    return iscall(t)


PREDICATES: dict[str, Callable[[Any], bool]] = {
    f.__name__: f for f in (is_number, is_integer, is_exact, is_positive, is_negative,
                            is_nonzero, not_number, is_symbol, is_call)
}
"""Predicates usable by name in rule text; ``rule(..., predicates={...})`` adds more."""


def proven(fact: str) -> Callable[[Any], bool]:
    """The predicate "``ask(t, fact)`` is True" (named ``fact``)."""
    def pred(t: Any) -> bool:
        return ask(t, fact) is True
    pred.__name__ = fact
    pred.__doc__ = f"Proven {fact} (from the symbols' assumptions)."
    return pred


PREDICATES.update((f, proven(f)) for f in FACTS if f != "zero")


def resolve_predicate(pred: Any, extra: dict | None = None) -> tuple:
    """``(callable or None, display name or None)`` for a predicate given by name or callable."""
    if pred is None:
        return None, None
    if isinstance(pred, str):
        fn = (extra or {}).get(pred) or PREDICATES.get(pred)
        if fn is None:
            known = ", ".join(sorted(set(PREDICATES) | set(extra or {})))
            raise ValueError(f"unknown predicate {pred!r} (known: {known})")
        return fn, pred
    if callable(pred):
        return pred, getattr(pred, "__name__", "pred")
    raise TypeError(f"a slot predicate must be a name or a callable, got {type(pred).__name__}")
