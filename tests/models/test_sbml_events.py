"""SBML events on small models written here: equality triggers fire once where the
equality holds, inequality (``!=``) triggers fire just after the instant where the equality
holds, and an event at an output time shows there as the SBML Test Suite and
libroadrunner report it (after the event when the trigger holds at that time)."""
import math

import numpy as np
import pytest

from symnb.models.sbml import load_sbml

from .test_sbml import comp, event, lists, mathml, param, rule, sbml

T = np.linspace(0.0, 10.0, 11)


def counter(trigger, rate="1", initial=True, persistent=True, x0=0, fd=()):
    """x' = rate; the event counts its executions in n, adds 10 to x and notes the time of
    its last execution in tf."""
    return sbml(lists(fd=list(fd), c=[comp()],
                      p=[param("x", x0, False), param("n", 0, False), param("tf", -1, False)],
                      r=[rule("rateRule", "x", rate)],
                      ev=[event("e", trigger, [("n", "n + 1"), ("x", "x + 10"), ("tf", "time")],
                                initial=initial, persistent=persistent)]))


def run(trigger, times=T, **kw):
    res = load_sbml(counter(trigger, **kw)).simulate(times, rtol=1e-10, atol=1e-12)
    assert res.success, res.message
    return res


def test_time_equality_between_output_times_fires_once():
    res = run("time == 5.5")
    np.testing.assert_array_equal(res["n"], [0] * 6 + [1] * 5)
    np.testing.assert_allclose(res["x"], T + 10 * (T > 5.5), atol=1e-8)


def test_state_equality_fires_at_its_root_once():
    res = run("x == 2.5")
    np.testing.assert_array_equal(res["n"], [0, 0, 0] + [1] * 8)
    np.testing.assert_allclose(res["x"][3], 13.0, atol=1e-8)


