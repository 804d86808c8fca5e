"""Pattern matching with associative-commutative (AC) sums and products.

The matcher reads subjects only through the term interface (``iscall``,
``opname``, ``arguments``, ``isnumber``/``numvalue``, ``issym``/``symname``),
so it matches symnb, sympy and symengine terms alike.  Sums and products are
matched as *multisets* of their arguments (the canonical flattening the core
already does gives associativity; order is ignored).

Complexity.  At one AC node with ``n`` subject arguments and a pattern with
``k`` non-segment arguments, the search assigns pattern arguments to distinct
subject arguments by backtracking, most constrained first:

* literals and compound sub-patterns only try subject arguments with the same
  head (``opname``), and a compound one that binds slots makes later
  occurrences of those slots *bound*;
* a bound slot is found through a hash index of the arguments: O(1);
* a free slot tries each unused argument: a factor ``n``;
* the (at most one) segment slot takes whatever is left: no partition search.

So a match costs at most ``O(n^f)`` sub-matches, ``f`` the number of *free*
plain slots at that node (``f <= k``), and never more than ``n!/(n-k)!``.  For
``~x + ~y*~x`` on a 200-term sum: 200 compound tries, then O(1) each.
Segments in non-AC calls are matched positionally (``O(n^s)`` for ``s`` segments).
Before any search an AC node is rejected in O(1) when its argument count or
the heads of its arguments cannot fit the pattern (``PCall.min_args``,
``PCall.req_heads``).

Interface calls go through ``term_ops`` (the interface resolved once per
representation type), and each compound subject's head, arguments and
argument heads are read once and cached, with a *feature mask*: a bit for
every operation and leaf that occurs anywhere in it (only features some
pattern requires get a bit).  ``Chain`` skips a rule whose pattern needs a
feature the subject's mask lacks (``compiled.required_features``) without
calling it.

This module is the reference statement of the matching semantics.  Rules
run the same search through ``compiled.py``, which turns each pattern into
plain closures once (no generator frames per match attempt) and yields the
matches in the same order (a property test checks this).

>>> from symnb import symbols
>>> from symnb.rewriting.syntax import parse_pattern
>>> x, y, z = symbols("x y z")
>>> b, rest = next(match_rule(parse_pattern("~x + ~y*~x"), z + x*y + x))
>>> b["x"], b["y"], rest
(x, y, (z,))
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, NamedTuple, Sequence

from ..terms.interface import makenum, term_ops
from .pattern import DefaultSlot, Lit, Pattern, PCall, Segment, Slot, default_value

__all__ = ["match", "match_rule", "clear_cache", "SubjectInfo"]


class SubjectInfo(NamedTuple):
    """What the matcher reads of a subject, computed once per subject (``_info``).

    ``head`` is ``opname(s)`` for a compound subject, None for a leaf; ``args`` its
    arguments and ``heads[i]`` the head of ``args[i]``; ``counts`` maps each argument
    head (None for leaves) to how often it occurs, ``leaves`` maps ``("num", value)`` /
    ``("sym", name)`` of leaf arguments to how often they occur; ``mask`` has the
    ``FEATURE_BITS`` of every operation and leaf anywhere in ``s``.  A leaf has empty
    ``args``/``heads``, None ``counts``/``leaves``, and its ``_leaf_key`` as ``key``
    (None when unhashable; compound subjects have None).
    """
    head: Any
    args: tuple
    heads: tuple
    counts: "dict | None"
    leaves: "dict | None"
    mask: int
    key: Any


_new_info = tuple.__new__
"""``_new_info(SubjectInfo, fields)``: builds the NamedTuple without its Python-level
``__new__`` (``_info`` makes one per distinct subject of every rewrite)."""

_CACHE: dict = {}
_CACHE_LIMIT = 100_000

FEATURE_BITS: dict = {}
"""Feature -> bit: an operation name, or ``("num", value)`` / ``("sym", name)`` of a leaf.
Only features that some pattern requires get a bit (``feature_bit``); a subject's
``_info(s).mask`` has the bits of every feature occurring anywhere in it."""


def clear_cache() -> None:
    """Forget cached argument/head lists and feature masks (they hold references to
    subject terms).  ``rewrite``/``simplify`` call it when they return."""
    _CACHE.clear()


FEATURE_BITS_MAX = 256
"""At most this many features get a bit; later ones get 0 (no pre-filter: still sound)."""


def feature_bit(key: Any) -> int:
    """The bit of a feature that a pattern requires (allocated on first use; 0 once
    ``FEATURE_BITS_MAX`` are taken, which means "do not pre-filter on it").

    Allocating a new bit forgets cached subject masks, which were computed without it.
    """
    bit = FEATURE_BITS.get(key)
    if bit is None:
        if len(FEATURE_BITS) >= FEATURE_BITS_MAX:
            return 0
        bit = FEATURE_BITS[key] = 1 << len(FEATURE_BITS)
        _CACHE.clear()
    return bit


def _leaf_info(a: Any) -> SubjectInfo:
    """A leaf's info: its ``key`` is its ``_leaf_key`` (None when unhashable)."""
    key = _leaf_key(a)
    bit = FEATURE_BITS.get(key, 0) if key is not None else 0
    return _new_info(SubjectInfo, (None, (), (), None, None, bit, key))


