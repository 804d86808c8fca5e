"""BioNetGen's expression language (muParser's) read into symnb terms, without ``eval``.

symnb's safe parser (``symnb.terms.parse``) plus the operators BioNetGen adds, lowest
precedence first: ``||``, ``&&``, comparisons ``== != < <= > >=``, then arithmetic;
unary ``!``.  Truth values are 1.0 / 0.0 (``ite``, ``lt``, ``And`` ... of
``symnb.terms.functions``).  Built-ins: ``if(c, a, b)``, ``min`` / ``max`` (two or
more arguments), ``mratio``, ``exp``, ``ln``, ``log10``, ``log2``, ``sqrt``, ``abs``,
``floor``, ``ceil``, ``rint``, the trigonometric and hyperbolic functions and their
inverses, the constants ``_pi`` and ``_e`` and ``time()`` (given by the caller).

>>> from symnb.terms.core import Symbol
>>> x = Symbol("x")
>>> str(parse_bng("if(x >= 2 && !(x == 3), min(x, 1, 4), 10^2)", {"x": x}))
'ite(And(ge(x, 2), Not(eq(x, 3))), Min(Min(x, 1), 4), 100)'
>>> from symnb.terms.calculus import evaluate
>>> evaluate(parse_bng("rint(2.5) + ceil(0.2) + (1 < 2 || 0)"))
4.0
"""
from __future__ import annotations

import re
from functools import reduce
from typing import Any, Callable, Mapping

from ..terms import functions as F
from ..terms.core import Term, sympify_num
from ..terms.parse import MAX_DEPTH, MAX_LENGTH, ParseError, Parser, Token

__all__ = ["parse_bng", "BNG_FUNCTIONS", "BNG_CONSTANTS"]

_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|==|!=|<=|>=|&&|\|\||[-+*/^(),<>!])
""", re.VERBOSE)

_RELATIONS = {"==": F.eq, "!=": F.ne, "<": F.lt, "<=": F.le, ">": F.gt, ">=": F.ge}


def _fold(f: Callable, name: str) -> Callable[..., Term]:
    def call(*args: Term) -> Term:
        if len(args) < 2:
            raise TypeError(f"{name}() needs at least 2 arguments, got {len(args)}")
        return reduce(f, args)
    return call


def _log_base(b: float) -> Callable[[Term], Term]:
    return lambda x: F.log(x) / F.log(sympify_num(b))


BNG_FUNCTIONS: dict[str, Callable[..., Term]] = {
    "if": F.ite, "exp": F.exp, "ln": F.log, "log": F.log, "log10": _log_base(10),
    "log2": _log_base(2), "sqrt": F.sqrt, "abs": F.Abs, "sin": F.sin, "cos": F.cos,
    "tan": F.tan, "asin": F.asin, "acos": F.acos, "atan": F.atan, "sinh": F.sinh,
    "cosh": F.cosh, "tanh": F.tanh, "asinh": F.asinh, "acosh": F.acosh, "atanh": F.atanh,
    "floor": F.floor, "ceil": F.ceiling, "rint": F.rint, "mratio": F.mratio,
    "min": _fold(F.Min, "min"), "max": _fold(F.Max, "max"), "sign": F.sign,
}
"""BioNetGen's built-in functions by their BNGL names."""

BNG_CONSTANTS = {"_pi": "pi", "_e": "e"}
"""Built-in constants (values from ``math``)."""


def _tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression text is too long ({len(text)} characters)")
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise ParseError(f"unexpected character {text[pos]!r}", text, pos)
        if m.lastgroup != "ws":
            out.append(Token(m.lastgroup, m.group(), pos))  # type: ignore[arg-type]
        pos = m.end()
    out.append(Token("end", "", len(text)))
    return out


class BngParser(Parser):
    """``Parser`` with BioNetGen's logical and relational operators on top."""

    def __init__(self, text: str, names: Mapping[str, Any] | None = None,
                 functions: Mapping[str, Callable[..., Term]] | None = None) -> None:
        self.text, self.toks, self.i, self.depth = text, _tokenize(text), 0, 0
        self.names = names or {}
        self.functions = dict(BNG_FUNCTIONS, **(functions or {}))
        self.strict = True

    frames_per_level = 14   # expr, conjunction, relation on top of the base grammar

    def expr(self) -> Any:
        left = self.conjunction()
        while self.accept("||"):
            left = F.Or(left, self.conjunction())
        return left

    def conjunction(self) -> Any:
        left = self.relation()
        while self.accept("&&"):
            left = F.And(left, self.relation())
        return left

    def relation(self) -> Any:
        left = Parser.expr(self)
        while True:
            t = self.accept(*_RELATIONS)
            if t is None:
                return left
            left = _RELATIONS[t.text](left, Parser.expr(self))

    def unary(self) -> Any:
        if self.accept("!"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"expression nested deeper than {MAX_DEPTH} levels")
            r = F.Not(self.unary())
            self.depth -= 1
            return r
        return super().unary()

    def lookup_function(self, tok: Token) -> Callable[..., Any]:
        fn = self.functions.get(tok.text)
        if fn is None:
            known = ", ".join(sorted(self.functions))
            raise self.error(f"unknown function {tok.text!r} (known: {known})", tok)
        return fn


def parse_bng(text: str, names: Mapping[str, Any] | None = None,
              functions: Mapping[str, Callable[..., Term]] | None = None) -> Term:
    """Parse one BioNetGen expression; ``names``: name -> term (every other name is an
    error), ``functions``: extra zero-or-more-argument callables (``time``, functions)."""
    import math
    scope = {k: sympify_num(getattr(math, v)) for k, v in BNG_CONSTANTS.items()}
    scope.update(names or {})
    return BngParser(text, scope, functions).parse()
