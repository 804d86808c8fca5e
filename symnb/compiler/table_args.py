"""Big index tables handed to the numba kernel as arguments instead of frozen globals.

numba freezes a global array into the machine code as a constant, so LLVM parses and emits
every byte of it: the Brusselator N=128 RHS and sparse Jacobian carry 1.2 MB of tables, and
passing them as arguments cuts their numba compile from 0.47 to 0.35 s CPU (per call no
slower: 49 -> 48 us RHS, 127 -> 123 us Jacobian).  Each array argument costs about 0.17 us
per call to unbox (egfr_net's RHS, 126 kB of tables: 4.95 -> 6.2 us for 0.02 s of compile
saved), so tables stay globals below ``TABLE_ARGUMENTS_BYTES`` in all.  The entry function
takes the tables it reads as leading parameters; ``functools.partial`` binds them.

>>> import numpy as np
>>> src = "def f(out, u):\\n    for j in range(2):\\n        out[j] = u[_I0[j]]\\n"
>>> tables = {"_I0": np.zeros(2**17, dtype=np.uint16), "_I9": np.zeros(2**17)}
>>> table_parameters(src, "f", tables)
['_I0']
>>> with_table_parameters(src, "f", ["_I0"]).splitlines()[0]
'def f(_I0, out, u):'
>>> table_parameters(src, "f", {"_I0": np.zeros(8, dtype=np.uint16)})
[]
"""
from __future__ import annotations

import re
from typing import Sequence

__all__ = ["TABLE_ARGUMENTS_BYTES", "table_parameters", "with_table_parameters"]

#: tables of this many bytes or more (all together) are passed as arguments
TABLE_ARGUMENTS_BYTES = 2**18


def _entry_body(source: str, entry: str) -> str:
    m = re.search(rf"^def {re.escape(entry)}\(", source, flags=re.M)
    if m is None:
        raise ValueError(f"generated source has no function {entry!r}; pass the entry name")
    nxt = re.search(r"^def ", source[m.end():], flags=re.M)
    return source[m.start(): m.end() + nxt.start() if nxt else len(source)]


def table_parameters(source: str, entry: str, tables: dict,
                     threshold: int | None = None) -> list[str]:
    """Names of the tables ``entry`` reads, when all tables together reach ``threshold``
    bytes (default ``TABLE_ARGUMENTS_BYTES``); otherwise ``[]`` (keep them globals)."""
    limit = TABLE_ARGUMENTS_BYTES if threshold is None else threshold
    if not tables or sum(t.nbytes for t in tables.values()) < limit:
        return []
    body = _entry_body(source, entry)
    return [k for k in sorted(tables) if re.search(rf"\b{re.escape(k)}\b", body)]


def with_table_parameters(source: str, entry: str, names: Sequence[str]) -> str:
    """``source`` with ``names`` prepended to the parameters of ``def entry(...)``."""
    if not names:
        return source
    lead = ", ".join(names)
    head = re.compile(rf"^def {re.escape(entry)}\((\)?)", flags=re.M)
    return head.sub(lambda m: f"def {entry}({lead}{')' if m.group(1) else ', '}", source,
                    count=1)
