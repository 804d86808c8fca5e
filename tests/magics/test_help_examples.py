"""Every ``%symnb`` help example runs as written, in order, in a fresh IPython shell."""
from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("IPython")

SCRIPT = r"""
import json, sys
import plotly.io as pio
pio.renderers.default = "plotly_mimetype"
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from kernel_ext.magics import help_rows, egraph_available, trace_available
ip = InteractiveShell.instance()
ip.run_line_magic("load_ext", "symnb")
report = []
for magic, example, _ in help_rows(egraph_available(), trace_available()):
    with capture_output() as cap:
        res = ip.run_cell(example)
    report.append({"magic": magic, "ok": bool(res.success), "stderr": cap.stderr,
                   "outputs": len(cap.outputs), "stdout": cap.stdout[:200]})
print(json.dumps(report))
"""


def test_every_help_example_runs_in_a_fresh_shell():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    import json
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(report) >= 10
    for r in report:
        assert r["ok"] and "symnb:" not in r["stderr"], r
        if r["magic"] not in ("%sym", "%fun", "%symnb"):
            assert r["outputs"] or r["stdout"], r          # each example shows something
