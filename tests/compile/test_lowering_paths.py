"""The fast paths of lowering (flat native sums and products, id-order
``share_products``, one-pass ``count_ops``) make the very IR the general walk makes:
same nodes in the same order (the order fixes the code printed), same counts."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from symnb.compiler.ir import flat_key, node_ops
from symnb.compiler.ssa import IR, ArgMap
from symnb.terms import Symbol, cos, sin, symbols
from symnb.terms.core import Add, Mul, Term
from symnb.terms.interface import arguments, iscall


class _AlwaysFolded(set):
    """Makes ``_sum_node`` hand every sum to ``lin``."""

    def isdisjoint(self, other):  # noqa: ARG002
        return False


class _NoCache(dict):
    """Makes ``_lower_flat_sum`` convert every sum's coefficients afresh."""

    def __setitem__(self, key, value) -> None:
        pass


class _WalkIR(IR):
    """The IR with the fast paths off: the general walk, ``lin``, ``power``/``prod``."""

    def __init__(self, argmap: ArgMap) -> None:
        super().__init__(argmap)
        self._folded = _AlwaysFolded()
        self._plain_coefs = _NoCache()

    def _lower_summands(self, terms, ids):
        return False

    def _lower_native_mul(self, t):
        return self._lower_mul_powers(t)

    def share_products(self, roots, limit: int = 256) -> int:
        return self._share_products_walk(list(roots), limit)

    def count_ops(self, roots) -> int:
        return sum(node_ops(self.nodes[i]) for i in self.reachable(roots))


X = list(symbols("x0:6"))
Z = symbols("z")          # not an argument: a Missing node
COEFS = [1, -1, 2, 3.4, -0.5, Fraction(1, 3), Fraction(-7, 2), 10 ** 400, 1e-320]


def _random_term(rng: np.random.Generator, depth: int):
    pick = int(rng.integers(0, 9 if depth else 3))
    if pick == 0:
        return X[int(rng.integers(0, len(X)))]
    if pick == 1:
        return COEFS[int(rng.integers(0, len(COEFS)))] * X[int(rng.integers(0, len(X)))]
    if pick == 2:
        return Z if rng.random() < 0.2 else X[int(rng.integers(0, 3))] ** int(rng.integers(1, 4))
    if pick in (3, 4, 5):   # a sum
        n = int(rng.integers(1, 8))
        return sum((COEFS[int(rng.integers(0, len(COEFS)))] * _random_term(rng, depth - 1)
                    for _ in range(n)), COEFS[int(rng.integers(0, len(COEFS)))] * (pick == 3))
    if pick == 6:           # a product of powers
        t = COEFS[int(rng.integers(0, len(COEFS)))]
        for _ in range(int(rng.integers(1, 4))):
            e = [1, 2, 2, 3, -1, Fraction(1, 2), 2.0, X[0]][int(rng.integers(0, 8))]
            t = t * _random_term(rng, depth - 1) ** e
        return t
    if pick == 7:
        return sin(_random_term(rng, depth - 1)) * _random_term(rng, depth - 1)
    a = _random_term(rng, depth - 1)
    return a * cos(a) * X[1] * X[2]     # share_products has something to do


def _tree_ops(t) -> int:
    """Operations of the tree of ``t`` as lowering counts them: a sum of ``n`` terms
    (the constant one of them) ``n - 1`` plus one per coefficient other than 1, a
    product likewise plus one per power other than 1, a call ``arity - 1`` (at least 1)."""
    if type(t) is Add:
        n = len(t.terms) + (t.const != 0)
        return max(n - 1, 1) + sum(_tree_ops(k) + (c != 1) for k, c in t.terms.items())
    if type(t) is Mul:
        n = len(t.factors) + (t.coef != 1)
        return max(n - 1, 1) + sum(_tree_ops(b) + (e != 1) + (_tree_ops(e) if isinstance(e, Term)
                                                             else 0)
                                   for b, e in t.factors.items())
    if not iscall(t):
        return 0
    args = arguments(t)
    return max(len(args) - 1, 1) + sum(map(_tree_ops, args))


def _lowered(ir: IR, terms: list) -> tuple:
    roots = [ir.lower(t) for t in terms]
    before = ir.count_ops(roots)
    shared = ir.share_products(roots)
    return (roots, [repr(flat_key(n)) for n in ir.nodes], ir.kids, ir.tree_ops,
            ir.tree_ops_of(terms), before, shared, ir.count_ops(roots), sorted(ir.missing))


