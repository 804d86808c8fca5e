"""The 3-species reaction–diffusion system of the Symbolics.jl "auto-parallel" tutorial.

Fields ``A, B, C`` on an ``N x N`` grid; ``Mx, My`` are the tridiagonal
second-difference matrices with Neumann-style ``2.0`` corners::

    DA = D*(My@A + A@Mx)
    dA = DA + α1 − β1·A − r1·A·B + r2·C
    dB = α2 − β2·B − r1·A·B + r2·C
    dC = α3 − β3·C + r1·A·B − r2·C

with D = 100, all other constants 1 except α1 = 1.0·(X ≥ 4N/5) (X the
1-based column index), u0 = 0, t ∈ [0, 10].  ``rhs`` is a plain numpy function
of the flat state (layout ``(3, N, N)``, C order); ``trace()`` turns it into
terms and ``problem()`` into a compiled ``ODEProblem``.

>>> m = reaction_diffusion_3species(4)
>>> import numpy as np
>>> du = m.rhs(np.ones(m.n))
>>> du.shape, float(du[0]), float(du[2 * 16])
((48,), -1.0, 0.0)
>>> tr = m.trace()
>>> len(tr.terms), m.jacobian_sparsity().nnz
(48, 192)

The 2-D Brusselator (``brusselator_2d``) switches its forcing on at t = 1.1; the
switch is a parameter ``F`` of the traced RHS, and ``solve`` integrates the two
phases one after the other.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..reprs import RenderedHTML

__all__ = ["ReactionDiffusion", "reaction_diffusion_3species", "laplacian_matrices",
           "Brusselator2D", "brusselator_2d"]


def laplacian_matrices(N: int) -> tuple[np.ndarray, np.ndarray]:
    """``(Mx, My)``: tridiagonal ``[1, -2, 1]`` with the tutorial's ``2.0`` corners."""
    if N < 3:
        raise ValueError(f"N must be at least 3, got {N}")
    T = np.diag(np.full(N, -2.0)) + np.diag(np.ones(N - 1), 1) + np.diag(np.ones(N - 1), -1)
    Mx = T.copy()
    My = T.copy()
    Mx[1, 0] = 2.0
    Mx[N - 2, N - 1] = 2.0
    My[0, 1] = 2.0
    My[N - 1, N - 2] = 2.0
    return Mx, My


