# %% [markdown]
# # symnb · solver explorer
# Pick a problem (2-D Laplacian, Darcy flow with a random permeability, Helmholtz, a shifted
# Laplacian, a heat-equation Crank–Nicolson step), its grid size (at most 200 × 200 = 40,000
# unknowns), the solvers, the relative tolerance and the iteration cap, then press **Solve**:
# the convergence histories (relative residual ‖b − Ax‖/‖b‖) grow on one plot *while* each
# solver runs, with a progress bar, and then one row per solver gives its iterations, matvecs,
# time and why it stopped. The x-axis toggle redraws the finished histories against
# iterations or matrix-vector products. CG and PCG need a symmetric positive definite matrix:
# on an indefinite problem (Helmholtz, or a shifted Laplacian with a negative enough shift)
# the dashboard skips them with a note and runs the other solvers. Each solver's numba
# kernels are compiled (or loaded from numba's cache) once, on a tiny system, before it is
# timed: the compile time is reported on its own, never inside a solver's time. Each Solve
# runs under a budget of 10 s (`symnb.display.budget`): past it the solvers stop, the
# dashboard says "stopped after 10 s: …" and answers the next Solve at once.

# %%

import html
import math
import time

import ipywidgets as W
from symnb.display.ready import in_voila, on_first_view
import numpy as np
import plotly.graph_objects as go
from IPython.display import display

from symnb import config
from symnb.display.budget import run_within
from symnb.display.live import live_solve, sync_figure
from symnb.solvers import (cg, darcy, gcrodr, gmres, heat_sequence, helmholtz, laplacian_2d, pcg,
                           shifted_laplacians, sor, ssor)
from symnb.solvers.applicable import grid_probe, split_applicable, spd_obstacle
from symnb.solvers.result import AXIS_TITLES, RESIDUAL_TITLE

MIN_N, MAX_N = 4, 200    # grid side; 200 x 200 = 40,000 unknowns keeps a click within seconds
MAX_ITER = 20_000
INTERVAL = 0.1           # seconds between live redraws of the plot and the progress bar
BUDGET_S = config.dashboard_seconds  # one interaction's wall-clock budget (SYMNB_BUDGET_SECONDS)
SOLVERS = {"CG": cg, "PCG (Jacobi)": pcg, "GMRES(40)": gmres, "GCRO-DR(40, 20)": gcrodr,
           "SOR": sor, "SSOR": ssor}
RELAXED = {"SOR", "SSOR"}    # take omega
PROBLEMS = ["Laplacian", "Darcy", "Helmholtz", "Shifted Laplacian", "Heat (Crank–Nicolson step)"]


def make_problem(name: str, n: int, seed: int):
    """The system ``(A, b)`` for problem ``name`` on an ``n x n`` grid."""
    if name == "Laplacian":
        A = laplacian_2d(n)
        return A, np.ones(A.shape[0])
    if name == "Darcy":
        s = darcy(n, seed=seed)
    elif name == "Helmholtz":
        s = helmholtz(n, seed=seed, k0=8.0)     # k^2 ~ 64 > 2 pi^2: indefinite
    elif name == "Shifted Laplacian":
        s = shifted_laplacians(1, n=n, seed=seed)[0]
    else:
        s = heat_sequence(n, steps=1, seed=seed)[0]
    return s.A, s.b


def not_spd(A, n: int) -> str | None:
    """Why ``A`` is certainly not SPD (symmetry, diagonal, the smoothest grid mode's
    Rayleigh quotient, negative for these indefinite problems), or None."""
    return spd_obstacle(A, [grid_probe(n)])


