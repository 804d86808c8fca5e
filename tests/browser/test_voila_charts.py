"""Honest charts, as a reader sees them (Voila renders outputs with JupyterLab's renderers,
where a plotly figure in a bundle hides its HTML table):

* every plotly bar chart in the dashboards and the tutorials measures from zero (each bar
  trace's value axis is linear and its drawn range includes 0);
* a timing result shows its table and its chart once each: no figure appears twice on a
  page, and each ``BenchResult`` table has exactly one timing chart.

The tutorials run in full here (minutes each on a busy machine); ``TUTORIALS`` lists those
that draw bars or time things."""
from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT, voila_server
from .test_voila_dashboards import _open, _real_errors

pytestmark = pytest.mark.slow

TUTORIALS = ["01-terms-and-the-term-interface.ipynb", "02-rule-rewriting.ipynb",
             "03-egraphs.ipynb", "04-compiling-with-numba.ipynb",
             "05-reaction-networks.ipynb", "06-tracing-a-pde.ipynb",
             "07-krylov-recycling.ipynb", "09-simplification.ipynb"]

# every plotly graph on the page: its title, a signature of its data, and for each bar
# trace the value axis (type and drawn range)
PLOTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const L = gd._fullLayout || {};
  const bars = (gd._fullData || []).filter(t => t.type === 'bar' && t.visible !== false);
  const axes = bars.map(t => {
    const h = t.orientation === 'h';
    const id = h ? t.xaxis : t.yaxis;
    const name = (h ? 'xaxis' : 'yaxis') + id.slice(1);
    const ax = L[name] || {};
    return {trace: t.name || '', axis: name, type: ax.type, range: ax.range || []};
  });
  const title = (L.title && L.title.text) || '';
  const sig = title + '|' + JSON.stringify((gd.data || []).map(t => [t.type, t.x, t.y]));
  return {title, axes, sig};
})"""


@pytest.fixture(scope="module")
def voila_notebooks(tmp_path_factory, browser):
    home = tmp_path_factory.mktemp("voila-charts")
    nb = home / "notebooks"
    nb.mkdir()
    for name in TUTORIALS:
        shutil.copy(ROOT / "notebooks" / name, nb / name)
    shutil.copytree(ROOT / "notebooks" / "dashboards", nb / "dashboards")
    with voila_server(nb, home, extra=["--VoilaExecutor.timeout=600"]) as (base, token):
        yield lambda path: f"{base}/voila/render/{path}?token={token}"


def bar_axis_problems(plots: list) -> list[str]:
    """One line per bar axis that is not linear or whose range leaves out zero."""
    out = []
    for p in plots:
        for a in p["axes"]:
            lo, hi = (min(a["range"]), max(a["range"])) if a["range"] else (None, None)
            if a["type"] != "linear" or lo is None or not lo <= 0 <= hi:
                out.append(f"{p['title']!r}: bars {a['trace']!r} on {a['axis']} "
                           f"({a['type']}, range {a['range']})")
    return out


def repeated_figures(plots: list) -> list[str]:
    seen, out = set(), []
    for p in plots:
        if p["sig"] in seen:
            out.append(p["title"] or p["sig"][:120])
        seen.add(p["sig"])
    return out


def test_bar_axis_checks_catch_log_and_zoomed_axes():
    """The checks themselves: a log axis and a zoomed linear one are caught."""
    plots = [{"title": "t", "sig": "a", "axes": [
        {"trace": "x", "axis": "yaxis", "type": "log", "range": [-6.3, -6.2]},
        {"trace": "y", "axis": "yaxis2", "type": "linear", "range": [590, 650]},
        {"trace": "z", "axis": "yaxis3", "type": "linear", "range": [0, 650]}]},
        {"title": "t", "sig": "a", "axes": []}]
    assert len(bar_axis_problems(plots)) == 2 and repeated_figures(plots) == ["t"]


def settled_plots(page, timeout_s: float = 90.0) -> list:
    """The plots once the page has stopped changing them (an Output widget that is cleared
    and refilled can hold the old and the new views together for a moment)."""
    import time
    last, t0 = None, time.time()
    while time.time() - t0 < timeout_s:
        page.wait_for_timeout(1500)
        now = page.evaluate(PLOTS)
        if last is not None and [p["sig"] for p in now] == [p["sig"] for p in last]:
            return now
        last = now
    return last or []


def _wait_rendered(page) -> None:
    """Voila has run every cell: its cells are on the page and its "Executing i of n"
    spinner (``#loading``) is gone."""
    page.wait_for_function(
        "() => !!document.body && !!document.querySelector('.jp-Cell') && "
        "document.readyState === 'complete' && !document.getElementById('loading')",
        timeout=900_000)


@pytest.mark.parametrize("name", TUTORIALS)
def test_tutorial_charts(voila_notebooks, browser, name):
    page, errors, offline = _open(browser, voila_notebooks(name))
    _wait_rendered(page)
    assert "Traceback" not in page.locator("body").inner_text()
    plots = settled_plots(page)
    assert bar_axis_problems(plots) == []
    assert repeated_figures(plots) == []
    timing = [p for p in plots if p["title"].startswith("time per call")]
    assert page.locator("table.symnb-bench").count() == len(timing), [p["title"] for p in plots]
    print(f"\n{name}: {len(plots)} plotly figures, {len(timing)} timing results; "
          f"off-machine requests refused: {len(offline)}")
    page.close()


def test_benchmark_explorer_bars_start_at_zero(voila_notebooks, browser):
    page, errors, offline = _open(browser, voila_notebooks("dashboards/benchmark-explorer.ipynb"))
    select = page.locator(".widget-dropdown select").first
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0",
                           timeout=300_000)
    checked = 0
    for suite in select.locator("option").all_text_contents():
        select.select_option(suite)
        page.wait_for_function(
            "s => [...document.querySelectorAll('.js-plotly-plot .gtitle')]"
            ".every(e => e.textContent.startsWith(s + ':') || e.textContent.startsWith(s + ' '))"
            " || document.body.innerText.includes('nothing to chart')", arg=suite,
            timeout=120_000)
        plots = settled_plots(page)
        assert bar_axis_problems(plots) == [], suite
        assert repeated_figures(plots) == [], suite
        titles = " ".join(p["title"] for p in plots)
        assert "ratio_" not in titles and "_over_" not in titles, titles
        checked += sum(len(p["axes"]) for p in plots)
    assert checked > 0, "no bar chart was checked"
    assert _real_errors(errors, offline) == [], errors
    page.close()


def test_expression_explorer_timing_shown_once(voila_notebooks, browser):
    page, errors, offline = _open(browser, voila_notebooks("dashboards/expression-explorer.ipynb"))
    page.get_by_role("tab", name="compiled speed").click(timeout=300_000)
    page.locator("table.symnb-bench").first.wait_for(timeout=300_000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0",
                           timeout=120_000)
    plots = settled_plots(page)
    assert page.locator("table.symnb-bench").count() == 1
    assert [p["title"][:13] for p in plots] == ["time per call"], plots
    assert bar_axis_problems(plots) == [] and repeated_figures(plots) == []
    bar_text = page.locator(".js-plotly-plot .bartext").all_text_contents()
    assert any("faster than sympy.lambdify" in t or "slower than sympy.lambdify" in t
               for t in bar_text), bar_text
    assert _real_errors(errors, offline) == [], errors
    page.close()
