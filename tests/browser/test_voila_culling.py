"""Kernels do not outlive their pages: Voila serving ``notebooks/dashboards/`` from that
folder (as ``make voila`` does) reads its ``voila.json`` and culls idle kernels, connected
or not.  Three visits to a dashboard leave at most one kernel once the cull interval has
passed (short intervals here through command-line overrides; ``cull_connected`` comes
from the shipped file)."""
from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest

from .conftest import ROOT, voila_server
from .test_voila_dashboards import _open

pytestmark = pytest.mark.slow

IDLE, INTERVAL = 6, 2        # seconds: the test's overrides of the shipped 600 / 60


def test_shipped_config_turns_culling_on():
    cfg = json.loads((ROOT / "notebooks" / "dashboards" / "voila.json").read_text())
    mkm = cfg["MappingKernelManager"]
    assert mkm["cull_connected"] is True
    assert 0 < mkm["cull_interval"] <= mkm["cull_idle_timeout"] <= 3600, mkm


def _kernels(proc: subprocess.Popen) -> list:
    psutil = pytest.importorskip("psutil")
    return [p for p in psutil.Process(proc.pid).children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())]


def test_three_visits_leave_at_most_one_kernel(browser, tmp_path):
    dash = tmp_path / "dashboards"
    shutil.copytree(ROOT / "notebooks" / "dashboards", dash)
    extra = [f"--MappingKernelManager.cull_idle_timeout={IDLE}",
             f"--MappingKernelManager.cull_interval={INTERVAL}"]
    procs: list = []
    with voila_server(".", tmp_path, extra=extra, cwd=dash, process=procs) as (base, token):
        proc, log_path = procs[0], tmp_path / "voila.log"
        url = f"{base}/voila/render/expression-explorer.ipynb?token={token}"
        seen = 0
        for visit in range(3):
            page, _errors, _offline = _open(browser, url)
            page.locator(".widget-text input").first.wait_for(timeout=180_000)
            seen = max(seen, len(_kernels(proc)))
            if visit < 2:
                page.close()            # leaves without a (working) shutdown request
        assert seen >= 1, "no kernel was started for the dashboard"
        # the culler ends every kernel idle for IDLE s, checked each INTERVAL s
        deadline = time.time() + IDLE + 6 * INTERVAL + 30
        while time.time() < deadline and len(_kernels(proc)) > 1:
            time.sleep(1)
        left = len(_kernels(proc))
        text = log_path.read_text(errors="replace")
        assert left <= 1, f"{left} kernels left after the cull interval\n{text[-3000:]}"
        assert f"idle durations > {IDLE} seconds at {INTERVAL} second intervals" in text, \
            text[-3000:]
        assert "even with connected clients" in text, text[-3000:]   # from voila.json
        page.close()
