"""symnb.compiler.llvm_chunks (the emitter benchmarks/numba_emit.py measures): a 3-operation
kernel emitted through an @intrinsic gives the bits numba gives for the same source."""
from __future__ import annotations

import numpy as np
import pytest

numba = pytest.importorskip("numba")



def _emitter():
    from symnb.compiler import llvm_chunks
    return llvm_chunks


SRC = """def f(out, u, p):
    o = out
    v0 = u[0] * p[0]
    o[0] = v0 - u[1] / p[1]
    o[1] = exp(-v0)
"""


def test_three_operations_bit_identical() -> None:
    em = _emitter()
    ops, params = em.straight_line(SRC)
    assert params == ["out", "u", "p"]
    assert [o[0] for o in ops if o[0] in ("fmul", "fsub", "fdiv", "neg", "call")] == \
        ["fmul", "fdiv", "fsub", "neg", "call"]
    k = em.emit_kernel(ops, params, [True, True, True])
    ns = {"exp": __import__("math").exp}
    exec(SRC, ns)
    ref = numba.njit(error_model="numpy")(ns["f"])
    rng = np.random.default_rng(3)
    cases = [(rng.uniform(-2, 2, 2), rng.uniform(-2, 2, 2), None),
             (np.array([2.0, 1.0]), np.array([-np.inf, 0.0]), [-np.inf, np.inf]),
             (np.array([1.0, 0.0]), np.array([0.0, 0.0]), [np.nan, 1.0])]
    for u, p, want in cases:
        o1, o2 = np.full(2, 7.0), np.full(2, 9.0)
        ref(o1, u, p)
        k(o2, u, p)
        assert np.array_equal(o1, o2, equal_nan=True)
        ok = ~np.isnan(o1)
        assert np.array_equal(o1[ok].view(np.int64), o2[ok].view(np.int64))
        if want is not None:   # IEEE, as error_model="numpy": 1/0 -> inf, 0/0 -> nan
            assert np.array_equal(o2, want, equal_nan=True)


def test_not_straight_line_is_refused() -> None:
    em = _emitter()
    with pytest.raises(NotImplementedError, match="not straight-line code"):
        em.straight_line("def f(out, u):\n    for j in range(3):\n        out[j] = u[j]\n")
