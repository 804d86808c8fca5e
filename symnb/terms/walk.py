"""One iterative depth-first walk for any DAG: children before parents, no recursion.

Used wherever a graph that is not a native term is walked (terms of other
representations, the compiler's IR, display payloads); native terms use the
specialised ``core.postorder``.

>>> graph = {"a": ["b", "c"], "b": ["c"], "c": []}
>>> postorder_from(["a"], graph.__getitem__)
['c', 'b', 'a']
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

__all__ = ["postorder_from"]


def postorder_from(roots: Iterable[Any], children: Callable[[Any], Iterable[Any]]) -> list:
    """Distinct nodes reachable from ``roots`` (hashable), each after all its children."""
    seen: set = set()
    order: list = []
    for r in roots:
        if r in seen:
            continue
        stack: list = [(r, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            for ch in children(node):
                if ch not in seen:
                    stack.append((ch, False))
    return order
