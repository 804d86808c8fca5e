"""``Columns``: the members of a loop group stored as numpy columns, not one tuple each.

A sparse Jacobian planned from row shapes (``row_jacobian``) has hundreds of thousands
of loop members that are whole blocks of table rows; keeping them as arrays spares a
Python tuple per member and lets code generation take the index and float tables as
they are.  ``Columns`` reads like the member list of ``shapes.Group``: ``len``,
``members[k] == (index, ints, floats, root)``, iteration.

>>> import numpy as np
>>> c = Columns(np.array([7, 3]), np.array([[1, 2], [3, 4]]), np.array([[0.5], [0.5]]),
...             np.array([11, 12]))
>>> len(c), c[0]
(2, (7, [1, 2], [0.5], 11))
>>> [m[0] for m in c.sorted()]
[3, 7]
"""
from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

__all__ = ["Columns"]


class Columns:
    """Members as columns: ``out`` (output index, int64), ``ints`` (int64, one row per
    member), ``floats`` (float64, one row per member), ``roots`` (IR roots, int64)."""
    __slots__ = ("out", "ints", "floats", "roots")

    def __init__(self, out: np.ndarray, ints: np.ndarray, floats: np.ndarray,
                 roots: np.ndarray) -> None:
        self.out = out
        self.ints = ints
        self.floats = floats
        self.roots = roots

    def __len__(self) -> int:
        return len(self.out)

    def __getitem__(self, k: int) -> tuple:
        return (int(self.out[k]), self.ints[k].tolist(), self.floats[k].tolist(),
                int(self.roots[k]))

    def __iter__(self) -> Iterator[tuple]:
        return (self[k] for k in range(len(self.out)))

    def sorted(self) -> "Columns":
        """The members in ascending output index."""
        order = np.argsort(self.out, kind="stable")
        return Columns(self.out[order], self.ints[order], self.floats[order],
                       self.roots[order])

    @classmethod
    def concat(cls, blocks: Sequence[tuple]) -> "Columns":
        """Members from blocks ``(out, ints, floats, root)``: ``out`` an array, ``ints`` one
        row per member, ``floats`` a list shared by the block's members, ``root`` one int."""
        sizes = [len(b[0]) for b in blocks]
        out = np.concatenate([np.asarray(b[0], dtype=np.int64) for b in blocks])
        ni = np.shape(blocks[0][1])[1]
        ints = np.concatenate([np.asarray(b[1], dtype=np.int64).reshape(n, ni)
                               for b, n in zip(blocks, sizes)])
        nf = len(blocks[0][2])
        floats = np.concatenate([np.broadcast_to(np.asarray(b[2], dtype=np.float64), (n, nf))
                                 for b, n in zip(blocks, sizes)])
        roots = np.repeat(np.array([b[3] for b in blocks], dtype=np.int64), sizes)
        return cls(out, ints, floats, roots)
