"""Run one dashboard interaction under a wall-clock budget, and stay answerable after it.

A dashboard takes text from whoever opens the page.  ``run_within(fn, *args, what=...)``
runs ``fn(*args)`` for at most ``seconds`` (default ``symnb.config.dashboard_seconds``: 10 s, or
the environment's ``SYMNB_BUDGET_SECONDS``) and returns an :class:`Outcome`: the value,
the error ``fn`` raised (a native panic included), or ``stopped`` --
``"stopped after 10 s: <what>"`` (``what`` abbreviated) -- when the budget ran out.  The
caller always gets control back by ``seconds + GRACE``, and the next call starts afresh:
nothing queues behind a computation that would not stop.

``kind="thread"`` (light work: parsing, the DAG, the rule trace, a solver with a callback)
runs ``fn`` in a new daemon thread under :class:`symnb.terms.limits.deadline`, whose
watchdog interrupts Python code at its next bytecode.  Past ``seconds + GRACE`` (a call
that sits in C code) the thread is abandoned: the caller answers, the thread ends when
it next runs bytecode (:func:`abandoned` lists those still running).  ``fn`` must not
``display``: run it for values and display them in the calling thread.

``kind="process"`` (heavy kinds that sit in native code: the e-graph, whose egglog
object may not even cross threads, numba compiles) sends ``fn`` and ``args`` (picklable;
``fn`` importable) to one persistent worker process, a fresh interpreter, that keeps
its imports and caches between calls.  It too runs ``fn`` under a ``deadline``; if no
answer comes by ``seconds + GRACE`` the worker is killed and replaced on the next call.
Errors come back as :class:`WorkerError` (type name and one-line message).

Measured (``python -m symnb.display.budget``, 2-core machine shared by 8 users, load 4–7,
medians of 10–20 calls):

=============================  ===================  ===========================
                               thread               process (persistent worker)
=============================  ===================  ===========================
overhead per call (no work)    0.05–0.08 ms         0.07–0.10 ms (a fresh
                                                    ``fork`` per call: 14–26 ms)
explorer's parse+DAG+simplify  7.4 ms               7.9 ms
explorer's e-graph tab         PanicException once  10 ms warm; 1.7 s on a cold
                               another thread made  worker (interpreter start,
                               the rule program     imports, rule program)
Python loop past budget 0.2 s  stopped at 0.2 s     stopped at 0.2 s
C call holding the GIL         caller held until it killed at budget + grace
(``7**10**7``, budget 0.05 s)  returned: 10.7 s     (1.0 s for 0.5 s); a new
                                                    worker starts in 0.4–0.7 s
=============================  ===================  ===========================

So: threads for the light kinds (no start-up, and widgets can be updated from them), the
worker process for native-code kinds.  A ``fork`` per call is not offered: besides its
cost, a child forked after the parent had run an e-graph hung in egglog.

>>> run_within(sum, [1, 2, 3], what="sum").value
6
>>> def spin():
...     while True:
...         pass
>>> out = run_within(spin, what="spin forever", seconds=0.2)
>>> out.stopped, out.ok
('stopped after 0.2 s: spin forever', False)
>>> run_within(int, "x", what="int('x')").message
"ValueError: invalid literal for int() with base 10: 'x'"
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .. import config
from ..terms.limits import LimitExceeded, abbreviate, deadline

__all__ = ["run_within", "Outcome", "WorkerError", "abandoned", "prestart", "shutdown",
           "GRACE"]



GRACE = 0.5                 # how long past the budget the caller waits for the work to unwind
_WHAT_WIDTH = 60            # characters of ``what`` in the message


class WorkerError(Exception):
    """An error raised by ``fn`` in the worker process: ``kind`` (its type name) and its
    one-line message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self) -> tuple:
        return WorkerError, (self.kind, str(self))


@dataclass
class Outcome:
    """What one budgeted call gave: ``value``, or ``error`` (the exception ``fn`` raised),
    or ``stopped`` (the "stopped after N s: what" line); ``seconds`` it took."""

    value: Any = None
    error: BaseException | None = None
    stopped: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.stopped

    @property
    def message(self) -> str:
        """One line for the page: the stop, ``Type: first line`` of the error, or ''."""
        if self.stopped:
            return self.stopped
        if self.error is None:
            return ""
        kind = getattr(self.error, "kind", None) or type(self.error).__name__
        text = str(self.error).splitlines()
        return f"{kind}: {text[0]}" if text else kind


