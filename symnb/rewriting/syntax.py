"""Rule text: symnb's safe parser extended with slot syntax (no eval, no sympify).

``~x`` slot, ``~~xs`` segment, ``~!a`` default slot, ``~x::pred`` predicate,
``lhs => rhs`` a rule.  Errors are ``ParseError`` with the column.

>>> print(parse_pattern("~x * 1"))
~x*1
>>> lhs, rhs = parse_rule_text("~x + ~y*~x => (1 + ~y)*~x")
>>> print(lhs, "|", rhs)
~x + ~y*~x | (1 + ~y)*~x
>>> parse_pattern("~x::no_such_pred")
Traceback (most recent call last):
  ...
symnb.terms.parse.ParseError: unknown predicate 'no_such_pred' (known: integer, is_call, is_exact, is_integer, is_negative, is_nonzero, is_number, is_positive, is_symbol, negative, nonnegative, nonpositive, nonzero, not_number, positive, real) at column 5
    ~x::no_such_pred
        ^
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Mapping

from ..terms.core import Term
from ..terms.parse import MAX_DEPTH, ParseError, Parser, Token
from .pattern import DefaultSlot, Lit, Pattern, PCall, Segment, Slot, _nary, _neg, _recip, \
    as_pattern
from .predicates import resolve_predicate

__all__ = ["parse_pattern", "parse_rule_text", "PatternParser"]

_SLOT_OPS = {"~": Slot, "~~": Segment, "~!": DefaultSlot}


class PatternParser(Parser):
    """The term parser with pattern slots as atoms; builds ``Pattern`` trees."""

    def __init__(self, text: str, predicates: Mapping[str, Callable] | None = None) -> None:
        super().__init__(text)
        self.predicates = dict(predicates or {})

    def atom_hook(self) -> Any:
        t = self.tok
        if t.kind != "op" or t.text not in _SLOT_OPS:
            return None
        self.i += 1
        name = self.tok
        if name.kind != "name":
            raise self.error(f"expected a slot name after {t.text!r}")
        self.i += 1
        pred = None
        if self.accept("::"):
            ptok = self.tok
            if ptok.kind != "name":
                raise self.error("expected a predicate name after '::'")
            self.i += 1
            try:
                pred = resolve_predicate(ptok.text, self.predicates)[0]
            except ValueError as exc:
                raise self.error(str(exc), ptok) from None
            slot = _SLOT_OPS[t.text](name.text, pred)
            slot.pred_name = ptok.text
            return slot
        return _SLOT_OPS[t.text](name.text)

    def call(self, name_tok: Token) -> Any:
        fn = self.lookup_function(name_tok)
        args: list = []
        if not self.accept(")"):
            args.append(self.expr())
            while self.accept(","):
                args.append(self.expr())
            self.expect(")")
        if not any(isinstance(a, Pattern) for a in args):
            try:
                return fn(*args)
            except (TypeError, ZeroDivisionError) as exc:
                raise self.error(str(exc), name_tok) from None
        pargs = tuple(as_pattern(a) for a in args)
        if name_tok.text == "sqrt":
            if len(pargs) != 1:
                raise self.error("sqrt() takes 1 argument", name_tok)
            from fractions import Fraction
            return PCall("Pow", (pargs[0], Lit("num", Fraction(1, 2))))
        head = getattr(fn, "name", name_tok.text)
        nargs = getattr(fn, "nargs", None)
        if nargs is not None and len(pargs) != nargs and \
                not any(isinstance(a, Segment) for a in pargs):
            raise self.error(f"{head}() takes {nargs} argument(s), got {len(pargs)}", name_tok)
        return PCall(head, pargs)

    def combine(self, op: str, a: Any, b: Any) -> Any:
        if not isinstance(a, Pattern) and not isinstance(b, Pattern):
            return super().combine(op, a, b)
        pa = as_pattern(a)
        if op == "neg":
            return _neg(pa)
        pb = as_pattern(b)
        if op == "+":
            return _nary("Add", pa, pb)
        if op == "-":
            return _nary("Add", pa, _neg(pb))
        if op == "*":
            return _nary("Mul", pa, pb)
        if op == "/":
            if isinstance(b, Term):
                return _nary("Mul", pa, as_pattern(1 / b))
            return _nary("Mul", pa, _recip(pb))
        if op == "^":
            return PCall("Pow", (pa, pb))
        raise AssertionError(op)  # pragma: no cover

    def _guarded(self, fn: Callable[[], Any]) -> Any:
        if self.tok.kind == "end":
            raise ParseError("empty pattern", self.text, 0)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 8 * MAX_DEPTH + 500))
        try:
            return fn()
        finally:
            sys.setrecursionlimit(limit)

    def parse_pattern(self) -> Pattern:
        e = self._guarded(self.expr)
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.text!r}")
        return as_pattern(e)

    def parse_rule(self) -> tuple:
        lhs = self._guarded(self.expr)
        if not self.accept("=>"):
            got = self.tok.text or "end of input"
            raise self.error(f"expected '=>' between pattern and replacement but found {got!r}")
        if self.tok.kind == "end":
            raise self.error("missing replacement after '=>'")
        rhs = self._guarded(self.expr)
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.text!r}")
        return as_pattern(lhs), as_pattern(rhs)


def parse_pattern(text: str, predicates: Mapping[str, Callable] | None = None) -> Pattern:
    """Parse a pattern such as ``"~x + ~y*~x"``."""
    return PatternParser(text, predicates).parse_pattern()


def parse_rule_text(text: str, predicates: Mapping[str, Callable] | None = None) -> tuple:
    """Parse ``"lhs => rhs"`` into two patterns."""
    return PatternParser(text, predicates).parse_rule()
