"""Simplification benchmark (issue 14): symnb's two simplifiers beside ``sympy.simplify``
on the corpus of ``benchmarks/_simplify_corpus.py``.

Run: ``.venv/bin/python benchmarks/simplify.py [--quick] [--repeats 3] [--json out.json]``

Simplifiers: ``symnb.simplify(e)`` (rules), ``symnb.simplify(e, using="egraph",
time_limit=...)`` (the e-graph, bounded per call by ``--egraph-time-limit``) and
``sympy.simplify(to_sympy(e))``, the sympy symbols carrying the case's assumptions.
A case succeeds by the test of ``benchmarks/_simplify_check.py``: numerically equal to
the input at random real and complex points (respecting assumptions) and no more
operations than the expected form (sympy's ``count_ops`` of the sympy form, for every
simplifier alike).  Cases whose assumptions this symnb cannot declare are reported
"not run: assumptions unsupported" and count as failures for symnb.

Times: per case, the best of ``--repeats`` calls (sympy's cache cleared before each of
its calls, its input rebuilt outside the clock); the figure is the median over the cases
that ran, after one untimed warm-up call of each simplifier.  The median of the first
calls is printed too (it would reveal a result cache).
A call longer than ``--call-limit`` seconds is stopped and counts as a failure.
Ratios come from one run on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import sympy  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

import symnb  # noqa: E402
from _simplify_check import AssumptionsUnsupported, check, symnb_input, sympy_input  # noqa: E402
from _simplify_corpus import CASES, CATEGORIES  # noqa: E402

SIMPLIFIERS = ("rules", "egraph", "sympy")
EGRAPH_TIME_LIMIT = 0.5


class CallTimeout(Exception):
    """A simplifier call ran past ``--call-limit``."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise CallTimeout


def _call(fn: Callable[[], Any], limit: float) -> tuple[Any, float]:
    """``fn()`` and its seconds, stopped by SIGALRM after ``limit`` seconds."""
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        t0 = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - t0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _positive(case: Any, e: Any) -> list:
    return [s for s in symnb.free_symbols(e) if case.assumptions.get(symnb.symname(s), {})
            .get("positive")]


def run_case(case: Any, which: str, repeats: int, limit: float,
             egraph_limit: float) -> dict[str, Any]:
    """One simplifier on one case: verdict, result text and times (or why it did not run)."""
    rec: dict[str, Any] = {"ok": False, "sound": None, "ms": None, "first_ms": None,
                           "ops": None, "result": None, "reason": ""}
    if which == "sympy":
        make = lambda: sympy_input(case)  # noqa: E731
        fn = sympy.simplify
    else:
        try:
            e = symnb_input(case)
        except AssumptionsUnsupported as exc:
            rec["reason"] = str(exc)
            return rec
        make = lambda: e  # noqa: E731
        if which == "rules":
            fn = symnb.simplify
        else:
            pos = _positive(case, e)
            fn = lambda t: symnb.simplify(t, using="egraph",  # noqa: E731
                                          time_limit=egraph_limit, positive=pos)
    times, result = [], None
    for _ in range(repeats):
        arg = make()
        if which == "sympy":
            clear_cache()
        try:
            result, dt = _call(lambda: fn(arg), limit)
        except CallTimeout:
            rec["reason"] = f"stopped after {limit:g} s (--call-limit)"
            return rec
        except Exception as exc:  # a simplifier must never raise on valid input
            rec["reason"] = f"raised {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
            return rec
        times.append(dt)
    v = check(case, result, sympy_input(case))
    rec.update(ok=v.ok, sound=v.equal, ops=v.ops, result=str(result), reason=v.reason,
               ms=min(times) * 1e3, first_ms=times[0] * 1e3)
    return rec


