"""Notebook display: the DAG/e-graph payload, its SVG fallback, views and widgets.

Result types below ``display`` build no HTML: their renderers live here, one module per
family, and are registered by class name (``register``; see :mod:`symnb.reprs`).
``application/vnd.symnb.dag+json`` is documented in :mod:`symnb.display.dag`;
the JupyterLab renderer lives in ``labextension/``.  Nothing heavy is imported here.

>>> from symnb import symbols
>>> from symnb.display import dag, MIME_TYPE
>>> x, y = symbols("x y")
>>> MIME_TYPE in dag(x * y + x)._repr_mimebundle_()
True
"""
from __future__ import annotations

from ..reprs import Renderer, register, unregister
from .dag import (MIME_TYPE, OPTIONS, SCHEMA_VERSION, DisplayOptions, PayloadError, dag_payload,
                  egraph_payload, truncate_payload, validate_payload)
from .live import live_solve
from .reports import SolveReport
from .view import DagView, dag, egraph_view, step_view
from .widgets import progress

__all__ = ["MIME_TYPE", "SCHEMA_VERSION", "OPTIONS", "DisplayOptions", "PayloadError",
           "dag_payload", "egraph_payload", "truncate_payload", "validate_payload", "DagView",
           "dag", "egraph_view", "step_view", "payload_svg", "progress", "live_solve",
           "SolveReport", "register", "unregister", "Renderer"]


def payload_svg(payload: dict) -> str:
    """SVG drawing of a payload (see :mod:`symnb.display.svg`)."""
    from .svg import payload_svg as _svg
    return _svg(payload)
