"""Cost models as data: a visible, overridable table of CPU cycles per operation.

Keys: ``"+"``, ``"-"``, ``"neg"``, ``"*"``, ``"/"``, ``"^"``, ``"literal"``
(numbers), ``"symbol"``, function names (``"sin"``, ``"exp"`` ...) and
``"function"`` for any function missing from the table.  The default is the
SymbolicUtils.jl cycle table (``log`` measured here, see ``measure_costs``).

>>> m = CostModel(DEFAULT_COSTS)
>>> m["*"], m["sin"], m["my_f"]
(3.0, 134.0, 100.0)
>>> m.with_(sin=10)["sin"]
10.0
>>> CostModel({"+": -1})
Traceback (most recent call last):
  ...
ValueError: cost of '+' must be a finite number >= 0, got -1
"""
from __future__ import annotations

import math
import time
from typing import Any, Iterable, Mapping

from ..reprs import RenderedHTML

__all__ = ["CostModel", "DEFAULT_COSTS", "COUNT_OPS_COSTS", "count_ops_model", "measure_costs",
           "as_cost_model", "OP_KEYS"]

#: CPU cycles per operation (SymbolicUtils' table; log as measured with numba on the
#: development machines: about 3.5x exp).
DEFAULT_COSTS: dict[str, float] = {
    "+": 1, "-": 1, "neg": 1, "abs": 2, "Abs": 2, "*": 3, "exp": 18, "/": 24, "^": 100,
    "sin": 134, "cos": 134, "tan": 156, "log": 64, "sqrt": 20, "literal": 1, "symbol": 1,
    "function": 100,
}

#: e-node kind -> cost key
OP_KEYS = {"Add": "+", "Sub": "-", "Neg": "neg", "Mul": "*", "Div": "/", "Pow": "^",
           "num": "literal", "flt": "literal", "var": "symbol"}


class CostModel(RenderedHTML, Mapping):
    """An immutable mapping operation -> cost, with a fallback for unknown functions
    (notebook table: ``symnb.display.egraph``)."""

    def __init__(self, table: Mapping[str, float] | None = None, *, name: str = "custom",
                 measured: Mapping[str, float] | None = None, base: Mapping | None = None,
                 flat_powers: bool = False) -> None:
        self.flat_powers = bool(flat_powers)
        base = dict(DEFAULT_COSTS if base is None else base)
        for k, v in (table or {}).items():
            if not isinstance(k, str):
                raise TypeError(f"cost keys must be operation names (str), got {k!r}")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                    or v < 0:
                raise ValueError(f"cost of {k!r} must be a finite number >= 0, got {v!r}")
            base[k] = v
        self._t = {k: float(v) for k, v in base.items()}
        self.name = name
        self.measured = dict(measured or {})

    def __getitem__(self, key: str) -> float:
        v = self._t.get(key)
        if v is None:
            return self._t["function"]
        return v

    def __iter__(self):
        return iter(self._t)

    def __len__(self) -> int:
        return len(self._t)

    def __repr__(self) -> str:
        items = ", ".join(f"{k}: {v:g}" for k, v in self._t.items())
        return f"CostModel({self.name}; {items})"

    def with_(self, **overrides: float) -> "CostModel":
        """A copy with some costs replaced."""
        t = dict(self._t)
        t.update(overrides)
        return CostModel(t, name=self.name + "+overrides", measured=self.measured,
                         flat_powers=self.flat_powers)

    def node_cost(self, node: tuple) -> float:
        """Cost of one e-node ``(kind, ...)``; list cells cost 0, calls by function name."""
        kind = node[0]
        key = OP_KEYS.get(kind)
        if key is not None:
            return self._t[key]
        if kind in ("Fn1", "Fn2", "FnN"):
            return self[node[1]]
        return 0.0

    def pow_cost(self, exponent: Any) -> float:
        """Cost of ``b^e`` for a numeric exponent, as symnb.compile evaluates it: integer
        powers by repeated squaring (``*``, plus one ``/`` when negative), half-integer
        ones with a ``sqrt``; any other exponent costs ``^``.

        >>> m = CostModel()
        >>> m.pow_cost(2), m.pow_cost(5), m.pow_cost(-1), m.pow_cost(0.3)
        (3.0, 9.0, 24.0, 100.0)
        """
        from fractions import Fraction
        if self.flat_powers:
            return self._t["^"]
        e = exponent
        if isinstance(e, float) and e.is_integer() and abs(e) < 2 ** 31:
            e = int(e)
        if isinstance(e, Fraction) and e.denominator == 1:
            e = e.numerator
        if isinstance(e, int):
            n = abs(e)
            if n == 0:
                return self._t["literal"]
            muls = n.bit_length() - 1 + bin(n).count("1") - 1
            return muls * self._t["*"] + (self._t["/"] if e < 0 else 0.0)
        if isinstance(e, Fraction) and e.denominator == 2:
            k = abs(e.numerator) // 2
            rest = self.pow_cost(k) if k else 0.0
            return self["sqrt"] + rest + (self._t["*"] if k else 0.0) + \
                (self._t["/"] if e < 0 else 0.0)
        return self._t["^"]


