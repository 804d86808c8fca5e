"""Benchmarks for issue 17: ``solve_sequence(systems)`` with defaults against the best scipy method.

    .venv/bin/python benchmarks/sequences.py            # 30 systems per family
    .venv/bin/python benchmarks/sequences.py --quick    # 8 systems per family
    .venv/bin/python benchmarks/sequences.py --families spd128 --systems 10

Families (all seeded): SPD Darcy at 48², 64², 128² (``darcy_rotation_sequence``: the
log-coefficient rotates between two random fields, shuffled); a nonsymmetric
convection-diffusion sequence (wind turning, Péclet 20); a shifted indefinite Helmholtz
sequence (``k^2`` in [60, 100], fixed random medium). Baselines, run in the same process
right before ours: scipy ``cg`` per system for SPD, scipy ``gcrotmk(k=20)`` reusing its
``CU`` list (``discard_C=True``) over the sorted order for the others. Also: recycled CG
(``method="dcg"``, no preconditioner) against plain CG, total iterations, on the SPD families.

Every solver here is single-threaded, so process CPU time is the fair clock on a shared
machine; wall time is printed too. Sets OPENBLAS_NUM_THREADS=1 for its own process.
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

from solvers import scipy_gcrotmk_sequence  # noqa: E402  (benchmarks/solvers.py, this script's folder)
from symnb.solvers import (convection_diffusion_sequence, darcy_rotation_sequence,  # noqa: E402
                           helmholtz_shift_sequence, solve_sequence)
from symnb.solvers.sequence import sort_systems  # noqa: E402

TOL = 1e-8
FAMILIES = {
    "spd48": ("SPD Darcy 48x48", lambda c: darcy_rotation_sequence(c, 48), "spd"),
    "spd64": ("SPD Darcy 64x64", lambda c: darcy_rotation_sequence(c, 64), "spd"),
    "spd128": ("SPD Darcy 128x128", lambda c: darcy_rotation_sequence(c, 128), "spd"),
    "cd64": ("convection-diffusion 64x64 (nonsymmetric)", lambda c: convection_diffusion_sequence(c, 64), "gen"),
    "helm64": ("shifted Helmholtz 64x64 (symmetric indefinite)", lambda c: helmholtz_shift_sequence(c, 64), "gen"),
}


def clocked(f):
    t0, c0 = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - t0, time.process_time() - c0


def scipy_cg(systems):
    ok, its = True, 0
    for s in systems:
        count = [0]

        def cb(xk, count=count):
            count[0] += 1

        _, info = spla.cg(s.A, s.b, rtol=TOL, atol=0.0, maxiter=100000, callback=cb)
        ok &= info == 0
        its += count[0]
    return ok, its


def check(systems, res) -> float:
    """Largest relative residual of our solutions (the figures only count converged runs)."""
    return max(float(np.linalg.norm(s.b - s.A @ x) / np.linalg.norm(s.b)) for s, x in zip(systems, res.solutions))


def family(key: str, count: int, dcg: bool) -> dict:
    title, make, kind = FAMILIES[key]
    systems = make(count)
    print(f"\n== {title}: {count} systems, rtol {TOL:g} ==")
    if kind == "spd":
        (ok, its), tw, tc = clocked(lambda: scipy_cg(systems))
        base = {"name": "scipy cg (per system)", "wall_s": tw, "cpu_s": tc, "converged": bool(ok), "iterations": its}
    else:
        # gcrotmk(m=20, k=20): scipy's default inner length with 20 recycled vectors
        tw, tc, mv, ok = scipy_gcrotmk_sequence(systems, sort_systems(systems), 40, 20, TOL)
        base = {"name": "scipy gcrotmk(k=20) + CU (sorted)", "wall_s": tw, "cpu_s": tc, "converged": bool(ok),
                "matvecs": mv}
    res, tw, tc = clocked(lambda: solve_sequence(systems))
    ours = {"name": f"solve_sequence defaults -> {res.label}", "wall_s": tw, "cpu_s": tc,
            "converged": bool(res.converged), "matvecs": res.total_matvecs,
            "iterations": int(res.iterations.sum()), "max_residual": check(systems, res),
            "info": {k: v for k, v in res.info.items() if k not in ("notes",)}}
    out = {"family": title, "systems": count, "baseline": base, "ours": ours,
           "cpu_speedup": base["cpu_s"] / tc, "wall_speedup": base["wall_s"] / tw}
    for row in (base, ours):
        print(f"{row['name']:48s} wall {row['wall_s']:7.3f}s  cpu {row['cpu_s']:7.3f}s  converged {row['converged']}"
              + (f"  iterations {row['iterations']}" if "iterations" in row else "")
              + (f"  matvecs {row['matvecs']}" if "matvecs" in row else ""))
    print(f"defaults vs {base['name']}: {out['cpu_speedup']:.2f}x less CPU, {out['wall_speedup']:.2f}x less wall "
          f"(target >= 1{', >= 2 on 128x128' if kind == 'spd' else ''}); chosen: {res.info.get('method')}, "
          f"{ {k: v for k, v in res.info.items() if k in ('gcrodr_defaults', 'notes')} }")
    if dcg and kind == "spd":
        plain, _, _ = clocked(lambda: solve_sequence(systems, method="cg"))
        rec, tw2, tc2 = clocked(lambda: solve_sequence(systems, method="dcg", k=16))
        ratio = plain.iterations.sum() / rec.iterations.sum()
        print(f"recycled CG (dcg, k=16, no preconditioner) {int(rec.iterations.sum())} iterations vs plain CG "
              f"{int(plain.iterations.sum())}: {ratio:.2f}x fewer (target >= 1.5); dcg {rec.time:.3f}s wall, "
              f"cg {plain.time:.3f}s wall; both converged: {rec.converged and plain.converged}")
        out["dcg_iteration_ratio"] = float(ratio)
        out["dcg_wall_s"], out["cg_wall_s"] = rec.time, plain.time
    return out


def warmup() -> None:
    for key in FAMILIES:
        s = FAMILIES[key][1](2) if not key.startswith("spd") else darcy_rotation_sequence(2, 8)
        solve_sequence(s[:2])
    solve_sequence(darcy_rotation_sequence(2, 8), method="dcg")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="8 systems per family")
    ap.add_argument("--systems", type=int, default=None, help="systems per family (default 30, --quick 8)")
    ap.add_argument("--families", nargs="*", default=list(FAMILIES), choices=list(FAMILIES))
    ap.add_argument("--no-dcg", action="store_true", help="skip recycled CG vs plain CG")
    ap.add_argument("--json", default=None, help="write the figures to this file")
    a = ap.parse_args()
    count = a.systems or (8 if a.quick else 30)
    warmup()
    out = {key: family(key, count, not a.no_dcg) for key in a.families}
    parts = [f"{key} {f['cpu_speedup']:.2f}x CPU" for key, f in out.items()]
    parts += [f"dcg/cg iterations {key} {f['dcg_iteration_ratio']:.2f}x" for key, f in out.items()
              if "dcg_iteration_ratio" in f]
    print("\nsummary: defaults vs best scipy (targets >= 1, >= 2 on spd128): " + "; ".join(parts))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
