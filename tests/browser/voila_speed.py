"""Measure the expression explorer in Voila (not a test: timings vary with the machine).

Two visits; each: first render (page request -> text box -> first DAG node), three
Explores (Enter -> first feedback, new DAG), then opening "compiled speed" (-> busy
line, -> timing table).  Run from the repository root:
``PYTHONPATH=$PWD .venv/bin/python tests/browser/voila_speed.py``"""
import pathlib
import re
import shutil
import tempfile
import time

from playwright.sync_api import sync_playwright
from tests.browser.conftest import ROOT, voila_server, CHROMIUM_FLAGS


def until(page, js, arg=None, timeout=300000):
    page.wait_for_function(js, arg=arg, timeout=timeout, polling=50)


def main() -> None:
    home = pathlib.Path(tempfile.mkdtemp())
    nb = home / 'notebooks'
    shutil.copytree(ROOT / 'notebooks' / 'dashboards', nb)
    with voila_server(nb, home) as (base, token), sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=shutil.which('chromium'), headless=True, args=CHROMIUM_FLAGS)
        for visit in range(2):
            page = b.new_page(viewport={"width": 1300, "height": 1000})
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda r: r.abort())
            t0 = time.time()
            page.goto(f"{base}/voila/render/expression-explorer.ipynb?token={token}", wait_until="commit", timeout=120000)
            page.locator(".widget-text input").first.wait_for(timeout=300000); t_box = time.time() - t0
            until(page, "() => document.querySelectorAll('.symnb-node').length > 0"); t_dag = time.time() - t0
            print(f"visit {visit}: first render: text box {t_box:.1f} s, DAG {t_dag:.1f} s")
            for expr, op in [("tan(z)*z + z", "tan"), ("cosh(y) + y*x", "cosh"), ("sin(x)^2 + cos(x)^2 + x*y", "sin")]:
                box = page.locator(".widget-text input").first
                box.fill(expr)
                t0 = time.time(); box.press("Enter")
                until(page, "op => [...document.querySelectorAll('.symnb-node text')]"
                            ".some(t => t.textContent === op)", op); t_dag = time.time() - t0
                t_first = t_dag
                try:
                    until(page, "() => /exploring|computing/.test(document.body.innerText)", timeout=3000); t_first = min(t_first, time.time() - t0)
                except Exception:
                    pass
                print(f"  Explore {expr!r}: first feedback {t_first:.2f} s, DAG {t_dag:.2f} s")
            t0 = time.time()
            page.get_by_role("tab", name="compiled speed").click()
            until(page, "() => /compiling with numba|symnb-bench/.test(document.body.innerHTML)"); t_busy = time.time() - t0
            until(page, "() => document.querySelectorAll('table.symnb-bench').length > 0"); t_tab = time.time() - t0
            print(f"  open 'compiled speed': busy line {t_busy:.2f} s, table {t_tab:.2f} s")
            page.close()
        b.close()


if __name__ == "__main__":
    main()
