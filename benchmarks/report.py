"""Run every ``benchmarks/*.py`` suite and write ``benchmarks/results/``: one JSON per suite
(command, exit status, seconds, stdout, and the suite's own ``--json`` figures where it
has that option), ``report.html`` (plotly charts, the machine and the date) and
``summary.md`` (a short table the README links).

    .venv/bin/python benchmarks/report.py                 # everything (long: tens of minutes)
    .venv/bin/python benchmarks/report.py --quick         # each suite's own quick options
    .venv/bin/python benchmarks/report.py --only terms rewrite --quick
    .venv/bin/python benchmarks/report.py --report-only   # rebuild the HTML from results/*.json

Suites run one after the other, each in its own process (so one suite's JIT caches and
imports do not leak into the next) with ``--json`` when it accepts one.  ``--quick``
passes only the quick options a suite actually declares (see ``QUICK``).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import html
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# per suite: options for --quick (each used only if the suite's source declares it)
QUICK: dict[str, list[list[str]]] = {
    "terms": [["--repeats", "1"]],
    "rewrite": [["--repeats", "1"], ["--atoms", "200"]],
    "compile": [["--no-anchors"], ["--no-big"]],
    "ode": [["--quick"], ["--no-a32"]],
    "solvers": [["--quick"]],
    "sequences": [["--quick"]],
    "egraph": [["--quick"]],
    "simplify": [["--quick"]],
    "polys": [["--quick"]],
    "sbml": [["--quick"]],
    "ensemble": [["--quick"]],
    "scale": [["--quick"]],
    "ode_scale": [["--quick"]],
    "peers": [["--quick"]],
    "fuzz": [["--quick"]],
}
PACKAGES = ("symnb", "numpy", "scipy", "numba", "sympy", "symengine", "egglog", "plotly",
            "scikit-sundae", "python-flint", "python-libsbml", "pyamg", "casadi", "jax",
            "libroadrunner")


def suites() -> list[Path]:
    """The benchmark scripts (every ``benchmarks/*.py`` but this one), by name."""
    return sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name
                  and not p.name.startswith("_"))


def command(path: Path, quick: bool) -> tuple[list[str], Path | None]:
    """The command line for one suite, and where its ``--json`` figures go (or None)."""
    src = path.read_text()
    cmd = [sys.executable, str(path)]
    if quick:
        for opt in QUICK.get(path.stem, []):
            if f'"{opt[0]}"' in src:
                cmd += opt
    data = None
    if '"--json"' in src:
        data = RESULTS / f"{path.stem}.data.json"
        cmd += ["--json", str(data)]
    return cmd, data


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "platform": platform.platform(),
            "python": platform.python_version(), "load_average": load, "packages": versions}


def run_suite(path: Path, quick: bool, timeout: float) -> dict[str, Any]:
    """Run one suite; its record (also written to ``results/NAME.json``)."""
    cmd, data_path = command(path, quick)
    if data_path is not None and data_path.exists():
        data_path.unlink()
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                           cwd=HERE.parent)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc = "timeout"
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = f"stopped after {timeout:.0f} s (--timeout)"
    seconds = time.perf_counter() - t0
    data = None
    if data_path is not None and data_path.exists():
        data = json.loads(data_path.read_text())
        data_path.unlink()
    rec = {"suite": path.stem, "command": [Path(c).name if i < 2 else c
                                           for i, c in enumerate(cmd)],
           "quick": quick, "started": started, "seconds": round(seconds, 2),
           "returncode": rc, "stdout": out, "stderr": err[-4000:], "data": data}
    (RESULTS / f"{path.stem}.json").write_text(json.dumps(rec, indent=1, default=str))
    return rec


# ----- charts ---------------------------------------------------------------------------

def _tables(data: Any, path: str = "") -> list[tuple[str, list[str], dict[str, list[float]]]]:
    """Lists of records in a suite's figures -> (title, row labels, numeric columns)."""
    found = []
    if isinstance(data, dict):
        for k, v in data.items():
            found += _tables(v, f"{path}.{k}" if path else k)
    elif isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        label_key = next((k for k in ("case", "name", "label", "suite", "size", "n")
                          if all(k in r for r in data)), None)
        labels = [str(r[label_key]) if label_key else str(i) for i, r in enumerate(data)]
        cols: dict[str, list[float]] = {}
        keys = [k for k in data[0] if k != label_key]
        for k in keys:
            vals = [r.get(k) for r in data]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
                cols[k] = [float(v) for v in vals]
        if cols:
            found.append((path or "figures", labels, cols))
        for i, r in enumerate(data):
            for k, v in r.items():
                if isinstance(v, (dict, list)):
                    found += _tables(v, f"{path}[{labels[i]}].{k}")
    return found


def _scalars(data: Any, path: str = "", depth: int = 0) -> dict[str, float]:
    """Numeric leaves of a suite's figures that are not inside lists of records."""
    out: dict[str, float] = {}
    if isinstance(data, dict) and depth < 4:
        for k, v in data.items():
            p = f"{path}.{k}" if path else k
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[p] = float(v)
            elif isinstance(v, dict):
                out.update(_scalars(v, p, depth + 1))
    return out


def _is_ratio(name: str) -> bool:
    n = name.lower()
    return any(s in n for s in ("ratio", "_over_", "speedup", "speed_up", "geomean", "factor"))


def figures(rec: dict[str, Any]) -> list[Any]:
    """Plotly figures for one suite: each table of records as grouped bars (log axis for
    times; ratios on their own chart), then its scalar times (e.g. symnb next to its
    sympy/symengine/scipy anchors) and scalar ratios."""
    import plotly.graph_objects as go
    figs = []
    data = rec.get("data")
    if data is None:
        return figs
    for title, labels, cols in _tables(data):
        for kind, names in (("ratios", [c for c in cols if _is_ratio(c)]),
                            ("values", [c for c in cols if not _is_ratio(c)])):
            if not names:
                continue
            fig = go.Figure([go.Bar(name=c, x=labels, y=cols[c]) for c in names])
            log = kind == "values" and all(v > 0 for c in names for v in cols[c])
            fig.update_layout(title=f"{rec['suite']}: {title} ({kind})", barmode="group",
                              height=380, yaxis_type="log" if log else "linear",
                              margin=dict(t=50, b=40, l=60, r=20))
            figs.append(fig)
    times = {k: v for k, v in _scalars(data).items()
             if (k.endswith("_s") or k.endswith("seconds")) and not _is_ratio(k) and v > 0}
    if times:
        fig = go.Figure(go.Bar(x=list(times), y=list(times.values())))
        fig.update_layout(title=f"{rec['suite']}: times (s)", height=380, yaxis_type="log",
                          margin=dict(t=50, b=40, l=60, r=20))
        figs.append(fig)
    ratios = {k: v for k, v in _scalars(data).items() if _is_ratio(k)}
    if ratios:
        fig = go.Figure(go.Bar(x=list(ratios), y=list(ratios.values())))
        fig.update_layout(title=f"{rec['suite']}: ratios", height=340,
                          margin=dict(t=50, b=40, l=60, r=20))
        figs.append(fig)
    return figs


def headline(rec: dict[str, Any]) -> str:
    """One line for the summary table: the suite's last summary-like stdout line."""
    if rec["returncode"] != 0:
        return f"failed ({rec['returncode']}): {(rec['stderr'].strip().splitlines() or [''])[-1][:160]}"
    lines = [l.strip() for l in rec["stdout"].splitlines() if l.strip()]
    for key in ("summary", "geometric mean", "(target", "speed-up", "speedup", "ratio"):
        hits = [l for l in lines if key in l.lower()]
        if hits:
            return hits[-1][:200]
    return lines[-1][:200] if lines else ""


def write_report(records: list[dict[str, Any]], mach: dict[str, Any]) -> Path:
    """``results/report.html`` and ``results/summary.md`` from the suite records."""
    date = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>symnb benchmarks "
             f"{date}</title><style>body{{font-family:sans-serif;max-width:1100px;margin:auto}}"
             f"pre{{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}}"
             f"td,th{{padding:2px 10px;text-align:left}}</style></head><body>",
             f"<h1>symnb benchmarks</h1><p>Report written {html.escape(date)}. "
             "Ratios come from one run on this machine; absolute times on a shared machine "
             "are noisy.</p><h2>Machine</h2><table>"]
    for k, v in mach.items():
        if k != "packages":
            parts.append(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>")
    parts.append("<tr><th>packages</th><td>" + html.escape(", ".join(
        f"{k} {v}" for k, v in mach["packages"].items() if v)) + "</td></tr></table>")
    parts.append("<h2>Suites</h2><table><tr><th>suite</th><th>status</th><th>seconds</th>"
                 "<th>headline</th></tr>")
    for r in records:
        status = "ok" if r["returncode"] == 0 else f"failed ({r['returncode']})"
        parts.append(f"<tr><td><a href='#{r['suite']}'>{r['suite']}</a></td><td>{status}"
                     f"{' (quick)' if r['quick'] else ''}</td><td>{r['seconds']}</td>"
                     f"<td>{html.escape(headline(r))}</td></tr>")
    parts.append("</table>")
    first = True
    for r in records:
        parts.append(f"<h2 id='{r['suite']}'>{r['suite']}</h2><p>started {r['started']}, "
                     f"{r['seconds']} s: <code>{html.escape(' '.join(r['command']))}</code></p>")
        for fig in figures(r):
            # plotly.js once, next to the report (not inlined: the report stays small)
            parts.append(fig.to_html(full_html=False, include_plotlyjs="directory" if first
                                     else False))
            first = False
        parts.append(f"<details open><summary>output</summary><pre>{html.escape(r['stdout'])}"
                     f"</pre></details>")
        if r["returncode"] != 0:
            parts.append(f"<pre>{html.escape(r['stderr'])}</pre>")
    parts.append("</body></html>")
    out = RESULTS / "report.html"
    out.write_text("\n".join(parts))
    if not first:
        from plotly.offline import get_plotlyjs
        js = RESULTS / "plotly.min.js"
        text = get_plotlyjs()
        if not js.exists() or js.read_text() != text:
            js.write_text(text)
    md = [f"# symnb benchmark summary ({date})", "",
          f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory']}, Python "
          f"{mach['python']}. Full report with charts: `benchmarks/results/report.html` "
          "(`make bench`).", "", "| suite | status | seconds | headline |", "|---|---|---|---|"]
    for r in records:
        status = ("ok" if r["returncode"] == 0 else "failed") + (" (quick)" if r["quick"] else "")
        md.append(f"| {r['suite']} | {status} | {r['seconds']} | "
                  f"{headline(r).replace('|', '/')} |")
    (RESULTS / "summary.md").write_text("\n".join(md) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="each suite's quick options")
    ap.add_argument("--only", nargs="*", default=None, help="suite names (e.g. terms rewrite)")
    ap.add_argument("--report-only", action="store_true",
                    help="rebuild report.html/summary.md from results/*.json")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per suite")
    a = ap.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    names = [p.stem for p in suites()]
    if a.only is not None:
        unknown = sorted(set(a.only) - set(names))
        if unknown:
            ap.error(f"unknown suite(s) {', '.join(unknown)}; known: {', '.join(names)}")
    chosen = [p for p in suites() if a.only is None or p.stem in a.only]
    ran = []
    if not a.report_only:
        for p in chosen:
            print(f"[bench] {p.stem} ...", flush=True)
            r = run_suite(p, a.quick, a.timeout)
            print(f"[bench] {p.stem}: {'ok' if r['returncode'] == 0 else 'FAILED'} in "
                  f"{r['seconds']} s — {headline(r)}", flush=True)
            ran.append(r)
    # the report shows every suite's latest record, so a partial rerun updates it in place
    records = [json.loads((RESULTS / f"{p.stem}.json").read_text()) for p in suites()
               if (RESULTS / f"{p.stem}.json").exists()]
    if not records:
        ap.error("no results/*.json yet: run without --report-only first")
    out = write_report(records, machine())
    print(f"[bench] wrote {out.relative_to(HERE.parent)} and "
          f"{(RESULTS / 'summary.md').relative_to(HERE.parent)}")
    return 0 if all(r["returncode"] == 0 for r in ran) else 1


if __name__ == "__main__":
    sys.exit(main())
