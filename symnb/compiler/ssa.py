"""Lowering: term DAG -> a small hash-consed numeric IR (the SSA the code is printed from).

Terms are read only through the term interface (``iscall``, ``opname``,
``arguments``, ``issym``, ``isnumber`` ...), so symnb, sympy and symengine
expressions lower alike.  IR nodes (the named tuples of ``ir.py``) are interned,
so a sub-expression shared in the DAG (or merely equal) becomes one IR node: that
is the CSE.
Integer powers become products built by repeated squaring, so ``x**2`` is
shared by ``x**3`` and ``x**4`` (the hoisting of repeated powers).

Node kinds (``IR.nodes[i]``, children given by node id): ``In(argpos, elem)``,
``Const(value)``, ``Missing(name)``, ``Lin(const, coefs, children)``,
``Prod(coef, numer, denom)``, ``Pow(base, exp)`` and ``Call(name, args)``.

>>> from symnb.terms import symbols, sin
>>> x, y = symbols("x y")
>>> ir = IR(ArgMap([x, y]))
>>> r = ir.lower(sin(x * y) ** 2 + x * y)
>>> ir.nodes[r], ir.count_ops([r])
(Lin(const=0.0, coefs=(1.0, 1.0), children=(2, 5)), 4)
"""
from __future__ import annotations

from fractions import Fraction
from itertools import repeat
from typing import Any, Iterable, Sequence

from ..terms.numbers import num_to_float
from ..terms.interface import arguments, iscall, issym, symname, term_ops
from ..terms.core import Add as NativeAdd
from ..terms.core import Mul as NativeMul
from ..terms.core import Symbol as NativeSymbol
from ..terms.core import Term
from ..terms.core import children as native_children
from .ir import Call, Const, In, Lin, Missing, Node, Pow, Prod, children, flat_key, node_ops

__all__ = ["ArgMap", "IR", "tree_ops", "KNOWN_FUNCTIONS"]

#: functions the numba backend lowers natively (name -> arity)
KNOWN_FUNCTIONS = {
    "sin": 1, "cos": 1, "tan": 1, "asin": 1, "acos": 1, "atan": 1, "sinh": 1, "cosh": 1,
    "tanh": 1, "exp": 1, "log": 1, "Abs": 1, "sign": 1, "sqrt": 1, "atan2": 2,
    "asinh": 1, "acosh": 1, "atanh": 1, "floor": 1, "ceiling": 1, "erf": 1, "erfc": 1,
    "gamma": 1, "loggamma": 1,
}

_ALIASES = {"abs": "Abs", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
            "ceil": "ceiling", "lgamma": "loggamma"}


def _is_seq(a: Any) -> bool:
    return isinstance(a, (list, tuple)) or (hasattr(a, "shape") and hasattr(a, "ravel")
                                           and getattr(a, "dtype", None) == object)


class ArgMap:
    """Where each symbol comes from: ``args`` holds symbols (scalar arguments)
    and sequences/arrays of symbols (array arguments).  Symbols are matched by
    name, so the expressions may be in another representation than ``args``.

    >>> from symnb.terms import symbols
    >>> x, y, t = symbols("x y t")
    >>> m = ArgMap([[x, y], t])
    >>> m.lookup("y"), m.lookup("t"), m.is_array
    ((0, 1), (1, -1), [True, False])
    """

    def __init__(self, args: Sequence[Any]) -> None:
        if isinstance(args, (str, bytes)) or not isinstance(args, Iterable):
            raise TypeError("args must be a list of symbols or of sequences of symbols")
        self.is_array: list[bool] = []
        self.sizes: list[int] = []
        self.symbols: list[list[str]] = []
        self._where: dict[str, tuple[int, int]] = {}
        for pos, a in enumerate(args):
            if _is_seq(a):
                items = list(a.ravel()) if hasattr(a, "ravel") else list(a)
                names = [self._name(s) for s in items]
                self.is_array.append(True)
                self.sizes.append(len(names))
                for k, n in enumerate(names):
                    self._add(n, (pos, k))
            else:
                n = self._name(a)
                names = [n]
                self.is_array.append(False)
                self.sizes.append(1)
                self._add(n, (pos, -1))
            self.symbols.append(names)

    @staticmethod
    def _name(s: Any) -> str:
        if type(s) is NativeSymbol:
            return s.name      # the common case, without the interface's dispatch
        try:
            if issym(s):
                return symname(s)
        except TypeError:
            pass
        raise TypeError(f"args must hold symbols, got {s!r} ({type(s).__name__})")

    def _add(self, name: str, where: tuple[int, int]) -> None:
        if name in self._where:
            raise ValueError(f"symbol {name!r} appears more than once in args")
        self._where[name] = where

    def lookup(self, name: str) -> tuple[int, int] | None:
        return self._where.get(name)

    def __len__(self) -> int:
        return len(self.is_array)