def warm_up(chosen: list) -> float:
    """Compile (or load from numba's cache) the kernels of the solvers not yet run in this
    kernel, on a tiny Laplacian, so no solver's time includes it; returns the seconds."""
    todo = [nm for nm in chosen if nm not in warmed]
    if not todo:
        return 0.0
    t0 = time.perf_counter()
    A = laplacian_2d(6)
    for nm in todo:
        kw = {"omega": 1.5} if nm in RELAXED else {}
        SOLVERS[nm](A, np.ones(A.shape[0]), tol=1e-10, maxiter=200, **kw)
        warmed.add(nm)
    return time.perf_counter() - t0


problem = W.Dropdown(options=PROBLEMS, value="Darcy", description="problem")
size = W.IntText(value=32, description="grid n")
seed = W.IntText(value=0, description="seed")
methods = W.SelectMultiple(options=list(SOLVERS), value=("CG", "PCG (Jacobi)", "GMRES(40)"),
                           description="solvers", rows=6)
tol = W.FloatText(value=1e-8, description="rtol")
maxiter = W.IntText(value=2000, description="maxiter")
omega = W.FloatText(value=1.5, description="ω (SOR)")
xaxis = W.ToggleButtons(options=["iteration", "matvecs"], value="iteration", description="x axis")
solve_button = W.Button(description="Solve", button_style="primary")
message = W.HTML()
bar = W.FloatProgress(value=0.0, min=0.0, max=1.0, description="", bar_style="info")
bar_label = W.Label("")
table = W.HTML()
# the layout goes into the constructor: a view opened later starts from this state (a
# FigureWidget shown inside a VBox is never "displayed", so update_layout after construction
# would reach only views already open -- Voila's showed a linear axis with no titles)
fig = go.FigureWidget(layout=dict(
    height=420, template="plotly_white", title="press Solve",
    xaxis=dict(title=AXIS_TITLES["iteration"]),
    yaxis=dict(type="log", title=RESIDUAL_TITLE, exponentformat="power")))
last: dict = {}
warmed: set = set()          # solvers whose numba kernels are compiled in this kernel


def fail(msg: str) -> None:
    message.value = f"<span style='color:#b00020'>⚠ {html.escape(msg)}</span>"


def check() -> str | None:
    """The first problem with the settings, or None."""
    if not MIN_N <= size.value <= MAX_N:
        return (f"grid n must be between {MIN_N} and {MAX_N} (at most {MAX_N ** 2:,} unknowns); "
                f"got {size.value}")
    if not methods.value:
        return "pick at least one solver"
    if not 0 < tol.value < 1:
        return f"rtol must be in (0, 1) (got {tol.value:g})"
    if not 1 <= maxiter.value <= MAX_ITER:
        return f"maxiter must be between 1 and {MAX_ITER} (got {maxiter.value})"
    if RELAXED & set(methods.value) and not 0 < omega.value < 2:
        return f"SOR/SSOR need 0 < ω < 2 (got {omega.value:g})"
    return None


def draw_axis(*_) -> None:
    """Redraw the finished histories against the chosen x axis."""
    if not last.get("results"):
        return
    with fig.batch_update():
        for tr, r in zip(fig.data, last["results"]):
            tr.x = (list(range(len(r.residuals))) if xaxis.value == "iteration"
                    else [int(m) for m in r.matvec_history])
        fig.layout.xaxis.title.text = AXIS_TITLES[xaxis.value]
    sync_figure(fig)


def show_table(names: list, results: list) -> None:
    rows = "".join(
        f"<tr><td>{html.escape(nm)}</td><td>{r.iterations}</td><td>{r.matvecs}</td>"
        f"<td>{r.residual:.2e}</td><td>{r.time * 1e3:.1f}</td><td>{html.escape(r.reason)}</td></tr>"
        for nm, r in zip(names, results))
    table.value = ("<table class='symnb-solver-explorer'><tr><th>solver</th><th>iterations</th>"
                   "<th>matvecs</th><th>rel. residual</th><th>time (ms)</th><th>stopped: reason</th>"
                   "</tr>" + rows + "</table>")


