"""Reaction networks with mass-action (and BioNetGen ``Sat`` / ``MM``) kinetics.

A reaction's rate is ``k * prod(reactants)`` (repeated reactants give powers;
``k`` may be any term: a number, a parameter, a function of observables and
time); ``Sat``: ``k * prod(reactants) / (K + S)`` with ``S`` the first
reactant; ``MM``: BioNetGen's quasi-steady-state Michaelis–Menten form with
free substrate ``S = (b + sqrt(b² + 4·Km·St))/2``, ``b = St − Km − Et``, rate
``kcat·Et·S/(Km + S)``.  Fixed species are held constant (``du = 0``).

>>> net = ReactionNetwork([("A + B -> C", "k1"), ("C -> A + B", 0.5), ("2A -> 0", 0.1)],
...                       parameters={"k1": 2.0}, initial={"A": 1.0, "B": 2.0})
>>> net.species
['A', 'B', 'C']
>>> [str(e) for e in net.rhs()]
['0.5*C - 0.2*A^2 - A*B*k1', '0.5*C - A*B*k1', '-0.5*C + A*B*k1']
>>> net.u0().tolist()
[1.0, 2.0, 0.0]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from ..reprs import RenderedHTML
from ..terms.core import Symbol, Term, acc_add, make_add, sympify_num

__all__ = ["Reaction", "ReactionNetwork"]


@dataclass(frozen=True)
class Reaction:
    """``reactants`` / ``products``: species indices (repeated for higher order);
    ``rate``: the rate constant term; ``law``: ``"mass-action"``, ``"Sat"`` or ``"MM"``
    with ``law_args`` (``(K,)`` for Sat, ``(Km,)`` for MM); ``line``: source line."""

    reactants: tuple
    products: tuple
    rate: Term
    law: str = "mass-action"
    law_args: tuple = ()
    line: int | None = None
    label: str = ""


class ReactionNetwork(RenderedHTML):
    """Species, parameters, functions, observables and reactions, as terms.

    Build from reaction strings (``ReactionNetwork([("A + B -> C", k), ...])``) or
    with ``load_bionetgen``.  ``rhs()`` gives the ODE right-hand side,
    ``u0()`` the initial state, ``observable_terms()`` the observables,
    ``problem()`` a compiled ``ODEProblem``, ``observe(result)`` the observables
    along a solution.

    Attributes: ``species`` (names), ``symbols`` (their symbols), ``initial``
    (terms), ``fixed`` (bools), ``parameters`` (name -> symbol, or term for derived
    parameters), ``values`` (base parameter symbol -> float), ``functions``
    (name -> term), ``observables`` (name -> [(species index, weight)]),
    ``reactions`` (``Reaction``), ``time`` (the time symbol), ``info``, ``compartments``
    (cBNGL: name -> ``{"dimension", "volume", "parent"}``), ``species_compartment``
    (per loaded species: its compartment or ``None``).
    """

    def __init__(self, reactions: Sequence[Any] = (), *, species: Sequence[str] = (),
                 parameters: Mapping[str, float] | None = None,
                 initial: Mapping[str, float] | None = None, fixed: Sequence[str] = (),
                 observables: Mapping[str, Any] | None = None, name: str = "network") -> None:
        self.species, self.symbols, self.initial, self.fixed = [], [], [], []
        self.parameters, self.values, self.functions, self.observables = {}, {}, {}, {}
        self.reactions, self.time, self.name, self.source, self.info = [], Symbol("t"), name, \
            None, {}
        self.compartments: dict = {}
        self.species_compartment: list = []
        for k, v in (parameters or {}).items():
            self.add_parameter(k, float(v))
        for s in species:
            self.add_species(s)
        for r in reactions:
            if not isinstance(r, (tuple, list)) or len(r) != 2:
                raise ValueError(f"a reaction is (\"A + B -> C\", rate), got {r!r}")
            self._add_text_reaction(*r)
        for k, v in (initial or {}).items():
            if k not in self.species:
                raise ValueError(f"initial amount for unknown species {k!r}")
            self.initial[self.species.index(k)] = sympify_num(float(v))
        for s in fixed:
            if s not in self.species:
                raise ValueError(f"fixed species {s!r} is not in the network")
            self.fixed[self.species.index(s)] = True
        for k, v in (observables or {}).items():
            items = [(v, 1)] if isinstance(v, str) else list(v)
            obs = []
            for it in items:
                nm, w = (it, 1) if isinstance(it, str) else it
                if nm not in self.species:
                    raise ValueError(f"observable {k!r} names unknown species {nm!r}")
                obs.append((self.species.index(nm), w))
            self.observables[k] = obs

    # ----- building ----------------------------------------------------------
    def add_parameter(self, name: str, value: float) -> Symbol:
        s = Symbol(name)
        self.parameters[name] = s
        self.values[s] = float(value)
        return s

    def add_species(self, name: str, initial: Any = 0.0, fixed: bool = False,
                    symbol: Symbol | None = None) -> int:
        if name in self.species:
            raise ValueError(f"species {name!r} defined twice")
        self.species.append(name)
        self.symbols.append(symbol if symbol is not None else Symbol(name))
        self.initial.append(initial if isinstance(initial, Term) else sympify_num(float(initial)))
        self.fixed.append(bool(fixed))
        return len(self.species) - 1

    def _index(self, name: str) -> int:
        if name not in self.species:
            self.add_species(name)
        return self.species.index(name)

    def _side(self, text: str) -> list[int]:
        out: list[int] = []
        text = text.strip()
        if text in ("", "0", "∅"):
            return out
        for part in text.split("+"):
            part = part.strip()
            m = re.fullmatch(r"(\d+)\s*\*?\s*(.+)", part)
            n, nm = (int(m.group(1)), m.group(2).strip()) if m else (1, part)
            if not nm or nm == "0":
                raise ValueError(f"bad species term {part!r}")
            out.extend([self._index(nm)] * n)
        return out

    def _add_text_reaction(self, text: str, rate: Any) -> None:
        if "->" not in text:
            raise ValueError(f"reaction {text!r} has no '->'")
        reversible = "<->" in text
        lhs, rhs = text.split("<->" if reversible else "->", 1)
        reac, prod = self._side(lhs), self._side(rhs)
        if reversible:
            if not isinstance(rate, (tuple, list)) or len(rate) != 2:
                raise ValueError(f"reversible reaction {text!r} needs (forward, reverse) rates")
            self.reactions.append(Reaction(tuple(reac), tuple(prod), self._rate(rate[0]),
                                           label=text))
            self.reactions.append(Reaction(tuple(prod), tuple(reac), self._rate(rate[1]),
                                           label=text + " (reverse)"))
        else:
            self.reactions.append(Reaction(tuple(reac), tuple(prod), self._rate(rate), label=text))

    def _rate(self, rate: Any) -> Term:
        if isinstance(rate, Term):
            return rate
        if isinstance(rate, str):
            from ..terms.parse import parse
            from ..terms.functions import FUNCTIONS
            return parse(rate, names=dict(self.parameters, t=self.time), functions=FUNCTIONS,
                         strict=True)
        return sympify_num(float(rate))

    # ----- terms ----------------------------------------------------------------
    def rate_terms(self) -> list:
        """The rate of each reaction as a term (species symbols, parameters, t)."""
        X = self.symbols
        out = []
        for r in self.reactions:
            prod: Term = r.rate
            for q in r.reactants:
                prod = prod * X[q]
            if r.law == "Sat":
                if not r.reactants:
                    raise ValueError("a Sat rate law needs at least one reactant")
                prod = prod / (r.law_args[0] + X[r.reactants[0]])
            elif r.law == "MM":
                if len(r.reactants) != 2:
                    raise ValueError("an MM rate law needs exactly two reactants (S, E)")
                from ..terms.functions import sqrt
                St, Et = X[r.reactants[0]], X[r.reactants[1]]
                Km = r.law_args[0]
                b = St - Km - Et
                S = (b + sqrt(b * b + 4 * Km * St)) / 2
                prod = r.rate * Et * S / (Km + S)
            out.append(prod)
        return out

    def rhs(self) -> list:
        """``du/dt`` for every species (fixed species: 0); sums built in linear time."""
        n = len(self.species)
        acc: list = [({}, 0) for _ in range(n)]
        for r, rate in zip(self.reactions, self.rate_terms()):
            for q in r.reactants:
                d, c = acc[q]
                acc[q] = (d, acc_add(d, c, rate, -1))
            for q in r.products:
                d, c = acc[q]
                acc[q] = (d, acc_add(d, c, rate, 1))
        return [sympify_num(0) if self.fixed[i] else make_add(c, d)
                for i, (d, c) in enumerate(acc)]

    def parameter_values(self) -> dict:
        """Numeric value of every parameter, by name (derived ones evaluated)."""
        from ..terms.calculus import evaluate
        return {k: evaluate(v, self.values) for k, v in self.parameters.items()}

    def u0(self) -> np.ndarray:
        """The initial state (initial amounts evaluated with the parameter values)."""
        from ..terms.calculus import evaluate
        return np.array([evaluate(e, self.values) for e in self.initial], dtype=float)

    def observable_terms(self) -> dict:
        """Observables as terms over the species symbols."""
        out = {}
        for k, items in self.observables.items():
            d: dict = {}
            c: Any = 0
            for i, w in items:
                c = acc_add(d, c, self.symbols[i], w)
            out[k] = make_add(c, d)
        return out

    def observable_matrix(self) -> np.ndarray:
        """``W`` with ``observables = W @ u`` (rows in ``observables`` order)."""
        W = np.zeros((len(self.observables), len(self.species)))
        for r, items in enumerate(self.observables.values()):
            for i, w in items:
                W[r, i] += float(w)
        return W

    def observe(self, result: Any) -> dict:
        """Observable trajectories ``name -> array (nt,)`` from an ``ODEResult``."""
        Y = self.observable_matrix() @ np.asarray(result.y)
        return dict(zip(self.observables, Y))

    def problem(self, **kw: Any) -> Any:
        """A compiled ``ODEProblem`` (parameters as symbols with their values); keywords go
        to ``ODEProblem``, e.g. ``memory_limit="2GB"`` or ``compile_backend``."""
        from .ode import ODEProblem
        kw.setdefault("name", self.name)
        kw.setdefault("names", list(self.species))
        return ODEProblem(self.rhs(), self.symbols, dict(self.values), self.time, u0=self.u0(),
                          observables=self.observable_terms(), **kw)

    def stoichiometry(self) -> Any:
        """Net stoichiometry matrix (species × reactions) as scipy CSR."""
        import scipy.sparse as sp
        rows, cols, vals = [], [], []
        for j, r in enumerate(self.reactions):
            for q in r.reactants:
                rows.append(q); cols.append(j); vals.append(-1.0)
            for q in r.products:
                rows.append(q); cols.append(j); vals.append(1.0)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(self.species), len(self.reactions)))

    # ----- display -----------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"<ReactionNetwork {self.name}: {len(self.species)} species, "
                f"{len(self.reactions)} reactions, {len(self.parameters)} parameters, "
                f"{len(self.functions)} functions, {len(self.observables)} observables>")

    def summary(self) -> list[tuple[str, Any]]:
        """``(label, value)`` rows: source file, sizes, then ``info`` (the notebook table)."""
        rows = [("species", len(self.species)), ("fixed species", sum(self.fixed)),
                ("reactions", len(self.reactions)), ("parameters", len(self.parameters)),
                ("functions", len(self.functions)), ("observables", len(self.observables))]
        if self.compartments:
            rows.append(("compartments", ", ".join(
                f"{k} ({c['dimension']}D, {c['volume']}"
                + (f", in {c['parent']})" if c["parent"] else ")")
                for k, c in self.compartments.items())))
        if self.source:
            rows.insert(0, ("file", self.source))
        for k, v in self.info.items():
            rows.append((k, v))
        return rows

    def reaction_str(self, r: Reaction) -> str:
        """One reaction as text: ``A + B -> C  [rate]``."""
        side = lambda ix: " + ".join(self.species[i] for i in ix) or "0"  # noqa: E731
        law = f"{r.law}({r.rate}, {', '.join(map(str, r.law_args))})" if r.law != "mass-action" \
            else str(r.rate)
        return f"{side(r.reactants)} -> {side(r.products)}  [{law}]"
