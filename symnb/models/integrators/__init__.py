"""ODE integrators: a name -> backend registry that ``symnb.solve_ode`` dispatches through.

A backend is an object with ``name``, ``methods`` (the first is the default),
``options`` (its extra keyword options), ``stats_keys`` (the ``ODEResult.stats`` keys
it fills) and ``solve(problem, u0, t_span, *, p, t_eval, rtol, atol, method,
max_steps, first_step, **options) -> ODEResult``.  ``u0`` and ``t_span`` arrive
checked (float arrays), ``p`` as the problem's parameter vector.  Shipped:
``"cvode"`` (SUNDIALS CVODE via scikit-sundae, :mod:`.cvode`) and ``"scipy"``
(``scipy.integrate.solve_ivp``, :mod:`.scipy_ivp`).  Adding one is one module and one
``register_integrator(name, backend)``.

>>> integrator_names()
['cvode', 'scipy']
>>> get_integrator("scipy").methods
('BDF', 'Radau', 'LSODA')
>>> get_integrator("euler")
Traceback (most recent call last):
  ...
symnb.models.ode.SolveError: unknown backend 'euler'; registered: 'cvode', 'scipy' (add one with register_integrator)
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..ode import ODEResult, SolveError
from .cvode import CVODE
from .scipy_ivp import ScipyIVP

__all__ = ["Integrator", "INTEGRATORS", "register_integrator", "get_integrator",
           "integrator_names", "COMMON_STATS", "CVODE", "ScipyIVP"]

COMMON_STATS = ("backend", "method", "nfev", "njev", "steps", "seconds", "t_reached")
"""``ODEResult.stats`` keys every integrator fills: its name, the method, RHS and Jacobian
evaluations, internal steps (``None`` when only ``t_eval`` points were returned), wall
seconds of the integration, and the last time reached."""


@runtime_checkable
class Integrator(Protocol):
    """What ``solve_ode`` needs of an ODE integrator backend (see the module doc)."""

    name: str
    methods: tuple[str, ...]
    options: tuple[str, ...]
    stats_keys: tuple[str, ...]

    def solve(self, problem: Any, u0: np.ndarray, t_span: np.ndarray, *, p: np.ndarray,
              t_eval: Any, rtol: float, atol: Any, method: str, max_steps: int,
              first_step: float | None, **options: Any) -> ODEResult: ...


INTEGRATORS: dict[str, Integrator] = {}
"""name -> integrator backend (``solve_ode(..., backend=name)``)."""


def register_integrator(name: str, backend: Integrator) -> None:
    """Make ``solve_ode(problem, ..., backend=name)`` integrate with ``backend``."""
    if not isinstance(name, str) or not name:
        raise ValueError("an integrator needs a non-empty name, e.g. register_integrator('rk', obj)")
    if not isinstance(backend, Integrator):
        raise TypeError(f"integrator {name!r} needs name, methods, options, stats_keys and "
                        f"solve(problem, u0, t_span, ...) (got {type(backend).__name__})")
    INTEGRATORS[name] = backend


def integrator_names() -> list[str]:
    """The registered integrator names, in registration order."""
    return list(INTEGRATORS)


def get_integrator(name: str) -> Integrator:
    """The integrator registered as ``name`` (SolveError listing the registered ones)."""
    backend = INTEGRATORS.get(name) if isinstance(name, str) else None
    if backend is None:
        choices = ", ".join(repr(k) for k in INTEGRATORS)
        raise SolveError(f"unknown backend {name!r}; registered: {choices} "
                         f"(add one with register_integrator)")
    return backend


register_integrator("cvode", CVODE())
register_integrator("scipy", ScipyIVP())
