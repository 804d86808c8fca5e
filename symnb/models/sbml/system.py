"""An SBML model as an ODE system of terms: states, parameters and the value of every id.

States are species amounts changed by reactions or rate rules, and compartments,
parameters and species references with rate rules.  Every other species, compartment,
parameter and species reference with an id is a parameter (a slot of the ``p`` vector,
so events can change it); species are always held as amounts, so a compartment that
changes leaves amounts unchanged, as SBML says.  ``value(id)`` is the term of an id as
SBML defines it (a concentration for a species without ``hasOnlySubstanceUnits``, the
expression of an assignment rule, the rate of a reaction).

>>> import libsbml
>>> doc = libsbml.readSBMLFromString(
...     '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">'
...     '<model><listOfCompartments><compartment id="c" size="2" constant="true"/>'
...     '</listOfCompartments><listOfSpecies><species id="A" compartment="c" '
...     'initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" '
...     'constant="false"/></listOfSpecies><listOfParameters><parameter id="k" value="0.5" '
...     'constant="true"/></listOfParameters><listOfReactions><reaction id="r" '
...     'reversible="false"><listOfReactants><speciesReference species="A" stoichiometry="1" '
...     'constant="true"/></listOfReactants><kineticLaw><math '
...     'xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>A</ci>'
...     '<ci>c</ci></apply></math></kineticLaw></reaction></listOfReactions></model></sbml>')
>>> s = SBMLSystem(doc.getModel())
>>> [str(x) for x in s.states], [str(e) for e in s.rhs]
(['A'], ['-A*k'])
>>> str(s.value("A")), s.param_values()
('A/c', [2.0, 0.5])
"""
from __future__ import annotations

from typing import Any, Callable

from ...terms.calculus import diff, evaluate
from ...terms.core import Symbol, Term, sympify_num
from .errors import SBMLError
from .mathml import to_term

__all__ = ["SBMLSystem", "TIME"]

TIME = Symbol("__sbml_time__")
"""The time symbol of every SBML system (not a valid SBML id, so it cannot clash)."""


