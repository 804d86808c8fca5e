"""Backends: turn generated source into a callable (numba, plain Python, numpy).

Each backend is a ``Backend`` object in the ``BACKENDS`` registry (name -> backend;
``register_backend`` adds one), so ``compile(..., backend=name)`` never compares names:

* ``numba``: ``numba.njit(error_model="numpy")`` (IEEE: ``1/0 -> inf``, ``log(-1) -> nan``),
  compiled eagerly for float64 arguments; failures become ``CompileError``;
* ``python``: the same source run by the interpreter on ``numpy.float64``
  scalars (IEEE results, warnings silenced) - slow, for checking and for
  functions numba cannot lower;
* ``numpy``: straight-line source over numpy ufuncs, as ``sympy.lambdify`` makes.

numba is imported here, lazily, on the first numba compile.

>>> sorted(k for k in namespace("python", {"sin", "Abs"}) if not k.startswith(("_U", "_M")))[:4]
['__builtins__', '_sign', 'inf', 'nan']
>>> list(BACKENDS), BACKENDS["numpy"].loops, BACKENDS["numba"].caches
(['numba', 'python', 'numpy'], False, True)
"""
from __future__ import annotations

import builtins
import linecache
import math
import re
from typing import Any, Callable, Sequence

import numpy as np

from .. import config
from ..terms.limits import LimitExceeded
from .errors import CompileError

__all__ = ["Backend", "NumbaBackend", "PythonBackend", "NumpyBackend", "BACKENDS",
           "register_backend", "get_backend", "namespace", "build", "numba_function_table"]

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
    "Min": np.minimum, "Max": np.maximum, "rint": np.rint,
}
_SCIPY_SPECIAL = {"erf": "erf", "erfc": "erfc", "gamma": "gamma", "loggamma": "gammaln"}

_NUMBA_HELPERS: dict = {}
_NUMBA_JIT = frozenset(("ite", "lt", "le", "gt", "ge", "eq", "ne", "And", "Or", "Xor", "Not",
                        "factorial", "rem", "quotient", "Min", "Max", "rint", "mratio"))
"""Builtins whose own Python implementation (``symnb.terms.functions``) numba compiles."""


def _numba_builtin(name: str) -> Any:
    f = _NUMBA_HELPERS.get(name)
    if f is None:
        import numba
        f = _NUMBA_HELPERS[name] = numba.njit(cache=False)(_lookup_user(name))
    return f


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


def _exec(source: str, filename: str, ns: dict) -> None:
    code = builtins.compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, ns)


def _error_line(text: str, filename: str) -> int | None:
    hits = re.findall(r'File "' + re.escape(filename) + r'", line (\d+)', text)
    return int(hits[-1]) if hits else None


def _python_wrapper(py: Any, is_array: Sequence[bool], inplace: bool, vectorize: bool) -> Any:
    scalars = [not a for a in is_array]
    f64 = np.float64
    nargs = len(scalars) + (1 if inplace else 0)
    import inspect
    sig = inspect.signature(py)

    def call(*args: Any, **kw: Any) -> Any:
        if kw or len(args) != nargs:
            # keywords, or a wrong count (the message names what is missing)
            try:
                args = sig.bind(*args, **kw).args
            except TypeError as e:
                raise TypeError(f"{py.__name__}() {e}") from None
        if inplace:
            out, rest = args[0], args[1:]
        else:
            out, rest = None, args
        conv = [np.asarray(a, dtype=float) if (vectorize or not s) else f64(a)
                for a, s in zip(rest, scalars)]
        with np.errstate(all="ignore"):
            r = py(*conv) if out is None else py(out, *conv)
        if vectorize and isinstance(r, np.ndarray) and r.ndim == 0:
            return float(r)
        if not inplace and isinstance(r, np.floating):
            return float(r)
        return r
    return call


def _base_namespace() -> dict:
    """Names every backend's generated source uses: builtins, ``np``, ``inf``/``nan``, and the
    unsigned constants of the segment-sum loops (``_U1``, shifts ``_U16``/``_U32``/``_U48``
    and mask ``_M16`` unpacking four 16-bit indices): unsigned offsets let numba drop its
    negative-index test."""
    ns: dict = {"__builtins__": builtins, "np": np, "inf": math.inf, "nan": math.nan}
    ns.update({f"_U{i}": np.uint64(i) for i in (1, 2, 3, 4, 16, 32, 48)})
    ns["_M16"] = np.uint64(0xFFFF)
    return ns


