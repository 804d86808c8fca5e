# %% [markdown]
# # 09 · Simplification
#
# "Simplify this" is not one algorithm. symnb's `simplify(e)` is a **search**: it reads
# which function families and shapes occur in `e`, runs the *chains of stages* that fit
# (the default rules, the polynomial normal forms `cancel` and `factor`, the trigonometric,
# hyperbolic, power and log families), and keeps the **cheapest** candidate under a cost
# measure. It never returns something costlier than its input, never changes a value
# anywhere on the complex plane unless an **assumption** allows it, and can tell you
# **why** it did what it did.
#
# This tutorial goes bottom-up: normal forms, strategies and cost, assumptions, the trace
# of why, symnb beside `sympy.simplify` (results and time, measured here), and the
# e-graph simplifier.

# %%
if "symnb" not in get_ipython().extension_manager.loaded:   # `make lab` kernels load it
    %load_ext symnb
import time
import symnb
from symnb import sin, cos, tan, exp, log, sqrt, sinh, cosh, simplify, count_ops
%sym x y z a b

# %% [markdown]
# ## 1 · Normal forms
# `symnb.polys` computes polynomial and rational normal forms over the rationals with
# [python-flint](https://fredrikj.net/python-flint/)'s multivariate polynomials. Unlike
# `simplify`, each has a *definite* output shape:
#
# | function | output |
# |---|---|
# | `expand` | a sum of monomials |
# | `together` | one fraction `p/q` |
# | `cancel` | `p/q` with `gcd(p, q) = 1` |
# | `factor` | a product of irreducible factors over Q |
# | `collect(e, x)` | a sum grouped by powers of `x` |
# | `apart(e, x)` | partial fractions in `x` (univariate) |

# %%
from symnb.polys import expand, together, cancel, factor, collect, apart, PolynomialTooLarge

print("expand  ", expand((x + y)**3))
print("together", together(1/x + 1/y))
print("cancel  ", cancel((x**3 - 1)/(x - 1)))
print("factor  ", factor(x**4 - y**4))
print("collect ", collect(a*x + b*x + a*y + x**2*y, x))
print("apart   ", apart((3*x + 5)/(x**2 + x - 2), x))

# %% [markdown]
# Anything that is not a polynomial in the symbols — `sin(x)`, `exp(x)`, `sqrt(x)` — is
# treated as **one more variable** (a generator). So `cancel` sees
# `(sin(x)^2 - 1)/(sin(x) - 1)` as `(s^2 - 1)/(s - 1)` with `s = sin(x)`:

# %%
print(cancel((sin(x)**2 - 1)/(sin(x) - 1)))
print(cancel((exp(2*x) - 1)/(exp(x) - 1)))
print(factor(sin(x)**2 - cos(x)**2))

# %% [markdown]
# ### Refusing to explode
# `(x + y + z + 1)^200` has over a million terms. Every normal form takes `max_terms=`
# (default `symnb.polys.DEFAULT_MAX_TERMS`) and checks an **upper bound** on the size of
# the result *before* doing the work, so the refusal is immediate and says how big the
# result would be:

# %%
t0 = time.process_time()
try:
    expand((x + y + z + 1)**200, max_terms=10_000)
except PolynomialTooLarge as err:
    print(f"{type(err).__name__}: {err}")
print(f"refused after {1e3 * (time.process_time() - t0):.2f} ms of CPU")

small = expand((x + y + z + 1)**20)
print("(x + y + z + 1)^20 expands to", len(symnb.arguments(small)), "terms")

# %% [markdown]
# ## 2 · Strategies and cost
# `simplify` first reads the **features** of its input (which function families occur; is
# there a quotient or a product of sums for `cancel`; a radical), then picks the
# **chains of stages** worth trying. A polynomial quotient never meets the trigonometric
# rules, and `exp(x)*exp(y) + log(x*y)` never meets `cancel`:

# %%
from symnb.rewriting.candidates import features, first_pipelines

