"""Compile term DAGs to fast, readable numba code (``symnb.compile``).

Term DAG -> IR with CSE (``ssa``) -> shape groups re-rolled into loops over
index tables (``shapes``) -> Python source (``codegen``) -> numba / python /
numpy (``backends``) -> ``Compiled`` (callable, ``.source``, ``.stats``).
numba itself is imported on the first numba compile, not here.

>>> from symnb.terms import symbols
>>> from symnb.compiler import compile
>>> x, y = symbols("x y")
>>> f = compile(x / y, args=[x, y], backend="python")
>>> f(1.0, 0.0), f(0.0, 0.0) != f(0.0, 0.0)
(inf, True)
"""
from __future__ import annotations

from .api import compile, compile_array, entry_name
from .compiled import Compiled
from .errors import CompileError
from .jacobian import SymbolicJacobian, jacobian

__all__ = ["compile", "compile_array", "entry_name", "jacobian", "SymbolicJacobian", "Compiled",
           "CompileError"]
