"""Benchmarks for issue 7 (linear-solver sequences). One run, figures printed as ratios.

    .venv/bin/python benchmarks/solvers.py            # full: 100 Darcy systems, T=2000, 1M-unknown CG
    .venv/bin/python benchmarks/solvers.py --quick    # fewer systems, same figures

Sets OPENBLAS_NUM_THREADS=1 for its own process (tiny dense QR/eig steps are slower
multithreaded on 2-core machines).
"""
from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse.linalg as spla  # noqa: E402

from symnb.solvers import (cg, darcy_sequence, gcrodr, laplacian_2d, learn_to_relax, shifted_laplacians,  # noqa: E402
                           solve_sequence)


def warmup() -> None:
    s = darcy_sequence(2, 8)
    solve_sequence(s, m=10, k=4)
    solve_sequence(s, method="gmres", restart=10)
    cg(laplacian_2d(4), np.ones(16))
    learn_to_relax(shifted_laplacians(3, n=4), maxiter=50)


def scipy_gcrotmk_sequence(systems, order, m, k, tol):
    """scipy's gcrotmk over the sorted sequence, reusing CU with discard_C=True."""
    t0 = time.perf_counter()
    CU, mv, ok = [], 0, True
    for i in order:
        s = systems[i]
        count = [0]

        def mvf(v, A=s.A, count=count):
            count[0] += 1
            return A @ v

        op = spla.LinearOperator(s.A.shape, matvec=mvf, dtype=float)
        x, info = spla.gcrotmk(op, s.b, rtol=tol, atol=0.0, maxiter=100000, m=m - k, k=k, CU=CU, discard_C=True)
        ok &= info == 0
        mv += count[0]
    return time.perf_counter() - t0, mv, ok


def skr_figure(n: int, count: int, m: int, k: int, tol: float = 1e-8) -> None:
    seq = darcy_sequence(count, n, seed=0)
    print(f"\n== SKR: {count} Darcy systems {n}x{n} (N={n * n}), rtol {tol:g}, GCRO-DR({m},{k}) vs GMRES(40) ==")
    runs = {
        "sorted+recycled GCRO-DR (SKR)": solve_sequence(seq, m=m, k=k, tol=tol),
        "unsorted+recycled GCRO-DR": solve_sequence(seq, m=m, k=k, sort=False, tol=tol),
        "sorted, no recycling GCRO-DR": solve_sequence(seq, m=m, k=k, recycle=False, tol=tol),
        "independent GMRES(40)": solve_sequence(seq, method="gmres", sort=False, restart=40, tol=tol),
    }
    base = runs["independent GMRES(40)"]
    print(f"{'variant':34s} {'matvecs':>10s} {'time[s]':>9s} {'mv ratio':>9s} {'time ratio':>10s} conv")
    for name, r in runs.items():
        print(f"{name:34s} {r.total_matvecs:10d} {r.time:9.2f} {base.total_matvecs / r.total_matvecs:9.2f}"
              f" {base.time / r.time:10.2f} {r.converged}")
    t, mv, ok = scipy_gcrotmk_sequence(seq, runs["sorted+recycled GCRO-DR (SKR)"].order, m, k, tol)
    skr_t = runs["sorted+recycled GCRO-DR (SKR)"].time
    print(f"{'scipy gcrotmk (sorted, CU reuse)':34s} {mv:10d} {t:9.2f} {base.total_matvecs / mv:9.2f}"
          f" {base.time / t:10.2f} {ok}")
    print(f"SKR time / scipy gcrotmk time = {skr_t / t:.2f} (target <= 1)")


def relax_figure(T: int) -> None:
    print(f"\n== Learning to Relax: T={T} shifted Laplacians (10x10), c ~ -0.15 + 0.6 Beta(0.5, 1.5), 20 arms ==")
    seq = shifted_laplacians(T, n=10, seed=0)
    res = learn_to_relax(seq, maxiter=1000, seed=0)
    tot = res.totals()
    print(f"{'policy':20s} {'total iters':>12s} {'/best fixed':>12s} {'/instance-opt':>14s}")
    for name, v in tot.items():
        print(f"{name:20s} {v:12d} {v / tot['best fixed']:12.3f} {v / tot['instance-optimal']:14.3f}")
    ft = res.fixed_totals()
    print("fixed omegas:", ", ".join(f"{w:.2f}:{int(t)}" for w, t in zip(res.grid, ft)))
    print(f"best fixed omega = {res.info['best_fixed_omega']:.2f}; "
          f"bandit/best-fixed = {res.ratio('tsallis-inf'):.3f} (target <= 1.10); "
          f"contextual/instance-optimal = {res.ratio('contextual', 'instance-optimal'):.3f} (target <= 1.10); "
          f"{res.time:.1f}s")


def cg_figure(n: int = 1000, its: int = 100) -> None:
    A = laplacian_2d(n).tocsr()
    b = np.random.default_rng(0).standard_normal(A.shape[0])
    print(f"\n== CG per iteration, 2-D Poisson {n}x{n} = {n * n} unknowns ==")

    def ours(k):
        t0 = time.perf_counter()
        r = cg(A, b, tol=1e-300, maxiter=k)
        assert r.iterations == k
        return time.perf_counter() - t0

    def theirs(k):
        t0 = time.perf_counter()
        spla.cg(A, b, rtol=1e-300, atol=0.0, maxiter=k)
        return time.perf_counter() - t0

    o = min(ours(2 * its) - ours(its) for _ in range(3)) / its
    s = min(theirs(2 * its) - theirs(its) for _ in range(3)) / its
    print(f"symnb cg {o * 1e3:.2f} ms/it, scipy cg {s * 1e3:.2f} ms/it, scipy/symnb = {s / o:.2f} (target >= 1)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer systems/instances")
    ap.add_argument("--systems", type=int, default=None, help="Darcy systems per size")
    ap.add_argument("--sizes", type=int, nargs="*", default=[64, 128])
    ap.add_argument("--m", type=int, default=40)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--T", type=int, default=2000)
    ap.add_argument("--skip", nargs="*", default=[], choices=["skr", "relax", "cg"])
    a = ap.parse_args()
    count = a.systems or (10 if a.quick else 100)
    warmup()
    if "cg" not in a.skip:
        cg_figure()
    if "relax" not in a.skip:
        relax_figure(a.T)
    if "skr" not in a.skip:
        for n in a.sizes:
            skr_figure(n, count, a.m, a.k)


if __name__ == "__main__":
    main()
