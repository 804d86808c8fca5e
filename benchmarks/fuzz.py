"""A long fuzzing run over every user-facing entry point (issue 19): hangs and non-symnb
exceptions per entry point, with the inputs that caused them.

    .venv/bin/python benchmarks/fuzz.py                    # SYMNB_FUZZ_SECONDS or 600 s
    .venv/bin/python benchmarks/fuzz.py --quick            # 60 s
    .venv/bin/python benchmarks/fuzz.py --seconds 120 --seed 7 --json out.json
    .venv/bin/python benchmarks/fuzz.py --seed 0 --replay 7947    # one call of the stream

The generator, the entry points and the per-call watchdog (a forked child killed after its
budget) are those of the test suite, ``tests/fuzz/engine.py``; the tests run a minute of
this, here it runs for as long as asked.  The exit status is 1 when any call hung or raised
an error that is not symnb's.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # the engine lives with the tests; symnb never imports it

from tests.fuzz import engine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=None,
                    help="generation time in all (default SYMNB_FUZZ_SECONDS, else 600)")
    ap.add_argument("--quick", action="store_true", help="60 s")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SYMNB_FUZZ_SEED", "0")))
    ap.add_argument("--entries", nargs="*", default=None, choices=sorted(engine.ENTRY_POINTS))
    ap.add_argument("--json", default=None, help="write the figures to this file")
    ap.add_argument("--replay", type=int, default=None, metavar="N",
                    help="run only call N of the seed's stream and print its outcome")
    a = ap.parse_args(argv)
    if a.replay is not None:
        o = engine.replay(a.replay, seed=a.seed, entries=a.entries)
        print(o)
        return 0 if o.ok else 1
    seconds = a.seconds or (60.0 if a.quick else float(os.environ.get("SYMNB_FUZZ_SECONDS", "600")))
    result = engine.run_for(seconds, entries=a.entries, seed=a.seed)
    stats, failures = result["stats"], result["failures"]
    print(f"{'entry':<10} {'calls':>7} {'ok':>7} {'symnb err':>9} {'hang':>5} {'crash':>5} "
          f"{'retried':>7} {'max s':>7}")
    for name, s in stats.items():
        print(f"{name:<10} {s['calls']:>7} {s['ok']:>7} {s['symnb error']:>9} {s['hang']:>5} "
              f"{s['crash']:>5} {s['retried']:>7} {s['max_s']:>7.2f}")
    for f in failures[:20]:
        print("FAIL", f)
    calls = sum(s["calls"] for s in stats.values())
    hangs = sum(s["hang"] for s in stats.values())
    crashes = sum(s["crash"] for s in stats.values())
    print(f"\nsummary: {calls} fuzzed calls in {seconds:.0f} s over {len(stats)} entry points "
          f"(seed {a.seed}, calls 1..{result['calls']}): {hangs} hangs, {crashes} non-symnb "
          f"exceptions")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"seconds": seconds, "seed": a.seed, "stats": stats,
                       "failures": [str(f) for f in failures]}, fh, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
