import builtins

import numpy as np
import pytest
import scipy.sparse as sp

from symnb.solvers import cg, darcy, laplacian_2d, pcg
from symnb.solvers.dcdm import DirectionNet, conv3x3, dcdm, diag_feature, forward, grid_side
from symnb.solvers import dcdm_learn


@pytest.fixture(scope="module")
def darcy16():
    return darcy(16, seed=3)


def test_identity_memory1_is_cg(darcy16):
    A, b = darcy16.A, darcy16.b
    ref = cg(A, b, tol=1e-8)
    res = dcdm(A, b, tol=1e-8, net="identity", memory=1)
    assert res.converged and res.method == "dcdm[identity]"
    k = min(30, ref.iterations)  # exact-arithmetic equivalence: the early histories agree closely
    np.testing.assert_allclose(res.residuals[:k], ref.residuals[:k], rtol=1e-6)
    assert abs(res.iterations - ref.iterations) <= 2
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-6, atol=1e-9 * np.abs(ref.x).max())


def test_jacobi_memory1_is_jacobi_pcg(darcy16):
    A, b = darcy16.A, darcy16.b
    ref = pcg(A, b, tol=1e-8, M="jacobi")
    res = dcdm(A, b, tol=1e-8, net="jacobi", memory=1)
    assert res.converged
    k = min(30, ref.iterations)
    np.testing.assert_allclose(res.residuals[:k], ref.residuals[:k], rtol=1e-6)


def test_pretrained_net_converges_and_beats_cg_at_32():
    s = darcy(32, seed=7)
    res = dcdm(s.A, s.b, tol=1e-6)
    ref = cg(s.A, s.b, tol=1e-6)
    assert res.converged and res.method == "dcdm[net]"
    assert np.linalg.norm(s.b - s.A @ res.x) <= 1e-6 * np.linalg.norm(s.b) * 1.01
    assert res.iterations < ref.iterations
    assert res.matvecs == res.iterations  # x0 = 0: one matvec per iteration


def test_pretrained_net_runs_on_a_larger_grid():
    s = darcy(64, seed=8)
    res = dcdm(s.A, s.b, tol=1e-6, maxiter=2000, memory=20)
    assert res.converged and res.iterations < cg(s.A, s.b, tol=1e-6).iterations


def test_callable_net_and_memory(darcy16):
    A, b = darcy16.A, darcy16.b
    calls = []

    def direction(r):
        calls.append(np.linalg.norm(r))
        return r

    res = dcdm(A, b, tol=1e-6, net=direction, memory=3)
    assert res.converged and res.info["memory"] == 3
    assert len(calls) == res.iterations
    np.testing.assert_allclose(calls, 1.0)  # the direction function sees unit residuals


def test_bad_input():
    A = laplacian_2d(4)
    with pytest.raises(ValueError, match="memory"):
        dcdm(A, np.ones(16), memory=0)
    with pytest.raises(ValueError, match="net must be"):
        dcdm(A, np.ones(16), net="nope")
    with pytest.raises(ValueError, match="not a square"):
        dcdm(sp.eye(12, format="csr"), np.ones(12))
    with pytest.raises(ValueError, match="positive diagonal"):
        diag_feature(-sp.eye(16, format="csr"))
    with pytest.raises(ValueError, match="lack"):
        DirectionNet({"w_in": np.zeros((2, 2, 3, 3))})
    # a negative-definite matrix: breakdown, not a wrong answer
    res = dcdm(-laplacian_2d(4), np.ones(16), net="identity")
    assert not res.converged and res.reason == "breakdown"


def test_conv_and_shapes():
    x = np.random.default_rng(0).standard_normal((2, 6, 6))
    w = np.zeros((1, 2, 3, 3))
    w[0, 0, 1, 1] = 1.0  # centre tap of channel 0: the identity
    np.testing.assert_array_equal(conv3x3(x, w)[0], x[0])
    net = DirectionNet.pretrained()
    y = forward(net.params, x[0], x[1])
    assert y.shape == (6, 6)
    assert grid_side(49) == 7


def test_save_load_roundtrip(tmp_path):
    net = DirectionNet.pretrained()
    net.save(tmp_path / "w.npz")
    back = DirectionNet.load(tmp_path / "w.npz")
    for k in net.params:
        np.testing.assert_allclose(back.params[k], net.params[k], rtol=1e-6)
    assert back.meta["grid"] == net.meta["grid"]


def test_stencil_matches_matrix():
    s = darcy(8, seed=1)
    S = dcdm_learn.stencil(s.A)
    y = np.random.default_rng(2).standard_normal((8, 8))
    yp = np.pad(y, 1)
    Ay = S[0] * y + S[1] * yp[:-2, 1:-1] + S[2] * yp[2:, 1:-1] + S[3] * yp[1:-1, :-2] + S[4] * yp[1:-1, 2:]
    np.testing.assert_allclose(Ay.ravel(), s.A @ y.ravel(), rtol=1e-12)
    with pytest.raises(ValueError, match="5-point"):
        dcdm_learn.stencil(sp.csr_matrix(np.ones((16, 16))))


def test_missing_jax_gives_one_clear_error(monkeypatch):
    real = builtins.__import__

    def fake(name, *args, **kw):
        if name == "jax" or name.startswith("jax."):
            raise ImportError("No module named 'jax'")
        return real(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"pip install 'symnb\[learn\]'") as e:
        dcdm_learn.train_direction_net([darcy(8, seed=0)], steps=1)
    assert "\n" not in str(e.value)


def test_jax_forward_matches_numpy_and_training_lowers_loss():
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp
    from jax import lax

    net = DirectionNet.pretrained()
    rng = np.random.default_rng(4)
    r, f = rng.standard_normal((2, 16, 16))
    x = jnp.asarray(np.stack([r, f])[None], dtype=jnp.float32)
    pj = {k: jnp.asarray(v, dtype=jnp.float32) for k, v in net.params.items()}
    yj = np.asarray(dcdm_learn._jax_forward(jnp, lax, pj, x))[0]
    yn = forward(net.params, r, f)
    np.testing.assert_allclose(yj, yn, rtol=1e-3, atol=1e-4 * np.abs(yn).max())
    trained, hist = dcdm_learn.train_direction_net([darcy(8, seed=s) for s in range(2)], vectors_per_system=16,
                                                   channels=4, steps=40, batch=8, log_every=10)
    assert hist[-1][1] < hist[0][1]
    assert trained.channels == 4 and trained.meta["grid"] == 8 and jax.__version__ == trained.meta["jax"]
