"""A deterministic total order on terms, used to print and list arguments canonically.

Hash-consing makes terms compare by identity, which says nothing about order;
this key is structural, cached per node and independent of the process (no
``id`` or string hashing), so printed output is reproducible.

>>> from symnb.terms.core import Symbol
>>> x, y = Symbol("x"), Symbol("y")
>>> sorted([y, x ** 2, x, 3], key=sort_key)
[3, x, x^2, y]
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from .numbers import int_text
from .core import Add, Call, Mul, Number, Pow, Symbol, Term, _require_term, postorder_missing

__all__ = ["sort_key"]


def _num_key(v: Any) -> tuple:
    try:
        f = float(v)
    except OverflowError:
        f = float("inf") if v > 0 else float("-inf")
    text = int_text(v) if type(v) is int else (
        f"{int_text(v.numerator)}/{int_text(v.denominator)}" if type(v) is Fraction else str(v))
    return (0, "", 0, (f, type(v) is float, text))   # str(int) refuses over 4300 digits


def _exp_key(e: Any) -> tuple:
    return e._sk if isinstance(e, Term) else _num_key(e)


# Every key is (rank, name, kind, payload); payloads are compared only between
# keys of the same kind, so they never mix incomparable types.
def _compute(t: Term) -> tuple:
    tt = type(t)
    if tt is Number:
        return _num_key(t.value)
    if tt is Symbol:
        return (1, t.name, 0, ())
    if tt is Call:
        return (3, t.func.name, 0, tuple(a._sk for a in t.args_))
    if tt is Add:
        return (4, "", 0, (tuple(sorted((k._sk, _num_key(c)) for k, c in t.terms.items())),
                           _num_key(t.const)))
    if tt is Pow:
        # x^2 sorts right after x, so polynomials read by ascending degree
        b = t.base._sk
        return (b[0], b[1], 1, (b, t.exp._sk))
    if tt is Mul:
        fk = tuple(sorted((b._sk, _exp_key(e)) for b, e in t.factors.items()))
        head = fk[0][0]
        return (head[0], head[1], 2, (fk, _num_key(t.coef)))
    raise TypeError(f"no order for {tt.__name__}")  # pragma: no cover


def sort_key(t: Any) -> tuple:
    """Structural sort key of a term (numbers first, then by leading symbol)."""
    t = _require_term(t)
    try:
        return t._sk
    except AttributeError:
        pass
    for node in postorder_missing(t, "_sk"):
        try:
            node._sk
        except AttributeError:
            node._sk = _compute(node)
    return t._sk
