"""The same strategy objects on symnb, sympy and symengine terms; RewriteTrace."""
import json

import pytest

import symnb
from symnb import Number, cos, exp, log, sin, symbols
from symnb.rewrite import Chain, Fixpoint, Postwalk, default_rules, rewrite, rule, simplify

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
