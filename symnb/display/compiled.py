"""The notebook view of a ``Compiled`` function: its statistics and generated source.

>>> from symnb.terms import symbols
>>> from symnb.compiler import compile
>>> x, y = symbols("x y")
>>> f = compile(x * y + 1, args=[x, y], backend="python")
>>> "def f(x, y)" in COMPILED.html(f), sorted(COMPILED.mimebundle(f))
(True, ['text/html', 'text/plain'])
"""
from __future__ import annotations

import html
from typing import Any

from ..reprs import Renderer
from .tables import kv_rows

__all__ = ["compiled_html", "COMPILED"]


def compiled_html(f: Any) -> str:
    """The ``summary()`` rows and the generated source (first 400 lines, folded)."""
    rows = kv_rows(f.summary())
    src = f.source
    lines = src.splitlines()
    if len(lines) > 400:
        src = "\n".join(lines[:400]) + f"\n# ... {len(lines) - 400} more lines"
    return ("<div class='symnb-compiled'><table>" + rows + "</table>"
            "<details><summary>generated source "
            f"({len(lines)} lines)</summary><pre>" + html.escape(src) + "</pre></details></div>")


COMPILED = Renderer(html=compiled_html)