@pytest.mark.parametrize("seed", range(12))
def test_fast_paths_make_the_walks_nodes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    terms = [_random_term(rng, 3) for _ in range(40)]
    terms += [t + X[3] * X[4] ** 2 for t in terms[:10]]     # sums met again, inside others
    argmap = ArgMap(X)
    fast = _lowered(IR(argmap), terms)
    assert fast == _lowered(_WalkIR(argmap), terms)
    assert fast[4] == sum(map(_tree_ops, terms))


def test_rows_of_a_grid_model_as_the_walk_makes_them() -> None:
    """Brusselator-like rows: inputs, squares times inputs, a constant."""
    u = list(symbols("u0:40"))
    rows = [1 - 4.5 * u[i] + 1.5 * u[(i + 1) % 40] + 2 * u[(i - 1) % 40]
            + u[i] ** 2 * u[(i + 20) % 40] for i in range(40)]
    rows += [-(u[i] ** 2) * u[(i + 20) % 40] + 3.4 * u[i] for i in range(40)]
    argmap = ArgMap([u])
    fast, walk = _lowered(IR(argmap), rows), _lowered(_WalkIR(argmap), rows)
    assert fast == walk
    assert fast[5] == 40 * 7 + 40 * 3 + 40   # ops: sums of 5 and 2 terms, products, squares


def test_share_products_rewrites_by_id_order_as_by_walk() -> None:
    x, y, w = X[0], X[1], X[2]
    terms = [x * y * cos(x * y), x * y * w * sin(x * y * w) * cos(x * y), w * sin(x * y)]
    for argmap in (ArgMap(X),):
        fast, walk = _lowered(IR(argmap), terms), _lowered(_WalkIR(argmap), terms)
        assert fast == walk and fast[6] >= 2


def _two_products_made_equal(ir: IR, flip: bool) -> tuple:
    """``q1 = a*b*B*B*cos(a*b)`` and ``q2 = (a*b)*c*d*B*cos(a*b)`` with ``B = c*d`` both
    become ``(a*b)*B*B*cos(a*b)``; ``q2`` has the lower id, the walk meets first the
    first root."""
    from symnb.compiler.ir import Call, In, Prod
    a, b, c, d = (ir.node((In, 0, k)) for k in range(4))
    p1 = ir.node((Prod, 1.0, (a, b), ()))
    big = ir.node((Prod, 1.0, (c, d), ()))
    cos_p1 = ir.node((Call, "cos", (p1,)))
    q2 = ir.node((Prod, 1.0, tuple(sorted((p1, c, d, big, cos_p1))), ()))
    q1 = ir.node((Prod, 1.0, tuple(sorted((a, b, big, big, cos_p1))), ()))
    shared = ir.share_products([q2, q1] if flip else [q1, q2])
    same = ir.node((Prod, 1.0, tuple(sorted((p1, big, big, cos_p1))), ()))
    return shared, same, q1, [repr(flat_key(n)) for n in ir.nodes], ir.kids


@pytest.mark.parametrize("flip", [False, True])
def test_share_products_interns_the_first_the_walk_meets(flip: bool) -> None:
    fast = _two_products_made_equal(IR(ArgMap(X)), flip)
    assert fast == _two_products_made_equal(_WalkIR(ArgMap(X)), flip)
    assert fast[0] == 2 and (fast[1] == fast[2]) is not flip


def test_coefficients_equal_as_numbers_share_their_floats() -> None:
    """Rows whose coefficients differ in type only (2, 2.0, 1/2, 0.5) or in the sign of a
    zero get the floats and the operation counts of each row's own coefficients."""
    x = X
    rows = [2 * x[0] + 3 * x[1], 2.0 * x[0] + 3 * x[1] + 0 * x[2], Fraction(1, 2) * x[0] - x[1],
            0.5 * x[0] - 1.0 * x[1], 0.5 * x[2] + -0.0 * x[3], 0.5 * x[2] + 0.0 * x[3],
            x[0] + x[1], 1.0 * x[0] + x[1], 7 + 2 * x[0] + 3 * x[1]]
    fast, walk = _lowered(IR(ArgMap(X)), rows), _lowered(_WalkIR(ArgMap(X)), rows)
    assert fast == walk and fast[4] == sum(map(_tree_ops, rows))


def test_summands_that_lower_to_one_node_are_added() -> None:
    """``x0`` and a positive ``x0`` are two terms but one input: one child, coefficient 5."""
    x0p = Symbol("x0", positive=True)
    rows = [2 * X[0] + 3 * x0p + X[1], 2 * X[0] - 2 * x0p + X[1], X[0] ** 2 * x0p + X[2]]
    fast = _lowered(IR(ArgMap(X)), rows)
    assert fast == _lowered(_WalkIR(ArgMap(X)), rows)
    assert "(1.0, 5.0)" in fast[1][-1] or any("(1.0, 5.0)" in k or "(5.0, 1.0)" in k
                                              for k in fast[1])
