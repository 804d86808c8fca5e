"""Bounded exact arithmetic and budgets: huge inputs stay symbolic or refuse in one line."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from symnb import config, evaluate, parse, to_str
from symnb.errors import LimitExceeded, ParseError
from symnb.terms.core import Number, Pow
from symnb.terms.numbers import exact_pow_too_big, iroot, pow_digits

ISSUE_INPUTS = {
    "10^10^10": "10^10000000000",
    "2^3^4^5": None,                       # 2^(3^1024): a 489-digit exponent
    "(1/3)^(10^9)": "(1/3)^1000000000",
    "2^(1/1000000007)": "2^(1/1000000007)",
    "9^53^-8": "9^(1/62259690411361)",
}


@pytest.mark.parametrize("text", sorted(ISSUE_INPUTS))
def test_issue_inputs_stay_symbolic_powers(text):
    t = parse(text)
    assert type(t) is Pow and type(t.base) is Number and type(t.exp) is Number
    if ISSUE_INPUTS[text] is not None:
        assert to_str(t) == ISSUE_INPUTS[text]
    assert parse(to_str(t)) is t          # prints as a power that parses back


@pytest.mark.parametrize("text, value", [("10^10^10", math.inf), ("2^3^4^5", math.inf),
                                         ("(1/3)^(10^9)", 0.0), ("10^400 * x", math.inf),
                                         ("0.5^(10^400)", 0.0)])
def test_evaluate_gives_ieee_floats(text, value):
    assert evaluate(parse(text), {"x": 1.0}) == value


def test_roots_of_huge_degree_are_float_close():
    assert evaluate(parse("2^(1/1000000007)")) == pytest.approx(2 ** (1 / 1000000007))
    assert math.isnan(evaluate(parse("10^400 - 10^400*x"), {"x": 1.0}))


def test_small_powers_still_exact():
    assert parse("2^10").value == 1024
    assert parse("(2/3)^10").value == Fraction(1024, 59049)
    assert parse("8^(2/3)").value == 4
    assert parse("4^(-1/2)").value == Fraction(1, 2)
    assert len(str(parse("9^1000").value)) == 955


def test_limit_is_a_config_field():
    assert type(parse("9^100000")) is Pow
    with config.limits(max_exact_digits=200_000):
        assert type(parse("9^100000")) is Number
    assert type(parse("3^30")) is Number
    with config.limits(max_exact_digits=10):
        assert type(parse("3^30")) is Pow


def test_coefficient_of_a_product_raised_to_a_huge_power():
    t = parse("(2*x)^(10^10)")
    assert to_str(t) == "2^10000000000*x^10000000000"
    assert t is parse("2^(10^10) * x^(10^10)")


def test_pow_digits_and_root_helpers():
    assert pow_digits(10, 10 ** 10) == 10 ** 10 + 1
    assert pow_digits(2, 3 ** 1024) > 10 ** 400
    assert pow_digits(1, 10 ** 100) == 1
    assert exact_pow_too_big(2, Fraction(1, 10 ** 9))
    assert not exact_pow_too_big(2.0, 10 ** 9)
    assert iroot(2, 10 ** 9 + 7) is None and iroot(2 ** 60, 60) == 2 and iroot(27, 3) == 3


def test_exact_zero_to_huge_negative_power_still_refuses():
    with pytest.raises(ParseError, match="division by zero"):
        parse("0^(-10^10)")


def test_limit_exceeded_message_is_one_line():
    err = LimitExceeded("expand", "x + " * 100 + "y", "terms", 10 ** 7, 10 ** 6, "max_terms",
                        "max_expand_terms")
    msg = str(err)
    assert "\n" not in msg and len(msg) < 200
    assert "max_terms=" in msg and "symnb.config.max_expand_terms" in msg and "1000000" in msg
    assert isinstance(err, ValueError)


def test_config_rejects_unknown_fields():
    with pytest.raises(AttributeError, match="unknown symnb.config field"):
        with config.limits(max_digitz=3):
            pass
