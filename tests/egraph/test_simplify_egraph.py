"""egraph_simplify as a simplifier: family rules, assumptions, reuse of the compiled
program, limits, and value preservation at random real and complex points."""
from __future__ import annotations

import cmath
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from symnb import Abs, cos, cosh, exp, log, simplify, sin, sinh, sqrt, symbols
from symnb.egraph import egraph_simplify
from symnb.egraph.api import cost_of
from symnb.egraph.families import EXPLOG, HYPERBOLIC, POWERS, SIMPLIFY, TRIG
from symnb.egraph import program
from symnb.egraph.rulesets import ERule
from symnb.terms.calculus import count_ops
from terms.values import SYM_VALUES, cvalue, draw_value, expressions, p, q, r, x, y
from egraph.sexpr import parse_sexpr as sexpr, variables



def _pow(a, b):
    return cmath.exp(b * cmath.log(a)) if a != 0 else 0j


_CF = {"sin": cmath.sin, "cos": cmath.cos, "tan": cmath.tan, "exp": cmath.exp, "log": cmath.log,
       "sinh": cmath.sinh, "cosh": cmath.cosh, "tanh": cmath.tanh, "asin": cmath.asin,
       "acos": cmath.acos, "atan": cmath.atan, "Abs": abs,
       "sign": lambda v: v / abs(v) if v else 0}


def cev(e, env):
    """Complex value of a rule side (principal branches)."""
    if isinstance(e, str):
        if e.startswith('"'):
            return e[1:-1]
        return env[e] if e in env else int(e)
    h, *a = e
    v = [cev(t, env) for t in a]
    if h in ("Num", "Flt", "bigint"):
        return v[0]
    if h == "bigrat":
        return Fraction(v[0], v[1])
    guards = {"=": lambda: v[0] == v[1], ">=": lambda: v[0] >= v[1], "<=": lambda: v[0] <= v[1],
              "denom": lambda: Fraction(v[0]).denominator, "/": lambda: Fraction(v[0]) / v[1],
              "-": lambda: v[0] - v[1]}
    if h in guards:
        return guards[h]()
    ops = {"Add": lambda: v[0] + v[1], "Mul": lambda: v[0] * v[1], "Sub": lambda: v[0] - v[1],
           "Div": lambda: v[0] / v[1], "Neg": lambda: -v[0], "Fn1": lambda: _CF[v[0]](v[1]),
           "Pow": lambda: _pow(complex(v[0]), complex(v[1]))}
    return ops[h]()


FAMILY_RULES = [r for rs in (TRIG, HYPERBOLIC, EXPLOG, POWERS) for r in rs.rules
                if isinstance(r, ERule)]


@pytest.mark.parametrize("rule", FAMILY_RULES, ids=lambda r: r.name)
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10 ** 6))
def test_family_rules_hold_on_the_complex_plane(rule, seed):
    """Each rule at complex points; guarded variables get what the guard proves."""
    rnd = random.Random(seed)
    when = " ".join(rule.when)
    env = {}
    for v, under in variables(sexpr(rule.lhs), {}).items():
        if under == "Num":
            env[v] = Fraction(rnd.randint(-4, 8)) if "denom n" in when else \
                Fraction(rnd.choice([-3, -1, 1, 2]), rnd.choice([1, 2, 3]))
        elif f"(Positive {v})" in when:
            env[v] = rnd.uniform(0.1, 3)
        elif f"(Real {v})" in when:
            env[v] = rnd.uniform(-3, 3)
        else:
            env[v] = complex(rnd.uniform(-2, 2), rnd.uniform(-2, 2))
    numeric = [c for c in rule.when if not c.startswith(("(Positive", "(Real"))]
    if not all(cev(sexpr(c), env) for c in numeric):
        return
    try:
        a, b = cev(sexpr(rule.lhs), env), cev(sexpr(rule.rhs), env)
    except ZeroDivisionError:
        return
    a, b = complex(a), complex(b)
    assert abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)), (rule.name, env, a, b)


@pytest.mark.parametrize("expr,expected", [
    (lambda: sin(x + y) - sin(x) * cos(y) - cos(x) * sin(y), lambda: 0),
    (lambda: sin(x) ** 2 + cos(x) ** 2 + y, lambda: 1 + y),
    (lambda: (x ** 2 - y ** 2) / (x - y), lambda: x + y),
    (lambda: cosh(x) ** 2 - sinh(x) ** 2, lambda: 1),
    (lambda: exp(log(x)), lambda: x),
    (lambda: 1 / x + 1 / y - (x + y) / (x * y), lambda: 0),
    (lambda: log(p * q) - log(p) - log(q), lambda: 0),
    (lambda: sqrt(p ** 2), lambda: p),
    (lambda: log(exp(r)), lambda: r),
    (lambda: Abs(p), lambda: p),
])
def test_identities(expr, expected):
    assert simplify(expr(), using="egraph") is symbols_free(expected())


def symbols_free(v):
    from symnb.terms.core import sympify_num
    return sympify_num(v)


@pytest.mark.parametrize("expr", [
    lambda: log(x * y) - log(x) - log(y),     # not 0 for complex x, y
    lambda: sqrt(x ** 2),                     # not x (nor Abs(x)) for complex x
    lambda: log(exp(x)),                      # x only for real x
    lambda: Abs(x),
])
def test_assumption_guarded_rules_do_not_fire_without_assumptions(expr):
    e = expr()
    assert simplify(e, using="egraph") is e


