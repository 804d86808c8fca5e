# %% [markdown]
# # symnb · benchmark explorer
# The figures `make bench` wrote (`benchmarks/results/SUITE.json`): pick a results folder
# and a suite to see when and where it ran, its figures (ratios first, with the targets the
# suite states) and its anchors — symnb next to sympy, symengine, lambdify, scipy or
# hand-written numba — side by side: bars of time on axes from zero, one panel per case,
# each bar labelled with its time and how it compares with one named baseline ("symnb:
# 9.8× faster than sympy"); then the suite's speed-ups, one chart per question ("symnb
# against sympy"), read in one direction (× faster than the baseline, log scale). Reading
# a folder and drawing a suite each run under a budget of 10 s (`symnb.display.budget`):
# past it the dashboard says "stopped after 10 s: …" and answers the next choice at once.

# %%
import json
import tempfile
import time
from pathlib import Path

import ipywidgets as W
from IPython.display import HTML, display

from symnb.bench.results import ResultsError, find_results_folder, load_results
from symnb import config
from symnb.display.budget import run_within
from symnb.display.ready import in_voila, on_first_view

DEFAULT = find_results_folder()          # benchmarks/results above the working directory
REPO = DEFAULT.parents[1] if DEFAULT is not None else None
BUDGET_S = config.dashboard_seconds  # one interaction's wall-clock budget (SYMNB_BUDGET_SECONDS)

folder = W.Text(value=str(DEFAULT) if DEFAULT else "benchmarks/results",
                description="results folder", style={"description_width": "initial"},
                layout=W.Layout(width="70%"), continuous_update=False)
load_button = W.Button(description="Load", button_style="primary")
suite = W.Dropdown(options=[], description="suite")
message, note, header = W.HTML(), W.HTML(), W.HTML()
out_table, out_charts = W.Output(), W.Output()
state: dict = {}


def warn(widget: W.HTML, msg: str) -> None:
    widget.value = f"<span style='color:#b00020'>⚠ {msg}</span>"


def resolve(text: str) -> Path:
    """The folder typed in: absolute, or relative to here, else to the repository."""
    p = Path(text).expanduser()
    if not p.is_absolute() and not p.exists() and REPO is not None and (REPO / p).exists():
        return REPO / p
    return p


def clear_view() -> None:
    note.value = header.value = ""
    out_table.clear_output()
    out_charts.clear_output()
    state.pop("suite", None)
    state.pop("charts", None)


def load(*_) -> None:
    clear_view()
    state.clear()
    state["loading"] = True        # options change below: show() once, at the end
    try:
        suite.options = []
        text = folder.value.strip()
        if not text:
            return warn(message, "type a results folder, e.g. benchmarks/results")
        # read in a worker thread, stopped at the budget
        got = run_within(load_results, resolve(text), what=f"reading {text}", seconds=BUDGET_S)
        if isinstance(got.error, ResultsError):
            return warn(message, str(got.error))
        if not got.ok:
            return warn(message, got.message)
        res = got.value
        if not res.suites:
            return warn(message, "no readable suite: " + "; ".join(res.problems))
        state["results"] = res
        suite.options = list(res.suites)
        suite.value = "terms" if "terms" in res.suites else suite.options[0]
    finally:
        state.pop("loading", None)
    if res.problems:
        warn(message, f"{len(res.suites)} suite(s) read; skipped " + "; ".join(res.problems))
    else:
        message.value = (f"{len(res.suites)} suite(s) in <code>{res.folder}</code>"
                         + (f" · report of {res.date}" if res.date else ""))
    show()


def work_out(s) -> dict:
    """What the page shows of suite ``s``: its figures, table, targets and charts (worked
    out in a worker thread; shown afterwards)."""
    figs = s.figures()
    try:
        charts, problem = s.charts(), ""
    except Exception as err:        # figures of an unforeseen shape: the table still shows
        charts, problem = [], f"{s.name}: cannot chart its figures ({str(err).splitlines()[0][:120]})"
    return {"table": s.table_html() if figs else "", "targets": s.targets(), "charts": charts,
            "problem": problem, "settings": s.settings(), "header": s.header()}


