"""The refusal symnb gives when a computation would outgrow its budget.

``LimitExceeded`` lives in the lowest layer that raises it (the term core) and is
re-exported by :mod:`symnb.errors`.  Its message is one line naming the input (abbreviated),
the estimated size, the limit and the keyword or ``symnb.config`` field that raises it:

>>> raise LimitExceeded("expand", "(x + 1)^5000000", "terms", 5000001, 1000000,
...                     "max_terms", "max_expand_terms")
Traceback (most recent call last):
  ...
symnb.terms.limits.LimitExceeded: expand((x + 1)^5000000): about 5000001 terms, limit 1000000; pass max_terms=... or set symnb.config.max_expand_terms
>>> abbreviate("x + " * 40 + "y", 20)
'x + x + … x + x + y'
"""
from __future__ import annotations

from typing import Any

__all__ = ["LimitExceeded", "DepthExceeded", "abbreviate"]


def abbreviate(text: Any, width: int = 60) -> str:
    """``str(text)`` on one line, cut in the middle to at most ``width`` characters."""
    s = " ".join(str(text).split())
    if len(s) <= width:
        return s
    half = (width - 3) // 2
    return f"{s[:half].rstrip()} … {s[len(s) - (width - 3 - half):].lstrip()}"


def _shown(what: Any) -> str:
    """Abbreviated text of an input; a term too deep to print shows its kind."""
    try:
        return abbreviate(what)
    except RecursionError:
        return f"<{type(what).__name__} too deeply nested to print>"


class LimitExceeded(ValueError):
    """A computation refused because its estimated result exceeds a limit.

    Attributes: ``operation``, ``estimate``, ``limit``, ``keyword`` (raises the limit for
    one call) and ``field`` (the ``symnb.config`` default)."""

    def __init__(self, operation: str, what: Any, unit: str, estimate: Any, limit: Any,
                 keyword: str | None = None, field: str | None = None) -> None:
        self.operation, self.unit = operation, unit
        self.estimate, self.limit = estimate, limit
        self.keyword, self.field = keyword, field
        how = []
        if keyword:
            how.append(f"pass {keyword}=...")
        if field:
            how.append(f"set symnb.config.{field}")
        fix = f"; {' or '.join(how)}" if how else ""
        about = f"about {estimate} {unit}, " if estimate is not None else ""
        super().__init__(f"{operation}({_shown(what)}): {about}limit {limit}{fix}")


class DepthExceeded(LimitExceeded):
    """A term nested too deeply for a recursive algorithm (printing, conversion)."""

    def __init__(self, operation: str) -> None:
        self.operation, self.unit, self.estimate = operation, "levels", None
        self.limit, self.keyword, self.field = "the recursion limit", None, None
        ValueError.__init__(self, f"{operation}: expression nested too deeply (beyond Python's "
                            f"recursion limit); build it with fewer nested levels")
