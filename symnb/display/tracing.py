"""Notebook cards of the tracing layer: ``Traced`` (shapes, DAG size, first outputs) and
``SymArray`` (shape and the first 20 entries).

>>> import numpy as np
>>> from symnb.tracing import trace
>>> tr = trace(lambda u: np.sin(u) * 2, ("u", 3))
>>> "output shape (3,), inputs (3,), DAG nodes 9" in traced_html(tr)
True
>>> symarray_html(tr.outputs)
"<div class='symnb-symarray'><b>SymArray</b> shape (3,): 2*sin(u[0]), 2*sin(u[1]), 2*sin(u[2])</div>"
"""
from __future__ import annotations

import html
from typing import Any

from ..reprs import Renderer

__all__ = ["traced_html", "symarray_html", "TRACED", "SYMARRAY"]


def traced_html(tr: Any) -> str:
    """Name, output and input shapes, DAG nodes, tracing time, the first four outputs."""
    ex = ", ".join(str(t) for t in tr.terms[:4])
    return (f"<div class='symnb-traced'><b>Traced</b> <code>{html.escape(tr.name)}</code>: "
            f"output shape {tr.shape}, inputs "
            f"{html.escape(', '.join(str(i.shape) for i in tr.inputs))}, DAG nodes "
            f"{tr.dag_nodes()}, traced in {tr.seconds:.3f} s<br><small>{html.escape(ex)}"
            f"{' …' if tr.outputs.size > 4 else ''}</small></div>")


def symarray_html(a: Any) -> str:
    """Shape and the first 20 entries."""
    items = a.terms[:20]
    more = f" … ({a.size - 20} more)" if a.size > 20 else ""
    return (f"<div class='symnb-symarray'><b>SymArray</b> shape {a.shape}: "
            + html.escape(", ".join(str(t) for t in items)) + html.escape(more) + "</div>")


TRACED = Renderer(html=traced_html)
SYMARRAY = Renderer(html=symarray_html)