class SBMLSystem:
    """The ODE system of a libsbml ``Model`` (see the module doc)."""

    def __init__(self, model: Any, t0: float = 0.0) -> None:
        m = model
        self.model = m
        self.t0 = float(t0)
        self.functions = {f.getId(): f.getMath() for f in m.getListOfFunctionDefinitions()
                          if f.isSetMath()}
        self.kind: dict[str, str] = {}
        self.compartments = {c.getId(): c for c in m.getListOfCompartments()}
        self.species = {s.getId(): s for s in m.getListOfSpecies()}
        self.parameters = {p.getId(): p for p in m.getListOfParameters()}
        self.reactions = {r.getId(): r for r in m.getListOfReactions()}
        self.species_refs: dict[str, Any] = {}
        for r in m.getListOfReactions():
            for sr in list(r.getListOfReactants()) + list(r.getListOfProducts()):
                if sr.isSetId():
                    self.species_refs[sr.getId()] = sr
        for kind, table in (("compartment", self.compartments), ("species", self.species),
                            ("parameter", self.parameters), ("reaction", self.reactions),
                            ("species reference", self.species_refs)):
            for k in table:
                self.kind[k] = kind
        self.assignment: dict[str, Any] = {}
        self.rate: dict[str, Any] = {}
        for r in m.getListOfRules():
            if not r.isSetMath():     # a rule without math has no effect
                continue
            var = r.getVariable()
            if var not in self.kind:
                raise SBMLError(f"rule for unknown id {var!r}")
            (self.assignment if r.isAssignment() else self.rate)[var] = r.getMath()
        self.initial = {ia.getSymbol(): ia.getMath() for ia in m.getListOfInitialAssignments()
                        if ia.isSetMath()}
        changing = self._reaction_species()
        self.states: list[Symbol] = []
        self.params: list[Symbol] = []
        for k, kind in self.kind.items():
            if kind == "reaction" or k in self.assignment:
                continue
            is_state = k in self.rate or (kind == "species" and k in changing)
            (self.states if is_state else self.params).append(Symbol(k))
        self._state_set = set(self.states)
        self._values: dict[str, Term] = {}
        self._busy: set = set()
        self._rhs_memo: dict[str, Term] = {}
        self._rhs_busy: set = set()
        self.rhs = [self._rhs(str(s)) for s in self.states]
        self._init: dict[str, float] = {}
        self._init_busy: list = []

    # ---- structure -------------------------------------------------------------------
    def _reaction_species(self) -> set:
        out = set()
        self._refs: dict[str, list] = {}   # species -> [(sign, species reference, reaction)]
        for r in self.reactions.values():
            for sign, lst in ((-1, r.getListOfReactants()), (1, r.getListOfProducts())):
                for sr in lst:
                    self._refs.setdefault(sr.getSpecies(), []).append((sign, sr, r.getId()))
            for sr in list(r.getListOfReactants()) + list(r.getListOfProducts()):
                s = self.species.get(sr.getSpecies())
                if s is None:
                    raise SBMLError(f"reaction {r.getId()!r} names an unknown species "
                                    f"{sr.getSpecies()!r}")
                if not s.getBoundaryCondition() and not s.getConstant():
                    out.add(s.getId())
        return out

    def term(self, math: Any, resolve: Callable[[str], Term] | None = None,
             rate_of: Callable[[str], Term] | None = None) -> Term:
        """The term of a MathML AST, ids resolved to ``value(id)``."""
        return to_term(math, resolve or self.value, TIME, self.functions,
                       rate_of or self.rate_of)

    def rate_of(self, name: str) -> Term:
        """The term of ``d value(name) / dt`` (the csymbol ``rateOf``)."""
        if name in self.assignment:
            return self.ddt(self.value(name))
        if name in self.rate:
            return self.term(self.rate[name])
        if Symbol(name) not in self._state_set:
            return sympify_num(0)
        d = self._rhs(name)
        s = self.species[name]
        if s.getHasOnlySubstanceUnits():
            return d
        v = self.value(s.getCompartment())
        return d / v - self.value(name) * self.ddt(v, skip=name) / v

    def ddt(self, term: Term, skip: str = "") -> Term:
        """The time derivative of ``term`` along the system (chain rule over the states;
        the state ``skip`` is left out)."""
        d = diff(term, TIME)
        for x in term.free_symbols:
            if x in self._state_set and str(x) != skip:
                d = d + diff(term, x) * self._rhs(str(x))
        return d

    def value(self, name: str) -> Term:
        """The term of ``name`` as SBML defines its value."""
        v = self._values.get(name)
        if v is not None:
            return v
        kind = self.kind.get(name)
        if kind is None:
            raise SBMLError(f"unknown id {name!r} in a math expression")
        if name in self._busy:
            raise SBMLError(f"assignment rules form a cycle through {name!r}")
        self._busy.add(name)
        try:
            if name in self.assignment:
                v = self.term(self.assignment[name])
            elif kind == "reaction":
                v = self._rate(self.reactions[name])
            elif kind == "species" and not self.species[name].getHasOnlySubstanceUnits():
                v = Symbol(name) / self.value(self.species[name].getCompartment())
            else:
                v = Symbol(name)
        finally:
            self._busy.discard(name)
        self._values[name] = v
        return v

    def amount(self, species: str) -> Term:
        """The amount term of a species (``value * compartment`` for concentrations)."""
        s = self.species[species]
        if species not in self.assignment:
            return Symbol(species)
        v = self.value(species)
        return v if s.getHasOnlySubstanceUnits() else v * self.value(s.getCompartment())

    def _rate(self, r: Any) -> Term:
        if not r.isSetKineticLaw() or not r.getKineticLaw().isSetMath():
            return sympify_num(0)
        kl = r.getKineticLaw()
        local = {p.getId(): sympify_num(float(p.getValue())) for p in kl.getListOfParameters()}
        local.update({p.getId(): sympify_num(float(p.getValue()))
                      for p in kl.getListOfLocalParameters()})
        return self.term(kl.getMath(), lambda n: local[n] if n in local else self.value(n),
                         lambda n: sympify_num(0) if n in local else self.rate_of(n))

    def _stoich(self, sr: Any) -> Term:
        if sr.isSetId():
            return self.value(sr.getId())
        if sr.isSetStoichiometryMath() and sr.getStoichiometryMath().isSetMath():
            return self.term(sr.getStoichiometryMath().getMath())
        v = sr.getStoichiometry()
        return sympify_num(1 if v != v else (int(v) if float(v).is_integer() else float(v)))

    def _conversion(self, s: Any) -> Term | None:
        cf = s.getConversionFactor() if s.isSetConversionFactor() else \
            self.model.getConversionFactor()
        return self.value(cf) if cf else None

    def _rhs(self, name: str) -> Term:
        hit = self._rhs_memo.get(name)
        if hit is not None:
            return hit
        if name in self._rhs_busy:
            raise SBMLError(f"the rate of {name!r} depends on itself through a compartment "
                            f"size")
        self._rhs_busy.add(name)
        try:
            out = self._rhs_memo[name] = self._rhs_of(name)
        finally:
            self._rhs_busy.discard(name)
        return out

    def _rhs_of(self, name: str) -> Term:
        if name in self.rate:
            r = self.term(self.rate[name])
            s = self.species.get(name)
            if s is None or s.getHasOnlySubstanceUnits():
                return r
            v = self.value(s.getCompartment())   # d(amount)/dt of a concentration rate rule
            return r * v + self.value(name) * self.ddt(v, skip=name)
        total = sympify_num(0)
        for sign, sr, rid in self._refs.get(name, ()):
            total = total + sign * self._stoich(sr) * self.value(rid)
        cf = self._conversion(self.species[name])
        return total * cf if cf is not None else total

    # ---- initial values --------------------------------------------------------------
    def initial_value(self, name: str) -> float:
        """The value of ``name`` at ``t0`` (initial assignments, rules and attributes)."""
        v = self._init.get(name)
        if v is not None:
            return v
        if name not in self.kind:
            raise SBMLError(f"unknown id {name!r} in an initial value")
        if name in self._init_busy:
            cycle = " -> ".join(self._init_busy[self._init_busy.index(name):] + [name])
            raise SBMLError(f"initial values cannot be computed: cyclic dependency {cycle} "
                            f"(initial assignments or assignment rules)")
        self._init_busy.append(name)
        try:
            v = self._initial(name)
        finally:
            self._init_busy.pop()
        self._init[name] = v
        return v

    def _eval(self, math: Any, local: dict | None = None) -> float:
        local = local or {}

        def res(n: str) -> Term:
            return local[n] if n in local else sympify_num(self.initial_value(n))
        def rate(n: str) -> Term:
            if n in local:
                return sympify_num(0)
            d = self.rate_of(n)
            env = {x: self.initial_amount(str(x)) for x in d.free_symbols if x is not TIME}
            env[TIME] = self.t0
            return sympify_num(evaluate(d, env))
        return evaluate(to_term(math, res, sympify_num(self.t0), self.functions, rate))

    def _initial(self, name: str) -> float:
        kind = self.kind[name]
        if name in self.initial:
            return self._eval(self.initial[name])
        if name in self.assignment:
            return self._eval(self.assignment[name])
        if kind == "species":
            s = self.species[name]
            hosu = s.getHasOnlySubstanceUnits()
            if s.isSetInitialAmount():
                a = s.getInitialAmount()
                return a if hosu else a / self.initial_value(s.getCompartment())
            if s.isSetInitialConcentration():
                c = s.getInitialConcentration()
                return c * self.initial_value(s.getCompartment()) if hosu else c
            raise SBMLError(f"species {name!r} has no initial value: set initialAmount, "
                            f"initialConcentration or an initial assignment")
        if kind == "compartment":
            c = self.compartments[name]
            return float(c.getSize()) if c.isSetSize() else 1.0
        if kind == "parameter":
            p = self.parameters[name]
            if not p.isSetValue():
                raise SBMLError(f"parameter {name!r} has no value: set value or an initial "
                                f"assignment")
            return float(p.getValue())
        if kind == "species reference":
            sr = self.species_refs[name]
            v = sr.getStoichiometry()
            return 1.0 if (v != v or not sr.isSetStoichiometry()) else float(v)
        r = self.reactions[name]
        if not r.isSetKineticLaw():
            return 0.0
        kl = r.getKineticLaw()
        local = {p.getId(): sympify_num(float(p.getValue()))
                 for lst in (kl.getListOfParameters(), kl.getListOfLocalParameters())
                 for p in lst}
        return self._eval(kl.getMath(), local)

    def initial_amount(self, name: str) -> float:
        """The stored initial number of a state or parameter symbol (amount for species)."""
        v = self.initial_value(name)
        s = self.species.get(name)
        if s is not None and not s.getHasOnlySubstanceUnits():
            v = v * self.initial_value(s.getCompartment())
        return v

    def state_values(self) -> list[float]:
        """Initial values of ``states`` (amounts for species)."""
        return [self.initial_amount(str(s)) for s in self.states]

    def param_values(self) -> list[float]:
        """Initial values of ``params`` (amounts for species)."""
        return [self.initial_amount(str(s)) for s in self.params]
