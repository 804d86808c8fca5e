"""The public API exports each function once under its natural name; old names warn."""
import importlib
import warnings

import pytest

import symnb


def test_natural_names_are_functions_not_modules():
    from symnb.compiler import compile as compile_fn
    from symnb.rewriting import rewrite as rewrite_fn
    from symnb.tracing import trace as trace_fn
    assert symnb.compile is compile_fn
    assert symnb.rewrite is rewrite_fn
    assert symnb.trace is trace_fn


@pytest.mark.parametrize("old,new", [("compile_expr", "compile"), ("rewrite_expr", "rewrite"),
                                     ("trace_function", "trace"), ("solve", "solve_ode")])
def test_deprecated_aliases_warn_and_point_to_the_new_name(old, new):
    with pytest.warns(DeprecationWarning, match=f"use symnb.{new}"):
        value = getattr(symnb, old)
    assert value is getattr(symnb, new)


def test_no_subpackage_is_named_like_a_public_function():
    import pkgutil
    subpackages = {m.name for m in pkgutil.iter_modules(symnb.__path__) if m.ispkg}
    public = {n for n in symnb._LAZY if callable(getattr(symnb, n)) and
              not isinstance(getattr(symnb, n), type)}
    assert not subpackages & public, subpackages & public


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        symnb.nonsense
