# %% [markdown]
# # symnb · expression explorer
# Type an expression in `x, y, z` (e.g. `exp(x)*exp(y) + sin(x)^2 + cos(x)^2`) and press
# **Explore**: its DAG, the simplification steps (`symnb.simplify(e, trace=True)`: each
# step named, like `cancel` or `TR10i`, with the result's cost against the input's), the
# e-graph result with its cost before and after, and the compiled speed against
# `sympy.lambdify`. Explore answers at once with the DAG and the steps; the e-graph and the
# compiled speed (numba compile, then timing: seconds) are worked out when their tab is
# opened, with a line saying what is running. Every interaction runs under a budget of
# 10 s (`symnb.config.dashboard_seconds`; a server may set `SYMNB_BUDGET_SECONDS`): past it the
# dashboard says "stopped after 10 s: …" and answers the next input at once.

# %%
import html

import ipywidgets as W
from IPython.display import display, HTML
import symnb
from symnb import config
from symnb.display.budget import run_within
from symnb.display.explorer_work import egraph_tab, overview, speed_tab
from symnb.display.ready import in_voila, on_first_view

MAX_CHARS = 20_000   # longer input is refused with a message (keeps the dashboard responsive)
BUDGET_S = config.dashboard_seconds  # one interaction's wall-clock budget: 10 s unless the
                                     # server sets SYMNB_BUDGET_SECONDS

text = W.Text(value="exp(x)*exp(y) + sin(x)^2 + cos(x)^2", description="expression",
              layout=W.Layout(width="70%"), continuous_update=False)
go_button = W.Button(description="Explore", button_style="primary")
message = W.HTML()
out_dag, out_steps, out_egraph, out_speed = (W.Output() for _ in range(4))
tabs = W.Tab(children=[out_dag, out_steps, out_egraph, out_speed])
for i, t in enumerate(["DAG", "simplification steps", "e-graph", "compiled speed"]):
    tabs.set_title(i, t)


current: dict = {}      # the expression shown and what its tabs have worked out


def fail(msg: str) -> None:
    message.value = f"<span style='color:#b00020'>⚠ {html.escape(msg)}</span>"


def short(src: str, width: int = 40) -> str:
    return src if len(src) <= width else src[:width - 1] + "…"


def explore(*_) -> None:
    for o in (out_dag, out_steps, out_egraph, out_speed):
        o.clear_output()
    current.clear()
    src = text.value.strip()
    if not src:
        return fail("type an expression, e.g. sin(x)^2 + cos(x)^2")
    if len(src) > MAX_CHARS:
        return fail(f"expression too long ({len(src)} characters; at most {MAX_CHARS})")
    # parse, DAG and simplify in a worker thread, stopped at the budget
    got = run_within(overview, src, BUDGET_S, what=f"exploring {short(src)}", seconds=BUDGET_S)
    if got.stopped:
        return fail(got.stopped)
    if isinstance(got.error, symnb.ParseError):
        return fail("cannot read the expression: " + str(got.error).splitlines()[0])
    if got.error is not None:
        return fail(got.message)
    r = got.value
    message.value = f"<code>{html.escape(str(r['expr']))}</code>"
    current.update(expr=r["expr"], src=src, steps=r)
    with out_dag:
        display(r["dag"], raw=True)     # large graphs open collapsed
    with out_steps:
        show_steps(r)
    fill(tabs.selected_index)       # a heavy tab that is open now is filled at once


def show_steps(r: dict) -> None:
    if "steps_error" in r:
        display(HTML(f"<p class='symnb-steps'>simplify: {html.escape(r['steps_error'])}</p>"))
        return
    names = ", ".join(r["step_names"]) or "none: already simplest"
    display(HTML(
        f"<p class='symnb-steps'>simplify → <code>{html.escape(str(r['result']))}</code>"
        f" · cost (count_ops) {r['cost_before']} → {r['cost_after']}"
        f" · steps: {html.escape(names)}</p>"))
    display(r["steps"], raw=True)


def run_tab(work, label: str, e) -> dict | None:
    """A heavy tab's work, in the budget's worker process: shows its bundles and returns
    its dict, or prints why it stopped or refused and returns None."""
    got = run_within(work, e, what=f"{label} of {short(current['src'])}", seconds=BUDGET_S,
                     kind="process")
    r = got.value if got.ok else {"error": got.message}
    if r["error"]:
        current["note"] = r["error"]
        return print(r["error"])
    for b in r["shown"]:
        display(b, raw=True)
    return r


def show_egraph(e) -> None:
    r = run_tab(egraph_tab, "e-graph", e)
    if r:
        current["egraph"] = r["best"]


def show_speed(e) -> None:
    r = run_tab(speed_tab, "compiled speed", e)
    if r:
        display(r["result"])
        current["speed"] = r["result"]


# the heavy tabs, run in the budget's worker process: (output, what runs, the busy line)
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
# self-check (runs under nbval; shows nothing): bad input gives a message, good input works,
# a tab past its budget says so and the next one works (Voila viewers skip it)
if not in_voila():
    text.value = "sin(x +* 2"
    assert "cannot read" in message.value, message.value
    text.value = "(" * 5000 + "x" + ")" * 5000
    assert "cannot read" in message.value and "nested deeper" in message.value, message.value
    text.value = "x" * (MAX_CHARS + 1)
    assert "too long" in message.value
    text.value = "10^10^10"                  # stays a symbolic power, at once
    assert message.value == "<code>10^10000000000</code>", message.value
    text.value = "(x^2 - y^2)/(x - y)"
    assert current["steps"]["step_names"] == ["cancel"], current["steps"]
    assert str(current["steps"]["result"]) == "x + y" and current["steps"]["cost_after"] == 1
    text.value = "exp(x)*exp(y) + sin(x)^2 + cos(x)^2"
    assert message.value.startswith("<code>")
    assert "egraph" not in current and "speed" not in current      # not until their tab opens
    BUDGET_S = 0.05                          # timing alone takes longer: stopped, page usable
    tabs.selected_index = 3
    assert current["note"].startswith("stopped after 0.05 s: compiled speed of exp(x)"), \
        current.get("note")
    assert "speed" not in current, current
    BUDGET_S = config.dashboard_seconds
    tabs.selected_index = 0
    explore()                                # the same input again, now with 10 s
    tabs.selected_index = 3
    assert current["speed"].names == ["symnb (numba)", "sympy.lambdify"], current
    tabs.selected_index = 2
    assert str(current["egraph"]) == "1 + exp(x + y)", current["egraph"]
    tabs.selected_index = 0
