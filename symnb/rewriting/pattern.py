"""Patterns: term-shaped trees whose leaves may be slots.

A pattern is made of

* ``Slot("x")`` -- ``~x``: matches one subterm (a repeated slot must match equal terms);
* ``Segment("xs")`` -- ``~~xs``: a run of arguments (of a sum, product or call);
* ``DefaultSlot("a")`` -- ``~!a``: like a slot, but when absent it stands for
  0 in a sum, 1 in a product or an exponent;
* ``Lit`` -- a number or a named symbol, compared by value/name;
* ``PCall(head, args)`` -- an operation named like ``opname`` gives it
  ('Add', 'Mul', 'Pow' or a function name).  'Add' and 'Mul' are matched
  modulo associativity and commutativity (see ``matcher.py``).

Every slot may carry a predicate: ``~x::is_number`` in text, or any Python
callable ``Slot("x", pred)``.  Patterns are parsed from text by ``parse_pattern``
(symnb's safe parser with slot syntax) or built with operators:

>>> x, n = Slot("x"), Slot("n", "is_integer")
>>> print(x ** n * 2)
~x^~n::is_integer*2
>>> from symnb.rewriting.syntax import parse_pattern
>>> print(parse_pattern("sin(~x)^2 + cos(~x)^2"))
sin(~x)^2 + cos(~x)^2
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Iterator

from ..terms.interface import arguments, iscall, isnumber, issym, numvalue, opname, symname
from .predicates import resolve_predicate

__all__ = ["Pattern", "Slot", "Segment", "DefaultSlot", "Lit", "PCall", "as_pattern",
           "to_pattern", "pcall", "slots", "AC_HEADS"]

AC_HEADS = frozenset({"Add", "Mul"})
"""Operations matched modulo associativity and commutativity."""


class Pattern:
    """Base class of pattern nodes (immutable).  Arithmetic builds bigger patterns."""

    __slots__ = ()

    def __add__(self, o: Any) -> "Pattern":
        return _nary("Add", self, as_pattern(o))

    def __radd__(self, o: Any) -> "Pattern":
        return _nary("Add", as_pattern(o), self)

    def __sub__(self, o: Any) -> "Pattern":
        return _nary("Add", self, _neg(as_pattern(o)))

    def __rsub__(self, o: Any) -> "Pattern":
        return _nary("Add", as_pattern(o), _neg(self))

    def __mul__(self, o: Any) -> "Pattern":
        return _nary("Mul", self, as_pattern(o))

    def __rmul__(self, o: Any) -> "Pattern":
        return _nary("Mul", as_pattern(o), self)

    def __truediv__(self, o: Any) -> "Pattern":
        return _nary("Mul", self, _recip(as_pattern(o)))

    def __rtruediv__(self, o: Any) -> "Pattern":
        return _nary("Mul", as_pattern(o), _recip(self))

    def __pow__(self, o: Any) -> "Pattern":
        return PCall("Pow", (self, as_pattern(o)))

    def __rpow__(self, o: Any) -> "Pattern":
        return PCall("Pow", (as_pattern(o), self))

    def __neg__(self) -> "Pattern":
        return _neg(self)

    def __repr__(self) -> str:
        return f"Pattern({self})"

    def walk(self) -> Iterator["Pattern"]:
        """This node and all nodes below it (pre-order)."""
        yield self

    def slot_names(self) -> set:
        """Names of all slots (of every kind) occurring in the pattern."""
        return {p.name for p in self.walk() if isinstance(p, Slot)}


class Slot(Pattern):
    """``~name``: matches any one subterm satisfying ``pred`` (a callable or a predicate name)."""

    __slots__ = ("name", "pred", "pred_name")
    prefix = "~"

    def __init__(self, name: str, pred: Callable[[Any], bool] | str | None = None) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"a slot name must be an identifier, got {name!r}")
        self.name = name
        self.pred, self.pred_name = resolve_predicate(pred)

    def accepts(self, t: Any) -> bool:
        """Whether the predicate (if any) holds for ``t``."""
        return self.pred is None or bool(self.pred(t))

    def __str__(self) -> str:
        return f"{self.prefix}{self.name}" + (f"::{self.pred_name}" if self.pred_name else "")


class Segment(Slot):
    """``~~name``: matches a run of zero or more arguments (bound to a tuple).

    A predicate on a segment receives the whole tuple.
    """

    __slots__ = ()
    prefix = "~~"


class DefaultSlot(Slot):
    """``~!name``: a slot that may be absent; then it is 0 in a sum, 1 in a product/exponent."""

    __slots__ = ()
    prefix = "~!"


class Lit(Pattern):
    """A literal leaf: a number (``kind='num'``) or a named symbol (``kind='sym'``)."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: Any) -> None:
        self.kind, self.value = kind, value

    def __str__(self) -> str:
        if self.kind == "sym":
            return self.value
        from ..terms.printing import format_number
        return format_number(self.value)


