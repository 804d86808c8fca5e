"""Models: ODE problems and solves, reaction networks (+ BioNetGen ``.net``), reaction–diffusion.

Submodules load on first use (scipy, numba, scikit-sundae and plotly are
imported only when a model is built or solved).
"""
from __future__ import annotations

from typing import Any

_LAZY = {
    "ODEProblem": "ode", "ODEResult": "ode", "solve": "ode", "SolveError": "ode",
    "ReactionNetwork": "network", "Reaction": "network",
    "load_bionetgen": "bionetgen", "NetworkFormatError": "bionetgen", "read_gdat": "bionetgen",
    "reaction_diffusion_3species": "reaction_diffusion", "ReactionDiffusion": "reaction_diffusion",
    "brusselator_2d": "reaction_diffusion", "Brusselator2D": "reaction_diffusion",
    "register_integrator": "integrators", "integrator_names": "integrators",
    "Integrator": "integrators",
    "solve_ensemble": "ensemble", "EnsembleResult": "ensemble",
    "MemoryLimitExceeded": "memory", "estimate_compile_memory": "memory",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'symnb.models' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f"symnb.models.{mod}"), name)
    globals()[name] = value
    return value
