"""Named functions: the built-in elementary set and user-declared ``Function("f")``.

A ``Function`` is interned by name; calling it builds a hash-consed ``Call``
node.  Built-ins know their numeric implementation, their derivative, their
parity (``sin(-x) -> -sin(x)``, ``cos(-x) -> cos(x)``) and special values
(``sin(0) -> 0``); on a float argument they evaluate at once.

>>> from symnb.terms.core import Symbol
>>> x = Symbol("x")
>>> sin(-x) is -sin(x)
True
>>> f = Function("f")
>>> f(x).diff(x)
Derivative(f(x), x)
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from .core import Mul, Number, Term, _number, _require_term, intern_call
from .numbers import Num

__all__ = ["Function", "FUNCTIONS", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos",
           "atan", "sinh", "cosh", "tanh", "exp", "log", "sqrt", "Abs", "abs_", "sign",
           "Derivative", "lookup_function", "asinh", "acosh", "atanh", "floor", "ceiling",
           "factorial", "rem", "quotient", "ite", "lt", "le", "gt", "ge", "eq", "ne", "And",
           "Or", "Xor", "Not", "Min", "Max", "rint", "mratio"]

_REGISTRY: dict[str, "Function"] = {}


def _ieee(fn: Callable[[float], float]) -> Callable[..., float]:
    """Wrap a ``math`` function so domain errors give ``nan`` and poles ``inf`` (IEEE)."""
    def wrapped(*a: float) -> float:
        try:
            return fn(*a)
        except ValueError:
            return math.nan
        except OverflowError:
            return math.inf
    wrapped.__name__ = getattr(fn, "__name__", "f")
    return wrapped


def _log(v: float) -> float:
    if v == 0:
        return -math.inf
    if v < 0 or v != v:
        return math.nan
    return math.log(v)


def _recip_of(fn: Callable[[float], float], v: float) -> float:
    """``1/fn(v)`` with IEEE results at a zero (``inf``) or a bad argument (``nan``)."""
    try:
        d = fn(v)
    except ValueError:
        return math.nan
    return 1 / d if d != 0 else math.inf


def _sign(v: float) -> float:
    return (v > 0) - (v < 0) if v == v else math.nan


class Function:
    """A named function symbol.  ``Function("f")`` declares an uninterpreted one.

    Built-ins carry ``impl`` (float -> float), ``deriv`` (list of partial
    derivative builders), ``parity`` ("odd"/"even"/None) and ``special``
    (exact argument -> exact result).
    """

    __slots__ = ("name", "nargs", "impl", "deriv", "parity", "special", "latex", "builtin")

    def __new__(cls, name: str, nargs: int | None = None, *, _builtin: dict | None = None) -> "Function":
        if type(name) is not str or not name.isidentifier():
            raise ValueError(f"a function name must be an identifier, got {name!r}")
        f = _REGISTRY.get(name)
        if f is not None:
            if _builtin is not None:
                raise ValueError(f"function {name!r} is already defined")
            return f
        f = object.__new__(cls)
        f.name = name
        f.nargs = nargs
        b = _builtin or {}
        f.impl = b.get("impl")
        f.deriv = b.get("deriv")
        f.parity = b.get("parity")
        f.special = b.get("special", {})
        f.latex = b.get("latex", r"\operatorname{%s}" % name if len(name) > 1 else name)
        f.builtin = _builtin is not None
        _REGISTRY[name] = f
        return f

    def __reduce__(self) -> tuple:
        return (_function_named, (self.name, self.nargs))

    def __repr__(self) -> str:
        return self.name

    @property
    def __name__(self) -> str:  # so generic code can use op.__name__ on every backend
        return self.name

    def __call__(self, *args: Any) -> Term:
        if self.nargs is not None and len(args) != self.nargs:
            raise TypeError(f"{self.name}() takes {self.nargs} argument(s), got {len(args)}")
        targs = tuple(_require_term(a) for a in args)
        if self.builtin:
            return self._evaluate(targs)
        return intern_call(self, targs)

    def _evaluate(self, args: tuple) -> Term:
        if len(args) == 1:
            (a,) = args
            if type(a) is Number:
                v = a.value
                if type(v) is float:
                    return _number(float(self.impl(v)))
                hit = self.special.get(v)
                if hit is not None:
                    return _number(hit) if not isinstance(hit, Term) else hit
            if self.parity is not None and _has_minus_sign(a):
                inner = intern_call(self, (-a,)) if not _special_after_neg(self, -a) else self(-a)
                return -inner if self.parity == "odd" else inner
        elif args and all(type(a) is Number and type(a.value) is float for a in args):
            return _number(float(self.impl(*[a.value for a in args])))
        return intern_call(self, args)


def _has_minus_sign(t: Term) -> bool:
    tt = type(t)
    if tt is Number:
        return t.value < 0
    if tt is Mul:
        return t.coef < 0
    return False


def _special_after_neg(f: Function, t: Term) -> bool:
    return type(t) is Number


def lookup_function(name: str) -> Function:
    """The function registered under ``name`` (KeyError if none)."""
    return _REGISTRY[name]


def _function_named(name: str, nargs: int | None) -> Function:
    """The function ``name``; a user function not declared in this process is declared
    (what unpickling calls, so a ``Function("f")`` term loads in a fresh worker)."""
    f = _REGISTRY.get(name)
    return f if f is not None else Function(name, nargs)


def _d(builder: Callable[[Term], Term]) -> list:
    return [builder]


def _builtin(name: str, impl: Callable, deriv: Sequence[Callable] | None, *,
             parity: str | None = None, special: dict | None = None,
             latex: str | None = None, nargs: int = 1) -> Function:
    spec = {"impl": impl, "deriv": list(deriv) if deriv else None, "parity": parity,
            "special": special or {}}
    if latex:
        spec["latex"] = latex
    return Function(name, nargs, _builtin=spec)


# derivative builders receive the argument term and return d f / d arg
sin = _builtin("sin", _ieee(math.sin), [lambda a: cos(a)], parity="odd", special={0: 0},
               latex=r"\sin")
cos = _builtin("cos", _ieee(math.cos), [lambda a: -sin(a)], parity="even", special={0: 1},
               latex=r"\cos")
tan = _builtin("tan", _ieee(math.tan), [lambda a: 1 + tan(a) ** 2], parity="odd",
               special={0: 0}, latex=r"\tan")
# reciprocal functions: defined as 1/tan, 1/cos, 1/sin (poles where those vanish)
cot = _builtin("cot", lambda v: _recip_of(math.tan, v), [lambda a: -1 - cot(a) ** 2],
               parity="odd", latex=r"\cot")
sec = _builtin("sec", lambda v: _recip_of(math.cos, v), [lambda a: sec(a) * tan(a)],
               parity="even", special={0: 1}, latex=r"\sec")
csc = _builtin("csc", lambda v: _recip_of(math.sin, v), [lambda a: -csc(a) * cot(a)],
               parity="odd", latex=r"\csc")
asin = _builtin("asin", _ieee(math.asin), [lambda a: (1 - a ** 2) ** _half(-1)],
                parity="odd", special={0: 0}, latex=r"\arcsin")
acos = _builtin("acos", _ieee(math.acos), [lambda a: -(1 - a ** 2) ** _half(-1)],
                latex=r"\arccos")
atan = _builtin("atan", _ieee(math.atan), [lambda a: 1 / (1 + a ** 2)], parity="odd",
                special={0: 0}, latex=r"\arctan")
sinh = _builtin("sinh", _ieee(math.sinh), [lambda a: cosh(a)], parity="odd", special={0: 0},
                latex=r"\sinh")
cosh = _builtin("cosh", _ieee(math.cosh), [lambda a: sinh(a)], parity="even", special={0: 1},
                latex=r"\cosh")
tanh = _builtin("tanh", _ieee(math.tanh), [lambda a: 1 - tanh(a) ** 2], parity="odd",
                special={0: 0}, latex=r"\tanh")
exp = _builtin("exp", _ieee(math.exp), [lambda a: exp(a)], special={0: 1}, latex=r"\exp")
log = _builtin("log", _log, [lambda a: 1 / a], special={1: 0}, latex=r"\log")
Abs = _builtin("Abs", abs, [lambda a: sign(a)], parity="even", latex=None)
sign = _builtin("sign", _sign, [lambda a: _number(0)], parity="odd", special={0: 0})
asinh = _builtin("asinh", _ieee(math.asinh), [lambda a: (1 + a ** 2) ** _half(-1)],
                parity="odd", special={0: 0}, latex=r"\operatorname{arsinh}")
acosh = _builtin("acosh", _ieee(math.acosh), [lambda a: (a ** 2 - 1) ** _half(-1)],
                 latex=r"\operatorname{arcosh}")
atanh = _builtin("atanh", _ieee(math.atanh), [lambda a: 1 / (1 - a ** 2)], parity="odd",
                 special={0: 0}, latex=r"\operatorname{artanh}")


# Piecewise, relational and logical functions on floats (true = 1.0, false = 0.0), written
# so that numba can compile the same implementations (SBML MathML, BioNetGen ``if``).
def _ite(c: float, a: float, b: float) -> float:
    return a if c != 0.0 else b


def _lt(a: float, b: float) -> float:
    return 1.0 if a < b else 0.0


def _le(a: float, b: float) -> float:
    return 1.0 if a <= b else 0.0


def _gt(a: float, b: float) -> float:
    return 1.0 if a > b else 0.0


def _ge(a: float, b: float) -> float:
    return 1.0 if a >= b else 0.0


def _eq(a: float, b: float) -> float:
    return 1.0 if a == b else 0.0


def _ne(a: float, b: float) -> float:
    return 1.0 if a != b else 0.0


def _and(a: float, b: float) -> float:
    return 1.0 if (a != 0.0 and b != 0.0) else 0.0


def _or(a: float, b: float) -> float:
    return 1.0 if (a != 0.0 or b != 0.0) else 0.0


def _xor(a: float, b: float) -> float:
    return 1.0 if ((a != 0.0) != (b != 0.0)) else 0.0


def _not(a: float) -> float:
    return 1.0 if a == 0.0 else 0.0


def _floor(a: float) -> float:
    return float(math.floor(a)) if math.isfinite(a) else a


def _ceiling(a: float) -> float:
    return float(math.ceil(a)) if math.isfinite(a) else a


def _factorial(a: float) -> float:
    return math.gamma(a + 1.0) if a < 171.0 else math.inf


def _quotient(a: float, b: float) -> float:
    if b == 0.0:
        return math.nan
    q = a / b
    return float(math.floor(q)) if q >= 0.0 else float(math.ceil(q))


def _rem(a: float, b: float) -> float:
    if b == 0.0:
        return math.nan
    q = a / b
    return a - b * (float(math.floor(q)) if q >= 0.0 else float(math.ceil(q)))


def _min(a: float, b: float) -> float:
    return a if a <= b else b


def _max(a: float, b: float) -> float:
    return a if a >= b else b


def _rint(a: float) -> float:
    """Round to the nearest integer, halves to even (C ``rint``)."""
    if not math.isfinite(a):
        return a
    r = float(math.floor(a + 0.5))
    if r - a == 0.5 and r % 2.0 != 0.0:
        r -= 1.0
    return r


def _mratio(a: float, b: float, z: float) -> float:
    """BioNetGen's ``mratio(a, b, z) = M(a+1, b+1, z) / M(a, b, z)`` (Kummer's M): both
    series summed together; for ``z < 0`` through Kummer's transformation
    ``M(a, b, z) = e^z M(b-a, b, -z)``, so the ratio is ``M(b-a, b+1, -z) / M(b-a, b, -z)``."""
    if z >= 0.0:
        a0, b0, a1, b1, w = a, b, a + 1.0, b + 1.0, z
    else:
        a0, b0, a1, b1, w = b - a, b, b - a, b + 1.0, -z
    t0 = t1 = s0 = s1 = 1.0
    n = 0.0
    while n < 100000.0:
        t0 *= (a0 + n) / (b0 + n) * w / (n + 1.0)
        t1 *= (a1 + n) / (b1 + n) * w / (n + 1.0)
        s0 += t0
        s1 += t1
        if abs(s0) > 1e280 or abs(s1) > 1e280:
            s0, s1, t0, t1 = s0 * 1e-280, s1 * 1e-280, t0 * 1e-280, t1 * 1e-280
        n += 1.0
        if n > w and abs(t0) <= 1e-17 * abs(s0) and abs(t1) <= 1e-17 * abs(s1):
            break
    return s1 / s0


def _zero(*args: Term) -> Term:
    return _number(0)


def _flat(name: str, impl: Callable, nargs: int = 2) -> Function:
    """A piecewise-constant builtin: every partial derivative is 0."""
    return _builtin(name, impl, [_zero] * nargs, nargs=nargs)


ite = _builtin("ite", _ite, [_zero, lambda c, a, b: ite(c, 1, 0), lambda c, a, b: ite(c, 0, 1)],
               nargs=3, latex=r"\operatorname{if}")
"""``ite(c, a, b)``: ``a`` where ``c`` is true (nonzero), else ``b`` (piecewise)."""
lt, le, gt, ge, eq, ne = (_flat(n, f) for n, f in (("lt", _lt), ("le", _le), ("gt", _gt),
                                                    ("ge", _ge), ("eq", _eq), ("ne", _ne)))
And, Or, Xor = (_flat(n, f) for n, f in (("And", _and), ("Or", _or), ("Xor", _xor)))
Not = _flat("Not", _not, 1)
floor = _flat("floor", _floor, 1)
ceiling = _flat("ceiling", _ceiling, 1)
quotient = _flat("quotient", _quotient)
rem = _builtin("rem", _rem, [lambda a, b: _number(1), lambda a, b: -quotient(a, b)], nargs=2)
factorial = _builtin("factorial", _factorial, None, latex=None)
Min = _builtin("Min", _min, [lambda a, b: le(a, b), lambda a, b: gt(a, b)], nargs=2,
               latex=r"\min")
"""``Min(a, b)`` (BioNetGen ``min``); derivative: the chosen branch's (``a`` on ties)."""
Max = _builtin("Max", _max, [lambda a, b: ge(a, b), lambda a, b: lt(a, b)], nargs=2,
               latex=r"\max")
