# %% [markdown]
# # 03 · E-graphs: equality saturation
#
# A rewriter must *choose* which rule to apply and in which order — and a bad early choice
# can hide a better result. An **e-graph** keeps every equivalent form at once: rules only
# *add* equalities (e-nodes grouped in e-classes), until nothing new appears (saturation)
# or a limit is hit. Then a **cost model** extracts the cheapest term.
#
# symnb's e-graphs run on egglog, with explicit iteration/node/time limits, and the cost
# model is a visible table of CPU cycles per operation that you can **measure on this
# machine**.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import symnb
from symnb import sin, cos, exp, log, sqrt, egraph_simplify, optimize_for_eval, count_ops
%sym x y z

# %% [markdown]
# ## One line: `%simplify --egraph --report`

# %%
%simplify exp(x)*exp(y) + sin(x)^2 + cos(x)^2 --egraph --report

# %% [markdown]
# ## Inspecting the e-graph
# With `report=True` you get an `EGraphReport`: why saturation stopped, e-classes and
# e-nodes, cost before and after, and the timings. Its view draws the e-graph (e-classes
# as boxes around their e-nodes; the chosen nodes highlighted).

# %%
e = exp(x)*exp(2*x) + sin(x)**2 + cos(x)**2
best, report = egraph_simplify(e, report=True)
print("input:  ", e)
print("output: ", best)
report

# %%
print(report.summary())
print("e-classes:", report.eclasses, " e-nodes:", report.enodes, " cost ratio:", round(report.ratio, 2))

# %% [markdown]
# ## Limits are explicit
# Saturation can blow up (associativity + commutativity generate every reordering), so
# every run has an iteration limit, a node limit and a time limit, and says which one
# stopped it.

# %%
long_sum = sum((symnb.Symbol(f"a{i}") * exp(symnb.Symbol(f"b{i}")) for i in range(12)), 0)
for kw in ({"iter_limit": 2}, {"node_limit": 500}, {"time_limit": 0.2}):
    _, rep = egraph_simplify(long_sum, report=True, **kw)
    print(f"{kw!s:22s} -> {rep.summary()}")

# %% [markdown]
# ## The cost model: CPU cycles per operation
# `DEFAULT_COSTS` is the shipped table (in units of one `+`). `measure_costs()` times each
# operation with numba on *this* machine (a second or two). Both are ordinary mappings you
# can edit or pass as `cost=`.

# %%
# NBVAL_IGNORE_OUTPUT
from symnb import DEFAULT_COSTS, CostModel, measure_costs
measured = measure_costs(n=2048, repeats=3)
measured

# %%
# NBVAL_IGNORE_OUTPUT
import plotly.graph_objects as go
ops = [op for op in DEFAULT_COSTS if op in measured.measured]
fig = go.Figure([go.Bar(name="default table", x=ops, y=[DEFAULT_COSTS[o] for o in ops]),
                 go.Bar(name="measured here", x=ops, y=[measured[o] for o in ops])])
fig.update_layout(barmode="group", yaxis=dict(title="cost (units of one +)", rangemode="tozero"),
                  title="Cost of one operation", height=350)
fig

# %% [markdown]
# The cost model decides what "simpler" means. `exp(x)*exp(y)` and `exp(x + y)` are in the
# same e-class; with the shipped or measured table one `exp` is cheaper than two, but a
# (deliberately silly) model where `+` costs 1000 keeps the product:

# %%
silly = CostModel({**DEFAULT_COSTS, "+": 1000}, name="silly +")
t = exp(x) * exp(y)
for cm in (DEFAULT_COSTS, measured, silly):
    out, rep = egraph_simplify(t, cost=cm, report=True)
    d = rep.to_dict()
    print(f"{getattr(cm, 'name', 'default'):10s} -> {out}   (cost {d['cost_before']:.4g} -> {d['cost_after']:.4g})")

# %% [markdown]
# ## Rules vs e-graph, side by side
# The same inputs through `simplify(using="rules")` (the default rule sets, applied to a
# fixpoint) and `simplify(using="egraph")` (told that `x, y, z` are positive, which its
# `log` rules require); operation counts of the results. Neither wins everywhere: the
# rewriter has no order in which `(x+y)^2 - x^2 - 2xy` cancels, the e-graph finds it; the
# two engines ship different rule sets (see `symnb.egraph.rulesets`), which shows in the
# `log`/`exp` rows.

# %%
cases = [exp(x)*exp(y)*exp(z), log(x) + log(y), log(x*y) - log(x), (x + y)**2 - x**2 - 2*x*y,
         sin(x)**2 + cos(x)**2 + sin(y)**2 * x + cos(y)**2 * x, sqrt(x)**2 * exp(log(y))]
rows = []
for c in cases:
    r1 = symnb.simplify(c, using="rules")
    r2 = symnb.simplify(c, using="egraph", positive=[x, y, z])
    print(f"{str(c):42s} | rules: {str(r1):22s} ({count_ops(r1)} ops) | egraph: {r2} ({count_ops(r2)} ops)")

# %% [markdown]
# ## Measuring: does the cheaper term run faster?
# A small vector of outputs with shared work (think ODE right-hand side), optimized in
# **one shared e-graph** by `optimize_for_eval`, then both versions compiled with numba
# and timed. The benchmark `benchmarks/egraph.py` does this for the 356-species
# `egfr_net` network.

# %%
import numpy as np
a, b, c = symnb.symbols("a b c")
rhs = [exp(a)*exp(b) * sin(c)**2 + exp(a)*exp(b) * cos(c)**2,
       (a + b)**3 * exp(a + b) - a*exp(a)*exp(b),
       log(a*b) + log(b*c) - log(b**2),
       sqrt(a)**2 * exp(log(c)) / (a*c)]
opt, rep = optimize_for_eval(rhs, report=True)
for before, after in zip(rhs, opt):
    print(f"{str(before):45s} -> {after}")
print(rep.summary())

# %%
f_plain = symnb.compile_array(rhs, [a, b, c])
f_opt = symnb.compile_array(opt, [a, b, c])
args = (1.3, 0.7, 2.1)
assert np.allclose(f_plain(*args), f_opt(*args), rtol=1e-10)
print(f_plain(*args))

# %%
# NBVAL_IGNORE_OUTPUT
r = symnb.benchmark({"as written": lambda: f_plain(*args), "e-graph optimized": lambda: f_opt(*args)},
                    repeat=5, min_time=0.05, baseline="as written")
r

# %% [markdown]
# Per-call times this small include Python's call overhead, so the ratio understates the
# arithmetic saved; the e-graph's own cost ratio is in the report above.
#
# **What to take away:** the e-graph finds results that depend on no rule order, stops
# where you tell it to, and optimizes for a cost you can see and measure.
# Next: [04 · compiling with numba](04-compiling-with-numba.ipynb).
