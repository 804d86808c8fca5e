"""``factor``: irreducible factors over Q (flint's multivariate factorisation).

The result is ``content * prod(f_i^e_i) / prod(g_j^k_j)`` with primitive integer
factors.  In symnb's canonical form a number times a *single* sum distributes, so
``factor(2*x + 2)`` reads ``2 + 2*x``; with two or more factors the product stays.

>>> from symnb.terms import symbols
>>> x, y = symbols("x y")
>>> factor(x**2 - y**2)
(x - y)*(x + y)
>>> factor((x**2 - 1) / (x**2 + 2*x + 1))
(-1 + x)/(1 + x)
"""
from __future__ import annotations

from typing import Any

from flint import fmpq_mpoly

from ..terms.core import ONE, Number, Term, mul, power, sympify_num
from .convert import Rational, to_rational
from .limits import check_size

__all__ = ["factor", "DEFAULT_FACTOR_MAX_TERMS"]

DEFAULT_FACTOR_MAX_TERMS = 100_000


def _factored(r: Rational, p: fmpq_mpoly, sign: int) -> tuple:
    """``(content, term)`` of ``p`` factored, exponents multiplied by ``sign``."""
    content, facs = p.factor()
    acc: Term = ONE
    for f, e in facs:
        acc = mul(acc, power(r.to_term(f), Number(sign * int(e))))
    return content, acc


def factor(expr: Any, *, max_terms: int = DEFAULT_FACTOR_MAX_TERMS) -> Term:
    """Factor ``expr`` (a polynomial or a quotient of polynomials) into irreducibles over Q.

    A quotient is first cancelled.  Generators such as ``sin(x)`` are factored like
    symbols.  ``max_terms`` bounds the polynomials read and factored:
    ``PolynomialTooLarge`` is raised before factoring a numerator or denominator with
    more terms than that.

    >>> from symnb.terms import symbols, sin
    >>> x = symbols("x")
    >>> factor(sin(x)**2 - 1)
    (-1 + sin(x))*(1 + sin(x))
    """
    r = to_rational([sympify_num(expr)], max_terms=max_terms)
    num, den = r.values[0]
    if not den.is_constant():
        g = num.gcd(den)
        if not g.is_one():
            num, den = num / g, den / g
    for p in (num, den):
        check_size("factoring this polynomial", len(p), max_terms)
    if num.is_zero():
        return Number(0.0 if r.inexact else 0)
    cn, tn = _factored(r, num, 1)
    cd, td = _factored(r, den, -1)
    c = cn / cd
    cv: Any = int(c.p) / int(c.q) if r.inexact else _exact(c)
    return mul(Number(cv), mul(tn, td))


def _exact(c: Any) -> Any:
    from fractions import Fraction
    p, q = int(c.p), int(c.q)
    return p if q == 1 else Fraction(p, q)
