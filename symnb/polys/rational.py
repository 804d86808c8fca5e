"""``together`` and ``cancel``: one quotient of polynomials, without or with the common gcd.

>>> from symnb.terms import symbols, sin
>>> x, y = symbols("x y")
>>> together(1/x + 1/y)
(x + y)/(x*y)
>>> cancel((x**2 - y**2) / (x - y))
x + y
>>> cancel((sin(x)**2 - 1) / (sin(x) - 1))
1 + sin(x)
"""
from __future__ import annotations

from typing import Any

from flint import fmpq, fmpq_mpoly

from ..terms.core import Term, sympify_num
from .convert import Rational, to_rational
from .limits import DEFAULT_MAX_TERMS

__all__ = ["together", "cancel", "normalize_quotient"]


def normalize_quotient(num: fmpq_mpoly, den: fmpq_mpoly) -> tuple:
    """Scale ``num/den`` so that ``den`` has coprime integer coefficients and a positive
    leading coefficient (a constant denominator becomes 1)."""
    if den.is_zero():
        raise ZeroDivisionError("division by zero: the denominator is zero as a polynomial")
    coeffs = den.coeffs()
    lcm_q, gcd_p = 1, 0
    for c in coeffs:
        q = int(c.q)
        lcm_q = lcm_q * q // _gcd(lcm_q, q)
        gcd_p = _gcd(gcd_p, abs(int(c.p)))
    s = fmpq(lcm_q, gcd_p)
    if coeffs[0] < 0:           # coeffs() lists the leading term first
        s = -s
    return num * s, den * s


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _read(expr: Any, max_terms: int) -> Rational:
    return to_rational([sympify_num(expr)], max_terms=max_terms)


def together(expr: Any, *, max_terms: int = DEFAULT_MAX_TERMS) -> Term:
    """Write ``expr`` as one quotient ``p/q`` over the least common denominator.

    Numerator and denominator come back expanded; common factors between them are
    kept (``cancel`` removes them).  ``max_terms`` bounds every intermediate
    polynomial; ``PolynomialTooLarge`` is raised before exceeding it.

    >>> from symnb.terms import symbols
    >>> x = symbols("x")
    >>> together(1/(x - 1) - 1/(x + 1))
    2/(-1 + x^2)
    """
    r = _read(expr, max_terms)
    num, den = normalize_quotient(*r.values[0])
    return r.quotient_term(num, den)


def cancel(expr: Any, *, max_terms: int = DEFAULT_MAX_TERMS) -> Term:
    """``expr`` as ``p/q`` with ``gcd(p, q) = 1``, both expanded, ``q`` primitive over Z.

    Non-polynomial subterms (``sin(x)``, ``exp(y)``, ``x^(1/2)``) are generators, so
    ``cancel`` works on polynomials in them too.  ``max_terms`` bounds every
    intermediate polynomial (``PolynomialTooLarge`` before exceeding it).

    >>> from symnb.terms import symbols
    >>> x, y = symbols("x y")
    >>> cancel((x*y + x) / x)
    1 + y
    >>> cancel((x**3 - 1) / (x - 1))
    1 + x + x^2
    """
    r = _read(expr, max_terms)
    num, den = r.values[0]
    if not den.is_constant():
        g = num.gcd(den)
        if not g.is_one():
            num, den = num / g, den / g
    num, den = normalize_quotient(num, den)
    return r.quotient_term(num, den)
