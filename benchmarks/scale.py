"""Compile time against model size (issue 16, part 1).  Run:  .venv/bin/python benchmarks/scale.py

Every model is compiled in a fresh process (numba imported and warmed first, no
on-disk cache), split by phase: build (load / symbolic terms / tracing), RHS
lowering + code generation, RHS numba, symbolic Jacobian, Jacobian lowering + code
generation, Jacobian numba, first calls.  Each phase is given as wall time and as
CPU time of the process (``process_time``: the machine is shared, CPU time is the
figure least disturbed by other people's jobs).

* egfr_net (356 species, 3,749 reactions) and, with ``--fceri``, fceri_gamma2
  (3,744 × 58,276; minutes), BioNetGen ``.net`` files from ``../shared/data/bionetgen``;
* the Brusselator N=128 (32,768 states) from ``brusselator_2d(128)``'s traced RHS;
* synthetic mass-action networks at 1k, 10k and 50k reactions (BCR's ratio of
  species to reactions), with the exponent of a power law fitted to compile time;
* the sparse Jacobian kernel per call against the hand-written numba kernel of
  ``benchmarks/compile.py`` (Brusselator N=128), and the symbolic Jacobian of egfr
  against symengine's.

Options: ``--quick`` (egfr, synthetic 1k and 10k only, Brusselator N=64), ``--fceri``,
``--json PATH``.  The last line starts with ``summary:``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "bionetgen"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/bionetgen")


class Clock:
    """Phase timer: wall and process (CPU) seconds per named phase."""

    def __init__(self) -> None:
        self.wall: dict = {}
        self.cpu: dict = {}
        self._t = (time.perf_counter(), time.process_time())

    def lap(self, name: str) -> None:
        w, c = time.perf_counter(), time.process_time()
        self.wall[name] = self.wall.get(name, 0.0) + w - self._t[0]
        self.cpu[name] = self.cpu.get(name, 0.0) + c - self._t[1]
        self._t = (w, c)


def _model(name: str, clock: Clock) -> tuple[list, list, list, list]:
    """``(terms, state, args, values)`` of a model; the build is the clock's first phase."""
    from symnb.terms.core import Symbol
    if name.endswith(".net"):
        from symnb.models.bionetgen import load_bionetgen
        net = load_bionetgen(DATA / name)
        terms, state = net.rhs(), list(net.symbols)
        params = list(net.values)
        p = np.array([float(net.values[k]) for k in params])
        clock.lap("build")
        return terms, state, [state, params, Symbol("t")], [p, 0.0]
    if name.startswith("brusselator"):
        from symnb.models import brusselator_2d
        from symnb.tracing.api import flat_terms
        tr = brusselator_2d(int(name.split("_")[1])).trace()
        state = flat_terms(tr.inputs[0])
        clock.lap("build")
        return flat_terms(tr.outputs), state, [state, [Symbol("F")]], [np.zeros(1)]
    from benchmarks.compile import mass_action_terms, synthetic
    m = int(name.split("_")[1])
    n = max(10, round(m * 1122 / 24388))
    terms, state = mass_action_terms(n, synthetic(n, m))
    clock.lap("build")
    return terms, state, [state], []


def worker(name: str) -> dict:
    """Compile one model in this (fresh) process; phases in seconds."""
    import numba
    numba.njit(lambda: 0)()
    from symnb.compiler import compile_array, jacobian
    clock = Clock()
    terms, state, args, rest = _model(name, clock)
    rhs = compile_array(terms, args, inplace=True)
    clock.lap("rhs")
    J = jacobian(terms, state)
    clock.lap("jacobian_symbolic")
    jac = J.compile(args=args, sparse=True)
    clock.lap("jac")
    u = np.random.default_rng(0).uniform(0.5, 1.5, len(state))
    du, vals = np.empty(len(state)), np.empty(max(J.nnz, 1))
    rhs(du, u, *rest)
    jac(vals, u, *rest)
    clock.lap("first_calls")
    out = {"model": name, "states": len(state), "nnz": J.nnz, "wall": clock.wall,
           "cpu": clock.cpu, "rhs_loops": rhs.stats["loops"], "jac_loops": jac.stats["loops"]}
    for key, c in (("rhs", rhs), ("jac", jac)):
        out[f"{key}_codegen_s"] = c.stats["codegen_seconds"]
        out[f"{key}_numba_s"] = c.stats["compile_seconds"]
    compile_phases = ("rhs", "jacobian_symbolic", "jac", "first_calls")
    out["compile_wall_s"] = sum(clock.wall[k] for k in compile_phases)
    out["compile_cpu_s"] = sum(clock.cpu[k] for k in compile_phases)
    out["total_cpu_s"] = out["compile_cpu_s"] + clock.cpu["build"]
    out["total_wall_s"] = out["compile_wall_s"] + clock.wall["build"]
    return out


