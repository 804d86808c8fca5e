"""The simplification corpus (issue 14): textbook identities with an expected simple form.

Each ``Case`` holds an input and its expected simple form as text in symnb's parser
syntax (``^`` for powers; functions ``sin cos tan asin acos atan sinh cosh tanh exp log
sqrt Abs sign``; no named constants: ``pi`` would be a symbol), a category, and
assumptions per symbol (``{"x": {"positive": True}}``, sympy's keywords).  Without
assumptions a symbol is complex, and the expected form is equal to the input on the
whole complex plane (away from poles and branch cuts).  Cases whose expected form is the
input itself ("... stays") check that no simplifier changes a value to gain operations
(``sqrt(x^2)`` is not ``Abs(x)`` for complex ``x``).

The underscore keeps ``benchmarks/report.py`` from running this module as a suite.

>>> len(CASES) >= 160, sorted(CATEGORIES) == sorted({c.category for c in CASES})
(True, True)
>>> by_name("diff_squares_quotient")
Case(name='diff_squares_quotient', category='polynomial', input='(x^2 - y^2)/(x - y)', \
expected='x + y', assumptions={})
"""
from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Case", "CASES", "CATEGORIES", "by_name"]


class Case(NamedTuple):
    """One identity: ``input`` simplifies to ``expected`` (texts for ``symnb.parse``)."""
    name: str
    category: str
    input: str
    expected: str
    assumptions: dict[str, dict[str, Any]] = {}


CATEGORIES = ("polynomial", "trig", "explog", "hyperbolic", "mixed", "assumptions")
"""polynomial and rational; trigonometric; exp, log and powers; hyperbolic; mixed; under
assumptions (and the "stays" cases that only an assumption would allow to change)."""

_POS = {"positive": True}
_REAL = {"real": True}

