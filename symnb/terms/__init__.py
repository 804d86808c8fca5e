"""symnb's term core: hash-consed expression DAGs behind a generic term interface.

>>> from symnb.terms import symbols, sin, parse
>>> x, y = symbols("x y")
>>> parse("x*y + sin(x)") is x * y + sin(x)
True
"""
from __future__ import annotations

from .assumptions import FACTS, ask
from .calculus import EvaluationError, count_ops, diff, evaluate, expand, free_symbols, subs
from .core import Add, Call, Mul, Number, Pow, Symbol, Term, postorder
from .functions import (Abs, Derivative, Function, acos, asin, atan, cos, cosh, exp, log, sign,
                        sin, sinh, sqrt, tan, tanh)
from .generic import count_nodes, substitute, to_string
from .interface import (arguments, iscall, isnumber, issym, maketerm, numvalue, operation,
                        opname, symname)
from .order import sort_key
from .parse import ParseError, parse
from .printing import to_latex, to_str

__all__ = [
    "Term", "Symbol", "Number", "Add", "Mul", "Pow", "Call", "Function", "Derivative",
    "symbols", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log",
    "sqrt", "Abs", "sign", "diff", "expand", "subs", "evaluate", "count_ops", "free_symbols",
    "iscall", "operation", "arguments", "maketerm", "issym", "isnumber", "opname", "symname",
    "numvalue", "count_nodes", "substitute", "to_string", "to_str", "to_latex", "parse",
    "ParseError", "EvaluationError", "sort_key", "postorder", "ask", "FACTS",
]


def symbols(names: str, **assumptions: Any) -> Any:
    """``symbols("x y z")`` -> ``(x, y, z)``; one name gives one symbol; commas work too.

    ``symbols("x0:3")`` gives ``(x0, x1, x2)`` as in sympy; keyword assumptions
    (``positive=True``, ``real=True``, ...) apply to every symbol made.

    >>> a, b = symbols("a b", positive=True)
    >>> ask(a * b, "positive"), a is symbols("a")
    (True, False)
    """
    parts = [p for p in names.replace(",", " ").split() if p]
    out: list = []
    for p in parts:
        if ":" in p:
            head = p.rstrip("0123456789:")
            rng = p[len(head):]
            lo, _, hi = rng.partition(":")
            if not hi.isdigit() or (lo and not lo.isdigit()):
                raise ValueError(f"bad symbol range {p!r}; use e.g. 'x0:3'")
            out.extend(Symbol(f"{head}{i}", **assumptions) for i in range(int(lo or 0), int(hi)))
        else:
            out.append(Symbol(p, **assumptions))
    if not out:
        raise ValueError("symbols() needs at least one name")
    return out[0] if len(out) == 1 and ":" not in names else tuple(out)


from typing import Any  # noqa: E402  (used in the annotation above)
