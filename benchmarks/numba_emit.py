"""Why numba compiles symnb's straight-line kernels slowly, and whether an ``@intrinsic``
that emits the body as LLVM IR fixes it (the experiment behind
``symnb.compiler.llvm_chunks``, which the numba backend now uses for ``_chunk*`` helpers).

Run (about a minute on a loaded 2-core machine)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/numba_emit.py [--repeats 3] [--no-alt] \\
        [--no-hybrid] [--big]

For straight-line kernels symnb generates (``compile_array(..., inplace=True,
reroll=False)``: BioNetGen toy-jim, Repressilator and multisite2 RHS from
``/work/shared/data/bionetgen`` - skipped with a message when absent - a synthetic kernel
of 150 products ``u[i]*p[j]*u[l]`` summed into 25 outputs, and a small kernel of every math
function and power symnb prints), in one process, CPU time (``time.process_time``), best of
``--repeats``:

1. ``numba``: numba compiles symnb's generated source, as ``compile_array`` does today
   (``symnb.compiler.backends.build``: ``njit(error_model="numpy")``, eager signature);
2. ``intrinsic``: the same operations (``llvm_chunks.straight_line`` reads them off the
   source, in Python's evaluation order) emitted with ``llvmlite.ir`` by one numba
   ``@intrinsic`` called from a one-statement ``njit`` shell (``llvm_chunks.emit_kernel``);
   the time includes reading the source;
3. per-call time of both, from Python (``call``: the dispatcher included) and from a numba
   loop (``body``), best of 7, and whether the outputs are bit-identical (``np.array_equal``
   of the float64 bit patterns) on random inputs in [0.1, 2) and on inputs among zeros,
   infinities and nan (there a nan's sign bit is not compared: x86 propagates the sign of
   the first nan operand, and LLVM orders commutative operands as it likes).

``hybrid`` (default; ``--no-hybrid`` skips it): symnb's default ``compile_array`` (loops
re-rolled) with ``symnb.config.compile_llvm_chunks`` off (plain numba) vs on (the product:
straight-line parts, short ones included, become ``_chunk*`` intrinsics; ``helpers``: how
many, ``stats["llvm_chunks"]``).

Unless ``--no-alt``, also: numba with ``no_rewrites=True``, numba with a custom
``pipeline_class`` running only bytecode translation, type inference and lowering, and numba
with ``memo_call_types`` (a patch remembering numba's overload resolution: a profile shows
each ``a * b`` resolved twice, in typing and in lowering, by trying every template of
``operator.mul``, NumPy ufunc loops included); one repeat each.  The pass breakdown of
numba's compile of the largest kernel is printed (``overloads[sig].metadata
["pipeline_times"]``).  The tables' ``ratio`` is numba / intrinsic compile CPU time.

Shown on this machine (numba 0.68.1, 2 loaded cores): numba costs 1.4-1.9 ms of CPU per
operation (``native_lowering`` ~half, ``nopython_type_inference`` ~a third of it); the
intrinsic route costs a ~45 ms shell plus ~70 us per operation (reading and emitting are
~10 us each, the rest is LLVM), 5-17x less on the BioNetGen kernels, with bit-identical
values and an equal or faster body (the numba form pays a call per ``_chunk*`` helper).
``no_rewrites`` and the minimal pipeline save at most ~10%, the memo ~25-35%.  ``--big``
(egfr_net, 15k operations) shows the limit: one 15k-operation basic block costs LLVM
~140 us per operation (2.4 s), while symnb's re-rolled loops compile in 0.4 s: the
intrinsic is for straight-line chunks, not a replacement for re-rolling.  Hybrid: toy-jim's
default compile (two ``_chunk*`` helpers) drops from ~0.65 to ~0.07 s, Repressilator's (one
loop, the rest straight-line) from ~0.23 to ~0.10 s; all-loop kernels (multisite2's default
plan) are unchanged.
"""
from __future__ import annotations

import argparse
import ast
import os
import sys
import time
import timeit
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from symnb import config  # noqa: E402
from symnb.compiler import compile_array  # noqa: E402
from symnb.compiler.backends import NumbaBackend, build, namespace  # noqa: E402
from symnb.compiler.llvm_chunks import EMIT_SECONDS, MATH, emit_kernel, straight_line  # noqa: E402
from symnb.terms import symbols  # noqa: E402
from symnb.terms.core import Symbol  # noqa: E402