def test_symbols_keep_their_assumptions():
    out = simplify(p * x + p * y, using="egraph")
    assert out == p * (x + y)
    assert p in out.free_symbols and all(s.assumptions0 for s in out.free_symbols if s.name == "p")
    plain_p = symbols("p")
    assert plain_p is not p
    out2 = simplify(plain_p + p * x - plain_p, using="egraph")
    assert out2 is p * x


def test_reuse_across_calls_gives_identical_results():
    exprs = [sin(x) ** 2 + cos(x) ** 2 + y, (x ** 2 - 1) / (x - 1), x * y + x * sin(y),
             log(p * q) - log(q), exp(x) * exp(y) * x + x]
    first = [egraph_simplify(e) for e in exprs]
    # one cached program per set of relevant rules (prune.py), none compiled again
    progs = list(program._cache().values())
    runs = sum(p.runs for p in progs)
    again = [egraph_simplify(e) for e in reversed(exprs)][::-1]
    assert again == first and all(a is b for a, b in zip(again, first))
    assert {id(p) for p in program._cache().values()} == {id(p) for p in progs}
    assert sum(p.runs for p in progs) == runs + len(exprs)


def test_limits_bound_the_egraph_and_the_result_stays_sound():
    e = sum((x + i) * (y - i) * sin(x + i * y) for i in range(1, 6))
    out, rep = egraph_simplify(e, node_limit=200, iter_limit=30, report=True)
    assert rep.stop_reason in ("node_limit", "saturated", "time_limit", "iter_limit")
    # one iteration may overshoot, never by more than the look-ahead's factor
    assert rep.iterations[-1].enodes <= 200 * 8
    assert cost_of(out, "count_ops", tree=True) <= cost_of(e, "count_ops", tree=True)
    _, rep1 = egraph_simplify(e, iter_limit=1, report=True)
    assert len(rep1.iterations) <= 1


def test_cost_models():
    e = x * x * x + x * y
    assert count_ops(egraph_simplify(e)) <= count_ops(e)
    out, rep = egraph_simplify(e, cost="cycles", report=True)
    assert rep.cost_model.name == "cpu-cycles" and cost_of(out) <= cost_of(e)
    with pytest.raises(ValueError, match="unknown cost model"):
        egraph_simplify(e, cost="fast")


@settings(max_examples=30, deadline=None)
@given(e=expressions, seed=st.integers(0, 10 ** 6))
def test_simplify_keeps_the_value_and_never_costs_more(e, seed):
    """At random points respecting assumptions (real and complex), the result equals the
    input wherever both are defined; its count_ops cost is not larger."""
    out = egraph_simplify(e, time_limit=2.0)
    assert cost_of(out, "count_ops", tree=True) <= cost_of(e, "count_ops", tree=True)
    rnd = random.Random(seed)
    syms = sorted(e.free_symbols | getattr(out, "free_symbols", frozenset()), key=str)
    for _ in range(3):
        env = {s: draw_value(SYM_VALUES[s], rnd) for s in syms}
        a, b = cvalue(e, env), cvalue(out, env)
        if a is None or b is None:
            continue
        assert abs(a - b) <= 1e-8 * max(1.0, abs(a)), (e, out, env, a, b)


def test_program_compiles_a_new_egraph_after_many_sessions(monkeypatch):
    e = sin(x) ** 2 + cos(x) ** 2 + y
    first = egraph_simplify(e)
    from symnb.egraph.prune import relevant
    prog = program.compiled(relevant(SIMPLIFY, {"sin", "cos"}))
    assert prog._since > 0
    monkeypatch.setattr(program, "RECOMPILE_AFTER", prog._since + 1)
    compiles, old = prog.compiles, prog.eg
    assert egraph_simplify(e) is first and prog.compiles == compiles    # the last old session
    assert egraph_simplify(e) is first and prog.compiles == compiles + 1
    assert prog.eg is not old and prog._since == 1


def test_facts_no_rule_reads_are_not_loaded():
    from symnb.egraph.bridge import Encoding
    from symnb.egraph.api import assumption_facts
    a = symbols("a", positive=True)
    enc = Encoding()
    enc.add(a * 2 + 1)
    assumption_facts(enc, ("Positive", "Real"))
    assert enc.positive and {f for fs in enc.facts.values() for f in fs} == {"Real"}
    enc2 = Encoding()
    enc2.add(a * 2 + 1)
    assumption_facts(enc2)
    assert {f for fs in enc2.facts.values() for f in fs} >= {"Real", "Nonzero"}


def test_the_egraph_simplifier_works_from_several_threads():
    # egglog's EGraph is bound to its thread: a program compiled in one thread must not be
    # handed to another (pyo3 panics with "EGraph is unsendable")
    import threading

    import symnb
    e = symnb.parse("sin(x)^2 + cos(x)^2")
    assert symnb.simplify(e, using="egraph") is symnb.parse("1")
    out: list = []

    def run() -> None:
        try:
            out.append(symnb.simplify(e, using="egraph"))
        except BaseException as exc:   # noqa: BLE001  (a pyo3 panic is a BaseException)
            out.append(exc)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [symnb.parse("1")] * 2
