"""``load_bionetgen``: read BioNetGen's generated ``.net`` format into a ``ReactionNetwork``.

Blocks: ``parameters`` (numbers or expressions over earlier parameters),
``compartments`` (cBNGL: ``name dimension volume [parent]``; surfaces (2) and
volumes (3) alternate), ``functions`` (global functions of parameters,
observables, other functions and ``time()``, used as rate constants),
``species`` (initial amounts as numbers or expressions; ``$`` marks a fixed
species, before or after a ``@C::`` compartment prefix), ``reactions``
(reactant / product index lists, ``0`` for none, rate laws: an expression, a
function name, ``Sat k K`` or ``MM kcat Km``), ``groups`` (observables, ``2*5``
weights).  Expressions use BioNetGen's whole language (``symnb.models.bng_expr``:
``if``, comparisons, ``&&``, ``||``, ``!``, ``min``, ``max``, ``mratio``, ``rint``,
``_pi``, ``_e``, ...).  Species amounts are counts and BioNetGen already folds
each cBNGL reaction's volume factor into its rate as a number, naming it in a
comment (``0.1*kb #_R1 unit_conversion=1/Ve``): the number is replaced by the
statistical factor times that expression, so rates follow the volume
parameters.  A rate written as a bare function name has no such number to split: it is
used as BioNetGen wrote it, any volume factor staying wherever BioNetGen folded it (no
formula to recover it from without BioNetGen's own rule expansion), and
``network.info["volume factors kept as numbers"]`` counts these reactions.  The informational blocks ``molecule types``, ``observables`` and
``reaction rules`` (already expanded into ``reactions``) are read and counted, not
used; the top-level directives ``version(...)``, ``substanceUnits(...)`` and
``setOption(...)`` are recorded in ``network.info``.  Anything else — an unknown
block, a reaction naming a missing species, parameter or function, an unknown
function, a malformed line — raises ``NetworkFormatError`` with the file name and
line number.

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny.net"
>>> _ = p.write_text('''begin parameters
...  1 kb  0.5
...  2 k   2*kb^2   # ConstantExpression
... end parameters
... begin species
...  1 A()  10
...  2 $B() kb
... end species
... begin reactions
...  1 1,2 0 k
...  2 1 3 kb
... end reactions''')
>>> try:
...     load_bionetgen(p)
... except NetworkFormatError as e:
...     print(e.line, e.message)
11 reaction product names missing species 3
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..terms.core import Symbol, Term, sympify_num
from .bng_expr import BNG_FUNCTIONS, parse_bng
from .network import Reaction, ReactionNetwork

__all__ = ["load_bionetgen", "NetworkFormatError", "read_gdat"]

_KNOWN = {"parameters", "compartments", "functions", "species", "reactions", "groups"}
_INFO = {"molecule types", "observables", "reaction rules", "energy patterns"}
_DIRECTIVE = re.compile(r"^(version|substanceUnits|setOption)\s*\(.*\)\s*;?$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIES = re.compile(r"(\$)?(?:@([A-Za-z_][A-Za-z0-9_]*)::)?(\$)?(.+)")
_UNIT_CONVERSION = re.compile(r"unit_conversion=(\S+)")
_LEADING_NUMBER = re.compile(r"((?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)\*(.+)")


class NetworkFormatError(ValueError):
    """A malformed or unsupported ``.net`` file: ``path``, ``line`` (1-based), ``text``."""

    def __init__(self, message: str, path: Any, line: int | None = None, text: str = "") -> None:
        self.path = str(path)
        self.line = line
        self.text = text
        self.message = message
        where = os.path.basename(self.path) + (f":{line}" if line is not None else "")
        msg = f"{where}: {message}"
        if text:
            msg += "\n    " + text.strip()
        super().__init__(msg)


def _logical_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, content without comment, original text); joins ``\\`` continuations."""
    out: list[tuple[int, str, str]] = []
    pending: tuple[int, str, str] | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        body = raw.split("#", 1)[0].rstrip()
        if pending is not None:
            body = pending[1] + " " + body.strip()
            start, orig = pending[0], pending[2] + "\n" + raw
            pending = None
        else:
            start, orig = no, raw
        if body.endswith("\\"):
            pending = (start, body[:-1], orig)
            continue
        if body.strip():
            out.append((start, body.strip(), orig))
    if pending is not None:
        out.append(pending)
    return out


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.t = Symbol("t")
        self.fns = BNG_FUNCTIONS

    def err(self, msg: str, line: int | None = None, text: str = "") -> NetworkFormatError:
        return NetworkFormatError(msg, self.path, line, text)

    def parse(self, expr: str, names: dict, line: int, text: str, what: str,
              functions: dict | None = None) -> Term:
        from ..terms.parse import ParseError
        fns: dict = {"time": lambda: self.t}
        if functions:
            fns.update(functions)
        try:
            return parse_bng(expr, names, fns)
        except ParseError as e:
            raise self.err(f"{what}: {e.one_line}", line, text) from None
        except (TypeError, ValueError, ZeroDivisionError) as e:
            raise self.err(f"{what}: {e}", line, text) from None

    def read(self) -> ReactionNetwork:
        try:
            text = self.path.read_text()
        except OSError as e:
            raise NetworkFormatError(f"cannot read the file ({e.strerror})", self.path) from None
        blocks: dict[str, list] = {}
        info: dict[str, Any] = {}
        directives: list[str] = []
        current: str | None = None
        in_model = False
        start_line = 0
        for no, body, orig in _logical_lines(text):
            low = " ".join(body.split()).lower()
            if low.startswith("begin "):
                name = low[6:]
                if current is not None:
                    raise self.err(f"'begin {name}' inside block '{current}'", no, orig)
                if name == "model":
                    in_model = True
                    continue
                if name not in _KNOWN and name not in _INFO:
                    raise self.err(f"unknown block '{name}' (known: "
                                   f"{', '.join(sorted(_KNOWN | _INFO))})", no, orig)
                if name in blocks:
                    raise self.err(f"block '{name}' appears twice", no, orig)
                blocks[name] = []
                current, start_line = name, no
                continue
            if low.startswith("end "):
                name = low[4:]
                if name == "model" and current is None and in_model:
                    in_model = False
                    continue
                if name != current:
                    raise self.err(f"'end {name}' does not close "
                                   f"{repr('begin ' + current) if current else 'any block'}",
                                   no, orig)
                current = None
                continue
            if current is None:
                if _DIRECTIVE.match(body):
                    directives.append(body)
                    continue
                raise self.err("unexpected text outside a block", no, orig)
            blocks[current].append((no, body, orig))
        if current is not None:
            raise self.err(f"block '{current}' (begun on line {start_line}) is never ended")
        for b in ("species", "reactions"):
            if b not in blocks:
                raise self.err(f"no '{b}' block")
        net = ReactionNetwork(name=self.path.stem)
        net.source = str(self.path)
        net.time = self.t
        for b in _INFO:
            if b in blocks:
                info[f"{b} (informational)"] = len(blocks[b])
        if directives:
            info["directives"] = "; ".join(directives)
        net.info = info
        names = self.read_parameters(net, blocks.get("parameters", []))
        self.read_compartments(net, blocks.get("compartments", []), names)
        index = self.read_species(net, blocks["species"], names)
        self.read_groups(net, blocks.get("groups", []), index, names)
        obs = net.observable_terms()
        for k, v in obs.items():
            if k not in net.parameters:
                names[k] = v
        self.read_functions(net, blocks.get("functions", []), names)
        self.read_reactions(net, blocks["reactions"], index, names)
        return net

    # ----- blocks ---------------------------------------------------------------
    def _fields(self, body: str, min_fields: int, what: str, no: int, orig: str) -> list[str]:
        f = body.split()
        if f and f[0].isdigit():
            f = f[1:]
        if len(f) < min_fields:
            raise self.err(f"malformed {what} line (expected at least {min_fields} fields "
                           "after the index)", no, orig)
        return f

    def _check_name(self, name: str, names: dict, what: str, no: int, orig: str) -> None:
        if not _IDENT.fullmatch(name):
            raise self.err(f"{what} name {name!r} is not an identifier", no, orig)
        if name in names or name in self.fns or name == "time":
            raise self.err(f"{what} name {name!r} is already defined", no, orig)

    def read_parameters(self, net: ReactionNetwork, lines: list) -> dict:
        from ..terms.calculus import evaluate
        names: dict[str, Term] = {"_pi": sympify_num(np.pi), "_e": sympify_num(np.e)}
        for no, body, orig in lines:
            f = self._fields(body, 2, "parameter", no, orig)
            name, expr = f[0], " ".join(f[1:])
            self._check_name(name, names, "parameter", no, orig)
            term = self.parse(expr, names, no, orig, f"parameter {name}")
            if not term.free_symbols:
                val = evaluate(term)
                if not np.isfinite(val):
                    raise self.err(f"parameter {name} is not finite ({val})", no, orig)
                s = net.add_parameter(name, val)
                names[name] = s
            else:
                net.parameters[name] = term
                names[name] = term
        return names

    def read_compartments(self, net: ReactionNetwork, lines: list, names: dict) -> None:
        """``name dimension volume [parent]``: volumes are expressions over parameters; a
        surface (2) lies in a volume (3) and a volume's parent, if any, is a surface."""
        from ..terms.calculus import EvaluationError, evaluate
        for no, body, orig in lines:
            f = self._fields(body, 3, "compartment", no, orig)
            if len(f) > 4:
                raise self.err("malformed compartment line (expected: name dimension volume "
                               "[parent])", no, orig)
            name, dim, vol = f[0], f[1], f[2]
            parent = f[3] if len(f) == 4 else None
            if not _IDENT.fullmatch(name) or name in net.compartments:
                raise self.err(f"compartment name {name!r} is not a new identifier", no, orig)
            if dim not in ("2", "3"):
                raise self.err(f"compartment {name}: dimension must be 2 or 3, got {dim!r}",
                               no, orig)
            term = self.parse(vol, names, no, orig, f"volume of compartment {name}")
            try:
                size = evaluate(term, net.values)
            except EvaluationError as e:
                raise self.err(f"volume of compartment {name}: {e}", no, orig) from None
            if not (np.isfinite(size) and size > 0):
                raise self.err(f"volume of compartment {name} must be positive, got {size}",
                               no, orig)
            if parent is not None:
                if parent not in net.compartments:
                    raise self.err(f"compartment {name}: parent {parent!r} is not defined "
                                   "above it", no, orig)
                if net.compartments[parent]["dimension"] + int(dim) != 5:
                    raise self.err(f"compartment {name}: a {dim}-D compartment cannot lie in "
                                   f"the {net.compartments[parent]['dimension']}-D {parent} "
                                   "(surfaces and volumes alternate)", no, orig)
            net.compartments[name] = {"dimension": int(dim), "volume": term, "parent": parent}

    def read_species(self, net: ReactionNetwork, lines: list, names: dict) -> dict:
        from ..terms.calculus import EvaluationError, evaluate
        index: dict[int, int] = {}
        for no, body, orig in lines:
            parts = body.split()
            if len(parts) < 3 or not parts[0].isdigit():
                raise self.err("malformed species line (expected: index name amount)", no, orig)
            idx, name, amount = int(parts[0]), parts[1], " ".join(parts[2:])
            if idx in index:
                raise self.err(f"species index {idx} defined twice", no, orig)
            m = _SPECIES.fullmatch(name)
            fixed = bool(m.group(1) or m.group(3))
            comp = m.group(2)
            if comp is not None and comp not in net.compartments:
                raise self.err(f"species {name}: compartment {comp!r} is not defined"
                               + ("" if net.compartments else " (no compartments block)"),
                               no, orig)
            name = (f"@{comp}::" if comp else "") + m.group(4)
            init = self.parse(amount, names, no, orig, f"initial amount of species {name}")
            try:
                evaluate(init, net.values)
            except EvaluationError as e:
                raise self.err(f"initial amount of species {name}: {e}", no, orig) from None
            sym = Symbol(name) if name not in names else Symbol(f"[{name}]")
            try:
                index[idx] = net.add_species(name, init, fixed, symbol=sym)
            except ValueError as e:
                raise self.err(str(e), no, orig) from None
            net.species_compartment.append(comp)
        return index

    def _species(self, tok: str, index: dict, no: int, orig: str, what: str) -> int:
        if not tok.isdigit():
            raise self.err(f"{what}: {tok!r} is not a species index", no, orig)
        i = int(tok)
        if i not in index:
            raise self.err(f"{what} names missing species {i}", no, orig)
        return index[i]

    def read_groups(self, net: ReactionNetwork, lines: list, index: dict, names: dict) -> None:
        for no, body, orig in lines:
            f = self._fields(body, 1, "group", no, orig)
            name = f[0]
            if name in net.parameters and name not in net.observables:
                # BioNetGen 2.0 let a group share a parameter's name; expressions keep
                # meaning the parameter (recorded in info, not hidden)
                shadow = net.info.setdefault("groups named like a parameter "
                                             "(expressions use the parameter)", [])
                shadow.append(name)
            else:
                self._check_name(name, names, "group", no, orig)
            if len(f) > 2:
                raise self.err(f"group {name}: unexpected text after the species list", no, orig)
            items = []
            for part in (f[1].split(",") if len(f) > 1 else []):
                w: Any = 1
                if "*" in part:
                    ws, _, part = part.partition("*")
                    try:
                        w = int(ws) if ws.isdigit() else float(ws)
                    except ValueError:
                        raise self.err(f"group {name}: bad weight {ws!r}", no, orig) from None
                items.append((self._species(part, index, no, orig, f"group {name}"), w))
            net.observables[name] = items
            if name not in net.parameters:
                names[name] = Symbol(name)   # placeholder; replaced by the observable's term

    def read_functions(self, net: ReactionNetwork, lines: list, names: dict) -> None:
        raw: dict[str, tuple] = {}
        for no, body, orig in lines:
            f = self._fields(body, 2, "function", no, orig)
            head, expr = f[0], " ".join(f[1:])
            m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?", head)
            if not m:
                raise self.err(f"malformed function name {head!r}", no, orig)
            name, args = m.group(1), (m.group(2) or "").strip()
            if args:
                raise self.err(f"function {name}({args}): local functions with arguments are "
                               "not supported", no, orig)
            self._check_name(name, {**names, **raw}, "function", no, orig)
            raw[name] = (no, expr, orig)
        done: dict[str, Term] = {}
        state: dict[str, int] = {}

        def resolve(name: str) -> Term:
            if name in done:
                return done[name]
            no, expr, orig = raw[name]
            if state.get(name) == 1:
                raise self.err(f"function {name} refers to itself (cycle)", no, orig)
            state[name] = 1
            deps = {d for d in _IDENT.findall(expr) if d in raw and d != name}
            for d in sorted(deps):
                resolve(d)
            if name in _IDENT.findall(expr) and name in raw:
                raise self.err(f"function {name} refers to itself (cycle)", no, orig)
            scope = dict(names)
            scope.update(done)
            fcalls = {k: (lambda v=v: v) for k, v in done.items()}
            term = self.parse(expr, scope, no, orig, f"function {name}", fcalls)
            done[name] = term
            state[name] = 2
            return term

        for name in raw:
            resolve(name)
        for name in raw:
            net.functions[name] = done[name]
            names[name] = done[name]

    def read_reactions(self, net: ReactionNetwork, lines: list, index: dict,
                       names: dict) -> None:
        fcalls = {k: (lambda v=v: v) for k, v in net.functions.items()}
        for no, body, orig in lines:
            f = self._fields(body, 3, "reaction", no, orig)
            sides = []
            for side, what in ((f[0], "reactant"), (f[1], "product")):
                ix: list[int] = []
                if side != "0":
                    for tok in side.split(","):
                        ix.append(self._species(tok, index, no, orig, f"reaction {what}"))
                sides.append(tuple(ix))
            rate_toks = f[2:]
            head = rate_toks[0]
            m = re.fullmatch(r"(Sat|MM)\((.*)\)", " ".join(rate_toks))
            if head in ("Sat", "MM") or m:
                law = m.group(1) if m else head
                args = [a.strip() for a in m.group(2).split(",")] if m else rate_toks[1:]
                if len(args) != 2:
                    raise self.err(f"{law} rate law needs 2 arguments, got {len(args)}", no, orig)
                k = self.parse(args[0], names, no, orig, f"{law} rate law", fcalls)
                K = self.parse(args[1], names, no, orig, f"{law} rate law", fcalls)
                if law == "Sat" and not sides[0]:
                    raise self.err("Sat rate law needs at least one reactant", no, orig)
                if law == "MM" and len(sides[0]) != 2:
                    raise self.err("MM rate law needs exactly two reactants (S, E)", no, orig)
                net.reactions.append(Reaction(sides[0], sides[1], k, law, (K,), no))
            else:
                text = " ".join(rate_toks)
                k = self._volume_scaled(net, text, names, no, orig, fcalls)
                if k is None:
                    k = self.parse(text, names, no, orig, "rate law", fcalls)
                net.reactions.append(Reaction(sides[0], sides[1], k, "mass-action", (), no))

    def _volume_scaled(self, net: ReactionNetwork, text: str, names: dict, no: int, orig: str,
                       fcalls: dict) -> Term | None:
        """BioNetGen writes a cBNGL reaction's volume factor into its rate as a number
        (``0.1*kb  #_R1 unit_conversion=1/Ve``).  The number is ``s * factor`` with ``s``
        the statistical factor; the rate becomes ``s * (1/Ve) * kb`` so that it follows
        the volume parameters.  ``None``: no such comment (or no leading number)."""
        from fractions import Fraction

        from ..terms.calculus import evaluate
        m = _UNIT_CONVERSION.search(orig)
        if m is None:
            return None
        uc = self.parse(m.group(1), names, no, orig, "unit_conversion comment")
        ucv = evaluate(uc, net.values)
        lead = _LEADING_NUMBER.fullmatch(text)
        if lead is None:
            if abs(ucv - 1.0) > 1e-12:
                net.info["volume factors kept as numbers"] = \
                    net.info.get("volume factors kept as numbers", 0) + 1
                return None
            return uc * self.parse(text, names, no, orig, "rate law", fcalls)
        ratio = float(lead.group(1)) / ucv
        snap = Fraction(ratio).limit_denominator(1000)
        s = snap if abs(float(snap) - ratio) <= 1e-9 * abs(ratio) else ratio
        net.info["volume-scaled reactions"] = net.info.get("volume-scaled reactions", 0) + 1
        return sympify_num(s) * uc * self.parse(lead.group(2), names, no, orig, "rate law",
                                                fcalls)


