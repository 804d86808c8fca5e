"""Ensemble scaling: egfr_net runs on a dask ``LocalCluster`` of 1 and of 2 worker processes.

    .venv/bin/python benchmarks/ensemble.py                # 1,000 runs (long: minutes)
    .venv/bin/python benchmarks/ensemble.py --quick        # 60 runs
    .venv/bin/python benchmarks/ensemble.py --runs 200 --json out.json

Every base parameter of egfr_net is scaled by ``exp(0.2 z)`` (z standard normal, seeded)
per run; times 0..100 (25 outputs), CVODE rtol 1e-6.  For each cluster size the
cluster is started and warmed first (each worker rebuilds the problem from its recipe,
with the on-disk compile cache), then the runs are timed; the figures give the run
phase and the warm-up separately, the machine load before each phase, and the speed-up
of 2 workers over 1 (target >= 1.8x).  On a machine shared with other work the load
average and each phase's CPU share (the runs' CPU time over wall time x workers) say how
much of the cores the workers actually had; the runs' CPU time of 1 worker over half
that of 2 workers is the speed-up two idle cores would give (no overhead lost).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "bionetgen" / "egfr_net.net"


def run(n_runs: int, workers: int, problem, P, times) -> dict:
    from distributed import Client, LocalCluster

    from symnb.models.ensemble import solve_ensemble
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=40)
    client = Client(cluster)
    start = time.perf_counter() - t0
    try:
        load_warm = os.getloadavg()[0]
        t0 = time.perf_counter()
        # one run per worker: each rebuilds the problem once (recipe -> compile cache)
        solve_ensemble(problem, P[:workers], times=times, client=client, batch_size=1)
        warm = time.perf_counter() - t0
        load_run = os.getloadavg()[0]
        t0 = time.perf_counter()
        res = solve_ensemble(problem, P[:n_runs], times=times, client=client)
        seconds = time.perf_counter() - t0
    finally:
        client.close()
        cluster.close()
    return {"workers": workers, "runs": n_runs, "seconds": seconds, "warm_seconds": warm,
            "cluster_start_seconds": start, "success": int(res.ok.sum()),
            "load_before_warm": load_warm, "load_before_runs": load_run,
            "cpu_seconds": float(np.nansum(res.cpu_seconds)),
            "cpu_share": float(np.nansum(res.cpu_seconds)) / (seconds * workers),
            "y_checksum": float(np.nansum(res.y))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="60 runs")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    n = a.runs or (60 if a.quick else 1000)
    if not DATA.exists():
        print(f"summary: skipped, {DATA} not found")
        return
    from symnb.models.bionetgen import load_bionetgen
    net = load_bionetgen(DATA)
    t0 = time.perf_counter()
    problem = net.problem(cache=True)
    compile_s = time.perf_counter() - t0
    rng = np.random.default_rng(15)
    base = problem.param_values
    P = base * np.exp(0.2 * rng.standard_normal((n, len(base))))
    times = np.linspace(0.0, 100.0, 25)
    print(f"egfr_net: {problem.n} states, {len(base)} parameters, compile {compile_s:.1f} s "
          f"(parent process), {n} runs, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    rows = []
    for w in (1, 2):
        r = run(n, w, problem, P, times)
        rows.append(r)
        print(f"  {w} worker(s): runs {r['seconds']:.1f} s ({r['runs'] / r['seconds']:.1f} runs/s), "
              f"warm-up {r['warm_seconds']:.1f} s, cluster start {r['cluster_start_seconds']:.1f} s, "
              f"{r['success']}/{r['runs']} success, load {r['load_before_runs']:.2f}, "
              f"CPU {r['cpu_seconds']:.1f} s = {100 * r['cpu_share']:.0f}% of {w} core(s)")
    same = abs(rows[0]["y_checksum"] - rows[1]["y_checksum"]) <= 1e-9 * abs(rows[0]["y_checksum"])
    speedup = rows[0]["seconds"] / rows[1]["seconds"]
    total = (rows[0]["seconds"] + rows[0]["warm_seconds"]) / (rows[1]["seconds"]
                                                              + rows[1]["warm_seconds"])
    # what 2 idle cores would give: the runs' CPU time split over 2 workers, against 1
    ideal = rows[0]["cpu_seconds"] / (rows[1]["cpu_seconds"] / 2)
    out = {"runs": n, "cpu_bound_speedup": ideal, "compile_seconds": compile_s, "cpus": os.cpu_count(), "rows": rows,
           "speedup": speedup, "speedup_with_warmup": total, "same_results": same}
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))
    print(f"\nsummary: egfr_net {n} runs, 2 workers {speedup:.2f}x faster than 1 (target >= "
          f"1.8x; {total:.2f}x with the per-worker warm-up), same results: {same}, load "
          f"{rows[1]['load_before_runs']:.1f} on {os.cpu_count()} CPUs (runs' CPU time 1 worker / "
          f"(2 workers / 2): {ideal:.2f}x)")


if __name__ == "__main__":
    main()
