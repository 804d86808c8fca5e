"""``method="auto"`` for sequences: pick recycled CG, recycled MINRES or GCRO-DR, and run a group.

:func:`resolve` looks at the first matrix once (a structural and numeric symmetry test,
unless ``symmetric=`` says; the sign of the diagonal for definiteness) and returns the
method with its default settings: recycled CG with a carried preconditioner for SPD
systems (IC(0) below ``AMG_FROM`` unknowns, pyamg AMG above), recycled MINRES for
symmetric indefinite ones, GCRO-DR with a carried ILU(0) and size-aware
:func:`~symnb.solvers.defaults.gcrodr_defaults` for the rest.
:func:`solve_recycled` solves a group in order, carrying the space and the preconditioner;
under ``auto`` a recycled CG that meets negative curvature switches to recycled MINRES
for that system and the rest of its group, with a note in the result.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse as sp

from .deflated_cg import DeflationSpace, deflated_cg
from .defaults import gcrodr_defaults
from .gcrodr import gcrodr
from .ilu0 import ILU0
from .precond_carry import CarriedPreconditioner, PreconditionerError, solve_carried
from .recycled_minres import check_symmetric, recycled_minres
from .result import SolveResult

RECYCLED: dict[str, Callable[..., SolveResult]] = {"dcg": deflated_cg, "rminres": recycled_minres}
SYMMETRIC = ("dcg", "rminres", "cg", "pcg")
_GCRODR_ONLY = ("m", "refresh", "reorth")
AMG_FROM = 8192  # unknowns from which auto carries AMG (below: IC(0)) for SPD systems


def resolve(A: Any, method: str, symmetric: bool | None, kw: dict) -> tuple[str, dict, dict]:
    """``(method, solver keywords, info)`` for a sequence whose first matrix is ``A``.

    >>> from symnb.solvers.problems import darcy, convection_diffusion_sequence
    >>> resolve(darcy(8, seed=0).A, "auto", None, {})[0]
    'dcg'
    >>> resolve(convection_diffusion_sequence(1, 8)[0].A, "auto", None, {})[0]
    'gcrodr'
    """
    if symmetric is not None and not isinstance(symmetric, bool):
        raise ValueError(f"symmetric must be True, False or None (test the first matrix), got {symmetric!r}")
    if method != "auto" and method not in SYMMETRIC:
        return method, kw, {}
    sym = check_symmetric(A) if symmetric is None else symmetric
    info: dict[str, Any] = {"symmetric": sym, "symmetry": "given" if symmetric is not None else "tested"}
    if method != "auto":
        if not sym:
            raise ValueError(f"method {method!r} needs a symmetric matrix but the first system's A is not "
                             "symmetric; use method='auto' or 'gcrodr'")
        return method, kw, info
    kw = dict(kw)
    if any(key in kw for key in _GCRODR_ONLY):
        info["note"] = "GCRO-DR keywords given: auto uses gcrodr"
        return "gcrodr", kw, info
    diag = np.asarray(sp.csr_matrix(A).diagonal())
    own_m = kw.get("M") is None
    if own_m:
        kw.pop("M", None)
    if sym and np.all(diag > 0):
        # measured (benchmarks/sequences.py): IC(0)-PCG beats plain CG 2x on Darcy grids to
        # 64x64; from ~90x90 a carried AMG wins; deflation on top of either did not pay for itself
        kw.setdefault("k", 0)
        if own_m:
            kw.setdefault("precond", "amg" if A.shape[0] >= AMG_FROM else "ilu0")
        kw.setdefault("fallback", "rminres")
        return "dcg", kw, info
    if sym:
        kw.setdefault("k", 8)
        return "rminres", kw, info
    M = None
    if own_m and np.all(diag != 0):
        try:
            M = ILU0(A)
            kw.setdefault("precond", "ilu0")
        except ValueError:  # a zero pivot: no preconditioner
            M = None
    chosen = gcrodr_defaults(A, M=M)
    info["gcrodr_defaults"] = chosen
    kw.setdefault("m", chosen["m"])
    kw.setdefault("k", chosen["k"])
    kw.setdefault("refresh", chosen["refresh"])
    kw.setdefault("adapt", True)
    return "gcrodr", kw, info


def solve_recycled(systems: list, method: str, recycle: bool, kw: dict) -> list[SolveResult]:
    """Solve ``systems`` in order with ``method``, carrying its recycled space and preconditioner.

    ``kw["precond"]`` (``"amg"`` / ``"ilu"``) builds a :class:`CarriedPreconditioner`;
    ``kw["fallback"]`` names the method taken over after a negative curvature; ``kw["adapt"]``
    resizes GCRO-DR after the first solve (:func:`adapted`), with a note in that result.
    """
    kw = dict(kw)
    kind, fallback, adapt = kw.pop("precond", None), kw.pop("fallback", None), kw.pop("adapt", False)
    carry = None if kind is None else CarriedPreconditioner(kind)
    out, space = [], None
    for s in systems:
        if space is not None and _length(space) != s.n:
            space = None  # the size changed: start a new space
        note = None
        try:
            res = _one(method, s, space if recycle else None, carry, kw)
        except PreconditionerError as exc:  # e.g. a zero pivot in IC(0) of an indefinite matrix
            if fallback is None:
                note, carry = f"{carry.kind} could not be built ({exc}); went on without a preconditioner", None
                res = _one(method, s, space if recycle else None, None, kw)
                res.info["note"] = note
            else:
                res = SolveResult(np.zeros(s.n), np.ones(1), np.zeros(1, dtype=np.int64), 0, 0.0, False,
                                  "breakdown", method, info={"message": str(exc)})
        if res.reason in ("negative curvature", "breakdown") and fallback is not None:
            note = f"{method} stopped: {res.reason} ({res.info.get('message', '')}); switched to {fallback}"
            method, carry, space = fallback, None, None
            kw.pop("M", None)
            res = _one(method, s, None, None, kw)
            res.info["note"] = note
            fallback = None
        if adapt and method == "gcrodr" and not out and res.converged and note is None:
            kw.update(adapted(kw["m"], kw["k"], res.iterations))
            res.info["note"] = f"auto: first system took {res.iterations} steps; GCRO-DR({kw['m']},{kw['k']}) next"
        space = res.recycle
        out.append(res)
    return out


def _length(space: Any) -> int:
    rows = space.W if isinstance(space, DeflationSpace) else space.U
    return int(rows.shape[1])


def adapted(m: int, k: int, iterations: int) -> dict:
    """GCRO-DR sizes after a first solve of ``iterations`` steps: a cycle need not be much longer
    than a whole solve, and rebuilding ``C = A M U`` costs ``k`` matvecs per system, so ``k``
    stays a quarter of the steps a solve takes.

    >>> adapted(100, 25, 36), adapted(30, 7, 500)
    ({'m': 50, 'k': 9}, {'m': 30, 'k': 7})
    """
    m2 = int(min(m, max(20, 10 * round(1.5 * iterations / 10))))
    return {"m": m2, "k": int(max(2, min(k, m2 // 4, iterations // 4)))}


def _one(method: str, s: Any, space: Any, carry: CarriedPreconditioner | None, kw: dict) -> SolveResult:
    solver = dict(RECYCLED, gcrodr=gcrodr).get(method)
    if solver is None:
        raise ValueError(f"precond= carries a preconditioner through 'dcg', 'rminres' or 'gcrodr', not {method!r}; "
                         "pass M= instead")
    if carry is None:
        return solver(s.A, s.b, recycle=space, **kw)
    return solve_carried(solver, s.A, s.b, carry, recycle=space, **kw)
