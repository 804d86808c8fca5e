"""The saved tutorials: generated from notebooks/tutorials/*.py, no outputs, a python3
kernelspec (JupyterLab opens them without a kernel picker), small files.  Running them is
nbval's job (``make test-notebooks``)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks"
SAVED = sorted(NB.glob("[0-9][0-9]-*.ipynb")) + sorted((NB / "dashboards").glob("*.ipynb"))


def _builder():
    spec = importlib.util.spec_from_file_location("_build_notebooks", NB / "build_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_there_are_tutorials() -> None:
    names = [p.name for p in SAVED]
    for n in ("01-terms-and-the-term-interface.ipynb", "02-rule-rewriting.ipynb",
              "03-egraphs.ipynb", "04-compiling-with-numba.ipynb"):
        assert n in names


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_saved_notebook(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert path.stat().st_size < 1_000_000
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert any("%load_ext symnb" in c.source for c in code) or "dashboards" in path.parts


SOURCES = ([(p, NB) for p in sorted((NB / "tutorials").glob("[0-9][0-9]_*.py"))]
           + [(p, NB / "dashboards") for p in sorted((NB / "tutorials" / "dashboards").glob("*.py"))])


@pytest.mark.parametrize("src,outdir", SOURCES, ids=lambda p: getattr(p, "name", ""))
def test_saved_notebook_matches_its_source(src: Path, outdir: Path) -> None:
    built = _builder().cells_from(src.read_text())
    saved = nbformat.read(outdir / f"{src.stem.replace('_', '-')}.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in built] == \
        [(c.cell_type, c.source) for c in saved.cells], \
        f"rerun: .venv/bin/python notebooks/build_notebooks.py {src.stem[:2]}"
