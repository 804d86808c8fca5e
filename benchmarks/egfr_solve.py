"""egfr_net's solve: CVODE's linear solvers and J v products against the scipy BDF baseline (issue 16).

    .venv/bin/python benchmarks/egfr_solve.py             # about a minute (two compiles)
    .venv/bin/python benchmarks/egfr_solve.py --repeats 11 --json out.json

One process, OPENBLAS and CVODE's runtime on one thread, t in [0, 100], rtol 1e-6, atol
1e-8.  Every configuration runs ``--repeats`` times, interleaved with the others so that
the machine's load hits all alike; reported: best and median CPU (``time.process_time``),
best wall, CVODE's counters, and the scaled difference at t=100 from an rtol 1e-10 run.
The baseline is ``benchmarks/ode.py``'s: the vectorised numpy mass-action RHS under
``scipy.integrate.solve_ivp(method="BDF")`` with its dense finite-difference Jacobian,
unchanged.  Also printed: CPU per call of the RHS, the compiled directional derivative
``J v`` (``ODEProblem.jvp``), the compiled Jacobian values and ``J @ v`` with scipy.
"""
from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ode import NET, numpy_mass_action  # noqa: E402

from symnb.models.bionetgen import load_bionetgen  # noqa: E402
from symnb.models.ode import solve  # noqa: E402

CONFIGS = {
    "auto": {},
    "sparse (SuperLU_MT)": dict(linsolver="sparse"),
    "gmres+ilu, dq": dict(linsolver="gmres", jtimes="dq"),
    "gmres+ilu, jvp": dict(linsolver="gmres", jtimes="jvp"),
    "gmres+dense LU, dq, gamma_tol 3": dict(linsolver="gmres", precond="dense", gamma_tol=3.0,
                                            jtimes="dq"),
    "gmres+dense LU, jvp, gamma_tol 3": dict(linsolver="gmres", precond="dense",
                                             gamma_tol=3.0, jtimes="jvp"),
}


def per_call_us(fn, calls: int = 5000) -> float:
    fn()
    c = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - c) / calls * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json", default=None)
    opts = ap.parse_args()
    out: dict = {"load_average_start": os.getloadavg()[0]}
    t = time.perf_counter()
    net = load_bionetgen(NET)
    prob = net.problem()
    out["compile_s"] = time.perf_counter() - t
    t = time.perf_counter()
    _ = prob.jvp_compiled
    out["jvp_compile_s"] = time.perf_counter() - t
    u0, p, n = net.u0(), prob._pvec(None), prob.n
    ref = solve(prob, u0, (0.0, 100.0), rtol=1e-10, atol=1e-12).y[:, -1]
    y = solve(prob, u0, (0.0, 100.0)).y[:, 50].copy()
    v = np.random.default_rng(0).standard_normal(n)
    du, vals, J = np.empty(n), np.empty(prob.nnz), prob.jac(y)
    out["per_call_cpu_us"] = calls = {
        "rhs": per_call_us(lambda: prob.rhs_compiled.func(du, y, p, 0.0)),
        "jvp (directional derivative)": per_call_us(
            lambda: prob.jvp_compiled.func(du, y, v, p, 0.0)),
        "jacobian values": per_call_us(lambda: prob.jac_compiled.func(vals, y, p, 0.0)),
        "scipy J @ v": per_call_us(lambda: J @ v)}
    print(f"egfr_net: {n} states, nnz {prob.nnz}; compile {out['compile_s']:.1f} s, J v "
          f"compile {out['jvp_compile_s']:.1f} s; CPU per call: " +
          ", ".join(f"{k} {x:.1f} us" for k, x in calls.items()), flush=True)
    f = numpy_mass_action(net)
    from scipy.integrate import solve_ivp
    runs = dict(CONFIGS)
    cpu: dict = {k: [] for k in list(runs) + ["baseline"]}
    wall: dict = {k: [] for k in cpu}
    last: dict = {}
    for rep in range(opts.repeats):
        for name, kw in runs.items():
            c, w = time.process_time(), time.perf_counter()
            last[name] = solve(prob, u0, (0.0, 100.0), rtol=1e-6, atol=1e-8, **kw)
            wall[name].append(time.perf_counter() - w)
            cpu[name].append(time.process_time() - c)
        if rep < 3:
            c, w = time.process_time(), time.perf_counter()
            solve_ivp(f, (0.0, 100.0), u0, method="BDF", rtol=1e-6, atol=1e-8)
            wall["baseline"].append(time.perf_counter() - w)
            cpu["baseline"].append(time.process_time() - c)
    base = min(cpu["baseline"])
    out["baseline_cpu_s"], out["baseline_wall_s"] = base, min(wall["baseline"])
    print(f"baseline (numpy RHS, scipy BDF): CPU {base * 1e3:.0f} ms, wall "
          f"{out['baseline_wall_s'] * 1e3:.0f} ms (best of 3)")
    for name in runs:
        r, s = last[name], last[name].stats
        err = float(np.max(np.abs(r.y[:, -1] - ref) /
                           np.maximum(np.abs(ref), 1e-3 * np.abs(ref).max())))
        row = dict(cpu_s=min(cpu[name]), cpu_median_s=float(np.median(cpu[name])),
                   wall_s=min(wall[name]), ratio_cpu=base / min(cpu[name]), error=err,
                   **{k: s[k] for k in ("linsolver", "precond", "jtimes", "steps", "nfev",
                                        "njev", "nliters", "npsetups")})
        out[name] = row
        print(f"{name:34s} CPU {row['cpu_s'] * 1e3:5.1f} ms (median "
              f"{row['cpu_median_s'] * 1e3:5.1f}), wall {row['wall_s'] * 1e3:5.1f} ms, "
              f"baseline/this {row['ratio_cpu']:4.1f}x CPU; steps {s['steps']}, nfev "
              f"{s['nfev']}, njev {s['njev']}, products {s['njtimes']}, setups "
              f"{s['npsetups']}; error {err:.1e}", flush=True)
    out["load_average_end"] = os.getloadavg()[0]
    print(f"load average {out['load_average_start']:.1f} at the start, "
          f"{out['load_average_end']:.1f} at the end ({os.cpu_count()} CPUs)")
    if opts.json:
        Path(opts.json).write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
