"""The symnb magics.  Each one parses its line, calls symnb, and shows the result.

User mistakes are reported as one red line (no traceback); the kernel stays usable.
Heavy libraries (numpy, numba, plotly, egglog) are imported by the magic that needs
them, so ``%load_ext symnb`` stays fast.
"""
from __future__ import annotations

import argparse
import ast
import importlib.util
import re
import shlex
import sys
from typing import Any, Callable

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

import symnb

from .limit_flags import MAGIC_LIMITS, add_limit_flags, applied, flags_help, limit_operations

_DECL = re.compile(r"^([A-Za-z_][A-Za-z_0-9]*)(?:\[(\d+(?:\s*,\s*\d+)*)\])?$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")
_ASSIGN = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*=(?!=)\s*(.*)$", re.S)
_COMPILE_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*(?:\(([^)]*)\))?\s*=(?!=)\s*(.*)$",
                             re.S)
_OPT_START = re.compile(r"(?:^|\s)--[A-Za-z]")
_FUNC_DECL = re.compile(r"^([A-Za-z_][A-Za-z_0-9]*)\(\s*((?:[A-Za-z_][A-Za-z_0-9]*\s*,\s*)*"
                        r"[A-Za-z_][A-Za-z_0-9]*)?\s*\)$")
_DECL_ITEM = re.compile(r"[^\s,(\[]+(?:\([^)]*\)?|\[[^\]]*\]?)?|[(\[]\S*")
_UNKNOWN_FN = re.compile(r"^unknown function '([^']+)'")

ASSUMPTIONS = ("positive", "real", "integer", "nonzero", "nonnegative", "negative",
               "nonpositive")
"""``%sym`` flags: each declares the symbols with that assumption (``symnb.symbols``)."""

OPERATIONS = ("expand", "diff", "simplify", "powsimp", "powdenest", "expand_power_base",
              "radsimp", "expand_log", "logcombine", "factor", "cancel", "together", "apart")
"""symnb operations a magic's expression may call (those this version has)."""

NAME_RULE = ("names you have not declared are taken as new symbols (a note names them); a call "
             "of an unknown function is an error: declare it with %fun NAME or %sym NAME(x)")
"""The one rule for undeclared names inside magics (``%symnb`` states it)."""


def _fn_name(target: str) -> str:
    """The generated function's name for a ``%compile`` target (``f`` when the target
    would hide a name the generated code uses, e.g. ``sin`` or ``_h``)."""
    from symnb.compiler import entry_name
    try:
        return entry_name(target)
    except ValueError:
        return "f"


def operations() -> dict[str, Callable]:
    """The symnb operations available inside magics' expressions, by name."""
    out = {}
    for n in OPERATIONS:
        try:
            out[n] = getattr(symnb, n)
        except AttributeError:
            continue
    return out


SOLVER_METHODS = ("cg", "pcg", "gmres", "gcrodr", "sor", "ssor")


class UsageError(ValueError):
    """A mistake in a magic's arguments."""


def usage(magic: str) -> str:
    """``"e.g. %dag sin(x)*y + sin(x)"``: the help example of ``magic``, on one line.

    >>> usage("dag")
    'e.g. %dag expand((x + y + 1)^3) --max-terms 1000'
    """
    for name, ex, _ in MAGIC_HELP:
        if name in (f"%{magic}", f"%%{magic}"):
            lines = ex.split("\n")
            if name.startswith("%%"):
                return "e.g. " + " ⏎ ".join(lines)
            return "e.g. " + next(ln for ln in lines if ln.startswith(name + " ") or ln == name)
    return "see %symnb"


def report(exc: BaseException) -> None:
    """Print a one-line error in red on stderr (rendered red in notebooks)."""
    msg = exc.one_line if hasattr(exc, "one_line") else (str(exc).splitlines() or [""])[0]
    if not msg:
        msg = type(exc).__name__
    print(f"symnb: {msg}", file=sys.stderr)


def _available(*modules: str) -> bool:
    try:
        return all(importlib.util.find_spec(m) is not None for m in modules)
    except (ImportError, ValueError):
        return False


def egraph_available() -> bool:
    """True when ``symnb.egraph`` (and egglog) exist (checked without importing them)."""
    return _available("symnb.egraph", "egglog")


def trace_available() -> bool:
    """True when ``symnb.tracing`` (and numpy) exist (checked without importing them)."""
    return _available("symnb.tracing", "numpy")


def _shape(node: ast.AST, what: str) -> tuple:
    """A shape from an int literal or a tuple of them (read from the syntax tree, no eval)."""
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    out = []
    for it in items:
        if not (isinstance(it, ast.Constant) and type(it.value) is int):
            raise UsageError(f"{what}: a shape is an int or a tuple of ints, got "
                             f"{ast.unparse(it)!r}")
        if it.value < 0:
            raise UsageError(f"{what}: shape entries must be >= 0, got {it.value}")
        out.append(it.value)
    return tuple(out)


