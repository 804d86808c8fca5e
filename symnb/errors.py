"""Errors symnb raises for bad input; each message is one line naming the problem.

Every one is a ``ValueError``: ``ParseError`` (malformed text), ``EvaluationError`` (no
numeric value), ``LimitExceeded`` (a result would outgrow its budget; names the keyword or
``symnb.config`` field that raises it) and its ``DepthExceeded`` (nested too deeply).

>>> from symnb.errors import LimitExceeded
>>> issubclass(LimitExceeded, ValueError)
True
"""
from .terms.calculus import EvaluationError
from .terms.limits import DepthExceeded, LimitExceeded
from .terms.parse import ParseError

__all__ = ["ParseError", "EvaluationError", "LimitExceeded", "DepthExceeded"]
