"""Data flows one way: no module under ``symnb/`` imports a higher layer, not even inside a
function.

Every module's AST is walked (function bodies included): ``import``, ``from ... import``
(absolute and relative) and ``importlib.import_module("...")`` / ``__import__("...")`` with
a string literal.  Each import of ``symnb`` or ``kernel_ext`` is checked against
``ALLOWED``; a failure lists each violation as ``module:line -> target``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "symnb"

# Layers, lowest first.  Each may import its own package, the lower layers named here and
# the leaf modules in LEAVES; ``solvers`` uses numpy/scipy/numba only.
LAYERS = ["terms", "polys", "rewriting", "egraph", "compiler", "tracing", "models"]
ALLOWED: dict[str, set] = {name: set(LAYERS[:i]) for i, name in enumerate(LAYERS)}
ALLOWED["solvers"] = set()
ALLOWED["bench"] = set(LAYERS) | {"solvers"}
ALLOWED["display"] = ALLOWED["bench"] | {"bench"}
ALLOWED["errors"] = {"terms"}              # symnb/errors.py re-exports the terms' errors
LEAVES = {"reprs", "config", "progress_hook"}                         # import nothing of ours; anyone may import them
ALLOWED.update({leaf: set() for leaf in LEAVES})
ANYTHING = {"", "ipython"}                 # the root package and the IPython bridge
KERNEL_EXT_BRIDGE = "ipython"              # the one module that may import kernel_ext


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of a relative import in ``module``."""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[:len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([name] if name else []))


def imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """``(line, absolute target)`` of every import in the file, function bodies included."""
    module = _module_name(path, root)
    is_package = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                target = _resolve(module, is_package, node.level, node.module)
            else:
                target = node.module or ""
            if node.module is None or target in ("symnb", "kernel_ext"):
                # ``from . import x``: x may be a submodule; count it as one
                out += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, target))
        elif isinstance(node, ast.Call) and node.args:
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            arg = node.args[0]
            if fname in ("import_module", "__import__") and isinstance(arg, ast.Constant) \
                    and isinstance(arg.value, str):
                out.append((node.lineno, arg.value))
    return out


def _layer(name: str) -> str | None:
    """The layer of a module of ours: ``symnb.<layer>...``; '' for the root itself."""
    parts = name.split(".")
    if parts[0] != "symnb":
        return None
    return parts[1] if len(parts) > 1 else ""


def _subpackages(root: Path = ROOT) -> set:
    return {p.stem if p.suffix else p.name for p in root.iterdir()
            if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "__init__.py"}


def violations(root: Path = ROOT) -> list[str]:
    known = _subpackages(root)
    out = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        src = _layer(module)
        for line, target in imports(path, root):
            where = f"{module}:{line} -> {target}"
            if target.split(".")[0] == "kernel_ext":
                if src != KERNEL_EXT_BRIDGE:
                    out.append(where)
                continue
            dst = _layer(target)
            if dst is None or src in ANYTHING or dst == src or dst in LEAVES:
                continue
            if dst not in known:          # an attribute of the root package: upward
                out.append(where)
                continue
            if src not in ALLOWED:
                out.append(f"{where} (layer {src!r} is missing from ALLOWED)")
            elif dst not in ALLOWED[src]:
                out.append(where)
    return out


def test_no_module_imports_a_higher_layer():
    found = violations()
    print("\n".join(found))
    assert not found, "upward imports:\n" + "\n".join(found)


def test_every_package_has_a_layer():
    missing = _subpackages() - set(ALLOWED) - ANYTHING
    assert not missing, f"add {sorted(missing)} to ALLOWED in tests/test_layers.py"


@pytest.mark.parametrize("code,expected", [
    ("def f():\n    from ..display.dag import OPTIONS\n", ["symnb.terms.printing:2 -> symnb.display.dag"]),
    ("import symnb.models.ode\n", ["symnb.terms.printing:1 -> symnb.models.ode"]),
    ("from symnb import solve_ode\n", ["symnb.terms.printing:1 -> symnb.solve_ode"]),
    ("import importlib\nimportlib.import_module('symnb.egraph')\n",
     ["symnb.terms.printing:2 -> symnb.egraph"]),
    ("def g():\n    import kernel_ext\n", ["symnb.terms.printing:2 -> kernel_ext"]),
    ("from .core import Term\nfrom .. import reprs\nimport numpy\n", []),
])
def test_the_checker_sees_upward_imports(tmp_path, code, expected):
    pkg = tmp_path / "symnb" / "terms"
    pkg.mkdir(parents=True)
    (tmp_path / "symnb" / "__init__.py").write_text("")
    (tmp_path / "symnb" / "reprs.py").write_text("")
    for sub in ("display", "models", "egraph"):
        (tmp_path / "symnb" / sub).mkdir()
        (tmp_path / "symnb" / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "printing.py").write_text(code)
    assert violations(tmp_path / "symnb") == expected