def parse_trace_call(text: str) -> tuple[str, list[tuple[str, Any]]]:
    """``"rhs(u[32], 8, k)"`` -> ``("rhs", [("array", ("u", (32,))), ("shape", (8,)),
    ("name", "k")])``; numbers are ``("value", v)``.  Uses ``ast`` (never eval).

    >>> parse_trace_call("f(u[2, 3], (4,), 1.5, k)")
    ('f', [('array', ('u', (2, 3))), ('shape', (4,)), ('value', 1.5), ('name', 'k')])
    """
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as e:
        raise UsageError(f"cannot read {text.strip()!r}: {e.msg}") from None
    if not (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name)) or tree.keywords:
        raise UsageError(f"expected FUNC(shape, ...), e.g. rhs(u[32]), got {text.strip()!r}")
    args: list[tuple[str, Any]] = []
    for k, a in enumerate(tree.args, 1):
        what = f"argument {k}"
        if isinstance(a, ast.Subscript) and isinstance(a.value, ast.Name):
            args.append(("array", (a.value.id, _shape(a.slice, what))))
        elif isinstance(a, ast.Tuple) or (isinstance(a, ast.Constant) and type(a.value) is int):
            args.append(("shape", _shape(a, what)))
        elif isinstance(a, ast.Constant) and isinstance(a.value, (float, complex)):
            args.append(("value", a.value))
        elif isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.USub) and \
                isinstance(a.operand, ast.Constant) and isinstance(a.operand.value, (int, float)):
            if type(a.operand.value) is int:
                raise UsageError(f"{what}: shape entries must be >= 0, got -{a.operand.value}")
            args.append(("value", -a.operand.value))
        elif isinstance(a, ast.Name):
            args.append(("name", a.id))
        else:
            raise UsageError(f"{what}: expected a shape (8 or (8, 8)), name[shape], a number "
                             f"or a variable, got {ast.unparse(a)!r}")
    return tree.func.id, args


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"%{self.prog}: {message}")


def _parser(prog: str) -> _Parser:
    return _Parser(prog=prog, add_help=False)


def split_options(line: str) -> tuple[str, list[str]]:
    """``"x + y --rules r --trace"`` -> ``("x + y", ["--rules", "r", "--trace"])``."""
    m = _OPT_START.search(line)
    if m is None:
        return line.strip(), []
    head, tail = line[: m.start()], line[m.start():]
    try:
        opts = shlex.split(tail)
    except ValueError as e:
        raise UsageError(f"cannot read the options: {e}") from None
    return head.strip(), opts


def split_statements(text: str) -> list[str]:
    """Split on ``;`` outside brackets and string literals.

    >>> split_statements("f(1, 2); g('a;b'); [x for x in (1, 2)]")
    ['f(1, 2)', "g('a;b')", '[x for x in (1, 2)]']
    """
    out, cur, depth, quote = [], [], 0, ""
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == "\\" and i + 1 < len(text):
                cur.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
            cur.append(c)
        elif c in "([{":
            depth += 1
            cur.append(c)
        elif c in ")]}":
            depth -= 1
            cur.append(c)
        elif c == ";" and depth <= 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur).strip())
    return [s for s in out if s]


_USER_ERRORS = (UsageError, ValueError, TypeError, KeyError, NameError, ArithmeticError,
                SyntaxError, argparse.ArgumentError)


def _is_user_error(exc: BaseException) -> bool:
    if isinstance(exc, _USER_ERRORS):
        return True
    mod = sys.modules.get("symnb.compiler.errors")   # only if compile was ever imported
    return mod is not None and isinstance(exc, mod.CompileError)


def _guard(fn: Callable) -> Callable:
    """Report user mistakes as one line; anything else propagates (a real bug)."""

    def wrapper(self: "SymnbMagics", *args: Any) -> Any:
        try:
            return fn(self, *args)
        except Exception as exc:
            if not _is_user_error(exc):
                raise
            report(exc)
            return None

    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _check_options(fn: Callable, kw: dict, flags: dict[str, str], what: str) -> None:
    """UsageError naming the first option of ``kw`` that ``fn`` does not take;
    ``flags`` maps every keyword the magic offers to its ``--flag``."""
    import inspect
    params = inspect.signature(fn).parameters.values()
    if any(q.kind is q.VAR_KEYWORD for q in params):
        return
    names = {q.name for q in params if q.kind in (q.KEYWORD_ONLY, q.POSITIONAL_OR_KEYWORD)}
    for k in kw:
        if k not in names:
            takes = ", ".join(f for n, f in flags.items() if n in names) or "none of them"
            raise UsageError(f"{flags[k]} is not an option of {what} (it takes: {takes})")


def _display(*objs: Any) -> None:
    from IPython.display import display
    display(*objs)


_SIMPLIFY_FLAGS = {"trace": "--trace", "report": "--report", "ruleset": "--ruleset",
                  "cost": "--cost", "iter_limit": "--limit", "node_limit": "--node-limit",
                  "time_limit": "--time-limit"}
"""%simplify's options: the simplifier's keyword -> the flag."""

