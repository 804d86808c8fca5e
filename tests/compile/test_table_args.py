"""Big tables passed to the numba kernel as arguments give the values of frozen globals,
and a cached compile of such a kernel loads in a new process (``symnb.compiler.table_args``)."""
from __future__ import annotations

import functools
import os
import subprocess
import sys

import numpy as np
import pytest

from symnb.compiler import compile_array, jacobian, table_args

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