_POLYNOMIAL = [
    ("diff_squares_quotient", "(x^2 - y^2)/(x - y)", "x + y"),
    ("cube_minus_one_quotient", "(x^3 - 1)/(x - 1)", "x^2 + x + 1"),
    ("sum_of_reciprocals", "1/x + 1/y - (x + y)/(x*y)", "0"),
    ("partial_fractions_zero", "1/(x - 1) - 1/(x + 1) - 2/(x^2 - 1)", "0"),
    ("square_expansion_zero", "(x + 1)^2 - x^2 - 2*x - 1", "0"),
    ("common_factor_quotient", "(x*y + x*z)/x", "y + z"),
    ("binomial_cube_zero", "(x + y)^3 - x^3 - 3*x^2*y - 3*x*y^2 - y^3", "0"),
    ("diff_squares_product", "(x - y)*(x + y) - x^2 + y^2", "0"),
    ("sum_cubes_quotient", "(x^3 + y^3)/(x + y) - x^2 - y^2", "-x*y"),
    ("diff_cubes_quotient", "(x^3 - y^3)/(x - y) - x*y", "x^2 + y^2"),
    ("quadratic_quotient", "(x^2 + 5*x + 6)/(x + 2)", "x + 3"),
    ("quadratic_ratio", "(x^2 - 4)/(x^2 + 4*x + 4)", "(x - 2)/(x + 2)"),
    ("quartic_quotient", "(x^4 - 1)/(x^2 + 1)", "x^2 - 1"),
    ("cancel_x", "(x^2 + x)/x", "x + 1"),
    ("cancel_xy", "(x^2*y + x*y^2)/(x*y)", "x + y"),
    ("nested_fraction", "1/(1 + 1/x)", "x/(x + 1)"),
    ("complex_fraction", "(1/x - 1/y)/(1/x + 1/y)", "(y - x)/(x + y)"),
    ("square_difference", "(x + y)^2 - (x - y)^2", "4*x*y"),
    ("square_minus_cross", "(a + b)^2 - 2*a*b", "a^2 + b^2"),
    ("product_minus_square", "x*(x + 1) - x^2", "x"),
    ("product_plus_one", "(x + 1)*(x - 1) + 1", "x^2"),
    ("diff_squares_over_sum", "(x^2 - 1)/(x + 1)", "x - 1"),
    ("perfect_square_quotient", "(x^2 - 2*x + 1)/(x - 1)", "x - 1"),
    ("cubic_over_quadratic", "(x^3 - x)/(x^2 - x)", "x + 1"),
    ("common_factor_ratio", "(a*x + a*y)/(b*x + b*y)", "a/b"),
    ("same_denominator_sum", "x/(x + y) + y/(x + y)", "1"),
    ("sixth_power_quotient", "(x^6 - 1)/(x^3 - 1)", "x^3 + 1"),
    ("binomial_square_quotient", "(x^2 + 2*x*y + y^2)/(x + y)", "x + y"),
    ("telescoping_pair", "1/(x*(x + 1)) + 1/(x + 1)", "1/x"),
    ("opposite_denominators", "1/(x - y) + 1/(y - x)", "0"),
    ("opposite_ratio", "(x - y)/(y - x)", "-1"),
    ("shifted_squares", "(x + 2)^2 - (x - 2)^2", "8*x"),
    ("binomial_cube_minus", "(x - 1)^3 - x^3 + 3*x^2 - 3*x + 1", "0"),
    ("factor_xy_quotient", "(x^2*y - x*y^2)/(x - y)", "x*y"),
    ("fourth_powers_quotient", "(x^4 - y^4)/((x - y)*(x + y))", "x^2 + y^2"),
    ("partial_fraction_pair", "2/(x^2 - 1) - 1/(x - 1)", "-1/(x + 1)"),
    ("trinomial_square_zero", "(x + y + z)^2 - x^2 - y^2 - z^2 - 2*x*y - 2*x*z - 2*y*z", "0"),
    ("reciprocal_of_sum", "x/(x^2 + x)", "1/(x + 1)"),
    ("diff_squares_plus", "(a^2 - b^2)/(a + b) + b", "a"),
    ("constant_ratio", "(3*x + 3)/(6*x + 6)", "1/2"),
    ("square_over_base", "(x + 1)/(x^2 + 2*x + 1)", "1/(x + 1)"),
    ("scaled_quotient", "(2*x^2 - 2)/(x - 1)", "2*x + 2"),
]

