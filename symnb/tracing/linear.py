"""Pending linear combinations: how traced ``+``, ``-`` and scaling stay cheap.

Tracing ``a * (np.roll(x, 1) + np.roll(x, -1) - 2 * x) + b`` eagerly builds, for
every element, one interned sum per operator (each copying and hashing the growing
sum).  A ``Combination`` instead records the operands as ``(coefficient, terms)``
parts, where ``terms`` is an object array of terms (broadcast to the result's shape
when it is built) and the coefficient a number or an object array of numbers; the
element sums are built once, with one accumulator per element (``acc_add``), when
the array is first read.  The result is the same canonical term (sums are
canonical whatever the order of addition); only a float coefficient met several
times may round differently, as ``(c1 + c2) * a`` and ``c1 * a + c2 * a`` may.

>>> import numpy as np
>>> from symnb.terms.core import Symbol
>>> x = np.array([Symbol("p"), Symbol("q")], dtype=object)
>>> c = Combination.of(x, (2,)).scaled(3).plus(Combination.of(x[::-1], (2,)))
>>> [str(e) for e in c.build()]
['3*p + q', 'p + 3*q']
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..terms.core import acc_add, make_add

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
        sums: list = [{} for _ in range(n)]
        consts: list = [0] * n
        for coef, terms in parts:
            flat = np.broadcast_to(terms, shape).ravel().tolist()
            if isinstance(coef, np.ndarray):
                cs = np.broadcast_to(coef, shape).ravel().tolist()
                for k in range(n):
                    consts[k] = acc_add(sums[k], consts[k], flat[k], cs[k])
            else:
                for k in range(n):
                    consts[k] = acc_add(sums[k], consts[k], flat[k], coef)
        out = np.empty(n, dtype=object)
        for k in range(n):
            out[k] = make_add(consts[k], sums[k])
        return out.reshape(shape)


def _times(c: Any, k: Any) -> Any:
    """``c * k`` for numbers or object arrays of numbers (exact where both are)."""
    if not isinstance(c, np.ndarray) and not isinstance(k, np.ndarray):
        from ..terms.numbers import normalize, num_mul
        return normalize(num_mul(c, k))
    return np.multiply(c, k, dtype=object)
