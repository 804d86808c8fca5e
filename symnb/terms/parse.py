"""symnb's safe parser: text -> Term, with its own tokenizer and precedence climbing.

It never calls ``eval``, ``exec`` or ``sympify``.  Grammar (lowest to highest
precedence)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom (("^" | "**") unary)?          # right-associative; -x^2 = -(x^2)
    atom   := NUMBER | NAME | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

Numbers: ``3`` (exact int), ``1.5`` / ``2e-3`` / ``inf`` / ``nan`` (float); ``1/2`` is
an exact Fraction by exact division.  Names are symbols unless followed by
``(``, in which case they must name a known function.

>>> parse("2*x^2 - sin(y)/3")
-sin(y)/3 + 2*x^2
>>> parse("x +* y")
Traceback (most recent call last):
  ...
symnb.terms.parse.ParseError: unexpected '*' at column 4
    x +* y
       ^
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from .core import Symbol, Term, _number
from .numbers import text_int
from .functions import FUNCTIONS, _REGISTRY

__all__ = ["parse", "ParseError", "Token", "tokenize", "Parser"]


class ParseError(ValueError):
    """Malformed text; carries the text, the 0-based ``column`` and a caret line."""

    def __init__(self, message: str, text: str = "", column: int = 0) -> None:
        self.message = message
        self.text = text
        self.column = column
        where = f" at column {column + 1}" if text else ""
        caret = f"\n    {text}\n    {' ' * column}^" if text else ""
        super().__init__(f"{message}{where}{caret}")

    @property
    def one_line(self) -> str:
        """The error without the caret lines (for one-line displays)."""
        where = f" at column {self.column + 1}" if self.text else ""
        return f"{self.message}{where}"


class Token:
    __slots__ = ("kind", "text", "pos")

    def __init__(self, kind: str, text: str, pos: int) -> None:
        self.kind, self.text, self.pos = kind, text, pos

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.pos})"


_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|=>|::|~~|~!|[-+*/^(),~\[\]])
""", re.VERBOSE)

