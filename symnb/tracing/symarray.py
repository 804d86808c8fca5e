"""Symbolic arrays: numpy code runs unchanged on arrays of symnb terms.

``sym_array("u", (2, 3))`` is a ``SymArray`` of the symbols ``u[0,0] ... u[1,2]``.
Arithmetic, slicing, reshape, broadcasting, ``@`` / ``np.dot`` with numeric
matrices (zeros skipped), ``np.roll``, ``np.concatenate`` / ``np.stack``,
elementwise ``np.sin`` / ``np.exp`` / ..., ``np.where`` with a numeric condition
and reductions such as ``np.sum`` work; sums are built in linear time, so zeros
and exact cancellations never enter the DAG.

>>> import numpy as np
>>> u = sym_array("u", 3)
>>> M = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, -1.0], [0.0, 0.0, 0.0]])
>>> [str(e) for e in (M @ u).terms]
['2*u[0] + u[1]', 'u[1] - u[2]', '0']
>>> [str(e) for e in np.roll(u, 1).terms]
['u[2]', 'u[0]', 'u[1]']
>>> str(np.sum(np.exp(u) - u + u))
'exp(u[0]) + exp(u[1]) + exp(u[2])'
"""
from __future__ import annotations

import itertools
import math
from typing import Any, Callable, Sequence

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from ..reprs import RenderedHTML
from ..terms.assumptions import ALL as ALL_WORLDS
from ..terms.core import (ZERO, Symbol, Term, acc_add, make_add, mul, power, symbol_with_worlds,
                          sympify_num)
from ..terms.numbers import as_num
from .errors import TraceError
from .linear import Combination

__all__ = ["SymArray", "sym_array", "as_terms"]


def _num(v: Any) -> Any:
    """as_num, with integral floats made exact (``1.0*x`` -> ``x``; values are unchanged)."""
    n = as_num(v)
    if type(n) is float and n.is_integer() and abs(n) < 2 ** 53:
        return int(n)
    return n


def _to_term(v: Any) -> Term:
    if isinstance(v, Term):
        return v
    n = _num(v)
    if n is None:
        if isinstance(v, (bool, np.bool_)):
            return sympify_num(int(v))
        if isinstance(v, SymArray) and v.ndim == 0:
            return v._a[()]
        raise TraceError(f"cannot use a {type(v).__name__} inside a symbolic array",
                         "use numbers, symnb terms or symbolic arrays")
    return sympify_num(n)


_conv = np.frompyfunc(_to_term, 1, 1)


def as_terms(x: Any) -> np.ndarray:
    """An object ndarray of terms for a SymArray, term, number or numeric array."""
    if isinstance(x, SymArray):
        return x._a
    if isinstance(x, Term):
        a = np.empty((), dtype=object)
        a[()] = x
        return a
    if isinstance(x, (list, tuple)):
        x = _structure(x)
        if isinstance(x, SymArray):
            return x._a
    a = np.asarray(x)
    if a.dtype.kind not in "biuf" and a.dtype != object:
        raise TraceError(f"cannot trace an array of dtype {a.dtype}", "use float arrays")
    out = _conv(a)
    return out if isinstance(out, np.ndarray) else _scalar_obj(out)


def _scalar_obj(t: Any) -> np.ndarray:
    a = np.empty((), dtype=object)
    a[()] = t
    return a


def _structure(x: Any) -> Any:
    """Turn (nested) lists holding SymArrays / terms into a SymArray; else return as is."""
    if isinstance(x, (list, tuple)):
        items = [_structure(i) for i in x]
        if any(isinstance(i, (SymArray, Term)) for i in items):
            parts = [as_terms(i) for i in items]
            return SymArray(np.stack(parts) if parts else np.empty(0, dtype=object))
        return items if isinstance(x, list) else tuple(items)
    return x


def _wrap(a: Any) -> Any:
    if isinstance(a, np.ndarray):
        if a.dtype == object:
            return SymArray(a if _all_terms(a) else _conv(a))
        return a
    if isinstance(a, (list, tuple)):
        return type(a)(_wrap(v) for v in a)
    if isinstance(a, Term):
        return SymArray(_scalar_obj(a))
    return a


