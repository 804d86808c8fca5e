"""symnb terms <-> the egglog ``Math`` sort.

A term DAG is flattened into a table of e-nodes (``Encoding``): every distinct
subterm becomes one row, n-ary sums and products are unflattened into binary
``Add``/``Mul`` chains.  The rows are loaded into egglog in bulk through its
fact files (``(input ...)``) and one rule per node kind, so a 10,000-node DAG
loads in a fraction of a second and shared subterms are added once.  Every
node ``k`` is also reachable as ``(Ref k)``: that is how the roots are found
again after saturation.  ``Ref`` nodes are never extracted.

A product with negative exponents becomes ``Div(numerator, denominator)``
(``x*y^-1`` is ``(Div x y)``), as symnb.compile evaluates it.  Numbers go
last in sums and products (``2*x*y`` is ``(Mul (Mul x y) 2)``),
so the product of the symbols is one e-class however the coefficient varies.
Numbers: exact ones (int, Fraction within i64) become ``(Num BigRat)``,
others ``(Flt f64)``; symbols ``(Var String)``; calls ``(Fn1 name a)``,
``(Fn2 name a b)`` or ``(FnN name list)``.  A function unknown to the term
core (a user ``Function``) is carried as an uninterpreted call.

>>> from symnb.terms import symbols, sin
>>> x, y = symbols("x y")
>>> enc = Encoding()
>>> k = enc.add(sin(x * y) + x * y)
>>> [n[0] for n in enc.nodes]
['var', 'var', 'Mul', 'Fn1', 'Add']
>>> decode_node(enc.nodes[3], [x * y]) is sin(x * y)
True
"""
from __future__ import annotations

import os
from fractions import Fraction
from typing import Any, Sequence

from ..terms.interface import term_ops

__all__ = ["SCHEMA", "SCHEMA_CORE", "SCHEMA_BULK", "Encoding", "decode_node", "load", "BINARY",
           "I64", "row_kids"]

#: Constructors of the expression sort, the root references and the fact relations.
SCHEMA_CORE = """
(datatype* (Math
  (Num BigRat) (Flt f64) (Var String)
  (Add Math Math) (Mul Math Math) (Sub Math Math) (Div Math Math) (Pow Math Math) (Neg Math)
  (Fn1 String Math) (Fn2 String Math Math) (FnN String MathList))
 (MathList (Nil) (Cons Math MathList)))
(constructor Ref (i64) Math :unextractable)
(constructor RefL (i64) MathList :unextractable)
(relation Positive (Math))
(relation Real (Math))
(relation Nonzero (Math))
(relation Integer (Math))
"""
#: The tables and rules of a bulk load from fact files (``Encoding.write``).
SCHEMA_BULK = """
(relation TVar (i64 String))
(relation TNum (i64 i64 i64))
(relation TFlt (i64 f64))
(relation T2 (i64 i64 i64 i64))
(relation T1 (i64 i64))
(relation TF1 (i64 String i64))
(relation TF2 (i64 String i64 i64))
(relation TFN (i64 String i64))
(relation TNil (i64))
(relation TCons (i64 i64 i64))
(relation TPos (i64))
(ruleset load)
(rule ((TVar k s)) ((union (Ref k) (Var s))) :ruleset load)
(rule ((TNum k p q)) ((union (Ref k) (Num (bigrat (bigint p) (bigint q))))) :ruleset load)
(rule ((TFlt k x)) ((union (Ref k) (Flt x))) :ruleset load)
(rule ((T2 k 0 a b)) ((union (Ref k) (Add (Ref a) (Ref b)))) :ruleset load)
(rule ((T2 k 1 a b)) ((union (Ref k) (Mul (Ref a) (Ref b)))) :ruleset load)
(rule ((T2 k 2 a b)) ((union (Ref k) (Sub (Ref a) (Ref b)))) :ruleset load)
(rule ((T2 k 3 a b)) ((union (Ref k) (Div (Ref a) (Ref b)))) :ruleset load)
(rule ((T2 k 4 a b)) ((union (Ref k) (Pow (Ref a) (Ref b)))) :ruleset load)
(rule ((T1 k a)) ((union (Ref k) (Neg (Ref a)))) :ruleset load)
(rule ((TF1 k f a)) ((union (Ref k) (Fn1 f (Ref a)))) :ruleset load)
(rule ((TF2 k f a b)) ((union (Ref k) (Fn2 f (Ref a) (Ref b)))) :ruleset load)
(rule ((TFN k f l)) ((union (Ref k) (FnN f (RefL l)))) :ruleset load)
(rule ((TNil l)) ((union (RefL l) (Nil))) :ruleset load)
(rule ((TCons l a t)) ((union (RefL l) (Cons (Ref a) (RefL t)))) :ruleset load)
(rule ((TPos k)) ((Positive (Ref k))) :ruleset load)
"""
#: The whole schema (core and bulk load).
SCHEMA = SCHEMA_CORE + SCHEMA_BULK

