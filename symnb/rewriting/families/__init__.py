"""Simplification strategies per function family (named rule sets the trace can show)."""
from __future__ import annotations

from .trig import TR, TRIG_RULESETS, expand_trig, fu, trigsimp
from .hyperbolic import HYPER_RULESETS, hypersimp