def _all_terms(a: np.ndarray) -> bool:
    """Every element of the object array ``a`` is a term (checked per type, not per element)."""
    return all(issubclass(t, Term) for t in set(map(type, a.ravel().tolist())))


def _unwrap(x: Any) -> Any:
    if isinstance(x, SymArray):
        return x._a
    if isinstance(x, Term):
        return _scalar_obj(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v) for v in x)
    return x


def _lin_sum(items: Any) -> Term:
    """sum of terms in O(n) (the accumulator drops zeros and cancellations)."""
    d: dict = {}
    c: Any = 0
    for t in items:
        c = acc_add(d, c, t)
    return make_add(c, d)


def _reduce_sum(a: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    if axis is None:
        r = _scalar_obj(_lin_sum(a.flat))
        return r.reshape((1,) * a.ndim) if keepdims else r
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = tuple(ax % a.ndim for ax in axes)
    keep = [i for i in range(a.ndim) if i not in axes]
    moved = np.transpose(a, keep + list(axes))
    lead = moved.shape[:len(keep)]
    flat = moved.reshape(lead + (-1,))
    out = np.empty(lead, dtype=object)
    for idx in np.ndindex(*lead):
        out[idx] = _lin_sum(flat[idx])
    if keepdims:
        out = out.reshape(tuple(1 if i in axes else a.shape[i] for i in range(a.ndim)))
    return out


def _is_numeric(x: Any) -> bool:
    if isinstance(x, (SymArray, Term)):
        return False
    if isinstance(x, np.ndarray):
        return x.dtype != object
    return as_num(x) is not None or isinstance(x, (bool, np.bool_))


def _matmul(a: Any, b: Any) -> np.ndarray:
    """``a @ b`` with object/term arrays; zero numeric entries are skipped."""
    A = a if isinstance(a, np.ndarray) else np.asarray(a)
    B = b if isinstance(b, np.ndarray) else np.asarray(b)
    if A.ndim == 0 or B.ndim == 0:
        raise TraceError("matmul: scalar operands are not allowed", "use * for scaling")
    va, vb = A.ndim == 1, B.ndim == 1
    if va:
        A = A[None, :]
    if vb:
        B = B[:, None]
    if A.ndim > 2 or B.ndim > 2:
        raise TraceError("matmul of stacked (>2-D) symbolic arrays is not supported",
                         "loop over the leading axis")
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: shapes {A.shape} and {B.shape} are not aligned")
    m, k = A.shape
    n = B.shape[1]
    out = np.empty((m, n), dtype=object)
    a_num, b_num = A.dtype != object, B.dtype != object
    if a_num:
        Bt = as_terms(B) if b_num else B
        for i in range(m):
            nz = np.flatnonzero(A[i])
            coef = [_num(A[i, q]) for q in nz]
            for j in range(n):
                d: dict = {}
                c: Any = 0
                for q, w in zip(nz, coef):
                    c = acc_add(d, c, Bt[q, j], w)
                out[i, j] = make_add(c, d)
    elif b_num:
        for j in range(n):
            nz = np.flatnonzero(B[:, j])
            coef = [_num(B[q, j]) for q in nz]
            for i in range(m):
                d = {}
                c = 0
                for q, w in zip(nz, coef):
                    c = acc_add(d, c, A[i, q], w)
                out[i, j] = make_add(c, d)
    else:
        for i in range(m):
            for j in range(n):
                out[i, j] = _lin_sum(A[i, q] * B[q, j] for q in range(k))
    if va and vb:
        return _scalar_obj(out[0, 0])
    if va:
        return out[0]
    if vb:
        return out[:, 0]
    return out


def _fn(name: str) -> Callable[[Term], Term]:
    from ..terms import functions as F
    return getattr(F, name)


_UNARY = {"sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "asin", "arccos": "acos",
          "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "exp": "exp",
          "log": "log", "sqrt": "sqrt", "absolute": "Abs", "fabs": "Abs", "sign": "sign"}
_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda x, y: x + y, "subtract": lambda x, y: x - y,
    "multiply": lambda x, y: x * y, "true_divide": lambda x, y: x / y,
    "divide": lambda x, y: x / y, "power": lambda x, y: x ** y,
    "float_power": lambda x, y: x ** y,
}
_EXTRA_UNARY: dict[str, Callable[[Any], Any]] = {
    "negative": lambda x: -x, "positive": lambda x: x, "square": lambda x: x * x,
    "reciprocal": lambda x: 1 / x, "conjugate": lambda x: x,
    "exp2": lambda x: 2 ** x, "expm1": lambda x: _fn("exp")(x) - 1,
    "log1p": lambda x: _fn("log")(1 + x), "log2": lambda x: _fn("log")(x) / _fn("log")(2),
    "log10": lambda x: _fn("log")(x) / _fn("log")(10),
    "cbrt": lambda x: x ** (sympify_num(1) / 3),
}
_COMPARE = {"less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
            "maximum", "minimum", "fmax", "fmin", "logical_and", "logical_or", "logical_not"}

