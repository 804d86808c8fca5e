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

Floor: for each path whose linear algebra is a dense LU (CVODE's LAPACK dense solver, GMRES
with the ``"dense"`` preconditioner) a lower bound of its solve, CVODE's counters times the
measured CPU of the work they count and nothing else: RHS calls (``nfev``, difference-quotient
J v products included) x RHS, Jacobian evaluations x Jacobian values, LU factorizations
(``npsetups``) x raw ``dgetrf`` of the dense ``I - gamma J`` and linear solves (direct:
``nniters``, one per Newton iteration; GMRES: ``npsolves``) x raw ``dgetrs``; exact J v
products (``jtimes="jvp"``) x J v.  ``dgetrf``/``dgetrs`` are timed through
``scipy.linalg.lapack`` on that matrix and the wrapper's own cost (the same call on a 1x1
matrix) is subtracted; what CVODE's Python callbacks, its N_Vector work and its copy of
the dense matrix add is not in the floor.  "baseline / floor" is the best ratio that
path could reach with these counters; "one LU per Jacobian" is the bound of the direct
path if no γ change, error-test failure or step count forced a refactorization (its LUs
= its Jacobian evaluations, everything else as counted).

``--levers`` also runs, interleaved the same way, CVODE's optional inputs that scikit-sundae
does not expose, set through ctypes on the solver's CVODE memory after ``init_step``
(``CVodeSetDeltaGammaMaxLSetup`` dgmax, ``CVodeSetLSetupFrequency`` msbp,
``CVodeSetJacEvalFrequency`` msbj, ``CVodeSetMaxOrd``), each step stored as ``solve`` does,
against the same loop with none set.
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
from symnb.models.integrators.cvode import (CVODE, cvode_counters, cvode_set,  # noqa: E402
                                            single_thread)
from symnb.models.ode import solve  # noqa: E402

CONFIGS = {
    "auto": {},
    "lapackdense, dgmax 2": dict(linsolver="lapackdense", dgmax=2.0),
    "lapackdense, dgmax 3": dict(linsolver="lapackdense", dgmax=3.0),
    "sparse (SuperLU_MT)": dict(linsolver="sparse"),
    "gmres+ilu, dq": dict(linsolver="gmres", jtimes="dq"),
    "gmres+ilu, jvp": dict(linsolver="gmres", jtimes="jvp"),
    "gmres+dense LU, dq, gamma_tol 3": dict(linsolver="gmres", precond="dense", gamma_tol=3.0,
                                            jtimes="dq"),
    "gmres+dense LU, jvp, gamma_tol 3": dict(linsolver="gmres", precond="dense",
                                             gamma_tol=3.0, jtimes="jvp"),
    "gmres+dense LU, jvp, LU per new J": dict(linsolver="gmres", precond="dense",
                                              gamma_tol=1e9, jtimes="jvp"),
}


LEVERS = {   # name: (linsolver, solver options, [(CVODE setter, ctypes type name, value)])
    "lapackdense": ("lapackdense", {}, []),
    "lapackdense, dgmax 2": ("lapackdense", {}, [("DeltaGammaMaxLSetup", "c_double", 2.0)]),
    "lapackdense, dgmax 3": ("lapackdense", {}, [("DeltaGammaMaxLSetup", "c_double", 3.0)]),
    "lapackdense, msbp 50": ("lapackdense", {}, [("LSetupFrequency", "c_long", 50)]),
    "lapackdense, msbp 50, dgmax 3": ("lapackdense", {}, [("LSetupFrequency", "c_long", 50),
                                                          ("DeltaGammaMaxLSetup", "c_double",
                                                           3.0)]),
    "lapackdense, msbj 200": ("lapackdense", {}, [("JacEvalFrequency", "c_long", 200)]),
    "lapackdense, max order 4": ("lapackdense", {}, [("MaxOrd", "c_int", 4)]),
    "lapackdense, max order 3": ("lapackdense", {}, [("MaxOrd", "c_int", 3)]),
    "gmres+dense LU g3": ("gmres", dict(precond="dense", gamma_tol=3.0, jtimes="dq"), []),
    "gmres+dense LU g3, msbp 50": ("gmres", dict(precond="dense", gamma_tol=3.0, jtimes="dq"),
                                   [("LSetupFrequency", "c_long", 50)]),
    "gmres+dense LU g3, msbj 200": ("gmres", dict(precond="dense", gamma_tol=3.0,
                                                  jtimes="dq"),
                                    [("JacEvalFrequency", "c_long", 200)]),
    "gmres+dense LU, LU only with a new J": ("gmres", dict(precond="dense", gamma_tol=1e9,
                                                           jtimes="dq"), []),
}