class ReactionDiffusion(RenderedHTML):
    """The model: ``N``, ``n`` (= 3N²), ``rhs(u, t=0.0)`` (numpy), ``u0``, ``t_span``,
    ``params`` (the constants), ``Mx``, ``My``, ``alpha1``; ``trace()``, ``problem()``,
    ``jacobian_sparsity()``, ``expected_sparsity()``."""

    def __init__(self, N: int = 32, D: float = 100.0, **consts: float) -> None:
        self.N = int(N)
        self.n = 3 * self.N * self.N
        self.Mx, self.My = laplacian_matrices(self.N)
        X = np.tile(np.arange(1, self.N + 1, dtype=float), (self.N, 1))   # X[i, j] = j + 1
        self.alpha1 = 1.0 * (X >= 4 * self.N / 5)
        self.params = dict(D=D, alpha2=1.0, alpha3=1.0, beta1=1.0, beta2=1.0, beta3=1.0,
                           r1=1.0, r2=1.0)
        unknown = set(consts) - set(self.params)
        if unknown:
            raise ValueError(f"unknown constant(s) {', '.join(sorted(unknown))}; known: "
                             f"{', '.join(self.params)}")
        self.params.update(consts)
        self.u0 = np.zeros(self.n)
        self.t_span = (0.0, 10.0)
        self.rhs = self._make_rhs()

    def _make_rhs(self) -> Callable[..., Any]:
        N, Mx, My, a1 = self.N, self.Mx, self.My, self.alpha1
        c = self.params
        D, a2, a3 = c["D"], c["alpha2"], c["alpha3"]
        b1, b2, b3, r1, r2 = c["beta1"], c["beta2"], c["beta3"], c["r1"], c["r2"]

        def rhs(u: Any, t: Any = 0.0) -> Any:
            U = u.reshape(3, N, N)
            A, B, C = U[0], U[1], U[2]
            DA = D * (My @ A + A @ Mx)
            AB = A * B
            dA = DA + a1 - b1 * A - r1 * AB + r2 * C
            dB = a2 - b2 * B - r1 * AB + r2 * C
            dC = a3 - b3 * C + r1 * AB - r2 * C
            return np.concatenate([dA.ravel(), dB.ravel(), dC.ravel()])
        return rhs

    def trace(self) -> Any:
        """The traced RHS (``symnb.trace.Traced``; state symbols ``u[k]``)."""
        from ..tracing import trace
        return trace(self.rhs, ("u", self.n))

    def jacobian_sparsity(self) -> Any:
        tr = self.trace()
        return tr.jacobian_sparsity()

    def expected_sparsity(self) -> Any:
        """The 5-point stencil (A only, with the boundary folded in) + the reaction couplings."""
        import scipy.sparse as sp
        N = self.N
        I = sp.identity(N, format="csr")
        lap = sp.kron(sp.csr_matrix(self.My), I) + sp.kron(I, sp.csr_matrix(self.Mx.T))
        lap = (lap != 0).astype(bool)
        eye = sp.identity(N * N, format="csr", dtype=bool)
        blocks = [[lap + eye, eye, eye], [eye, eye, eye], [eye, eye, eye]]
        return sp.bmat(blocks, format="csr").astype(bool)

    def problem(self, **kw: Any) -> Any:
        """A compiled ``ODEProblem`` from the traced RHS (keywords go to ``ODEProblem``)."""
        from .ode import ODEProblem
        tr = self.trace()
        kw.setdefault("name", f"reaction-diffusion 3-species N={self.N}")
        return ODEProblem(tr.outputs, tr.inputs[0], {}, "t", u0=self.u0, **kw)

    def __repr__(self) -> str:
        return f"<ReactionDiffusion 3-species N={self.N}: {self.n} states, t in {self.t_span}>"


def reaction_diffusion_3species(N: int = 32, **consts: float) -> ReactionDiffusion:
    """The Symbolics.jl tutorial's 3-species reaction–diffusion model on an N×N grid."""
    return ReactionDiffusion(N, **consts)