def load_bionetgen(path: str | os.PathLike) -> ReactionNetwork:
    """Read a BioNetGen ``.net`` file (see the module doc) into a ``ReactionNetwork``."""
    p = Path(path)
    if not p.exists():
        raise NetworkFormatError("no such file", p)
    return _Reader(p).read()


def read_gdat(path: str | os.PathLike) -> tuple[np.ndarray, dict]:
    """BioNetGen's ``.gdat`` output: ``(times, {observable: values})``."""
    p = Path(path)
    lines = [ln for ln in p.read_text().splitlines() if ln.strip()]
    if not lines:
        raise NetworkFormatError("empty .gdat file", p)
    header = lines[0].lstrip("#").split()
    if not header or header[0] != "time":
        raise NetworkFormatError("the first line must be '# time obs1 obs2 ...'", p, 1, lines[0])
    rows = []
    for no, ln in enumerate(lines[1:], 2):
        vals = ln.split()
        if len(vals) != len(header):
            raise NetworkFormatError(f"expected {len(header)} columns, got {len(vals)}", p, no,
                                     ln)
        try:
            rows.append([float(v) for v in vals])
        except ValueError:
            raise NetworkFormatError("non-numeric value", p, no, ln) from None
    data = np.array(rows)
    return data[:, 0], {h: data[:, i] for i, h in enumerate(header) if i}
