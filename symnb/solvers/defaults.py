"""Size-aware GCRO-DR settings from measured costs.

A GCRO-DR(m, k) step costs one matvec plus orthogonalisation against ``k`` recycled and on
average ``(m - k) / 2`` Arnoldi vectors. :func:`measure_costs` times the numba matvec of
the actual matrix and one classical Gram-Schmidt pass against ``m`` long vectors on this
machine; :func:`gcrodr_defaults` then picks the largest ``m`` (longer cycles converge in
fewer steps) whose orthogonalisation stays within ``budget`` matvecs per step, bounded by
memory and by the system size, with ``k = m / 4`` and a recycle update every 3 cycles
(every cycle for small systems, where the update is cheap).
"""
from __future__ import annotations

import time
from typing import Any

import numpy as np

from .krylov import cgs_dgks
from .linop import CSROperator


def measure_costs(A: Any, m: int = 40, repeats: int = 5, M: Any = None) -> dict[str, float]:
    """Seconds per matvec and per orthogonalisation against one vector (best of ``repeats``).

    With a :class:`~symnb.solvers.precond.Preconditioner` ``M`` the matvec time includes one
    application of ``M`` (a right-preconditioned step applies both).

    >>> from symnb.solvers.problems import laplacian_2d
    >>> c = measure_costs(laplacian_2d(16)); sorted(c), c["matvec_s"] > 0
    (['matvec_s', 'orth_per_vector_s'], True)
    """
    op = A if isinstance(A, CSROperator) else CSROperator(A)
    n = op.n
    rng = np.random.default_rng(0)
    v, out = rng.standard_normal(n), np.empty(n)
    m = max(1, min(int(m), n))
    Q = rng.standard_normal((m, n)) / np.sqrt(n)
    h, w0 = np.empty(m), np.empty(n)
    t_mv = t_or = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        op.matvec(v if M is None else M.apply(v, w0), out)
        t1 = time.perf_counter()
        w = v.copy()
        t2 = time.perf_counter()
        cgs_dgks(Q, m, w, h)
        t3 = time.perf_counter()
        t_mv, t_or = min(t_mv, t1 - t0), min(t_or, (t3 - t2) / m)
    return {"matvec_s": float(t_mv), "orth_per_vector_s": float(t_or)}


def gcrodr_defaults(A: Any, budget: float = 1.5, memory_bytes: float = 4e8,
                    costs: dict[str, float] | None = None, n: int | None = None, M: Any = None) -> dict[str, Any]:
    """``{"m", "k", "refresh"}`` for GCRO-DR on matrices like ``A``, with the costs they came from.

    ``budget``: orthogonalisation time per step allowed, in matvecs. ``costs`` (from
    :func:`measure_costs`) and ``n`` skip the measurement (then ``A`` may be ``None``); ``M``
    is the preconditioner the solves will use (its application counts with the matvec).

    >>> d = gcrodr_defaults(None, costs={"matvec_s": 1e-4, "orth_per_vector_s": 2e-6}, n=10_000)
    >>> d["m"], d["k"], d["refresh"]
    (120, 30, 3)
    >>> gcrodr_defaults(None, costs={"matvec_s": 1e-5, "orth_per_vector_s": 1e-6}, n=10_000)["m"]
    20
    """
    if n is None:
        n = A.shape[0]
    if costs is None:
        costs = measure_costs(A, M=M)
    ratio = costs["matvec_s"] / max(costs["orth_per_vector_s"], 1e-12)
    # average vectors per step with k = m/4: k + (m - k)/2 = 5m/8
    m = budget * ratio / 0.625
    m = min(m, memory_bytes / (8.0 * max(n, 1)), max(n // 2, 2), 120)
    m = int(max(20, 10 * round(m / 10))) if n >= 80 else max(2, min(int(m), n // 2))
    k = max(1, m // 4)
    refresh = 1 if n < 2500 else 3
    return {"m": int(m), "k": int(k), "refresh": int(refresh), "matvec_s": costs["matvec_s"],
            "orth_per_vector_s": costs["orth_per_vector_s"], "matvec_over_orth": float(ratio)}
