"""The term interface: the seam every generic algorithm walks through.

``iscall(t)``, ``operation(t)``, ``arguments(t)``, ``maketerm(op, args)``,
``issym(t)``, ``isnumber(t)`` (plus ``opname``, ``symname``, ``numvalue``)
are ``functools.singledispatch`` functions.  They are implemented here for
symnb terms; sympy and symengine implementations register themselves on first
use (``sympy_bridge.py``, ``symengine_bridge.py``), so importing symnb never
imports either library.  A new representation plugs in by registering these.

>>> from symnb.terms.core import Symbol
>>> x, y = Symbol("x"), Symbol("y")
>>> e = x * y + 2
>>> iscall(e), opname(e), [str(a) for a in arguments(e)]
(True, 'Add', ['2', 'x*y'])
>>> maketerm(operation(e), arguments(e)) is e
True
"""
from __future__ import annotations

from functools import singledispatch
from fractions import Fraction
from typing import Any, Callable, Sequence

from .core import Add, Call, Mul, Number, Pow, Symbol, Term, _number
from .numbers import num_to_float
from .order import sort_key

__all__ = ["iscall", "operation", "arguments", "maketerm", "issym", "isnumber",
           "opname", "symname", "numvalue", "makesym", "makenum", "TermOps", "term_ops",
           "register_library", "number_maker"]

_LAZY = {"sympy": "symnb.terms.sympy_bridge", "symengine": "symnb.terms.symengine_bridge"}


def _lazy_register(t: Any) -> bool:
    """Import the bridge for ``t``'s library (which registers it); True if one did."""
    mod = type(t).__module__.split(".", 1)[0]
    target = _LAZY.get(mod)
    if target is None:
        return False
    import importlib
    importlib.import_module(target)
    del _LAZY[mod]
    return True


def _unknown(fname: str, t: Any) -> Any:
    raise TypeError(f"{fname}: {type(t).__name__} is not a term of any registered representation")


def _dispatching(name: str, doc: str):
    """Make a singledispatch function (documented by ``doc``) whose fallback lazily registers
    sympy/symengine."""
    def fallback(t: Any, *rest: Any) -> Any:
        if _lazy_register(t):
            return fn.dispatch(type(t))(t, *rest)
        return _unknown(name, t)
    fallback.__name__ = name
    fn = singledispatch(fallback)
    fn.__doc__ = doc
    _watch(fn)
    _IFACE[name] = fn
    return fn


_IFACE: dict = {}
"""Interface function name -> its singledispatch function (what ``term_ops`` resolves)."""

_TYPE_OPS: dict = {}
"""Representation type -> its resolved ``TermOps`` (cleared whenever anything registers)."""


def _watch(fn: Any) -> None:
    """Make ``fn.register`` forget the resolved ``TermOps`` (a registration may change them)."""
    orig = fn.register

    def register(cls: Any, func: Any = None) -> Any:
        _TYPE_OPS.clear()
        r = orig(cls, func)
        if func is None and isinstance(cls, type):
            def deco(f: Any) -> Any:
                out = r(f)
                _TYPE_OPS.clear()
                return out
            return deco
        return r
    fn.register = register


iscall = _dispatching("iscall", "True if ``t`` is a compound term (an operation applied to "
                     "arguments).")
operation = _dispatching("operation", "The head of a compound term; ``maketerm(operation(t), "
                         "arguments(t))`` rebuilds it.")
arguments = _dispatching("arguments", "The arguments of a compound term, in a deterministic order.")
issym = _dispatching("issym", "True if ``t`` is a symbol (a named leaf).")
isnumber = _dispatching("isnumber", "True if ``t`` is a numeric leaf.")
opname = _dispatching("opname", "A representation-independent name of ``t``'s operation: 'Add', "
                      "'Mul', 'Pow' or a function name.")
symname = _dispatching("symname", "The name of a symbol.")
numvalue = _dispatching("numvalue", "The value of a numeric leaf as int, Fraction or float.")


def _maketerm_fallback(op: Any, args: Sequence) -> Any:
    return op(*args)


maketerm = singledispatch(_maketerm_fallback)
_watch(maketerm)
maketerm.__doc__ = "Build the term ``op(*args)`` in ``op``'s representation (dispatch on ``op``)."

