"""The same strategy objects on symnb, sympy and symengine terms; RewriteTrace."""
import json

import pytest

import symnb
from symnb import Number, cos, exp, log, sin, symbols
from symnb.rewriting import Chain, Fixpoint, Postwalk, default_rules, rewrite, rule, simplify

x, y, z = symbols("x y z")

EXPRS = [
    sin(x) ** 2 + cos(x) ** 2 + y,
    x * y + x + z,
    3 * sin(y) ** 2 + 3 * cos(y) ** 2,
    x / z + y / z,
    2 * sin(x) * cos(x) + 1,
    (x ** 2) ** 3 + sin(x) / cos(x),
    log(exp(x + y)) * z,
]
STRATEGY = Fixpoint(Postwalk(Chain(default_rules())))


@pytest.mark.parametrize("e", EXPRS, ids=str)
def test_same_strategy_on_sympy_gives_same_result(e):
    ours = STRATEGY(e)
    theirs = STRATEGY(symnb.to_sympy(e))
    assert symnb.from_sympy(theirs) is ours


@pytest.mark.parametrize("e", [e for e in EXPRS if "exp" not in str(e)], ids=str)
def test_same_strategy_on_symengine_gives_same_result(e):
    # symengine stores exp(a) as E**a, so exp/log rules do not see an 'exp' call there
    ours = STRATEGY(e)
    theirs = STRATEGY(symnb.to_symengine(e))
    assert symnb.from_symengine(theirs) is ours


def test_simplify_accepts_sympy_terms_and_returns_sympy():
    import sympy
    sx = sympy.Symbol("x")
    out = simplify(sympy.sin(sx) ** 2 + sympy.cos(sx) ** 2 + sx)
    assert isinstance(out, sympy.Basic) and out == sx + 1


def test_trace_steps_paths_and_whole_expressions():
    e = y * (sin(x) ** 2 + cos(x) ** 2) + sin(z) ** 2 + cos(z) ** 2
    r, tr = rewrite(e, [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
    assert r is 1 + y and tr.stopped == "fixpoint"
    assert [s.rule for s in tr] == ["pyth", "pyth"]
    inner, outer = tr.steps
    assert inner.before is sin(x) ** 2 + cos(x) ** 2 and inner.after is Number(1)
    assert len(inner.path) == 2 and inner.expr is y + sin(z) ** 2 + cos(z) ** 2
    assert outer.path == () and outer.expr is r
    for s in tr:  # the subterm at `path` of the previous whole expression is `before`
        prev = tr.initial if s.index == 0 else tr.steps[s.index - 1].expr
        assert _at(prev, s.path) is s.before
    assert tr.rules_used == {"pyth": 2}


def _at(t, path):
    for i in path:
        t = symnb.arguments(t)[i]
    return t


def test_trace_is_the_same_on_sympy_terms():
    e = y * (sin(x) ** 2 + cos(x) ** 2) + 2
    rule_ = [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")]
    r1, t1 = rewrite(e, rule_, trace=True)
    r2, t2 = rewrite(symnb.to_sympy(e), rule_, trace=True)
    assert symnb.from_sympy(r2) is r1
    assert [symnb.from_sympy(s.expr) for s in t2] == [s.expr for s in t1]


def test_trace_json_and_html_repr():
    r, tr = simplify(sin(x) ** 2 + cos(x) ** 2 + x * y + x, trace=True)
    d = tr.to_json()
    json.dumps(d)
    assert d["n_steps"] == len(tr) == len(d["steps"]) and d["stopped"] == "fixpoint"
    assert all(r"\color{#d62728}" in s["highlight_latex"] for s in d["steps"])
    assert d["result"]["text"] == str(r)
    b = tr._repr_mimebundle_()
    html = b["text/html"]
    assert html.count('class="step"') == len(tr) + 1 and "<script>" in html
    assert 'type="range"' in html and "factor-common" in html
    assert b["text/plain"].startswith("RewriteTrace(")
    assert tr._repr_html_() == html       # deterministic (no random ids)


def test_trace_of_iteration_limit_is_reported():
    a, b = symbols("a b")
    _, tr = rewrite(a + 1, [rule("a => b"), rule("b => a")], trace=True, max_iter=3)
    assert tr.stopped == "iteration limit"
    assert "iteration limit" in tr._repr_html_()
    assert [s.expr for s in tr][:2] == [b + 1, a + 1]


def _svgs(html):
    """The step DAGs: SVG documents in <img> data URIs (no inline SVG: sanitizers of
    untrusted notebooks strip it)."""
    import base64
    import re
    assert "<svg" not in html
    return [base64.b64decode(d).decode()
            for d in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


def test_trace_view_has_a_dag_per_step_with_the_change_highlighted():
    import xml.etree.ElementTree as ET
    e = y * (sin(x) ** 2 + cos(x) ** 2) + sin(z) ** 2 + cos(z) ** 2
    _, tr = rewrite(e, [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
    html = tr._repr_mimebundle_()["text/html"]
    items = html.split('<li class="step"')[1:]
    assert len(items) == len(tr) + 1
    for k, item in enumerate(items):                   # initial, then one DAG per step
        (svg,) = _svgs(item)
        root = ET.fromstring(svg)
        marked = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")
                  if "h" in r.get("class").split()]
        assert bool(marked) == (k > 0)                  # steps highlight, the initial does not
    assert "$" in items[1] and r"\color{#d62728}" in items[1]   # the LaTeX step list stays
    assert "<script>" in html and html == tr._repr_html_()      # static and deterministic


def test_trace_view_keeps_to_its_output_budget():
    from symnb.display import OPTIONS
    qs = symbols("q0:60")
    e = sum((sin(q) ** 2 + cos(q) ** 2) * q for q in qs)
    _, tr = rewrite(e, [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
    assert len(tr) == 60
    html = tr._repr_html_()
    svgs = _svgs(html)
    assert 1 < len(svgs) <= OPTIONS.step_graphs + 1
    assert sum(map(len, svgs)) <= OPTIONS.step_svg_bytes      # budget counts encoded bytes
    assert html.count('class="step"') == 61                   # every step keeps its line
    assert "DAG not drawn (output budget)" in html and "output budget" in html.split("<ol")[0]
    assert "subterm at" in html                              # big expression: focused views
    assert len(html) < 400_000
    old = OPTIONS.term_graphs
    OPTIONS.term_graphs = False
    try:
        assert "<svg" not in tr._repr_html_()
    finally:
        OPTIONS.term_graphs = old