_UFUNC_CACHE: dict[str, Any] = {}


def _elementwise(name: str, nin: int) -> Any:
    f = _UFUNC_CACHE.get(name)
    if f is None:
        if name in _UNARY:
            g = _fn(_UNARY[name])
        elif name in _EXTRA_UNARY:
            g = _EXTRA_UNARY[name]
        else:
            g = _BINARY[name]
        f = _UFUNC_CACHE[name] = np.frompyfunc(g, nin, 1)
    return f


# ``x * y`` and ``x ** y`` of two terms are ``mul(x, y)`` and ``power(x, y)``
_ON_TERMS = {"multiply": np.frompyfunc(mul, 2, 1), "power": np.frompyfunc(power, 2, 1),
             "float_power": np.frompyfunc(power, 2, 1)}
_LINEAR = {"add", "subtract", "multiply", "negative", "positive"}
_as_numbers = np.frompyfunc(_num, 1, 1)


def _numeric_operand(x: Any) -> Any:
    """A finite real number or array as a number / object array of numbers (None if not)."""
    if isinstance(x, (SymArray, Term)) or isinstance(x, (bool, np.bool_)):
        return None
    a = np.asarray(x)
    if a.dtype.kind not in "iuf" or not np.all(np.isfinite(a)):
        return None          # bools, complex, inf/nan: the eager path handles them
    return _num(a[()]) if a.ndim == 0 else _number_array(a)


def _number_array(a: np.ndarray) -> np.ndarray:
    """``_as_numbers(a)`` for a finite int or float array, vectorised: Python ints and
    floats, integral floats (below 2**53) made ints as ``_num`` does."""
    if a.dtype.kind != "f" or a.dtype.itemsize > 8 or a.size < 32:
        return _as_numbers(a)
    f = a.astype(np.float64)
    out = f.astype(object)
    whole = (f == np.trunc(f)) & (np.abs(f) < 2.0 ** 53)
    if whole.any():
        out[whole] = f[whole].astype(np.int64).astype(object)
    return out


def _combination(x: Any) -> Combination:
    """A symbolic operand as a ``Combination`` (a private copy of built terms)."""
    if isinstance(x, Term):
        return Combination.of(_scalar_obj(x), ())
    if x._m is None:
        return x._lin
    return Combination.of(x._m.copy(), x._m.shape)


