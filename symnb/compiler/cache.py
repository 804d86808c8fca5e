"""On-disk cache, two levels.

* Lowering: the result of lowering, planning and code generation (source,
  tables, stats) is stored under a structural digest of the expressions
  (``expr_digests``, read through the term interface, stable across processes),
  the argument layout, the options and the compiler's own source; a hit skips
  all of that.
* Machine code: the generated source is written to a file named by its hash, so
  numba's own cache (``cache=True``) keys the machine code on it.

So a second compile of the same expressions, even in a new process, loads
instead of compiling.

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

__all__ = ["cache_dir", "cache_file", "cache_key", "expr_digests", "lowering_key", "load_lowering",
           "store_lowering"]


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


# ----------------------------------------------------------------------
# lowering cache: a cache hit skips lowering, planning and code generation
# ----------------------------------------------------------------------
_CODE_DIGEST: list = []


def _code_digest() -> bytes:
    """Digest of this package's source files: a changed compiler invalidates old entries."""
    if not _CODE_DIGEST:
        h = hashlib.blake2b(digest_size=16)
        for p in sorted(Path(__file__).parent.glob("*.py")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
        _CODE_DIGEST.append(h.digest())
    return _CODE_DIGEST[0]


def expr_digests(exprs: list) -> list[bytes]:
    """A structural digest (16 bytes, stable across processes) of each term, read
    through the term interface; shared sub-terms are hashed once.

    >>> from symnb.terms import symbols, sin
    >>> x, y = symbols("x y")
    >>> a, b, c = expr_digests([sin(x) * y, y * sin(x), sin(y) * x])
    >>> a == b, a == c, len(a)
    (True, False, 16)
    """
    from ..terms.interface import term_ops
    memo: dict = {}
    type_ops: dict = {}
    blake = hashlib.blake2b
    out = []
    for root in exprs:
        stack: list = [(root, None)]
        while stack:
            t, args = stack.pop()
            if t in memo:
                continue
            ops = type_ops.get(type(t))
            if ops is None:
                ops = type_ops[type(t)] = term_ops(t)
            if args is None:
                head = ops.head(t)
                if head is None:
                    if ops.issym(t):
                        text = "S" + ops.symname(t)
                    elif ops.isnumber(t):
                        text = "N" + repr(ops.numvalue(t))
                    else:
                        text = "A" + str(t)
                    memo[t] = blake(text.encode(), digest_size=16).digest()
                    continue
                a = ops.arguments(t)
                stack.append((t, (head, a)))
                stack.extend((x, None) for x in a if x not in memo)
                continue
            head, a = args
            h = blake(head.encode(), digest_size=16)
            h.update(len(a).to_bytes(4, "little"))
            for x in a:
                h.update(memo[x])
            memo[t] = h.digest()
        out.append(memo[root])
    return out


def lowering_key(exprs: list, arg_names: list, options: str) -> str:
    """Key of a compile: the expressions' digests, the argument layout, the options
    and the compiler's own code."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_code_digest())
    h.update(options.encode())
    h.update(repr(arg_names).encode())
    h.update(len(exprs).to_bytes(8, "little"))
    for d in expr_digests(exprs):
        h.update(d)
    return h.hexdigest()


def load_lowering(key: str) -> dict | None:
    """The stored result of lowering + codegen for ``key`` (None when absent or unreadable)."""
    import pickle
    path = cache_dir() / f"symnb_{key}.lowered"
    try:
        with open(path, "rb") as fh:
            payload = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
        return None
    return payload if isinstance(payload, dict) and payload.get("key") == key else None


def store_lowering(key: str, payload: dict) -> None:
    """Write ``payload`` (source, tables, stats ...) for ``key`` atomically."""
    import pickle
    path = cache_dir() / f"symnb_{key}.lowered"
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(dict(payload, key=key), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