def lever_run(prob, u0, p, linsolver: str, kw: dict, sets: list) -> tuple:
    """One solve to t=100 with CVODE's optional inputs ``sets``: (CPU s, y(100), counters)."""
    solver, opts = CVODE().make_solver(prob, p, rtol=1e-6, atol=1e-8, linsolver=linsolver,
                                       **kw)
    c = time.process_time()
    with single_thread():
        solver.init_step(0.0, u0)
        for name, ctype, value in sets:
            if cvode_set(solver, name, ctype, value, "--levers") != 0:
                raise RuntimeError(f"CVodeSet{name}({value}) failed")
        ys = [u0.copy()]
        while True:
            r = solver.step(100.0, method="onestep", tstop=100.0)
            ys.append(np.array(r.y))
            if not r.success or r.t >= 100.0:
                break
    cpu = time.process_time() - c
    counts = cvode_counters(solver)
    pre = opts.get("preconditioner")
    if pre is not None:
        counts.update(factorizations=pre.counts()["npsetups"],
                      psolves=pre.counts()["npsolves"])
    return cpu, ys[-1], counts


def levers(prob, u0, p, ref, repeats: int) -> dict:
    """Interleaved best-of-``repeats`` CPU of the ``LEVERS``, printed against their first."""
    cpu: dict = {k: [] for k in LEVERS}
    last: dict = {}
    for _ in range(repeats):
        for name, (ls, kw, sets) in LEVERS.items():
            t, y, counts = lever_run(prob, u0, p, ls, kw, sets)
            cpu[name].append(t)
            last[name] = (y, counts)
    out = {}
    print("\nlevers (CVODE optional inputs through ctypes; change against the first row of "
          "the same linear solver):")
    first: dict = {}
    for name, (ls, kw, sets) in LEVERS.items():
        y, counts = last[name]
        err = float(np.max(np.abs(y - ref) / np.maximum(np.abs(ref), 1e-3 * np.abs(ref).max())))
        best = min(cpu[name])
        first.setdefault(ls, best)
        out[name] = dict(cpu_s=best, error=err, change=best / first[ls] - 1, **counts)
        print(f"{name:38s} CPU {best * 1e3:5.1f} ms ({(best / first[ls] - 1) * 100:+4.0f} %); "
              + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; error {err:.1e}",
              flush=True)
    return out


def per_call_us(fn, calls: int = 5000, best_of: int = 1) -> float:
    fn()
    best = np.inf
    for _ in range(best_of):
        c = time.process_time()
        for _ in range(calls):
            fn()
        best = min(best, (time.process_time() - c) / calls * 1e6)
    return best


def lapack_us(prob, y, p, gamma: float = 1.0) -> dict:
    """CPU per call (us) of raw ``dgetrf`` and ``dgetrs`` on the dense ``I - gamma J(y)``
    through ``scipy.linalg.lapack``: the timed call less the wrapper's cost on a 1x1
    matrix (and, for ``dgetrf``, less the copy that restores the overwritten matrix)."""
    from scipy.linalg.lapack import dgetrf, dgetrs
    n = prob.n
    A = np.asfortranarray(np.eye(n) - gamma * prob.jac(y).toarray())
    W = A.copy(order="F")
    one, piv1, b1 = np.ones((1, 1), order="F"), np.zeros(1, dtype=np.int32), np.ones(1)
    lu, piv, _ = dgetrf(A)
    b = np.random.default_rng(1).standard_normal(n)

    def factor() -> None:
        W[:] = A
        dgetrf(W, overwrite_a=True)
    copy = per_call_us(lambda: W.__setitem__(slice(None), A), 300, 3)
    wrap_f = per_call_us(lambda: dgetrf(one), 20000, 3)
    wrap_s = per_call_us(lambda: dgetrs(one, piv1, b1), 20000, 3)
    return {"dgetrf": per_call_us(factor, 100, 3) - copy - wrap_f,
            "dgetrs": per_call_us(lambda: dgetrs(lu, piv, b), 3000, 3) - wrap_s,
            "dgetrf wrapper": wrap_f, "dgetrs wrapper": wrap_s, "matrix copy": copy}


