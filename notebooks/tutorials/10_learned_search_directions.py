# %% [markdown]
# # 10 · Learned search directions: the Deep Conjugate Direction Method
#
# CG picks each search direction from the residual by a fixed rule. The **Deep Conjugate
# Direction Method** (DCDM; Kaneda et al., ICML 2023) lets a convolutional network propose
# it instead: ideally `N(r) ≈ A⁻¹ r`, so one step would solve the system. The iteration
# stays safe whatever the network says:
#
# 1. `d = N(r / ‖r‖)` — the network's guess from the normalised residual;
# 2. A-orthogonalise `d` against the last `memory` directions (the paper keeps 2);
# 3. exact line search `α = r·d / d·Ad`, then `x += α d`, `r -= α Ad`.
#
# The network is trained **without labels** (no solutions): a direction is good when `A N(r)`
# reproduces `r` up to a scalar, so the loss per training vector is
# `min_s ‖r − s·A N(r)‖² / ‖r‖² = 1 − cos²(r, A N(r))`.
#
# Here the systems are 2-D Darcy problems `−div(K grad h) = 1` with `K = exp(random field)`
# (tutorial 07). The network is a small U-net (16 channels, 7k weights) whose coarsening
# level is applied recursively with *shared* weights, so the same weights run at 32×32 and
# 64×64. It works on the Jacobi-scaled system `D^-½ A D^-½` and also sees `log diag A`.
# Inference is numpy; training needs JAX (`pip install 'symnb[learn]'`).

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import time
import numpy as np
import scipy.sparse.linalg as spla
import plotly.graph_objects as go
from symnb.solvers import AMG, ILU0, cg, darcy, darcy_sequence, deflated_cg
from symnb.solvers.dcdm import DirectionNet, dcdm
from symnb.solvers.dcdm_learn import train_direction_net

net = DirectionNet.pretrained()
m = net.meta
print(f"shipped weights: {net.channels} channels, trained on grids {[int(g) for g in m['grids']]} "
      f"({m['systems']} Darcy matrices, {m['steps']} Adam steps), final loss {m['final_loss']:.4f}")

# %%
# NBVAL_IGNORE_OUTPUT
print(f"training took {m['train_seconds']:.0f} s on this project's 2-core CPU "
      f"(benchmarks/_dcdm_train.py, JAX {m['jax']})")

# %%
go.Figure(go.Scatter(x=m["loss_steps"], y=m["loss_values"], mode="lines+markers"),
          layout=dict(title="training the shipped network: label-free loss", height=340,
                      xaxis_title="Adam step", yaxis_title="mean 1 − cos²(r, A N(r))", yaxis_type="log"))

# %% [markdown]
# ## Training from scratch, briefly
# The same routine on four 16×16 matrices for 150 steps, to watch the loss fall (the shipped
# weights took the longer run above; `benchmarks/_dcdm_train.py` reproduces them). Training
# vectors follow the paper: random combinations of eigenvectors, weighted 9:1 towards the
# low half of the spectrum, where CG is slow.

# %%
small, hist = train_direction_net(darcy_sequence(4, 16, seed=3000), vectors_per_system=64, channels=8,
                                  steps=150, batch=16, log_every=25)
print("loss every 25 steps:", " ".join(f"{v:.3f}" for _, v in hist))
assert hist[-1][1] < hist[0][1]

# %% [markdown]
# ## What a learned direction looks like
# On a held-out system (the training seeds start at 1000), compare the network's direction for
# the right-hand side with the exact `A⁻¹ b`, after the best scalar.

# %%
s = darcy(32, seed=7)
d = net.directions(s.A)(s.b / np.linalg.norm(s.b))
e = spla.spsolve(s.A.tocsc(), s.b)
cos = abs(d @ e) / np.linalg.norm(d) / np.linalg.norm(e)
print(f"cos(N(b), A⁻¹b) = {cos:.3f}")
fig = go.Figure()
for i, (z, title) in enumerate([(np.log(s.params), "log K"), (d / np.abs(d).max(), "N(b), scaled"),
                                (e / np.abs(e).max(), "A⁻¹ b, scaled")]):
    fig.add_heatmap(z=z, x0=0, y0=0, colorscale="Viridis", showscale=False, xaxis=f"x{i + 1}", yaxis=f"y{i + 1}")
