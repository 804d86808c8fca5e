"""Shared builders for the compile tests."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.terms import symbols


def brusselator(N: int, alpha: float = 10.0) -> tuple[list, list]:
    """2-D Brusselator RHS (periodic 5-point Laplacian), state [u-block, v-block]."""
    a = alpha * (N - 1) ** 2
    y = list(symbols(f"y0:{2 * N * N}"))

    def U(i: int, j: int):
        return y[(i % N) * N + (j % N)]

    def V(i: int, j: int):
        return y[N * N + (i % N) * N + (j % N)]

    ex = []
    for i in range(N):
        for j in range(N):
            u, v = U(i, j), V(i, j)
            ex.append(1.0 + u ** 2 * v - 4.4 * u
                      + a * (U(i + 1, j) + U(i - 1, j) + U(i, j + 1) + U(i, j - 1) - 4 * u))
    for i in range(N):
        for j in range(N):
            u, v = U(i, j), V(i, j)
            ex.append(3.4 * u - u ** 2 * v
                      + a * (V(i + 1, j) + V(i - 1, j) + V(i, j + 1) + V(i, j - 1) - 4 * v))
    return ex, y


def mass_action(n_species: int, n_reactions: int, seed: int = 0) -> tuple[list, list, list]:
    """A random mass-action network: du = S @ (k * prod(y[reactants]))."""
    rng = np.random.default_rng(seed)
    y = list(symbols(f"s0:{n_species}"))
    k = list(symbols(f"k0:{n_reactions}"))
    du: list = [0] * n_species
    for r in range(n_reactions):
        nr = int(rng.integers(1, 3))
        reac = [int(q) for q in rng.integers(0, n_species, nr)]
        prod = [int(q) for q in rng.integers(0, n_species, int(rng.integers(1, 3)))]
        rate = k[r]
        for q in reac:
            rate = rate * y[q]
        for q in reac:
            du[q] = du[q] - rate
        for q in prod:
            du[q] = du[q] + rate
    return du, y, k


@pytest.fixture(scope="module")
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
