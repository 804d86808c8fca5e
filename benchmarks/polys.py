"""Polynomial normal forms: symnb.polys (python-flint) vs sympy (issue 14's figures).

Run: ``.venv/bin/python benchmarks/polys.py [--repeats 5] [--quick] [--json out.json]``

Inputs are random but seeded; both libraries get the same expression (sympy's via
``symnb.to_sympy``), sympy's cache is cleared before every repeat, the median of the
repeats is reported and every ratio comes from one run.  Targets: ``cancel`` on a
rational function in 6 variables of degree 12 at least 20x faster than
``sympy.cancel``; ``factor`` of a degree-40 bivariate polynomial at least 10x faster
than ``sympy.factor``; expand and cancel in 20 variables of degree 30 in milliseconds
(``sympy.cancel`` there runs once, in a child process stopped after ``--sympy-timeout``).
The last rows compare symnb's own term ``expand`` with the flint one (why
``symnb.expand`` does not delegate) and time the refusal of ``(x+y+z+1)^200``.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any, Callable

import sympy
from sympy.core.cache import clear_cache

import symnb
from symnb import Number, symbols, to_sympy
from symnb.polys import PolynomialTooLarge, cancel, expand, factor


def rand_poly(rng: random.Random, syms: tuple, deg: int, nterms: int, cmax: int = 9) -> Any:
    """A sparse polynomial: ``nterms`` monomials of total degree <= ``deg`` (the first
    exactly ``deg``), nonzero coefficients in [-cmax, cmax], plus a constant."""
    acc = Number(rng.randint(1, cmax))
    for i in range(nterms):
        e = [0] * len(syms)
        for _ in range(deg if i == 0 else rng.randint(1, deg)):
            e[rng.randrange(len(syms))] += 1
        m = Number(rng.choice([c for c in range(-cmax, cmax + 1) if c]))
        for s, k in zip(syms, e):
            m = m * s ** k
        acc = acc + m
    return acc


def timed(fn: Callable[[], Any], repeats: int, sympy_side: bool = False) -> float:
    """Median seconds of ``fn()`` over ``repeats`` (sympy's cache cleared before each)."""
    out = []
    for _ in range(repeats):
        if sympy_side:
            clear_cache()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def _sympy_cancel_timed(expr: Any, out: Any) -> None:
    t0 = time.perf_counter()
    sympy.cancel(expr)
    out.put(time.perf_counter() - t0)


def sympy_once_with_timeout(expr: Any, timeout: float) -> float | None:
    """Seconds of one ``sympy.cancel(expr)`` in a child process, or None past ``timeout``."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    proc = ctx.Process(target=_sympy_cancel_timed, args=(expr, q))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return q.get()


def inputs() -> dict:
    rng = random.Random(14)
    s6 = symbols("x0:6")
    p, q, g = (rand_poly(rng, s6, 6, 8) for _ in range(3))
    cancel6 = expand(p * g) / expand(q * g)
    s2 = symbols("x y")
    fs = [rand_poly(rng, s2, 8, 5) for _ in range(5)]
    prod = fs[0]
    for f in fs[1:]:
        prod = prod * f
    factor40 = expand(prod)
    s20 = symbols("a0:20")
    a, b, c = (rand_poly(rng, s20, 15, 12) for _ in range(3))
    x, y, z, w = symbols("x y z w")
    return dict(cancel6=cancel6, factor40=factor40, prod20=a * b,
                cancel20=expand(a * b) / expand(a * c), dense4=(x + y + z + w + 1) ** 15,
                huge=(x + y + z + 1) ** 200)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="3 repeats, 5 s for sympy's 20-var cancel")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--sympy-timeout", type=float, default=20.0,
                    help="seconds allowed to sympy.cancel on the 20-variable case (run once)")
    args = ap.parse_args(argv)
    reps = 3 if args.quick else args.repeats
    if args.quick:
        args.sympy_timeout = min(args.sympy_timeout, 5.0)
    inp = inputs()
    sp = {k: to_sympy(v) for k, v in inp.items() if k != "huge"}
    deg = {k: sympy.Poly(sympy.together(sp[k]).as_numer_denom()[0]).total_degree()
           for k in ("cancel6", "factor40", "cancel20")}
    # correctness first: each symnb result equals sympy's
    assert sympy.cancel(to_sympy(cancel(inp["cancel6"])) - sympy.cancel(sp["cancel6"])) == 0
    assert sympy.expand(to_sympy(factor(inp["factor40"])) - sp["factor40"]) == 0
    assert sympy.expand(to_sympy(expand(inp["prod20"])) - sp["prod20"]) == 0
    rows = []

    def row(case: str, ours: Callable[[], Any], theirs: Callable[[], Any] | None,
            note: str) -> dict:
        t_ours = timed(ours, reps)
        t_sympy = timed(theirs, reps, sympy_side=True) if theirs else None
        r = dict(case=case, symnb_s=t_ours, sympy_s=t_sympy,
                 sympy_over_symnb=(t_sympy / t_ours) if t_sympy else None, note=note)
        rows.append(r)
        ratio = f"{r['sympy_over_symnb']:10.1f}" if t_sympy else f"{'':10s}"
        ts = f"{t_sympy:10.4f}" if t_sympy else f"{'':10s}"
        print(f"{case:30s} {t_ours:10.4f} {ts} {ratio}  {note}")
        return r

    print(f"{'case':30s} {'symnb s':>10s} {'sympy s':>10s} {'sympy/symnb':>10s}")
    c6 = row("cancel_6vars_deg12", lambda: cancel(inp["cancel6"]),
             lambda: sympy.cancel(sp["cancel6"]), f"degree {deg['cancel6']}, target >= 20x")
    f40 = row("factor_2vars_deg40", lambda: factor(inp["factor40"]),
              lambda: sympy.factor(sp["factor40"]), f"degree {deg['factor40']}, target >= 10x")
    e20 = row("expand_20vars_deg30", lambda: expand(inp["prod20"]),
              lambda: sympy.expand(sp["prod20"]), "target: milliseconds")
    once = sympy_once_with_timeout(sp["cancel20"], args.sympy_timeout)
    c20 = row("cancel_20vars_deg30", lambda: cancel(inp["cancel20"]), None,
              f"degree {deg['cancel20']}, target: ms; sympy.cancel once: "
              + (f"{once:.2f} s" if once is not None else f"> {args.sympy_timeout:g} s (stopped)"))
    c20["sympy_once_s"] = once
    row("expand_dense4_pow15 (flint)", lambda: expand(inp["dense4"]),
        lambda: sympy.expand(sp["dense4"]), "3876 terms")
    row("expand_dense4_pow15 (terms)", lambda: symnb.expand(inp["dense4"]), None,
        "symnb.expand, the term-level expand")

    def refuse() -> None:
        try:
            expand(inp["huge"])
        except PolynomialTooLarge:
            return
        raise AssertionError("expected PolynomialTooLarge")
    row("refuse_(x+y+z+1)^200", refuse, None, "PolynomialTooLarge before computing")
    print(f"summary: cancel (6 vars, deg 12) {c6['sympy_over_symnb']:.0f}x sympy (target >= 20); "
          f"factor (2 vars, deg 40) {f40['sympy_over_symnb']:.0f}x sympy (target >= 10); "
          f"20 vars deg 30: expand {1000 * e20['symnb_s']:.1f} ms, "
          f"cancel {1000 * c20['symnb_s']:.1f} ms")
    result = dict(cases=rows, repeats=reps,
                  cancel_6vars_ratio=c6["sympy_over_symnb"],
                  factor_deg40_ratio=f40["sympy_over_symnb"],
                  expand_20vars_ms=1000 * e20["symnb_s"], cancel_20vars_ms=1000 * c20["symnb_s"])
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