"""``Max(a, b)`` (BioNetGen ``max``)."""
rint = _flat("rint", _rint, 1)
"""``rint(x)``: nearest integer, halves to even."""


def _mratio_dz(a: Term, b: Term, z: Term) -> Term:
    """d mratio(a, b, z) / dz.  With ``M(a, b, z)' = (a/b) M(a+1, b+1, z)`` and
    ``R = M1/M0``: ``R' = ((a+1)/(b+1)) M2/M0 - (a/b) R^2``, ``M2/M0 = mratio(a+1, b+1, z) R``.

    >>> from symnb.terms.core import Symbol
    >>> from symnb.terms.calculus import diff, evaluate
    >>> z, h = Symbol("z"), 1e-6
    >>> d = evaluate(diff(mratio(1, 2, z), z), {z: 0.5})
    >>> fd = (evaluate(mratio(1, 2, z), {z: 0.5 + h})
    ...       - evaluate(mratio(1, 2, z), {z: 0.5 - h})) / (2 * h)
    >>> abs(d - fd) < 1e-8
    True
    """
    r = mratio(a, b, z)
    return (a + 1) / (b + 1) * mratio(a + 1, b + 1, z) * r - a / b * r ** 2


def _mratio_dparam(i: int) -> Callable[..., Term]:
    # no closed form in mratio: an unevaluated partial derivative (not compiled)
    return lambda a, b, z: Derivative(mratio(a, b, z), _number(i))


