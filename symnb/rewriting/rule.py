"""Rules: a pattern and a replacement (a pattern or a callable of the match).

>>> from symnb import symbols, sin, cos
>>> x, y = symbols("x y")
>>> r = rule("sin(~x)^2 + cos(~x)^2 => 1", name="pythagoras")
>>> r(sin(x)**2 + cos(x)**2 + y)
1 + y
>>> r(x) is None
True
>>> rule("~x * 1 => ~y")
Traceback (most recent call last):
  ...
symnb.rewriting.rule.RuleError: rule '~x * 1 => ~y': the replacement uses ~y, which the pattern does not bind
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from .recorder import STATE
from .compiled import compile_pattern, required_mask
from .matcher import _CACHE, _info
from .ops import build
from .pattern import DefaultSlot, Lit, Pattern, PCall, Segment, Slot, as_pattern
from .syntax import parse_pattern, parse_rule_text
from ..terms.interface import makenum, makesym

__all__ = ["Rule", "rule", "RuleError", "instantiate"]


_SAME = object()
"""A match whose replacement equals the subject: the rule does not apply (stop searching)."""


class RuleError(ValueError):
    """A rule that cannot be built (e.g. its replacement names a slot the pattern lacks)."""


class Rule:
    """``Rule(lhs, rhs, name)``: ``rule(t)`` is the rewritten term, or None if it does not apply.

    ``rhs`` is a ``Pattern`` (built in the subject's representation) or a
    callable receiving the match dictionary (slot name -> term; a segment gives a
    tuple) and returning a term, or None to decline.

    The left side is compiled once into plain closures (``compiled.py``) that
    find the matches ``matcher.match_rule`` defines, in the same order; the
    first match whose replacement is accepted wins.  ``need`` holds the
    feature bits (``matcher.FEATURE_BITS``) of the operations and literals
    every matching subject contains: a subject lacking one is rejected before
    any matching (``Chain`` does this check once per term for all its rules
    and then calls ``apply``).
    """

    __slots__ = ("lhs", "rhs", "name", "head", "need", "_top", "_rest_head", "_k")

    def __init__(self, lhs: Any, rhs: Any, name: str | None = None) -> None:
        self.lhs = as_pattern(lhs)
        self.rhs = rhs if (callable(rhs) and not isinstance(rhs, Pattern)) else as_pattern(rhs)
        self.name = name or f"{self.lhs} => {self.rhs if isinstance(self.rhs, Pattern) else '<fn>'}"
        label = f"rule {self.name!r}"
        if isinstance(self.lhs, Segment):
            raise RuleError(f"{label}: a segment slot cannot be a whole pattern")
        if isinstance(self.rhs, Pattern):
            if isinstance(self.rhs, Segment):
                raise RuleError(f"{label}: a segment slot cannot be a whole replacement")
            missing = sorted(self.rhs.slot_names() - self.lhs.slot_names())
            if missing:
                which = ", ".join("~" + m for m in missing)
                raise RuleError(f"{label}: the replacement uses {which}, which the pattern "
                                "does not bind")
        lhs_ = self.lhs
        if isinstance(lhs_, PCall):
            hs = lhs_.heads
            self.head = hs if hs is None or len(hs) != 1 else next(iter(hs))
        else:
            self.head = "<leaf>" if isinstance(lhs_, Lit) else None
        self.need = required_mask(lhs_)
        self._top = compile_pattern(lhs_)
        self._rest_head = lhs_.head if isinstance(lhs_, PCall) else None
        self._k = self._finish_pattern if isinstance(self.rhs, Pattern) else self._finish_fn

    def __call__(self, t: Any) -> Any:
        need = self.need
        if need:
            info = _CACHE.get(t)
            if info is None:
                info = _info(t)
            if need & ~info.mask:
                return None
        return self.apply(t)

    def apply(self, t: Any) -> Any:
        """``self(t)`` without the feature pre-filter (for callers that already checked it)."""
        r = self._top(t, self._k)
        if r is None or r is _SAME:
            return None
        st = STATE.get()
        if st is not None:
            st.fired += 1
            if st.tracer is not None:
                st.tracer.record(self.name, t, r)
        return r

    # continuations of the compiled matcher: the replacement for one match of ``t``
    def _finish_pattern(self, b: dict, rest: tuple, t: Any) -> Any:
        r = instantiate(self.rhs, b, t)
        if rest:
            r = build(t, self._rest_head, [r, *rest])
        return _SAME if (r is t or r == t) else r

    def _finish_fn(self, b: dict, rest: tuple, t: Any) -> Any:
        r = self.rhs(dict(b))
        if r is None:       # the callable declines this match: try the next one
            return None
        if rest:
            r = build(t, self._rest_head, [r, *rest])
        return _SAME if (r is t or r == t) else r

    def __repr__(self) -> str:
        rhs = self.rhs if isinstance(self.rhs, Pattern) else getattr(self.rhs, "__name__", "fn")
        return f"Rule({self.name!r}: {self.lhs} => {rhs})"


def instantiate(p: Pattern, b: Mapping, like: Any) -> Any:
    """Build pattern ``p`` with slot bindings ``b`` in ``like``'s representation."""
    tp = type(p)
    if tp is Slot or tp is DefaultSlot:
        return b[p.name]  # type: ignore[attr-defined]
    if tp is Lit:
        return makenum(like, p.value) if p.kind == "num" else makesym(like, p.value)  # type: ignore[attr-defined]
    if tp is PCall:
        args: list = []
        for a in p.args:  # type: ignore[attr-defined]
            if type(a) is Segment:
                args.extend(b[a.name])
            else:
                args.append(instantiate(a, b, like))
        return build(like, p.head, args)  # type: ignore[attr-defined]
    raise TypeError(f"cannot build {p}")


def rule(lhs: Any, rhs: Any = None, *, name: str | None = None,
         predicates: Mapping[str, Callable[[Any], bool]] | None = None) -> Rule:
    """Make a rule from text ``"lhs => rhs"``, or from a pattern and a replacement.

    ``rhs`` may be a pattern (text or object) or a callable of the match
    dictionary.  ``predicates`` adds names usable as ``~x::name``.

    >>> from symnb import symbols
    >>> x, y = symbols("x y")
    >>> to_power = rule("~n::is_integer * ~y::is_symbol", lambda m: m["y"] ** m["n"])
    >>> to_power(3 * y), to_power(x + 1)
    (y^3, None)
    """
    if isinstance(lhs, str) and rhs is None:
        l, r = parse_rule_text(lhs, predicates)
        return Rule(l, r, name or lhs)
    if rhs is None:
        raise RuleError("a rule needs a replacement: rule('lhs => rhs') or rule(lhs, rhs)")
    l = parse_pattern(lhs, predicates) if isinstance(lhs, str) else as_pattern(lhs)
    if isinstance(rhs, str):
        rhs = parse_pattern(rhs, predicates)
    return Rule(l, rhs, name)
