"""SBML Test Suite conformance and time: symnb's ``load_sbml`` + ``simulate`` over the shared
semantic cases, against libroadrunner on the same cases when it is installed (the
``bench`` extra; never a runtime dependency).

Run: ``.venv/bin/python benchmarks/sbml.py [--quick] [--json out.json]``

Every case is loaded, compiled and simulated from its file (model loading and JIT
included, for both simulators) with rtol 1e-8 and atol 1e-12, and checked with the
suite's rule (|sim - expected| <= absolute + relative * |expected| at every output).
``--quick`` runs every fourth case.  The last line is ``summary: ...``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from symnb.models.sbml.suite import read_settings, run_case  # noqa: E402


def suite_root() -> Path:
    for root in (HERE.parents[1] / "shared" / "data", Path("/work/shared/data")):
        if (root / "sbml-semantic" / "cases.json").is_file():
            return root / "sbml-semantic"
    raise SystemExit("the SBML test-suite cases (../shared/data/sbml-semantic) are missing")


def roadrunner_case(folder: Path, rtol: float, atol: float) -> tuple[bool, str]:
    """One case with libroadrunner: (passed, reason)."""
    import numpy as np
    import roadrunner
    case = folder.name
    try:
        st = read_settings((folder / f"{case}-settings.txt").read_text())
        text = (folder / f"{case}-results.csv").read_text().splitlines()
        names = [h.strip() for h in text[0].split(",")]
        table = np.array([[float(x) for x in ln.split(",")] for ln in text[1:] if ln])
        rr = roadrunner.RoadRunner(str(folder / f"{case}-sbml-l3v2.xml"))
        rr.integrator.relative_tolerance = rtol
        rr.integrator.absolute_tolerance = atol
        species = set(rr.model.getFloatingSpeciesIds()) | set(rr.model.getBoundarySpeciesIds())
        conc = set(st.get("concentration", []))
        sel = ["time"] + [f"[{v}]" if v in species and v in conc else v for v in names[1:]]
        rr.timeCourseSelections = sel
        out = np.asarray(rr.simulate(times=list(table[:, 0])))
        exp_, got = table[:, 1:], out[:, 1:]
        with np.errstate(invalid="ignore"):
            ok = (np.abs(got - exp_) <= st["absolute"] + st["relative"] * np.abs(exp_)) | \
                (np.isnan(got) & np.isnan(exp_)) | (got == exp_)
        return bool(ok.all()), "" if ok.all() else "values"
    except Exception as e:  # noqa: BLE001 - a failing case is a result
        return False, f"{type(e).__name__}: {str(e)[:100]}"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="every fourth case only")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--no-roadrunner", action="store_true", help="skip libroadrunner")
    args = ap.parse_args(argv)
    root = suite_root()
    cases = json.loads((root / "cases.json").read_text())
    names = sorted(cases)[::4] if args.quick else sorted(cases)
    rtol, atol = 1e-8, 1e-12
    result: dict[str, Any] = {"cases": len(names), "rtol": rtol, "atol": atol}
    t0 = time.perf_counter()
    ours = {c: run_case(root / c, rtol, atol) for c in names}
    result["symnb_seconds"] = time.perf_counter() - t0
    failed = {c: r.reason for c, r in ours.items() if not r.passed}
    for cat in ("core", "events"):
        sel = [c for c in names if cases[c] == cat]
        result[f"{cat}_total"] = len(sel)
        result[f"{cat}_passed"] = sum(ours[c].passed for c in sel)
        print(f"symnb {cat}: {result[f'{cat}_passed']}/{len(sel)} passed")
    result["failed"] = failed
    for c, why in failed.items():
        print(f"  FAIL {c} ({cases[c]}): {why}")
    slow = sorted(ours.values(), key=lambda r: -r.seconds)[:3]
    print(f"symnb: {result['symnb_seconds']:.2f} s for {len(names)} cases (slowest: "
          + ", ".join(f"{r.case} {r.seconds:.2f} s" for r in slow) + ")")
    rr_line = ""
    if not args.no_roadrunner:
        try:
            import roadrunner  # noqa: F401
        except ImportError:
            print("libroadrunner not installed (pip install -e .[bench]): no comparison")
        else:
            t0 = time.perf_counter()
            rr = {c: roadrunner_case(root / c, rtol, atol) for c in names}
            result["roadrunner_seconds"] = time.perf_counter() - t0
            result["roadrunner_passed"] = sum(ok for ok, _ in rr.values())
            result["time_ratio"] = result["symnb_seconds"] / result["roadrunner_seconds"]
            print(f"libroadrunner: {result['roadrunner_passed']}/{len(names)} passed in "
                  f"{result['roadrunner_seconds']:.2f} s")
            rr_line = (f", {result['time_ratio']:.2f}x libroadrunner's "
                       f"{result['roadrunner_seconds']:.1f} s (target <= 2x)")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)
    print(f"\nsummary: SBML suite core {result['core_passed']}/{result['core_total']} "
          f"(target >= 99%), events {result['events_passed']}/{result['events_total']} "
          f"(target >= 95%), {result['symnb_seconds']:.1f} s{rr_line}")
    return result


if __name__ == "__main__":
    main()
