"""Bounded equality saturation: ``run 1`` in a loop under iteration, node and time limits.

egglog itself has no node limit and no timeout, so each iteration is one
``(run main 1)`` and the loop checks, after every iteration, whether nothing
changed (``saturated``), or the iteration/node/time limit is reached.  The
time limit is also checked *before* an iteration: when the last iteration's
time, grown by its growth factor, plus the time to read and extract the e-graph that
iteration would leave (``EXTRACT_SECONDS_PER_ENODE`` per predicted e-node) would overrun
the limit, the loop stops (an iteration cannot be interrupted), so that the limit bounds
the whole simplification, extraction included.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .bridge import MATH_OPS

__all__ = ["IterationStats", "saturate", "observe", "EXTRACT_SECONDS_PER_ENODE",
           "default_match_limit"]

EXTRACT_SECONDS_PER_ENODE = 8e-6
"""Reading an e-graph back and its tree extraction, per e-node (measured here: 1.47 s for
the 183,587 e-nodes of the exploding 50-term sum of ``benchmarks/egraph.py``)."""


@dataclass
class IterationStats:
    """One iteration: e-classes and e-nodes after it, matches per rule, seconds."""

    iteration: int
    eclasses: int
    enodes: int
    seconds: float
    matches: dict = field(default_factory=dict)
    updated: bool = True

    def as_dict(self) -> dict:
        return {"iteration": self.iteration, "eclasses": self.eclasses, "enodes": self.enodes,
                "seconds": self.seconds, "matches": dict(self.matches), "updated": self.updated}


_LEAVES = ("Num", "Flt", "Var")


def observe(eg: Any, classes: bool = True, roots: Any = None) -> tuple[int, int, bool]:
    """``(e-nodes, e-classes, done)`` from one frozen copy of the e-graph: e-classes -1
    unless ``classes``; ``done``: every class of ``(Ref k)``, ``k`` in ``roots``, holds a
    number or a symbol (False without ``roots``)."""
    fns = eg.freeze().functions
    enodes = 0
    outs: set | None = set() if classes else None
    leaves: set = set()
    for name in MATH_OPS:
        fn = fns.get(name)
        if fn is None:
            continue
        rows = fn.rows
        enodes += len(rows)
        if outs is not None:
            outs.update(r.output for r in rows if not r.subsumed)
        if roots and name in _LEAVES:
            leaves.update(r.output for r in rows)
    done = False
    if roots:
        ref = fns.get("Ref")
        want = set(roots)
        to_i64 = eg.value_to_i64
        found = [r.output for r in (ref.rows if ref is not None else ())
                 if to_i64(r.inputs[0]) in want]
        done = len(found) >= len(want) and all(v in leaves for v in found)
    return enodes, (len(outs) if outs is not None else -1), done


def default_match_limit(node_limit: int) -> int:
    """Matches one rule may apply in one iteration: ``max(1000, node_limit // 20)``."""
    return max(1000, int(node_limit) // 20)


def saturate(eg: Any, *, iter_limit: int, node_limit: int, time_limit: float,
             ruleset: str = "main", extract_reserve: float = EXTRACT_SECONDS_PER_ENODE,
             match_limit: int | None = None, program: Any = None, classes: bool = True,
             roots: Any = None) -> tuple[list[IterationStats], str, IterationStats]:
    """Run ``ruleset`` until saturated or a limit; returns (stats, stop reason, initial stats).

    ``extract_reserve``: seconds per e-node kept free for extraction (0: saturation alone
    is bounded by ``time_limit``).  ``match_limit``: a rule that finds more matches than
    this in one iteration is skipped in that iteration (egglog's back-off scheduler, fresh
    each iteration), which bounds what one uninterruptible iteration can add; when every
    rule that still matches is over it, the run stops with reason ``"match_limit"``.
    None: no limit (plain ``run``).  ``program``: the cached ``Program`` whose e-graph
    ``eg`` is (its parsed commands are reused).  ``classes=False``: e-classes are not counted
    (-1).  ``roots``: rows ``k`` of ``(Ref k)``; when every one's class holds a number or
    a symbol after an iteration, the run stops (reason ``"done"``: nothing cheaper can be
    found).  Sizes and the ``roots`` test come from one ``observe`` per iteration."""
    if program is not None:
        run_cmd = program.run_command(match_limit)
    elif match_limit is None:
        run_cmd = eg.parse_program(f"(run {ruleset} 1)")
    else:
        run_cmd = eg.parse_program(
            f"(run-schedule (let-scheduler symnb_bo (back-off :match-limit {int(match_limit)}))"
            f" (run-with symnb_bo {ruleset}))")
    t0 = time.perf_counter()
    n0, c0, _ = observe(eg, classes)
    first = IterationStats(0, c0, n0, 0.0, {}, True)
    stats: list[IterationStats] = []
    reason = "iter_limit"
    prev_dt = None
    for it in range(1, iter_limit + 1):
        elapsed = time.perf_counter() - t0
        if stats:
            last = stats[-1]
            prev_nodes = stats[-2].enodes if len(stats) > 1 else first.enodes
            g_nodes = last.enodes / max(prev_nodes, 1)
            g_time = last.seconds / prev_dt if prev_dt else 1.0
            # next iteration's time ~ this one's times the growth; a jump in time with
            # little growth in size (a one-off burst of matches) is not extrapolated
            growth = min(max(g_nodes, g_time, 1.0), max(g_nodes * g_nodes, 1.5), 100.0)
            # size growth compounds (more nodes, more matches): reserve for the square
            reserve = extract_reserve * last.enodes * min(max(g_nodes * g_nodes, 1.0), 100.0)
            if elapsed >= time_limit or elapsed + last.seconds * growth + reserve > time_limit:
                reason = "time_limit"
                break
            # growth accelerates under associativity/commutativity: look ahead by g * min(g, 2)
            if last.enodes * g_nodes * min(g_nodes, 2.0) > 2 * node_limit:
                reason = "node_limit"   # the next iteration would overshoot the limit by far
                break
        t = time.perf_counter()
        out = eg.run_program(*run_cmd)
        rep = out[0].report
        enodes, eclasses, done = observe(eg, classes, roots)
        prev_dt = stats[-1].seconds if stats else None
        st = IterationStats(it, eclasses, enodes, 0.0,
                            {k: v for k, v in rep.num_matches_per_rule.items() if v},
                            bool(rep.updated))
        st.seconds = time.perf_counter() - t
        stats.append(st)
        if not rep.updated:
            reason = "saturated"
            break
        if done:
            reason = "done"
            break
        before = stats[-2] if len(stats) > 1 else first
        if match_limit is not None and (not st.matches or (
                st.enodes == before.enodes and (st.eclasses == before.eclasses or not classes))):
            # nothing new, and the rules over the limit will be skipped again next time
            reason = "match_limit"
            break
        if enodes >= node_limit:
            reason = "node_limit"
            break
        if time.perf_counter() - t0 >= time_limit:
            reason = "time_limit"
            break
    return stats, reason, first