def clear() -> None:
    last.clear()
    fig.data = []
    fig.layout.title.text = "press Solve"
    table.value = ""
    bar.value, bar.bar_style, bar_label.value = 0.0, "info", ""


def solve_all() -> None:
    n, chosen = size.value, list(methods.value)
    t0 = time.perf_counter()
    A, b = make_problem(problem.value, n, seed.value)
    chosen, skipped = split_applicable(chosen, not_spd(A, n))
    if not chosen:
        return fail(f"{skipped}. Pick GMRES or GCRO-DR.")
    compile_s = warm_up(chosen)
    message.value = f"solving {problem.value}, {A.shape[0]:,} unknowns …"
    fig.layout.title.text = f"{problem.value} n={n}: live convergence"
    fig.layout.xaxis.title.text = AXIS_TITLES["iteration"]
    redraws: list = []
    results, names, problems = [], [], []
    for k, name in enumerate(chosen):
        def progress(it: int, rel: float, name=name, k=k) -> None:
            redraws.append((name, it))
            bar.value = min(1.0, max(0.0, math.log(max(rel, 1e-300)) / math.log(tol.value)))
            bar_label.value = f"{name} ({k + 1}/{len(chosen)}): iteration {it}, residual {rel:.1e}"
        kw = {"omega": omega.value} if name in RELAXED else {}
        try:
            r, _ = live_solve(SOLVERS[name], A, b, fig=fig, name=name, interval=INTERVAL,
                              on_redraw=progress, tol=tol.value, maxiter=maxiter.value, **kw)
        except Exception as err:         # a solver's own one-line refusal (e.g. zero diagonal)
            if len(fig.data) > len(results):
                fig.data = fig.data[:len(results)]
            problems.append(f"{name}: {str(err).splitlines()[0]}")
            continue
        results.append(r)
        names.append(name)
    wall = time.perf_counter() - t0
    last.update(results=results, names=names, problems=problems, redraws=redraws,
                skipped=skipped, compile_s=compile_s)
    fig.layout.title.text = f"{problem.value} n={n}"
    draw_axis()
    show_table(names, results)
    bar.value = 1.0 if results and all(r.converged for r in results) else bar.value
    bar.bar_style = "success" if results and all(r.converged for r in results) else "warning"
    bar_label.value = f"{len(results)} solver(s) in {wall:.2f} s"
    status = (f"{problem.value}, {A.shape[0]:,} unknowns, {A.nnz:,} nonzeros; "
              f"{len(results)} solver(s) in {wall:.2f} s")
    if compile_s:
        status += f" (incl. {compile_s:.2f} s numba compile on first use, not in the timings)"
    if problems:
        fail(status + " — " + "; ".join(problems))
    else:
        message.value = html.escape(status)
    if skipped:     # a note, not a warning: the solvers that apply ran
        message.value += f"<br><span class='symnb-note'>ℹ {html.escape(skipped)}</span>"


def run(*_) -> None:
    clear()
    bad = check()
    if bad:
        return fail(bad)
    solve_button.disabled = True
    what = f"solving {problem.value} n={size.value} with {', '.join(methods.value)}"
    try:        # the solvers run in a worker thread, stopped at the budget
        got = run_within(solve_all, what=what, seconds=BUDGET_S)
        if not got.ok:              # stopped, or anything else: the dashboard stays alive
            fail(got.message)
            bar.bar_style = "warning"
    finally:
        solve_button.disabled = False
        sync_figure(fig)     # a view opened later (Voila, after the notebook ran) starts from here


def redraw_axis(*_) -> None:
    got = run_within(draw_axis, what=f"redrawing against {xaxis.value}", seconds=BUDGET_S)
    if not got.ok:
        fail(got.message)


solve_button.on_click(run)
xaxis.observe(redraw_axis, names="value")
controls = W.VBox([W.HBox([problem, size, seed]), W.HBox([methods, W.VBox([tol, maxiter, omega])]),
                   W.HBox([xaxis, solve_button])])