_TRIG = [
    ("sin_sum_zero", "sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y)", "0"),
    ("cos4_minus_sin4", "cos(x)^4 - sin(x)^4 - cos(2*x)", "0"),
    ("pythagoras", "sin(x)^2 + cos(x)^2", "1"),
    ("one_minus_sin2", "1 - sin(x)^2", "cos(x)^2"),
    ("one_minus_cos2", "1 - cos(x)^2", "sin(x)^2"),
    ("double_angle_sin", "2*sin(x)*cos(x)", "sin(2*x)"),
    ("double_angle_cos", "cos(x)^2 - sin(x)^2", "cos(2*x)"),
    ("sin_over_cos", "sin(x)/cos(x)", "tan(x)"),
    ("tan_times_cos", "tan(x)*cos(x)", "sin(x)"),
    ("cos_sum_zero", "cos(x + y) - cos(x)*cos(y) + sin(x)*sin(y)", "0"),
    ("sin_difference_zero", "sin(x - y) - sin(x)*cos(y) + cos(x)*sin(y)", "0"),
    ("cos_difference_zero", "cos(x - y) - cos(x)*cos(y) - sin(x)*sin(y)", "0"),
    ("sin_double_zero", "sin(2*x) - 2*sin(x)*cos(x)", "0"),
    ("cos_double_zero", "cos(2*x) - 2*cos(x)^2 + 1", "0"),
    ("cos_double_plus_sin2", "cos(2*x) + 2*sin(x)^2", "1"),
    ("pythagoras_squared", "sin(x)^4 + 2*sin(x)^2*cos(x)^2 + cos(x)^4", "1"),
    ("pythagoras_nested", "sin(x)^2*cos(x)^2 + sin(x)^4 + cos(x)^2", "1"),
    ("triple_angle_sin", "sin(3*x) - 3*sin(x) + 4*sin(x)^3", "0"),
    ("triple_angle_cos", "cos(3*x) - 4*cos(x)^3 + 3*cos(x)", "0"),
    ("sin_sum_fold", "sin(x)*cos(y) + cos(x)*sin(y)", "sin(x + y)"),
    ("cos_sum_fold", "cos(x)*cos(y) - sin(x)*sin(y)", "cos(x + y)"),
    ("sin_odd", "sin(x - y) + sin(y - x)", "0"),
    ("cos_even", "cos(x - y) - cos(y - x)", "0"),
    ("tan_definition_zero", "tan(x) - sin(x)/cos(x)", "0"),
    ("sin_over_tan", "sin(x)/tan(x)", "cos(x)"),
    ("half_angle_sin2", "(1 - cos(2*x))/2", "sin(x)^2"),
    ("half_angle_cos2", "(1 + cos(2*x))/2", "cos(x)^2"),
    ("sin_cubed_factor", "sin(x)^3 + sin(x)*cos(x)^2", "sin(x)"),
    ("cos_cubed_factor", "cos(x)^3 + cos(x)*sin(x)^2", "cos(x)"),
    ("sum_square_minus_double", "(sin(x) + cos(x))^2 - sin(2*x)", "1"),
    ("difference_square_plus_double", "(sin(x) - cos(x))^2 + sin(2*x)", "1"),
    ("sin2_over_one_minus_cos2", "sin(x)^2/(1 - cos(x)^2)", "1"),
    ("tan2_zero", "tan(x)^2 - sin(x)^2/cos(x)^2", "0"),
    ("double_over_single", "sin(2*x)/sin(x)", "2*cos(x)"),
    ("sin_product_to_squares", "sin(x)^2 - sin(y)^2 - sin(x + y)*sin(x - y)", "0"),
    ("cos_product_to_squares", "cos(x)^2 - sin(y)^2 - cos(x + y)*cos(x - y)", "0"),
    ("sum_to_product_sin", "sin(x + y) + sin(x - y)", "2*sin(x)*cos(y)"),
    ("sum_to_product_cos", "cos(x + y) + cos(x - y)", "2*cos(x)*cos(y)"),
    ("tan_half_cos", "(1 - tan(x)^2)/(1 + tan(x)^2)", "cos(2*x)"),
    ("tan_half_sin", "2*tan(x)/(1 + tan(x)^2)", "sin(2*x)"),
    ("sin4_minus_cos4", "sin(x)^4 - cos(x)^4", "-cos(2*x)"),
    ("cos_double_quotient", "cos(2*x)/(cos(x) - sin(x))", "cos(x) + sin(x)"),
    ("quadruple_angle", "8*sin(x)^2*cos(x)^2 + cos(4*x)", "1"),
    ("sin_asin", "sin(asin(x))", "x"),
    ("cos_acos", "cos(acos(x))", "x"),
    ("tan_atan", "tan(atan(x))", "x"),
    ("tan_times_cot", "tan(x)*cos(x)/sin(x)", "1"),
    ("sec2_minus_tan2", "1/cos(x)^2 - tan(x)^2", "1"),
]

