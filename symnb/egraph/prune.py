"""The rules of a ruleset that can ever match an e-graph built from given functions.

A rule whose pattern needs ``sin(...)`` (or a float) cannot match an e-graph in which no
``sin`` node (no ``Flt`` node) exists or can be made.  ``relevant(ruleset, names)`` starts
from the function names of the input (``names``, with ``"Flt"`` for a float) and adds the
names that the enabled rules create (their right-hand sides and actions) until nothing
changes; it keeps the rules whose patterns and guards need only those names.  The dropped
rules could never fire, so saturation gives the same e-graph, while the cached egglog
program holds fewer rules: each iteration queries fewer rules, and ``push``/``pop``, which
copy the compiled rules, cost less.

>>> from symnb.egraph.families import SIMPLIFY
>>> poly = relevant(SIMPLIFY, ())
>>> len(poly) < len(SIMPLIFY), any("sin" in r.lhs for r in poly if hasattr(r, "lhs"))
(True, False)
>>> sorted(needed_names(relevant(SIMPLIFY, {"tan"})) & {"sin", "cos", "tan", "sinh"})
['cos', 'sin', 'tan']
>>> relevant(SIMPLIFY, {"sin", "cos", "tan", "sinh", "cosh", "tanh", "exp", "log", "Abs",
...                     "sign", "asin", "acos", "atan", "Flt"}) is SIMPLIFY
True
"""
from __future__ import annotations

import re
import threading
from typing import Any, Iterable

from .rulesets import ERule, RawRule, Ruleset

__all__ = ["relevant", "rule_names", "needed_names", "call_names", "read_relations"]

_CALL = re.compile(r'\(Fn[12N] "([^"]*)"')
_FLT = re.compile(r"\(Flt[ )]")
_FACT = re.compile(r"\((Positive|Real|Nonzero|Integer)[ )]")
_CACHE: dict = {}
_LOCK = threading.Lock()


def call_names(text: str) -> frozenset:
    """Function names of the calls (``Fn1``/``Fn2``/``FnN``) in egglog text, and ``"Flt"``
    when it holds a float (``Flt``): no rule about floats can match an exact input."""
    out = set(_CALL.findall(text))
    if _FLT.search(text):
        out.add("Flt")
    return frozenset(out)


def rule_names(r: Any) -> list[tuple[frozenset, frozenset]]:
    """``(needed, created)`` function names of each direction of rule ``r``."""
    if isinstance(r, ERule):
        guard = " ".join(r.when)
        out = [(call_names(r.lhs + " " + guard), call_names(r.rhs))]
        if r.bidirectional:
            out.append((call_names(r.rhs + " " + guard), call_names(r.lhs)))
        return out
    if isinstance(r, RawRule):
        return [(call_names(r.facts), call_names(r.actions))]
    raise TypeError(f"not an e-graph rule: {r!r}")


def read_relations(rules: Iterable[Any]) -> frozenset:
    """The fact relations (``Positive Real Nonzero Integer``) that some rule's pattern or
    guard reads: loading any other fact cannot change the e-graph.

    >>> from symnb.egraph.families import SIMPLIFY
    >>> sorted(read_relations(SIMPLIFY))
    ['Positive', 'Real']
    """
    out: set = set()
    for r in rules:
        if isinstance(r, ERule):
            out.update(_FACT.findall(r.lhs + " " + " ".join(r.when)))
        elif isinstance(r, RawRule):
            out.update(_FACT.findall(r.facts))
        else:
            raise TypeError(f"not an e-graph rule: {r!r}")
    return frozenset(out)


def needed_names(rules: Iterable[Any]) -> frozenset:
    """Every function name some rule of ``rules`` needs in order to match."""
    out: set = set()
    for r in rules:
        for need, _ in rule_names(r):
            out |= need
    return frozenset(out)


def relevant(ruleset: Ruleset, names: Iterable[str]) -> Ruleset:
    """The rules of ``ruleset`` that can match an e-graph whose calls are of ``names``
    (plus what the rules create); ``ruleset`` itself when every rule can (cached)."""
    info = _info(ruleset)
    start = frozenset(names) & info["mentioned"]
    key = (id(ruleset), start)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is ruleset:
        return hit[1]
    have = set(start)
    dirs = info["dirs"]
    on = [False] * len(dirs)
    changed = True
    while changed:
        changed = False
        for i, (_, need, made) in enumerate(dirs):
            if not on[i] and need <= have:
                on[i] = True
                if not made <= have:
                    have |= made
                    changed = True
    keep = {dirs[i][0] for i in range(len(dirs)) if on[i]}
    if len(keep) == len(ruleset.rules):
        out = ruleset
    else:
        out = Ruleset(ruleset.name, [r for i, r in enumerate(ruleset.rules) if i in keep],
                      check=False)
    with _LOCK:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = (ruleset, out)     # the ruleset itself keeps its id from being reused
    return out


def _info(ruleset: Ruleset) -> dict:
    info = getattr(ruleset, "_prune_info", None)
    if info is None:
        dirs = [(i, need, made) for i, r in enumerate(ruleset.rules) for need, made in rule_names(r)]
        mentioned: set = set()
        for _, need, made in dirs:
            mentioned |= need | made
        info = {"dirs": dirs, "mentioned": frozenset(mentioned)}
        try:
            ruleset._prune_info = info
        except AttributeError:
            pass
    return info
