"""Backends: turn generated source into a callable (numba, plain Python, numpy).

* ``numba``: ``numba.njit(error_model="numpy")`` (IEEE: ``1/0 -> inf``, ``log(-1) -> nan``),
  compiled eagerly for float64 arguments; failures become ``CompileError``;
* ``python``: the same source run by the interpreter on ``numpy.float64``
  scalars (IEEE results, warnings silenced) - slow, for checking and for
  functions numba cannot lower;
* ``numpy``: straight-line source over numpy ufuncs, as ``sympy.lambdify`` makes.

numba is imported here, lazily, on the first numba compile.

>>> sorted(k for k in namespace("python", {"sin", "Abs"}) if not k.startswith(("_U", "_M")))[:4]
['__builtins__', '_sign', 'inf', 'nan']
"""
from __future__ import annotations

import builtins
import linecache
import math
import re
from typing import Any, Callable, Sequence

import numpy as np

from .errors import CompileError

__all__ = ["namespace", "build", "BACKENDS", "numba_function_table"]

BACKENDS = ("numba", "python", "numpy")

_NUMBA_MATH = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "exp": math.exp, "log": math.log, "sqrt": math.sqrt, "atan2": math.atan2,
    "asinh": math.asinh, "acosh": math.acosh, "atanh": math.atanh, "erf": math.erf,
    "erfc": math.erfc, "gamma": math.gamma, "loggamma": math.lgamma,
    "floor": np.floor, "ceiling": np.ceil,
}

_NUMPY_FUNCS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos,
    "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "exp": np.exp,
    "log": np.log, "sqrt": np.sqrt, "atan2": np.arctan2, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh, "floor": np.floor, "ceiling": np.ceil,
}
_SCIPY_SPECIAL = {"erf": "erf", "erfc": "erfc", "gamma": "gamma", "loggamma": "gammaln"}

_NUMBA_HELPERS: dict = {}


def numba_function_table() -> dict:
    """name -> implementation used by the numba backend (``Abs``/``sign`` are built in)."""
    return dict(_NUMBA_MATH)


def _numba_sign() -> Any:
    f = _NUMBA_HELPERS.get("_sign")
    if f is None:
        import numba

        @numba.njit(cache=False)
        def _sign(x: float) -> float:  # pragma: no cover - compiled
            if x > 0:
                return 1.0
            if x < 0:
                return -1.0
            if x == 0:
                return 0.0
            return x
        f = _NUMBA_HELPERS["_sign"] = _sign
    return f


def _lookup_user(name: str) -> Callable | None:
    from ..terms.functions import lookup_function
    try:
        f = lookup_function(name)
    except KeyError:
        return None
    return f.impl


def namespace(backend: str, functions_used: set, user: dict | None = None) -> dict:
    """Globals for the generated source: math names, ``inf``/``nan``, ``np``, ``prange``,
    and the unsigned constants of the segment-sum loops (``_U1``, shifts ``_U16``/``_U32``/
    ``_U48`` and mask ``_M16`` unpacking four 16-bit indices): unsigned offsets let numba
    drop its negative-index test."""
    user = dict(user or {})
    ns: dict = {"__builtins__": builtins, "np": np, "inf": math.inf, "nan": math.nan}
    ns.update({f"_U{i}": np.uint64(i) for i in (1, 2, 3, 4, 16, 32, 48)})
    ns["_M16"] = np.uint64(0xFFFF)
    missing = []
    if backend == "numba":
        import numba
        ns["prange"] = numba.prange
        ns["_sign"] = _numba_sign() if "sign" in functions_used else None
        for name in functions_used:
            if name in ("Abs", "sign"):
                continue
            if name in user:
                f = user[name]
                ns[name] = f if hasattr(f, "py_func") else numba.njit(f)
            elif name in _NUMBA_MATH:
                ns[name] = _NUMBA_MATH[name]
            else:
                missing.append(name)
        if missing:
            raise ValueError(
                f"function(s) with no numba lowering: {', '.join(sorted(missing))}; pass "
                f"functions={{name: numba-compilable callable}} or use backend='python'")
        if ns["_sign"] is None:
            del ns["_sign"]
        return ns
    ns["prange"] = range
    ns["_sign"] = np.sign
    for name in functions_used:
        if name in ("Abs", "sign"):
            continue
        if name in user:
            ns[name] = user[name]
        elif name in _NUMPY_FUNCS:
            ns[name] = _NUMPY_FUNCS[name]
        elif name in _SCIPY_SPECIAL:
            import scipy.special
            ns[name] = getattr(scipy.special, _SCIPY_SPECIAL[name])
        else:
            impl = _lookup_user(name)
            if impl is None:
                missing.append(name)
            else:
                ns[name] = np.vectorize(impl, otypes=[float]) if backend == "numpy" else impl
    if missing:
        raise ValueError(f"function(s) with no numeric implementation: "
                         f"{', '.join(sorted(missing))}; pass functions={{name: callable}}")
    return ns


def _exec(source: str, filename: str, ns: dict) -> None:
    code = builtins.compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, ns)


def _error_line(text: str, filename: str) -> int | None:
    hits = re.findall(r'File "' + re.escape(filename) + r'", line (\d+)', text)
    return int(hits[-1]) if hits else None


def build(source: str, entry: str, helpers: Sequence[str], tables: dict, backend: str,
          functions_used: set, *, user_functions: dict | None = None,
          signature: Sequence[Any] | None = None, fastmath: bool = False,
          parallel: bool = False, cache_file: str | None = None, vectorize: bool = False,
          filename: str = "<symnb-generated>") -> tuple[Callable, Callable]:
    """Execute ``source`` and return ``(callable, python function)`` for ``entry``.

    ``signature`` is a list of numba types for eager compilation; ``cache_file``
    (numba only) is the on-disk path of the source, enabling numba's cache.
    """
    ns = namespace(backend, functions_used, user_functions)
    ns.update(tables)
    if cache_file is not None:
        # a real, registered module: numba's cache re-imports it by name on load
        import os
        import sys
        import types
        filename = cache_file
        modname = os.path.splitext(os.path.basename(cache_file))[0]
        mod = sys.modules.get(modname) or types.ModuleType(modname)
        mod.__file__ = cache_file
        mod.__dict__.update(ns)
        sys.modules[modname] = mod
        ns = mod.__dict__
    _exec(source, filename, ns)
    py = ns[entry]
    if backend != "numba":
        return py, py
    import numba
    try:
        for h in helpers:
            ns[h] = numba.njit(error_model="numpy", fastmath=fastmath,
                               cache=cache_file is not None)(ns[h])
        if vectorize:
            sig = numba.float64(*signature) if signature else None
            fn = numba.vectorize([sig], nopython=True, fastmath=fastmath)(py)
            return fn, py
        fn = numba.njit(error_model="numpy", fastmath=fastmath, parallel=parallel,
                        cache=cache_file is not None)(py)
        if signature is not None:
            fn.compile(tuple(signature))
    except CompileError:
        raise
    except Exception as exc:  # numba's TypingError, LoweringError, UnsupportedError ...
        text = str(exc)
        line = _error_line(text, filename)
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        raise CompileError(f"numba failed to compile the generated code: {first}",
                           source=source, line=line) from exc
    return fn, py