_EXPLOG = [
    ("exp_log", "exp(log(x))", "x"),
    ("exp_sum_zero", "exp(x + y) - exp(x)*exp(y)", "0"),
    ("exp_square_of_sum", "(exp(x) + exp(y))^2 - exp(2*x) - exp(2*y)", "2*exp(x + y)"),
    ("exp_distribute_neg", "exp(x)*(exp(-x) - exp(x))", "1 - exp(2*x)"),
    ("exp_cube_quotient", "(exp(3*x) - 1)/(exp(x) - 1)", "exp(2*x) + exp(x) + 1"),
    ("power_product_quotient", "(x^(a + b) + x^a)/x^a", "x^b + 1"),
    ("power_diff_squares", "(x^(2*a) - y^(2*b))/(x^a - y^b)", "x^a + y^b"),
    ("sqrt_distribute", "sqrt(x)*(sqrt(x) + 1) - x", "sqrt(x)"),
    ("half_powers_distribute", "x^(1/2)*(x^(3/2) + x^(1/2))", "x^2 + x"),
    ("power_times_base", "x*(x^a + 1) - x^(a + 1)", "x"),
    ("power_over_base", "(x^(a + 1) + x)/x", "x^a + 1"),
    ("exp_diff_squares_quotient", "(exp(2*x) - 1)/(exp(x) - 1)", "exp(x) + 1"),
    ("exp_diff_squares_over_sum", "(exp(2*x) - 1)/(exp(x) + 1)", "exp(x) - 1"),
    ("exp_plus_log", "exp(x + log(y))", "y*exp(x)"),
    ("exp_double_log", "exp(2*log(x))", "x^2"),
    ("exp_log_sum", "exp(log(x) + log(y))", "x*y"),
    ("exp_neg_log", "exp(-log(x))", "1/x"),
    ("exp_half_log", "exp(log(x)/2)", "sqrt(x)"),
    ("exp_triple_log_zero", "exp(3*log(x)) - x^3", "0"),
    ("sqrt_conjugates", "(sqrt(x) + 1)*(sqrt(x) - 1)", "x - 1"),
    ("sqrt_conjugates_xy", "(sqrt(x) + sqrt(y))*(sqrt(x) - sqrt(y))", "x - y"),
    ("rationalize_quotient", "(x - 1)/(sqrt(x) - 1)", "sqrt(x) + 1"),
    ("rationalize_quotient_xy", "(x - y)/(sqrt(x) + sqrt(y))", "sqrt(x) - sqrt(y)"),
    ("sqrt_reciprocal_sum", "1/(sqrt(x) + 1) + 1/(sqrt(x) - 1)", "2*sqrt(x)/(x - 1)"),
    ("exp_square_zero", "exp(x)^2 - 2*exp(x) + 1 - (exp(x) - 1)^2", "0"),
    ("exp_cosh_square", "(exp(x) + exp(-x))^2 - exp(2*x) - exp(-2*x)", "2"),
    ("exp_square_plus", "(exp(x) + 1)^2 - exp(2*x) - 2*exp(x)", "1"),
    ("log_sqrt_half", "log(sqrt(x)) - log(x)/2", "0"),
    ("exp_quotient", "exp(x)/exp(y)", "exp(x - y)"),
    ("exp_power_sum", "exp(x)^2*exp(y)^2", "exp(2*x + 2*y)"),
    ("exp_log_power", "exp(a*log(x)) - x^a", "0"),
    ("power_diff_squares_one", "(x^(2*a) - 1)/(x^a - 1)", "x^a + 1"),
    ("sqrt_over_power", "(x + sqrt(x))/sqrt(x)", "sqrt(x) + 1"),
    ("power_three_halves", "(x^(3/2) - x)/sqrt(x)", "x - sqrt(x)"),
    ("exp_sum_ratio", "(exp(x) + exp(y))/(exp(-x) + exp(-y))", "exp(x + y)"),
    ("exp_logistic_sum", "1/(1 + exp(-x)) + 1/(1 + exp(x))", "1"),
]

