"""Which solvers apply to a matrix: CG and PCG need a symmetric positive definite one.

:func:`spd_obstacle` names a reason a matrix is certainly *not* SPD (cheap tests: symmetry,
the diagonal, Rayleigh quotients of probe vectors), or returns ``None`` when none says so.
:func:`split_applicable` keeps the solvers that apply and writes the note for the others
("CG skipped: matrix is indefinite ..."), so a dashboard runs what it can.

>>> import numpy as np, scipy.sparse as sp
>>> A = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(5, 5)).tocsr()
>>> spd_obstacle(A) is None, spd_obstacle(A - 3 * sp.eye(5))
(True, 'has a non-positive diagonal entry')
>>> split_applicable(["CG", "GMRES(40)"], "is indefinite (Rayleigh quotient -2 < 0)")
(['GMRES(40)'], 'CG skipped: matrix is indefinite (Rayleigh quotient -2 < 0); CG needs a symmetric positive definite matrix')
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

__all__ = ["spd_obstacle", "split_applicable", "grid_probe"]


def grid_probe(n: int) -> np.ndarray:
    """The smoothest mode of an ``n x n`` grid (the 2-D Laplacian's lowest eigenvector),
    a probe that finds the indefiniteness of shifted or Helmholtz operators."""
    v = np.sin(np.pi * np.arange(1, n + 1) / (n + 1))
    return np.kron(v, v)


def spd_obstacle(A: Any, probes: Iterable[np.ndarray] = ()) -> str | None:
    """Why ``A`` is certainly not symmetric positive definite (``"is not symmetric"``,
    ``"has a non-positive diagonal entry"``, ``"is indefinite (Rayleigh quotient q < 0)"``),
    or ``None`` when no test says so (which does not prove it is SPD)."""
    scale = abs(A).max()
    if abs(A - A.T).max() > 1e-12 * scale:
        return "is not symmetric"
    if A.diagonal().min() <= 0:
        return "has a non-positive diagonal entry"
    for phi in probes:
        phi = np.asarray(phi, dtype=float)
        if phi.shape != (A.shape[0],):
            raise ValueError(f"a probe needs {A.shape[0]} entries (one per unknown), got "
                             f"shape {phi.shape}")
        q = float(phi @ (A @ phi)) / float(phi @ phi)
        if q < 0:
            return f"is indefinite (Rayleigh quotient {q:.3g} < 0)"
    return None


def _needs_spd(label: str) -> bool:
    """``"CG"``, ``"PCG (Jacobi)"``, ``"cg"``: the CG family (first word of the label)."""
    return label.split()[0].upper() in ("CG", "PCG")


def split_applicable(chosen: Sequence[str], why: str | None) -> tuple[list[str], str | None]:
    """``(solvers to run, note on the skipped ones)``: with ``why`` (a reason from
    :func:`spd_obstacle`) the CG-type solvers are skipped, each named in the note."""
    if why is None:
        return list(chosen), None
    skipped = [c for c in chosen if _needs_spd(c)]
    if not skipped:
        return list(chosen), None
    names = " and ".join(skipped)
    verb = "needs" if len(skipped) == 1 else "each need"
    note = (f"{names} skipped: matrix {why}; {names} {verb} a symmetric positive definite "
            f"matrix")
    return [c for c in chosen if not _needs_spd(c)], note
