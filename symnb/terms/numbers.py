"""Exact and floating numbers used as coefficients and exponents.

symnb keeps numbers as plain Python values inside terms: ``int`` and
``fractions.Fraction`` are exact, ``float`` is IEEE double.  A Fraction with
denominator 1 is always normalised to ``int`` so that equal exact numbers have
one representation.

>>> normalize(Fraction(4, 2))
2
>>> num_pow_parts(8, Fraction(3, 2))
(8, [(8, Fraction(1, 2))])
"""
from __future__ import annotations

import math
import numbers as _abc
from fractions import Fraction
from typing import Union

Num = Union[int, Fraction, float]

__all__ = ["Num", "normalize", "as_num", "is_exact", "is_int", "is_one",
           "num_div", "num_pow_parts", "num_to_float", "iroot"]


def normalize(v: Num) -> Num:
    """Return ``v`` with integral Fractions turned into ``int``."""
    if type(v) is Fraction and v.denominator == 1:
        return v.numerator
    return v


def as_num(v: object) -> Num | None:
    """Convert a Python/numpy scalar to a symnb number, or ``None`` if it is not one.

    ``bool`` and complex values are rejected (``None``).
    """
    t = type(v)
    if t is int or t is float:
        return v  # type: ignore[return-value]
    if t is Fraction:
        return normalize(v)  # type: ignore[arg-type]
    if t is bool or isinstance(v, (bool, complex)):
        return None
    if isinstance(v, _abc.Integral):
        return int(v)  # numpy integers
    if isinstance(v, _abc.Rational):
        return normalize(Fraction(v.numerator, v.denominator))
    if isinstance(v, _abc.Real):
        return float(v)  # numpy floats
    return None


def is_exact(v: Num) -> bool:
    return type(v) is not float


def is_int(v: object) -> bool:
    """True for exact integers (not for ``2.0``)."""
    return type(v) is int


def is_one(v: object) -> bool:
    """True only for the exact integer 1 (``1.0`` is a different coefficient)."""
    return type(v) is int and v == 1


def num_to_float(v: Num) -> float:
    return float(v)


def num_div(a: Num, b: Num) -> Num:
    """Divide numbers; exact division by zero raises a clear ZeroDivisionError.

    Float division by zero follows IEEE (``inf``/``nan``).
    """
    if b == 0:
        if type(a) is float or type(b) is float:
            if a == 0 or a != a:
                return math.nan
            return math.copysign(math.inf, a) * (math.copysign(1.0, b))
        raise ZeroDivisionError(f"division by zero: {a}/{b} with exact numbers")
    if type(a) is float or type(b) is float:
        return a / b
    return normalize(Fraction(a) / b)


def iroot(n: int, k: int) -> int | None:
    """Exact integer k-th root of ``n >= 0`` if there is one, else ``None``."""
    if n < 2:
        return n
    r = int(round(n ** (1.0 / k))) if n.bit_length() < 1000 else None
    if r is None:
        lo, hi = 0, 1 << (n.bit_length() // k + 1)
        while lo < hi:
            mid = (lo + hi) // 2
            if mid ** k < n:
                lo = mid + 1
            else:
                hi = mid
        r = lo
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** k == n:
            return c
    return None


def _int_pow_parts(n: int, e: Fraction) -> tuple[Num, list]:
    """``n**e`` for an int ``n > 1`` and non-integer rational ``e``."""
    k = math.floor(e)
    f = e - k
    coef: Num = normalize(Fraction(n) ** k)
    root = iroot(n ** f.numerator, f.denominator) if f.numerator * n.bit_length() < 4096 else None
    if root is not None:
        return normalize(coef * root), []
    return coef, [(n, f)]


def num_pow_parts(b: Num, e: Num) -> tuple[Num, list] | None:
    """Evaluate ``b**e`` as far as exact arithmetic allows.

    Returns ``(coefficient, radicals)`` where radicals is a list of
    ``(base, fractional_exponent)`` left unevaluated, or ``None`` when the power
    must stay symbolic as a whole (negative base with a fractional exponent).
    Exact ``0**negative`` raises ZeroDivisionError.
    """
    if type(b) is float or type(e) is float:
        fb, fe = float(b), float(e)
        if fb < 0 and not float(fe).is_integer():
            return None
        if fb == 0 and fe < 0:
            return math.inf, []
        try:
            return fb ** fe, []
        except OverflowError:
            return math.inf, []
    if type(e) is int:
        if b == 0 and e < 0:
            raise ZeroDivisionError(f"division by zero: 0**{e} with exact numbers")
        if e >= 0:
            return normalize(b ** e), []
        return normalize(Fraction(1) / (b ** -e)), []
    # e is a non-integer Fraction
    if b == 0:
        if e < 0:
            raise ZeroDivisionError(f"division by zero: 0**({e}) with exact numbers")
        return 0, []
    if b == 1:
        return 1, []
    if b < 0:
        return None
    if type(b) is int:
        return _int_pow_parts(b, e)
    cn, rn = _int_pow_parts(b.numerator, e) if b.numerator > 1 else (1, [])
    cd, rd = _int_pow_parts(b.denominator, -e)
    return normalize(cn * cd), rn + rd
