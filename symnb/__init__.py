"""symnb: a symbolic-numeric notebook environment.

>>> import symnb
>>> x, y = symnb.symbols("x y")
>>> symnb.expand((x + y) ** 2)
x^2 + 2*x*y + y^2

``%load_ext symnb`` loads the IPython extension (magics).  Heavy libraries
(sympy, numba, egglog, plotly) are imported on first use only.
"""
from __future__ import annotations

from typing import Any

from .terms import (Abs, Add, Call, Derivative, EvaluationError, Function, Mul, Number,
                    ParseError, Pow, Symbol, Term, acos, arguments, asin, atan, cos, cosh,
                    count_nodes, count_ops, diff, evaluate, exp, expand, free_symbols, iscall,
                    isnumber, issym, log, maketerm, numvalue, operation, opname, parse, sign, sin, sinh, sqrt,
                    subs, substitute, symbols, symname, tan, tanh, to_latex, to_str,
                    to_string)

__version__ = "0.1.0"

# Simplifiers of layers above rewriting, registered by name (imported on first use).
from .rewriting.simplify import register_simplifier as _register_simplifier  # noqa: E402

_register_simplifier("egraph", "symnb.egraph.api:egraph_simplify")

# The notebook bar of long ODE solves, by name: imported on the first solve that runs long
# where IPython is loaded (symnb.progress_hook); models never import display.  Likewise the
# bar of long compiles.
from .progress_hook import COMPILE_PROGRESS as _COMPILE_PROGRESS  # noqa: E402
from .progress_hook import SOLVE_PROGRESS as _SOLVE_PROGRESS  # noqa: E402

_SOLVE_PROGRESS.set("symnb.display.solve_progress:solve_progress")
_COMPILE_PROGRESS.set("symnb.display.compile_progress:compile_progress")

# Each public function is exported once under its natural name; no subpackage shares a
# name with a public function (the subpackages are ``rewriting``, ``compiler``, ``tracing``).
_REWRITE = ["rule", "Rule", "RuleError", "simplify", "RewriteTrace", "Chain",
            "RestartedChain", "Postwalk", "Prewalk", "Fixpoint", "IfElse", "PassThrough", "Slot",
            "Segment", "DefaultSlot", "register_simplifier", "default_rules", "ruleset",
            "RULESETS"]
_SOLVERS = ["cg", "pcg", "gmres", "gcrodr", "sor", "ssor", "SolveResult", "compare",
            "RecycleSpace", "solve_sequence", "skr", "SequenceResult", "learn_to_relax",
            "RelaxResult", "darcy_sequence", "shifted_laplacians", "heat_sequence",
            "kl_random_field", "ChebCB", "ValleyCB"]

_LAZY = {
    **{n: ("symnb.rewriting", n) for n in _REWRITE},
    "rewrite": ("symnb.rewriting", "rewrite"),
    **{n: ("symnb.rewriting.families", n) for n in ("powsimp", "powdenest", "expand_power_base",
                                                    "radsimp", "expand_log", "logcombine")},
    "ask": ("symnb.terms.assumptions", "ask"),
    "compile": ("symnb.compiler", "compile"),
    "trace": ("symnb.tracing", "trace"),
    **{n: ("symnb.solvers", n) for n in _SOLVERS},
    "compile_array": ("symnb.compiler", "compile_array"),
    "jacobian": ("symnb.tracing", "jacobian"),
    **{n: ("symnb.tracing", n) for n in ("sym_array", "SymArray", "Traced", "TraceError",
                                         "jacobian_sparsity")},
    **{n: ("symnb.models", n) for n in ("ODEProblem", "ODEResult", "SolveError",
                                        "ReactionNetwork", "load_bionetgen",
                                        "NetworkFormatError", "read_gdat",
                                        "reaction_diffusion_3species", "brusselator_2d",
                                        "solve_ensemble", "EnsembleResult")},
    "solve_ode": ("symnb.models", "solve"),
    **{n: ("symnb.models.sbml", n) for n in ("load_sbml", "SBMLError")},
    "Compiled": ("symnb.compiler", "Compiled"),
    "CompileError": ("symnb.compiler.errors", "CompileError"),
    "optimize_for_eval": ("symnb.egraph", "optimize_for_eval"),
    "egraph_simplify": ("symnb.egraph", "egraph_simplify"),
    "EGraphReport": ("symnb.egraph", "EGraphReport"),
    "CostModel": ("symnb.egraph", "CostModel"),
    "measure_costs": ("symnb.egraph", "measure_costs"),
    "DEFAULT_COSTS": ("symnb.egraph", "DEFAULT_COSTS"),
    "EGraphRuleset": ("symnb.egraph", "Ruleset"),
    **{n: ("symnb.display", n) for n in ("dag", "DagView", "dag_payload", "egraph_payload",
                                         "validate_payload", "PayloadError", "live_solve",
                                         "progress", "SolveReport")},
    "BenchResult": ("symnb.bench", "BenchResult"),
    "benchmark": ("symnb.bench", "bench"),
    **{n: ("symnb.rewriting.families", n) for n in ("trigsimp", "expand_trig", "fu")},
    **{n: ("symnb.terms.functions", n) for n in ("sec", "csc", "cot")},
    **{n: ("symnb.polys", n) for n in ("together", "cancel", "factor", "collect", "apart")},
    "to_sympy": ("symnb.terms.sympy_bridge", "to_sympy"),
    "from_sympy": ("symnb.terms.sympy_bridge", "from_sympy"),
    "to_symengine": ("symnb.terms.symengine_bridge", "to_symengine"),
    "from_symengine": ("symnb.terms.symengine_bridge", "from_symengine"),
    # ``%load_ext symnb``: the IPython hooks come from the bridge module ``symnb.ipython``
    **{n: ("symnb.ipython", n) for n in ("load_ipython_extension", "unload_ipython_extension")},
}


