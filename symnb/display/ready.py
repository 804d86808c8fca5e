"""Run a dashboard's first (heavy) update once its widgets are on screen, not while the
notebook is being executed.

Voila executes a dashboard notebook through nbclient and only then connects the page to
the kernel.  Measured here (Voila 0.5.13, nbclient 0.11, ipykernel 6.31 and 7.4, pyzmq 26
and 27): when a cell emits many widget and output messages while it executes, Voila now
and then never receives that cell's ``execute_reply`` and waits forever with an idle
kernel -- the page stays on "Executing 1 of 3" (about 4 loads in 10 for the benchmark
explorer; 0 in 8 once its first update moved out of execution).  ``on_first_view`` defers
the update until the page shows the widget: an invisible anywidget view sends one message
when it is rendered, and the callback runs then (once).  In JupyterLab the same happens as
soon as the cell's output is drawn.  With no front end (nbval, scripts) nothing runs;
call the update yourself there.

>>> calls = []
>>> ready = on_first_view(lambda: calls.append("update"))
>>> ready._fire(); ready._fire()          # what a rendered view triggers (only once)
>>> calls
['update']
>>> in_voila()                            # Voila sets VOILA_* variables in its kernels
False
"""
from __future__ import annotations

import os
from typing import Any, Callable

__all__ = ["on_first_view", "in_voila"]

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  model.send({ event: "view" });
}
export default { render };
"""


def in_voila() -> bool:
    """True in a kernel that Voila started (it sets ``VOILA_*`` environment variables)."""
    return "VOILA_BASE_URL" in os.environ or "VOILA_KERNEL_ID" in os.environ


def _widget_class() -> type:
    import anywidget

    class ViewReady(anywidget.AnyWidget):
        """Invisible widget: tells the kernel once that a view of it was rendered."""
        _esm = _ESM

        def __init__(self, callback: Callable[[], Any]) -> None:
            super().__init__()
            self._callback = callback
            self._done = False
            self.on_msg(lambda _w, content, _buffers: self._fire()
                        if isinstance(content, dict) and content.get("event") == "view" else None)

        def _fire(self) -> None:
            if self._done:
                return
            self._done = True
            self._callback()
    return ViewReady


_CLASS: list = []


def on_first_view(callback: Callable[[], Any]) -> Any:
    """An invisible widget to display next to the dashboard: ``callback()`` runs once,
    when a front end first renders it."""
    if not callable(callback):
        raise TypeError(f"on_first_view needs a callable, got {type(callback).__name__}")
    if not _CLASS:
        _CLASS.append(_widget_class())
    return _CLASS[0](callback)
