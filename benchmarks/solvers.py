"""Benchmarks for issue 7 (linear-solver sequences). One run, figures printed as ratios.

    .venv/bin/python benchmarks/solvers.py            # full: 100 Darcy systems, T=2000, 1M-unknown CG
    .venv/bin/python benchmarks/solvers.py --quick    # fewer systems, same figures
    .venv/bin/python benchmarks/solvers.py --skip cg relax --sizes 128 --systems 20   # one part

SKR sequences are Darcy systems with K = exp(GRF); ``--modes M`` truncates the GRF to its M
leading KL modes (default 8: a low-dimensional family, as in parametric data generation),
``--modes 0`` uses the full GRF (independent fields: sorting finds no close neighbours).
``--precond jacobi`` gives *every* solver (GCRO-DR variants, GMRES(40), scipy gcrotmk) the
same Jacobi preconditioner; default none for all.

Sets OPENBLAS_NUM_THREADS=1 for its own process (tiny dense QR/eig steps are slower
multithreaded on 2-core machines).
"""
from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse.linalg as spla  # noqa: E402

from symnb.solvers import (cg, darcy_sequence, gcrodr, laplacian_2d, learn_to_relax, shifted_laplacians,  # noqa: E402
                           solve_sequence)


def warmup() -> None:
    s = darcy_sequence(2, 8)
    solve_sequence(s, m=10, k=4)
    solve_sequence(s, method="gmres", restart=10)
    solve_sequence(s, m=10, k=4, M="jacobi")
    solve_sequence(s, method="gmres", restart=10, M="jacobi")
    cg(laplacian_2d(4), np.ones(16))
    learn_to_relax(shifted_laplacians(3, n=4), maxiter=50)


def scipy_gcrotmk_sequence(systems, order, m, k, tol, precond=None):
    """scipy's gcrotmk over the sorted sequence, reusing CU with discard_C=True."""
    t0, c0 = time.perf_counter(), time.process_time()
    CU, mv, ok = [], 0, True
    for i in order:
        s = systems[i]
        count = [0]

        def mvf(v, A=s.A, count=count):
            count[0] += 1
            return A @ v

        op = spla.LinearOperator(s.A.shape, matvec=mvf, dtype=float)
        M = None
        if precond == "jacobi":
            dinv = 1.0 / s.A.diagonal()
            M = spla.LinearOperator(s.A.shape, matvec=lambda v, d=dinv: d * np.ravel(v), dtype=float)
        x, info = spla.gcrotmk(op, s.b, rtol=tol, atol=0.0, maxiter=100000, m=m - k, k=k, CU=CU,
                               discard_C=True, M=M)
        ok &= info == 0
        mv += count[0]
    return time.perf_counter() - t0, time.process_time() - c0, mv, ok


