"""``TraceError``: numpy code that cannot run on symbolic arrays, with the user's line."""
from __future__ import annotations

import linecache
import os
import sys
from types import FrameType, TracebackType

__all__ = ["TraceError", "user_location", "location_from_traceback"]

_SKIP = (os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
         os.path.dirname(os.path.abspath(__import__("numpy").__file__)))


def _is_user(filename: str) -> bool:
    f = os.path.abspath(filename)
    return not any(f.startswith(s + os.sep) for s in _SKIP) and "<__array_function__" not in f


def _describe(filename: str, lineno: int, func: str) -> str:
    src = linecache.getline(filename, lineno).strip()
    where = f"line {lineno} of {os.path.basename(filename)} (in {func})"
    return f"{where}: {src}" if src else where


def user_location(skip: int = 1) -> str | None:
    """``"line N of file.py (in f): source"`` for the innermost caller outside symnb/numpy."""
    frame: FrameType | None = sys._getframe(skip)
    while frame is not None:
        if _is_user(frame.f_code.co_filename):
            return _describe(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)
        frame = frame.f_back
    return None


def location_from_traceback(tb: TracebackType | None) -> str | None:
    """The innermost user frame (outside symnb and numpy) of a traceback."""
    found = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if _is_user(code.co_filename):
            found = _describe(code.co_filename, tb.tb_lineno, code.co_name)
        tb = tb.tb_next
    return found


class TraceError(TypeError):
    """Code that cannot be traced: ``reason``, ``fix`` and ``location`` (the user's line)."""

    def __init__(self, reason: str, fix: str = "", location: str | None = None) -> None:
        self.reason = reason
        self.fix = fix
        self.location = location if location is not None else user_location(2)
        msg = reason
        if self.location:
            msg = f"{self.location}: {reason}"
        if fix:
            msg += f"; fix: {fix}"
        super().__init__(msg)
