"""Values for property tests that respect assumptions: symbols of each kind, values drawn
for them, complex evaluation with sympy's principal branches, random expressions."""
import cmath
import random
from fractions import Fraction

import mpmath
import sympy
from hypothesis import strategies as st

from symnb import Abs, Number, exp, log, sin, sinh, sqrt, symbols
from symnb.terms.sympy_bridge import to_sympy

x, y = symbols("x y")
r, s = symbols("r s", real=True)
p, q = symbols("p q", positive=True)
n = symbols("n", integer=True)
k = symbols("k", nonnegative=True)
m = symbols("m", negative=True)
z = symbols("z", nonzero=True)

SYM_VALUES = {x: "complex", y: "complex", r: "real", s: "real", p: "positive", q: "positive",
              n: "integer", k: "nonnegative", m: "negative", z: "nonzero"}


def draw_value(kind: str, rnd: random.Random) -> complex:
    """A value respecting the symbol's assumptions."""
    if kind == "complex":
        return complex(rnd.uniform(-3, 3), rnd.uniform(-4.5, 4.5))   # |Im| > pi too
    if kind == "integer":
        return rnd.randint(-4, 4)
    v = rnd.uniform(0.05, 3)
    return {"positive": v, "nonnegative": rnd.choice([0.0, v]), "negative": -v,
            "nonzero": rnd.choice([v, -v]), "real": rnd.uniform(-3, 3)}[kind]


def cvalue(t, env):
    """The complex value of ``t`` (principal branches, as sympy), or None if undefined.

    Computed with 40 digits, so cancellation (``sin(w)^2 + cos(w)^2`` at a large
    imaginary part) does not pass for a difference of values.
    """
    f = sympy.lambdify(list(env), to_sympy(t), "mpmath")
    try:
        with mpmath.workdps(40):
            v = complex(f(*[mpmath.mpmathify(v) for v in env.values()]))
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None
    return v if cmath.isfinite(v) else None


leaves = st.sampled_from(list(SYM_VALUES) + [Number(2), Number(-1), Number(Fraction(1, 2))])


def _safe(op, a, b):
    try:
        return op(a, b)
    except ZeroDivisionError:    # e.g. 0**-1 with exact numbers
        return a


def _grow(kids):
    pairs = st.tuples(kids, kids)
    return st.one_of(
        pairs.map(lambda ab: ab[0] + ab[1]),
        pairs.map(lambda ab: ab[0] * ab[1]),
        pairs.map(lambda ab: ab[0] - ab[1]),
        st.tuples(kids, st.sampled_from([2, 3, -1, Fraction(1, 2), Fraction(-1, 3)]))
        .map(lambda ab: _safe(pow, ab[0], ab[1])),
        pairs.map(lambda ab: _safe(pow, ab[0], ab[1])),
        st.tuples(st.sampled_from([exp, log, Abs, sin, sqrt, sinh]), kids)
        .map(lambda fa: fa[0](fa[1])),
    )


expressions = st.recursive(leaves, _grow, max_leaves=5)
