# %% [markdown]
# # symnb · solver explorer
# Pick a problem (2-D Laplacian, Darcy flow with a random permeability, Helmholtz), its
# grid size and the solvers, then press **Solve**: the convergence histories (relative
# residual against iterations or matrix-vector products) on one plot, and one row per
# solver with its iterations, matvecs, time and whether it converged.

# %%
import time

import ipywidgets as W
import numpy as np
from IPython.display import HTML, display

from symnb.solvers import cg, compare, darcy, gcrodr, gmres, helmholtz, laplacian_2d, pcg, sor, ssor

MAX_N = 200             # grid side; 200 x 200 = 40,000 unknowns keeps a click under seconds
MAX_ITER = 20_000
SOLVERS = {"CG": cg, "PCG (Jacobi)": pcg, "GMRES(40)": gmres, "GCRO-DR(40, 20)": gcrodr,
           "SOR": sor, "SSOR": ssor}
RELAXED = {"SOR", "SSOR"}    # take omega


def make_problem(name: str, n: int, seed: int):
    """The system ``(A, b)`` for problem ``name`` on an ``n x n`` grid."""
    if name == "Laplacian":
        A = laplacian_2d(n)
        return A, np.ones(A.shape[0])
    system = darcy(n, seed=seed) if name == "Darcy" else helmholtz(n, seed=seed)
    return system.A, system.b


problem = W.Dropdown(options=["Laplacian", "Darcy", "Helmholtz"], value="Darcy",
                     description="problem")
size = W.IntText(value=32, description="grid n")
seed = W.IntText(value=0, description="seed")
methods = W.SelectMultiple(options=list(SOLVERS), value=("CG", "PCG (Jacobi)", "GMRES(40)"),
                           description="solvers", rows=6)
tol = W.FloatText(value=1e-8, description="tol")
maxiter = W.IntText(value=2000, description="maxiter")
omega = W.FloatText(value=1.5, description="ω (SOR)")
xaxis = W.ToggleButtons(options=["iteration", "matvecs"], value="iteration", description="x axis")
solve_button = W.Button(description="Solve", button_style="primary")
message = W.HTML()
out_plot, out_table = W.Output(), W.Output()
last: dict = {}


def fail(msg: str) -> None:
    message.value = f"<span style='color:#b00020'>⚠ {msg}</span>"


def check() -> str | None:
    """The first problem with the settings, or None."""
    if not 4 <= size.value <= MAX_N:
        return f"grid n must be between 4 and {MAX_N} (got {size.value})"
    if not methods.value:
        return "pick at least one solver"
    if not 0 < tol.value < 1:
        return f"tol must be in (0, 1) (got {tol.value:g})"
    if not 1 <= maxiter.value <= MAX_ITER:
        return f"maxiter must be between 1 and {MAX_ITER} (got {maxiter.value})"
    if RELAXED & set(methods.value) and not 0 < omega.value < 2:
        return f"SOR/SSOR need 0 < ω < 2 (got {omega.value:g})"
    return None


def run(*_) -> None:
    out_plot.clear_output()
    out_table.clear_output()
    last.clear()
    bad = check()
    if bad:
        return fail(bad)
    t0 = time.perf_counter()
    A, b = make_problem(problem.value, size.value, seed.value)
    results, names, problems = [], [], []
    for name in methods.value:
        kw = {"omega": omega.value} if name in RELAXED else {}
        try:
            results.append(SOLVERS[name](A, b, tol=tol.value, maxiter=maxiter.value, **kw))
            names.append(name)
        except Exception as err:        # a solver's own one-line refusal (e.g. breakdown)
            problems.append(f"{name}: {str(err).splitlines()[0]}")
    wall = time.perf_counter() - t0
    last.update(results=results, names=names, problems=problems)
    status = (f"{problem.value}, {A.shape[0]:,} unknowns, {A.nnz:,} nonzeros; "
              f"{len(results)} solver(s) in {wall:.2f} s")
    if problems:
        fail(status + " — " + "; ".join(problems))
    else:
        message.value = status
    if not results:
        return
    with out_plot:
        fig = compare(results, x=xaxis.value, names=names)
        fig.update_layout(height=420, title=f"{problem.value} n={size.value}")
        display(fig)
    rows = "".join(
        f"<tr><td>{nm}</td><td>{r.iterations}</td><td>{r.matvecs}</td><td>{r.residual:.2e}</td>"
        f"<td>{r.time * 1e3:.1f}</td><td>{'yes' if r.converged else 'no: ' + r.reason}</td></tr>"
        for nm, r in zip(names, results))
    with out_table:
        display(HTML("<table class='symnb-solver-explorer'><tr><th>solver</th><th>iterations</th>"
                     "<th>matvecs</th><th>rel. residual</th><th>time (ms)</th><th>converged</th></tr>" + rows + "</table>"))


solve_button.on_click(run)
controls = W.VBox([W.HBox([problem, size, seed]), W.HBox([methods, W.VBox([tol, maxiter, omega])]),
                   W.HBox([xaxis, solve_button])])
display(W.VBox([controls, message, out_plot, out_table]))
run()

# %%
# self-check (runs under nbval; shows nothing): bad settings give a message, good ones work
size.value = 10**6
run()
assert "grid n must be" in message.value and not last, message.value
size.value = 16
omega.value = 2.5
methods.value = ("SOR",)
run()
assert "0 < ω < 2" in message.value, message.value
omega.value = 1.5
tol.value = 0.0
run()
assert "tol must be" in message.value
tol.value = 1e-8
problem.value, methods.value = "Laplacian", ("CG", "GMRES(40)", "SSOR")
run()
assert "⚠" not in message.value, message.value
assert last["names"] == ["CG", "GMRES(40)", "SSOR"] and all(r.converged for r in last["results"])
problem.value, size.value, methods.value = "Darcy", 32, ("CG", "PCG (Jacobi)", "GMRES(40)")
run()
assert "⚠" not in message.value, message.value