def floor_ms(s: dict, us: dict) -> float | None:
    """The lower bound of a solve with stats ``s`` from the CPU per call ``us`` (module
    doc); ``None`` for paths that do not factor a dense matrix."""
    dense = s["linsolver"] in ("lapackdense", "dense") or (
        s["linsolver"] == "gmres" and s["precond"] == "dense")
    if not dense or s["npsetups"] is None or s["nniters"] is None:
        return None
    solves = s["npsolves"] if s["linsolver"] == "gmres" else s["nniters"]
    t = (s["nfev"] * us["rhs"] + s["njev"] * us["jacobian values"]
         + s["npsetups"] * us["dgetrf"] + solves * us["dgetrs"])
    if s["jtimes"] == "jvp":
        t += s["njtimes"] * us["jvp (directional derivative)"]
    return t / 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json", default=None)
    ap.add_argument("--levers", action="store_true", help="also run LEVERS (about 30 s)")
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
    calls.update(lapack_us(prob, y, p))
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
                                        "njev", "nniters", "nliters", "npsetups",
                                        "npsolves", "njtimes")})
        out[name] = row
        print(f"{name:34s} CPU {row['cpu_s'] * 1e3:5.1f} ms (median "
              f"{row['cpu_median_s'] * 1e3:5.1f}), wall {row['wall_s'] * 1e3:5.1f} ms, "
              f"baseline/this {row['ratio_cpu']:4.1f}x CPU; steps {s['steps']}, nfev "
              f"{s['nfev']}, njev {s['njev']}, products {s['njtimes']}, setups "
              f"{s['npsetups']}; error {err:.1e}", flush=True)
    print("\nfloor = nfev x RHS + njev x Jacobian values + LUs x dgetrf + solves x dgetrs "
          "(+ J v products x J v for jtimes='jvp'); CPU per call (us): " + ", ".join(
              f"{k} {calls[k]:.1f}" for k in ("rhs", "jacobian values", "dgetrf", "dgetrs",
                                              "jvp (directional derivative)")) +
          f"; wrapper cost subtracted: dgetrf {calls['dgetrf wrapper']:.2f}, dgetrs "
          f"{calls['dgetrs wrapper']:.2f}, matrix copy {calls['matrix copy']:.1f}")
    for name in runs:
        s, row = last[name].stats, out[name]
        fl = floor_ms(s, calls)
        if fl is None:
            continue
        solves = s["npsolves"] if s["linsolver"] == "gmres" else s["nniters"]
        row.update(floor_ms=fl, ratio_floor=base * 1e3 / fl)
        print(f"{name:34s} nfev {s['nfev']}, njev {s['njev']}, LUs {s['npsetups']}, solves "
              f"{solves}{', J v ' + str(s['njtimes']) if s['jtimes'] == 'jvp' else ''}: floor "
              f"{fl:5.1f} ms, measured {row['cpu_s'] * 1e3:5.1f} ms "
              f"({row['cpu_s'] * 1e3 / fl:3.1f}x the floor); baseline / floor "
              f"{row['ratio_floor']:4.1f}x", flush=True)
        if s["linsolver"] != "gmres":
            ideal = (s["nfev"] * calls["rhs"] + s["njev"] * (calls["jacobian values"]
                     + calls["dgetrf"]) + s["nniters"] * calls["dgetrs"]) / 1e3
            row.update(floor_one_lu_per_jacobian_ms=ideal)
            print(f"{'':34s} one LU per Jacobian ({s['njev']} LUs): {ideal:5.1f} ms, baseline"
                  f" / that {base * 1e3 / ideal:4.1f}x")
    if opts.levers:
        out["levers"] = levers(prob, u0, p, ref, opts.repeats)
    out["load_average_end"] = os.getloadavg()[0]
    print(f"load average {out['load_average_start']:.1f} at the start, "
          f"{out['load_average_end']:.1f} at the end ({os.cpu_count()} CPUs)")
    if opts.json:
        Path(opts.json).write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