def _stop_line(seconds: float, what: str) -> str:
    return f"stopped after {seconds:g} s: {abbreviate(what, _WHAT_WIDTH)}"


_ABANDONED: list = []       # threads still running after their caller gave up on them


def abandoned() -> list:
    """The worker threads given up at their budget that are still running."""
    _ABANDONED[:] = [t for t in _ABANDONED if t.is_alive()]
    return list(_ABANDONED)


def run_within(fn: Callable[..., Any], *args: Any, what: str, seconds: float | None = None,
               kind: str = "thread") -> Outcome:
    """``fn(*args)`` under a wall-clock budget of ``seconds`` (default
    ``symnb.config.dashboard_seconds``, read at each call); ``what`` names it in the stop
    line; ``kind`` is ``"thread"`` or ``"process"`` (see the module docstring)."""
    seconds = config.dashboard_seconds if seconds is None else float(seconds)
    if not seconds > 0:
        raise ValueError(f"run_within: the budget must be a positive number of seconds, "
                         f"got {seconds}")
    if kind == "thread":
        return _in_thread(fn, args, what, seconds)
    if kind == "process":
        return _WORKER.call(fn, args, what, seconds)
    raise ValueError(f"run_within: unknown kind {kind!r}; use 'thread' or 'process'")


def _guarded(fn: Callable[..., Any], args: tuple, what: str, seconds: float) -> tuple:
    """``("ok", value)``, ``("stopped", None)`` or ``("error", exception)`` of ``fn(*args)``
    under a cooperative deadline (the thread's and the worker process's common core)."""
    op = _stop_line(seconds, what)
    try:
        with deadline(seconds, op, what):
            return "ok", fn(*args)
    except LimitExceeded as err:
        return ("stopped", None) if err.operation == op else ("error", err)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as err:        # fn's own error (a native panic too), for the caller
        return "error", err


def _in_thread(fn: Callable[..., Any], args: tuple, what: str, seconds: float) -> Outcome:
    box: list = []
    done = threading.Event()

    def work() -> None:
        try:
            box.append(_guarded(fn, args, what, seconds))
        finally:
            done.set()

    t0 = time.perf_counter()
    t = threading.Thread(target=work, name=f"symnb-budget: {abbreviate(what, 40)}", daemon=True)
    t.start()
    if not done.wait(seconds + GRACE) or not box:
        _ABANDONED.append(t)
        return Outcome(stopped=_stop_line(seconds, what), seconds=time.perf_counter() - t0)
    return _outcome(box[0], what, seconds, time.perf_counter() - t0)


def _outcome(result: tuple, what: str, seconds: float, took: float) -> Outcome:
    status, payload = result
    if status == "ok":
        return Outcome(value=payload, seconds=took)
    if status == "stopped":
        return Outcome(stopped=_stop_line(seconds, what), seconds=took)
    return Outcome(error=payload, seconds=took)


def _serve_fds(down: int, up: int) -> None:
    """The worker process: answer ``(fn, args, what, seconds)`` requests read from file
    descriptor ``down`` on ``up``, until the caller closes ``down``."""
    from multiprocessing.connection import Connection
    requests, conn = Connection(down, writable=False), Connection(up, readable=False)
    while True:
        try:
            fn, args, what, seconds = requests.recv()
        except (EOFError, OSError):
            return
        except Exception as err:      # fn or args could not be unpickled here
            conn.send(("error", WorkerError(type(err).__name__, str(err))))
            continue
        status, payload = _guarded(fn, args, what, seconds)
        if status == "error":        # symnb's errors take several arguments: send text
            payload = WorkerError(type(payload).__name__, str(payload))
        try:
            conn.send((status, payload))
        except Exception as err:      # a value that cannot be pickled
            conn.send(("error", WorkerError(type(err).__name__,
                                            f"the result cannot be sent back: {err}")))


