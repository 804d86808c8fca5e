"""binder/ as repo2docker reads it: environment.yml (conda + pip) then an executable postBuild."""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
yaml = pytest.importorskip("yaml")


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].strip().lower()


def _env() -> dict:
    return yaml.safe_load((BINDER / "environment.yml").read_text())


def _pip_reqs() -> list[str]:
    deps = _env()["dependencies"]
    pips = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(pips) == 1, "environment.yml needs exactly one pip: section"
    return pips[0]


def test_environment_is_what_repo2docker_expects() -> None:
    env = _env()
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "pip" in conda
    assert any(d.startswith("python=3.11") for d in conda), conda
    # the labextension is built from TypeScript during `pip install .`: node is needed
    assert any(d.startswith("nodejs") for d in conda), conda
    # repo2docker picks environment.yml; a requirements.txt beside it would be ignored
    assert not (BINDER / "requirements.txt").exists()


def test_pins_agree_with_pyproject() -> None:
    proj = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r.replace(" ", "") for r in proj["dependencies"]
              + proj["optional-dependencies"]["test"]}
    for req in _pip_reqs():
        name = _name(req)
        if name in wanted:
            assert req.replace(" ", "") == wanted[name], f"binder pins {req}, pyproject {wanted[name]}"
    got = {_name(r) for r in _pip_reqs()}
    for needed in ("jupyterlab", "voila", "numba", "egglog", "plotly", "ipywidgets"):
        assert needed in got, f"binder/environment.yml lacks {needed}"


def test_postbuild_installs_symnb_with_its_labextension() -> None:
    pb = BINDER / "postBuild"
    assert os.access(pb, os.X_OK), "binder/postBuild must be executable"
    text = pb.read_text()
    assert text.startswith("#!/bin/bash")
    assert "set -euo pipefail" in text
    commands = [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]
    assert any(re.fullmatch(r"python -m pip install (--no-cache-dir )?\.", c) for c in commands)
    assert any("labextension list" in c and "symnb-dag" in c for c in commands)
    # the wheel installs the prebuilt renderer under this name (pyproject shared-data)
    shared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"]["wheel"]["shared-data"]
    assert "share/jupyter/labextensions/symnb-dag" in shared.values()
