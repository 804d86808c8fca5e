"""``cancel`` with a size bound, for rewriting: a normal form too large to compute is
no normal form (the term comes back as it was) instead of an error or a hang.

``expand_or_cancel`` is Fu's ``TR0`` (``families/tr_rules.py``); the ``"cancel"`` stage of
``simplify`` uses ``cancel``.

>>> from symnb import symbols, tan
>>> x, y = symbols("x y")
>>> cancel((x**2 - y**2)/(x - y))
x + y
>>> big = (x + y + 1)**60
>>> cancel(big, max_terms=100) is big
True
>>> expand_or_cancel(tan(x)**2 - 1/tan(x)**2 + (x + 1)**2)
1 - 1/tan(x)^2 + 2*x + x^2 + tan(x)^2
>>> expand_or_cancel(1/x - 1/(x*(x + 1)))
1/(1 + x)
"""
from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Any

from ..polys import PolynomialTooLarge
from ..polys import cancel as _cancel
from ..terms.calculus import count_ops, expand
from ..terms.core import Add, Mul, Pow, Term

__all__ = ["cancel", "expand_or_cancel", "expanded_size", "MAX_TERMS"]

MAX_TERMS = 5000
"""Largest polynomial (in terms) ``cancel`` computes here."""


def cancel(t: Term, max_terms: int = MAX_TERMS) -> Term:
    """``symnb.polys.cancel(t)``, or ``t`` itself when that needs more than ``max_terms``
    terms."""
    try:
        return _cancel(t, max_terms=max_terms)
    except PolynomialTooLarge:
        return t


def expand_or_cancel(t: Term, max_terms: int = MAX_TERMS) -> Term:
    """The expanded form of ``t``, or its cancelled quotient when ``t`` has a denominator
    and that has fewer operations; ``t`` itself when expanding could give more than
    ``max_terms`` terms (``expanded_size``)."""
    if expanded_size(t, max_terms) > max_terms:
        return t
    e = expand(t)
    if not _has_denominator(e):
        return e
    c = cancel(e, max_terms)
    return c if c is not e and count_ops(c) < count_ops(e) else e


def expanded_size(t: Term, cap: int) -> int:
    """An upper bound on the number of terms of ``expand(t)`` (at most about ``cap + 1``).

    >>> from symnb import symbols
    >>> x, y = symbols("x y")
    >>> expanded_size((x + y + 1)**3 * (x + 1), 10**6), expanded_size((x + y)**500, 100)
    (20, 101)
    """
    memo: dict = {}

    def size(u: Term) -> int:
        n = memo.get(u)
        if n is not None:
            return n
        tu = type(u)
        if tu is Add:
            n = sum(size(a) for a in u.terms) + (u.const != 0)
        elif tu is Mul:
            n = 1
            for b, k in u.factors.items():
                n = min(n * _power_size(size(b), k), cap + 1)
        elif tu is Pow:
            n = _power_size(size(u.base), getattr(u.exp, "value", None))
        else:
            n = 1
        n = memo[u] = min(n, cap + 1)
        return n

    return size(t)


def _power_size(n: int, k: Any) -> int:
    if type(k) is int and k > 1 and n > 1:
        return comb(n + k - 1, k) if k < 64 else n ** 64
    return n


def _has_denominator(t: Term) -> bool:
    """A factor with a negative exponent among the terms of the sum ``t``."""
    parts = t.terms if type(t) is Add else (t,)
    for u in parts:
        if type(u) is Pow and _negative(u.exp):
            return True
        if type(u) is Mul and any(_negative(k) for k in u.factors.values()):
            return True
    return False


def _negative(k: Any) -> bool:
    v = getattr(k, "value", k)
    return isinstance(v, (int, Fraction)) and v < 0
