"""Open a notebook in the test JupyterLab, run every cell, and read its state from the
notebook model: shared by the Lab browser tests (tutorials, traces, minimap)."""
from __future__ import annotations

import re
import time

import pytest

# the notebook panel showing `name`
FIND = """(name) => {
  if (!window.jupyterapp) return null;
  for (const w of window.jupyterapp.shell.widgets('main'))
    if (w.context && w.context.path === name && w.content && w.sessionContext) return w;
  return null;
}"""
# done = every code cell has run (execution count set) and the kernel is idle;
# errors = "ename: evalue" of every error output; stderr = every stderr stream output
STATE = """(name) => {
  const w = (""" + FIND + """)(name);
  if (!w || !w.content || !w.content.model || !w.sessionContext) return null;
  const cells = w.content.model.cells, errors = [], stderr = [];
  let pending = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    if (c.executionCount === null || c.executionCount === undefined) pending++;
    for (const o of c.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr') stderr.push(`cell ${i}: ${o.text}`);
    }
  }
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const idle = !!k && k.status === 'idle';
  return {done: pending === 0 && idle, pending, errors, stderr, status: k ? k.status : 'none'};
}"""
KERNEL_READY = ("(name) => { const w = (" + FIND + ")(name);"
                " return !!(w && w.sessionContext.session &&"
                " w.sessionContext.session.kernel &&"
                " w.sessionContext.session.kernel.connectionStatus === 'connected' &&"
                " w.sessionContext.session.kernel.status === 'idle'); }")
PANEL_READY = ("(name) => { const w = (" + FIND + ")(name);"
               " return !!(w && w.content.model && w.content.widgets.length > 0); }")


def open_notebook(lab_server, browser, name: str, run: bool = True,
                  timeout_ms: int = 180_000) -> dict:
    """Open ``name`` (already under the server root) in a workspace of its own (reset, so
    Lab restores no other test's notebooks); with ``run``, run all cells and wait until
    they finished or one failed.  Returns ``{"page", "console", "state", "wall"}``
    (``console``: console errors and page errors as they come)."""
    from playwright.sync_api import TimeoutError as PwTimeout
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    console: list = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    ws = re.sub(r"[^a-z0-9]", "", name.lower())
    page.goto(lab_server.url(f"/lab/workspaces/{ws}/tree/{name}?reset"), timeout=120_000)
    page.wait_for_function(PANEL_READY, arg=name, timeout=120_000)
    out = {"page": page, "console": console, "state": None, "wall": 0.0}
    if not run:
        return out
    page.wait_for_function(KERNEL_READY, arg=name, timeout=120_000)
    t0 = time.perf_counter()
    page.evaluate("(name) => { const w = (" + FIND + ")(name);"
                  " window.jupyterapp.shell.activateById(w.id);"
                  " window.jupyterapp.commands.execute('notebook:run-all-cells');"
                  " return true; }", name)
    try:        # stop early on the first error output (run-all stops there too)
        page.wait_for_function(f"(name) => {{ const s = ({STATE})(name);"
                               " return !!s && (s.done || s.errors.length > 0); }",
                               arg=name, timeout=timeout_ms, polling=500)
    except PwTimeout:
        pytest.fail(f"{name} did not finish in Lab: {page.evaluate(STATE, name)}")
    out["wall"] = time.perf_counter() - t0
    out["state"] = page.evaluate(STATE, name)
    return out


def cell(page, i):
    """The i-th cell of the notebook shown in ``page``."""
    return page.locator(".jp-Notebook .jp-Cell").nth(i)


def console_errors(console: list) -> list:
    """Console errors, less the favicon request Lab's page makes (unrelated to symnb)."""
    return [e for e in console if "favicon" not in e.lower()]
