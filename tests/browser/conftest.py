"""Headless Debian chromium (Python playwright, executable_path) against JupyterLab / Voila
started on 127.0.0.1 with a temporary token.  Skipped, with the reason, when chromium,
playwright or the built labextension is missing."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


def _need() -> str | None:
    if shutil.which("chromium") is None:
        return "Debian chromium not found (make test installs it: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401  (availability check)
    except ImportError:
        return "python playwright is not installed"
    if not (ROOT / "symnb" / "labextension" / "package.json").exists():
        return "labextension not built (run: make labext)"
    if shutil.which("jupyter", path=str(BIN)) is None:
        return "jupyter is not installed next to this Python"
    return None


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not answer in {timeout} s")


def _env(home: Path) -> dict:
    env = dict(os.environ)
    env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "rt"),
               IPYTHONDIR=str(home / "ipython"), PYTHONPATH=str(ROOT),
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    return env


@pytest.fixture(scope="session")
def browser():
    why = _need()
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                               args=CHROMIUM_FLAGS)
        yield b
        b.close()


class Server:
    def __init__(self, proc: subprocess.Popen, base: str, token: str, root: Path) -> None:
        self.proc, self.base, self.token, self.root = proc, base, token, root

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    why = _need()
    if why:
        pytest.skip(why)
    home = tmp_path_factory.mktemp("lab")
    root = home / "nb"
    root.mkdir()
    token, port = secrets.token_hex(16), _port()
    cmd = [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", "--allow-root",
           "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={root}",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class="
           "jupyterlab.NeverCheckForUpdate", "--ServerApp.disable_check_xsrf=True"]
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen(cmd, env=_env(home), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/api/status?token={token}", proc)
        yield Server(proc, base, token, root)
    finally:
        _stop(proc, log)


def _stop(proc: subprocess.Popen, log) -> None:
    """Terminate a server started by a fixture (kill it if it lingers) and close its log."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@contextlib.contextmanager
def voila_server(target: Path, home: Path, extra: list[str] | None = None,
                 cwd: Path | None = None, process: list | None = None):
    """Voila on ``target`` (a notebook or a folder) on loopback with a temporary token;
    yields ``(base_url, token)`` once it answers.  Its output goes to ``home/voila.log``.
    ``extra``: more command-line options; ``cwd``: where it runs (Voila reads the
    ``voila.json`` found there); ``process``: a list that receives the server's Popen."""
    token, port = secrets.token_hex(16), _port()
    cmd = [str(BIN / "voila"), str(target), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", f"--token={token}", *(extra or [])]
    log = open(home / "voila.log", "w")
    proc = subprocess.Popen(cmd, env=_env(home), stdout=log, stderr=subprocess.STDOUT,
                            cwd=cwd)
    if process is not None:
        process.append(proc)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/voila/static/voila.js?token={token}", proc)
        yield base, token
    finally:
        _stop(proc, log)


def write_notebook(path: Path, cells: list[str]) -> None:
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}",
                     "metadata": {}, "outputs": [], "source": src}
                    for i, src in enumerate(cells)],
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                      "name": "python3"},
                       "language_info": {"name": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, indent=1))
