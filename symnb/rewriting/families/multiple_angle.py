"""Multiple angles by Chebyshev polynomials (``expand_trig``'s ``TRmult``).

``cos(n a) = T_n(cos a)``, ``sin(n a) = sin a · U_{n−1}(cos a)``, valid for every complex
``a``; the hyperbolic forms follow with ``a → i a``.

>>> from symnb import symbols, cos, sinh
>>> x = symbols("x")
>>> multiple_angle(TRIG, cos(3*x)), multiple_angle(HYPER, sinh(3*x))
(-3*cos(x) + 4*cos(x)^3, 3*sinh(x) + 4*sinh(x)^3)
"""
from __future__ import annotations

from ...terms.core import Call, Number, Term
from .trigfamily import HYPER, TRIG, Family, make_sum, split_coef

__all__ = ["multiple_angle", "MAX_MULTIPLE"]

MAX_MULTIPLE = 64
"""Largest integer multiple ``n`` that ``multiple_angle`` expands (sin(n*x), ...)."""


def _chebyshev(n: int, second: bool = False) -> list:
    """Coefficients (lowest degree first) of ``T_n`` (or ``U_n`` with ``second``)."""
    p0, p1 = [1], ([0, 2] if second else [0, 1])
    if n == 0:
        return p0
    for _ in range(n - 1):
        nxt = [0] + [2 * c for c in p1]
        for i, c in enumerate(p0):
            nxt[i] -= c
        p0, p1 = p1, nxt
    return p1


def _poly(coefs: list, v: Term) -> Term:
    return make_sum(0, [(c, v ** i) for i, c in enumerate(coefs) if c])


def multiple_angle(fam: Family, t: Term) -> Term | None:
    """``c(n a) → T_n(c a)``; ``s(n a) → s a·U_{n−1}(c a)`` (odd ``n``: a polynomial in
    ``s a``); ``t(n a)`` by ``t(a + (n−1)a)``; for integers ``2 ≤ n ≤ MAX_MULTIPLE``."""
    if type(t) is not Call or t.func not in (fam.sin, fam.cos, fam.tan):
        return None
    n, u = split_coef(t.args_[0])
    if type(n) is not int or n < 2 or n > MAX_MULTIPLE or type(u) is Number:
        return None
    if t.func is fam.cos:
        return _poly(_chebyshev(n), fam.cos(u))
    if t.func is fam.tan:
        ta, tb = fam.tan(u), fam.tan((n - 1) * u)
        return (ta + tb) / (1 - fam.sigma * ta * tb)
    if n % 2:
        # sin(n z) = (−1)^k T_n(sin z), k = (n−1)/2; with z = i u this reads, for sinh,
        # sinh(n u) = (−1)^k Σ_j c_j (−1)^((j−1)/2) sinh(u)^j over the odd j of T_n
        k = (n - 1) // 2
        coefs = _chebyshev(n)
        if fam.sigma == 1:
            out = [(-1) ** k * c for c in coefs]
        else:
            out = [(-1) ** k * c * (-1) ** ((j - 1) // 2) if j % 2 else 0
                   for j, c in enumerate(coefs)]
        return _poly(out, fam.sin(u))
    return fam.sin(u) * _poly(_chebyshev(n - 1, second=True), fam.cos(u))
