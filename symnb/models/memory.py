"""Memory a model's compile will need, estimated before compiling, and the user's limit.

``estimate_compile_memory(rhs, states)`` counts what is known before any code exists: the
edges of the right-hand side's term DAG (each distinct node's arguments, about one
operation each) and the Jacobian's structural nonzeros (from each row's cached symbol
set), and prices them with the per-item costs below, calibrated with numba (the python
backend needs less: egfr_net 12 MB against 32 MB).
``check_memory`` raises ``MemoryLimitExceeded`` (one line: the estimate, the counts, the
limit, the keyword and the config field) when the estimate passes the limit.  The limit is
the keyword ``memory_limit=`` of ``ODEProblem`` / ``ReactionNetwork.problem`` /
``SBMLModel.problem``, or ``symnb.config.compile_memory_limit`` (``None``: no limit),
in bytes or as a string such as ``"2GB"``, ``"512 MiB"`` (``parse_size``).

>>> from symnb.terms import symbols
>>> x, y = symbols("x y")
>>> est = estimate_compile_memory([x*y - x, x - y**2], [x, y])
>>> est.edges, est.nnz, est.bytes == FIXED_BYTES + est.edges * PER_EDGE + est.nnz * PER_NNZ
(8, 4, True)
>>> parse_size("1.5 GiB") == 1.5 * 2**30, parse_size("2GB"), parse_size(4096)
(True, 2000000000, 4096)
>>> check_memory(est, "100MB", "tiny")
>>> check_memory(est, "10MB", "tiny")  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
symnb.models.memory.MemoryLimitExceeded: compile(tiny): about 32 MB of memory (2 states, 8 term edges, 4 Jacobian nonzeros), limit 10 MB; pass memory_limit=... or set symnb.config.compile_memory_limit
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..terms.calculus import free_symbols
from ..terms.core import Term, children
from ..terms.limits import LimitExceeded
from ..terms.walk import postorder_from

__all__ = ["estimate_compile_memory", "check_memory", "parse_size", "format_size",
           "MemoryEstimate", "MemoryLimitExceeded", "FIXED_BYTES", "PER_EDGE", "PER_NNZ"]

# Calibration (this machine, numba 0.68, fresh process per model; peak RSS during
# ``ODEProblem(...)`` minus RSS before it, MiB): egfr_net (18,311 edges, 8,431 nonzeros)
# 32; synthetic conserving networks (benchmarks/ode_scale.py) of 1k / 4k / 12k / 24k / 48k
# reactions 31 / 32 / 67 / 125 / 235; fceri_gamma2 (224,872 edges, 119,824 nonzeros) 173;
# the 24k synthetic without Jacobian 49.  The estimate (MiB: 46, 34 / 47 / 85 / 142 / 256,
# 231, 63) is above every one of them, by 8-49 % (9 % and 14 % on the largest synthetic
# ones): a limit check that errs on the safe side.
FIXED_BYTES = 32_000_000
"""Fixed part: numba and LLVM set up for the RHS and Jacobian kernels (about 30 MiB)."""
PER_EDGE = 400
"""Bytes per edge of the RHS term DAG (lowering, CSE, generated code, LLVM)."""
PER_NNZ = 1_000
"""Bytes per structural Jacobian nonzero (symbolic derivative, its code, index tables)."""

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9,
          "gb": 10**9, "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30,
          "tib": 2**40}


def parse_size(value: Any) -> int:
    """Bytes from a number or a string ``"<number> <unit>"``: ``B``, ``KB``/``MB``/``GB``/
    ``TB`` (powers of 1000, also ``K``, ``M``, ``G``, ``T``) or ``KiB``/``MiB``/``GiB``/
    ``TiB`` (powers of 1024), any case."""
    if isinstance(value, bool):
        raise ValueError(f"memory_limit must be bytes or a size such as '2GB', got {value!r}")
    if isinstance(value, (int, float)):
        if not value > 0:
            raise ValueError(f"memory_limit must be positive, got {value!r}")
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*", value)
        if m and m.group(2).lower() in _UNITS and float(m.group(1)) > 0:
            return int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    raise ValueError(f"memory_limit must be bytes or a size such as '2GB' or '512 MiB', "
                     f"got {value!r}")


def format_size(n: float) -> str:
    """``48.0 MB``, ``1.21 GB``: decimal units, three significant digits."""
    for unit, k in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= k:
            return f"{n / k:.3g} {unit}" if n / k < 100 else f"{n / k:.0f} {unit}"
    return f"{int(n)} B"


@dataclass(frozen=True)
class MemoryEstimate:
    """Counts known before compiling and the memory priced from them."""

    states: int
    edges: int
    nnz: int
    bytes: int

    def describe(self) -> str:
        return (f"{self.states:,} states, {self.edges:,} term edges, {self.nnz:,} Jacobian "
                f"nonzeros")


class MemoryLimitExceeded(LimitExceeded):
    """The estimated compile memory passes ``memory_limit`` (attributes as
    ``LimitExceeded``, plus ``estimate_obj``: the ``MemoryEstimate``)."""


def estimate_compile_memory(rhs: Sequence[Term], states: Sequence[Term],
                            jac: bool = True) -> MemoryEstimate:
    """Price the compile of ``rhs`` over ``states`` (and its sparse Jacobian if ``jac``)."""
    edges = sum(len(children(t)) for t in postorder_from(rhs, children))
    S = set(states)
    nnz = sum(len(free_symbols(e) & S) for e in rhs) if jac else 0
    return MemoryEstimate(len(states), edges, nnz,
                          FIXED_BYTES + edges * PER_EDGE + nnz * PER_NNZ)


def check_memory(estimate: MemoryEstimate, limit: Any, what: str) -> None:
    """Raise ``MemoryLimitExceeded`` when ``estimate`` passes ``limit`` (``None``: the
    config default ``symnb.config.compile_memory_limit``; still ``None``: no check)."""
    if limit is None:
        from .. import config
        limit = config.compile_memory_limit
    if limit is None:
        return
    cap = parse_size(limit)
    if estimate.bytes > cap:
        err = MemoryLimitExceeded(
            "compile", what, f"of memory ({estimate.describe()})",
            format_size(estimate.bytes), format_size(cap), "memory_limit",
            "compile_memory_limit")
        err.estimate_obj = estimate
        err.estimate_bytes, err.limit_bytes = estimate.bytes, cap
        raise err