DATA = Path(os.environ.get("SYMNB_BNG_DIR", "/work/shared/data/bionetgen"))
MODELS = ("toy-jim", "Repressilator", "multisite2")


class Kernel:
    """A straight-line kernel: symnb's source of ``f(out, *args)`` and its argument sizes."""

    def __init__(self, name: str, exprs: list, args: list) -> None:
        c = compile_array(exprs, args, inplace=True, reroll=False, backend="python")
        self.name, self.n_out, self.exprs, self.args = name, len(exprs), exprs, args
        self.source = c.source
        self.ops_cse = c.stats["ops_cse"]
        self.is_array = [isinstance(a, list) for a in args]
        self.sizes = [len(a) if isinstance(a, list) else 0 for a in args]
        tree = ast.parse(self.source)
        self.helpers = [f.name for f in tree.body if isinstance(f, ast.FunctionDef)
                        and f.name != "f"]
        self.functions = {("Abs" if n.func.id == "abs" else n.func.id)
                          for n in ast.walk(tree) if isinstance(n, ast.Call)
                          and isinstance(n.func, ast.Name) and n.func.id in MATH}

    def inputs(self, rng: np.random.Generator, special: bool = False) -> list:
        """``[out, *args]``: uniform in [0.1, 2), or (``special``) drawn from zeros of both
        signs, negatives, huge values, infinities and nan."""
        def draw(n: int | None) -> object:
            if special:
                return rng.choice([-1.5, -0.0, 0.0, 0.5, 1e308, -np.inf, np.inf, np.nan], n)
            return rng.uniform(0.1, 2.0, n)
        return [np.empty(self.n_out)] + [draw(s) if s else float(draw(None))
                                         for s in self.sizes]


def kernels() -> list[Kernel]:
    out = []
    if DATA.is_dir():
        from symnb.models.bionetgen import load_bionetgen
        for m in MODELS:
            net = load_bionetgen(str(DATA / f"{m}.net"))
            out.append(Kernel(m, net.rhs(), [list(net.symbols), list(net.values),
                                             Symbol("t")]))
    else:
        print(f"skipping the BioNetGen models: {DATA} is absent (set SYMNB_BNG_DIR)")
    rng = np.random.default_rng(0)
    u, p = list(symbols("u0:25")), list(symbols("k0:25"))
    exprs = [0] * 25
    for _ in range(150):
        i, j, m, o = rng.integers(0, 25, 4)
        exprs[o] = exprs[o] + u[i] * p[j] * u[m]
    out.append(Kernel("synthetic-150", exprs, [u, p]))
    x, y = symbols("x0:3"), symbols("y0:2")
    from symnb.terms import Abs, atan, cos, exp, log, sin, sqrt, tanh
    from symnb.terms.functions import acos, asin, asinh, atanh, cosh, sinh, tan
    fx = [exp(-x[0] * y[0]) + log(x[1] + 1), sqrt(x[2]) * sin(x[0]) / (1 + x[1] ** 2),
          x[0] ** 2.5 - cos(y[1]) * x[2] ** 3, tanh(x[1]) - atan(x[2] / y[0]),
          Abs(x[0] - y[1]) + x[1] ** (-1.5), x[0] ** y[1] + tan(y[0]) * sinh(x[2]),
          cosh(x[1]) - asinh(x[0]) + asin(y[0] / 3) * acos(y[1] / 3) + atanh(y[0] / 4)]
    out.append(Kernel("functions", fx, [list(x), list(y)]))
    return out


def best_cpu(fn, repeats: int):
    best, res = float("inf"), None
    for _ in range(repeats):
        t0 = time.process_time()
        r = fn()
        t = time.process_time() - t0
        if t < best:
            best, res = t, r
    return best, res


def numba_build(k: Kernel):
    """numba on symnb's source, as ``compile_array`` builds it with
    ``config.compile_llvm_chunks = False``."""
    b = NumbaBackend()
    b.llvm_chunks = lambda *a: False
    fn, _ = build(k.source, "f", k.helpers, {}, b, k.functions,
                  signature=b.signature(k.is_array, 1))
    return fn


