"""DAG algorithms on native terms: free symbols, diff, subs, expand, evaluate, count_ops.

Each walks the expression DAG once in topological order with a memo, so a
subterm shared a thousand times is processed once: the derivative of a deeply
nested shared expression stays linear in the DAG size.

>>> from symnb.terms.core import Symbol
>>> from symnb.terms.functions import sin
>>> x, y = Symbol("x"), Symbol("y")
>>> diff(sin(x * y), x)
y*cos(x*y)
>>> expand((x + 1) ** 2)
1 + 2*x + x^2
>>> evaluate(x * y + 1, {x: 2.0, "y": 3.0})
7.0
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

from .core import (ONE, ZERO, Add, Call, Mul, Number, Pow, Symbol, Term, _exp_raw, _exp_term,
                   _number, _require_term, acc_add, acc_mul, children, make_add, make_mul,
                   mul, postorder, postorder_missing, power)
from .. import config
from .limits import LimitExceeded
from .numbers import is_int, normalize, num_mul, num_to_float

__all__ = ["free_symbols", "diff", "diff_many", "subs", "expand", "evaluate", "count_ops",
           "EvaluationError"]


class EvaluationError(ValueError):
    """A term cannot be evaluated numerically (unknown symbol or function)."""


# ----------------------------------------------------------------------
def free_symbols(t: Term) -> frozenset:
    """The symbols of ``t`` (computed bottom-up once, cached on every node)."""
    try:
        return t._fs
    except AttributeError:
        pass
    for node in postorder_missing(t, "_fs"):
        try:
            node._fs
            continue
        except AttributeError:
            pass
        if type(node) is Symbol:
            fs = frozenset((node,))
        else:
            ch = children(node)
            if not ch:
                fs = frozenset()
            elif len(ch) == 1:
                fs = ch[0]._fs
            else:
                fs = frozenset().union(*[c._fs for c in ch])
        node._fs = fs
    return t._fs


# ----------------------------------------------------------------------
def diff(t: Term, x: Term, max_size: int | None = None) -> Term:
    """Derivative of ``t`` with respect to the symbol ``x`` (memoised over the DAG).

    Refuses (:class:`LimitExceeded`) when the nodes visited plus the product factors copied
    by the product rule pass ``max_size`` (default ``symnb.config.max_diff_size``).
    """
    t = _require_term(t)
    if type(x) is not Symbol:
        raise TypeError(f"can only differentiate with respect to a Symbol, got {type(x).__name__}")
    if x not in free_symbols(t):
        return ZERO
    limit = config.max_diff_size if max_size is None else max_size
    nodes = _postorder_with(t, x)
    size = _check_diff_size(t, x, nodes, limit)
    memo = _ZeroMemo()
    for node in nodes:
        d = memo[node] = _diff_node(node, x, memo)
        td = type(d)
        if td is Mul or td is Add:
            # the chain rule nests: d sin(sin(...(x))) is a product of n cosines, built from
            # the n-1 before it; count what each step builds so that grows within the budget
            size += len(d.factors) if td is Mul else len(d.terms)
            if size > limit:
                _refuse_diff(t, size, limit)
    return memo[t]


def _refuse_diff(t: Term, size: int, limit: int) -> None:
    raise LimitExceeded("diff", t, "nodes and product factors", size, limit, "max_size",
                        "max_diff_size")


def _check_diff_size(t: Term, x: Symbol, nodes: list, limit: int) -> int:
    """Refuse before differentiating when the nodes plus the factors the product rule copies
    (for each product, its size times its factors that depend on ``x``) pass ``limit``;
    returns that size."""
    size = len(nodes)
    if size <= limit:
        free_symbols(t)   # caches the symbols of every node
        for node in nodes:
            if type(node) is Mul and x in node._fs:
                f = node.factors
                size += len(f) * sum(1 for b, e in f.items() if x in b._fs or
                                     (isinstance(e, Term) and x in e._fs))
    if size > limit:
        _refuse_diff(t, size, limit)
    return size


def diff_many(t: Term, xs: list) -> list:
    """``[diff(t, x) for x in xs]`` with one walk of ``t`` (a Jacobian row).

    >>> from symnb.terms.core import Symbol
    >>> x, y = Symbol("x"), Symbol("y")
    >>> diff_many(x ** 2 * y + y, [x, y])
    [2*x*y, 1 + x^2]
    """
    t = _require_term(t)
    fs = free_symbols(t)
    for x in xs:
        if type(x) is not Symbol:
            raise TypeError(f"can only differentiate with respect to a Symbol, got "
                            f"{type(x).__name__}")
    if type(t) is Add:
        return _diff_many_sum(t, xs, fs)
    if type(t) is Mul and all(type(b) is Symbol and not isinstance(e, Term)
                              for b, e in t.factors.items()):
        # a monomial: the product rule for each variable directly, no walk
        return [_diff_product(t.coef, t.factors, _ZeroMemo({x: ONE})) if x in fs else ZERO
                for x in xs]
    # the nodes containing each variable, children first: one pass over the row
    where: dict = {x: [] for x in xs if x in fs}
    for node in postorder(t):
        for s in node._fs:
            lst = where.get(s)
            if lst is not None:
                lst.append(node)
    out = []
    for x in xs:
        nodes = where.get(x)
        if nodes is None:
            out.append(ZERO)
            continue
        memo = _ZeroMemo()
        for node in nodes:
            memo[node] = _diff_node(node, x, memo)
        out.append(memo[t])
    return out


def _diff_many_sum(t: Add, xs: list, fs: frozenset) -> list:
    """``diff_many`` of a sum: each summand differentiated once for the variables it holds
    (a summand that is a variable contributes its coefficient), then one sum per variable,
    accumulated in the order of the summands."""
    wanted = {x: [] for x in xs if x in fs}
    for k, c in t.terms.items():
        if type(k) is Symbol:
            lst = wanted.get(k)
            if lst is not None:
                lst.append((k, c))
            continue
        ks = [x for x in k._fs if x in wanted]
        if ks:
            for x, dk in zip(ks, diff_many(k, ks)):
                if dk is not ZERO:
                    wanted[x].append((dk, c))
    out = []
    for x in xs:
        parts = wanted.get(x)
        if not parts:
            out.append(ZERO)
            continue
        d: dict = {}
        const: Any = 0
        for dk, c in parts:
            const = acc_add(d, const, ONE if dk is x else dk, c)
        out.append(make_add(const, d))
    return out


class _ZeroMemo(dict):
    """Derivatives by node; a node not listed does not contain the variable: ``ZERO``."""

    def __missing__(self, key: Term) -> Term:
        return ZERO


def _postorder_with(root: Term, x: Symbol) -> list:
    """The nodes under ``root`` that contain ``x``, children first: subterms free of ``x``
    (read from the cached symbol sets) are neither listed nor walked, so a row's
    derivative costs the part of the row that depends on ``x``, not the whole row."""
    from .walk import postorder_from
    return postorder_from((root,), lambda n: [c for c in children(n) if x in c._fs])


def _diff_node(node: Term, x: Symbol, memo: dict) -> Term:
    tt = type(node)
    if tt is Symbol:
        return ONE if node is x else ZERO
    if tt is Number:
        return ZERO
    if tt is Add:
        d: dict = {}
        const: Any = 0
        terms = node.terms
        if len(memo) < len(terms):
            # a long sum (a network's row): the memo holds just the nodes containing x
            for k, dk in memo.items():
                c = terms.get(k)
                if c is not None and dk is not ZERO:
                    const = acc_add(d, const, dk, c)
            return make_add(const, d)
        get = memo.get
        for k, c in terms.items():
            dk = get(k)
            if dk is not None and dk is not ZERO:
                const = acc_add(d, const, dk, c)
        return make_add(const, d)
    if tt is Mul:
        return _diff_product(node.coef, node.factors, memo)
    if tt is Pow:
        return _diff_product(1, {node.base: _exp_raw(node.exp)}, memo)
    if tt is Call:
        return _diff_call(node, memo)
    raise TypeError(f"cannot differentiate a {tt.__name__}")


def _diff_product(coef: Any, factors: dict, memo: dict) -> Term:
    d: dict = {}
    const: Any = 0
    for b, e in factors.items():
        db = memo[b]
        de = memo[e] if isinstance(e, Term) else ZERO
        if db is ZERO and de is ZERO:
            continue
        rest = dict(factors)
        if de is ZERO:
            # e * b**(e-1) * db
            ne = normalize(e - 1) if not isinstance(e, Term) else _exp_raw(e - 1)
            if not isinstance(ne, Term) and ne == 0:
                del rest[b]
            else:
                rest[b] = ne
            c2 = coef * e if not isinstance(e, Term) else coef
            term = make_mul(normalize(c2), rest)
            if isinstance(e, Term):
                term = mul(term, e)
            const = acc_add(d, const, mul(term, db))
        else:
            # b**e * (de*log(b) + e*db/b)
            from .functions import log
            inner = mul(de, log(b))
            if db is not ZERO:
                inner = inner + mul(_exp_term(e), mul(db, power(b, _number(-1))))
            const = acc_add(d, const, mul(make_mul(coef, rest), inner))
    return make_add(const, d)


def _diff_call(node: Call, memo: dict) -> Term:
    f = node.func
    args = node.args_
    d: dict = {}
    const: Any = 0
    for i, a in enumerate(args):
        da = memo[a]
        if da is ZERO:
            continue
        if f.deriv is not None:
            outer = f.deriv[i](*args) if len(args) > 1 else f.deriv[i](a)
        else:
            from .functions import Derivative
            if len(args) == 1:
                outer = Derivative(node, a) if type(a) is Symbol else _derivative_chain(node, i)
            else:
                outer = _derivative_chain(node, i)
        const = acc_add(d, const, mul(outer, da))
    return make_add(const, d)


def _derivative_chain(node: Call, i: int) -> Term:
    """Partial derivative of an uninterpreted call in slot ``i``: ``Derivative(f(a, b), i)``."""
    from .functions import Derivative
    return Derivative(node, _number(i))


# ----------------------------------------------------------------------
def subs(t: Term, mapping: Mapping) -> Term:
    """Replace sub-terms (usually symbols) simultaneously, rebuilding only what changed."""
    t = _require_term(t)
    m = {_require_term(k): _require_term(v) for k, v in mapping.items()}
    if not m:
        return t
    memo: dict = {}
    for node in postorder(t):
        hit = m.get(node)
        memo[node] = hit if hit is not None else _rebuild(node, memo)
    return memo[t]


def _rebuild(node: Term, memo: dict) -> Term:
    """Rebuild ``node`` from the mapped children in ``memo`` (itself if none changed)."""
    tt = type(node)
    if tt is Add:
        items = node.terms.items()
        if all(memo[k] is k for k, _ in items):
            return node
        d: dict = {}
        const = node.const
        for k, c in items:
            const = acc_add(d, const, memo[k], c)
        return make_add(const, d)
    if tt is Mul:
        f = node.factors
        if all(memo[b] is b and (not isinstance(e, Term) or memo[e] is e) for b, e in f.items()):
            return node
        d = {}
        coef = node.coef
        for b, e in f.items():
            nb = memo[b]
            ne = memo[e] if isinstance(e, Term) else e
            if nb is b and (ne is e):
                coef = acc_mul(d, coef, b if (not isinstance(e, Term) and e == 1 and type(e) is int)
                               else power(b, _exp_term(e)))
            else:
                coef = acc_mul(d, coef, power(nb, _exp_term(ne)))
        return make_mul(coef, d)
    if tt is Pow:
        nb, ne = memo[node.base], memo[node.exp]
        if nb is node.base and ne is node.exp:
            return node
        return power(nb, ne)
    if tt is Call:
        new = tuple(memo[a] for a in node.args_)
        if all(a is b for a, b in zip(new, node.args_)):
            return node
        return node.func(*new)
    return node


# ----------------------------------------------------------------------
def expand(t: Term, max_terms: int | None = None) -> Term:
    """Distribute products over sums and expand positive integer powers of sums.

    Powers of sums use the multinomial theorem directly, so
    ``expand((x+y+z+w+1)**15)`` builds each of its 3876 monomials once.  Before expanding a
    power or product the number of terms is estimated (``C(n+k-1, k-1)`` for a k-term sum to
    the n-th power); above ``max_terms`` (default ``symnb.config.max_expand_terms``) it
    refuses with :class:`LimitExceeded`:

    >>> from symnb.terms.core import Symbol
    >>> expand((Symbol("x") + 1) ** 10**6, max_terms=1000)
    Traceback (most recent call last):
      ...
    symnb.terms.limits.LimitExceeded: expand((1 + x)^1000000): about 1000001 terms, limit 1000; pass max_terms=... or set symnb.config.max_expand_terms
    """
    t = _require_term(t)
    limit = config.max_expand_terms if max_terms is None else max_terms
    memo: dict = {}
    for node in postorder(t):
        memo[node] = _expand_node(node, memo, limit)
    return memo[t]


def _pow_terms(k: int, n: int) -> int:
    """Number of monomials of a k-term sum to the n-th power: ``C(n+k-1, k-1)``, capped."""
    if k <= 1 or n <= 1:
        return k if n == 1 else 1
    m = min(n, k - 1)
    if n > 2 ** 60:
        return n + 1   # a lower bound (k >= 2), beyond any budget; lgamma needs a float n
    if math.lgamma(n + k) - math.lgamma(n + 1) - math.lgamma(k) > 60:
        return 2 ** 87   # beyond any budget; an exact count would itself be costly
    return math.comb(n + k - 1, m)


def _check_terms(node: Term, estimate: int, limit: int) -> None:
    if estimate > limit:
        raise LimitExceeded("expand", node, "terms", estimate, limit, "max_terms",
                            "max_expand_terms")


def _poly(t: Term) -> list:
    """A term as a list of ``(coef, factor dict)`` summands."""
    tt = type(t)
    if tt is Add:
        out = [(c, _factors_of(k)) for k, c in t.terms.items()]
        if t.const != 0:
            out.append((t.const, {}))
        return out
    if tt is Number:
        return [(t.value, {})]
    if tt is Mul:
        return [(t.coef, t.factors)]
    return [(1, _factors_of(t))]


def _factors_of(u: Term) -> dict:
    tt = type(u)
    if tt is Mul:
        return u.factors
    if tt is Pow:
        return {u.base: _exp_raw(u.exp)}
    return {u: 1}


def _scale_exp(e: Any, k: int) -> Any:
    """An exponent (number or term) times an integer, normalised."""
    if isinstance(e, Term):
        return _exp_raw(e * k)
    return normalize(e * k)


def _merge(f1: dict, f2: dict, k2: int = 1) -> dict:
    if not f1:
        return {b: _scale_exp(e, k2) for b, e in f2.items()} if k2 != 1 else f2
    d = dict(f1)
    get = d.get
    for b, e in f2.items():
        e = _scale_exp(e, k2) if k2 != 1 else e
        old = get(b)
        if old is None:
            d[b] = e
        else:
            ne = old + e
            if not isinstance(ne, Term) and ne == 0:
                del d[b]
            else:
                d[b] = normalize(ne) if not isinstance(ne, Term) else _exp_raw(ne)
    return d


def _poly_mul(p: list, q: list) -> list:
    return [(normalize(c1 * c2), _merge(f1, f2)) for c1, f1 in p for c2, f2 in q]


_FACT = [1]


def _factorial(n: int) -> int:
    while len(_FACT) <= n:
        _FACT.append(_FACT[-1] * len(_FACT))
    return _FACT[n]


def _compositions(n: int, k: int):
    """All tuples of ``k`` non-negative ints summing to ``n``."""
    if k == 1:
        yield (n,)
        return
    for first in range(n, -1, -1):
        for rest in _compositions(n - first, k - 1):
            yield (first,) + rest


def _float_pow(c: float, n: int) -> float:
    """``c ** n`` with IEEE overflow (``±inf``) instead of Python's OverflowError."""
    try:
        return c ** n
    except OverflowError:
        return math.copysign(math.inf, c) if n % 2 else math.inf


