"""Classical-rewriting benchmark (issue 3's figures), one run, medians of repeats.

Run: ``.venv/bin/python benchmarks/rewrite.py [--repeats 5] [--json out.json]``

1. SymbolicUtils-style: random expressions with 1000 atoms built from ``+``,
   ``*`` and ``/``, simplified with the default rule set by *one* strategy
   object, on symnb terms vs the same expressions as sympy and symengine terms.
2. Tracing overhead: ``rewrite(..., trace=True)`` vs untraced, symnb terms.
3. A 200-term sum with the 2-slot AC rule ``~x + ~y*~x => (1 + ~y)*~x``.

Method (the same for every representation):

* one untimed warm-up run per representation first (on its own expression),
  so lazy imports and per-type interface resolution are not timed;
* every repeat uses a *fresh* random expression (seed = repeat number), the
  same one for every representation, converted to sympy/symengine before the
  clock starts; within a repeat the representations run in rotating order;
* times are this process's CPU time (``time.process_time``): the workload is
  single-threaded, and on a shared machine wall time mostly measures neighbours;
* symnb inputs are built afresh right before their timed run (``_fresh``), so
  the canonical argument order of sums and products, computed lazily on first
  access, is paid inside the timed run (the conversions to sympy/symengine
  computed it for the copy they read);
* the garbage collector runs before every timed run and is paused during it;
* a second symnb figure reruns the same input object, whose argument order is
  then known: the difference is the cost of symnb's lazy canonical ordering;
* a *floor* line times one Postwalk over an empty Chain (the walk, and the
  head and argument reads through the term interface that any rewriter
  makes): the rule matching on top of it is the same code for every
  representation, so the full-run ratio tends to the floor ratio as the
  matcher gets faster;
* before every timed run all caches that outlive a call are cleared: the
  rewriter's per-subject cache (argument lists, heads, feature masks) and
  sympy's cache.  What is *not* cleared is stated in the output: symnb's
  hash-consing table (it is the term representation itself: equal terms are
  one object) and each rule chain's (head, feature mask) -> applicable-rules
  index, which holds no terms.
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
from typing import Any, Callable

import symnb
from symnb.rewriting import Chain, Postwalk, default_rules, rewrite, rule
from symnb.rewriting.matcher import clear_cache
from symnb.rewriting.simplify import default_strategy

CACHED = ("symnb hash-consing table (the representation: equal terms are one object); "
          "each Chain's (head, feature mask) -> applicable-rules index (no terms)")
CLEARED = ("rewriter per-subject cache (arguments, heads, feature masks) and sympy's cache, "
           "before every timed run; Fixpoint/Postwalk memos live for one call only")


def rand_expr(n_atoms: int, seed: int = 0) -> Any:
    """Random binary tree with ``n_atoms`` leaves (symbols a..e, small ints), ops + * /."""
    rng = random.Random(seed)
    syms = symnb.symbols("a b c d e")

    def build(n: int) -> Any:
        if n == 1:
            return rng.choice(syms) if rng.random() < 0.8 else symnb.Number(rng.randint(1, 9))
        k = rng.randint(1, n - 1)
        left, right = build(k), build(n - k)
        op = rng.choice("+*/")
        return left + right if op == "+" else left * right if op == "*" else left / right
    return build(n_atoms)


def _reset() -> None:
    from sympy.core.cache import clear_cache as sympy_clear
    clear_cache()
    sympy_clear()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of this process for ``fn()`` (caches cleared, garbage collected first and
    the collector paused while it runs, as ``timeit`` does), and its result."""
    _reset()
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()
        r = fn()
        dt = time.process_time() - t0
    finally:
        gc.enable()
    return dt, r


_FRESH_STATS = [0, 0]
"""[compound nodes of fresh symnb inputs, of those already holding their argument order]."""


def _fresh(n: int, seed: int) -> Any:
    """``rand_expr(n, seed)`` built anew right before a timed run, after dropping every
    cache that holds terms, so the lazily computed canonical argument order of its
    sums/products is paid in the timed run, as for an expression a user just built.
    Nodes that hash-consing returns from earlier builds (still alive elsewhere) may
    already hold it; ``_FRESH_STATS`` counts them and the output reports the share."""
    from symnb.terms.core import postorder
    _reset()            # the rewriter's cache holds subjects of the previous run
    gc.collect()
    e = rand_expr(n, seed)
    for u in postorder(e):
        if symnb.iscall(u):
            _FRESH_STATS[0] += 1
            _FRESH_STATS[1] += getattr(u, "_args", None) is not None
    return e


