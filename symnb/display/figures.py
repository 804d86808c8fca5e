"""Plotly figures in MIME bundles: the ``application/vnd.plotly.v1+json`` data of a figure.

>>> import plotly.graph_objects as go
>>> sorted(plotly_json(go.Figure(go.Bar(x=[1], y=[2]))))
['data', 'layout']
"""
from __future__ import annotations

from typing import Any

__all__ = ["PLOTLY_MIME", "plotly_json"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def plotly_json(fig: Any) -> dict:
    """The figure as the JSON-able dict a notebook stores under ``PLOTLY_MIME``."""
    import json

    import plotly.io as pio
    return json.loads(pio.to_json(fig, validate=False))
