"""Exact and floating numbers used as coefficients and exponents.

symnb keeps numbers as plain Python values inside terms: ``int`` and
``fractions.Fraction`` are exact, ``float`` is IEEE double.  A Fraction with
denominator 1 is always normalised to ``int`` so that equal exact numbers have
one representation.

>>> normalize(Fraction(4, 2))
2
>>> num_pow_parts(8, Fraction(3, 2))
(8, [(8, Fraction(1, 2))])

Exact powers are computed only while the result stays under
``symnb.config.max_exact_digits`` decimal digits (estimated as ``e*log10(b)`` first);
larger ones return ``None`` and stay symbolic:

>>> num_pow_parts(10, 10**10) is None
True
>>> pow_digits(10, 10**10)
10000000001
"""
from __future__ import annotations

import math
import numbers as _abc
from fractions import Fraction
from typing import Union

from .. import config

Num = Union[int, Fraction, float]

__all__ = ["Num", "normalize", "as_num", "is_exact", "is_int", "is_one",
           "num_div", "num_pow_parts", "num_to_float", "iroot", "pow_digits",
           "exact_pow_too_big", "exact_bits", "num_add", "num_mul"]


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


_STR_SAFE = 10 ** 4000   # below Python's 4300-digit limit on str(int); built once


def int_text(v: int) -> str:
    """Decimal digits of ``v``, also beyond Python's 4300-digit limit on ``str(int)``
    (exact powers are allowed up to ``config.max_exact_digits``, 10^4 by default).

    >>> len(int_text(7 ** 9000)), int_text(-12)
    (7606, '-12')
    """
    if -_STR_SAFE < v < _STR_SAFE:
        return str(v)
    import decimal
    return str(decimal.Decimal(v))   # the C decimal converts without that limit


def text_int(text: str) -> int:
    """``int(text)`` for a string of decimal digits of any length (see :func:`int_text`).

    >>> text_int(int_text(7 ** 9000)) == 7 ** 9000
    True
    """
    if len(text) < 4000:
        return int(text)
    import decimal
    return int(decimal.Decimal(text))


def num_to_float(v: Num) -> float:
    """``float(v)``, with exact numbers beyond the float range giving ``±inf`` (IEEE)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


_BITS_PER_DIGIT = math.log2(10)


def exact_bits(v: Num) -> int:
    """Bits of the larger of |numerator| and denominator of an exact number."""
    if type(v) is int:
        return v.bit_length()
    return max(v.numerator.bit_length(), v.denominator.bit_length())


def _check_exact(op: str, sign: str, a: Num, b: Num, bits: int) -> None:
    """Refuse (``LimitExceeded``) an exact result of about ``bits`` bits over
    ``config.max_exact_digits`` digits; ``a``, ``b`` are its operands."""
    if bits <= max(config.max_exact_digits * _BITS_PER_DIGIT, 64):
        return
    from .limits import LimitExceeded

    def size(v: Num) -> str:
        return f"{int(exact_bits(v) / _BITS_PER_DIGIT) + 1}-digit number"
    raise LimitExceeded(op, f"{size(a)} {sign} {size(b)}", "digits",
                        int(bits / _BITS_PER_DIGIT) + 1, config.max_exact_digits, None,
                        "max_exact_digits")


def num_add(a: Num, b: Num) -> Num:
    """``a + b``; a float meeting an exact number beyond the float range gives ``±inf``/nan
    (IEEE) instead of Python's OverflowError.  A sum of fractions whose exact result would
    exceed ``config.max_exact_digits`` digits (denominators multiply) raises
    ``LimitExceeded``.

    >>> num_add(0.5, 7 ** 9000), num_add(-1e308, 7 ** 9000)
    (inf, inf)
    """
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a + b
    if (ta is Fraction and tb is not float) or (tb is Fraction and ta is not float):
        da = a.denominator if type(a) is Fraction else 1
        db = b.denominator if type(b) is Fraction else 1
        if da != db:
            _check_exact("add", "+", a, b, exact_bits(a) + exact_bits(b))
        return a + b
    try:
        return a + b
    except OverflowError:
        return num_to_float(a) + num_to_float(b)


def num_mul(a: Num, b: Num) -> Num:
    """``a * b`` with the float overflow rule of :func:`num_add`; an exact product of more
    than ``config.max_exact_digits`` digits raises ``LimitExceeded`` before it is computed
    (each factor may be under the limit, the product not).

    >>> num_mul(-0.5, 7 ** 9000)
    -inf
    >>> num_mul(7 ** 6000, 7 ** 6000)
    Traceback (most recent call last):
      ...
    symnb.terms.limits.LimitExceeded: multiply(5071-digit number * 5071-digit number): about 10142 digits, limit 10000; set symnb.config.max_exact_digits
    """
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        bits = a.bit_length() + b.bit_length()
        if bits > 64:   # fast path: 64 bits are 19 digits
            _check_exact("multiply", "*", a, b, bits)
        return a * b
    if ta is not float and tb is not float:
        _check_exact("multiply", "*", a, b, exact_bits(a) + exact_bits(b))
        return a * b
    try:
        return a * b
    except OverflowError:
        return num_to_float(a) * num_to_float(b)


def _log10(v: Num) -> float:
    """log10 of the larger of |numerator| and denominator of an exact number."""
    if type(v) is int:
        return math.log10(abs(v))
    return max(math.log10(abs(v.numerator)), math.log10(v.denominator))


def pow_digits(b: Num, e: Num) -> int:
    """Estimated decimal digits of the exact ``b**e`` (``e`` exact): ``|e|*log10(b)``, without
    computing the power; a huge exponent (``2^(3^1024)``) needs no float overflow."""
    if b == 0 or b == 1 or b == -1:
        return 1
    if abs(e) > 2 ** 60:
        return int(abs(e)) + 1   # |b| >= 2 (or a fraction): at least 0.3 digit per unit of e
    return int(float(abs(e)) * _log10(b)) + 1


def exact_pow_too_big(b: Num, e: Num) -> bool:
    """True when the exact ``b**e`` would exceed ``config.max_exact_digits`` digits, or
    ``e`` is a fraction with denominator above ``config.max_root_degree``."""
    if type(b) is float or type(e) is float:
        return False
    if type(e) is Fraction and e.denominator > config.max_root_degree and b not in (0, 1):
        return True
    return pow_digits(b, e) > config.max_exact_digits


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
    if k >= n.bit_length():
        return None   # 1 < root < 2: no integer root (and 2**k would be huge)
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
    must stay symbolic as a whole (negative base with a fractional exponent, or an exact
    result too big: see :func:`exact_pow_too_big`).
    Exact ``0**negative`` raises ZeroDivisionError.
    """
    if type(b) is float or type(e) is float:
        fb, fe = num_to_float(b), num_to_float(e)
        if fb < 0 and not float(fe).is_integer():
            return None
        if fb == 0 and fe < 0:
            return math.inf, []
        try:
            return fb ** fe, []
        except OverflowError:
            return math.inf, []
    if exact_pow_too_big(b, e):
        if b == 0 and e < 0:
            raise ZeroDivisionError(f"division by zero: 0**{e} with exact numbers")
        return None
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
