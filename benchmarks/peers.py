"""Peers (issue 16): per-call RHS and sparse Jacobian of symnb against the tools users
would pick instead, on the 2-D Brusselator (N=32, 2,048 states) and egfr_net (356
species, 3,749 mass-action reactions).

    .venv/bin/python benchmarks/peers.py            # best of 7, 5 interleaved rounds
    .venv/bin/python benchmarks/peers.py --quick    # 3 rounds, cached CasADi C only (~1 min)
    .venv/bin/python benchmarks/peers.py --json out.json

Peers, each built the way its users write it:

* ``symnb``: ``compile_array`` of the model's terms (in-place RHS) and
  ``jacobian(...).compile(sparse=True)`` (CSR nonzeros);
* ``hand numba``: hand-written ``numba.njit`` loops (the Brusselator kernels of
  ``benchmarks/compile.py``; for egfr a mass-action kernel over index tables);
* ``jax.jit``: the model in ``jax.numpy`` (``roll`` stencils; index tables and
  ``segment_sum``), the sparse Jacobian by forward-mode products with one seed per
  column colour (greedy colouring of the pattern), gathered into CSR order;
* ``CasADi SX``: the same terms as SX expressions, ``casadi.jacobian``, called through
  ``Function.buffer`` (zero copy);
* ``CasADi C``: those functions' generated C, compiled with ``gcc -O3 -shared``
  (only where ``gcc`` is on the PATH) and loaded with ``casadi.external``; the libraries
  are cached (``CACHE``) with their first build's seconds, and ``--quick`` only uses
  cached ones (gcc -O3 of this C takes minutes here).

A peer that is not installed is skipped with its reason.  Build times: symnb compile,
numba's first-call compile, jax's first call (trace + XLA), CasADi's graph and
``Function``, CasADi C's code generation plus gcc (wall seconds).  Per-call times: CPU
seconds, best of 7 repeats of an auto-sized loop, interleaved over rounds so load on the
shared machine falls on every peer alike; each peer's outputs are checked
against symnb's.  Ratios are ``peer / baseline`` with the baseline in the name (``x
symnb``).  OPENBLAS, OMP and XLA run on one thread.  The last line is ``summary: ...``.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                      "intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from compile import (NET, brusselator, fmt, hand_written, jac_positions,  # noqa: E402
                     mass_action_terms, parse_net)
from compile import per_call as compile_per_call  # noqa: E402
from symnb.compiler import compile_array, jacobian  # noqa: E402

PEERS = ("symnb", "hand numba", "jax.jit", "CasADi SX", "CasADi C")


class Skip(Exception):
    """A peer that cannot run here (the message is the reason)."""


class Model:
    """A benchmark model: symnb terms, the Jacobian's CSR pattern, a test point, and the
    data the hand-written and jax versions need."""

    def __init__(self, name: str, ex: list, y: list, x: np.ndarray, **data: Any) -> None:
        self.name, self.ex, self.y, self.x = name, ex, y, x
        self.n = len(y)
        self.data = data
        t = time.perf_counter()
        self.J = jacobian(ex, y)
        self.jacobian_s = time.perf_counter() - t
        self.indptr = np.asarray(self.J.indptr, dtype=np.int64)
        self.indices = np.asarray(self.J.indices, dtype=np.int64)
        self.rows = np.repeat(np.arange(self.n), np.diff(self.indptr))

    def csr(self, vals: np.ndarray) -> Any:
        import scipy.sparse as sp
        return sp.csr_matrix((np.asarray(vals, dtype=float), self.indices, self.indptr),
                             shape=(self.n, self.n))


def per_call(f: Callable, *args: Any) -> float:
    """CPU seconds per call (``time.process_time``: a process descheduled by the shared
    machine's load is not charged), best of 7 (``benchmarks/compile.py``'s loop)."""
    return compile_per_call(f, *args, clock=time.process_time)


def timed(f: Callable, *args: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = f(*args)
    return time.perf_counter() - t, out


# ----------------------------------------------------------------------
# the peers: each returns dict(rhs=(f, args), jac=(f, args), rhs_build_s, jac_build_s,
# du=array, J=scipy matrix) or raises Skip
# ----------------------------------------------------------------------
def peer_symnb(m: Model) -> dict:
    t_rhs, rhs = timed(lambda: compile_array(m.ex, args=[m.y], inplace=True, names=["u"]))
    t_jac, jac = timed(lambda: m.J.compile(args=[m.y], sparse=True, names=["u"]))
    du, vals = np.empty(m.n), np.empty(m.J.nnz)
    rhs(du, m.x)
    jac(vals, m.x)
    return dict(rhs=(rhs, du, m.x), jac=(jac, vals, m.x), rhs_build_s=t_rhs,
                jac_build_s=t_jac + m.jacobian_s, du=du.copy(), J=m.csr(vals))


def peer_hand(m: Model) -> dict:
    try:
        import numba  # noqa: F401
    except ImportError as e:
        raise Skip(f"numba is not installed ({e})") from None
    du, vals = np.empty(m.n), np.empty(m.J.nnz)
    if m.name.startswith("brusselator"):
        N, a = m.data["N"], m.data["a"]
        hrhs, hjac = hand_written()
        pos = jac_positions(N, m.indptr, m.indices)
        rargs, jargs = (du, m.x, N, a), (vals, m.x, N, a, pos)
    else:
        hrhs, hjac = hand_mass_action()
        t = m.data["tables"]
        rargs = (du, m.x, t["A"], t["k"], t["esp"], t["erx"], t["ecoef"], t["ext"], t["r"])
        jargs = (vals, m.x, t["A"], t["k"], t["jpos"], t["jpart"], t["jcoef"], t["ext"],
                 t["part"])
    t_rhs, _ = timed(hrhs, *rargs)
    t_jac, _ = timed(hjac, *jargs)
    return dict(rhs=(hrhs, *rargs), jac=(hjac, *jargs), rhs_build_s=t_rhs,
                jac_build_s=t_jac, du=du.copy(), J=m.csr(vals))


def hand_mass_action() -> tuple:
    """Hand-written numba mass action: each rate once from the reactant index table, then
    a scatter of the stoichiometric entries; the Jacobian computes each rate's partial
    derivative per reactant slot once and scatters it into the CSR positions precomputed
    by ``mass_action_tables``."""
    import numba

    @numba.njit(error_model="numpy")
    def rhs(du, y, A, k, esp, erx, ecoef, ext, r):
        n = y.shape[0]
        for i in range(n):
            ext[i] = y[i]
            du[i] = 0.0
        for j in range(k.shape[0]):
            v = k[j]
            for s in range(A.shape[1]):
                v *= ext[A[j, s]]
            r[j] = v
        for e in range(esp.shape[0]):
            du[esp[e]] += ecoef[e] * r[erx[e]]

    @numba.njit(error_model="numpy")
    def jac(vals, y, A, k, jpos, jpart, jcoef, ext, part):
        n = y.shape[0]
        S = A.shape[1]
        for i in range(n):
            ext[i] = y[i]
        for i in range(vals.shape[0]):
            vals[i] = 0.0
        for j in range(k.shape[0]):
            for s in range(S):
                p = k[j]
                for q in range(S):
                    if q != s:
                        p *= ext[A[j, q]]
                part[j * S + s] = p
        for t in range(jpos.shape[0]):
            vals[jpos[t]] += jcoef[t] * part[jpart[t]]
    return rhs, jac


def mass_action_tables(n: int, reactions: list, indptr: np.ndarray,
                       indices: np.ndarray) -> dict:
    """Index tables of a mass-action network for the hand-written and jax kernels."""
    S = max(1, max(len(r[0]) for r in reactions))
    m = len(reactions)
    A = np.full((m, S), n, dtype=np.int64)          # slot n of ext holds 1.0
    k = np.array([r[2] for r in reactions], dtype=float)
    esp, erx, ecoef = [], [], []
    where = {}
    for row in range(n):
        for p in range(indptr[row], indptr[row + 1]):
            where[(row, int(indices[p]))] = p
    jpos, jpart, jcoef = [], [], []
    for j, (reac, prod, _k) in enumerate(reactions):
        A[j, :len(reac)] = reac
        entries = [(q, -1.0) for q in reac] + [(q, 1.0) for q in prod]
        for q, c in entries:
            esp.append(q); erx.append(j); ecoef.append(c)
            for s, col in enumerate(reac):
                if (q, col) in where:   # a partial that cancels exactly has no entry
                    jpos.append(where[(q, col)]); jpart.append(j * S + s)
                    jcoef.append(c)
    i64 = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    return dict(A=A, k=k, esp=i64(esp), erx=i64(erx), ecoef=np.array(ecoef), ext=np.ones(n + 1),
                r=np.empty(m), jpos=i64(jpos), jpart=i64(jpart), jcoef=np.array(jcoef),
                part=np.empty(m * S))


def peer_jax(m: Model) -> dict:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as e:
        raise Skip(f"jax is not installed (the 'bench' extra: pip install "
                   f"'symnb[bench]'; {e})") from None
    jax.config.update("jax_enable_x64", True)
    if m.name.startswith("brusselator"):
        N, a = m.data["N"], m.data["a"]
        NN = N * N

        def lap(w):
            return (jnp.roll(w, 1, 0) + jnp.roll(w, -1, 0) + jnp.roll(w, 1, 1)
                    + jnp.roll(w, -1, 1) - 4.0 * w)

        def f(y):
            u, v = y[:NN].reshape(N, N), y[NN:].reshape(N, N)
            uuv = u * u * v
            return jnp.concatenate([(1.0 + uuv - 4.4 * u + a * lap(u)).ravel(),
                                    (3.4 * u - uuv + a * lap(v)).ravel()])
    else:
        t = m.data["tables"]
        A, k, esp, erx, ecoef = (jnp.asarray(t[s]) for s in ("A", "k", "esp", "erx", "ecoef"))
        n = m.n

        def f(y):
            ext = jnp.concatenate([y, jnp.ones(1)])
            r = k * jnp.prod(ext[A], axis=1)
            return jax.ops.segment_sum(ecoef * r[erx], esp, num_segments=n)
    color, ncolor = column_colouring(m)
    seeds = jnp.asarray(np.eye(ncolor)[color].T)            # (colours, n)
    cidx, ridx = jnp.asarray(color[m.indices]), jnp.asarray(m.rows)

    def jac(y):
        comp = jax.vmap(lambda s: jax.jvp(f, (y,), (s,))[1])(seeds)
        return comp[cidx, ridx]
    jf, jj = jax.jit(f), jax.jit(jac)
    t_rhs, du = timed(lambda: np.asarray(jf(m.x).block_until_ready()))
    t_jac, vals = timed(lambda: np.asarray(jj(m.x).block_until_ready()))
    return dict(rhs=(lambda x: jf(x).block_until_ready(), m.x),
                jac=(lambda x: jj(x).block_until_ready(), m.x), rhs_build_s=t_rhs,
                jac_build_s=t_jac, du=du, J=m.csr(vals), colours=ncolor)


def column_colouring(m: Model) -> tuple[np.ndarray, int]:
    """Greedy colouring of the Jacobian's columns: columns sharing a row differ."""
    import scipy.sparse as sp
    P = sp.csr_matrix((np.ones(len(m.indices)), m.indices, m.indptr), shape=(m.n, m.n))
    C = P.tocsc()
    color = np.full(m.n, -1, dtype=np.int64)
    for col in range(m.n):
        used = set()
        for row in C.indices[C.indptr[col]:C.indptr[col + 1]]:
            used.update(color[P.indices[P.indptr[row]:P.indptr[row + 1]]].tolist())
        c = 0
        while c in used:
            c += 1
        color[col] = c
    return color, int(color.max()) + 1