for e in [(x**2 - y**2)/(x - y), sin(x)**2 + cos(x)**2, exp(x)*exp(y) + log(x*y),
          sqrt(x)*(sqrt(x) + 1)]:
    f = features(e)
    print(f"{str(e):28s} features {sorted(f)}")
    print(f"{'':28s} chains   {[' → '.join(c) for c in first_pipelines(f)]}")

# %% [markdown]
# ### The families, one by one
# Each family is also a public function with the name sympy users know, usable on its own.
# `trigsimp` is a strategy over Fu et al.'s rules (`TR2` tan → sin/cos, `TR8` products →
# sums, `TR10i` angle sums folded, …), and `fu` is its Fu-style driver:

# %%
from symnb import trigsimp, expand_trig, fu, powsimp, powdenest, radsimp, expand_log, logcombine
from symnb.rewriting.families import hypersimp

rows = [("trigsimp", trigsimp, sin(x)*cos(y) + cos(x)*sin(y)),
        ("trigsimp", trigsimp, cos(x)**4 - sin(x)**4),
        ("fu", fu, tan(x)*cos(x)),
        ("expand_trig", expand_trig, cos(x + y)),
        ("hypersimp", hypersimp, (exp(x) + exp(-x))/2),
        ("powsimp", powsimp, exp(x)**2 * exp(y)),
        ("radsimp", radsimp, 1/(1 + sqrt(2))),
        ("expand_log", expand_log, log(x**2 * y)),
        ("logcombine", logcombine, log(x) + log(y))]
for name, fn, e in rows:
    print(f"{name:12s} {str(e):34s} -> {fn(e)}")

# %% [markdown]
# Two rows did *nothing*: `expand_log(log(x^2*y))` and `logcombine(log(x) + log(y))` are
# not identities for complex `x`, `y` (section 3 shows where they fail, and the
# assumptions that make them fire).
#
# ### The cost measure
# Among all candidates, `simplify` keeps the least `measure` — `count_ops` (the number of
# operations) by default — and the input is always a candidate, so the result is **never
# costlier** than the input:

# %%
inputs = [(x**2 - y**2)/(x - y), 1/x + 1/y - (x + y)/(x*y),
          sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y),
          cos(x)**4 - sin(x)**4 - cos(2*x), 1 + tan(x)**2, cosh(x)**2 - sinh(x)**2,
          exp(2*log(x)), (x + 1)**5, x**2 + 2*x + 1]
for e in inputs:
    r = simplify(e)
    assert count_ops(r) <= count_ops(e)
    print(f"{str(e):44s} {count_ops(e):3d} ops -> {str(r):16s} {count_ops(r):3d} ops")

# %% [markdown]
# `(x + 1)^5` stays: its expansion has more operations. `x^2 + 2*x + 1` becomes
# `(1 + x)^2`: a sum with a nonlinear term has the feature `sum`, which asks for `factor`,
# and the factored form is cheaper (`sympy.simplify` keeps the expanded form here).
#
# **Your own measure.** `measure=` takes any function term → comparable cost. Say your
# code generator has no `tan`: make each `tan` cost ten operations, and the winners change.

# %%
def uses(t, name):
    """How many calls of the function `name` occur in t."""
    if not symnb.iscall(t):
        return 0
    here = int(symnb.opname(t) == name)
    return here + sum(uses(u, name) for u in symnb.arguments(t))

no_tan = lambda t: count_ops(t) + 10 * uses(t, "tan")

for e in [sin(x)/cos(x), sin(x)**2/cos(x)**2, sin(2*x)/(1 + cos(2*x))]:
    r_default, r_mine = simplify(e), simplify(e, measure=no_tan)
    assert no_tan(r_mine) <= no_tan(e)
    print(f"{str(e):26s} count_ops -> {str(r_default):10s} no_tan -> {r_mine}")

# %% [markdown]
# ## 3 · Assumptions
# Without assumptions a symbol is a **complex** number, and `simplify` only applies rules
# that hold everywhere on the complex plane. Three textbook "simplifications" that are
# wrong there:

