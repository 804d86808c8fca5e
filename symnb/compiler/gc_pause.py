"""``gc_paused``: the cyclic garbage collector held off while a big model is built.

Lowering, tracing and numba's compile allocate many small objects; with a large
model alive each full collection walks all of its terms (Brusselator N=128: about
0.1 s a pass), and allocations trigger such passes again and again: tracing took
twice as long, and numba's compile of the RHS 0.6 s instead of 0.3 s.  Inside the
block the collector is off and what already lived is frozen (``gc.freeze``), so the
passes after it walk mostly what the block made; cyclic garbage made meanwhile goes
at the next collection after the block (measured on the Brusselator N=128 build:
disabling alone 2.9 s CPU, disabling and freezing 2.65 s, freezing alone 3.2 s).
At the end what the block made joins the oldest generation at once (frozen, then
unfrozen with the rest): left in the youngest, it was all walked by the first
collection after the block and again by the next generation's (0.2 s of the
Brusselator N=128 build, 2.1 s CPU); its cyclic garbage goes at the next full
collection (or an explicit ``gc.collect()``).

>>> import gc
>>> with gc_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic GC off inside the block (restored as it was, even on errors)."""
    was = gc.isenabled()
    gc.disable()
    gc.freeze()     # what lives now is left out of the collections until the block ends
    try:
        yield
    finally:
        gc.freeze()     # what the block made joins the oldest generation unwalked
        gc.unfreeze()
        if was:
            gc.enable()
