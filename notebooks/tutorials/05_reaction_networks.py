# %% [markdown]
# # 05 · Reaction networks
#
# A mass-action reaction network is an ODE system whose right-hand side is a sum of
# products: ideal for terms. We load **egfr_net** (a BioNetGen-generated EGF receptor
# signalling model, 356 species, 3749 reactions) when the project's shared data folder is
# next to the repository, and otherwise a small EGFR-like network written below — the
# tutorial runs the same way on either. Then we
#
# 1. look at the network and its stoichiometry,
# 2. compile it to an `ODEProblem` and simulate it (CVODE, compiled sparse Jacobian),
# 3. load a BioModels-style **SBML** model next to it and simulate it, events included,
# 4. run an **ensemble** of parameter sets and draw the median and quantile bands,
# 5. optimise its right-hand side in one shared e-graph and measure the compiled speed.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import os, time
from pathlib import Path
import numpy as np
import plotly.graph_objects as go
import symnb

candidates = [Path(os.environ.get("SYMNB_EGFR_NET", "egfr_net.net")),
              Path("../../shared/data/bionetgen/egfr_net.net"),     # from notebooks/
              Path("../shared/data/bionetgen/egfr_net.net")]        # from the repository root
path = next((p for p in candidates if p.is_file()), None)
if path is not None:
    net = symnb.load_bionetgen(path)
    t_end = 100.0
else:
    # a small EGFR-like network: ligand binding, dimerisation, phosphorylation, adaptor binding
    net = symnb.ReactionNetwork(
        [("L + R -> LR", 0.003), ("LR -> L + R", 0.06),
         ("LR + LR -> D", 0.01), ("D -> LR + LR", 0.1),
         ("D -> Dp", 0.5), ("Dp -> D", 4.505),
         ("Dp + G -> DpG", 0.0015), ("DpG -> Dp + G", 0.05),
         ("DpG + S -> DpGS", 0.01), ("DpGS -> DpG + S", 0.06)],
        initial={"L": 680.0, "R": 100.0, "G": 85.0, "S": 34.0},
        observables={"free receptor": "R", "phosphorylated": ["Dp", "DpG", "DpGS"],
                     "Sos recruited": "DpGS"},
        name="egfr (small)")
    t_end = 100.0
net

# %%
rhs = net.rhs()
print(f"{len(net.species)} species; d[{net.species[0]}]/dt has {symnb.count_ops(rhs[0])} operations:")
print(str(rhs[0])[:400], "..." if len(str(rhs[0])) > 400 else "")

# %% [markdown]
# ## Stoichiometry
# Rows are species, columns reactions; most entries are zero.

# %%
St = net.stoichiometry()
St = St.tocoo() if hasattr(St, "tocoo") else __import__("scipy.sparse", fromlist=["coo_matrix"]).coo_matrix(St)
go.Figure(go.Scattergl(x=St.col, y=St.row, mode="markers", marker=dict(size=2, color=St.data,
                                                                       colorscale="RdBu")),
          layout=dict(title=f"stoichiometry ({St.shape[0]} species × {St.shape[1]} reactions)",
                      yaxis_autorange="reversed", height=380, xaxis_title="reaction",
                      yaxis_title="species"))

# %% [markdown]
# ## Simulate
# `net.problem()` compiles the right-hand side and its sparse Jacobian; `solve_ode` runs
# CVODE. The observables (BioNetGen's `groups`) are weighted sums of species.

# %%
t0 = time.perf_counter()
prob = net.problem()
print(f"compile RHS + Jacobian: {time.perf_counter() - t0:.2f} s")
res = symnb.solve_ode(prob, net.u0(), (0.0, t_end), t_eval=np.linspace(0.0, t_end, 101))
res

# %%
obs = net.observe(res)
go.Figure([go.Scatter(x=res.t, y=np.asarray(v), name=k) for k, v in obs.items()],
          layout=dict(title="observables", xaxis_title="t", yaxis_type="log", height=400))

