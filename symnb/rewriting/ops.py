"""Building terms by operation *name* in the representation of an existing term.

Replacements such as ``sin(2*~x)`` must build ``sin`` in whatever
representation the subject uses.  The term interface builds a term from an
operation object (``maketerm(op, args)``) but has no way to *name* an
operation, so this module maps ``(representation, name)`` to an operation
object once, lazily (sympy/symengine are imported only when their terms are
rewritten).  Everything else goes through ``maketerm``/``makenum``.

>>> from symnb import symbols
>>> x, y = symbols("x y")
>>> build(x, "Add", [x, y, x]), build(x, "sin", [x])
(2*x + y, sin(x))
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..terms.interface import makenum, maketerm

__all__ = ["op_for", "build"]

_OPS: dict = {}


def _family(like: Any) -> str:
    return type(like).__module__.split(".", 1)[0]


def _symnb_op(name: str) -> Callable:
    from ..terms import core
    from ..terms.functions import FUNCTIONS, Function
    from ..terms.nary import add_terms, mul_terms

    if name == "Add":
        return add_terms        # linear-time n-ary sum
    if name == "Mul":
        return mul_terms
    if name == "Pow":
        return core.power
    f = FUNCTIONS.get(name)
    return f if f is not None else Function(name)


def _sympy_op(name: str) -> Callable:
    import sympy

    from ..terms.functions import FUNCTIONS
    if name in ("Add", "Mul", "Pow") or (name in FUNCTIONS and hasattr(sympy, name)):
        return getattr(sympy, name)
    return sympy.Function(name)


def _symengine_op(name: str) -> Callable:
    import symengine

    from ..terms.functions import FUNCTIONS
    if name in ("Add", "Mul", "Pow") or (name in FUNCTIONS and hasattr(symengine, name)):
        return getattr(symengine, name)
    return symengine.Function(name)


_FAMILIES: dict[str, Callable[[str], Callable]] = {
    "symnb": _symnb_op, "sympy": _sympy_op, "symengine": _symengine_op,
}
"""Representation (top-level module of the term's type) -> operation lookup."""


def op_for(like: Any, name: str) -> Callable:
    """The operation called ``name`` ('Add', 'Mul', 'Pow', 'sin', ...) in ``like``'s representation."""
    fam = _family(like)
    key = (fam, name)
    op = _OPS.get(key)
    if op is None:
        maker = _FAMILIES.get(fam)
        if maker is None:
            raise TypeError(f"no operation table for terms of {type(like).__name__} "
                            f"(register one in symnb.rewriting.ops._FAMILIES)")
        op = _OPS[key] = maker(name)
    return op


def build(like: Any, name: str, args: Sequence) -> Any:
    """``name(*args)`` in ``like``'s representation; empty/single sums and products collapse."""
    if name == "Add" or name == "Mul":
        if not args:
            return makenum(like, 0 if name == "Add" else 1)
        if len(args) == 1:
            return args[0]
    return maketerm(op_for(like, name), list(args))