def test_equality_crossed_twice_fires_twice():
    # x = sin(t) equals 0.5 at pi/6 and 5*pi/6 (the event then adds 10: only n counts)
    doc = sbml(lists(c=[comp()], p=[param("x", 0, False), param("n", 0, False)],
                     r=[rule("rateRule", "x", "cos(time)")],
                     ev=[event("e", "x == 0.5", [("n", "n + 1")])]))
    res = load_sbml(doc).simulate([0.0, 1.0, 3.0, 4.0], rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(res["n"], [0, 1, 2, 2])
    np.testing.assert_allclose(res["x"], np.sin([0.0, 1.0, 3.0, 4.0]), atol=1e-7)


def test_equality_at_the_start_fires_only_when_initial_value_is_false():
    assert run("time == 0", initial=False)["n"][0] == 1
    assert run("time == 0", initial=True)["n"][-1] == 0


@pytest.mark.parametrize("trigger, at5", [("time >= 5", 15.0), ("time == 5", 15.0),
                                          ("time > 5", 5.0)])
def test_event_on_an_output_time_shows_as_the_suite_and_roadrunner_report_it(trigger, at5):
    # the trigger holds at t = 5: the output there is after the event (as at t0 in the
    # suite's case 00928); ``time > 5`` turns true only after 5: before it at 5
    res = run(trigger)
    assert res["x"][5] == pytest.approx(at5, abs=1e-8)
    assert res["x"][6] == pytest.approx(16.0, abs=1e-8)
    assert res["n"][-1] == 1


def test_state_trigger_whose_root_is_an_output_time_shows_after_the_event():
    # x reaches 2 at the output time 2 (CVODE stops there and finds the root a rounding
    # step later): the output at 2 is after the event, as libroadrunner reports it
    for trigger in ("x == 2", "x >= 2"):
        res = run(trigger)
        assert res["x"][2] == pytest.approx(12.0, abs=1e-8), trigger
        assert res["n"][-1] == 1


def test_equality_that_never_holds_never_fires():
    res = run("x == -1")
    assert res["n"][-1] == 0
    assert not math.isnan(res["x"][-1])


# ---- neq: false on a root of a - b, true just after it, so the event fires just after --

@pytest.mark.parametrize("initial", [True, False])
def test_neq_false_at_the_start_fires_just_after_t0(initial):
    # x = 0 at t0: ``x != 0`` is false there (whatever initialValue says) and true just
    # after, so the event runs once just after t0 (libroadrunner agrees)
    res = run("x != 0", initial=initial)
    assert res["n"][0] == 0 and res["x"][0] == 0.0
    np.testing.assert_array_equal(res["n"][1:], 1)
    assert res["tf"][1] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(res["x"], T + 10 * (T > 0), atol=1e-8)


@pytest.mark.parametrize("trigger", ["x != 2", "!(x == 2)"])
@pytest.mark.parametrize("x0", [0, 2])
def test_neq_on_its_root_at_the_start_or_at_an_output_time(x0, trigger):
    # x = x0 + t equals 2 at t = 2 - x0 (the start, or the output time 2): the event
    # fires just after, so the output there is before it (libroadrunner agrees)
    res = run(trigger, x0=x0)
    k = 2 - x0
    np.testing.assert_array_equal(res["n"], [0] * (k + 1) + [1] * (10 - k))
    assert res["x"][k] == pytest.approx(2.0, abs=1e-8)
    assert res["x"][k + 1] == pytest.approx(13.0, abs=1e-8)
    assert res["tf"][-1] == pytest.approx(k, abs=1e-8)


@pytest.mark.parametrize("trigger", ["x != 2.5", "!(x == 2.5)"])
def test_neq_between_output_times_fires_just_after_its_root(trigger):
    # x = 2.5 at t = 2.5 only: the trigger goes false there and true again just after
    # (libroadrunner 2.10 never fires this event; the SBML false -> true rule does)
    res = run(trigger)
    np.testing.assert_array_equal(res["n"], [0, 0, 0] + [1] * 8)
    assert res["tf"][-1] == pytest.approx(2.5, abs=1e-8)
    np.testing.assert_allclose(res["x"], T + 10 * (T > 2.5), atol=1e-8)


@pytest.mark.parametrize("when", [5.0, 5.5])
@pytest.mark.parametrize("persistent", [True, False])
def test_time_neq_fires_once_just_after_that_time(when, persistent):
    res = run(f"time != {when}", persistent=persistent)
    np.testing.assert_array_equal(res["n"], (T > when).astype(float))
    assert res["x"][5] == pytest.approx(5.0, abs=1e-8)    # at t = 5: before the event
    assert res["x"][6] == pytest.approx(16.0, abs=1e-8)
    assert res["tf"][-1] == pytest.approx(when, abs=1e-8)


def test_time_neq_with_initial_value_false_fires_at_t0_and_after_its_root():
    # true at t0 with initialValue false: fires at t0; false at 5: fires again just after
    res = run("time != 5", initial=False)
    np.testing.assert_array_equal(res["n"], [1] * 6 + [2] * 5)
    np.testing.assert_allclose(res["x"], T + 10 + 10 * (T > 5), atol=1e-8)


def test_neq_crossed_twice_fires_twice():
    # x = sin(t) equals 0.5 at pi/6 and 5*pi/6 (only n and tf change: x stays sin(t))
    doc = sbml(lists(c=[comp()], p=[param("x", 0, False), param("n", 0, False),
                                    param("tf", -1, False)],
                     r=[rule("rateRule", "x", "cos(time)")],
                     ev=[event("e", "x != 0.5", [("n", "n + 1"), ("tf", "time")])]))
    times = [0.0, 1.0, 3.0, 4.0]
    res = load_sbml(doc).simulate(times, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(res["n"], [0, 1, 2, 2])
    np.testing.assert_allclose(res["tf"], [-1, math.pi / 6, 5 * math.pi / 6,
                                           5 * math.pi / 6], atol=1e-7)


def test_neq_inside_a_function_definition_and_a_conjunction():
    fd = [f'<functionDefinition id="differ">{mathml("lambda(a, b, a != b)")}'
          f'</functionDefinition>']
    res = run("differ(x, 2.5) && (time < 8)", fd=fd)
    np.testing.assert_array_equal(res["n"], [0, 0, 0] + [1] * 8)
    assert res["tf"][-1] == pytest.approx(2.5, abs=1e-8)


@pytest.mark.parametrize("initial, fired", [(True, 0), (False, 1)])
def test_neq_that_always_holds_fires_only_by_its_initial_value(initial, fired):
    res = run("x != -1", initial=initial)
    np.testing.assert_array_equal(res["n"], fired)


def test_strict_inequality_at_t0_fires_just_after_t0():
    # ``time > 0`` is false at t0 and true just after (libroadrunner: tf = 0 too)
    res = run("time > 0", initial=False)
    assert res["n"][0] == 0 and res["n"][-1] == 1
    assert res["tf"][-1] == pytest.approx(0.0, abs=1e-12)