makesym = _dispatching("makesym", "``makesym(like, name)``: a symbol called ``name`` in the "
                       "representation of ``like``.")
makenum = _dispatching("makenum", "``makenum(like, value)``: a number in the representation of "
                       "``like``.")


# ----------------------------------------------------------------------
# symnb's own terms
# ----------------------------------------------------------------------
@iscall.register
def _(t: Term) -> bool:
    tt = type(t)
    return tt is not Symbol and tt is not Number


@operation.register
def _(t: Term) -> Any:
    tt = type(t)
    if tt is Call:
        return t.func
    if tt is Symbol or tt is Number:
        raise TypeError(f"operation: {t} is a leaf, not a call")
    return tt


def _native_args(t: Term) -> tuple:
    tt = type(t)
    if tt is Add:
        a = t._args
        if a is None:
            from .core import _scale
            a = sorted((_scale(k, c) for k, c in t.terms.items()), key=_graded_key)
            if t.const != 0:
                a.insert(0, _number(t.const))
            a = t._args = tuple(a)
        return a
    if tt is Mul:
        a = t._args
        if a is None:
            from .core import make_mul
            a = sorted((k if (type(e) is int and e == 1) else make_mul(1, {k: e})
                        for k, e in t.factors.items()), key=sort_key)
            if not (type(t.coef) is int and t.coef == 1):
                a.insert(0, _number(t.coef))
            a = t._args = tuple(a)
        return a
    if tt is Pow:
        return (t.base, t.exp)
    if tt is Call:
        return t.args_
    raise TypeError(f"arguments: {t} is a leaf, not a call")


arguments.register(Term, _native_args)


def _degree(t: Term) -> float:
    tt = type(t)
    if tt is Mul:
        return sum(e if not isinstance(e, Term) else 1 for e in t.factors.values())
    if tt is Pow:
        return t.exp.value if type(t.exp) is Number else 1
    return 1


def _graded_key(t: Term) -> tuple:
    """Order of the terms of a sum: by total degree, then structurally."""
    return (num_to_float(_degree(t)), sort_key(t))   # x^(10^400): degree inf, no OverflowError


@issym.register
def _(t: Term) -> bool:
    return type(t) is Symbol


@isnumber.register
def _(t: Term) -> bool:
    return type(t) is Number


@opname.register
def _(t: Term) -> str:
    tt = type(t)
    if tt is Call:
        return t.func.name
    if tt is Add or tt is Mul or tt is Pow:
        return tt.__name__
    raise TypeError(f"opname: {t} is a leaf, not a call")


@symname.register
def _(t: Term) -> str:
    if type(t) is not Symbol:
        raise TypeError(f"symname: {t} is not a symbol")
    return t.name


@numvalue.register
def _(t: Term) -> Any:
    if type(t) is not Number:
        raise TypeError(f"numvalue: {t} is not a number")
    return t.value


@makesym.register
def _(like: Term, name: str) -> Term:
    return Symbol(name)


@makenum.register
def _(like: Term, value: Any) -> Term:
    return _number(value) if not isinstance(value, Term) else value


# ----------------------------------------------------------------------
# sympy-like libraries (sympy, symengine): one registration for both
# ----------------------------------------------------------------------
def number_maker(integer: Callable, rational: Callable, real: Callable) -> Callable[[Any], Any]:
    """A library's number from an int, Fraction or float, through its three constructors.

    >>> number_maker(str, lambda p, q: f"{p}/{q}", repr)(Fraction(3, 4))
    '3/4'
    """
    def number(v: Any) -> Any:
        if type(v) is int:
            return integer(v)
        if type(v) is Fraction:
            return rational(v.numerator, v.denominator)
        return real(v)
    return number


