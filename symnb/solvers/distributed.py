"""Dask path for sequences: each group of near neighbours is solved on one worker.

Nothing here imports dask; it only uses the ``client.submit`` / ``client.gather`` API of
a ``dask.distributed.Client`` the caller passes in.
"""
from __future__ import annotations

from typing import Any


def solve_groups(client: Any, groups: list[list[Any]], method: str, recycle: bool, kw: dict) -> list[list[Any]]:
    """Submit one task per group (in order) and gather the per-group result lists."""
    from .groups import solve_group

    futures = [client.submit(solve_group, g, method, recycle, kw, pure=False) for g in groups]
    return client.gather(futures)