class _Worker:
    """The one persistent worker process of ``kind="process"``: a fresh interpreter
    (``sys.executable`` with this ``sys.path``) talking through two pipes, so no
    ``__main__`` guard is needed in the caller's script and nothing is forked."""

    def __init__(self) -> None:
        self.proc: Any = None
        self.conn: Any = None
        self.lock = threading.Lock()

    def start(self) -> None:
        import json
        import os
        import subprocess
        import sys
        from multiprocessing.connection import Connection
        down_r, down_w = os.pipe()          # requests: here -> worker
        up_r, up_w = os.pipe()              # answers: worker -> here
        code = ("import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
                "from symnb.display.budget import _serve_fds; "
                "_serve_fds(int(sys.argv[2]), int(sys.argv[3]))")
        self.proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(sys.path),
                                      str(down_r), str(up_w)], pass_fds=(down_r, up_w),
                                     stdin=subprocess.DEVNULL)
        os.close(down_r)
        os.close(up_w)
        self.conn = (Connection(down_w, readable=False), Connection(up_r, writable=False))

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            for c in self.conn:
                c.close()
        self.proc = self.conn = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def call(self, fn: Callable[..., Any], args: tuple, what: str, seconds: float) -> Outcome:
        with self.lock:
            t0 = time.perf_counter()
            if not self.alive():
                self.stop()
                self.start()
            send, answers = self.conn
            try:
                send.send((fn, args, what, seconds))
            except Exception as err:  # fn or args cannot be pickled
                return Outcome(error=WorkerError(type(err).__name__,
                                                 f"cannot send the work to the worker: {err}"),
                               seconds=time.perf_counter() - t0)
            left = seconds + GRACE - (time.perf_counter() - t0)
            try:
                if answers.poll(max(left, 0.0)):
                    result = answers.recv()
                    return _outcome(result, what, seconds, time.perf_counter() - t0)
            except (EOFError, OSError):     # the worker died (a crash in native code)
                code = self.proc.poll()
                self.stop()
                return Outcome(error=WorkerError("WorkerDied", f"the worker process exited "
                                                 f"(code {code}) while running {what}"),
                               seconds=time.perf_counter() - t0)
            self.stop()                     # no answer within the budget: kill it
            return Outcome(stopped=_stop_line(seconds, what), seconds=time.perf_counter() - t0)


_WORKER = _Worker()


def prestart() -> None:
    """Start the worker process now (its interpreter starts while the page loads)."""
    with _WORKER.lock:
        if not _WORKER.alive():
            _WORKER.stop()
            _WORKER.start()


def shutdown() -> None:
    """Stop the worker process (it is a daemon: it also ends with this process)."""
    with _WORKER.lock:
        _WORKER.stop()


def _measure(n: int = 20) -> None:       # pragma: no cover - a measurement, printed
    """Print the overhead of each kind and how each stops a GIL-holding C call."""
    import os
    import statistics
    print(f"load {os.getloadavg()}")
    t0 = time.perf_counter()
    run_within(abs, -1, what="start", kind="process")
    print(f"process: start {time.perf_counter() - t0:.2f} s")
    for kind in ("thread", "process"):
        ts = [run_within(abs, -1, what="abs", kind=kind).seconds for _ in range(n)]
        print(f"{kind}: overhead median {statistics.median(ts) * 1e3:.3f} ms, "
              f"min {min(ts) * 1e3:.3f} ms")
    out = run_within(pow, 7, 10 ** 8, what="7**10**8", seconds=0.5, kind="process")
    print(f"process: 7**10**8 with budget 0.5 s -> {out.stopped!r} after {out.seconds:.2f} s")
    t0 = time.perf_counter()
    run_within(abs, -1, what="restart", kind="process")
    print(f"process: replacing the killed worker {time.perf_counter() - t0:.2f} s")
    out = run_within(pow, 7, 10 ** 7, what="7**10**7", seconds=0.05, kind="thread")
    print(f"thread: 7**10**7 with budget 0.05 s -> {out.message!r} after {out.seconds:.2f} s "
          f"(the GIL is held: nobody answers until pow returns)")
    shutdown()


if __name__ == "__main__":      # pragma: no cover
    _measure()
