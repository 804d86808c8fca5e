import numpy as np
import pytest

from symnb.solvers import darcy_sequence, solve_sequence

distributed = pytest.importorskip("distributed")


def test_dask_path_matches_in_process():
    seq = darcy_sequence(6, 8, seed=4)
    local = solve_sequence(seq, m=12, k=4, groups=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = solve_sequence(seq, m=12, k=4, client=client)
    assert remote.info["groups"] == 2
    assert remote.converged
    np.testing.assert_array_equal(remote.order, local.order)
    for a, b in zip(remote.solutions, local.solutions):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(remote.matvecs, local.matvecs)
    single = solve_sequence(seq, m=12, k=4)
    for a, b in zip(remote.solutions, single.solutions):
        np.testing.assert_allclose(a, b, rtol=1e-6)