def _poly_pow(p: list, n: int) -> list:
    """Multinomial expansion of ``(sum p)**n``."""
    k = len(p)
    if k == 1:
        c, f = p[0]
        return [(normalize(Fraction(c) ** n) if not isinstance(c, float) else _float_pow(c, n),
                 {b: _scale_exp(e, n) for b, e in f.items()})]
    coefs = [c for c, _ in p]
    facs = [f for _, f in p]
    powcache = [[_float_pow(c, j) if isinstance(c, float) else c ** j for j in range(n + 1)]
                for c in coefs]
    comb = math.comb
    out = []
    for comp in _compositions(n, k):
        m = 1
        left = n
        c = 1
        d: dict = {}
        for i, ni in enumerate(comp):
            if ni:
                m *= comb(left, ni)   # n!/(n1!...nk!) as a product of binomials
                left -= ni
                c = num_mul(c, powcache[i][ni])
                fi = facs[i]
                if fi:
                    d = _merge(d, fi, ni) if d else {b: _scale_exp(e, ni) for b, e in fi.items()}
        out.append((normalize(num_mul(c, m)), d))
    return out


def _sum_poly(p: list) -> Term:
    d: dict = {}
    const: Any = 0
    for c, f in p:
        if not f:
            const = normalize(const + c)
            continue
        u = make_mul(1, dict(f))
        if type(u) is Mul and not (u.coef == 1 and type(u.coef) is int) or type(u) in (Number, Add):
            const = acc_add(d, const, u, c)
        else:
            nv = d.get(u, 0) + c
            if nv == 0:
                d.pop(u, None)
            else:
                d[u] = normalize(nv)
    return make_add(const, d)