_HYPERBOLIC = [
    ("hyperbolic_pythagoras", "cosh(x)^2 - sinh(x)^2", "1"),
    ("double_angle_sinh", "2*sinh(x)*cosh(x)", "sinh(2*x)"),
    ("double_angle_cosh", "cosh(x)^2 + sinh(x)^2", "cosh(2*x)"),
    ("sinh_over_cosh", "sinh(x)/cosh(x)", "tanh(x)"),
    ("tanh_times_cosh", "tanh(x)*cosh(x)", "sinh(x)"),
    ("sinh_sum_zero", "sinh(x + y) - sinh(x)*cosh(y) - cosh(x)*sinh(y)", "0"),
    ("cosh_sum_zero", "cosh(x + y) - cosh(x)*cosh(y) - sinh(x)*sinh(y)", "0"),
    ("sinh_from_exp", "(exp(x) - exp(-x))/2", "sinh(x)"),
    ("cosh_from_exp", "(exp(x) + exp(-x))/2", "cosh(x)"),
    ("cosh_plus_sinh", "cosh(x) + sinh(x)", "exp(x)"),
    ("cosh_minus_sinh", "cosh(x) - sinh(x)", "exp(-x)"),
    ("sinh_double_zero", "sinh(2*x) - 2*sinh(x)*cosh(x)", "0"),
    ("cosh_double_zero", "cosh(2*x) - 2*cosh(x)^2 + 1", "0"),
    ("cosh_double_minus_sinh2", "cosh(2*x) - 2*sinh(x)^2", "1"),
    ("cosh4_minus_sinh4", "cosh(x)^4 - sinh(x)^4 - cosh(2*x)", "0"),
    ("cosh_plus_sinh_square", "(cosh(x) + sinh(x))^2 - exp(2*x)", "0"),
    ("triple_angle_sinh", "sinh(3*x) - 3*sinh(x) - 4*sinh(x)^3", "0"),
    ("triple_angle_cosh", "cosh(3*x) - 4*cosh(x)^3 + 3*cosh(x)", "0"),
    ("tanh_from_exp", "(exp(2*x) - 1)/(exp(2*x) + 1)", "tanh(x)"),
    ("sinh_odd", "sinh(x - y) + sinh(y - x)", "0"),
    ("cosh_even", "cosh(x - y) - cosh(y - x)", "0"),
    ("half_angle_sinh2", "(cosh(2*x) - 1)/2", "sinh(x)^2"),
    ("half_angle_cosh2", "(cosh(2*x) + 1)/2", "cosh(x)^2"),
    ("exp_minus_sinh", "exp(x) - sinh(x)", "cosh(x)"),
    ("sinh_sum_fold", "sinh(x)*cosh(y) + cosh(x)*sinh(y)", "sinh(x + y)"),
    ("cosh_sum_fold", "cosh(x)*cosh(y) + sinh(x)*sinh(y)", "cosh(x + y)"),
    ("tanh_definition_zero", "tanh(x) - sinh(x)/cosh(x)", "0"),
    ("sech2_plus_tanh2", "1/cosh(x)^2 + tanh(x)^2", "1"),
]

