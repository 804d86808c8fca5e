"""``load_sbml(path_or_string)`` -> ``SBMLModel``: an SBML model with a compiled RHS and
Jacobian, ready to ``simulate``.

>>> from symnb.models.sbml.simulate import EXAMPLE
>>> m = load_sbml(EXAMPLE)
>>> m
<SBMLModel 'decay': 1 species, 1 reactions, 0 rules, 1 events; 1 states>
>>> m.summary()["states"]
['A']
>>> res = m.simulate([0.0, 1.0], rtol=1e-10, atol=1e-12)
>>> round(float(res.amount("A")[-1]), 6)
0.606531
"""
from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from ...terms.core import Symbol, Term
from ...terms.limits import LimitExceeded
from .errors import SBMLError
from .events import EventSet
from .reader import check_supported, read_sbml
from .result import SBMLResult
from .system import TIME, SBMLSystem

__all__ = ["SBMLModel", "load_sbml", "NUMBA_MIN_OPS"]

NUMBA_MIN_OPS = 1000
"""RHS size (operations of the DAG) from which a model is compiled with numba; smaller
models use the ``python`` backend.  Measured here (BioNetGen networks, RHS only; python
backend compile / call vs numba compile / call): 297 ops 0.007 s / 13 us vs 0.87 s /
1.3 us; 1,762 ops 0.11 s / 660 us vs 1.1 s / 8 us.  A simulation makes some hundreds to
a few thousand RHS and Jacobian calls, so numba's second of compile pays from about a
thousand operations on; every case of the SBML test suite stays below (python)."""


