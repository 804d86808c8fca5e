import numpy as np
import pytest
import scipy.sparse as sp

from symnb.solvers import laplacian_2d


@pytest.fixture(scope="session")
def spd():
    A = laplacian_2d(8)  # 64 unknowns, SPD
    b = np.random.default_rng(0).standard_normal(A.shape[0])
    return A, b


@pytest.fixture(scope="session")
def nonsym():
    # convection-diffusion, 5-point upwind: nonsymmetric, diagonally dominant
    n = 8
    A = laplacian_2d(n) + sp.kron(sp.eye(n), sp.diags([-0.8, 0.8], [-1, 0], shape=(n, n)))
    A = A.tocsr()
    b = np.random.default_rng(1).standard_normal(A.shape[0])
    return A, b