def casadi_functions(m: Model, tag: str) -> tuple:
    """(rhs Function, Jacobian Function, seconds for each) of the model's terms in SX."""
    try:
        import casadi as ca
    except ImportError as e:
        raise Skip(f"casadi is not installed (the 'bench' extra: pip install "
                   f"'symnb[bench]'; {e})") from None
    t = time.perf_counter()
    X = ca.SX.sym("x", m.n)
    expr = ca.vertcat(*to_casadi(m.ex, m.y, X))
    frhs = ca.Function(f"rhs_{tag}", [X], [expr])
    t_rhs = time.perf_counter() - t
    t = time.perf_counter()
    fjac = ca.Function(f"jac_{tag}", [X], [ca.jacobian(expr, X)])
    return frhs, fjac, t_rhs, time.perf_counter() - t


def to_casadi(exprs: list, y: list, X: Any) -> list:
    """symnb terms (sums, products, powers, numbers, symbols) as CasADi SX, node by node."""
    from symnb.terms.core import Add, Mul, Number, Pow, Symbol, postorder
    memo: dict = {s: X[i] for i, s in enumerate(y)}

    def val(e: Any) -> Any:
        return memo[e] if not isinstance(e, (int, float)) and e in memo else float(e)
    for e in exprs:
        for node in postorder(e):
            if node in memo:
                continue
            tt = type(node)
            if tt is Number:
                memo[node] = float(node.value)
            elif tt is Add:
                acc = float(node.const)
                for term, c in node.terms.items():
                    acc = acc + float(c) * memo[term]
                memo[node] = acc
            elif tt is Mul:
                acc = float(node.coef)
                for b, ex in node.factors.items():
                    acc = acc * (memo[b] if ex == 1 else memo[b] ** val(ex))
                memo[node] = acc
            elif tt is Pow:
                memo[node] = memo[node.base] ** val(node.exp)
            elif tt is Symbol:
                raise ValueError(f"symbol {node} is not a state")
            else:
                raise ValueError(f"no CasADi form for {type(node).__name__} {node}")
    return [memo[e] for e in exprs]


