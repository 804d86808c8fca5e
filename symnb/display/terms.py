"""The notebook bundle of a term: text and LaTeX, plus (for compound terms) the DAG
payload ``application/vnd.symnb.dag+json`` and its SVG drawing.

Switch the graph parts off with ``OPTIONS.term_graphs = False``.

>>> from symnb import symbols, sin
>>> x, y = symbols("x y")
>>> sorted(TERM.mimebundle(sin(x) * y))
['application/vnd.symnb.dag+json', 'image/svg+xml', 'text/latex', 'text/plain']
>>> sorted(TERM.mimebundle(x))
['text/latex', 'text/plain']
"""
from __future__ import annotations

from typing import Any

from ..reprs import Renderer
from ..terms.printing import mimebundle
from .dag import term_bundle_parts

__all__ = ["term_bundle", "TERM"]


def term_bundle(t: Any) -> dict:
    """``text/plain`` and ``text/latex``, then the DAG payload and SVG of a compound term."""
    bundle = mimebundle(t)
    bundle.update(term_bundle_parts(t))
    return bundle


TERM = Renderer(bundle=term_bundle)
"""The renderer of ``symnb.terms.core.Term``."""