class memo_call_types:
    """A context manager patching numba's ``BaseFunction.get_call_type`` (a numba internal)
    to remember its answer for number and array arguments: numba resolves each ``a * b`` twice
    (type inference, then lowering) by trying every template of ``operator.mul``, the NumPy
    ufunc ones included.  The first answer's side effect (``_impl_keys``) stays on the
    interned function type, which is what lowering reads."""

    def __enter__(self):
        from numba.core import types
        from numba.core.types.functions import BaseFunction
        self.cls, self.orig = BaseFunction, BaseFunction.get_call_type
        plain = (types.Float, types.Integer, types.Boolean, types.Array)
        memo: dict = {}
        orig = self.orig

        def get_call_type(fself, context, args, kws):
            if kws or not all(type(a) in plain or isinstance(a, plain) and
                              not isinstance(a, types.Literal) for a in args):
                return orig(fself, context, args, kws)
            key = (fself, context, tuple(args))
            sig = memo.get(key)
            if sig is None:
                sig = memo[key] = orig(fself, context, args, kws)
            return sig
        BaseFunction.get_call_type = get_call_type
        return self

    def __exit__(self, *exc):
        self.cls.get_call_type = self.orig


def numba_memo(k: Kernel):
    with memo_call_types():
        return numba_flags(k)


def numba_flags(k: Kernel, **opts):
    """numba on symnb's source with extra ``njit`` options (the alternatives)."""
    import numba
    ns = namespace("numba", k.functions)
    exec(compile(k.source, f"<{k.name}>", "exec"), ns)
    for h in k.helpers:
        ns[h] = numba.njit(error_model="numpy", **opts)(ns[h])
    fn = numba.njit(error_model="numpy", **opts)(ns["f"])
    fn.compile(tuple(NumbaBackend().signature(k.is_array, 1)))
    return fn


def intrinsic_build(k: Kernel):
    """(dispatcher, seconds reading the source, seconds in the llvmlite code generator)."""
    t0 = time.process_time()
    ops, params = straight_line(k.source)
    t1 = time.process_time()
    e0 = EMIT_SECONDS[0]
    fn = emit_kernel(ops, params, [True] + k.is_array)
    return fn, t1 - t0, EMIT_SECONDS[0] - e0


def minimal_pipeline():
    """A ``pipeline_class``: bytecode -> IR -> type inference -> lowering, nothing else."""
    from numba.core import typed_passes as tp
    from numba.core import untyped_passes as up
    from numba.core.compiler import CompilerBase
    from numba.core.compiler_machinery import PassManager

    class Minimal(CompilerBase):
        def define_pipelines(self):
            pm = PassManager("minimal")
            for p in (up.TranslateByteCode, up.FixupArgs, up.IRProcessing,
                      tp.NopythonTypeInference, tp.IRLegalization, tp.AnnotateTypes,
                      tp.NativeLowering, tp.NoPythonBackend):
                pm.add_pass(p, p.__name__)
            pm.finalize()
            return [pm]
    return Minimal


def per_call(fn, args) -> float:
    """Seconds per call from Python (dispatcher included), best of 7 loops."""
    t = timeit.Timer(lambda: fn(*args))
    n = 20000
    return min(t.repeat(7, n)) / n


_DRIVER: list = []


def per_body(fn, args) -> float:
    """Seconds per call from a numba loop (no dispatcher), best of 7; ``u[0]`` follows
    ``out[0]`` so that LLVM cannot hoist the kernel out of the loop."""
    if not _DRIVER:
        import numba

        @numba.njit
        def drive(f, n, out, u, *rest):  # pragma: no cover - compiled
            for _ in range(n):
                u[0] = 1.0 + 1e-9 * out[0]
                f(out, u, *rest)
        _DRIVER.append(drive)
    drive, n = _DRIVER[0], 20000
    out, u, rest = args[0], args[1].copy(), args[2:]
    drive(fn, 10, out, u, *rest)
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        drive(fn, n, out, u, *rest)
        best = min(best, time.perf_counter() - t0)
    return best / n


def bits_equal(a: np.ndarray, b: np.ndarray, nan_bits: bool = True) -> bool:
    """Same float64 bit patterns (signed zeros included; with ``nan_bits`` the nans' sign
    and payload too, else any nan matches any nan)."""
    if not np.array_equal(a, b, equal_nan=True):
        return False
    keep = slice(None) if nan_bits else ~np.isnan(a)
    return np.array_equal(a[keep].view(np.int64), b[keep].view(np.int64))


