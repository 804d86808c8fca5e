"""memory_limit: a model whose estimated compile memory passes the user's limit gets one
clear error before anything is compiled, naming the estimate, the limit and the keyword."""
from pathlib import Path

import numpy as np
import pytest

from symnb import config
from symnb.models import MemoryLimitExceeded, ODEProblem, estimate_compile_memory
from symnb.models.bionetgen import load_bionetgen
from symnb.models.memory import FIXED_BYTES, PER_EDGE, PER_NNZ, parse_size
from symnb.models.network import ReactionNetwork
from symnb.terms import symbols

from .test_sbml import comp, lists, reaction, sbml, species

DATA = Path(__file__).parent / "data"


def chain(n):
    """A -> B -> ... linear chain of n species (n - 1 reactions)."""
    return ReactionNetwork([(f"S{i} -> S{i + 1}", 1.0 + i) for i in range(n - 1)],
                           initial={"S0": 1.0})


def no_compile(monkeypatch):
    """Make any compile fail loudly: the refusal must come before compiling."""
    import symnb.compiler as C

    def boom(*a, **k):
        raise AssertionError("compile_array was called")
    monkeypatch.setattr(C, "compile_array", boom)


def test_estimate_grows_with_the_model_and_counts_the_jacobian():
    small, big = chain(10), chain(200)
    es = estimate_compile_memory(small.rhs(), small.symbols)
    eb = estimate_compile_memory(big.rhs(), big.symbols)
    assert eb.nnz == 2 * 200 - 2 and es.nnz == 2 * 10 - 2    # diagonal but the last + sub-diagonal
    assert eb.bytes > es.bytes > FIXED_BYTES
    assert eb.bytes == FIXED_BYTES + eb.edges * PER_EDGE + eb.nnz * PER_NNZ
    nojac = estimate_compile_memory(big.rhs(), big.symbols, jac=False)
    assert nojac.nnz == 0 and nojac.bytes == eb.bytes - eb.nnz * PER_NNZ


def test_network_over_the_limit_is_refused_before_compiling(monkeypatch):
    net = chain(200)
    no_compile(monkeypatch)
    with pytest.raises(MemoryLimitExceeded) as e:
        net.problem(memory_limit="20MB")
    msg = str(e.value)
    est = estimate_compile_memory(net.rhs(), net.symbols)
    assert e.value.estimate_bytes == est.bytes and e.value.limit_bytes == 20_000_000
    assert "limit 20 MB" in msg and "memory_limit=" in msg and "compile_memory_limit" in msg
    assert f"{est.nnz:,} Jacobian nonzeros" in msg and "\n" not in msg


def test_under_the_limit_compiles_and_solves():
    prob = chain(5).problem(memory_limit="1GB", compile_backend="python")
    assert prob.n == 5
    np.testing.assert_allclose(prob.rhs(np.ones(5))[:2], [-1.0, 1.0 - 2.0])


def test_config_default_applies_to_bionetgen_and_the_keyword_overrides_it(monkeypatch):
    net = load_bionetgen(DATA / "cbngl.net")
    with config.limits(compile_memory_limit=1000):
        with pytest.raises(MemoryLimitExceeded, match="limit 1 kB"):
            net.problem(compile_backend="python")
        assert net.problem(compile_backend="python", memory_limit=2 * 10**9).n == 5


def test_sbml_problem_takes_the_limit_and_does_not_fall_back_to_no_jacobian():
    from symnb.models.sbml import load_sbml
    doc = sbml(lists(c=[comp()], s=[species("A", 1.0), species("B", 0.0)],
                     rx=[reaction("r", [("A", 1)], [("B", 1)], "k*A")],
                     p=['<parameter id="k" value="1" constant="true"/>']))
    m = load_sbml(doc)
    with pytest.raises(MemoryLimitExceeded, match="memory_limit"):
        m.problem(memory_limit="1 kB")
    assert m.problem(memory_limit="1 GiB").jac_compiled is not None


@pytest.mark.parametrize("bad", ["lots", "2 XB", "-5MB", 0, -1, True, "0 GB"])
def test_a_bad_limit_is_one_clear_error(bad):
    with pytest.raises(ValueError, match="memory_limit must be"):
        parse_size(bad)
    x, y = symbols("x y")
    with pytest.raises(ValueError, match="memory_limit must be"):
        ODEProblem([-x, x], [x, y], memory_limit=bad, compile_backend="python")