fig.update_layout(grid=dict(rows=1, columns=3), height=300, title="held-out 32×32 system")
fig

# %% [markdown]
# ## A known method as a check
# With the identity as "network" and `memory=1`, the iteration is CG in exact arithmetic: the
# residual histories coincide until rounding (which CG amplifies) separates them.

# %%
r_id = dcdm(s.A, s.b, tol=1e-6, net="identity", memory=1)
r_cg = cg(s.A, s.b, tol=1e-6)
print(f"identity-DCDM {r_id.iterations} iterations, CG {r_cg.iterations}; "
      f"max relative gap over the first 20 residuals {np.max(np.abs(r_id.residuals[:20] / r_cg.residuals[:20] - 1)):.0e}")

# %% [markdown]
# ## Against CG, ICCG, recycled CG and AMG-PCG
# Four held-out systems per grid size, rtol `1e-6`. ICCG is CG with IC(0) (symnb's `ILU0`);
# recycled CG is `deflated_cg` carrying 8 Ritz vectors from system to system; AMG-PCG is CG
# with one pyamg smoothed-aggregation V-cycle. DCDM runs with the paper's `memory=2` and with
# `memory=20`. Times include each method's set-up (IC(0) factorisation, AMG hierarchy).

# %%
def run_all(n, count=4, seed=500):
    systems = darcy_sequence(count, n, seed=seed)
    out = {k: [] for k in ("CG", "ICCG", "recycled CG", "AMG-PCG", "DCDM (memory 2)", "DCDM (memory 20)")}
    times = {k: 0.0 for k in out}
    space = None
    for s in systems:
        runs = {"CG": lambda: cg(s.A, s.b, tol=1e-6),
                "ICCG": lambda: cg(s.A, s.b, tol=1e-6, M=ILU0(s.A)),
                "recycled CG": lambda: deflated_cg(s.A, s.b, tol=1e-6, k=8, recycle=space),
                "AMG-PCG": lambda: cg(s.A, s.b, tol=1e-6, M=AMG(s.A)),
                "DCDM (memory 2)": lambda: dcdm(s.A, s.b, tol=1e-6, net=net, memory=2, maxiter=2000),
                "DCDM (memory 20)": lambda: dcdm(s.A, s.b, tol=1e-6, net=net, memory=20, maxiter=2000)}
        for name, solve in runs.items():
            t0 = time.perf_counter()
            res = solve()
            times[name] += time.perf_counter() - t0
            assert res.converged, (name, n, res.reason)
            out[name].append(res)
            if name == "recycled CG":
                space = res.recycle
    return out, times

cg(darcy(8, seed=0).A, np.ones(64), M=ILU0(darcy(8, seed=0).A))   # JIT warm-up, not timed
results = {n: run_all(n) for n in (32, 64)}
names = list(results[32][0])
print(f"{'mean iterations':18s}" + "".join(f"{n:>8d}²" for n in results))
for name in names:
    print(f"{name:18s}" + "".join(f"{np.mean([r.iterations for r in results[n][0][name]]):9.1f}" for n in results))

# %%
fig = go.Figure()
for n in results:
    fig.add_bar(name=f"{n}×{n}", x=names, y=[np.mean([r.iterations for r in results[n][0][k]]) for k in names])
fig.update_layout(title="iterations to rtol 1e-6 (mean of 4 held-out systems)", barmode="group", height=380,
                  xaxis_title="method", yaxis_title="iterations", yaxis_rangemode="tozero")
fig

# %%
# NBVAL_IGNORE_OUTPUT
fig = go.Figure()
for n in results:
    fig.add_bar(name=f"{n}×{n}", x=names, y=[1e3 * results[n][1][k] / 4 for k in names])
