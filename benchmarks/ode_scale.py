"""Scale: load, compile, first and repeated solve of growing reaction networks (issue 16).

    .venv/bin/python benchmarks/ode_scale.py            # egfr_net, synthetic 1k/10k/24k, fceri_gamma2
    .venv/bin/python benchmarks/ode_scale.py --quick    # egfr_net and a 1k-reaction synthetic
    .venv/bin/python benchmarks/ode_scale.py --json out.json

Per model: load (parse the ``.net``), compile (``ODEProblem``: RHS + sparse Jacobian,
numba), first solve, best repeated solve with ``linsolver="auto"`` and the linear
solver's stats, and where it finishes in reasonable time a baseline (egfr_net:
the numpy mass-action RHS under ``scipy.integrate.solve_ivp(method="BDF")``, as in
``benchmarks/ode.py``).  Tolerances rtol 1e-6, atol 1e-8 (fceri_gamma2: atol 1e-6, as in
issue 16).  fceri_gamma2 (3,744 species, 58,276 reactions, to t=150) also gets a reference check: our rtol 1e-6 solution against our own at
rtol 1e-10 on 16 output times, scaled error ``max |y − ref| / max(|ref|, 1e-3·max|ref|)``
(target ≤ 1e-3).  Synthetic networks conserve the total amount (every reaction has as
many products as reactants), so they stay bounded; rate constants are log-uniform
in [1e-2, 1e2] (stiff).  Each model is compiled once per process.  OPENBLAS and the
CVODE runtime run on one thread.  The last line is ``summary: ...``.
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

from symnb.models.bionetgen import load_bionetgen  # noqa: E402
from symnb.models.ode import ODEProblem, solve  # noqa: E402
from symnb.terms import symbols  # noqa: E402
from symnb.terms.core import acc_add, make_add  # noqa: E402

DATA = Path(os.environ.get("SYMNB_BNG_DATA", ROOT.parent / "shared" / "data" / "bionetgen"))
RTOL, ATOL = 1e-6, 1e-8


def conserving_network(n: int, m: int, seed: int = 7) -> tuple[list, list]:
    """``(rhs terms, state symbols)`` of ``m`` random mass-action reactions on ``n``
    species, each with as many products as reactants (1→1 or 2→2)."""
    rng = np.random.default_rng(seed)
    y = list(symbols(f"s0:{n}"))
    acc: list = [({}, 0) for _ in range(n)]
    for _ in range(m):
        k = int(rng.integers(1, 3))
        reac = [int(q) for q in rng.integers(0, n, k)]
        prod = [int(q) for q in rng.integers(0, n, k)]
        rate = float(10 ** rng.uniform(-2, 2))
        for q in reac:
            rate = rate * y[q]
        for q, sign in [(q, -1) for q in reac] + [(q, 1) for q in prod]:
            d, c = acc[q]
            acc[q] = (d, acc_add(d, c, rate, sign))
    return [make_add(c, d) for d, c in acc], y


def best(fn, repeats: int) -> tuple[float, float, object]:
    """(best wall s, best CPU s, last result) of ``repeats`` runs."""
    ws, cs, out = [], [], None
    for _ in range(repeats):
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        ws.append(time.perf_counter() - w)
        cs.append(time.process_time() - c)
    return min(ws), min(cs), out


def run_model(name: str, prob: ODEProblem, u0: np.ndarray, tf: float, out: dict, *,
              load_s: float, compile_s: float, repeats: int, atol: float = ATOL,
              **kw) -> dict:
    """First and best repeated solve of ``prob`` (auto linear solver) into ``out[name]``."""
    t = time.perf_counter()
    first = solve(prob, u0, (0.0, tf), rtol=RTOL, atol=atol, **kw)
    t_first = time.perf_counter() - t
    w, c, r = best(lambda: solve(prob, u0, (0.0, tf), rtol=RTOL, atol=atol, **kw), repeats)
    s = r.stats
    print(f"{name}: {prob.n} states, nnz {prob.nnz}; load {load_s:.2f} s, compile "
          f"{compile_s:.2f} s, first solve {t_first:.3f} s, best of {repeats} {w:.3f} s "
          f"(CPU {c:.3f} s) to t={tf:g}: {s['linsolver']}"
          f"{'+' + s['precond'] if s.get('precond') else ''}, steps {s['steps']}, "
          f"nfev {s['nfev']}, njev {s['njev']}, "
          + (f"linear iterations {s['nliters']}, preconditioner setups {s['npsetups']}"
             if s.get("precond") else f"LU factorizations {s['npsetups']}")
          + f"; success {r.success}; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    out[name] = dict(n=prob.n, nnz=prob.nnz, load_s=load_s, compile_s=compile_s,
                     first_solve_s=t_first, solve_s=w, solve_cpu_s=c, success=r.success,
                     **{k: s[k] for k in ("linsolver", "precond", "steps", "nfev", "njev",
                                          "nliters", "npsetups")})
    return out[name]


def load_and_compile(path: Path) -> tuple:
    """``(network, problem, load seconds, compile seconds)`` of a BioNetGen ``.net``."""
    t = time.perf_counter()
    net = load_bionetgen(path)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    prob = net.problem()
    return net, prob, t_load, time.perf_counter() - t


def egfr(out: dict) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ode import numpy_mass_action   # the baseline of benchmarks/ode.py
    from scipy.integrate import solve_ivp
    net, prob, t_load, t_comp = load_and_compile(DATA / "egfr_net.net")
    u0 = net.u0()
    r = run_model("egfr_net", prob, u0, 100.0, out, load_s=t_load, compile_s=t_comp,
                  repeats=15)
    f = numpy_mass_action(net)
    wb, cb, sb = best(lambda: solve_ivp(f, (0.0, 100.0), u0, method="BDF", rtol=RTOL,
                                        atol=ATOL), 3)
    r.update(baseline_s=wb, baseline_cpu_s=cb, ratio=wb / r["solve_s"],
             ratio_cpu=cb / r["solve_cpu_s"])
    print(f"egfr_net: numpy mass-action RHS under scipy BDF {wb:.3f} s (CPU {cb:.3f} s): "
          f"symnb {r['ratio']:.1f}x faster wall, {r['ratio_cpu']:.1f}x CPU (target >= 10x)",
          flush=True)


def synthetic(out: dict, m: int, n: int) -> None:
    t = time.perf_counter()
    rhs, y = conserving_network(n, m)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    prob = ODEProblem(rhs, y, name=f"synthetic_{m}")
    t_comp = time.perf_counter() - t
    u0 = np.random.default_rng(3).uniform(0.5, 1.5, n)
    r = run_model(f"synthetic_{n}x{m}", prob, u0, 10.0, out, load_s=t_build,
                  compile_s=t_comp, repeats=3)
    r["reactions"] = m


def fceri(out: dict) -> None:
    path = DATA / "fceri_gamma2.net"
    if not path.exists():
        print(f"fceri_gamma2: skipped ({path} not found)")
        return
    net, prob, t_load, t_comp = load_and_compile(path)
    u0 = net.u0()
    r = run_model("fceri_gamma2", prob, u0, 150.0, out, load_s=t_load, compile_s=t_comp,
                  repeats=1, atol=1e-6)
    te = np.linspace(0.0, 150.0, 16)
    a = solve(prob, u0, (0.0, 150.0), t_eval=te, rtol=RTOL, atol=1e-6)
    t = time.perf_counter()
    ref = solve(prob, u0, (0.0, 150.0), t_eval=te, rtol=1e-10, atol=1e-10)
    t_ref = time.perf_counter() - t
    scale = np.maximum(np.abs(ref.y), 1e-3 * np.abs(ref.y).max())
    err = float(np.max(np.abs(a.y - ref.y) / scale))
    r.update(reference_error=err, reference_s=t_ref, reference_success=ref.success)
    print(f"fceri_gamma2: rtol 1e-6 against our rtol 1e-10 solution ({t_ref:.1f} s, "
          f"{ref.stats['linsolver']}): scaled error {err:.1e} (target <= 1e-3)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="egfr_net and a 1k-reaction synthetic")
    ap.add_argument("--no-fceri", action="store_true", help="skip fceri_gamma2 (minutes)")
    ap.add_argument("--json", default=None)
    opts = ap.parse_args()
    out: dict = {"cpus": os.cpu_count(), "load_average": os.getloadavg()[0]}
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; rtol {RTOL:g}, "
          f"atol {ATOL:g}", flush=True)
    if (DATA / "egfr_net.net").exists():
        egfr(out)
    sizes = [(1000, 60)] if opts.quick else [(1000, 60), (10_000, 500), (24_388, 1122)]
    for m, n in sizes:
        synthetic(out, m, n)
    if not (opts.quick or opts.no_fceri):
        fceri(out)
    parts = []
    if "egfr_net" in out:
        e = out["egfr_net"]
        parts.append(f"egfr_net solve {e['solve_s'] * 1e3:.0f} ms, {e['ratio']:.1f}x the "
                     f"scipy BDF baseline (target >= 10x)")
    syn = [v for k, v in out.items() if k.startswith("synthetic_")]
    if len(syn) >= 2:
        m = np.log([v["reactions"] for v in syn])
        for key in ("compile_s", "solve_s"):
            slope = float(np.polyfit(m, np.log([v[key] for v in syn]), 1)[0])
            out[f"synthetic_{key}_exponent"] = slope
        parts.append(f"synthetic compile growth exponent "
                     f"{out['synthetic_compile_s_exponent']:.2f}, solve "
                     f"{out['synthetic_solve_s_exponent']:.2f}")
    if "fceri_gamma2" in out:
        f = out["fceri_gamma2"]
        parts.append(f"fceri_gamma2 compile {f['compile_s']:.0f} s, solve {f['solve_s']:.1f} s "
                     f"(target <= 5 s), reference error {f['reference_error']:.1e}")
    print("\nsummary: " + "; ".join(parts))
    if opts.json:
        Path(opts.json).write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
