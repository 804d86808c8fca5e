"""Printing terms as text that parses back, as LaTeX, and as a notebook MIME bundle.

The printers walk terms through the term interface only, so they print sympy
and symengine expressions as well (``to_str(sympy_expr)``).  ``str(t)``
parses back to the very same term: ``parse(str(t)) is t``.

>>> from symnb.terms.core import Symbol
>>> x, y = Symbol("x"), Symbol("y")
>>> to_str(3 * x / (2 * y) - x ** 2)
'3*x/(2*y) - x^2'
>>> print(to_latex(x ** (-1) + y ** 2))
\\frac{1}{x} + y^{2}
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable

from .interface import arguments, iscall, isnumber, issym, numvalue, opname, symname
from .limits import DepthExceeded
from .numbers import int_text

__all__ = ["to_str", "to_latex", "to_str_limited", "to_latex_limited", "mimebundle",
           "tree_size", "format_number"]

# precedence levels
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 2, 4, 5

REPR_NODE_LIMIT = 4000
"""Above this many tree nodes, ``repr`` and notebook displays show a summary."""


def format_number(v: Any) -> str:
    """Text of a number that the safe parser reads back exactly."""
    if type(v) is float:
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if type(v) is Fraction:
        return f"{int_text(v.numerator)}/{int_text(v.denominator)}"
    return int_text(v) if type(v) is int else str(v)


def _num_prec(v: Any) -> int:
    if v < 0 or (type(v) is float and str(v).startswith("-")):
        return _NEG
    if type(v) is Fraction:
        return _MUL
    return _ATOM


def _neg_exponent(a: Any) -> Any:
    """If ``a`` is ``b**(-e)`` with a numeric e > 0, return ``(b, e)`` else None."""
    if iscall(a) and opname(a) == "Pow":
        b, e = arguments(a)
        if isnumber(e):
            ev = numvalue(e)
            if ev < 0:
                return b, -ev
    return None


class _Printer:
    """Shared structure of the text and LaTeX printers (memoised over the DAG)."""

    def __init__(self) -> None:
        self.memo: dict = {}

    def __call__(self, t: Any) -> str:
        from .core import Term, postorder
        try:
            if isinstance(t, Term):
                for node in postorder(t):   # children first: each go() recurses one level only
                    self.go(node)
            return self.go(t)[0]
        except RecursionError:
            raise DepthExceeded(f"printing {opname(t) if iscall(t) else 'term'}") from None

    def go(self, t: Any) -> tuple[str, int]:
        key = t
        try:
            hit = self.memo.get(key)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
        if issym(t):
            r = (self.symbol(symname(t)), _ATOM)
        elif isnumber(t):
            v = numvalue(t)
            r = (self.number(v), _num_prec(v))
        else:
            name = opname(t)
            args = list(arguments(t))
            if name == "Add":
                r = (self.add(args), _ADD)
            elif name == "Mul":
                r = self.mul(args)
            elif name == "Pow":
                r = self.pow(*args)
            else:
                r = (self.call(name, [self.go(a)[0] for a in args]), _ATOM)
        try:
            self.memo[key] = r
        except TypeError:
            pass
        return r

    def wrap(self, t: Any, level: int) -> str:
        s, p = self.go(t)
        return self.paren(s) if p < level else s

    # ----- pieces shared by both printers
    def add(self, args: list) -> str:
        # numbers first (canonical order puts the constant first); print "a - b"
        out = ""
        for i, a in enumerate(args):
            s, p = self.go(a)
            if i == 0:
                out = s
            elif s.startswith("-") and p >= _NEG:
                out += " - " + s[1:]
            else:
                out += " + " + s
        return out

    def split_mul(self, args: list) -> tuple[Any, list, list]:
        coef: Any = 1
        num, den = [], []
        for a in args:
            if isnumber(a):
                coef = numvalue(a)
                continue
            ne = _neg_exponent(a)
            if ne is None:
                num.append(a)
            else:
                den.append(ne)
        return coef, num, den


class _TextPrinter(_Printer):
    def symbol(self, name: str) -> str:
        return name

    def number(self, v: Any) -> str:
        return format_number(v)

    def paren(self, s: str) -> str:
        return f"({s})"

    def call(self, name: str, args: list) -> str:
        return f"{name}({', '.join(args)})"

    def pow(self, b: Any, e: Any) -> tuple[str, int]:
        if isnumber(e):
            ev = numvalue(e)
            if ev == Fraction(1, 2) and type(ev) is not float:
                return f"sqrt({self.go(b)[0]})", _ATOM
            if ev < 0:
                return f"1/{self.pow_str(b, -ev)}", _MUL
        return f"{self.wrap(b, _ATOM)}^{self.wrap(e, _ATOM)}", _POW

    def pow_str(self, b: Any, ev: Any) -> str:
        """``b^ev`` for a positive number ``ev``; binds tighter than ``*`` and ``/``."""
        if ev == 1 and type(ev) is int:
            return self.wrap(b, _ATOM)
        if ev == Fraction(1, 2) and type(ev) is not float:
            return f"sqrt({self.go(b)[0]})"
        es = format_number(ev)
        if type(ev) is Fraction:
            es = f"({es})"
        return f"{self.wrap(b, _ATOM)}^{es}"

    def mul(self, args: list) -> tuple[str, int]:
        coef, num, den = self.split_mul(args)
        sign = ""
        if coef < 0:
            sign, coef = "-", -coef
        num.sort(key=lambda a: iscall(a) and opname(a) == "Add")   # sums last: 2*x*(1 + y)
        if (not (coef == 1 and type(coef) is int) or sign) and len(num) + len(den) > 1 and \
                num and iscall(num[0]) and opname(num[0]) == "Add":
            # 2*(1 + x)/x would parse as (2 + 2*x)/x: a number times a sum distributes.
            # Print the product without the coefficient first: 2*((1 + x)/x).
            body = self.mul([a for a in args if not isnumber(a)])[0]
            if coef == 1 and type(coef) is int:
                return f"-({body})", _NEG
            c = format_number(coef)
            c = f"({c})" if type(coef) is Fraction else c
            return f"{sign}{c}*({body})", (_NEG if sign else _MUL)
        cnum, cden = coef, 1
        parts = [self.wrap(a, _MUL) if iscall(a) and opname(a) == "Pow" else self.wrap(a, _MUL + 1)
                 for a in num]
        if type(coef) is Fraction:
            if len(den) == 1 and den[0][1] == 1 and iscall(den[0][0]) and opname(den[0][0]) == "Add":
                # 1/(2*(x + y)) would parse back as 1/(2*x + 2*y): keep the fraction in front
                parts.insert(0, f"({format_number(coef)})")
                cnum = 1
            else:
                cnum, cden = coef.numerator, coef.denominator
        if not (cnum == 1 and type(cnum) is int) or not parts:
            parts.insert(0, format_number(cnum))
        dparts = [self.pow_str(b, ev) for b, ev in den]
        if cden != 1:
            # 1/(2*(x + y)*z) would parse with 2*(x + y) distributed: put the number last
            if len(dparts) >= 2:
                dparts.append(int_text(cden))
            else:
                dparts.insert(0, int_text(cden))
        s = "*".join(parts)
        if len(dparts) == 1:
            s += "/" + dparts[0]
        elif dparts:
            s += "/(" + "*".join(dparts) + ")"
        return sign + s, (_NEG if sign else _MUL)


class _LatexPrinter(_Printer):
    def __init__(self) -> None:
        super().__init__()

    def symbol(self, name: str) -> str:
        if len(name) > 1 and "_" not in name:
            greek = {"alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu",
                     "nu", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "kappa",
                     "zeta", "eta", "xi", "Gamma", "Delta", "Theta", "Lambda", "Pi", "Sigma",
                     "Phi", "Psi", "Omega"}
            if name in greek:
                return "\\" + name
            head = name.rstrip("0123456789")
            if head != name and head:
                return f"{self.symbol(head)}_{{{name[len(head):]}}}"
            return r"\mathrm{%s}" % name
        if "_" in name:
            head, _, tail = name.partition("_")
            return f"{self.symbol(head)}_{{{tail}}}"
        return name

    def number(self, v: Any) -> str:
        if type(v) is Fraction:
            sgn = "-" if v < 0 else ""
            return f"{sgn}\\frac{{{int_text(abs(v.numerator))}}}{{{int_text(v.denominator)}}}"
        if type(v) is float and math.isinf(v):
            return r"\infty" if v > 0 else r"-\infty"
        if type(v) is float and math.isnan(v):
            return r"\mathrm{NaN}"
        return format_number(v)

    def paren(self, s: str) -> str:
        return rf"\left({s}\right)"

    def call(self, name: str, args: list) -> str:
        from .functions import _REGISTRY
        f = _REGISTRY.get(name)
        head = f.latex if f is not None else (r"\operatorname{%s}" % name if len(name) > 1 else name)
        if name in ("Abs", "abs") and len(args) == 1:
            return rf"\left|{args[0]}\right|"
        return rf"{head}{{\left({', '.join(args)}\right)}}"

    def pow(self, b: Any, e: Any) -> tuple[str, int]:
        if isnumber(e):
            ev = numvalue(e)
            if ev == Fraction(1, 2) and type(ev) is not float:
                return rf"\sqrt{{{self.go(b)[0]}}}", _ATOM
            if ev < 0:
                return rf"\frac{{1}}{{{self.pow_tex(b, -ev)}}}", _ATOM
        return rf"{self.wrap(b, _ATOM)}^{{{self.go(e)[0]}}}", _POW

    def pow_tex(self, b: Any, ev: Any) -> str:
        if ev == 1 and type(ev) is int:
            return self.go(b)[0]
        if ev == Fraction(1, 2) and type(ev) is not float:
            return rf"\sqrt{{{self.go(b)[0]}}}"
        return rf"{self.wrap(b, _ATOM)}^{{{self.number(ev)}}}"

    def mul(self, args: list) -> tuple[str, int]:
        coef, num, den = self.split_mul(args)
        sign = ""
        if coef < 0:
            sign, coef = "-", -coef
        cnum, cden = coef, 1
        if type(coef) is Fraction:
            cnum, cden = coef.numerator, coef.denominator
        parts = [self.wrap(a, _MUL + 1) if not (iscall(a) and opname(a) == "Pow")
                 else self.wrap(a, _MUL) for a in num]
        if not (cnum == 1 and type(cnum) is int) or not parts:
            parts.insert(0, self.number(cnum))
        numer = r" \cdot ".join(p for p in parts) if any(p[0].isdigit() for p in parts[1:]) \
            else " ".join(parts)
        dparts = [self.pow_tex(b, ev) for b, ev in den]
        if cden != 1:
            dparts.insert(0, int_text(cden))
        if dparts:
            return sign + rf"\frac{{{numer}}}{{{' '.join(dparts)}}}", (_NEG if sign else _ATOM)
        return sign + numer, (_NEG if sign else _MUL)


def to_str(t: Any) -> str:
    """Text of ``t`` (any representation) that symnb's parser reads back."""
    return _TextPrinter()(t)