# %%
import sympy
def at(e, **values):
    """e evaluated at the given values (sympy's principal branches), rounded for print."""
    v = complex(symnb.to_sympy(e).subs({sympy.Symbol(k): w for k, w in values.items()}).evalf())
    return f"{v.real:.4g}" if v.imag == 0 else f"{v.real:.4g}{v.imag:+.4g}i"

half = sympy.Rational(1, 2)
print("x = -2:       sqrt(x^2) =", at(sqrt(x**2), x=-2), "   x =", -2)
print("x = y = -1:   log(x*y) =", at(log(x*y), x=-1, y=-1),
      "   log(x) + log(y) =", at(log(x) + log(y), x=-1, y=-1))
print("x = -1, a = 2, b = 1/2:   (x^a)^b =", at((x**a)**b, x=-1, a=2, b=half),
      "   x^(a*b) =", at(x**(a*b), x=-1, a=2, b=half))

# %% [markdown]
# Declare what you know — `symbols("p", positive=True)` or `%sym p q --positive`; also
# `real`, `integer`, `nonzero`, `nonnegative`, `negative`, `nonpositive` — and the rules
# that need it fire. `ask(term, fact)` is what the rules consult: `True`, `False` or
# `None` (unknown).

# %%
%sym p q --positive
%sym r s --real
%sym n --integer
print(symnb.ask(p, "positive"), symnb.ask(p**2 + q, "positive"), symnb.ask(x, "positive"),
      symnb.ask(r**2, "nonnegative"))

# %%
rows = [("sqrt(·^2)", simplify, [sqrt(x**2), sqrt(r**2), sqrt(p**2)]),
        ("log(·*·)", expand_log, [log(x*y), log(r*s), log(p*q)]),
        ("(·^a)^b", powdenest, [(x**a)**b, (p**r)**s, (x**a)**n])]
for label, fn, cases in rows:
    print(f"{label:10s} {fn.__name__:10s}", " | ".join(f"{str(c):10s} -> {fn(c)}" for c in cases))

# %% [markdown]
# `sqrt(r^2)` becomes `Abs(r)` for real `r` and `p` for positive `p`; `log(p*q)` splits
# only for positive factors; `(x^a)^b` merges its exponents when the base is positive and
# the inner exponent real, or when the outer exponent is an integer.
#
# The `log` row calls the family function `expand_log`: `simplify` alone keeps `log(p*q)`,
# which has fewer operations than `log(p) + log(q)`. Inside a larger expression it splits
# the logarithm when that pays — and only when the assumptions allow it:

# %%
for t in [log(x*y) - log(x), log(p*q) - log(p), sqrt(x)*sqrt(y) - sqrt(x*y),
          sqrt(p)*sqrt(q) - sqrt(p*q)]:
    print(f"{str(t):28s} -> {simplify(t)}")

# %% [markdown]
# Assumptions travel through the bridges (sympy's semantics), and a contradiction is an
# error at declaration, not a wrong answer later:

# %%
print("to_sympy(p).is_positive:", symnb.to_sympy(p).is_positive)
try:
    symnb.symbols("w", positive=True, negative=True)
except ValueError as err:
    print(f"{type(err).__name__}: {err}")

# %% [markdown]
# ## 4 · The trace of why
# `simplify(e, trace=True)` returns the result and a `RewriteTrace`: the winning chain
# replayed, each step named after the rule or stage that made it (`cancel`,
# `TR8 (products → sums)`, …), with where in the term it applied. In JupyterLab the view
# lets you step through it, highlighting the rewritten subterm.

# %%
e = (x**2 - y**2)/(x - y) + cos(x)**4 - sin(x)**4 - cos(2*x)
result, tr = simplify(e, trace=True)
tr

# %%
print("chain:", tr.strategy, "| stopped:", tr.stopped)
for step in tr.steps:
    print(f"{step.index + 1}. {step.rule} at {step.path}: {step.before}  ->  {step.after}")

# %% [markdown]
# The chain (`trigsimp` alone here) names the stages that won; the steps inside it are Fu's
# rules: `TR0` brought the sum to a normal form (cancelling the quotient on the way),
# `TR8` rewrote the fourth powers as sums of cosines of multiples of `x`, and the
# cosines then cancelled as the sum was built.
#
# `%simplify --explain` does the same from one line: the numbered steps, then the trace
# and the result.

