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


def network_to_sbml(path: Path) -> str:
    """A BioNetGen ``.net`` as SBML Level 3 (species S0.., amounts, mass-action laws)."""
    import libsbml

    from symnb.models.bionetgen import load_bionetgen
    from symnb.terms import Symbol, subs
    net = load_bionetgen(path)
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId(net.name.replace("-", "_") if net.name.isidentifier() else "net")
    c = m.createCompartment()
    c.setId("cell"), c.setSize(1.0), c.setConstant(True), c.setSpatialDimensions(3)
    ren = {x: Symbol(f"S{i}") for i, x in enumerate(net.symbols)}
    for i, x0 in enumerate(net.u0()):
        sp = m.createSpecies()
        sp.setId(f"S{i}"), sp.setCompartment("cell"), sp.setInitialAmount(float(x0))
        sp.setHasOnlySubstanceUnits(True), sp.setConstant(False)
        sp.setBoundaryCondition(bool(net.fixed[i]))
    for name, value in net.parameter_values().items():
        p = m.createParameter()
        p.setId(f"P_{name}"), p.setValue(float(value)), p.setConstant(True)
    ren.update({Symbol(n): Symbol(f"P_{n}") for n in net.parameter_values()})
    for j, (r, rate) in enumerate(zip(net.reactions, net.rate_terms())):
        rx = m.createReaction()
        rx.setId(f"R{j}"), rx.setReversible(False)
        for q in r.reactants:
            ref = rx.createReactant()
            ref.setSpecies(f"S{q}"), ref.setStoichiometry(1.0), ref.setConstant(True)
        for q in r.products:
            ref = rx.createProduct()
            ref.setSpecies(f"S{q}"), ref.setStoichiometry(1.0), ref.setConstant(True)
        ast = libsbml.parseL3Formula(str(subs(rate, ren)))
        if ast is None:
            raise ValueError(f"cannot export the rate of reaction {j}: {rate}")
        rx.createKineticLaw().setMath(ast)
    return libsbml.writeSBMLToString(doc)


def per_model(path: Path, t_end: float, rtol: float, atol: float) -> dict:
    """symnb and libroadrunner on one exported network: load + compile + simulate seconds."""
    import numpy as np

    from symnb.models.sbml import load_sbml
    xml = network_to_sbml(path)
    times = np.linspace(0.0, t_end, 101)
    t0 = time.perf_counter()
    m = load_sbml(xml)
    res = m.simulate(times, rtol=rtol, atol=atol)
    ours = time.perf_counter() - t0
    out: dict = {"model": path.stem, "states": len(m.system.states),
                 "backend": m.compile_backend, "symnb_seconds": ours, "success": res.success}
    try:
        import roadrunner
    except ImportError:
        return out
    t0 = time.perf_counter()
    rr = roadrunner.RoadRunner(xml)
    rr.integrator.relative_tolerance, rr.integrator.absolute_tolerance = rtol, atol
    rr.timeCourseSelections = ["time"] + [f"S{i}" for i in range(len(m.system.species))]
    Y = np.asarray(rr.simulate(times=list(times)))[:, 1:]
    out["roadrunner_seconds"] = time.perf_counter() - t0
    out["ratio"] = ours / out["roadrunner_seconds"]
    ours_y = np.array([res.amount(f"S{i}") for i in range(Y.shape[1])]).T
    out["max_rel_diff"] = float(np.max(np.abs(ours_y - Y) / (np.abs(Y) + 1e-6 * np.abs(Y).max())))
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="every fourth case only")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--no-roadrunner", action="store_true", help="skip libroadrunner")
    ap.add_argument("--no-egfr", action="store_true", help="skip egfr_net exported to SBML")
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
    egfr = root.parent / "bionetgen" / "egfr_net.net"
    if not args.no_egfr and not args.quick and egfr.is_file():
        pm = result["egfr_net"] = per_model(egfr, 120.0, 1e-6, 1e-8)
        print(f"egfr_net as SBML ({pm['states']} states, {pm['backend']}): symnb "
              f"{pm['symnb_seconds']:.2f} s" + (f", libroadrunner {pm['roadrunner_seconds']:.2f}"
                                                f" s, ratio {pm['ratio']:.2f}, max relative "
                                                f"difference {pm['max_rel_diff']:.1e}"
                                                if "ratio" in pm else ""))
        if "ratio" in pm:
            rr_line += f"; egfr_net simulate {pm['ratio']:.2f}x libroadrunner"
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)
    print(f"\nsummary: SBML suite core {result['core_passed']}/{result['core_total']} "
          f"(target >= 99%), events {result['events_passed']}/{result['events_total']} "
          f"(target >= 95%), {result['symnb_seconds']:.1f} s{rr_line}")
    return result


if __name__ == "__main__":
    main()
