"""The simplification corpus (issue 14) as a test: the corpus is sound, the checker
judges, and ``symnb.simplify`` (rules) keeps its success count and never changes a value.

The corpus and the checker live in ``benchmarks/`` (``_simplify_corpus.py``,
``_simplify_check.py``) and are shared with ``benchmarks/simplify.py``.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import symnb

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


corpus = _load("_simplify_corpus")
checker = _load("_simplify_check")
CASES = corpus.CASES

# Successes of symnb.simplify(e) (rules) on the corpus, measured by
# `benchmarks/simplify.py --quick` on 2026-12-05 (225 of 225 since the HTRexpi tanh
# quotient rule closed tanh_from_exp; the strategy of simplify_strategy.py).  This number must only go up: raise it when the
# simplifier improves, never lower it.
RULES_SUCCESSES = 225

# Cases on which symnb.simplify (rules) returns a value that differs from its input:
# none since the strategy (2026-12-05; sqrt(x^2), log(exp(x)) and exp(x)^a stay for
# complex x).  A name listed here would be a known bug; the test catches any new one.
KNOWN_UNSOUND: set = set()

ISSUE_CASES = {
    "(x^2 - y^2)/(x - y)", "(x^3 - 1)/(x - 1)", "1/x + 1/y - (x + y)/(x*y)",
    "1/(x - 1) - 1/(x + 1) - 2/(x^2 - 1)", "sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y)",
    "cos(x)^4 - sin(x)^4 - cos(2*x)", "(x + 1)^2 - x^2 - 2*x - 1", "(x*y + x*z)/x",
}


def test_corpus_shape():
    assert len(CASES) >= 160
    assert {c.category for c in CASES} == set(corpus.CATEGORIES)
    assert len({c.name for c in CASES}) == len(CASES)
    assert ISSUE_CASES <= {c.input for c in CASES}
    stays = corpus.by_name("sqrt_square_stays")
    assert (stays.input, stays.expected, stays.assumptions) == ("sqrt(x^2)", "sqrt(x^2)", {})
    with pytest.raises(KeyError, match="did you mean 'pythagoras'"):
        corpus.by_name("pythagora")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_expected_form_is_right_and_simpler(case):
    expected = checker.with_assumptions(symnb.to_sympy(symnb.parse(case.expected)),
                                         case.assumptions)
    v = checker.check(case, expected)
    assert v.ok, v.reason
    if case.expected != case.input:   # "stays" cases keep their input
        assert checker.ops(symnb.parse(case.input)) > v.expected


def test_checker_rejects_wrong_and_costly_results():
    case = corpus.by_name("sin_sum_zero")
    x = sympy.Symbol("x")
    assert checker.check(case, sympy.Integer(0)).ok
    v = checker.check(case, sympy.sin(x) - sympy.sin(x + 1e-6))
    assert not v.equal and "differs" in v.reason
    v = checker.check(case, checker.sympy_input(case))
    assert v.equal and not v.ok and v.reason == "10 operations > 0 expected"
    # a result undefined where the input is defined does not pass
    assert not checker.check(case, sympy.nan).equal
    # rewrites valid only near the real axis or on part of it are caught
    for name, wrong in [("log_exp_stays", x), ("cube_root_cube_stays", x),
                        ("sqrt_square_stays", sympy.Abs(x))]:
        assert not checker.check(corpus.by_name(name), wrong).equal, name
    assert not checker.numerically_equal(sympy.asin(sympy.sin(x)), x, {"x": {"real": True}})[0]


def test_assumptions_shape_the_sample_points():
    pts = checker.points(["x", "z", "n"], {"x": {"positive": True}, "n": {"integer": True}}, 7)
    assert len(pts) == checker.N_REAL + checker.N_COMPLEX
    assert all(p["x"].imag == 0 and p["x"].real > 0 for p in pts)
    assert all(p["n"] == int(p["n"]) for p in pts)
    assert any(p["z"].imag != 0 for p in pts[checker.N_REAL:])
    assert all(p["z"].imag == 0 for p in pts[:checker.N_REAL])
    # positive x: log(x*y) - log(x) - log(y) is 0; for complex x and y it is not
    case = corpus.by_name("log_product_positive")
    assert checker.check(case, sympy.Integer(0)).ok
    free = case._replace(assumptions={})
    assert not checker.numerically_equal(checker.sympy_input(free), sympy.Integer(0), {}, 1)[0]


@pytest.fixture(scope="module")
def rules_verdicts():
    out = {}
    for case in CASES:
        try:
            e = checker.symnb_input(case)
        except checker.AssumptionsUnsupported as exc:
            out[case.name] = exc
            continue
        out[case.name] = checker.check(case, symnb.simplify(e))
    return out


def test_rules_success_count_only_goes_up(rules_verdicts):
    ok = sorted(n for n, v in rules_verdicts.items() if isinstance(v, checker.Verdict) and v.ok)
    assert len(ok) >= RULES_SUCCESSES, ok


def test_rules_simplify_never_changes_a_value(rules_verdicts):
    unsound = {n for n, v in rules_verdicts.items()
               if isinstance(v, checker.Verdict) and not v.equal}
    assert unsound <= KNOWN_UNSOUND, {n: rules_verdicts[n].reason
                                      for n in unsound - KNOWN_UNSOUND}


def test_unsupported_assumptions_are_reported_not_skipped(rules_verdicts):
    case = corpus.by_name("sqrt_square_positive")
    try:
        symnb.symbols("x", positive=True)
    except TypeError:
        v = rules_verdicts[case.name]
        assert isinstance(v, checker.AssumptionsUnsupported)
        assert str(v).startswith("not run: assumptions unsupported")
    else:
        assert isinstance(rules_verdicts[case.name], checker.Verdict)


def test_benchmark_script_agrees_with_the_test(rules_verdicts, tmp_path):
    out = tmp_path / "simplify.json"
    p = subprocess.run([sys.executable, str(BENCH / "simplify.py"), "--quick", "--only", "rules",
                        "--json", str(out)], capture_output=True, text=True, timeout=300,
                       cwd=BENCH.parent)
    assert p.returncode == 0, p.stderr
    data = json.loads(out.read_text())
    ok = sum(isinstance(v, checker.Verdict) and v.ok for v in rules_verdicts.values())
    assert data["totals"] == {"rules": ok} and data["n_cases"] == len(CASES)
    assert set(data["unsound"]["rules"]) == {n for n, v in rules_verdicts.items()
                                             if isinstance(v, checker.Verdict) and not v.equal}
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith(f"summary: rules {ok}/{len(CASES)} in ")