mratio = _builtin("mratio", _mratio, [_mratio_dparam(0), _mratio_dparam(1), _mratio_dz],
                  nargs=3)
"""``mratio(a, b, z) = M(a+1, b+1, z) / M(a, b, z)`` (BioNetGen; Kummer's M).  Derivative
in ``z``: ``(a+1)/(b+1) mratio(a+1, b+1, z) mratio(a, b, z) - (a/b) mratio(a, b, z)^2``
(from ``dM(a, b, z)/dz = (a/b) M(a+1, b+1, z)``); in ``a`` and ``b`` it stays an
unevaluated ``Derivative`` (BioNetGen's ``a`` and ``b`` are constants).
"""


def _half(k: int) -> Term:
    from fractions import Fraction
    return _number(Fraction(k, 2))


def sqrt(x: Any) -> Term:
    """``x ** (1/2)`` (kept as a power, printed as ``sqrt(x)``)."""
    return _require_term(x) ** _half(1)


abs_ = Abs

# Exact special values of Abs at exact numbers: |v|.
class _AbsSpecial(dict):
    def get(self, v: Num, default: Any = None) -> Any:  # type: ignore[override]
        return abs(v)


Abs.special = _AbsSpecial()

FUNCTIONS: dict[str, Callable[..., Term]] = {
    "sin": sin, "cos": cos, "tan": tan, "cot": cot, "sec": sec, "csc": csc,
    "asin": asin, "acos": acos, "atan": atan,
    "sinh": sinh, "cosh": cosh, "tanh": tanh, "exp": exp, "log": log, "sqrt": sqrt,
    "abs": Abs, "Abs": Abs, "sign": sign,
}
"""Names the safe parser accepts for calls (plus user-declared ``Function`` names)."""

# An unevaluated derivative of an uninterpreted function: Derivative(f(x), x).
Derivative = Function("Derivative")
