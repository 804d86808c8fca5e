"""The compiler's intermediate forms: one named tuple per kind of node.

Three lists hold nodes, and each node refers to others by position in its list:

* ``IR.nodes`` (``ssa.py``): the hash-consed numeric DAG lowered from terms, with
  leaves ``In`` (an input), ``Const`` and ``Missing`` (a symbol not in ``args``);
* a group's *shape* (``shapes.Canon.serialize``): a local DAG whose leaves are
  slots, ``InSlot`` and ``ConstSlot``, and whose ``Lin``/``Prod`` coefficients are
  float-slot numbers (the values live in each member's tables);
* the printer's entries (``codegen.print_dag``): leaves ``Leaf`` (source text),
  coefficients floats or source text, and ``Recip`` for a hoisted ``1.0 / d``.

The operations ``Lin``, ``Prod``, ``Pow`` and ``Call`` have one layout in all
three.  Hot loops (lowering, shape keys, walks) dispatch on ``type(n) is Lin``:
on Python 3.11 a ``match`` on class patterns costs about 0.5 us per node, five
times the test.  Named tuples compare as plain tuples (``In(0, 1) == Pow(0, 1)``),
so where nodes of several kinds are hashed together, as in ``IR``'s interning and
a group's shape, the key is the node's *flat key* ``(type, *fields)``
(``flat_key``), which is also cheaper to build than the node (``from_flat``).

>>> n = Lin(0.5, (2.0, -1.0), (3, 4))
>>> n.const, list(zip(n.coefs, n.children)), children(n), node_ops(n)
(0.5, [(2.0, 3), (-1.0, 4)], (3, 4), 3)
>>> In(0, 1) == Pow(0, 1), flat_key(In(0, 1)) == flat_key(Pow(0, 1))
(True, False)
>>> from_flat(flat_key(n)) == n
True
"""
from __future__ import annotations

from typing import Any, NamedTuple, Union

__all__ = ["In", "Const", "Missing", "Lin", "Prod", "Pow", "Call", "InSlot", "ConstSlot",
           "Leaf", "Recip", "Node", "flat_key", "from_flat", "children", "node_ops"]


class In(NamedTuple):
    """Element ``elem`` of argument ``argpos`` (``elem`` -1: the argument is a scalar)."""
    argpos: int
    elem: int


class Const(NamedTuple):
    """A float constant."""
    value: float


class Missing(NamedTuple):
    """A free symbol that is not among the arguments (lowering reports it)."""
    name: str


class Lin(NamedTuple):
    """``const + sum(coefs[k] * children[k])``."""
    const: Any
    coefs: tuple
    children: tuple


class Prod(NamedTuple):
    """``coef * prod(numer) / prod(denom)``."""
    coef: Any
    numer: tuple
    denom: tuple


class Pow(NamedTuple):
    """``base ** exp`` (a general power; integer and half-integer ones become products)."""
    base: int
    exp: int


class Call(NamedTuple):
    """``name(*args)``: a function call."""
    name: str
    args: tuple


class InSlot(NamedTuple):
    """In a shape: an element of argument ``argpos`` read from integer slot ``slot``
    of each member (-1: a scalar argument, no slot)."""
    argpos: int
    slot: int


class ConstSlot(NamedTuple):
    """In a shape: the constant in float slot ``slot`` of each member."""
    slot: int


class Leaf(NamedTuple):
    """In the printer: source text with its precedence (3 atom, 2 power, 1 product, 0 sum)."""
    text: str
    prec: int


class Recip(NamedTuple):
    """In the printer: ``1.0 / ref``, a denominator shared by several products."""
    ref: int


Node = Union[In, Const, Missing, Lin, Prod, Pow, Call, InSlot, ConstSlot, Leaf, Recip]


def flat_key(n: Node) -> tuple:
    """``(type(n), *n)``: a hashable key that tells kinds apart."""
    return (type(n), *n)


def from_flat(key: tuple) -> Node:
    """The node of a flat key (``flat_key``'s inverse)."""
    return key[0](*key[1:])


def children(n: Node) -> tuple:
    """The positions ``n`` refers to, in order."""
    t = type(n)
    if t is Prod:
        return n.numer + n.denom
    if t is Lin:
        return n.children
    if t is In or t is Const:
        return ()
    if t is Pow:
        return (n.base, n.exp)
    if t is Call:
        return n.args
    if t is Recip:
        return (n.ref,)
    return ()


def node_ops(n: Node) -> int:
    """Arithmetic operations to evaluate ``n`` once its children are known."""
    t = type(n)
    if t is Lin:
        return len(n.children) - 1 + (n.const != 0.0) + \
            sum(1 for c in n.coefs if c not in (1.0, -1.0))
    if t is Prod:
        return len(n.numer) + len(n.denom) - 1 + (n.coef != 1.0)
    return 1 if t is Pow or t is Call or t is Recip else 0
