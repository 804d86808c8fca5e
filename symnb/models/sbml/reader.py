"""Read an SBML document (file path or XML string) with python-libsbml and check it.

Errors reported by libsbml (XML syntax and SBML consistency, not warnings) become one
``SBMLError`` listing each message with its line number.  Constructs the importer does
not simulate (delays, algebraic rules, fast reactions, the ``comp``/``fbc`` packages)
raise an ``SBMLError`` naming the construct and the element id.

>>> doc = read_sbml('<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" '
...                 'version="2"><model id="m"/></sbml>')
>>> doc.getModel().getId()
'm'
>>> read_sbml("<sbml><model")
Traceback (most recent call last):
  ...
symnb.models.sbml.errors.SBMLError: invalid SBML: line 1: unclosed token
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import SBMLError

__all__ = ["read_sbml", "check_supported", "check_xml", "MAX_XML_DEPTH"]

_UNSUPPORTED_PACKAGES = ("comp", "fbc")


MAX_XML_DEPTH = 1000
"""Elements nested deeper than this are refused before libsbml reads them: its recursive
reader crashes the process (a segmentation fault) on MathML nested ~5,000 levels deep."""


def _looks_like_xml(text: str) -> bool:
    return text.lstrip().startswith("<")


class _TooDeep(Exception):
    pass


def check_xml(xml: str | bytes, limit: int = MAX_XML_DEPTH) -> None:
    """``SBMLError`` for XML that is not well-formed (expat's message and line: libsbml took
    a minute to report an unclosed token in 36 MB of nested MathML) or whose elements nest
    deeper than ``limit`` (stopping at the first such element).

    >>> check_xml("<a>" * 3 + "</a>" * 3, limit=2)
    Traceback (most recent call last):
      ...
    symnb.models.sbml.errors.SBMLError: XML elements nested deeper than 2 levels (line 1); flatten the formula or raise symnb.models.sbml.reader.MAX_XML_DEPTH
    """
    from xml.parsers import expat
    parser = expat.ParserCreate()
    depth = [0]

    def start(name: str, attrs: Any) -> None:
        depth[0] += 1
        if depth[0] > limit:
            raise _TooDeep(parser.CurrentLineNumber)

    def end(name: str) -> None:
        depth[0] -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(xml, True)
    except _TooDeep as e:
        raise SBMLError(f"XML elements nested deeper than {limit} levels (line {e.args[0]}); "
                        "flatten the formula or raise "
                        "symnb.models.sbml.reader.MAX_XML_DEPTH") from None
    except expat.ExpatError as e:
        raise SBMLError(f"invalid SBML: line {e.lineno}: {expat.ErrorString(e.code)}") \
            from None


def read_sbml(source: str | os.PathLike) -> Any:
    """The ``libsbml.SBMLDocument`` of a path or an XML string (``SBMLError`` if invalid)."""
    import libsbml
    if isinstance(source, os.PathLike) or (isinstance(source, str)
                                            and not _looks_like_xml(source)):
        path = Path(source)
        try:
            found = path.is_file()
        except (OSError, ValueError):   # a name too long for the system, a NUL character
            found = False
        if not found:
            shown = str(path) if len(str(path)) <= 80 else str(path)[:77] + "..."
            raise SBMLError(f"no SBML file at {shown!r} (pass a path or an XML string "
                            "starting with '<')")
        check_xml(path.read_bytes())
        doc = libsbml.readSBMLFromFile(str(path))
    elif isinstance(source, str):
        check_xml(source)
        doc = libsbml.readSBMLFromString(source)
    else:
        raise SBMLError(f"load_sbml takes a path or an XML string, got {type(source).__name__}")
    _raise_errors(doc, "invalid SBML")
    for check in (libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, libsbml.LIBSBML_CAT_MODELING_PRACTICE):
        doc.setConsistencyChecks(check, False)
    if doc.checkConsistency():
        _raise_errors(doc, "invalid SBML")
    if doc.getModel() is None:
        raise SBMLError("the SBML document has no <model>")
    return doc


def _raise_errors(doc: Any, what: str) -> None:
    import libsbml
    msgs = []
    log = doc.getErrorLog()
    for i in range(log.getNumErrors()):
        e = log.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            msg = " ".join(e.getMessage().split())
            msgs.append(f"line {e.getLine()}: {msg}")
    if msgs:
        raise SBMLError(f"{what}: " + "; ".join(msgs))


def check_supported(doc: Any) -> None:
    """Raise ``SBMLError`` for the first construct this importer does not simulate."""
    import libsbml
    for pkg in _UNSUPPORTED_PACKAGES:
        if doc.isPackageEnabled(pkg) if hasattr(doc, "isPackageEnabled") else False:
            raise SBMLError(f"unsupported construct: the SBML '{pkg}' package "
                            f"(model {doc.getModel().getId()!r})")
    for i in range(doc.getNumPlugins()):
        name = doc.getPlugin(i).getPackageName()
        if name in _UNSUPPORTED_PACKAGES:
            raise SBMLError(f"unsupported construct: the SBML '{name}' package "
                            f"(model {doc.getModel().getId()!r})")
    m = doc.getModel()
    for r in m.getListOfRules():
        if r.isAlgebraic():
            raise SBMLError(f"unsupported construct: algebraic rule "
                            f"(id {r.getIdAttribute() or r.getMetaId() or '?'!r})")
    for r in m.getListOfReactions():
        if r.isSetFast() and r.getFast():
            raise SBMLError(f"unsupported construct: fast reaction {r.getId()!r}")
    for e in m.getListOfEvents():
        if e.isSetDelay():
            raise SBMLError(f"unsupported construct: event delay in event {e.getId()!r}")
    for elem, math in _all_math(m):
        if math is None:
            continue
        for node_type, name in ((libsbml.AST_FUNCTION_DELAY, "delay"),):
            if _contains(math, node_type):
                raise SBMLError(f"unsupported construct: csymbol {name} in "
                                f"{elem.getElementName()} {_elem_id(elem)!r}")


def _elem_id(elem: Any) -> str:
    for get in ("getId", "getVariable", "getSymbol"):
        f = getattr(elem, get, None)
        if f is not None and f():
            return f()
    p = elem.getParentSBMLObject()
    while p is not None:
        if getattr(p, "getId", None) and p.getId():
            return p.getId()
        p = p.getParentSBMLObject()
    return "?"


def _all_math(m: Any) -> list:
    out: list = []
    for lst in (m.getListOfRules(), m.getListOfInitialAssignments(),
                m.getListOfFunctionDefinitions()):
        out.extend((x, x.getMath()) for x in lst)
    for r in m.getListOfReactions():
        if r.isSetKineticLaw():
            out.append((r, r.getKineticLaw().getMath()))
    for e in m.getListOfEvents():
        if e.isSetTrigger():
            out.append((e, e.getTrigger().getMath()))
        if e.isSetPriority():
            out.append((e, e.getPriority().getMath()))
        out.extend((e, a.getMath()) for a in e.getListOfEventAssignments())
    return out


def _contains(node: Any, node_type: int) -> bool:
    if node.getType() == node_type:
        return True
    return any(_contains(node.getChild(i), node_type) for i in range(node.getNumChildren()))
