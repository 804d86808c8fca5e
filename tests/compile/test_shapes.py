"""Canonical serialisation of re-rolling (symnb.compiler.shapes): the fast paths agree
with the general walk, and outputs with one pattern of sharing get one shape."""
from __future__ import annotations

import numpy as np
import pytest

from symnb.compiler.shapes import Canon, _postorder_new
from symnb.compiler.ssa import IR, ArgMap
from symnb.terms import cos, exp, symbols
from symnb.terms.walk import postorder_from

# names no doctest uses: the order of a product's factors in the IR can depend on the
# terms built before, and shapes.py's doctests print slot values
U = list(symbols("w0:24"))
T = symbols("tau")


def _leaf(rng: np.random.Generator, off: int):
    return T if rng.random() < 0.1 else U[off + int(rng.integers(0, 6))]


def _factor(rng: np.random.Generator, off: int):
    """A leaf, or an operation over leaves (product, sum, power, call)."""
    k = int(rng.integers(0, 6))
    if k == 0:
        return _leaf(rng, off) * _leaf(rng, off) * _leaf(rng, off)
    if k == 1:
        return _leaf(rng, off) + [2, -1][int(rng.integers(0, 2))] * _leaf(rng, off) + 1
    if k == 2:
        return _leaf(rng, off) ** 0.3
    if k == 3:
        return cos(_leaf(rng, off))
    if k == 4:
        return exp(_leaf(rng, off) * _leaf(rng, off))
    return _leaf(rng, off)


def _random_outputs(seed: int, n: int) -> list:
    """Sums and products of factors, with few coefficients (ties) and repeated leaves;
    each one four times, over other input elements (as a stencil's outputs)."""
    out = []
    for j in range(n):
        for off in (0, 6, 12, 18):
            rng = np.random.default_rng((seed, j))
            parts = [_factor(rng, off) for _ in range(int(rng.integers(1, 6)))]
            if rng.random() < 0.6:
                e = 0
                for p in parts:
                    e = e + [1, 2, -1, 0.5][int(rng.integers(0, 4))] * p
            else:
                e = 3
                for p in parts:
                    e = e * p
                if rng.random() < 0.3:
                    e = e / _leaf(rng, off)
            if rng.random() < 0.2:
                e = cos(e)           # deeper than the fast path takes
            out.append(e)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_serialisation_through_templates_equals_the_walk(seed: int) -> None:
    ir = IR(ArgMap([U, T]))
    roots = [ir.lower(e) for e in _random_outputs(seed, 150)]
    canon = Canon(ir)
    for r in ir.reachable(roots):
        assert canon.serialize(r, reuse=True) == canon._serialize_walk(r), ir.nodes[r]
        assert canon.serialize(r) == canon._serialize_walk(r)
    made = [t for t in canon._tmpl.values() if t is not None]
    hits = sum(canon._reuse.values()) + len(canon._tmpl)    # + misses - misses
    assert len(made) > 50 and hits > 2 * len(made)   # templates made and used again


def test_shapes_are_numbered_in_postorder_from_order() -> None:
    """Shape ids are numbered as first met, and sums order terms by them: the nodes
    under an output are numbered in the order of ``postorder_from``."""
    ir = IR(ArgMap([U, T]))
    roots = [ir.lower(e) for e in _random_outputs(3, 200)]
    canon, ref = Canon(ir), Canon(ir)
    kids, sid = ir.kids, ref._sid
    for r in roots:
        new = postorder_from((r,), lambda k: [c for c in kids[k] if c not in sid])
        if r not in sid:
            assert _postorder_new(r, kids, sid) == new
        for k in new:
            ref._add_shape(k)
        assert canon.shape_id(r) == sid[r]
    assert canon._sid == ref._sid and len(ref._sintern) > 20


def test_one_pattern_of_sharing_gives_one_shape_whatever_the_numbering() -> None:
    u = U
    ir = IR(ArgMap([U, T]))
    # the element shared with the product sorts first among the tied terms in both,
    # though it is the lower-numbered input in one and the higher in the other
    r1 = ir.lower(2 * u[0] + 2 * u[1] + u[0] * u[2] * u[2])
    r2 = ir.lower(2 * u[3] + 2 * u[4] + u[4] * u[5] * u[5])
    r3 = ir.lower(2 * u[3] + 2 * u[4] + u[6] * u[5] * u[5])   # no sharing: another shape
    canon = Canon(ir)
    (k1, i1, f1), (k2, i2, f2), (k3, _, _) = (canon.serialize(r) for r in (r1, r2, r3))
    assert k1 == k2 and k3 != k1
    assert canon.shape_id(r1) == canon.shape_id(r3)
    # the shared element, the other tied term, then the product's other factor
    assert i1 == [0, 1, 2] and i2 == [4, 3, 5]
    assert f1 == f2


def test_templates_tell_sums_apart_by_their_coefficients() -> None:
    """The terms of a sum are ordered by coefficient among equal shapes, so sums that
    differ only in coefficients share no template (here inside a product)."""
    w = U
    outs = [(w[i] + c * w[i + 1] + 1) * w[i + 2] ** 2 * (c * w[i] - w[i + 2])
            for c in (2, -1, 0.5) for i in (0, 3, 6, 9)]
    ir = IR(ArgMap([U, T]))
    roots = [ir.lower(e) for e in outs]
    canon = Canon(ir)
    for r in roots:
        assert canon.serialize(r, reuse=True) == canon._serialize_walk(r)
    assert sum(t is not None for t in canon._tmpl.values()) >= 3
