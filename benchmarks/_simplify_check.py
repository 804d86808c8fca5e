"""The success test of the simplification corpus (issue 14), shared by the benchmark
(``benchmarks/simplify.py``) and the test (``tests/rewrite/test_simplify_corpus.py``).

A simplifier's result for a case succeeds when

* it is **numerically equal** to the input at random points: ``N_REAL`` real points
  (uniform in [-4, 4]) and ``N_COMPLEX`` complex points (real parts uniform in [-2, 2],
  imaginary parts in [-2, 2] at half of them and of size 3.5 to 6 at the other half,
  beyond the strip where ``log(exp(x)) = x``),
  respecting the case's assumptions (``positive``/``nonnegative`` symbols get reals in
  (0.1, 2.5], ``real`` ones reals, ``integer`` ones integers in [-4, 4], ``nonzero``
  ones avoid 0; an assumed-real symbol stays real at the complex points).  Both sides are
  evaluated with mpmath at 30 digits (principal branches, no signed zeros, the semantics
  of sympy's ``evalf``).  Points where either side is undefined (an exception, nan or
  inf) are skipped; at least half of the points where the input is defined must be
  compared, and every compared point must agree to ``RTOL`` relative to the larger
  magnitude (or 1);
* and its **operation count is no larger than the expected form's**.  One count serves
  every simplifier: sympy's ``count_ops`` of the sympy form (``symnb.to_sympy(result)``
  for symnb results, the result itself for sympy's), so symnb and sympy are measured
  alike.

The points are drawn from a generator seeded by the case name: reruns are identical.

>>> from _simplify_corpus import by_name
>>> case = by_name("diff_squares_quotient")
>>> e = sympy_input(case)
>>> x, y = sorted(e.free_symbols, key=str)
>>> check(case, x + y).ok, check(case, x - y).ok, check(case, e).ok
(True, False, False)
>>> check(case, e).reason
'5 operations > 1 expected'
"""
from __future__ import annotations

import random
import zlib
from typing import Any, Mapping, NamedTuple

import mpmath
import sympy

import symnb

__all__ = ["Verdict", "AssumptionsUnsupported", "symnb_input", "sympy_input",
           "with_assumptions", "ops", "expected_ops", "points", "numerically_equal", "check",
           "N_REAL", "N_COMPLEX", "RTOL"]

N_REAL = 6
N_COMPLEX = 6
RTOL = 1e-10
DPS = 30
_REALISH = ("real", "positive", "nonnegative", "negative", "nonpositive", "integer")


class AssumptionsUnsupported(Exception):
    """``symnb.symbols(name, **assumptions)`` is refused by this symnb (no assumptions yet)."""


class Verdict(NamedTuple):
    """The outcome for one result: ``ok`` = ``equal`` and ``ops <= expected``."""
    ok: bool
    equal: bool
    ops: int
    expected: int
    reason: str


def _symnb_names(case: Any) -> dict[str, Any]:
    names = {}
    for name, kw in case.assumptions.items():
        try:
            names[name] = symnb.symbols(name, **kw)
        except TypeError as exc:
            args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
            raise AssumptionsUnsupported(f"not run: assumptions unsupported (symbols({name!r}, "
                                         f"{args}) raised TypeError)") from None
    return names


def symnb_input(case: Any) -> Any:
    """The case's input as a symnb term, its symbols built with ``symnb.symbols(name,
    **assumptions)``; AssumptionsUnsupported when this symnb refuses those keywords."""
    return symnb.parse(case.input, _symnb_names(case))


def with_assumptions(e: Any, assumptions: Mapping[str, Mapping[str, Any]]) -> Any:
    """The sympy expression ``e`` with its symbols named in ``assumptions`` replaced by
    sympy symbols carrying them (sympy re-evaluates: ``sqrt(x**2)`` becomes ``x``)."""
    rep = {s: sympy.Symbol(s.name, **assumptions[s.name]) for s in e.free_symbols
           if isinstance(s, sympy.Symbol) and s.name in assumptions}
    return e.xreplace(rep) if rep else e


def sympy_input(case: Any) -> Any:
    """The sympy form of the input, ``to_sympy(parse(input))``, with sympy symbols carrying
    the case's assumptions (so sympy runs every case, whatever symnb supports)."""
    try:
        names = _symnb_names(case)
    except AssumptionsUnsupported:
        names = {}
    return with_assumptions(symnb.to_sympy(symnb.parse(case.input, names)), case.assumptions)


def _drop_units(e: Any) -> Any:
    """``e`` without the factor 1 that ``to_sympy`` leaves in unevaluated products
    (``Mul(1, y, exp(x))``, which ``count_ops`` counts as one more multiplication)."""
    if not e.args or e.is_Atom:
        return e
    args = [_drop_units(a) for a in e.args]
    if isinstance(e, sympy.Mul):
        args = [a for a in args if a != 1] or [sympy.Integer(1)]
        if len(args) == 1:
            return args[0]
    if len(args) == len(e.args) and all(a is b for a, b in zip(args, e.args)):
        return e
    return e.func(*args, evaluate=False)


