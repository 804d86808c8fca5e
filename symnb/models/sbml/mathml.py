"""SBML MathML (a libsbml ``ASTNode``) -> symnb term.

Names are looked up through ``resolve(name) -> Term`` (the caller decides what an id
means: a state, a parameter, an assignment rule's expression, a number), function
definitions are inlined, booleans are the numbers 1 and 0, ``piecewise`` becomes nested
``ite``, relational and logical operators the functions of ``symnb.terms.functions``.
The csymbol ``time`` becomes the caller's ``time`` term, ``avogadro`` the number
6.02214179e23, ``rateOf(x)`` the caller's ``rate_of("x")``.

>>> import libsbml
>>> from symnb.terms import Symbol
>>> ast = libsbml.parseL3Formula("piecewise(x^2, x > 1, log(2, x))")
>>> str(to_term(ast, Symbol, Symbol("t")))
'ite(gt(x, 1), x^2, log(x)/log(2))'
"""
from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from ...terms import functions as F
from ...terms.core import Term, sympify_num
from ...terms.limits import abbreviate
from .errors import SBMLError

__all__ = ["to_term", "AVOGADRO", "relations"]

AVOGADRO = 6.02214179e23
"""The value of the ``avogadro`` csymbol in SBML Level 3."""

Resolve = Callable[[str], Term]


def _num(v: Any) -> Term:
    return sympify_num(v)


def _unary(f: Callable[[Term], Term]) -> Callable[[list], Term]:
    return lambda a: f(a[0])


def _chain(f: Callable[[Term, Term], Term], unit: int) -> Callable[[list], Term]:
    def build(a: list) -> Term:
        if not a:
            return _num(unit)
        out = a[0] if len(a) > 1 else F.Not(F.Not(a[0]))
        for b in a[1:]:
            out = f(out, b)
        return out
    return build


def _relational(f: Callable[[Term, Term], Term]) -> Callable[[list], Term]:
    def build(a: list) -> Term:
        if len(a) < 2:
            return _num(1)
        out = f(a[0], a[1])
        for x, y in zip(a[1:-1], a[2:]):
            out = F.And(out, f(x, y))
        return out
    return build


def _minus(a: list) -> Term:
    return -a[0] if len(a) == 1 else a[0] - a[1]


def _plus(a: list) -> Term:
    out = _num(0)
    for x in a:
        out = out + x
    return out


def _times(a: list) -> Term:
    out = _num(1)
    for x in a:
        out = out * x
    return out


def _minmax(pick: Callable) -> Callable[[list], Term]:
    def build(a: list) -> Term:
        out = a[0]
        for b in a[1:]:
            out = pick(out, b)
        return out
    return build


def _piecewise(a: list) -> Term:
    out = a[-1] if len(a) % 2 else _num(math.nan)
    pairs = [(a[i], a[i + 1]) for i in range(0, len(a) - 1, 2)]
    for value, cond in reversed(pairs):
        out = F.ite(cond, value, out)
    return out


