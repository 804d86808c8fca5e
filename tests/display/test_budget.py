"""The dashboards' budget runner: values and errors come back, a call past its budget
returns a "stopped after" line instead of blocking, and the next call answers at once.

Wall-clock bounds here are generous (a budget of 0.2 s against work of 5 s or more): they
only prove that the caller was not held until the work ended."""
from __future__ import annotations

import time

import pytest

from symnb.display import budget
from symnb.display.budget import WorkerError, abandoned, run_within
from symnb.terms.limits import LimitExceeded


def _sleep_then(seconds: float, value: object) -> object:
    time.sleep(seconds)
    return value


def _spin() -> None:
    while True:
        pass


def _generator() -> object:
    return (i for i in ())


def _refuse() -> None:
    raise LimitExceeded("expand", "(x + 1)^5000000", "terms", 5000001, 1000000, "max_terms")


@pytest.fixture(scope="module")
def worker():
    budget.prestart()
    yield
    budget.shutdown()


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_value_and_error(kind, worker):
    out = run_within(divmod, 17, 5, what="divmod", kind=kind)
    assert out.ok and out.value == (3, 2) and out.message == "" and out.stopped == ""
    bad = run_within(int, "x", what="int", kind=kind)
    assert not bad.ok and bad.value is None and bad.stopped == ""
    assert bad.message == "ValueError: invalid literal for int() with base 10: 'x'"


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_inner_limit_is_an_error_not_a_stop(kind, worker):
    """A symnb refusal inside the work (its own limit) is reported as that refusal."""
    out = run_within(_refuse, what="expand", kind=kind)
    assert out.stopped == "" and out.message.startswith("LimitExceeded: expand((x + 1)^5000000)")
    if kind == "process":
        assert isinstance(out.error, WorkerError) and out.error.kind == "LimitExceeded"


class _Panic(BaseException):
    """Like pyo3's PanicException: not an Exception."""


def _panic() -> None:
    raise _Panic("unsendable")


def test_native_panic_is_an_error_not_a_stop():
    out = run_within(_panic, what="egraph")
    assert out.stopped == "" and out.message == "_Panic: unsendable"


def test_python_loop_is_stopped_cooperatively():
    out = run_within(_spin, what="spin", seconds=0.2)
    assert out.stopped == "stopped after 0.2 s: spin" and out.message == out.stopped
    assert out.seconds < 0.2 + budget.GRACE + 2.0      # generous: it did not run on


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_stuck_call_returns_and_next_call_answers(kind, worker):
    """Work that does not run bytecode (a 5 s sleep) cannot be interrupted cooperatively:
    the caller still gets the stop line at the budget, and the next call does not wait
    behind the stuck one."""
    t0 = time.perf_counter()
    out = run_within(_sleep_then, 5.0, "late", what="x" * 200, seconds=0.2, kind=kind)
    waited = time.perf_counter() - t0
    assert out.value is None and out.stopped.startswith("stopped after 0.2 s: xxx")
    assert "…" in out.stopped and len(out.stopped) < 100          # what is abbreviated
    assert waited < 3.0, waited              # far less than the 5 s of the work
    t1 = time.perf_counter()
    nxt = run_within(str.upper, "x+1", what="next", kind=kind)
    assert nxt.value == "X+1"
    assert time.perf_counter() - t1 < 4.0    # no queue behind the sleeping call (process:
    # at most one fresh interpreter start)
    if kind == "thread":
        assert any(t.name.startswith("symnb-budget: xxx") for t in abandoned())


def test_process_kind_stops_work_that_holds_the_gil(worker):
    """A C call that never releases the GIL: only the worker process can be stopped."""
    t0 = time.perf_counter()
    out = run_within(pow, 7, 10 ** 9, what="7**10**9", seconds=0.2, kind="process")
    assert out.stopped == "stopped after 0.2 s: 7**10**9"
    assert time.perf_counter() - t0 < 3.0
    assert run_within(abs, -4, what="abs", kind="process").value == 4


def test_process_kind_reports_what_cannot_be_sent(worker):
    out = run_within(lambda: 1, what="lambda", kind="process")
    assert not out.ok and "cannot send the work to the worker" in out.message
    back = run_within(_generator, what="generator", kind="process")
    assert "the result cannot be sent back" in back.message


def test_bad_arguments():
    with pytest.raises(ValueError, match="budget must be a positive number"):
        run_within(abs, 1, what="abs", seconds=0)
    with pytest.raises(ValueError, match="unknown kind 'fork'"):
        run_within(abs, 1, what="abs", kind="fork")


def test_default_budget_is_the_config_field():
    from symnb import config
    with config.limits(dashboard_seconds=0.2):
        t = time.perf_counter()
        out = run_within(_spin, what="spin forever")
        assert time.perf_counter() - t < 5.0
    assert out.stopped == "stopped after 0.2 s: spin forever"


def test_budget_from_the_environment_is_checked():
    from symnb.config import _seconds_from_env
    assert _seconds_from_env("3") == 3.0
    for bad in ("0", "-1", "ten", "nan"):
        with pytest.warns(UserWarning, match=f"SYMNB_BUDGET_SECONDS={bad!r} is not a positive"):
            assert _seconds_from_env(bad) == 10.0
