"""Sums and products of many terms in linear time: one fold into a dict, one interned node.

``add(a, b)`` chained over n terms copies its dict n times; these fold all arguments first.

>>> from symnb.terms.core import Symbol
>>> x, y = Symbol("x"), Symbol("y")
>>> add_terms(x, y, x), mul_terms(x, y, x), add_terms(), mul_terms()
(2*x + y, x^2*y, 0, 1)
"""
from __future__ import annotations

from typing import Any, Callable

from .core import Term, acc_add, acc_mul, make_add, make_mul

__all__ = ["add_terms", "mul_terms"]


def _fold(acc: Callable, make: Callable, unit: int, name: str, doc: str) -> Callable:
    """An n-ary builder: fold the arguments into one dict with ``acc``, then ``make`` the node."""
    def build(*args: Term) -> Term:
        d: dict = {}
        c: Any = unit
        for a in args:
            c = acc(d, c, a)
        return make(c, d)
    build.__name__ = build.__qualname__ = name
    build.__doc__ = doc
    return build


add_terms = _fold(acc_add, make_add, 0, "add_terms", "The sum of ``args`` (0 for none).")
mul_terms = _fold(acc_mul, make_mul, 1, "mul_terms", "The product of ``args`` (1 for none).")