def _info(s: Any) -> SubjectInfo:
    """The ``SubjectInfo`` of a subject (cached).

    Descendants are filled in first, with an explicit stack (no recursion limit).

    >>> from symnb import symbols
    >>> x, y = symbols("x y")
    >>> i = _info(x + 2 * y)
    >>> i.head, i.args == (x + 2 * y).args, i.counts == {None: 1, "Mul": 1}
    ('Add', True, True)
    """
    hit = _CACHE.get(s)
    if hit is not None:
        return hit
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    cache = _CACHE
    bits = FEATURE_BITS
    stack = [s]
    while stack:
        t = stack[-1]
        if t in cache:
            stack.pop()
            continue
        ops = term_ops(t)
        head = ops.head(t)
        if head is None:
            cache[t] = _leaf_info(t)
            stack.pop()
            continue
        args = tuple(ops.arguments(t))
        infos = []
        missing = False
        for a in args:
            ai = cache.get(a)
            if ai is None:
                stack.append(a)
                missing = True
            else:
                infos.append(ai)
        if missing:
            continue
        stack.pop()
        mask = bits.get(head, 0)
        heads = []
        counts: dict = {}
        leaves: dict = {}
        for ai in infos:
            h = ai.head
            heads.append(h)
            mask |= ai.mask
            if h is None:
                counts[None] = counts.get(None, 0) + 1
                key = ai.key
                if key is not None:
                    leaves[key] = leaves.get(key, 0) + 1
            else:
                counts[h] = counts.get(h, 0) + 1
        cache[t] = _new_info(SubjectInfo, (head, args, tuple(heads), counts, leaves, mask, None))
    return cache[s]


def _leaf_key(a: Any) -> Any:
    ops = term_ops(a)
    if ops.isnumber(a):
        v = ops.numvalue(a)
        try:
            hash(v)
        except TypeError:
            return None
        return ("num", v)
    if ops.issym(a):
        return ("sym", ops.symname(a))
    return None


def _args_heads(s: Any) -> tuple:
    """``(arguments, heads)`` of a compound subject; heads[i] is opname or None (cached)."""
    info = _info(s)
    return info.args, info.heads


def _head(s: Any) -> Any:
    return term_ops(s).head(s)


def _num_is(v: Any, value: Any) -> bool:
    ops = term_ops(v)
    return ops.isnumber(v) and ops.numvalue(v) == value


def _eq(a: Any, b: Any) -> bool:
    return a is b or a == b