MAGIC_HELP: list[tuple[str, str, str]] = [
    ("%sym", "%sym x y z",
     "declare symbols; %sym u[4]: a list u_0..u_3; %sym f(x): a function f (and x); "
     "assumptions: --positive --real --integer --nonzero --nonnegative --negative "
     "--nonpositive"),
    ("%fun", "%fun g", "declare functions (uninterpreted: g(x) stays g(x))"),
    ("%%rules", "%%rules mine\nsin(~x)^2 + cos(~x)^2 => 1",
     "define a rule set NAME from lines 'pattern => replacement'"),
    ("%rewrite", "%rewrite x*y + x --rules mine --trace",
     "rewrite with a rule set (yours or shipped: algebra, trig, ...) to a fixpoint"),
    ("%simplify", "%simplify sin(x)^2 + cos(x)^2 --using rules",
     "simplify with a registered simplifier (--using; registered: {simplifiers})"),
    ("%simplify --using egraph", "%simplify exp(x)*exp(y) --using egraph --report",
     "equality saturation with symnb.egraph (--ruleset, --cost, --limit, --node-limit, "
     "--time-limit; --egraph is short)"),
    ("%dag", "%dag expand((x + y + 1)^3) --max-terms 1000",
     "show the expression DAG (shared nodes drawn once; large ones open collapsed); "
     "--max-nodes N, --expanded"),
    ("%egraph", "%egraph x*y + x*sin(y) --ruleset algebra --iter-limit 8",
     "e-graph inspection: result, report and the e-graph view (--ruleset, --iter-limit, "
     "--node-limit, --time-limit)"),
    ("%compile", "%compile h(y, x) = y - x --backend numba",
     "compile to a fast function bound to NAME and show its signature; NAME(args) fixes "
     "the argument order, else it is alphabetical (--backend: {backends}); --parallel, "
     "--args x,y"),
    ("%trace", "def rhs(u, k): return k * (u[1:] - u[:-1])\n%trace tr = rhs(u[32], 2.0)",
     "run a numpy function on symbolic arrays (an int or tuple argument is a shape); "
     "binds the Traced result to NAME"),
    ("%bench", "%bench h(1.0, 2.0); h.py_func(1.0, 2.0)",
     "time statements side by side: medians, spread, ratios, bar chart; --repeat N, "
     "--number N"),
    ("%linsolve", "import numpy as np, scipy.sparse as sp\n"
     "A = sp.diags([-1, 2.5, -1], [-1, 0, 1], shape=(50, 50)).tocsr(); b = np.ones(50)\n"
     "%linsolve A b --methods cg,gmres,gcrodr",
     "solve A x = b with several methods; table + convergence figure (%solve: old name); "
     "--tol, --maxiter, --x iteration|matvecs, --live"),
    ("%load_model", "import pathlib, tempfile\n"
     "net = pathlib.Path(tempfile.mkdtemp(), \"ab.net\")\n"
     "net.write_text(\"begin species\\n 1 A() 10\\n 2 B() 0\\nend species\\n\"\n"
     "               \"begin reactions\\n 1 1 2 0.5\\nend reactions\\n\")\n"
     "%load_model {net} ab",
     "load an SBML (.xml, .sbml) or BioNetGen (.net) model file, bind it to NAME (default: "
     "the file name) and show it"),
    ("%symnb", "%symnb", "this help"),
]
"""``(magic, example cell, what it does)``; every example runs as written, in this order,
in a fresh shell (``tests/magics/test_help_examples.py``)."""


def unknown_function_message(name: str, column: int = -1) -> str:
    """The one-line error for a call of an undeclared function ``name``.

    >>> unknown_function_message("foo").split(";")[0]
    "unknown function 'foo': declare it with %fun foo (or %sym foo(x))"
    """
    at = f" (column {column + 1})" if column >= 0 else ""
    ops = ", ".join(operations())
    if name in OPERATIONS:
        return (f"{name!r}{at} is a symbol algebra operation this symnb does not have yet; "
                f"operations usable in magics: {ops}")
    return (f"unknown function {name!r}{at}: declare it with %fun {name} (or %sym {name}(x)); "
            f"symnb operations usable here: {ops}")


def unchanged_message(e: Any, using: str, has_egraph: bool = True) -> str:
    """What ``%simplify`` says when the simplifier returned its input, with next steps.

    >>> x, = symnb.symbols("x"),
    >>> msg = unchanged_message(x * (x + 1), "rules")
    >>> msg.split("; ")[0]
    'symnb: simplify (rules) changed nothing'
    >>> msg.split("; ")[1]
    'next: --using egraph, assumptions (%sym x --positive), expand(...)'
    """
    nxt = []
    if using != "egraph" and has_egraph:
        nxt.append("--using egraph")
    plain = sorted(s.name for s in symnb.free_symbols(e)
                   if all(symnb.ask(s, k) is None for k in ("real", "positive", "integer")))
    if plain:
        nxt.append(f"assumptions (%sym {' '.join(plain)} --positive)")
    nxt.append("expand(...)")
    return f"symnb: simplify ({using}) changed nothing; next: {', '.join(nxt)}"


def new_symbols(text: str, names: dict, functions: dict) -> list[str]:
    """Names in ``text`` that are neither bound to terms, called, nor ``inf``/``nan``:
    the parser takes them as new symbols.

    >>> new_symbols("x + sin(z) + k*z", {"x": 1}, {})
    ['z', 'k']
    """
    from symnb.terms.parse import tokenize
    toks = tokenize(text)
    out: dict = {}
    for k, t in enumerate(toks):
        if t.kind != "name" or t.text in names or t.text in ("inf", "nan"):
            continue
        if k + 1 < len(toks) and toks[k + 1].text == "(":
            continue
        out[t.text] = True
    return list(out)


