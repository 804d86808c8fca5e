"""Values for property tests that respect assumptions: symbols of each kind, values drawn
for them, complex evaluation with sympy's principal branches, random expressions."""
import cmath
import random
from fractions import Fraction

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
        return complex(rnd.uniform(-3, 3), rnd.uniform(-3, 3))
    if kind == "integer":
        return rnd.randint(-4, 4)
    v = rnd.uniform(0.05, 3)
    return {"positive": v, "nonnegative": rnd.choice([0.0, v]), "negative": -v,
            "nonzero": rnd.choice([v, -v]), "real": rnd.uniform(-3, 3)}[kind]


def cvalue(t, env):
    """The complex value of ``t`` (principal branches, as sympy), or None if undefined."""
    f = sympy.lambdify(list(env), to_sympy(t), "mpmath")
    try:
        v = complex(f(*env.values()))
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None
    return v if cmath.isfinite(v) else None


leaves = st.sampled_from(list(SYM_VALUES) + [Number(2), Number(-1), Number(Fraction(1, 2))])


def _grow(kids):
    return st.one_of(
        st.tuples(kids, kids).map(lambda ab: ab[0] + ab[1]),
        st.tuples(kids, kids).map(lambda ab: ab[0] * ab[1]),
        st.tuples(kids, kids).map(lambda ab: ab[0] - ab[1]),
        st.tuples(kids, st.sampled_from([2, 3, -1, Fraction(1, 2), Fraction(-1, 3)]))
        .map(lambda ab: ab[0] ** ab[1]),
        st.tuples(kids, kids).map(lambda ab: ab[0] ** ab[1]),
        st.tuples(st.sampled_from([exp, log, Abs, sin, sqrt, sinh]), kids)
        .map(lambda fa: fa[0](fa[1])),
    )


expressions = st.recursive(leaves, _grow, max_leaves=5)
