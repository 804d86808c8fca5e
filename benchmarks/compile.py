"""Benchmarks of symnb.compile (issue 4).  Run:  .venv/bin/python benchmarks/compile.py

* 2-D Brusselator RHS (N=32, 2048 states, periodic 5-point Laplacian, alpha=10/dx^2,
  forcing term omitted in both versions): compiled in-place RHS and sparse Jacobian vs
  hand-written numba loops; compile times (N=32, N=64); per call and set-up vs
  sympy.lambdify(cse=True) and symengine.Lambdify(backend="llvm", cse=True).
* egfr_net (BioNetGen .net, mass action): compile time, per call vs a vectorised numpy
  mass-action RHS (rates from index arrays, du = S @ rates with S sparse CSR, and dense).
* a synthetic network with 1,122 species and 24,388 reactions: compile time.
* cached second compile in a new process.

Timings: best of 7 repeats of a loop; ratios come from one run.  Options:
``--no-anchors`` (skip sympy/symengine), ``--no-big`` (skip N=64 and the synthetic
network), ``--json PATH`` (write the figures).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symnb.compiler import compile_array, jacobian  # noqa: E402
from symnb.models import brusselator_2d  # noqa: E402
from symnb.terms import symbols  # noqa: E402
from symnb.terms.core import acc_add, make_add  # noqa: E402

NET = Path(os.environ.get("SYMNB_EGFR_NET", ROOT.parent / "shared" / "data" / "bionetgen" /
                          "egfr_net.net"))
if not NET.exists():
    NET = Path("/work/shared/data/bionetgen/egfr_net.net")


def per_call(f, *args, min_time: float = 0.05, clock=time.perf_counter) -> float:
    """Seconds per call: the best of 7 repeats of an auto-sized loop (timeit's advice:
    on a machine shared with other processes the minimum is the least disturbed
    figure; every function, anchors included, is timed the same way).  ``clock``:
    ``time.process_time`` gives CPU seconds (benchmarks/peers.py)."""
    f(*args)
    n = 1
    while True:
        t = clock()
        for _ in range(n):
            f(*args)
        dt = clock() - t
        if dt > min_time:
            break
        n *= 4
    reps = []
    for _ in range(7):
        t = clock()
        for _ in range(n):
            f(*args)
        reps.append((clock() - t) / n)
    return float(np.min(reps))


def per_call_many(calls: list, rounds: int = 3) -> list[float]:
    """``per_call`` of each ``(f, *args)`` in ``calls``, interleaved over ``rounds``
    rounds (best per function), so that a quiet or busy moment of the shared
    machine falls on every side of a ratio alike."""
    best = [float("inf")] * len(calls)
    for _ in range(rounds):
        for i, (f, *args) in enumerate(calls):
            best[i] = min(best[i], per_call(f, *args))
    return best


def fmt(s: float) -> str:
    return f"{s * 1e6:9.2f} us" if s < 1e-3 else f"{s * 1e3:9.2f} ms" if s < 1 else f"{s:9.2f} s "


# ----------------------------------------------------------------------
# Brusselator
# ----------------------------------------------------------------------
def brusselator(N: int, alpha: float = 10.0) -> tuple[list, list, float]:
    model = brusselator_2d(N, alpha=alpha)
    ex, y = model.terms()
    return ex, y, model.a


def hand_written():
    import numba

    @numba.njit(error_model="numpy")
    def rhs(du, y, N, a):
        NN = N * N
        for i in range(N):
            ip = (i + 1) % N
            im = (i - 1) % N
            for j in range(N):
                jp = (j + 1) % N
                jm = (j - 1) % N
                k = i * N + j
                u = y[k]
                v = y[NN + k]
                uuv = u * u * v
                du[k] = 1.0 + uuv - 4.4 * u + a * (y[ip * N + j] + y[im * N + j] + y[i * N + jp]
                                                   + y[i * N + jm] - 4.0 * u)
                du[NN + k] = 3.4 * u - uuv + a * (y[NN + ip * N + j] + y[NN + im * N + j]
                                                  + y[NN + i * N + jp] + y[NN + i * N + jm]
                                                  - 4.0 * v)

    @numba.njit(error_model="numpy")
    def jac(vals, y, N, a, pos):
        NN = N * N
        for k in range(NN):
            u = y[k]
            v = y[NN + k]
            p = pos[k]
            vals[p[0]] = 2.0 * u * v - 4.4 - 4.0 * a
            vals[p[1]] = a
            vals[p[2]] = a
            vals[p[3]] = a
            vals[p[4]] = a
            vals[p[5]] = u * u
            q = pos[NN + k]
            vals[q[0]] = 3.4 - 2.0 * u * v
            vals[q[1]] = a
            vals[q[2]] = a
            vals[q[3]] = a
            vals[q[4]] = a
            vals[q[5]] = -u * u - 4.0 * a
    return rhs, jac


def jac_positions(N: int, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """pos[row] = CSR positions of [diag-species col, 4 neighbours, other-species col]."""
    NN = N * N
    pos = np.empty((2 * NN, 6), dtype=np.int64)
    for blk in range(2):
        for i in range(N):
            for j in range(N):
                k = i * N + j
                row = blk * NN + k
                cols = list(indices[indptr[row]:indptr[row + 1]])
                where = {c: indptr[row] + n for n, c in enumerate(cols)}
                off = blk * NN
                nb = [off + ((i + 1) % N) * N + j, off + ((i - 1) % N) * N + j,
                      off + i * N + (j + 1) % N, off + i * N + (j - 1) % N]
                if blk == 0:
                    pos[row] = [where[k]] + [where[c] for c in nb] + [where[NN + k]]
                else:
                    pos[row] = [where[k]] + [where[c] for c in nb] + [where[NN + k]]
    return pos


def bench_brusselator(N: int, anchors: bool, out: dict) -> None:
    print(f"\n== Brusselator 2-D, N={N} ({2 * N * N} states) ==")
    t = time.perf_counter()
    ex, y, a = brusselator(N)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    rhs = compile_array(ex, args=[y], inplace=True, names=["u"])
    t_rhs = time.perf_counter() - t
    t = time.perf_counter()
    J = jacobian(ex, y)
    t_jsym = time.perf_counter() - t
    t = time.perf_counter()
    jac = J.compile(args=[y], sparse=True, names=["u"])
    t_jac = time.perf_counter() - t
    print(f"symbolic build {t_build:.2f} s; RHS compile {t_rhs:.2f} s "
          f"(numba {rhs.stats['compile_seconds']:.2f} s, {rhs.stats['loops']} loops); "
          f"jacobian() {t_jsym:.2f} s; sparse Jacobian compile {t_jac:.2f} s "
          f"(nnz {J.nnz}, {jac.stats['loops']} loops, "
          f"{jac.stats['straight_line_outputs']} straight-line)")
    print(f"RHS + Jacobian compile (incl. jacobian()): {t_rhs + t_jsym + t_jac:.2f} s")
    r = out.setdefault(f"brusselator_N{N}", {})
    r.update(build_s=t_build, rhs_compile_s=t_rhs, jacobian_symbolic_s=t_jsym,
             jac_compile_s=t_jac, rhs_plus_jac_s=t_rhs + t_jsym + t_jac, nnz=J.nnz)
    if N != 32:
        return
    hrhs, hjac = hand_written()
    x = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    du1, du2 = np.empty(len(y)), np.empty(len(y))
    hrhs(du1, x, N, a)
    rhs(du2, x)
    err = np.max(np.abs(du1 - du2) / (np.abs(du1) + 1))
    t_h, t_c, t_cf = per_call_many([(hrhs, du1, x, N, a), (rhs, du2, x), (rhs.func, du2, x)])
    print(f"RHS per call: hand-written numba {fmt(t_h)}; compiled {fmt(t_c)} "
          f"(ratio {t_c / t_h:.2f}x; raw dispatcher {fmt(t_cf)}, {t_cf / t_h:.2f}x); "
          f"max rel diff {err:.1e}")
    pos = jac_positions(N, J.indptr, J.indices)
    v1, v2 = np.empty(J.nnz), np.empty(J.nnz)
    hjac(v1, x, N, a, pos)
    jac(v2, x)
    jerr = np.max(np.abs(v1 - v2) / (np.abs(v1) + 1))
    tj_h, tj_c = per_call_many([(hjac, v1, x, N, a, pos), (jac, v2, x)])
    print(f"sparse Jacobian per call: hand-written numba {fmt(tj_h)}; compiled {fmt(tj_c)} "
          f"(ratio {tj_c / tj_h:.2f}x); max rel diff {jerr:.1e}")
    r.update(rhs_hand_s=t_h, rhs_compiled_s=t_c, rhs_ratio=t_c / t_h, rhs_raw_ratio=t_cf / t_h,
             jac_hand_s=tj_h, jac_compiled_s=tj_c, jac_ratio=tj_c / tj_h)
    if not anchors:
        return
    import sympy
    import symengine as se
    from symnb import to_symengine, to_sympy
    sy = [sympy.Symbol(s.name) for s in y]
    sex = [to_sympy(e) for e in ex]
    t = time.perf_counter()
    lam = sympy.lambdify([sy], sex, modules="numpy", cse=True)
    t_lam = time.perf_counter() - t
    got = np.array(lam(x))
    t_lc, t_c2 = per_call_many([(lam, x), (rhs, du2, x)])
    print(f"sympy.lambdify(cse=True): set-up {t_lam:.2f} s, per call {fmt(t_lc)} "
          f"(compiled is {t_lc / t_c2:.1f}x faster); max rel diff "
          f"{np.max(np.abs(got - du1) / (np.abs(du1) + 1)):.1e}")
    sey = [se.Symbol(s.name) for s in y]
    seex = [to_symengine(e) for e in ex]
    t = time.perf_counter()
    sel = se.Lambdify([sey], seex, backend="llvm", cse=True)
    t_se = time.perf_counter() - t
    du3 = np.empty(len(y))
    sel(x, out=du3)
    t_sc, t_c3 = per_call_many([(lambda v, o: sel(v, out=o), x, du3), (rhs, du2, x)])
    print(f"symengine.Lambdify(llvm, cse=True): set-up {t_se:.2f} s, per call {fmt(t_sc)} "
          f"(compiled is {t_sc / t_c3:.1f}x faster; set-up: symnb RHS {t_rhs:.2f} s); "
          f"max rel diff {np.max(np.abs(du3 - du1) / (np.abs(du1) + 1)):.1e}")
    r.update(lambdify_setup_s=t_lam, lambdify_call_s=t_lc, lambdify_ratio=t_lc / t_c2,
             symengine_setup_s=t_se, symengine_call_s=t_sc, symengine_ratio=t_sc / t_c3)


# ----------------------------------------------------------------------
# reaction networks
# ----------------------------------------------------------------------
def parse_net(path: Path) -> tuple[int, list]:
    """Minimal .net reader: (number of species, [(reactants, products, rate constant)])."""
    params: dict[str, float] = {}
    species = 0
    reactions = []
    block = None
    for line in path.read_text().splitlines():
        s = line.split("#", 1)[0].strip()
        if not s:
            continue
        if s.startswith("begin "):
            block = s.split()[1]
            continue
        if s.startswith("end "):
            block = None
            continue
        f = s.split()
        if block == "parameters":
            params[f[1]] = _rate(f[2], params)
        elif block == "species":
            species += 1
        elif block == "reactions":
            reac = [int(q) - 1 for q in f[1].split(",") if q != "0"]
            prod = [int(q) - 1 for q in f[2].split(",") if q != "0"]
            reactions.append((reac, prod, _rate(f[3], params)))
    return species, reactions


def _rate(text: str, params: dict) -> float:
    v = 1.0
    for part in text.split("*"):
        v *= params[part] if part in params else float(part)
    return v


def stoichiometric_sums(n: int, reactions: list, rates: list) -> list:
    """du = S @ rates: each rate subtracted from its reactants' rows, added to its products'."""
    acc: list = [({}, 0) for _ in range(n)]
    for (reac, prod, _k), rate in zip(reactions, rates):
        for q in reac:
            d, c = acc[q]
            acc[q] = (d, acc_add(d, c, rate, -1))
        for q in prod:
            d, c = acc[q]
            acc[q] = (d, acc_add(d, c, rate, 1))
    return [make_add(c, d) for d, c in acc]


def mass_action_terms(n: int, reactions: list) -> tuple[list, list]:
    """Symbolic du = S @ rates, rates k * prod(y[reactants]) (numeric k)."""
    y = list(symbols(f"x0:{n}"))
    rates = []
    for reac, _prod, k in reactions:
        rate = k
        for q in reac:
            rate = rate * y[q]
        rates.append(rate)
    return stoichiometric_sums(n, reactions, rates), y


def numpy_mass_action(n: int, reactions: list):
    import scipy.sparse as sp
    m = len(reactions)
    a = np.full(m, n, dtype=np.int64)
    b = np.full(m, n, dtype=np.int64)
    k = np.empty(m)
    rows, cols, vals = [], [], []
    for r, (reac, prod, kr) in enumerate(reactions):
        k[r] = kr
        if reac:
            a[r] = reac[0]
        if len(reac) > 1:
            b[r] = reac[1]
        for q in reac:
            rows.append(q); cols.append(r); vals.append(-1.0)
        for q in prod:
            rows.append(q); cols.append(r); vals.append(1.0)
    S = sp.csr_matrix((vals, (rows, cols)), shape=(n, m))
    Sd = S.toarray()
    ext = np.ones(n + 1)

    def rhs_sparse(y: np.ndarray) -> np.ndarray:
        ext[:n] = y
        return S @ (k * ext[a] * ext[b])

    def rhs_dense(y: np.ndarray) -> np.ndarray:
        ext[:n] = y
        return Sd @ (k * ext[a] * ext[b])
    return rhs_sparse, rhs_dense


def bench_network(name: str, n: int, reactions: list, out: dict, compare: bool) -> None:
    print(f"\n== {name}: {n} species, {len(reactions)} reactions ==")
    t = time.perf_counter()
    du, y = mass_action_terms(n, reactions)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    rhs = compile_array(du, args=[y], inplace=True, names=["u"])
    t_c = time.perf_counter() - t
    s = rhs.stats
    print(f"symbolic build {t_build:.2f} s; compile {t_c:.2f} s (lowering+codegen "
          f"{s['codegen_seconds']:.2f} s, numba {s['compile_seconds']:.2f} s); "
          f"{s['loops']} loops, {s['straight_line_outputs']} straight-line outputs, "
          f"{s['segment_sum_rows']} segment-sum rows, work vector {s['work_vector']}")
    r = out.setdefault(name, {})
    r.update(build_s=t_build, compile_s=t_c, loops=s["loops"], lines=s["source_lines"])
    if not compare:
        return
    x = np.random.default_rng(1).uniform(0.0, 1.0, n) * 100
    sp_rhs, dn_rhs = numpy_mass_action(n, reactions)
    dref = sp_rhs(x)
    dd = np.empty(n)
    rhs(dd, x)
    err = np.max(np.abs(dd - dref)) / np.max(np.abs(dref))
    t_c1, t_s = per_call_many([(rhs, dd, x), (sp_rhs, x)])
    t_d = per_call(dn_rhs, x)
    print(f"per call: compiled {fmt(t_c1)}; numpy S@rates sparse {fmt(t_s)} "
          f"({t_s / t_c1:.1f}x slower), dense {fmt(t_d)} ({t_d / t_c1:.1f}x slower); "
          f"max diff / max |du| {err:.1e}")
    r.update(call_s=t_c1, numpy_sparse_s=t_s, numpy_dense_s=t_d,
             speedup_vs_sparse=t_s / t_c1, speedup_vs_dense=t_d / t_c1)


def synthetic(n: int, m: int, seed: int = 7) -> list:
    rng = np.random.default_rng(seed)
    reactions = []
    for _ in range(m):
        nr = int(rng.integers(1, 3))
        reac = [int(q) for q in rng.integers(0, n, nr)]
        prod = [int(q) for q in rng.integers(0, n, int(rng.integers(1, 3)))]
        reactions.append((reac, prod, float(rng.uniform(0.01, 1.0))))
    return reactions


# ----------------------------------------------------------------------
def bench_cache(out: dict) -> None:
    print("\n== cache: second compile of egfr_net RHS in a new process ==")
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.compile import parse_net, mass_action_terms
from pathlib import Path
from symnb.compiler import compile_array
n, reactions = parse_net(Path({str(NET)!r}))
du, y = mass_action_terms(n, reactions)
fresh = "numba" not in sys.modules
t2 = time.perf_counter()
f = compile_array(du, args=[y], inplace=True, names=["u"], cache=True)
t3 = time.perf_counter()
t4 = time.perf_counter()
import numba
numba.njit(lambda: 0)()
t5 = time.perf_counter()
print(f.stats["cache"].split()[0], f.stats.get("lowering_cache", "none").split()[0], fresh, t3 - t2,
      f.stats["codegen_seconds"], f.stats["compile_seconds"], t5 - t4)
"""
    code_import = ("import time; t = time.perf_counter(); import numba; "
                   "print(time.perf_counter() - t)")
    env = dict(os.environ, SYMNB_CACHE_DIR=tempfile.mkdtemp(prefix="symnb-bench-cache-"))
    res = []
    for _ in range(3):
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, cwd=str(ROOT))
        if p.returncode:
            print(p.stderr[-2000:])
            return
        res.append(p.stdout.split())
    imp = []
    for _ in range(3):
        p = subprocess.run([sys.executable, "-c", code_import], env=env, capture_output=True,
                           text=True, cwd=str(ROOT))
        imp.append(float(p.stdout.split()[0]))
    first = res[0]
    hits = res[1:]
    best = min(hits, key=lambda r: float(r[3]))
    s1, l1, c1 = first[0], first[1], float(first[3])
    s2, l2, fresh, c2, g2, n2, trivial = best[0], best[1], best[2], *map(float, best[3:])
    t_imp = min(imp)
    print(f"first process: machine code {s1}, lowering {l1}, compile() {c1:.2f} s")
    print(f"second process (best of {len(hits)}): machine code {s2}, lowering {l2}; compile() "
          f"{c2:.2f} s overall, numba imported inside it: {fresh} (our part: digest + cache "
          f"read {g2:.2f} s; numba import + cache load {n2:.2f} s; a bare 'import numba' "
          f"takes {t_imp:.2f} s here; numba's first njit compile afterwards, which a hit "
          f"avoids, {trivial:.2f} s)")
    out["cache"] = {"first": s1, "first_lowering": l1, "first_compile_s": c1, "second": s2,
                    "second_lowering": l2, "second_compile_s": c2, "second_ours_s": g2,
                    "second_numba_s": n2, "numba_import_s": t_imp,
                    "numba_first_njit_s": trivial, "numba_imported_inside": fresh == "True"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-anchors", action="store_true")
    ap.add_argument("--no-big", action="store_true")
    ap.add_argument("--json", default=None)
    opts = ap.parse_args()
    import numba
    numba.njit(lambda: 0)()
    out: dict = {"numba": numba.__version__, "cpus": os.cpu_count()}
    bench_brusselator(32, not opts.no_anchors, out)
    if not opts.no_big:
        bench_brusselator(64, False, out)
    n, reactions = parse_net(NET)
    bench_network("egfr_net", n, reactions, out, compare=True)
    if not opts.no_big:
        bench_network("synthetic_1122x24388", 1122, synthetic(1122, 24388), out, compare=True)
    bench_cache(out)
    b, e = out["brusselator_N32"], out["egfr_net"]
    print(f"\nsummary: Brusselator N=32 RHS {b['rhs_ratio']:.2f}x, sparse Jacobian {b['jac_ratio']:.2f}x the "
          f"hand-written time (target <= 1.2); egfr_net RHS {e['speedup_vs_sparse']:.1f}x faster than numpy "
          f"S@rates (target >= 5), compiled in {e['compile_s']:.2f} s (target < 10)")
    if opts.json:
        Path(opts.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
