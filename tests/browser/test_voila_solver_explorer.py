"""Voila serves the solver explorer: it renders with its first plot, **Solve** draws one
plotly trace per chosen solver while the progress bar and the plot update during the run,
a results table follows; the residual axis is logarithmic with titles; CG on an
indefinite problem is skipped with a note while the other solvers run; impossible settings
(grid size 0, only CG on an indefinite problem) show a one-line message after which a valid
solve works again."""
from __future__ import annotations

import pytest

from .test_voila_dashboards import _first_widget, _open, _real_errors, voila_dash  # noqa: F401

pytestmark = pytest.mark.slow

TRACES = ".js-plotly-plot .scatterlayer .trace"
# every 20 ms: number of traces, the last trace's path and the progress label
RECORD = """() => {
  window.__snaps = [];
  const label = () => [...document.querySelectorAll('.widget-label')]
      .map(l => l.textContent).find(t => / \\(\\d+\\/\\d+\\): iteration /.test(t)) || '';
  window.__rec = setInterval(() => {
    const tr = document.querySelectorAll('%s');
    const path = tr.length ? tr[tr.length - 1].querySelector('path.js-line') : null;
    window.__snaps.push([tr.length, path ? path.getAttribute('d') : '', label()]);
  }, 20);
}""" % TRACES


def _field(page, label: str):
    """The input of the IntText/FloatText whose description is ``label``."""
    return page.locator(".widget-text", has=page.locator(f"label:text-is('{label}')")).locator("input")


def _set(page, label: str, value) -> None:
    box = _field(page, label)
    box.fill(str(value))
    box.press("Enter")          # continuous_update=False: the value is sent on Enter


def _choose(page, problem: str, solvers: list[str]) -> None:
    page.locator(".widget-dropdown select").select_option(label=problem)
    page.locator(".widget-select-multiple select").select_option(label=solvers)


def _solve(page) -> None:
    button = page.get_by_role("button", name="Solve")
    button.click()


def _wait_text(page, text: str, timeout: float = 60_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def _warnings(page) -> list[str]:
    """The dashboard's one-line messages (the red "⚠ ..." lines)."""
    return [ln for ln in page.locator("body").inner_text().splitlines() if "⚠" in ln]


def _table_rows(page) -> list[list[str]]:
    table = page.locator(".widget-html-content table", has_text="stopped: reason")
    return [[c.strip() for c in row.locator("td").all_inner_texts()]
            for row in table.locator("tr").all()[1:]]


def test_solver_explorer(voila_dash, browser):
    page, errors, offline = _open(browser, voila_dash("solver-explorer.ipynb"))
    _first_widget(page, voila_dash, errors)
    # the initial solve (Darcy, CG / PCG / GMRES) is drawn by plotly: residuals on a log
    # axis with both axes titled (the view starts from the widget's full layout)
    page.wait_for_function(f"document.querySelectorAll('{TRACES}').length === 3", timeout=120_000)
    _wait_text(page, "3 solver(s) in")
    axes = page.evaluate("() => { const L = document.querySelector('.js-plotly-plot')._fullLayout;"
                         " return [L.yaxis.type, L.xaxis.title.text, L.yaxis.title.text]; }")
    assert axes[0] == "log" and axes[1] == "iteration", axes
    assert axes[2].startswith("relative residual"), axes
    _wait_text(page, "numba compile on first use, not in the timings")

    # a live solve: Laplacian 80 x 80 with CG, GMRES(40), SSOR (SSOR: about 6,000 sweeps, a second or two)
    _set(page, "grid n", 80)
    _set(page, "maxiter", 10_000)
    _choose(page, "Laplacian", ["CG", "GMRES(40)", "SSOR"])
    page.evaluate(RECORD)
    _solve(page)
    _wait_text(page, "Laplacian, 6,400 unknowns, ")     # the final status line
    page.wait_for_function(f"document.querySelectorAll('{TRACES}').length === 3", timeout=30_000)
    snaps = page.evaluate("() => { clearInterval(window.__rec); return window.__snaps; }")
    final = page.locator(TRACES).last.locator("path.js-line").get_attribute("d")
    names = page.locator(".js-plotly-plot .legend .traces text.legendtext").all_text_contents()
    assert names == ["CG", "GMRES(40)", "SSOR"], names
    rows = _table_rows(page)
    assert [r[0] for r in rows] == names and all(r[-1] == "converged" for r in rows), rows
    # while SSOR ran: its trace was on the plot and not yet final, and the bar moved
    running = [s for s in snaps if s[2].startswith("SSOR (3/3): iteration")]
    assert len({s[2] for s in running}) >= 2, snaps[-5:]
    assert any(s[0] == 3 and s[1] and s[1] != final for s in running), running[-3:]

    # impossible settings: a message in the dashboard, the plot cleared, no page error
    _set(page, "grid n", 0)
    _solve(page)
    _wait_text(page, "grid n must be between 4 and 200")
    assert len(_warnings(page)) == 1, _warnings(page)
    page.wait_for_function(f"document.querySelectorAll('{TRACES}').length === 0", timeout=30_000)
    _set(page, "grid n", 24)
    _choose(page, "Helmholtz", ["CG", "GMRES(40)"])
    _solve(page)        # CG does not apply: skipped with a note, GMRES runs and is drawn
    _wait_text(page, "CG skipped: matrix is indefinite (Rayleigh quotient")
    _wait_text(page, "Helmholtz, 576 unknowns, ")
    assert "CG needs a symmetric positive definite matrix" in page.locator("body").inner_text()
    page.wait_for_function(f"document.querySelectorAll('{TRACES}').length === 1", timeout=30_000)
    assert _warnings(page) == [] and [r[0] for r in _table_rows(page)] == ["GMRES(40)"]
    _choose(page, "Helmholtz", ["CG"])
    _solve(page)        # nothing applies: one warning line that says what to pick
    _wait_text(page, "Pick GMRES or GCRO-DR")
    warn = _warnings(page)
    assert len(warn) == 1 and "CG skipped: matrix is indefinite" in warn[0], warn

    # ... and the dashboard keeps working
    _choose(page, "Helmholtz", ["GMRES(40)", "GCRO-DR(40, 20)"])
    _solve(page)
    _wait_text(page, "Helmholtz, 576 unknowns, ")
    page.wait_for_function(f"document.querySelectorAll('{TRACES}').length === 2", timeout=30_000)
    assert _warnings(page) == []
    assert [r[0] for r in _table_rows(page)] == ["GMRES(40)", "GCRO-DR(40, 20)"]
    print(f"\noff-machine requests that failed (offline): {offline}")
    assert _real_errors(errors, offline) == [], errors
    page.close()
