"""Wrong calls of compiled functions name what is missing, in notebooks.

A numba-compiled ``Compiled`` is called straight through numba's dispatcher (no Python
frame in between: the fast path), whose arity error says only ``not enough arguments:
expected 2, got 1``.  With the extension loaded, IPython's custom exception hook rewrites
that message when the failing call is of a ``Compiled``: ``h() missing y (call it as
h(x, y) -> float)``.  Other errors are shown unchanged; a handler the user set is kept.

>>> import symnb
>>> x, y = symnb.symbols("x y")
>>> h = symnb.compile(y - x, [x, y], name="h")
>>> try:
...     h(1.0)
... except TypeError as e:
...     print(explain(e, e.__traceback__))
h() missing y (call it as h(x, y) -> float)
"""
from __future__ import annotations

import ast
import linecache
import re
import sys
from typing import Any

__all__ = ["explain", "install"]

_ARITY = re.compile(r"^(not enough|too many) arguments: expected (\d+), got (\d+)$")


def _called(tb: Any) -> tuple[str, Any, ast.Call] | None:
    """The name, object and call node of the call that failed in ``tb``'s last frame."""
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame, code = tb.tb_frame, tb.tb_frame.f_code
    try:
        line, end, col, end_col = list(code.co_positions())[tb.tb_lasti // 2]
    except (AttributeError, IndexError, ValueError):
        return None
    if line is None or line != end or col is None or end_col is None:
        return None
    text = linecache.getline(code.co_filename, line, frame.f_globals)[col:end_col]
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    name = node.func.id
    scope = frame.f_locals if name in frame.f_locals else frame.f_globals
    if name not in scope:
        return None
    return name, scope[name], node


def explain(exc: BaseException, tb: Any) -> str | None:
    """The clearer message for numba's arity error on a ``Compiled`` call, else None."""
    m = _ARITY.match(str(exc))
    mod = sys.modules.get("symnb.compiler.compiled")
    if m is None or mod is None or tb is None:
        return None
    found = _called(tb)
    if found is None or not isinstance(found[1], mod.Compiled):
        return None
    name, f, _ = found
    params = (("out",) if f.form == "in-place" else ()) + tuple(f.argnames)
    got = int(m.group(3))
    if m.group(1) == "not enough":
        return f"{name}() missing {', '.join(params[got:])} (call it as {f.signature})"
    return f"{name}() takes {len(params)} arguments, got {got} (call it as {f.signature})"


def _handler(shell: Any, etype: type, value: BaseException, tb: Any,
             tb_offset: int | None = None) -> None:
    msg = explain(value, tb)
    if msg is not None:
        value.args = (msg,)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install(shell: Any) -> None:
    """Register the hook for ``TypeError`` unless a custom handler is already set."""
    if not shell.custom_exceptions:
        shell.set_custom_exc((TypeError,), _handler)
