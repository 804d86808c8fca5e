"""The same generic algorithms run unchanged on symnb, sympy and symengine terms."""
import pytest
import symengine
import sympy

import symnb
from symnb import (arguments, count_nodes, iscall, isnumber, issym, maketerm, operation, opname,
                   substitute, to_string)
from symnb.terms.interface import makesym, term_ops

x, y = symnb.symbols("x y")
NATIVE = symnb.sin(x * y) + (x + 1) ** 2 * y
REPS = {
    "symnb": (NATIVE, lambda t: t),
    "sympy": (symnb.to_sympy(NATIVE), symnb.from_sympy),
    "symengine": (symnb.to_symengine(NATIVE), symnb.from_symengine),
}


@pytest.mark.parametrize("rep", REPS)
def test_interface_basics(rep):
    t, back = REPS[rep]
    assert iscall(t) and opname(t) == "Add"
    assert len(arguments(t)) == 2
    assert back(maketerm(operation(t), list(arguments(t)))) is NATIVE
    leaves = [a for a in symnb.terms.generic.walk_postorder(t) if not iscall(a)]
    assert any(issym(a) for a in leaves) and any(isnumber(a) for a in leaves)


@pytest.mark.parametrize("rep", REPS)
def test_count_nodes_agrees(rep):
    t, _ = REPS[rep]
    # sin(x*y) + y*(x + 1)^2: 12 tree nodes; x and y are shared in the DAG
    assert count_nodes(t) == 12
    assert count_nodes(t, dag=True) == 10


@pytest.mark.parametrize("rep", REPS)
def test_substitute_generic(rep):
    t, back = REPS[rep]
    sx = makesym(t, "x")
    one = symnb.terms.interface.makenum(t, 1)
    r = substitute(t, {sx: one})
    assert back(r) is NATIVE.subs({x: 1})


@pytest.mark.parametrize("rep", REPS)
def test_to_string_generic_parses_back(rep):
    t, _ = REPS[rep]
    assert symnb.parse(to_string(t)) is NATIVE


def test_term_ops_resolves_once_per_type():
    ops = term_ops(NATIVE)
    assert ops.opname(NATIVE) == "Add"
    assert term_ops(x * y + 1) is ops          # cached per representation type


def test_unknown_objects_are_refused_clearly():
    with pytest.raises(TypeError, match="list"):
        iscall([1, 2])