def positions_of(args: tuple) -> Callable[[Any], Sequence[int]]:
    """``find(v)``: the positions in ``args`` that hold ``v``, through a hash index built on
    the first call (a scan where ``args`` or ``v`` is unhashable).

    >>> find = positions_of(("a", "b", "a"))
    >>> list(find("a")), list(find("c"))
    ([0, 2], [])
    """
    n = len(args)
    index: Any = None

    def find(v: Any) -> Sequence[int]:
        nonlocal index
        if index is None:
            index = {}
            for j, a in enumerate(args):
                try:
                    index.setdefault(a, []).append(j)
                except TypeError:  # unhashable subject: fall back to scanning
                    index = False
                    break
        if index is False:
            return [j for j in range(n) if _eq(args[j], v)]
        try:
            return index.get(v, ())
        except TypeError:
            return [j for j in range(n) if _eq(args[j], v)]
    return find


def match(p: Pattern, s: Any, b: dict) -> Iterator[dict]:
    """All extensions of bindings ``b`` under which pattern ``p`` matches subject ``s``."""
    tp = type(p)
    if tp is Slot or tp is DefaultSlot:
        name = p.name  # type: ignore[attr-defined]
        if name in b:
            if _eq(b[name], s):
                yield b
            return
        if p.pred is None or p.pred(s):  # type: ignore[attr-defined]
            nb = dict(b)
            nb[name] = s
            yield nb
        return
    if tp is Lit:
        ops = term_ops(s)
        if p.kind == "num":  # type: ignore[attr-defined]
            if ops.isnumber(s) and ops.numvalue(s) == p.value:  # type: ignore[attr-defined]
                yield b
        elif ops.issym(s) and ops.symname(s) == p.value:  # type: ignore[attr-defined]
            yield b
        return
    if tp is PCall:
        info = _CACHE.get(s)
        if info is None:
            info = _info(s)
        if info.head == p.head:  # type: ignore[attr-defined]
            if p.ac:  # type: ignore[attr-defined]
                for nb, _ in _match_ac(p, info.args, info.heads, b, s, False, info):  # type: ignore[arg-type]
                    yield nb
            else:
                yield from _match_seq(p.args, 0, info.args, 0, b)  # type: ignore[attr-defined]
        if p.has_defaults:  # type: ignore[attr-defined]
            yield from _degenerate(p, s, b)  # type: ignore[arg-type]
        return
    raise TypeError(f"a segment slot {p} can only stand among the arguments of a call")


def _degenerate(p: PCall, s: Any, b: dict) -> Iterator[dict]:
    """Match ``p`` (holding default slots) against a subject that is not a ``p.head`` node,
    as if ``s`` were the only argument: ``~!a*~x`` matches ``x`` with a = 1."""
    if p.ac:
        for nb, _ in _match_ac(p, (s,), (_head(s),), b, s, False):
            yield nb
    elif p.head == "Pow" and len(p.args) == 2 and type(p.args[1]) is DefaultSlot:
        d = p.args[1]
        one = makenum(s, 1)
        for nb in match(p.args[0], s, b):
            if d.name in nb:
                if _eq(nb[d.name], one):
                    yield nb
            else:
                nb = dict(nb)
                nb[d.name] = one
                yield nb


