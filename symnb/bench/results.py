"""Read a ``benchmarks/results/`` folder (what ``make bench`` writes) into objects.

Each ``SUITE.json`` is one suite's record (command, start, seconds, exit status, stdout and
its ``--json`` figures under ``"data"``).  :func:`load_results` reads every record it can;
a file it cannot read becomes one line in ``Results.problems`` and the others still load.
``SuiteResult.figures()`` flattens the figures (ratios first, each with the target the
suite printed for it), ``SuiteResult.charts()`` draws its anchors side by side.

>>> import json, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rec = {"suite": "demo", "started": "2026-01-02T03:04:05+00:00", "seconds": 1.5,
...        "returncode": 0, "stdout": "symnb/sympy 4.0x (target >= 3)\\n",
...        "data": {"sympy_s": 0.4, "symnb_s": 0.1, "ratio_symnb_sympy": 4.0}}
>>> _ = (d / "demo.json").write_text(json.dumps(rec))
>>> _ = (d / "broken.json").write_text('{"suite": "bro')
>>> res = load_results(d)
>>> list(res.suites), res.problems
(['demo'], ['broken.json: not valid JSON (line 1, column 11)'])
>>> f = res.suites["demo"].figures()[0]
>>> f.name, f.value, f.target
('ratio_symnb_sympy', 4.0, '>= 3')
"""
from __future__ import annotations

import json
import math
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..reprs import RenderedHTML, renderer_of
from .harness import format_seconds
from .speed import bar_label, time_unit, times
from .speedups import Speedup, letter_legend, read_speedup

__all__ = ["Figure", "Results", "ResultsError", "SuiteResult", "find_results_folder",
           "load_results"]

#: names of the things suites compare (a token of a figure's name, e.g. ``simplify_sympy_s``)
ANCHORS = ("symnb", "sympy", "symengine", "lambdify", "scipy", "numba", "numpy", "hand",
           "compiled", "cvode", "gmres", "skr", "egglog", "rules", "egraph", "python")
_RATIO_WORDS = ("ratio", "_over_", "speedup", "speed_up", "geomean", "factor", "overhead")
_LABEL_KEYS = ("case", "name", "label", "suite", "size", "n")
_MAX_BYTES = 20_000_000


class ResultsError(ValueError):
    """The folder cannot be read as benchmark results (the message is one line)."""


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def kind_of(name: str) -> str:
    """``"ratio"``, ``"time"`` (seconds) or ``"value"`` from a figure's name."""
    n = name.lower().rsplit(".", 1)[-1]
    if any(w in n for w in _RATIO_WORDS):
        return "ratio"
    if n.endswith("_s") or n.endswith("seconds") or n in ("s", "time") or n in ANCHORS:
        return "time"       # a bare anchor name (``{"case": .., "sympy": 0.09}``) is its time
    return "value"


@dataclass
class Figure:
    """One number (or list of numbers) of a suite, by its dotted path in the figures."""
    name: str
    value: float | list[float]
    kind: str
    target: str | None = None

    def text(self) -> str:
        """The value for a table: times with units, ratios with ×, lists as a median."""
        def one(v: float) -> str:
            if self.kind == "time":
                return format_seconds(v)
            if self.kind == "ratio":
                return f"{v:.3g}×"
            return f"{v:.6g}"
        if isinstance(self.value, list):
            lo, hi = min(self.value), max(self.value)
            return (f"median {one(statistics.median(self.value))} "
                    f"({one(lo)} – {one(hi)}, {len(self.value)} values)")
        return one(self.value)


def _walk(data: Any, path: str, out: list[Figure]) -> None:
    if isinstance(data, dict):
        for k, v in data.items():
            _walk(v, f"{path}.{k}" if path else str(k), out)
    elif _is_num(data):
        out.append(Figure(path or "value", float(data), kind_of(path)))
    elif isinstance(data, list) and data and all(_is_num(v) for v in data):
        out.append(Figure(path, [float(v) for v in data], kind_of(path)))
    elif isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        key = next((k for k in _LABEL_KEYS if all(k in r for r in data)), None)
        for i, r in enumerate(data):
            label = str(r[key]) if key else str(i)
            _walk({k: v for k, v in r.items() if k != key}, f"{path}[{label}]", out)


