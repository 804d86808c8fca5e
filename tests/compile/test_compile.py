"""Behaviour of symnb.compile: values vs evaluate, forms, re-rolling, Jacobians, errors."""
from __future__ import annotations

import math
from fractions import Fraction
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symnb.compiler import CompileError, Compiled, compile, compile_array, jacobian
from symnb.terms import (Abs, Function, atan, cos, evaluate, exp, log, sign, sin, sqrt, symbols,
                         tanh)

from .conftest import brusselator, mass_action

X, Y, Z = symbols("x y z")
LEAVES = [X, Y, Z]


def _assert_same(got: np.ndarray, want: np.ndarray, rtol: float = 1e-12) -> None:
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    assert np.array_equal(np.isposinf(got), np.isposinf(want)), (got, want)
    assert np.array_equal(np.isneginf(got), np.isneginf(want)), (got, want)
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=rtol, atol=1e-300)


# ----------------------------------------------------------------------
# random expressions
# ----------------------------------------------------------------------
_FUNCS = [sin, cos, exp, log, tanh, atan, Abs, sign, sqrt]


def _safe_pow(b: object, n: object) -> object:
    try:
        return b ** n if not (isinstance(n, int) and n == 0) else b
    except ZeroDivisionError:   # an exact 0 ** negative
        return b


def _exprs() -> st.SearchStrategy:
    leaf = st.one_of(st.sampled_from(LEAVES),
                     st.integers(-3, 3).map(lambda n: X * 0 + n),
                     st.sampled_from([0.5, -1.25, 2.0]).map(lambda v: X * 0 + v))

    def extend(sub: st.SearchStrategy) -> st.SearchStrategy:
        return st.one_of(
            st.tuples(sub, sub).map(lambda p: p[0] + p[1]),
            st.tuples(sub, sub).map(lambda p: p[0] - p[1]),
            st.tuples(sub, sub).map(lambda p: p[0] * p[1]),
            st.tuples(sub, sub).map(lambda p: p[0] / (p[1] + 5)),
            st.tuples(sub, st.integers(-3, 4)).map(lambda p: _safe_pow(p[0], p[1])),
            st.tuples(st.sampled_from(_FUNCS), sub).map(lambda p: p[0](p[1])),
            st.tuples(sub, sub).map(lambda p: _safe_pow(Abs(p[0]), p[1] / 4)),
        )
    return st.recursive(leaf, extend, max_leaves=8)


POINTS = np.array([[0.5, -1.5, 2.0], [-0.75, 0.25, 1.0], [2.5, 1.0, -0.5], [0.0, 3.0, 0.125]])


def _evaluate_all(exprs: list, points: np.ndarray) -> np.ndarray:
    out = np.empty((len(points), len(exprs)))
    for p, pt in enumerate(points):
        env = dict(zip(LEAVES, pt))
        for i, e in enumerate(exprs):
            out[p, i] = evaluate(e, env)
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_exprs(), min_size=3, max_size=6))
def test_random_expressions_every_backend_matches_evaluate(exprs: list) -> None:
    want = _evaluate_all(exprs, POINTS)
    for backend in ("numba", "python", "numpy"):
        f = compile_array(exprs, args=[LEAVES], backend=backend)
        got = np.array([f(pt.copy()) for pt in POINTS])
        _assert_same(got, want)


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(_exprs())
def test_random_scalar_and_vectorized_forms(expr: object) -> None:
    want = _evaluate_all([expr], POINTS)[:, 0]
    for backend in ("python", "numpy", "numba"):
        f = compile(expr, args=LEAVES, backend=backend)
        _assert_same([f(*pt) for pt in POINTS], want)
    v = compile(expr, args=LEAVES, vectorize=True)
    with np.errstate(all="ignore"):
        got = v(POINTS[:, 0], POINTS[:, 1], POINTS[:, 2])
    _assert_same(got, want)


