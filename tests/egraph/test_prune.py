"""Rule pruning by function names (symnb/egraph/prune.py): only rules that can never match
are dropped, so the saturated e-graph is the same with fewer rules."""
from __future__ import annotations

import pytest

from symnb import cos, exp, log, sin, sinh, sqrt, symbols, tan, Abs
from symnb.egraph import api
from symnb.egraph.families import SIMPLIFY
from symnb.egraph.prune import call_names, needed_names, relevant, rule_names
from symnb.egraph.rulesets import ALGEBRA, ERule, RawRule, Ruleset

x, y = symbols("x y")


def _names(rs):
    out = set()
    for r in rs:
        for need, made in rule_names(r):
            out |= need | made
    return out


def test_polynomial_input_keeps_no_function_rule():
    rs = relevant(SIMPLIFY, ())
    assert 0 < len(rs) < len(SIMPLIFY)
    assert _names(rs) == set()
    # every function-free rule of the ruleset stays
    assert {r.name for r in SIMPLIFY if not _names([r])} == {r.name for r in rs}


def test_closure_adds_what_enabled_rules_create():
    tan_rules = relevant(SIMPLIFY, {"tan"})
    assert {"sin", "cos", "tan"} <= needed_names(tan_rules)   # tan-def makes sin and cos
    assert not needed_names(tan_rules) & {"sinh", "exp", "log"}
    exp_rules = relevant(SIMPLIFY, {"exp"})
    assert {"cosh", "sinh"} <= needed_names(exp_rules)        # exp-cosh-sinh
    assert "log" not in needed_names(exp_rules)
    assert "sin" not in needed_names(relevant(SIMPLIFY, {"log"}))


def test_bidirectional_and_raw_rules():
    r = ERule("t", '(Fn1 "f" a)', '(Fn1 "g" a)', bidirectional=True)
    assert rule_names(r) == [(frozenset({"f"}), frozenset({"g"})),
                             (frozenset({"g"}), frozenset({"f"}))]
    raw = RawRule("p", '((= e (Fn1 "h" a)))', '((union e (Fn2 "k" a a)))')
    assert rule_names(raw) == [(frozenset({"h"}), frozenset({"k"}))]
    rs = Ruleset("u", [r, raw], check=False)
    assert [q.name for q in relevant(rs, {"g"})] == ["t"]
    assert relevant(rs, {"g", "h"}) is rs
    assert call_names('(FnN "m" (Nil)) (Fn1 "n" x)') == {"m", "n"}
    with pytest.raises(TypeError, match="not an e-graph rule"):
        rule_names("x")


def test_names_outside_the_ruleset_do_not_matter():
    assert relevant(ALGEBRA, {"sin", "Flt"}) is ALGEBRA
    assert relevant(SIMPLIFY, {"my_f"}) is relevant(SIMPLIFY, ())


@pytest.mark.parametrize("e", [
    sin(x) ** 2 + cos(x) ** 2 + y,
    (x ** 2 - y ** 2) / (x - y),
    exp(x) * exp(y) * x + x,
    tan(x) * cos(x),
    log(x * y) - log(y) + Abs(x),
    sinh(x) + sqrt(x ** 2),
])
def test_pruned_program_gives_the_same_egraph(e, monkeypatch):
    kw = dict(ruleset=SIMPLIFY, cost="count_ops", iter_limit=4, node_limit=400,
              time_limit=30.0, match_limit=None)
    (a,), ra = api.run_egraph([e], **kw)
    monkeypatch.setattr(api, "relevant", lambda rs, names: rs)
    (b,), rb = api.run_egraph([e], **kw)
    assert a is b
    assert [s.enodes for s in ra.iterations] == [s.enodes for s in rb.iterations]
    assert [s.eclasses for s in ra.iterations] == [s.eclasses for s in rb.iterations]


def test_float_rules_only_for_float_inputs():
    exact = relevant(SIMPLIFY, ())
    assert not any("(Flt" in r.egglog("main") for r in exact)
    with_floats = relevant(SIMPLIFY, {"Flt"})
    assert any("fold-addf" == r.name for r in with_floats)
    (out,), _ = api.run_egraph([x * 1.5 + x * 2.5], ruleset=SIMPLIFY, cost="count_ops")
    assert out == 4.0 * x
