"""Terms <-> python-flint polynomials over Q, with non-polynomial subterms as generators.

A term is read as a quotient ``num/den`` of ``fmpq_mpoly`` polynomials.  Sums,
products and integer powers are polynomial structure; everything else becomes a
*generator*: symbols, function calls (``sin(x)``), powers with a non-integer or
symbolic exponent (``x^(1/2)``, ``x^y``).  Powers of one base share a generator:
``x^(1/2)`` and ``x^(3/2)`` are ``g`` and ``g^3`` with ``g = x^(1/2)``, ``x^y`` and
``x^(2*y)`` are ``g`` and ``g^2``, ``exp(y)`` and ``exp(2*y)`` likewise; the
identities used, ``(b^(1/q))^p = b^(p/q)`` for integer ``p``, hold for the principal
branch everywhere on the complex plane.  A symbol that also occurs under a root
joins it: with ``x^(1/2)`` present, ``x`` is ``g^2``.  Negative integer powers go to
the denominator (or, with ``negative_atoms=True`` as ``expand`` uses, stay generators).

Floats: a float coefficient is read *exactly* (every binary float is a rational), and
when the input held a float coefficient the result's coefficients come back as floats
("float in, float out", as in sympy); exact inputs give exact results.

>>> from symnb.terms import symbols, sin
>>> x, y = symbols("x y")
>>> r = to_rational([(sin(x) ** 2 - 1) / (sin(x) - 1)])
>>> r.gens
(sin(x),)
>>> num, den = r.values[0]
>>> str(num.gcd(den))
'g0 - 1'
>>> r.to_term(num.gcd(den))
-1 + sin(x)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Iterable

from flint import fmpq, fmpq_mpoly, fmpq_mpoly_ctx

from ..terms.core import Add, Call, Mul, Number, Pow, Symbol, Term, acc_add, make_add, \
    make_mul, mul, power
from ..terms.functions import exp
from ..terms.numbers import exact_pow_too_big
from ..terms.order import sort_key
from .errors import PolynomialError
from .limits import DEFAULT_MAX_TERMS, check_mul, check_pow

__all__ = ["Rational", "to_rational", "poly_to_term", "flint_context"]

_EXP = "exp"           # key marker of exp(c*u) generators


def flint_context(n: int) -> fmpq_mpoly_ctx:
    """The (cached) flint context with ``n`` generators ``g0 .. g{n-1}``, lex order."""
    return fmpq_mpoly_ctx.get(("g", n), "lex")


def _split(e: Term) -> tuple[Term, Any]:
    """``e = c * u`` with ``c`` the numeric coefficient of ``e`` (a sum keeps ``c = 1``)."""
    if type(e) is Mul:
        return make_mul(1, dict(e.factors)), e.coef
    return e, 1


def _exp_value(e: Any) -> Any:
    return e.value if type(e) is Number else e


class _Plan:
    """How each structural node is read, found by one walk over the DAG."""

    def __init__(self, negative_atoms: bool, deep: Callable[[Term], Term] | None) -> None:
        self.negative_atoms = negative_atoms
        self.deep = deep
        self.keys: dict = {}        # generator key -> lcm of exponent denominators
        self.pairs: dict = {}       # node -> list of (kind, data, exponent)
        self.order: list = []       # structural nodes, children first
        self.inexact = False

    def _key(self, key: Any, r: Any) -> tuple:
        if type(r) is Fraction:
            q = r.denominator
            old = self.keys.get(key, 1)
            self.keys[key] = old * q // _gcd(old, q)
        elif key not in self.keys:
            self.keys[key] = 1
        return ("key", key, r)

    def _atom(self, t: Term) -> tuple:
        if self.deep is not None:
            t = _deep_rebuild(t, self.deep)
        return self._key((t, None), 1)

    def classify(self, b: Term, e: Any) -> tuple:
        """Read ``b**e``: ``("int", b, n)``, ``("key", key, r)`` (a generator power)."""
        e = _exp_value(e)
        neg_atom = self.negative_atoms
        if type(e) is int:
            if type(b) is Number and exact_pow_too_big(b.value, e):
                return self._atom(power(b, Number(e)))   # 10^(10^10) stays symbolic
            if e < 0 and neg_atom:     # 1/b^n with b^n expanded, as sympy's expand does
                inner = power(b, Number(-e))
                return self._key((power(self._base(inner), Number(-1)), None), 1)
            if type(b) is Symbol:
                return self._key((b, None), e)
            return ("int", b, e)
        if type(e) is Fraction:
            if e < 0 and neg_atom:
                return self._atom(power(b, Number(e)))
            return self._key((self._base(b), None), e)
        if type(e) is float:
            return self._atom(power(b, Number(e)))
        u, c = _split(e)
        if type(c) is float or (c < 0 and neg_atom):
            return self._atom(power(b, e))
        return self._key((self._base(b), self._base(u)), c)

    def _base(self, b: Term) -> Term:
        return b if self.deep is None else self.deep(b)

    def classify_call(self, node: Call) -> tuple:
        if node.func.name == "exp" and type(node.args_[0]) is not Number:
            u, c = _split(node.args_[0])
            if type(c) is not float and not (c < 0 and self.negative_atoms):
                return self._key((_EXP, self._base(u)), c)
        return self._atom(node)

    def scan(self, roots: Iterable[Term]) -> None:
        seen: set = set()
        stack: list = [(r, False) for r in roots]
        pairs = self.pairs
        while stack:
            node, done = stack.pop()
            if done:
                self.order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            tt = type(node)
            if tt is Number:
                if type(node.value) is float:
                    self.inexact = True
            elif tt is Symbol:
                pairs[node] = [self._key((node, None), 1)]
            elif tt is Add:
                if type(node.const) is float or float in set(map(type, node.terms.values())):
                    self.inexact = True
            elif tt is Mul:
                if type(node.coef) is float:
                    self.inexact = True
                pairs[node] = [self.classify(b, e) for b, e in node.factors.items()]
            elif tt is Pow:
                pairs[node] = [self.classify(node.base, node.exp)]
            elif tt is Call:
                pairs[node] = [self.classify_call(node)]
            else:
                raise TypeError(f"cannot read a {tt.__name__} as a polynomial; "
                                "pass a symnb term")
            stack.append((node, True))
            if tt is Add:
                stack.extend((k, False) for k in node.terms)
            else:
                stack.extend((p[1], False) for p in pairs.get(node, ()) if p[0] == "int")


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _deep_rebuild(t: Term, deep: Callable[[Term], Term]) -> Term:
    """``t`` with ``deep`` applied to its arguments (for expand: inside calls and powers)."""
    if type(t) is Call:
        return t.func(*[deep(a) for a in t.args_])
    if type(t) is Pow:
        return power(deep(t.base), deep(t.exp))
    return t


def _gen_term(key: Any, q: int) -> Term:
    base, unit = key
    if base is _EXP:
        return exp(unit * Fraction(1, q) if q != 1 else unit)
    if unit is None:
        return base if q == 1 else power(base, Number(Fraction(1, q)))
    return power(base, unit * Fraction(1, q) if q != 1 else unit)


def _fmpq(v: Any) -> fmpq:
    if type(v) is int:
        return fmpq(v)
    if type(v) is Fraction:
        return fmpq(v.numerator, v.denominator)
    if v != v or v in (float("inf"), float("-inf")):
        raise PolynomialError(f"a polynomial coefficient must be finite, got {v}; "
                              "remove the nan/inf before taking a normal form")
    n, d = float(v).as_integer_ratio()
    return fmpq(n, d)


class Rational:
    """Terms read as quotients of flint polynomials over shared generators.

    ``values[i]`` is ``(num, den)`` for the i-th input term; ``gens[j]`` is the term
    standing for flint's generator ``g{j}``.
    """

    def __init__(self, ctx: fmpq_mpoly_ctx, gens: tuple, values: list, inexact: bool,
                 max_terms: int, bases: tuple = ()) -> None:
        self.ctx = ctx
        self.gens = gens
        self.bases = bases          # the base term of each generator (``x`` for x^(1/2))
        self.values = values
        self.inexact = inexact
        self.max_terms = max_terms

    def to_term(self, p: fmpq_mpoly) -> Term:
        """The flint polynomial ``p`` as a canonical symnb term."""
        return poly_to_term(p, self.gens, self.inexact)

    def quotient_term(self, num: fmpq_mpoly, den: fmpq_mpoly) -> Term:
        """``num/den`` as a term (``den`` is left as given)."""
        n = self.to_term(num)
        if den.is_one():
            return n
        return mul(n, power(self.to_term(den), Number(-1)))


def poly_to_term(p: fmpq_mpoly, gens: tuple, inexact: bool = False) -> Term:
    """Build the canonical symnb sum of the monomials of ``p`` over ``gens``.

    >>> from symnb.terms import symbols
    >>> x, y = symbols("x y")
    >>> g0, g1 = flint_context(2).gens()
    >>> poly_to_term((g0 + 2 * g1) ** 2, (x, y))
    x^2 + 4*x*y + 4*y^2
    """
    d: dict = {}
    const: Any = 0
    n = len(gens)
    for exps, c in p.terms():
        cv = _coef(c, inexact)
        f = {gens[i]: int(exps[i]) for i in range(n) if exps[i]}
        if not f:
            const = const + cv
            continue
        const = acc_add(d, const, make_mul(1, f), cv)
    return make_add(const, d)


def _coef(c: fmpq, inexact: bool) -> Any:
    num, den = int(c.p), int(c.q)
    if inexact:
        return num / den
    return num if den == 1 else Fraction(num, den)


def to_rational(terms: list, *, max_terms: int = DEFAULT_MAX_TERMS,
                negative_atoms: bool = False,
                deep: Callable[[Term], Term] | None = None) -> Rational:
    """Read ``terms`` as quotients of polynomials over one shared set of generators.

    Raises ``PolynomialTooLarge`` before any product or power whose bound on the
    number of terms exceeds ``max_terms``.
    """
    for t in terms:
        if not isinstance(t, Term):
            raise TypeError(f"expected a symnb term, got {type(t).__name__}; "
                            "build it with symnb.symbols or symnb.parse")
    plan = _Plan(negative_atoms, deep)
    plan.scan(terms)
    keys = sorted(plan.keys, key=lambda k: sort_key(_gen_term(k, plan.keys[k])))
    gens = tuple(_gen_term(k, plan.keys[k]) for k in keys)
    ctx = flint_context(len(keys))
    index = {k: i for i, k in enumerate(keys)}
    reader = _Reader(ctx, index, plan, max_terms)
    values = [reader.value(t) for t in terms]
    bases = tuple(k[0] if k[0] is not _EXP else gens[i] for i, k in enumerate(keys))
    return Rational(ctx, gens, values, plan.inexact, max_terms, bases)


class _Reader:
    """Pass two: the value ``(num, den)`` of each structural node (``den`` None for 1)."""

    def __init__(self, ctx: fmpq_mpoly_ctx, index: dict, plan: _Plan, max_terms: int) -> None:
        self.ctx = ctx
        self.index = index
        self.plan = plan
        self.max_terms = max_terms
        self.memo: dict = {}
        self.one = ctx.constant(1)
        self.nv = ctx.nvars()

    def value(self, t: Term) -> tuple:
        memo = self.memo
        if t not in memo:
            for node in self.plan.order:
                if node not in memo:
                    memo[node] = self._node(node)
        num, den = memo[t]
        return num, (self.one if den is None else den)

    def _node(self, node: Term) -> tuple:
        tt = type(node)
        if tt is Number:
            return self.ctx.constant(_fmpq(node.value)), None
        if tt is Add:
            return self._sum(node)
        coef = node.coef if tt is Mul else 1
        exps = [0] * self.nv
        dexps = [0] * self.nv
        rest: list = []
        index, qs = self.index, self.plan.keys
        for kind, data, e in self.plan.pairs[node]:
            if kind == "key":
                i = index[data]
                k = int(e * qs[data])
                if k >= 0:
                    exps[i] += k
                else:
                    dexps[i] -= k
            else:
                rest.append((data, e))
        num = self.ctx.term(_fmpq(coef), exps)
        den = self.ctx.term(fmpq(1), dexps) if any(dexps) else None
        for b, e in rest:
            bn, bd = self.memo[b]
            if e < 0:
                bn, bd, e = (bd if bd is not None else self.one), bn, -e
                if bn.is_zero():
                    raise ZeroDivisionError(f"division by zero: the denominator {b} is zero "
                                            "as a polynomial")
            check_pow(bn, e, self.max_terms)
            pn = bn ** e
            check_mul(num, pn, self.max_terms)
            num = num * pn
            if bd is not None and not bd.is_one():
                check_pow(bd, e, self.max_terms)
                pd = bd ** e
                if den is not None:
                    check_mul(den, pd, self.max_terms)
                den = pd if den is None else den * pd
        return num, den

    def _sum(self, node: Add) -> tuple:
        ctx = self.ctx
        mono: dict = {}
        others: list = []
        memo = self.memo
        for k, c in node.terms.items():
            n, d = memo[k]
            if d is None and len(n) == 1:
                ((e, v),) = n.terms()
                old = mono.get(e)
                v = v * _fmpq(c)
                mono[e] = v if old is None else old + v
            else:
                others.append((n if c == 1 else n * _fmpq(c), d))
        num = ctx.from_dict(mono) + _fmpq(node.const)
        den = None
        for n, d in others:
            num, den = self._add_fraction(num, den, n, d)
        return num, den

    def _add_fraction(self, a: Any, b: Any, c: Any, d: Any) -> tuple:
        """``a/b + c/d`` over the lcm of the denominators (``None`` is 1)."""
        mt = self.max_terms
        if d is None:
            if b is None:
                return a + c, None
            check_mul(c, b, mt)
            return a + c * b, b
        if b is None:
            check_mul(a, d, mt)
            return a * d + c, d
        if b == d:
            return a + c, b
        g = b.gcd(d)
        bg, dg = b / g, d / g
        check_mul(a, dg, mt)
        check_mul(c, bg, mt)
        check_mul(b, dg, mt)
        return a * dg + c * bg, b * dg