def _linear(name: str, inputs: tuple) -> Combination | None:
    """``+``, ``-``, unary ``-`` and scaling by numbers as a pending ``Combination``
    (None: compute elementwise now)."""
    try:
        if name in ("negative", "positive"):
            c = _combination(inputs[0])
            return c if name == "positive" else c.scaled(-1)
        x, y = inputs
        kx, ky = _numeric_operand(x), _numeric_operand(y)
        if name == "multiply":
            if (kx is None) == (ky is None):
                return None
            return _combination(y).scaled(kx) if kx is not None else _combination(x).scaled(ky)
        cx = _combination(x) if kx is None else Combination.of(as_terms(x), np.shape(x))
        cy = _combination(y) if ky is None else Combination.of(as_terms(y), np.shape(y))
        return cx.plus(cy, -1 if name == "subtract" else 1)
    except (OverflowError, TypeError, AttributeError):
        return None


class SymArray(RenderedHTML, NDArrayOperatorsMixin):
    """An n-d array of symnb terms that numpy functions accept (``.terms`` flat list)."""

    __slots__ = ("_m", "_lin")
    __array_priority__ = 1000

    def __init__(self, a: np.ndarray) -> None:
        if not isinstance(a, np.ndarray) or a.dtype != object:
            a = as_terms(a)
        self._m: np.ndarray | None = a
        self._lin: Combination | None = None

    @classmethod
    def _pending(cls, lin: Combination) -> "SymArray":
        """An array whose elements are the sums ``lin`` builds when first read."""
        s = cls.__new__(cls)
        s._m = None
        s._lin = lin
        return s

    @property
    def _a(self) -> np.ndarray:
        """The object ndarray of terms (pending sums are built here, once)."""
        m = self._m
        if m is None:
            m = self._m = self._lin.build()   # type: ignore[union-attr]
            self._lin = None
        return m

    # ----- array protocol ------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self._a.shape if self._m is not None else self._lin.shape  # type: ignore

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def dtype(self) -> np.dtype:
        return self._a.dtype

    @property
    def T(self) -> "SymArray":
        return SymArray(self._a.T)

    @property
    def terms(self) -> list:
        """The elements as a flat list of terms (C order)."""
        return list(self._a.flat)

    def to_numpy(self) -> np.ndarray:
        """The underlying object ndarray of terms (a view)."""
        return self._a

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d symbolic array")
        return self.shape[0]

    def __iter__(self) -> Any:
        for i in range(len(self._a)):
            yield self[i]

    def __getitem__(self, idx: Any) -> "SymArray":
        idx = _check_index(idx)
        r = self._a[idx]
        return SymArray(r) if isinstance(r, np.ndarray) else SymArray(_scalar_obj(r))

    def __setitem__(self, idx: Any, value: Any) -> None:
        v = as_terms(value)
        self._a[_check_index(idx)] = v[()] if v.ndim == 0 else v

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TraceError("a symbolic array cannot become a numeric numpy array "
                         "(assignment into a float array, np.asarray, float())",
                         "create the output with np.zeros_like(u) / np.empty_like(u) of a "
                         "symbolic input, or build it with np.concatenate / np.stack")

    def __float__(self) -> float:
        raise TraceError("float() of a symbolic value", "keep the value symbolic")

    def __int__(self) -> int:
        raise TraceError("int() of a symbolic value", "index with numbers only")

    def __index__(self) -> int:
        raise TraceError("a symbolic value used as an index", "index with numbers only")

    def __bool__(self) -> bool:
        raise TraceError("Python 'if'/'while'/'and'/'or' on a symbolic value",
                         "write both branches and select with np.where(numeric_condition, a, b),"
                         " or make the condition depend on numbers only")

    def __repr__(self) -> str:
        if self.ndim == 0:
            return f"SymArray({self._a[()]})"
        body = np.array2string(self._a, formatter={"object": str}, threshold=50,
                               separator=", ")
        return f"SymArray({body}, shape={self.shape})"

    def __str__(self) -> str:
        return str(self._a[()]) if self.ndim == 0 else repr(self)

    # ----- methods numpy code calls ---------------------------------------
    def reshape(self, *shape: Any, order: str = "C") -> "SymArray":
        return SymArray(self._a.reshape(*shape, order=order))

    def ravel(self, order: str = "C") -> "SymArray":
        return SymArray(self._a.ravel(order))

    def flatten(self, order: str = "C") -> "SymArray":
        return SymArray(self._a.flatten(order))

    def transpose(self, *axes: Any) -> "SymArray":
        return SymArray(self._a.transpose(*axes))

    def copy(self) -> "SymArray":
        return SymArray(self._a.copy())

    def sum(self, axis: Any = None, keepdims: bool = False) -> "SymArray":
        return SymArray(_reduce_sum(self._a, axis, keepdims))

    def dot(self, other: Any) -> "SymArray":
        return SymArray(_matmul(self._a, _unwrap(other)))

    def tolist(self) -> Any:
        return self._a.tolist()

    def astype(self, dtype: Any, copy: bool = True) -> "SymArray":
        if np.dtype(dtype) == object or np.dtype(dtype).kind == "f":
            return self.copy() if copy else self
        raise TraceError(f"astype({dtype}) of a symbolic array", "keep float dtype")

    # ----- numpy dispatch -----------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        name = ufunc.__name__
        out = kwargs.pop("out", None)
        if name in _COMPARE:
            raise TraceError(f"np.{name} on a symbolic value (a comparison / branch that "
                             "depends on the state)",
                             "compare numeric arrays only (e.g. coordinates) and select with "
                             "np.where(numeric_condition, a, b)")
        if method == "reduce" and name == "add":
            axis = kwargs.get("axis", 0)
            r = _reduce_sum(_unwrap(inputs[0]), axis, kwargs.get("keepdims", False))
        elif method == "reduce" and name == "multiply":
            r = np.multiply.reduce(_unwrap(inputs[0]), axis=kwargs.get("axis", 0))
        elif method != "__call__":
            raise TraceError(f"np.{name}.{method} is not supported on symbolic arrays",
                             "use np.sum or plain arithmetic")
        elif name == "matmul":
            r = _matmul(*[_unwrap(x) for x in inputs])
        elif out is None and name in _LINEAR and \
                (lin := _linear(name, inputs)) is not None:
            return SymArray._pending(lin)
        elif name in _UNARY or name in _EXTRA_UNARY or name in _BINARY:
            args = [_unwrap(x) if not _is_numeric(x) else as_terms(x) for x in inputs]
            direct = _ON_TERMS.get(name)
            if direct is not None and all(isinstance(x, (SymArray, Term)) or _is_numeric(x)
                                          for x in inputs):
                r = direct(*args)     # every element is a term: skip the operator dispatch
            else:
                r = _elementwise(name, len(args))(*args)
        else:
            raise TraceError(f"np.{name} is not supported on symbolic arrays",
                             "use arithmetic and the elementwise functions np.sin, np.exp, "
                             "np.log, np.sqrt, ...")
        res = _wrap(r if isinstance(r, np.ndarray) else _scalar_obj(r))
        if out is not None:
            target = out[0] if isinstance(out, tuple) else out
            if not isinstance(target, SymArray):
                raise TraceError("out= a numeric array with a symbolic result",
                                 "drop out= or pass a symbolic array")
            target[...] = res
            return target
        return res

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        name = func.__name__
        handler = _HANDLED.get(name)
        if handler is not None:
            return handler(*args, **kwargs)
        if name in _STRUCTURAL:
            r = func(*_unwrap(args), **kwargs)
            if isinstance(r, np.ndarray) and r.dtype == object and _only_moved(name, args):
                return SymArray(r)       # every element comes from a symbolic array
            return _wrap(r)
        raise TraceError(f"np.{name} is not supported on symbolic arrays",
                         "use slicing, arithmetic, np.roll/np.concatenate/np.stack/np.where "
                         "or write it elementwise")


