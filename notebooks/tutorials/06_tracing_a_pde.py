# %% [markdown]
# # 06 · Tracing a PDE
#
# The 3-species reaction–diffusion system of the Symbolics.jl tutorial, on an N×N grid, is
# written once as **plain numpy** (`np.roll`-style stencils, elementwise reactions). symnb
# **traces** that code on symbolic arrays, which gives
#
# * the exact sparsity of the Jacobian (no finite-difference probing),
# * a compiled in-place right-hand side (re-rolled loops) and a compiled sparse Jacobian,
# * a stiff solve on SUNDIALS CVODE with a sparse direct linear solver.
#
# Then we measure it against the usual scipy approach at a grid size that fits in a
# tutorial. The full comparison (N = 32 and 64) is `benchmarks/ode.py`, summarised by
# `make bench` in `benchmarks/results/summary.md`.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import time, inspect
import numpy as np
import plotly.graph_objects as go
import symnb

N = 20
rd = symnb.reaction_diffusion_3species(N)
print(f"N = {N}: {rd.n} states, t in {rd.t_span}")
print(inspect.getsource(rd.rhs))   # the model, as plain numpy (Mx, My: 1-D Laplacian matrices)

# %% [markdown]
# ## Trace the numpy code
# `rd.trace()` runs `rhs` on a symbolic state: every output is a term.

# %%
t0 = time.perf_counter()
traced = rd.trace()
print(f"traced {len(traced.terms)} outputs in {time.perf_counter() - t0:.3f} s")
print("output 0:", traced.terms[0])

# %% [markdown]
# ## The Jacobian's sparsity, exactly
# Each output depends on its own species at its grid point, its four neighbours (diffusion)
# and the other species at the same point (reactions). The traced pattern equals the one
# derived by hand:

# %%
S = rd.jacobian_sparsity()
E = rd.expected_sparsity()
print(f"{S.nnz} nonzeros of {rd.n**2} ({S.nnz / rd.n**2:.2%}); equal to the expected pattern:",
      (S != E).nnz == 0)

# %%
rows, cols = S.nonzero()
go.Figure(go.Scattergl(x=cols, y=rows, mode="markers", marker=dict(size=1.5)),
          layout=dict(title=f"Jacobian sparsity ({rd.n}×{rd.n})", width=430, height=430,
                      yaxis_autorange="reversed", xaxis_title="column", yaxis_title="row"))

# %% [markdown]
# ## Compile and solve
# `rd.problem()` compiles the traced RHS and its sparse Jacobian (an `ODEProblem`);
# `solve_ode` integrates on CVODE (BDF, sparse LU).

# %%
t0 = time.perf_counter()
prob = rd.problem()
t_compile = time.perf_counter() - t0
print(f"trace + compile RHS and Jacobian: {t_compile:.2f} s")
res = symnb.solve_ode(prob, rd.u0, rd.t_span)
res

# %%
A = res.y[: N * N, -1].reshape(N, N)   # first species at t = 10
go.Figure(go.Heatmap(z=A, colorscale="Viridis"),
          layout=dict(title="species 1 at t = 10", width=420, height=380))

# %% [markdown]
# ## Measuring against scipy
# Three ways to integrate the same system to t = 10 (rtol 1e-6, atol 1e-8):
#
# * **(a)** the numpy RHS under `scipy.integrate.solve_ivp(method="BDF")` with its default
#   dense finite-difference Jacobian — what you get without knowing the structure;
# * **(b)** the same, told the traced sparsity (`jac_sparsity=S`: grouped differences);
# * **(c)** symnb: compiled RHS + compiled sparse Jacobian on CVODE.
#
# All three must agree at t = 10.

# %%
from scipy.integrate import solve_ivp
f_np = lambda t, u: rd.rhs(u, t)

def timed(fn):
    t0 = time.perf_counter(); out = fn(); return time.perf_counter() - t0, out

runs = {
    "(a) scipy BDF, dense FD Jacobian": timed(lambda: solve_ivp(f_np, rd.t_span, rd.u0, method="BDF", rtol=1e-6, atol=1e-8)),
    "(b) scipy BDF + traced sparsity": timed(lambda: solve_ivp(f_np, rd.t_span, rd.u0, method="BDF", rtol=1e-6, atol=1e-8, jac_sparsity=S)),
    "(c) symnb compiled + CVODE": timed(lambda: symnb.solve_ode(prob, rd.u0, rd.t_span)),
}
final = {k: v[1].y[:, -1] for k, v in runs.items()}
ref = final["(c) symnb compiled + CVODE"]
for k, y in final.items():
    assert np.allclose(y, ref, rtol=1e-4, atol=1e-6), k
print("all three agree at t = 10 (rtol 1e-4)")

# %%
# NBVAL_IGNORE_OUTPUT
from symnb.bench.speed import bar_label, speed_text
base = runs["(a) scipy BDF, dense FD Jacobian"][0]
for k, (sec, _) in runs.items():
    print(f"{k:36s} {sec:8.3f} s   " + ("baseline" if k.startswith("(a)") else speed_text(sec, base, "(a)")))
# bars measure from zero; each is labelled with its time and its speed against (a)
go.Figure(go.Bar(x=list(runs), y=[v[0] for v in runs.values()], textposition="outside",
                 text=[bar_label(v[0], base, k[:3], "(a)") for k, v in runs.items()], cliponaxis=False),
          layout=dict(title=f"solve time to t = 10, N = {N} (one run, this machine; baseline (a))",
                      yaxis=dict(title="seconds", rangemode="tozero"), height=380))

# %% [markdown]
# Read the ratios with their fine print: (c) is timed after the first solve above (CVODE's
# own set-up is warm) and excludes the one-off trace + compile time printed earlier, which
# (b) does not need; (a) and (b) are single runs on a shared machine. The gap to (a) grows
# with N: a dense finite-difference Jacobian costs n RHS calls and an n×n LU per
# evaluation, while the traced sparse Jacobian has a fixed number of nonzeros per row.
# `benchmarks/ode.py` runs N = 32 and 64 (best of several runs, CPU and wall time).
#
# **What to take away:** tracing turns ordinary numpy code into terms, so the Jacobian's
# structure and values come for free, exactly, and compile to code a stiff solver can use.