@magics_class
class SymnbMagics(Magics):
    """symnb's magics: ``%symnb`` lists them with examples."""

    def __init__(self, shell: Any = None, **kw: Any) -> None:
        super().__init__(shell, **kw)
        self.rulesets: dict[str, list] = {}
        self.has_egraph = egraph_available()
        self.has_trace = trace_available()
        # magics whose library part is missing are not registered
        if self.has_egraph:
            self.magics["line"]["egraph"] = self.egraph
        if self.has_trace:
            self.magics["line"]["trace"] = self.trace

    # ----- helpers --------------------------------------------------------------
    @property
    def ns(self) -> dict:
        return self.shell.user_ns

    def expr(self, text: str, what: str = "expression", magic: str = "",
             quiet: bool = False, limits: argparse.Namespace | None = None) -> Any:
        """A term from text: a variable holding a term (or list of terms), or parsed text
        where names bound to terms in the namespace stand for them, declared functions
        and symnb's operations (``expand``, ``diff``, ...) can be called, and other names
        are new symbols (printed as a note unless ``quiet``: the rule ``%symnb`` states).
        ``limits``: the magic's parsed line, whose limit flags the operations receive."""
        text = text.strip()
        if not text:
            raise UsageError(f"missing {what}; {usage(magic)}" if magic else f"missing {what}")
        if _IDENT.match(text) and text in self.ns:
            v = self.ns[text]
            if isinstance(v, symnb.Term) or (isinstance(v, (list, tuple)) and v and
                                             all(isinstance(t, symnb.Term) for t in v)):
                return list(v) if isinstance(v, tuple) else v
            if not isinstance(v, (int, float)):
                raise UsageError(f"{text!r} is a {type(v).__name__}, not an expression")
        names = {k: v for k, v in self.ns.items()
                 if isinstance(v, symnb.Term) and not k.startswith("_")}
        fns = operations() if limits is None else limit_operations(operations(), limits, magic)
        fns.update({k: v for k, v in self.ns.items() if isinstance(v, symnb.Function)})
        try:
            t = symnb.parse(text, names=names, functions=fns)
        except symnb.ParseError as e:
            m = _UNKNOWN_FN.match(e.message)
            if m is None:
                raise
            raise UsageError(unknown_function_message(m.group(1), e.column)) from None
        new = [] if quiet else new_symbols(text, names, fns)
        if new:
            s = "s" if len(new) > 1 else ""
            print(f"symnb: {', '.join(new)} taken as new symbol{s} (not declared; "
                  f"%sym {' '.join(new)} declares {'them' if s else 'it'})")
        return t

    def rules_named(self, name: str) -> list:
        if name in self.rulesets:
            return self.rulesets[name]
        v = self.ns.get(name)
        if isinstance(v, (list, tuple)) and v and all(isinstance(r, symnb.Rule) for r in v):
            return list(v)
        from symnb.rewriting.rulesets import RULESETS, ruleset
        if name in RULESETS:
            return ruleset(name)
        known = sorted(set(self.rulesets) | set(RULESETS))
        raise UsageError(f"unknown rule set {name!r}; known: {', '.join(known)}")

    # ----- %sym -------------------------------------------------------------------
    @line_magic
    @_guard
    def sym(self, line: str) -> None:
        """Declare symbols in the notebook namespace: ``%sym x y z``.

        ``%sym u[4]`` declares ``u`` as a tuple of symbols ``u_0 … u_3``; ``%sym f(x)``
        declares the function ``f`` (and ``x`` when new); ``--positive``, ``--real``,
        ``--integer``, ``--nonzero``, ``--nonnegative``, ``--negative``, ``--nonpositive``
        declare the symbols with that assumption (``symnb.ask`` uses them).
        """
        text, opts = split_options(line)
        p = _parser("sym")
        for flag in ASSUMPTIONS:
            p.add_argument(f"--{flag}", action="store_true")
        a = p.parse_args(opts)
        assume = {k: True for k in ASSUMPTIONS if getattr(a, k)}
        items = _DECL_ITEM.findall(text)
        if not items:
            raise UsageError(f"%sym needs at least one name; {usage('sym')}")
        created: dict[str, Any] = {}
        for n in items:
            fm = _FUNC_DECL.match(n)
            if fm is not None:
                created[fm.group(1)] = self._function(fm.group(1))
                for arg in (fm.group(2) or "").replace(",", " ").split():
                    if arg not in created and not isinstance(self.ns.get(arg), symnb.Term):
                        created[arg] = symnb.symbols(arg, **assume)
                continue
            m = _DECL.match(n)
            if m is None:
                raise UsageError(f"{n!r} is not a valid symbol name (a name, name[4] or "
                                 f"name(x)); {usage('sym')}")
            name, shape = m.group(1), m.group(2)
            if shape is None:
                created[name] = symnb.symbols(name, **assume)
            else:
                dims = [int(d) for d in shape.split(",")]
                if len(dims) != 1:
                    raise UsageError(f"{n!r}: only 1-D symbol lists are available so far "
                                     f"(write {name}[{dims[0]}])")
                created[name] = tuple(symnb.symbols(f"{name}_{i}", **assume)
                                      for i in range(dims[0]))
        self.ns.update(created)

    @line_magic
    @_guard
    def fun(self, line: str) -> None:
        """Declare uninterpreted functions: ``%fun f g`` (then ``f(x)`` parses)."""
        names = line.replace(",", " ").split()
        if not names:
            raise UsageError(f"%fun needs at least one function name; {usage('fun')}")
        made = {}
        for n in names:
            if not _IDENT.match(n):
                raise UsageError(f"{n!r} is not a valid function name; {usage('fun')}")
            made[n] = self._function(n)
        self.ns.update(made)

    def _function(self, name: str) -> Any:
        from symnb.terms.functions import FUNCTIONS
        if name in FUNCTIONS or name in OPERATIONS:
            raise UsageError(f"{name!r} is already a symnb function; pick another name")
        return symnb.Function(name)

    # ----- %%rules -------------------------------------------------------------------
    @cell_magic
    @_guard
    def rules(self, line: str, cell: str) -> None:
        """Define a rule set from lines ``pattern => replacement`` (``# comments`` allowed;
        ``name: pattern => replacement`` names a rule).  Binds NAME in the namespace."""
        name = line.strip()
        if not name:
            raise UsageError(f"%%rules needs a name; {usage('rules')}")
        if not _IDENT.match(name):
            raise UsageError(f"{name!r} is not a valid rule-set name")
        made = []
        for k, raw in enumerate(cell.splitlines(), 1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            rname = None
            m = re.match(r"^([A-Za-z_][\w\-]*)\s*:\s*(.*)$", text)
            if m and "=>" in m.group(2):
                rname, text = m.group(1), m.group(2)
            if "=>" not in text:
                raise UsageError(f"line {k}: expected 'pattern => replacement', got {text!r}")
            try:
                made.append(symnb.rule(text, name=rname or f"{name}[{len(made)}]"))
            except ValueError as e:
                raise UsageError(f"line {k}: {(str(e).splitlines() or [''])[0]}") from None
        if not made:
            raise UsageError(f"%%rules {name}: the cell has no rules; {usage('rules')}")
        self.rulesets[name] = made
        self.ns[name] = made
        print(f"rule set {name!r}: {len(made)} rule{'s' if len(made) != 1 else ''}")

    # ----- %rewrite ----------------------------------------------------------------------
    @line_magic
    @_guard
    def rewrite(self, line: str) -> None:
        """``%rewrite EXPR [--rules NAME] [--trace]``: rewrite to a fixpoint and show it; limit
        flags ``--timeout SECONDS --max-terms N --max-digits N --max-size N``
        (``kernel_ext.limit_flags``)."""
        text, opts = split_options(line)
        p = _parser("rewrite")
        p.add_argument("--rules", default=None)
        p.add_argument("--trace", action="store_true")
        add_limit_flags(p, "rewrite")
        a = p.parse_args(opts)
        from symnb.rewriting import default_rules, rewrite
        rules = self.rules_named(a.rules) if a.rules else default_rules()
        with applied(a, "rewrite", text):
            e = self.expr(text, magic="rewrite", limits=a)
            if a.trace:
                result, tr = rewrite(e, rules, trace=True)
            else:
                result, tr = rewrite(e, rules), None
        if tr is not None:
            _display(tr)
        _display(result)

    # ----- %simplify -------------------------------------------------------------------
    @line_magic
    @_guard
    def simplify(self, line: str) -> None:
        """``%simplify EXPR [--using NAME] [--trace] [--explain]`` with NAME any registered
        simplifier (``symnb.rewriting.simplifier_names()``: ``rules``, ``egraph``, yours);
        ``--explain`` prints each step of the trace (rule: before → after) and shows it; options
        handed to it when it takes them: ``--ruleset NAME --cost NAME --limit N
        --node-limit N --time-limit S --report``.  ``--egraph`` = ``--using egraph``.  Limit
        flags: ``--timeout SECONDS --max-terms N --max-digits N --max-size N``."""
        from symnb.rewriting import get_simplifier, simplifier_names
        text, opts = split_options(line)
        p = _parser("simplify")
        p.add_argument("--using", default="rules", choices=simplifier_names())
        if self.has_egraph:
            p.add_argument("--egraph", dest="using", action="store_const", const="egraph")
        p.add_argument("--trace", action="store_true")
        p.add_argument("--explain", action="store_true")
        p.add_argument("--report", action="store_true")
        p.add_argument("--ruleset", default=None)
        p.add_argument("--cost", default=None)
        p.add_argument("--limit", dest="iter_limit", type=int, default=None)
        p.add_argument("--node-limit", type=int, default=None)
        p.add_argument("--time-limit", type=float, default=None)
        add_limit_flags(p, "simplify")
        ns = p.parse_args(opts)
        a = {k: v for k, v in vars(ns).items() if k in _SIMPLIFY_FLAGS or k in ("using",
                                                                               "explain")}
        using = a.pop("using")
        explain = a.pop("explain")
        a["trace"] = a["trace"] or explain
        kw = {k: v for k, v in a.items() if v is not None and v is not False}
        _check_options(get_simplifier(using), kw, _SIMPLIFY_FLAGS, f"simplifier {using!r}")
        with applied(ns, "simplify", text):
            e = self.expr(text, magic="simplify", limits=ns)
            out = symnb.simplify(e, using=using, **kw)
        result = out[0] if isinstance(out, tuple) else out
        if not isinstance(e, list) and result == e:
            print(unchanged_message(e, using, self.has_egraph))
        if explain and isinstance(out, tuple):
            for s in out[1]:
                print(f"{s.index + 1}. {s.rule}: {s.before} → {s.after}")
        if isinstance(out, tuple):
            for o in reversed(out):
                _display(o)
        else:
            _display(out)

    # ----- %dag --------------------------------------------------------------------------
    @line_magic
    @_guard
    def dag(self, line: str) -> None:
        """``%dag EXPR [--max-nodes N] [--expanded]``: the expression DAG (renderer, SVG
        fallback).  Above a few hundred nodes it opens collapsed (top levels, summary nodes
        for the rest; click to expand); ``--expanded`` shows every node at once.  Limit flags:
        ``--timeout SECONDS --max-terms N --max-digits N --max-size N``."""
        text, opts = split_options(line)
        p = _parser("dag")
        p.add_argument("--max-nodes", type=int, default=None)
        p.add_argument("--expanded", action="store_true")
        add_limit_flags(p, "dag")
        a = p.parse_args(opts)
        from symnb.display import dag
        with applied(a, "dag", text):
            view = dag(self.expr(text, magic="dag", limits=a), max_nodes=a.max_nodes,
                       title=text, collapse=False if a.expanded else None)
        _display(view)

    # ----- %egraph (registered when symnb.egraph is available) ---------------------
    @_guard
    def egraph(self, line: str) -> None:
        """``%egraph EXPR [--ruleset NAME[,NAME...]] [--iter-limit N] [--node-limit N]
        [--time-limit S]``: equality saturation; shows the result, the report (why it
        stopped, per-iteration table) and the e-graph (e-classes, chosen e-nodes, costs).
        The report is bound to ``_egraph``.  Limit flags: ``--timeout SECONDS`` (the whole
        magic; ``--time-limit`` stops saturation only) ``--max-terms N --max-digits N
        --max-size N``."""
        text, opts = split_options(line)
        p = _parser("egraph")
        p.add_argument("--ruleset", default=None)
        p.add_argument("--iter-limit", type=int, default=None)
        p.add_argument("--node-limit", type=int, default=None)
        p.add_argument("--time-limit", type=float, default=None)
        add_limit_flags(p, "egraph")
        a = p.parse_args(opts)
        with applied(a, "egraph", text):
            out, rep = self._egraph(text, a)
        self.ns["_egraph"] = rep
        _display(out, rep)

    def _egraph(self, text: str, a: argparse.Namespace) -> tuple:
        e = self.expr(text, magic="egraph", limits=a)
        if isinstance(e, list):
            raise UsageError("%egraph takes one expression (use optimize_for_eval for lists)")
        eg = importlib.import_module("symnb.egraph")
        kw: dict[str, Any] = {k: v for k, v in (("iter_limit", a.iter_limit),
                                                  ("node_limit", a.node_limit),
                                                  ("time_limit", a.time_limit)) if v is not None}
        if a.ruleset is not None:
            kw["ruleset"] = self.egraph_ruleset(a.ruleset, eg)
        return eg.egraph_simplify(e, report=True, **kw)

    def egraph_ruleset(self, spec: str, eg: Any) -> list:
        """``"algebra,mine"``: shipped e-graph rulesets and %%rules sets, by name."""
        names = [s.strip() for s in spec.split(",") if s.strip()]
        if not names:
            raise UsageError("--ruleset is empty; e.g. --ruleset algebra,mine")
        parts: list = []
        for n in names:
            v = self.rulesets.get(n, self.ns.get(n))
            if n in eg.RULESETS:
                parts.append(n)
            elif isinstance(v, eg.Ruleset):
                parts.append(v)
            elif isinstance(v, (list, tuple)) and v and all(isinstance(r, symnb.Rule) for r in v):
                parts.extend(v)
            else:
                known = sorted(set(eg.RULESETS) | set(self.rulesets))
                raise UsageError(f"unknown ruleset {n!r}; known: {', '.join(known)}")
        return parts

    # ----- %trace (registered when symnb.tracing is available) -------------------------
    @_guard
    def trace(self, line: str) -> None:
        """``%trace NAME = FUNC(shape, ...)``: run FUNC on symbolic arrays and bind the
        ``Traced`` result (output terms, inputs, Jacobian sparsity) to NAME.

        Each argument is a shape (``32`` or ``(8, 8)``: a symbol array named after the
        parameter), ``name[shape]`` (a symbol array called ``name``), a number, or a
        variable of the notebook (passed unchanged).  Limit flags: ``--timeout SECONDS
        --max-digits N``.
        """
        m = _ASSIGN.match(line)
        if m is None:
            raise UsageError(f"%trace needs 'NAME = FUNC(shape, ...)'; {usage('trace')}")
        name, rest = m.group(1), m.group(2)
        rest, opts = split_options(rest)
        p = _parser("trace")
        add_limit_flags(p, "trace")
        lim = p.parse_args(opts)
        if not rest.strip():
            raise UsageError(f"%trace: missing FUNC(shape, ...) after '='; {usage('trace')}")
        fname, args = parse_trace_call(rest)
        if fname not in self.ns:
            raise UsageError(f"function {fname!r} is not defined")
        f = self.ns[fname]
        if not callable(f):
            raise UsageError(f"{fname!r} is a {type(f).__name__}, not a function")
        import inspect
        try:
            params = [q.name for q in inspect.signature(f).parameters.values()
                      if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            params = []
        from symnb.tracing import sym_array, trace
        specs: list = []
        for k, (kind, v) in enumerate(args):
            if kind == "array":
                specs.append(sym_array(v[0], v[1]))
            elif kind == "shape":
                specs.append(sym_array(params[k] if k < len(params) else f"a{k}", v))
            elif kind == "value":
                specs.append(v)
            else:
                if v not in self.ns:
                    raise UsageError(f"name {v!r} is not defined (write {v}[shape] for a "
                                     f"symbolic array)")
                specs.append(self.ns[v])
        try:
            inspect.signature(f).bind(*specs)
        except TypeError as e:
            raise UsageError(f"{fname}: {e}") from None
        except ValueError:
            pass
        with applied(lim, "trace", rest):
            tr = trace(f, *specs)
        self.ns[name] = tr
        _display(tr)

    # ----- %compile -----------------------------------------------------------------------
    @line_magic
    @_guard
    def compile(self, line: str) -> None:
        """``%compile NAME = EXPR [--backend NAME] [--parallel] [--args x,y]``, or
        ``%compile NAME(y, x) = EXPR`` to fix the argument order; ``--backend``: a
        registered compile backend (``numba``, ``python``, ``numpy``, ``register_backend``).

        Arguments are the free symbols sorted by name unless ``NAME(...)`` or ``--args``
        orders them.  The generated function is called NAME and its signature is printed
        first (``h(x, y) -> float``).  A variable holding a list of expressions compiles to
        an array function.  Limit flags: ``--max-ops N`` (operations after sharing),
        ``--timeout SECONDS --max-terms N --max-digits N --max-size N``.
        """
        m = _COMPILE_TARGET.match(line)
        if m is None:
            raise UsageError(f"%compile needs 'NAME = EXPR' or 'NAME(x, y) = EXPR'; "
                             f"{usage('compile')}")
        name, order, rest = m.group(1), m.group(2), m.group(3)
        text, opts = split_options(rest)
        p = _parser("compile")
        from symnb.compiler.backends import BACKENDS
        p.add_argument("--backend", default="numba", choices=list(BACKENDS))
        p.add_argument("--parallel", action="store_true")
        p.add_argument("--args", default=None)
        add_limit_flags(p, "compile")
        a = p.parse_args(opts)
        if order is not None and a.args:
            raise UsageError(f"give the argument order once: {name}({order}) or --args, "
                             f"not both")
        with applied(a, "compile", text):
            f = self._compile(name, order, text, a)
        self.ns[name] = f
        print(f.signature)
        _display(f)

    def _compile(self, name: str, order: str | None, text: str, a: argparse.Namespace) -> Any:
        e = self.expr(text, magic="compile", limits=a)
        exprs = e if isinstance(e, list) else [e]
        spec = order if order is not None else a.args
        what = f"{name}(...)" if order is not None else "--args"
        if spec is not None:
            parts = [s.strip() for s in spec.split(",")]
            if not all(parts):
                raise UsageError(f"{what}: an empty argument name in {spec!r}")
            args = [self.expr(s, "argument", quiet=True) for s in parts]
            for s, t in zip(parts, args):
                if not (isinstance(t, symnb.Term) and symnb.issym(t)):
                    raise UsageError(f"{what}: {s} is not a symbol")
        else:
            syms = set().union(*(symnb.free_symbols(t) for t in exprs))
            args = sorted(syms, key=lambda s: s.name)
        if isinstance(e, list):
            f = symnb.compile_array(e, args, backend=a.backend, parallel=a.parallel,
                                    name=_fn_name(name))
        else:
            if a.parallel:
                raise UsageError("--parallel needs an array of expressions (a list variable), "
                                 "e.g. %compile F = vec --parallel")
            f = symnb.compile(e, args, backend=a.backend, name=_fn_name(name))
        return f

    # ----- %bench -------------------------------------------------------------------------
    @line_magic
    @_guard
    def bench(self, line: str) -> None:
        """``%bench STMT; STMT; ... [--repeat N] [--number N]``: side-by-side timings."""
        m = re.search(r"\s--(repeat|number)\b", line)
        text, opts = (line[: m.start()], shlex.split(line[m.start():])) if m else (line, [])
        p = _parser("bench")
        p.add_argument("--repeat", type=int, default=5)
        p.add_argument("--number", type=int, default=None)
        a = p.parse_args(opts)
        stmts = split_statements(text)
        if not stmts:
            raise UsageError(f"%bench needs statements separated by ';'; {usage('bench')}")
        from symnb.bench import bench
        r = bench(stmts, namespace=self.ns, repeat=a.repeat, number=a.number)
        self.ns["_bench"] = r
        _display(r)          # the table and the chart, each once (BenchResult shows both)

    # ----- %linsolve -----------------------------------------------------------------------
    @line_magic
    @_guard
    def linsolve(self, line: str) -> None:
        """``%linsolve A b [--methods cg,gmres,gcrodr] [--tol 1e-8] [--maxiter N]
        [--x iteration|matvecs] [--live]`` (``--live``: a plot per method updating while it
        runs, then the comparison).  The report is bound to ``_solve``."""
        self._linsolve(line, "linsolve")

    @line_magic
    @_guard
    def solve(self, line: str) -> None:
        """Old name of ``%linsolve`` (kept for one release; prints a deprecation note)."""
        print("symnb: %solve is deprecated (symnb.solve_ode integrates ODEs); use %linsolve")
        self._linsolve(line, "solve")

    def _linsolve(self, line: str, prog: str) -> None:
        text, opts = split_options(line)
        p = _parser(prog)
        p.add_argument("--methods", default="cg,gmres")
        p.add_argument("--tol", type=float, default=1e-8)
        p.add_argument("--maxiter", type=int, default=None)
        p.add_argument("--x", default="iteration", choices=("iteration", "matvecs"))
        p.add_argument("--live", action="store_true")
        a = p.parse_args(opts)
        names = text.split()
        if len(names) != 2:
            raise UsageError(f"%{prog} needs a matrix and a right-hand side; "
                             f"{usage('linsolve')}")
        for n in names:
            if n not in self.ns:
                raise UsageError(f"name {n!r} is not defined")
        A, b = self.ns[names[0]], self.ns[names[1]]
        methods = [s.strip() for s in a.methods.split(",") if s.strip()]
        if not methods:
            raise UsageError("--methods is empty; e.g. --methods cg,gmres")
        for mth in methods:
            if mth not in SOLVER_METHODS:
                raise UsageError(f"unknown method {mth!r}; choose from "
                                 f"{', '.join(SOLVER_METHODS)}")
        import symnb.solvers as solvers
        from symnb.display.reports import SolveReport
        if a.live:
            from symnb.display.live import live_solve
            results = [live_solve(getattr(solvers, mth), A, b, tol=a.tol, maxiter=a.maxiter,
                                  static=False)[0] for mth in methods]
        else:
            results = [getattr(solvers, mth)(A, b, tol=a.tol, maxiter=a.maxiter)
                       for mth in methods]
        rep = SolveReport(results, title=f"{names[0]} x = {names[1]}")
        self.ns["_solve"] = rep
        _display(rep, rep.figure(x=a.x))

    # ----- %load_model ----------------------------------------------------------------------
    @line_magic
    @_guard
    def load_model(self, line: str) -> None:
        """``%load_model FILE [NAME]``: an SBML (``.xml``, ``.sbml``) or BioNetGen (``.net``)
        model bound to NAME (default: the file name, as an identifier) and shown.  Limit
        flags: ``--timeout SECONDS --max-digits N``."""
        p = _parser("load_model")
        add_limit_flags(p, "load_model")
        text, opts = split_options(line)
        lim = p.parse_args(opts)
        try:
            parts = shlex.split(text)
        except ValueError as e:
            raise UsageError(f"cannot read the file name: {e}") from None
        if len(parts) not in (1, 2):
            raise UsageError("%load_model needs a file and optionally a name, e.g. "
                             "%load_model model.xml m")
        from pathlib import PurePath
        stem, ext = PurePath(parts[0]).stem, PurePath(parts[0]).suffix
        loader = {".xml": "load_sbml", ".sbml": "load_sbml", ".net": "load_bionetgen"}.get(
            (ext or "").lower())
        if loader is None:
            raise UsageError(f"%load_model reads .xml / .sbml (SBML) and .net (BioNetGen) "
                             f"files, not {ext or 'a file without extension'!r}")
        name = parts[1] if len(parts) == 2 else re.sub(r"\W|^(?=\d)", "_", stem)
        if not name.isidentifier():
            raise UsageError(f"{name!r} is not a valid Python name")
        with applied(lim, "load_model", text):
            model = getattr(symnb, loader)(parts[0])
        self.ns[name] = model
        print(f"symnb: {name} = {loader}({parts[0]!r})")
        _display(model)

    # ----- %symnb -------------------------------------------------------------------------
    @line_magic
    def symnb(self, line: str = "") -> None:
        """List every symnb magic: its example on one row, what it does beneath."""
        print(help_text(self.has_egraph, self.has_trace))


def help_rows(has_egraph: bool = True, has_trace: bool = True) -> list[tuple[str, str, str]]:
    """``MAGIC_HELP`` for this installation (placeholders filled, missing magics left out,
    each computing magic's limit flags appended)."""
    from symnb.compiler.backends import BACKENDS
    from symnb.rewriting import simplifier_names
    names = {"simplifiers": ", ".join(simplifier_names()), "backends": ", ".join(BACKENDS)}
    rows = []
    for m, ex, what in MAGIC_HELP:
        if (not has_egraph and "egraph" in m) or (not has_trace and m == "%trace"):
            continue
        what = what.format(**names)
        if m.lstrip("%") in MAGIC_LIMITS:
            what += f"; {flags_help(m.lstrip('%'))}"
        rows.append((m, ex, what))
    return rows


def help_text(has_egraph: bool = True, has_trace: bool = True, width: int = 88) -> str:
    """``%symnb``'s text: each magic's example cell on its own rows, what it does beneath
    (wrapped at spaces only, never inside a word or flag), then the naming rule.

    >>> print(help_text().splitlines()[1])
      %sym x y z
    """
    import textwrap
    wrap = textwrap.TextWrapper(width=width, initial_indent="      ",
                                subsequent_indent="      ", break_long_words=False,
                                break_on_hyphens=False)
    out = ["symnb magics (an example, then what it does):"]
    for _, ex, what in help_rows(has_egraph, has_trace):
        out += ["  " + ln for ln in ex.split("\n")]
        out += wrap.wrap(what)
    out.append("")
    rule = wrap.wrap(f"Names: {NAME_RULE}. Operations usable in expressions: "
                     f"{', '.join(operations())}.")
    out += [ln[4:] for ln in rule]
    return "\n".join(out)
