"""The one sanctioned bridge from ``symnb`` to its IPython extension, ``kernel_ext``.

``%load_ext symnb`` makes IPython import ``symnb`` and call
``symnb.load_ipython_extension``; the root package takes both hooks from this module
(lazily, through its ``__getattr__``), and this module imports ``kernel_ext`` only when
a hook is called.  Why a bridge module rather than moving the magics into a subpackage:
``kernel_ext/`` is the top-level package the product layout names (magics only parse
arguments, call the public API and display results), so it stays where it is and
depends on ``symnb``, never the reverse; and IPython stays out of ``import symnb``.
No other module under ``symnb/`` may import ``kernel_ext`` (``tests/test_layers.py``).

>>> import symnb
>>> symnb.load_ipython_extension is load_ipython_extension
True
"""
from __future__ import annotations

from typing import Any

__all__ = ["load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext symnb``: register the magics (imports ``kernel_ext`` on call)."""
    from kernel_ext import load_ipython_extension as _load
    _load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext symnb`` (IPython has no public way to unregister magics)."""
    from kernel_ext import unload_ipython_extension as _unload
    _unload(ipython)