def to_latex(t: Any) -> str:
    """LaTeX of ``t`` (any representation), without surrounding ``$``."""
    return _LatexPrinter()(t)


def tree_size(t: Any) -> int:
    """Number of nodes in the expression *tree* (shared subterms counted each time)."""
    memo: dict = {}

    def size(u: Any) -> int:
        hit = memo.get(u)
        if hit is not None:
            return hit
        n = 1 + (sum(size(a) for a in arguments(u)) if iscall(u) else 0)
        memo[u] = n
        return n

    from .core import Term, postorder
    if isinstance(t, Term):
        for node in postorder(t):
            size(node)
    return size(t)


def _limited(t: Any, full: Callable[[Any], str], limit: int) -> str:
    n = tree_size(t)
    if n <= limit:
        return full(t)
    from .calculus import count_ops
    head = opname(t) if iscall(t) else "term"
    return (f"<{head} expression: {n} tree nodes, {count_ops(t, dag=True)} operations "
            f"after sharing; str() prints it in full>")


def to_str_limited(t: Any, limit: int = REPR_NODE_LIMIT) -> str:
    """``to_str`` unless the tree has more than ``limit`` nodes (then a one-line summary)."""
    return _limited(t, to_str, limit)


def to_latex_limited(t: Any, limit: int = REPR_NODE_LIMIT) -> str:
    n = tree_size(t)
    if n <= limit:
        return to_latex(t)
    return r"\text{%s}" % to_str_limited(t, limit).replace("<", "").replace(">", "")


def mimebundle(t: Any) -> dict:
    """The plain notebook representation of a term: text/plain and text/latex.

    ``symnb.display`` adds the DAG payload and its SVG for compound terms (the renderer
    registered for ``Term``; see :mod:`symnb.reprs`).

    >>> from symnb.terms.core import Symbol
    >>> mimebundle(Symbol("x") ** 2)
    {'text/plain': 'x^2', 'text/latex': '$x^{2}$'}
    """
    return {"text/plain": to_str_limited(t), "text/latex": "$" + to_latex_limited(t) + "$"}
