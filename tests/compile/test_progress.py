"""Compile progress reports (plain data) and clean interrupts (issue 16)."""
from __future__ import annotations

import gc

import numpy as np
import pytest

from symnb.compiler import compile_array, jacobian
from symnb.terms import symbols


def _system(n: int = 40) -> tuple[list, list]:
    u = list(symbols(f"u0:{n}"))
    return [u[i] * u[(i + 1) % n] - 2 * u[i] for i in range(n)], u


def test_compile_reports_its_phases_in_order():
    ex, u = _system()
    seen: list = []
    compile_array(ex, args=[u], inplace=True, backend="python", progress=seen.append)
    phases = [d["phase"] for d in seen]
    assert phases[:3] == ["lower", "plan", "codegen"] and seen[-1]["done"]
    assert not seen[-1]["interrupted"] and seen[-1]["fraction"] == 1.0
    fr = [d["fraction"] for d in seen]
    assert fr == sorted(fr) and all(d["what"] == "compile f" for d in seen)
    J_seen: list = []
    J = jacobian(ex, u, progress=J_seen.append)
    assert J.nnz == 80 and [d["phase"] for d in J_seen] == ["differentiate", "differentiate"]


def test_interrupt_stops_the_compile_cleanly():
    ex, u = _system()
    seen: list = []

    def stop_at_plan(info: dict) -> None:
        seen.append(info)
        if info["phase"] == "plan" and not info["done"]:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        compile_array(ex, args=[u], inplace=True, backend="python", progress=stop_at_plan)
    assert gc.isenabled()
    assert seen[-1]["done"] and seen[-1]["interrupted"] and seen[-1]["phase"] == "plan"
    f = compile_array(ex, args=[u], inplace=True, backend="python", progress=False)
    out = np.empty(40)
    f(out, np.ones(40))
    assert np.allclose(out, -1.0)


def test_ode_problem_reports_rhs_and_jacobian_phases():
    from symnb.models.ode import ODEProblem
    ex, u = _system(8)
    seen: list = []
    ODEProblem(ex, u, compile_backend="python", progress=seen.append)
    names = [d["phase"] for d in seen]
    assert names[0] == "RHS lower" and "Jacobian plan" in names   # from the row shapes
    assert names.index("RHS codegen") < names.index("Jacobian codegen")
    assert seen[-1]["done"] and seen[-1]["steps"] == 9


def test_bad_progress_argument():
    ex, u = _system(4)
    with pytest.raises(TypeError, match="progress must be a callable"):
        compile_array(ex, args=[u], backend="python", progress=3)


def test_grouping_ticks_while_it_runs():
    from symnb.compiler.shapes import make_plan
    from symnb.compiler.ssa import IR, ArgMap
    ex, u = _system(40)
    ir = IR(ArgMap([u]))
    ticks: list = []
    plan = make_plan(ir, [ir.lower(e) for e in ex], tick=lambda k, n: ticks.append((k, n)))
    assert ticks == [(0, 40)] and [len(g.members) for g in plan.groups] == [40]


def test_the_compile_bar_is_registered_by_name_and_imported_only_under_ipython():
    import subprocess
    import sys
    code = """
import sys
import symnb
from symnb.progress_hook import COMPILE_PROGRESS
print(COMPILE_PROGRESS.factory)
x = symnb.symbols("x")
symnb.compile_array([x + 1], [[x]], backend="python")
print("symnb.display" in sys.modules)
import IPython
symnb.compile_array([x + 2], [[x]], backend="python")
from symnb.display.compile_progress import compile_progress
print(COMPILE_PROGRESS.factory is compile_progress)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:3] == ["symnb.display.compile_progress:compile_progress",
                                         "False", "True"]
