"""Patterns compiled into specialised matchers: plain closures, built once per rule.

``matcher.py`` states the matching semantics as generators (``match``,
``match_rule``); this module produces, for one pattern, a function that
finds the same matches *in the same order* without generator frames:

* a pattern that can match a subject in at most one way (slots, literals,
  non-AC calls of those) becomes a *deterministic* check ``d(s, b, trail)``
  that binds slots into ``b`` in place and records their names in ``trail``;
* anything else (sums and products matched modulo AC, segments, default
  slots) becomes a *continuation* matcher ``m(s, b, k)``: it calls ``k(b)``
  for each match in turn and returns the first result that is not None
  (so backtracking is a loop, and bindings are undone on the way out).

The rule's continuation builds the replacement, so the search stops at the
first match whose replacement is accepted, exactly as ``Rule`` over
``match_rule`` would.  Subjects are read only through the term interface
(``term_ops`` and the cached ``_info`` of ``matcher.py``).

>>> from symnb import symbols
>>> from symnb.rewriting.syntax import parse_pattern
>>> x, y, z = symbols("x y z")
>>> top = compile_pattern(parse_pattern("~x + ~y*~x"))
>>> top(z + x*y + x, lambda b, rest, s: (b["x"], b["y"], rest))
(x, y, (z,))
"""
from __future__ import annotations

from typing import Any, Callable

from ..terms.interface import makenum, term_ops
from .matcher import _CACHE, SubjectInfo, _info, _same_multiset, feature_bit, positions_of
from .pattern import DefaultSlot, Lit, Pattern, PCall, Segment, Slot, default_value

__all__ = ["compile_pattern", "required_features", "required_mask", "Top"]

Top = Callable[[Any, Callable[[dict, tuple, Any], Any]], Any]
"""``top(subject, k)``: ``k(bindings, rest, subject)`` per match until it returns non-None."""

_MISSING = object()


def _eq(a: Any, b: Any) -> bool:
    return a is b or a == b


# ----------------------------------------------------------------------
# deterministic patterns: d(s, b, trail) -> bool
# ----------------------------------------------------------------------
def _is_det(p: Pattern) -> bool:
    tp = type(p)
    if tp is Slot or tp is DefaultSlot or tp is Lit:
        return True
    if tp is PCall:
        args = p.args  # type: ignore[attr-defined]
        return (not p.ac and not p.has_defaults  # type: ignore[attr-defined]
                and all(type(a) is not Segment and _is_det(a) for a in args))
    return False


def _det(p: Pattern) -> Callable[[Any, dict, list], bool]:
    tp = type(p)
    if tp is Slot or tp is DefaultSlot:
        name, pred = p.name, p.pred  # type: ignore[attr-defined]
        if pred is None:
            def d_slot(s: Any, b: dict, trail: list) -> bool:
                v = b.get(name, _MISSING)
                if v is _MISSING:
                    b[name] = s
                    trail.append(name)
                    return True
                return v is s or v == s
            return d_slot

        def d_pslot(s: Any, b: dict, trail: list) -> bool:
            v = b.get(name, _MISSING)
            if v is _MISSING:
                if not pred(s):
                    return False
                b[name] = s
                trail.append(name)
                return True
            return v is s or v == s
        return d_pslot
    if tp is Lit:
        value = p.value  # type: ignore[attr-defined]
        if p.kind == "num":  # type: ignore[attr-defined]
            def d_num(s: Any, b: dict, trail: list) -> bool:
                ops = term_ops(s)
                return ops.isnumber(s) and ops.numvalue(s) == value
            return d_num

        def d_sym(s: Any, b: dict, trail: list) -> bool:
            ops = term_ops(s)
            return ops.issym(s) and ops.symname(s) == value
        return d_sym
    assert tp is PCall
    head = p.head  # type: ignore[attr-defined]
    ds = tuple(_det(a) for a in p.args)  # type: ignore[attr-defined]
    n = len(ds)
    if n == 1:
        (d0,) = ds

        def d_call1(s: Any, b: dict, trail: list) -> bool:
            info = _CACHE.get(s)
            if info is None:
                info = _info(s)
            if info.head != head:
                return False
            a = info.args
            return len(a) == 1 and d0(a[0], b, trail)
        return d_call1
    if n == 2:
        d0, d1 = ds

        def d_call2(s: Any, b: dict, trail: list) -> bool:
            info = _CACHE.get(s)
            if info is None:
                info = _info(s)
            if info.head != head:
                return False
            a = info.args
            return len(a) == 2 and d0(a[0], b, trail) and d1(a[1], b, trail)
        return d_call2

    def d_call(s: Any, b: dict, trail: list) -> bool:
        info = _CACHE.get(s)
        if info is None:
            info = _info(s)
        if info.head != head:
            return False
        a = info.args
        if len(a) != n:
            return False
        for d, x in zip(ds, a):
            if not d(x, b, trail):
                return False
        return True
    return d_call