class PCall(Pattern):
    """An operation ``head`` applied to pattern arguments."""

    __slots__ = ("head", "args", "ac", "segment", "has_defaults", "ac_order", "heads",
                 "min_args", "req_heads", "req_leaves")

    def __init__(self, head: str, args: tuple) -> None:
        self.head = head
        self.args = tuple(args)
        self.ac = head in AC_HEADS
        segs = [a for a in self.args if type(a) is Segment]
        if self.ac and len(segs) > 1:
            raise ValueError(f"a {head} pattern may hold at most one segment slot, "
                             f"got {', '.join(str(s) for s in segs)}")
        self.segment = segs[0] if self.ac and segs else None
        self.has_defaults = any(type(a) is DefaultSlot for a in self.args)
        # AC matching order: most constrained first, the segment last (matcher.py)
        self.ac_order = tuple(sorted((a for a in self.args if type(a) is not Segment),
                                     key=_ac_rank))
        self.heads = self._possible_heads()
        # cheap AC pre-filters (matcher.py): every non-default argument takes one subject
        # argument; those below need one each with the given head (None: a leaf)
        self.min_args = sum(1 for a in self.ac_order if type(a) is not DefaultSlot)
        need: dict = {}
        for a in self.ac_order:
            h = _single_head(a)
            if h is not _ANY:
                need[h] = need.get(h, 0) + 1
        self.req_heads = tuple(need.items())
        lits: dict = {}
        for a in self.ac_order:
            if type(a) is Lit:
                key = (a.kind, a.value)
                lits[key] = lits.get(key, 0) + 1
        self.req_leaves = tuple(lits.items())

    def _possible_heads(self) -> frozenset | None:
        """Heads (opname, or None for a leaf) a subject needs to possibly match; None: any."""
        if not self.has_defaults:
            return frozenset({self.head})
        core = [a for a in self.args if type(a) is not DefaultSlot and type(a) is not Segment]
        if len(core) >= 2 or (not self.ac and self.head != "Pow"):
            return frozenset({self.head})
        if not core:
            return None
        (a,) = core
        if isinstance(a, PCall):
            return None if a.heads is None else a.heads | {self.head}
        if isinstance(a, Lit):
            return frozenset({self.head, None})
        return None

    def walk(self) -> Iterator[Pattern]:
        yield self
        for a in self.args:
            yield from a.walk()

    def __str__(self) -> str:
        return _pstr(self, 0)


_ANY = object()


def _single_head(a: Pattern) -> Any:
    """The one head a subject argument must have to match ``a`` (None: a leaf), else _ANY."""
    if type(a) is Lit:
        return None
    if type(a) is PCall and a.heads is not None and len(a.heads) == 1:
        return next(iter(a.heads))
    return _ANY


_PREC = {"Add": 1, "Mul": 2, "Pow": 3}


