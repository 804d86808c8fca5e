# %% [markdown]
# # 02 · Rule rewriting
#
# A **rule** is `pattern => replacement`. Patterns have *slots*: `~x` matches any one
# term, `~~xs` any run of arguments (a segment), `~x::is_integer` only terms passing a
# predicate. Sums and products are matched **modulo associativity and commutativity**
# (AC), so `~x*~z + ~y*~z` finds its two terms anywhere in a long sum, in any order.
#
# Rules are applied by **strategies** — tiny composable objects (`Postwalk`, `Fixpoint`,
# `Chain`, …) — and every rewrite can be **traced** step by step.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import symnb
from symnb import sin, cos, exp, log
from symnb.rewriting import rule, rewrite, Chain, Postwalk, Prewalk, Fixpoint, ruleset, RULESETS
%sym x y z w

# %% [markdown]
# ## Rules, slots and predicates

# %%
pyth = rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")
factor = rule("~x*~z + ~y*~z => (~x + ~y)*~z", name="factor")
powers = rule("~n::is_integer * ~y::is_symbol", lambda m: m["y"] ** m["n"])   # replacement in Python

print(pyth(sin(x + y)**2 + cos(x + y)**2))     # a rule is a callable: the rewritten term ...
print(pyth(sin(x)**2 + cos(y)**2))             # ... or None when it does not match
print(powers(3 * y), powers(x + 1))

# %% [markdown]
# ## AC matching
# The two summands that `pyth` needs are buried in a 6-term sum, separated and reordered;
# the matcher still finds them (and keeps the rest of the sum):

# %%
e = w + cos(x + y)**2 + x*z + 7 + sin(x + y)**2 + y*z
print("before:", e)
print("pyth:  ", pyth(e))

# %% [markdown]
# ## Strategies are composition, not flags
# `Chain` tries rules in turn, `Postwalk` visits arguments before their parent,
# `Fixpoint` repeats until nothing changes. The strategy object prints as what it is.

# %%
strategy = Fixpoint(Postwalk(Chain([pyth, factor])))
print(strategy)
print(strategy(e))

# %% [markdown]
# ## Watching every step: the rewrite trace
# `rewrite(..., trace=True)` returns the result and a `RewriteTrace`. Its view lists each
# step — which rule, where in the term (the path of argument indices), before and after —
# and in JupyterLab/Voila you can step through it; the rewritten subterm is highlighted.

# %%
result, trace = rewrite(e, [pyth, factor], trace=True)
trace

# %%
print("result:", result, "| stopped:", trace.stopped, "| rules used:", trace.rules_used)
for s in trace.steps:
    print(f"{s.rule:7s} at {s.path}: {s.before}  ->  {s.after}")

# %% [markdown]
# The magics do the same from one line. `%%rules NAME` defines a rule set from lines;
# `%rewrite EXPR --rules NAME --trace` shows the trace and the result.

# %%
%%rules mine
pyth: sin(~x)^2 + cos(~x)^2 => 1
log-exp: log(exp(~x)) => ~x
# a comment line

# %%
%rewrite log(exp(x*y)) + sin(z)^2 + cos(z)^2 --rules mine --trace

# %% [markdown]
# Mistakes are one red line, never a traceback:

# %%
%rewrite x + --rules mine

# %% [markdown]
# ## Shipped rule sets and `simplify`
# symnb ships rule sets as data; `rewrite(e, default_rules())` runs the default ones to a
# fixpoint.

# %%
from symnb.rewriting import default_rules
for name in RULESETS:
    print(f"{name:10s} {len(ruleset(name)):3d} rules, e.g. {ruleset(name)[0]}")

# %% [markdown]
# A rule fires only where its pattern matches, so a fixpoint of these rules misses
# identities that need a normal form first (expand, or cancel a common factor) or a chain
# of trigonometric rewrites. `simplify` is a **strategy over rules**: it also runs the
# polynomial normal forms (`cancel`, `factor`) and the rule families of each function
# family (`trigsimp` with Fu's rules, `powsimp`, `expand_log`, …), and keeps the candidate
# with the fewest operations — never one with more than its input.

# %%
for t in [(x + 1)**2 - x**2 - 2*x - 1, (x**2 - y**2)/(x - y),
          sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y)]:
    print(t)
    print("    rules to a fixpoint:", rewrite(t, default_rules()))
    print("    simplify:           ", symnb.simplify(t))

# %% [markdown]
# Its trace names the rule or stage behind each step: here the default rules `exp-mul`
# and `pythagorean`. `log(x*y) - log(x)` stays, because for complex `x`, `y` the logarithm
# of a product is not the sum of the logarithms (try `x = y = -1`).

# %%
%simplify exp(x)*exp(y) + log(x*y) - log(x) + sin(x)^2 + cos(x)^2 --trace

# %% [markdown]
# Declare the symbols positive and the family rule that splits the logarithm may fire;
# `--explain` prints the steps, each named, before the trace. How `simplify` chooses, and
# how it compares with `sympy.simplify`, is [09 · simplification](09-simplification.ipynb).

# %%
%sym p q --positive
%simplify exp(p)*exp(q) + log(p*q) - log(p) + sin(p)^2 + cos(p)^2 --explain

# %% [markdown]
# ## The same rewriter on sympy and symengine terms
# Rules walk terms through the term interface only, so the *same strategy object*
# rewrites sympy and symengine expressions, returning terms of the same library.

# %%
for t in (e, symnb.to_sympy(e), symnb.to_symengine(e)):
    r = rewrite(t, strategy)
    print(f"{type(r).__module__.split('.')[0]:10s} {r}")

# %% [markdown]
# ## Measuring: one strategy, three representations
# Random expressions with 300 atoms built from `+ * /`, simplified by the default rule
# set on each representation (the full benchmark, with 1000 atoms and several repeats,
# is `benchmarks/rewrite.py`). Every call rewrites a *fresh* expression, and
# the tracing overhead is measured too.

# %%
import random, sympy
from symnb.rewriting.matcher import clear_cache

def rand_expr(n, rng):
    syms = symnb.symbols("a b c d e")
    if n == 1:
        return rng.choice(syms) if rng.random() < 0.8 else symnb.Number(rng.randint(1, 9))
    k = rng.randint(1, n - 1)
    l, r = rand_expr(k, rng), rand_expr(n - k, rng)
    return rng.choice([l + r, l * r, l / r])

rules = default_rules()
N = 45   # 3 repeats x 15 calls, each on an expression no other call has seen
convert = {"symnb": lambda t: t, "sympy": symnb.to_sympy, "symengine": symnb.to_symengine}

def runner(name, trace=False, seed0=0):
    it = iter([convert[name](rand_expr(300, random.Random(seed0 + s))) for s in range(N)])
    def go():
        clear_cache(); sympy.core.cache.clear_cache()
        return rewrite(next(it), rules, trace=trace)
    return go

# %%
# NBVAL_IGNORE_OUTPUT
r = symnb.benchmark({"symnb": runner("symnb"), "symnb traced": runner("symnb", True, 1000),
                     "sympy terms": runner("sympy", seed0=2000),
                     "symengine terms": runner("symengine", seed0=3000)},
                    repeat=3, number=N // 3, baseline="sympy terms")
r          # the timings table, then the chart (bars from zero): each shown once

# %% [markdown]
# **What to take away:** rules are data with slots; AC matching finds terms anywhere in
# sums and products; strategies compose; traces show every step. The rewriter is the same
# code for all three representations — the differences in the measurement are the cost
# of each library's term interface. Next: [03 · e-graphs](03-egraphs.ipynb), which
# avoids choosing an order in which to apply rules at all.