def show(*_) -> None:
    if state.get("loading"):
        return
    clear_view()
    res = state.get("results")
    if res is None or suite.value not in res.suites:
        return
    s = res.suites[suite.value]
    got = run_within(work_out, s, what=f"drawing suite {s.name}", seconds=BUDGET_S)
    if not got.ok:
        return warn(note, got.message)
    w = got.value
    state["suite"] = s.name
    if s.warnings:
        warn(note, "; ".join(s.warnings))
    lines = [f"<b>{s.name}</b> · {w['header'] or 'no run details in the record'}"]
    if res.machine:
        lines.append(f"machine: {res.machine}" + (f" (report {res.date})" if res.date else ""))
    facts = {k: v for k, v in w["settings"].items() if len(v) <= 60}
    if facts:
        lines.append(" · ".join(f"{k} = {v}" for k, v in facts.items()))
    header.value = "<br>".join(lines)
    with out_table:
        if w["table"]:
            display(HTML(w["table"]))
        else:
            print("no numeric figures in this suite's record")
        if w["targets"]:
            display(HTML("<p><b>targets stated by the suite</b></p><pre style='font-size:12px'>"
                         + "\n".join(t.replace("&", "&amp;").replace("<", "&lt;")
                                     for t in w["targets"]) + "</pre>"))
    if w["problem"]:
        warn(note, w["problem"])
    state["charts"] = w["charts"]
    with out_charts:
        for fig in w["charts"]:
            display(fig)
        if not w["charts"]:
            print("nothing to chart: no anchors side by side and no ratios")


load_button.on_click(load)
folder.observe(load, names="value")
suite.observe(show, names="value")
display(W.VBox([W.HBox([folder, load_button]), message, suite, note, header,
                W.Tab(children=[out_charts, out_table], titles=("charts", "figures")),
                on_first_view(load)]))   # first load once the page shows the widgets
# %%
# self-check (runs under nbval; shows nothing): a malformed file and a suite with unexpected
# keys give messages while the good suite loads; a missing or empty folder gives a message;
# the default folder works again afterwards
# (Voila viewers skip it: it would only slow the page down)
if not in_voila():
    _tmp = Path(tempfile.mkdtemp(prefix="symnb-bench-check-"))
    (_tmp / "alpha.json").write_text(json.dumps({
        "suite": "alpha", "started": "2026-01-02T03:04:05+00:00", "seconds": 2.5, "quick": True,
        "returncode": 0, "stdout": "geomean 3.00x (target >= 2)\n",
        "data": {"cases": [{"case": "a", "symnb": 0.01, "sympy": 0.04, "sympy_over_symnb": 4.0},
                           {"case": "b", "symnb": 0.02, "sympy": 0.04, "sympy_over_symnb": 2.0}],
                 "geomean_ratio": 3.0, "scipy_solve_s": 0.3, "symnb_solve_s": 0.1}}))
    (_tmp / "broken.json").write_text('{"suite": "broken", "data": {"x": [1, 2')
    (_tmp / "odd.json").write_text(json.dumps({"foo": 1.5, "bar_s": 0.25}))
    folder.value = str(_tmp)
    assert "broken.json: not valid JSON" in message.value, message.value
    assert suite.options == ("alpha", "odd") and state["suite"] == "alpha", suite.options
    assert "quick options" in header.value and "⚠" not in note.value, (header.value, note.value)
    assert len(state["charts"]) == 3, state["charts"]      # cases, *_solve_s, speed-ups
    _solve, _cases, _speed = state["charts"]
    assert _cases.layout.yaxis.rangemode == "tozero" and _cases.layout.yaxis2.rangemode == "tozero"
    assert list(_cases.data[0].text)[0] == "10 ms<br>symnb: 4× faster than sympy", _cases.data[0].text
    assert _speed.layout.title.text == "alpha: symnb against sympy", _speed.layout.title.text
    assert list(_speed.data[0].y) == ["a", "b"] and list(_speed.data[0].x) == [4.0, 2.0]
    suite.value = "odd"
    assert "unexpected keys" in note.value and state["suite"] == "odd", note.value
    folder.value = str(_tmp / "missing")
    assert "no such folder" in message.value and suite.options == () and "results" not in state
    (_tmp / "empty").mkdir()
    folder.value = str(_tmp / "empty")
    assert "no benchmark results" in message.value, message.value
    def _slow_load(path):                  # a folder that takes longer than the budget
        time.sleep(5)
    _keep, load_results, BUDGET_S = load_results, _slow_load, 0.2
    folder.value = str(_tmp)
    assert message.value.endswith(f"stopped after 0.2 s: reading {_tmp}</span>"), message.value
    load_results, BUDGET_S = _keep, config.dashboard_seconds
    folder.value = str(DEFAULT) if DEFAULT else "benchmarks/results"
    if DEFAULT is not None:
        assert "⚠" not in message.value and state["suite"] in suite.options, message.value
