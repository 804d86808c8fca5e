"""Algorithms written once against the term interface; they run unchanged on
symnb, sympy and symengine terms.

>>> from symnb.terms.core import Symbol
>>> x, y = Symbol("x"), Symbol("y")
>>> e = (x + y) * (x + y + 1)
>>> count_nodes(e), count_nodes(e, dag=True)
(8, 6)
>>> to_string(substitute(e, {y: x}))
'2*x*(1 + 2*x)'
"""
from __future__ import annotations

from typing import Any, Mapping

from .interface import arguments, iscall, maketerm, operation
from .printing import to_str
from .walk import postorder_from

__all__ = ["count_nodes", "substitute", "to_string", "walk_postorder"]


def walk_postorder(t: Any) -> list:
    """Distinct sub-terms of ``t`` (any representation), children before parents."""
    return postorder_from((t,), lambda n: arguments(n) if iscall(n) else ())


def count_nodes(t: Any, dag: bool = False) -> int:
    """Number of nodes in the tree of ``t`` (``dag=True``: distinct nodes only)."""
    order = walk_postorder(t)
    if dag:
        return len(order)
    size: dict = {}
    for node in order:
        size[node] = 1 + (sum(size[a] for a in arguments(node)) if iscall(node) else 0)
    return size[t]


def substitute(t: Any, mapping: Mapping) -> Any:
    """Replace sub-terms by ``mapping`` simultaneously, rebuilding with ``maketerm``."""
    memo: dict = {}
    for node in walk_postorder(t):
        hit = mapping.get(node)
        if hit is not None:
            memo[node] = hit
        elif iscall(node):
            old = arguments(node)
            new = [memo[a] for a in old]
            memo[node] = node if all(a is b for a, b in zip(old, new)) else \
                maketerm(operation(node), new)
        else:
            memo[node] = node
    return memo[t]


def to_string(t: Any) -> str:
    """Text of ``t`` in symnb's syntax, for any representation."""
    return to_str(t)