_TARGET = re.compile(r"\(target\s+([^)]*)\)")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(ms|µs|us|ns|s|x|×)?(?![\w.])")
_TIME_TARGET = re.compile(r"\d\s*(ms|µs|us|ns|s)\b")
_SCALE = {"ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}


def stated_targets(stdout: str) -> list[tuple[str, str]]:
    """``(text before it, target)`` for every ``(target ...)`` a suite printed."""
    found = []
    for line in stdout.splitlines():
        start = 0
        for m in _TARGET.finditer(line):
            seg = line[start:m.start()]
            seg = seg[seg.rfind(";") + 1:] if ";" in seg else seg
            found.append((seg.strip(), m.group(1).strip()))
            start = m.end()
    return found


def _attach_targets(figs: list[Figure], stdout: str) -> None:
    """Give a ratio or time the target printed right after its own (rounded) value."""
    for seg, target in stated_targets(stdout):
        target_is_time = bool(_TIME_TARGET.search(target))
        for m in _NUMBER.finditer(seg):
            txt, unit = m.group(1), m.group(2) or ""
            decimals = len(txt.split(".")[1]) if "." in txt else 0
            scale = _SCALE.get(unit, 1.0)
            for f in figs:
                timed = unit in _SCALE or unit == "s"
                if timed != target_is_time:
                    continue
                if f.target is None and not isinstance(f.value, list) \
                        and f.kind == ("time" if timed else "ratio"):
                    v = f.value / scale
                    if (decimals or v >= 10) and round(v, decimals) == float(txt):
                        f.target = target


@dataclass
class Comparison:
    """Anchors side by side: ``series[anchor][i]`` is the time for ``labels[i]``;
    ``baseline`` is the anchor the others are compared with (not symnb's own)."""
    title: str
    labels: list[str]
    series: dict[str, list[float]]
    baseline: str

    def bar_labels(self, name: str) -> list[str]:
        """The text on ``name``'s bars: its time and, unless it is the baseline, how it
        compares (``"9.6 ms · symnb: 9.77× faster than sympy"``)."""
        ref = self.series[self.baseline]
        return [bar_label(v, r, name, self.baseline) for v, r in zip(self.series[name], ref)]


class SuiteResult(RenderedHTML):
    """One suite's record: ``header()``, ``figures()``, ``comparisons()``, ``charts()``."""

    def __init__(self, name: str, record: dict, path: Path | None = None) -> None:
        self.name, self.record, self.path = name, record, path
        self.warnings: list[str] = []
        if "data" in record:
            self.data = record["data"]
            if self.data is None:
                self.warnings.append(f"{name}: the suite wrote no figures (no --json data)")
        else:
            self.data = record
            keys = ", ".join(list(map(str, record))[:8])
            self.warnings.append(f"{name}: unexpected keys ({keys}; no 'data'): showing "
                                 "the numbers found in it")
        rc = record.get("returncode", 0)
        if rc != 0:
            err = str(record.get("stderr") or "").strip().splitlines()
            self.warnings.append(f"{name}: the suite failed ({rc})" +
                                 (f": {err[-1][:160]}" if err else ""))

    def header(self) -> str:
        """When and how it ran, in one line (the parts the record has)."""
        r = self.record
        parts = []
        if isinstance(r.get("started"), str):
            parts.append("started " + r["started"].replace("T", " ").replace("+00:00", " UTC"))
        if _is_num(r.get("seconds")):
            parts.append(f"{r['seconds']:g} s")
        if "quick" in r:
            parts.append("quick options" if r["quick"] else "full run")
        if "returncode" in r:
            parts.append("ok" if r["returncode"] == 0 else f"failed ({r['returncode']})")
        if isinstance(r.get("command"), list):
            parts.append(" ".join(map(str, r["command"][:2])))
        return " · ".join(parts)

    def settings(self) -> dict[str, str]:
        """Top-level non-numeric facts of the figures (versions, thread settings...)."""
        if not isinstance(self.data, dict):
            return {}
        return {str(k): str(v) for k, v in self.data.items()
                if isinstance(v, (str, bool)) or v is None}

    def figures(self) -> list[Figure]:
        """Every number in the figures, ratios first, then times, then the rest."""
        figs: list[Figure] = []
        _walk(self.data, "", figs)
        _attach_targets(figs, str(self.record.get("stdout") or ""))
        order = {"ratio": 0, "time": 1, "value": 2}
        return sorted(figs, key=lambda f: order[f.kind])

    def targets(self) -> list[str]:
        """The lines of the suite's output that state a target."""
        out = str(self.record.get("stdout") or "")
        return [l.strip() for l in out.splitlines() if _TARGET.search(l)]

    def comparisons(self) -> list[Comparison]:
        """Times of the anchors side by side: tables of records (one bar group per case)
        and, in each dict, the times whose names differ only in the anchor."""
        out: list[Comparison] = []
        self._compare(self.data, "", out)
        return out

    def _compare(self, data: Any, path: str, out: list[Comparison]) -> None:
        title = f"{self.name}: {_human(path)}" if path else self.name
        if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
            key = next((k for k in _LABEL_KEYS if all(k in r for r in data)), None)
            labels = [str(r[key]) if key else str(i) for i, r in enumerate(data)]
            cols = {k: [float(r[k]) for r in data] for k in data[0]
                    if k != key and kind_of(k) != "ratio"
                    and all(_is_num(r.get(k)) and r.get(k) > 0 for r in data)}
            if len(cols) >= 2:
                out.append(Comparison(f"{title}: time per case", labels, cols,
                                      _baseline(list(cols))))
            return
        if not isinstance(data, dict):
            return
        groups: dict[str, dict[str, float]] = {}
        for k, v in data.items():
            if not (_is_num(v) and v > 0 and kind_of(str(k)) == "time"):
                continue
            toks = str(k).split("_")
            i = next((j for j, t in enumerate(toks) if t.lower() in ANCHORS), None)
            if i is None:
                continue
            pattern = "_".join(toks[:i] + ["*"] + toks[i + 1:])
            groups.setdefault(pattern, {})[toks[i]] = float(v)
        for pattern, g in groups.items():
            if len(g) >= 2:
                what = _human(" ".join(t for t in pattern.split("_") if t not in ("*", "s")))
                out.append(Comparison(f"{title} · {what}: time", [what],
                                      {a: [t] for a, t in g.items()}, _baseline(list(g))))
        for k, v in data.items():
            if isinstance(v, (dict, list)):
                self._compare(v, f"{path}.{k}" if path else str(k), out)

    def speedups(self) -> list[tuple[Speedup, "Figure"]]:
        """The ratio figures whose names say which way they read, as speed-ups (the
        others stay in the figures table)."""
        legend = letter_legend(str(self.record.get("stdout") or ""))
        out = []
        for f in self.figures():
            if f.kind == "ratio" and not isinstance(f.value, list):
                sp = read_speedup(f.name, f.value, legend)
                if sp is not None:
                    out.append((sp, f))
        return out

    def charts(self) -> list[Any]:
        """Plotly figures: per comparison, bars of the times on linear axes from zero
        (one panel per case), each labelled with its time and its speed against one
        named baseline; then, one figure per question ("symnb against sympy"), the
        speed-ups as dots on a log axis around 1× with the stated targets on hover."""
        figs = [_comparison_figure(c) for c in self.comparisons()]
        groups: dict[str, list[tuple[Speedup, Figure]]] = {}
        for sp, f in self.speedups():              # one question per baseline
            groups.setdefault(sp.baseline, []).append((sp, f))
        for items in groups.values():
            figs.append(_speedup_figure(self.name, items))
        return figs

    def table_html(self) -> str:
        """The figures as an HTML table (ratios first, with their targets); drawn by
        ``symnb.display.bench``."""
        return renderer_of(self, "table_html")(self)

    def __repr__(self) -> str:
        return f"SuiteResult({self.name!r}, {len(self.figures())} figures; {self.header()})"


def _baseline(names: list[str]) -> str:
    """The anchor others are compared with: the first that is not symnb's own."""
    ours = ("symnb", "compiled")
    return next((n for n in names if not n.lower().startswith(ours)), names[0])


def _human(text: str) -> str:
    """``rd_N16`` -> ``rd N16``; ``cases`` -> ``cases`` (underscores become spaces)."""
    return text.replace("_", " ").replace("  ", " ").strip()


#: one colour per anchor, the same in every chart
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")


def _comparison_figure(c: Comparison) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots
    n = len(c.labels)
    fig = make_subplots(rows=1, cols=n, subplot_titles=c.labels if n > 1 else None,
                        horizontal_spacing=0.08 if n > 1 else 0.2)
    anchors = list(c.series)
    for j, label in enumerate(c.labels):
        vals = [c.series[a][j] for a in anchors]
        unit, scale = time_unit(vals)
        base = c.series[c.baseline][j]
        text = [bar_label(v, base, a, c.baseline).replace(" · ", "<br>", 1)
                for a, v in zip(anchors, vals)]
        fig.add_trace(go.Bar(x=anchors, y=[v / scale for v in vals], text=text,
                             textposition="outside", cliponaxis=False, showlegend=False,
                             marker_color=[_PALETTE[i % len(_PALETTE)] for i in range(len(anchors))],
                             hovertemplate="%{x}<br>%{text}<extra></extra>"), row=1, col=j + 1)
        fig.update_yaxes(title_text=unit if n > 1 else f"time ({unit})", rangemode="tozero",
                         type="linear", row=1, col=j + 1)
    fig.update_layout(title=f"{c.title} (baseline {c.baseline})", template="plotly_white",
                      height=420, bargap=0.35, margin=dict(t=90, b=40, l=60, r=20),
                      uniformtext=dict(minsize=9, mode="show"))
    return fig


def _speedup_figure(suite: str, items: list[tuple[Speedup, Figure]]) -> Any:
    import plotly.graph_objects as go
    sp0 = items[0][0]
    one = len({sp.subject for sp, _ in items}) == 1
    title = f"{suite}: {sp0.question() if one else 'against ' + sp0.baseline}"
    subject = sp0.subject if one else "the first"
    x = [sp.value for sp, _ in items]
    fig = go.Figure(go.Scatter(
        x=x, y=[sp.label() if one else f"{sp.subject} · {sp.label()}" for sp, _ in items],
        mode="markers+text",
        marker=dict(size=11, color=["#009E73" if v >= 1 else "#D55E00" for v in x]),
        text=[f"{times(v)}" if v >= 1 else f"1/{times(1 / v)}" for v in x],
        textposition="middle right", cliponaxis=False,
        customdata=[[sp.text(), f.target or "none stated", f.name] for sp, f in items],
        hovertemplate="%{y}: %{customdata[0]}<br>target %{customdata[1]}<br>"
                      "figure %{customdata[2]}<extra></extra>"))
    lo, hi = min(x + [1.0]), max(x + [1.0])
    fig.add_vline(x=1.0, line_dash="dot", line_color="#777",
                  annotation_text="same speed", annotation_position="top")
    fig.update_layout(title=title, template="plotly_white",
                      height=max(220, 90 + 34 * len(items)),
                      margin=dict(t=70, b=50, l=160, r=60),
                      xaxis=dict(type="log", title=f"× faster than {sp0.baseline} (log scale; "
                                 f"> 1: {subject} is faster)",
                                 range=[math.log10(lo) - 0.3, math.log10(hi) + 0.4]),
                      yaxis=dict(autorange="reversed"))
    return fig


class Results(RenderedHTML):
    """The suites of one results folder, the problems met reading it, and the machine
    line of its ``summary.md`` when there is one."""

    def __init__(self, folder: Path, suites: dict[str, SuiteResult], problems: list[str],
                 machine: str | None = None, date: str | None = None) -> None:
        self.folder, self.suites, self.problems = folder, suites, problems
        self.machine, self.date = machine, date

    def __repr__(self) -> str:
        return (f"Results({str(self.folder)!r}, suites {', '.join(self.suites) or 'none'}; "
                f"{len(self.problems)} problem(s))")


def _summary(folder: Path) -> tuple[str | None, str | None]:
    """(machine, date) from ``summary.md`` written by ``benchmarks/report.py``."""
    try:
        text = (folder / "summary.md").read_text(errors="replace")[:20_000]
    except OSError:
        return None, None
    machine = date = None
    m = re.search(r"^#.*\(([^)]*)\)\s*$", text, re.M)
    if m:
        date = m.group(1)
    m = re.search(r"^Machine:\s*(.*?)(?:\.\s+Full report.*)?$", text, re.M)
    if m:
        machine = m.group(1).strip().rstrip(".")
    return machine, date


def load_results(folder: str | Path) -> Results:
    """Every ``*.json`` record in ``folder`` (``*.data.json`` leftovers skipped).

    Raises :class:`ResultsError` when the folder is missing or holds no JSON; a file that
    cannot be read or is not a record is one line in ``Results.problems``."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise ResultsError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise ResultsError(f"not a folder: {folder}")
    files = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".data.json"))
    if not files:
        raise ResultsError(f"no benchmark results (*.json) in {folder}; run: make bench")
    suites: dict[str, SuiteResult] = {}
    problems: list[str] = []
    for p in files:
        try:
            if p.stat().st_size > _MAX_BYTES:
                problems.append(f"{p.name}: too large ({p.stat().st_size:,} bytes)")
                continue
            rec = json.loads(p.read_text())
        except json.JSONDecodeError as err:
            problems.append(f"{p.name}: not valid JSON (line {err.lineno}, column {err.colno})")
            continue
        except (OSError, UnicodeDecodeError) as err:
            problems.append(f"{p.name}: cannot read it ({type(err).__name__})")
            continue
        if not isinstance(rec, dict):
            problems.append(f"{p.name}: not a benchmark record (a JSON {type(rec).__name__})")
            continue
        name = rec.get("suite") if isinstance(rec.get("suite"), str) else p.stem
        suites[name] = SuiteResult(name, rec, p)     # its own doubts: in .warnings
    machine, date = _summary(folder)
    return Results(folder, suites, problems, machine, date)


def find_results_folder(start: str | Path | None = None) -> Path | None:
    """``benchmarks/results`` of the repository: searched upwards from ``start`` (the
    working directory by default), then next to the installed ``symnb`` package."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        cand = d / "benchmarks" / "results"
        if cand.is_dir():
            return cand
    cand = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
    return cand if cand.is_dir() else None
