"""Benchmarks of symnb.egraph (issue 5).  Run:  .venv/bin/python benchmarks/egraph.py
[--quick]  (``--quick``: the bridge, egfr_net mass action with the ``eval`` ruleset under
a 10 s limit, the side-by-side simplifications and the Symbolics.jl paper's experiment on
toy-jim; about a minute and a half)

* the Symbolics.jl paper's e-graph experiment (issue 14; ``symnb.bench.as_written``): a
  BioNetGen network's RHS with symbolic rate constants, (a) as written (no CSE, ``pow``
  calls), (b) the e-graph's extraction under the paper's cycle table, as written, (c)
  ``symnb.compile``, (d) ``symnb.compile`` of the e-graph's terms, all numba, per
  evaluation in one compiled loop; (e)/(f) (a)/(b) in CPython.  ``paper_egraph.ratio_x_y``
  is time x / time y; ``cycles_cost_ratio_*`` the cycle table's prediction.  toy-jim
  (25 species) always; multisite2 (66 species) without ``--quick``.

* egfr_net (BioNetGen, 356 species, 3749 mass-action reactions): RHS optimized by
  ``optimize_for_eval`` vs the unoptimized RHS, both compiled by ``symnb.compile``
  (``compile_array``, in-place, CSE on, same options); values equal to rtol 1e-10;
  per-call ratio, DAG cost and operation counts before/after, saturation time.
* the same reaction topology with Michaelis-Menten / Hill rate laws (``/`` and ``^``).
* exploding ruleset (assoc + comm + ``a - b -> a + (-1)*b``) on a 50-term sum:
  time_limit=2 s and node_limit=50_000.
* the same simplifications through ``using="rules"`` and ``using="egraph"``.

Timings: median of 7 repeats of an auto-sized loop; ratios come from one run.

What bounds the speed-up (measured 2026-11): the extracted terms go back through
symnb's canonical constructors, which flatten sums/products and distribute numeric
coefficients, and symnb.compile's IR already does the cycle-saving rewrites the ``cpu``
ruleset knows (integer powers -> multiplication chains, negative powers -> one
division per product, CSE of every shared product).  On egfr_net the optimized
outputs canonicalize to the input terms, the generated source is identical and the
printed ratio is timing noise.  The script prints "generated source identical" so
the reader can tell.

Each network is run with the ``eval`` ruleset (cpu rewrites + factoring of shared
leading factors / denominators, no AC) and with the default algebra+cpu.  ``eval``
does not explode like AC, but its chain factoring still grows roughly quadratically in
the number of neighbouring terms sharing a factor, so it stops on the time/node limit
after 4-5 iterations; the partial factorings it finds are not cheaper as a DAG (the
products a factoring would remove are shared with other outputs), so the input is kept.
"bound check" factors every sum by hand (no e-graph) and compiles it: this is the best
the factoring could give, and it is no faster (mass action: ~0.2% fewer ops; rate laws:
more ops, since a factored sum no longer shares each reaction rate across the 2-3
outputs it feeds, and the factored outputs leave symnb.compile's re-rolled loops).
What remains in the baseline is one evaluation per reaction rate plus one add per
stoichiometric entry; on the rate-law network 3441 divisions (2178 distinct
denominators) make ~68% of the cost, and sharing a reciprocal across products is a
decision of symnb.compile's emitter (canonical forms already write ``x*(K+s)^-1``).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symnb import cos, exp, log, simplify, sin, symbols  # noqa: E402
from symnb.compiler import compile_array  # noqa: E402
from symnb.egraph import optimize_for_eval, run_egraph  # noqa: E402
from symnb.egraph.api import cost_of  # noqa: E402
from symnb.egraph.rulesets import exploding  # noqa: E402

_spec = importlib.util.spec_from_file_location("_bench_compile", ROOT / "benchmarks" / "compile.py")
_bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bc)
parse_net, mass_action_terms, per_call, fmt, NET = (_bc.parse_net, _bc.mass_action_terms,
                                                    _bc.per_call, _bc.fmt, _bc.NET)
stoichiometric_sums = _bc.stoichiometric_sums


def rate_names(path: Path) -> list[str]:
    """The rate-law text of each reaction (to give reactions sharing a constant one K)."""
    out, block = [], None
    for line in path.read_text().splitlines():
        s = line.split("#", 1)[0].strip()
        if s.startswith("begin "):
            block = s.split()[1]
        elif s.startswith("end "):
            block = None
        elif s and block == "reactions":
            out.append(s.split()[3].split("*")[-1])
    return out


def rate_law_terms(n: int, reactions: list, names: list[str]) -> tuple[list, list]:
    """egfr topology, non-mass-action rates: Michaelis-Menten in the first reactant,
    Hill (n=2) for every third rate constant, mass action in the others."""
    y = list(symbols(f"x0:{n}"))
    consts = sorted(set(names))
    K = {c: 0.5 + 0.37 * i for i, c in enumerate(consts)}
    hill = {c: i % 3 == 0 for i, c in enumerate(consts)}
    rates = []
    for (reac, _prod, k), nm in zip(reactions, names):
        if not reac:
            rate = k
        else:
            s = y[reac[0]]
            if hill[nm]:
                rate = k * s ** 2 / (K[nm] ** 2 + s ** 2)
            else:
                rate = k * s / (K[nm] + s)
            for q in reac[1:]:
                rate = rate * y[q]
        rates.append(rate)
    return stoichiometric_sums(n, reactions, rates), y


def factor_leading(e):
    """Hand factoring, no e-graph: in a sum, products that share their first symbolic
    factor become ``f*(rest + ...)`` (what the ``eval`` ruleset's factoring aims at)."""
    from symnb.terms import arguments, iscall, isnumber, opname
    if not iscall(e) or opname(e) != "Add":
        return e
    groups: dict = {}
    out: list = []
    for t in arguments(e):
        fs = [f for f in arguments(t) if not isnumber(f)] if iscall(t) and opname(t) == "Mul" \
            else []
        if len(fs) >= 2:
            groups.setdefault(fs[0], []).append(t)
        else:
            out.append(t)
    for f, ts in groups.items():
        out += ts if len(ts) == 1 else [f * sum((t / f for t in ts[1:]), ts[0] / f)]
    return sum(out[1:], out[0])


def bench_network(title: str, ex: list, y: list, time_limit: float = 50.0,
                  ruleset: str = "eval", hand: bool = False) -> dict:
    print(f"\n== {title}: {len(ex)} outputs, ruleset {ruleset!r} ==")
    t = time.perf_counter()
    opt, rep = optimize_for_eval(ex, report=True, time_limit=time_limit, node_limit=100_000,
                                 ruleset=ruleset)
    t_opt = time.perf_counter() - t
    print(rep.summary())
    print(f"saturation + extraction: {t_opt:.2f} s (load {rep.seconds['load']:.2f} s, "
          f"saturate {rep.seconds['saturate']:.2f} s, extract {rep.seconds['extract']:.2f} s)")
    print(f"e-graph ops before: {rep.ops_before}")
    print(f"e-graph ops after:  {rep.ops_after}")
    base = compile_array(ex, args=[y], inplace=True, names=["u"])
    new = compile_array(opt, args=[y], inplace=True, names=["u"])
    same = sum(1 for a, b in zip(ex, opt) if a is b)
    print(f"compiled ops (CSE, symnb.compile stats): before {base.stats['ops_cse']}, "
          f"after {new.stats['ops_cse']}; {same} of {len(ex)} outputs are the same term after "
          f"symnb's canonicalization; generated source identical: {base.source == new.source}")
    x = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    d1, d2 = np.empty(len(ex)), np.empty(len(ex))
    base(d1, x)
    new(d2, x)
    ok = np.allclose(d2, d1, rtol=1e-10, atol=1e-300)
    err = float(np.max(np.abs(d2 - d1) / np.maximum(np.abs(d1), 1e-300)))
    tb = per_call(base.func, d1, x)
    tn = per_call(new.func, d2, x)
    print(f"per call: unoptimized {fmt(tb)}, e-graph optimized {fmt(tn)} -> speed-up "
          f"{tb / tn:.2f}x; equal to rtol 1e-10: {ok} (max rel diff {err:.1e})")
    if hand:
        fac = [factor_leading(e) for e in ex]
        hf = compile_array(fac, args=[y], inplace=True, names=["u"])
        d3 = np.empty(len(ex))
        hf(d3, x)
        th = per_call(hf.func, d3, x)
        print(f"bound check, hand factoring of shared leading factors (no e-graph): compiled "
              f"ops {hf.stats['ops_cse']} (unoptimized {base.stats['ops_cse']}), per call "
              f"{fmt(th)} -> speed-up {tb / th:.2f}x; equal to rtol 1e-10: "
              f"{np.allclose(d3, d1, rtol=1e-10, atol=1e-300)}")
    return {"ratio": tb / tn, "equal": ok, "cost_before": rep.cost_before,
            "cost_after": rep.cost_after, "seconds": t_opt}


def bench_limits() -> dict:
    print("\n== exploding ruleset (assoc + comm + a - b -> a + (-1)*b), 50-term sum ==")
    xs = symbols("s0:50")
    e = xs[0]
    for i, s in enumerate(xs[1:]):
        e = e - s if i % 2 == 0 else e + s
    rs = exploding()
    t = time.perf_counter()
    _, rep = run_egraph([e], ruleset=rs, iter_limit=1000, node_limit=10 ** 9, time_limit=2.0,
                        keep_graph=False)
    wall = time.perf_counter() - t
    out = {"time_limit_stop_reason": rep.stop_reason, "time_limit_call_s": wall,
           "time_limit_saturate_s": rep.seconds["saturate"]}
    print(f"time_limit=2 s: stopped by {rep.stop_reason} after {len(rep.iterations)} iterations, "
          f"saturation {rep.seconds['saturate']:.2f} s (within 2.5 s: "
          f"{rep.seconds['saturate'] <= 2.5}); whole call incl. load+extraction {wall:.2f} s; "
          f"{rep.enodes} e-nodes")
    t = time.perf_counter()
    # the node limit alone (match_limit=None: a rule may apply all its matches per iteration)
    _, rep = run_egraph([e], ruleset=rs, iter_limit=1000, node_limit=50_000, time_limit=120.0,
                        keep_graph=False, match_limit=None)
    wall = time.perf_counter() - t
    sizes = [rep.initial.enodes] + [it.enodes for it in rep.iterations]
    growth = sizes[-1] - sizes[-2] if len(sizes) > 1 else 0
    print(f"node_limit=50_000: stopped by {rep.stop_reason} at {rep.enodes} e-nodes after "
          f"{len(rep.iterations)} iterations (sizes {sizes}); over the limit by "
          f"{max(rep.enodes - 50_000, 0)} <= last growth {growth}: "
          f"{rep.enodes - 50_000 <= growth}; {wall:.2f} s")
    out["node_limit_enodes"] = rep.enodes
    t = time.perf_counter()
    _, rm = run_egraph([e], ruleset=rs, iter_limit=1000, node_limit=50_000, time_limit=120.0,
                       keep_graph=False)
    wall_m = time.perf_counter() - t
    print(f"same with the default per-rule match limit ({rm.limits.get('match_limit')}): stopped "
          f"by {rm.stop_reason} at {rm.enodes} e-nodes after {len(rm.iterations)} iterations; "
          f"{wall_m:.2f} s")
    out.update(match_limit_stop_reason=rm.stop_reason, match_limit_enodes=rm.enodes,
               match_limit_call_s=wall_m)
    out["node_limit_overshoot_within_last_growth"] = rep.enodes - 50_000 <= growth
    out["node_limit_call_s"] = wall
    return out


def bench_side_by_side() -> None:
    print("\n== using='rules' vs using='egraph' (egraph extracts by count_ops; costs shown: DAG "
          "cost under the CPU-cycle table) ==")
    x, y, z = symbols("x y z")
    cases = [sin(x) ** 2 + cos(x) ** 2 + y, x * y + x * z + x, exp(x) * exp(y) / z + 1 / z,
             sin(x) / cos(x) + x ** 2 * y + x ** 2 * z, x / y + z / y + log(exp(x))]
    print(f"{'input':40s} {'rules':30s} {'cost':>6s} {'ms':>7s}   {'egraph':30s} {'cost':>6s} "
          f"{'ms':>7s}")
    for e in cases:
        t = time.perf_counter()
        r1 = simplify(e, using="rules")
        t1 = time.perf_counter() - t
        t = time.perf_counter()
        r2 = simplify(e, using="egraph")
        t2 = time.perf_counter() - t
        print(f"{str(e):40s} {str(r1):30s} {cost_of(r1):6g} {t1 * 1e3:7.1f}   {str(r2):30s} "
              f"{cost_of(r2):6g} {t2 * 1e3:7.1f}   (input cost {cost_of(e):g})")


def tree_size(t) -> float:
    from symnb.terms import arguments, iscall
    from symnb.terms.core import postorder
    size: dict = {}
    for u in postorder(t):
        size[u] = 1 + (sum(size[a] for a in arguments(u)) if iscall(u) else 0)
    return float(size[t])


def bench_bridge() -> None:
    print("\n== bridge: a 10,000-node DAG into egglog ==")
    import shutil

    from symnb.egraph.bridge import Encoding, load
    from symnb.terms.core import postorder
    t = time.perf_counter()
    import egglog  # noqa: F401
    t_imp = time.perf_counter() - t
    xs = list(symbols("q0:100"))
    acc = list(xs)
    fs = [sin, cos, exp]
    for i in range(3300):   # f(a*b + c) with a, b, c earlier nodes: a DAG, no flattening
        a, b, c = (acc[(i * 7 + 3) % len(acc)], acc[(i * 13 + 1) % len(acc)],
                   acc[(i * 5 + 2) % len(acc)])
        acc.append(fs[i % 3](a * b + c))
    nodes = len({u for r in acc for u in postorder(r)})
    t = time.perf_counter()
    enc = Encoding()
    for r in acc:
        enc.add(r)
    t1 = time.perf_counter()
    eg, tmp = load(enc)
    t2 = time.perf_counter()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{nodes} distinct term nodes (the last one's tree has {tree_size(acc[-1]):.3g} nodes) "
          f"-> {len(enc.nodes)} e-nodes: encode {t1 - t:.3f} s, egglog load {t2 - t1:.3f} s, "
          f"total {t2 - t:.3f} s (import egglog, once: {t_imp:.2f} s)")


def bench_paper(name: str, time_limit: float = 10.0) -> dict:
    """The Symbolics.jl paper's experiment on one BioNetGen network (see the docstring)."""
    from symnb.bench.as_written import LABELS, measure
    from symnb.models import load_bionetgen
    path = NET.parent / f"{name}.net"
    if not path.exists():
        path = Path("/work/shared/data/bionetgen") / f"{name}.net"
    net = load_bionetgen(path)
    rhs = net.rhs()
    params = list(net.parameters.values())
    args = list(net.symbols) + params
    pv = net.parameter_values()
    values = list(net.u0() + 1.0) + [pv[str(p)] for p in params]
    print(f"\n== Symbolics.jl paper's e-graph experiment: {name} ({len(rhs)} species, "
          f"{len(net.reactions)} reactions, {len(params)} symbolic parameters) ==")
    t = time.perf_counter()
    res = measure(rhs, args, values, ruleset="default", time_limit=time_limit)
    print(f"{res.report.summary()}; whole measurement {time.perf_counter() - t:.1f} s")
    for k, v in res.seconds.items():
        print(f"({k}) {LABELS[k]}: {fmt(v)} per evaluation")
    print(f"cycle-table costs: (a) {res.cost['a']:g}, (b) {res.cost['b']:g} (tree); "
          f"(c) {res.cost['c']:g}, (d) {res.cost['d']:g} (DAG)")
    for k in "ab":
        print(f"({k}) arithmetic written {res.ops[k]['source']}, left by LLVM {res.ops[k]['llvm']}")
    print(f"(b) vs (a): predicted {res.cost['a'] / res.cost['b']:.2f}x, measured "
          f"{res.ratio('a', 'b'):.2f}x (numba), {res.ratio('e', 'f'):.2f}x (CPython); "
          f"(c) vs (a): predicted {res.cost['a'] / res.cost['c']:.2f}x, measured "
          f"{res.ratio('a', 'c'):.2f}x; (d) vs (c): measured {res.ratio('c', 'd'):.2f}x; "
          f"max rel diff {res.max_rel_diff:.1e}")
    return {"case": name, **res.figures()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", default=None, help="write the figures to this file")
    ap.add_argument("--quick", action="store_true",
                    help="bridge, egfr mass action (eval ruleset, 10 s limit), side by side")
    a = ap.parse_args()
    bench_bridge()
    n, reactions = parse_net(NET)
    ex, y = mass_action_terms(n, reactions)
    t1 = f"egfr_net mass action ({n} species, {len(reactions)} reactions)"
    if a.quick:
        r1 = bench_network(t1, ex, y, time_limit=10.0)
        bench_side_by_side()
        paper = bench_paper("toy-jim")
        print(f"\nsummary (quick): egfr mass action speed-up {r1['ratio']:.2f}x, values equal: "
              f"{r1['equal']}, e-graph cost ratio {r1['cost_before'] / r1['cost_after']:.2f}x; "
              f"paper experiment (toy-jim): time (a) as written / (b) e-graph as written = "
              f"{paper['ratio_a_b']:.2f} in numba, {paper['ratio_e_f']:.2f} in CPython (the "
              f"cycle table predicts {paper['cycles_cost_ratio_a_b']:.2f})")
        if a.json:
            with open(a.json, "w") as fh:
                json.dump({"mass_action_eval": r1, "paper_egraph": paper}, fh, indent=1,
                          default=float)
        return
    r1 = bench_network(t1, ex, y, hand=True)
    r1d = bench_network(t1, ex, y, ruleset="default")
    ex2, y2 = rate_law_terms(n, reactions, rate_names(NET))
    t2 = "egfr topology, Michaelis-Menten/Hill rate laws"
    r2 = bench_network(t2, ex2, y2, hand=True)
    r2d = bench_network(t2, ex2, y2, ruleset="default")
    limits = bench_limits()
    bench_side_by_side()
    paper = bench_paper("toy-jim")
    paper2 = bench_paper("multisite2")
    c1 = r1["cost_before"] / r1["cost_after"]
    c2 = r2["cost_before"] / r2["cost_after"]
    print(f"\nsummary: egfr mass action speed-up {r1['ratio']:.2f}x (target >= 2x), "
          f"rate laws {r2['ratio']:.2f}x; e-graph cost ratios {c1:.2f}x / {c2:.2f}x")
    if a.json:
        out = {"mass_action_eval": r1, "mass_action_default": r1d, "rate_laws_eval": r2,
               "rate_laws_default": r2d, "limits": limits,
               "speedup_mass_action": r1["ratio"], "speedup_rate_laws": r2["ratio"],
               "paper_egraph": paper, "paper_egraph_multisite2": paper2}
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