# ----------------------------------------------------------------------
# forms
# ----------------------------------------------------------------------
def test_scalar_source_is_readable_and_cse_shares_subterms() -> None:
    e = sin(X * Y) ** 2 + cos(X * Y) ** 3 + exp(X * Y) / Y
    f = compile(e, args=[X, Y])
    assert f.source.count("x * y") + f.source.count("y * x") == 1
    assert f(0.3, 0.7) == pytest.approx(evaluate(e, {X: 0.3, Y: 0.7}), rel=1e-14)
    assert f.stats["ops_cse"] < f.stats["ops_tree"]
    assert isinstance(f, Compiled) and "text/html" in f._repr_mimebundle_()
    assert "def f(x, y)" in f._repr_html_()


def test_ieee_semantics_in_numba() -> None:
    f = compile(1 / X + log(Y), args=[X, Y])
    assert f(0.0, 1.0) == math.inf
    assert math.isnan(f(1.0, -1.0))
    assert f(1.0, 0.0) == -math.inf
    g = compile(sqrt(X), args=[X])
    assert math.isnan(g(-1.0))
    # exact numbers beyond the float range become inf (was OverflowError while lowering)
    h = compile(10 ** 400 * X + X ** Fraction(10 ** 400 + 1, 3), args=[X])
    assert h(2.0) == math.inf and h(-1.0) == -math.inf


@pytest.fixture(scope="module")
def small_system() -> tuple:
    u = list(symbols("u0:3"))
    a, t = symbols("a t")
    exprs = [u[1] * a - sin(t * u[0]), u[0] ** 2 - u[2] / (1 + u[1] ** 2), exp(-u[2]) * a + t]
    return exprs, u, a, t


def test_inplace_writes_into_given_array(small_system: tuple) -> None:
    exprs, u, a, t = small_system
    for backend in ("numba", "python", "numpy"):
        rhs = compile_array(exprs, args=[u, a, t], inplace=True, backend=backend)
        du = np.full(3, -7.0)
        ident = id(du)
        x = np.array([0.3, -1.2, 0.8])
        assert rhs(du, x, 1.5, 0.25) is None
        assert id(du) == ident
        env = {u[0]: 0.3, u[1]: -1.2, u[2]: 0.8, a: 1.5, t: 0.25}
        _assert_same(du, [evaluate(e, env) for e in exprs])


def test_out_of_place_two_dimensional(small_system: tuple) -> None:
    exprs, u, a, t = small_system
    f = compile_array([exprs, exprs[::-1]], args=[u, a, t])
    r = f(np.array([0.3, -1.2, 0.8]), 1.5, 0.25)
    assert r.shape == (2, 3)
    np.testing.assert_array_equal(r[0], r[1][::-1])


def test_sympy_and_symengine_expressions_compile_directly() -> None:
    import symengine
    import sympy
    sx, sy = sympy.symbols("x y")
    e = sympy.sin(sx) * sy ** 2 - sympy.sqrt(sx) / (1 + sy) + sympy.pi
    f = compile(e, args=[sx, sy])
    want = float(e.subs({sx: 0.7, sy: 1.3}).evalf(30))
    assert f(0.7, 1.3) == pytest.approx(want, rel=1e-13)
    ex, ey = symengine.symbols("x y")
    g = compile_array([symengine.exp(ex) * ey, ex - ey ** 3], args=[[ex, ey]], backend="python")
    np.testing.assert_allclose(g(np.array([0.5, 2.0])), [math.exp(0.5) * 2, 0.5 - 8], rtol=1e-14)


# ----------------------------------------------------------------------
# re-rolling
# ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def bruss6() -> tuple:
    ex, y = brusselator(6)
    serial = compile_array(ex, args=[y], inplace=True)
    par = compile_array(ex, args=[y], inplace=True, parallel=True)
    return ex, y, serial, par


