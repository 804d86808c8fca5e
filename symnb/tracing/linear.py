"""Pending linear combinations: how traced ``+``, ``-`` and scaling stay cheap.

Tracing ``a * (np.roll(x, 1) + np.roll(x, -1) - 2 * x) + b`` eagerly builds, for
every element, one interned sum per operator (each copying and hashing the growing
sum).  A ``Combination`` instead records the operands as ``(coefficient, terms)``
parts, where ``terms`` is an object array of terms (broadcast to the result's shape
when it is built) and the coefficient a number or an object array of numbers; the
element sums are built once, when the array is first read, part by part with one
accumulator per element: exactly what ``acc_add`` does, with its common cases
inlined (terms that are their own unit go straight into the element's mapping,
numbers into its constant), then each sum is interned once (``make_add``).  The
result is the same canonical term (sums are canonical whatever the order of
addition); only a float coefficient met several times may round differently, as
``(c1 + c2) * a`` and ``c1 * a + c2 * a`` may.

>>> import numpy as np
>>> from symnb.terms.core import Symbol
>>> x = np.array([Symbol("p"), Symbol("q")], dtype=object)
>>> c = Combination.of(x, (2,)).scaled(3).plus(Combination.of(x[::-1], (2,)))
>>> [str(e) for e in c.build()]
['3*p + q', 'p + 3*q']
"""
from __future__ import annotations

from operator import attrgetter
from typing import Any

import numpy as np

from ..terms.core import Add, Mul, Number, acc_add, make_add
from ..terms.numbers import is_one, normalize, num_add, num_mul

__all__ = ["Combination"]


class Combination:
    """``sum(coef * terms for coef, terms in parts)`` over an array of ``shape``."""

    __slots__ = ("parts", "shape")

    def __init__(self, parts: list, shape: tuple) -> None:
        self.parts = parts
        self.shape = shape

    @classmethod
    def of(cls, terms: np.ndarray, shape: tuple) -> "Combination":
        """One part: ``terms`` (an object array, kept as given: pass a private copy)."""
        return cls([(1, terms)], shape)

    def plus(self, other: "Combination", sign: int = 1) -> "Combination":
        """``self + sign * other`` (shapes broadcast)."""
        shape = np.broadcast_shapes(self.shape, other.shape)
        parts = other.parts if sign == 1 else [(-c, t) for c, t in other.parts]
        return Combination(self.parts + parts, shape)

    def scaled(self, k: Any) -> "Combination":
        """``k * self`` for a number or an object array of numbers ``k``."""
        shape = self.shape if not isinstance(k, np.ndarray) else \
            np.broadcast_shapes(self.shape, k.shape)
        return Combination([(_times(c, k), t) for c, t in self.parts], shape)

    def build(self) -> np.ndarray:
        """The object array of canonical sums."""
        shape = self.shape
        parts = self.parts
        if len(parts) == 1 and not isinstance(parts[0][0], np.ndarray) and parts[0][0] == 1:
            return np.array(np.broadcast_to(parts[0][1], shape))
        n = int(np.prod(shape, dtype=np.int64))
        sums: list | None = None
        consts: list = [0] * n
        for coef, terms in parts:
            flat = np.broadcast_to(terms, shape).ravel().tolist()
            if sums is None:
                sums = _start(flat, coef)
                if sums is not None:
                    continue
                sums = [{} for _ in range(n)]
            if isinstance(coef, np.ndarray):
                _add_each(sums, consts, flat, np.broadcast_to(coef, shape).ravel().tolist())
            else:
                _add_all(sums, consts, flat, coef)
        return np.fromiter(map(make_add, consts, sums), dtype=object, count=n).reshape(shape)


_SPLIT = frozenset((Number, Add, Mul))   # terms acc_add splits (constant, sum, coefficient)
_COEF = attrgetter("coef")


def _start(flat: list, c: Any) -> list | None:
    """The sums after a first part of units with a scalar coefficient (None: other parts)."""
    if isinstance(c, np.ndarray) or not flat or not set(map(type, flat)).isdisjoint(_SPLIT):
        return None
    first = normalize(num_add(0, c))
    return [{t: first} for t in flat] if first != 0 else [{} for _ in flat]


def _add_all(sums: list, consts: list, flat: list, c: Any) -> None:
    """``consts[k] = acc_add(sums[k], consts[k], flat[k], c)`` for every ``k``, with the
    common cases (units; products with coefficient 1; numbers) done inline."""
    kinds = set(map(type, flat))
    if kinds.isdisjoint(_SPLIT):
        _add_units(sums, flat, c)
        return
    if kinds == {Mul}:
        coefs = list(map(_COEF, flat))
        if set(zip(map(type, coefs), coefs)) == {(int, 1)}:   # e.g. x**2*y: own units
            _add_units(sums, flat, num_mul(1, c))
            return
    if kinds == {Number}:
        prods = {t: num_mul(c, t.value) for t in set(flat)}
        if len(prods) == 1 and len(set(map(id, consts))) == 1:   # one constant for all
            consts[:] = [normalize(num_add(consts[0], prods[flat[0]]))] * len(consts)
        else:
            consts[:] = [normalize(num_add(s, prods[t])) for s, t in zip(consts, flat)]
        return
    units, ones, rest = [], [], []
    for k, t in enumerate(flat):
        tt = type(t)
        if tt not in _SPLIT:
            units.append(k)
        elif tt is Mul and is_one(t.coef):
            ones.append(k)      # its own unit: acc_add adds num_mul(1, c) * t
        else:
            rest.append(k)
    _add_units([sums[k] for k in units], [flat[k] for k in units], c)
    if ones:
        _add_units([sums[k] for k in ones], [flat[k] for k in ones], num_mul(1, c))
    for k in rest:
        consts[k] = acc_add(sums[k], consts[k], flat[k], c)


def _add_units(sums: list, flat: list, c: Any) -> None:
    """``acc_add(sums[k], _, flat[k], c)`` for terms that are their own unit (no constant)."""
    if not flat:
        return
    first = normalize(num_add(0, c))    # what a term absent so far gets
    if first == 0:   # a zero coefficient (rare): it may still turn int coefficients float
        for d, t in zip(sums, flat):
            acc_add(d, 0, t, c)
        return
    for d, t in zip(sums, flat):
        old = d.get(t)
        if old is None:
            d[t] = first
        else:
            nv = num_add(old, c)
            if nv == 0:
                del d[t]
            else:
                d[t] = normalize(nv)


def _add_each(sums: list, consts: list, flat: list, cs: list) -> None:
    """``consts[k] = acc_add(sums[k], consts[k], flat[k], cs[k])``, skipping exact-zero
    coefficients of units absent from the sum (no-ops)."""
    for k, (d, t, c) in enumerate(zip(sums, flat, cs)):
        if type(c) is int and c == 0 and type(t) not in _SPLIT and t not in d:
            continue
        consts[k] = acc_add(d, consts[k], t, c)


def _times(c: Any, k: Any) -> Any:
    """``c * k`` for numbers or object arrays of numbers (exact where both are)."""
    if not isinstance(c, np.ndarray) and not isinstance(k, np.ndarray):
        return normalize(num_mul(c, k))
    return np.multiply(c, k, dtype=object)
