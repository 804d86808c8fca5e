"""``SBMLError``: the one error type of the SBML importer (bad XML, libsbml errors, unsupported
constructs, initial values that cannot be computed, unknown ids in a result).

>>> raise SBMLError("unsupported construct 'delay' in event 'E1'")
Traceback (most recent call last):
  ...
symnb.models.sbml.errors.SBMLError: unsupported construct 'delay' in event 'E1'
"""
from __future__ import annotations

__all__ = ["SBMLError"]


class SBMLError(ValueError):
    """An SBML model that cannot be read, checked or simulated; the message says why."""