BINARY = ("Add", "Mul", "Sub", "Div", "Pow")
_BCODE = {op: i for i, op in enumerate(BINARY)}
I64 = 2 ** 63 - 1
#: the Math-sort constructors (what counts as an e-node)
MATH_OPS = ("Num", "Flt", "Var", "Add", "Mul", "Sub", "Div", "Pow", "Neg", "Fn1", "Fn2", "FnN",
            "Nil", "Cons")


class Encoding:
    """A hash-consed table of e-nodes built from terms (any representation).

    ``nodes[k]`` is one of ``("var", name)``, ``("num", value)`` (int/Fraction),
    ``("flt", float)``, ``(op, a, b)`` for ``op`` in ``BINARY``, ``("Neg", a)``,
    ``("Fn1", name, a)``, ``("Fn2", name, a, b)``, ``("FnN", name, list)``,
    ``("Nil",)``, ``("Cons", a, tail)``; children are row numbers.
    """

    def __init__(self) -> None:
        self.nodes: list[tuple] = []
        self._key: dict[tuple, int] = {}
        self._memo: dict[Any, int] = {}
        self.positive: set[int] = set()
        #: variable name in the e-graph -> the symbol it stands for (assumptions included)
        self.symbols: dict[str, Any] = {}
        #: row -> facts proven for it ("Real", "Nonzero", "Integer"; "Positive" is ``positive``)
        self.facts: dict[int, set] = {}
        #: pairs of rows known equal (candidate forms added beside the input)
        self.unions: list[tuple[int, int]] = []

    def call_names(self) -> set[str]:
        """Names of the functions called in the rows, and ``"Flt"`` if a float is one
        (what ``prune.relevant`` needs)."""
        out = {n[1] for n in self.nodes if n[0] in ("Fn1", "Fn2", "FnN")}
        if any(n[0] == "flt" for n in self.nodes):
            out.add("Flt")
        return out

    def _node(self, key: tuple) -> int:
        k = self._key.get(key)
        if k is None:
            k = len(self.nodes)
            self.nodes.append(key)
            self._key[key] = k
        return k

    def number(self, v: Any) -> int:
        if isinstance(v, bool):
            v = int(v)
        if isinstance(v, (int, Fraction)):
            f = Fraction(v)
            if abs(f.numerator) <= I64 and f.denominator <= I64:
                return self._node(("num", f.numerator if f.denominator == 1 else f))
            v = float(f)
        return self._node(("flt", float(v)))

    def add(self, term: Any) -> int:
        """Add ``term`` (and every subterm, once) and return its row."""
        memo = self._memo
        hit = memo.get(term)
        if hit is not None:
            return hit
        from ..terms.core import Term, children
        native = isinstance(term, Term)
        ops = None if native else term_ops(term)
        stack: list = [(term, False)]
        while stack:
            t, ready = stack.pop()
            if t in memo:
                continue
            if not ready:
                kids = children(t) if native else \
                    (ops.arguments(t) if ops.iscall(t) else ())
                if kids:
                    stack.append((t, True))
                    stack.extend((a, False) for a in kids if a not in memo)
                    continue
            memo[t] = self._native(t) if native else self._encode(t, ops)
        return memo[term]

    def _native(self, t: Any) -> int:
        """Encode a symnb node from its canonical fields (no argument sorting, no new terms)."""
        from ..terms.core import Add, Call, Mul, Number, Pow, Symbol, Term
        tt = type(t)
        memo = self._memo
        if tt is Symbol:
            return self._node(("var", self._var_name(t)))
        if tt is Number:
            return self.number(t.value)
        if tt is Pow:
            return self._node(("Pow", memo[t.base], memo[t.exp]))
        if tt is Call:
            return self._call(t.func.name, [memo[a] for a in t.args_])
        if tt is Add:
            ids = []
            # canonical order (not dict order, which depends on construction history), so
            # the order-sensitive factoring rules see the same chain every time
            for k, c in sorted(t.terms.items(), key=_by_sort_key):
                i = memo[k]
                ids.append(i if c == 1 and type(c) is not float else
                           self._node(("Mul", i, self.number(c))))
            if t.const != 0:
                ids.append(self.number(t.const))
            return self._chain("Add", ids)
        if tt is Mul:
            # numerator / denominator, as symnb.compile evaluates a product
            num: list = []
            den: list = []
            for b, e in sorted(t.factors.items(), key=_by_sort_key):
                i = memo[b]
                if isinstance(e, Term):      # a symbolic exponent
                    num.append(self._node(("Pow", i, memo[e])))
                elif e == 1 and type(e) is not float:
                    num.append(i)
                elif e == -1 and type(e) is not float:
                    den.append(i)
                elif e < 0 and type(e) is not float:
                    den.append(self._node(("Pow", i, self.number(-e))))
                else:
                    num.append(self._node(("Pow", i, self.number(e))))
            if not (t.coef == 1 and type(t.coef) is not float):
                num.append(self.number(t.coef))
            top = self._chain("Mul", num) if num else self.number(1)
            return self._node(("Div", top, self._chain("Mul", den))) if den else top
        raise TypeError(f"cannot put {t!r} into an e-graph")

    def _var_name(self, t: Any) -> str:
        """``x`` for a plain symbol, ``x#<worlds>`` for one with assumptions (a symbol
        ``x`` with assumptions is another symbol than a plain ``x``)."""
        from ..terms.assumptions import ALL
        worlds = getattr(t, "_worlds", ALL)
        name = t.name if worlds == ALL else f"{t.name}#{worlds}"
        while self.symbols.get(name, t) is not t:
            name += "'"
        self.symbols[name] = t
        return name

    def mark(self, term: Any, fact: str) -> None:
        """Declare a fact (``"Positive"``, ``"Real"``, ``"Nonzero"``, ``"Integer"``) of ``term``."""
        if fact == "Positive":
            self.positive.add(self.add(term))
        elif fact in ("Real", "Nonzero", "Integer"):
            self.facts.setdefault(self.add(term), set()).add(fact)
        else:
            raise ValueError(f"unknown e-graph fact {fact!r}; use Positive, Real, Nonzero or "
                             "Integer")

    def union(self, a: int, b: int) -> None:
        """Record that rows ``a`` and ``b`` are equal (loaded as one e-class)."""
        if a != b:
            self.unions.append((a, b))

    def commands(self, nodes: bool = True, roots: Sequence[int] | None = None) -> str:
        """egglog source adding the rows, for small encodings.

        ``roots``: the rows that must be reachable as ``(Ref k)``; every other row is
        written inside its parent (one command per root instead of one per row: egglog
        spends tens of microseconds per top-level command), except a shared subterm whose
        text is long, which gets its own ``Ref`` so the text stays linear in the rows.
        None: every row as ``(Ref k)``.  ``nodes=False``: only the unions and facts,
        after a bulk load of the rows by ``write``.
        """
        every = roots is None or not nodes
        named = set() if every else set(roots)
        uses = [0] * len(self.nodes)
        if not every:
            for n in self.nodes:
                for c in row_kids(n):
                    uses[c] += 1
        text: list = []
        out: list = []
        for k, n in enumerate(self.nodes if nodes else ()):
            t = self._node_text(n, text)
            if every or k in named or (uses[k] > 1 and len(t) > _INLINE_MAX):
                ref = "RefL" if n[0] in ("Nil", "Cons") else "Ref"
                out.append(f"(union ({ref} {k}) {t})")
                t = f"({ref} {k})"
            text.append(t)

        def row(k: int) -> str:
            return text[k] if nodes else f"(Ref {k})"
        out += [f"(union {row(a)} {row(b)})" for a, b in self.unions]
        out += [f"(Positive {row(k)})" for k in sorted(self.positive)]
        for k in sorted(self.facts):
            out += [f"({f} {row(k)})" for f in sorted(self.facts[k])]
        return "\n".join(out)

    @staticmethod
    def _node_text(n: tuple, text: list) -> str:
        """egglog text of row ``n`` whose child rows ``c`` read ``text[c]``."""
        kind = n[0]
        if kind == "var":
            return f'(Var "{_check_name(n[1])}")'
        if kind == "num":
            f = Fraction(n[1])
            return f"(Num (bigrat (bigint {f.numerator}) (bigint {f.denominator})))"
        if kind == "flt":
            r = repr(float(n[1]))
            if r in ("inf", "-inf", "nan"):
                raise ValueError(f"the number {r} cannot go into an e-graph")
            return f"(Flt {r if ('.' in r or 'e' in r) else r + '.0'})"
        if kind in _BCODE:
            return f"({kind} {text[n[1]]} {text[n[2]]})"
        if kind == "Neg":
            return f"(Neg {text[n[1]]})"
        if kind == "Fn1":
            return f'(Fn1 "{_check_name(n[1])}" {text[n[2]]})'
        if kind == "Fn2":
            return f'(Fn2 "{_check_name(n[1])}" {text[n[2]]} {text[n[3]]})'
        if kind == "FnN":
            return f'(FnN "{_check_name(n[1])}" {text[n[2]]})'
        if kind == "Nil":
            return "(Nil)"
        return f"(Cons {text[n[1]]} {text[n[2]]})"

    def _chain(self, head: str, ids: list) -> int:
        acc = ids[0]
        for i in ids[1:]:
            acc = self._node((head, acc, i))
        return acc

    def _call(self, head: str, ids: list) -> int:
        if len(ids) == 1:
            return self._node(("Fn1", head, ids[0]))
        if len(ids) == 2:
            return self._node(("Fn2", head, ids[0], ids[1]))
        lst = self._node(("Nil",))
        for i in reversed(ids):
            lst = self._node(("Cons", i, lst))
        return self._node(("FnN", head, lst))

    def _encode(self, t: Any, ops: Any) -> int:
        if ops.isnumber(t):
            return self.number(ops.numvalue(t))
        if ops.issym(t):
            return self._node(("var", ops.symname(t)))
        if not ops.iscall(t):
            try:
                return self.number(float(t))
            except (TypeError, ValueError):
                raise TypeError(f"cannot put the atom {t!r} into an e-graph") from None
        head = ops.opname(t)
        ids = [self._memo[a] for a in ops.arguments(t)]
        if head in ("Add", "Mul"):
            # numbers last: k*x*y becomes (x*y)*k, so x*y is shared by k*x*y and -k*x*y
            nodes = self.nodes
            ids = [i for i in ids if nodes[i][0] not in ("num", "flt")] + \
                [i for i in ids if nodes[i][0] in ("num", "flt")]
            acc = ids[0]
            for i in ids[1:]:
                acc = self._node((head, acc, i))
            return acc
        if head == "Pow":
            return self._node(("Pow", ids[0], ids[1]))
        return self._call(head, ids)

    def mark_positive(self, term: Any) -> None:
        """Declare ``term`` positive (enables rules such as ``log(a)+log(b) -> log(a*b)``)."""
        self.positive.add(self.add(term))

    def write(self, directory: str) -> list[str]:
        """Write the fact files into ``directory``; return the egglog commands loading them."""
        tables: dict[str, list[str]] = {}
        for k, n in enumerate(self.nodes):
            kind = n[0]
            if kind == "var":
                name, row = "TVar", f"{k}\t{_check_name(n[1])}"
            elif kind == "num":
                f = Fraction(n[1])
                name, row = "TNum", f"{k}\t{f.numerator}\t{f.denominator}"
            elif kind == "flt":
                name, row = "TFlt", f"{k}\t{n[1]!r}"
            elif kind in _BCODE:
                name, row = "T2", f"{k}\t{_BCODE[kind]}\t{n[1]}\t{n[2]}"
            elif kind == "Neg":
                name, row = "T1", f"{k}\t{n[1]}"
            elif kind == "Fn1":
                name, row = "TF1", f"{k}\t{_check_name(n[1])}\t{n[2]}"
            elif kind == "Fn2":
                name, row = "TF2", f"{k}\t{_check_name(n[1])}\t{n[2]}\t{n[3]}"
            elif kind == "FnN":
                name, row = "TFN", f"{k}\t{_check_name(n[1])}\t{n[2]}"
            elif kind == "Nil":
                name, row = "TNil", f"{k}"
            else:
                name, row = "TCons", f"{k}\t{n[1]}\t{n[2]}"
            tables.setdefault(name, []).append(row)
        if self.positive:
            tables["TPos"] = [str(k) for k in sorted(self.positive)]
        cmds = []
        for name, rows in tables.items():
            path = os.path.join(directory, f"{name}.tsv")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(rows))
                fh.write("\n")
            cmds.append(f'(input {name} "{name}.tsv")')
        return cmds