# Notebook renderers (symnb.display), registered by dotted name: nothing is imported until
# an object is shown (see symnb.reprs; symnb.display.register adds or replaces one).
_RENDERERS = {
    "symnb.terms.core.Term": "symnb.display.terms:TERM",
    "symnb.rewriting.steps.RewriteTrace": "symnb.display.trace:TRACE",
    "symnb.egraph.report.EGraphReport": "symnb.display.egraph:REPORT",
    "symnb.egraph.rulesets.Ruleset": "symnb.display.egraph:RULESET",
    "symnb.egraph.costs.CostModel": "symnb.display.egraph:COST_MODEL",
    "symnb.compiler.compiled.Compiled": "symnb.display.compiled:COMPILED",
    "symnb.tracing.api.Traced": "symnb.display.tracing:TRACED",
    "symnb.tracing.symarray.SymArray": "symnb.display.tracing:SYMARRAY",
    "symnb.models.ode.ODEProblem": "symnb.display.models:ODE_PROBLEM",
    "symnb.models.ode.ODEResult": "symnb.display.models:ODE_RESULT",
    "symnb.models.network.ReactionNetwork": "symnb.display.models:NETWORK",
    "symnb.models.ensemble.EnsembleResult": "symnb.display.models:ENSEMBLE_RESULT",
    "symnb.models.reaction_diffusion.ReactionDiffusion":
        "symnb.display.models:REACTION_DIFFUSION",
    "symnb.models.reaction_diffusion.Brusselator2D": "symnb.display.models:BRUSSELATOR",
    "symnb.solvers.result.SolveResult": "symnb.display.solvers:SOLVE_RESULT",
    "symnb.solvers.sequence.SequenceResult": "symnb.display.solvers:SEQUENCE_RESULT",
    "symnb.solvers.bandit.RelaxResult": "symnb.display.solvers:RELAX_RESULT",
    "symnb.bench.harness.BenchResult": "symnb.display.bench:BENCH_RESULT",
    "symnb.bench.results.SuiteResult": "symnb.display.bench:SUITE_RESULT",
    "symnb.bench.results.Results": "symnb.display.bench:RESULTS",
}


def _register_renderers() -> None:
    from .reprs import register
    for cls, spec in _RENDERERS.items():
        register(cls, spec)


_register_renderers()

# Old names kept for one release: each warns and points to the natural name.
_DEPRECATED = {"compile_expr": "compile", "rewrite_expr": "rewrite",
               "trace_function": "trace", "solve": "solve_ode"}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        import warnings
        new = _DEPRECATED[name]
        warnings.warn(f"symnb.{name} is deprecated; use symnb.{new}", DeprecationWarning,
                      stacklevel=2)
        return __getattr__(new)
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'symnb' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value
    return value