# %% [markdown]
# ## An SBML model next to it
# Most published models are in **SBML** (BioModels holds over a thousand curated ones).
# `%load_model` reads `.xml`/`.sbml` files with python-libsbml (and BioNetGen `.net`
# files too) and binds the model to a name. This small one — an enzyme, its complex, a
# product that is degraded, and a substrate pulse at t = 20 (an SBML event) — is in
# `notebooks/models/`. `simulate` returns every species, parameter and rule variable as
# SBML defines it; the same terms become one compiled right-hand side, as for BioNetGen.

# %%
sbml_file = next(p for p in (Path("models/enzyme_pulse.xml"),
                             Path("notebooks/models/enzyme_pulse.xml")) if p.is_file())
%load_model $sbml_file enzyme
sim = enzyme.simulate(np.linspace(0.0, 40.0, 201))
go.Figure([go.Scatter(x=sim.t, y=sim[k], name=k) for k in ("S", "E", "ES", "P", "total_E")],
          layout=dict(title="enzyme_pulse (SBML): substrate pulse at t = 20", xaxis_title="t",
                      yaxis_title="concentration", height=360))

# %% [markdown]
# ## Ensembles: many parameter sets, one compiled problem
# `solve_ensemble` runs the compiled problem once per parameter set (and/or initial
# state) and returns arrays `(runs, states, times)` with a status per run: a run whose
# solver fails is marked and kept (NaN rows, the solver's message), the others finish.
# Here every rate constant (where the network has named ones) and every initial amount is
# scaled by a random factor `exp(0.3 z)`. With
# `workers=N` (a dask `LocalCluster`) or `client=` an existing dask client, batches go to
# worker processes, which rebuild the problem once each; on this small example the runs
# stay in this process.

# %%
from symnb.display.models import ensemble_figure, ensemble_progress
rng = np.random.default_rng(5)
n_runs = 40 if net.name == "egfr_net" else 200
P = prob.param_values * np.exp(0.3 * rng.standard_normal((n_runs, len(prob.params)))) \
    if prob.params else None
U = net.u0() * np.exp(0.3 * rng.standard_normal((n_runs, len(net.species))))
ens = symnb.solve_ensemble(prob, P, U, times=np.linspace(0.0, t_end, 41),
                           progress=ensemble_progress())
print(ens)
ens.quantiles(q=(0.1, 0.5, 0.9))["n_ok"]

# %%
ensemble_figure(ens, which=list(net.observables)[:3])

# %% [markdown]
# ## E-graph-optimise the right-hand side
# With the rate constants substituted, all outputs go into **one** e-graph
# (`optimize_for_eval`): common factors and shared products across species are found
# together and extracted with the CPU-cycle cost model. Both versions are compiled the
# same way and must agree to rtol 1e-10.

# %%
values = net.values() if callable(net.values) else net.values
exprs = [symnb.subs(e, values) for e in rhs]
t0 = time.perf_counter()
opt, report = symnb.optimize_for_eval(exprs, report=True, time_limit=15.0, node_limit=100_000)
print(f"saturation + extraction: {time.perf_counter() - t0:.2f} s")
print(report.summary())

# %%
state = list(net.symbols)
f_plain = symnb.compile_array(exprs, [state], inplace=True, names=["u"])
f_opt = symnb.compile_array(opt, [state], inplace=True, names=["u"])
print("operations after CSE: as written", f_plain.stats["ops_cse"], "| optimised", f_opt.stats["ops_cse"])
u = np.random.default_rng(1).uniform(0.5, 2.0, len(state))
d1, d2 = np.empty(len(exprs)), np.empty(len(exprs))
f_plain(d1, u); f_opt(d2, u)
assert np.allclose(d1, d2, rtol=1e-10)

# %%
# NBVAL_IGNORE_OUTPUT
r = symnb.benchmark({"as written": lambda: f_plain(d1, u), "e-graph optimised": lambda: f_opt(d2, u)},
                    repeat=5, min_time=0.1, baseline="as written")
r

# %% [markdown]
# How much the e-graph saves depends on the network and on its budget: when saturation
# stops at the node limit before it finds shared factors, extraction keeps the input (the
# report says "input kept") and both functions are the same. `benchmarks/egraph.py` runs
# the full egfr_net with a larger budget and records the ratio in the benchmark report.
#
# **What to take away:** a network is just a vector of terms, so everything from the earlier
# tutorials — DAG sharing, e-graphs, compilation — applies to it unchanged.