MAX_LENGTH = 1_000_000
MAX_DEPTH = 500


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; an unknown character raises ParseError."""
    if not isinstance(text, str):
        raise TypeError(f"parse expects a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression text is too long ({len(text)} characters, limit {MAX_LENGTH})")
    out: list[Token] = []
    pos = 0
    n = len(text)
    match = _TOKEN_RE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            raise ParseError(f"unexpected character {text[pos]!r}", text, pos)
        kind = m.lastgroup
        if kind != "ws":
            out.append(Token(kind, m.group(), pos))  # type: ignore[arg-type]
        pos = m.end()
    out.append(Token("end", "", n))
    return out


class Parser:
    """Precedence-climbing parser.  Subclasses may override ``atom_hook`` to add
    syntax (the rewrite module adds pattern slots ``~x`` this way)."""

    def __init__(self, text: str, names: Mapping[str, Any] | None = None,
                 functions: Mapping[str, Callable[..., Term]] | None = None,
                 strict: bool = False) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0
        self.names = names or {}
        self.functions = functions or {}
        self.strict = strict
        self.depth = 0

    frames_per_level = 8
    """Python frames one nesting level takes (a subclass with more grammar levels says more),
    so that ``MAX_DEPTH`` levels fit under the recursion limit ``parse`` sets."""

    # ----- helpers
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def error(self, msg: str, tok: Token | None = None) -> ParseError:
        t = tok or self.tok
        return ParseError(msg, self.text, t.pos)

    def accept(self, *ops: str) -> Token | None:
        t = self.tok
        if t.kind == "op" and t.text in ops:
            self.i += 1
            return t
        return None

    def expect(self, op: str) -> Token:
        t = self.accept(op)
        if t is None:
            got = self.tok.text or "end of input"
            raise self.error(f"expected {op!r} but found {got!r}")
        return t

    # ----- grammar
    def parse(self) -> Any:
        if self.tok.kind == "end":
            raise ParseError("empty expression", self.text, 0)
        import sys
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, self.frames_per_level * MAX_DEPTH + 500))
        try:
            e = self.expr()
        finally:
            sys.setrecursionlimit(limit)
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.text!r}")
        return e

    def expr(self) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested deeper than {MAX_DEPTH} levels")
        left = self.term()
        while True:
            if self.accept("+"):
                left = self.combine("+", left, self.term())
            elif self.accept("-"):
                left = self.combine("-", left, self.term())
            else:
                break
        self.depth -= 1
        return left

    def term(self) -> Any:
        left = self.unary()
        while True:
            t = self.accept("*", "/")
            if t is None:
                break
            right = self.unary()
            try:
                left = self.combine(t.text, left, right)
            except ZeroDivisionError as exc:
                raise self.error(str(exc), t) from None
        return left

    def unary(self) -> Any:
        if self.tok.kind == "op" and self.tok.text in "+-":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"expression nested deeper than {MAX_DEPTH} levels")
            if self.accept("-"):
                r = self.combine("neg", self.unary(), None)
            else:
                self.accept("+")
                r = self.unary()
            self.depth -= 1
            return r
        return self.power()

    def power(self) -> Any:
        base = self.atom()
        t = self.accept("^", "**")
        if t is not None:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"expression nested deeper than {MAX_DEPTH} levels")
            exp = self.unary()
            self.depth -= 1
            try:
                return self.combine("^", base, exp)
            except ZeroDivisionError as exc:
                raise self.error(str(exc), t) from None
        return base

    def atom(self) -> Any:
        t = self.tok
        hooked = self.atom_hook()
        if hooked is not None:
            return hooked
        if t.kind == "num":
            self.i += 1
            return self.number(t.text)
        if t.kind == "name":
            self.i += 1
            if self.accept("("):
                return self.call(t)
            return self.name(t)
        if self.accept("("):
            e = self.expr()
            self.expect(")")
            return e
        if t.kind == "end":
            raise self.error("unexpected end of input")
        raise self.error(f"unexpected {t.text!r}")

    def call(self, name_tok: Token) -> Any:
        fn = self.lookup_function(name_tok)
        args = []
        if not self.accept(")"):
            args.append(self.expr())
            while self.accept(","):
                args.append(self.expr())
            self.expect(")")
        try:
            return fn(*args)
        except TypeError as exc:
            raise self.error(str(exc), name_tok) from None
        except ZeroDivisionError as exc:
            raise self.error(str(exc), name_tok) from None

    # ----- overridable leaves
    def atom_hook(self) -> Any:
        return None

    def lookup_function(self, tok: Token) -> Callable[..., Any]:
        name = tok.text
        fn = self.functions.get(name) or FUNCTIONS.get(name)
        if fn is None:
            f = _REGISTRY.get(name)
            if f is not None and not f.builtin:
                fn = f
        if fn is None:
            known = ", ".join(sorted(set(FUNCTIONS) | set(self.functions)))
            raise self.error(f"unknown function {name!r} (known: {known}; declare others "
                             f"with Function({name!r}))", tok)
        return fn

    def name(self, tok: Token) -> Any:
        n = tok.text
        if n in self.names:
            return self.names[n]
        if n == "inf":
            return _number(float("inf"))
        if n == "nan":
            return _number(float("nan"))
        if n in FUNCTIONS:
            raise self.error(f"function {n!r} used without arguments", tok)
        if self.strict:
            raise self.error(f"unknown symbol {n!r}", tok)
        return Symbol(n)

    def number(self, text: str) -> Any:
        if any(c in text for c in ".eE"):
            return _number(float(text))
        return _number(text_int(text))

    def combine(self, op: str, a: Any, b: Any) -> Any:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        if op == "^":
            return a ** b
        if op == "neg":
            return -a
        raise AssertionError(op)  # pragma: no cover


def parse(text: str, names: Mapping[str, Any] | None = None,
          functions: Mapping[str, Callable[..., Term]] | None = None,
          strict: bool = False) -> Term:
    """Parse ``text`` into a term.

    ``names`` maps names to existing terms (e.g. a notebook namespace);
    ``functions`` adds callables; ``strict=True`` refuses names not in ``names``.
    """
    return Parser(text, names, functions, strict).parse()