#: One per operation, as ``count_ops`` counts them (sympy's measure): every arithmetic
#: operation and function call costs 1, numbers and symbols 0, any power 1.
COUNT_OPS_COSTS: dict[str, float] = {k: (0.0 if k in ("literal", "symbol") else 1.0)
                                     for k in DEFAULT_COSTS}


def count_ops_model() -> CostModel:
    """The ``count_ops`` cost model (``cost="count_ops"``, the default of ``simplify``).

    >>> m = count_ops_model()
    >>> m["sin"], m["*"], m["symbol"], m.pow_cost(5)
    (1.0, 1.0, 0.0, 1.0)
    """
    return CostModel(name="count_ops", base=COUNT_OPS_COSTS, flat_powers=True)


def as_cost_model(cost: Any) -> CostModel:
    """``None`` or ``"cycles"`` -> the CPU-cycle table; ``"count_ops"`` -> one per
    operation; a mapping -> overrides of the CPU-cycle table."""
    if cost is None or (isinstance(cost, str) and cost == "cycles"):
        return CostModel(name="cpu-cycles")
    if isinstance(cost, str) and cost == "count_ops":
        return count_ops_model()
    if isinstance(cost, str):
        raise ValueError(f"unknown cost model {cost!r}; use 'count_ops', 'cycles' or a "
                         "mapping operation -> cost")
    if isinstance(cost, CostModel):
        return cost
    if isinstance(cost, Mapping):
        return CostModel(cost)
    raise TypeError(f"cost must be a mapping of operation -> cost or a CostModel, "
                    f"got {type(cost).__name__}")


_KERNELS = {
    "+": "a[i] + b[i]", "-": "a[i] - b[i]", "*": "a[i] * b[i]", "/": "a[i] / b[i]",
    "^": "a[i] ** b[i]", "neg": "-a[i]", "abs": "abs(a[i])", "exp": "math.exp(a[i])",
    "log": "math.log(a[i])", "sin": "math.sin(a[i])", "cos": "math.cos(a[i])",
    "tan": "math.tan(a[i])", "sqrt": "math.sqrt(a[i])",
}


def measure_costs(ops: Iterable[str] | None = None, n: int = 4096, repeats: int = 5) -> CostModel:
    """Time each operation with numba on this machine; costs in units of one ``+``.

    Each kernel is a dependent chain (``s = op(s, x[i])``-style loops would be
    latency-bound); here every element is independent and the loop overhead
    of a plain copy is subtracted.  ``measured`` holds nanoseconds per op.
    """
    import numpy as np
    import numba  # noqa: F401  (imported for the kernels' globals)
    names = list(ops) if ops is not None else list(_KERNELS)
    for k in names:
        if k not in _KERNELS:
            raise ValueError(f"cannot measure {k!r}; known: {', '.join(_KERNELS)}")
    rng = np.random.default_rng(0)
    a = rng.uniform(0.5, 2.0, n)
    b = rng.uniform(0.5, 2.0, n)
    out = np.empty(n)

    def kernel(expr: str) -> Any:
        src = (f"def k(a, b, out):\n    for i in range(a.shape[0]):\n"
               f"        out[i] = {expr}\n")
        ns: dict = {"math": __import__("math")}
        exec(compile(src, "<symnb.measure_costs>", "exec"), ns)  # noqa: S102 (fixed table)
        return numba.njit(error_model="numpy")(ns["k"])

    def best(fn: Any) -> float:
        fn(a, b, out)
        ts = []
        for _ in range(repeats):
            t = time.perf_counter()
            for _ in range(20):
                fn(a, b, out)
            ts.append((time.perf_counter() - t) / (20 * n))
        return min(ts)

    base = best(kernel("a[i]"))
    want = set(names) | {"+"}
    ns_per = {k: max(best(kernel(_KERNELS[k])) - base, 1e-12) * 1e9 for k in _KERNELS if k in want}
    unit = ns_per["+"]
    table = {k: max(round(v / unit, 1), 0.1) for k, v in ns_per.items() if k in names}
    return CostModel(table, name="measured", measured=ns_per)
