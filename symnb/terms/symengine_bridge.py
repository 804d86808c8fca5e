"""The term interface for symengine expressions, and conversion to and from symengine.

Imported lazily like the sympy bridge.  symengine always evaluates on
construction (there is no ``evaluate=False``), so a round trip is exact for
terms already in the form symengine keeps; known differences are listed in
``KNOWN_DIFFERENCES``.

>>> import symengine
>>> from symnb.terms.core import Symbol
>>> x = Symbol("x")
>>> to_symengine(x**2 + 1)
1 + x**2
>>> from_symengine(symengine.Symbol("x") ** 2 + 1) is x**2 + 1
True

symengine symbols carry no assumptions: ``to_symengine`` keeps only the
name, and ``from_symengine`` makes plain symbols unless given the symbols to
restore (``symbols=t.free_symbols``):

>>> p = Symbol("p", positive=True)
>>> from_symengine(to_symengine(p)) is p, from_symengine(to_symengine(p), symbols=[p]) is p
(False, True)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable

import symengine as se

from .core import Add, Call, Mul, Number, Pow, Symbol, Term, _number, postorder, power
from .functions import FUNCTIONS, Function
from .interface import number_maker, register_library
from .nary import add_terms, mul_terms
from .walk import fold_postorder
from .sympy_bridge import ConversionError

__all__ = ["to_symengine", "from_symengine", "KNOWN_DIFFERENCES"]

KNOWN_DIFFERENCES = (
    "symengine merges exp(a)*exp(b) into exp(a + b); symnb keeps the product (as sympy does)",
    "symengine extracts a minus sign from sums inside odd/even functions by its own term order "
    "(sin(y - x) -> -sin(x - y)); symnb extracts it only from negative numbers and products",
    "symengine turns square roots of negative numbers into I*sqrt(n); symnb has no complex numbers",
    "symengine evaluates special values of functions at exact numbers (atan(1) -> pi/4); symnb "
    "has no constant pi, so from_symengine raises ConversionError for it",
    "symengine cancels a function applied to its inverse (tan(atan(x)) -> x); symnb keeps it",
    "symengine rewrites a non-integer power of a reciprocal, (1/x)^(1/2) -> x^(-1/2), which "
    "differs for negative x (i against -i at x = -1); symnb keeps sqrt(1/x)",
    "symengine symbols have no assumptions: to_symengine drops them (two symbols named x with "
    "different assumptions become one); from_symengine(e, symbols=...) restores them by name",
)
"""Where symengine's automatic simplification goes further than symnb's canonical form."""

_TO_SE_FUNCS = {
    "sin": se.sin, "cos": se.cos, "tan": se.tan, "asin": se.asin, "acos": se.acos,
    "atan": se.atan, "sinh": se.sinh, "cosh": se.cosh, "tanh": se.tanh, "exp": se.exp,
    "log": se.log, "Abs": se.Abs, "sign": se.sign, "cot": se.cot, "sec": se.sec, "csc": se.csc,
}
_FROM_SE_NAMES = {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp",
                  "log", "Abs", "sign", "cot", "sec", "csc"}


_num_to_se = number_maker(se.Integer, se.Rational, se.RealDouble)


def to_symengine(t: Term) -> Any:
    """Convert a symnb term to a symengine expression."""
    memo: dict = {}
    for node in postorder(t):
        tt = type(node)
        if tt is Number:
            r = _num_to_se(node.value)
        elif tt is Symbol:
            r = se.Symbol(node.name)
        elif tt is Add:
            args = [memo[k] if (type(c) is int and c == 1) else se.Mul(_num_to_se(c), memo[k])
                    for k, c in node.terms.items()]
            if node.const != 0:
                args.append(_num_to_se(node.const))
            r = se.Add(*args)
        elif tt is Mul:
            args = [memo[b] if (type(e) is int and e == 1) else
                    se.Pow(memo[b], memo[e] if isinstance(e, Term) else _num_to_se(e))
                    for b, e in node.factors.items()]
            r = se.Mul(_num_to_se(node.coef), *args)
        elif tt is Pow:
            r = se.Pow(memo[node.base], memo[node.exp])
        elif tt is Call:
            f = _TO_SE_FUNCS.get(node.func.name)
            args = [memo[a] for a in node.args_]
            r = f(*args) if f is not None else se.Function(node.func.name)(*args)
        else:  # pragma: no cover
            raise ConversionError(f"cannot convert {tt.__name__} to symengine")
        memo[node] = r
    return memo[t]


def from_symengine(e: Any, symbols: Iterable[Symbol] = ()) -> Term:
    """Convert a symengine expression to a symnb term.

    A symengine symbol becomes the symbol of that name in ``symbols`` (which
    keeps its assumptions), else a plain ``Symbol(name)``.
    """
    names = {s.name: s for s in symbols}

    def build(node: Any, args: list) -> Term:
        if node.is_Symbol:
            return names[node.name] if node.name in names else Symbol(node.name)
        return _from_se_node(node, args)
    return fold_postorder(e, _se_args, build)


def _se_args(node: Any) -> tuple:
    return node.args


def _from_se_node(node: Any, args: list) -> Term:
    if node.is_Integer:
        return _number(int(node))
    if node.is_Rational:
        p, q = node.get_num_den()
        return _number(Fraction(int(p), int(q)))
    tn = type(node).__name__
    if tn == "RealDouble":
        return _number(float(node))
    if node.is_Add:
        return add_terms(*args)
    if node.is_Mul:
        return mul_terms(*args)
    if node.is_Pow:
        if type(node.args[0]).__name__ in ("E", "Exp1"):   # symengine writes exp(x) as E**x
            return FUNCTIONS["exp"](args[1])
        return power(args[0], args[1])
    if tn in _FROM_SE_NAMES:
        return FUNCTIONS[tn](*args)
    if tn == "FunctionSymbol":
        return Function(node.get_name())(*args)
    if tn in ("E", "Exp1"):
        return FUNCTIONS["exp"](1)
    raise ConversionError(f"symengine object {node} ({tn}) has no symnb counterpart")


# ----------------------------------------------------------------------
# the term interface for symengine.Basic
# ----------------------------------------------------------------------
def _se_opname(t: Any) -> str:
    tn = type(t).__name__
    if tn == "FunctionSymbol":
        return t.get_name()
    return tn


register_library(se.Basic, is_call=lambda t: bool(t.args) and not (t.is_Symbol or t.is_Number),
                 op_name=_se_opname, ratio=lambda t: t.get_num_den(), symbol=se.Symbol,
                 number=_num_to_se)
