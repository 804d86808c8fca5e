"""Identities ``simplify`` adds to the default rule sets: inverse functions, exponentials
of logarithms, signs and powers, each valid on the whole complex plane or guarded by an
assumption that ``ask`` must prove.

* ``sin(asin(x)) → x`` (and cos/acos, tan/atan, sinh/asinh, cosh/acosh, tanh/atanh):
  true for every complex ``x`` where both sides are defined;
* ``exp(a·log(u) + r) → u^a·exp(r)``: ``u^a`` *is* ``exp(a·log u)`` (principal branch);
* ``log(u^a) → a·log(u)`` for a number ``-1 < a ≤ 1`` (then ``a·arg u`` stays in
  ``(-π, π]``), or any real ``a`` when ``u`` is positive;
* ``sign(x) → ±1`` when ``x`` is proven positive or negative;
* ``x^n·y^n → (x·y)^n`` for an integer ``n``;
* ``(x^m)^b → x^(m·b)`` for a real ``x``, an even ``m`` and ``m·b`` an even integer
  (``(x^m)^b = |x|^(m·b)``), and ``(-1)^k → ±1`` for ``k`` an even or odd integer.

>>> from symnb import symbols, sin, asin, exp, log, sqrt, sign
>>> x, y, a = symbols("x y a")
>>> p = symbols("p", positive=True)
>>> r = symbols("r", real=True)
>>> n = symbols("n", integer=True)
>>> from symnb.rewriting import rewrite
>>> R = identity_rules()
>>> rewrite(sin(asin(x)), R), rewrite(exp(x + 2*log(y)), R), rewrite(exp(a*log(x)), R)
(x, y^2*exp(x), x^a)
>>> rewrite(log(sqrt(x)), R), rewrite(log(x**2), R), rewrite(sign(p), R)
(log(x)/2, log(x^2), 1)
>>> rewrite(sqrt(r**4), R), rewrite(sqrt(x**4), R), rewrite((-1)**(2*n), R)
(r^2, sqrt(x^4), 1)
>>> rewrite(x**n * y**n, R), rewrite(x**a * y**a, R)
((x*y)^n, x^a*y^a)
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..terms.assumptions import ask
from ..terms.core import Add, Call, Mul, Number, Pow, Term
from ..terms.functions import (acos, acosh, asin, asinh, atan, atanh, cos, cosh, exp, log,
                               sign, sin, sinh, tan, tanh)
from .families.tr_rules import term_rule
from .rule import Rule

__all__ = ["identity_rules", "IDENTITY_PREFIX"]

IDENTITY_PREFIX = "identity"
_INVERSES = {sin: asin, cos: acos, tan: atan, sinh: asinh, cosh: acosh, tanh: atanh}


def _num(t: Any) -> Any:
    """The value of a numeric leaf, else None."""
    return t.value if type(t) is Number else None


def _inverse(t: Term) -> Term | None:
    if type(t) is Call and len(t.args_) == 1:
        inner = t.args_[0]
        if type(inner) is Call and _INVERSES.get(t.func) is inner.func:
            return inner.args_[0]
    return None


def _summands(a: Term) -> list:
    """``[(coefficient, term)]`` of a sum (a lone term is one summand; constants as ``(c, 1)``)."""
    if type(a) is Add:
        out = [(c, u) for u, c in a.terms.items()]
        if a.const != 0:
            out.append((a.const, Number(1)))
        return out
    return [(1, a)]


def _log_part(u: Term) -> tuple | None:
    """``(base, multiplier)`` when ``u = multiplier·log(base)``."""
    if type(u) is Call and u.func is log:
        return u.args_[0], Number(1)
    if type(u) is Mul:
        for b, e in u.factors.items():
            if e == 1 and type(b) is Call and b.func is log:
                return b.args_[0], u / b
    return None


def _exp_of_logs(t: Term) -> Term | None:
    """``exp(a·log(u) + r) → u^a·exp(r)``."""
    if not (type(t) is Call and t.func is exp):
        return None
    powers, rest = [], []
    for c, u in _summands(t.args_[0]):
        lp = _log_part(u)
        if lp is None:
            rest.append(c * u)
        else:
            powers.append(Pow(lp[0], c * lp[1]))
    if not powers:
        return None
    return Mul(*powers, exp(Add(*rest)) if rest else Number(1))


def _log_of_power(t: Term) -> Term | None:
    """``log(u^a) → a·log(u)`` for ``-1 < a ≤ 1`` a number, or ``u`` positive and ``a`` real."""
    if not (type(t) is Call and t.func is log and type(t.args_[0]) is Pow):
        return None
    u, a = t.args_[0].base, t.args_[0].exp
    v = _num(a)
    if (v is not None and not isinstance(v, complex) and -1 < v <= 1) or \
            (ask(u, "positive") is True and ask(a, "real") is True):
        return a * log(u)
    return None


def _sign(t: Term) -> Term | None:
    if type(t) is Call and t.func is sign:
        x = t.args_[0]
        if ask(x, "positive") is True:
            return Number(1)
        if ask(x, "negative") is True:
            return Number(-1)
    return None


def _common_integer_power(t: Term) -> Term | None:
    """``x^n·y^n → (x·y)^n`` for integer ``n`` (symbolic exponents only)."""
    if type(t) is not Mul:
        return None
    by_exp: dict = {}
    for b, e in t.factors.items():
        if isinstance(e, Term) and ask(e, "integer") is True:
            by_exp.setdefault(e, []).append(b)
    groups = [(e, bs) for e, bs in by_exp.items() if len(bs) > 1]
    if not groups:
        return None
    out = t
    for e, bs in groups:
        out = out / Mul(*[Pow(b, e) for b in bs]) * Pow(Mul(*bs), e)
    return out


def _even_integer(v: Any) -> bool:
    return isinstance(v, (int, Fraction)) and v == int(v) and int(v) % 2 == 0


def _parity(k: Term) -> int | None:
    """0 or 1 when ``k`` is proven an even or odd integer, else None."""
    v = _num(k)
    if isinstance(v, (int, Fraction)) and v == int(v):
        return int(v) % 2
    if type(k) is Mul and isinstance(k.coef, (int, Fraction)) and _even_integer(k.coef):
        rest = k / k.coef
        if ask(rest, "integer") is True:
            return 0
    return None


def _even_power(t: Term) -> Term | None:
    """``(x^m)^b → x^(m·b)`` (``x`` real, ``m`` even, ``m·b`` even); ``(-1)^k → ±1``."""
    if type(t) is not Pow:
        return None
    if _num(t.base) == -1:
        p = _parity(t.exp)
        return None if p is None else Number(1 - 2 * p)
    inner = t.base
    if type(inner) is Pow and ask(inner.base, "real") is True:
        m, b = _num(inner.exp), _num(t.exp)
        if m is not None and b is not None and _even_integer(m) and _even_integer(m * b):
            return Pow(inner.base, Number(m * b))
    return None


_SPECS = (
    ("f(f⁻¹(x)) → x", frozenset(f.name for f in _INVERSES), _inverse),
    ("exp(a·log u + r) → u^a·exp(r)", "exp", _exp_of_logs),
    ("log(u^a) → a·log u (-1 < a ≤ 1, or u positive and a real)", "log", _log_of_power),
    ("sign(x) → ±1 (x positive or negative)", "sign", _sign),
    ("x^n·y^n → (x·y)^n (n integer)", "Mul", _common_integer_power),
    ("(x^m)^b → x^(mb) (x real, m and mb even); (-1)^k → ±1", "Pow", _even_power),
)


@lru_cache(maxsize=None)
def _built() -> tuple[Rule, ...]:
    return tuple(term_rule(f"{IDENTITY_PREFIX}: {label}", head, fn) for label, head, fn in _SPECS)


def identity_rules() -> list[Rule]:
    """The rules of this module, each named ``"identity: <what it does>"``."""
    return list(_built())