def identical(k: Kernel, f1, f2, trials: int = 5, special: bool = False) -> bool:
    """Bit-identical outputs of ``f1`` and ``f2`` on ``trials`` random inputs; with
    ``special`` (zeros, infinities, nan in the inputs) a nan's sign bit may differ: x86
    propagates the first nan operand's sign, and LLVM may swap the operands of a commutative
    ``fadd``/``fmul`` differently in two modules."""
    rng = np.random.default_rng(1)
    for _ in range(trials):
        args = k.inputs(rng, special)
        o1, o2 = np.full(k.n_out, np.nan), np.full(k.n_out, -1.0)
        f1(o1, *args[1:])
        f2(o2, *args[1:])
        if not bits_equal(o1, o2, nan_bits=not special):
            return False
    return True


def pass_times(fn, helpers: list[str]) -> list[tuple[str, float]]:
    """numba's pass times, summed over the ``_chunk*`` helpers (where the statements are;
    the entry's type inference includes compiling them, so the entry is left out)."""
    rows: dict[str, float] = {}
    for h in helpers or ["f"]:
        d = fn.py_func.__globals__[h] if helpers else fn
        md = next(iter(d.overloads.values())).metadata["pipeline_times"]
        for pipeline in md.values():
            for name, t in pipeline.items():
                name = name.split("_", 1)[1] if "_" in name else name
                rows[name] = rows.get(name, 0.0) + t.init + t.run + t.finalize
    return sorted(rows.items(), key=lambda r: -r[1])


def hybrid(k: Kernel, repeats: int) -> str:
    """symnb's default ``compile_array`` (re-rolled loops, chunks) with
    ``config.compile_llvm_chunks`` off vs on (straight-line code in ``_chunk*`` intrinsics,
    none written into the entry): compile CPU (lowering included in both), bits, helpers
    converted."""
    with config.limits(compile_llvm_chunks=False):
        t_nb, c_nb = best_cpu(lambda: compile_array(k.exprs, k.args, inplace=True), repeats)
    with config.limits(compile_llvm_chunks=True):
        t_in, c_in = best_cpu(lambda: compile_array(k.exprs, k.args, inplace=True), repeats)
    rng = np.random.default_rng(4)
    same = True
    for _ in range(5):
        x = k.inputs(rng)
        o1, o2 = np.empty(k.n_out), np.empty(k.n_out)
        c_nb(o1, *x[1:])
        c_in(o2, *x[1:])
        same &= bits_equal(o1, o2)
    return (f"{k.name:15s}{c_nb.stats['loops']:6d}{c_in.stats['llvm_chunks']:8d}"
            f"{t_nb:9.3f}{t_in:9.3f}"
            f"{t_nb / t_in:7.1f}  {'yes' if same else 'NO'}")


