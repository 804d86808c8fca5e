"""symnb's IPython extension: ``%load_ext symnb`` registers the magics.

Magics are thin: they parse arguments, call the public symnb API and display
the result object.  A magic is registered only once its library part exists.
"""
from __future__ import annotations

from typing import Any

from .magics import SymnbMagics

__all__ = ["load_ipython_extension", "unload_ipython_extension", "SymnbMagics"]


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(SymnbMagics)
    from .calls import install
    install(ipython)      # wrong calls of compiled functions name the missing arguments


def unload_ipython_extension(ipython: Any) -> None:
    # IPython has no public way to unregister magics; leaving them is harmless.
    pass
