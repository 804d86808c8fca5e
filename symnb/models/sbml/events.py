"""SBML events without delays: triggers, persistence, initial values, priorities and
``useValuesFromTriggerTime``, executed in one instant.

``EventSet`` holds every event's trigger, priority and assignment terms, compiled into
one function ``values(u, p, t)``, and the trigger's root functions (``a - b`` of each
relational, for CVODE's root finding).  ``fire(state)`` runs all events that fire at
the current instant: those whose trigger went from false to true; the highest priority
first (ties in document order); a non-persistent event whose trigger turns false
before it runs is dropped; events triggered by an execution join the queue.

An equality ``a == b`` in a trigger holds only at an instant, which floating point
rarely hits: each ``eq(a, b)`` is compiled as ``eq(a, b) or touch_i``, where ``touch_i``
(an extra input, 1 while the integrator stands on a root of ``a - b``: CVODE found it
there, or ``a - b`` is exactly 0) makes the trigger true at the root, so it goes false ->
true -> false and the event fires once.  Likewise ``neq(a, b)`` becomes ``neq(a, b) and not
touch_i``: false at the root and true just after it, so the event fires just after the
root (the caller runs ``fire`` again just after an instant where a touch input is on: a
trigger such as ``not(a == b)`` also turns true only then).

>>> from symnb.models.sbml.model import load_sbml
>>> from symnb.models.sbml.simulate import EXAMPLE
>>> ev = load_sbml(EXAMPLE).events
>>> [e.id for e in ev.events], [str(g) for g in ev.roots], ev.equalities
(['reset'], ['-1.5 + __sbml_time__'], [])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ...terms import functions as F
from ...terms.calculus import subs
from ...terms.core import Symbol, Term, postorder, sympify_num
from ...terms.interface import arguments, iscall, operation
from .errors import SBMLError
from .mathml import relations
from .system import TIME

__all__ = ["Event", "EventSet", "MAX_FIRINGS"]

MAX_FIRINGS = 10_000
"""Event executions allowed in one instant before the simulation stops with an error."""


@dataclass
class Event:
    """One event: id, trigger flags, and (target, slot in the values vector) assignments."""

    id: str
    initial_value: bool
    persistent: bool
    use_trigger_time: bool
    targets: list


class EventSet:
    """The events of an ``SBMLSystem`` (see the module doc)."""

    def __init__(self, system: Any, compile_fn: Callable) -> None:
        self.events: list[Event] = []
        self.roots: list[Term] = []
        self.equalities: list[int] = []     # indices into roots of the triggers' eq/neq
        terms: list[Term] = []
        for e in system.model.getListOfEvents():
            eid = e.getId() or f"event{len(self.events)}"
            if not e.isSetTrigger() or not e.getTrigger().isSetMath():
                continue     # an event without a trigger never fires
            trig = e.getTrigger()
            base = len(self.roots)
            self.roots.extend(relations(trig.getMath(), system.value, TIME,
                                        system.functions, system.rate_of))
            terms.append(self._touchable(system.term(trig.getMath()), base))
            prio = e.getPriority() if e.isSetPriority() else None
            terms.append(system.term(prio.getMath()) if prio is not None and prio.isSetMath()
                         else sympify_num(float("-inf")))
            targets = []
            for a in e.getListOfEventAssignments():
                var = a.getVariable()
                if var not in system.kind or system.kind[var] == "reaction":
                    raise SBMLError(f"event {eid!r} assigns an unknown id {var!r}")
                if var in system.assignment:
                    raise SBMLError(f"event {eid!r} assigns {var!r}, which an assignment rule "
                                    f"determines")
                if not a.isSetMath():
                    continue
                targets.append((var, len(terms)))
                terms.append(system.term(a.getMath()))
            # species first: a concentration becomes an amount with the size before the event
            targets.sort(key=lambda x: system.kind[x[0]] != "species")
            self.events.append(Event(
                eid, bool(trig.getInitialValue()) if trig.isSetInitialValue() else True,
                bool(trig.getPersistent()) if trig.isSetPersistent() else True,
                bool(e.getUseValuesFromTriggerTime()) if e.isSetUseValuesFromTriggerTime()
                else True, targets))
        self.n_roots = len(self.roots)
        self.values = compile_fn(terms, [_touch(i) for i in self.equalities]) if terms else None
        self.n_values = len(terms)

    def _touchable(self, trigger: Term, base: int) -> Term:
        """``trigger`` with each ``eq(a, b)`` whose ``a - b`` is one of the roots from
        ``base`` on replaced by ``Or(eq(a, b), touch_i)`` and each such ``neq(a, b)`` by
        ``And(neq(a, b), Not(touch_i))`` (see the module doc)."""
        index = {g: i for i, g in enumerate(self.roots) if i >= base}
        swap: dict = {}
        for node in postorder(trigger):
            if iscall(node) and operation(node) in (F.eq, F.ne):
                a, b = arguments(node)
                i = index.get(a - b, index.get(b - a))
                if i is None:
                    continue
                if i not in self.equalities:
                    self.equalities.append(i)
                if operation(node) is F.eq:
                    swap[node] = F.Or(node, _touch(i))
                else:
                    swap[node] = F.And(node, F.Not(_touch(i)))
        return subs(trigger, swap) if swap else trigger

    def touching(self, g: np.ndarray, found: np.ndarray | None = None) -> np.ndarray | None:
        """The touch inputs (1.0 or 0.0, ``equalities`` order) at an instant where the root
        functions are ``g`` and CVODE reported the roots ``found`` (nonzero entries), or
        ``None`` when no trigger has an equality."""
        if not self.equalities:
            return None
        idx = np.asarray(self.equalities, dtype=np.int64)
        hit = g[idx] == 0.0
        if found is not None:
            hit |= np.asarray(found)[idx] != 0
        return hit.astype(float)

    def departs(self, touch: np.ndarray | None) -> bool:
        """Whether ``touch`` (from ``touching``) stands on the root of an ``eq``/``neq``:
        its trigger may turn true just after this instant (``neq``, ``not(a == b)``)."""
        return touch is not None and bool(np.any(touch))

    def __len__(self) -> int:
        return len(self.events)

    def evaluate(self, u: np.ndarray, p: np.ndarray, t: float,
                 touch: np.ndarray | None = None) -> np.ndarray:
        """Trigger (slot 2k), priority (2k+1) and assignment values at ``(u, p, t)``, with
        the equalities' ``touch`` inputs (all 0 when ``None``)."""
        out = np.empty(self.n_values)
        if self.equalities:
            p = np.concatenate([p, touch if touch is not None
                                else np.zeros(len(self.equalities))])
        self.values(out, u, p, t)
        return out

    def triggers(self, vals: np.ndarray) -> np.ndarray:
        idx = self._trigger_slots()
        return vals[idx] != 0.0

    def _trigger_slots(self) -> np.ndarray:
        slots = getattr(self, "_slots", None)
        if slots is None:
            slots, k = [], 0
            for e in self.events:
                slots.append(k)
                k += 2 + len(e.targets)
            self._slots = slots = np.array(slots, dtype=np.int64)
        return slots

    def fire(self, u: np.ndarray, p: np.ndarray, t: float, prev: np.ndarray,
             apply: Callable[..., None], probe: Callable | None = None,
             touch: np.ndarray | None = None) -> tuple:
        """Run the events that fire at ``t``; return (u, p, trigger states, executions).

        ``prev`` holds each trigger's value just before ``t``; ``apply(var, value, u, p, t)``
        writes one assignment into ``u``/``p`` (in place).  ``probe(u, p) -> (u', p, t')``, a
        state just after a root of a trigger, decides which triggers are true there (at the
        root itself a relation such as ``S < 0.75`` holds with equality); ``touch`` (from
        ``touching``) marks the equalities standing on their root at this instant."""
        slots = self._trigger_slots()

        def truth(vals: np.ndarray) -> np.ndarray:
            if probe is not None:
                vals = self.evaluate(*probe(u, p), touch)
            return vals[slots] != 0.0
        vals = self.evaluate(u, p, t, touch)
        now = truth(vals)
        pending: list = []
        self._enqueue(pending, prev, now, vals)
        fired = 0
        while pending:
            if fired:
                vals = self.evaluate(u, p, t, touch)
                now = truth(vals)
                pending = [(k, v) for k, v in pending if self.events[k].persistent or now[k]]
                if not pending:
                    break
            best = max(range(len(pending)),
                       key=lambda i: (vals[slots[pending[i][0]] + 1], -pending[i][0]))
            k, stored = pending.pop(best)
            ev = self.events[k]
            assigned = stored if stored is not None else [vals[j] for _, j in ev.targets]
            for (var, _), value in zip(ev.targets, assigned):
                apply(var, float(value), u, p, t)
            fired += 1
            if fired > MAX_FIRINGS:
                raise SBMLError(f"more than {MAX_FIRINGS} event executions at t={t:g}: "
                                f"events keep triggering each other")
            after = self.evaluate(u, p, t, touch)
            new = truth(after)
            self._enqueue(pending, now, new, after)
            now = new
        return u, p, now, fired

    def _enqueue(self, pending: list, before: np.ndarray, after: np.ndarray,
                 vals: np.ndarray) -> None:
        for k in np.flatnonzero(after & ~before):
            ev = self.events[int(k)]
            stored = [vals[j] for _, j in ev.targets] if ev.use_trigger_time else None
            pending.append((int(k), stored))


def _touch(i: int) -> Symbol:
    """The touch input of root function ``i`` (not a valid SBML id, so it cannot clash)."""
    return Symbol(f"__sbml_touch{i}__")
