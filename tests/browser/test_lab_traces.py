"""JupyterLab in headless chromium runs ``%rewrite EXPR --trace`` and ``%egraph EXPR``:
the rewrite-trace stepper shows one step at a time, its step DAGs (``<img>`` SVG data URIs)
load, and the prev/next buttons and the slider change the shown step; the same output saved
in an untrusted notebook still shows every step with its image; the e-graph view draws
e-class clusters that agree with the report's text; no console errors."""
from __future__ import annotations

import json
import re

import pytest

from .conftest import write_notebook
from .lab_notebook import cell, console_errors
from .lab_notebook import open_notebook as _open

pytestmark = pytest.mark.slow

# three rule applications: pythagorean, exp-log, pythagorean (default rules)
TRACE_EXPR = "y*(sin(x)^2 + cos(x)^2) + exp(log(x))*(sin(y)^2 + cos(y)^2)"
EGRAPH_EXPR = "x*y + x*sin(y)"

CELLS = [
    "%load_ext symnb\n%sym x y",                       # 0
    f"%rewrite {TRACE_EXPR} --trace",                  # 1
    f"%egraph {EGRAPH_EXPR}",                          # 2
]



def open_notebook(lab_server, browser, name: str, run: bool = True) -> dict:
    """``lab_notebook.open_notebook``, failing on any error or stderr output."""
    r = _open(lab_server, browser, name, run=run)
    if run:
        st = r["state"]
        assert st["errors"] == [] and st["stderr"] == [] and st["done"], st
    return r


IMAGES_LOADED = """(root) => {
  const imgs = [...root.querySelectorAll('img.symnb-dag-img')];
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);
}"""


def _shown(trace) -> list:
    """Indices (li value) of the step items the stepper currently shows."""
    return trace.evaluate("(t) => [...t.querySelectorAll('li.step')]"
                          ".filter(li => getComputedStyle(li).display !== 'none')"
                          ".map(li => +li.getAttribute('value'))")


def _shown_img_src(trace) -> str:
    return trace.evaluate("(t) => { const li = [...t.querySelectorAll('li.step')]"
                          ".find(li => getComputedStyle(li).display !== 'none');"
                          " const i = li && li.querySelector('img.symnb-dag-img');"
                          " return i && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0"
                          " ? i.src : null; }")


@pytest.fixture(scope="module")
def traces(lab_server, browser):
    write_notebook(lab_server.root / "traces.ipynb", CELLS)
    run = open_notebook(lab_server, browser, "traces.ipynb")
    yield run
    run["page"].close()


def test_trace_stepper_shows_steps_with_loaded_images(traces):
    page = traces["page"]
    trace = cell(page, 1).locator(".symnb-trace")
    trace.wait_for(timeout=30_000)
    assert "3 steps" in trace.inner_text() and "fixpoint" in trace.inner_text()
    assert trace.locator("li.step").count() == 4           # initial + 3 steps
    rules = trace.locator("li.step .rule").all_text_contents()
    assert rules == ["pythagorean", "exp-log", "pythagorean"]
    # every step's DAG is an <img> of an SVG data URI, and each has loaded
    srcs = trace.locator("img.symnb-dag-img").evaluate_all("(l) => l.map(i => i.src)")
    assert len(srcs) == 4 and all(s.startswith("data:image/svg+xml") for s in srcs)
    assert len(set(srcs)) == 4
    page.wait_for_function(IMAGES_LOADED, arg=trace.element_handle(), timeout=15_000)
    # the stepper (switched on by its script) shows the last step only
    ctl = trace.locator(".ctl")
    assert ctl.is_visible()
    assert ctl.locator(".lbl").inner_text() == "step 3 / 3"
    assert _shown(trace) == [3]
    # the result is drawn below by the DAG renderer
    labels = cell(page, 1).locator(".symnb-dag .symnb-node text").all_text_contents()
    assert sorted(labels) == ["+", "x", "y"]


