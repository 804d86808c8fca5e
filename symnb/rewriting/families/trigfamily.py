"""Circular and hyperbolic functions as one ``Family``, and the native-term helpers Fu's
rules share: sign-normalised calls, memoised call and operation counts, products and sums.

A ``Family`` names its sine, cosine and tangent (and, for the circular one, cot, sec and
csc) and a sign ``sigma``: +1 for sin/cos, -1 for sinh/cosh.  Identities written with
``sigma`` (``c² + σ·s² = 1``) serve both families (``trigcore.py``).

>>> from symnb import symbols, sin, cos
>>> x, y = symbols("x y")
>>> fcall(sin, y - x), count_calls(sin(x)**2 + sin(x)*cos(y), TRIG.functions)
(-sin(x - y), 3)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ...terms.calculus import count_ops
from ...terms.core import Add, Call, Mul, Number, Term, _mul_parts, acc_add, children, make_add
from ...terms.functions import Function, cos, cosh, cot, csc, sec, sin, sinh, tan, tanh
from ...terms.order import sort_key

__all__ = ["Family", "TRIG", "HYPER", "fcall", "negative_lead", "count_calls", "has_calls",
           "call_counts", "clear_memo", "ops", "factors_of", "build_product", "addends",
           "make_sum", "int_exp", "bump", "split_coef", "combine_pairs", "MAX_ADDENDS"]

MAX_ADDENDS = 40
"""Sums with more addends are not searched pairwise (TR9, TR10i, HTRexpi)."""


@dataclass(frozen=True, eq=False)
class Family:
    """The functions of one family and the sign ``sigma`` in its identities."""

    name: str
    prefix: str
    sin: Function
    cos: Function
    tan: Function
    sigma: int
    cot: Function | None = None
    sec: Function | None = None
    csc: Function | None = None

    @property
    def functions(self) -> frozenset:
        return frozenset(f for f in (self.sin, self.cos, self.tan, self.cot, self.sec,
                                     self.csc) if f is not None)

    def __repr__(self) -> str:
        return f"Family({self.name})"


TRIG = Family("trig", "TR", sin, cos, tan, 1, cot, sec, csc)
HYPER = Family("hyper", "HTR", sinh, cosh, tanh, -1)


# ----------------------------------------------------------------------
# small native helpers
# ----------------------------------------------------------------------
def negative_lead(a: Term) -> bool:
    """Whether ``a`` reads with a leading minus: a product with a negative coefficient, or a
    sum whose first unit (in the canonical order) has one.  Of ``u`` and ``-u`` (u ≠ 0)
    exactly one has a leading minus."""
    if type(a) is Mul:
        return a.coef < 0
    if type(a) is Add:
        return a.terms[min(a.terms, key=sort_key)] < 0
    if type(a) is Number:
        return a.value < 0
    return False


def fcall(f: Function, a: Term) -> Term:
    """``f(a)``, with the sign of a sum argument taken out by ``f``'s parity, so that
    ``sin(x - y)`` and ``sin(y - x)`` meet as ``±sin(x - y)``."""
    if type(a) is Add and f.parity is not None and negative_lead(a):
        r = f(-a)
        return -r if f.parity == "odd" else r
    return f(a)


_CALLS: dict = {}
"""Term -> {function: number of its calls in the term's tree}; cleared by ``clear_memo``
(every public entry does at its end) and when it passes ``_MEMO_LIMIT`` entries."""
_MEMO_LIMIT = 100_000


def call_counts(t: Term) -> dict:
    """``{function: calls in the expression tree of t}`` (shared subterms each time),
    memoised over the DAG: only nodes not seen before are visited."""
    memo = _CALLS
    hit = memo.get(t)
    if hit is not None:
        return hit
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    stack = [(t, False)]
    while stack:
        node, done = stack.pop()
        if node in memo:
            continue
        ch = children(node)
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in ch if c not in memo)
            continue
        d: dict = {}
        for c in ch:
            for f, n in memo[c].items():
                d[f] = d.get(f, 0) + n
        if type(node) is Call:
            d[node.func] = d.get(node.func, 0) + 1
        memo[node] = d
    return memo[t]


_OPS: dict = {}


def ops(t: Term) -> int:
    """``count_ops(t)``, memoised like ``call_counts``."""
    n = _OPS.get(t)
    if n is None:
        if len(_OPS) > _MEMO_LIMIT:
            _OPS.clear()
        n = _OPS[t] = count_ops(t)
    return n


def clear_memo() -> None:
    """Forget the memoised call and operation counts (they keep terms alive)."""
    _CALLS.clear()
    _OPS.clear()


def count_calls(t: Term, funcs: frozenset) -> int:
    """How many calls of ``funcs`` the expression tree of ``t`` holds (shared ones each time)."""
    d = call_counts(t)
    return sum(d.get(f, 0) for f in funcs)


def has_calls(t: Term, funcs: frozenset) -> bool:
    """Whether ``t`` contains a call of one of ``funcs``."""
    d = call_counts(t)
    return any(f in d for f in funcs)


factors_of: Callable[[Term], tuple] = _mul_parts
"""``(coefficient, {base: exponent})`` of a product (a lone term is one factor)."""


def build_product(coef: Any, factors: dict) -> Term:
    """``coef * prod(base**exp)``."""
    r: Term = Number(coef)
    for b, e in factors.items():
        r = r * (b if (type(e) is int and e == 1) else b ** e)
    return r


def addends(t: Term) -> tuple[Any, list]:
    """``(constant, [(coefficient, unit), ...])`` of a sum (a lone term is one addend)."""
    tt = type(t)
    if tt is Add:
        return t.const, [(c, u) for u, c in t.terms.items()]
    if tt is Number:
        return t.value, []
    c, f = factors_of(t)
    if tt is Mul:
        return 0, [(c, build_product(1, f))]
    return 0, [(1, t)]


def make_sum(const: Any, pairs: list) -> Term:
    """The sum ``const + Σ c*unit`` of ``(c, unit)`` pairs (units may be any terms)."""
    d: dict = {}
    for c, u in pairs:
        const = acc_add(d, const, u, c)
    return make_add(const, d)


def int_exp(e: Any) -> bool:
    return type(e) is int


def bump(factors: dict, base: Term, d: int) -> None:
    """Add ``d`` to the exponent of ``base`` (dropping it at zero)."""
    e = factors.get(base, 0) + d
    if e:
        factors[base] = e
    else:
        factors.pop(base, None)


def split_coef(a: Term) -> tuple[Any, Term]:
    """``a = k * u`` with a numeric ``k`` and a unit ``u``."""
    if type(a) is Mul:
        return a.coef, build_product(1, a.factors)
    return 1, a


def combine_pairs(t: Term, keys: Callable[[Term], list],
                   join: Callable[[tuple, tuple], Term | None]) -> Term | None:
    """Replace pairs of addends of the sum ``t`` that ``join`` combines: ``keys(unit)`` lists
    ``(key, info)`` for an addend; addends sharing a key are offered to ``join`` as
    ``(coef, info)`` pairs, which returns the replacement of both or None."""
    if type(t) is not Add or len(t.terms) > MAX_ADDENDS:
        return None
    items = [(c, u) for u, c in t.terms.items()]
    index: dict = {}
    for i, (c, u) in enumerate(items):
        for key, info in keys(u):
            index.setdefault((abs(c), key), []).append((i, c, info))
    used: set = set()
    out: list = []
    for entries in index.values():
        for x in range(len(entries)):
            i, ci, fi = entries[x]
            if i in used:
                continue
            for y in range(x + 1, len(entries)):
                j, cj, fj = entries[y]
                if j in used or j == i:
                    continue
                r = join((ci, fi), (cj, fj))
                if r is not None:
                    used.update((i, j))
                    out.append((1, r))
                    break
    if not used:
        return None
    rest = [(c, u) for k, (c, u) in enumerate(items) if k not in used]
    return make_sum(t.const, rest + out)