def _undo(b: dict, trail: list, mark: int = 0) -> None:
    while len(trail) > mark:
        del b[trail.pop()]


# ----------------------------------------------------------------------
# continuation matchers: m(s, b, k) -> first non-None k(b), or None
# ----------------------------------------------------------------------
def _cps(p: Pattern) -> Callable[[Any, dict, Callable[[dict], Any]], Any]:
    tp = type(p)
    if _is_det(p):
        d = _det(p)

        def m_det(s: Any, b: dict, k: Callable[[dict], Any]) -> Any:
            trail: list = []
            r = k(b) if d(s, b, trail) else None
            for name in trail:
                del b[name]
            return r
        return m_det
    if tp is PCall:
        head = p.head  # type: ignore[attr-defined]
        degenerate = _degenerate(p) if p.has_defaults else None  # type: ignore[attr-defined]
        if p.ac:  # type: ignore[attr-defined]
            ac = _ac(p)  # type: ignore[arg-type]

            def m_ac(s: Any, b: dict, k: Callable[[dict], Any]) -> Any:
                info = _CACHE.get(s)
                if info is None:
                    info = _info(s)
                if info.head == head:
                    r = ac(info.args, info.heads, b, s, False, info, lambda b2, rest, s2: k(b2))
                    if r is not None:
                        return r
                if degenerate is not None:
                    return degenerate(s, b, k)
                return None
            return m_ac
        seq = _seq(p.args)  # type: ignore[attr-defined]

        def m_call(s: Any, b: dict, k: Callable[[dict], Any]) -> Any:
            info = _CACHE.get(s)
            if info is None:
                info = _info(s)
            if info.head == head:
                r = seq(info.args, 0, 0, b, k)
                if r is not None:
                    return r
            if degenerate is not None:
                return degenerate(s, b, k)
            return None
        return m_call
    raise TypeError(f"a segment slot {p} can only stand among the arguments of a call")


def _seq(pargs: tuple) -> Callable[..., Any]:
    """Positional matching of a non-AC argument list (segments take runs)."""
    items = tuple((q, type(q) is Segment, None if type(q) is Segment else _cps(q))
                  for q in pargs)
    np = len(items)

    def seq(args: tuple, i: int, j: int, b: dict, k: Callable[[dict], Any]) -> Any:
        if i == np:
            return k(b) if j == len(args) else None
        q, is_seg, m = items[i]
        if is_seg:
            name = q.name
            if name in b:
                v = b[name]
                w = len(v)
                if j + w <= len(args) and all(_eq(x, y) for x, y in zip(v, args[j:j + w])):
                    return seq(args, i + 1, j + w, b, k)
                return None
            pred = q.pred
            for w in range(len(args) - j + 1):
                chunk = tuple(args[j:j + w])
                if pred is not None and not pred(chunk):
                    continue
                b[name] = chunk
                r = seq(args, i + 1, j + w, b, k)
                del b[name]
                if r is not None:
                    return r
            return None
        if j == len(args):
            return None
        return m(args[j], b, lambda b2: seq(args, i + 1, j + 1, b2, k))
    return seq