class SBMLModel:
    """An SBML model read by ``load_sbml``: ``system`` (the terms), ``problem()`` (the
    compiled ``ODEProblem``), ``simulate(times)``, ``summary()`` (plain data)."""

    def __init__(self, doc: Any, compile_backend: str | None = None) -> None:
        check_supported(doc)
        self.doc = doc
        m = doc.getModel()
        self.id = m.getId() or m.getName() or "model"
        self.system = s = SBMLSystem(m)
        self.u0 = np.array(s.state_values() or [0.0], dtype=float)   # one dummy state,
        self.p0 = np.array(s.param_values() or [0.0], dtype=float)   # one dummy parameter
        self.ids = [k for k in s.kind]
        self._state_index = {str(x): i for i, x in enumerate(s.states)}
        self._param_index = {str(x): i for i, x in enumerate(s.params)}
        if compile_backend is None:
            from ...terms.calculus import count_ops
            ops = sum(count_ops(e, dag=True) for e in s.rhs)
            compile_backend = "python" if ops < NUMBA_MIN_OPS else "numba"
        self.compile_backend = compile_backend
        self._problem = None
        self._obs = None
        self._roots = None
        self.events = EventSet(s, self._compile)

    # ---- compiled pieces ---------------------------------------------------------------
    def _args(self, extra: Sequence[Symbol] = ()) -> list:
        s = self.system
        states = s.states or [Symbol("__sbml_dummy__")]
        return [states, (s.params or [Symbol("__sbml_nop__")]) + list(extra), TIME]

    def _compile(self, terms: Sequence[Term], extra: Sequence[Symbol] = ()) -> Any:
        """Compiled ``f(out, u, p, t)``; ``extra`` symbols are read after the parameters
        (``p`` then holds them at its end)."""
        from ...compiler import compile_array
        return _ieee_at_t(compile_array(list(terms), self._args(extra), inplace=True,
                                        backend=self.compile_backend,
                                        names=["u", "p", "t"]).func)

    def problem(self, memory_limit: Any = None) -> Any:
        """The ``ODEProblem`` (compiled RHS and sparse Jacobian), built on first use;
        ``memory_limit`` (bytes or ``"2GB"``) refuses a model whose estimated compile
        memory passes it (default ``symnb.config.compile_memory_limit``)."""
        if self._problem is None:
            from ..ode import ODEProblem
            from ...terms.core import sympify_num
            s = self.system
            rhs = s.rhs if s.states else [sympify_num(0)]
            states, params, t = self._args()
            pmap = dict(zip(params, self.p0))
            kw = dict(t=t, u0=self.u0, names=[str(x) for x in states],
                      compile_backend=self.compile_backend, name=self.id,
                      memory_limit=memory_limit)
            try:
                self._problem = ODEProblem(rhs, states, pmap, **kw)
            except LimitExceeded:
                raise
            except ValueError:   # a function without a derivative: CVODE's own Jacobian
                self._problem = ODEProblem(rhs, states, pmap, jac=False, **kw)
            for c in (self._problem.rhs_compiled, self._problem.jac_compiled):
                if c is not None and self.compile_backend != "numba":
                    c.func = _ieee_at_t(c.func)   # CVODE passes t as a Python float
        return self._problem

    def roots_function(self) -> Any:
        """Compiled ``g(out, u, p, t)`` of the event triggers' root functions."""
        if self._roots is None:
            self._roots = self._compile(self.events.roots)
        return self._roots

    def _observe(self) -> Any:
        if self._obs is None:
            self._obs = self._compile([self.system.value(k) for k in self.ids])
        return self._obs

    def values_at(self, u: np.ndarray, p: np.ndarray, t: float) -> np.ndarray:
        """The value of every id (``ids`` order) at ``(u, p, t)``."""
        out = np.empty(len(self.ids))
        self._observe()(out, np.ascontiguousarray(u, dtype=float), p, t)
        return out

    def apply(self, var: str, value: float, u: np.ndarray, p: np.ndarray, t: float) -> None:
        """Set ``var`` to its SBML ``value`` in the state ``u`` or parameters ``p``."""
        s = self.system
        sp = s.species.get(var)
        if sp is not None and not sp.getHasOnlySubstanceUnits():
            vals = self.values_at(u, p, t)
            value = value * vals[self.ids.index(sp.getCompartment())]
        if var in self._state_index:
            u[self._state_index[var]] = value
        elif var in self._param_index:
            p[self._param_index[var]] = value
        else:
            raise SBMLError(f"cannot assign {var!r}: it is set by a rule")

    # ---- simulation --------------------------------------------------------------------
    def simulate(self, times: Any, *, rtol: float = 1e-8, atol: float = 1e-12,
                 max_steps: int = 100_000) -> SBMLResult:
        """Simulate at the output ``times`` (the first is the start time); values of every
        species, compartment, parameter, reaction and species reference by id."""
        from .simulate import run
        if np.ndim(times) == 0:
            times = np.linspace(0.0, float(times), 101)
        t, U, P, ok, msg, stats = run(self, times, rtol=rtol, atol=atol, max_steps=max_steps)
        V = np.array([self.values_at(u, p, tt)
                      for u, p, tt in zip(U, P, t)]).reshape(len(t), len(self.ids))
        values = {k: V[:, i] for i, k in enumerate(self.ids)}
        species = {k: (x.getCompartment(), bool(x.getHasOnlySubstanceUnits()))
                   for k, x in self.system.species.items()}
        return SBMLResult(t, values, species, success=ok, message=msg, stats=stats)

    # ---- description -------------------------------------------------------------------
    def summary(self) -> dict:
        """Plain data: species, reactions, rules, events, states, parameters, backend."""
        s = self.system
        return {"id": self.id, "species": list(s.species), "reactions": list(s.reactions),
                "compartments": list(s.compartments), "parameters": list(s.parameters),
                "assignment rules": list(s.assignment), "rate rules": list(s.rate),
                "initial assignments": list(s.initial),
                "events": [e.id for e in self.events.events],
                "states": [str(x) for x in s.states], "compile backend": self.compile_backend}

    def __repr__(self) -> str:
        s = self.system
        return (f"<SBMLModel {self.id!r}: {len(s.species)} species, {len(s.reactions)} "
                f"reactions, {len(s.assignment) + len(s.rate)} rules, {len(self.events)} "
                f"events; {len(s.states)} states>")


def _ieee_at_t(f: Any) -> Any:
    """``f(out, u, p, t)`` with ``t`` a ``numpy.float64`` and IEEE results (``1/0 = inf``):
    Python floats would raise ZeroDivisionError in the python backend's code."""
    f64 = np.float64

    def call(out: np.ndarray, u: np.ndarray, p: np.ndarray, t: float) -> None:
        with np.errstate(all="ignore"):
            f(out, u, p, f64(t))
    return call


def load_sbml(source: str | os.PathLike, *, compile_backend: str | None = None) -> SBMLModel:
    """Read an SBML model (a file path or an XML string) with python-libsbml.

    ``compile_backend``: ``None`` picks ``python`` below ``NUMBA_MIN_OPS`` RHS operations
    and ``numba`` above.  Errors (bad XML, libsbml errors with line numbers, unsupported
    constructs, initial values that cannot be computed) raise ``SBMLError``."""
    return SBMLModel(read_sbml(source), compile_backend=compile_backend)
