"""SBML import: ``load_sbml(path_or_string)`` -> ``SBMLModel`` (read with python-libsbml,
math as symnb terms, one compiled RHS and Jacobian, events by CVODE root finding).

Modules: ``reader`` (libsbml reading and checks), ``mathml`` (MathML -> terms),
``system`` (the model as an ODE system), ``events`` (event semantics), ``simulate``
(the integration loop), ``result`` (``SBMLResult``), ``model`` (``SBMLModel``).
"""
from __future__ import annotations

from .errors import SBMLError
from .model import SBMLModel, load_sbml
from .result import SBMLResult

__all__ = ["load_sbml", "SBMLModel", "SBMLResult", "SBMLError"]
