# %% [markdown]
# # symnb · expression explorer
# Type an expression in `x, y, z` (e.g. `exp(x)*exp(y) + sin(x)^2 + cos(x)^2`) and press
# **Explore**: its DAG, the rule-rewrite trace, the e-graph result with its cost before
# and after, and the compiled speed against `sympy.lambdify`. Explore answers at once with
# the DAG and the trace; the e-graph and the compiled speed (numba compile, then timing:
# seconds) are worked out when their tab is opened, with a line saying what is running.

# %%
import ipywidgets as W
from IPython.display import display, HTML
import numpy as np
import symnb
from symnb.display.ready import in_voila, on_first_view
from symnb.rewriting import default_rules, rewrite

MAX_CHARS = 2000     # longer input is refused with a message (keeps the dashboard responsive)

text = W.Text(value="exp(x)*exp(y) + sin(x)^2 + cos(x)^2", description="expression",
              layout=W.Layout(width="70%"), continuous_update=False)
go_button = W.Button(description="Explore", button_style="primary")
message = W.HTML()
out_dag, out_trace, out_egraph, out_speed = (W.Output() for _ in range(4))
tabs = W.Tab(children=[out_dag, out_trace, out_egraph, out_speed])
for i, t in enumerate(["DAG", "rewrite trace", "e-graph", "compiled speed"]):
    tabs.set_title(i, t)


current: dict = {}      # the expression shown and what its tabs have worked out


def fail(msg: str) -> None:
    message.value = f"<span style='color:#b00020'>⚠ {msg}</span>"


def explore(*_) -> None:
    for o in (out_dag, out_trace, out_egraph, out_speed):
        o.clear_output()
    current.clear()
    src = text.value.strip()
    if not src:
        return fail("type an expression, e.g. sin(x)^2 + cos(x)^2")
    if len(src) > MAX_CHARS:
        return fail(f"expression too long ({len(src)} characters; at most {MAX_CHARS})")
    try:
        e = symnb.parse(src)
    except symnb.ParseError as err:
        return fail("cannot read the expression: " + str(err).splitlines()[0])
    if symnb.count_nodes(e) > 20_000:
        return fail("expression too large to explore here (more than 20000 tree nodes)")
    message.value = f"<code>{e}</code>"
    current.update(expr=e, src=src)
    with out_dag:
        display(symnb.dag(e, title=src))     # large graphs open collapsed
    with out_trace:
        result, trace = rewrite(e, default_rules(), trace=True)
        display(trace)
    fill(tabs.selected_index)       # a heavy tab that is open now is filled at once


def show_egraph(e) -> None:
    try:
        best, rep = symnb.egraph_simplify(e, report=True, time_limit=5.0)
        display(HTML(f"<p>e-graph result: <code>{best}</code></p>"), rep)
        current["egraph"] = best
    except Exception as err:      # an e-graph limit or an unsupported function
        print("e-graph:", str(err).splitlines()[0])


def show_speed(e) -> None:
    args = sorted(symnb.free_symbols(e), key=lambda s: s.name)
    try:
        f = symnb.compile(e, args)
    except symnb.CompileError as err:
        print("compile:", str(err).splitlines()[0])
        return
    import sympy
    g = sympy.lambdify([symnb.to_sympy(s) for s in args], symnb.to_sympy(e))
    vals = [0.5 + 0.25 * i for i in range(len(args))]
    display(f)
    r = symnb.benchmark({"symnb (numba)": lambda: f(*vals), "sympy.lambdify": lambda: g(*vals)},
                        repeat=3, min_time=0.02, baseline="sympy.lambdify")
    display(r)
    current["speed"] = r


# the heavy tabs: (output, what runs, the line shown while it runs)
HEAVY = {2: (out_egraph, show_egraph, "saturating the e-graph (at most 5 s) …"),
         3: (out_speed, show_speed, "compiling with numba, then timing against "
                                    "sympy.lambdify (a few seconds) …")}


def fill(index) -> None:
    """Work out a heavy tab for the current expression, once, when it is shown."""
    if index not in HEAVY or "expr" not in current or index in current.setdefault("done", set()):
        return
    current["done"].add(index)
    out, work, doing = HEAVY[index]
    out.clear_output()
    with out:                        # shown at once, replaced by the result
        display(HTML(f"<p class='symnb-busy'>⏳ {doing}</p>"))
        out.clear_output(wait=True)
        work(current["expr"])


go_button.on_click(explore)
text.observe(explore, names="value")
tabs.observe(lambda change: fill(change["new"]), names="selected_index")
# the first exploration runs once the page shows the widgets (see symnb.display.ready)
display(W.VBox([W.HBox([text, go_button]), message, tabs, on_first_view(explore)]))
# %%
# self-check (runs under nbval; shows nothing): bad input gives a message, good input works
# (Voila viewers skip it: it would only slow the page down)
if not in_voila():
    text.value = "sin(x +* 2"
    assert "cannot read" in message.value, message.value
    text.value = "x" * (MAX_CHARS + 1)
    assert "too long" in message.value
    text.value = "exp(x)*exp(y) + sin(x)^2 + cos(x)^2"
    assert message.value.startswith("<code>")
    assert "egraph" not in current and "speed" not in current      # not until their tab opens
    tabs.selected_index = 3
    assert current["speed"].names == ["symnb (numba)", "sympy.lambdify"], current
    tabs.selected_index = 2
    assert str(current["egraph"]) == "1 + exp(x + y)", current["egraph"]
    tabs.selected_index = 0
