"""Compiled matchers agree with the reference generator matcher; pre-filters are sound;
walkers keep identity of unchanged sympy subterms; Fixpoint's walk memo needs pure rules."""
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symnb
from symnb import Function, Number, cos, exp, sin, symbols
from symnb.rewriting import Chain, Fixpoint, Postwalk, Rule, default_rules, rule
from symnb.rewriting.compiled import compile_pattern, required_features, required_mask
from symnb.rewriting.matcher import _info, clear_cache, match_rule
from symnb.rewriting.syntax import parse_pattern

x, y, z = symbols("x y z")
f, g = Function("f"), Function("g")

PATTERNS = [
    "~x + ~y*~x", "~x::not_number + ~y*~x::not_number", "~x * 1", "~x + 0", "~x^~a * ~x^~b",
    "~!c*sin(~x)^2 + ~!c*cos(~x)^2", "~!x/~z + ~!y/~z", "(~x/~y)^(-1)", "~x^~!n * f(~x)",
    "sin(~x)^2 + ~~rest", "f(~~xs, ~y)", "f(~~a, ~~b)", "f(~x, ~x)", "~!a*f(~x)",
    "f(~x) + ~!c", "2*sin(~x)*cos(~x)", "(~x^~a)^~n::is_integer", "~x*~y + ~x*~z", "~x",
    "1 - sin(~x)^2", "exp(~x) * exp(~y)", "~x^1", "~x::is_number * ~y",
]
ATOMS = [x, y, z, Number(2), Number(-1), Number(1), sin(x), cos(x), f(y), x ** 2, 1 / z,
         sin(x) ** 2, cos(x) ** 2, exp(y)]


@st.composite
def subjects(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(ATOMS))
    kind = draw(st.sampled_from(["add", "mul", "pow", "f", "f2"]))
    parts = draw(st.lists(subjects(depth - 1), min_size=1, max_size=4))
    if kind == "add":
        return symnb.Add(*parts)
    if kind == "mul":
        return symnb.Mul(*parts)
    if kind == "pow":
        e = draw(st.sampled_from([Number(2), Number(-1), y]))
        if parts[0] is Number(0) and e is Number(-1):
            return parts[0]          # 0**-1 is an exact ZeroDivisionError by design
        return parts[0] ** e
    return f(*parts) if kind == "f" else g(parts[0])


def _all_compiled(top, s):
    out = []

    def k(b, rest, subj):
        assert subj is s
        out.append((dict(b), tuple(rest)))
        return None          # keep searching: enumerate every match
    assert top(s, k) is None
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ptext=st.sampled_from(PATTERNS), s=subjects(), rep=st.sampled_from(["symnb", "sympy"]))
def test_compiled_matcher_enumerates_the_reference_matches_in_order(ptext, s, rep):
    p = parse_pattern(ptext)
    if rep == "sympy":
        s = symnb.to_sympy(s)
    clear_cache()
    ref = [(dict(b), tuple(rest)) for b, rest in match_rule(p, s)]
    assert _all_compiled(compile_pattern(p), s) == ref
    # the feature pre-filter never rejects a subject that has a match
    if ref:
        assert required_mask(p) & ~_info(s).mask == 0


def test_required_features():
    assert required_features(parse_pattern("~x * 1")) == {"Mul", ("num", 1)}
    # default slots may make a product vanish: Mul is not required, Pow is
    assert required_features(parse_pattern("~!x/~z + ~!y/~z")) == {"Add", "Pow", ("num", -1)}
    assert required_features(parse_pattern("~x^~!n")) == frozenset()
    assert required_features(parse_pattern("~x")) == frozenset()


def test_rule_skips_subjects_lacking_a_required_feature_without_matching():
    calls = []

    def spy(t):
        calls.append(t)
        return True
    r = rule("sin(~x::spy) => ~x", predicates={"spy": spy})
    assert r(cos(x) + y) is None and calls == []          # no sin anywhere: not searched
    assert r(sin(y)) is y and calls == [y]


def test_first_accepted_match_wins_and_declines_continue():
    seen = []

    def fn(m):
        seen.append(m["x"])
        return None if m["x"] is x else g(m["x"])   # declines the first match
    r = Rule(parse_pattern("f(~x) + ~~rest"), fn, name="pick")
    out = r(f(x) + f(y))
    assert out is g(y) and seen == [x, y]


def test_replacement_equal_to_subject_stops_the_search():
    # the first match rebuilds the subject itself: the rule does not apply (no later match)
    r = rule("~x + ~y => ~y + ~x")
    assert r(x + y) is None


def test_postwalk_keeps_identity_of_equal_but_distinct_sympy_subterms():
    import sympy
    from sympy.core.cache import clear_cache as sympy_clear
    a, b = sympy.symbols("a b")
    one = a + b
    sympy_clear()
    two = a + b                                     # equal to `one`, another object
    assert one == two and one is not two
    e = sympy.Mul(sympy.sin(one), sympy.cos(two), evaluate=False)
    out = Postwalk(Chain(default_rules()))(e)
    assert out is e                                 # nothing fired: nothing rebuilt


def test_fixpoint_walk_memo_is_not_used_for_impure_rewriters():
    h, k = Function("h"), Function("k")
    calls = {"f": 0}

    def late(t):                     # not pure: rewrites f(x) only from its 2nd call on
        if t is h(y):
            return k(y)
        if t is f(x):
            calls["f"] += 1
            if calls["f"] >= 2:
                return g(x)
        return None
    # iteration 1 changes h(y) only; f(x) must be walked (and rewritten) again in iteration 2
    assert Fixpoint(Postwalk(late))(f(x) + h(y)) is g(x) + k(y)


def test_fixpoint_walk_memo_rewrites_parents_of_changed_subterms():
    h = Function("h")
    rules = [rule("f(~x) => g(~x)"), rule("g(~x) + g(~y) => h(~x, ~y)")]
    e = sin(f(x) + g(y)) + cos(z) ** 2
    assert Fixpoint(Postwalk(Chain(rules)))(e) in (sin(h(x, y)) + cos(z) ** 2,
                                                  sin(h(y, x)) + cos(z) ** 2)


def test_benchmark_script_runs_small():
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, str(root / "benchmarks" / "rewrite.py"),
                          "--repeats", "1", "--atoms", "40"],
                         capture_output=True, text=True, timeout=300, cwd=root)
    assert out.returncode == 0, out.stderr
    assert "sympy/symnb" in out.stdout and "results agree after conversion: sympy True" in \
        out.stdout
    assert "cleared before every timed run" in out.stdout
