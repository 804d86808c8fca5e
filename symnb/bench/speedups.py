"""Read a suite's ratio figures as speed-ups in one direction: "S is N× faster than B".

Suites name their ratios as they like (``sympy_over_symnb``, ``symnb_over_symengine``,
``rd_N16.ratio_b_c``, ``egfr_net.speedup_vs_sparse``).  :func:`read_speedup` turns the
names it can read into a :class:`Speedup` (subject, baseline, how many times faster,
where it was measured); names it cannot read (``rhs_ratio``: which way?) return ``None``
and stay in the figures table only.  ``legend`` maps letters such as ``c`` to what a
suite printed for them (``(c) symnb traced + compiled, CVODE sparse: ...``;
:func:`letter_legend`).

>>> s = read_speedup("cases[expand15].symnb_over_symengine", 4.0)
>>> s.subject, s.baseline, s.value, s.where
('symnb', 'symengine', 0.25, 'expand15')
>>> s.text()
'4× slower than symengine'
>>> read_speedup("rd_N16.ratio_b_c", 5.5, {"b": "(b) scipy BDF", "c": "(c) symnb CVODE"}).question()
'(c) symnb CVODE against (b) scipy BDF'
>>> read_speedup("brusselator_N32.rhs_ratio", 0.76) is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .speed import speed_text

__all__ = ["Speedup", "read_speedup", "letter_legend", "OURS"]

#: names of symnb's own side of a comparison: it is the subject when it appears
OURS = ("symnb", "compiled", "skr", "egraph", "optimized")
_LEAD = {"ratio", "geomean", "floor", "per", "repeat", "speedup", "mean", "median"}
_TAIL = {"cpu", "wall", "ordered", "fresh", "s", "time", "seconds"}
_WORDS = {"geomean": "geometric mean", "cpu": "CPU time", "wall": "wall time",
          "floor": "floor", "ordered": "ordered input", "fresh": "fresh input"}
_LEGEND = re.compile(r"^\s*\(([a-z])\)\s+(.+?)\s*:")


@dataclass(frozen=True)
class Speedup:
    """``subject`` is ``value`` times faster than ``baseline`` (< 1: slower), measured
    ``where`` (a case, a size; may be empty) with ``how`` (geometric mean, CPU time...)."""
    subject: str
    baseline: str
    value: float
    where: str = ""
    how: str = ""
    name: str = ""

    def question(self) -> str:
        """The question a chart of such speed-ups answers (its group)."""
        return f"{self.subject} against {self.baseline}"

    def text(self) -> str:
        return speed_text(1.0, self.value, self.baseline)

    def label(self) -> str:
        """Where and how, for the chart's category axis."""
        return " · ".join(p for p in (self.where, self.how) if p) or "overall"


def letter_legend(stdout: str) -> dict[str, str]:
    """``{"a": "(a) numpy + scipy BDF, dense FD Jacobian", ...}`` from lines a suite
    printed as ``(a) description: ...`` (the first line per letter)."""
    out: dict[str, str] = {}
    for line in stdout.splitlines():
        m = _LEGEND.match(line)
        if m and m.group(1) not in out:
            out[m.group(1)] = f"({m.group(1)}) {m.group(2)}"
    return out


def _ours(name: str) -> bool:
    return any(w in name.lower().split() or name.lower().startswith(w) for w in OURS)


def _where(path: str) -> str:
    """``cases[expand15]`` -> ``expand15``; ``rd_N16`` -> ``rd N16``."""
    parts = [m.group(1) or m.group(2) for m in re.finditer(r"\[([^\]]*)\]|([^.\[\]]+)", path)]
    return " ".join(p.replace("_", " ") for p in parts if p and p != "cases")


def read_speedup(name: str, value: float, legend: dict[str, str] | None = None) -> Speedup | None:
    """The ratio figure ``name`` (dotted path) with ``value`` as a :class:`Speedup`, or
    ``None`` when its name does not say which way it reads."""
    if not value > 0:
        return None
    path, _, key = name.rpartition(".")
    toks = key.lower().split("_")
    legend = legend or {}
    how = []
    while toks and toks[0] in _LEAD:
        how.append(toks.pop(0))
    tail = []
    while toks and toks[-1] in _TAIL:
        tail.insert(0, toks.pop())
    how = [_WORDS.get(w, w) for w in how + tail if w not in ("ratio", "speedup", "s")]
    where = _where(path)
    if "over" in toks:                       # A_over_B = time A / time B
        i = toks.index("over")
        a, b = " ".join(toks[:i]), " ".join(toks[i + 1:])
        pair = (a, b, value)
    elif len(toks) == 2 and all(len(t) == 1 for t in toks) and key.lower().startswith("ratio"):
        a, b = (legend.get(t, f"({t})") for t in toks)      # ratio_b_c = time b / time c
        pair = (a, b, value)
    elif key.lower().startswith("speedup_vs_") and len(toks) >= 2 and toks[0] == "vs":
        return Speedup("symnb", " ".join(toks[1:]), value, where, " · ".join(how), name)
    else:
        return None
    a, b, v = pair
    if not a or not b:
        return None
    if _ours(b) and not _ours(a):            # X_over_symnb: symnb is the subject
        return Speedup(b, a, v, where, " · ".join(how), name)
    # symnb_over_X, or neither side is ours: the side named first is the subject
    return Speedup(a, b, 1.0 / v, where, " · ".join(how), name)
