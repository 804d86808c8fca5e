"""``Compiled``: a compiled function with its source and statistics (and a rich repr).

>>> from symnb.terms import symbols
>>> from symnb.compiler import compile
>>> x, y = symbols("x y")
>>> f = compile(x * y + 1, args=[x, y], backend="python", name="h")
>>> f(2.0, 3.0), f(y=3.0, x=2.0), f.signature
(7.0, 7.0, 'h(x, y) -> float')
>>> f(2.0)
Traceback (most recent call last):
  ...
TypeError: h() missing a required argument: 'y'

>>> f.stats["form"], f.stats["backend"]
('scalar', 'python')
>>> "text/html" in f._repr_mimebundle_()
True
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..reprs import RenderedHTML

__all__ = ["Compiled"]


class Compiled(RenderedHTML):
    """A compiled expression: call it like the function it is.

    Attributes: ``source`` (the generated Python, exactly what the backend
    ran), ``stats`` (ops before/after CSE, seconds, form, backend, loops),
    ``form``, ``backend``, ``func`` (the raw numba dispatcher or Python
    function, for the lowest call overhead; a ``functools.partial`` binding the
    dispatcher's leading table arguments when the tables are big, see
    ``symnb.compiler.table_args``), ``shape`` (array forms) and
    ``pattern`` (a scipy CSR sparsity pattern, sparse Jacobians).
    """

    def __init__(self, func: Callable, source: str, stats: dict, *, py_func: Callable | None = None,
                 shape: tuple | None = None, pattern: Any = None, wrapper: Callable | None = None,
                 argnames: tuple = (), name: str = "f") -> None:
        self.func = func
        self.py_func = py_func
        self.source = source
        self.stats = stats
        self.shape = shape
        self.pattern = pattern
        self.argnames = argnames
        self.name = name
        self._call = call = wrapper if wrapper is not None else func
        # ``f(...)`` goes straight to the function: each instance gets a subclass whose
        # ``__call__`` *is* it (forwarding ``*args`` in Python cost ~0.05 us per call,
        # 1.5% of egfr_net's RHS)
        cls = type(self)
        self.__class__ = type(cls.__name__, (cls,), {"__call__": staticmethod(call),
                                                     "__module__": cls.__module__,
                                                     "__qualname__": cls.__qualname__})

    @property
    def signature(self) -> str:
        """How to call it: ``"h(x, y) -> float"`` (in-place forms take ``out`` first)."""
        args = ", ".join((("out",) if self.form == "in-place" else ()) + tuple(self.argnames))
        if self.form == "in-place":
            ret = "None (fills out)"
        elif self.shape is not None:
            ret = f"ndarray{self.shape}"
        elif self.form == "vectorized":
            ret = "float | ndarray"
        else:
            ret = "float"
        return f"{self.name}({args}) -> {ret}"

    @property
    def form(self) -> str:
        return self.stats["form"]

    @property
    def backend(self) -> str:
        return self.stats["backend"]

    def __call__(self, *args: Any) -> Any:
        return self._call(*args)

    def csr(self, values: np.ndarray) -> Any:
        """A ``scipy.sparse.csr_matrix`` with this Jacobian's pattern and ``values``."""
        if self.pattern is None:
            raise ValueError("csr() needs a sparse Jacobian (compile it with sparse=True)")
        import scipy.sparse as sp
        p = self.pattern
        return sp.csr_matrix((values, p.indices, p.indptr), shape=p.shape)

    # ----- display (the notebook view is symnb.display.compiled) ---------------
    def summary(self) -> list[tuple[str, str]]:
        """``(label, value)`` rows: form, backend, ops before/after CSE, loops, seconds."""
        s = self.stats
        rows = [("call", self.signature), ("form", s.get("form", "")),
                ("backend", s.get("backend", ""))]
        if "outputs" in s:
            rows.append(("outputs", str(s["outputs"])))
        rows.append(("ops (tree → after CSE)", f"{s.get('ops_tree', '?')} → {s.get('ops_cse', '?')}"))
        if s.get("loops") is not None:
            rows.append(("loops / looped outputs", f"{s['loops']} / {s.get('looped_outputs', 0)}"))
            rows.append(("straight-line outputs / chunks",
                         f"{s.get('straight_line_outputs', 0)} / {s.get('chunks', 0)}"))
        rows.append(("lowering + codegen", f"{s.get('codegen_seconds', 0.0):.3f} s"))
        rows.append(("backend compile", f"{s.get('compile_seconds', 0.0):.3f} s"))
        if s.get("cache"):
            rows.append(("cache", str(s["cache"])))
        if s.get("lowering_cache", "off") != "off":
            rows.append(("lowering cache", str(s["lowering_cache"])))
        return rows

    def __repr__(self) -> str:
        s = self.stats
        return (f"<Compiled {self.signature} {s.get('form')} [{s.get('backend')}] "
                f"ops {s.get('ops_tree')}→{s.get('ops_cse')}, "
                f"compile {s.get('compile_seconds', 0.0):.2f} s>")
