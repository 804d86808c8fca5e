"""Run cases of the SBML Test Suite (semantic, time course) and apply its pass rule.

A case folder ``NNNNN/`` holds ``NNNNN-sbml-l3v2.xml``, ``NNNNN-settings.txt`` and
``NNNNN-results.csv``; a case passes when every reported value is within
``absolute + relative * |expected|`` of the expected one at every output time.

>>> read_settings("start: 0\\nduration: 5\\nsteps: 2\\nvariables: S1, S2\\n"
...               "absolute: 1e-4\\nrelative: 1e-4\\namount: S1\\nconcentration: S2")["amount"]
['S1']
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["read_settings", "run_case", "CaseResult"]


def read_settings(text: str) -> dict:
    """The ``key: value`` lines of a settings file (lists for ids, floats for numbers)."""
    out: dict = {}
    for line in text.splitlines():
        key, sep, val = line.partition(":")
        if not sep:
            continue
        key, val = key.strip(), val.strip()
        if key in ("variables", "amount", "concentration"):
            out[key] = [v.strip() for v in val.split(",") if v.strip()]
        elif key in ("start", "duration", "absolute", "relative", "steps"):
            out[key] = float(val) if val else 0.0
    return out


@dataclass
class CaseResult:
    """One case: passed, the reason when not, and seconds (load + compile + simulate)."""

    case: str
    passed: bool
    reason: str
    seconds: float


def run_case(folder: Path, rtol: float = 1e-8, atol: float = 1e-12) -> CaseResult:
    """Load, simulate and check one case folder (never raises: errors become reasons)."""
    from .model import load_sbml
    folder = Path(folder)
    case = folder.name
    t0 = time.perf_counter()
    try:
        st = read_settings((folder / f"{case}-settings.txt").read_text())
        text = (folder / f"{case}-results.csv").read_text().splitlines()
        names = [h.strip() for h in text[0].split(",")]
        table = np.array([[float(x) for x in line.split(",")] for line in text[1:] if line],
                         dtype=float).reshape(-1, len(names))
        data = {n: table[:, i] for i, n in enumerate(names) if i}
        times = table[:, 0]
        m = load_sbml(folder / f"{case}-sbml-l3v2.xml")
        res = m.simulate(times, rtol=rtol, atol=atol)
        if not res.success:
            return CaseResult(case, False, f"solver: {res.message}", time.perf_counter() - t0)
        amount = set(st.get("amount", []))
        worst = ""
        for v in st["variables"]:
            exp_ = np.asarray(data[v], dtype=float)
            got = res.amount(v) if v in amount else res.concentration(v)
            tol = st["absolute"] + st["relative"] * np.abs(exp_)
            with np.errstate(invalid="ignore"):      # inf - inf where both are infinite
                err = np.abs(got - exp_)
            bad = ~(err <= tol) & ~(np.isnan(got) & np.isnan(exp_)) \
                & ~(np.isinf(exp_) & (got == exp_))
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                worst = f"{v} at t={times[i]:g}: {got[i]:.6g} != {exp_[i]:.6g}"
                break
        return CaseResult(case, not worst, worst, time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - a failing case is a result
        msg = " ".join(str(e).split())[:200]
        return CaseResult(case, False, f"{type(e).__name__}: {msg}", time.perf_counter() - t0)
