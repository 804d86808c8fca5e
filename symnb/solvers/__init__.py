"""Linear solvers and solver sequences (numpy / numba / scipy; pyamg, imported lazily, for AMG).

Every solver has the signature ``solve(A, b, x0=None, tol=1e-8, maxiter=None, M=None,
callback=None) -> SolveResult``; sequences add sorting (SKR) and Krylov recycling
(``solve_sequence(method="auto")``: recycled CG, recycled MINRES or GCRO-DR, with carried
IC(0)/ILU(0)/AMG preconditioners), and Learning-to-Relax picks SOR's omega with bandits.
"""
from .bandit import (ChebCB, ContextualTsallisINF, RelaxPolicy, RelaxResult, TsallisINF, ValleyCB, learn_to_relax,
                     omega_grid, sor_iterations)
from .deflated_cg import DeflationSpace, deflated_cg
from .defaults import gcrodr_defaults, measure_costs
from .gcrodr import RecycleSpace, gcrodr
from .ilu0 import ILU0
from .krylov import cg, gmres, pcg
from .precond import SSOR, Jacobi, Preconditioner
from .precond_carry import AMG, ILU, CarriedPreconditioner, solve_carried
from .problems import (LinearSystem, convection_diffusion_sequence, darcy, darcy_rotation_sequence, darcy_sequence,
                       gaussian_random_field, heat_sequence, helmholtz, helmholtz_shift_sequence, kl_random_field,
                       laplacian_2d, shifted_laplacians)
from .recycled_minres import check_symmetric, recycled_minres
from .result import SolveResult, compare
from .sequence import SequenceResult, compare_sequences, greedy_order, skr, solve_sequence, sort_systems
from .sor import jacobi_spectral_radius, optimal_omega, sor, ssor

__all__ = [
    "cg", "pcg", "gmres", "gcrodr", "sor", "ssor", "RecycleSpace",
    "deflated_cg", "recycled_minres", "DeflationSpace", "check_symmetric", "gcrodr_defaults", "measure_costs",
    "Preconditioner", "Jacobi", "SSOR", "AMG", "ILU", "ILU0", "CarriedPreconditioner", "solve_carried",
    "SolveResult", "compare",
    "SequenceResult", "compare_sequences", "greedy_order", "sort_systems", "solve_sequence", "skr",
    "TsallisINF", "ContextualTsallisINF", "ChebCB", "ValleyCB", "RelaxPolicy", "RelaxResult", "learn_to_relax", "omega_grid", "sor_iterations",
    "jacobi_spectral_radius", "optimal_omega",
    "LinearSystem", "laplacian_2d", "gaussian_random_field", "kl_random_field", "darcy", "darcy_sequence", "helmholtz",
    "heat_sequence", "shifted_laplacians", "convection_diffusion_sequence", "helmholtz_shift_sequence",
    "darcy_rotation_sequence",
]