def skr_figure(n: int, count: int, m: int, k: int, tol: float = 1e-8, modes: int = 8, precond: str | None = None,
               gcrotmk: bool = True, refresh: int = 3) -> dict:
    seq = darcy_sequence(count, n, seed=0, modes=modes or None)
    field = f"GRF truncated to {modes} KL modes" if modes else "full GRF (independent fields)"
    print(f"\n== SKR: {count} Darcy systems {n}x{n} (N={n * n}), K = exp({field}), rtol {tol:g}, "
          f"preconditioner {precond or 'none'} (all solvers), GCRO-DR({m},{k}) (U_k updated every {refresh} cycles"
          f" and at the end) vs GMRES(40) ==")
    M = precond
    variants = {
        "sorted+recycled GCRO-DR (SKR)": dict(m=m, k=k, refresh=refresh),
        "unsorted+recycled GCRO-DR": dict(m=m, k=k, refresh=refresh, sort=False),
        "sorted, no recycling GCRO-DR": dict(m=m, k=k, refresh=refresh, recycle=False),
        "independent GMRES(40)": dict(method="gmres", sort=False, restart=40),
    }
    # every solver here is single-threaded (OPENBLAS_NUM_THREADS=1, serial numba), so process
    # CPU time is the fair clock on a shared machine; wall time is printed too
    runs, cpu = {}, {}
    for name, kw in variants.items():
        c0 = time.process_time()
        runs[name] = solve_sequence(seq, tol=tol, M=M, **kw)
        cpu[name] = time.process_time() - c0
    bname = "independent GMRES(40)"
    base = runs[bname]
    print(f"{'variant':34s} {'matvecs':>10s} {'wall[s]':>8s} {'cpu[s]':>8s} {'mv ratio':>9s} {'wall ratio':>10s}"
          f" {'cpu ratio':>9s} conv")
    for name, r in runs.items():
        print(f"{name:34s} {r.total_matvecs:10d} {r.time:8.2f} {cpu[name]:8.2f} "
              f"{base.total_matvecs / r.total_matvecs:9.2f} {base.time / r.time:10.2f} "
              f"{cpu[bname] / cpu[name]:9.2f} {r.converged}")
    sname = "sorted+recycled GCRO-DR (SKR)"
    skr = runs[sname]
    print(f"SKR/GMRES(40): {base.total_matvecs / skr.total_matvecs:.2f}x fewer matvecs (target >= 10), "
          f"{cpu[bname] / cpu[sname]:.2f}x less CPU time, {base.time / skr.time:.2f}x less wall time (target >= 5)")
    out = {"size": n, "systems": count, "m": m, "k": k, "refresh": refresh,
           "variants": {name: {"matvecs": int(r.total_matvecs), "wall_s": r.time, "cpu_s": cpu[name],
                               "converged": bool(r.converged)} for name, r in runs.items()},
           "skr_matvec_ratio": base.total_matvecs / skr.total_matvecs,
           "skr_cpu_ratio": cpu[bname] / cpu[sname], "skr_wall_ratio": base.time / skr.time}
    if not gcrotmk:
        return out
    t, ct, mv, ok = scipy_gcrotmk_sequence(seq, skr.order, m, k, tol, precond)
    print(f"{'scipy gcrotmk (sorted, CU reuse)':34s} {mv:10d} {t:8.2f} {ct:8.2f} {base.total_matvecs / mv:9.2f}"
          f" {base.time / t:10.2f} {cpu[bname] / ct:9.2f} {ok}")
    print(f"SKR / scipy gcrotmk: CPU time {cpu[sname] / ct:.2f}, wall time {skr.time / t:.2f} (target <= 1)")
    out["variants"]["scipy gcrotmk (sorted, CU reuse)"] = {"matvecs": int(mv), "wall_s": t, "cpu_s": ct,
                                                           "converged": bool(ok)}
    out["skr_over_gcrotmk_cpu"] = cpu[sname] / ct
    return out


def relax_figure(T: int) -> dict:
    print(f"\n== Learning to Relax: T={T} shifted Laplacians (10x10), c ~ -0.15 + 0.6 Beta(0.5, 1.5), 20 arms ==")
    seq = shifted_laplacians(T, n=10, seed=0)
    # bins / Chebyshev range: the known support of c, not the observed contexts
    res = learn_to_relax(seq, maxiter=1000, seed=0, context_range=(-0.15, 0.45))
    tot = res.totals()
    print(f"{'policy':20s} {'total iters':>12s} {'/best fixed':>12s} {'/instance-opt':>14s}")
    for name, v in tot.items():
        print(f"{name:20s} {v:12d} {v / tot['best fixed']:12.3f} {v / tot['instance-optimal']:14.3f}")
    ft = res.fixed_totals()
    print("fixed omegas:", ", ".join(f"{w:.2f}:{int(t)}" for w, t in zip(res.grid, ft)))
    oracle = int(res.table.min(axis=1).sum())
    print(f"per-instance best grid omega (oracle): {oracle}, /instance-optimal = "
          f"{oracle / tot['instance-optimal']:.3f} (the grid's own floor)")
    print(f"best fixed omega = {res.info['best_fixed_omega']:.2f}; "
          f"Tsallis-INF/best-fixed = {res.ratio('tsallis-inf'):.3f}, "
          f"SquareCB/best-fixed = {res.ratio('squarecb'):.3f} (target <= 1.10); "
          f"binned contextual Tsallis-INF/instance-optimal = {res.ratio('contextual', 'instance-optimal'):.3f}, "
          f"ChebCB/instance-optimal = {res.ratio('chebcb', 'instance-optimal'):.3f}, "
          f"ValleyCB (contextual)/instance-optimal = {res.ratio('valleycb', 'instance-optimal'):.3f} (target <= 1.10); "
          f"{res.time:.1f}s")
    return {"instances": T, "totals": {k: int(v) for k, v in tot.items()},
            "squarecb_over_best_fixed": res.ratio("squarecb"),
            "valleycb_over_instance_optimal": res.ratio("valleycb", "instance-optimal"),
            "binned_contextual_over_instance_optimal": res.ratio("contextual", "instance-optimal"),
            "chebcb_over_instance_optimal": res.ratio("chebcb", "instance-optimal"),
            "grid_oracle_over_instance_optimal": oracle / tot["instance-optimal"]}


