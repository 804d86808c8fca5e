"""The SBML integration loop: CVODE from output time to output time, stopping at the
roots of event triggers, running the events that fire and restarting the integrator.

>>> from symnb.models.sbml import load_sbml
>>> m = load_sbml(EXAMPLE)
>>> res = m.simulate([0.0, 1.0, 2.0], rtol=1e-10, atol=1e-12)
>>> [round(float(v), 6) for v in res["A"]]     # exp(-t/2), then 2*exp(-(t-1.5)/2)
[1.0, 0.606531, 1.557602]
"""
from __future__ import annotations

import time
from typing import Any, Sequence

import numpy as np

from .errors import SBMLError

__all__ = ["run", "EXAMPLE", "ROOT_SNAP"]

ROOT_SNAP = 1e-12
"""A root found within ``ROOT_SNAP * max(1, |t|)`` after an output time (CVODE stops at
``tstop`` just before a root it then finds one rounding step later) counts as on it."""

EXAMPLE = (
    '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">'
    '<model id="decay"><listOfCompartments><compartment id="c" size="1" constant="true"/>'
    '</listOfCompartments><listOfSpecies><species id="A" compartment="c" initialAmount="1" '
    'hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>'
    '</listOfSpecies><listOfParameters><parameter id="k" value="0.5" constant="true"/>'
    '</listOfParameters><listOfReactions><reaction id="r" reversible="false">'
    '<listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/>'
    '</listOfReactants><kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply>'
    '<times/><ci>k</ci><ci>A</ci></apply></math></kineticLaw></reaction></listOfReactions>'
    '<listOfEvents><event id="reset" useValuesFromTriggerTime="true"><trigger '
    'initialValue="true" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML">'
    '<apply><geq/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/'
    'time">t</csymbol><cn>1.5</cn></apply></math></trigger><listOfEventAssignments>'
    '<eventAssignment variable="A"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>2'
    '</cn></math></eventAssignment></listOfEventAssignments>'
    '</event></listOfEvents></model></sbml>')
"""A one-species decay with one event (used in doctests)."""


def run(model: Any, times: Sequence[float], *, rtol: float, atol: float,
        max_steps: int = 100_000) -> tuple:
    """Integrate ``model`` (an ``SBMLModel``); return (times, U, P, success, message, stats).

    ``U`` and ``P`` at an output time are the state and parameters after the events
    whose trigger turns true *at* that time (``time >= 5``, ``time == 5``, as at the start
    time, where the SBML Test Suite's expected results show the values after the events
    that fire at t0); an event whose trigger turns true only just after it (``time > 5``,
    ``time != 5``, ``time > 0`` at t0) shows at the next output time, as in libroadrunner.
    A ``neq(a, b)`` is false on a root of ``a - b`` and true just after: its event fires
    just after."""
    from ..integrators.cvode import CVODE, single_thread
    ts = np.asarray(times, dtype=float).ravel()
    if ts.size == 0 or np.any(np.diff(ts) < 0):
        raise SBMLError("simulate needs increasing output times, e.g. np.linspace(0, 10, 101)")
    prob, ev = model.problem(), model.events
    t = float(ts[0])
    u = np.array(model.u0, dtype=float)
    p = np.array(model.p0, dtype=float)
    w0 = time.perf_counter()
    fired = 0
    roots = model.roots_function() if ev.n_roots else None
    gbuf = np.empty(ev.n_roots)

    def touch(uu: np.ndarray, pp: np.ndarray, tt: float, found: Any = None) -> Any:
        if not ev.equalities:
            return None
        roots(gbuf, np.ascontiguousarray(uu), pp, tt)
        return ev.touching(gbuf, found)

    def after(tt: float) -> Any:      # a state just after a root of a trigger
        h = 1e-9 * max(1.0, abs(tt))

        def probe(uu: np.ndarray, pp: np.ndarray) -> tuple:
            return uu + h * prob.rhs(uu, pp, tt), pp, tt + h
        return probe
    prev = np.array([e.initial_value for e in ev.events], dtype=bool)
    later = False   # events that turn true just after a root on the coming output time
    if len(ev):
        tch = touch(u, p, t)
        u, p, prev, k = ev.fire(u, p, t, prev, model.apply, None, tch)
        fired += k
        later = True    # ``x != 0`` from x = 0, ``time > 0``: fire just after t0
    rfun = None
    if ev.n_roots:
        buf = np.empty(prob.n)

        def rfun(tt: float, y: np.ndarray, g: np.ndarray) -> None:
            buf[:] = y
            roots(g, buf, p, tt)
    solver, _ = CVODE().make_solver(prob, p, rtol=rtol, atol=atol, max_steps=max_steps,
                                    roots=rfun, num_roots=ev.n_roots)
    U, P, ok, msg, nfev = [], [], True, "success", 0
    last = -np.inf          # the last output time
    with single_thread():
        solver.init_step(t, u)
        for target in ts:
            while t < target:
                res = solver.step(float(target), method="normal", tstop=float(target))
                nfev = max(nfev, int(res.nfev or 0))
                if not res.success:
                    ok, msg = False, f"{res.message} (t={float(res.t):g})"
                    break
                t = float(res.t)
                u = np.array(res.y, dtype=float)
                root = res.status == 2
                if len(ev):
                    tch = touch(u, p, t, res.i_events[-1] if root else None)
                    on_last = root and U and t - last <= ROOT_SNAP * max(1.0, abs(t))
                    if root and t < target and not on_last:
                        u, p, prev, k = ev.fire(u, p, t, prev, model.apply, after(t), tch)
                        if ev.departs(tch):     # a ``neq`` false at the root: just after
                            u, p, prev, k2 = ev.fire(u, p, t, prev, model.apply, after(t))
                            k += k2
                    else:   # an output time: first the events whose trigger holds at it
                        u, p, prev, k = ev.fire(u, p, t, prev, model.apply, None, tch)
                        if on_last:     # a root within rounding of the last output time
                            if k:
                                U[-1], P[-1] = u.copy(), p.copy()
                            u, p, prev, k2 = ev.fire(u, p, t, prev, model.apply, after(t))
                            k += k2
                        later = not on_last and (root or ev.departs(tch))
                    fired += k
                    if k:
                        solver.init_step(t, u)
                if not root:
                    t = float(target)
            if not ok:
                break
            U.append(u.copy())
            P.append(p.copy())
            last = float(target)
            if later:       # e.g. ``time > 5`` at the output time 5: after the output
                u, p, prev, k = ev.fire(u, p, t, prev, model.apply, after(t))
                fired += k
                if k:
                    solver.init_step(t, u)
                later = False
    stats = dict(seconds=time.perf_counter() - w0, events_fired=fired, nfev=nfev)
    return ts[:len(U)], np.array(U), np.array(P), ok, msg, stats
