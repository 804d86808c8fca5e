"""Notebook reprs without upward imports: a registry from class name to renderer.

Result classes below ``symnb.display`` (terms, rewrite traces, e-graph reports, compiled
functions, solver and bench results) mix in :class:`Rendered` (``_repr_mimebundle_``) or
:class:`RenderedHTML` (plus ``_repr_html_``) and build no HTML themselves.  Renderers are
registered by the class's dotted name (``module.qualname``), either as an object or as a
``"module:attribute"`` string resolved on first use, so a registration imports nothing.
The root package registers the built-in renderers of ``symnb.display`` this way;
``symnb.display.register`` adds or replaces one.  A class without a renderer (also along
its MRO) shows ``text/plain``.

This module is a leaf: it imports nothing of symnb, and nothing of symnb imports it except
to mix the classes in (``tests/test_layers.py``).

A renderer is an object with ``mimebundle(obj) -> dict`` and, optionally,
``html(obj) -> str`` and ``ipython_display(obj)``; :class:`Renderer` makes one from
functions.

>>> class Point(Rendered):
...     def __init__(self, x): self.x = x
...     def __repr__(self): return f"Point({self.x})"
>>> Point(1)._repr_mimebundle_()
{'text/plain': 'Point(1)'}
>>> register(Point, Renderer(html=lambda p: f"<b>{p.x}</b>"))
>>> Point(2)._repr_mimebundle_()
{'text/plain': 'Point(2)', 'text/html': '<b>2</b>'}
>>> unregister(Point); Point(3)._repr_mimebundle_()
{'text/plain': 'Point(3)'}
"""
from __future__ import annotations

from typing import Any, Callable
from weakref import WeakKeyDictionary

__all__ = ["Renderer", "Rendered", "RenderedHTML", "register", "unregister", "renderer_for",
           "renderer_of", "dotted_name"]

_REGISTRY: dict[str, Any] = {}      # "module.qualname" -> renderer or "module:attr" spec
# resolved lookups along the MRO, cleared on register; weak, since some classes are made
# per instance (``Compiled``)
_BY_TYPE: WeakKeyDictionary = WeakKeyDictionary()


class Renderer:
    """A renderer from functions: ``html(obj) -> str`` and/or ``bundle(obj) -> dict``.

    With only ``html``, the bundle is ``text/plain`` (``repr``) and ``text/html``; with
    only ``bundle``, ``html`` is the bundle's ``text/html``.
    """

    __slots__ = ("_html", "_bundle")

    def __init__(self, html: Callable[[Any], str] | None = None,
                 bundle: Callable[[Any], dict] | None = None) -> None:
        if html is None and bundle is None:
            raise TypeError("Renderer needs html= or bundle= (a function of the object)")
        self._html, self._bundle = html, bundle

    def mimebundle(self, obj: Any) -> dict:
        if self._bundle is not None:
            return self._bundle(obj)
        return {"text/plain": repr(obj), "text/html": self._html(obj)}

    def html(self, obj: Any) -> str | None:
        if self._html is not None:
            return self._html(obj)
        return self.mimebundle(obj).get("text/html")


def dotted_name(cls: type) -> str:
    """``module.qualname`` of a class: the registry's key."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _check(renderer: Any) -> Any:
    if isinstance(renderer, str):
        if renderer.count(":") != 1:
            raise ValueError(f"renderer spec {renderer!r} must read 'module:attribute'")
        return renderer
    if callable(renderer) and not hasattr(renderer, "mimebundle"):
        return Renderer(bundle=renderer)
    if not callable(getattr(renderer, "mimebundle", None)):
        raise TypeError("a renderer needs a mimebundle(obj) method, or pass a function "
                        "obj -> MIME bundle dict, or a 'module:attribute' string")
    return renderer


def register(cls: type | str, renderer: Any) -> None:
    """Show instances of ``cls`` (a class or its dotted name) with ``renderer``: an object
    with ``mimebundle(obj)``, a function ``obj -> bundle dict``, or ``"module:attribute"``."""
    key = cls if isinstance(cls, str) else dotted_name(cls)
    _REGISTRY[key] = _check(renderer)
    _BY_TYPE.clear()


def unregister(cls: type | str) -> None:
    """Forget the renderer of ``cls`` (instances fall back to ``text/plain``)."""
    _REGISTRY.pop(cls if isinstance(cls, str) else dotted_name(cls), None)
    _BY_TYPE.clear()


def _resolve(key: str) -> Any:
    r = _REGISTRY[key]
    if isinstance(r, str):
        import importlib
        module, attr = r.split(":")
        r = _check(getattr(importlib.import_module(module), attr))
        _REGISTRY[key] = r
    return r


def renderer_for(cls: type) -> Any:
    """The renderer registered for ``cls`` or its nearest base class, or ``None``."""
    try:
        return _BY_TYPE[cls]
    except KeyError:
        pass
    found = None
    for c in cls.__mro__:
        key = dotted_name(c)
        if key in _REGISTRY:
            found = _resolve(key)
            break
    _BY_TYPE[cls] = found
    return found


def renderer_of(obj: Any, hook: str) -> Callable:
    """The renderer method ``hook`` for ``obj``; LookupError naming the fix when absent."""
    fn = getattr(renderer_for(type(obj)), hook, None)
    if fn is None:
        raise LookupError(f"no renderer with {hook}() is registered for {type(obj).__name__}; "
                          f"register one with symnb.display.register")
    return fn


class Rendered:
    """Mixin: ``_repr_mimebundle_`` from the registered renderer, else ``_plain_bundle()``."""

    __slots__ = ()

    def _plain_bundle(self) -> dict:
        return {"text/plain": repr(self)}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        r = renderer_for(type(self))
        return self._plain_bundle() if r is None else r.mimebundle(self)


class RenderedHTML(Rendered):
    """Mixin: :class:`Rendered` plus ``_repr_html_`` (``None`` without a renderer)."""

    __slots__ = ()

    def _repr_html_(self) -> str | None:
        r = renderer_for(type(self))
        if r is None:
            return None
        html = getattr(r, "html", None)
        return html(self) if html is not None else r.mimebundle(self).get("text/html")
