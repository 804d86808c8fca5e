"""Turn a benchmark statement such as ``f(x, 2.0)`` into a callable without eval/exec.

``%bench`` times calls the user names; the text is parsed with :mod:`ast` and
only names, attribute access (no dunders), calls, literals, tuples/lists,
unary minus and subscripts are accepted — anything else is refused with a
clear message.  Sub-expressions without calls are evaluated once, up front,
so the timed work is the call itself (as in ``%timeit f(x)``).

>>> import math
>>> fn = call_from_text("math.hypot(3.0, -4.0)", {"math": math})
>>> fn()
5.0
>>> call_from_text("__import__('os')", {})
Traceback (most recent call last):
  ...
ValueError: name '__import__' is not defined in the notebook
"""
from __future__ import annotations

import ast
import builtins
from typing import Any, Callable, Mapping

__all__ = ["call_from_text"]

_SAFE_BUILTINS = {n: getattr(builtins, n) for n in (
    "abs", "all", "any", "dict", "divmod", "float", "int", "len", "list", "max", "min",
    "pow", "range", "round", "sorted", "sum", "tuple", "zip", "map", "filter", "reversed",
    "enumerate", "set", "frozenset", "complex", "bool", "str")}


class _Const:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def call_from_text(text: str, namespace: Mapping[str, Any]) -> Callable[[], Any]:
    """A zero-argument callable that evaluates ``text`` (a call expression) in ``namespace``."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        raise ValueError(f"{text.strip()!r} is not a valid expression: {e.msg}") from None
    node = _build(tree.body, namespace, text)
    if isinstance(node, _Const):
        value = node.value
        return lambda: value
    return node


def _refuse(what: str, text: str) -> ValueError:
    return ValueError(f"{what} is not allowed in a benchmark statement ({text.strip()!r}); "
                      "use calls of notebook names such as f(x, 2.0), or %timeit for "
                      "arbitrary code")


def _build(n: ast.AST, ns: Mapping[str, Any], text: str) -> Any:
    """A ``_Const`` for call-free sub-expressions, else a closure evaluating ``n``."""
    if isinstance(n, ast.Constant):
        return _Const(n.value)
    if isinstance(n, ast.Name):
        if n.id in ns:
            return _Const(ns[n.id])
        if n.id in _SAFE_BUILTINS:
            return _Const(_SAFE_BUILTINS[n.id])
        raise ValueError(f"name {n.id!r} is not defined in the notebook")
    if isinstance(n, ast.Attribute):
        if n.attr.startswith("_"):
            raise _refuse(f"private attribute {n.attr!r}", text)
        base = _build(n.value, ns, text)
        attr = n.attr
        if isinstance(base, _Const):
            try:
                return _Const(getattr(base.value, attr))
            except AttributeError:
                raise ValueError(f"{type(base.value).__name__} has no attribute {attr!r}") \
                    from None
        return lambda: getattr(base(), attr)
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        inner = _build(n.operand, ns, text)
        sign = -1 if isinstance(n.op, ast.USub) else 1
        if isinstance(inner, _Const):
            return _Const(-inner.value if sign < 0 else +inner.value)
        return (lambda: -inner()) if sign < 0 else inner
    if isinstance(n, (ast.Tuple, ast.List)):
        parts = [_build(e, ns, text) for e in n.elts]
        make = tuple if isinstance(n, ast.Tuple) else list
        if all(isinstance(p, _Const) for p in parts):
            return _Const(make(p.value for p in parts))
        return lambda: make(p.value if isinstance(p, _Const) else p() for p in parts)
    if isinstance(n, ast.Subscript):
        base = _build(n.value, ns, text)
        index = _build(n.slice, ns, text) if not isinstance(n.slice, ast.Slice) else \
            _slice(n.slice, ns, text)
        if isinstance(base, _Const) and isinstance(index, _Const):
            return _Const(base.value[index.value])
        get_b = (lambda: base.value) if isinstance(base, _Const) else base
        get_i = (lambda: index.value) if isinstance(index, _Const) else index
        return lambda: get_b()[get_i()]
    if isinstance(n, ast.Call):
        if any(isinstance(a, ast.Starred) for a in n.args) or any(k.arg is None
                                                                    for k in n.keywords):
            raise _refuse("*args/**kwargs unpacking", text)
        func = _build(n.func, ns, text)
        args = [_build(a, ns, text) for a in n.args]
        kws = {k.arg: _build(k.value, ns, text) for k in n.keywords}
        if isinstance(func, _Const) and not callable(func.value):
            raise ValueError(f"{ast.unparse(n.func)!r} is not callable")
        if all(isinstance(a, _Const) for a in args) and \
                all(isinstance(v, _Const) for v in kws.values()) and isinstance(func, _Const):
            f = func.value
            av = tuple(a.value for a in args)
            kv = {k: v.value for k, v in kws.items()}
            if kv:
                return lambda: f(*av, **kv)
            return lambda: f(*av)

        def call() -> Any:
            f = func.value if isinstance(func, _Const) else func()
            return f(*[a.value if isinstance(a, _Const) else a() for a in args],
                     **{k: v.value if isinstance(v, _Const) else v() for k, v in kws.items()})
        return call
    raise _refuse(type(n).__name__, text)


def _slice(s: ast.Slice, ns: Mapping[str, Any], text: str) -> Any:
    parts = [None if p is None else _build(p, ns, text) for p in (s.lower, s.upper, s.step)]
    if any(p is not None and not isinstance(p, _Const) for p in parts):
        raise _refuse("a slice with calls", text)
    return _Const(slice(*[None if p is None else p.value for p in parts]))
