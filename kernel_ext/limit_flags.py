"""The limit flags of the magics: ``symnb.config``'s limits, set for one magic call.

Each magic that runs a computation on user text takes the flags named in its row of
``MAGIC_LIMITS``; :func:`add_limit_flags` puts them on its argument parser and
:func:`applied` runs the computation under them.  A computation that meets a limit ends
with one line naming the input, the limit and the flag that raises it:

>>> import symnb
>>> p = argparse.ArgumentParser()
>>> add_limit_flags(p, "dag")
>>> a = p.parse_args(["--max-terms", "50"])
>>> x = symnb.Symbol("x")
>>> with applied(a, "dag", "expand((x + 1)^100)"):
...     symnb.expand((x + 1) ** 100)
Traceback (most recent call last):
  ...
kernel_ext.limit_flags.LimitFlagError: %dag: expand((1 + x)^100): about 101 terms, limit 50; pass --max-terms N to raise it
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from symnb import config
from symnb.errors import LimitExceeded

__all__ = ["LimitFlag", "LIMIT_FLAGS", "MAGIC_LIMITS", "LimitFlagError", "add_limit_flags",
           "applied", "flags_help", "limit_operations", "refusal"]


@dataclass(frozen=True)
class LimitFlag:
    """``--flag METAVAR``: sets the ``symnb.config`` ``fields`` (and functions' ``keyword``)."""
    flag: str
    metavar: str
    type: Callable[[str], Any]
    fields: tuple
    keyword: str | None
    help: str

    @property
    def dest(self) -> str:
        return self.flag[2:].replace("-", "_")


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") \
                from None
        if not v > 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text!r}")
        return v
    read.__name__ = kind.__name__
    return read


LIMIT_FLAGS = {f.flag: f for f in (
    LimitFlag("--timeout", "SECONDS", _positive(float), ("simplify_seconds",), "timeout",
              "stop the whole magic after SECONDS of wall-clock time (also the simplifier's "
              "budget; default: no limit but the simplifier's 30 s)"),
    LimitFlag("--max-terms", "N", _positive(int), ("max_expand_terms",), "max_terms",
              "expand/factor/cancel refuse results of more than N terms (default 1,000,000)"),
    LimitFlag("--max-digits", "N", _positive(int), ("max_exact_digits",), None,
              "exact numbers are computed up to N digits, larger powers stay symbolic "
              "(default 10,000)"),
    LimitFlag("--max-size", "N", _positive(int), ("max_diff_size",), "max_size",
              "diff refuses when it would visit or build more than N nodes (default "
              "1,000,000)"),
    LimitFlag("--max-ops", "N", _positive(int), ("compile_max_ops", "compile_max_scalar_ops"),
              "max_ops", "compile refuses more than N operations after sharing (defaults "
              "20,000 scalar, 2,000,000 array)"),
)}
"""Every limit flag a magic takes."""

_EXPR = ("--timeout", "--max-terms", "--max-digits", "--max-size")
MAGIC_LIMITS: dict[str, tuple] = {
    "rewrite": _EXPR, "simplify": _EXPR, "dag": _EXPR, "egraph": _EXPR,
    "compile": _EXPR + ("--max-ops",), "trace": ("--timeout", "--max-digits"),
    "load_model": ("--timeout", "--max-digits"),
}
"""The magics that compute, and the limit flags each takes."""

_FIELD_FLAG = {fld: f.flag for f in LIMIT_FLAGS.values() for fld in f.fields}


class LimitFlagError(ValueError):
    """A magic's computation met a limit; the message names the flag that raises it."""


def add_limit_flags(parser: argparse.ArgumentParser, magic: str) -> None:
    """Add ``magic``'s limit flags (``MAGIC_LIMITS``) to its argument parser."""
    for name in MAGIC_LIMITS[magic]:
        f = LIMIT_FLAGS[name]
        parser.add_argument(f.flag, dest=f.dest, type=f.type, metavar=f.metavar, default=None)


def flags_help(magic: str) -> str:
    """``"limits: --timeout=SECONDS, ..."``: the limit flags of ``magic`` for the help table
    (``--flag=VALUE`` keeps each one word when the table wraps; ``--flag VALUE`` works too).

    >>> flags_help("trace")
    'limits: --timeout=SECONDS, --max-digits=N'
    """
    return "limits: " + ", ".join(f"{n}={LIMIT_FLAGS[n].metavar}" for n in MAGIC_LIMITS[magic])


def _values(args: argparse.Namespace, magic: str) -> dict:
    """``{flag: value}`` of the limit flags given on the line."""
    out = {}
    for name in MAGIC_LIMITS[magic]:
        v = getattr(args, LIMIT_FLAGS[name].dest, None)
        if v is not None:
            out[name] = v
    return out


def limit_operations(ops: dict, args: argparse.Namespace, magic: str) -> dict:
    """``ops`` (operations callable in a magic's expression) with the given limits passed
    to those that take them as keywords (``factor(..., max_terms=N)``)."""
    given = _values(args, magic)
    out = dict(ops)
    for name, fn in ops.items():
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            continue
        kw = {LIMIT_FLAGS[f].keyword: v for f, v in given.items()
              if LIMIT_FLAGS[f].keyword in params}
        if kw:
            out[name] = functools.update_wrapper(functools.partial(fn, **kw), fn)
    return out


def _flag_of(exc: BaseException) -> str | None:
    """The limit flag that raises the limit ``exc`` met (None when no flag does)."""
    from symnb.polys.errors import CoefficientTooLarge, PolynomialTooLarge
    if isinstance(exc, CoefficientTooLarge):
        return "--max-digits"
    if isinstance(exc, PolynomialTooLarge):
        return "--max-terms"
    if isinstance(exc, LimitExceeded):
        if exc.unit == "s":
            return "--timeout"
        return _FIELD_FLAG.get(exc.field or "")
    return None


def refusal(exc: BaseException, magic: str) -> str:
    """The one-line message of a magic whose computation met the limit of ``exc``: the
    library's message (input, estimate, limit) with the magic's flag as the fix."""
    text = (str(exc).splitlines() or [""])[0]
    for cut in ("; pass ", "; set "):
        if cut in text:
            text = text[:text.index(cut)]
    flag = _flag_of(exc)
    head = "" if text.startswith(f"%{magic}(") else f"%{magic}: "   # the magic's own deadline
    return f"{head}{text}; pass {flag} {LIMIT_FLAGS[flag].metavar} to raise it"


@contextlib.contextmanager
def applied(args: argparse.Namespace, magic: str, text: str) -> Iterator[None]:
    """Run the block under the limits given on ``magic``'s line; a limit met in it ends as
    a one-line :class:`LimitFlagError` naming the flag that raises it."""
    from symnb.terms.limits import deadline
    given = _values(args, magic)
    fields = {fld: v for f, v in given.items() for fld in LIMIT_FLAGS[f].fields}
    try:
        with config.limits(**fields), deadline(given.get("--timeout"), f"%{magic}", text):
            yield
    except ValueError as exc:
        if _flag_of(exc) is None:
            raise
        raise LimitFlagError(refusal(exc, magic)) from None
