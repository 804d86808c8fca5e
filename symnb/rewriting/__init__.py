"""Classical rewriting: rules with slots, AC matching, strategies, rule sets, traces.

>>> from symnb import symbols
>>> from symnb.rewriting import rule, rewrite
>>> x, y = symbols("x y")
>>> rewrite(x*y + x, [rule("~x + ~y*~x => (1 + ~y)*~x", name="factor")])
x*(1 + y)
"""
from __future__ import annotations

from .matcher import match, match_rule
from .pattern import DefaultSlot, Lit, Pattern, PCall, Segment, Slot, pcall, slots
from .rule import Rule, RuleError, rule
from .rulesets import RULESETS, default_rules, ruleset
from .simplify import SIMPLIFIERS, register_simplifier, rewrite, simplify
from .strategies import (Chain, Fixpoint, IfElse, PassThrough, Postwalk, Prewalk,
                         RestartedChain, RewriteWarning, Strategy)
from .syntax import parse_pattern
from .steps import RewriteTrace, Step

__all__ = ["rule", "Rule", "RuleError", "rewrite", "simplify", "register_simplifier",
           "SIMPLIFIERS", "RewriteTrace", "Step", "Strategy", "Chain", "RestartedChain",
           "Postwalk", "Prewalk", "Fixpoint", "IfElse", "PassThrough", "RewriteWarning",
           "Pattern", "Slot", "Segment", "DefaultSlot", "Lit", "PCall", "pcall", "slots",
           "parse_pattern", "match", "match_rule", "RULESETS", "ruleset", "default_rules",
           "trigsimp", "expand_trig", "fu", "TRIG_RULESETS", "HYPER_RULESETS"]

_FAMILIES = {"trigsimp", "expand_trig", "fu", "TRIG_RULESETS", "HYPER_RULESETS"}
"""Names of ``families`` (function-family strategies), imported on first use."""


def __getattr__(name: str) -> object:
    if name in _FAMILIES:
        from . import families
        return getattr(families, name)
    raise AttributeError(f"module 'symnb.rewriting' has no attribute {name!r}")
