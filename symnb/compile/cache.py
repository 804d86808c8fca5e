"""On-disk cache: generated source is written to a file named by its hash, so
numba's own cache (``cache=True``) can key the machine code on it; a second
compile of the same expression, even in a new process, loads instead of compiling.

The directory is ``$SYMNB_CACHE_DIR`` or ``~/.cache/symnb/compile``.

>>> import os, tempfile
>>> os.environ["SYMNB_CACHE_DIR"] = tempfile.mkdtemp()
>>> p = cache_file("def f(x):\\n    return x\\n", {}, "opts")
>>> p.endswith(".py") and os.path.exists(p)
True
>>> p == cache_file("def f(x):\\n    return x\\n", {}, "opts")
True
>>> del os.environ["SYMNB_CACHE_DIR"]
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["cache_dir", "cache_file", "cache_key"]


def cache_dir() -> Path:
    d = os.environ.get("SYMNB_CACHE_DIR")
    p = Path(d) if d else Path.home() / ".cache" / "symnb" / "compile"
    p.mkdir(parents=True, exist_ok=True)
    return p


def cache_key(source: str, tables: dict, options: str) -> str:
    """sha256 of the source, the tables' bytes and the compile options."""
    h = hashlib.sha256()
    h.update(source.encode())
    h.update(options.encode())
    for name in sorted(tables):
        a = np.ascontiguousarray(tables[name])
        h.update(name.encode())
        h.update(str(a.dtype).encode())
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:24]


def cache_file(source: str, tables: dict, options: str) -> str:
    """Path of the source file for this key (written on first use)."""
    key = cache_key(source, tables, options)
    path = cache_dir() / f"symnb_{key}.py"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    return str(path)
