"""Write the tutorial notebooks from the cell lists in ``notebooks/tutorials/*.py``.

Run: ``.venv/bin/python notebooks/build_notebooks.py [FILTER...]`` (rewrites
``notebooks/NN-*.ipynb`` and ``notebooks/dashboards/*.ipynb`` from
``notebooks/tutorials/NN_*.py`` and ``notebooks/tutorials/dashboards/*.py``, without
outputs, with the python3 kernelspec).

Each source file is plain Python split into cells by ``# %%`` lines (``# %% [markdown]``
cells hold markdown as ``#``-comment lines), the "percent" format editors understand,
so the tutorials can be reviewed as ordinary diffs.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "tutorials"


def cells_from(text: str) -> list:
    """Split percent-format text into nbformat cells."""
    cells, kind, buf = [], None, []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(buf).strip("\n")
        if kind == "markdown":
            body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(body))
        elif body.strip():
            cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, buf = ("markdown" if "[markdown]" in line else "code"), []
        elif kind is not None:
            buf.append(line)
    flush()
    return cells


def build(src: Path, outdir: Path = HERE) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells_from(src.read_text())
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    out = outdir / f"{src.stem.replace('_', '-')}.ipynb"
    nbformat.validate(nb)
    nbformat.write(nb, out)
    return out


def main(argv: list[str]) -> None:
    srcs = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if argv:
        srcs = [s for s in srcs if any(a in s.name for a in argv)]
    for s in srcs:
        print("wrote", build(s).relative_to(HERE.parent))
    # Voila dashboards: tutorials/dashboards/NAME.py -> dashboards/NAME.ipynb
    for s in sorted((SOURCES / "dashboards").glob("*.py")):
        if not argv or any(a in s.name for a in argv):
            print("wrote", build(s, HERE / "dashboards").relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
