"""The magics take symnb's limits as flags (issue 19): each computing magic accepts its
flags, runs under them (values), restores the defaults, and a refusal is one line naming
the input, the limit and the flag that raises it."""
from __future__ import annotations

import pytest

pytest.importorskip("IPython")
from .conftest import run  # noqa: E402

from symnb import config  # noqa: E402
from kernel_ext.limit_flags import LIMIT_FLAGS, MAGIC_LIMITS  # noqa: E402
from kernel_ext.magics import help_rows  # noqa: E402


def one_error(cap) -> str:
    lines = [ln for ln in cap.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("symnb: "), cap.stderr
    return lines[0]


def shown(cap) -> str:
    return " ".join(o.data.get("text/plain", "") for o in cap.outputs)


@pytest.mark.parametrize("cell, message", [
    ("%dag expand((x + 1)^100) --max-terms 50",
     "symnb: %dag: expand((1 + x)^100): about 101 terms, limit 50; pass --max-terms N to "
     "raise it"),
    ("%rewrite expand((x + y + 1)^10) --max-terms 65",
     "symnb: %rewrite: expand((1 + x + y)^10): about 66 terms, limit 65; pass --max-terms N "
     "to raise it"),
    ("%dag cancel((x + y + 1)^10/(x + 1)) --max-terms 50",
     "symnb: %dag: raising a 3-term polynomial to the power 10 would give up to 66 terms, "
     "more than max_terms=50; pass --max-terms N to raise it"),
    ("%dag diff(sin(x)^50*cos(x)^50*exp(x)^3, x) --max-size 10",
     "symnb: %dag: diff(cos(x)^50*exp(3*x)*sin(x)^50): about 16 nodes and product factors, "
     "limit 10; pass --max-size N to raise it"),
    ("%compile h = x*y + x*sin(y) --max-ops 2 --backend python",
     "symnb: %compile: compile(x*y + x*sin(y)): about 4 operations, limit 2; pass --max-ops N "
     "to raise it"),
])
def test_a_refusal_is_one_line_naming_input_limit_and_flag(ip, cell, message):
    _, cap = run(ip, cell)
    assert one_error(cap) == message
    assert config.max_expand_terms == 1_000_000 and config.max_diff_size == 1_000_000
    assert config.compile_max_scalar_ops == 20_000


def test_raising_the_limit_lets_the_computation_run(ip):
    _, cap = run(ip, "%rewrite expand((x + 1)^100) --max-terms 101")
    assert cap.stderr == "" and "x^100" in shown(cap)
    _, cap = run(ip, "%compile h = x*y + x*sin(y) --max-ops 4 --backend python")
    assert cap.stderr == "" and ip.user_ns["h"](1.0, 0.0) == 0.0


def test_max_digits_keeps_larger_powers_symbolic(ip):
    _, cap = run(ip, "%rewrite 2^100 --max-digits 10")
    assert shown(cap) == "2^100"
    _, cap = run(ip, "%rewrite 2^100")
    assert shown(cap) == str(2 ** 100)
    _, cap = run(ip, "%dag (10^6000)^2*x --max-digits 20000")
    assert cap.stderr == ""
    assert config.max_exact_digits == 10_000


def test_timeout_stops_the_magic_in_one_line(ip):
    big = "+".join(f"sin(x{i})^2 + cos(x{i})^2*log(exp(y{i}))" for i in range(300))
    _, cap = run(ip, f"%simplify {big} --timeout 0.01")
    msg = one_error(cap)
    # the magic's deadline or simplify's own (both 0.01 s) stops it, whichever lands first
    assert msg.startswith(("symnb: %simplify(sin(x0)^2 + cos(x0)^2*log(ex … ",
                           "symnb: %simplify: simplify(sin(x0)^2"))
    assert msg.endswith("): stopped at its limit of 0.01 s; pass --timeout SECONDS to raise it")
    _, cap = run(ip, "%simplify sin(x)^2 + cos(x)^2 --timeout 30")
    assert cap.stderr == "" and shown(cap) == "1"
    assert config.simplify_seconds == 30.0


@pytest.mark.parametrize("cell, message", [
    ("%simplify x --timeout 0", "symnb: %simplify: argument --timeout: must be positive, got '0'"),
    ("%dag x --max-terms many",
     "symnb: %dag: argument --max-terms: expected a positive number, got 'many'"),
    ("%rewrite x --max-ops 3", "symnb: %rewrite: unrecognized arguments: --max-ops 3"),
])
def test_bad_flag_values_are_one_line_usage_errors(ip, cell, message):
    _, cap = run(ip, cell)
    assert one_error(cap) == message


def test_every_computing_magic_takes_its_flags_and_the_help_lists_them(ip):
    rows = {m: what for m, _, what in help_rows()}
    for magic, flags in MAGIC_LIMITS.items():
        if f"%{magic}" not in rows:     # %egraph/%trace without their libraries
            continue
        for f in flags:
            assert f"{f}={LIMIT_FLAGS[f].metavar}" in rows[f"%{magic}"], (magic, f)
    _, cap = run(ip, "%sym --help-not-a-flag x")   # %sym computes nothing: no limit flags
    assert "unrecognized arguments" in one_error(cap)
    import pathlib
    import tempfile
    net = pathlib.Path(tempfile.mkdtemp(), "ab.net")
    net.write_text("begin parameters\n 1 k 2^40\nend parameters\nbegin species\n 1 A() 10\n"
                   " 2 B() 0\nend species\nbegin reactions\n 1 1 2 k\nend reactions\n")
    _, cap = run(ip, f"%load_model {net} ab --max-digits 5 --timeout 60")
    assert cap.stderr == "" and "ab" in ip.user_ns


def test_trace_and_egraph_take_their_flags(ip):
    from kernel_ext.magics import egraph_available, trace_available
    if trace_available():
        run(ip, "def rhs(u, k): return k * (u[1:] - u[:-1])")
        _, cap = run(ip, "%trace tr = rhs(u[8], 2.0) --timeout 30 --max-digits 50")
        assert cap.stderr == "" and len(ip.user_ns["tr"].outputs) == 7
        _, cap = run(ip, "%trace tr = rhs(u[8], 2.0) --max-terms 3")
        assert one_error(cap) == "symnb: %trace: unrecognized arguments: --max-terms 3"
    if egraph_available():
        _, cap = run(ip, "%egraph expand((x + 1)^30) --max-terms 10")
        assert one_error(cap) == ("symnb: %egraph: expand((1 + x)^30): about 31 terms, limit 10; "
                                  "pass --max-terms N to raise it")
