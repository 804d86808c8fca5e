# %% [markdown]
# # 04 · Compiling with numba
#
# `compile` turns a term DAG into readable Python source and JIT-compiles it with numba.
# Because terms are hash-consed, **common subexpressions are found for free** (each
# shared node becomes one SSA variable). For arrays of outputs, outputs with the same
# *shape* are **re-rolled into loops** over index tables, so compile time follows the
# number of distinct shapes, not the length of the expression.
#
# You will read the generated code, look at the CSE statistics, and put the compiled
# functions side by side with `sympy.lambdify`, `symengine.Lambdify` and hand-written
# numpy/numba.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import numpy as np
import symnb
from symnb import sin, cos, exp, sqrt
%sym x y

# %% [markdown]
# ## One expression: `%compile`
# `%compile NAME = EXPR` binds a compiled function (arguments: the free symbols by name,
# or `--args`). Its view shows the source and the statistics.

# %%
%compile f = sin(x)*exp(x*y) + sin(x)^2 + sqrt(sin(x)*exp(x*y))

# %%
print(f.source)
print(f(0.5, 1.5), "   check:", np.sin(0.5)*np.exp(0.75) + np.sin(0.5)**2 + np.sqrt(np.sin(0.5)*np.exp(0.75)))

# %% [markdown]
# `ops_tree` counts the operations of the expression written as a tree; `ops_cse` those
# actually executed after common-subexpression elimination:

# %%
print({k: f.stats[k] for k in ("ops_tree", "ops_cse", "source_lines")})

# %% [markdown]
# Bad input gets one line, not a traceback:

