"""Hash-consed term nodes and their canonical constructors.

Every node is interned: building an equal term twice returns the *same*
object, so equality is identity, hashing is ``id``-based and an expression is a
DAG in which shared subterms are stored once.

Canonical forms (as in SymEngine / SymbolicUtils):

* ``Add``: a numeric constant plus a mapping term -> nonzero coefficient;
* ``Mul``: a numeric coefficient times a mapping base -> nonzero exponent
  (a number, or a term for symbolic exponents);
* ``Pow``: a single base with exponent, when the coefficient is exactly 1;
* ``Call``: a named function applied to arguments (see ``functions.py``).

>>> from symnb.terms.core import Symbol
>>> x, y = Symbol("x"), Symbol("y")
>>> (x + y) * 2 is 2 * x + 2 * y
True
>>> (x * y) ** 2 is x ** 2 * y ** 2
True
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping
import sys

from ..reprs import Rendered
from .assumptions import ALL as _ALL_WORLDS, FACTS, declare, facts_of, worlds
from .numbers import (Num, as_num, exact_pow_too_big, iroot, is_int, is_one, normalize, num_add,
                      num_div, num_mul, num_pow_parts)

__all__ = ["Term", "Symbol", "Number", "Add", "Mul", "Pow", "Call", "sympify_num",
           "add", "mul", "power", "neg", "make_add", "make_mul", "ZERO", "ONE"]

class _Interner:
    """The hash-consing table and its sweep bookkeeping, in one object.

    A plain dict (a WeakValueDictionary costs ~3 us per new node, most of the
    cost of building terms); unreferenced nodes are reclaimed by ``sweep``
    whenever the table's weight (entries plus mapping sizes) passes
    ``sweep_at``, which then doubles with the live size, so memory stays
    within about twice what live terms need.  Lookups go straight to
    ``table.get``; only a new node pays for ``store``.

    >>> box = _Interner(sweep_at=10)
    >>> node = Term.__new__(Term)
    >>> box.store(("k",), node, 3) is node, box.weight
    (True, 3)
    """

    __slots__ = ("table", "weight", "sweep_at", "pinned")

    def __init__(self, sweep_at: int = 1_000_000) -> None:
        self.table: dict = {}
        self.weight = 0          # entries plus the sizes of all sum/product mappings created
        self.sweep_at = sweep_at  # sweep when the weight passes this
        self.pinned: set = set()  # never swept (the shared constants)

    def store(self, key: Any, node: "Term", weight: int = 1) -> Any:
        """Intern a freshly built ``node`` under ``key`` and return it."""
        self.table[key] = node
        self.weight += weight
        if self.weight > self.sweep_at:
            self.sweep()
        return node

    def sweep(self) -> int:
        """Drop the nodes nothing outside the table refers to; returns how many.

        Nodes are visited newest first, so a parent is dropped before its
        children (whose only references were the parent and the parent's key),
        and a whole dead DAG goes in one pass.
        """
        table, pinned = self.table, self.pinned
        keys = list(table)
        getref = sys.getrefcount
        dropped = 0
        for i in range(len(keys) - 1, -1, -1):
            k = keys[i]
            keys[i] = None
            v = table[k]
            # references: the table, the local ``v`` and getrefcount's argument
            if getref(v) <= 3 and v not in pinned:
                del table[k]
                dropped += 1
            del v, k
        live = len(table) + sum(len(v.terms) if type(v) is Add else
                                len(v.factors) if type(v) is Mul else 0 for v in table.values())
        self.weight = live
        self.sweep_at = max(1_000_000, 2 * live)
        return dropped


_NODES = _Interner()
_LOOKUP = _NODES.table.get   # the hot path: a hit costs one dict lookup
_STORE = _NODES.store
_FLOAT = float
_NEGATIVE_WORLDS = FACTS["negative"]


def _coef_key(d: Mapping) -> frozenset:
    """Key of a coefficient/exponent mapping.  ``2`` and ``2.0`` hash alike in
    Python, so mappings holding floats are keyed with the float marked."""
    if _FLOAT in map(type, d.values()):
        # _num_key inlined (this runs once per new sum or product)
        return frozenset([(k, ((True, v) if v == v else _NAN_KEY) if type(v) is _FLOAT else v)
                          for k, v in d.items()])
    return frozenset(d.items())


_NAN_KEY = (True, "nan")   # every NaN is one node


def _num_key(v: Num) -> Any:
    if type(v) is float:
        if v != v:
            return _NAN_KEY
        return (True, v)
    return v


class Term(Rendered):
    """Base class of all symnb expression nodes (immutable, interned).

    Notebook bundle: text and LaTeX here; the renderer ``symnb.display`` registers adds
    the DAG payload and SVG (:mod:`symnb.reprs`)."""

    __slots__ = ("__weakref__", "_sk", "_fs")

    # ----- arithmetic -------------------------------------------------
    def __add__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else add(self, o)

    def __radd__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else add(o, self)

    def __sub__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else add(self, neg(o))

    def __rsub__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else add(o, neg(self))

    def __mul__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else mul(self, o)

    def __rmul__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else mul(o, self)

    def __truediv__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else mul(self, _reciprocal(o))

    def __rtruediv__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else mul(o, _reciprocal(self))

    def __pow__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else power(self, o)

    def __rpow__(self, other: Any) -> "Term":
        o = _to_term(other)
        return NotImplemented if o is None else power(o, self)

    def __neg__(self) -> "Term":
        return neg(self)

    def __pos__(self) -> "Term":
        return self

    # identity semantics: equal terms are the same object
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        raise TypeError("the truth value of a symbolic term is undefined; "
                        "compare with 'is' or evaluate it first")

    def __reduce__(self) -> tuple:
        # the exact node table (nodetable.py), not text: assumptions, any symbol name,
        # exact numbers and any depth survive, and loading in this process gives ``self``
        from .nodetable import from_table, pack
        return (from_table, (pack([self])[0],))

    def __copy__(self) -> "Term":
        return self

    def __deepcopy__(self, memo: Any) -> "Term":
        return self

    # ----- sympy-like surface -----------------------------------------
    @property
    def free_symbols(self) -> frozenset:
        """The symbols occurring in the term (cached per node)."""
        try:
            return self._fs
        except AttributeError:
            pass
        from .calculus import free_symbols
        return free_symbols(self)

    @property
    def args(self) -> tuple:
        from .interface import arguments, iscall
        return tuple(arguments(self)) if iscall(self) else ()

    @property
    def func(self) -> Any:
        from .interface import operation
        return operation(self)

    def diff(self, *syms: "Term") -> "Term":
        from .calculus import diff
        r = self
        for s in syms:
            r = diff(r, s)
        return r

    def subs(self, mapping: Mapping | None = None, *pair: Any) -> "Term":
        from .calculus import subs
        if pair:
            mapping = {mapping: pair[0]}  # type: ignore[dict-item]
        return subs(self, mapping or {})

    def expand(self) -> "Term":
        from .calculus import expand
        return expand(self)

    def evaluate(self, env: Mapping | None = None, **kw: float) -> float:
        from .calculus import evaluate
        e = dict(env or {})
        e.update(kw)
        return evaluate(self, e)

    def count_ops(self, dag: bool = False) -> int:
        from .calculus import count_ops
        return count_ops(self, dag=dag)

    def _sympy_(self) -> Any:
        from .sympy_bridge import to_sympy
        return to_sympy(self)

    def _symengine_(self) -> Any:
        from .symengine_bridge import to_symengine
        return to_symengine(self)

    # ----- printing -----------------------------------------------------
    def __str__(self) -> str:
        from .printing import to_str
        return to_str(self)

    def __repr__(self) -> str:
        from .printing import to_str_limited
        return to_str_limited(self)

    def _repr_latex_(self) -> str:
        from .printing import to_latex_limited
        return "$" + to_latex_limited(self) + "$"

    def _plain_bundle(self) -> dict:
        from .printing import mimebundle
        return mimebundle(self)


class Symbol(Term):
    """A named symbol.  ``Symbol("x") is Symbol("x")``.

    Keyword assumptions as in sympy (``positive=True``, ``real``, ``integer``,
    ``nonzero``, ``nonnegative``, ``negative``, ``nonpositive``, ``zero``; see
    ``assumptions.py``) make a different symbol: the key holds the set of
    values they allow, so equivalent declarations give the same symbol.

    >>> Symbol("x", positive=True) is Symbol("x", positive=True, real=True)
    True
    >>> Symbol("x", positive=True) is Symbol("x"), Symbol("x", positive=True).assumptions0["real"]
    (False, True)
    """

    __slots__ = ("name", "_worlds")
    name: str
    _worlds: int

    def __new__(cls, name: str, **assumptions: Any) -> "Symbol":
        if type(name) is not str or not name:
            raise TypeError(f"a symbol name must be a non-empty str, got {type(name).__name__}")
        return symbol_with_worlds(name, _ALL_WORLDS if not assumptions else
                                  declare(name, assumptions))

    @property
    def assumptions0(self) -> dict:
        """Every fact the declaration decides, e.g. ``{"positive": True, "real": True, ...}``."""
        return facts_of(self._worlds)

    def __getnewargs__(self) -> tuple:
        return (self.name,)

    def __reduce__(self):
        return (symbol_with_worlds, (self.name, self._worlds))


def symbol_with_worlds(name: str, worlds: int) -> Symbol:
    """The symbol ``name`` whose values lie in ``worlds`` (a set of ``assumptions`` worlds).

    >>> symbol_with_worlds("x", FACTS["positive"]) is Symbol("x", positive=True)
    True
    """
    key = ("S", name) if worlds == _ALL_WORLDS else ("S", name, worlds)
    t = _LOOKUP(key)
    if t is None:
        t = object.__new__(Symbol)
        t.name = name
        t._worlds = worlds
        _STORE(key, t, 1)
    return t  # type: ignore[return-value]


class Number(Term):
    """A numeric leaf: ``int``, ``Fraction`` or ``float``."""

    __slots__ = ("value",)
    value: Num

    def __new__(cls, value: Any) -> "Number":
        v = as_num(value)
        if v is None:
            raise TypeError(f"cannot make a symnb number from {type(value).__name__}")
        return _number(v)

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)


def _number(v: Num) -> Number:
    if v == 0 and type(v) is float:
        v = 0.0   # -0.0 is stored as 0.0 (as sympy does), else the first one built would win
    key = ("N", _num_key(v))
    t = _LOOKUP(key)
    if t is None:
        t = object.__new__(Number)
        t.value = v
        _STORE(key, t, 1)
    return t  # type: ignore[return-value]


class Add(Term):
    """Canonical sum ``const + sum(coef * term)``; build it with ``+``."""

    __slots__ = ("const", "terms", "_args")
    const: Num
    terms: dict

    def __new__(cls, *args: Any) -> Term:  # type: ignore[misc]
        d: dict = {}
        const: Num = 0
        for a in args:
            const = acc_add(d, const, _require_term(a))
        return make_add(const, d)


class Mul(Term):
    """Canonical product ``coef * prod(base ** exp)``; build it with ``*``."""

    __slots__ = ("coef", "factors", "_args", "_unit")
    coef: Num
    factors: dict

    def __new__(cls, *args: Any) -> Term:  # type: ignore[misc]
        # accumulate first: the result does not depend on the order of the factors
        d: dict = {}
        coef: Num = 1
        for a in args:
            coef = acc_mul(d, coef, _require_term(a))
        return make_mul(coef, d)


class Pow(Term):
    """``base ** exp`` with both terms; build it with ``**``."""

    __slots__ = ("base", "exp")
    base: Term
    exp: Term

    def __new__(cls, base: Any, exp: Any) -> Term:  # type: ignore[misc]
        return power(_require_term(base), _require_term(exp))


class Call(Term):
    """A call of a named function; build it by calling a ``Function``."""

    __slots__ = ("func", "args_")
    func: Any
    args_: tuple

    @property
    def args(self) -> tuple:
        return self.args_


def collect_unreferenced() -> int:
    """Drop interned nodes that nothing outside the table refers to; returns how many.

    Runs automatically when the table doubles (see ``_Interner.sweep``).
    """
    return _NODES.sweep()


ZERO = _number(0)
ONE = _number(1)
_MINUS_ONE = _number(-1)
_NODES.pinned.update((ZERO, ONE, _MINUS_ONE))


# ----------------------------------------------------------------------
# conversion helpers
# ----------------------------------------------------------------------
def _to_term(v: Any) -> Term | None:
    if isinstance(v, Term):
        return v
    n = as_num(v)
    return None if n is None else _number(n)


def _require_term(v: Any) -> Term:
    t = _to_term(v)
    if t is None:
        raise TypeError(f"expected a symnb term or a real number, got {type(v).__name__}")
    return t


def sympify_num(v: Any) -> Term:
    """Turn a term or a real number into a term (TypeError naming the type otherwise)."""
    return _require_term(v)


# ----------------------------------------------------------------------
# interning of compound nodes
# ----------------------------------------------------------------------
def _intern_add(const: Num, terms: dict) -> Term:
    key = ("+", const if type(const) is not _FLOAT else _num_key(const), _coef_key(terms))
    t = _LOOKUP(key)
    if t is None:
        t = object.__new__(Add)
        t.const = const
        t.terms = terms
        t._args = None
        _STORE(key, t, len(terms))
    return t


def _intern_mul(coef: Num, factors: dict) -> Term:
    key = ("*", coef if type(coef) is not _FLOAT else _num_key(coef), _coef_key(factors))
    t = _LOOKUP(key)
    if t is None:
        t = object.__new__(Mul)
        t.coef = coef
        t.factors = factors
        t._args = None
        t._unit = None
        _STORE(key, t, len(factors))
    return t


def _intern_pow(base: Term, exp: Term) -> Term:
    key = ("^", base, exp)
    t = _LOOKUP(key)
    if t is None:
        t = object.__new__(Pow)
        t.base = base
        t.exp = exp
        _STORE(key, t, 1)
    return t


def intern_call(func: Any, args: tuple) -> Call:
    """Intern ``func(*args)`` without evaluation (used by ``Function``)."""
    key = ("()", func, args)
    t = _LOOKUP(key)
    if t is None:
        t = object.__new__(Call)
        t.func = func
        t.args_ = args
        _STORE(key, t, 1)
    return t  # type: ignore[return-value]


# ----------------------------------------------------------------------
# views used by the arithmetic
# ----------------------------------------------------------------------
def _unit_of(m: Mul) -> Term:
    """The coefficient-1 part of a product (cached)."""
    u = m._unit
    if u is None:
        if is_one(m.coef):
            return m   # caching would make m refer to itself and never be reclaimed
        f = m.factors
        if len(f) == 1:
            ((b, e),) = f.items()
            u = b if is_one(e) else _intern_pow(b, _exp_term(e))
        else:
            u = _intern_mul(1, f)
        m._unit = u
    return u


def _term_coef(t: Term) -> tuple[Term, Num]:
    """Split ``t`` into (unit term, numeric coefficient) for sums."""
    if type(t) is Mul:
        return _unit_of(t), t.coef
    return t, 1


def _exp_term(e: Any) -> Term:
    return e if isinstance(e, Term) else _number(e)


def _exp_raw(e: Term) -> Any:
    return e.value if type(e) is Number else e


def _mul_parts(t: Term) -> tuple[Num, dict]:
    tt = type(t)
    if tt is Mul:
        return t.coef, t.factors
    if tt is Number:
        return t.value, {}
    if tt is Pow:
        return 1, {t.base: _exp_raw(t.exp)}
    return 1, {t: 1}


# ----------------------------------------------------------------------
# sums
# ----------------------------------------------------------------------
def _scale(t: Term, c: Num) -> Term:
    """``c * t`` for a unit term ``t`` (not a Number)."""
    if is_one(c):
        return t
    if c == 0:
        return ZERO
    if c != c:
        return _number(c)   # NaN absorbs a product
    tt = type(t)
    if tt is Add:
        return make_add(normalize(num_mul(c, t.const)),
                        {k: normalize(num_mul(c, v)) for k, v in t.terms.items()})
    if tt is Mul:
        return make_mul(normalize(num_mul(c, t.coef)), t.factors)
    if tt is Pow:
        return _intern_mul(c, {t.base: _exp_raw(t.exp)})
    return _intern_mul(c, {t: 1})


def _absorbs(v: Num) -> bool:
    """A float NaN or infinity absorbs a sum (``x + inf -> inf``, as sympy and symengine do)."""
    return type(v) is float and (v != v or v in (math.inf, -math.inf))


def make_add(const: Num, terms: dict) -> Term:
    """Build the canonical sum ``const + sum(c*t)`` (``terms`` is taken over)."""
    if not terms or (type(const) is _FLOAT and _absorbs(const)):
        return _number(const)
    if const == 0:
        const = 0   # a float 0.0 constant is dropped like an exact one (as in sympy)
    if len(terms) == 1 and const == 0:
        ((t, c),) = terms.items()
        return _scale(t, c)
    return _intern_add(const, terms)


def add(a: Term, b: Term) -> Term:
    """``a + b`` for terms."""
    ta, tb = type(a), type(b)
    if ta is Number:
        if tb is Number:
            return _number(normalize(num_add(a.value, b.value)))
        a, b, ta, tb = b, a, tb, ta
    if ta is Add:
        d = dict(a.terms)
        const = a.const
        if tb is Number:
            const = normalize(num_add(const, b.value))
        elif tb is Add:
            const = normalize(num_add(const, b.const))
            get = d.get
            for k, c in b.terms.items():
                nc = num_add(get(k, 0), c)
                if nc == 0:
                    d.pop(k, None)
                else:
                    d[k] = normalize(nc)
        else:
            k, c = _term_coef(b)
            nc = num_add(d.get(k, 0), c)
            if nc == 0:
                d.pop(k, None)
            else:
                d[k] = normalize(nc)
        return make_add(const, d)
    if tb is Add:
        return add(b, a)
    if tb is Number:
        if b.value == 0:
            return a
        if _absorbs(b.value):
            return b
        k, c = _term_coef(a)
        return _intern_add(b.value, {k: c})
    ka, ca = _term_coef(a)
    kb, cb = _term_coef(b)
    if ka is kb:
        return _scale(ka, normalize(num_add(ca, cb)))
    return _intern_add(0, {ka: ca, kb: cb})


def neg(a: Term) -> Term:
    """``-a``."""
    if type(a) is Number:
        return _number(-a.value)
    return mul(_MINUS_ONE, a)


# ----------------------------------------------------------------------
# products and powers
# ----------------------------------------------------------------------
def _add_exp(e1: Any, e2: Any) -> Any:
    if not isinstance(e1, Term) and not isinstance(e2, Term):
        return normalize(num_add(e1, e2))
    return _exp_raw(add(_exp_term(e1), _exp_term(e2)))


def _is_exp_call(t: Term) -> bool:
    return type(t) is Call and t.func.name == "exp"


def make_mul(coef: Num, factors: dict) -> Term:
    """Build the canonical product ``coef * prod(b**e)`` (``factors`` is taken over)."""
    if coef == 0:
        return ZERO
    if coef != coef:
        return _number(coef)   # NaN absorbs a product
    fix = False
    exps = None
    for b, e in factors.items():
        tb = type(b)
        if tb is Number:
            if not _is_canonical_num_factor(b.value, e):
                fix = True
                break
        elif (tb is Mul or tb is Pow) and is_int(e):
            fix = True   # e.g. sqrt(-x)*sqrt(-x): the product base becomes a factor again
            break
        elif tb is Call and b.func.name == "exp" and is_int(e):
            if e != 1:
                fix = True
                break
            u = _term_coef(b.args_[0])[0] if type(b.args_[0]) is not Number else None
            if exps is None:
                exps = {u}
            elif u in exps:
                fix = True   # exp(c1*u) * exp(c2*u) -> exp((c1+c2)*u)
                break
            else:
                exps.add(u)
    if fix:
        return _normalize_special_factors(coef, factors)
    if not factors:
        return _number(coef)
    if len(factors) == 1:
        ((b, e),) = factors.items()
        if is_one(coef):
            return b if is_one(e) else _intern_pow(b, _exp_term(e))
        if is_one(e) and type(b) is Add:
            return _scale(b, coef)
    return _intern_mul(coef, factors)


def _is_canonical_num_factor(bv: Num, e: Any) -> bool:
    """A numeric base stays in a product only as ``n**f`` with ``0 < f < 1``
    and no exact root, with a negative base and fractional exponent, or with a
    symbolic exponent."""
    if isinstance(e, Term):
        return True
    if bv < 0 and not (type(e) is int or (type(e) is float and e.is_integer())):
        return True   # stays symbolic: no real value to fold
    if type(bv) is not float and type(e) is not float and exact_pow_too_big(bv, e):
        return True   # too big to compute exactly: stays a symbolic power (10^(10^10))
    if type(e) is not Fraction or type(bv) is float:
        return False
    return type(bv) is int and bv > 1 and 0 < e < 1 and (
        e.numerator * bv.bit_length() >= 4096 or iroot(bv ** e.numerator, e.denominator) is None)


def _normalize_special_factors(coef: Num, factors: dict) -> Term:
    """Fold numeric bases into the coefficient and ``exp(a)**n`` into ``exp(n*a)``."""
    rest: dict = {}
    extra: list = []
    exp_groups: dict = {}
    for b, e in factors.items():
        tb = type(b)
        if tb is Call and is_int(e) and b.func.name == "exp":
            a = b.args_[0]
            u, c = (None, a.value) if type(a) is Number else _term_coef(a)
            g = exp_groups.setdefault(u, [b.func, 0, 0])
            g[1] = normalize(num_add(g[1], num_mul(c, e)))
            g[2] += 1
            continue
        if (tb is Mul or tb is Pow) and is_int(e):
            extra.append((power(b, _number(e)), 1))
            continue
        if tb is Number and not isinstance(e, Term):
            parts = None if _is_canonical_num_factor(b.value, e) else num_pow_parts(b.value, e)
            if parts is None:
                rest[b] = e
                continue
            c, radicals = parts
            coef = num_mul(coef, c)
            for rb, re_ in radicals:
                extra.append((_number(rb), re_))
        else:
            rest[b] = e
    for u, (f, c, _) in exp_groups.items():
        if c != 0:
            extra.append((f(_number(c) if u is None else _scale(u, c)), 1))
    coef = normalize(coef)
    result = make_mul(coef, rest) if not extra else None
    if result is not None:
        return result
    acc: Term = make_mul(coef, rest)
    for b, e in extra:
        acc = mul(acc, b if is_one(e) else _intern_pow(b, _exp_term(e)))
    return acc


def _scale_any(t: Term, c: Num) -> Term:
    if type(t) is Number:
        return _number(normalize(num_mul(t.value, c)))
    u, k = _term_coef(t)
    return _scale(u, normalize(num_mul(k, c)))


def mul(a: Term, b: Term) -> Term:
    """``a * b`` for terms."""
    ta, tb = type(a), type(b)
    if ta is Number and tb is Number:
        return _number(normalize(num_mul(a.value, b.value)))
    if ta is Number or tb is Number:
        if tb is Number:
            a, b, ta, tb = b, a, tb, ta
        c = a.value
        if is_one(c):
            return b
        if c == 0:
            return ZERO
        if c != c:
            return a   # NaN absorbs a product
        if tb is Add:
            return _scale(b, c)
        if tb is Mul:
            return make_mul(normalize(num_mul(c, b.coef)), b.factors)
        if tb is Pow:
            return make_mul(c, {b.base: _exp_raw(b.exp)})
        return _intern_mul(c, {b: 1})
    if (ta is Symbol or (ta is Pow and type(a.base) is Symbol)) and \
            (tb is Symbol or (tb is Pow and type(b.base) is Symbol)):
        return _mul_symbol_powers(a, b)
    ca, fa = _mul_parts(a)
    cb, fb = _mul_parts(b)
    if len(fa) < len(fb):
        fa, fb = fb, fa
    d = dict(fa)
    get = d.get
    for k, e in fb.items():
        old = get(k)
        if old is None:
            d[k] = e
        else:
            ne = _add_exp(old, e)
            if not isinstance(ne, Term) and ne == 0:
                del d[k]
            else:
                d[k] = ne
    return make_mul(normalize(num_mul(ca, cb)), d)


def _mul_symbol_powers(a: Term, b: Term) -> Term:
    """``a * b`` for symbols or powers of symbols (``x*y``, ``x*x``, ``x**2*y``): the same
    node as the general product, without its copies and checks (symbol bases need none).

    >>> x, y = Symbol("x"), Symbol("y")
    >>> _mul_symbol_powers(x ** 2, y) is make_mul(1, {x: 2, y: 1}), _mul_symbol_powers(x, x)
    (True, x^2)
    """
    ba, ea = (a, 1) if type(a) is Symbol else (a.base, _exp_raw(a.exp))
    bb, eb = (b, 1) if type(b) is Symbol else (b.base, _exp_raw(b.exp))
    if ba is not bb:
        return _intern_mul(1, {ba: ea, bb: eb})
    e = ea + eb if type(ea) is int and type(eb) is int else _add_exp(ea, eb)
    if isinstance(e, Term):
        return _intern_pow(ba, e)
    if e == 0:
        return ONE
    return ba if is_one(e) else _intern_pow(ba, _number(e))


def _reciprocal(t: Term) -> Term:
    if type(t) is Number:
        v = t.value
        if v == 0 and type(v) is not float:
            raise ZeroDivisionError("division by zero: 1/0 with exact numbers")
        return _number(num_div(1, v))
    return power(t, _MINUS_ONE)


def power(b: Term, e: Term) -> Term:
    """``b ** e`` for terms, with the automatic simplifications of the canonical form."""
    te = type(e)
    tb = type(b)
    if te is Number:
        ev = e.value
        if ev == 0 and type(ev) is not float:
            return ONE
        if is_one(ev):
            return b
        if tb is Number:
            parts = num_pow_parts(b.value, ev)
            if parts is None:
                return _intern_pow(b, e)
            c, radicals = parts
            return make_mul(c, {_number(rb): re_ for rb, re_ in radicals})
        if tb is Mul:
            if is_int(ev):
                out: dict = {}
                for k, x in b.factors.items():
                    out[k] = _mul_exp(x, ev)
                parts = num_pow_parts(b.coef, ev)
                if parts is None:   # coefficient too big to raise exactly: c**n stays symbolic
                    return mul(_intern_pow(_number(b.coef), e), make_mul(1, out))
                return make_mul(parts[0], out)
            c = b.coef
            if type(ev) is Fraction and (type(c) is float or (c != 1 and c != -1)):
                # (c*m)**r = |c|**r * (sign(c)*m)**r, as sympy and symengine do
                unit = _unit_of(b) if c > 0 else neg(_unit_of(b))
                return mul(power(_number(abs(c)), e), power(unit, e))
        if tb is Pow:
            inner = _exp_raw(b.exp)
            if is_int(ev) or (type(inner) in (int, Fraction) and type(ev) is Fraction
                              and (abs(inner) < 1 or (inner == -1 and _never_negative(b.base)))):
                # (b**a)**s = b**(a*s) for integer s, or for |a| < 1 (principal branches
                # agree); (1/b)**s = b**(-s) fails on the negative axis (sqrt(1/-4) = I/2)
                return power(b.base, _exp_term(_mul_exp(inner, ev)))
        if tb is Call and is_int(ev) and b.func.name == "exp":
            return b.func(_scale_any(b.args_[0], ev))
        return make_mul(1, {b: ev})
    if tb is Number and is_one(b.value):
        return ONE
    return _intern_pow(b, e)


def _never_negative(t: Term) -> bool:
    """No value of ``t`` is a negative real number (by its symbols' assumptions)."""
    return not worlds(t) & _NEGATIVE_WORLDS


def _mul_exp(x: Any, k: Num) -> Any:
    if isinstance(x, Term):
        return _exp_raw(_scale_any(x, k))
    return normalize(num_mul(x, k))


# ----------------------------------------------------------------------
# in-place accumulators (linear-time construction of big sums/products)
# ----------------------------------------------------------------------
def acc_add(d: dict, const: Num, t: Term, c: Num = 1) -> Num:
    """Add ``c*t`` into the sum being built as ``(const, d)``; returns the new const.

    ``make_add(const, d)`` then gives the canonical sum.  Adding n terms this
    way costs O(n), where repeated ``+`` costs O(n^2).
    """
    tt = type(t)
    if tt is Number:
        return normalize(num_add(const, num_mul(c, t.value)))
    if tt is Add:
        get = d.get
        for k, v in t.terms.items():
            nv = num_add(get(k, 0), num_mul(c, v))
            if nv == 0:
                d.pop(k, None)
            else:
                d[k] = normalize(nv)
        return normalize(num_add(const, num_mul(c, t.const)))
    if tt is Mul:
        k, v = _unit_of(t), num_mul(t.coef, c)
    else:
        k, v = t, c
    nv = num_add(d.get(k, 0), v)
    if nv == 0:
        d.pop(k, None)
    else:
        d[k] = normalize(nv)
    return const


def acc_mul(d: dict, coef: Num, t: Term) -> Num:
    """Multiply ``t`` into the product being built as ``(coef, d)``; returns the new coef."""
    c, f = _mul_parts(t)
    get = d.get
    for k, e in f.items():
        old = get(k)
        if old is None:
            d[k] = e
        else:
            ne = _add_exp(old, e)
            if not isinstance(ne, Term) and ne == 0:
                del d[k]
            else:
                d[k] = ne
    return normalize(num_mul(coef, c))


def children(t: Term) -> tuple:
    """The direct sub-terms of a native node (units of a sum, bases of a product)."""
    tt = type(t)
    if tt is Add:
        return tuple(t.terms)
    if tt is Mul:
        f = t.factors
        return tuple(f) + tuple(e for e in f.values() if isinstance(e, Term))
    if tt is Pow:
        return (t.base, t.exp)
    if tt is Call:
        return t.args_
    return ()


def postorder(root: Term, skip_cached: str | None = None) -> list:
    """Every distinct node reachable from ``root``, children before parents (no recursion).

    With ``skip_cached="_sk"`` (say), nodes that already carry that cached
    attribute are neither listed nor descended into, so filling a per-node
    cache costs O(new nodes) rather than O(DAG).
    """
    seen: set = set()
    order: list = []
    stack: list = [(root, False)]
    push = stack.append
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        if skip_cached is not None and hasattr(node, skip_cached):
            continue
        push((node, True))
        for ch in children(node):
            if ch not in seen:
                push((ch, False))
    return order


def postorder_missing(root: Term, attr: str) -> list:
    """``postorder(root, skip_cached=attr)``."""
    return postorder(root, skip_cached=attr)
