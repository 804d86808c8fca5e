"""The numba backend's straight-line ``_chunk*`` helpers as LLVM IR (``symnb.compiler.
llvm_chunks``, switch ``symnb.config.compile_llvm_chunks``): the same bits as plain numba,
a fallback to numba source for what the emitter does not cover."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from symnb import config
from symnb.compiler import compile_array, jacobian
from symnb.terms import Abs, Function, atan, cos, exp, log, sign, sin, sqrt, symbols, tanh
from symnb.terms.core import Symbol

pytest.importorskip("numba")

DATA = Path(os.environ.get("SYMNB_BNG_DIR", "/work/shared/data/bionetgen"))


def _both(exprs: list, args: list, **kw: object) -> tuple:
    """The kernel compiled with the switch off and on."""
    with config.limits(compile_llvm_chunks=False):
        off = compile_array(exprs, args, inplace=True, **kw)
    with config.limits(compile_llvm_chunks=True):
        on = compile_array(exprs, args, inplace=True, **kw)
    return off, on


def _run(c: object, n_out: int, inputs: list) -> np.ndarray:
    out = np.full(n_out, -7.0)
    with np.errstate(all="ignore"):
        c(out, *inputs)
    return out


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(a.view(np.int64), b.view(np.int64))


def _math_kernel(n: int = 30) -> tuple[list, list, list]:
    x, p = list(symbols(f"x0:{n}")), list(symbols("p0:4"))
    fs = [sin, cos, exp, log, tanh, atan, sqrt, Abs]
    exprs = [fs[i % len(fs)](x[i] * p[i % 4] + x[(3 * i + 1) % n]) / (1 + x[(7 * i) % n] ** 2)
             - p[(i + 1) % 4] * x[i] ** 2.5 for i in range(n)]
    return exprs, [x, p], [n, 4]


def test_math_functions_bit_identical_on_random_inputs() -> None:
    exprs, args, sizes = _math_kernel()
    off, on = _both(exprs, args, reroll=False, chunk_ops=60)
    assert off.stats["llvm_chunks"] == 0
    assert on.stats["llvm_chunks"] >= 2          # several chunks, all emitted
    rng = np.random.default_rng(5)
    for _ in range(5):
        inputs = [rng.uniform(-2.0, 2.0, s) for s in sizes]
        assert _same_bits(_run(off, len(exprs), inputs), _run(on, len(exprs), inputs))


def test_nan_and_inf_inputs_classify_the_same() -> None:
    exprs, args, sizes = _math_kernel()
    off, on = _both(exprs, args, reroll=False, chunk_ops=60)
    rng = np.random.default_rng(6)
    specials = np.array([-1.5, -0.0, 0.0, 0.5, 1e308, -np.inf, np.inf, np.nan])
    for _ in range(10):
        inputs = [rng.choice(specials, s) for s in sizes]
        a, b = _run(off, len(exprs), inputs), _run(on, len(exprs), inputs)
        assert np.array_equal(np.isnan(a), np.isnan(b))
        ok = ~np.isnan(a)     # a nan's sign bit may differ (operand order of fadd/fmul)
        assert _same_bits(a[ok], b[ok])


def test_short_kernel_becomes_a_chunk_only_when_switched_on() -> None:
    u, k = list(symbols("q0:3")), list(symbols("kq0:2"))
    exprs = [k[0] * u[0] * u[1] - exp(u[2]), u[0] - k[1] * u[2], sqrt(u[1]) * u[2]]
    off, on = _both(exprs, [u, k, Symbol("tq")])
    assert "def _chunk0" not in off.source and off.stats["llvm_chunks"] == 0
    assert "def _chunk0" in on.source and on.stats["llvm_chunks"] == 1
    inputs = [np.array([0.3, 1.7, -0.4]), np.array([2.0, 0.25]), 0.5]
    assert _same_bits(_run(off, 3, inputs), _run(on, 3, inputs))


def test_uncovered_functions_fall_back_to_numba_source() -> None:
    x = list(symbols("y0:40"))
    plain = [x[i] * x[(i + 1) % 40] - exp(x[(i + 5) % 40]) for i in range(20)]
    signed = [sign(x[i] - 1) * x[(3 * i) % 40] + cos(x[i]) for i in range(20, 40)]
    off, on = _both(plain + signed, [x], reroll=False, chunk_ops=40)
    helpers = on.source.count("def _chunk")
    assert 0 < on.stats["llvm_chunks"] < helpers     # the chunks using sign stay numba
    assert "def _chunk" in off.source                # long parts: helpers either way
    rng = np.random.default_rng(7)
    inputs = [rng.uniform(0.0, 2.0, 40)]
    assert _same_bits(_run(off, 40, inputs), _run(on, 40, inputs))


def test_user_function_named_like_math_is_not_emitted() -> None:
    x = list(symbols("z0:30"))
    g = Function("gz")
    exprs = [g(x[i]) * x[(i + 1) % 30] + sin(x[i]) for i in range(30)]
    off, on = _both(exprs, [x], reroll=False, chunk_ops=40,
                    functions={"gz": lambda v: 3.0 * v})
    assert on.stats["llvm_chunks"] == 0
    inputs = [np.linspace(0.1, 2.0, 30)]
    assert _same_bits(_run(off, 30, inputs), _run(on, 30, inputs))


def test_fastmath_keeps_plain_numba() -> None:
    exprs, args, _ = _math_kernel(12)
    off, on = _both(exprs, args, reroll=False, chunk_ops=30, fastmath=True)
    assert on.stats["llvm_chunks"] == 0 and on.source == off.source


def test_parallel_kernel_with_chunks_bit_identical() -> None:
    exprs, args, sizes = _math_kernel(12)
    exprs += [args[0][i] * args[0][(i + 1) % 12] * args[1][i % 4] for i in range(12)]
    off, on = _both(exprs, args, chunk_ops=30, parallel=True)
    assert on.stats["llvm_chunks"] >= 1 and on.stats["loops"] >= 1
    rng = np.random.default_rng(9)
    inputs = [rng.uniform(-2.0, 2.0, s) for s in sizes]
    assert _same_bits(_run(off, len(exprs), inputs), _run(on, len(exprs), inputs))


_CACHED = ("import sys\n"
           "from symnb import config\n"
           "from symnb.terms import symbols, exp\n"
           "from symnb.compiler import compile_array\n"
           "import numpy as np\n"
           "config.compile_llvm_chunks = sys.argv[1] == 'on'\n"
           "u = list(symbols('cc0:90'))\n"
           "f = compile_array([u[i] * exp(u[(i + 1) % 90]) for i in range(90)], args=[u],\n"
           "                  cache=True, reroll=False, chunk_ops=50)\n"
           "out = f(np.linspace(0.0, 1.0, 90))\n"
           "print(f.stats['cache'].split()[0], f.stats['lowering_cache'].split()[0],\n"
           "      f.stats['llvm_chunks'], out.view(np.int64).sum())\n")


def test_cache_in_a_new_process_with_the_switch_on(tmp_path: Path) -> None:
    env = dict(os.environ, SYMNB_CACHE_DIR=str(tmp_path))

    def run(switch: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", _CACHED, switch], env=env,
                              capture_output=True, text=True, check=True).stdout.split()
    first, second, plain = run("on"), run("on"), run("off")
    assert first[:2] == ["miss", "miss"] and int(first[2]) >= 2
    assert second[:2] == ["hit", "hit"]
    assert plain[:3] == ["miss", "miss", "0"]   # the switch is part of both cache keys
    assert first[3] == second[3] == plain[3]    # the same bits


def test_non_contiguous_argument_reads_the_right_elements() -> None:
    u = list(symbols("nc0:4"))
    with config.limits(compile_llvm_chunks=True):
        c = compile_array([u[0] * u[3], u[1] - u[2], exp(u[2])], [u], inplace=True)
    assert c.stats["llvm_chunks"] == 1
    base = np.array([1.0, 9.0, 2.0, 9.0, 3.0, 9.0, 4.0, 9.0])
    out = np.empty(3)
    c.func(out, base[::2])          # a strided view: numba compiles an 'A' layout version
    assert out.tolist() == [4.0, -1.0, float(np.exp(3.0))]


@pytest.mark.skipif(not DATA.is_dir(), reason=f"{DATA} is absent")
@pytest.mark.parametrize("model", ["toy-jim", "Repressilator", "michment"])
def test_bionetgen_rhs_and_jacobian_bit_identical(model: str) -> None:
    from symnb.models.bionetgen import load_bionetgen
    path = DATA / f"{model}.net"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    net = load_bionetgen(str(path))
    state = list(net.symbols)
    args = [state, list(net.values), Symbol("t")]
    off, on = _both(net.rhs(), args)
    assert on.stats["llvm_chunks"] >= 1
    J = jacobian(net.rhs(), state)
    with config.limits(compile_llvm_chunks=False):
        joff = J.compile(args=args, sparse=True)
    with config.limits(compile_llvm_chunks=True):
        jon = J.compile(args=args, sparse=True)
    rng = np.random.default_rng(8)
    for _ in range(3):
        inputs = [rng.uniform(0.1, 2.0, len(state)), rng.uniform(0.1, 2.0, len(args[1])),
                  float(rng.uniform(0, 5))]
        assert _same_bits(_run(off, len(state), inputs), _run(on, len(state), inputs))
        n = max(J.nnz, 1)
        assert _same_bits(_run(joff, n, inputs), _run(jon, n, inputs))


def test_two_dimensional_and_returned_outputs() -> None:
    x = list(symbols("m0:6"))
    mat = [[x[0] * x[1], exp(x[2])], [x[3] - x[4] / x[5], sin(x[0]) ** 3]]
    xv = np.array([0.5, 1.5, -0.25, 2.0, 3.0, 0.75])
    got = {}
    for on in (False, True):
        with config.limits(compile_llvm_chunks=on):
            ret = compile_array(mat, [x])
            inpl = compile_array(mat, [x], inplace=True)
        assert ret.stats["llvm_chunks"] == inpl.stats["llvm_chunks"] == int(on)
        out = np.empty((2, 2))
        inpl(out, xv)
        assert _same_bits(out, ret(xv))
        got[on] = out
    assert _same_bits(got[False], got[True])


def test_a_chunk_numba_cannot_lower_falls_back_to_numba_source(monkeypatch) -> None:
    from symnb.compiler import llvm_chunks

    def broken(ops):
        def codegen(context, builder, signature, args):
            raise RuntimeError("emitter bug")
        return codegen
    u, k = list(symbols("fb0:3")), list(symbols("kfb0:2"))
    exprs = [k[0] * u[0] * u[1] - exp(u[2]), u[0] - k[1] * u[2], sqrt(u[1]) * u[2]]
    with config.limits(compile_llvm_chunks=False):
        off = compile_array(exprs, [u, k, Symbol("tfb")], inplace=True)
    monkeypatch.setattr(llvm_chunks, "_codegen", broken)
    with config.limits(compile_llvm_chunks=True):
        on = compile_array(exprs, [u, k, Symbol("tfb")], inplace=True)
    assert "def _chunk0" in on.source and on.stats["llvm_chunks"] == 0
    inputs = [np.array([0.3, 1.7, -0.4]), np.array([2.0, 0.25]), 0.5]
    assert _same_bits(_run(off, 3, inputs), _run(on, 3, inputs))


def test_a_deadline_inside_the_numba_compile_is_not_a_compile_error(monkeypatch) -> None:
    import numba

    from symnb.compiler.errors import CompileError
    from symnb.terms.limits import LimitExceeded
    stop = LimitExceeded("compile", "x", "seconds", 1, 0, "timeout")

    def deadline_fires(*args, **kwargs):
        raise stop
    u = list(symbols("dl0:2"))
    monkeypatch.setattr(numba, "njit", deadline_fires)
    for switch in (False, True):
        with config.limits(compile_llvm_chunks=switch):
            with pytest.raises(LimitExceeded) as got:
                compile_array([u[0] * u[1] + 1, u[0] - u[1]], [u], inplace=True,
                              name=f"dl{switch:d}")
        assert got.value is stop and not isinstance(got.value, CompileError)