_MIXED = [
    ("pythagoras_times_exp", "(sin(x)^2 + cos(x)^2)*exp(x)", "exp(x)"),
    ("exp_of_pythagoras", "exp(sin(x)^2 + cos(x)^2 - 1)", "1"),
    ("rational_minus_x", "(x^2 - 1)/(x - 1) - x", "1"),
    ("trig_plus_hyperbolic", "sin(x)^2 + cos(x)^2 + cosh(y)^2 - sinh(y)^2", "2"),
    ("exp_conjugates", "(exp(x) + 1)*(exp(x) - 1) - exp(2*x)", "-1"),
    ("tan_cancels", "sin(x)/cos(x) - tan(x) + x", "x"),
    ("sin_cos_conjugates", "(sin(x) + cos(x))*(sin(x) - cos(x)) + cos(2*x)", "0"),
    ("square_with_sin", "(x + sin(y))^2 - x^2 - 2*x*sin(y)", "sin(y)^2"),
    ("sin_diff_squares_quotient", "(sin(x)^2 - 1)/(sin(x) - 1)", "sin(x) + 1"),
    ("sin_cos_diff_squares_quotient", "(sin(x)^2 - cos(x)^2)/(sin(x) - cos(x))",
     "sin(x) + cos(x)"),
    ("exp_times_pythagoras", "exp(x)*sin(y)^2 + exp(x)*cos(y)^2", "exp(x)"),
    ("x_times_pythagoras", "x*sin(y)^2 + x*cos(y)^2", "x"),
    ("log_times_pythagoras", "log(x)*sin(y)^2 + log(x)*cos(y)^2", "log(x)"),
    ("sqrt_times_pythagoras", "sqrt(x)*sin(y)^2 + sqrt(x)*cos(y)^2", "sqrt(x)"),
    ("hyperbolic_identity_times_sin", "(cosh(x)^2 - sinh(x)^2)*sin(y)", "sin(y)"),
    ("sin_cos_over_pythagoras", "sin(x)*cos(x)/(sin(x)^2 + cos(x)^2)", "sin(2*x)/2"),
    ("x_exp_log_zero", "x*exp(log(y)) - x*y", "0"),
    ("rational_plus_pythagoras", "(1 + x)^2/(1 + x) + sin(y)^2 + cos(y)^2", "x + 2"),
    ("exp_distribute", "exp(x)*(exp(-x) + 1) - 1", "exp(x)"),
    ("sin2_times_sec2", "sin(x)^2*(1 + tan(x)^2)", "tan(x)^2"),
    ("common_factor_trig", "(x*sin(y) + x*cos(y))/x", "sin(y) + cos(y)"),
    ("diff_squares_with_sin", "(a^2 - sin(b)^2)/(a - sin(b))", "a + sin(b)"),
    ("logistic_difference", "1/(1 + exp(-x)) - exp(x)/(1 + exp(x))", "0"),
    ("cos_square_ratio", "(1 - sin(x)^2)/cos(x)", "cos(x)"),
    ("polynomial_in_sin", "(sin(x) + 1)^2 - sin(x)^2 - 2*sin(x)", "1"),
    ("exp_rational", "(exp(x)^2 + exp(x))/exp(x)", "exp(x) + 1"),
]