def _expand_node(node: Term, memo: dict, limit: int) -> Term:
    tt = type(node)
    if tt is Add:
        return _rebuild(node, memo)
    if tt is Call:
        return _rebuild(node, memo)
    if tt is Pow:
        b, e = memo[node.base], memo[node.exp]
        if type(b) is Add and type(e) is Number and is_int(e.value):
            n = e.value
            _check_terms(node, _pow_terms(len(b.terms) + (b.const != 0), abs(n)), limit)
            if n > 0:
                return _sum_poly(_poly_pow(_poly(b), n))
            return power(_sum_poly(_poly_pow(_poly(b), -n)), _number(-1))
        return power(b, e)
    if tt is Mul:
        polys = []
        scalar: dict = {}
        coef = node.coef
        for b, e in node.factors.items():
            nb = memo[b]
            ne = memo[e] if isinstance(e, Term) else e
            if type(nb) is Add and not isinstance(ne, Term) and is_int(ne) and ne > 0:
                _check_terms(node, _pow_terms(len(nb.terms) + (nb.const != 0), ne), limit)
                polys.append(_poly_pow(_poly(nb), ne) if ne > 1 else _poly(nb))
            else:
                pw = power(nb, _exp_term(ne))
                if type(pw) is Add:
                    polys.append(_poly(pw))
                else:
                    coef = acc_mul(scalar, coef, pw)
        if not polys:
            return make_mul(coef, scalar)
        _check_terms(node, math.prod(len(p) for p in polys), limit)
        acc = [(coef, scalar)]
        for p in sorted(polys, key=len):
            acc = _poly_mul(acc, p)
        return _sum_poly(acc)
    return node


