# %% [markdown]
# # 08 · Learning to relax: choosing SOR's ω online
#
# Successive over-relaxation converges fast only near the right relaxation factor ω, and
# the right ω differs from system to system. When a *sequence* of systems arrives one at a
# time, ω can be **learned online** as a bandit problem: play an ω from a grid, observe
# only that run's iteration count, update. We compare
#
# * bandit learners — **Tsallis-INF** (no context), **contextual** Tsallis-INF (one bandit per
#   bin of a scalar context, here the shift `c`), **SquareCB/ChebCB** (a smooth regression
#   model of the cost over ω, and over `c` for ChebCB) and **ValleyCB**, which learns where the
#   cost's kink ω\*(c) lies from the iteration counts it observes, using Young's SOR theory
#   for consistently ordered matrices (these are) as its model;
# * comparators — **ω = 1** (Gauss–Seidel), the **best fixed ω in hindsight** (known only
#   after seeing every system), and the **instance-optimal ω\*** computed from each system's
#   Jacobi spectral radius (an oracle that needs an eigenvalue per system).

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import numpy as np
import plotly.graph_objects as go
import symnb
from symnb import shifted_laplacians, learn_to_relax, sor

systems = shifted_laplacians(150, n=10, seed=0)     # A = L + c I, c random per system
cs = np.array([s.context for s in systems])
print(f"{len(systems)} systems of {systems[0].A.shape[0]} unknowns; c in [{cs.min():.3f}, {cs.max():.3f}]")

# %% [markdown]
# ## Why ω matters: one system, a sweep of ω

# %%
A, b = systems[0].A, systems[0].b
omegas = np.linspace(1.0, 1.95, 20)
its = [sor(A, b, omega=w, maxiter=2000).iterations for w in omegas]
go.Figure(go.Scatter(x=omegas, y=its, mode="lines+markers"),
          layout=dict(title=f"SOR iterations vs ω (system 0, c = {cs[0]:.3f})", xaxis_title="ω",
                      yaxis_title="iterations", yaxis_type="log", height=350))

# %% [markdown]
# ## Learning ω over the sequence
# Each learner sees the systems in order and pays the iterations of the ω it chose.

# %%
res = learn_to_relax(systems, maxiter=500, seed=0)
res

# %%
totals = res.totals()
for name, total in sorted(totals.items(), key=lambda kv: kv[1]):
    print(f"{name:18s} {total:7d} iterations  ({total / totals['best fixed']:.2f}x best fixed)")

# %%
res.figure()

# %% [markdown]
# The cost of best-fixed for each ω of the grid: the learners have to find the bottom of this
# curve from bandit feedback alone.

# %%
grid = getattr(res, "grid", None)
grid = grid() if callable(grid) else grid
fixed = np.asarray(res.fixed_totals())
go.Figure(go.Scatter(x=grid if grid is not None else list(range(len(fixed))), y=fixed,
                     mode="lines+markers"),
          layout=dict(title="total iterations of each fixed ω over the sequence",
                      xaxis_title="ω" if grid is not None else "grid index", yaxis_type="log",
                      yaxis_title="iterations", height=350))

# %% [markdown]
# With few systems the learners are still exploring: their totals include the price of
# trying bad ω values early (regret), which the hindsight and oracle comparators never pay.
# The bandit guarantees are about how that price grows — sublinearly in the number of
# systems — so the gap per system shrinks on longer sequences. `benchmarks/solvers.py`
# runs T = 2000 systems and records the ratios.
