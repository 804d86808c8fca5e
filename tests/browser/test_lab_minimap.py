"""JupyterLab in headless chromium: a DAG wider than its view gets a minimap (a canvas
overview with the visible region outlined); clicking or dragging on it pans the main view;
a small DAG that fits has none until it is zoomed past its view."""
from __future__ import annotations

import re

import pytest

from .conftest import write_notebook
from .lab_notebook import cell, console_errors
from .test_lab_traces import open_notebook

pytestmark = pytest.mark.slow

CELLS = [
    "import symnb\nfrom symnb.display import dag\n"
    "a = symnb.symbols('a0:300'); b = symnb.symbols('b0:300')",              # 0
    "dag(sum(a[i] * b[i] for i in range(300)), title='wide', collapse=False)",  # 1: 901 nodes
    "dag(symnb.parse('sin(x)*y + x'), title='small')",                        # 2
]


def _view(page, i) -> tuple:
    t = cell(page, i).locator(".symnb-viewport").get_attribute("transform")
    m = re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\) scale\(([-\d.]+)\)", t)
    assert m, t
    return tuple(float(v) for v in m.groups())


def _box(page, i) -> dict:
    """The minimap's viewport box, relative to the minimap canvas (CSS px)."""
    return cell(page, i).locator(".symnb-minimap").evaluate(
        "(m) => { const c = m.querySelector('canvas').getBoundingClientRect();"
        " const v = m.querySelector('.symnb-minimap-view').getBoundingClientRect();"
        " return {x: v.left - c.left, y: v.top - c.top, w: v.width, h: v.height,"
        " cw: c.width, ch: c.height}; }")


@pytest.fixture(scope="module")
def minimap(lab_server, browser):
    write_notebook(lab_server.root / "minimap.ipynb", CELLS)
    run = open_notebook(lab_server, browser, "minimap.ipynb")
    page = run["page"]
    page.wait_for_function("() => { const c = document.querySelectorAll('.jp-Notebook .jp-Cell');"
                           " return c.length > 2 && c[1].querySelectorAll('.symnb-node').length"
                           " >= 901 && c[2].querySelectorAll('.symnb-node').length >= 5; }",
                           timeout=60_000)
    yield run
    page.close()


def test_wide_dag_has_a_minimap_showing_the_visible_part(minimap):
    page = minimap["page"]
    mm = cell(page, 1).locator(".symnb-minimap")
    assert mm.count() == 1 and mm.is_visible()
    assert mm.get_attribute("data-nodes") == "901"         # one mark per node, no SVG copy
    assert mm.locator("svg").count() == 0
    # the canvas has something drawn on it
    painted = mm.locator("canvas").evaluate(
        "(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }")
    assert painted > 50
    box = _box(page, 1)
    assert 0 < box["w"] < box["cw"] / 2        # the view shows a small part of a wide graph
    assert box["cw"] <= 202 and box["ch"] <= 112   # a corner overview, not a second drawing
    print(f"\nminimap of {mm.get_attribute('data-nodes')} nodes drawn in "
          f"{mm.get_attribute('data-draw-ms')} ms")
    # the minimap sits inside the drawing's area
    svg = cell(page, 1).locator(".symnb-dag-svg").bounding_box()
    mb = mm.bounding_box()
    assert svg["x"] <= mb["x"] and mb["x"] + mb["width"] <= svg["x"] + svg["width"] + 1


def test_click_and_drag_on_the_minimap_pan_the_view(minimap):
    page = minimap["page"]
    mm = cell(page, 1).locator(".symnb-minimap")
    # mid-screen, clear of Lab's notifications in the bottom corner
    mm.evaluate("(m) => m.scrollIntoView({block: 'center'})")
    before = _view(page, 1)
    canvas = mm.locator("canvas")
    c = canvas.bounding_box()
    # click three quarters of the way along: the view centres there, zoom unchanged
    canvas.click(position={"x": 0.75 * c["width"], "y": 0.5 * c["height"]})
    after = _view(page, 1)
    assert after != before and after[2] == before[2]
    assert after[0] < before[0] - 1000          # far to the right of the start
    box = _box(page, 1)
    assert abs(box["x"] + box["w"] / 2 - 0.75 * box["cw"]) < 3
    # drag towards the left edge: the view follows the pointer
    page.mouse.move(c["x"] + 0.75 * c["width"], c["y"] + 0.5 * c["height"])
    page.mouse.down()
    page.mouse.move(c["x"] + 0.3 * c["width"], c["y"] + 0.5 * c["height"], steps=6)
    page.mouse.up()
    dragged = _view(page, 1)
    assert dragged[0] > after[0] + 1000
    box = _box(page, 1)
    assert abs(box["x"] + box["w"] / 2 - 0.3 * box["cw"]) < 3
    # panning the main view moves the box the other way
    svg = cell(page, 1).locator(".symnb-dag-svg").bounding_box()
    x0 = box["x"]
    page.mouse.move(svg["x"] + 20, svg["y"] + 10)
    page.mouse.down()
    page.mouse.move(svg["x"] + 320, svg["y"] + 10, steps=5)
    page.mouse.up()
    assert _box(page, 1)["x"] < x0


def test_small_dag_has_no_minimap_until_zoomed_past_its_view(minimap):
    page = minimap["page"]
    c = cell(page, 2)
    assert c.locator(".symnb-node").count() == 5
    mm = c.locator(".symnb-minimap")
    assert mm.count() == 0
    for _ in range(5):
        c.locator(".symnb-zoom-in").click()
    assert mm.count() == 1 and mm.is_visible()
    assert mm.get_attribute("data-nodes") == "5"
    c.locator(".symnb-fit").click()
    assert not mm.is_visible()


def test_no_console_errors(minimap):
    assert console_errors(minimap["console"]) == []