def casadi_call(f: Any, m: Model, nout: int) -> tuple:
    """(callable(x), output array) through ``Function.buffer`` (zero copy).  The buffer
    holds raw pointers: the callable keeps the input, the output and the buffer alive."""
    buf, ev = f.buffer()
    x, out = np.array(m.x), np.empty(nout)
    buf.set_arg(0, memoryview(x))
    buf.set_res(0, memoryview(out))
    keep = (buf, x, out)

    def call(xx: np.ndarray) -> None:
        x[:] = xx
        ev()
    call.keep = keep
    return call, out


def casadi_result(m: Model, frhs: Any, fjac: Any, t_rhs: float, t_jac: float) -> dict:
    sp_ = fjac.sparsity_out(0)
    crhs, du = casadi_call(frhs, m, m.n)
    cjac, vals = casadi_call(fjac, m, sp_.nnz())
    crhs(m.x)
    cjac(m.x)
    import scipy.sparse as sp
    colptr, row = sp_.get_ccs()
    J = sp.csc_matrix((vals.copy(), row, colptr), shape=(m.n, m.n)).tocsr()
    return dict(rhs=(crhs, m.x), jac=(cjac, m.x), rhs_build_s=t_rhs, jac_build_s=t_jac,
                du=du.copy(), J=J)


