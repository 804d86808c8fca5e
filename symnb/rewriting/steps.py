"""``RewriteTrace``: every step of a rewrite (the notebook view is ``symnb.display.trace``).

Each ``Step`` has the rule name, the ``path`` of the rewritten subterm (argument
indices from the root, in ``arguments()`` order of the expression as it stood
when the walk reached it), the subterm ``before`` and ``after``, and
``step.expr``: the whole expression after the step (rebuilt on demand by
replaying the steps, so tracing itself stays cheap).

>>> from symnb import symbols, sin, cos
>>> from symnb.rewriting.simplify import rewrite
>>> from symnb.rewriting.rule import rule
>>> x, y = symbols("x y")
>>> r, tr = rewrite(y * (sin(x)**2 + cos(x)**2) + 1,
...                 [rule("sin(~x)^2 + cos(~x)^2 => 1", name="pyth")], trace=True)
>>> r
1 + y
>>> s = tr.steps[0]
>>> s.rule, s.path, s.before, s.after, s.expr
('pyth', (1, 1), cos(x)^2 + sin(x)^2, 1, 1 + y)
>>> tr.to_json()["steps"][0]["rule"]
'pyth'
"""
from __future__ import annotations

from typing import Any, Iterator

from ..reprs import RenderedHTML
from ..terms.interface import arguments, iscall, makesym, maketerm, opname, operation
from ..terms.printing import REPR_NODE_LIMIT, to_latex_limited, to_str_limited, tree_size

__all__ = ["RewriteTrace", "Step", "MIME_TYPE"]

MIME_TYPE = "application/vnd.symnb.rewrite-trace+json"
MAX_DISPLAY_STEPS = 200
"""Steps shown in the notebook view and written by ``to_json`` by default."""

_HL = "symnbHL"


class Step:
    """One rule application."""

    __slots__ = ("index", "rule", "path", "before", "after", "_trace")

    def __init__(self, index: int, rule: str, path: tuple, before: Any, after: Any,
                 trace: "RewriteTrace") -> None:
        self.index, self.rule, self.path = index, rule, path
        self.before, self.after, self._trace = before, after, trace

    @property
    def expr(self) -> Any:
        """The whole expression after this step."""
        return self._trace.expr_after(self.index)

    def __repr__(self) -> str:
        return (f"Step({self.index}: {self.rule!r} at {self.path}: "
                f"{to_str_limited(self.before, 200)} -> {to_str_limited(self.after, 200)})")


class _Open:
    """A subterm opened up during replay: its arguments may have been replaced."""

    __slots__ = ("term", "args", "cache")

    def __init__(self, term: Any) -> None:
        self.term = term
        self.args = list(arguments(term))
        self.cache: Any = term


def _close(x: Any) -> Any:
    if type(x) is not _Open:
        return x
    if x.cache is None:
        x.cache = maketerm(operation(x.term), [_close(a) for a in x.args])
    return x.cache


class _Replay:
    """The expression under rewriting, as a tree opened along the paths steps touched."""

    def __init__(self, initial: Any) -> None:
        self.root: Any = initial

    def set(self, path: tuple, value: Any) -> Any:
        """Put ``value`` at ``path``; returns what was there."""
        if not path:
            old, self.root = self.root, value
            return old
        if type(self.root) is not _Open:
            self.root = _Open(self.root)
        node = self.root
        node.cache = None
        for i in path[:-1]:
            child = node.args[i]
            if type(child) is not _Open:
                child = node.args[i] = _Open(child)
            child.cache = None
            node = child
        old = node.args[path[-1]]
        node.args[path[-1]] = value
        return old

    def get(self, path: tuple) -> Any:
        node = self.root
        for i in path:
            node = node.args[i] if type(node) is _Open else arguments(node)[i]
        return node

    def whole(self) -> Any:
        return _close(self.root)