def _median(fn: Callable[[], Any], repeats: int) -> float:
    fn()                      # warm-up
    return statistics.median(_timed(fn)[0] for _ in range(repeats))


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--atoms", type=int, default=1000)
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.repeats < 1 or args.atoms < 2:
        ap.error("--repeats must be >= 1 and --atoms >= 2")
    n, R = args.atoms, args.repeats
    strategy = default_strategy(default_rules())
    conv: dict[str, Callable[[Any], Any]] = {
        "symnb": lambda e: e, "sympy": symnb.to_sympy, "symengine": symnb.to_symengine}
    back: dict[str, Callable[[Any], Any]] = {
        "symnb": lambda e: e, "sympy": symnb.from_sympy, "symengine": symnb.from_symengine}
    names = list(conv)

    # warm-up: one untimed run per representation, on an expression not timed below
    warm = rand_expr(n, seed=10_000)
    for name in names:
        _reset()
        strategy(conv[name](warm))
    del warm

    walk = Postwalk(Chain([]))   # the walk and per-node reads, no rules: the floor
    times: dict[str, list] = {k: [] for k in names + ["symnb_ordered"]}
    floor: dict[str, list] = {k: [] for k in names + ["symnb_ordered"]}
    agree = {k: True for k in names}
    nodes = []
    for k in range(R):
        e = rand_expr(n, seed=k)
        nodes.append((symnb.count_nodes(e), symnb.count_nodes(e, dag=True)))
        forms = {name: conv[name](e) for name in names if name != "symnb"}  # before timing
        del e
        results = {}
        for name in names[k % 3:] + names[:k % 3]:          # rotate the order
            if name == "symnb":
                t = _fresh(n, k)
                dt, r = _timed(lambda: strategy(t))
                times["symnb"].append(dt)
                results[name] = str(r)   # as text, so no symnb node of it stays alive
                del r
                # the same input again: its argument order is now computed (caches cleared)
                dt, r = _timed(lambda: strategy(t))
                times["symnb_ordered"].append(dt)
                assert str(r) == results[name]
                del r
                floor["symnb_ordered"].append(_timed(lambda: walk(t))[0])
                del t
                t = _fresh(n, k)
                floor[name].append(_timed(lambda: walk(t))[0])
                del t
            else:
                dt, results[name] = _timed(lambda: strategy(forms[name]))
                times[name].append(dt)
                floor[name].append(_timed(lambda: walk(forms[name]))[0])
        for name in names:
            if name != "symnb":
                agree[name] &= str(back[name](results[name])) == results["symnb"]
        del results, forms

    med = {k: statistics.median(v) for k, v in times.items()}
    out: dict = {"atoms": n, "repeats": R, "tree_nodes_symnb": [a for a, _ in nodes],
                 "dag_nodes_symnb": [b for _, b in nodes], "cached": CACHED, "cleared": CLEARED}
    for name in times:
        out[f"simplify_{name}_s"] = med[name]
        out[f"simplify_{name}_all_s"] = times[name]
    for base in ("symnb", "symnb_ordered"):
        sfx = "" if base == "symnb" else "_ordered"
        out[f"ratio_sympy_over_symnb{sfx}"] = med["sympy"] / med[base]
        out[f"ratio_symengine_over_symnb{sfx}"] = med["symengine"] / med[base]
    out["per_repeat_ratio_sympy"] = [a / b for a, b in zip(times["sympy"], times["symnb"])]
    for name in floor:
        out[f"floor_{name}_s"] = statistics.median(floor[name])
    out["floor_ratio_sympy_over_symnb"] = out["floor_sympy_s"] / out["floor_symnb_s"]
    out["fresh_nodes_total_preordered"] = list(_FRESH_STATS)
    out["results_agree_sympy"] = agree["sympy"]
    out["results_agree_symengine"] = agree["symengine"]

    # tracing overhead: the same fresh expressions, traced and untraced in alternating order
    rules = default_rules()
    warm = rand_expr(n, seed=10_000)
    rewrite(warm, rules, trace=True)
    rewrite(warm, rules)
    del warm
    tu, tt, steps = [], [], 0
    for k in range(R):
        for traced in ((False, True) if k % 2 == 0 else (True, False)):   # alternate order
            e = _fresh(n, k)
            dt, r = _timed(lambda: rewrite(e, rules, trace=traced))
            del e
            if traced:
                tt.append(dt)
                steps += len(r[1])
            else:
                tu.append(dt)
            del r
    out["untraced_s"] = statistics.median(tu)
    out["traced_s"] = statistics.median(tt)
    out["trace_overhead"] = out["traced_s"] / out["untraced_s"]
    out["trace_steps_mean"] = steps / R

    xs = symnb.symbols("x0:200")
    y = symnb.Symbol("y")
    s = symnb.Add(*xs) + xs[150] * y
    ac = [rule("~x + ~y*~x => (1 + ~y)*~x")]
    out["ac_200_s"] = _median(lambda: rewrite(s, ac), R)
    s2 = symnb.Add(*xs) + y * symnb.Symbol("q")   # no match: the worst case for this pattern
    out["ac_200_nomatch_s"] = _median(lambda: rewrite(s2, ac), R)

    tn = out["tree_nodes_symnb"]
    dn = out["dag_nodes_symnb"]
    print(f"random +*/ expressions, {n} atoms ({min(tn)}-{max(tn)} tree nodes, "
          f"{min(dn)}-{max(dn)} distinct), default rule set, one strategy object;")
    print(f"  a fresh expression per repeat (seeds 0..{R - 1}), warm-up run first, "
          f"median of {R}, CPU time:")
    print(f"  symnb      {med['symnb'] * 1e3:9.2f} ms   input freshly built (includes the lazy "
          "canonical argument order of its sums/products)")
    print(f"  symnb      {med['symnb_ordered'] * 1e3:9.2f} ms   same input again, argument order "
          "already computed")
    tot, pre = _FRESH_STATS
    print(f"  (fresh symnb inputs: {pre} of {tot} compound nodes already held their argument "
          "order, returned by hash-consing from earlier builds still alive)")
    print(f"  sympy      {med['sympy'] * 1e3:9.2f} ms")
    print(f"  symengine  {med['symengine'] * 1e3:9.2f} ms")
    print(f"  sympy/symnb     {out['ratio_sympy_over_symnb']:6.1f}x fresh, "
          f"{out['ratio_sympy_over_symnb_ordered']:.1f}x ordered   (target >= 10x)   "
          f"fresh per repeat: {', '.join(f'{r:.1f}' for r in out['per_repeat_ratio_sympy'])}")
    print(f"  symengine/symnb {out['ratio_symengine_over_symnb']:6.1f}x fresh, "
          f"{out['ratio_symengine_over_symnb_ordered']:.1f}x ordered")
    print(f"  floor (one Postwalk over an empty Chain: the walk and head reads any rewriter"
          f" makes): symnb {out['floor_symnb_s'] * 1e3:.2f} ms fresh, "
          f"{out['floor_symnb_ordered_s'] * 1e3:.2f} ms ordered; sympy "
          f"{out['floor_sympy_s'] * 1e3:.2f} ms; symengine {out['floor_symengine_s'] * 1e3:.2f}"
          f" ms -> sympy/symnb {out['floor_ratio_sympy_over_symnb']:.1f}x fresh, "
          f"{out['floor_sympy_s'] / out['floor_symnb_ordered_s']:.1f}x ordered")
    print(f"  results agree after conversion: sympy {agree['sympy']}, "
          f"symengine {agree['symengine']}")
    print(f"  cleared before every timed run: {CLEARED}")
    print(f"  kept across runs: {CACHED}")
    print(f"tracing: untraced {out['untraced_s'] * 1e3:.2f} ms, "
          f"traced {out['traced_s'] * 1e3:.2f} ms"
          f" -> {out['trace_overhead']:.2f}x (target <= 2x), {out['trace_steps_mean']:.1f} "
          "steps per expression")
    print(f"200-term sum, ~x + ~y*~x: {out['ac_200_s'] * 1e3:.2f} ms with a match, "
          f"{out['ac_200_nomatch_s'] * 1e3:.2f} ms without (target < 50 ms)")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)
    return out


if __name__ == "__main__":
    main()
