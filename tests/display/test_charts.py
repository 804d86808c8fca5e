"""Honest charts: timing bars from zero with their value and a one-way ratio to one named
baseline, table and chart shown once each, convergence on a log axis with titles and zeros
clipped, distinct series styles, and the messages about skipped solvers."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

pytest.importorskip("plotly")
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from symnb.bench import BenchResult  # noqa: E402
from symnb.bench.speed import bar_label, speed_text, speedup, time_unit  # noqa: E402
from symnb.display.figures import PLOTLY_MIME  # noqa: E402
from symnb.solvers import cg, gmres, helmholtz, laplacian_2d  # noqa: E402
from symnb.solvers.applicable import grid_probe, spd_obstacle, split_applicable  # noqa: E402
from symnb.solvers.result import plotted_residuals  # noqa: E402


def _result() -> BenchResult:
    # numpy 610 ns (baseline), symnb 290 ns: 2.1x faster
    return BenchResult({"numpy": [6.0e-7, 6.1e-7, 6.5e-7], "symnb": [2.8e-7, 2.9e-7, 3.0e-7]},
                       {"numpy": 1000, "symnb": 1000}, baseline="numpy")


def test_bench_figure_bars_from_zero_with_value_and_ratio_on_the_measured_bar():
    fig = _result().figure()
    ax = fig.layout.yaxis
    assert ax.type == "linear" and ax.rangemode == "tozero"
    assert ax.title.text == "ns per call (median)"
    bar = fig.data[0]
    assert list(bar.y) == pytest.approx([610.0, 290.0])
    assert list(bar.text) == ["610 ns · baseline", "290 ns · symnb: 2.1× faster than numpy"]
    assert list(bar.error_y.array) == pytest.approx([40.0, 10.0])      # max - median
    assert list(bar.error_y.arrayminus) == pytest.approx([10.0, 10.0])  # median - min
    assert "baseline numpy" in fig.layout.title.text


def test_bench_shows_its_table_and_its_chart_once_each():
    r = _result()
    InteractiveShell.instance()
    with capture_output() as cap:
        r._ipython_display_()
    kinds = [sorted(o.data) for o in cap.outputs]
    assert kinds == [["text/html", "text/plain"], [PLOTLY_MIME, "text/plain"]], kinds
    assert "<table class='symnb-bench'>" in cap.outputs[0].data["text/html"]
    assert cap.outputs[1].data[PLOTLY_MIME]["layout"]["yaxis"]["rangemode"] == "tozero"
    # a plain bundle (other front ends) still carries both
    assert {"text/html", PLOTLY_MIME} <= set(r._repr_mimebundle_())


@pytest.mark.parametrize("t, base, text", [
    (1e-6, 2.1e-6, "2.1× faster than numpy"), (3e-6, 1e-6, "3× slower than numpy"),
    (1e-6, 1e-6, "1× faster than numpy"), (1e-6, 5355.1e-6, "5,355× faster than numpy")])
def test_speed_text_reads_one_way(t, base, text):
    assert speed_text(t, base, "numpy") == text


def test_speed_text_refuses_zero_times():
    with pytest.raises(ValueError, match="times must be positive.*drop the failed or zero"):
        speedup(0.0, 1.0)


def test_bar_label_and_time_unit():
    assert bar_label(0.2, 0.2, "scipy", "scipy") == "200 ms · baseline"
    assert bar_label(0.25, 0.2, "symnb", "scipy") == "250 ms · symnb: 1.25× slower than scipy"
    assert time_unit([3.0, 0.2]) == ("s", 1.0) and time_unit([2e-5]) == ("µs", 1e-6)


def test_plotted_residuals_clip_exact_zero_at_eps_times_initial():
    r = plotted_residuals([4.0, 1e-3, 0.0])
    assert r[-1] == pytest.approx(4.0 * np.finfo(float).eps) and list(r[:2]) == [4.0, 1e-3]


def test_convergence_figures_log_axis_with_titles():
    A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(20, 20)).tocsr()
    res = cg(A, np.ones(20))
    res.residuals[-1] = 0.0                       # an exact solve
    fig = res.figure()
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "iteration"
    assert fig.layout.yaxis.title.text.startswith("relative residual")
    assert min(fig.data[0].y) == pytest.approx(np.finfo(float).eps * res.residuals[0])
    assert gmres(A, np.ones(20)).figure(x="matvecs").layout.xaxis.title.text == \
        "matrix–vector products"


def test_ode_figure_series_differ_in_colour_and_dash():
    from symnb.models import ODEProblem, solve
    from symnb.terms import symbols
    xs = symbols("a b c d e f")
    prob = ODEProblem([-(i + 1) * x for i, x in enumerate(xs)], list(xs), {},
                      compile_backend="python", jac=False)
    res = solve(prob, [1.0] * 6, (0.0, 1.0), backend="scipy")
    lines = [tr.line for tr in res.figure().data]
    assert len(lines) == 6
    assert len({ln.color for ln in lines}) == 6 and len({ln.dash for ln in lines}) == 6
    InteractiveShell.instance()
    with capture_output() as cap:
        res._ipython_display_()
    assert [PLOTLY_MIME in o.data for o in cap.outputs] == [False, True]
    assert "symnb-table" in cap.outputs[0].data["text/html"]


def test_spd_obstacle_names_the_reason():
    n = 12
    assert spd_obstacle(laplacian_2d(n), [grid_probe(n)]) is None
    why = spd_obstacle(helmholtz(n, seed=0, k0=8.0).A, [grid_probe(n)])
    assert why.startswith("is indefinite (Rayleigh quotient ") and why.endswith("< 0)")
    lower = sp.tril(laplacian_2d(4)).tocsr()
    assert spd_obstacle(lower) == "is not symmetric"
    with pytest.raises(ValueError, match="a probe needs 16 entries"):
        spd_obstacle(laplacian_2d(4), [np.ones(3)])


def test_split_applicable_runs_the_others_and_notes_the_skipped():
    run, note = split_applicable(["CG", "PCG (Jacobi)", "GMRES(40)"], "is indefinite (q < 0)")
    assert run == ["GMRES(40)"]
    assert note == ("CG and PCG (Jacobi) skipped: matrix is indefinite (q < 0); CG and "
                    "PCG (Jacobi) each need a symmetric positive definite matrix")
    run, note = split_applicable(["CG"], "is not symmetric")
    assert run == [] and note.startswith("CG skipped: matrix is not symmetric; CG needs ")
    assert split_applicable(["CG", "SOR"], None) == (["CG", "SOR"], None)
    assert split_applicable(["GMRES(40)"], "is not symmetric") == (["GMRES(40)"], None)
