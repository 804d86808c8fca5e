"""Rulesets as data: named lists of e-graph rewrites (``algebra``, ``cpu``, ``eval``, user).

``eval`` is ``cpu`` (minus the sign-variant rewrites) plus factoring of a shared leading
factor or denominator between neighbouring terms of a sum, with no
commutativity/associativity: it is meant for ``optimize_for_eval`` on big sums.

A rule is ``ERule(name, lhs, rhs, when=(), bidirectional=False)`` with both
sides egglog s-expressions over the ``Math`` sort (``Add Mul Sub Div Pow Neg
Num Flt Var Fn1 Fn2 FnN``; lower-case identifiers are pattern variables).
``from_rule`` translates a symnb rule (``rule("~x*~x => ~x^2")``); such rules
match the binary shape of their pattern, the ``algebra`` ruleset supplies the
commutativity/associativity to find the others.

>>> from symnb.rewriting import rule
>>> r = from_rule(rule("~x * ~x => ~x^2", name="square"))
>>> r.lhs, r.rhs
('(Mul v_x v_x)', '(Pow v_x (Num (bigrat (bigint 2) (bigint 1))))')
>>> len(ALGEBRA) > 10, (ALGEBRA + CPU).name, RULESETS["eval"] is EVAL
(True, 'algebra+cpu', True)
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence

from ..reprs import RenderedHTML

__all__ = ["ERule", "Ruleset", "RulesetError", "from_rule", "as_ruleset", "ALGEBRA", "CPU",
           "EVAL", "RULESETS", "num", "exploding"]


class RulesetError(ValueError):
    """A ruleset or rule that egglog (or the translation) rejects."""


def num(v: Any) -> str:
    """The egglog literal of an exact number (``Num``) or a float (``Flt``)."""
    if isinstance(v, float):
        return f"(Flt {v!r})" if v == v and abs(v) != float("inf") else _bad(v)
    f = Fraction(v)
    return f"(Num (bigrat (bigint {f.numerator}) (bigint {f.denominator})))"


def _bad(v: Any) -> str:
    raise RulesetError(f"the number {v!r} cannot appear in an e-graph rule")


ZERO, ONE, TWO, MONE = num(0), num(1), num(2), num(-1)
_Q0 = "(bigrat (bigint 0) (bigint 1))"


@dataclass(frozen=True)
class ERule:
    """One rewrite ``lhs => rhs`` (both ways if ``bidirectional``), guarded by ``when`` facts."""

    name: str
    lhs: str
    rhs: str
    when: tuple = ()
    bidirectional: bool = False

    def egglog(self, ruleset: str) -> str:
        """The egglog command defining this rule in ``ruleset``."""
        name = self.name.replace('"', "'")
        if self.bidirectional:
            return f'(birewrite {self.lhs} {self.rhs} :ruleset {ruleset} :name "{name}")'
        when = f" :when ({' '.join(self.when)})" if self.when else ""
        return f'(rewrite {self.lhs} {self.rhs}{when} :ruleset {ruleset} :name "{name}")'


@dataclass(frozen=True)
class RawRule:
    """A general egglog rule ``(rule (facts) (actions))`` (for analyses such as positivity)."""

    name: str
    facts: str
    actions: str

    def egglog(self, ruleset: str) -> str:
        return f'(rule {self.facts} {self.actions} :ruleset {ruleset} :name "{self.name}")'


class Ruleset(RenderedHTML):
    """A named, immutable list of rules; ``a + b`` concatenates.

    User rulesets are checked by egglog at creation (``RulesetError`` naming
    the rule).  Items may be ``ERule``/``RawRule`` objects, symnb rules, or
    rule strings in symnb syntax (``"~x*~x => ~x^2"``).
    """

    def __init__(self, name: str, rules: Iterable[Any], *, check: bool = True) -> None:
        if not isinstance(name, str) or not name:
            raise RulesetError("a ruleset needs a non-empty name")
        out: list = []
        for r in rules:
            if isinstance(r, (ERule, RawRule)):
                out.append(r)
            elif isinstance(r, Ruleset):
                out.extend(r.rules)
            else:
                out.append(from_rule(r))
        names = [r.name for r in out]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise RulesetError(f"ruleset {name!r}: duplicate rule name(s) {', '.join(sorted(dup))}")
        self.name = name
        self.rules: tuple = tuple(out)
        if check:
            self.check()

    def __add__(self, other: "Ruleset") -> "Ruleset":
        if not isinstance(other, Ruleset):
            return NotImplemented
        seen = {r.name for r in self.rules}
        extra = [r for r in other.rules if r.name not in seen]
        return Ruleset(f"{self.name}+{other.name}", self.rules + tuple(extra), check=False)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)

    def __repr__(self) -> str:
        return f"Ruleset({self.name!r}, {len(self.rules)} rules)"

    def program(self, ruleset: str = "main") -> str:
        """egglog source declaring ``ruleset`` with these rules."""
        return "\n".join([f"(ruleset {ruleset})"] + [r.egglog(ruleset) for r in self.rules])

    def check(self) -> None:
        """Load every rule into a scratch e-graph; RulesetError on the first bad one."""
        from egglog.bindings import EGraph
        from .bridge import SCHEMA
        eg = EGraph()
        eg.run_program(*eg.parse_program(SCHEMA + "\n(ruleset main)"))
        for r in self.rules:
            try:
                eg.run_program(*eg.parse_program(r.egglog("main")))
            except Exception as e:  # noqa: BLE001  (EggSmolError and parse errors)
                msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise RulesetError(f"ruleset {self.name!r}, rule {r.name!r}: {msg}") from None


# ----------------------------------------------------------------------
# symnb rule syntax -> egglog
# ----------------------------------------------------------------------
def from_rule(r: Any) -> ERule:
    """Translate a symnb ``Rule`` (or rule text ``"lhs => rhs"``) to an ``ERule``.

    Slots become variables; predicates, segments, default slots and callable
    replacements have no e-graph meaning and raise RulesetError.
    """
    from ..rewriting.rule import Rule, rule
    if isinstance(r, str):
        r = rule(r)
    if not isinstance(r, Rule):
        raise RulesetError(f"not a rule: {r!r} ({type(r).__name__})")
    from ..rewriting.pattern import Pattern
    if not isinstance(r.rhs, Pattern):
        raise RulesetError(f"rule {r.name!r}: an e-graph rule needs a pattern replacement, "
                           "not a function")
    lhs = _pat(r.lhs, r.name)
    if not lhs.startswith("("):
        raise RulesetError(f"rule {r.name!r}: the pattern must be an operation, not {lhs}")
    return ERule(r.name, lhs, _pat(r.rhs, r.name))


def _pat(p: Any, name: str) -> str:
    from ..rewriting.pattern import DefaultSlot, Lit, PCall, Segment, Slot
    if isinstance(p, (Segment, DefaultSlot)):
        raise RulesetError(f"rule {name!r}: {p} (segment/default slots) is not supported in "
                           "e-graph rules")
    if isinstance(p, Slot):
        if p.pred is not None:
            raise RulesetError(f"rule {name!r}: slot predicates ({p}) are not supported in "
                               "e-graph rules")
        return f"v_{p.name}"
    if isinstance(p, Lit):
        if p.kind == "sym":
            if any(c in p.value for c in '"\\'):
                raise RulesetError(f"rule {name!r}: bad symbol name {p.value!r}")
            return f'(Var "{p.value}")'
        return num(p.value)
    if isinstance(p, PCall):
        args = [_pat(a, name) for a in p.args]
        h = p.head
        if h in ("Add", "Mul"):
            acc = args[0]
            for a in args[1:]:
                acc = f"({h} {acc} {a})"
            return acc
        if h == "Pow":
            return f"(Pow {args[0]} {args[1]})"
        if len(args) == 1:
            return f'(Fn1 "{h}" {args[0]})'
        if len(args) == 2:
            return f'(Fn2 "{h}" {args[0]} {args[1]})'
        lst = "(Nil)"
        for a in reversed(args):
            lst = f"(Cons {a} {lst})"
        return f'(FnN "{h}" {lst})'
    raise RulesetError(f"rule {name!r}: cannot translate pattern {p!r}")


# ----------------------------------------------------------------------
# shipped rulesets
# ----------------------------------------------------------------------
def _f(name: str, a: str) -> str:
    return f'(Fn1 "{name}" {a})'


def _nz(v: str) -> str:
    return f"(!= {v} {_Q0})"


def _int_exp(n: int) -> str:
    return num(n)


_algebra: list = [
    ERule("comm-add", "(Add a b)", "(Add b a)"),
    ERule("comm-mul", "(Mul a b)", "(Mul b a)"),
    ERule("assoc-add", "(Add a (Add b c))", "(Add (Add a b) c)", bidirectional=True),
    ERule("assoc-mul", "(Mul a (Mul b c))", "(Mul (Mul a b) c)", bidirectional=True),
    ERule("distribute", "(Mul a (Add b c))", "(Add (Mul a b) (Mul a c))"),
    ERule("factor", "(Add (Mul a b) (Mul a c))", "(Mul a (Add b c))"),
    ERule("factor-one", "(Add a (Mul a c))", f"(Mul a (Add {ONE} c))"),
    ERule("add-zero", f"(Add a {ZERO})", "a"),
    ERule("mul-one", f"(Mul a {ONE})", "a"),
    ERule("mul-zero", f"(Mul a {ZERO})", ZERO),
    ERule("pow-one", f"(Pow a {ONE})", "a"),
    ERule("pow-zero", f"(Pow a {ZERO})", ONE),
    ERule("sub-def", "(Sub a b)", "(Add a (Neg b))", bidirectional=True),
    ERule("neg-def", "(Neg a)", f"(Mul {MONE} a)", bidirectional=True),
    ERule("neg-neg", "(Neg (Neg a))", "a"),
    ERule("sub-self", "(Sub a a)", ZERO),
    ERule("div-def", "(Div a b)", f"(Mul a (Pow b {MONE}))", bidirectional=True),
    ERule("square", "(Mul a a)", f"(Pow a {TWO})"),
    ERule("pow-mul", "(Mul (Pow a (Num m)) (Pow a (Num n)))", "(Pow a (Num (+ m n)))"),
    ERule("pow-pow-int", "(Pow (Pow a (Num m)) (Num n))", "(Pow a (Num (* m n)))",
          when=("(= (denom n) (bigint 1))", "(= (denom m) (bigint 1))")),
    ERule("fold-add", "(Add (Num a) (Num b))", "(Num (+ a b))"),
    ERule("fold-mul", "(Mul (Num a) (Num b))", "(Num (* a b))"),
    ERule("fold-sub", "(Sub (Num a) (Num b))", "(Num (- a b))"),
    ERule("fold-neg", "(Neg (Num a))", "(Num (neg a))"),
    ERule("fold-div", "(Div (Num a) (Num b))", "(Num (/ a b))", when=(_nz("b"),)),
    ERule("fold-pow", "(Pow (Num a) (Num b))", "(Num (pow a b))",
          when=("(= (denom b) (bigint 1))", "(<= (numer b) (bigint 16))",
                "(>= (numer b) (bigint -16))", _nz("a"))),
    ERule("fold-addf", "(Add (Flt a) (Flt b))", "(Flt (+ a b))"),
    ERule("fold-mulf", "(Mul (Flt a) (Flt b))", "(Flt (* a b))"),
    ERule("fold-subf", "(Sub (Flt a) (Flt b))", "(Flt (- a b))"),
    ERule("fold-negf", "(Neg (Flt a))", "(Flt (neg a))"),
    ERule("fold-divf", "(Div (Flt a) (Flt b))", "(Flt (/ a b))", when=("(!= b 0.0)",)),
]

# Positivity facts.  Only what holds on the whole complex plane: exp(a) and a^b are positive
# for a real exponent, which the e-graph knows only for numbers and positive terms.
_Q = "(Num q)"
_pos = [
    RawRule("pos-num", "((= e (Num a)) (> a (bigrat (bigint 0) (bigint 1))))", "((Positive e))"),
    RawRule("pos-flt", "((= e (Flt a)) (> a 0.0))", "((Positive e))"),
    RawRule("pos-exp", '((= e (Fn1 "exp" a)) (Positive a))', "((Positive e))"),
    RawRule("pos-exp-num", f'((= e (Fn1 "exp" {_Q})))', "((Positive e))"),
    RawRule("pos-exp-flt", '((= e (Fn1 "exp" (Flt f))))', "((Positive e))"),
    RawRule("pos-add", "((= e (Add a b)) (Positive a) (Positive b))", "((Positive e))"),
    RawRule("pos-mul", "((= e (Mul a b)) (Positive a) (Positive b))", "((Positive e))"),
    RawRule("pos-div", "((= e (Div a b)) (Positive a) (Positive b))", "((Positive e))"),
    RawRule("pos-pow", "((= e (Pow a b)) (Positive a) (Positive b))", "((Positive e))"),
    RawRule("pos-pow-num", f"((= e (Pow a {_Q})) (Positive a))", "((Positive e))"),
    RawRule("pos-pow-flt", "((= e (Pow a (Flt f))) (Positive a))", "((Positive e))"),
]

_cpu: list = [
    ERule("pow2-mul", f"(Pow x {TWO})", "(Mul x x)"),
    ERule("pow3-mul", f"(Pow x {num(3)})", "(Mul x (Mul x x))"),
    ERule("pow4-mul", f"(Pow x {num(4)})", "(Mul (Mul x x) (Mul x x))"),
    ERule("pow-neg-int", "(Pow x (Num n))", f"(Div {ONE} (Pow x (Num (neg n))))",
          when=(f"(< n {_Q0})", "(= (denom n) (bigint 1))")),
    ERule("pow-neg1-div", f"(Pow x {MONE})", f"(Div {ONE} x)"),
    ERule("recip-mul-div", f"(Mul (Div {ONE} x) a)", "(Div a x)"),
    ERule("mul-recip-div", f"(Mul a (Div {ONE} x))", "(Div a x)"),
    ERule("div-mul-div", "(Mul (Div a x) b)", "(Div (Mul a b) x)"),
    ERule("div-div", "(Div (Div a x) y)", "(Div a (Mul x y))"),
    ERule("common-denominator", "(Add (Div a x) (Div b x))", "(Div (Add a b) x)"),
    ERule("neg-mul-one", f"(Mul {MONE} a)", "(Neg a)"),
    ERule("neg-coef", "(Mul a (Num c))", "(Neg (Mul a (Num (neg c))))", when=(f"(< c {_Q0})",)),
    ERule("neg-coef-f", "(Mul a (Flt c))", "(Neg (Mul a (Flt (neg c))))", when=("(< c 0.0)",)),
    ERule("add-neg-sub", "(Add a (Neg b))", "(Sub a b)"),
    ERule("mul-neg", "(Mul (Neg a) b)", "(Neg (Mul a b))"),
    ERule("sin-cos-tan", f"(Div {_f('sin', 'x')} {_f('cos', 'x')})", _f("tan", "x")),
    ERule("pythagoras", f"(Add (Pow {_f('sin', 'x')} {TWO}) (Pow {_f('cos', 'x')} {TWO}))", ONE),
    # log(exp(x)) = x needs a real x (log(exp(2*pi*I)) = 0): positive terms and numbers
    RawRule("log-exp", f"((= e {_f('log', _f('exp', 'x'))}) (Positive x))", "((union e x))"),
    ERule("log-exp-num", _f("log", _f("exp", "(Num q)")), "(Num q)"),
    ERule("exp-add", f"(Mul {_f('exp', 'a')} {_f('exp', 'b')})", _f("exp", "(Add a b)")),
    RawRule("log-mul", f"((= e (Add {_f('log', 'a')} {_f('log', 'b')})) (Positive a) (Positive b))",
            f"((union e {_f('log', '(Mul a b)')}))"),
    ERule("factor-common", "(Add (Mul a b) (Mul a c))", "(Mul a (Add b c))"),
] + _pos


def exploding() -> "Ruleset":
    """Associativity + commutativity + ``a - b -> a + (-1)*b``: a ruleset that never saturates
    on long sums (for testing the limits)."""
    return Ruleset("exploding", [
        ERule("comm-add", "(Add a b)", "(Add b a)"),
        ERule("assoc-add", "(Add a (Add b c))", "(Add (Add a b) c)", bidirectional=True),
        ERule("comm-mul", "(Mul a b)", "(Mul b a)"),
        ERule("sub-neg", "(Sub a b)", f"(Add a (Mul {MONE} b))"),
        ERule("neg-sub", f"(Add a (Mul {MONE} b))", "(Sub a b)"),
    ], check=False)


# Eval-oriented factoring without commutativity/associativity: sums and products arrive
# as left-folded binary chains in symnb's canonical order (numbers last), so terms that
# share a leading factor or a denominator are adjacent.  One-directional rewrites pull
# the leading factor out of a product chain and merge neighbouring terms that share it.
# Numeric coefficients (last in a product) are not factored out: symnb's canonical
# constructors distribute a number over a sum again.
_eval_factoring: list = [
    ERule("mul-rotate", "(Mul (Mul a b) c)", "(Mul a (Mul b c))"),
    ERule("div-rotate", "(Div (Mul a b) x)", "(Mul a (Div b x))"),
    ERule("factor-left", "(Add (Mul a b) (Mul a c))", "(Mul a (Add b c))"),
    ERule("factor-chain", "(Add (Add r (Mul a b)) (Mul a c))", "(Add r (Mul a (Add b c)))"),
    ERule("denominator-chain", "(Add (Add r (Div a x)) (Div b x))", "(Add r (Div (Add a b) x))"),
    ERule("div-factor", "(Add (Div a x) (Div b x))", "(Div (Add a b) x)"),
]

# the cpu rewrites that do not multiply sign variants (neg/sub forms symnb re-canonicalizes)
_EVAL_CPU = {"pow2-mul", "pow3-mul", "pow4-mul", "pow-neg-int", "pow-neg1-div", "recip-mul-div",
             "mul-recip-div", "div-div", "common-denominator", "sin-cos-tan", "pythagoras",
             "log-exp", "log-exp-num", "exp-add", "factor-common"}

ALGEBRA = Ruleset("algebra", _algebra, check=False)
CPU = Ruleset("cpu", _cpu, check=False)
#: ``cpu`` + targeted factoring, no AC (pass ``ruleset="eval"``; factors only a common
#: *leading* factor of neighbouring terms in canonical order).
EVAL = Ruleset("eval", [r for r in _cpu if r.name in _EVAL_CPU] + _eval_factoring, check=False)
RULESETS: dict[str, Ruleset] = {"algebra": ALGEBRA, "cpu": CPU, "eval": EVAL}


def as_ruleset(spec: Any) -> Ruleset:
    """``None``/``"default"`` -> algebra+cpu; a name, a Ruleset, or a list of those and rules."""
    if spec is None or spec == "default":
        return ALGEBRA + CPU
    if isinstance(spec, Ruleset):
        return spec
    if isinstance(spec, str):
        if spec in RULESETS:
            return RULESETS[spec]
        if "=>" in spec:
            return Ruleset("user", [spec])
        raise RulesetError(f"unknown ruleset {spec!r}; known: {', '.join(RULESETS)} "
                           "(or a rule 'lhs => rhs')")
    if isinstance(spec, Sequence) or hasattr(spec, "__iter__"):
        parts: list = []
        loose: list = []
        for s in spec:
            if isinstance(s, Ruleset) or (isinstance(s, str) and s in RULESETS):
                parts.append(as_ruleset(s))
            else:
                loose.append(s)
        if loose:
            parts.append(Ruleset("user", loose))
        if not parts:
            raise RulesetError("an empty ruleset")
        out = parts[0]
        for p in parts[1:]:
            out = out + p
        return out
    raise RulesetError(f"cannot make a ruleset from {type(spec).__name__}")