def _check_index(idx: Any) -> Any:
    for i in (idx if isinstance(idx, tuple) else (idx,)):
        if isinstance(i, (SymArray, Term)):
            raise TraceError("a symbolic value used as an index", "index with numbers only")
    return idx


_STRUCTURAL = {
    "roll", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack",
    "reshape", "transpose", "swapaxes", "moveaxis", "flip", "fliplr", "flipud", "ravel",
    "squeeze", "expand_dims", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_to",
    "tile", "repeat", "diagonal", "copy", "take", "split", "array_split", "hsplit", "vsplit",
    "append", "block", "rot90", "shape", "ndim", "size", "diag", "triu", "tril", "delete",
    "insert", "broadcast_arrays", "result_type", "may_share_memory", "shares_memory",
}


# numpy functions that only move elements of their first argument (or, for the joins,
# of the arrays in it) to the result: nothing to check or convert when those are symbolic
_MOVES = {"roll", "reshape", "transpose", "swapaxes", "moveaxis", "flip", "fliplr", "flipud",
          "ravel", "squeeze", "expand_dims", "rot90", "copy", "broadcast_to", "tile", "repeat",
          "take"}
_JOINS = {"concatenate", "stack", "hstack", "vstack"}


def _only_moved(name: str, args: tuple) -> bool:
    """The result of ``np.<name>(*args)`` holds only elements of symbolic arrays."""
    if not args:
        return False
    if name in _MOVES:
        return isinstance(args[0], SymArray)
    return name in _JOINS and isinstance(args[0], (list, tuple)) and \
        all(isinstance(a, SymArray) for a in args[0])