def _ops() -> dict:
    import libsbml as L
    inv = lambda f: _unary(lambda x: f(1 / x))  # noqa: E731
    return {
        L.AST_PLUS: _plus, L.AST_MINUS: _minus, L.AST_TIMES: _times,
        L.AST_DIVIDE: lambda a: a[0] / a[1], L.AST_POWER: lambda a: a[0] ** a[1],
        L.AST_FUNCTION_POWER: lambda a: a[0] ** a[1],
        L.AST_FUNCTION_ROOT: lambda a: a[-1] ** (1 / a[0]) if len(a) == 2 else F.sqrt(a[0]),
        L.AST_FUNCTION_LOG: lambda a: (F.log(a[1]) / F.log(a[0]) if len(a) == 2
                                       else F.log(a[0]) / F.log(_num(10))),
        L.AST_FUNCTION_LN: _unary(F.log), L.AST_FUNCTION_EXP: _unary(F.exp),
        L.AST_FUNCTION_ABS: _unary(F.Abs), L.AST_FUNCTION_FLOOR: _unary(F.floor),
        L.AST_FUNCTION_CEILING: _unary(F.ceiling), L.AST_FUNCTION_FACTORIAL: _unary(F.factorial),
        L.AST_FUNCTION_SIN: _unary(F.sin), L.AST_FUNCTION_COS: _unary(F.cos),
        L.AST_FUNCTION_TAN: _unary(F.tan), L.AST_FUNCTION_SEC: _unary(lambda x: 1 / F.cos(x)),
        L.AST_FUNCTION_CSC: _unary(lambda x: 1 / F.sin(x)),
        L.AST_FUNCTION_COT: _unary(lambda x: 1 / F.tan(x)),
        L.AST_FUNCTION_SINH: _unary(F.sinh), L.AST_FUNCTION_COSH: _unary(F.cosh),
        L.AST_FUNCTION_TANH: _unary(F.tanh), L.AST_FUNCTION_SECH: _unary(lambda x: 1 / F.cosh(x)),
        L.AST_FUNCTION_CSCH: _unary(lambda x: 1 / F.sinh(x)),
        L.AST_FUNCTION_COTH: _unary(lambda x: 1 / F.tanh(x)),
        L.AST_FUNCTION_ARCSIN: _unary(F.asin), L.AST_FUNCTION_ARCCOS: _unary(F.acos),
        L.AST_FUNCTION_ARCTAN: _unary(F.atan), L.AST_FUNCTION_ARCSEC: inv(F.acos),
        L.AST_FUNCTION_ARCCSC: inv(F.asin), L.AST_FUNCTION_ARCCOT: inv(F.atan),
        L.AST_FUNCTION_ARCSINH: _unary(F.asinh), L.AST_FUNCTION_ARCCOSH: _unary(F.acosh),
        L.AST_FUNCTION_ARCTANH: _unary(F.atanh), L.AST_FUNCTION_ARCSECH: inv(F.acosh),
        L.AST_FUNCTION_ARCCSCH: inv(F.asinh), L.AST_FUNCTION_ARCCOTH: inv(F.atanh),
        L.AST_FUNCTION_QUOTIENT: lambda a: F.quotient(a[0], a[1]),
        L.AST_FUNCTION_REM: lambda a: F.rem(a[0], a[1]),
        L.AST_FUNCTION_MAX: _minmax(lambda x, y: F.ite(F.ge(x, y), x, y)),
        L.AST_FUNCTION_MIN: _minmax(lambda x, y: F.ite(F.le(x, y), x, y)),
        L.AST_FUNCTION_PIECEWISE: _piecewise,
        L.AST_RELATIONAL_EQ: _relational(F.eq), L.AST_RELATIONAL_NEQ: _relational(F.ne),
        L.AST_RELATIONAL_LT: _relational(F.lt), L.AST_RELATIONAL_LEQ: _relational(F.le),
        L.AST_RELATIONAL_GT: _relational(F.gt), L.AST_RELATIONAL_GEQ: _relational(F.ge),
        L.AST_LOGICAL_AND: _chain(F.And, 1), L.AST_LOGICAL_OR: _chain(F.Or, 0),
        L.AST_LOGICAL_XOR: _chain(F.Xor, 0), L.AST_LOGICAL_NOT: _unary(F.Not),
        L.AST_LOGICAL_IMPLIES: lambda a: F.Or(F.Not(a[0]), a[1]),
    }


_OPS: dict = {}


def _constants() -> dict:
    import libsbml as L
    return {L.AST_CONSTANT_E: math.e, L.AST_CONSTANT_PI: math.pi, L.AST_CONSTANT_TRUE: 1,
            L.AST_CONSTANT_FALSE: 0, L.AST_NAME_AVOGADRO: AVOGADRO}


_CONSTS: dict = {}