# %%
%compile g = sin(x +

# %% [markdown]
# ## Backends side by side (scalar)
# The same expression through symnb's numba and python backends, `sympy.lambdify` and
# `symengine.Lambdify` (LLVM backend). `%bench` times statements side by side.

# %%
import sympy, symengine
e = sin(x)*exp(x*y) + sin(x)**2 + sqrt(sin(x)*exp(x*y))
f_py = symnb.compile(e, [x, y], backend="python")
se, sx, sy = symnb.to_sympy(e), *sympy.symbols("x y")
f_lambdify = sympy.lambdify((sx, sy), se, cse=True)
f_symengine = symengine.Lambdify([symengine.Symbol("x"), symengine.Symbol("y")],
                                 [symnb.to_symengine(e)], backend="llvm", cse=True)
assert np.isclose(f_lambdify(0.5, 1.5), f(0.5, 1.5)) and np.isclose(f_symengine(0.5, 1.5)[0], f(0.5, 1.5))

# %%
# NBVAL_IGNORE_OUTPUT
%bench f(0.5, 1.5); f_py(0.5, 1.5); f_lambdify(0.5, 1.5); f_symengine(0.5, 1.5) --repeat 3

# %% [markdown]
# For one scalar call the arithmetic is tiny and the figures mostly measure call overhead
# — the interesting comparison is on arrays.
#
# ## Arrays: trace numpy code, re-roll loops
# A 1-D reaction–diffusion right-hand side on N = 256 points, written in plain numpy, is
# **traced** on symbolic arrays (`symnb.trace`), giving 256 output terms. `compile_array`
# with the state as one array argument finds that almost all outputs have the same shape
# and emits a loop over an index table; the two boundary outputs are straight-line code.

# %%
from symnb.tracing import trace

N = 256
def rhs(u):
    lap = np.roll(u, 1) - 2*u + np.roll(u, -1)
    return 0.1 * lap + u**2 * np.exp(-u) - 0.5 * u

traced = trace(rhs, ("u", N))
u = traced.symbols()
print(len(traced.terms), "outputs; output 5 is", traced.terms[5])

# %%
g = symnb.compile_array(traced.terms, [u], inplace=True, names=["u"])
print({k: g.stats[k] for k in ("outputs", "loops", "looped_outputs", "straight_line_outputs",
                               "ops_tree", "ops_cse", "compile_seconds")})
print("\n".join(g.source.splitlines()[:40]))

# %%
u0 = np.random.default_rng(0).random(N)
out = np.empty(N)
g(out, u0)
assert np.allclose(out, rhs(u0))
print("max |symnb - numpy| =", np.abs(out - rhs(u0)).max())

# %% [markdown]
# ### The sparse Jacobian, symbolically
# Tracing also gives the Jacobian's sparsity and its entries; compiled, it fills the CSR
# values of a tridiagonal-plus-corners matrix:

# %%
J = traced.jacobian()
print("shape", J.shape, " nonzeros", J.nnz, f" ({J.nnz / N**2:.2%} of dense)")
jac = J.compile([u], names=["u"])
vals = np.empty(J.nnz)
jac(vals, u0)
import scipy.sparse as sp
Jnum = sp.csr_matrix((vals, J.indices, J.indptr), shape=J.shape)
i = 5   # row 5: d/du4, d/du5, d/du6 of output 5
print("row 5:", Jnum[i].toarray()[0, 4:7], " expected diagonal:",
      -0.7 + 2*u0[5]*np.exp(-u0[5]) - u0[5]**2*np.exp(-u0[5]))

# %%
import plotly.graph_objects as go
rows = np.repeat(np.arange(N), np.diff(J.indptr))
go.Figure(go.Scattergl(x=J.indices, y=rows, mode="markers", marker=dict(size=2)),
          layout=dict(title="Jacobian sparsity", yaxis_autorange="reversed", width=380, height=380,
                      xaxis_title="column", yaxis_title="row"))

# %% [markdown]
# ### Backends side by side (arrays)
# All compute the same 256 outputs from one state vector:
#
# * **symnb** — the re-rolled numba function above (in place, no allocation);
# * **numpy** — the original `rhs` (allocates temporaries);
# * **hand-written numba** — the loop a person would write;
# * **sympy.lambdify** (`cse=True`) and **symengine.Lambdify** (LLVM, `cse=True`) — from the
#   same 256 terms. Their set-up (code generation + compilation) is timed too.

# %%
import time, numba

@numba.njit
def rhs_numba(out, u):
    n = u.shape[0]
    for i in range(n):
        lap = u[i - 1] - 2*u[i] + u[(i + 1) % n]
        out[i] = 0.1 * lap + u[i]**2 * np.exp(-u[i]) - 0.5 * u[i]
rhs_numba(out, u0)

setup = {}
t0 = time.perf_counter()
sym_u = [symnb.to_sympy(s) for s in u]     # names like "u[3]": lambdify replaces them by dummies
f_lambdify = sympy.lambdify([sym_u], [symnb.to_sympy(t) for t in traced.terms], cse=True)
setup["sympy.lambdify"] = time.perf_counter() - t0
t0 = time.perf_counter()
f_symengine = symengine.Lambdify([symnb.to_symengine(s) for s in u],
                                 [symnb.to_symengine(t) for t in traced.terms],
                                 backend="llvm", cse=True)
setup["symengine.Lambdify"] = time.perf_counter() - t0
setup["symnb (codegen + numba)"] = g.stats["codegen_seconds"] + g.stats["compile_seconds"]

for fn in (lambda: f_lambdify(u0), lambda: f_symengine(u0)):
    assert np.allclose(np.asarray(fn(), dtype=float).ravel(), rhs(u0))

# %%
# NBVAL_IGNORE_OUTPUT
print("set-up seconds:", {k: round(v, 3) for k, v in setup.items()})
r = symnb.benchmark({"symnb": lambda: g(out, u0), "hand numba": lambda: rhs_numba(out, u0),
                     "numpy": lambda: rhs(u0), "sympy.lambdify": lambda: f_lambdify(u0),
                     "symengine": lambda: f_symengine(u0)},
                    repeat=3, min_time=0.05, baseline="hand numba")
r          # the timings table, then the chart (bars from zero): each shown once

# %% [markdown]
# ### Why straight-line code compiles fast
# numba spends about a millisecond per operation typing and lowering straight-line Python
# (each `a * b` is looked up among all the overloads of `*`). So symnb writes the body of
# each straight-line helper (`_chunk0`, …) directly as LLVM IR through a numba
# `@intrinsic`, while numba still provides the function shell (arguments, dispatcher).
# `symnb.config.compile_llvm_chunks` switches it off, for comparison. Here are 30 outputs
# with no common shape, so nothing is re-rolled:

# %%
from symnb import config
w = list(symnb.symbols("w0:30"))
outs = [w[i] * w[(i + 7) % 30] * exp(-w[(i + 3) % 30]) + sin(w[(2 * i) % 30]) for i in range(30)]
with config.limits(compile_llvm_chunks=False):
    plain = symnb.compile_array(outs, [w], inplace=True, reroll=False)
emitted = symnb.compile_array(outs, [w], inplace=True, reroll=False)
w0 = np.random.default_rng(1).random(30)
a, b = np.empty(30), np.empty(30)
plain(a, w0)
emitted(b, w0)
print("helpers emitted as LLVM IR:", emitted.stats["llvm_chunks"], "| same bits:", np.array_equal(a, b))

# %%
# NBVAL_IGNORE_OUTPUT
print(f"numba compile: {plain.stats['compile_seconds']:.3f} s as numba source, "
      f"{emitted.stats['compile_seconds']:.3f} s with the bodies emitted as LLVM IR")

# %% [markdown]
# **What to take away:** the generated code is plain, readable Python; CSE comes from the
# shared DAG; traced numpy code compiles to a loop that runs close to a hand-written numba
# kernel. The full comparison (2-D Brusselator, 2048 states; the 356-species `egfr_net`;
# compile-time scaling) is `benchmarks/compile.py`, reported by `make bench`.
