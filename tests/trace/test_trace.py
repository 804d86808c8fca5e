"""Symbolic arrays, tracing, TraceError, Jacobian sparsity (issue 6)."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from symnb.compiler import compile_array
from symnb.terms import Symbol
from symnb.tracing import (SymArray, TraceError, jacobian, jacobian_sparsity, sym_array,
                         trace)


def compiled_values(tr, x, backend="python"):
    f = compile_array(tr.terms, args=[tr.symbols(0)], backend=backend)
    return np.asarray(f(x), dtype=float)


def line_of(func, marker):
    src, start = inspect.getsourcelines(func)
    for k, s in enumerate(src):
        if marker in s:
            return start + k
    raise AssertionError(marker)


# ----- symbolic arrays -----------------------------------------------------------
def test_sym_array_shapes_and_names():
    u = sym_array("u", (2, 3))
    assert u.shape == (2, 3) and u.size == 6
    assert u[1, 2].terms == [Symbol("u[1,2]")]
    assert u.reshape(3, 2)[2, 0].terms == [Symbol("u[1,1]")]
    assert u.T.shape == (3, 2)
    with pytest.raises(ValueError):
        sym_array("", 3)


def test_broadcasting_and_elementwise():
    u = sym_array("u", (2, 3))
    w = np.array([1.0, 2.0, 3.0])
    r = np.exp(u) * w + 1 - u[:, :1]
    x = np.random.default_rng(0).uniform(0.1, 1.0, (2, 3))
    f = compile_array(r.terms, args=[u.terms], backend="python")
    expect = (np.exp(x) * w + 1 - x[:, :1]).ravel()
    assert np.allclose(f(x.ravel()), expect, rtol=1e-14)
    s = np.sin(u) ** 2 + np.cos(u) ** 2
    assert s.shape == (2, 3)
    assert np.sqrt(u).shape == (2, 3) and np.tanh(u).shape == (2, 3)


def test_zeros_and_cancellations_stay_out():
    u = sym_array("u", 4)
    r = u + u[::-1] - u[::-1] - u
    assert all(str(t) == "0" for t in r.terms)
    M = np.diag([2.0, 0.0, 0.0, 1.0])
    out = M @ u
    assert [str(t) for t in out.terms] == ["2*u[0]", "0", "0", "u[3]"]
    assert str(np.sum(u - u)) == "0"


def test_pending_sums_match_elementwise_terms():
    """+, - and scaling by numbers are built once per element when read; the terms are the
    ones an operator-by-operator evaluation makes, and later writes do not leak in."""
    u = sym_array("u", 5)
    w = np.array([0.0, 1.5, 2.0, -1.0, 3.0])
    lazy = 3 * (np.roll(u, 1) + np.roll(u, -1) - 2 * u) + w * u[::-1] - (-u) + 1.25
    exact = [0, 1.5, 2, -1, 3]    # tracing reads integral floats as exact numbers
    ref = [3 * (a + b - 2 * c) + k * d - (-c) + 1.25 for a, b, c, d, k in
           zip(np.roll(u, 1).terms, np.roll(u, -1).terms, u.terms, u[::-1].terms, exact)]
    assert lazy.shape == (5,) and lazy.terms == ref
    out = np.zeros_like(u)
    pending = out + u          # reads out as it is now
    out[0] = u[1] * u[2]
    assert pending.terms == u.terms
    assert str((u * np.inf).terms[0]) == "inf*u[0]"  # non-finite numbers: elementwise
    s = u[:, None] + u[None, :2]                        # broadcasting to (5, 2)
    assert s.shape == (5, 2) and s.terms[3] == u.terms[1] + u.terms[1]


def test_matmul_dot_roll_concat_stack_where():
    n = 5
    A = np.random.default_rng(1).normal(size=(n, n))
    A[A < 0.3] = 0.0
    mask = np.arange(n) >= 3          # numeric comparison feeding np.where

    def f(u):
        a = A @ u
        b = np.dot(u, A)
        c = np.roll(u, 2) * np.where(mask, 2.0, u)
        d = np.stack([a, b])
        return np.concatenate([d.ravel(), c, u[1:] * u[:-1]])

    tr = trace(f, ("u", n))
    x = np.random.default_rng(2).uniform(-1, 1, n)
    expect = f(x)
    assert np.allclose(compiled_values(tr, x), expect, rtol=1e-13, atol=1e-14)


def test_inplace_into_symbolic_output():
    def f(u):
        du = np.zeros_like(u)
        du[0] = -u[0]
        du[1:] = u[:-1] - u[1:]
        return du
    tr = trace(f, ("u", 4))
    x = np.array([1.0, 2.0, 4.0, 8.0])
    assert np.allclose(compiled_values(tr, x), f(x))


def test_trace_scalar_spec_and_passthrough():
    def g(t, u, k):
        return k * np.sin(t) * u
    tr = trace(g, "t", ("u", 2), 3.0)
    assert len(tr.inputs) == 2 and tr.shape == (2,)
    assert Symbol("t") in tr.terms[0].free_symbols
    assert "Traced" in repr(tr) and "Traced" in tr._repr_html_()


# ----- errors ------------------------------------------------------------------------
def bad_if(u):
    if u[0] > 0:  # MARK-IF
        return u
    return -u


def bad_float_assign(u):
    du = np.zeros(3)
    du[:] = u * 2  # MARK-ASSIGN
    return du


def bad_scalar_assign(u):
    du = np.zeros(3)
    du[0] = u[0] * 2  # MARK-SCALAR
    return du


def test_trace_error_python_if_names_line():
    with pytest.raises(TraceError) as e:
        trace(bad_if, ("u", 3))
    assert f"line {line_of(bad_if, 'MARK-IF')}" in str(e.value)
    assert "np.where" in str(e.value) and "MARK-IF" in str(e.value)


@pytest.mark.parametrize("fn,mark", [(bad_float_assign, "MARK-ASSIGN"),
                                     (bad_scalar_assign, "MARK-SCALAR")])
def test_trace_error_inplace_float_array(fn, mark):
    with pytest.raises(TraceError) as e:
        trace(fn, ("u", 3))
    assert f"line {line_of(fn, mark)}" in str(e.value)
    assert "zeros_like" in str(e.value)


def test_trace_error_symbolic_where_and_none():
    with pytest.raises(TraceError, match="symbolic condition"):
        trace(lambda u: np.where(u, u, 0), ("u", 2))
    with pytest.raises(TraceError, match="returned None"):
        trace(lambda u: None, ("u", 2))
    with pytest.raises(TraceError, match="not supported"):
        trace(lambda u: np.fft.fft(u), ("u", 2))


# ----- sparsity and Jacobians --------------------------------------------------------
def test_jacobian_sparsity_and_dense():
    u = sym_array("u", 3)
    out = np.concatenate([u[:1] * u[2:], np.exp(u[1:2]), u[:1] - u[:1]])
    S = jacobian_sparsity(out, u)
    assert S.dtype == bool and S.toarray().astype(int).tolist() == [[1, 0, 1], [0, 1, 0],
                                                                    [0, 0, 0]]
    J = jacobian(out, u, sparse=False)
    assert J.shape == (3, 3) and str(J[0, 2]) == "u[0]" and str(J[1, 1]) == "exp(u[1])"
    Js = jacobian(out, u)
    assert Js.nnz == 3
    with pytest.raises(ValueError):
        jacobian_sparsity(out, [u[0].terms[0], u[0].terms[0]])


def test_symarray_repr():
    u = sym_array("u", 2)
    assert "SymArray" in repr(u) and "u[1]" in u._repr_html_()
    assert isinstance(u + 1, SymArray)


def test_jacobian_accepts_sympy_like_compile_jacobian():
    import sympy
    x, y = sympy.symbols("x y")
    J = jacobian([x * y, sympy.sin(x)], [x, y])
    assert J.nnz == 3 and [str(e) for e in J.entries] == ["y", "x", "cos(x)"]


def test_moved_and_joined_elements_stay_terms_numbers_become_terms():
    from symnb.terms.core import Term
    u = sym_array("mv", 3)
    rolled = np.roll(u, 1)
    assert isinstance(rolled, SymArray) and rolled.terms == [Symbol(f"mv[{i}]") for i in (2, 0, 1)]
    joined = np.concatenate([u, np.array([1.5, 2.0])])
    assert [str(t) for t in joined.terms] == ["mv[0]", "mv[1]", "mv[2]", "1.5", "2"]
    assert all(isinstance(t, Term) for t in joined.terms)
    both = np.concatenate([u, u[:1]])
    assert both.terms[3] is Symbol("mv[0]") and isinstance(both, SymArray)


def test_input_symbols_are_made_with_the_collector_held_off(monkeypatch):
    import gc

    import symnb.tracing.api as api
    seen = []
    real = api.sym_array

    def recording(*a):
        seen.append(gc.isenabled())
        return real(*a)
    monkeypatch.setattr(api, "sym_array", recording)
    was = gc.isenabled()
    tr = trace(lambda u: 2 * u, ("gcu", 3))
    assert seen == [False] and gc.isenabled() == was and len(tr.terms) == 3
