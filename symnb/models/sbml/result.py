"""``SBMLResult``: a simulated SBML time course, indexed by SBML id.

``res[id]`` is the value as SBML defines it (a concentration for species without
``hasOnlySubstanceUnits``), ``res.amount(id)`` and ``res.concentration(id)`` convert
species (for compartments, parameters and species references both are the value).

>>> import numpy as np
>>> r = SBMLResult(np.array([0.0, 1.0]), {"A": np.array([1.0, 0.5]),
...                "c": np.array([2.0, 2.0])}, {"A": ("c", False)})
>>> r["A"].tolist(), r.amount("A").tolist(), r.concentration("A").tolist()
([1.0, 0.5], [2.0, 1.0], [1.0, 0.5])
>>> r["B"]
Traceback (most recent call last):
  ...
KeyError: "no id 'B' in this result; ids: A, c"
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

__all__ = ["SBMLResult"]


class SBMLResult:
    """Time course: ``t`` and one array per SBML id (see the module doc)."""

    def __init__(self, t: np.ndarray, values: Mapping[str, np.ndarray],
                 species: Mapping[str, tuple[str, bool]], *, success: bool = True,
                 message: str = "", stats: dict | None = None) -> None:
        self.t = np.asarray(t, dtype=float)
        self.values = dict(values)
        self.species = dict(species)   # id -> (compartment, hasOnlySubstanceUnits)
        self.success = success
        self.message = message
        self.stats = dict(stats or {})

    @property
    def ids(self) -> list[str]:
        return list(self.values)

    def __getitem__(self, name: str) -> np.ndarray:
        v = self.values.get(name)
        if v is None:
            raise KeyError(f"no id {name!r} in this result; ids: {', '.join(self.values)}")
        return v

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def amount(self, name: str) -> np.ndarray:
        """The amount of a species (its value for any other id)."""
        v = self[name]
        sp = self.species.get(name)
        if sp is None or sp[1]:
            return v
        return v * self[sp[0]]

    def concentration(self, name: str) -> np.ndarray:
        """The concentration of a species (its value for any other id)."""
        v = self[name]
        sp = self.species.get(name)
        if sp is None or not sp[1]:
            return v
        return v / self[sp[0]]

    def summary(self) -> list[tuple[str, Any]]:
        """Plain data for display: outcome, sizes and integrator statistics."""
        s = self.stats
        return [("success", self.success), ("message", self.message),
                ("ids × times", f"{len(self.values)} × {len(self.t)}"),
                ("events fired", s.get("events_fired", 0)), ("RHS evaluations", s.get("nfev")),
                ("wall time", f"{s.get('seconds', 0.0):.3f} s")]

    def __repr__(self) -> str:
        return (f"<SBMLResult {'success' if self.success else 'FAILED'}: {len(self.values)} "
                f"ids, {len(self.t)} times, {self.stats.get('events_fired', 0)} events fired>")
