"""JupyterLab in headless chromium opens tutorials 01 and 03, runs every cell, and the
symnb renderer draws the DAG (01) and the e-graph with its e-class boxes (03); no cell
raises and the page logs no console errors."""
from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT
from .lab_notebook import console_errors, open_notebook

pytestmark = pytest.mark.slow


def _run_tutorial(lab_server, browser, name: str) -> dict:
    shutil.copy(ROOT / "notebooks" / name, lab_server.root / name)
    run = open_notebook(lab_server, browser, name, timeout_ms=150_000)
    print(f"\n{name}: run-all in Lab {run['wall']:.1f} s")
    return run


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
    assert console_errors(tutorial01["console"]) == []


def test_tutorial03_runs_and_draws_the_egraph(tutorial03):
    page, state = tutorial03["page"], tutorial03["state"]
    assert state["errors"] == [] and state["done"], state
    page.locator(".jp-Notebook .symnb-eclass").first.wait_for(timeout=30_000)
    assert page.locator(".jp-Notebook .symnb-eclass").count() >= 2
    assert page.locator(".jp-Notebook .symnb-node.chosen").count() >= 1
    assert page.locator(".jp-Notebook .symnb-node").count() >= 4
    assert console_errors(tutorial03["console"]) == []