def peer_casadi_sx(m: Model) -> dict:
    frhs, fjac, t_rhs, t_jac = casadi_functions(m, m.name)
    return casadi_result(m, frhs, fjac, t_rhs, t_jac)


CC_FLAGS = ["-O3", "-fPIC", "-shared"]
CACHE = Path(os.environ.get("SYMNB_PEERS_CACHE", Path.home() / ".cache" / "symnb-peers"))
"""Compiled CasADi C libraries by the SHA-256 of their source, gcc and flags, with the
seconds their first build took (``--quick`` uses them and never runs gcc itself)."""


def peer_casadi_c(m: Model, cache: dict, quick: bool) -> dict:
    import casadi as ca   # casadi_functions has checked it
    gcc = shutil.which("gcc")
    if gcc is None:
        raise Skip("gcc is not on the PATH")
    version = subprocess.run([gcc, "--version"], capture_output=True, text=True).stdout
    frhs, fjac = cache["casadi"]
    d = Path(tempfile.mkdtemp(prefix="symnb-peers-"))
    times, funcs, cached = [], [], []
    for f in (frhs, fjac):
        t = time.perf_counter()
        cg = ca.CodeGenerator(f"{f.name()}.c")
        cg.add(f)
        cg.generate(str(d) + "/")
        src = d / f"{f.name()}.c"
        key = hashlib.sha256(src.read_bytes() + version.encode()
                             + " ".join(CC_FLAGS).encode()).hexdigest()[:24]
        lib, meta = CACHE / f"{key}.so", CACHE / f"{key}.json"
        if lib.exists() and meta.exists():
            times.append(json.loads(meta.read_text())["build_s"])
            cached.append(True)
        elif quick:
            raise Skip("--quick runs no gcc -O3 (minutes per model here) and no build is "
                       f"cached in {CACHE}: run once without --quick")
        else:
            CACHE.mkdir(parents=True, exist_ok=True)
            tmp = d / f"{key}.so"
            p = subprocess.run([gcc, *CC_FLAGS, str(src), "-o", str(tmp), "-lm"],
                               capture_output=True, text=True)
            if p.returncode:
                raise Skip(f"gcc failed: {p.stderr.strip()[-300:]}")
            times.append(time.perf_counter() - t)
            shutil.copyfile(tmp, lib)
            meta.write_text(json.dumps({"build_s": times[-1], "function": f.name(),
                                        "flags": CC_FLAGS}))
            cached.append(False)
        funcs.append(ca.external(f.name(), str(lib)))
    r = casadi_result(m, funcs[0], funcs[1], times[0], times[1])
    r["note"] = "build times from the cached first build" if all(cached) else ""
    return r


# ----------------------------------------------------------------------
def build_models(quick: bool) -> list[Model]:
    ex, y, a = brusselator(32)
    x = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    models = [Model("brusselator_N32", ex, y, x, N=32, a=a)]
    n, reactions = parse_net(NET)
    ex, y = mass_action_terms(n, reactions)
    x = np.random.default_rng(1).uniform(0.0, 1.0, n) * 100
    m = Model("egfr_net", ex, y, x)
    m.data["tables"] = mass_action_tables(n, reactions, m.indptr, m.indices)
    models.append(m)
    return models