def test_trace_stepper_buttons_and_slider_change_the_step(traces):
    page = traces["page"]
    trace = cell(page, 1).locator(".symnb-trace")
    ctl = trace.locator(".ctl")
    ctl.scroll_into_view_if_needed()
    last = _shown_img_src(trace)
    assert last is not None
    ctl.locator("button.prev").click()
    assert ctl.locator(".lbl").inner_text() == "step 2 / 3"
    assert _shown(trace) == [2]
    assert "exp-log" in trace.locator("li.step[value='2']").inner_text()
    step2 = _shown_img_src(trace)
    assert step2 is not None and step2 != last
    ctl.locator("input[type=range]").fill("0")
    assert ctl.locator(".lbl").inner_text() == "initial / 3"
    assert _shown(trace) == [0]
    assert "initial" in trace.locator("li.step[value='0']").inner_text()
    ctl.locator("button.next").click()
    assert ctl.locator(".lbl").inner_text() == "step 1 / 3"
    assert _shown(trace) == [1]
    ctl.locator("button.prev").click()
    ctl.locator("button.prev").click()     # stays at the first item
    assert _shown(trace) == [0]
    assert _shown_img_src(trace) not in (None, last, step2)


def test_egraph_view_and_report(traces):
    page = traces["page"]
    c = cell(page, 2)
    c.locator(".symnb-eclass").first.wait_for(timeout=30_000)
    report = c.locator(".symnb-egraph-report")
    assert report.count() == 1
    text = report.inner_text()
    m = re.search(r"stopped by (\w+) after (\d+) iteration\(s\); (\d+) e-classes, (\d+) e-nodes",
                  text)
    assert m, text
    assert m.group(1) in ("saturated", "iter_limit", "node_limit", "time_limit")
    n_classes, n_nodes = int(m.group(3)), int(m.group(4))
    assert "ruleset" in text
    rows = report.locator("table tr")
    assert rows.count() == int(m.group(2)) + 2             # header, iteration 0, then one each
    # the e-graph view: one cluster per e-class, the e-nodes inside, extraction marked
    view = c.locator(".symnb-dag").filter(has=page.locator(".symnb-eclass"))
    assert view.count() == 1
    assert view.locator(".symnb-dag-truncated").count() == 0
    assert view.locator(".symnb-eclass").count() == n_classes
    assert view.locator(".symnb-node").count() == n_nodes
    assert view.locator(".symnb-node.chosen").count() >= 1
    assert view.locator(".symnb-eclass-cost").count() >= 1
    assert f"{n_classes} e-classes" in view.locator(".symnb-dag-stats").inner_text()
    # the simplified result comes first, drawn as a DAG: x*(y + sin(y))
    result = c.locator(".symnb-dag").first
    assert result.locator(".symnb-eclass").count() == 0
    assert sorted(result.locator(".symnb-node text").all_text_contents()) == \
        sorted(["×", "x", "+", "y", "sin"])


def test_no_console_errors(traces):
    assert console_errors(traces["console"]) == []


def test_untrusted_saved_trace_still_shows_step_images(lab_server, browser):
    """Outputs written into a notebook file are untrusted when it is opened: the stepper's
    script does not run, but every step and its image (a data URI <img>) still show."""
    import symnb
    from symnb.rewriting import default_rules, rewrite
    _, tr = rewrite(symnb.parse(TRACE_EXPR), default_rules(), trace=True)
    bundle = tr._repr_mimebundle_()
    name = "traces_saved.ipynb"
    path = lab_server.root / name
    write_notebook(path, ["# saved output, not run"])
    nb = json.loads(path.read_text())
    nb["cells"][0]["outputs"] = [{"output_type": "display_data", "metadata": {},
                                  "data": {k: bundle[k] for k in ("text/html", "text/plain")}}]
    path.write_text(json.dumps(nb, indent=1))
    run = open_notebook(lab_server, browser, name, run=False)
    page = run["page"]
    try:
        trace = cell(page, 0).locator(".symnb-trace")
        trace.wait_for(timeout=30_000)
        assert trace.locator("li.step").count() == 4
        assert len(_shown(trace)) == 4                   # no script: the whole list shows
        assert trace.locator("img.symnb-dag-img").count() == 4
        page.wait_for_function(IMAGES_LOADED, arg=trace.element_handle(), timeout=15_000)
        assert console_errors(run["console"]) == []
    finally:
        page.close()