# the first solve runs once the page shows the widgets (see symnb.display.ready), so its
# live updates reach an open view
display(W.VBox([controls, message, W.HBox([bar, bar_label]), fig, table, on_first_view(run)]))

# %%
# self-check (runs under nbval; shows nothing): bad settings give a message, good ones work
# (Voila viewers skip it: it would only slow the page down)
if not in_voila():
    for attr, value, expect in [(size, 0, "grid n must be"), (size, 10**6, "grid n must be"),
                                (tol, 0.0, "rtol must be"), (tol, -1e-3, "rtol must be"),
                                (maxiter, 0, "maxiter must be"), (methods, (), "pick at least one")]:
        keep = attr.value
        attr.value = value
        run()
        assert expect in message.value and "⚠" in message.value and not last, message.value
        assert len(fig.data) == 0 and not solve_button.disabled
        attr.value = keep
    size.value, methods.value, omega.value = 16, ("SOR",), 2.5
    run()
    assert "SOR/SSOR need 0 &lt; ω" in message.value, message.value
    omega.value = 1.5
    problem.value, methods.value = "Helmholtz", ("CG", "GMRES(40)")
    run()       # CG does not apply: skipped with a note, GMRES runs
    assert "CG skipped: matrix is indefinite" in message.value and "CG needs" in message.value
    assert "⚠" not in message.value and last["names"] == ["GMRES(40)"], message.value
    assert [t.name for t in fig.data] == ["GMRES(40)"]
    methods.value = ("CG", "PCG (Jacobi)")
    run()       # nothing applies: one line that says what to pick
    assert "⚠ CG and PCG (Jacobi) skipped" in message.value and "Pick GMRES" in message.value
    assert not last and len(fig.data) == 0, message.value
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.title.text == RESIDUAL_TITLE
    methods.value = ("GMRES(40)", "GCRO-DR(40, 20)")
    run()
    assert "⚠" not in message.value and last["names"] == ["GMRES(40)", "GCRO-DR(40, 20)"], message.value
    assert [t.name for t in fig.data] == last["names"]
    # live: with no throttle every iteration redraws, and the trace grows as the solver runs
    INTERVAL = 0.0
    problem.value, methods.value = "Laplacian", ("CG", "GMRES(40)", "SSOR")
    run()
    assert "⚠" not in message.value, message.value
    assert last["names"] == ["CG", "GMRES(40)", "SSOR"] and all(r.converged for r in last["results"])
    assert [t.name for t in fig.data] == last["names"]
    for nm, r, tr in zip(last["names"], last["results"], fig.data):
        its = [it for name, it in last["redraws"] if name == nm]
        assert its[:-1] == list(range(1, r.iterations + 1)), (nm, its[:5])
        assert len(tr.y) == len(r.residuals)
    assert bar.bar_style == "success" and "3 solver(s)" in bar_label.value
    xaxis.value = "matvecs"
    assert list(fig.data[1].x) == [int(m) for m in last["results"][1].matvec_history]
    xaxis.value = "iteration"
    INTERVAL = 0.1
    # past its budget a solve stops with one line, and the next one works
    BUDGET_S = 0.05
    problem.value, size.value, methods.value, omega.value = "Laplacian", 128, ("SOR",), 1.0
    tol.value, maxiter.value = 1e-10, MAX_ITER
    run()
    assert message.value.endswith("stopped after 0.05 s: solving Laplacian n=128 with SOR</span>"), message.value
    assert not last and not solve_button.disabled
    BUDGET_S, tol.value, maxiter.value, omega.value = config.dashboard_seconds, 1e-8, 2000, 1.5
    problem.value, size.value, methods.value = "Darcy", 32, ("CG", "PCG (Jacobi)", "GMRES(40)")
    run()
    assert "⚠" not in message.value and len(fig.data) == 3, message.value
