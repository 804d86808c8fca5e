"""Terms as a flat node table: the exact, structural form that pickling and workers use.

``pack(roots)`` lists every distinct node once, children before parents, as plain
tuples; ``unpack`` rebuilds them through the interning constructors, so in the
same process the rebuilt terms *are* the originals (``is``), and elsewhere they
are the same canonical nodes.  Nothing is printed or parsed: two symbols that
share a name but not their assumptions stay apart, any symbol name travels,
numbers keep their type and value exactly (huge ints, ``Fraction``, ``nan``,
``inf``), and neither direction recurses, so depth is not limited.

Entries (``i``: an index into the table):

* a ``Symbol`` itself (it pickles as its name and assumptions, and pickle stores
  it once per dump, however many tables hold it);
* ``("n", value)``: a number;
* ``("+", const, (i, ...), (coef, ...))``: a sum;
* ``("*", coef, (i, ...), (exp, ...), (k, ...))``: a product; the exponents at the
  positions ``k`` are indices of term exponents, the others are numbers;
  ``("*", coef, (i, ...))`` when every exponent is 1 (mass action);
* ``("^", i_base, i_exp)``: a power;
* ``("()", function, (i, ...))``: a call.

>>> from symnb.terms import symbols, sin
>>> x, xp = symbols("x"), symbols("x", positive=True)
>>> table, roots = pack([x + xp, sin(xp) ** x])
>>> [e[0] if type(e) is tuple else e for e in table], roots
([x, x, '+', '()', '^'], [2, 4])
>>> rebuilt = unpack(table, roots)
>>> rebuilt[0] is x + xp, rebuilt[1] is sin(xp) ** x
(True, True)
"""
from __future__ import annotations

from typing import Any, Sequence

from .core import (Add, Call, Mul, Number, Pow, Symbol, Term, _intern_add, _intern_mul,
                   _intern_pow, _number, children, intern_call)

__all__ = ["pack", "unpack", "from_table"]


def _entry(node: Term, index: dict) -> tuple:
    tt = type(node)
    if tt is Add:
        d = node.terms
        return ("+", node.const, tuple([index[k] for k in d]), tuple(d.values()))
    if tt is Mul:
        d = node.factors
        bases = tuple([index[b] for b in d])
        exps = tuple(d.values())
        if all(type(e) is int and e == 1 for e in exps):   # not 1.0: a float exponent stays
            return ("*", node.coef, bases)
        marks = tuple([k for k, e in enumerate(exps) if isinstance(e, Term)])
        if marks:
            exps = tuple([index[e] if isinstance(e, Term) else e for e in exps])
        return ("*", node.coef, bases, exps, marks)
    if tt is Symbol:
        return node
    if tt is Number:
        return ("n", node.value)
    if tt is Pow:
        return ("^", index[node.base], index[node.exp])
    if tt is Call:
        return ("()", node.func, tuple([index[a] for a in node.args_]))
    raise TypeError(f"cannot pack a {tt.__name__}: only native symnb terms have a node table")


def pack(roots: Sequence[Term]) -> tuple[list, list]:
    """``(table, root indices)`` of ``roots``: each distinct node once, children first.

    >>> from symnb.terms import symbols
    >>> x = symbols("x")
    >>> pack([2 * x, x])
    ([x, ('*', 2, (0,))], [1, 0])
    """
    index: dict = {}
    table: list = []
    for root in roots:
        stack = [root]
        while stack:
            node = stack[-1]
            if node in index:
                stack.pop()
                continue
            pending = [c for c in children(node) if c not in index]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            index[node] = len(table)
            table.append(_entry(node, index))
    return table, [index[r] for r in roots]


def unpack(table: Sequence[tuple], roots: Sequence[int]) -> list:
    """The terms at ``roots`` of a table made by ``pack`` (rebuilt once each, interned)."""
    built: list = []
    push = built.append
    for e in table:
        if type(e) is Symbol:
            push(e)
            continue
        kind = e[0]
        if kind == "+":
            push(_intern_add(e[1], dict(zip([built[i] for i in e[2]], e[3]))))
        elif kind == "*":
            if len(e) == 3:
                push(_intern_mul(e[1], dict.fromkeys([built[i] for i in e[2]], 1)))
                continue
            exps = e[3]
            if e[4]:
                exps = list(exps)
                for k in e[4]:
                    exps[k] = built[exps[k]]
            push(_intern_mul(e[1], dict(zip([built[i] for i in e[2]], exps))))
        elif kind == "n":
            push(_number(e[1]))
        elif kind == "^":
            push(_intern_pow(built[e[1]], built[e[2]]))
        elif kind == "()":
            push(intern_call(e[1], tuple([built[i] for i in e[2]])))
        else:
            raise ValueError(f"node table entry {len(built)} has unknown kind {kind!r}; "
                             "make tables with symnb.terms.nodetable.pack")
    return [built[i] for i in roots]


def from_table(table: Sequence[tuple]) -> Any:
    """The term a one-root table describes (its last entry): what unpickling a term calls."""
    return unpack(table, [len(table) - 1])[0]