def _like(fill: Any) -> Callable[..., Any]:
    def make(a: Any, dtype: Any = None, order: Any = "K", subok: bool = True,
             shape: Any = None, **kw: Any) -> SymArray:
        shp = a.shape if shape is None else shape
        out = np.empty(shp, dtype=object)
        out.fill(fill)
        return SymArray(out)
    return make


def _full_like(a: Any, fill_value: Any, dtype: Any = None, order: Any = "K", subok: bool = True,
               shape: Any = None) -> SymArray:
    out = np.empty(a.shape if shape is None else shape, dtype=object)
    out.fill(_to_term(fill_value.terms[0] if isinstance(fill_value, SymArray) and
                      fill_value.ndim == 0 else fill_value))
    return SymArray(out)


def _where(cond: Any, x: Any = None, y: Any = None) -> Any:
    if x is None or y is None:
        raise TraceError("np.where(cond) with one argument on symbolic values",
                         "use a numeric condition")
    if not _is_numeric(cond):
        raise TraceError("np.where with a symbolic condition",
                         "the condition must be numeric (coordinates, masks); compute both "
                         "branches symbolically and select with a numeric mask")
    c = np.asarray(cond).astype(bool)
    r = np.where(c, as_terms(x), as_terms(y))
    return SymArray(r)


def _sum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         **kw: Any) -> Any:
    return SymArray(_reduce_sum(as_terms(a), axis, keepdims))


def _mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
          **kw: Any) -> Any:
    t = as_terms(a)
    s = _reduce_sum(t, axis, keepdims)
    n = t.size if axis is None else int(np.prod([t.shape[i] for i in
                                                 ((axis,) if isinstance(axis, int) else axis)]))
    return SymArray(s) * (sympify_num(1) / n)


def _dot(a: Any, b: Any, out: Any = None) -> Any:
    A, B = as_terms(a) if not _is_numeric(a) else np.asarray(a), \
        as_terms(b) if not _is_numeric(b) else np.asarray(b)
    if A.ndim == 0 or B.ndim == 0:
        return SymArray(as_terms(a)) * b if _is_numeric(b) else a * SymArray(as_terms(b))
    return SymArray(_matmul(A, B))


def _diff(a: Any, n: int = 1, axis: int = -1, **kw: Any) -> Any:
    t = as_terms(a)
    for _ in range(n):
        sl1 = [slice(None)] * t.ndim
        sl0 = [slice(None)] * t.ndim
        sl1[axis] = slice(1, None)
        sl0[axis] = slice(None, -1)
        t = _elementwise("subtract", 2)(t[tuple(sl1)], t[tuple(sl0)])
    return SymArray(t)