_new_node = tuple.__new__
"""``_new_node(Kind, fields)`` builds a node without the named tuple's Python-level
``__new__`` (lowering makes one per distinct node)."""


_NATIVE = "native"
"""Stack mark of a native sum or product whose children are lowered."""


_ZEROS = repeat(0)
"""The default of each ``tops.get`` in ``map(tops.get, terms, _ZEROS)``."""


def _plain_coefs(vals: tuple) -> tuple[tuple, int] | None:
    """``(floats, how many differ from 1)`` of a sum's coefficients when all are
    finite and nonzero as floats (the sums ``IR.lin`` keeps as they are), else None.

    >>> _plain_coefs((1, -2, 0.5)), _plain_coefs((1, 0.0)), _plain_coefs((10 ** 400,))
    (((1.0, -2.0, 0.5), 2), None, None)
    """
    try:
        coefs = tuple(map(float, vals))
    except OverflowError:
        return None
    s = sum(coefs)
    if s - s != 0.0 or 0.0 in coefs:   # an inf or nan; a zero
        return None
    return coefs, len(vals) - vals.count(1)


def _num(v: Any) -> float:
    return num_to_float(v)   # an exact 10^400 is +inf (IEEE), not OverflowError


class IR:
    """A hash-consed numeric IR; ``lower(term)`` returns the id of its root node."""

    def __init__(self, argmap: ArgMap, functions: dict | None = None) -> None:
        self.argmap = argmap
        self.nodes: list[Node] = []
        self.kids: list[tuple] = []           # children(nodes[i]), kept alongside
        self._intern: dict[tuple, int] = {}   # flat_key(node) -> id
        self._memo: dict[Any, int] = {}
        self.missing: set[str] = set()
        self.functions_used: set[str] = set()
        self.user_functions = dict(functions or {})
        self.tree_ops = 0
        self._tops: dict[Any, int] = {}
        self._type_ops: dict[type, Any] = {}
        self._folded: set[int] = set()        # ids of Const, Lin and scaled Prod nodes
        self._plain_coefs: dict[tuple, tuple] = {}   # _plain_coefs, of short sums
        self._long_prods: list[int] = []      # ids of products made with 3+ factors

    # ----- node construction --------------------------------------------
    def node(self, key: tuple) -> int:
        """The id of the node whose flat key (``ir.flat_key``) is ``key``, e.g.
        ``(Pow, base, exp)``, added if new: one id per distinct node.  A node's
        children are made before it, so ids order the DAG children first."""
        nodes = self.nodes
        n = len(nodes)
        i = self._intern.setdefault(key, n)   # one hash of the key, not two
        if i == n:
            k = key[0]
            nodes.append(_new_node(k, key[1:]))
            if k is In:
                self.kids.append(())
            elif k is Prod:
                self.kids.append(key[2] + key[3])
                if key[1] != 1.0:
                    self._folded.add(i)
                if len(key[2]) >= 3:
                    self._long_prods.append(i)
            elif k is Lin:
                self.kids.append(key[3])
                self._folded.add(i)
            else:
                self.kids.append(children(nodes[i]))
                if k is Const:
                    self._folded.add(i)
        return i

    def const(self, v: float) -> int:
        return self.node((Const, float(v)))

    def lin(self, const: float, pairs: Iterable[tuple[float, int]]) -> int:
        acc: dict[int, float] = {}
        nodes = self.nodes
        for c, i in pairs:
            n = nodes[i]
            t = type(n)
            if t is Const:
                const += c * n.value
                continue
            if t is Lin:
                const += c * n.const
                for cc, ch in zip(n.coefs, n.children):
                    acc[ch] = acc.get(ch, 0.0) + c * cc
                continue
            if t is Prod and n.coef != 1.0:
                c = c * n.coef
                i = self.prod(1.0, n.numer, n.denom)
            acc[i] = acc.get(i, 0.0) + c
        items = sorted(acc.items())
        if 0.0 in acc.values():
            items = [p for p in items if p[1] != 0.0]
        if not items:
            return self.const(const)
        if len(items) == 1 and const == 0.0:
            i, c = items[0]
            return i if c == 1.0 else self.prod(c, (i,), ())
        ids, coefs = zip(*items)
        return self.node((Lin, float(const), coefs, ids))

    def prod(self, coef: float, numer: Iterable[int], denom: Iterable[int] = ()) -> int:
        num: list[int] = []
        den: list[int] = []
        nodes = self.nodes
        for i in numer:
            n = nodes[i]
            t = type(n)
            if t is Const:
                coef *= n.value
            elif t is Prod:
                coef *= n.coef
                num.extend(n.numer)
                den.extend(n.denom)
            else:
                num.append(i)
        for i in denom:
            n = nodes[i]
            if type(n) is Prod and n.coef == 1.0:
                den.extend(n.numer)
                num.extend(n.denom)
            else:
                den.append(i)
        num.sort()
        den.sort()
        if not den and coef == 1.0 and len(num) == 1:
            return num[0]
        if not num and not den:
            return self.const(coef)
        return self.node((Prod, float(coef), tuple(num), tuple(den)))

    def powi(self, b: int, n: int) -> int:
        """``b**n`` for an integer ``n >= 1`` by repeated squaring (shared sub-powers)."""
        if n == 1:
            return b
        half = self.powi(b, n // 2)
        sq = self.node((Prod, 1.0, tuple(sorted((half, half))), ()))
        return sq if n % 2 == 0 else self.node((Prod, 1.0, tuple(sorted((sq, b))), ()))

    def power(self, b: int, e: Any, e_id: int | None) -> int:
        if e_id is None or type(self.nodes[e_id]) is Const:
            ev = e if e_id is None else self.nodes[e_id].value
            if isinstance(ev, Fraction) and ev.denominator == 1:
                ev = ev.numerator
            if type(ev) is int and abs(ev) < 2 ** 31:   # larger: a float power (fuzz find:
                if ev == 0:                             # powi recursed once per bit)
                    return self.const(1.0)
                p = self.powi(b, abs(ev))
                return p if ev > 0 else self.prod(1.0, (), (p,))
            if isinstance(ev, Fraction) and ev.denominator == 2:
                k = ev.numerator
                s = self.node((Call, "sqrt", (b,)))
                self.functions_used.add("sqrt")
                parts = [s] if abs(k) == 1 else [s, self.powi(b, abs(k) // 2)]
                return self.prod(1.0, parts, ()) if k > 0 else self.prod(1.0, (), parts)
            e_id = self.const(num_to_float(ev))
        return self.node((Pow, b, e_id))

    # ----- lowering -------------------------------------------------------
    def _ops(self, t: Any) -> Any:
        tp = type(t)
        ops = self._type_ops.get(tp)
        if ops is None:
            ops = self._type_ops[tp] = term_ops(t)
        return ops

    def lower(self, term: Any) -> int:
        """Lower ``term`` (any registered representation) and return its node id.

        The walk resolves the term interface once per type (``term_ops``) and
        reads each node's head and arguments once."""
        memo = self._memo
        hit = memo.get(term)
        if hit is not None:
            return hit
        if type(term) is NativeAdd:
            hit = self._lower_flat_sum(term)
            if hit is not None:
                return hit
        type_ops = self._type_ops
        stack: list = [(term, None, None)]
        while stack:
            t, head, args = stack.pop()
            if t in memo:
                continue
            tp = type(t)
            if tp is NativeSymbol:      # a native leaf: no interface dispatch
                w = self.argmap.lookup(t.name)
                if w is not None:
                    memo[t] = self.node((In, w[0], w[1]))
                    continue
            if tp is NativeAdd or tp is NativeMul:
                if head is None:
                    # children not lowered yet, in the order they are pushed: the
                    # order nodes are made in fixes the order sums are evaluated in
                    todo = [(x, None, None) for x in
                            (t.terms if tp is NativeAdd else native_children(t))
                            if x not in memo]
                    if todo:
                        stack.append((t, _NATIVE, None))
                        stack.extend(todo)
                        continue
                memo[t] = self._lower_native(t)
                continue
            ops = type_ops.get(tp)
            if ops is None:
                ops = self._ops(t)
            if head is None:
                h = ops.head(t)
                if h is not None:
                    a = ops.arguments(t)
                    stack.append((t, h, a))
                    for x in a:
                        if x not in memo:
                            stack.append((x, None, None))
                    continue
                memo[t] = self._lower_leaf(t, ops)
                continue
            memo[t] = self._lower_call(t, head, args)
        return memo[term]

    def tree_ops_of(self, terms: Iterable[Any]) -> int:
        """``tree_ops(terms)`` for lowered terms, from counts kept while lowering."""
        return sum(map(self._tops.get, terms, _ZEROS))

    def _lower_leaf(self, t: Any, ops: Any) -> int:
        if ops.issym(t):
            name = ops.symname(t)
            w = self.argmap.lookup(name)
            if w is None:
                self.missing.add(name)
                return self.node((Missing, name))
            return self.node((In, w[0], w[1]))
        if ops.isnumber(t):
            return self.const(_num(ops.numvalue(t)))
        try:
            return self.const(float(t))   # sympy.pi, E, ...
        except (TypeError, ValueError):
            raise TypeError(f"cannot compile the atom {t!r} ({type(t).__name__})") from None

    def _lower_flat_sum(self, t: Any) -> int | None:
        """Lower the native sum ``t`` when its summands are lowered or are argument
        symbols or native products of them, without the walk's stack; None when a
        summand needs the walk.  The node is what ``lin`` makes, made directly when no
        summand is folded into the sum (``_folded``), none repeats and the coefficients
        are finite and nonzero: the pairs sorted by id."""
        memo = self._memo
        terms = t.terms
        ids = list(map(memo.get, terms))
        if None in ids and not self._lower_summands(terms, ids):
            return None
        vals = tuple(terms.values())
        tops = self._tops
        nv = len(vals)   # also len(ids)
        n_ops = nv + (t.const != 0) - 1
        if n_ops < 1:
            n_ops = 1
        self.tree_ops += n_ops
        try:
            const = float(t.const)
        except OverflowError:
            const = _num(t.const)
        plain = self._plain_coefs.get(vals)
        if plain is None:
            plain = _plain_coefs(vals)
            if plain is not None and nv <= 16:   # short rows repeat their coefficients
                self._plain_coefs[vals] = plain
        if plain is not None:
            coefs, not_one = plain
            tops[t] = n_ops + sum(map(tops.get, terms, _ZEROS)) + not_one
            if nv > 1 and self._folded.isdisjoint(ids):
                acc = dict(zip(ids, coefs))
                if len(acc) == nv:
                    ids.sort()
                    key = (Lin, const, tuple(map(acc.__getitem__, ids)), tuple(ids))
                    nodes = self.nodes   # self.node(key), without its dispatch on the kind
                    n = len(nodes)
                    i = memo[t] = self._intern.setdefault(key, n)
                    if i == n:
                        nodes.append(_new_node(Lin, key[1:]))
                        self.kids.append(key[3])
                        self._folded.add(i)
                    return i
        else:
            coefs = list(map(_num, vals))
            tops[t] = n_ops + sum(map(tops.get, terms, _ZEROS)) + nv - vals.count(1)
        i = memo[t] = self.lin(const, zip(coefs, ids))
        return i

    def _lower_summands(self, terms: dict, ids: list) -> bool:
        """Lower the summands whose ``ids`` are None (filling them in) when they are
        argument symbols or native products of them; False at the first that needs
        the walk, which goes on from there: they are lowered last first, as the walk
        does, so nodes are made in the same order."""
        memo = self._memo
        where = self.argmap._where
        node = self.node
        keys = list(terms)
        for j in range(len(ids) - 1, -1, -1):
            if ids[j] is not None:
                continue
            k = keys[j]
            tk = type(k)
            if tk is NativeSymbol:
                w = where.get(k.name)
                if w is None:
                    return False
                memo[k] = ids[j] = node((In, w[0], w[1]))
            elif tk is NativeMul:   # not lowered by a summand after it: only symbols are
                factors = k.factors
                for e in factors.values():
                    if type(e) is not int and isinstance(e, Term):
                        return False   # the walk lowers exponents before bases
                for b in reversed(factors):
                    if b not in memo:
                        w = where.get(b.name) if type(b) is NativeSymbol else None
                        if w is None:
                            return False
                        memo[b] = node((In, w[0], w[1]))
                memo[k] = ids[j] = self._lower_native_mul(k)
            else:
                return False
        return True

    def _lower_native(self, t: Any) -> int:
        """A native sum or product read from its own dicts: the term interface's
        ``arguments`` would build a scaled term per summand and sort them (two thirds
        of lowering the Brusselator at N=128)."""
        if type(t) is NativeAdd:
            return self._lower_flat_sum(t)   # its summands are lowered
        return self._lower_native_mul(t)

    def _lower_native_mul(self, t: Any) -> int:
        """A native product; of inputs to the powers 1 and 2 directly: the nodes
        ``power`` and ``prod`` would make, squares included, in their order (so that
        when a factor needs them, they go on from where this stopped)."""
        memo, nodes = self._memo, self.nodes
        factors = t.factors
        num = []
        for b, e in factors.items():
            i = memo[b]
            if type(nodes[i]) is not In:
                return self._lower_mul_powers(t)
            if e == 1:
                num.append(i)
            elif e == 2 and type(e) is int:
                self.node((Prod, 1.0, (i, i), ()))   # powi's square, flattened by prod
                num += (i, i)
            else:
                return self._lower_mul_powers(t)
        num.sort()
        tops = self._tops
        n_ops = len(factors) + (t.coef != 1) - 1
        if n_ops < 1:
            n_ops = 1
        self.tree_ops += n_ops
        tops[t] = n_ops + sum(map(tops.get, factors, _ZEROS)) + len(num) - len(factors)
        coef = 1.0 if t.coef == 1 else _num(t.coef)
        if coef == 1.0 and len(num) == 1:
            return num[0]
        return self.node((Prod, coef, tuple(num), ()))

    def _lower_mul_powers(self, t: Any) -> int:
        """A native product of any powers, through ``power`` and ``prod``."""
        memo, tops = self._memo, self._tops
        ids = []
        n = len(t.factors) + (t.coef != 1)
        ops = 0
        for b, e in t.factors.items():
            if isinstance(e, Term):
                ids.append(self.power(memo[b], None, memo[e]))
                ops += 1 + tops.get(b, 0) + tops.get(e, 0)
            elif e == 1:
                ids.append(memo[b])
                ops += tops.get(b, 0)
            else:
                ids.append(self.power(memo[b], e, None))
                ops += 1 + tops.get(b, 0)
        node = self.prod(_num(t.coef), ids)
        n_ops = max(n - 1, 1)
        self.tree_ops += n_ops
        tops[t] = n_ops + ops
        return node

    def _lower_call(self, t: Any, op: str, args: Sequence[Any]) -> int:
        memo = self._memo
        ids = [memo[a] for a in args]
        tops = self._tops
        n_ops = max(len(ids) - 1, 1)
        self.tree_ops += n_ops
        tops[t] = n_ops + sum(tops.get(a, 0) for a in args)
        if op == "Add":
            return self.lin(0.0, ((1.0, i) for i in ids))
        if op == "Mul":
            return self._lower_mul(args, ids)
        if op == "Pow":
            e = args[1]
            eops = self._ops(e)
            ev = eops.numvalue(e) if eops.isnumber(e) else None
            return self.power(ids[0], ev, None if ev is not None else ids[1])
        name = _ALIASES.get(op, op)
        self.functions_used.add(name)
        return self.node((Call, name, tuple(ids)))

    def _lower_mul(self, args: Sequence[Any], ids: list[int]) -> int:
        return self.prod(1.0, ids)   # prod flattens constants and nested products itself

    # ----- measures -------------------------------------------------------
    def reachable(self, roots: Iterable[int]) -> list[int]:
        """Node ids reachable from ``roots``, children before parents."""
        from ..terms.walk import postorder_from
        return postorder_from(roots, self.kids.__getitem__)

    def share_products(self, roots: Iterable[int], limit: int = 256) -> int:
        """CSE of a product inside a larger product: when a product ``q`` has, among
        its own descendants, a product ``p`` of a strict subset of ``q``'s factors
        (``x*y*cos(x*y)``), ``q`` becomes ``p * rest``.  The test looks only inside
        ``q`` (at most ``limit`` nodes), so outputs of one shape are rewritten alike
        and re-rolling is unaffected.  Returns the number of products rewritten.

        >>> from symnb.terms import symbols, cos
        >>> x, y = symbols("x y")
        >>> ir = IR(ArgMap([x, y]))
        >>> r = ir.lower(x * y * cos(x * y))
        >>> before = ir.count_ops([r]); ir.share_products([r]), before, ir.count_ops([r])
        (1, 4, 3)
        """
        nodes, kids = self.nodes, self.kids
        # a product of 3+ factors none of which has children has nothing inside
        cands = [q for q in self._long_prods
                 if len(nodes[q].numer) >= 3 and any(map(kids.__getitem__, kids[q]))]
        if not cands:
            return 0
        roots = roots if isinstance(roots, (list, tuple)) else list(roots)
        reached = self._reached(roots)
        # by id, children first: each product sees its descendants rewritten, as in
        # the walk's order (a rewrite keeps what is reachable and points to a lower id)
        done = []
        for q in cands:
            if reached[q]:
                new = self._share_in(q, limit)
                if new is not None:
                    done.append((q, nodes[q]))
                    nodes[q] = new
                    kids[q] = children(new)
        keys = {flat_key(nodes[q]): q for q, _ in done}
        if len(keys) < len(done):   # two became equal: the walk's order picks which is interned
            for q, old in done:
                nodes[q] = old
                kids[q] = children(old)
            return self._share_products_walk(roots, limit)
        for key, q in keys.items():
            self._intern.setdefault(key, q)
        return len(done)

    def _share_products_walk(self, roots: Iterable[int], limit: int) -> int:
        """``share_products`` in the order of ``reachable(roots)``."""
        nodes = self.nodes
        done = 0
        for q in self.reachable(roots):
            n = nodes[q]
            if type(n) is not Prod or len(n.numer) < 3:
                continue
            new = self._share_in(q, limit)
            if new is None:
                continue
            nodes[q] = new
            self.kids[q] = children(new)
            self._intern.setdefault(flat_key(new), q)
            done += 1
        return done

    def _share_in(self, q: int, limit: int) -> Prod | None:
        """Product ``q`` rewritten as its largest inner product times the rest, or None."""
        n = self.nodes[q]
        p = self._inner_product(q, n.numer, limit)
        if p is None:
            return None
        rest = list(n.numer)
        for f in self.nodes[p].numer:
            rest.remove(f)
        return n._replace(numer=tuple(sorted(rest + [p])))

    def _reached(self, roots: Iterable[int]) -> bytearray:
        """``reached[i]`` is 1 when node ``i`` is reachable from ``roots`` (one pass down
        the ids: a node's children have lower ids)."""
        kids = self.kids
        reached = bytearray(len(kids))
        for r in roots:
            reached[r] = 1
        for i in range(len(kids) - 1, -1, -1):
            if reached[i]:
                for c in kids[i]:
                    reached[c] = 1
        return reached

    def _inner_product(self, q: int, num: tuple, limit: int) -> int | None:
        """The largest coefficient-1 product of a strict sub-multiset of ``num``
        found below ``q`` (None if none within ``limit`` nodes)."""
        nodes = self.nodes
        best = None
        best_len = 1
        seen = {q}
        kids = self.kids
        stack = list(kids[q])
        factors = set(num)
        while stack and len(seen) < limit:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            n = nodes[i]
            if type(n) is Prod and n.coef == 1.0 and not n.denom \
                    and best_len < len(n.numer) < len(num) \
                    and factors.issuperset(n.numer) and _submultiset(n.numer, num):
                best, best_len = i, len(n.numer)
            stack.extend(kids[i])
        return best

    def count_ops(self, roots: Iterable[int]) -> int:
        """Arithmetic operations to evaluate ``roots`` with every IR node computed once
        (``node_ops`` summed over the reachable nodes, found in one pass down the ids)."""
        nodes, kids = self.nodes, self.kids
        reached = bytearray(len(nodes))
        for r in roots:
            reached[r] = 1
        total = 0
        for i in range(len(nodes) - 1, -1, -1):
            if reached[i]:
                n = nodes[i]
                t = type(n)
                if t is Lin:
                    cs = n.coefs
                    total += 2 * len(cs) - 1 + (n.const != 0.0) - cs.count(1.0) - cs.count(-1.0)
                elif t is Prod:
                    total += len(n.numer) + len(n.denom) - 1 + (n.coef != 1.0)
                elif t is In:
                    continue
                else:
                    total += node_ops(n)
                for c in kids[i]:
                    reached[c] = 1
        return total


def _submultiset(small: tuple, big: tuple) -> bool:
    """Sorted tuples: every element of ``small`` occurs in ``big`` at least as often."""
    j = 0
    for v in small:
        while j < len(big) and big[j] < v:
            j += 1
        if j == len(big) or big[j] != v:
            return False
        j += 1
    return True


def tree_ops(terms: Iterable[Any]) -> int:
    """Operations counted on the expression *tree* (shared sub-terms once per use),
    read through the term interface: the 'before CSE' figure.

    >>> from symnb.terms import symbols
    >>> x, y = symbols("x y")
    >>> e = (x + y) ** 2
    >>> tree_ops([e * e + e])
    5
    """
    memo: dict = {}
    total = 0
    for t in terms:
        stack = [(t, False)]
        while stack:
            s, ready = stack.pop()
            if s in memo:
                continue
            if not iscall(s):
                memo[s] = 0
                continue
            args = arguments(s)
            if not ready:
                stack.append((s, True))
                stack.extend((a, False) for a in args if a not in memo)
                continue
            memo[s] = max(len(args) - 1, 1) + sum(memo[a] for a in args)
        total += memo[t]
    return total
