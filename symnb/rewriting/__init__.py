"""Classical rewriting: rules with slots, AC matching, strategies, rule sets, traces.

>>> from symnb import symbols
>>> from symnb.rewriting import rule, rewrite
>>> x, y = symbols("x y")
>>> rewrite(x*y + x, [rule("~x + ~y*~x => (1 + ~y)*~x", name="factor")])
x*(1 + y)
"""
from __future__ import annotations

from typing import Any

from .matcher import match, match_rule
from .pattern import DefaultSlot, Lit, Pattern, PCall, Segment, Slot, pcall, slots
from .rule import Rule, RuleError, rule
from .rulesets import RULESETS, default_rules, ruleset
from .simplify import (SIMPLIFIERS, get_simplifier, register_simplifier, rewrite, simplifier_names,
                       simplify)
from .strategies import (Chain, Fixpoint, IfElse, PassThrough, Postwalk, Prewalk,
                         RestartedChain, RewriteWarning, Strategy)
from .syntax import parse_pattern
from .steps import RewriteTrace, Step

_FAMILY_NAMES = ("powsimp", "powdenest", "expand_power_base", "radsimp", "expand_log",
                 "logcombine", "FAMILIES", "family_rules", "trigsimp", "expand_trig", "fu",
                 "hypersimp", "TRIG_RULESETS", "HYPER_RULESETS")

__all__ = ["rule", "Rule", "RuleError", "rewrite", "simplify", "register_simplifier",
           "get_simplifier", "simplifier_names", "SIMPLIFIERS", "RewriteTrace", "Step",
           "Strategy", "Chain", "RestartedChain",
           "Postwalk", "Prewalk", "Fixpoint", "IfElse", "PassThrough", "RewriteWarning",
           "Pattern", "Slot", "Segment", "DefaultSlot", "Lit", "PCall", "pcall", "slots",
           "parse_pattern", "match", "match_rule", "RULESETS", "ruleset", "default_rules",
           *_FAMILY_NAMES]


def __getattr__(name: str) -> Any:
    """The function families (``powsimp``, ``expand_log``, ``trigsimp``, ...) load on first use."""
    if name in _FAMILY_NAMES:
        from . import families
        return getattr(families, name)
    raise AttributeError(f"module 'symnb.rewriting' has no attribute {name!r}")
