"""Voila serves ``notebooks/dashboards/`` (from a copy, so the dashboard finds the results
through the installed package): the benchmark explorer renders a suite with plotly charts,
picking another suite updates the view, a missing folder or a malformed file shows a
message, and a good folder works again afterwards.  Times are bars from zero labelled
against one named baseline; speed-ups are grouped by question with human labels."""
from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT
from .test_voila_dashboards import (_first_widget, _open, _real_errors,  # noqa: F401
                                    voila_dash)

pytestmark = pytest.mark.slow

RESULTS = ROOT / "benchmarks" / "results"


def _type(page, value: str) -> None:
    box = page.locator(".widget-text input").first
    box.fill(value)
    box.press("Enter")          # continuous_update=False: the value is sent on Enter


def _wait_text(page, text: str, timeout: int = 120_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text,
                           timeout=timeout)


def _chart_titles(page) -> list[str]:
    return page.locator(".js-plotly-plot .gtitle").all_text_contents()


def _wait_chart(page, title_part: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('.js-plotly-plot .gtitle')]"
        ".some(e => e.textContent.includes(t))", arg=title_part, timeout=120_000)


def test_benchmark_explorer(voila_dash, browser, tmp_path):
    if not (RESULTS / "terms.json").exists() or not (RESULTS / "rewrite.json").exists():
        pytest.skip("benchmarks/results/{terms,rewrite}.json are not there (run: make bench)")
    page, errors, offline = _open(browser, voila_dash("benchmark-explorer.ipynb"))
    _first_widget(page, voila_dash, errors)
    select = page.locator(".widget-dropdown select").first

    # the default folder (found from the served copy's working directory) shows terms
    _wait_chart(page, "terms: cases")
    assert select.input_value() == "terms"
    options = select.locator("option").all_text_contents()
    assert {"terms", "rewrite"} <= set(options), options
    assert "⚠" not in page.locator("body").inner_text()
    # one panel per case, symnb, sympy and symengine side by side in each; the ratio is
    # on symnb's bar, against the named baseline (sympy), never on the baseline's bar
    cases = page.locator(".js-plotly-plot").first
    assert cases.locator("g.trace.bars").count() == 4
    assert cases.locator("g.trace.bars").first.locator("g.point").count() == 3
    texts = cases.locator(".bartext").all_text_contents()
    assert any("symnb: " in t and "× faster than sympy" in t for t in texts), texts
    assert not any("× symnb" in t for t in texts), texts
    _wait_text(page, "started 2026-")

    # another suite: header and charts follow
    select.select_option("rewrite")
    _wait_chart(page, "rewrite")
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.js-plotly-plot .gtitle')]"
        ".some(e => e.textContent.startsWith('terms'))", timeout=60_000)
    titles = _chart_titles(page)
    assert "rewrite · simplify: time (baseline sympy)" in titles, titles
    assert "rewrite: symnb against sympy" in titles, titles
    page.get_by_role("tab", name="figures").click()
    _wait_text(page, "ratio_sympy_over_symnb")
    assert ">= 10x" in page.locator("table.symnb-bench-figures").inner_text()
    page.get_by_role("tab", name="charts").click()

    # a folder that is not there: one line, no suites
    _type(page, str(tmp_path / "no-such-folder"))
    _wait_text(page, "no such folder")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 0",
                           timeout=60_000)
    assert select.locator("option").count() == 0

    # a folder with a malformed file next to a good one: a message, the good suite shows
    shutil.copy(RESULTS / "terms.json", tmp_path / "terms.json")
    (tmp_path / "broken.json").write_text('{"suite": "broken", "data": {"x": [1')
    _type(page, str(tmp_path))
    _wait_text(page, "broken.json: not valid JSON")
    _wait_chart(page, "terms: cases")
    assert select.locator("option").all_text_contents() == ["terms"]

    # and the committed results work again
    _type(page, str(RESULTS))
    page.wait_for_function("() => !document.body.innerText.includes('⚠')", timeout=120_000)
    _wait_chart(page, "terms: cases")
    assert {"terms", "rewrite"} <= set(select.locator("option").all_text_contents())
    print(f"\noff-machine requests that failed (offline): {offline}")
    assert _real_errors(errors, offline) == [], errors
    page.close()