def to_term(node: Any, resolve: Resolve, time: Term,
            functions: Mapping[str, Any] | None = None,
            rate_of: Resolve | None = None) -> Term:
    """The term of the MathML ``node``; ``resolve`` maps ids, ``functions`` maps function
    definition ids to their ``lambda`` ASTs (inlined at each call), ``rate_of(id)`` gives
    the term of the csymbol ``rateOf`` (the time derivative of an id's value).  An exact
    division by zero in the formula (``0^-1``) raises ``SBMLError``."""
    import libsbml as L
    if not _OPS:
        _OPS.update(_ops())
        _CONSTS.update(_constants())
    functions = functions or {}

    def walk(n: Any, env: Mapping[str, Term]) -> Term:
        t = n.getType()
        if t == L.AST_INTEGER:
            return _num(int(n.getInteger()))
        if t in (L.AST_REAL, L.AST_REAL_E):
            return _num(float(n.getReal()))
        if t == L.AST_RATIONAL:
            return _num(n.getNumerator()) / _num(n.getDenominator())
        if t == L.AST_NAME:
            name = n.getName()
            return env[name] if name in env else resolve(name)
        if t == L.AST_NAME_TIME:
            return time
        c = _CONSTS.get(t)
        if c is not None:
            return _num(c)
        if t == L.AST_FUNCTION_RATE_OF:
            arg = n.getChild(0) if n.getNumChildren() == 1 else None
            if rate_of is None or arg is None or arg.getType() != L.AST_NAME:
                raise SBMLError("rateOf takes one id (and is not allowed here)")
            return rate_of(arg.getName())
        args = [walk(n.getChild(i), env) for i in range(n.getNumChildren())]
        if t == L.AST_FUNCTION:
            name = n.getName()
            lam = functions.get(name)
            if lam is None:
                raise SBMLError(f"call of an undefined function {name!r}")
            nb = lam.getNumBvars()
            if len(args) != nb:
                raise SBMLError(f"function {name!r} takes {nb} argument(s), got {len(args)}")
            inner = {lam.getChild(i).getName(): a for i, a in enumerate(args)}
            return walk(lam.getChild(lam.getNumChildren() - 1), inner)
        op = _OPS.get(t)
        if op is None:
            what = n.getName() or L.formulaToL3String(n)
            raise SBMLError(f"unsupported MathML construct {what!r} (AST type {t})")
        if t in (L.AST_MINUS,) and not args:
            raise SBMLError("MathML <minus/> without arguments")
        return op(args)

    try:
        return walk(node, {})
    except ZeroDivisionError as e:   # exact 0^-1 or 1/0 in the formula
        raise SBMLError(f"{abbreviate(L.formulaToL3String(node))}: {e}") from None


def _in(env: Mapping[str, Term], resolve: Resolve) -> Resolve:
    return lambda s: env[s] if s in env else resolve(s)


def relations(node: Any, resolve: Resolve, time: Term,
              functions: Mapping[str, Any] | None = None,
              rate_of: Resolve | None = None) -> list[Term]:
    """``a - b`` for every relational ``a op b`` inside ``node`` (root functions of a
    trigger); a trigger with none of them contributes itself (``2*T - 1``)."""
    import libsbml as L
    rel = {L.AST_RELATIONAL_EQ, L.AST_RELATIONAL_NEQ, L.AST_RELATIONAL_LT,
           L.AST_RELATIONAL_LEQ, L.AST_RELATIONAL_GT, L.AST_RELATIONAL_GEQ}
    functions = functions or {}
    out: list[Term] = []

    def walk(n: Any, env: dict) -> None:
        t = n.getType()
        if t == L.AST_FUNCTION and n.getName() in functions:
            lam = functions[n.getName()]
            inner = {lam.getChild(i).getName(): to_term(n.getChild(i), _in(env, resolve), time,
                                                         functions, rate_of)
                     for i in range(min(n.getNumChildren(), lam.getNumBvars()))}
            walk(lam.getChild(lam.getNumChildren() - 1), inner)
            return
        if t in rel:
            terms = [to_term(n.getChild(i), _in(env, resolve), time, functions, rate_of)
                     for i in range(n.getNumChildren())]
            out.extend(a - b for a, b in zip(terms, terms[1:]))
        for i in range(n.getNumChildren()):
            walk(n.getChild(i), env)

    walk(node, {})
    if not out:
        out.append(2 * to_term(node, resolve, time, functions, rate_of) - 1)
    return out