_ASSUMPTIONS = [
    ("sqrt_square_positive", "sqrt(x^2)", "x", {"x": _POS}),
    ("sqrt_square_stays", "sqrt(x^2)", "sqrt(x^2)", {}),
    ("log_product_positive", "log(x*y) - log(x) - log(y)", "0", {"x": _POS, "y": _POS}),
    ("power_half_real", "(x^2)^(1/2)", "Abs(x)", {"x": _REAL}),
    ("exp_log_positive", "exp(log(x))", "x", {"x": _POS}),
    ("log_exp_real", "log(exp(x))", "x", {"x": _REAL}),
    ("log_square_positive", "log(x^2) - 2*log(x)", "0", {"x": _POS}),
    ("sqrt_product_positive", "sqrt(x)*sqrt(y) - sqrt(x*y)", "0", {"x": _POS, "y": _POS}),
    ("cube_root_cube_positive", "(x^3)^(1/3)", "x", {"x": _POS}),
    ("log_quotient_positive", "log(x/y) - log(x) + log(y)", "0", {"x": _POS, "y": _POS}),
    ("sqrt_square_product_positive", "sqrt(x^2*y^2)", "x*y", {"x": _POS, "y": _POS}),
    ("power_of_power_positive", "(x^a)^b - x^(a*b)", "0", {"x": _POS, "a": _REAL}),
    ("abs_positive", "Abs(x)", "x", {"x": _POS}),
    ("abs_square_real", "Abs(x)^2", "x^2", {"x": _REAL}),
    ("abs_product_positive", "Abs(x*y)", "x*y", {"x": _POS, "y": _POS}),
    ("sign_positive", "sign(x)", "1", {"x": _POS}),
    ("x_over_abs_positive", "x/Abs(x)", "1", {"x": _POS}),
    ("log_cube_positive", "log(x^3) - 3*log(x)", "0", {"x": _POS}),
    ("sqrt_four_square_positive", "sqrt(4*x^2)", "2*x", {"x": _POS}),
    ("power_of_product_positive", "(x*y)^a - x^a*y^a", "0", {"x": _POS, "y": _POS}),
    ("log_exp_sum_real", "log(exp(x + y))", "x + y", {"x": _REAL, "y": _REAL}),
    ("sqrt_fourth_real", "sqrt(x^4)", "x^2", {"x": _REAL}),
    ("three_halves_positive", "(x^2)^(3/2)", "x^3", {"x": _POS}),
    ("minus_one_even_integer", "(-1)^(2*n)", "1", {"n": {"integer": True}}),
    ("sqrt_square_plus_abs_nonnegative", "sqrt(x^2) + Abs(x)", "2*x",
     {"x": {"nonnegative": True}}),
    ("abs_square_of_real", "Abs(x^2)", "x^2", {"x": _REAL}),
    ("abs_exp_real", "Abs(exp(x))", "exp(x)", {"x": _REAL}),
    ("abs_sin_square_real", "Abs(sin(x))^2", "sin(x)^2", {"x": _REAL}),
    ("log_times_exp_positive", "log(x*exp(y))", "log(x) + y", {"x": _POS, "y": _REAL}),
    ("sqrt_times_sqrt_cube_positive", "sqrt(x)*sqrt(x^3)", "x^2", {"x": _POS}),
    ("sqrt_product_square_positive", "sqrt(x)*sqrt(y)*sqrt(x*y)", "x*y",
     {"x": _POS, "y": _POS}),
    ("integer_power_product", "x^n*y^n - (x*y)^n", "0", {"n": {"integer": True}}),
    ("log_reciprocal_positive", "log(1/x) + log(x)", "0", {"x": _POS}),
    ("abs_nonzero_ratio_positive", "Abs(x)/x + Abs(y)/y", "2", {"x": _POS, "y": _POS}),
    ("log_product_stays", "log(x*y)", "log(x*y)", {}),
    ("sqrt_product_stays", "sqrt(x)*sqrt(y)", "sqrt(x)*sqrt(y)", {}),
    ("log_exp_stays", "log(exp(x))", "log(exp(x))", {}),
    ("cube_root_cube_stays", "(x^3)^(1/3)", "(x^3)^(1/3)", {}),
    ("power_of_power_stays", "(x^a)^b", "(x^a)^b", {}),
    ("log_square_stays", "log(x^2)", "log(x^2)", {}),
    ("log_power_sum_stays", "log(2^x) + log(2^y)", "log(2^x) + log(2^y)", {}),
    ("exp_power_half_stays", "exp(x)^(1/2)", "exp(x)^(1/2)", {}),
    ("exp_power_stays", "exp(x)^a", "exp(x)^a", {}),
    ("abs_square_stays", "Abs(x)^2", "Abs(x)^2", {}),
    ("exp_power_real", "exp(x)^a - exp(a*x)", "0", {"x": _REAL}),
]


def _build() -> list[Case]:
    out = [Case(n, c, i, e) for c, rows in (("polynomial", _POLYNOMIAL), ("trig", _TRIG),
                                             ("explog", _EXPLOG), ("hyperbolic", _HYPERBOLIC),
                                             ("mixed", _MIXED)) for n, i, e in rows]
    out += [Case(n, "assumptions", i, e, a) for n, i, e, a in _ASSUMPTIONS]
    names = [c.name for c in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate case names in the corpus: {sorted(dup)}")
    return out


CASES: list[Case] = _build()
"""Every case, grouped by category in ``CATEGORIES`` order."""


def by_name(name: str) -> Case:
    """The case called ``name`` (KeyError naming the closest spelling otherwise)."""
    for c in CASES:
        if c.name == name:
            return c
    import difflib
    near = difflib.get_close_matches(name, [c.name for c in CASES], n=1)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise KeyError(f"no corpus case named {name!r}{hint}")
