"""Tracing numpy code into symbolic form (``symnb.trace``).

``sym_array`` gives arrays of symbols that ordinary numpy code runs on;
``trace`` runs a function on them and returns the output terms;
``jacobian_sparsity`` / ``jacobian`` give the structure and the derivative.

>>> import numpy as np
>>> u = sym_array("u", 2)
>>> str(np.sin(u[0]) * u[1])
'u[1]*sin(u[0])'
"""
from __future__ import annotations

from .api import Traced, flat_symbols, flat_terms, jacobian, jacobian_sparsity, trace
from .errors import TraceError
from .symarray import SymArray, as_terms, sym_array

__all__ = ["sym_array", "SymArray", "trace", "Traced", "TraceError", "jacobian_sparsity",
           "jacobian", "flat_terms", "flat_symbols", "as_terms"]
