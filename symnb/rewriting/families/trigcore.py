"""Fu's identities written once for the circular and the hyperbolic functions.

Every identity is stated with the family's sign ``sigma`` (``trigfamily.py``):
``c² + σ·s² = 1``, ``c(a+b) = c a·c b − σ·s a·s b``, ..., so one function serves both
families.  Each transform here acts on one native symnb node and returns the rewritten
node, or None when it does not apply; ``fu_program.py`` wraps them as named rules.  All identities hold on the whole complex
plane wherever both sides are defined.

>>> from symnb import symbols, sin, cos
>>> x, y = symbols("x y")
>>> sum_to_angle(TRIG, sin(x)*cos(y) + cos(x)*sin(y))
sin(x + y)
>>> products_to_sums(TRIG, 2*sin(x)*cos(x))
sin(2*x)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from ...terms.calculus import expand
from ...terms.core import Add, Call, Mul, Number, Pow, Term
from ...terms.numbers import normalize
from ...terms.order import sort_key
from .trigfamily import (HYPER, TRIG, Family, addends, build_product, bump, combine_pairs,
                         factors_of, fcall, has_calls, int_exp, make_sum, split_coef)

__all__ = ["reciprocals_to_cos_sin", "to_sin_cos", "to_tan", "tan_square_to_sec",
           "pythagorean_power", "cos_square_to_double", "products_to_sums", "sums_to_products",
           "sum_to_angle", "expand_angle_sum", "double_angle", "tan_angle_sum", "tan_products",
           "morrie", "TRIG", "HYPER"]

MAX_PRODUCT = 8
"""Most sine/cosine factors one product-to-sum rewrite multiplies out (2**(n-1) terms)."""


# ----------------------------------------------------------------------
# TR1, TR2, TR2i, TR22: reciprocal and quotient functions
# ----------------------------------------------------------------------
def reciprocals_to_cos_sin(fam: Family, t: Term) -> Term | None:
    """TR1: ``sec(a) → 1/cos(a)``, ``csc(a) → 1/sin(a)``."""
    if type(t) is Call and len(t.args_) == 1:
        if t.func is fam.sec:
            return 1 / fam.cos(t.args_[0])
        if t.func is fam.csc:
            return 1 / fam.sin(t.args_[0])
    return None


def to_sin_cos(fam: Family, t: Term) -> Term | None:
    """TR2: ``tan(a) → sin(a)/cos(a)``, ``cot(a) → cos(a)/sin(a)``."""
    if type(t) is Call and len(t.args_) == 1:
        a = t.args_[0]
        if t.func is fam.tan:
            return fam.sin(a) / fam.cos(a)
        if t.func is fam.cot:
            return fam.cos(a) / fam.sin(a)
    return None


def to_tan(fam: Family, t: Term) -> Term | None:
    """TR2i: ``s(a)^k/c(a)^k → t(a)^k`` and ``c(a)^k/s(a)^k → 1/t(a)^k`` (the smaller
    exponent moves into ``t``); half angles: ``s(a)/(1 + c(a)) → t(a/2)`` and
    ``σ(1 − c(a))/s(a) → t(a/2)`` (``(1 − cos a)/sin a``, ``(cosh a − 1)/sinh a``)."""
    if type(t) is not Mul:
        return None
    f = t.factors
    new = dict(f)
    hit = False
    for b, e in f.items():
        if not (type(b) is Call and b.func is fam.sin and int_exp(e)):
            continue
        a = b.args_[0]
        c = fam.cos(a)
        for partner, tn, orient in ((c, fam.tan(a), 1), (1 + c, fam.tan(a / 2), 1),
                                    (fam.sigma * (1 - c), fam.tan(a / 2), -1)):
            e = new.get(b, 0)
            ep = new.get(partner)
            if not e or ep is None or not int_exp(ep) or (e > 0) == (ep > 0):
                continue
            k = min(abs(e), abs(ep)) * (1 if e > 0 else -1)
            bump(new, b, -k)
            bump(new, partner, k)
            bump(new, tn, k * orient)
            hit = True
    return build_product(t.coef, new) if hit else None


def tan_square_to_sec(fam: Family, t: Term) -> Term | None:
    """TR22: ``tan(a)² → sec(a)² − 1``, ``cot(a)² → csc(a)² − 1`` (also on higher even powers)."""
    if type(t) is not Pow or type(t.base) is not Call or type(t.exp) is not Number:
        return None
    n = t.exp.value
    if not int_exp(n) or n < 2 or n % 2 or fam.sec is None:
        return None
    a = t.base.args_
    if t.base.func is fam.tan:
        return (fam.sec(*a) ** 2 - 1) ** (n // 2)
    if t.base.func is fam.cot:
        return (fam.csc(*a) ** 2 - 1) ** (n // 2)
    return None


# ----------------------------------------------------------------------
# TR5, TR6, TR7: Pythagorean and power-reduction rewrites of squares
# ----------------------------------------------------------------------
def pythagorean_power(fam: Family, t: Term, which: str, max_exp: int = 4) -> Term | None:
    """TR5 (``which="sin"``): ``s² → σ(1 − c²)``; TR6 (``"cos"``): ``c² → 1 − σ s²``.

    Powers up to ``max_exp`` are rewritten: ``s³ → s·σ(1 − c²)``, ``s⁴ → (1 − c²)²``.
    """
    if type(t) is not Pow or type(t.base) is not Call or type(t.exp) is not Number:
        return None
    n = t.exp.value
    if not int_exp(n) or n < 2 or n > max_exp:
        return None
    src, dst = (fam.sin, fam.cos) if which == "sin" else (fam.cos, fam.sin)
    if t.base.func is not src:
        return None
    a = t.base.args_[0]
    if which == "sin":
        h = fam.sigma * (1 - dst(a) ** 2)
    else:
        h = 1 - fam.sigma * dst(a) ** 2
    q, r = divmod(n, 2)
    return h ** q * (t.base if r else 1)


def cos_square_to_double(fam: Family, t: Term) -> Term | None:
    """TR7: ``c(a)² → (1 + c(2a))/2``."""
    if type(t) is Pow and type(t.base) is Call and t.base.func is fam.cos \
            and t.exp is Number(2):
        return (1 + fam.cos(2 * t.base.args_[0])) / 2
    return None


# ----------------------------------------------------------------------
# TR8: products to sums
# ----------------------------------------------------------------------
def _product_of(fam: Family, sargs: list, cargs: list) -> Term:
    """The product ``Π s(a) · Π c(b)`` as a sum of single sines and cosines."""
    acc = [(Fraction(1), 0, None)]          # (coefficient, kind 0 const/1 s/2 c, argument)
    for kind, a in [(1, x) for x in sargs] + [(2, x) for x in cargs]:
        new = []
        for c, k, b in acc:
            h = c / 2
            if k == 0:
                new.append((c, kind, a))
            elif k == 2 and kind == 2:      # c b · c a = (c(b+a) + c(b−a))/2
                new += [(h, 2, b + a), (h, 2, b - a)]
            elif k == 1 and kind == 1:      # s b · s a = σ(c(b−a) − c(b+a))/2
                new += [(fam.sigma * h, 2, b - a), (-fam.sigma * h, 2, b + a)]
            elif k == 1:                    # s b · c a = (s(b+a) + s(b−a))/2
                new += [(h, 1, b + a), (h, 1, b - a)]
            else:                           # c b · s a = (s(a+b) + s(a−b))/2
                new += [(h, 1, a + b), (h, 1, a - b)]
        acc = new
    funcs = {1: fam.sin, 2: fam.cos}
    return make_sum(0, [(c, Number(1) if k == 0 else fcall(funcs[k], a)) for c, k, a in acc])


def _sc_factors(fam: Family, factors: dict, positive: bool) -> tuple[list, list, dict]:
    """Arguments of the s and c factors with positive (or negative) integer exponents,
    repeated by multiplicity, and the remaining factors."""
    sargs: list = []
    cargs: list = []
    rest: dict = {}
    for b, e in factors.items():
        if type(b) is Call and b.func in (fam.sin, fam.cos) and int_exp(e) and \
                (e > 0 if positive else e < 0):
            (sargs if b.func is fam.sin else cargs).extend([b.args_[0]] * abs(e))
        else:
            rest[b] = e
    return sargs, cargs, rest


def _has_sc(fam: Family, t: Term) -> bool:
    return has_calls(t, frozenset((fam.sin, fam.cos)))


def products_to_sums(fam: Family, t: Term) -> Term | None:
    """TR8: a product of sines and cosines (numerator and denominator separately) becomes a
    sum of single sines and cosines; a product of several factors with sums holding them
    (``(1 + cos 2x)·cos x``, ``(1 − cos 2x)²``) is expanded."""
    if type(t) not in (Mul, Pow):
        return None
    coef, factors = factors_of(t)
    num_s, num_c, rest = _sc_factors(fam, factors, True)
    den_s, den_c, rest = _sc_factors(fam, rest, False)
    changed = False
    result: Term = build_product(coef, rest)
    for s, c, sign in ((num_s, num_c, 1), (den_s, den_c, -1)):
        n = len(s) + len(c)
        if n > 1 and n <= MAX_PRODUCT:
            result = result * _product_of(fam, s, c) ** sign
            changed = True
        else:
            for a in s:
                result = result * fam.sin(a) ** sign
            for a in c:
                result = result * fam.cos(a) ** sign
    sums = sum(e for b, e in rest.items() if type(b) is Add and int_exp(e) and e > 0
               and _has_sc(fam, b))
    if sums and sums + len(num_s) + len(num_c) > 1:
        return expand(result)       # its products of sines and cosines come next
    return result if changed else None


# ----------------------------------------------------------------------
# TR9 and TR10i: pairs of addends
# ----------------------------------------------------------------------
def _occurrences(fam: Family, factors: dict) -> Iterator[tuple]:
    """``(function, argument, rest factors)`` for each s or c factor to the power one."""
    for b, e in factors.items():
        if type(b) is Call and b.func in (fam.sin, fam.cos) and int_exp(e) and e == 1:
            rest = dict(factors)
            del rest[b]
            yield b.func, b.args_[0], rest


def _pairs(fam: Family, factors: dict) -> Iterator[tuple]:
    """``(f, a, g, b, rest)`` for each unordered pair of s/c factors (with multiplicity)."""
    occ = []
    for base, e in factors.items():
        if type(base) is Call and base.func in (fam.sin, fam.cos) and int_exp(e) and e > 0:
            occ.extend([base] * min(e, 2))
    seen: set = set()
    for i in range(len(occ)):
        for j in range(i + 1, len(occ)):
            p, q = occ[i], occ[j]
            if (p, q) in seen:
                continue        # the same pair again
            seen.add((p, q))
            rest = dict(factors)
            for base in (p, q):
                e = rest[base] - 1
                if e:
                    rest[base] = e
                else:
                    del rest[base]
            yield p.func, p.args_[0], q.func, q.args_[0], rest


def sums_to_products(fam: Family, t: Term) -> Term | None:
    """TR9: ``c a ± c b`` and ``s a ± s b`` (same coefficient and cofactor) to products:
    ``c a + c b = 2 c((a+b)/2) c((a−b)/2)``, ``c a − c b = −2σ s((a+b)/2) s((a−b)/2)``,
    ``s a ± s b = 2 s((a±b)/2) c((a∓b)/2)``."""
    def keys(u: Term) -> list:
        _, f = factors_of(u)
        out = []
        for func, a, rest in _occurrences(fam, f):
            r = build_product(1, rest)
            out.append(((func, r), (func, r, a)))
        return out

    def join(p: tuple, q: tuple) -> Term | None:
        (ci, (func, rest, a)), (cj, (_, _, b)) = p, q
        if a is b:
            return None
        h, d = (a + b) / 2, (a - b) / 2
        if func is fam.cos:
            body = 2 * fcall(fam.cos, h) * fcall(fam.cos, d) if ci == cj else \
                -2 * fam.sigma * fcall(fam.sin, h) * fcall(fam.sin, d)
        else:
            body = 2 * fcall(fam.sin, h) * fcall(fam.cos, d) if ci == cj else \
                2 * fcall(fam.cos, h) * fcall(fam.sin, d)
        return ci * rest * body

    return combine_pairs(t, keys, join)


def sum_to_angle(fam: Family, t: Term) -> Term | None:
    """TR10i: ``c a·c b ∓ σ s a·s b → c(a ± b)`` and ``s a·c b ± c a·s b → s(a ± b)`` for two
    addends with the same coefficient and cofactor (``a = b`` gives ``c² + σ s² → 1``)."""
    s, c = fam.sin, fam.cos

    def keys(u: Term) -> list:
        _, f = factors_of(u)
        out = []
        for f1, a, f2, b, rest in _pairs(fam, f):
            if sort_key(b) < sort_key(a):
                f1, a, f2, b = f2, b, f1, a
            r = build_product(1, rest)
            out.append(((r, a, b), (r, f1, a, f2, b)))
        return out

    def join(p: tuple, q: tuple) -> Term | None:
        (ci, (rest, f1, a, f2, b)), (cj, (_, g1, _, g2, _)) = p, q
        if (f1, f2) == (c, c) and (g1, g2) == (s, s) or (f1, f2) == (s, s) and (g1, g2) == (c, c):
            lead, other = (ci, cj) if f1 is c else (cj, ci)   # coefficients of c·c and s·s
            # c a c b + σ s a s b = c(a − b);  c a c b − σ s a s b = c(a + b)
            same = 1 if lead == other else -1
            return lead * rest * fcall(c, a - b if same == fam.sigma else a + b)
        if {f1, f2} == {s, c} and {g1, g2} == {s, c} and a is not b and f1 is not g1:
            lead = ci if f1 is s else cj        # the addend holding s(a)·c(b)
            # s a c b + c a s b = s(a + b);  s a c b − c a s b = s(a − b)
            return lead * rest * fcall(s, a + b if ci == cj else a - b)
        return None

    return combine_pairs(t, keys, join)


# ----------------------------------------------------------------------
# TR10, TR11, TR12, TR13, TRmorrie: angle sums, double angles, tan products
# ----------------------------------------------------------------------
def _sc_of_sum(fam: Family, parts: list) -> tuple[Term, Term]:
    """``(s(Σ parts), c(Σ parts))`` expanded by the angle-sum formulas."""
    if len(parts) == 1:
        return fcall(fam.sin, parts[0]), fcall(fam.cos, parts[0])
    s1, c1 = fcall(fam.sin, parts[0]), fcall(fam.cos, parts[0])
    s2, c2 = _sc_of_sum(fam, parts[1:])
    return s1 * c2 + c1 * s2, c1 * c2 - fam.sigma * s1 * s2


def _sum_parts(a: Term) -> list:
    const, pairs = addends(a)
    parts = [c * u for c, u in pairs]
    return parts + ([Number(const)] if const != 0 else [])


def expand_angle_sum(fam: Family, t: Term) -> Term | None:
    """TR10: ``s(a+b) → s a·c b + c a·s b``, ``c(a+b) → c a·c b − σ s a·s b`` (all addends)."""
    if type(t) is not Call or t.func not in (fam.sin, fam.cos) or type(t.args_[0]) is not Add:
        return None
    s, c = _sc_of_sum(fam, _sum_parts(t.args_[0]))
    return s if t.func is fam.sin else c


def double_angle(fam: Family, t: Term) -> Term | None:
    """TR11: ``s(2a) → 2 s a·c a``, ``c(2a) → c a² − σ s a²`` (even integer multiples)."""
    if type(t) is not Call or t.func not in (fam.sin, fam.cos):
        return None
    k, u = split_coef(t.args_[0])
    if type(k) is not int or k % 2 or k == 0 or type(u) is Number:
        return None
    h = (k // 2) * u
    if t.func is fam.sin:
        return 2 * fam.sin(h) * fam.cos(h)
    return fam.cos(h) ** 2 - fam.sigma * fam.sin(h) ** 2


def tan_angle_sum(fam: Family, t: Term) -> Term | None:
    """TR12: ``t(a+b) → (t a + t b)/(1 − σ t a·t b)`` (adds poles where ``t a`` has them)."""
    if type(t) is not Call or t.func is not fam.tan or type(t.args_[0]) is not Add:
        return None
    parts = _sum_parts(t.args_[0])
    a, b = parts[0], make_sum(0, [(1, p) for p in parts[1:]])
    ta, tb = fcall(fam.tan, a), fcall(fam.tan, b)
    return (ta + tb) / (1 - fam.sigma * ta * tb)


def tan_products(fam: Family, t: Term) -> Term | None:
    """TR13: ``t a·t b → σ(1 − (t a + t b)/t(a+b))``;
    ``cot a·cot b → 1 + cot(a+b)(cot a + cot b)``."""
    if type(t) is not Mul:
        return None
    for f in (fam.tan, fam.cot):
        if f is None:
            continue
        occ = []
        for b, e in t.factors.items():
            if type(b) is Call and b.func is f and int_exp(e) and e > 0:
                occ.extend([b] * min(e, 2))
        if len(occ) < 2:
            continue
        p, q = occ[0], occ[1]
        rest = dict(t.factors)
        for base in (p, q):
            rest[base] -= 1
            if rest[base] == 0:
                del rest[base]
        a, b = p.args_[0], q.args_[0]
        if f is fam.tan:
            pair = fam.sigma * (1 - (p + q) / fcall(f, a + b))
        else:
            pair = 1 + fcall(f, a + b) * (p + q)
        return build_product(t.coef, rest) * pair
    return None


def morrie(fam: Family, t: Term) -> Term | None:
    """TRmorrie: ``c a·c 2a·…·c 2ⁿ⁻¹a → s(2ⁿa)/(2ⁿ s a)`` (adds removable poles at ``s a = 0``)."""
    if type(t) is not Mul:
        return None
    groups: dict = {}
    for b, e in t.factors.items():
        if type(b) is Call and b.func is fam.cos and int_exp(e) and e > 0:
            k, u = split_coef(b.args_[0])
            if type(k) in (int, Fraction) and k > 0:
                groups.setdefault(u, {})[k] = e
    factors = dict(t.factors)
    coef = Fraction(t.coef) if type(t.coef) is not float else t.coef
    hit = False
    for u, ks in groups.items():
        for k0 in sorted(ks):
            while ks.get(k0, 0) > 0:
                n, k = 0, k0
                while ks.get(k, 0) > 0:
                    n, k = n + 1, 2 * k
                if n < 2:
                    break
                k = k0
                for _ in range(n):
                    ks[k] -= 1
                    bump(factors, fam.cos(k * u), -1)
                    k = 2 * k
                bump(factors, fam.sin(k * u), 1)
                bump(factors, fam.sin(k0 * u), -1)
                coef = coef / 2 ** n
                hit = True
    return build_product(normalize(coef), factors) if hit else None
