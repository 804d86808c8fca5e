"""Big tables passed to the numba kernel as arguments give the values of frozen globals, code
generation names them (``Module.table_params``) as the entry's leading parameters, and a cached
compile of such a kernel loads in a new process (``symnb.compiler.table_args``)."""
from __future__ import annotations

import functools
import inspect
import os
import subprocess
import sys

import numpy as np
import pytest

from symnb.compiler import api, compile_array, jacobian, table_args
from symnb.terms import symbols

from .conftest import brusselator, mass_action


def _both(monkeypatch: pytest.MonkeyPatch, build: object) -> tuple:
    monkeypatch.setattr(table_args, "TABLE_ARGUMENTS_BYTES", 2**62)
    frozen = build()
    monkeypatch.setattr(table_args, "TABLE_ARGUMENTS_BYTES", 0)
    passed = build()
    return frozen, passed


@pytest.mark.parametrize("model", ["brusselator", "mass_action"])
def test_table_arguments_give_the_values_of_globals(monkeypatch: pytest.MonkeyPatch,
                                                    model: str) -> None:
    if model == "brusselator":
        du, y = brusselator(8)
        args, k = [y], []
    else:   # segment sums (_SP/_SV/_SQ/_SO) and float tables
        du, y, k = mass_action(40, 400, seed=2)
        args = [y, k]
    rng = np.random.default_rng(1)
    u = rng.uniform(0.5, 2.0, len(y))
    vals = [u] + ([rng.uniform(0.1, 1.0, len(k))] if k else [])
    with_tables = 0
    for build in (lambda: compile_array(du, args, inplace=True),
                  lambda: jacobian(du, y).compile(args=args, sparse=True)):
        frozen, passed = _both(monkeypatch, build)
        assert "table_arguments" not in frozen.stats
        names = passed.stats.get("table_arguments", [])
        if not names:   # straight-line code reads no tables: nothing to pass
            assert passed.source == frozen.source and "[_" not in passed.source
            continue
        with_tables += 1
        assert isinstance(passed.func, functools.partial)
        assert f"def f({', '.join(names)}, out" in passed.source
        n = frozen.shape[0] if frozen.shape else len(y)
        a, b = np.full(n, np.nan), np.full(n, np.nan)
        frozen(a, *vals)
        passed(b, *vals)
        np.testing.assert_array_equal(a, b)
        assert np.isfinite(b).all()
    assert with_tables >= 1


def test_table_arguments_cached_compile_loads_in_new_process(tmp_path: object) -> None:
    code = ("import numpy as np\n"
            "from symnb.compiler import compile_array, table_args\n"
            "table_args.TABLE_ARGUMENTS_BYTES = 0\n"
            "from tests.compile.conftest import brusselator\n"
            "du, y = brusselator(6)\n"
            "f = compile_array(du, [y], inplace=True, cache=True)\n"
            "out = np.empty(len(y))\n"
            "f(out, np.linspace(0.5, 1.5, len(y)))\n"
            "print(f.stats['cache'].split()[0], f.stats['lowering_cache'].split()[0],"
            " len(f.stats['table_arguments']), repr(float(out.sum())))\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, SYMNB_CACHE_DIR=str(tmp_path),
               PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True, cwd=root).stdout.split() for _ in range(2)]
    assert runs[0][:2] == ["miss", "miss"] and runs[1][:2] == ["hit", "hit"]
    assert int(runs[1][2]) > 0 and runs[0][3] == runs[1][3]


@pytest.mark.parametrize("inplace", [True, False])
def test_table_params_are_the_entry_signature(monkeypatch: pytest.MonkeyPatch,
                                              inplace: bool) -> None:
    du, y, k = mass_action(40, 400, seed=2)
    frozen, passed = _both(monkeypatch, lambda: compile_array(du, [y, k], inplace=inplace))
    names = passed.stats["table_arguments"]
    assert names == sorted(names) and any(n.startswith("_S") for n in names)
    rest = list(inspect.signature(frozen.py_func).parameters)
    assert rest == (["out", "u", "p"] if inplace else ["u", "p"])
    assert list(inspect.signature(passed.py_func).parameters) == names + rest
    # the entry reads each of them: globals when frozen, parameters when passed
    assert set(names) <= set(frozen.py_func.__code__.co_names)
    assert not set(names) & set(passed.py_func.__code__.co_names)


def test_symbols_named_like_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """State and parameter symbols named ``_I0``, ``_F1``, ``_SP`` ... show up in the
    generated comments (and the scalar one is renamed as an argument): the tables are
    still the entry's leading parameters, and the values those of frozen globals."""
    n = 48
    y = list(symbols(" ".join([f"_I{i}" for i in range(n - 4)] + ["_F0", "_F1", "_SP", "_SO"])))
    c = symbols("_F2")      # a scalar parameter named like a float table
    du = [c * y[(7 * i) % n] * y[(5 * i + 1) % n] - (i % 5 + 1) * y[i] for i in range(n)]
    frozen, passed = _both(monkeypatch, lambda: compile_array(du, [y, c], inplace=True))
    names = passed.stats["table_arguments"]
    assert "_I0" in names and "# loop 0:" in passed.source and "*_I" in passed.source
    assert list(inspect.signature(passed.py_func).parameters) == names + ["out", "u", "a1"]
    u = np.random.default_rng(3).uniform(0.5, 1.5, n)
    a, b = np.full(n, np.nan), np.full(n, np.nan)
    frozen(a, u, 0.3)
    passed(b, u, 0.3)
    np.testing.assert_array_equal(a, b)
    want = [0.3 * u[(7 * i) % n] * u[(5 * i + 1) % n] - (i % 5 + 1) * u[i] for i in range(n)]
    np.testing.assert_allclose(b, want, rtol=1e-14)


def test_lowering_payload_keeps_table_params() -> None:
    low = api._Lowered(api.Module("def f(_I0, out, u):\n", tables={"_I0": np.zeros(3)},
                                  table_params=["_I0"]), set(), 0, 0, None, 0.0)
    assert api._Lowered.from_payload(low.payload()).module.table_params == ["_I0"]
    old = {k: v for k, v in low.payload().items() if k != "table_params"}
    assert api._Lowered.from_payload(old).module.table_params == []   # stored before: globals


def test_lowering_cache_follows_the_threshold(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: object) -> None:
    """The decision is made in code generation, so a lowering stored under one threshold
    is not served under another (the key names it)."""
    monkeypatch.setenv("SYMNB_CACHE_DIR", str(tmp_path))
    du, y = brusselator(6)
    frozen, passed = _both(monkeypatch, lambda: compile_array(du, [y], inplace=True, cache=True))
    assert frozen.stats["lowering_cache"].startswith("miss")
    assert passed.stats["lowering_cache"].startswith("miss") and passed.stats["table_arguments"]
    again = compile_array(du, [y], inplace=True, cache=True)    # threshold still 0
    assert again.stats["lowering_cache"] == "hit"
    assert again.stats["table_arguments"] == passed.stats["table_arguments"]
    assert again.source == passed.source != frozen.source