def _pad(a: Any, pad_width: Any, mode: str = "constant", **kw: Any) -> Any:
    t = as_terms(a)
    if mode == "constant":
        cv = kw.get("constant_values", 0)
        r = np.pad(t, pad_width, mode="constant", constant_values=_to_term(cv))
    elif mode in ("wrap", "edge", "reflect", "symmetric"):
        r = np.pad(t, pad_width, mode=mode)
    else:
        raise TraceError(f"np.pad mode {mode!r} on symbolic arrays",
                         "use 'constant', 'wrap', 'edge', 'reflect' or 'symmetric'")
    return SymArray(r)


def _asarray(a: Any, dtype: Any = None, **kw: Any) -> Any:
    if dtype is not None and np.dtype(dtype) != object and np.dtype(dtype).kind != "f":
        raise TraceError(f"np.asarray(..., dtype={dtype}) of a symbolic array",
                         "keep float dtype")
    if isinstance(a, SymArray):
        return a
    return SymArray(as_terms(a))


def _array(a: Any, dtype: Any = None, copy: bool = True, **kw: Any) -> Any:
    r = _asarray(a, dtype)
    return r.copy() if copy else r


def _einsum_unsupported(*a: Any, **k: Any) -> Any:
    raise TraceError("np.einsum on symbolic arrays", "use @ / np.dot or explicit sums")


def _tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    raise TraceError("np.tensordot on symbolic arrays", "use @ / np.dot")


def _outer(a: Any, b: Any, out: Any = None) -> Any:
    A = as_terms(a).ravel()
    B = as_terms(b).ravel()
    return SymArray(_elementwise("multiply", 2)(A[:, None], B[None, :]))


def _prod(a: Any, axis: Any = None, **kw: Any) -> Any:
    t = as_terms(a)
    if axis is None:
        r = sympify_num(1)
        for v in t.flat:
            r = r * v
        return SymArray(_scalar_obj(r))
    return SymArray(np.multiply.reduce(t, axis=axis))


def _cumsum(a: Any, axis: Any = None, **kw: Any) -> Any:
    t = as_terms(a)
    if axis is None:
        t = t.ravel()
        axis = 0
    t = np.moveaxis(t, axis, -1)
    out = np.empty_like(t)
    for idx in np.ndindex(*t.shape[:-1]):
        d: dict = {}
        c: Any = 0
        for k in range(t.shape[-1]):
            c = acc_add(d, c, t[idx + (k,)])
            out[idx + (k,)] = make_add(c, dict(d))
    return SymArray(np.moveaxis(out, -1, axis))


_HANDLED: dict[str, Callable[..., Any]] = {
    "zeros_like": _like(ZERO), "empty_like": _like(ZERO),
    "ones_like": _like(sympify_num(1)), "full_like": _full_like,
    "where": _where, "sum": _sum, "mean": _mean, "dot": _dot,
    "diff": _diff, "pad": _pad, "asarray": _asarray, "asanyarray": _asarray,
    "ascontiguousarray": _asarray, "array": _array, "einsum": _einsum_unsupported,
    "tensordot": _tensordot, "outer": _outer, "prod": _prod, "cumsum": _cumsum,
}


def sym_array(name: str, shape: int | Sequence[int]) -> SymArray:
    """An array of fresh symbols ``name[i,j,...]`` with the given shape.

    >>> sym_array("u", (2, 2)).terms
    [u[0,0], u[0,1], u[1,0], u[1,1]]
    """
    if not isinstance(name, str) or not name:
        raise ValueError("sym_array needs a non-empty name")
    shp = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)
    if any(s < 0 for s in shp):
        raise ValueError(f"sym_array shape must be non-negative, got {shp}")
    if not shp:
        return SymArray(_scalar_obj(Symbol(name)))
    indices = range(shp[0]) if len(shp) == 1 else \
        map(",".join, itertools.product(*[list(map(str, range(s))) for s in shp]))
    syms = [symbol_with_worlds(f"{name}[{i}]", ALL_WORLDS) for i in indices]   # = Symbol(...)
    return SymArray(np.fromiter(syms, dtype=object, count=math.prod(shp)).reshape(shp))