def test_brusselator_rerolls_into_two_loops(bruss6: tuple, rng: np.random.Generator) -> None:
    ex, y, serial, _ = bruss6
    assert serial.stats["loops"] == 2
    assert serial.stats["looped_outputs"] == len(ex)
    assert serial.stats["straight_line_outputs"] == 0
    assert serial.source.count("for j in range") == 2
    x = rng.uniform(0, 2, len(y))
    du = np.empty(len(ex))
    serial(du, x)
    env = dict(zip(y, x))
    _assert_same(du, [evaluate(e, env) for e in ex])


def test_parallel_equals_serial(bruss6: tuple, rng: np.random.Generator) -> None:
    ex, y, serial, par = bruss6
    assert "prange" in par.source
    x = rng.uniform(0, 2, len(y))
    a, b = np.empty(len(ex)), np.empty(len(ex))
    serial(a, x)
    par(b, x)
    np.testing.assert_array_equal(a, b)


def test_mass_action_network_uses_segment_sums(rng: np.random.Generator) -> None:
    du, y, k = mass_action(40, 120, seed=3)
    f = compile_array(du, args=[y, k], inplace=True)
    fp = compile_array(du, args=[y, k], inplace=True, parallel=True)
    assert f.stats["segment_sum_rows"] > 0 and f.stats["loops"] >= 1
    x, kv = rng.uniform(0, 1, 40), rng.uniform(0, 1, 120)
    out, outp = np.empty(40), np.empty(40)
    f(out, x, kv)
    fp(outp, x, kv)
    env = dict(zip(y, x)) | dict(zip(k, kv))
    want = np.array([evaluate(e, env) for e in du])
    np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-14 * np.abs(want).max())
    np.testing.assert_allclose(outp, out, rtol=1e-14, atol=1e-15)
    py = compile_array(du, args=[y, k], inplace=True, backend="python")
    outpy = np.empty(40)
    py(outpy, x, kv)
    np.testing.assert_allclose(outpy, out, rtol=1e-14, atol=1e-15)


def test_irregular_leftovers_go_straight_line_in_chunks(rng: np.random.Generator) -> None:
    u = list(symbols("w0:12"))
    exprs = [sin(u[i]) ** (i % 3 + 1) + u[(i * 5) % 12] / (i + 1) for i in range(12)]
    exprs += [exp(u[i]) * u[i - 1] for i in range(12)]
    f = compile_array(exprs, args=[u], chunk_ops=10, min_group=100, backend="python")
    assert f.stats["chunks"] >= 2 and f.stats["loops"] == 0
    x = rng.uniform(-1, 1, 12)
    env = dict(zip(u, x))
    _assert_same(f(x), [evaluate(e, env) for e in exprs])


