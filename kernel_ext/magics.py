"""The symnb magics.  Each one parses its line, calls symnb, and shows the result.

User mistakes are reported as one red line (no traceback); the kernel stays usable.
"""
from __future__ import annotations

import re
import sys
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class

import symnb

_DECL = re.compile(r"^([A-Za-z_][A-Za-z_0-9]*)(?:\[(\d+(?:\s*,\s*\d+)*)\])?$")


class UsageError(ValueError):
    """A mistake in a magic's arguments."""


def report(exc: BaseException) -> None:
    """Print a one-line error in red on stderr (rendered red in notebooks)."""
    msg = exc.one_line if hasattr(exc, "one_line") else str(exc).splitlines()[0]
    print(f"symnb: {msg}", file=sys.stderr)


@magics_class
class SymnbMagics(Magics):
    """``%sym`` declares symbols; more magics arrive with their library parts."""

    @line_magic
    def sym(self, line: str) -> None:
        """Declare symbols in the notebook namespace: ``%sym x y z``.

        ``%sym u[4]`` declares ``u`` as a tuple of symbols ``u_0 … u_3``
        (symbolic arrays of any shape come with the tracing module).
        """
        try:
            names = line.replace(",", " ").split()
            if not names:
                raise UsageError("%sym needs at least one name, e.g. %sym x y z")
            created: dict[str, Any] = {}
            for n in names:
                m = _DECL.match(n)
                if m is None:
                    raise UsageError(f"{n!r} is not a valid symbol name")
                name, shape = m.group(1), m.group(2)
                if shape is None:
                    created[name] = symnb.Symbol(name)
                else:
                    dims = [int(d) for d in shape.split(",")]
                    if len(dims) != 1:
                        raise UsageError(f"{n!r}: only 1-D symbol lists are available so far")
                    created[name] = tuple(symnb.Symbol(f"{name}_{i}") for i in range(dims[0]))
            self.shell.user_ns.update(created)
        except (UsageError, ValueError, TypeError) as exc:
            report(exc)
