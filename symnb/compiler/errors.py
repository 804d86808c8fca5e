"""Errors raised by the compiler.

>>> err = CompileError("numba could not type it", source="def f(x):\\n    return g(x)", line=2)
>>> print(err)
numba could not type it
  generated source line 2:     return g(x)
"""
from __future__ import annotations

__all__ = ["CompileError"]


class CompileError(RuntimeError):
    """numba failed to type or compile the generated source.

    ``source`` is the full generated module, ``line`` the 1-based line numba
    complained about (``None`` if it named none).
    """

    def __init__(self, message: str, source: str = "", line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        text = message
        lines = source.splitlines()
        if line is not None and 1 <= line <= len(lines):
            text += f"\n  generated source line {line}: {lines[line - 1]}"
        super().__init__(text)
