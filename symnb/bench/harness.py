"""``bench`` runs statements or callables side by side; ``BenchResult`` shows the ratios."""
from __future__ import annotations

import statistics
import timeit
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from ..reprs import RenderedHTML, renderer_of

__all__ = ["BenchResult", "bench"]


def format_seconds(s: float) -> str:
    """A duration with a readable unit: ``format_seconds(2.5e-6) == '2.5 µs'``."""
    a = abs(s)
    if a >= 1 or a == 0:
        return f"{s:.3g} s"
    if a >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    if a >= 1e-6:
        return f"{s * 1e6:.3g} µs"
    return f"{s * 1e9:.3g} ns"


_fmt = format_seconds


@dataclass(eq=False)
class BenchResult(RenderedHTML):
    """Per-call times (seconds, one entry per repeat) of several candidates.

    ``median(name)``, ``spread(name)`` (min, max), ``ratio(name)`` (median over the
    baseline's median; the baseline is the first candidate), ``rows()`` (the table's
    data), ``figure()`` (plotly bars with min–max error bars and the ratio on each bar).
    The notebook view is ``symnb.display.bench``.
    """

    times: Mapping[str, list[float]]
    number: Mapping[str, int]
    baseline: str | None = None
    names: list = field(init=False)

    def __post_init__(self) -> None:
        if not self.times:
            raise ValueError("a benchmark needs at least one candidate")
        self.times = {k: list(v) for k, v in self.times.items()}
        self.number = dict(self.number)
        self.names = list(self.times)
        if self.baseline is None:
            self.baseline = self.names[0]
        if self.baseline not in self.times:
            raise ValueError(f"unknown baseline {self.baseline!r}; candidates: "
                             f"{', '.join(self.names)}")

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])

    def spread(self, name: str) -> tuple[float, float]:
        t = self.times[name]
        return min(t), max(t)

    def ratio(self, name: str) -> float:
        """Median time of ``name`` divided by the baseline's median (>1: slower)."""
        base = self.median(self.baseline)
        return self.median(name) / base if base > 0 else float("inf")

    @property
    def fastest(self) -> str:
        return min(self.names, key=self.median)

    def rows(self) -> list[tuple[str, str, str, str, int]]:
        out = []
        for n in self.names:
            lo, hi = self.spread(n)
            out.append((n, _fmt(self.median(n)), f"{_fmt(lo)} – {_fmt(hi)}",
                        f"{self.ratio(n):.3g}×", self.number[n]))
        return out

    def __repr__(self) -> str:
        parts = [f"{n}: {_fmt(self.median(n))} ({self.ratio(n):.3g}×)" for n in self.names]
        return f"BenchResult({'; '.join(parts)}; baseline {self.baseline!r})"

    def figure(self) -> Any:
        """Plotly bars of the median time per call on a linear axis from zero, min–max
        whiskers, each bar labelled with its time and how it compares with the baseline
        (``"symnb: 2.1× faster than numpy"``; the baseline's bar says ``baseline``)."""
        import plotly.graph_objects as go

        from .speed import bar_label, time_unit
        med = [self.median(n) for n in self.names]
        unit, scale = time_unit([self.spread(n)[1] for n in self.names])
        base = self.median(self.baseline)
        labels = [bar_label(m, base, n, self.baseline) for n, m in zip(self.names, med)]
        fig = go.Figure(go.Bar(
            x=self.names, y=[m / scale for m in med], text=labels, textposition="outside",
            cliponaxis=False, hovertemplate="%{x}<br>%{text}<extra></extra>",
            error_y=dict(type="data", symmetric=False,
                         array=[(self.spread(n)[1] - m) / scale for n, m in zip(self.names, med)],
                         arrayminus=[(m - self.spread(n)[0]) / scale
                                     for n, m in zip(self.names, med)])))
        runs = min(len(t) for t in self.times.values())
        fig.update_layout(yaxis=dict(title=f"{unit} per call (median)", rangemode="tozero",
                                     type="linear"),
                          xaxis_title="candidate", template="plotly_white", height=380,
                          margin=dict(t=60, b=40, l=60, r=20),
                          title=f"time per call: median of {runs} runs, min–max whiskers "
                                f"(baseline {self.baseline})")
        return fig

    def _ipython_display_(self) -> None:
        """In IPython: the timings table, then the chart, as two outputs (a notebook shows
        one MIME type per output: with both in one bundle the chart hides the table)."""
        renderer_of(self, "ipython_display")(self)


def bench(candidates: Mapping[str, Callable[[], Any] | str] | Iterable[str], *,
          namespace: Mapping[str, Any] | None = None, repeat: int = 5,
          number: int | None = None, baseline: str | None = None,
          min_time: float = 0.2) -> BenchResult:
    """Time each candidate: ``repeat`` runs of ``number`` loops (auto-chosen so one run
    takes about ``min_time`` seconds when None); times are per call.

    Candidates are callables or call expressions such as ``"f(x, 2.0)"`` (names looked
    up in ``namespace``; parsed by ``calls.call_from_text``, never eval'd); a list of
    statements names each by its text.
    """
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1, got {repeat}")
    if number is not None and number < 1:
        raise ValueError(f"number must be >= 1, got {number}")
    items = dict(candidates) if isinstance(candidates, Mapping) else \
        {s: s for s in candidates}
    if not items:
        raise ValueError("bench needs at least one statement")
    glb = dict(namespace or {})
    times: dict = {}
    numbers: dict = {}
    for name, c in items.items():
        if isinstance(c, str):
            # parsed with ast into a callable: the text is never eval'd or exec'd
            from .calls import call_from_text
            timer = timeit.Timer(call_from_text(c, glb))
        elif callable(c):
            timer = timeit.Timer(c)
        else:
            raise TypeError(f"candidate {name!r} is neither a callable nor a statement")
        n = number
        if n is None:
            n = 1
            while True:
                t = timer.timeit(n)
                if t >= min_time / 5 or n >= 10 ** 7:
                    break
                n *= 10
        runs = [timer.timeit(n) / n for _ in range(repeat)]
        times[str(name)] = runs
        numbers[str(name)] = n
    return BenchResult(times, numbers, baseline)
