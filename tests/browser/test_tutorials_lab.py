"""JupyterLab in headless chromium opens tutorials 01 and 03, runs every cell, and the
symnb renderer draws the DAG (01) and the e-graph with its e-class boxes (03); no cell
raises and the page logs no console errors."""
from __future__ import annotations

import shutil
import time

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

# state of the notebook in the current Lab tab, read from the notebook model:
# done = every code cell has run (execution count set) and the kernel is idle;
# errors = "ename: evalue" of every error output
FIND = """(name) => {
  if (!window.jupyterapp) return null;
  for (const w of window.jupyterapp.shell.widgets('main'))
    if (w.context && w.context.path === name && w.content && w.sessionContext) return w;
  return null;
}"""
STATE = """(name) => {
  const w = (""" + FIND + """)(name);
  if (!w || !w.content || !w.content.model || !w.sessionContext) return null;
  const cells = w.content.model.cells, errors = [];
  let pending = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    if (c.executionCount === null || c.executionCount === undefined) pending++;
    for (const o of c.outputs.toJSON())
      if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
  }
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const idle = !!k && k.status === 'idle';
  return {done: pending === 0 && idle, pending, errors, status: k ? k.status : 'none'};
}"""

KERNEL_READY = ("(name) => { const w = (" + FIND + ")(name);"
                " return !!(w && w.sessionContext.session &&"
                " w.sessionContext.session.kernel &&"
                " w.sessionContext.session.kernel.connectionStatus === 'connected' &&"
                " w.sessionContext.session.kernel.status === 'idle'); }")


def _run_tutorial(lab_server, browser, name: str) -> dict:
    shutil.copy(ROOT / "notebooks" / name, lab_server.root / name)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    console: list = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    # a workspace of its own (reset), so Lab does not restore other tests' notebooks
    ws = name.split("-")[0]
    page.goto(lab_server.url(f"/lab/workspaces/tut{ws}/tree/{name}?reset"), timeout=120_000)
    page.wait_for_function(KERNEL_READY, arg=name, timeout=120_000)
    t0 = time.perf_counter()
    page.evaluate("(name) => { const w = (" + FIND + ")(name);"
                  " window.jupyterapp.shell.activateById(w.id);"
                  " window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }",
                  name)
    # stop early on the first error output (run-all stops there too)
    from playwright.sync_api import TimeoutError as PwTimeout
    try:
        page.wait_for_function(f"(name) => {{ const s = ({STATE})(name);"
                               " return !!s && (s.done || s.errors.length > 0); }",
                               arg=name, timeout=150_000, polling=500)
    except PwTimeout:
        pytest.fail(f"{name} did not finish in Lab: {page.evaluate(STATE, name)}")
    wall = time.perf_counter() - t0
    state = page.evaluate(STATE, name)
    print(f"\n{name}: run-all in Lab {wall:.1f} s")
    return {"page": page, "console": console, "state": state}


def _no_console_errors(console: list) -> list:
    # kernel/network noise unrelated to the notebook's content is not what we test here
    return [e for e in console if "favicon" not in e.lower()]


@pytest.fixture(scope="module")
def tutorial01(lab_server, browser):
    run = _run_tutorial(lab_server, browser, "01-terms-and-the-term-interface.ipynb")
    yield run
    run["page"].close()


@pytest.fixture(scope="module")
def tutorial03(lab_server, browser):
    run = _run_tutorial(lab_server, browser, "03-egraphs.ipynb")
    yield run
    run["page"].close()


def test_tutorial01_runs_and_draws_the_dag(tutorial01):
    page, state = tutorial01["page"], tutorial01["state"]
    assert state["errors"] == [] and state["done"], state
    # `%dag (x + y)**2 * sin(x) + sin(x) / (x + y)`: shared subterms drawn once
    dag = page.locator(".jp-Notebook .symnb-dag-svg").first
    dag.wait_for(timeout=30_000)
    labels = page.locator(".jp-Notebook .symnb-dag").first.locator(".symnb-node text")
    texts = labels.all_text_contents()
    assert "sin" in texts and texts.count("sin") == 1, texts
    assert {"x", "y"} <= set(texts), texts
    assert _no_console_errors(tutorial01["console"]) == []


def test_tutorial03_runs_and_draws_the_egraph(tutorial03):
    page, state = tutorial03["page"], tutorial03["state"]
    assert state["errors"] == [] and state["done"], state
    page.locator(".jp-Notebook .symnb-eclass").first.wait_for(timeout=30_000)
    assert page.locator(".jp-Notebook .symnb-eclass").count() >= 2
    assert page.locator(".jp-Notebook .symnb-node.chosen").count() >= 1
    assert page.locator(".jp-Notebook .symnb-node").count() >= 4
    assert _no_console_errors(tutorial03["console"]) == []
