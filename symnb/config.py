"""symnb's limits: how big a result may grow before a computation refuses or stays symbolic.

A leaf module (it imports nothing of ours), so every layer may read it.  Change a field for
the session (``symnb.config.max_exact_digits = 50_000``) or for a block with :func:`limits`:

>>> from symnb import config
>>> with config.limits(max_exact_digits=100):
...     config.max_exact_digits
100
>>> config.max_exact_digits
10000
>>> with config.limits(max_digits=1):  # doctest: +ELLIPSIS
...     pass
Traceback (most recent call last):
  ...
AttributeError: unknown symnb.config field 'max_digits' (known: compile_llvm_chunks, ...)

Fields (and who reads them):

``max_exact_digits``
    Exact powers, roots and factorials of numbers are computed only while the result has at
    most this many decimal digits (estimated before computing); larger ones stay symbolic,
    e.g. ``10^(10^10)``.
``max_root_degree``
    Exact integer roots ``n^(p/q)`` are tried only for ``q`` up to this; above it the root
    stays symbolic.
``max_expand_terms``
    ``expand`` refuses when the estimated number of terms of a product or power exceeds this
    (keyword ``max_terms``).
``max_diff_size``
    ``diff`` refuses when the nodes it visits, the factors the product rule copies and the
    sizes of the derivatives it builds pass this (keyword ``max_size``).
``simplify_seconds``
    Wall-clock budget of the rule simplifier (keyword ``timeout``).
``compile_llvm_chunks``
    The numba backend emits the straight-line ``_chunk*`` parts of array kernels as LLVM IR
    through a numba intrinsic (``symnb.compiler.llvm_chunks``: same values, several times
    less compile time); ``False`` compiles them as numba source.  Read at each compile; not
    used with ``fastmath``.
``compile_max_ops``
    ``compile_array`` refuses expressions with more operations after sharing than this
    (keyword ``max_ops``).
``compile_max_scalar_ops``
    ``compile`` of one scalar expression (one straight-line function, whose numba compile
    time grows superlinearly) refuses above this many operations (keyword ``max_ops``).
``compile_memory_limit``
    ``ODEProblem`` (and the ``problem()`` of BioNetGen networks and SBML models) refuses,
    before compiling, a model whose estimated compile memory passes this: bytes or a size
    string such as ``"2GB"``; ``None`` (the default) for no limit (keyword
    ``memory_limit``; the estimate: ``symnb.models.memory``).
``ode_max_steps``
    Internal steps CVODE may take between two output times of ``solve_ode`` (keyword
    ``max_steps``); past it the solve stops with ``success=False`` and says so.
``dashboard_seconds``
    Wall-clock budget of one dashboard interaction (``symnb.display.budget.run_within``'s
    default ``seconds``): 10 s, or the environment's ``SYMNB_BUDGET_SECONDS`` when this
    module is first imported (a Voila server sets it for its kernels).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator

__all__ = ["max_exact_digits", "max_root_degree", "max_expand_terms", "max_diff_size",
           "simplify_seconds", "compile_llvm_chunks", "compile_max_ops",
           "compile_max_scalar_ops", "ode_max_steps",
           "compile_memory_limit", "dashboard_seconds", "limits", "FIELDS"]

max_exact_digits: int = 10_000
max_root_degree: int = 1_000
max_expand_terms: int = 1_000_000
max_diff_size: int = 1_000_000
simplify_seconds: float = 30.0
compile_llvm_chunks: bool = True
compile_max_ops: int = 2_000_000
compile_max_scalar_ops: int = 20_000
ode_max_steps: int = 100_000
compile_memory_limit: int | str | None = None


def _seconds_from_env(text: str | None, default: float = 10.0) -> float:
    """A positive number of seconds from an environment variable's ``text``, else
    ``default`` (with a warning naming the bad value).

    >>> _seconds_from_env("2.5"), _seconds_from_env(None)
    (2.5, 10.0)
    """
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        import warnings
        warnings.warn(f"SYMNB_BUDGET_SECONDS={text!r} is not a positive number of seconds; "
                      f"using {default:g}")
        return default
    return value


dashboard_seconds: float = _seconds_from_env(os.environ.get("SYMNB_BUDGET_SECONDS"))

FIELDS = ("compile_llvm_chunks", "compile_max_ops", "compile_max_scalar_ops",
          "compile_memory_limit",
          "dashboard_seconds", "max_diff_size", "max_exact_digits", "max_expand_terms",
          "max_root_degree", "ode_max_steps", "simplify_seconds")


@contextmanager
def limits(**changes: Any) -> Iterator[None]:
    """Set some fields for the duration of a ``with`` block, then restore them."""
    g = globals()
    for name in changes:
        if name not in FIELDS:
            raise AttributeError(f"unknown symnb.config field {name!r} "
                                 f"(known: {', '.join(FIELDS)})")
    old = {name: g[name] for name in changes}
    g.update(changes)
    try:
        yield
    finally:
        g.update(old)