def _match_ac(p: PCall, args: tuple, heads: tuple, b: dict, like: Any,
              want_rest: bool, info: SubjectInfo | None = None) -> Iterator[tuple]:
    """Multiset matching of ``p.args`` against ``args``; yields ``(bindings, rest)``.

    ``rest`` (unmatched arguments) may be non-empty only when ``want_rest``
    (the implicit context of a rule's top-level sum or product).  ``info`` (the
    subject's ``_info``), when given, enables the head and leaf pre-filters.
    """
    order = p.ac_order
    k = len(order)
    n = len(args)
    seg = p.segment
    # pre-filters: each non-default pattern argument takes its own subject argument,
    # and without a segment or a rest nothing may be left over
    if n < p.min_args or (n > k and seg is None and not want_rest):
        return
    if info is not None:
        counts = info.counts
        for h, c in p.req_heads:
            if counts.get(h, 0) < c:
                return
        leaves = info.leaves
        for key, c in p.req_leaves:
            if leaves.get(key, 0) < c:
                return
    used = [False] * n
    head = p.head
    find = positions_of(args)

    def rec(i: int, b: dict) -> Iterator[tuple]:
        if i == k:
            rest = tuple(args[j] for j in range(n) if not used[j])
            if seg is not None:
                name = seg.name
                if name in b:
                    if _same_multiset(b[name], rest):
                        yield b, ()
                elif seg.pred is None or seg.pred(rest):
                    nb = dict(b)
                    nb[name] = rest
                    yield nb, ()
                return
            if rest and not want_rest:
                return
            yield b, rest
            return
        q = order[i]
        tq = type(q)
        if tq is Slot or tq is DefaultSlot:
            name = q.name  # type: ignore[attr-defined]
            if name in b:
                v = b[name]
                for j in find(v):
                    if not used[j]:
                        used[j] = True
                        yield from rec(i + 1, b)
                        used[j] = False
                        break
                if tq is DefaultSlot and _num_is(v, default_value(head, 0)):
                    yield from rec(i + 1, b)
                return
            pred = q.pred  # type: ignore[attr-defined]
            for j in range(n):
                if used[j]:
                    continue
                a = args[j]
                if pred is not None and not pred(a):
                    continue
                used[j] = True
                nb = dict(b)
                nb[name] = a
                yield from rec(i + 1, nb)
                used[j] = False
            if tq is DefaultSlot:
                nb = dict(b)
                nb[name] = makenum(like, default_value(head, 0))
                yield from rec(i + 1, nb)
            return
        # literal or compound sub-pattern: only arguments with the right head
        want = q.heads if tq is PCall else None  # type: ignore[attr-defined]
        for j in range(n):
            if used[j]:
                continue
            if want is not None and heads[j] not in want:
                continue
            if tq is Lit and heads[j] is not None:
                continue
            used[j] = True
            for nb in match(q, args[j], b):
                yield from rec(i + 1, nb)
            used[j] = False

    yield from rec(0, b)


def _same_multiset(a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return False
    pool = list(b)
    for x in a:
        for j, y in enumerate(pool):
            if _eq(x, y):
                del pool[j]
                break
        else:
            return False
    return True


def _match_seq(pargs: tuple, i: int, args: tuple, j: int, b: dict) -> Iterator[dict]:
    """Positional matching of a non-AC argument list (segments take runs)."""
    if i == len(pargs):
        if j == len(args):
            yield b
        return
    q = pargs[i]
    if type(q) is Segment:
        name = q.name
        if name in b:
            v = b[name]
            m = len(v)
            if j + m <= len(args) and all(_eq(x, y) for x, y in zip(v, args[j:j + m])):
                yield from _match_seq(pargs, i + 1, args, j + m, b)
            return
        for m in range(len(args) - j + 1):
            chunk = tuple(args[j:j + m])
            if q.pred is not None and not q.pred(chunk):
                continue
            nb = dict(b)
            nb[name] = chunk
            yield from _match_seq(pargs, i + 1, args, j + m, nb)
        return
    if j == len(args):
        return
    for nb in match(q, args[j], b):
        yield from _match_seq(pargs, i + 1, args, j + 1, nb)


def match_rule(p: Pattern, s: Any) -> Iterator[tuple]:
    """Matches of a rule's left side at ``s``: ``(bindings, rest)``.

    A top-level sum or product pattern without a segment slot matches *part*
    of a sum/product: the unmatched arguments come back as ``rest`` and the
    rule adds (multiplies) them to its replacement.
    """
    if type(p) is PCall and p.ac:
        info = _CACHE.get(s)
        if info is None:
            info = _info(s)
        if info.head == p.head:
            yield from _match_ac(p, info.args, info.heads, {}, s, p.segment is None, info)
        if p.has_defaults:
            for b in _degenerate(p, s, {}):
                yield b, ()
        return
    for b in match(p, s, {}):
        yield b, ()