def ops(result: Any) -> int:
    """sympy's ``count_ops`` of a result (a symnb term goes through ``to_sympy``); unit
    factors of unevaluated products are dropped first, nothing else is re-evaluated."""
    if isinstance(result, symnb.Term):
        result = symnb.to_sympy(result)
    return int(sympy.count_ops(_drop_units(result)))


def expected_ops(case: Any) -> int:
    """``ops`` of the case's expected form."""
    return ops(symnb.parse(case.expected))


def points(names: list[str], assumptions: Mapping[str, Mapping[str, Any]],
           seed: int) -> list[dict[str, Any]]:
    """``N_REAL`` real then ``N_COMPLEX`` complex points (name -> mpmath number).  Every
    second complex point has imaginary parts of 3.5 to 6 in size, outside the strip
    ``|Im| < pi`` where ``log(exp(x)) = x`` holds."""
    rng = random.Random(seed)

    def value(name: str, kind: str) -> Any:
        a = assumptions.get(name, {})
        if a.get("integer"):
            lo = 1 if a.get("positive") else 0 if a.get("nonnegative") else -4
            choices = [k for k in range(lo, 5) if k != 0 or not a.get("nonzero")]
            return mpmath.mpf(rng.choice(choices))
        if a.get("positive") or a.get("nonnegative"):
            return mpmath.mpf(rng.uniform(0.1, 2.5))
        if kind == "real" or any(a.get(k) for k in _REALISH):
            return mpmath.mpf(rng.uniform(-4, 4))   # past pi/2: asin(sin(x)) != x
        re = rng.uniform(-2, 2)
        im = rng.uniform(-2, 2) if kind == "near" else rng.choice((-1, 1)) * rng.uniform(3.5, 6)
        return mpmath.mpc(re, im)
    kinds = ["real"] * N_REAL + ["near", "far"] * (N_COMPLEX // 2) + ["near"] * (N_COMPLEX % 2)
    return [{n: value(n, k) for n in names} for k in kinds]


def _plain(e: Any) -> Any:
    return e.xreplace({s: sympy.Symbol(s.name) for s in e.free_symbols
                       if isinstance(s, sympy.Symbol)})


def _values(e: Any, names: list[str], pts: list[dict[str, Any]]) -> list[Any]:
    f = sympy.lambdify([sympy.Symbol(n) for n in names], _plain(e), modules="mpmath")
    out = []
    for p in pts:
        try:
            v = mpmath.mpmathify(f(*(p[n] for n in names)))
            out.append(v if mpmath.isfinite(v) else None)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError, ArithmeticError):
            out.append(None)
    return out


def numerically_equal(a: Any, b: Any, assumptions: Mapping[str, Mapping[str, Any]],
                      seed: int = 0) -> tuple[bool, str]:
    """Whether sympy expressions ``a`` (the input) and ``b`` agree at random points; the
    second item says why not (or how many points were compared)."""
    names = sorted({s.name for s in (a.free_symbols | b.free_symbols)
                    if isinstance(s, sympy.Symbol)})
    pts = points(names, assumptions, seed)
    with mpmath.workdps(DPS):
        try:
            va, vb = _values(a, names, pts), _values(b, names, pts)
        except Exception as exc:  # lambdify cannot print the expression
            return False, f"cannot evaluate numerically: {type(exc).__name__}: {exc}"
        defined = [i for i, v in enumerate(va) if v is not None]
        both = [i for i in defined if vb[i] is not None]
        if not defined:
            return False, "the input is undefined at every sample point"
        if 2 * len(both) < len(defined):
            return False, (f"the result is undefined at {len(defined) - len(both)} of "
                           f"{len(defined)} points where the input is defined")
        for i in both:
            x, y = va[i], vb[i]
            if abs(x - y) > RTOL * max(1, abs(x), abs(y)):
                kind = "real" if i < N_REAL else "complex"
                return False, (f"differs at a {kind} point "
                               f"{ {n: complex(v) for n, v in pts[i].items()} }: "
                               f"{complex(x):.6g} vs {complex(y):.6g}")
    return True, f"equal at {len(both)} points"


def _seed(case: Any) -> int:
    return zlib.crc32(case.name.encode())


def check(case: Any, result: Any, input_sympy: Any = None) -> Verdict:
    """Judge one simplifier's ``result`` (symnb term or sympy expression) for ``case``."""
    a = sympy_input(case) if input_sympy is None else input_sympy
    if isinstance(result, symnb.Term):
        b = symnb.to_sympy(result)
    else:
        b = sympy.sympify(result, strict=True)   # numbers and sympy objects, never text
    equal, why = numerically_equal(a, b, case.assumptions, _seed(case))
    n, want = ops(b), expected_ops(case)
    if not equal:
        return Verdict(False, False, n, want, why)
    if n > want:
        return Verdict(False, True, n, want, f"{n} operations > {want} expected")
    return Verdict(True, True, n, want, why)