class Backend:
    """How generated source becomes a callable.  Subclass, then ``register_backend(name, obj)``.

    ``loops``: keeps re-rolled loops (and ``prange`` with ``parallel=True``); ``False``
    emits straight-line code.  ``caches``: honours ``cache=True`` (lowering cache and
    on-disk compiled code).  ``table_args``: big index tables may become the kernel's
    leading parameters (``table_args``; where a frozen global costs compile time).
    """

    name = ""
    loops = True
    caches = False
    table_args = False

    def namespace(self, functions_used: set, user: dict | None = None) -> dict:
        """Globals for the generated source (see ``namespace``)."""
        raise NotImplementedError

    def signature(self, is_array: Sequence[bool], out_ndim: int | None) -> list | None:
        """Argument types for eager compilation (``None``: compile lazily or not at all)."""
        return None

    def cache_file(self, source: str, tables: dict, form: str, fastmath: bool,
                   parallel: bool) -> str | None:
        """The on-disk path of this source for a persistent cache (``None``: no cache)."""
        return None

    def make(self, py: Callable, ns: dict, helpers: Sequence[str], *, source: str,
             filename: str, signature: Sequence[Any] | None, fastmath: bool, parallel: bool,
             cache_file: str | None, vectorize: bool) -> Callable:
        """The callable for the executed entry function ``py`` (globals ``ns``)."""
        return py

    def cache_state(self, fn: Callable, cache_file: str | None) -> str:
        """``stats["cache"]`` after building: ``"off"``, or hit/miss and the file."""
        return "off" if cache_file is None else "file " + cache_file

    def llvm_chunks(self, fastmath: bool) -> bool:
        """Whether ``make`` emits straight-line ``_chunk*`` helpers as LLVM IR
        (``symnb.compiler.llvm_chunks``) for this option."""
        return False

    def wrapper(self, py: Callable, is_array: Sequence[bool], inplace: bool,
                vectorize: bool) -> Callable | None:
        """What ``Compiled`` calls instead of the raw function (``None``: the function).
        Interpreted backends convert arguments to float64 and silence IEEE warnings."""
        return _python_wrapper(py, is_array, inplace, vectorize)


class NumbaBackend(Backend):
    """``numba.njit(error_model="numpy")``, compiled eagerly for float64 arguments.

    With ``symnb.config.compile_llvm_chunks`` (default True; read at each compile), each
    straight-line ``_chunk*`` helper becomes a numba intrinsic emitting its body as LLVM IR
    (``symnb.compiler.llvm_chunks``: same values, 4-17x less compile time); a helper the
    emitter does not cover stays numba source.  Not with ``fastmath`` (the emitted IR has no
    fast-math flags): that compiles as before.  ``parallel`` and ``cache=True`` work with
    it (numba caches the entry function with the emitted bodies inlined; a new process
    loads it).  A chunk intrinsic takes float64 1-d arrays and float64/int64 numbers only.
    """

    name = "numba"
    caches = True
    table_args = True

    def namespace(self, functions_used: set, user: dict | None = None) -> dict:
        import numba
        user = dict(user or {})
        ns = _base_namespace()
        ns["prange"] = numba.prange
        ns["_sign"] = _numba_sign() if "sign" in functions_used else None
        missing = []
        for name in functions_used:
            if name in ("Abs", "sign"):
                continue
            if name in user:
                f = user[name]
                ns[name] = f if hasattr(f, "py_func") else numba.njit(f)
            elif name in _NUMBA_MATH:
                ns[name] = _NUMBA_MATH[name]
            elif name in _NUMBA_JIT:
                ns[name] = _numba_builtin(name)
            else:
                missing.append(name)
        if missing:
            raise ValueError(
                f"function(s) with no numba lowering: {', '.join(sorted(missing))}; pass "
                f"functions={{name: numba-compilable callable}} or use backend='python'")
        if ns["_sign"] is None:
            del ns["_sign"]
        return ns

    def signature(self, is_array: Sequence[bool], out_ndim: int | None) -> list | None:
        import numba
        arr = numba.types.Array(numba.float64, 1, "C")
        sig = [] if out_ndim is None else [numba.types.Array(numba.float64, out_ndim, "C")]
        return sig + [arr if a else numba.float64 for a in is_array]

    def cache_file(self, source: str, tables: dict, form: str, fastmath: bool,
                   parallel: bool) -> str | None:
        import numba

        from .cache import cache_file
        opts = f"{self.name}|{form}|fm={fastmath}|par={parallel}|numba={numba.__version__}"
        opts += "|llvm_chunks" if self.llvm_chunks(fastmath) else ""
        return cache_file(source, tables, opts)

    def llvm_chunks(self, fastmath: bool) -> bool:
        return bool(config.compile_llvm_chunks) and not fastmath

    def make(self, py: Callable, ns: dict, helpers: Sequence[str], *, source: str,
             filename: str, signature: Sequence[Any] | None, fastmath: bool, parallel: bool,
             cache_file: str | None, vectorize: bool) -> Callable:
        plain = {h: ns[h] for h in helpers}
        done: set = set()
        if helpers and not vectorize and self.llvm_chunks(fastmath):
            from .llvm_chunks import chunk_intrinsics
            done = set(chunk_intrinsics(source, helpers, ns))
        try:
            return self._jit(py, ns, [h for h in helpers if h not in done], source, filename,
                             signature, fastmath, parallel, cache_file, vectorize)
        except CompileError:
            if not done:
                raise
        # an emitted chunk numba could not lower after all: every helper as numba source
        ns.update(plain)
        return self._jit(py, ns, list(helpers), source, filename, signature, fastmath,
                         parallel, cache_file, vectorize)

    @staticmethod
    def _jit(py: Callable, ns: dict, helpers: Sequence[str], source: str, filename: str,
             signature: Sequence[Any] | None, fastmath: bool, parallel: bool,
             cache_file: str | None, vectorize: bool) -> Callable:
        import numba
        try:
            for h in helpers:
                ns[h] = numba.njit(error_model="numpy", fastmath=fastmath,
                                   cache=cache_file is not None)(ns[h])
            if vectorize:
                sig = numba.float64(*signature) if signature else None
                return numba.vectorize([sig], nopython=True, fastmath=fastmath)(py)
            fn = numba.njit(error_model="numpy", fastmath=fastmath, parallel=parallel,
                            cache=cache_file is not None)(py)
            if signature is not None:
                fn.compile(tuple(signature))
        except (CompileError, LimitExceeded):   # a budget's deadline is not a compile error
            raise
        except Exception as exc:  # numba's TypingError, LoweringError, UnsupportedError ...
            text = str(exc)
            line = _error_line(text, filename)
            first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
            raise CompileError(f"numba failed to compile the generated code: {first}",
                               source=source, line=line) from exc
        return fn

    def wrapper(self, py: Callable, is_array: Sequence[bool], inplace: bool,
                vectorize: bool) -> Callable | None:
        return None

    def cache_state(self, fn: Callable, cache_file: str | None) -> str:
        state = super().cache_state(fn, cache_file)
        if cache_file is not None and hasattr(fn, "stats"):
            try:
                hits = sum(fn.stats.cache_hits.values())
                state = ("hit" if hits else "miss (stored)") + " " + cache_file
            except Exception:  # noqa: BLE001
                pass
        return state