def run_fresh(name: str, timeout: int) -> dict | None:
    """``worker(name)`` in a new process (None when it fails or runs past ``timeout``)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        p = subprocess.run([sys.executable, __file__, "--worker", name], env=env,
                           capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        print(f"{name}: ran past {timeout} s")
        return None
    if p.returncode:
        print(f"{name}: failed\n{p.stderr[-1500:]}")
        return None
    return json.loads(p.stdout.strip().splitlines()[-1])


def show(r: dict) -> None:
    w, c = r["wall"], r["cpu"]
    phases = ", ".join(f"{k} {w[k]:.2f}/{c[k]:.2f}" for k in w)
    print(f"{r['model']}: {r['states']} states, nnz {r['nnz']}; compile {r['compile_wall_s']:.2f} s "
          f"wall / {r['compile_cpu_s']:.2f} s CPU (build included: {r['total_wall_s']:.2f} / "
          f"{r['total_cpu_s']:.2f}); phases wall/CPU s: {phases}; RHS codegen "
          f"{r['rhs_codegen_s']:.2f} + numba {r['rhs_numba_s']:.2f} s ({r['rhs_loops']} loops), "
          f"Jacobian codegen {r['jac_codegen_s']:.2f} + numba {r['jac_numba_s']:.2f} s "
          f"({r['jac_loops']} loops)")


def growth_exponent(sizes: list, seconds: list) -> float:
    """Slope of log(seconds) against log(size): the fitted power-law exponent."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def symbolic_jacobian_vs_symengine(out: dict) -> None:
    """egfr_net's symbolic Jacobian: symnb ``jacobian`` vs symengine (CPU, best of 3)."""
    import symengine as se

    from symnb import to_symengine
    from symnb.compiler import jacobian
    from symnb.models.bionetgen import load_bionetgen
    net = load_bionetgen(DATA / "egfr_net.net")
    terms, state = net.rhs(), list(net.symbols)
    best = []
    for f in (lambda: jacobian(terms, state, lazy=False),
              lambda: se.Matrix([to_symengine(e) for e in terms]).jacobian(
                  se.Matrix([to_symengine(s) for s in state]))):
        ts = []
        for _ in range(3):
            t = time.process_time()
            f()
            ts.append(time.process_time() - t)
        best.append(min(ts))
    print(f"\nsymbolic Jacobian of egfr_net (CPU, best of 3): symnb {best[0]:.3f} s, "
          f"symengine {best[1]:.3f} s (conversion included) -> {best[1] / best[0]:.1f}x")
    out["symbolic_jacobian"] = {"symnb_s": best[0], "symengine_s": best[1],
                                "speedup": best[1] / best[0]}


def jacobian_kernel(N: int, out: dict) -> None:
    """Sparse Jacobian per call against the hand-written kernel (Brusselator ``terms``)."""
    from benchmarks.compile import brusselator, hand_written, jac_positions, per_call_many
    from symnb.compiler import jacobian
    ex, y, a = brusselator(N)
    J = jacobian(ex, y)
    jac = J.compile(args=[y], sparse=True, names=["u"])
    _, hjac = hand_written()
    pos = jac_positions(N, J.indptr, J.indices)
    x = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    v1, v2 = np.empty(J.nnz), np.empty(J.nnz)
    hjac(v1, x, N, a, pos)
    jac(v2, x)
    err = float(np.max(np.abs(v1 - v2) / (np.abs(v1) + 1)))
    th, tc = per_call_many([(hjac, v1, x, N, a, pos), (jac, v2, x)])
    print(f"\nsparse Jacobian per call, Brusselator N={N}: hand-written {th * 1e6:.1f} us, "
          f"compiled {tc * 1e6:.1f} us ({tc / th:.2f}x); max rel diff {err:.1e}")
    out["jacobian_kernel"] = {"N": N, "hand_s": th, "compiled_s": tc, "ratio": tc / th}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fceri", action="store_true")
    ap.add_argument("--json", default=None)
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.worker:
        print(json.dumps(worker(opts.worker)))
        return
    out: dict = {"cpus": os.cpu_count(), "load_avg": os.getloadavg()}
    print(f"load average at start: {out['load_avg'][0]:.1f} on {out['cpus']} CPUs")
    models = ["egfr_net.net", "brusselator_64" if opts.quick else "brusselator_128"]
    sizes = [1000, 10000] if opts.quick else [1000, 10000, 50000]
    models += [f"synthetic_{m}" for m in sizes]
    if opts.fceri:
        models.append("fceri_gamma2.net")
    for name in models:
        r = run_fresh(name, 900)
        if r is not None:
            show(r)
            out[name] = r
    got = [m for m in sizes if f"synthetic_{m}" in out]
    k = None
    if len(got) >= 2:
        cpu = [out[f"synthetic_{m}"]["compile_cpu_s"] for m in got]
        k = growth_exponent(got, cpu)
        print(f"\nsynthetic networks: compile CPU s {dict(zip(got, np.round(cpu, 2)))}; "
              f"fitted growth exponent {k:.2f} (target <= 1.2)")
        out["growth_exponent"] = k
    symbolic_jacobian_vs_symengine(out)
    jacobian_kernel(64 if opts.quick else 128, out)
    if opts.json:
        Path(opts.json).write_text(json.dumps(out, indent=1))
    summary(out, k)


def summary(out: dict, k: float | None) -> None:
    """The ``summary:`` line (CPU seconds; NaN where a model was not run)."""
    e = out.get("egfr_net.net", {})
    b = out.get("brusselator_128", out.get("brusselator_64", {}))
    f = out.get("fceri_gamma2.net", {})
    print(f"\nsummary: egfr compile {e.get('compile_cpu_s', float('nan')):.2f} s CPU (target <= 2); "
          f"Brusselator {b.get('model', '?')} build {b.get('total_cpu_s', float('nan')):.2f} s CPU "
          f"(target <= 1.5 at N=128); fceri_gamma2 "
          f"{f.get('compile_cpu_s', float('nan')):.1f} s CPU (target <= 20); growth exponent "
          f"{k if k is not None else float('nan'):.2f} (target <= 1.2); sparse Jacobian "
          f"{out['jacobian_kernel']['ratio']:.2f}x hand-written (target <= 1.3); symbolic "
          f"Jacobian {out['symbolic_jacobian']['speedup']:.1f}x faster than symengine")


if __name__ == "__main__":
    main()
