"""An ipywidgets progress bar for long work, quiet outside a notebook kernel.

>>> list(progress(range(3), description="demo"))   # no kernel here: plain iteration
[0, 1, 2]
"""
from __future__ import annotations

import time
from typing import Any, Iterable, Iterator

__all__ = ["progress", "in_kernel"]


def in_kernel() -> bool:
    """True inside a Jupyter kernel (where widgets can be shown)."""
    import sys
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def progress(items: Iterable[Any], total: int | None = None, description: str = "",
             min_seconds: float = 0.5, force: bool = False) -> Iterator[Any]:
    """Iterate ``items`` and show an ``ipywidgets.IntProgress`` bar in a notebook.

    The bar appears only in a kernel (or with ``force=True``) and ends with the
    elapsed time; ``total`` defaults to ``len(items)`` when it exists.
    """
    if total is None:
        try:
            total = len(items)  # type: ignore[arg-type]
        except TypeError:
            total = None
    if not (force or in_kernel()):
        yield from items
        return
    import ipywidgets as w
    from IPython.display import display
    bar = w.IntProgress(value=0, min=0, max=max(total or 1, 1), description=description,
                        bar_style="info")
    label = w.Label("")
    display(w.HBox([bar, label]))
    t0 = time.perf_counter()
    n = 0
    try:
        for item in items:
            yield item
            n += 1
            bar.value = min(n, bar.max)
            label.value = f"{n}/{total}" if total else f"{n}"
    finally:
        dt = time.perf_counter() - t0
        bar.bar_style = "success" if total is None or n >= total else "warning"
        label.value = f"{n}/{total or n} in {dt:.2f} s"
