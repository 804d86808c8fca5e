"""The term interface for sympy expressions, and exact conversion to and from sympy.

Imported lazily (the first time a sympy object meets the term interface, or
when ``to_sympy``/``from_sympy`` is called), so ``import symnb`` does not
import sympy.

>>> import sympy
>>> from symnb.terms.core import Symbol
>>> x = Symbol("x")
>>> to_sympy(x**2 + 1)
x**2 + 1
>>> from_sympy(sympy.Symbol("x") ** 2 + 1) is x**2 + 1
True

Assumptions travel both ways (facts symnb does not model, such as sympy's
``prime`` or ``rational``, are dropped by ``from_sympy``):

>>> p = Symbol("p", positive=True)
>>> to_sympy(p).is_positive, from_sympy(to_sympy(p)) is p
(True, True)
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import sympy

from .core import Add, Call, Mul, Number, Pow, Symbol, Term, _number, children, postorder, \
    power
from .assumptions import FACTS
from .limits import DepthExceeded
from .numbers import exact_pow_too_big
from .functions import FUNCTIONS, Derivative, Function, lookup_function
from .interface import number_maker, register_library
from .nary import add_terms, mul_terms
from .walk import fold_postorder

__all__ = ["to_sympy", "from_sympy", "ConversionError"]


class ConversionError(ValueError):
    """A term has no counterpart in the other representation."""


_TO_SYMPY_FUNCS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "asin": sympy.asin,
    "acos": sympy.acos, "atan": sympy.atan, "sinh": sympy.sinh, "cosh": sympy.cosh,
    "tanh": sympy.tanh, "exp": sympy.exp, "log": sympy.log, "Abs": sympy.Abs,
    "sign": sympy.sign, "cot": sympy.cot, "sec": sympy.sec, "csc": sympy.csc,
}
_FROM_SYMPY_FUNCS = {cls: name for name, cls in _TO_SYMPY_FUNCS.items()}


_num_to_sympy = number_maker(sympy.Integer, sympy.Rational, sympy.Float)


def to_sympy(t: Term) -> Any:
    """Convert a symnb term to a sympy expression (sharing preserved, exact numbers kept).

    Function calls and numeric powers are built unevaluated so that sympy's
    automatic rewriting (``sin(-x) -> -sin(x)``, ``sqrt(8) -> 2*sqrt(2)``) does
    not change the structure: ``from_sympy(to_sympy(t)) is t``.  A term nested beyond
    what sympy's recursive constructors take raises :class:`DepthExceeded`.
    """
    try:
        return _to_sympy(t)
    except RecursionError:
        raise DepthExceeded("to_sympy") from None


_SYMPY_MAX_EXP = 1000
"""Larger exact exponents make sympy's evaluation expensive even on symbols: it expands
``(re + I*im)^n`` when it asks an assumption of ``y^n`` (``as_real_imag``)."""


def _huge_power(b: Term, e: Any) -> bool:
    """``b^e`` is a power of numbers that symnb left symbolic because it is too big, or a
    power with an exact exponent beyond ``_SYMPY_MAX_EXP``."""
    ev = e.value if type(e) is Number else e
    if type(ev) not in (int, Fraction):
        return False
    return abs(ev) > _SYMPY_MAX_EXP or (type(b) is Number and exact_pow_too_big(b.value, ev))


def _to_sympy(t: Term) -> Any:
    memo: dict = {}
    raw: set = set()   # products built unevaluated (sympy would merge their radicals)
    # A term holding a huge power of numbers, such as (1/3)^(10^9), is built unevaluated all
    # the way up: sympy evaluates such powers exactly wherever it flattens a sum or product
    # or asks an assumption (is_rational...) of a power that contains one.
    huge: set = set()
    for node in postorder(t):
        tt = type(node)
        if any(c in huge for c in children(node)) or (tt is Pow and _huge_power(
                node.base, node.exp)) or (tt is Mul and any(
                    _huge_power(b, e) for b, e in node.factors.items())):
            huge.add(node)
            raw.add(node)
            memo[node] = _frozen(node, memo)
            continue
        if tt is Number:
            r = _num_to_sympy(node.value)
        elif tt is Symbol:
            r = sympy.Symbol(node.name, **node.assumptions0)
        elif tt is Add:
            args = [memo[k] if (type(c) is int and c == 1) else
                    sympy.Mul(_num_to_sympy(c), memo[k], evaluate=k not in raw)
                    for k, c in node.terms.items()]
            if node.const != 0:
                args.append(_num_to_sympy(node.const))
            keep = any(k in raw for k in node.terms)
            r = sympy.Add(*args, evaluate=not keep)
            if keep:
                raw.add(node)   # sympy would re-evaluate the unevaluated parts inside
        elif tt is Mul:
            args = [memo[b] if (type(e) is int and e == 1) else _pow(b, e, memo, raw)
                    for b, e in node.factors.items()]
            # sympy merges numeric radicals (sqrt(2)*sqrt(3) -> sqrt(6)); symnb keeps them apart
            # sympy re-evaluates roots of numbers and of products inside a product
            # (sqrt(2)*sqrt(3) -> sqrt(6), 1.0*sqrt(x*sin(1)) -> 1.0*sqrt(x)*sqrt(sin(1)))
            # and evaluates 2^(-3^1024) exactly: keep powers symnb left symbolic as they are
            keep = any(b in raw or (type(b) in (Number, Mul) and type(e) is not int)
                       or (type(b) is Number and type(e) in (int, Fraction)
                           and exact_pow_too_big(b.value, e))
                       for b, e in node.factors.items()) or \
                (type(node.coef) is float and node.coef in (math.inf, -math.inf))  # oo*sin(1)
            r = sympy.Mul(_num_to_sympy(node.coef), *args, evaluate=not keep)
            if keep:
                raw.add(node)
        elif tt is Pow:
            r = _pow(node.base, node.exp, memo, raw)
            if type(node.base) in (Number, Mul) or node.base in raw:
                raw.add(node)   # sympy's Mul would evaluate sqrt(8) or sqrt(-1)
        elif tt is Call:
            r = _call_to_sympy(node, [memo[a] for a in node.args_])
            if node.func.name == "exp":
                raw.add(node)   # sympy's Mul would split exp(1.0 + x) into 2.718*exp(x)
        else:  # pragma: no cover
            raise ConversionError(f"cannot convert {tt.__name__} to sympy")
        memo[node] = r
    return memo[t]


def _frozen(node: Term, memo: dict) -> Any:
    """The sympy form of ``node`` built without evaluation at every level (children done)."""
    tt = type(node)
    if tt is Add:
        args = [memo[k] if (type(c) is int and c == 1) else
                sympy.Mul(_num_to_sympy(c), memo[k], evaluate=False)
                for k, c in node.terms.items()]
        if node.const != 0:
            args.append(_num_to_sympy(node.const))
        return sympy.Add(*args, evaluate=False)
    if tt is Mul:
        args = [memo[b] if (type(e) is int and e == 1) else
                sympy.Pow(memo[b], memo[e] if isinstance(e, Term) else _num_to_sympy(e),
                          evaluate=False) for b, e in node.factors.items()]
        if node.coef != 1 or type(node.coef) is not int:
            args.insert(0, _num_to_sympy(node.coef))
        return sympy.Mul(*args, evaluate=False)
    if tt is Pow:
        return sympy.Pow(memo[node.base], memo[node.exp], evaluate=False)
    return _call_to_sympy(node, [memo[a] for a in node.args_])


def _pow(b: Term, e: Any, memo: dict, raw: set) -> Any:
    se = memo[e] if isinstance(e, Term) else _num_to_sympy(e)
    # sympy rewrites non-integer powers by its assumptions (sqrt(x*sin(1)) ->
    # sqrt(x)*sqrt(sin(1)), sqrt(-1) -> I): build those unevaluated
    integer = type(e) is int or (type(e) is Number and type(e.value) is int)
    return sympy.Pow(memo[b], se, evaluate=integer and type(b) is not Number and b not in raw)


def _call_to_sympy(node: Call, args: list) -> Any:
    name = node.func.name
    f = _TO_SYMPY_FUNCS.get(name)
    if f is not None:
        return f(*args, evaluate=False)
    if node.func is Derivative and len(args) == 2 and isinstance(args[1], sympy.Symbol):
        return sympy.Derivative(args[0], args[1])
    return sympy.Function(name)(*args)


def from_sympy(e: Any) -> Term:
    """Convert a sympy expression to a symnb term (unsupported objects raise ConversionError,
    one nested beyond what sympy's recursive methods take raises :class:`DepthExceeded`)."""
    if not isinstance(e, sympy.Basic):
        raise TypeError(f"from_sympy expects a sympy expression, got {type(e).__name__}")
    try:
        return fold_postorder(e, _sympy_args, _from_sympy_node)
    except RecursionError:
        raise DepthExceeded("from_sympy") from None


def _sympy_args(node: Any) -> tuple:
    return node.args


def _symbol_from_sympy(node: Any) -> Symbol:
    """The symnb symbol of a sympy one, with the facts symnb models that sympy decides."""
    facts = {}
    for f in FACTS:
        v = getattr(node, "is_" + f)
        if v is not None:
            facts[f] = v
    return Symbol(node.name, **facts)


def _from_sympy_node(node: Any, args: list) -> Term:
    if node.is_Symbol:
        return _symbol_from_sympy(node)
    if node.is_Integer:
        return _number(int(node))
    if node.is_Rational:
        return _number(Fraction(int(node.p), int(node.q)))
    if node.is_Float:
        return _number(float(node))
    if node is sympy.oo or node is sympy.S.NegativeInfinity or node is sympy.nan:
        return _number(float(node))
    if node.is_Add:
        return add_terms(*args)
    if node.is_Mul:
        return mul_terms(*args)
    if node.is_Pow:
        return power(args[0], args[1])
    if node is sympy.E:
        return lookup_function("exp")(1)
    name = _FROM_SYMPY_FUNCS.get(node.func)
    if name is not None:
        return FUNCTIONS[name](*args)
    if isinstance(node, sympy.Derivative):
        if len(args) == 2 and isinstance(node.args[1], sympy.Tuple):
            var, count = node.args[1].args
            r = args[0]
            for _ in range(int(count)):
                r = Derivative(r, Symbol(var.name))
            return r
    if isinstance(node, sympy.core.function.AppliedUndef):
        return Function(node.func.__name__)(*args)
    raise ConversionError(f"sympy object {node} ({type(node).__name__}) has no symnb counterpart")


# ----------------------------------------------------------------------
# the term interface for sympy.Basic
# ----------------------------------------------------------------------
_OPNAMES = {sympy.Add: "Add", sympy.Mul: "Mul", sympy.Pow: "Pow"}


def _sympy_opname(t: Any) -> str:
    f = t.func
    n = _OPNAMES.get(f) or _FROM_SYMPY_FUNCS.get(f)
    return n if n is not None else f.__name__


register_library(sympy.Basic, is_call=lambda t: bool(t.args) and not t.is_Atom,
                 op_name=_sympy_opname, ratio=lambda t: (t.p, t.q), symbol=sympy.Symbol,
                 number=_num_to_sympy)
