"""Term-construction benchmark: symnb vs sympy vs symengine (issue 2's figures).

Run: ``.venv/bin/python benchmarks/terms.py [--repeats 5] [--json out.json]``

Each case builds its inputs fresh, sympy's cache is cleared before every
repeat, and the median of the repeats is reported.  Ratios are what matter:
absolute times on a shared 2-core machine are noisy.
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

CASES = ["sum_products_loop_200", "expand15", "diff_nested_12", "subs_150"]


def _ns(lib: str) -> dict:
    """The functions each case needs, from one library."""
    if lib == "symnb":
        import symnb as m
        return dict(symbols=lambda n: [m.Symbol(s) for s in n.split()], sin=m.sin, cos=m.cos,
                    exp=m.exp, expand=m.expand, diff=lambda e, x: e.diff(x),
                    subs=lambda e, d: e.subs(d), zero=0)
    if lib == "sympy":
        import sympy as m
        return dict(symbols=lambda n: [m.Symbol(s) for s in n.split()], sin=m.sin, cos=m.cos,
                    exp=m.exp, expand=m.expand, diff=lambda e, x: e.diff(x),
                    subs=lambda e, d: e.subs(d), zero=m.Integer(0))
    import symengine as m
    return dict(symbols=lambda n: [m.Symbol(s) for s in n.split()], sin=m.sin, cos=m.cos, exp=m.exp,
                expand=m.expand, diff=lambda e, x: e.diff(x), subs=lambda e, d: e.subs(d),
                zero=m.Integer(0))


def _names(prefix: str, n: int, run: int) -> str:
    # fresh names on every repeat, so no library can reuse last repeat's objects
    return " ".join(f"{prefix}{i}_r{run}" for i in range(n))


def case_sum_products_loop_200(ns: dict, run: int) -> Callable[[], Any]:
    xs = ns["symbols"](_names("x", 200, run))
    ys = ns["symbols"](_names("y", 200, run))

    def go() -> Any:
        s = ns["zero"]
        for i in range(200):
            s = s + xs[i] * ys[i]
        return s
    return go


def case_expand15(ns: dict, run: int) -> Callable[[], Any]:
    x, y, z, w = ns["symbols"](f"x_r{run} y_r{run} z_r{run} w_r{run}")
    return lambda: ns["expand"]((x + y + z + w + 1) ** 15)


def _nested(ns: dict, run: int, levels: int) -> Callable[[], Any]:
    (x,) = ns["symbols"](f"x_r{run}")
    xs = ns["symbols"](_names("a", levels, run))
    ys = ns["symbols"](_names("b", levels, run))

    def go() -> Any:
        e = x
        for i in range(levels):
            e = ns["sin"](e * xs[i] + ys[i]) * ns["exp"](e)
        return ns["diff"](e, x)
    return go


def case_diff_nested_12(ns: dict, run: int) -> Callable[[], Any]:
    return _nested(ns, run, 12)


def case_subs_150(ns: dict, run: int) -> Callable[[], Any]:
    xs = ns["symbols"](_names("x", 150, run))
    ys = ns["symbols"](_names("y", 150, run))
    mapping = {xs[i]: ys[i] + 1 for i in range(150)}

    def go() -> Any:
        e = ns["zero"]
        for i in range(150):
            e = e + xs[i] ** 2 * ns["cos"](ys[i])
        return ns["subs"](e, mapping)
    return go


def measure(lib: str, case: str, repeats: int) -> float:
    ns = _ns(lib)
    make = globals()["case_" + case]
    times = []
    for r in range(repeats):
        if lib == "sympy":
            from sympy.core.cache import clear_cache
            clear_cache()
        fn = make(ns, r + 1000 * len(times))
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def import_time() -> float:
    """Seconds for ``python -c 'import symnb'`` in a fresh process (median of 5)."""
    out = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import symnb"], check=True)
        out.append(time.perf_counter() - t0)
    base = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - t0)
    return statistics.median(out) - statistics.median(base)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    rows = []
    print(f"{'case':24s} {'symnb s':>10s} {'sympy s':>10s} {'symengine s':>12s} "
          f"{'sympy/symnb':>12s} {'symnb/symengine':>16s}")
    for case in CASES:
        t = {lib: measure(lib, case, args.repeats) for lib in ("symnb", "sympy", "symengine")}
        r_sympy = t["sympy"] / t["symnb"]
        r_se = t["symnb"] / t["symengine"]
        rows.append(dict(case=case, **t, sympy_over_symnb=r_sympy, symnb_over_symengine=r_se))
        print(f"{case:24s} {t['symnb']:10.5f} {t['sympy']:10.5f} {t['symengine']:12.5f} "
              f"{r_sympy:12.1f} {r_se:16.2f}")
    g_sympy = math.exp(statistics.mean(math.log(r["sympy_over_symnb"]) for r in rows))
    g_se = math.exp(statistics.mean(math.log(r["symnb_over_symengine"]) for r in rows))
    print(f"geometric mean: symnb is {g_sympy:.1f}x faster than sympy (target >= 30, each >= 10); "
          f"{g_se:.2f}x the time of symengine (target <= 10)")
    d30 = []
    for r in range(args.repeats):
        fn = _nested(_ns("symnb"), 5000 + r, 30)
        t0 = time.perf_counter()
        fn()
        d30.append(time.perf_counter() - t0)
    t30 = statistics.median(d30)
    print(f"diff_nested_30 on symnb: {t30:.4f} s (target < 0.1 s)")
    imp = import_time()
    print(f"import symnb: {imp:.3f} s beyond a bare interpreter (target < 0.3 s)")
    result = dict(cases=rows, geomean_sympy_over_symnb=g_sympy,
                  geomean_symnb_over_symengine=g_se, diff_nested_30_s=t30, import_s=imp)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)
    return result


if __name__ == "__main__":
    main()
