"""E-graph simplification with egglog: rulesets and cost models as data, bounded
saturation, extraction by ``count_ops`` (tree) or CPU cycles (DAG), and ``EGraphReport``.

Each ruleset's egglog program is compiled once and reused (``program.py``), holding only
the rules that can match the input's functions (``prune.py``); the
``simplify`` ruleset holds the algebra and the trigonometric, hyperbolic, exp/log and
power families (``families.py``), guarded by facts from the symbols' assumptions;
polynomial normal forms join as candidates (``normal.py``).

egglog is imported on first use (``import symnb.egraph`` does not import it).
Importing the package registers ``egraph_simplify`` as ``simplify(e, using="egraph")``.

>>> from symnb import symbols, exp
>>> x, y = symbols("x y")
>>> from symnb.egraph import egraph_simplify
>>> egraph_simplify(exp(x) * exp(y) * x + x)
x + x*exp(x + y)
"""
from __future__ import annotations

from .api import DEFAULT_LIMITS, SIMPLIFY_LIMITS, egraph_simplify, optimize_for_eval, run_egraph
from .costs import DEFAULT_COSTS, CostModel, count_ops_model, measure_costs
from .families import EXPLOG, HYPERBOLIC, POWERS, SIMPLIFY, TRIG
from .report import EGraphReport
from .rulesets import ALGEBRA, CPU, EVAL, RULESETS, ERule, Ruleset, RulesetError, from_rule
from ..rewriting.simplify import register_simplifier

register_simplifier("egraph", egraph_simplify)   # simplify(e, using="egraph")

__all__ = ["egraph_simplify", "optimize_for_eval", "run_egraph", "DEFAULT_LIMITS",
           "SIMPLIFY_LIMITS", "CostModel", "DEFAULT_COSTS", "count_ops_model", "measure_costs",
           "EGraphReport", "Ruleset", "ERule", "RulesetError", "from_rule", "ALGEBRA", "CPU",
           "EVAL", "RULESETS", "SIMPLIFY", "TRIG", "HYPERBOLIC", "EXPLOG", "POWERS"]
