"""Classical-rewriting benchmark (issue 3's figures), one run, medians of repeats.

Run: ``.venv/bin/python benchmarks/rewrite.py [--repeats 5] [--json out.json]``

1. SymbolicUtils-style: a random expression with 1000 atoms built from ``+``,
   ``*`` and ``/``, simplified with the default rule set by *one* strategy
   object, on symnb terms vs the same expression as sympy and symengine terms
   (converted before timing; sympy's cache cleared before every repeat).
2. Tracing overhead: ``rewrite(..., trace=True)`` vs untraced, symnb terms.
3. A 200-term sum with the 2-slot AC rule ``~x + ~y*~x => (1 + ~y)*~x``.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any, Callable

import symnb
from symnb.rewrite import default_rules, rewrite, rule
from symnb.rewrite.matcher import clear_cache
from symnb.rewrite.simplify import default_strategy


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


def _median(fn: Callable[[], Any], repeats: int, before: Callable[[], None] = lambda: None) -> float:
    ts = []
    for _ in range(repeats):
        before()
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    import sympy
    from sympy.core.cache import clear_cache as sympy_clear

    e = rand_expr(1000)
    strategy = default_strategy(default_rules())
    forms = {"symnb": e, "sympy": symnb.to_sympy(e), "symengine": symnb.to_symengine(e)}
    out: dict = {"atoms": 1000, "tree_nodes_symnb": symnb.count_nodes(e),
                 "dag_nodes_symnb": symnb.count_nodes(e, dag=True)}

    def reset() -> None:
        clear_cache()
        sympy_clear()

    for name, t in forms.items():
        out[f"simplify_{name}_s"] = _median(lambda: strategy(t), args.repeats, reset)
    out["ratio_sympy_over_symnb"] = out["simplify_sympy_s"] / out["simplify_symnb_s"]
    out["ratio_symengine_over_symnb"] = out["simplify_symengine_s"] / out["simplify_symnb_s"]
    r_nb = strategy(e)
    out["results_agree_sympy"] = symnb.from_sympy(strategy(forms["sympy"])) is r_nb

    rules = default_rules()
    out["untraced_s"] = _median(lambda: rewrite(e, rules), args.repeats, reset)
    out["traced_s"] = _median(lambda: rewrite(e, rules, trace=True), args.repeats, reset)
    out["trace_overhead"] = out["traced_s"] / out["untraced_s"]
    _, tr = rewrite(e, rules, trace=True)
    out["trace_steps"] = len(tr)

    xs = symnb.symbols("x0:200")
    y = symnb.Symbol("y")
    s = symnb.Add(*xs) + xs[150] * y
    ac = [rule("~x + ~y*~x => (1 + ~y)*~x")]
    out["ac_200_s"] = _median(lambda: rewrite(s, ac), args.repeats, reset)
    s2 = symnb.Add(*xs) + y * symnb.Symbol("q")   # no match: the worst case for this pattern
    out["ac_200_nomatch_s"] = _median(lambda: rewrite(s2, ac), args.repeats, reset)

    print(f"random +*/ expression, 1000 atoms ({out['tree_nodes_symnb']} tree nodes, "
          f"{out['dag_nodes_symnb']} distinct), default rule set, median of {args.repeats}:")
    for name in forms:
        print(f"  {name:10s} {out[f'simplify_{name}_s'] * 1e3:9.2f} ms")
    print(f"  sympy/symnb     {out['ratio_sympy_over_symnb']:6.1f}x   (target >= 10x)")
    print(f"  symengine/symnb {out['ratio_symengine_over_symnb']:6.1f}x")
    print(f"  symnb and sympy results agree after conversion: {out['results_agree_sympy']}")
    print(f"tracing: untraced {out['untraced_s'] * 1e3:.2f} ms, traced {out['traced_s'] * 1e3:.2f} ms"
          f" -> {out['trace_overhead']:.2f}x (target <= 2x), {out['trace_steps']} steps")
    print(f"200-term sum, ~x + ~y*~x: {out['ac_200_s'] * 1e3:.2f} ms with a match, "
          f"{out['ac_200_nomatch_s'] * 1e3:.2f} ms without (target < 50 ms)")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)
    _ = sympy
    return out


if __name__ == "__main__":
    main()