def test_few_leftover_lines_are_written_into_the_entry(rng: np.random.Generator,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ``_chunk*`` helper is a numba compile of its own: up to ``INLINE_CHUNK_LINES``
    straight-line lines in all go into the entry function instead, with the same values
    (plain numba: with ``config.compile_llvm_chunks`` every part is an emitted helper)."""
    from symnb import config
    from symnb.compiler import codegen
    monkeypatch.setattr(config, "compile_llvm_chunks", False)
    u = list(symbols("w0:12"))
    exprs = [sin(u[i]) ** (i % 3 + 1) + u[(i * 5) % 12] / (i + 1) for i in range(12)]
    f = compile_array(exprs, args=[u], chunk_ops=10, min_group=100)
    assert f.stats["chunks"] >= 2 and "def _chunk" not in f.source
    monkeypatch.setattr(codegen, "INLINE_CHUNK_LINES", 0)
    g = compile_array(exprs, args=[u], chunk_ops=10, min_group=100)
    assert g.source.count("def _chunk") == g.stats["chunks"] == f.stats["chunks"]
    x = rng.uniform(-1, 1, 12)
    np.testing.assert_array_equal(f(x), g(x))


# ----------------------------------------------------------------------
# Jacobians
# ----------------------------------------------------------------------
def test_jacobian_pattern_values_fd_and_sympy(small_system: tuple,
                                              rng: np.random.Generator) -> None:
    import sympy
    from symnb import to_sympy
    exprs, u, a, t = small_system
    J = jacobian(exprs, u)
    struct = [[int(v in e.free_symbols) for v in u] for e in exprs]
    assert J.pattern.toarray().tolist() == struct
    sparse = J.compile(args=[u, a, t], sparse=True)
    dense = J.compile(args=[u, a, t], sparse=False)
    x = rng.uniform(-1, 1, 3)
    vals = np.empty(J.nnz)
    sparse(vals, x, 1.5, 0.25)
    D = np.full((3, 3), 99.0)
    dense(D, x, 1.5, 0.25)
    np.testing.assert_allclose(sparse.csr(vals).toarray(), D, rtol=1e-14)
    # finite differences
    rhs = compile_array(exprs, args=[u, a, t])
    h = 1e-6
    fd = np.column_stack([(rhs(x + h * e, 1.5, 0.25) - rhs(x - h * e, 1.5, 0.25)) / (2 * h)
                          for e in np.eye(3)])
    np.testing.assert_allclose(D, fd, rtol=1e-6, atol=1e-8)
    # sympy's jacobian
    su = [sympy.Symbol(s.name) for s in u]
    sa, st_ = sympy.symbols("a t")
    SJ = sympy.Matrix([to_sympy(e) for e in exprs]).jacobian(su)
    subs = dict(zip(su, x)) | {sa: 1.5, st_: 0.25}
    want = np.array(SJ.subs(subs).evalf(), dtype=float)
    np.testing.assert_allclose(D, want, rtol=1e-12, atol=1e-15)


def test_jacobian_keeps_the_assumptions_of_sympy_variables() -> None:
    import sympy
    from symnb import from_sympy
    sx, sy = sympy.Symbol("x", positive=True), sympy.Symbol("y")
    J = jacobian([sympy.sqrt(sx) * sy, sy ** 2], [sx, sy])
    x, y = from_sympy(sx), from_sympy(sy)
    assert x is not X and x.assumptions0["positive"] and y is Y
    assert J.pattern.toarray().tolist() == [[1, 1], [0, 1]]
    # d/dx of sqrt(x)*y is taken for the positive x the expression holds, not a plain x
    assert J.entries[0] is from_sympy(sympy.diff(sympy.sqrt(sx) * sy, sx))
    with pytest.raises(TypeError, match="must be symbols"):
        jacobian([sx], [sx + 1])


def test_brusselator_sparse_jacobian_rerolls(rng: np.random.Generator) -> None:
    ex, y = brusselator(5)
    J = jacobian(ex, y)
    assert J.nnz == 2 * 25 * 6
    jac = J.compile(args=[y], sparse=True)
    assert jac.stats["straight_line_outputs"] == 0
    x = rng.uniform(0, 2, len(y))
    vals = np.empty(J.nnz)
    jac(vals, x)
    env = dict(zip(y, x))
    _assert_same(vals, [evaluate(e, env) for e in J.entries])


# ----------------------------------------------------------------------
# errors
# ----------------------------------------------------------------------
def test_missing_free_symbols_are_named() -> None:
    with pytest.raises(ValueError, match=r"not in args: y, z"):
        compile(X + Y * Z, args=[X])


def test_function_without_numba_lowering_is_named_and_python_works() -> None:
    q = Function("qfun")
    with pytest.raises(ValueError, match="no numba lowering: qfun"):
        compile(q(X) + 1, args=[X])
    f = compile(q(X) + 1, args=[X], backend="python", functions={"qfun": lambda v: 2 * v})
    assert f(3.0) == 7.0


@pytest.mark.filterwarnings("ignore::numba.core.errors.NumbaTypeSafetyWarning")
def test_numba_failure_is_compile_error_with_source_line() -> None:
    def unsupported(v: float) -> float:
        return {}.get(v)   # numba cannot type an empty dict literal lookup like this
    q = Function("qbad")
    with pytest.raises(CompileError) as info:
        compile(q(X) * 2, args=[X], functions={"qbad": unsupported})
    assert "generated source line 3" in str(info.value)
    assert "qbad(x)" in str(info.value)


def test_unknown_backend_and_bad_args() -> None:
    with pytest.raises(ValueError, match="unknown backend 'cuda'; choose one of numba, python, numpy"):
        compile(X, args=[X], backend="cuda")
    with pytest.raises(TypeError, match="symbols"):
        compile(X, args=[X + 1])


def test_backends_are_registered_objects() -> None:
    from symnb.compiler.backends import BACKENDS, PythonBackend, register_backend

    class Counting(PythonBackend):
        """The python backend, straight-line like numpy, counting the functions it builds."""
        name, loops, made = "counting", False, 0

        def make(self, py, ns, helpers, **kw):
            Counting.made += 1
            return super().make(py, ns, helpers, **kw)

    register_backend("counting", Counting())
    try:
        u = symbols("u0:6")
        exprs = [u[i] * u[(i + 1) % 6] for i in range(6)]
        f = compile_array(exprs, args=[list(u)], backend="counting")
        g = compile_array(exprs, args=[list(u)], backend="numpy")
        x = np.arange(1.0, 7.0)
        assert Counting.made == 1 and f.stats["backend"] == "counting"
        np.testing.assert_array_equal(f(x), g(x))
        # not loops: straight-line like numpy, so the same source but for the header line
        assert f.source.replace("backend=counting", "backend=numpy") == g.source
        h = compile(X * Y, args=[X, Y], backend=BACKENDS["counting"])   # an object works too
        assert h(2.0, 3.0) == 6.0 and Counting.made == 2
    finally:
        del BACKENDS["counting"]
    with pytest.raises(TypeError, match="must be a symnb.compiler.backends.Backend"):
        register_backend("bad", object())
    with pytest.raises(ValueError, match="must be an identifier"):
        register_backend("no good", PythonBackend())


# ----------------------------------------------------------------------
# cache
# ----------------------------------------------------------------------
def test_cache_second_compile_in_new_process_loads(tmp_path: object) -> None:
    code = ("import os, sys\n"
            "from symnb.terms import symbols, sin\n"
            "from symnb.compiler import compile_array\n"
            "u = list(symbols('c0:3'))\n"
            "f = compile_array([sin(u[0]) * u[1], u[2] - u[0]], args=[u], cache=True)\n"
            "import numpy as np\n"
            "print(f.stats['cache'].split()[0], f.stats['lowering_cache'].split()[0],"
            " f(np.array([1.0, 2.0, 3.0]))[1])\n")
    env = dict(os.environ, SYMNB_CACHE_DIR=str(tmp_path))
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[:2] == ["miss", "miss"] and second[:2] == ["hit", "hit"]
    assert float(second[-1]) == 2.0


def test_cache_hit_in_same_process_skips_lowering(tmp_path: object,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYMNB_CACHE_DIR", str(tmp_path))
    u = list(symbols("h0:3"))
    exprs = [sin(u[0]) * u[1] / u[2], u[2] - u[0]]
    f1 = compile_array(exprs, args=[u], cache=True)
    # equal structure built again: a hit on the lowering cache
    f2 = compile_array([sin(u[0]) * u[1] / u[2], u[2] - u[0]], args=[u], cache=True)
    f3 = compile_array([cos(u[0]) * u[1] / u[2], u[2] - u[0]], args=[u], cache=True)
    assert f1.stats["lowering_cache"].startswith("miss")
    assert f2.stats["lowering_cache"] == "hit" and f2.source == f1.source
    assert f3.stats["lowering_cache"].startswith("miss")
    x = np.array([0.5, 2.0, 4.0])
    np.testing.assert_array_equal(f1(x), f2(x))
    assert f2.stats["ops_cse"] == f1.stats["ops_cse"] and f2.stats["loops"] == f1.stats["loops"]
    # other options are other keys
    f4 = compile_array(exprs, args=[u], cache=True, inplace=True)
    assert f4.stats["lowering_cache"].startswith("miss")
    # a missing symbol is still named with the cache on, and the GC is left as it was
    import gc
    with pytest.raises(ValueError, match="h0"):
        compile_array(exprs, args=[u[1:]], cache=True)
    assert gc.isenabled()


def test_product_inside_product_is_shared() -> None:
    f = compile(X * Y * cos(X * Y), args=[X, Y])
    assert f.stats["ops_cse"] == 3
    assert f.source.count("x * y") + f.source.count("y * x") == 1
    assert f(0.5, 3.0) == pytest.approx(1.5 * math.cos(1.5), rel=1e-15)


def test_shared_denominator_is_divided_once() -> None:
    f = compile_array([X / Z, 2.0 * Y / Z, X * Y / Z ** 2], args=[X, Y, Z])
    assert f.source.count("/") == 1 and "1.0 / z" in f.source
    got = f(1.5, -2.0, 0.25)
    _assert_same(got, np.array([6.0, -16.0, -48.0]), rtol=1e-15)
    # IEEE: a zero denominator still gives inf / nan
    _assert_same(f(1.0, 0.0, 0.0), np.array([np.inf, np.nan, np.nan]))


def test_segment_sum_index_tables_are_small_unsigned(rng: np.random.Generator) -> None:
    du, y, k = mass_action(40, 120, seed=5)
    f = compile_array(du, args=[y, k], inplace=True, backend="python")
    g = f.func.__globals__
    # four 16-bit w indices packed per step; step offsets and output rows unsigned
    assert g["_SQ"].dtype == np.uint64 and g["_SP"].dtype == np.uint64
    assert g["_SO"].dtype == np.uint8 and g["_SV"].shape == (len(g["_SQ"]), 4)
    assert all(g[t].dtype.kind == "u" for t in g if t.startswith("_I"))
    fn = compile_array(du, args=[y, k], inplace=True)
    x, kv = rng.uniform(0, 1, 40), rng.uniform(0, 1, 120)
    a, b = np.empty(40), np.empty(40)
    f(a, x, kv)
    fn(b, x, kv)
    env = dict(zip(y, x)) | dict(zip(k, kv))
    want = np.array([evaluate(e, env) for e in du])
    np.testing.assert_allclose(b, want, rtol=1e-12, atol=1e-14 * np.abs(want).max())
    np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def _numeric_network(n: int, m: int, seed: int) -> tuple[list, list]:
    """Mass action with numeric rate constants (so the segment-sum coefficients are
    k times the stoichiometry, not +-1): dimerisations 2A -> B (coefficient -2k),
    several reactions on one monomial, species in no reaction (zero outputs) and a
    constant inflow on some species (per-output constants)."""
    r = np.random.default_rng(seed)
    y = list(symbols(f"c0:{n}"))
    du: list = [y[0] * 0] * n
    for j in range(m):
        k = float(r.uniform(0.1, 3.0))
        a, b = (int(q) for q in r.integers(0, n - 3, 2))
        if j % 5 == 0:                                   # 2A -> B
            rate = k * y[a] ** 2
            du[a] = du[a] - 2 * rate
            du[b] = du[b] + rate
        else:
            rate = k * y[a] * y[b] if j % 3 else k * y[a]
            du[a] = du[a] - rate
            du[b] = du[b] + rate
            du[(a + b) % (n - 3)] = du[(a + b) % (n - 3)] + 0.5 * rate
    for q in range(0, n - 3, 7):
        du[q] = du[q] + 1.25
    return du, y                                         # du[-3:] == 0: no reaction


def test_segment_sums_with_numeric_coefficients_match_evaluate(
        rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch) -> None:
    from symnb.compiler import codegen
    du, y = _numeric_network(45, 160, seed=11)           # 45 outputs: a partial last slice
    x = rng.uniform(0.0, 2.0, len(y))
    want = np.array([evaluate(e, dict(zip(y, x))) for e in du])
    tol = dict(rtol=1e-12, atol=1e-13 * np.abs(want).max())
    results = {}
    for limit in (2**16, 8):          # 8: no index fits in 16 bits -> the unpacked tables
        monkeypatch.setattr(codegen, "PACK_BELOW", limit)
        for backend in ("numba", "python"):
            f = compile_array(du, args=[y], inplace=True, backend=backend)
            assert f.stats["segment_sum_rows"] > 0
            g = f.func.__globals__ if backend == "python" else f.py_func.__globals__
            assert "_SC" in g                            # the inflow constants
            assert (g["_SQ"].ndim == 1) == (limit == 2**16)
            coefs = np.abs(g["_SV"][g["_SV"] != 0.0])
            assert np.any(coefs != 1.0) and np.any(coefs > 3.0)   # 2k, k + 0.5k', ...
            out = np.full(len(y), np.nan)
            f(out, x)
            np.testing.assert_allclose(out, want, **tol)
            assert np.all(out[-3:] == 0.0)
            results[limit, backend] = out
    np.testing.assert_allclose(results[8, "numba"], results[2**16, "numba"], rtol=1e-14,
                               atol=1e-15)


def test_segment_sum_padding_keeps_ieee_values() -> None:
    # w entries that are inf / nan must not leak into the padded lanes of other outputs
    du, y = _numeric_network(45, 160, seed=4)
    f = compile_array(du, args=[y], inplace=True)
    x = np.ones(len(y))
    want = np.array([evaluate(e, dict(zip(y, x))) for e in du])
    x[0] = np.inf
    want_inf = np.array([evaluate(e, dict(zip(y, x))) for e in du])
    out = np.empty(len(y))
    f(out, x)
    _assert_same(out, want_inf)
    f(out, np.ones(len(y)))
    _assert_same(out, want)


def test_first_order_terms_copy_the_state_in_one_loop(rng: np.random.Generator) -> None:
    # decay of all but three species plus bimolecular reactions: the plain u[i] terms are
    # completed to all of u and copied by w[j] = u[j] (no index table)
    n = 40
    y = list(symbols(f"d0:{n}"))
    du: list = [y[0] * 0] * n
    for i in range(n - 3):
        du[i] = du[i] - (0.1 + 0.01 * i) * y[i]
        du[(i + 1) % n] = du[(i + 1) % n] + 2.0 * (0.1 + 0.01 * i) * y[i]
    for _ in range(60):
        a, b, c = (int(q) for q in rng.integers(0, n, 3))
        rate = 0.5 * y[a] * y[b]
        du[a], du[b], du[c] = du[a] - rate, du[b] - rate, du[c] + rate
    x = rng.uniform(0.0, 2.0, n)
    want = np.array([evaluate(e, dict(zip(y, x))) for e in du])
    for backend in ("numba", "python"):
        f = compile_array(du, args=[y], inplace=True, backend=backend)
        assert f.stats["segment_sum_rows"] > 0
        assert "w[j] = u[j]" in f.source and f"for j in range({n}):" in f.source
        out = np.empty(n)
        f(out, x)
        np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-14 * np.abs(want).max())


def test_slice_segments_layout() -> None:
    from symnb.compiler.codegen import slice_segments
    from symnb.compiler.shapes import SegmentSum
    # five outputs (one empty) in slices of four: sorted by length, padded, last repeated
    s = SegmentSum(rows=[0, 1, 2, 3, 4], consts=[0.0] * 5, indptr=[0, 2, 2, 5, 6, 7],
                   cols=[0, 1, 2, 3, 4, 5, 6], coefs=[1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    t = slice_segments(s, zero=7)
    assert t["rows"].tolist() == [2, 0, 3, 4, 1, 1, 1, 1]
    assert t["steps"].tolist() == [0, 3, 3]
    assert t["cols"].tolist() == [[2, 0, 5, 6], [3, 1, 7, 7], [4, 7, 7, 7]]
    assert t["coefs"][:, 1].tolist() == [1.0, -2.0, 0.0]
    # every term appears exactly once in its output's lane
    w = np.arange(8.0) + 1.0
    w[7] = 0.0
    sums = (t["coefs"] * w[t["cols"]]).sum(axis=0)
    ref = [sum(c * w[i] for c, i in zip(s.coefs[a:b], s.cols[a:b]))
           for a, b in zip(s.indptr[:-1], s.indptr[1:])]
    assert sums.tolist() == [ref[r] for r in t["rows"][:4]]


def test_packed_index_tables_of_loops(rng: np.random.Generator) -> None:
    # products of two, three and four scattered inputs: 2-4 table columns in one word
    n = 24
    u = list(symbols(f"q0:{n}"))
    p0 = rng.permutation(n)
    a, b, c, d = (p0, np.roll(p0, 1), np.roll(p0, 2), np.roll(p0, 3))
    exprs = [u[a[i]] * u[b[i]] for i in range(n)]
    exprs += [u[a[i]] * u[b[i]] * sin(u[c[i]]) for i in range(n)]
    exprs += [u[a[i]] * u[b[i]] * sin(u[c[i]]) / (1 + u[d[i]] ** 2) for i in range(n)]
    x = rng.uniform(0.5, 2.0, n)
    want = np.array([evaluate(e, dict(zip(u, x))) for e in exprs])
    for backend in ("numba", "python"):
        f = compile_array(exprs, args=[u], backend=backend)
        g = f.func.__globals__ if backend == "python" else f.py_func.__globals__
        assert f.stats["loops"] == 3 and f.stats["straight_line_outputs"] == 0
        assert [str(g[f"_I{i}"].dtype) for i in range(3)] == ["uint32", "uint64", "uint64"]
        assert "u[_I0[j] & _M16] * u[_I0[j] >> _U16]" in f.source
        np.testing.assert_allclose(f(x), want, rtol=1e-14)


def test_numba_call_goes_straight_to_the_dispatcher() -> None:
    u = list(symbols("e0:3"))
    f = compile_array([u[0] * u[1], u[2]], args=[u], inplace=True)
    assert type(f).__call__ is f.func and isinstance(f, Compiled)
    out = np.empty(2)
    assert f(out, np.array([2.0, 3.0, 4.0])) is None and out.tolist() == [6.0, 4.0]
    fp = compile_array([u[0] * u[1], u[2]], args=[u], backend="python")
    assert fp(np.array([2.0, 3.0, 4.0])).tolist() == [6.0, 4.0]


def test_entry_name_is_public_and_rejects_names_the_code_uses() -> None:
    from symnb.compiler import entry_name
    assert entry_name("rhs") == "rhs" and entry_name("f") == "f"
    for bad in ("exp", "_h", "v3", "out", "class"):
        with pytest.raises(ValueError, match="not usable in generated code"):
            entry_name(bad)
    with pytest.raises(ValueError, match="pick another"):
        entry_name("g", {"g": object()})


@pytest.mark.parametrize("depth", [45, 450])
def test_deeply_nested_expressions_compile(depth):   # fuzz find: CPython's compile MemoryError
    from symnb import parse
    tower = parse("^".join(["x"] * depth))
    f = compile(tower, [X], backend="python")
    assert f(1.0) == 1.0 and max(len(ln) for ln in f.source.splitlines()) < 2000
    nest = parse("sin(" * depth + "x" + ")" * depth)
    assert compile(nest, [X], backend="python")(0.5) == pytest.approx(evaluate(nest, {X: 0.5}))


def test_huge_integer_exponents_compile_as_float_powers():   # fuzz find: powi RecursionError
    from symnb import parse
    f = compile(parse("x^(2^1000) + y"), [X, Y], backend="python")
    assert f(1.0, 2.0) == 3.0 and f(0.5, 2.0) == 2.0
