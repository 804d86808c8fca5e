"""Upper bounds on the number of terms of products and powers, checked before computing.

A product of polynomials with ``s`` and ``t`` terms has at most ``s*t`` terms and at
most ``prod(d_i + e_i + 1)`` (the dense count over the degrees ``d_i``, ``e_i`` in each
variable).  ``p**n`` with ``t`` terms has at most ``C(t+n-1, n)`` (the multinomial
count) and at most ``C(v + n*D, v)`` for ``v`` variables of total degree ``D``.  The
least of these bounds is compared with ``max_terms``.

>>> comb_capped(203, 3, 10**9)
1373701
>>> comb_capped(10**9, 5, 1000)
1001
"""
from __future__ import annotations

import math
from typing import Any

from .errors import PolynomialTooLarge

__all__ = ["DEFAULT_MAX_TERMS", "comb_capped", "check_mul", "check_pow", "check_size"]

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


def check_mul(a: Any, b: Any, max_terms: int) -> None:
    """Check the product of two flint polynomials ``a*b`` against ``max_terms``."""
    est = len(a) * len(b)
    if est <= max_terms:
        return
    dense = _dense_product([int(x + y) for x, y in zip(a.degrees(), b.degrees())], est)
    check_size("this product", min(est, dense), max_terms)


def check_pow(a: Any, n: int, max_terms: int) -> None:
    """Check ``a**n`` (``n >= 0``) for a flint polynomial ``a`` against ``max_terms``."""
    t = len(a)
    if t <= 1 or n <= 1:
        return
    est = comb_capped(t + n - 1, n, _CAP)
    if est <= max_terms:
        return
    degs = [int(d) for d in a.degrees() if d]
    est = min(est, _dense_product([n * d for d in degs], _CAP),
              comb_capped(len(degs) + n * int(a.total_degree()), len(degs), _CAP))
    check_size(f"raising a {t}-term polynomial to the power {n}", est, max_terms)
