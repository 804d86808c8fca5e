"""symnb.bench.results: reading a benchmarks/results folder, figures, targets, charts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from symnb.bench.results import (ResultsError, find_results_folder, kind_of, load_results,
                                 stated_targets)

ROOT = Path(__file__).resolve().parents[2]

RECORD = {
    "suite": "terms", "command": ["python", "terms.py", "--json", "/x/terms.data.json"],
    "quick": False, "started": "2026-11-28T13:17:31+00:00", "seconds": 52.3, "returncode": 0,
    "stdout": ("geometric mean: symnb is 157.7x faster than sympy (target >= 30, each >= 10); "
               "7.65x the time of symengine (target <= 10)\n"
               "diff_nested_30 on symnb: 0.0021 s (target < 0.1 s)\n"
               "200-term sum: 1.11 ms with a match (target < 50 ms)\n"),
    "stderr": "",
    "data": {"cases": [{"case": "expand15", "symnb": 0.035, "sympy": 0.92, "symengine": 0.0048,
                        "sympy_over_symnb": 26.0},
                       {"case": "subs_150", "symnb": 0.015, "sympy": 3.07, "symengine": 0.0011,
                        "sympy_over_symnb": 200.7}],
             "geomean_sympy_over_symnb": 157.74, "geomean_symnb_over_symengine": 7.649,
             "diff_nested_30_s": 0.002132, "ac_200_s": 0.0011137, "numba": "0.68.1",
             "floor_symnb_s": 0.0015, "floor_sympy_s": 0.0023, "floor_symengine_s": 0.0038,
             "per_repeat_ratio": [1.75, 1.89, 2.66]},
}


def write(folder: Path, name: str, obj) -> None:
    (folder / name).write_text(obj if isinstance(obj, str) else json.dumps(obj))


@pytest.fixture
def folder(tmp_path):
    write(tmp_path, "terms.json", RECORD)
    write(tmp_path, "broken.json", '{"suite": "broken", "data": {"x": [1, 2')
    write(tmp_path, "list.json", [1, 2, 3])
    write(tmp_path, "odd.json", {"foo": 1.5, "bar_s": 0.25})
    write(tmp_path, "failed.json", {"suite": "ode", "returncode": 1, "stdout": "",
                                    "stderr": "Traceback\nImportError: no sundials",
                                    "data": None})
    write(tmp_path, "terms.data.json", {"leftover": 1})      # a suite's raw output: skipped
    (tmp_path / "summary.md").write_text(
        "# symnb benchmark summary (2026-11-28 13:18 UTC)\n\nMachine: AMD EPYC, 2 cores, "
        "23.5 GiB, Python 3.11.7. Full report with charts: `benchmarks/results/report.html`"
        " (`make bench`).\n")
    return tmp_path


def test_load_reads_good_files_and_reports_bad_ones(folder):
    res = load_results(folder)
    assert sorted(res.suites) == ["odd", "ode", "terms"]
    assert res.problems == ["broken.json: not valid JSON (line 1, column 40)",
                            "list.json: not a benchmark record (a JSON list)"]
    assert res.machine == "AMD EPYC, 2 cores, 23.5 GiB, Python 3.11.7"
    assert res.date == "2026-11-28 13:18 UTC"
    assert res.suites["odd"].warnings == [
        "odd: unexpected keys (foo, bar_s; no 'data'): showing the numbers found in it"]
    assert [f.name for f in res.suites["odd"].figures()] == ["bar_s", "foo"]
    ode = res.suites["ode"]
    assert ode.warnings == ["ode: the suite wrote no figures (no --json data)",
                            "ode: the suite failed (1): ImportError: no sundials"]
    assert ode.figures() == [] and ode.charts() == []
    assert "terms" in repr(res) and "broken.json" in res._repr_html_()


@pytest.mark.parametrize("make, msg", [
    (lambda p: p / "nope", "no such folder"),
    (lambda p: (p / "f.txt").write_text("x") and p / "f.txt", "not a folder"),
    (lambda p: p, "no benchmark results"),
])
def test_load_refuses_folders_without_results(tmp_path, make, msg):
    with pytest.raises(ResultsError, match=msg):
        load_results(make(tmp_path))


def test_figures_ratios_first_with_their_targets(folder):
    s = load_results(folder).suites["terms"]
    figs = s.figures()
    kinds = [f.kind for f in figs]
    assert kinds == sorted(kinds, key=["ratio", "time", "value"].index)
    by = {f.name: f for f in figs}
    assert by["geomean_sympy_over_symnb"].target == ">= 30, each >= 10"
    assert by["geomean_symnb_over_symengine"].target == "<= 10"
    assert by["diff_nested_30_s"].target == "< 0.1 s"
    assert by["ac_200_s"].target == "< 50 ms"                  # 1.11 ms is 0.0011137 s
    assert by["cases[subs_150].sympy_over_symnb"].target is None
    assert by["cases[expand15].sympy"].kind == "time"
    assert by["ac_200_s"].text() == "1.11 ms"
    assert by["per_repeat_ratio"].text() == "median 1.89× (1.75× – 2.66×, 3 values)"
    assert "numba" not in by and s.settings() == {"numba": "0.68.1"}
    assert s.header() == ("started 2026-11-28 13:17:31 UTC · 52.3 s · full run · ok · "
                          "python terms.py")
    assert len(s.targets()) == 3
    html = s.table_html()
    assert html.index("geomean_sympy_over_symnb") < html.index("diff_nested_30_s")


def test_stated_targets_split_per_clause():
    assert stated_targets("a 2x (target >= 1); b 3.5 ms (target < 5 ms)\nno target here") == [
        ("a 2x", ">= 1"), ("b 3.5 ms", "< 5 ms")]


def test_kind_of():
    assert [kind_of(n) for n in ("x.ratio_a_c", "trace_overhead", "load_s", "sympy", "nnz")] \
        == ["ratio", "ratio", "time", "time", "value"]


def test_comparisons_and_charts(folder):
    s = load_results(folder).suites["terms"]
    cmp = s.comparisons()
    assert [c.title for c in cmp] == ["terms · floor: time", "terms: cases: time per case"]
    floor, cases = cmp
    # the baseline is the other system, never symnb: the ratio sits on symnb's bar
    assert cases.labels == ["expand15", "subs_150"] and cases.baseline == "sympy"
    assert list(cases.series) == ["symnb", "sympy", "symengine"]     # ratios not drawn as times
    assert cases.bar_labels("symnb") == ["35 ms · symnb: 26.3× faster than sympy",
                                         "15 ms · symnb: 205× faster than sympy"]
    assert cases.bar_labels("sympy") == ["920 ms · baseline", "3.07 s · baseline"]
    assert floor.series == {"symnb": [0.0015], "sympy": [0.0023], "symengine": [0.0038]}
    figs = s.charts()
    assert [f.layout.title.text for f in figs] == [
        "terms · floor: time (baseline sympy)", "terms: cases: time per case (baseline sympy)",
        "terms: symnb against sympy", "terms: symnb against symengine"]
    # one panel per case, each a linear time axis from zero
    bars = figs[1].data
    assert len(bars) == 2 and list(bars[0].x) == ["symnb", "sympy", "symengine"]
    for ax in ("yaxis", "yaxis2"):
        assert figs[1].layout[ax].rangemode == "tozero" and figs[1].layout[ax].type == "linear"
    assert list(bars[1].y) == pytest.approx([0.015, 3.07, 0.0011])     # subs_150, in s
    assert list(bars[0].y) == pytest.approx([35, 920, 4.8])            # expand15, in ms
    # speed-ups: one direction (symnb's), human labels, targets on hover
    sympy = figs[2].data[0]
    assert list(sympy.y) == ["expand15", "subs 150", "geometric mean"]
    assert list(sympy.x) == pytest.approx([26.0, 200.7, 157.74])
    assert figs[2].layout.xaxis.type == "log"
    assert figs[2].layout.xaxis.title.text.startswith("× faster than sympy")
    symengine = figs[3].data[0]
    assert list(symengine.x) == pytest.approx([1 / 7.649])           # symnb_over_symengine, read back
    assert list(symengine.customdata[0][:2]) == ["7.65× slower than symengine", "<= 10"]


def test_no_raw_keys_in_chart_labels():
    """Every committed suite's charts: no dotted figure path or ``ratio_`` key as a label."""
    res = load_results(find_results_folder(ROOT))
    for s in res.suites.values():
        for fig in s.charts():
            words = [fig.layout.title.text] + [str(v) for tr in fig.data for v in
                                               (list(tr.x or []) + list(tr.y or [])
                                                if tr.type == "scatter" else list(tr.x or []))]
            for w in words:
                assert "ratio_" not in w and "_over_" not in w and ".ratio" not in w, (s.name, w)


def test_committed_results_load():
    folder = find_results_folder(ROOT / "notebooks" / "dashboards")
    assert folder == ROOT / "benchmarks" / "results"
    res = load_results(folder)
    assert {"terms", "rewrite"} <= set(res.suites) and res.problems == []
    for s in res.suites.values():
        if s.record.get("data") is None:      # a suite that takes no --json (e.g. solvers)
            assert s.warnings == [f"{s.name}: the suite wrote no figures (no --json data)"]
            assert s.targets()                 # its printed target lines still show
        else:
            assert s.warnings == [] and s.figures()
            assert len(s.charts()) == len(s.comparisons()) + len({sp.baseline for sp, _ in s.speedups()})


def test_find_results_folder_falls_back_to_the_package(tmp_path):
    assert find_results_folder(tmp_path) == ROOT / "benchmarks" / "results"