class PythonBackend(Backend):
    """The same source run by the interpreter on ``numpy.float64`` scalars (IEEE results)."""

    name = "python"

    def _user_impl(self, impl: Callable) -> Callable:
        return impl

    def namespace(self, functions_used: set, user: dict | None = None) -> dict:
        user = dict(user or {})
        ns = _base_namespace()
        ns["prange"] = range
        ns["_sign"] = np.sign
        missing = []
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
                    ns[name] = self._user_impl(impl)
        if missing:
            raise ValueError(f"function(s) with no numeric implementation: "
                             f"{', '.join(sorted(missing))}; pass functions={{name: callable}}")
        return ns


class NumpyBackend(PythonBackend):
    """Straight-line source over numpy ufuncs (no loops), as ``sympy.lambdify`` makes."""

    name = "numpy"
    loops = False

    def _user_impl(self, impl: Callable) -> Callable:
        return np.vectorize(impl, otypes=[float])


BACKENDS: dict[str, Backend] = {}
"""name -> ``Backend`` (``compile(..., backend=name)``)."""


def register_backend(name: str, backend: Backend) -> None:
    """Make ``compile(..., backend=name)`` build with ``backend``."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"a backend name must be an identifier, got {name!r}")
    if not isinstance(backend, Backend):
        raise TypeError(f"backend {name!r} must be a symnb.compiler.backends.Backend, "
                        f"got {type(backend).__name__}")
    BACKENDS[name] = backend


def get_backend(backend: str | Backend) -> Backend:
    """The registered backend called ``backend`` (ValueError listing the registered ones)."""
    if isinstance(backend, Backend):
        return backend
    b = BACKENDS.get(backend) if isinstance(backend, str) else None
    if b is None:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return b


for _b in (NumbaBackend(), PythonBackend(), NumpyBackend()):
    register_backend(_b.name, _b)


def namespace(backend: str | Backend, functions_used: set, user: dict | None = None) -> dict:
    """Globals for the generated source: math names, ``inf``/``nan``, ``np``, ``prange``,
    and the unsigned constants of the segment-sum loops (``_U1``, shifts ``_U16``/``_U32``/
    ``_U48`` and mask ``_M16`` unpacking four 16-bit indices): unsigned offsets let numba
    drop its negative-index test."""
    return get_backend(backend).namespace(functions_used, user)


def build(source: str, entry: str, helpers: Sequence[str], tables: dict, backend: str | Backend,
          functions_used: set, *, user_functions: dict | None = None,
          signature: Sequence[Any] | None = None, fastmath: bool = False,
          parallel: bool = False, cache_file: str | None = None, vectorize: bool = False,
          filename: str = "<symnb-generated>",
          table_params: Sequence[str] = ()) -> tuple[Callable, Callable]:
    """Execute ``source`` and return ``(callable, python function)`` for ``entry``.

    ``signature`` is a list of numba types for eager compilation; ``cache_file``
    (numba only) is the on-disk path of the source, enabling numba's cache;
    ``table_params`` (numba only; ``Module.table_params`` from code generation) name the
    tables ``entry`` takes as leading parameters: the callable then wants them first.
    """
    b = get_backend(backend)
    if table_params:
        from numba import typeof
        signature = [typeof(tables[k]) for k in table_params] + list(signature or [])
    ns = b.namespace(functions_used, user_functions)
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
    fn = b.make(py, ns, helpers, source=source, filename=filename, signature=signature,
                fastmath=fastmath, parallel=parallel, cache_file=cache_file, vectorize=vectorize)
    return fn, py
