"""symnb.bench.as_written.measure: the paper's experiment on a small network."""
from __future__ import annotations

import pytest

from symnb.bench.as_written import LABELS, measure
from symnb.terms import symbols


def test_measure_small_network() -> None:
    x, y, z, k1, k2 = symbols("x y z k1 k2")
    r1, r2 = k1 * x * y, k2 * z ** 2          # x + y -> z, 2 z -> x
    rhs = [-r1 + r2, -r1, r1 - 2 * r2]
    res = measure(rhs, [x, y, z, k1, k2], [1.0, 2.0, 0.5, 0.3, 0.7], batch=8, rounds=1,
                  min_time=1e-4, time_limit=3.0)
    assert set(res.seconds) == set(LABELS) == set("abcdef")
    assert all(v > 0 for v in res.seconds.values())
    assert res.max_rel_diff < 1e-12
    # the cycle table: the extraction is no costlier than the input, as written
    assert res.cost["b"] <= res.cost["a"]
    assert "math.pow" in res.sources["a"]
    figs = res.figures()
    assert figs["ratio_a_b"] == pytest.approx(res.seconds["a"] / res.seconds["b"])
    assert figs["cycles_cost_ratio_a_b"] == pytest.approx(res.cost["a"] / res.cost["b"])
    assert res.ops["a"]["source"]["pow"] == 2 and res.ops["a"]["llvm"]["pow"] == 0


def test_measure_bad_values() -> None:
    x, y = symbols("x y")
    with pytest.raises(ValueError, match="one value per symbol"):
        measure([x * y], [x, y], [1.0])
