"""The shared IPython shell of the magics tests (``InteractiveShell`` is a singleton)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def ip():
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "symnb")
    shell.run_cell("%sym x y")
    yield shell


def run(ip, cell):
    """Run ``cell``; return IPython's result and the captured output."""
    from IPython.utils.capture import capture_output
    with capture_output() as cap:
        res = ip.run_cell(cell)
    return res, cap
