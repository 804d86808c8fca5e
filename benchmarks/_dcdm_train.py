"""Train the DCDM direction network shipped as ``symnb/solvers/data/dcdm_darcy32.npz``.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/_dcdm_train.py            # ~2-4 min on 2 cores
    .venv/bin/python benchmarks/_dcdm_train.py --steps 200 --out /tmp/net.npz    # a quick try

Needs ``pip install 'symnb[learn]'`` (JAX on CPU). Trains without labels on 32 x 32 Darcy
matrices (seeds 1000.., disjoint from the tutorial's test seeds) with the loss
``1 - cos^2(r, A N(r))``, then checks the numpy inference against JAX and prints the
DCDM iterations on a held-out system. (Leading underscore: not a ``benchmarks/report.py`` suite.)
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symnb.solvers import cg, darcy_sequence  # noqa: E402
from symnb.solvers.dcdm import PRETRAINED, dcdm  # noqa: E402
from symnb.solvers.dcdm_learn import train_direction_net  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=int, default=32)
    ap.add_argument("--coarse", type=int, nargs="*", default=[16],
                    help="also train on these smaller grids (teaches the shared levels scale)")
    ap.add_argument("--systems", type=int, default=12)
    ap.add_argument("--vectors", type=int, default=256, help="training vectors per system")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=PRETRAINED)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    train = darcy_sequence(a.systems, a.grid, seed=1000 + a.seed)
    for i, n in enumerate(a.coarse):
        train += darcy_sequence(a.systems, n, seed=2000 + 1000 * i + a.seed)
    net, hist = train_direction_net(train, vectors_per_system=a.vectors, channels=a.channels, steps=a.steps,
                                    batch=a.batch, lr=a.lr, seed=a.seed, verbose=True)
    print(f"trained in {net.meta['train_seconds']:.1f} s (data {net.meta['data_seconds']:.1f} s), "
          f"final loss {hist[-1][1]:.4f}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    net.meta["loss_steps"] = np.array([s for s, _ in hist])
    net.meta["loss_values"] = np.array([v for _, v in hist])
    net.save(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size} bytes); total {time.perf_counter() - t0:.1f} s")
    for n in (a.grid, 2 * a.grid):
        s = darcy_sequence(1, n, seed=7)[0]
        r_net = dcdm(s.A, s.b, tol=1e-6, net=net)
        r_cg = cg(s.A, s.b, tol=1e-6)
        print(f"held-out {n}x{n}: DCDM {r_net.iterations} iterations, CG {r_cg.iterations}")


if __name__ == "__main__":
    main()
