# %% [markdown]
# # 01 · Terms and the term interface
#
# symnb stores expressions as a **hash-consed DAG**: building the same subterm twice gives
# the *same object*, so sharing is free and common subexpressions are visible. In this
# tutorial you will
#
# 1. declare symbols with `%sym` and build expressions,
# 2. look at the DAG,
# 3. write one generic function with the *term interface* and run it unchanged on symnb,
#    sympy and symengine terms,
# 4. measure term construction against sympy and symengine on this machine.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import symnb
from symnb import sin, cos, exp, expand, diff, subs, evaluate, parse

# %% [markdown]
# `%symnb` lists every magic with an example.

# %%
%symnb

# %% [markdown]
# ## Symbols and expressions
# `%sym x y z` puts three symbols in the notebook namespace (`%sym u[4]` would make a tuple).

# %%
%sym x y z
e = (x + y)**2 * sin(x) + sin(x) / (x + y)
e

# %% [markdown]
# Sums and products are canonical (sorted, flattened, numbers collected), and equal
# subterms are the same object — that is what hash-consing means:

# %%
a, b = (x + y) * sin(x), sin(x) * (y + x)
print(a, "|", b, "| same object:", a is b)
print("2*x + 3*x =", 2*x + 3*x, "   x*x*x =", x*x*x)

# %% [markdown]
# ## The DAG
# `%dag` draws the expression as a DAG: `x + y` and `sin(x)` appear **once** although the
# tree uses each twice. In JupyterLab the symnb renderer draws it interactively; elsewhere
# an SVG fallback is shown.

# %%
%dag (x + y)**2 * sin(x) + sin(x) / (x + y)

# %%
print("tree nodes:", symnb.count_nodes(e), "   operations:", symnb.count_ops(e))

# %% [markdown]
# ## Calculus: diff, expand, subs, evaluate

# %%
de = diff(e, x)
print("de/dx =", de)
print("expand((x+y+1)^3) =", expand((x + y + 1)**3))
print("e at y = 2x:", subs(e, {y: 2*x}))
print("e(1, 2) =", evaluate(e, {x: 1.0, y: 2.0}))

# %% [markdown]
# ## Parsing text safely
# `parse` reads math text without `eval`; bad input is a one-line `ParseError`.

# %%
print(parse("sin(x)^2 + cos(x)^2 - 1/(1+x)"))
try:
    parse("sin(x +* 2")
except symnb.ParseError as err:
    print("ParseError:", err)

# %% [markdown]
# ## One generic function for three representations
# Algorithms in symnb walk terms only through the **term interface**: `iscall`,
# `operation`, `arguments`, `maketerm`, plus `issym`/`isnumber`. The same interface is
# implemented for sympy and symengine objects, so the function below — the *operation
# histogram* of a term, counting each distinct subterm once — runs unchanged on all three.
# (The counts differ where the libraries store things differently: sympy writes
# `a/b` as `a*b^-1`, symengine keeps `2*(x+y)^2`-style powers inside products.)

# %%
from collections import Counter
from symnb import iscall, arguments, opname

def op_histogram(t):
    """Count operations in the DAG of ``t`` (shared subterms once)."""
    seen, hist, stack = set(), Counter(), [t]
    while stack:
        u = stack.pop()
        if u in seen or not iscall(u):
            continue
        seen.add(u)
        hist[opname(u)] += 1
        stack.extend(arguments(u))
    return dict(sorted(hist.items()))

from symnb import to_sympy, to_symengine
for name, t in [("symnb", e), ("sympy", to_sympy(e)), ("symengine", to_symengine(e))]:
    print(f"{name:10s} {type(t).__name__:10s} {op_histogram(t)}")

# %% [markdown]
# Round trips are exact, so you can move between libraries freely:

# %%
print(symnb.from_sympy(to_sympy(e)) is e, symnb.from_symengine(to_symengine(e)) is e)

# %% [markdown]
# ## Measuring: term construction vs sympy and symengine
# The classic loop `s = s + x[i]*y[i]` over 200 fresh symbols, in each library.
# sympy caches results, so its cache is cleared before every call. Absolute times on a
# shared machine are noisy; the **ratios** in the table are what to read. `r` shows the
# table and then the chart, once each: bars from zero, each labelled with its time and how
# it compares with the baseline, sympy (`r.figure()` returns the chart on its own). (The
# full benchmark is `benchmarks/terms.py`, reported by `make bench`.)

# %%
import sympy, symengine

def build_sum(S, zero, n=200):
    xs = [S(f"a{i}") for i in range(n)]
    ys = [S(f"b{i}") for i in range(n)]
    def go():
        s = zero
        for i in range(n):
            s = s + xs[i] * ys[i]
        return s
    return go

sym_go = build_sum(sympy.Symbol, sympy.Integer(0))
def sympy_go():
    sympy.core.cache.clear_cache()
    return sym_go()

candidates = {"symnb": build_sum(symnb.Symbol, 0),
              "symengine": build_sum(symengine.Symbol, symengine.Integer(0)),
              "sympy": sympy_go}
# all three build the same sum
assert symnb.from_sympy(sympy_go()) is candidates["symnb"]()

# %%
# NBVAL_IGNORE_OUTPUT
r = symnb.benchmark(candidates, repeat=3, min_time=0.05, baseline="sympy")
r

# %% [markdown]
# **What to take away:** terms are shared (hash-consed) DAGs; the term interface makes
# algorithms representation-independent; and the measurement above, made on *your*
# machine, shows where symnb's construction cost sits between sympy and symengine.
# Next: [02 · rule rewriting](02-rule-rewriting.ipynb).