def _pstr(p: Pattern, outer: int) -> str:
    """Text of a pattern in rule syntax (parenthesised by precedence)."""
    if not isinstance(p, PCall):
        s = str(p)
        neg = isinstance(p, Lit) and p.kind == "num" and (p.value < 0 or type(p.value) is Fraction)
        return f"({s})" if neg and outer >= 2 else s
    h = p.head
    if h == "Add":
        s = ""
        for k, a in enumerate(p.args):
            t = _pstr(a, 1)
            s = t if k == 0 else (s + " - " + t[1:] if t.startswith("-") else s + " + " + t)
    elif h == "Mul":
        args = list(p.args)
        sign = ""
        if args and isinstance(args[0], Lit) and args[0].kind == "num" and args[0].value == -1 \
                and len(args) > 1:
            sign, args = "-", args[1:]
        s = sign + "*".join(_pstr(a, 2) for a in args)
    elif h == "Pow":
        s = f"{_pstr(p.args[0], 4)}^{_pstr(p.args[1], 4)}"
    else:
        return f"{h}({', '.join(_pstr(a, 0) for a in p.args)})"
    return f"({s})" if _PREC[h] < outer or (h == "Pow" and outer >= 4) else s


def _ac_rank(a: Pattern) -> int:
    if not isinstance(a, Slot):
        return 0
    if a.pred is not None:
        return 1
    return 2 if type(a) is DefaultSlot else 3


def _lit_term(p: Lit) -> Any:
    from ..terms.core import Number, Symbol
    return Symbol(p.value) if p.kind == "sym" else Number(p.value)


def _nary(head: str, a: Pattern, b: Pattern) -> Pattern:
    """``a op b`` flattened, with numeric literals folded into one."""
    args: list = []
    for p in (a, b):
        if isinstance(p, PCall) and p.head == head:
            args.extend(p.args)
        else:
            args.append(p)
    nums = [p for p in args if isinstance(p, Lit) and p.kind == "num"]
    if len(nums) > 1:
        v: Any = 0 if head == "Add" else 1
        for p in nums:
            v = v + p.value if head == "Add" else v * p.value
        if type(v) is Fraction and v.denominator == 1:
            v = int(v)
        args = [Lit("num", v)] + [p for p in args if not (isinstance(p, Lit) and p.kind == "num")]
    return PCall(head, tuple(args))


def _neg(p: Pattern) -> Pattern:
    if isinstance(p, Lit) and p.kind == "num":
        return Lit("num", -p.value)
    return _nary("Mul", Lit("num", -1), p)


def _recip(p: Pattern) -> Pattern:
    if isinstance(p, Lit) and p.kind == "num":
        v = p.value
        if v == 0 and type(v) is not float:
            raise ZeroDivisionError("division by zero in a pattern")
        r = 1 / v if type(v) is float else Fraction(1, 1) / v
        if type(r) is Fraction and r.denominator == 1:
            r = int(r)
        return Lit("num", r)
    return PCall("Pow", (p, Lit("num", -1)))


def to_pattern(t: Any) -> Pattern:
    """A ground pattern equal to the term ``t`` (any representation), via the term interface."""
    if isnumber(t):
        return Lit("num", numvalue(t))
    if issym(t):
        return Lit("sym", symname(t))
    if iscall(t):
        return PCall(opname(t), tuple(to_pattern(a) for a in arguments(t)))
    raise TypeError(f"cannot turn {type(t).__name__} into a pattern")


def as_pattern(v: Any) -> Pattern:
    """A pattern from a pattern, a term of any representation, or a Python number."""
    if isinstance(v, Pattern):
        return v
    if isinstance(v, (int, Fraction, float)) and not isinstance(v, bool):
        return Lit("num", v)
    return to_pattern(v)


def pcall(head: str, *args: Any) -> PCall:
    """``pcall("sin", Slot("x"))`` -- a function-call pattern built in Python."""
    return PCall(head, tuple(as_pattern(a) for a in args))


def slots(names: str, **preds: Callable[[Any], bool] | str) -> tuple:
    """``slots("x y")`` -> ``(Slot("x"), Slot("y"))``; keyword arguments give predicates."""
    out = tuple(Slot(n, preds.get(n)) for n in names.replace(",", " ").split())
    return out[0] if len(out) == 1 else out


def default_value(head: str, position: int) -> Any:
    """The value an absent ``~!a`` stands for under ``head`` (None: no default there)."""
    if head == "Add":
        return 0
    if head == "Mul":
        return 1
    if head == "Pow" and position == 1:
        return 1
    return None