class RewriteTrace(RenderedHTML):
    """The steps of one ``rewrite(..., trace=True)`` run; ``stopped`` says why it ended:
    ``"fixpoint"`` (nothing more applies), ``"iteration limit"`` (a cap was hit) or ``"done"``.

    ``to_json()`` is the data; ``symnb.display.trace`` draws it (HTML step list with DAGs)."""

    def __init__(self, initial: Any, result: Any, events: list, stopped: str,
                 strategy: str = "") -> None:
        self.initial, self.result, self.stopped, self.strategy = initial, result, stopped, strategy
        self._events = events
        self.steps: list[Step] = []
        for ev in events:
            if ev[0] is not None:
                self.steps.append(Step(len(self.steps), ev[0], ev[1], ev[2], ev[3], self))
        self._exprs: list = []
        self._replay: _Replay | None = None
        self._pos = 0   # next event to replay

    # ----- sequence protocol
    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __getitem__(self, i: int) -> Step:
        return self.steps[i]

    @property
    def rules_used(self) -> dict:
        """Rule name -> number of applications."""
        out: dict = {}
        for s in self.steps:
            out[s.rule] = out.get(s.rule, 0) + 1
        return out

    # ----- replay
    def _advance(self, upto: int, highlight: list | None = None) -> None:
        """Replay events until ``upto`` steps have whole expressions."""
        if self._replay is None:
            self._replay = _Replay(self.initial)
        rp = self._replay
        evs = self._events
        while len(self._exprs) < upto and self._pos < len(evs):
            rule, path, before, after = evs[self._pos]
            self._pos += 1
            if rule is None:   # a walk starts here: it sees the rebuilt subterm
                rp.set(path, _close(rp.get(path)))
                continue
            rp.set(path, after)
            self._exprs.append(rp.whole())
            if highlight is not None:
                highlight.append(self._highlight(rp, path, after))

    def _highlight(self, rp: _Replay, path: tuple, after: Any) -> str:
        mark = makesym(after, _HL)
        rp.set(path, mark)
        whole = rp.whole()
        rp.set(path, after)
        if tree_size(whole) > REPR_NODE_LIMIT:
            return to_latex_limited(whole)
        inner = to_latex_limited(after)
        if path and iscall(after) and opname(after) == "Add":
            inner = rf"\left({inner}\right)"
        return to_latex_limited(whole).replace(r"\mathrm{%s}" % _HL,
                                               r"{\color{#d62728}{%s}}" % inner)

    def expr_after(self, i: int) -> Any:
        """The whole expression after step ``i``."""
        n = len(self.steps)
        if not -n <= i < n:
            raise IndexError(f"step {i} out of range ({n} steps)")
        i %= n
        self._advance(i + 1)
        return self._exprs[i]

    # ----- export
    def to_json(self, max_steps: int = MAX_DISPLAY_STEPS) -> dict:
        """A JSON-able dict for the display layer (first ``max_steps`` steps)."""
        shown = min(len(self.steps), max_steps)
        # replay from scratch so that highlighted forms come with the states
        self._exprs, self._replay, self._pos = [], None, 0
        marks: list = []
        self._advance(shown, marks)

        def term(t: Any) -> dict:
            return {"text": to_str_limited(t), "latex": to_latex_limited(t)}

        steps = []
        for k in range(shown):
            s = self.steps[k]
            steps.append({"index": k, "rule": s.rule, "path": list(s.path),
                          "before": term(s.before), "after": term(s.after),
                          "expr": term(self._exprs[k]), "highlight_latex": marks[k]})
        return {"version": 1, "strategy": self.strategy, "stopped": self.stopped,
                "n_steps": len(self.steps), "truncated": len(self.steps) - shown,
                "initial": term(self.initial), "result": term(self.result), "steps": steps}

    def __repr__(self) -> str:
        return (f"RewriteTrace({len(self.steps)} steps, stopped: {self.stopped}; "
                f"{to_str_limited(self.initial, 300)} -> {to_str_limited(self.result, 300)})")
