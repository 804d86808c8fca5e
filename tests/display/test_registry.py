"""The display registry: result types below ``display`` get their notebook views from
renderers registered by class name, resolved on first show."""
from __future__ import annotations

import subprocess
import sys

import pytest

import symnb
from symnb import reprs
from symnb.display import Renderer, register, unregister


def test_reprs_work_without_importing_display_and_import_it_on_first_show():
    code = ("import sys, symnb; x, y = symnb.symbols('x y'); "
            "before = 'symnb.display' in sys.modules; b = (x * y)._repr_mimebundle_(); "
            "print(before, 'symnb.display' in sys.modules, sorted(b))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split(" ", 2)
    assert out[:2] == ["False", "True"]
    assert "application/vnd.symnb.dag+json" in out[2] and "image/svg+xml" in out[2]


def test_import_symnb_loads_no_renderer_and_nothing_heavy():
    code = ("import sys, symnb; heavy = ('numpy', 'plotly', 'numba', 'egglog', 'IPython', "
            "'kernel_ext', 'symnb.display'); print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_every_builtin_renderer_resolves_for_a_rendered_class():
    import importlib
    for name, spec in symnb._RENDERERS.items():
        module, attr = spec.split(":")
        r = getattr(importlib.import_module(module), attr)
        assert callable(r.mimebundle), name
        module, _, qualname = name.rpartition(".")
        cls = getattr(importlib.import_module(module), qualname)
        assert issubclass(cls, reprs.Rendered) and reprs.renderer_for(cls) is r, name


class _Base(reprs.RenderedHTML):
    def __repr__(self) -> str:
        return type(self).__name__


class _Child(_Base):
    pass


def test_renderer_found_along_the_mro_and_replaced_by_register():
    try:
        assert _Child()._repr_mimebundle_() == {"text/plain": "_Child"}
        assert _Child()._repr_html_() is None
        register(_Base, Renderer(html=lambda o: f"<i>{o!r}</i>"))
        assert _Child()._repr_html_() == "<i>_Child</i>"
        register(reprs.dotted_name(_Child), lambda o: {"text/plain": "own"})   # a bundle fn
        assert _Child()._repr_mimebundle_() == {"text/plain": "own"}
        assert _Child()._repr_html_() is None                  # that bundle has no HTML
        assert _Base()._repr_html_() == "<i>_Base</i>"
    finally:
        unregister(_Base)
        unregister(_Child)
    assert _Child()._repr_mimebundle_() == {"text/plain": "_Child"}


def test_a_term_renderer_can_be_replaced_and_restored():
    x, y = symnb.symbols("x y")
    old = reprs.renderer_for(symnb.Term)
    try:
        register(symnb.Term, lambda t: {"text/plain": "mine"})
        assert (x * y)._repr_mimebundle_() == {"text/plain": "mine"}
        unregister(symnb.Term)
        assert (x * y)._repr_mimebundle_() == {"text/plain": "x*y", "text/latex": "$x y$"}
    finally:
        register(symnb.Term, old)
    assert "image/svg+xml" in (x * y)._repr_mimebundle_()


@pytest.mark.parametrize("renderer, msg", [
    ("symnb.display.terms.TERM", "must read 'module:attribute'"),
    (42, "needs a mimebundle"),
])
def test_bad_renderers_are_refused(renderer, msg):
    with pytest.raises((TypeError, ValueError), match=msg):
        register(_Base, renderer)


def test_a_missing_hook_names_the_fix():
    with pytest.raises(LookupError, match="register one with symnb.display.register"):
        reprs.renderer_of(_Child(), "payload")
