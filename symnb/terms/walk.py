"""One iterative depth-first walk for any DAG: children before parents, no recursion.

Used wherever a graph that is not a native term is walked (terms of other
representations, the compiler's IR, display payloads); native terms use the
specialised ``core.postorder``.

>>> graph = {"a": ["b", "c"], "b": ["c"], "c": []}
>>> postorder_from(["a"], graph.__getitem__)
['c', 'b', 'a']
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

__all__ = ["postorder_from", "fold_postorder"]


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


def fold_postorder(root: Any, children: Callable[[Any], Sequence[Any]],
                   build: Callable[[Any, list], Any]) -> Any:
    """``build(node, results of its children)`` once per distinct node, children first;
    returns the root's result (how a term of another representation is converted).

    >>> graph = {"a": ["b", "c"], "b": ["c"], "c": []}
    >>> fold_postorder("a", graph.__getitem__, lambda n, kids: n + "".join(kids))
    'abcc'
    """
    memo: dict = {}
    for node in postorder_from((root,), children):
        memo[node] = build(node, [memo[a] for a in children(node)])
    return memo[root]