# %%
%simplify sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y) + exp(2*log(z)) --explain

# %% [markdown]
# ## 5 · symnb beside `sympy.simplify`
# The benchmark corpus (`benchmarks/_simplify_corpus.py`) holds textbook identities,
# each with an expected simple form. A result **succeeds** when it is numerically equal
# to the input at random real and complex points (respecting assumptions) and has no more
# operations than the expected form (`benchmarks/_simplify_check.py`; one operation count,
# sympy's `count_ops`, for both libraries). Twelve of them, one or two per category, side
# by side; each time is the best of three calls (sympy's cache cleared before each of its
# calls), in CPU time (`time.process_time`), which other programs on the machine disturb
# far less than wall-clock time.

# %%
import sys, statistics
from pathlib import Path
BENCH = (Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()) / "benchmarks"
sys.path.insert(0, str(BENCH))
from _simplify_corpus import CASES, CATEGORIES, by_name
from _simplify_check import check, symnb_input, sympy_input

def timed(fn, arg, repeat=1, clear=False):
    """(result, least CPU seconds of `repeat` calls)."""
    best = float("inf")
    for _ in range(repeat):
        if clear:
            sympy.core.cache.clear_cache()
        t = time.process_time()
        out = fn(arg)
        best = min(best, time.process_time() - t)
    return out, best

simplify(x + 1), sympy.simplify(sympy.Symbol("x") + 1)   # warm-up: imports, first calls
NAMES = ["diff_squares_quotient", "partial_fractions_zero", "nested_fraction", "sin_sum_zero",
         "cos4_minus_sin4", "tan_half_sin", "sinh_from_exp", "exp_log_sum", "rationalize_quotient",
         "sin_diff_squares_quotient", "sqrt_square_positive", "power_of_power_stays"]

# %%
# NBVAL_IGNORE_OUTPUT
def mark(v):
    return "ok" if v.ok else "--"

head = f"{'simplify':16s} {'':2s} {'ms':>6s}"
print(f"{'input':44s} symnb.{head}   sympy.{head}")
for name in NAMES:
    case = by_name(name)
    e, es = symnb_input(case), sympy_input(case)
    r, t = timed(simplify, e, repeat=3)
    rs, ts = timed(sympy.simplify, es, repeat=3, clear=True)
    print(f"{case.input:44s} {str(r):22s} {mark(check(case, r, es)):2s} {1e3 * t:6.2f}   "
          f"{str(rs):22s} {mark(check(case, rs, es)):2s} {1e3 * ts:6.2f}")

# %% [markdown]
# `ok` marks a success. The last two rows are about assumptions: `sqrt(x^2)` with `x`
# positive, where sympy applies the rule when it *builds* the input (so its `simplify`
# has nothing left to do), and `(x^a)^b` for complex `x`, which must *stay* (section 3).
#
# ### The whole corpus
# Every case through `symnb.simplify`, `simplify(using="egraph")` and `sympy.simplify`,
# one timed call each (after the warm-up above), checked as before. This is the longest
# cell of the notebook; most of its time goes to `sympy.simplify` and the numeric checks.

# %%
# NBVAL_IGNORE_OUTPUT
simplify(x + 1, using="egraph")   # warm-up: the e-graph's rule program is built once
SIMPLIFIERS = {"symnb.simplify": simplify,
               "symnb egraph": lambda e: simplify(e, using="egraph"),
               "sympy.simplify": sympy.simplify}
ok = {k: {c: 0 for c in CATEGORIES} for k in SIMPLIFIERS}
missed = {k: [] for k in SIMPLIFIERS}
seconds = {k: [] for k in SIMPLIFIERS}
start = time.perf_counter()
for case in CASES:
    e, es = symnb_input(case), sympy_input(case)
    for k, fn in SIMPLIFIERS.items():
        out, t = timed(fn, es if k.startswith("sympy") else e, clear=k.startswith("sympy"))
        seconds[k].append(t)
        verdict = check(case, out, es)
        ok[k][case.category] += verdict.ok
        if not verdict.ok:
            missed[k].append((case.name, verdict.reason))