_INLINE_MAX = 120
"""A shared subterm whose egglog text is longer than this is loaded once, as a ``Ref``."""


def row_kids(n: tuple) -> tuple:
    """Child rows of an encoding row."""
    kind = n[0]
    if kind in _BCODE or kind == "Cons":
        return (n[1], n[2])
    if kind == "Neg":
        return (n[1],)
    if kind in ("Fn1", "FnN"):
        return (n[2],)
    if kind == "Fn2":
        return (n[2], n[3])
    return ()


def _check_name(s: str) -> str:
    if any(c in s for c in '\t\n\r"\\'):
        raise ValueError(f"name {s!r} cannot go into an e-graph (tab, newline, quote or backslash)")
    return s


def load(enc: Encoding) -> tuple[Any, str]:
    """A fresh egglog e-graph holding ``enc`` (imports egglog); returns ``(egraph, tmpdir)``."""
    import tempfile

    from egglog.bindings import EGraph
    d = tempfile.mkdtemp(prefix="symnb-egraph-")
    cmds = enc.write(d)
    eg = EGraph(fact_directory=d)
    eg.run_program(*eg.parse_program(SCHEMA))
    eg.run_program(*eg.parse_program("\n".join(cmds) + "\n(run load 1)"))
    return eg, d


def _function(name: str) -> Any:
    from ..terms.functions import Function, lookup_function
    try:
        return lookup_function(name)
    except KeyError:
        return Function(name)


