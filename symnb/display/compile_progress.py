"""A notebook progress bar for long compiles (phases), fed by plain data.

Compiles (``compile_array``, ``jacobian``, ``ODEProblem``) report dicts ``{what, phase,
step, steps, fraction, seconds, done, interrupted}`` through their ``progress=``
callback (``symnb.compiler.progress``); this module draws them with the bar of
``SolveProgress``, shown only once a compile has run ``min_seconds`` (2 s) inside a
kernel.  The root package registers it by name as the default for every compile (imported
on the first compile where IPython is loaded):
``symnb.compiler.progress.set_compile_progress_factory(None)`` turns that off.  An
interrupt stops the compile (``KeyboardInterrupt`` propagates, the kernel stays up) and
turns the bar red.

>>> bar = CompileProgress(force=True)
>>> bar(dict(what="compile f", phase="plan", step=2, steps=4, fraction=0.25, seconds=0.4,
...          done=False, interrupted=False))
>>> bar.shown, bar.text                      # under min_seconds: nothing shown yet
(False, 'plan (2/4), 0.4 s')
>>> bar(dict(what="compile f", phase="numba", step=4, steps=4, fraction=0.8, seconds=2.5,
...          done=True, interrupted=True))
>>> bar.shown, bar.widget.children[0].bar_style
(True, 'danger')
"""
from __future__ import annotations

from .solve_progress import SolveProgress

__all__ = ["CompileProgress", "compile_progress"]


class CompileProgress(SolveProgress):
    """Callable progress sink for compiles: the phase, its number and the time so far."""

    def describe(self, info: dict) -> str:
        text = f"{info['phase']} ({info['step']}/{info['steps']}), {info['seconds']:.1f} s"
        return text + (", interrupted" if info.get("interrupted") else "")


def compile_progress(what: str = "compile") -> CompileProgress:
    """The default progress sink for one compile (``set_compile_progress_factory`` signature)."""
    return CompileProgress(description=str(what)[:16])
