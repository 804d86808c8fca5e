"""The safe parser and the printers."""
import pytest

from symnb import Function, ParseError, cos, exp, parse, sin, sqrt, symbols, to_latex, to_str

x, y = symbols("x y")


@pytest.mark.parametrize("text, expected", [
    ("x + y", lambda: x + y),
    ("2*x^2 - sin(y)/3", lambda: 2 * x ** 2 - sin(y) / 3),
    ("-x^2", lambda: -(x ** 2)),
    ("x**-1", lambda: 1 / x),
    ("2^3^2", lambda: x ** 0 * 512),
    ("(x+y)*(x-y)", lambda: (x + y) * (x - y)),
    ("1/2", lambda: x ** 0 / 2),
    ("1.5e-3*x", lambda: 0.0015 * x),
    ("sqrt(x)*exp(-y)", lambda: sqrt(x) * exp(-y)),
])
def test_parse_values(text, expected):
    assert parse(text) is expected()


@pytest.mark.parametrize("text, col, msg", [
    ("x +* y", 4, "unexpected '\\*'"),
    ("x + ", 5, "end of input"),
    ("(x + y", 7, "expected '\\)'"),
    ("x $ y", 3, "unexpected character"),
    ("foo(x)", 1, "unknown function 'foo'"),
    ("", 1, "empty"),
    ("1/0", 2, "division by zero"),
    ("sin", 1, "without arguments"),
])
def test_parse_errors_have_position(text, col, msg):
    with pytest.raises(ParseError, match=msg) as info:
        parse(text)
    if text:
        assert info.value.column + 1 == col
        assert "^" in str(info.value)


def test_parser_never_evaluates_python():
    with pytest.raises(ParseError):
        parse("__import__('os').system('true')")
    with pytest.raises(ParseError):
        parse("x.__class__")


def test_user_functions_and_strict_names():
    f = Function("g")
    assert parse("g(x, y)") is f(x, y)
    with pytest.raises(ParseError, match="unknown symbol 'z'"):
        parse("x + z", names={"x": x}, strict=True)


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(ParseError, match="nested deeper"):
        parse("(" * 5000 + "x" + ")" * 5000)


def test_str_round_trip_examples():
    for e in [x / (2 * y), -x / 3, x ** -2 * y, sqrt(x + 1), (x + 1) ** (-3), 2 ** x,
              x ** y, (-2) ** x * y, 1.0 * x, x ** 2.5, exp(-x) * cos(y), -(x + y) ** 2,
              x ** (1 / sqrt(y))]:
        assert parse(str(e)) is e, str(e)


def test_latex_and_mimebundle():
    assert to_latex(x ** (-1)) == r"\frac{1}{x}"
    assert to_latex(sqrt(x)) == r"\sqrt{x}"
    assert r"\sin" in to_latex(sin(x))
    b = (x + y)._repr_mimebundle_()
    assert b["text/plain"] == "x + y"
    assert b["text/latex"].startswith("$") and "x + y" in b["text/latex"]


def test_huge_repr_is_summarised():
    e = x
    for _ in range(30):
        e = sin(e) * cos(e)
    r = repr(e)
    assert len(r) < 300 and "tree nodes" in r
