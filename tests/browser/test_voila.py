"""Voila renders the DAG with the prebuilt labextension (and the plotly figure)."""
from __future__ import annotations


import pytest

from .conftest import voila_server, write_notebook
from .test_voila_dashboards import _open, _real_errors

pytestmark = pytest.mark.slow

CELLS = [
    "%load_ext symnb\n%sym x y",
    "%dag sin(x)*y + sin(x) + cos(x)**2",
    "import numpy as np, scipy.sparse as sp\n"
    "A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(40, 40)).tocsr(); b = np.ones(40)\n"
    "%solve A b --methods cg,gcrodr",
]


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory, browser):
    home = tmp_path_factory.mktemp("voila")
    write_notebook(home / "dash.ipynb", CELLS)
    with voila_server(home / "dash.ipynb", home) as (base, token):
        yield f"{base}/?token={token}"


def test_voila_renders_dag_and_plotly(voila_url, browser):
    page, errors, offline = _open(browser, voila_url)
    page.wait_for_function("document.querySelectorAll('.symnb-node').length >= 8",
                           timeout=180_000)
    labels = page.locator(".symnb-node text").all_text_contents()
    assert sorted(labels) == sorted(["+", "×", "sin", "x", "y", "^", "cos", "2"])
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    # every console error counts, not only symnb's: the one line chromium logs per refused
    # off-machine request (the template's CDN links) is all that may appear
    assert _real_errors(errors, offline) == [], errors
    page.close()
