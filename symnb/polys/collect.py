"""``collect``: group an expanded expression by powers of chosen symbols or generators.

>>> from symnb.terms import symbols
>>> a, b, x = symbols("a b x")
>>> collect(a*x + b*x + a*x**2 + 1, x)
1 + x*(a + b) + a*x^2
"""
from __future__ import annotations

from typing import Any, Iterable

from ..terms.core import Term, acc_add, make_add, make_mul, mul, sympify_num
from .convert import _coef, to_rational
from .errors import PolynomialError
from .limits import DEFAULT_MAX_TERMS

__all__ = ["collect"]


def collect(expr: Any, syms: Any, *, max_terms: int = DEFAULT_MAX_TERMS) -> Term:
    """Expand ``expr`` and write it as ``sum(c_k * m_k)`` where the ``m_k`` are the distinct
    products of powers of ``syms`` and the ``c_k`` are free of them.

    ``syms`` is one term or a list; each must be a symbol or another generator
    (``sin(x)``, ``exp(y)``).  A symbol that also occurs under a root (``x`` beside
    ``x^(1/2)``) is collected by powers of that root.  ``max_terms`` bounds the
    expansion (``PolynomialTooLarge`` before exceeding it).

    >>> from symnb.terms import symbols, sin
    >>> x, y = symbols("x y")
    >>> collect(x*sin(y) + x**2*sin(y) + x, sin(y))
    x + sin(y)*(x + x^2)
    """
    t = sympify_num(expr)
    wanted = list(syms) if isinstance(syms, Iterable) and not isinstance(syms, Term) \
        else [syms]
    wanted = [sympify_num(s) for s in wanted]
    r = to_rational([t], max_terms=max_terms, negative_atoms=True)
    idx = []
    for s in wanted:
        if type(s).__name__ in ("Add", "Number") or (type(s).__name__ == "Mul"
                                                      and s.coef != 1):
            raise PolynomialError(f"collect: {s} is not a symbol or a generator; pass symbols "
                                  "or function calls such as sin(x)")
        hits = [i for i, (g, b) in enumerate(zip(r.gens, r.bases)) if g is s or b is s]
        idx.extend(i for i in hits if i not in idx)
    num, _ = r.values[0]
    n = len(r.gens)
    groups: dict = {}
    for exps, c in num.terms():
        key = tuple(int(exps[i]) for i in idx)
        rest = {r.gens[i]: int(exps[i]) for i in range(n) if exps[i] and i not in idx}
        d, const = groups.get(key, ({}, 0))
        groups[key] = (d, acc_add(d, const, make_mul(1, rest), _coef(c, r.inexact)))
    out: dict = {}
    const: Any = 0
    for key, (d, c0) in groups.items():
        m = make_mul(1, {r.gens[i]: e for i, e in zip(idx, key) if e})
        const = acc_add(out, const, mul(m, make_add(c0, d)))
    return make_add(const, out)
