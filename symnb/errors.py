"""Errors symnb raises for bad input; each message is one line naming the problem."""
from .terms.calculus import EvaluationError
from .terms.parse import ParseError

__all__ = ["ParseError", "EvaluationError"]