def decode_node(node: tuple, kids: Sequence[Any], symbols: Any = None) -> Any:
    """The symnb term of an e-node whose child classes decode to ``kids``.

    ``node`` is an ``Encoding`` row or an extracted e-node ``(op, payload...)``
    whose children are replaced by ``kids`` in order.  ``symbols``: the encoding's
    name -> symbol table (``Encoding.symbols``), which brings back the symbols with
    their assumptions; a name missing from it becomes a plain ``Symbol``.
    """
    from ..terms.core import Number, Symbol
    kind = node[0]
    if kind == "var":
        if symbols:
            s = symbols.get(node[1])
            if s is not None:
                return s
        return Symbol(node[1])
    if kind in ("num", "flt"):
        return Number(node[1])
    if kind == "Add":
        return kids[0] + kids[1]
    if kind == "Mul":
        return kids[0] * kids[1]
    if kind == "Sub":
        return kids[0] - kids[1]
    if kind == "Div":
        return kids[0] / kids[1]
    if kind == "Pow":
        return kids[0] ** kids[1]
    if kind == "Neg":
        return -kids[0]
    if kind in ("Fn1", "Fn2"):
        return _function(node[1])(*kids)
    if kind == "FnN":
        return _function(node[1])(*kids[0])
    if kind == "Nil":
        return ()
    if kind == "Cons":
        return (kids[0],) + tuple(kids[1])
    raise ValueError(f"unknown e-node kind {kind!r}")


def _by_sort_key(item: tuple) -> tuple:
    from ..terms.order import sort_key
    return sort_key(item[0])
