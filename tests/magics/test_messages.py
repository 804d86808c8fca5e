"""The magics' messages name the thing and the fix (issue 18): %compile signatures,
unknown names, empty input, %simplify that changes nothing, assumptions, the help table."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("IPython")
from .conftest import run  # noqa: E402

import symnb  # noqa: E402
from kernel_ext.magics import MAGIC_HELP, help_text, operations  # noqa: E402




def one_error(cap) -> str:
    lines = [ln for ln in cap.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("symnb: "), cap.stderr
    return lines[0]


def test_compile_shows_signature_and_names_the_function(ip):
    _, cap = run(ip, "%compile h = y - x --backend python")
    assert cap.stderr == "" and cap.stdout.splitlines()[0] == "h(x, y) -> float"
    h = ip.user_ns["h"]
    assert "def h(x, y):" in h.source and h.signature == "h(x, y) -> float"
    assert h(1.0, 3.0) == 2.0 and h(y=3.0, x=1.0) == 2.0 and h(1.0, y=3.0) == 2.0
    with pytest.raises(TypeError, match=r"h\(\) missing a required argument: 'y'"):
        h(1.0)
    with pytest.raises(TypeError, match=r"h\(\) too many positional arguments"):
        h(1.0, 2.0, 3.0)


def test_compile_target_fixes_argument_order(ip):
    _, cap = run(ip, "%compile h(y, x) = y - x --backend python")
    assert cap.stdout.splitlines()[0] == "h(y, x) -> float"
    assert ip.user_ns["h"](5.0, 1.0) == 4.0
    _, cap = run(ip, "%compile h(y) = y - x")
    assert "free symbol" in one_error(cap)
    _, cap = run(ip, "%compile h(y, x) = y - x --args x,y")
    assert "give the argument order once" in one_error(cap)


def test_compile_numba_keywords_and_array_signature(ip):
    _, cap = run(ip, "%compile g2 = x*y + 1")
    g2 = ip.user_ns["g2"]
    assert cap.stdout.splitlines()[0] == "g2(x, y) -> float"
    assert g2(2.0, 3.0) == 7.0 and g2(y=3.0, x=2.0) == 7.0
    run(ip, "vec2 = [x*y, x + y]")
    _, cap = run(ip, "%compile F = vec2 --backend python")
    assert cap.stdout.splitlines()[0] == "F(x, y) -> ndarray(2,)"
    _, cap = run(ip, "%compile sin2 = x --backend python")      # a usable name: kept
    assert "def sin2(x)" in ip.user_ns["sin2"].source


def test_compile_target_that_would_hide_a_name_falls_back_to_f(ip):
    _, cap = run(ip, "%compile exp = x + 1 --backend python")
    assert cap.stderr == "" and cap.stdout.splitlines()[0] == "f(x) -> float"
    run(ip, "del exp")


def test_unknown_function_points_to_fun(ip):
    _, cap = run(ip, "%dag foo(x)")
    err = one_error(cap)
    assert "unknown function 'foo'" in err and "%fun foo" in err and "%sym foo(x)" in err
    assert "Function(" not in err


def test_fun_and_sym_declare_functions(ip):
    _, cap = run(ip, "%fun gg hh")
    assert cap.stderr == "" and isinstance(ip.user_ns["gg"], symnb.Function)
    _, cap = run(ip, "%dag gg(x) + hh(x, y)")
    assert cap.stderr == "" and cap.outputs
    _, cap = run(ip, "%sym kk(s1, t1)")
    assert cap.stderr == "" and isinstance(ip.user_ns["kk"], symnb.Function)
    assert ip.user_ns["s1"] is symnb.Symbol("s1")
    _, cap = run(ip, "%fun sin")
    assert "'sin' is already a symnb function" in one_error(cap)
    _, cap = run(ip, "%fun")
    assert one_error(cap).endswith("e.g. %fun g")


def test_symnb_operations_work_inside_magics(ip):
    _, cap = run(ip, "%dag expand((x + y + 1)^2)")
    assert cap.stderr == "" and cap.outputs
    _, cap = run(ip, "%simplify diff(x^3, x)")
    assert cap.outputs[-1].data["text/plain"] == "3*x^2"
    missing = [n for n in ("factor", "cancel") if n not in operations()]
    for n in missing:                    # operations this version lacks: said precisely
        _, cap = run(ip, f"%dag {n}(x^2 - 1)")
        err = one_error(cap)
        assert f"'{n}'" in err and "does not have yet" in err and "expand" in err


def test_new_symbols_are_named(ip):
    _, cap = run(ip, "%dag zq + x*wq")
    assert cap.stderr == ""
    assert "zq, wq taken as new symbols" in cap.stdout and "%sym zq wq" in cap.stdout
    _, cap = run(ip, "%dag x + 1")
    assert "new symbol" not in cap.stdout
    _, cap = run(ip, "%compile hq(vq, uq) = uq - vq --backend python")
    notes = [ln for ln in cap.stdout.splitlines() if "new symbol" in ln]
    assert notes == ["symnb: uq, vq taken as new symbols (not declared; %sym uq vq declares "
                     "them)"]


EMPTY = ["%dag", "%simplify", "%rewrite", "%egraph", "%compile f =", "%compile", "%sym",
         "%fun", "%bench", "%linsolve", "%trace", "%trace tr =", "%%rules\nx => y",
         "%%rules r\n# only a comment"]


@pytest.mark.parametrize("cell", EMPTY)
def test_missing_input_ends_with_a_usage_example(ip, cell):
    if cell.startswith("%egraph") and "egraph" not in ip.magics_manager.lsmagic()["line"]:
        pytest.skip("no e-graph support installed")
    _, cap = run(ip, cell)
    err = one_error(cap)
    magic = cell.split()[0]
    assert re.search(r"e\.g\. " + re.escape(magic) + r"( |$)", err), err


def test_simplify_that_changes_nothing_says_so(ip):
    _, cap = run(ip, "%simplify x*(y + 1)")
    assert "simplify (rules) changed nothing; next: --using egraph" in cap.stdout
    assert "%sym x y --positive" in cap.stdout and "expand(...)" in cap.stdout
    _, cap = run(ip, "%simplify sin(x)^2 + cos(x)^2")
    assert "changed nothing" not in cap.stdout


def test_sym_declares_assumptions(ip):
    _, cap = run(ip, "%sym pa pb --positive")
    assert cap.stderr == ""
    pa = ip.user_ns["pa"]
    assert symnb.ask(pa, "positive") is True and symnb.ask(pa * ip.user_ns["pb"], "positive")
    for flag, fact in [("--real", "real"), ("--integer", "integer"),
                       ("--nonzero", "nonzero"), ("--nonnegative", "nonnegative"),
                       ("--negative", "negative"), ("--nonpositive", "nonpositive")]:
        run(ip, f"%sym qa {flag}")
        assert symnb.ask(ip.user_ns["qa"], fact) is True, flag
    run(ip, "%sym pv[2] --positive")
    assert all(symnb.ask(s, "positive") for s in ip.user_ns["pv"])
    # the declared symbol is the one the magics use
    _, cap = run(ip, "%simplify pa*pb")
    assert "%sym" not in cap.stdout        # no plain symbols left to suggest assumptions for
    _, cap = run(ip, "%sym pa --bogus")
    assert "unrecognized arguments: --bogus" in one_error(cap)


def test_help_table_never_breaks_words(ip):
    _, cap = run(ip, "%symnb")
    text = cap.stdout
    assert all(len(ln) <= 88 for ln in text.splitlines())
    words = set()
    for _, ex, what in MAGIC_HELP:
        words |= set(re.findall(r"--[a-z][a-z-]*", what + " " + ex))
    for w in words:                      # every flag appears whole on one line
        assert re.search(re.escape(w) + r"(?![a-z-])", text), w
    for _, ex, _ in MAGIC_HELP:          # each example on its own row(s)
        for ln in ex.split("\n"):
            assert "  " + ln in text.splitlines()
    assert "taken as new symbols" in text and "%fun NAME" in text
    assert help_text() in text


def test_dag_of_a_large_expansion_opens_collapsed(ip):
    import json

    from symnb.display import MIME_TYPE, validate_payload
    from symnb.display.collapse import visible_ids
    _, cap = run(ip, "%dag expand((x + y + 1)^60)")
    assert cap.stderr == ""
    data = cap.outputs[0].data[MIME_TYPE]
    p = validate_payload(json.loads(data) if isinstance(data, str) else data)
    assert p["stats"]["total_nodes"] == 2396 and len(visible_ids(p)) <= 120
    _, cap = run(ip, "%dag expand((x + y + 1)^60) --expanded")
    data = cap.outputs[0].data[MIME_TYPE]
    p = json.loads(data) if isinstance(data, str) else data
    assert not p.get("collapsed") and p["truncated"]["total"] == 2396


def test_wrong_call_of_a_numba_function_names_what_is_missing(ip):
    run(ip, "%compile hn = y - x")
    res, cap = run(ip, "hn(1.0)")
    assert isinstance(res.error_in_exec, TypeError)
    assert "hn() missing y (call it as hn(x, y) -> float)" in cap.stdout + cap.stderr
    res, cap = run(ip, "alias = hn\nalias(1.0, 2.0, 3.0)")
    assert "alias() takes 2 arguments, got 3 (call it as hn(x, y) -> float)" in \
        cap.stdout + cap.stderr
    res, cap = run(ip, "len(3)")                     # other TypeErrors: unchanged
    assert "has no len()" in cap.stdout + cap.stderr
    run(ip, "r_hn = hn(1.0, 3.0)")
    assert ip.user_ns["r_hn"] == 2.0
    assert ip.user_ns["hn"](y=3.0, x=1.0) == 2.0
