"""Big index tables handed to the numba kernel as arguments instead of frozen globals.

numba freezes a global array into the machine code as a constant, so LLVM parses and emits
every byte of it: the Brusselator N=128 RHS and sparse Jacobian carry 1.2 MB of tables, and
passing them as arguments cuts their numba compile from 0.47 to 0.35 s CPU (per call no
slower: 49 -> 48 us RHS, 127 -> 123 us Jacobian).  Each array argument costs about 0.17 us
per call to unbox (egfr_net's RHS, 126 kB of tables: 4.95 -> 6.2 us for 0.02 s of compile
saved), so tables stay globals below ``TABLE_ARGUMENTS_BYTES`` in all.

Code generation (``codegen.generate_array(..., table_args=True)``) asks ``pass_tables``,
then writes the entry function with the tables it reads as leading parameters
(``def f(_I0, _SP, out, u):``) and records their names in ``Module.table_params``;
``functools.partial`` binds them after the build.

>>> import numpy as np
>>> pass_tables({"_I0": np.zeros(2**17, dtype=np.uint16), "_F1": np.zeros(2**16)})
True
>>> pass_tables({"_I0": np.zeros(8, dtype=np.uint16)}), pass_tables({})
(False, False)
"""
from __future__ import annotations

__all__ = ["TABLE_ARGUMENTS_BYTES", "pass_tables"]

#: tables of this many bytes or more (all together) are passed as arguments
TABLE_ARGUMENTS_BYTES = 2**18


def pass_tables(tables: dict, threshold: int | None = None) -> bool:
    """Whether ``tables`` (name -> array) together reach ``threshold`` bytes (default
    ``TABLE_ARGUMENTS_BYTES``, read at call time) and so go to the kernel as arguments."""
    limit = TABLE_ARGUMENTS_BYTES if threshold is None else threshold
    return bool(tables) and sum(t.nbytes for t in tables.values()) >= limit