class Brusselator2D(RenderedHTML):
    """The 2-D Brusselator: periodic 5-point Laplacian, α = 10, A = 3.4, B = 1,
    forcing 5 inside the disc (x−0.3)² + (y−0.6)² ≤ 0.1² for t ≥ 1.1,
    u0 = 22(y(1−y))^1.5, v0 = 27(x(1−x))^1.5, t ∈ [0, 11.5].

    ``rhs(u, t)`` is the numpy function; ``rhs_forced(u, F)`` the same with the
    forcing switch ``F`` (0 or 1) as an argument, which is what gets traced;
    ``problem()`` gives an ``ODEProblem`` with parameter ``F``; ``solve(problem)``
    runs [0, 1.1] with F = 0, then [1.1, 11.5] with F = 1.

    >>> m = brusselator_2d(8)
    >>> import numpy as np
    >>> bool(np.allclose(m.rhs(m.u0, 2.0), m.rhs_forced(m.u0, 1.0)))
    True
    """

    def __init__(self, N: int = 32, alpha: float = 10.0, A: float = 3.4, B: float = 1.0) -> None:
        if N < 3:
            raise ValueError(f"N must be at least 3, got {N}")
        self.N = int(N)
        self.n = 2 * self.N * self.N
        xs = np.linspace(0.0, 1.0, self.N)
        X, Y = np.meshgrid(xs, xs, indexing="ij")          # X[i, j] = x_i, Y[i, j] = y_j
        self.disc = 5.0 * (((X - 0.3) ** 2 + (Y - 0.6) ** 2) <= 0.1 ** 2)
        self.a = alpha * (self.N - 1) ** 2  # alpha / dx^2 with dx = 1 / (N - 1), exactly
        self.A, self.B = A, B
        self.u0 = np.concatenate([(22 * (Y * (1 - Y)) ** 1.5).ravel(),
                                  (27 * (X * (1 - X)) ** 1.5).ravel()])
        self.t_span = (0.0, 11.5)
        self.t_switch = 1.1

    def rhs_forced(self, u: Any, F: Any) -> Any:
        N, a, A, B = self.N, self.a, self.A, self.B
        U = u.reshape(2, N, N)
        x, y = U[0], U[1]

        def lap(z: Any) -> Any:
            return (np.roll(z, 1, 0) + np.roll(z, -1, 0) + np.roll(z, 1, 1) + np.roll(z, -1, 1)
                    - 4 * z)
        x2y = x * x * y
        dx = a * lap(x) + B + x2y - (A + 1) * x + F * self.disc
        dy = a * lap(y) + A * x - x2y
        return np.concatenate([dx.ravel(), dy.ravel()])

    def rhs(self, u: Any, t: float = 0.0) -> Any:
        return self.rhs_forced(u, 1.0 if t >= self.t_switch else 0.0)

    def terms(self, name: str = "y") -> tuple[list, list]:
        """The unforced RHS built directly as symnb terms: ``(expressions, states)``.

        Same equations and state layout as ``rhs_forced(u, 0)`` (u-block, then v-block,
        row-major), written term by term rather than traced, as in the benchmarks of the
        DifferentialEquations.jl docs.

        >>> ex, y = brusselator_2d(4).terms()
        >>> len(ex), len(y), str(y[0])
        (32, 32, 'y0')
        """
        from ..terms import symbols
        N, a, A, B = self.N, self.a, self.A, self.B
        NN = N * N
        y = list(symbols(f"{name}0:{2 * NN}"))

        def U(i: int, j: int) -> Any:
            return y[(i % N) * N + (j % N)]

        def V(i: int, j: int) -> Any:
            return y[NN + (i % N) * N + (j % N)]

        ex = []
        for i in range(N):
            for j in range(N):
                u, v = U(i, j), V(i, j)
                ex.append(B + u ** 2 * v - (A + 1) * u
                          + a * (U(i + 1, j) + U(i - 1, j) + U(i, j + 1) + U(i, j - 1) - 4 * u))
        for i in range(N):
            for j in range(N):
                u, v = U(i, j), V(i, j)
                ex.append(A * u - u ** 2 * v
                          + a * (V(i + 1, j) + V(i - 1, j) + V(i, j + 1) + V(i, j - 1) - 4 * v))
        return ex, y

    def trace(self) -> Any:
        from ..terms.core import Symbol
        from ..tracing import trace
        return trace(self.rhs_forced, ("u", self.n), Symbol("F"))

    def problem(self, **kw: Any) -> Any:
        from ..terms.core import Symbol
        from .ode import ODEProblem
        tr = self.trace()
        kw.setdefault("name", f"Brusselator 2-D N={self.N}")
        return ODEProblem(tr.outputs, tr.inputs[0], {Symbol("F"): 0.0}, "t", u0=self.u0, **kw)

    def solve(self, problem: Any, **kw: Any) -> Any:
        """Both phases (forcing off, then on); returns the two ``ODEResult`` objects."""
        from .ode import solve
        t0, t1 = self.t_span
        r1 = solve(problem, self.u0, (t0, self.t_switch), p={"F": 0.0}, **kw)
        if not r1.success:
            return r1, None
        r2 = solve(problem, r1.y[:, -1], (self.t_switch, t1), p={"F": 1.0}, **kw)
        return r1, r2

    def __repr__(self) -> str:
        return f"<Brusselator2D N={self.N}: {self.n} states, t in {self.t_span}>"


def brusselator_2d(N: int = 32, **kw: float) -> Brusselator2D:
    """The 2-D Brusselator of the DifferentialEquations.jl / Symbolics.jl benchmarks."""
    return Brusselator2D(N, **kw)
