"""``apart``: partial fractions of a univariate rational function over Q.

The denominator is factored into primitive irreducibles ``f_i^e_i``; each part's
numerator is ``r * (q/f_i^e_i)^(-1) mod f_i^e_i`` (Bezout, by flint's ``xgcd``),
then split into ``f_i``-adic digits so that every numerator has lower degree than
its ``f_i``.

>>> from symnb.terms import symbols
>>> x = symbols("x")
>>> apart(1 / (x**2 - 1), x)
(1/2)/(-1 + x) - (1/2)/(1 + x)
>>> apart((x**3 + 1) / (x**2 * (x + 2)), x)
1 + 1/(2*x^2) - 1/(4*x) - (7/4)/(2 + x)
"""
from __future__ import annotations

from typing import Any

from flint import fmpq, fmpq_mpoly, fmpq_poly

from ..terms.core import Number, Term, acc_add, make_add, mul, power, sympify_num
from .convert import _coef, to_rational
from .errors import PolynomialError
from .limits import DEFAULT_MAX_TERMS, check_size

__all__ = ["apart"]


def _to_upoly(p: fmpq_mpoly) -> fmpq_poly:
    coeffs = [fmpq(0)] * (p.total_degree() + 1 if not p.is_zero() else 1)
    for exps, c in p.terms():
        coeffs[int(exps[0]) if exps else 0] = c
    return fmpq_poly(coeffs)


def _uterm(p: fmpq_poly, x: Term, inexact: bool) -> Term:
    d: dict = {}
    const: Any = 0
    for k, c in enumerate(p.coeffs()):
        if c == 0:
            continue
        if k == 0:
            const = _coef(fmpq(c), inexact)
        else:
            const = acc_add(d, const, power(x, Number(k)), _coef(fmpq(c), inexact))
    return make_add(const, d)


def apart(expr: Any, x: Any, *, max_terms: int = DEFAULT_MAX_TERMS) -> Term:
    """Partial fraction decomposition of ``expr`` in ``x`` (one symbol or generator).

    ``expr`` must be a rational function of ``x`` alone with rational coefficients;
    other symbols raise ``PolynomialError``.  ``max_terms`` bounds the degrees
    involved (``PolynomialTooLarge`` before exceeding it).

    >>> from symnb.terms import symbols
    >>> x = symbols("x")
    >>> apart((2*x + 3) / (x + 1)**2, x)
    1/(1 + x)^2 + 2/(1 + x)
    """
    x = sympify_num(x)
    r = to_rational([sympify_num(expr)], max_terms=max_terms)
    if any(g is not x for g in r.gens):
        others = ", ".join(str(g) for g in r.gens if g is not x)
        raise PolynomialError(f"apart: only univariate rational functions of {x}; the "
                              f"expression also has {others}")
    num, den = r.values[0]
    if not r.gens:
        return r.quotient_term(num, den)
    p, q = _to_upoly(num), _to_upoly(den)
    check_size("partial fractions of this degree", p.degree() + q.degree(), max_terms)
    g = p.gcd(q)
    p, q = divmod(p, g)[0], divmod(q, g)[0]
    s, rem = divmod(p, q)
    d: dict = {}
    const: Any = 0
    const = acc_add(d, const, _uterm(s, x, r.inexact))
    if q.degree() > 0:
        zq = q.numer()
        content, facs = zq.factor()
        for f, e in facs:
            e = int(e)
            fq = fmpq_poly(f)
            fe = fq ** e
            cofactor = divmod(q, fe)[0]
            gg, u, _ = cofactor.xgcd(fe)
            part = divmod(rem * u / gg, fe)[1]
            fterm = _uterm(fq, x, r.inexact)
            for j in range(e):                       # f-adic digits, lowest first
                part, digit = divmod(part, fq)
                if not digit.is_zero():
                    const = acc_add(d, const, mul(_uterm(digit, x, r.inexact),
                                                  power(fterm, Number(j - e))))
    return make_add(const, d)