median_ms = {k: 1e3 * statistics.median(v) for k, v in seconds.items()}
print(f"{'':16s} {'succeeded':>12s} {'median CPU ms/call':>19s}")
for k in SIMPLIFIERS:
    print(f"{k:16s} {sum(ok[k].values()):5d} / {len(CASES)} {median_ms[k]:19.2f}")
print(f"(the whole comparison, checks included, took {time.perf_counter() - start:.1f} s of wall-clock time)")
for k in ("symnb.simplify", "sympy.simplify"):
    print(f"\nmissed by {k}: {len(missed[k])}")
    for name, why in missed[k]:
        print(f"  {name:32s} {by_name(name).input:40s} {why}")

# %%
# NBVAL_IGNORE_OUTPUT
import plotly.graph_objects as go
from plotly.subplots import make_subplots

speedup = median_ms["sympy.simplify"] / median_ms["symnb.simplify"]
fig = make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35],
                    subplot_titles=("identities simplified, per category (cases in it)",
                                    f"symnb.simplify: {speedup:.1f}× faster than sympy.simplify"))
colors = {"symnb.simplify": "#1f77b4", "symnb egraph": "#9467bd", "sympy.simplify": "#ff7f0e"}
size = {c: sum(case.category == c for case in CASES) for c in CATEGORIES}
for k in SIMPLIFIERS:
    fig.add_trace(go.Bar(name=k, x=[f"{c} ({size[c]})" for c in CATEGORIES],
                         y=[ok[k][c] for c in CATEGORIES], marker_color=colors[k]), row=1, col=1)
fig.add_trace(go.Bar(name="median time per call", x=list(SIMPLIFIERS),
                     y=[median_ms[k] for k in SIMPLIFIERS], showlegend=False,
                     marker_color=[colors[k] for k in SIMPLIFIERS]), row=1, col=2)
fig.update_yaxes(title_text="cases succeeded", rangemode="tozero", row=1, col=1)
fig.update_yaxes(title_text="median CPU time per call (ms)", rangemode="tozero", row=1, col=2)
fig.update_xaxes(title_text="category", row=1, col=1)
fig.update_xaxes(title_text="simplifier", row=1, col=2)
fig.update_layout(barmode="group", height=380)
fig

# %% [markdown]
# Read the counts and times above as measured on *your* machine (one call per case, so
# they move a little with load; `benchmarks/simplify.py` takes the best of several calls
# and `make bench` reports it). The lists name every miss and why the checker refused
# it: a result with more operations than the expected form, or one that differs from the
# input somewhere. Try one yourself: `simplify(symnb_input(by_name("...")), trace=True)`.

# %% [markdown]
# ## 6 · The e-graph simplifier
# `simplify(e, using="egraph")` is the other engine behind the same entry point: it
# keeps *every* equivalent form it finds in an e-graph (equality saturation on egglog,
# within iteration, node and time limits) and extracts the cheapest. Its rule program is
# compiled once and reused across calls. [03 · e-graphs](03-egraphs.ipynb) shows how it
# works, its limits and its cost models.

# %%
# NBVAL_IGNORE_OUTPUT
for e in [sin(x)**2 + cos(x)**2, (x + y)**2 - x**2 - 2*x*y, exp(x)*exp(y),
          (x**2 - y**2)/(x - y)]:
    r, t = timed(lambda u: simplify(u, using="egraph"), e, repeat=3)
    print(f"{str(e):28s} -> {str(r):12s} {1e3 * t:6.2f} ms CPU")

# %% [markdown]
# **What to take away:** normal forms give *definite* shapes and refuse to explode;
# `simplify` is a search over chains of stages, judged by a cost you can replace and never
# worse than its input; assumptions are the only way a value-changing rule fires; the
# trace names every step.
# Next: [10 · learned search directions](10-learned-search-directions.ipynb).