def _median(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _fmt_ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.3g}"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="one call per case (no repeats)")
    ap.add_argument("--repeats", type=int, default=3, help="calls per case; the best counts")
    ap.add_argument("--egraph-time-limit", type=float, default=EGRAPH_TIME_LIMIT,
                    help="egraph_simplify's time_limit per call, seconds")
    ap.add_argument("--call-limit", type=float, default=20.0,
                    help="stop any one call after this many seconds (a failure)")
    ap.add_argument("--only", nargs="*", help="run only these simplifiers",
                    choices=SIMPLIFIERS)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    repeats = 1 if args.quick else max(1, args.repeats)
    which = args.only or list(SIMPLIFIERS)
    print(f"{len(CASES)} cases; per-call time = best of {repeats} call(s), median over cases; "
          f"sympy's cache cleared before every call; egraph time_limit "
          f"{args.egraph_time_limit:g} s")
    for w in which:   # imports and first-use set-up stay out of the first case's time
        run_case(CASES[0], w, 1, args.call_limit, args.egraph_time_limit)
    rows = []
    for case in CASES:
        row: dict[str, Any] = {"case": case.name, "category": case.category}
        for w in which:
            r = run_case(case, w, repeats, args.call_limit, args.egraph_time_limit)
            row.update({f"{w}_{k}": v for k, v in r.items()})
        rows.append(row)

    n = {c: sum(r["category"] == c for r in rows) for c in CATEGORIES}
    head = f"{'category':12s} {'cases':>5s} " + " ".join(f"{w:>8s}" for w in which)
    print("\nsuccesses per category\n" + head)
    per_cat = {}
    for c in CATEGORIES:
        per_cat[c] = {w: sum(r[f"{w}_ok"] for r in rows if r["category"] == c) for w in which}
        print(f"{c:12s} {n[c]:5d} " + " ".join(f"{per_cat[c][w]:8d}" for w in which))
    total = {w: sum(r[f"{w}_ok"] for r in rows) for w in which}
    print(f"{'total':12s} {len(rows):5d} " + " ".join(f"{total[w]:8d}" for w in which))
    med = {w: _median([r[f"{w}_ms"] for r in rows]) for w in which}
    first = {w: _median([r[f"{w}_first_ms"] for r in rows]) for w in which}
    print(f"{'median ms':12s} {'':5s} " + " ".join(f"{_fmt_ms(med[w]):>8s}" for w in which))
    print(f"{'first call':12s} {'':5s} " + " ".join(f"{_fmt_ms(first[w]):>8s}" for w in which))
    ratios = {}
    if "sympy" in which and med["sympy"]:
        for w in which:
            if w != "sympy" and med[w]:
                ratios[w] = med["sympy"] / med[w]
                target = "target >= 10 for the best symnb simplifier" if w == "rules" else \
                    "no ratio target; the e-graph's target is a median under 5 ms"
                print(f"median time sympy / {w}: {ratios[w]:.3g}x ({target})")
    failing, unsound, not_run = {}, {}, {}
    for w in which:
        failing[w] = [r["case"] for r in rows if not r[f"{w}_ok"]]
        unsound[w] = [r["case"] for r in rows if r[f"{w}_sound"] is False]
        not_run[w] = [r["case"] for r in rows if r[f"{w}_reason"].startswith("not run")]
        print(f"\n{w}: {len(failing[w])} failing")
        for r in rows:
            if not r[f"{w}_ok"]:
                res = r[f"{w}_result"]
                print(f"  {r['case']}: {r[f'{w}_reason']}" + (f" -> {res}" if res else ""))
        print(f"{w}: unsound (value differs from the input): {unsound[w] or 'none'}")
    parts = [f"{w} {total[w]}/{len(rows)} in {_fmt_ms(med[w])} ms" for w in which]
    line = "summary: " + ", ".join(parts)
    if "sympy" in which and "rules" in which and "rules" in ratios:
        line += (f"; sympy/rules median time {ratios['rules']:.3g}x (target >= 10), "
                 f"rules succeeds on {total['rules']} vs sympy {total['sympy']} "
                 f"(target >=)")
    if "egraph" in which and med["egraph"]:
        line += f"; egraph median {_fmt_ms(med['egraph'])} ms (target < 5 ms)"
    print("\n" + line)
    result = {"cases": rows, "categories": per_cat, "totals": total, "n_cases": len(rows),
              "median_ms": med, "first_call_median_ms": first,
              "sympy_over_symnb_ratio": ratios, "failing": failing, "unsound": unsound,
              "not_run": not_run, "repeats": repeats,
              "egraph_time_limit_s": args.egraph_time_limit}
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)
    return result


if __name__ == "__main__":
    main()
