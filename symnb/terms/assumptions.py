"""Assumptions on symbols and the ``ask`` query, with sympy's meaning of each fact.

A value lies in one of six *worlds*: not real, a negative integer, a negative
non-integer, zero, a positive integer, a positive non-integer (every value is a
finite complex number, as for a plain sympy ``Symbol``).  A fact is a set of
worlds (``positive`` = the two positive ones; ``nonzero`` = real and not zero,
as in sympy), a declaration keeps the worlds that satisfy every given fact,
and ``ask`` follows the possible worlds of a term up through sums, products,
powers and functions.  A fact holds (True) when every possible world has it,
fails (False) when none has, and is unknown (None) otherwise: only what can
be proven is claimed.

>>> from symnb.terms import symbols, exp, log, sqrt
>>> x = symbols("x", positive=True)
>>> y = symbols("y")
>>> ask(x, "real"), ask(x, "nonzero"), ask(-x, "negative"), ask(y, "real")
(True, True, True, None)
>>> ask(x**2 + 1, "positive"), ask(sqrt(x) * exp(x), "positive"), ask(log(x), "real")
(True, True, True)
>>> ask(exp(y), "positive"), ask(y**2, "nonnegative")
(None, None)
>>> symbols("z", positive=True, negative=True)
Traceback (most recent call last):
  ...
ValueError: contradictory assumptions for 'z': positive=True, negative=True; drop one of them
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

__all__ = ["FACTS", "ask", "worlds", "declare", "facts_of", "ALL"]

# worlds, one bit each
NR, NI, NF, Z, PI, PF = 1, 2, 4, 8, 16, 32
ALL = 63
_REAL = NI | NF | Z | PI | PF
_POS = PI | PF
_NEG = NI | NF
_INT = NI | Z | PI
_NONZERO_C = ALL & ~Z          # any nonzero complex value

FACTS: dict[str, int] = {
    "real": _REAL,
    "integer": _INT,
    "positive": _POS,
    "negative": _NEG,
    "zero": Z,
    "nonzero": _REAL & ~Z,
    "nonnegative": Z | _POS,
    "nonpositive": _NEG | Z,
}
"""Fact name -> the worlds where it holds (sympy's meaning: ``nonzero`` implies real)."""

_WORLDS = (NR, NI, NF, Z, PI, PF)
_SIGN = {NI: -1, NF: -1, Z: 0, PI: 1, PF: 1}


def declare(name: str, given: Mapping[str, Any]) -> int:
    """The worlds a symbol declared with ``given`` facts may take (ValueError if none)."""
    mask = ALL
    for fact, value in given.items():
        w = FACTS.get(fact)
        if w is None:
            raise ValueError(f"unknown assumption {fact!r} for {name!r}; "
                             f"known: {', '.join(FACTS)}")
        if value is None:
            continue
        if value is not True and value is not False:
            raise ValueError(f"assumption {fact}={value!r} for {name!r} must be True, False "
                             "or None")
        mask &= w if value else ALL & ~w
    if not mask:
        said = ", ".join(f"{k}={v}" for k, v in given.items() if v is not None)
        raise ValueError(f"contradictory assumptions for {name!r}: {said}; drop one of them")
    return mask


def _verdict(mask: int, w: int) -> bool | None:
    if not mask:
        return None
    if not mask & ~w:
        return True
    if not mask & w:
        return False
    return None


def facts_of(mask: int) -> dict[str, bool]:
    """Every fact a world set decides (``{}`` for an unrestricted symbol).

    >>> facts_of(declare("n", {"integer": True, "nonnegative": True}))["real"]
    True
    >>> sorted(k for k, v in facts_of(FACTS["positive"]).items() if v)
    ['nonnegative', 'nonzero', 'positive', 'real']
    """
    if mask == ALL:
        return {}
    out = {}
    for fact, w in FACTS.items():
        v = _verdict(mask, w)
        if v is not None:
            out[fact] = v
    return out


# ----------------------------------------------------------------------
# transfer functions: worlds of an operation's result from its arguments'
# ----------------------------------------------------------------------
def _mk(signs: tuple, integer: bool | None) -> int:
    m = 0
    for w in _WORLDS[1:]:
        if _SIGN[w] in signs and (integer is None or bool(w & _INT) == integer):
            m |= w
    return m


def _add1(a: int, b: int) -> int:
    if a == NR or b == NR:
        return ALL if a == b else NR
    sa, sb = _SIGN[a], _SIGN[b]
    signs = (sb,) if sa == 0 else (sa,) if sb == 0 or sa == sb else (-1, 0, 1)
    ia, ib = bool(a & _INT), bool(b & _INT)
    return _mk(signs, True if ia and ib else False if ia != ib else None)


def _mul1(a: int, b: int) -> int:
    if a == Z or b == Z:
        return Z
    if a == NR or b == NR:
        return _NONZERO_C if a == b else NR
    both_int = bool(a & _INT) and bool(b & _INT)
    return _mk((_SIGN[a] * _SIGN[b],), True if both_int else None)


def _lift(op: Any) -> Any:
    @lru_cache(maxsize=None)
    def lifted(ma: int, mb: int) -> int:
        out = 0
        for a in _WORLDS:
            if ma & a:
                for b in _WORLDS:
                    if mb & b:
                        out |= op(a, b)
        return out
    return lifted


_add = _lift(_add1)
_mul = _lift(_mul1)


def _pow_num1(w: int, v: Any) -> int:
    """Worlds of ``w ** v`` for a real number ``v``."""
    if v == 0:
        return PI
    if w == NR:
        return _NONZERO_C
    if w == Z:
        return Z if v > 0 else ALL
    integral = type(v) is int or (type(v) is float and v.is_integer())
    if w & _POS:
        return PI if (w == PI and integral and v > 0) else _POS
    if not integral:
        return NR                     # principal root of a negative number
    sign = -1 if int(v) % 2 else 1
    return _mk((sign,), True if (w == NI and v > 0) else None)


def _pow_num(m: int, v: Any) -> int:
    out = 0
    for w in _WORLDS:
        if m & w:
            out |= _pow_num1(w, v)
    return out


def _pow(mb: int, me: int) -> int:
    if not mb & ~_POS and not me & ~_REAL:
        return _POS
    if not mb & ~(Z | _POS) and not me & ~_POS:
        return Z | _POS
    if not mb & ~(_REAL & ~Z) and not me & ~_INT:
        return _REAL & ~Z
    return _NONZERO_C if not mb & Z else ALL


def _num(v: Any) -> int:
    t = type(v)
    if t is int:
        return NI if v < 0 else Z if v == 0 else PI
    if t is Fraction:
        return NF if v < 0 else PF
    if v != v or v in (float("inf"), float("-inf")):
        return ALL
    if v == 0:
        return Z
    if v.is_integer():
        return (NI | NF) if v < 0 else _POS
    return NF if v < 0 else PF


def _map(m: int, table: Mapping[int, int]) -> int:
    out = 0
    for w in _WORLDS:
        if m & w:
            out |= table[w]
    return out


_ABS = {NR: _POS, NI: PI, NF: PF, Z: Z, PI: PI, PF: PF}
_SIGNUM = {NR: NR, NI: NI, NF: NI, Z: Z, PI: PI, PF: PI}
_ODD_REAL = {NR: ALL, NI: _NEG, NF: _NEG, Z: Z, PI: _POS, PF: _POS}   # sinh, tanh, atan


def _call(name: str, ms: list) -> int:
    if len(ms) != 1:
        return ALL
    m = ms[0]
    real = not m & ~_REAL
    if name == "exp":
        return PI if m == Z else _POS if real else _NONZERO_C
    if name == "log":
        if not m & ~PI:
            return Z | _POS
        if not m & ~_POS:
            return _REAL
        return NR if not m & ~(NR | _NEG) else ALL
    if name == "Abs":
        return _map(m, _ABS)
    if name == "sign":
        return _map(m, _SIGNUM)
    if name in ("sinh", "tanh", "atan"):
        return _map(m, _ODD_REAL) if real or not m & NR else ALL
    if name == "cosh" and real:
        return _POS
    if name in ("sin", "cos", "tan") and real:
        return _REAL
    return ALL


def worlds(t: Any) -> int:
    """The bit set of worlds a native term's value may lie in (``ALL`` when unknown)."""
    from .core import Add, Call, Mul, Number, Pow, Symbol, Term, postorder
    if not isinstance(t, Term):
        return _num(t) if type(t) in (int, Fraction, float) else ALL
    memo: dict = {}
    for node in postorder(t):
        tt = type(node)
        if tt is Number:
            m = _num(node.value)
        elif tt is Symbol:
            m = node._worlds
        elif tt is Add:
            m = _num(node.const)
            for k, c in node.terms.items():
                m = _add(m, _mul(_num(c), memo[k]))
        elif tt is Mul:
            m = _num(node.coef)
            for b, e in node.factors.items():
                m = _mul(m, _power(memo[b], e, memo))
        elif tt is Pow:
            m = _power(memo[node.base], node.exp, memo)
        elif tt is Call:
            m = _call(node.func.name, [memo[a] for a in node.args_])
        else:  # pragma: no cover
            m = ALL
        memo[node] = m
    return memo[t]


def _power(mb: int, e: Any, memo: dict) -> int:
    from .core import Number
    if type(e) is Number:
        e = e.value
    if type(e) in (int, Fraction, float):
        return _pow_num(mb, e) if e == e else ALL
    return _pow(mb, memo[e])


def ask(t: Any, fact: str) -> bool | None:
    """Whether ``fact`` (``"positive"``, ``"real"``, ...) provably holds for ``t``.

    True or False when proven, None when unknown (sympy's ``t.is_<fact>``).
    Native terms are analysed here; sympy expressions answer with their own
    ``is_<fact>``; numbers of other representations (symengine) by their
    value; anything else gives None (symengine has no assumptions, and its
    ``is_integer`` means "is an Integer object").
    """
    w = FACTS.get(fact)
    if w is None:
        raise ValueError(f"unknown fact {fact!r}; known: {', '.join(FACTS)}")
    from .core import Term
    if isinstance(t, Term) or type(t) in (int, Fraction, float):
        return _verdict(worlds(t), w)
    if type(t).__module__.startswith("sympy."):
        v = getattr(t, "is_" + fact, None)
        return v if v is True or v is False else None
    from .interface import isnumber, numvalue
    try:
        return _verdict(_num(numvalue(t)), w) if isnumber(t) else None
    except TypeError:   # no term interface for this object
        return None