def register_library(cls: type, *, is_call: Callable[[Any], bool],
                     op_name: Callable[[Any], str], ratio: Callable[[Any], tuple],
                     symbol: Callable[[str], Any], number: Callable[[Any], Any]) -> None:
    """Register the term interface for ``cls``, the base class of a sympy-like library whose
    objects carry ``func``, ``args``, ``name``, ``is_Symbol``, ``is_Number``, ``is_Integer`` and
    ``is_Rational``. The library supplies what differs: ``is_call(t)``, ``op_name(t)``,
    ``ratio(t)`` (a rational's numerator and denominator), ``symbol(name)`` and ``number(value)``.

    >>> import sympy
    >>> from symnb.terms import sympy_bridge  # registers sympy.Basic through this
    >>> numvalue(sympy.Rational(3, 4)), symname(makesym(sympy.Integer(1), "k"))
    (Fraction(3, 4), 'k')
    """
    def value(t: Any) -> Any:
        if t.is_Integer:
            return int(t)
        if t.is_Rational:
            p, q = ratio(t)
            return Fraction(int(p), int(q))
        return float(t)

    iscall.register(cls, is_call)
    operation.register(cls, lambda t: t.func)
    arguments.register(cls, lambda t: tuple(t.args))
    issym.register(cls, lambda t: bool(t.is_Symbol))
    isnumber.register(cls, lambda t: bool(t.is_Number))
    opname.register(cls, op_name)
    symname.register(cls, lambda t: t.name)
    numvalue.register(cls, value)
    makesym.register(cls, lambda like, name: symbol(name))
    makenum.register(cls, lambda like, v: v if isinstance(v, cls) else number(v))


# ----------------------------------------------------------------------
# interface resolution: the plain functions for one representation type
# ----------------------------------------------------------------------
class TermOps:
    """The term interface resolved for one representation type: plain functions.

    ``term_ops(t).iscall(u)`` is ``iscall(u)`` for any ``u`` of ``type(t)``,
    without singledispatch's per-call dispatch.  ``head(u)`` is
    ``opname(u) if iscall(u) else None``.  Generic algorithms that make many
    interface calls resolve once per term (or per type) and call these.
    """

    __slots__ = ("type", "iscall", "operation", "arguments", "issym", "isnumber", "opname",
                 "symname", "numvalue", "makesym", "makenum", "head")

    def __repr__(self) -> str:
        return f"TermOps({self.type.__name__})"


_OP_NAMES = ("iscall", "operation", "arguments", "issym", "isnumber", "opname", "symname",
             "numvalue", "makesym", "makenum")


def _generic_head(iscall_: Any, opname_: Any) -> Any:
    def head(t: Any) -> Any:
        return opname_(t) if iscall_(t) else None
    return head


_NATIVE_HEADS: dict = {Symbol: None, Number: None, Add: "Add", Mul: "Mul", Pow: "Pow"}
_NO_HEAD = object()


def _native_head(t: Any) -> Any:
    """``head`` for every symnb term (used while iscall/opname are the Term ones)."""
    tt = type(t)
    if tt is Call:
        return t.func.name
    h = _NATIVE_HEADS.get(tt, _NO_HEAD)
    if h is _NO_HEAD:
        return opname(t) if iscall(t) else None
    return h


def term_ops(t: Any) -> TermOps:
    """The interface functions for ``t``'s representation, resolved once per type.

    They accept any term whose type dispatches to the same implementations as
    ``type(t)`` (every term of symnb, sympy or symengine: each registers on its
    base class); per-type resolution (one dict lookup) is always safe.  Unknown types get the dispatching functions themselves (which raise the
    usual TypeError, or register sympy/symengine lazily, when called).

    >>> from symnb.terms.core import Symbol
    >>> ops = term_ops(Symbol("x") + 1)
    >>> ops.iscall(Symbol("x")), ops.head(Symbol("x") * 2), ops.head(Symbol("x"))
    (False, 'Mul', None)
    """
    ops = _TYPE_OPS.get(type(t))
    if ops is None:
        ops = _resolve(t)
    return ops


def _resolve(t: Any) -> TermOps:
    tp = type(t)
    impls = {}
    for name in _OP_NAMES:
        fn = _IFACE[name]
        impl = fn.dispatch(tp)
        if impl is fn.registry[object]:
            if _lazy_register(t):
                return _resolve(t)
            impl = None
        impls[name] = impl
    ops = TermOps()
    ops.type = tp
    known = all(v is not None for v in impls.values())
    for name in _OP_NAMES:
        setattr(ops, name, impls[name] or _IFACE[name])
    if impls["iscall"] is _term_iscall and impls["opname"] is _term_opname:
        ops.head = _native_head
    else:
        ops.head = _generic_head(ops.iscall, ops.opname)
    if known:
        _TYPE_OPS[tp] = ops
    return ops


_term_iscall = iscall.dispatch(Term)
_term_opname = opname.dispatch(Term)
