"""Straight-line chunk bodies as LLVM IR, through a numba ``@intrinsic``.

numba spends ~1.5 ms of CPU per operation typing and lowering straight-line code (each
``a * b`` resolves ``operator.mul`` twice).  For the numba backend's straight-line
``_chunk*`` helpers (``codegen.generate_array``), ``chunk_intrinsics`` reads each helper's
generated source with ``ast`` (assignments, ``u[3]`` loads, ``o[k] = ...`` stores,
``+ - * / **``, unary ``-``, calls of math functions) into a flat list of operations in
Python's evaluation order, and replaces the helper by an intrinsic whose code generator
writes them with ``llvmlite.ir``: ``fadd``/``fsub``/``fmul``/``fdiv`` for the arithmetic
(IEEE, as numba's ``error_model="numpy"`` lowers them) and numba's own lowering
(``context.get_function``) for ``-x``, ``**`` and the functions, so the values are
bit-identical to numba compiling the source.  numba keeps the shell (arguments, entry
function, dispatcher).  Anything else (loops, computed indices, ``_sign``, ``floor``,
``ite``, user functions) raises ``NotImplementedError`` and the helper stays numba source.

>>> import numpy as np
>>> src = '''def f(out, u, p, t):
...     o = out
...     v0 = u[0] * p[1]
...     o[0] = v0 - 2.0 * u[1] / p[0]
...     o[1] = exp(-v0) + u[1] ** 2.5 + t'''
>>> ops, params = straight_line(src)
>>> params, len(ops)
(['out', 'u', 'p', 't'], 22)
>>> k = emit_kernel(ops, params, [True, True, True, False])
>>> out = np.empty(2); k(out, np.array([1.5, 0.25]), np.array([3.0, 0.5]), 1.0)
>>> out.tolist() == [0.75 - 2.0 * 0.25 / 3.0, float(np.exp(-0.75)) + 0.25 ** 2.5 + 1.0]
True
"""
from __future__ import annotations

import ast
import builtins
import math
import operator
import time
from typing import Any, Sequence

from ..terms.limits import LimitExceeded

__all__ = ["straight_line", "make_intrinsic", "emit_kernel", "chunk_intrinsics",
           "is_llvm_chunk", "covers", "MATH", "EMIT_SECONDS"]

#: CPU seconds spent in the intrinsic's code generators (llvmlite builder calls), summed
EMIT_SECONDS = [0.0]

#: name in symnb's generated source -> the Python function numba lowers for it
MATH = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "exp": math.exp, "log": math.log, "sqrt": math.sqrt, "atan2": math.atan2,
    "asinh": math.asinh, "acosh": math.acosh, "atanh": math.atanh, "erf": math.erf,
    "erfc": math.erfc, "gamma": math.gamma, "loggamma": math.lgamma, "abs": abs,
}
_BIN = {ast.Add: "fadd", ast.Sub: "fsub", ast.Mult: "fmul", ast.Div: "fdiv", ast.Pow: "pow"}
_CONSTS = {"inf": math.inf, "nan": math.nan}

# Operations (value ids index the list; one value per op, stores give None):
#   ("arg", pos)  ("load", pos, index)  ("const", float)  ("int", int)
#   ("fadd"|"fsub"|"fmul"|"fdiv"|"pow", a, b)  ("neg", a)  ("call", name, (a, ...))
#   ("store", pos, index, a)


