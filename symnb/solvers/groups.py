"""One run of a sequence: solve systems in order, carrying GCRO-DR's recycled subspace.

``sequence`` (in-process) and ``distributed`` (dask workers) both call
:func:`solve_group`; it lives here so that neither imports the other's internals.

>>> from symnb.solvers.problems import darcy_sequence
>>> out = solve_group(darcy_sequence(2, 8), "gcrodr", True, {"m": 10, "k": 4, "tol": 1e-8})
>>> [r.converged for r in out], out[1].recycle is not None
([True, True], True)
"""
from __future__ import annotations

from typing import Callable

from .auto import RECYCLED, solve_recycled
from .gcrodr import gcrodr
from .krylov import cg, gmres, pcg
from .problems import LinearSystem
from .result import SolveResult
from .sor import sor, ssor

__all__ = ["METHODS", "solve_group"]

METHODS: dict[str, Callable[..., SolveResult]] = {
    "gcrodr": gcrodr, "gmres": gmres, "cg": cg, "pcg": pcg, "sor": sor, "ssor": ssor, **RECYCLED,
}
"""Solver name -> solver function, for sequences."""


def solve_group(systems: list[LinearSystem], method: str, recycle: bool, kw: dict) -> list[SolveResult]:
    """Solve ``systems`` in the given order, carrying GCRO-DR's subspace if ``recycle``
    (recycled CG/MINRES and carried preconditioners go through ``auto.solve_recycled``)."""
    if method in RECYCLED or "precond" in kw:
        return solve_recycled(systems, method, recycle, kw)
    solver = METHODS[method]
    out, space = [], None
    for s in systems:
        if method == "gcrodr":
            res = solver(s.A, s.b, recycle=space if recycle else None, **kw)
            space = res.recycle
        else:
            res = solver(s.A, s.b, **kw)
        out.append(res)
    return out
