"""One compiled egglog program per ruleset, reused across calls.

Declaring the schema and a ruleset's rules costs egglog 10-20 ms (parsing, type checking,
query compilation); a small simplification costs well under one.  ``compiled(ruleset)``
keeps one e-graph per ruleset (the last ``CACHE_SIZE`` rulesets) with the schema and the
rules declared once; every run works between ``(push)`` and ``(pop)``, so each call starts
from the same empty e-graph and gives the same result as a fresh one.  ``run_egraph``
compiles the rules that can match its input (``prune.relevant``), without the bulk-load
tables unless the input needs them; a program compiles a new e-graph every
``RECOMPILE_AFTER`` sessions, as egglog's ``push`` copies grow with use.

>>> from symnb.egraph.rulesets import ALGEBRA
>>> p = compiled(ALGEBRA)
>>> p is compiled(ALGEBRA)
True
>>> with p.session() as eg:
...     _ = eg.run_program(*eg.parse_program('(union (Ref 0) (Add (Var "x") (Num (bigrat (bigint 0) (bigint 1)))))'))
...     _ = eg.run_program(*p.run_command(None))
>>> p.runs >= 1
True
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Any, Iterator

from .bridge import SCHEMA_BULK, SCHEMA_CORE

__all__ = ["Program", "compiled", "CACHE_SIZE", "clear_cache"]

CACHE_SIZE = 32
"""Rulesets (and their pruned subsets, ``prune.py``) whose compiled programs are kept
(least recently used dropped first).  Programs are per thread: egglog's ``EGraph`` is
bound to the thread that made it (pyo3 "unsendable"; another thread's call panics), so
each thread compiles its own on first use."""

RECOMPILE_AFTER = 200
"""Sessions after which a program compiles a new e-graph: egglog's ``push`` copies grow
with the work done since the e-graph was made (here ``push``+``pop`` went from 0.7 to
1.3 ms over 1000 small sessions), a compile costs 10-30 ms."""

_PER_THREAD = threading.local()      # .cache: this thread's OrderedDict[key, Program]


def _cache() -> "OrderedDict[tuple, Program]":
    c = getattr(_PER_THREAD, "cache", None)
    if c is None:
        c = _PER_THREAD.cache = OrderedDict()
    return c


class Program:
    """An egglog e-graph holding the schema and one ruleset (as ``main``), reused by
    ``session()``; ``bulk``: with the tables of bulk loads (``fact_dir`` is where they write
    their fact files), which every ``push`` copies, so small loads go without them."""

    def __init__(self, ruleset: Any, bulk: bool = False) -> None:
        self.name = ruleset.name
        self.bulk = bool(bulk)
        self.fact_dir = tempfile.mkdtemp(prefix="symnb-egraph-")
        atexit.register(shutil.rmtree, self.fact_dir, True)
        self._source = SCHEMA_CORE + (SCHEMA_BULK if bulk else "") + "\n" + \
            ruleset.program("main")
        self.lock = threading.RLock()
        self.runs = 0
        self.compiles = 0
        self.broken = False
        self._build()

    def _build(self) -> None:
        """Compile the schema and the rules into a new e-graph."""
        from egglog.bindings import EGraph
        eg = EGraph(fact_directory=self.fact_dir)
        eg.run_program(*eg.parse_program(self._source))
        self.eg = eg
        self._push = eg.parse_program("(push)")
        self._pop = eg.parse_program("(pop)")
        self._run: dict = {}
        self._since = 0
        self.compiles += 1

    def run_command(self, match_limit: int | None) -> list:
        """The parsed command of one iteration (``back-off`` scheduler under a match limit)."""
        cmd = self._run.get(match_limit)
        if cmd is None:
            if match_limit is None:
                text = "(run main 1)"
            else:
                text = (f"(run-schedule (let-scheduler symnb_bo (back-off :match-limit "
                        f"{int(match_limit)})) (run-with symnb_bo main))")
            cmd = self._run[match_limit] = self.eg.parse_program(text)
        return cmd

    def parse(self, text: str) -> list:
        return self.eg.parse_program(text)

    @contextmanager
    def session(self) -> Iterator[Any]:
        """The e-graph, empty of terms, for one run (``push`` ... ``pop``, under a lock)."""
        with self.lock:
            if self._since >= RECOMPILE_AFTER:
                self._build()
            self.eg.run_program(*self._push)
            try:
                yield self.eg
            finally:
                self.runs += 1
                self._since += 1
                try:
                    self.eg.run_program(*self._pop)
                except Exception:   # noqa: BLE001  (never reuse an e-graph in a bad state)
                    self.broken = True
                    _forget(self)
                    raise


def _forget(p: Program) -> None:
    cache = _cache()
    for k, v in list(cache.items()):
        if v is p:
            del cache[k]


def compiled(ruleset: Any, bulk: bool = False) -> Program:
    """The cached ``Program`` of ``ruleset`` (a ``Ruleset``), compiled on first use
    (``bulk``: one that can load fact files)."""
    key = getattr(ruleset, "_program_key", None)
    if key is None:
        key = tuple(r.egglog("main") for r in ruleset.rules)
        try:
            ruleset._program_key = key      # a Ruleset is immutable: compute its key once
        except AttributeError:
            pass
    key = (bool(bulk), key)
    cache = _cache()
    p = cache.get(key)
    if p is not None:
        cache.move_to_end(key)
        return p
    p = cache[key] = Program(ruleset, bulk)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return p


def clear_cache() -> None:
    """Drop this thread's compiled programs (its next call compiles again)."""
    _cache().clear()