class _Reader:
    def __init__(self, funcs: dict, namespace: dict | None) -> None:
        self.funcs = funcs
        self.namespace = namespace
        self.ops: list[tuple] = []
        self.consts: dict[tuple, int] = {}

    def add(self, op: tuple) -> int:
        if op[0] in ("const", "int", "arg"):
            key = (op[0], op[1], math.copysign(1.0, op[1]) if op[0] == "const" else 0)
            if key in self.consts:
                return self.consts[key]
            self.consts[key] = len(self.ops)
        self.ops.append(op)
        return len(self.ops) - 1

    def body(self, fn: ast.FunctionDef, env: dict) -> None:
        for st in fn.body:
            if isinstance(st, ast.Assign) and len(st.targets) == 1:
                tgt = st.targets[0]
                if isinstance(tgt, ast.Name):
                    env[tgt.id] = self.expr(st.value, env)
                    continue
                if isinstance(tgt, ast.Subscript):
                    pos = self._array(tgt.value, env)
                    self.add(("store", pos, self._index(tgt.slice), self.expr(st.value, env)))
                    continue
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call) and \
                    isinstance(st.value.func, ast.Name) and st.value.func.id in self.funcs:
                callee = self.funcs[st.value.func.id]
                inner = {a.arg: self.expr(v, env) for a, v in zip(callee.args.args,
                                                                   st.value.args)}
                self.body(callee, inner)
                continue
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
                continue   # a docstring
            raise NotImplementedError(f"not straight-line code: {ast.unparse(st)!r} "
                                      f"(compile with reroll=False)")

    def _array(self, node: ast.AST, env: dict) -> int:
        if isinstance(node, ast.Name) and self.ops[env[node.id]][0] == "arg":
            return self.ops[env[node.id]][1]
        raise NotImplementedError(f"subscript of a non-argument: {ast.unparse(node)!r}")

    @staticmethod
    def _index(node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value >= 0:
            return node.value
        raise NotImplementedError(f"non-literal index {ast.unparse(node)!r}")

    def expr(self, e: ast.AST, env: dict) -> int:
        t = type(e)
        if t is ast.Name:
            if e.id in env:
                return env[e.id]
            if e.id in _CONSTS:
                return self.add(("const", _CONSTS[e.id]))
            raise NotImplementedError(f"unknown name {e.id!r}")
        if t is ast.Subscript:
            return self.add(("load", self._array(e.value, env), self._index(e.slice)))
        if t is ast.Constant:
            if type(e.value) is int:
                return self.add(("int", e.value))
            return self.add(("const", float(e.value)))
        if t is ast.UnaryOp and type(e.op) is ast.USub:
            if isinstance(e.operand, ast.Constant):   # CPython folds -2.0 to a constant
                return self.add(("const", -float(e.operand.value)))
            return self.add(("neg", self.expr(e.operand, env)))
        if t is ast.BinOp and type(e.op) in _BIN:
            a = self.expr(e.left, env)
            b = self.expr(e.right, env)
            return self.add((_BIN[type(e.op)], a, b))
        if t is ast.Call and isinstance(e.func, ast.Name) and e.func.id in MATH \
                and not e.keywords and self._is_math(e.func.id):
            return self.add(("call", e.func.id, tuple(self.expr(a, env) for a in e.args)))
        raise NotImplementedError(f"unsupported expression {ast.unparse(e)!r}")


    def _is_math(self, name: str) -> bool:
        """Whether ``name`` means the math function numba lowers (not a user's function
        of that name in the generated code's globals)."""
        if self.namespace is None:
            return True
        return self.namespace.get(name, getattr(builtins, name, None)) is MATH[name]


def straight_line(source: str | ast.Module, entry: str = "f",
                  namespace: dict | None = None) -> tuple[list[tuple], list[str]]:
    """``(operations, parameter names of entry)`` of symnb's straight-line source (or its
    parsed ``ast``); other functions ``entry`` calls as statements are inlined.  With
    ``namespace`` (the globals the source runs with) a call is emitted only where the name
    means the math function itself.  ``NotImplementedError`` for anything else."""
    tree = ast.parse(source) if isinstance(source, str) else source
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    if entry not in funcs:
        raise NotImplementedError(f"no function {entry!r} in the source")
    fn = funcs.pop(entry)
    if fn.args.vararg or fn.args.kwarg or fn.args.kwonlyargs or fn.args.defaults:
        raise NotImplementedError(f"{entry}: only plain positional parameters")
    r = _Reader(funcs, namespace)
    params = [a.arg for a in fn.args.args]
    env = {p: r.add(("arg", k)) for k, p in enumerate(params)}
    r.body(fn, env)
    return r.ops, params


def _codegen(ops: Sequence[tuple]) -> Any:
    from llvmlite import ir
    from numba.core import cgutils, types
    from numba.core.typing import signature

    f64, i64 = types.float64, types.int64
    _I64[0] = i64

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        t0 = time.process_time()
        arrays = [context.make_array(ty)(context, builder, a)
                  if isinstance(ty, types.Array) else None for ty, a in zip(sig.args, args)]
        datas = [a.data if a is not None else v for a, v in zip(arrays, args)]
        dbl, i64t = ir.DoubleType(), ir.IntType(64)

        def ptr(pos: int, index: int) -> Any:
            at = sig.args[pos]
            if at.layout == "C":
                return builder.gep(datas[pos], [ir.Constant(i64t, index)], inbounds=True)
            return cgutils.get_item_pointer(context, builder, at, arrays[pos],
                                            [ir.Constant(i64t, index)], wraparound=False)
        impls: dict = {}

        def impl(key: Any, *argtys: Any) -> Any:
            k = (key, argtys)
            if k not in impls:
                impls[k] = context.get_function(key, signature(f64, *argtys))
            return impls[k]

        vals: list = []
        tys: list = []
        for op in ops:
            k = op[0]
            ty = f64
            if k == "fmul":
                v = builder.fmul(_f(vals, tys, op[1], builder, dbl),
                                 _f(vals, tys, op[2], builder, dbl))
            elif k == "load":
                v = builder.load(ptr(op[1], op[2]))
            elif k == "fadd":
                v = builder.fadd(_f(vals, tys, op[1], builder, dbl),
                                 _f(vals, tys, op[2], builder, dbl))
            elif k == "fsub":
                v = builder.fsub(_f(vals, tys, op[1], builder, dbl),
                                 _f(vals, tys, op[2], builder, dbl))
            elif k == "fdiv":
                v = builder.fdiv(_f(vals, tys, op[1], builder, dbl),
                                 _f(vals, tys, op[2], builder, dbl))
            elif k == "const":
                v = ir.Constant(dbl, op[1])
            elif k == "store":
                builder.store(_f(vals, tys, op[3], builder, dbl), ptr(op[1], op[2]))
                v, ty = None, None
            elif k == "neg":
                v = impl(operator.neg, f64)(builder, [_f(vals, tys, op[1], builder, dbl)])
            elif k == "pow":   # float ** int and float ** float lower differently in numba
                ety = tys[op[2]]
                v = impl(operator.pow, f64, ety)(
                    builder, [_f(vals, tys, op[1], builder, dbl), vals[op[2]]])
            elif k == "call":
                v = impl(MATH[op[1]], *([f64] * len(op[2])))(
                    builder, [_f(vals, tys, a, builder, dbl) for a in op[2]])
            elif k == "int":
                v, ty = ir.Constant(i64t, op[1]), i64
            elif k == "arg":
                v, ty = datas[op[1]], sig.args[op[1]]
            else:
                raise NotImplementedError(k)
            vals.append(v)
            tys.append(ty)
        EMIT_SECONDS[0] += time.process_time() - t0
        return context.get_dummy_value()
    return codegen


def _f(vals: list, tys: list, i: int, builder: Any, dbl: Any) -> Any:
    """Value ``i`` as a double (an integer literal is converted, as numba does)."""
    v = vals[i]
    return builder.sitofp(v, dbl) if tys[i] is _I64[0] else v


_I64: list = [None]   # numba.types.int64, set on the first code generation


def _check_types(arrays: frozenset, stores: frozenset, numbers: frozenset, *tys: Any) -> None:
    """The argument types the emitted body handles: float64 1-d arrays (any layout) where
    it indexes, float64 or int64 numbers where it computes with the argument, anything for
    an unused one (TypeError otherwise: numba then reports a typing error)."""
    from numba.core import types
    for pos, ty in enumerate(tys):
        if pos in arrays:
            if not (isinstance(ty, types.Array) and ty.dtype == types.float64 and
                    ty.ndim == 1 and (ty.mutable or pos not in stores)):
                raise TypeError(f"the emitted body indexes 1-d float64 arrays, got {ty}")
        elif pos in numbers and ty not in (types.float64, types.int64):
            raise TypeError(f"the emitted body takes float64 or int64 numbers, got {ty}")


def make_intrinsic(ops: Sequence[tuple], nparams: int, name: str = "body") -> Any:
    """A numba ``@intrinsic`` of ``nparams`` arguments (1-d float64 arrays where ``ops``
    index, float64/int64 numbers elsewhere) returning None, whose code generator emits
    ``ops``; ``is_llvm_chunk`` recognises it."""
    from numba.core import types
    from numba.extending import intrinsic

    codegen = _codegen(ops)
    arrays = frozenset(op[1] for op in ops if op[0] in ("load", "store"))
    stores = frozenset(op[1] for op in ops if op[0] == "store")
    argpos = {i: op[1] for i, op in enumerate(ops) if op[0] == "arg"}
    numbers = frozenset(argpos[i] for op in ops for i in _operands(op) if i in argpos)
    names = ", ".join(f"a{k}" for k in range(nparams))
    ns: dict = {"types": types, "codegen": codegen, "check": _check_types, "arrays": arrays,
                "stores": stores, "numbers": numbers}
    exec(f"def body(typingctx, {names}):\n"      # our text: the parameter list only
         f"    check(arrays, stores, numbers, {names})\n"
         f"    return types.none({names}), codegen\n", ns)
    body = ns["body"]
    body.__name__ = body.__qualname__ = f"llvm{name}"
    fn = intrinsic(body)
    fn._symnb_llvm_chunk = True
    return fn


def covers(functions_used: set) -> bool:
    """Whether the emitter covers every function of ``functions_used`` (``IR``'s names:
    ``Abs`` prints as ``abs``); where it does, short straight-line parts are better made
    helpers (an intrinsic costs ~nothing) than written into the numba entry function.

    >>> covers({"exp", "Abs"}), covers({"exp", "sign"})
    (True, False)
    """
    return all(("abs" if n == "Abs" else n) in MATH for n in functions_used)


def _operands(op: tuple) -> tuple:
    """The value ids ``op`` computes with."""
    k = op[0]
    if k in ("fadd", "fsub", "fmul", "fdiv", "pow"):
        return op[1:3]
    if k == "neg":
        return (op[1],)
    if k == "call":
        return op[2]
    if k == "store":
        return (op[3],)
    return ()


def is_llvm_chunk(obj: Any) -> bool:
    """Whether ``obj`` is an intrinsic made by ``make_intrinsic``."""
    return getattr(obj, "_symnb_llvm_chunk", False) is True


def chunk_intrinsics(source: str, helpers: Sequence[str], namespace: dict) -> list[str]:
    """Replace, in ``namespace`` (the globals ``source`` ran in), each straight-line helper
    of ``helpers`` by an intrinsic emitting its body; the names replaced, in order.  A
    helper the reader does not cover (or any error reading it) stays as it is."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    done = []
    for h in helpers:
        try:
            ops, params = straight_line(tree, h, namespace)
            fn = make_intrinsic(ops, len(params), h)
        except LimitExceeded:   # a budget's deadline: stop, do not fall back
            raise
        except Exception:  # noqa: BLE001 - anything not covered stays numba source
            continue
        namespace[h] = fn
        done.append(h)
    return done


def emit_kernel(ops: Sequence[tuple], params: Sequence[str], is_array: Sequence[bool],
                signature: Any = None) -> Any:
    """A numba dispatcher ``f(*params)`` whose body is one intrinsic emitting ``ops``;
    compiled eagerly for float64 C arrays (``is_array``) and float64 scalars."""
    import numba
    from numba.core import types

    body = make_intrinsic(ops, len(params))
    names = ", ".join(f"a{k}" for k in range(len(params)))
    shell: dict = {"_body": body}
    exec(f"def f({names}):\n    _body({names})\n", shell)
    fn = numba.njit(error_model="numpy")(shell["f"])
    if signature is None:
        arr = types.Array(types.float64, 1, "C")
        signature = tuple(arr if a else types.float64 for a in is_array)
    fn.compile(tuple(signature))
    return fn
