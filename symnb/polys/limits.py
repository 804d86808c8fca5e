"""Upper bounds on the number of terms of products and powers, checked before computing.

A product of polynomials with ``s`` and ``t`` terms has at most ``s*t`` terms and at
most ``prod(d_i + e_i + 1)`` (the dense count over the degrees ``d_i``, ``e_i`` in each
variable).  ``p**n`` with ``t`` terms has at most ``C(t+n-1, n)`` (the multinomial
count) and at most ``C(v + n*D, v)`` for ``v`` variables of total degree ``D``.  The
least of these bounds is compared with ``max_terms``.  Coefficients are bounded too: the
product's have at most ``digits(a) + digits(b) + log10(min(s, t))`` decimal digits and the
power's ``n * (digits(p) + log10(t))``, compared with ``symnb.config.max_exact_digits`` (the
limit of exact numbers), so ``(10^9999*x + 1)^1000`` is refused before flint computes it.

>>> comb_capped(203, 3, 10**9)
1373701
>>> comb_capped(10**9, 5, 1000)
1001
"""
from __future__ import annotations

import math
from typing import Any

from .. import config
from .errors import CoefficientTooLarge, PolynomialTooLarge

__all__ = ["DEFAULT_MAX_TERMS", "comb_capped", "check_mul", "check_pow", "check_size",
           "coefficient_digits"]

DEFAULT_MAX_TERMS = 1_000_000
_CAP = 10 ** 30      # bounds are computed up to this size only


def comb_capped(n: int, k: int, cap: int) -> int:
    """``C(n, k)``, or ``cap + 1`` as soon as it is known to exceed ``cap`` (never slow)."""
    if k < 0 or k > n:
        return 0
    k = min(k, n - k)
    r = 1
    for i in range(1, k + 1):
        r = r * (n - k + i) // i      # C(n-k+i, i): exact and increasing in i
        if r > cap:
            return cap + 1
    return r


def _dense_product(degs: Any, cap: int) -> int:
    r = 1
    for d in degs:
        r *= d + 1
        if r > cap:
            return cap + 1
    return r


def check_size(what: str, estimate: int, max_terms: int) -> None:
    """Raise ``PolynomialTooLarge`` when ``estimate`` exceeds ``max_terms``."""
    if estimate > max_terms:
        raise PolynomialTooLarge(what, estimate, max_terms)


def coefficient_digits(a: Any) -> float:
    """Decimal digits of the largest numerator or denominator of a flint polynomial's
    coefficients."""
    bits = max((max(c.p.bit_length(), c.q.bit_length()) for c in a.coeffs()), default=1)
    return bits * 0.30103


def _check_digits(what: str, digits: float) -> None:
    if digits > config.max_exact_digits:
        raise CoefficientTooLarge(what, int(digits), config.max_exact_digits)


def check_mul(a: Any, b: Any, max_terms: int) -> None:
    """Check the product of two flint polynomials ``a*b`` against ``max_terms`` (and its
    coefficients against ``config.max_exact_digits``)."""
    _check_digits("this product", coefficient_digits(a) + coefficient_digits(b)
                  + math.log10(max(1, min(len(a), len(b)))))
    est = len(a) * len(b)
    if est <= max_terms:
        return
    dense = _dense_product([int(x + y) for x, y in zip(a.degrees(), b.degrees())], est)
    check_size("this product", min(est, dense), max_terms)


def check_pow(a: Any, n: int, max_terms: int) -> None:
    """Check ``a**n`` (``n >= 0``) for a flint polynomial ``a`` against ``max_terms`` (and its
    coefficients against ``config.max_exact_digits``).

    >>> from flint import fmpq_mpoly_ctx
    >>> g, = fmpq_mpoly_ctx.get(("g", 1), "lex").gens()
    >>> check_pow(10 ** 50 * g, 1000, 10)
    Traceback (most recent call last):
      ...
    symnb.polys.errors.CoefficientTooLarge: raising a 1-term polynomial to the power 1000 would give coefficients of about 50,272 digits, more than symnb.config.max_exact_digits=10,000; set a larger symnb.config.max_exact_digits to allow it
    """
    t = len(a)
    if n <= 1 or t == 0:
        return
    if t > 1:
        _check_pow_terms(a, n, max_terms)
    _check_digits(f"raising a {t}-term polynomial to the power {n}",
                  n * (coefficient_digits(a) + math.log10(t)))


def _check_pow_terms(a: Any, n: int, max_terms: int) -> None:
    t = len(a)
    est = comb_capped(t + n - 1, n, _CAP)
    if est <= max_terms:
        return
    degs = [int(d) for d in a.degrees() if d]
    est = min(est, _dense_product([n * d for d in degs], _CAP),
              comb_capped(len(degs) + n * int(a.total_degree()), len(degs), _CAP))
    check_size(f"raising a {t}-term polynomial to the power {n}", est, max_terms)
