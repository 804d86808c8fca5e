"""A notebook progress bar for long ODE solves (simulated time), fed by plain data.

The integrator reports progress as dicts ``{t, t0, tf, fraction, steps, seconds, done}``
through its ``progress=`` callback (``symnb.models.integrators.cvode``); this module turns
them into an ``ipywidgets`` bar that appears only once a solve has run ``min_seconds``
(2 s) inside a kernel.  The root package registers ``solve_progress`` by name as the
default for every solve (imported on the first long solve in IPython, even when
``symnb.display`` is not): ``symnb.models.ode.set_progress_factory(None)`` turns that off.
Interrupting the kernel stops the solve and keeps the steps taken (a failed
``ODEResult`` whose message says "interrupted").

>>> bar = SolveProgress(force=True)
>>> bar(dict(t=0.5, t0=0.0, tf=2.0, fraction=0.25, steps=10, seconds=0.1, done=False))
>>> bar.shown, bar.text                      # under min_seconds: nothing shown yet
(False, 't = 0.5 / 2 (25 %), 10 steps, 0.1 s')
>>> bar(dict(t=2.0, t0=0.0, tf=2.0, fraction=1.0, steps=40, seconds=2.5, done=True))
>>> bar.shown, bar.widget.children[0].value, bar.widget.children[0].bar_style
(True, 1.0, 'success')
"""
from __future__ import annotations

from typing import Any

from .widgets import in_kernel

__all__ = ["SolveProgress", "solve_progress"]


class SolveProgress:
    """Callable progress sink: shows a bar after ``min_seconds`` in a kernel (or ``force``)."""

    def __init__(self, min_seconds: float = 2.0, force: bool = False,
                 description: str = "solve") -> None:
        self.min_seconds, self.force, self.description = min_seconds, force, description
        self.shown = False
        self.widget: Any = None
        self.text = ""

    def describe(self, info: dict) -> str:
        """The label next to the bar for one report."""
        steps = info.get("steps")
        return (f"t = {info['t']:.4g} / {info['tf']:.4g} ({100 * info['fraction']:.0f} %)"
                + (f", {steps} steps" if steps is not None else "")
                + f", {info['seconds']:.1f} s")

    def __call__(self, info: dict) -> None:
        self.text = self.describe(info)
        if not self.shown:
            if info["seconds"] < self.min_seconds or not (self.force or in_kernel()):
                return
            self._show()
        bar, label = self.widget.children
        bar.value = float(info["fraction"])
        label.value = self.text
        if info.get("done"):
            bar.bar_style = "danger" if info.get("interrupted") else \
                "success" if info["fraction"] >= 1.0 else "warning"

    def _show(self) -> None:
        import ipywidgets as w
        bar = w.FloatProgress(value=0.0, min=0.0, max=1.0, description=self.description,
                              bar_style="info")
        self.widget = w.HBox([bar, w.Label("")])
        if in_kernel():
            from IPython.display import display
            display(self.widget)
        self.shown = True


def solve_progress(problem: Any = None, t_span: Any = None) -> SolveProgress:
    """The default progress sink for one solve (``set_progress_factory`` signature)."""
    name = getattr(problem, "name", None)
    return SolveProgress(description=str(name)[:12] if name else "solve")