def big(path: Path) -> None:
    """A 15k-operation kernel: straight-line through the intrinsic vs what symnb does today
    (re-rolled loops over index tables, numba); one repeat each (numba on the straight-line
    source would take ~25 s, so it is not run)."""
    if not path.exists():
        print(f"skipping --big: {path} is absent")
        return
    from symnb.models.bionetgen import load_bionetgen
    net = load_bionetgen(str(path))
    args = [list(net.symbols), list(net.values), Symbol("t")]
    k = Kernel(path.stem, net.rhs(), args)
    t_in, (f_in, t_read, t_emit) = best_cpu(lambda: intrinsic_build(k), 1)
    t_def, c = best_cpu(lambda: compile_array(net.rhs(), args, inplace=True), 1)
    x = k.inputs(np.random.default_rng(2))
    o1, o2 = np.empty(k.n_out), np.empty(k.n_out)
    f_in(o1, *x[1:])
    c(o2, *x[1:])
    rel = float(np.max(np.abs(o1 - o2) / np.maximum(np.abs(o2), 1e-300)))
    print(f"\n--big {k.name}: {k.ops_cse} operations, {k.n_out} outputs; compile CPU: "
          f"intrinsic straight-line {t_in:.3f} s (read {t_read:.3f}, emit {t_emit:.3f}), "
          f"symnb default (re-rolled, numba, {c.stats['loops']} loops) {t_def:.3f} s; "
          f"per call {per_call(f_in, x) * 1e6:.2f} us vs {per_call(c, x) * 1e6:.2f} us; "
          f"max rel. difference {rel:.1e} (other operation order)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-alt", dest="alt", action="store_false")
    ap.add_argument("--no-hybrid", dest="hybrid", action="store_false")
    ap.add_argument("--big", action="store_true",
                    help="also egfr_net straight-line through the intrinsic vs symnb's "
                         "default (re-rolled loops) numba compile (~10 s more)")
    a = ap.parse_args()
    import numba
    print(f"numba {numba.__version__}; load {os.getloadavg()[0]:.2f}; CPU seconds, best of "
          f"{a.repeats}")
    ks = kernels()
    warm = ks[-1]   # numba's first compile in a process pays its own start-up: not counted
    numba_build(warm)
    intrinsic_build(warm)
    head = (f"{'kernel':15s}{'ops':>6s}{'numba s':>9s}{'intrin s':>9s}{'ratio':>7s}"
            f"{'(read':>7s}{'emit)':>7s}{'call numba':>11s}{'call intr':>10s}"
            f"{'body numba':>11s}{'body intr':>10s}  bit-identical (random, specials*)")
    alt_head = (f"{'':15s}{'':>6s}{'no_rewr s':>10s}{'minimal s':>10s}{'memo s':>10s}"
                "  identical (minimal, memo)")
    rows, alt_rows, biggest = [], [], None
    for k in ks:
        t_nb, f_nb = best_cpu(lambda: numba_build(k), a.repeats)
        t_in, (f_in, t_read, t_emit) = best_cpu(lambda: intrinsic_build(k), a.repeats)
        args = k.inputs(np.random.default_rng(2))
        with np.errstate(all="ignore"):
            same = identical(k, f_nb, f_in)
            spec = identical(k, f_nb, f_in, 20, special=True)
        rows.append(f"{k.name:15s}{k.ops_cse:6d}{t_nb:9.3f}{t_in:9.3f}{t_nb / t_in:7.1f}"
                    f"{t_read:7.3f}{t_emit:7.3f}"
                    f"{per_call(f_nb, args) * 1e6:9.2f}us{per_call(f_in, args) * 1e6:8.2f}us"
                    f"{per_body(f_nb, args) * 1e9:9.0f}ns{per_body(f_in, args) * 1e9:8.0f}ns"
                    f"  {'yes' if same else 'NO':4s}{'yes' if spec else 'NO'}")
        print(rows[-1], flush=True)
        if biggest is None or k.ops_cse > biggest[0].ops_cse:
            biggest = (k, f_nb)
        if a.alt:
            t_nr, _ = best_cpu(lambda: numba_flags(k, no_rewrites=True), 1)
            t_mp, f_mp = best_cpu(lambda: numba_flags(k, pipeline_class=minimal_pipeline()), 1)
            t_me, f_me = best_cpu(lambda: numba_memo(k), 1)
            same = [identical(k, f_nb, f) for f in (f_mp, f_me)]
            alt_rows.append(f"{k.name:15s}{'':6s}{t_nr:10.3f}{t_mp:10.3f}{t_me:10.3f}  "
                            + " ".join('yes' if x else 'NO' for x in same))
    print("\n" + head)
    print("\n".join(rows))
    if alt_rows:
        print("\nalternatives (numba on the same source, one repeat):\n" + alt_head)
        print("\n".join(alt_rows))
    if a.hybrid:
        print("\nhybrid: symnb's default compile_array (loops re-rolled), "
              "config.compile_llvm_chunks off (numba) vs on (_chunk* intrinsics), CPU s, "
              f"best of {a.repeats}:\n"
              f"{'kernel':15s}{'loops':>6s}{'helpers':>8s}{'numba s':>9s}{'hybrid s':>9s}"
              f"{'ratio':>7s}  bit-identical")
        for k in ks:
            print(hybrid(k, a.repeats), flush=True)
    k, f_nb = biggest
    pt = pass_times(f_nb, k.helpers)
    tot = sum(t for _, t in pt)
    print(f"\nnumba passes for {k.name}, share of the wall time of its {len(k.helpers)} "
          f"helpers' pipelines ({tot:.2f} s):",
          ", ".join(f"{n} {100 * t / tot:.0f}%" for n, t in pt[:5]))
    if a.big:
        big(DATA / "egfr_net.net")
    print("* specials: inputs among +-0, -1.5, 0.5, 1e308, +-inf, nan; a nan's sign bit is"
          " not compared")
    print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
