"""``%load_model FILE [NAME]``: SBML and BioNetGen files into the notebook namespace."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("IPython")
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NET = ROOT / "tests" / "models" / "data" / "cbngl.net"
SBML = ROOT / "notebooks" / "models" / "enzyme_pulse.xml"


@pytest.fixture(scope="module")
def ip():
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "symnb")
    yield shell


def run(ip, cell):
    with capture_output() as cap:
        res = ip.run_cell(cell)
    return res, cap


def test_bionetgen_and_sbml_files_are_bound_and_shown(ip, tmp_path):
    net_file = tmp_path / "2-cbngl.net"
    shutil.copy(NET, net_file)
    res, cap = run(ip, f"%load_model {net_file}")
    net = ip.user_ns["_2_cbngl"]
    assert res.success and cap.stderr == "" and type(net).__name__ == "ReactionNetwork"
    assert list(net.compartments) == ["EC", "PM", "CP"]
    assert "_2_cbngl = load_bionetgen(" in cap.stdout and cap.outputs
    res, cap = run(ip, f"%load_model '{SBML}' enzyme")
    model = ip.user_ns["enzyme"]
    assert res.success and type(model).__name__ == "SBMLModel" and cap.outputs
    assert model.simulate([0.0, 1.0])["S"][0] == 10.0


@pytest.mark.parametrize("line,what", [
    ("", "needs a file"),
    ("model.txt", "not '.txt'"),
    ("model", "without extension"),
    ("absent.net", "no such file"),
    ("x.net 1bad", "not a valid Python name"),
])
def test_mistakes_give_one_line(ip, line, what):
    res, cap = run(ip, f"%load_model {line}")
    assert what in cap.stderr and "Traceback" not in cap.stderr