def _degenerate(p: PCall) -> Callable[[Any, dict, Callable[[dict], Any]], Any] | None:
    """``p`` (holding default slots) against a subject that is not a ``p.head`` node,
    as if the subject were the only argument: ``~!a*~x`` matches ``x`` with a = 1."""
    if p.ac:
        ac = _ac(p)

        def deg_ac(s: Any, b: dict, k: Callable[[dict], Any]) -> Any:
            return ac((s,), (term_ops(s).head(s),), b, s, False, None,
                      lambda b2, rest, s2: k(b2))
        return deg_ac
    if p.head == "Pow" and len(p.args) == 2 and type(p.args[1]) is DefaultSlot:
        base = _cps(p.args[0])
        dname = p.args[1].name

        def deg_pow(s: Any, b: dict, k: Callable[[dict], Any]) -> Any:
            one = makenum(s, 1)

            def after(b2: dict) -> Any:
                if dname in b2:
                    return k(b2) if _eq(b2[dname], one) else None
                b2[dname] = one
                r = k(b2)
                del b2[dname]
                return r
            return base(s, b, after)
        return deg_pow
    return None


# kinds of AC pattern arguments
_SLOT, _DSLOT, _LIT, _PDET, _PND = range(5)


def _ac(p: PCall) -> Callable[..., Any]:
    """Multiset matching of ``p.args``: ``ac(args, heads, b, like, want_rest, info, kk)``
    calls ``kk(b, rest, like)`` per match (``rest``: unmatched arguments, non-empty only when
    ``want_rest``) until it returns non-None.  ``info`` enables the pre-filters."""
    order = p.ac_order
    k_ = len(order)
    seg = p.segment
    head = p.head
    min_args = p.min_args
    req_heads, req_leaves = p.req_heads, p.req_leaves
    dv = default_value(head, 0)
    specs: list = []
    for q in order:
        tq = type(q)
        if tq is Slot:
            specs.append((_SLOT, q.name, q.pred, None, None))
        elif tq is DefaultSlot:
            specs.append((_DSLOT, q.name, q.pred, None, None))
        elif tq is Lit:
            specs.append((_LIT, None, None, _det(q), None))
        elif _is_det(q):
            specs.append((_PDET, None, None, _det(q), q.heads))
        else:
            specs.append((_PND, None, None, _cps(q), q.heads))
    specs_t = tuple(specs)
    seg_name = seg.name if seg is not None else None
    seg_pred = seg.pred if seg is not None else None

    def ac(args: tuple, heads: tuple, b: dict, like: Any, want_rest: bool, info: SubjectInfo | None,
           kk: Callable[[dict, tuple, Any], Any]) -> Any:
        # pre-filters (no closures are made for a subject they reject)
        n = len(args)
        if n < min_args or (n > k_ and seg is None and not want_rest):
            return None
        if info is not None:
            counts = info.counts
            for h, c in req_heads:
                if counts.get(h, 0) < c:
                    return None
            leaves = info.leaves
            for key, c in req_leaves:
                if leaves.get(key, 0) < c:
                    return None
        return search(args, heads, b, like, want_rest, kk)

    def search(args: tuple, heads: tuple, b: dict, like: Any, want_rest: bool,
               kk: Callable[[dict, tuple, Any], Any]) -> Any:
        n = len(args)
        used = [False] * n
        find = positions_of(args)

        def rec(i: int) -> Any:
            if i == k_:
                rest = tuple(args[j] for j in range(n) if not used[j])
                if seg_name is not None:
                    if seg_name in b:
                        if _same_multiset(b[seg_name], rest):
                            return kk(b, (), like)
                        return None
                    if seg_pred is None or seg_pred(rest):
                        b[seg_name] = rest
                        r = kk(b, (), like)
                        del b[seg_name]
                        return r
                    return None
                if rest and not want_rest:
                    return None
                return kk(b, rest, like)
            kind, name, pred, fn, want = specs_t[i]
            if kind <= _DSLOT:
                v = b.get(name, _MISSING)
                if v is not _MISSING:
                    for j in find(v):
                        if not used[j]:
                            used[j] = True
                            r = rec(i + 1)
                            used[j] = False
                            if r is not None:
                                return r
                            break
                    if kind == _DSLOT and _num_is(v, dv):
                        return rec(i + 1)
                    return None
                for j in range(n):
                    if used[j]:
                        continue
                    a = args[j]
                    if pred is not None and not pred(a):
                        continue
                    used[j] = True
                    b[name] = a
                    r = rec(i + 1)
                    del b[name]
                    used[j] = False
                    if r is not None:
                        return r
                if kind == _DSLOT:
                    b[name] = makenum(like, dv)
                    r = rec(i + 1)
                    del b[name]
                    return r
                return None
            if kind == _PND:
                for j in range(n):
                    if used[j] or (want is not None and heads[j] not in want):
                        continue
                    used[j] = True
                    r = fn(args[j], b, lambda b2: rec(i + 1))
                    used[j] = False
                    if r is not None:
                        return r
                return None
            # literal or deterministic compound: one way to match each candidate
            for j in range(n):
                if used[j]:
                    continue
                if kind == _LIT:
                    if heads[j] is not None:
                        continue
                elif want is not None and heads[j] not in want:
                    continue
                trail: list = []
                if fn(args[j], b, trail):
                    used[j] = True
                    r = rec(i + 1)
                    used[j] = False
                else:
                    r = None
                for nm in trail:
                    del b[nm]
                if r is not None:
                    return r
            return None

        return rec(0)
    return ac


