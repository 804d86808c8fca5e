"""Pending sums (``tracing/linear.py``): the built sums equal, term order and coefficient
types included, what ``acc_add`` gives element by element; traced products of symbols."""
from __future__ import annotations

from fractions import Fraction
from itertools import count

import numpy as np

from symnb.terms.core import Symbol, acc_add, make_add
from symnb.tracing import sym_array, trace
from symnb.tracing.linear import Combination

_fresh = count()


def fresh(n):
    """Symbols never used before, so every sum built from them is a new node with its own
    term order (an interned node keeps the order of whoever built it first)."""
    k = next(_fresh)
    return [Symbol(f"lin{k}_{i}") for i in range(n)]


def obj(items):
    a = np.empty(len(items), dtype=object)
    a[:] = items
    return a


def reference(parts, n):
    """acc_add element by element: (const, [(term, coef), ...]) per element."""
    out = []
    for k in range(n):
        d, c = {}, 0
        for coef, terms in parts:
            t = terms[k] if terms.ndim else terms[()]
            ck = coef[k] if isinstance(coef, np.ndarray) else coef
            c = acc_add(d, c, t, ck)
        out.append((c, d))
    return out


def structure(t):
    """Const, terms in order, and the coefficients with their types, of a sum."""
    if type(t).__name__ != "Add":
        return str(t)
    return (type(t.const), t.const, [(str(k), type(v), v) for k, v in t.terms.items()])


def check(parts, n):
    ref = reference(parts, n)       # dicts only: nothing interned yet
    ref_s = [(type(c), c, [(str(k), type(v), v) for k, v in d.items()]) for c, d in ref]
    built = Combination(parts, (n,)).build()
    for k in range(n):
        c, d = ref[k]
        node = make_add(c, dict(d))
        assert built[k] is node
        if type(node).__name__ == "Add":
            assert structure(built[k]) == ref_s[k]


def test_units_cancel_and_come_back_at_the_end():
    x, y, z = fresh(3)
    ones = obj([x, x, x])
    parts = [(2, obj([x, y, z])), (1, obj([y, z, x])), (-2, ones), (0.5, obj([z, x, y])),
             (2, ones), (Fraction(1, 3), obj([y, y, y]))]
    check(parts, 3)


def test_numbers_products_and_sums_mixed_in_one_part():
    x, y, z = fresh(3)
    a = obj([x * y, 3 * x * z, Symbol("lin_c") ** 2])
    b = obj([x + 2 * y + 1, 5, 2.5 * y])
    parts = [(3, a), (-1.5, b), (1, obj([x * y, x, z])), (-3, a), (2, b)]
    check(parts, 3)


def test_per_element_coefficients_with_zeros():
    x, y, z = fresh(3)
    f = Symbol(f"lin_f{next(_fresh)}")
    coef = obj([0, 5, 0.0])
    scalar = np.empty((), dtype=object)
    scalar[()] = f
    parts = [(1, obj([x, y, f])), (coef, scalar), (obj([2, 0, -1]), obj([x, f, z])),
             (obj([Fraction(1, 2), 1.0, 0]), obj([x * z, 7, x + f]))]
    check(parts, 3)


def test_traced_sums_and_products_match_elementwise_arithmetic():
    def f(u, k):
        x, y = u[:4], u[4:]
        return np.concatenate([3 * np.roll(x, 1) - 2 * x + x * x * y - 0.5 * x + k * np.arange(4),
                               x * y * x - y * x ** 2 + 2 * y - y])
    k = Symbol("k")
    tr = trace(f, ("lin_u", 8), k)
    u = sym_array("lin_u", 8).terms
    x, y = u[:4], u[4:]
    expect = [3 * x[(i - 1) % 4] - 2 * x[i] + x[i] * x[i] * y[i] - 0.5 * x[i] + k * i
              for i in range(4)]
    expect += [x[i] * y[i] * x[i] - y[i] * x[i] ** 2 + 2 * y[i] - y[i] for i in range(4)]
    assert all(a is b for a, b in zip(tr.terms, expect))
    assert tr.terms[4] is y[0]


def test_scaling_by_float_arrays_makes_integral_floats_exact():
    tr = trace(lambda u: np.array([2.0, 0.5, -0.0, -3.0]) * u + 1.0, ("lin_v", 4))
    v = sym_array("lin_v", 4).terms
    t = tr.terms
    assert t[0] is 2 * v[0] + 1 and type(t[0].terms[v[0]]) is int and type(t[0].const) is int
    assert t[1] is 0.5 * v[1] + 1 and type(t[1].terms[v[1]]) is float
    assert t[2] is Symbol("lin_v[2]") * 0 + 1
    assert t[3] is 1 - 3 * v[3]