def run_model(m: Model, rounds: int, out: dict, quick: bool = False) -> dict:
    print(f"\n== {m.name}: {m.n} states, Jacobian nnz {m.J.nnz} ==", flush=True)
    res: dict = {}
    skipped: dict = {}
    cache: dict = {}
    for name in PEERS:
        try:
            if name == "symnb":
                r = peer_symnb(m)
            elif name == "hand numba":
                r = peer_hand(m)
            elif name == "jax.jit":
                r = peer_jax(m)
            elif name == "CasADi SX":
                r = peer_casadi_sx(m)
                cache["casadi"] = casadi_functions(m, m.name + "_c")[:2]
            else:
                if "casadi" not in cache:
                    raise Skip(skipped.get("CasADi SX", "CasADi SX did not build"))
                r = peer_casadi_c(m, cache, quick)
        except Skip as e:
            skipped[name] = str(e)
            print(f"{name}: skipped ({e})", flush=True)
            continue
        res[name] = r
    ref = res["symnb"]
    for name, r in res.items():
        r["rhs_err"] = float(np.max(np.abs(r["du"] - ref["du"]) / (np.abs(ref["du"]) + 1)))
        D = (r["J"] - ref["J"]).tocsr()
        r["jac_err"] = float(np.max(np.abs(D.data) / (np.abs(ref["J"]).max() + 1))) \
            if D.nnz else 0.0
    best = {(name, kind): float("inf") for name in res for kind in ("rhs", "jac")}
    for _ in range(rounds):      # interleaved: every peer sees the same load
        for (name, kind) in best:
            f, *args = res[name][kind]
            best[(name, kind)] = min(best[(name, kind)], per_call(f, *args))
    rec: dict = {"n": m.n, "nnz": m.J.nnz, "skipped": skipped, "peers": {}}
    s_rhs, s_jac = best[("symnb", "rhs")], best[("symnb", "jac")]
    print(f"{'peer':12s} {'RHS build':>10s} {'Jac build':>10s} {'RHS call':>12s} "
          f"{'x symnb':>8s} {'Jac call':>12s} {'x symnb':>8s}  max rel diff (RHS, Jac)")
    for name, r in res.items():
        tr, tj = best[(name, "rhs")], best[(name, "jac")]
        print(f"{name:12s} {r['rhs_build_s']:9.2f}s {r['jac_build_s']:9.2f}s {fmt(tr):>12s} "
              f"{tr / s_rhs:7.2f}x {fmt(tj):>12s} {tj / s_jac:7.2f}x  "
              f"{r['rhs_err']:.1e}, {r['jac_err']:.1e}"
              + (f"  ({r['colours']} colours)" if "colours" in r else "")
              + (f"  ({r['note']})" if r.get("note") else ""), flush=True)
        rec["peers"][name] = dict(rhs_build_s=r["rhs_build_s"], jac_build_s=r["jac_build_s"],
                                  rhs_call_s=tr, jac_call_s=tj, rhs_x_symnb=tr / s_rhs,
                                  jac_x_symnb=tj / s_jac, rhs_err=r["rhs_err"],
                                  jac_err=r["jac_err"])
    out[m.name] = rec
    return rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="3 timing rounds instead of 5; CasADi C only from the cache")
    ap.add_argument("--json", default=None)
    opts = ap.parse_args()
    import numba
    numba.njit(lambda: 0)()
    out: dict = {"rounds": 3 if opts.quick else 5, "cpus": os.cpu_count()}
    for m in build_models(opts.quick):
        run_model(m, out["rounds"], out, opts.quick)
    out["load_average"] = list(os.getloadavg())
    parts = []
    for mname, rec in out.items():
        if not isinstance(rec, dict) or "peers" not in rec:
            continue
        others = {k: v for k, v in rec["peers"].items() if k != "symnb"}
        fastest = min(others, key=lambda k: others[k]["rhs_call_s"]) if others else None
        if fastest:
            sym = rec["peers"]["symnb"]
            lead = "symnb fastest" if others[fastest]["rhs_x_symnb"] > 1 else "symnb NOT fastest"
            parts.append(f"{mname} RHS symnb {fmt(sym['rhs_call_s']).strip()} ({lead}; next "
                         f"{fastest} {others[fastest]['rhs_x_symnb']:.2f}x symnb), sparse "
                         f"Jacobian x symnb: "
                         + ", ".join(f"{k} {v['jac_x_symnb']:.2f}" for k, v in others.items()))
    print(f"\nload average {out['load_average'][0]:.1f}")
    print("summary: " + "; ".join(parts))
    if opts.json:
        Path(opts.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