def cg_figure(n: int = 1000, its: int = 60, rounds: int = 5) -> dict:
    A = laplacian_2d(n).tocsr()
    b = np.random.default_rng(0).standard_normal(A.shape[0])
    print(f"\n== CG per iteration, 2-D Poisson {n}x{n} = {n * n} unknowns ({A.indices.dtype} indices), "
          f"{rounds} alternating rounds ==")

    def clock(f, k):
        t0, c0 = time.perf_counter(), time.process_time()
        f(k)
        return np.array([time.perf_counter() - t0, time.process_time() - c0])

    def ours(k):
        r = cg(A, b, tol=1e-300, maxiter=k)
        assert r.iterations == k

    def theirs(k):
        spla.cg(A, b, rtol=1e-300, atol=0.0, maxiter=k)

    # per-iteration cost = (time of 2*its iterations - time of its) / its, so the set-up
    # (validation, norms, allocation) cancels; rounds alternate ours/scipy because the
    # machine is shared: each ratio compares runs taken seconds apart
    o, s = [], []
    for _ in range(rounds):
        o.append((clock(ours, 2 * its) - clock(ours, its)) / its)
        s.append((clock(theirs, 2 * its) - clock(theirs, its)) / its)
    o, s = np.array(o), np.array(s)
    ratio = np.median(s / o, axis=0)
    print(f"symnb cg {np.median(o[:, 0]) * 1e3:.2f} ms/it wall, {np.median(o[:, 1]) * 1e3:.2f} ms/it CPU; "
          f"scipy cg {np.median(s[:, 0]) * 1e3:.2f} ms/it wall, {np.median(s[:, 1]) * 1e3:.2f} ms/it CPU")
    print(f"scipy/symnb per-round ratios: wall {', '.join(f'{v:.2f}' for v in s[:, 0] / o[:, 0])}; "
          f"CPU {', '.join(f'{v:.2f}' for v in s[:, 1] / o[:, 1])}")
    print(f"scipy/symnb median: CPU {ratio[1]:.2f}, wall {ratio[0]:.2f} (target >= 1)")
    return {"unknowns": n * n, "symnb_ms_per_it": float(np.median(o[:, 1]) * 1e3),
            "scipy_ms_per_it": float(np.median(s[:, 1]) * 1e3), "scipy_over_symnb_cpu": float(ratio[1]),
            "scipy_over_symnb_wall": float(ratio[0])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer systems/instances")
    ap.add_argument("--systems", type=int, default=None, help="Darcy systems per size")
    ap.add_argument("--sizes", type=int, nargs="*", default=[64, 128])
    ap.add_argument("--m", type=int, default=80, help="GCRO-DR m (Krylov + recycled vectors)")
    ap.add_argument("--k", type=int, default=20, help="GCRO-DR k (recycled dimension)")
    ap.add_argument("--refresh", type=int, default=3, help="GCRO-DR cycles between updates of U_k (0: end only)")
    ap.add_argument("--T", type=int, default=None, help="Learning-to-Relax instances (default 2000, --quick 500)")
    ap.add_argument("--modes", type=int, default=8, help="KL modes of the Darcy GRF (0: full GRF)")
    ap.add_argument("--precond", choices=["none", "jacobi"], default="none", help="for every SKR solver")
    ap.add_argument("--no-gcrotmk", action="store_true", help="skip the scipy gcrotmk comparison")
    ap.add_argument("--skip", nargs="*", default=[], choices=["skr", "relax", "cg"])
    ap.add_argument("--json", default=None, help="write the figures to this file")
    a = ap.parse_args()
    count = a.systems or (10 if a.quick else 100)
    warmup()
    out: dict = {}
    if "cg" not in a.skip:
        out["cg"] = cg_figure()
    if "relax" not in a.skip:
        out["relax"] = relax_figure(a.T or (500 if a.quick else 2000))
    if "skr" not in a.skip:
        for n in a.sizes:
            out[f"skr_{n}"] = skr_figure(n, count, a.m, a.k, modes=a.modes,
                                         precond=None if a.precond == "none" else a.precond,
                                         gcrotmk=not a.no_gcrotmk, refresh=a.refresh)
    parts = []
    for key in sorted(k for k in out if k.startswith("skr_")):
        f = out[key]
        parts.append(f"SKR {f['size']}x{f['size']}: {f['skr_matvec_ratio']:.2f}x fewer matvecs, "
                     f"{f['skr_cpu_ratio']:.2f}x less CPU (targets >= 10, >= 5)"
                     + (f", {f['skr_over_gcrotmk_cpu']:.2f} of gcrotmk's" if "skr_over_gcrotmk_cpu" in f else ""))
    if "relax" in out:
        r = out["relax"]
        parts.append(f"SquareCB {r['squarecb_over_best_fixed']:.3f}x best fixed, ValleyCB "
                     f"{r['valleycb_over_instance_optimal']:.3f}x omega* (targets <= 1.10)")
    if parts:
        print("\nsummary: " + "; ".join(parts))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
