"""Shared builders for the compile tests."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.models import brusselator_2d
from symnb.terms import symbols


def brusselator(N: int, alpha: float = 10.0) -> tuple[list, list]:
    """2-D Brusselator RHS (periodic 5-point Laplacian), state [u-block, v-block]."""
    return brusselator_2d(N, alpha=alpha).terms()


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
