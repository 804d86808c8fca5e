"""Hypothesis strategies for random symnb expressions (depth <= 6)."""
from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

import symnb
from symnb import Number, Symbol

SYMS = [Symbol(n) for n in ("x", "y", "z", "w")]

ints = st.integers(min_value=-6, max_value=6)
fracs = st.builds(lambda p, q: Number(Fraction(p, q)), st.integers(-5, 5), st.integers(1, 4))
floats = st.floats(min_value=-4, max_value=4, allow_nan=False, width=64).filter(lambda v: abs(v) > 1e-3)

leaves_exact = st.one_of(st.sampled_from(SYMS), ints.map(Number), fracs)
leaves = st.one_of(st.sampled_from(SYMS), st.sampled_from(SYMS), ints.map(Number), fracs,
                   floats.map(Number))

UNARY = [symnb.sin, symnb.cos, symnb.exp, symnb.tan, symnb.atan, symnb.sqrt]


def _extend(children, unary=UNARY):
    return st.one_of(
        st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] - ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
        st.tuples(children, children).map(lambda ab: _safe_div(ab[0], ab[1])),
        st.tuples(children, st.integers(-3, 4)).map(lambda ab: _safe_pow(ab[0], ab[1])),
        st.tuples(st.sampled_from(unary), children).map(lambda fa: fa[0](fa[1])),
    )


def _safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return a


def _safe_pow(a, k):
    try:
        return a ** k
    except ZeroDivisionError:
        return a


def expressions(leaf=leaves, unary=UNARY, max_leaves=24):
    """Random expressions of depth <= 6 built with the public operators."""
    return st.recursive(leaf, lambda ch: _extend(ch, unary), max_leaves=max_leaves)