def _num_is(v: Any, value: Any) -> bool:
    ops = term_ops(v)
    return ops.isnumber(v) and ops.numvalue(v) == value


# ----------------------------------------------------------------------
# a rule's left side
# ----------------------------------------------------------------------
def compile_pattern(p: Pattern) -> Top:
    """The matcher of a rule's left side: ``top(s, k)`` calls ``k(bindings, rest, s)`` for the
    matches ``match_rule(p, s)`` yields, in the same order, until ``k`` returns non-None,
    and returns that (None when no call did).  ``bindings`` is live: copy it to keep it."""
    if type(p) is Segment:
        raise TypeError(f"a segment slot {p} can only stand among the arguments of a call")
    if type(p) is PCall and p.ac:
        head = p.head
        ac = _ac(p)
        want_rest = p.segment is None
        degenerate = _degenerate(p) if p.has_defaults else None

        def top_ac(s: Any, k: Callable[[dict, tuple, Any], Any]) -> Any:
            info = _CACHE.get(s)
            if info is None:
                info = _info(s)
            if info.head == head:
                r = ac(info.args, info.heads, {}, s, want_rest, info, k)
                if r is not None:
                    return r
            if degenerate is not None:
                return degenerate(s, {}, lambda b: k(b, (), s))
            return None
        return top_ac
    if _is_det(p):
        d = _det(p)

        def top_det(s: Any, k: Callable[[dict, tuple, Any], Any]) -> Any:
            b: dict = {}
            if d(s, b, []):
                return k(b, (), s)
            return None
        return top_det
    m = _cps(p)

    def top(s: Any, k: Callable[[dict, tuple, Any], Any]) -> Any:
        return m(s, {}, lambda b: k(b, (), s))
    return top


# ----------------------------------------------------------------------
# features every match needs: a pre-filter on the subject's feature mask
# ----------------------------------------------------------------------
def _degenerable(p: PCall) -> bool:
    """Whether ``p`` can match a subject whose head is not ``p.head`` (``_degenerate``)."""
    return p.has_defaults and (p.ac or (p.head == "Pow" and len(p.args) == 2
                                        and type(p.args[1]) is DefaultSlot))


def required_features(p: Pattern) -> frozenset:
    """Operation names and leaves (``("num", v)``, ``("sym", name)``) that occur in every
    subject ``p`` matches: its literals, and the heads of its calls that cannot vanish.

    >>> from symnb.rewriting.syntax import parse_pattern
    >>> sorted(map(str, required_features(parse_pattern("~!c*sin(~x)^2 + ~!c*cos(~x)^2"))))
    ["('num', 2)", 'Add', 'Pow', 'cos', 'sin']
    """
    tp = type(p)
    if tp is Lit:
        return frozenset({(p.kind, p.value)})  # type: ignore[attr-defined]
    if tp is not PCall:
        return frozenset()
    out: set = set()
    for a in p.args:  # type: ignore[attr-defined]
        out |= required_features(a)
    if not _degenerable(p):  # type: ignore[arg-type]
        out.add(p.head)  # type: ignore[attr-defined]
    return frozenset(out)


def required_mask(p: Pattern) -> int:
    """``required_features`` as a bit mask over ``matcher.FEATURE_BITS``."""
    m = 0
    for f in required_features(p):
        try:
            m |= feature_bit(f)
        except TypeError:  # an unhashable literal value: no pre-filter for it
            pass
    return m