# ----------------------------------------------------------------------
def _fpow(b: float, e: float) -> float:
    try:
        return b ** e if not (b < 0 and not float(e).is_integer()) else math.nan
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf


def evaluate(t: Term, env: Mapping | None = None) -> float:
    """Numeric value of ``t`` as a float; ``env`` maps symbols (or their names) to numbers.

    Follows IEEE: ``1/x`` at 0 is ``inf``, ``log`` of a negative is ``nan``.
    """
    t = _require_term(t)
    vals: dict = {}
    by_name = {s.name: s for s in free_symbols(t)} if any(type(k) is str for k in env or {}) \
        else {}
    for k, v in (env or {}).items():
        if type(k) is str:
            # a name means the symbol of that name in t (whatever its assumptions)
            k = by_name[k] if k in by_name else Symbol(k)
        vals[k] = float(v)
    memo: dict = {}
    for node in postorder(t):
        tt = type(node)
        if tt is Number:
            memo[node] = num_to_float(node.value)
        elif tt is Symbol:
            v = vals.get(node)
            if v is None:
                missing = sorted(s.name for s in free_symbols(t) if s not in vals)
                raise EvaluationError(f"no value given for symbol(s): {', '.join(missing)}")
            memo[node] = v
        elif tt is Add:
            s = num_to_float(node.const)
            for k, c in node.terms.items():
                s += num_to_float(c) * memo[k]
            memo[node] = s
        elif tt is Mul:
            p = num_to_float(node.coef)
            for b, e in node.factors.items():
                bv = memo[b]
                ev = memo[e] if isinstance(e, Term) else num_to_float(e)
                if ev == 1:
                    p *= bv
                elif ev == -1:
                    p = p / bv if bv != 0 else (math.copysign(math.inf, p) if p == p and p != 0
                                                 else math.nan)
                else:
                    p *= _fpow(bv, ev)
            memo[node] = p
        elif tt is Pow:
            memo[node] = _fpow(memo[node.base], memo[node.exp])
        elif tt is Call:
            f = node.func
            if f.impl is None:
                raise EvaluationError(f"function {f.name!r} has no numeric implementation")
            memo[node] = float(f.impl(*[memo[a] for a in node.args_]))
        else:  # pragma: no cover - all node kinds handled above
            raise EvaluationError(f"cannot evaluate {tt.__name__}")
    return memo[t]


# ----------------------------------------------------------------------
def count_ops(t: Term, dag: bool = False) -> int:
    """Number of arithmetic operations to evaluate ``t``.

    ``dag=False`` counts the expression tree (shared sub-terms counted each
    time they occur, as sympy does); ``dag=True`` counts each distinct
    sub-term once, which is what CSE'd code executes.
    """
    t = _require_term(t)
    memo: dict = {}
    total = 0
    for node in postorder(t):
        own = _own_ops(node)
        if dag:
            total += own
        else:
            memo[node] = own + sum(memo[c] for c in _occurrences(node))
    return total if dag else memo[t]


def _occurrences(node: Term) -> list:
    return list(children(node))


def _own_ops(node: Term) -> int:
    tt = type(node)
    if tt is Add:
        n = len(node.terms) + (node.const != 0)
        return n - 1 + sum(1 for c in node.terms.values() if not (c == 1 or c == -1))
    if tt is Mul:
        f = node.factors
        n = len(f) + (node.coef != 1)
        return n - 1 + sum(1 for e in f.values() if isinstance(e, Term) or e != 1)
    if tt is Pow or tt is Call:
        return 1
    return 0