fig.update_layout(title="wall time per system, set-up included (this machine)", barmode="group", height=380,
                  xaxis_title="method", yaxis_title="milliseconds", yaxis_rangemode="tozero")
fig

# %%
fig = go.Figure()
for name in ("CG", "ICCG", "AMG-PCG", "DCDM (memory 2)", "DCDM (memory 20)"):
    for n, dash in ((32, "solid"), (64, "dot")):
        r = results[n][0][name][0]
        fig.add_scatter(y=r.residuals, mode="lines", name=f"{name}, {n}²", line=dict(dash=dash))
fig.update_layout(title="convergence on the first held-out system", height=420, xaxis_title="iteration",
                  yaxis_title="relative residual ‖b − Ax‖/‖b‖", yaxis_type="log")
fig

# %% [markdown]
# ## Is the iteration count independent of the grid size?
# The paper's claim. One system per size from 16² to 64²: growth factors per doubling of
# the grid (CG's grows like the condition number's square root, about 2×).

# %%
sizes = (16, 32, 64)
growth = {"CG": [], "ICCG": [], "AMG-PCG": [], "DCDM (memory 20)": []}
for n in sizes:
    s = darcy(n, seed=600)
    growth["CG"].append(cg(s.A, s.b, tol=1e-6).iterations)
    growth["ICCG"].append(cg(s.A, s.b, tol=1e-6, M=ILU0(s.A)).iterations)
    growth["AMG-PCG"].append(cg(s.A, s.b, tol=1e-6, M=AMG(s.A)).iterations)
    growth["DCDM (memory 20)"].append(dcdm(s.A, s.b, tol=1e-6, net=net, memory=20, maxiter=2000).iterations)
for name, its in growth.items():
    print(f"{name:18s} iterations {its}  growth per doubling {[round(b / a, 2) for a, b in zip(its, its[1:])]}")
fig = go.Figure([go.Scatter(x=[n * n for n in sizes], y=its, name=name, mode="lines+markers")
                 for name, its in growth.items()])
fig.update_layout(title="iterations against problem size", height=380, xaxis_type="log", yaxis_type="log",
                  xaxis_title="unknowns n²", yaxis_title="iterations to rtol 1e-6")
fig

# %% [markdown]
# ## What the measurements say
# Figures from the run above (one run on a shared 2-core CPU; iteration counts are
# deterministic, times are this machine's).
#
# **Where DCDM wins.** In iterations, against the Krylov methods without multigrid: at 32²
# (the training size) it needs 25.5 iterations with the paper's `memory=2` and 18 with
# `memory=20`, against 263 for CG, 240 for recycled CG and 29 for ICCG — about 10–15× fewer
# than CG, from a network with 7k weights trained for about three minutes without a single
# solution. At 64² (never seen in training) it still needs 4.6× (memory 2) to 10× (memory 20)
# fewer iterations than CG.
#
# **Where it does not.**
# - *AMG-PCG* needs 6–7 iterations at both sizes: multigrid already is the "learned" coarse
#   correction here, built exactly from `A`.
# - *Size independence* — the paper's claim — does **not** hold for this network: with
#   memory 20 the count goes 13 → 17 → 53 from 16² to 64², so it grows 3× on the one doubling
#   outside the training sizes (16², 32²), faster than CG's 2.2×. With `memory=2` the 64²
#   count (133) is worse than ICCG's (64.5). AMG's count (5 → 6 → 7) is the size-independent one.
# - *Wall time*: every DCDM iteration evaluates the network (numpy on the CPU: about 6 ms at
#   32², 20 ms at 64²) where CG spends microseconds on a sparse matvec, so DCDM is the
#   slowest method here by one to two orders of magnitude, even where it takes the fewest
#   iterations. The paper's setting — a GPU network against a 3-D Poisson solve with a
#   fixed matrix reused many times — is where the trade can pay off.
#
# Improving the picture is a matter of the network: training on more sizes, more channels
# and longer (`benchmarks/_dcdm_train.py --help`); the iteration (`symnb.solvers.dcdm.dcdm`)
# accepts any `DirectionNet` or plain callable `r -> d`.
