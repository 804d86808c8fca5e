"""Preconditioners and Jacobian-vector products for CVODE's Krylov solvers.

``JacobianPreconditioner`` approximates ``P ≈ I − γJ`` from the compiled sparse
Jacobian: ``kind="ilu"`` (``scipy.sparse.linalg.spilu``), ``"lu"`` (``splu``: an exact
factorization, GMRES then converges in one iteration), ``"dense"`` (LAPACK's LU of the
dense ``I − γJ``, exact like ``"lu"`` and cheaper for Jacobians that fill in: on egfr_net
with GMRES and ``gamma_tol=3``, 14 factorizations, 56 ms CPU against 62 ms for CVODE's
LAPACK dense solver with its 41; best of 7, interleaved, load 7.6 on 2 cores; a float32
LU, ``sgetrf``, 0.57 against 0.91 ms on a well-scaled 356×356 matrix, made that solve
99 ms instead of 58: the early ``I − γJ`` of egfr_net, entries down to 1e-25, fill its
float32 factors with up to 10,000 subnormal numbers and ``sgetrf`` takes 2.5–7 ms),
``"jacobi"`` (the diagonal) or ``"none"``.  CVODE calls ``setup`` when it wants a new preconditioner: J is evaluated only
when CVODE says the old one is stale (``jok`` false); with ``jok`` true the old J is
reused and ``I − γJ`` is refactored only when γ moved by more than ``gamma_tol``
(relative) since the last factorization.  ``jtimes`` multiplies by the J of the last
setup (modified Newton, as the direct solvers do); ``jtimes_dq`` is the difference
quotient ``(f(y + σv) − f(y))/σ`` of the compiled RHS; ``jvp_jtimes`` is the exact ``J(y) v``
at the current state from the compiled directional derivative (``ODEProblem.jvp_compiled``).

A factorization that fails (ILU breakdown, exactly singular ``I − γJ``, a non-finite
Jacobian) warns once with the reason and moves to the next kind in
``FALLBACK`` (ilu → lu → jacobi → none); it never raises into CVODE.

>>> import numpy as np, scipy.sparse as sp
>>> J = sp.csc_matrix(np.array([[-2.0, 1.0], [1.0, -2.0]]))
>>> P = JacobianPreconditioner(lambda vals, y, t: vals.__setitem__(slice(None), J.data), J)
>>> jnew = [0]; P.setup(0.0, np.zeros(2), None, False, jnew, 0.5); jnew[0], P.kind
(1, 'ilu')
>>> z = np.empty(2); P.solve(0.0, None, None, np.array([1.0, 1.0]), z, 0.5, 0.0, 1)
>>> np.allclose((np.eye(2) - 0.5 * J.toarray()) @ z, [1.0, 1.0]), P.counts()["npsetups"]
(True, 1)
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

__all__ = ["JacobianPreconditioner", "FALLBACK", "PreconditionerWarning", "dq_jtimes",
           "jvp_jtimes"]

FALLBACK = {"ilu": "lu", "lu": "jacobi", "dense": "jacobi", "jacobi": "none", "none": None}
"""The preconditioner tried next when one cannot be built."""


class PreconditionerWarning(RuntimeWarning):
    """A preconditioner (or linear solver) could not be built and a simpler one is used."""


class JacobianPreconditioner:
    """``P ≈ I − γJ`` for CVODE (``setup``/``solve``) and ``J v`` (``jtimes``).

    ``jac(vals, y, t)`` fills the nonzeros of J in the CSC order of ``pattern`` (a scipy
    sparse matrix).  Options: ``kind`` (see the module doc), ``gamma_tol`` (refactor when
    ``|γ/γ_factored − 1|`` exceeds it while J is unchanged), ``drop_tol`` and
    ``fill_factor`` (``spilu``'s; ``drop_tol=1e-3`` measured on fceri_gamma2 to t=150,
    rtol = atol = 1e-6, GMRES, load ~4 on 2 cores: 2.9 s wall, 156 steps, 15
    factorizations; ``1e-5``: 10.9 s, 495 steps, 19 factorizations).  ``counts()`` gives ``njev`` (Jacobian evaluations),
    ``npsetups`` (factorizations), ``npsolves``, ``njtimes`` and ``fallbacks``.
    """

    def __init__(self, jac: Callable, pattern: Any, *, kind: str = "ilu",
                 gamma_tol: float = 0.0, drop_tol: float = 1e-3,
                 fill_factor: float = 10.0) -> None:
        import scipy.sparse as sp
        if kind not in FALLBACK:
            raise ValueError(f"unknown preconditioner {kind!r}; choose one of "
                             f"{', '.join(FALLBACK)}")
        P = sp.csc_matrix(pattern)
        n = P.shape[0]
        self.jac, self.kind, self.gamma_tol = jac, kind, float(gamma_tol)
        self.drop_tol, self.fill_factor = float(drop_tol), float(fill_factor)
        self.vals = np.zeros(P.nnz)
        self.J = sp.csc_matrix((self.vals, P.indices, P.indptr), shape=P.shape)
        self.J.data = self.vals          # share: jac() writes straight into J
        # I − γJ on the pattern of J plus the diagonal; positions of J's and I's entries
        tagged = sp.csc_matrix((np.arange(1, P.nnz + 1, dtype=float), P.indices, P.indptr),
                               shape=P.shape) + sp.identity(n, format="csc") * (P.nnz + 1.0)
        tagged = sp.csc_matrix(tagged)
        tagged.sort_indices()
        code = tagged.data
        self.A = sp.csc_matrix((np.zeros(len(code)), tagged.indices.copy(),
                                tagged.indptr.copy()), shape=P.shape)
        rows = tagged.indices
        cols = np.repeat(np.arange(n), np.diff(tagged.indptr))
        self._diag = np.flatnonzero(rows == cols)
        ids = np.rint(code).astype(np.int64)
        jpart = np.where(ids > P.nnz, ids - (P.nnz + 1), ids)   # 0: a diagonal-only entry
        self._apos = np.flatnonzero(jpart > 0)                 # A.data positions of J's
        self._jidx = jpart[self._apos] - 1                      # ... and their index in vals
        self.ybuf = np.empty(n)
        self._dense: Any = None                 # "dense": Fortran work array, flat positions
        self._jflat: Any = None
        self.lu: Any = None
        self.dinv = np.ones(n)
        self.gamma_f = None
        self.fresh = False
        self.njev = self.npsetups = self.npsolves = self.njtimes = 0
        self.fallbacks: list[str] = []

    def counts(self) -> dict:
        """Counters since construction (see the class doc)."""
        return dict(njev=self.njev, npsetups=self.npsetups, npsolves=self.npsolves,
                    njtimes=self.njtimes, fallbacks=list(self.fallbacks),
                    precond=self.kind)

    def setup(self, t: float, y: np.ndarray, yp: Any, jok: Any, jnew: list,
              gamma: float) -> None:
        """CVODE's preconditioner setup: refresh J unless ``jok``, refactor ``I − γJ``."""
        if not jok or self.gamma_f is None:
            self.ybuf[:] = y
            self.jac(self.vals, self.ybuf, t)
            self.njev += 1
            jnew[0] = 1
            self.fresh = True
        else:
            jnew[0] = 0
            if (not self.fresh and self.gamma_tol > 0
                    and abs(gamma / self.gamma_f - 1.0) <= self.gamma_tol):
                return                                   # close enough: keep the factors
        self.factor(gamma)
        self.fresh = False

    def factor(self, gamma: float) -> None:
        """Build the preconditioner of ``I − γJ`` (falling back on failure, with a warning)."""
        A = self.A
        A.data[:] = 0.0
        A.data[self._apos] = -gamma * self.vals[self._jidx]
        A.data[self._diag] += 1.0
        reason = self._try(A)
        while reason is not None:             # "none" always succeeds
            self._next(reason)
            reason = self._try(A)
        self.gamma_f = gamma
        self.npsetups += 1

    def _try(self, A: Any) -> str | None:
        """Factor ``A`` with the current kind; the failure's reason, or None."""
        from scipy.sparse.linalg import spilu, splu
        if self.kind == "none":
            return None
        if not np.all(np.isfinite(A.data)):
            return "the Jacobian has non-finite entries"
        if self.kind == "dense":
            return self._dense_lu(A)
        if self.kind == "jacobi":
            d = A.data[self._diag]
            if np.any(d == 0):
                return "I − γJ has a zero diagonal entry"
            self.dinv = 1.0 / d
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lu = (spilu(A, drop_tol=self.drop_tol, fill_factor=self.fill_factor)
                      if self.kind == "ilu" else splu(A))
        except (RuntimeError, ValueError, MemoryError) as e:
            return f"{'ILU breakdown' if self.kind == 'ilu' else 'LU'}: {e}"
        if not np.all(np.isfinite(lu.U.diagonal())):
            return "the factors are not finite"
        self.lu = lu
        return None

    def solve(self, t: float, y: Any, yp: Any, r: np.ndarray, z: np.ndarray, gamma: float,
              delta: float, lr: int) -> None:
        """CVODE's preconditioner solve ``P z = r``."""
        self.npsolves += 1
        while True:
            if self.kind in ("ilu", "lu"):
                z[:] = self.lu.solve(r)
            elif self.kind == "dense":
                from scipy.linalg.lapack import dgetrs
                z[:] = dgetrs(self.lu[0], self.lu[1], r)[0]
            elif self.kind == "jacobi":
                np.multiply(r, self.dinv, out=z)
            else:
                z[:] = r
                return
            if np.isfinite(z).all() or not np.isfinite(r).all():
                return
            self._give_up("its solve gave non-finite values")   # tiny pivots: next kind

    def _dense_lu(self, A: Any) -> str | None:
        """LAPACK ``getrf`` of ``A`` scattered into a reused Fortran array; the reason of a
        failure, or None."""
        from scipy.linalg.lapack import dgetrf
        n = A.shape[0]
        if self._dense is None:
            cols = np.repeat(np.arange(n), np.diff(A.indptr))
            self._jflat = cols * n + A.indices              # column-major flat positions
            try:
                self._dense = np.zeros((n, n), order="F")
            except MemoryError:
                return f"no memory for a dense {n}×{n} matrix (use precond='ilu')"
        D = self._dense
        flat = D.reshape(-1, order="F")                      # a view: D is Fortran-ordered
        flat[:] = 0.0
        flat[self._jflat] = A.data
        lu, piv, info = dgetrf(D, overwrite_a=True)
        if info > 0:
            return f"I − γJ is singular (zero pivot in column {info})"
        if info < 0 or not np.all(np.isfinite(np.diagonal(lu))):
            return "the dense LU is not finite"
        self.lu = (lu, piv)
        return None

    def _next(self, reason: str) -> None:
        """Warn that the current kind failed for ``reason`` and move to the next one."""
        nxt = FALLBACK[self.kind]
        msg = f"CVODE preconditioner {self.kind!r} failed ({reason}); using {nxt!r} instead"
        warnings.warn(msg, PreconditionerWarning, stacklevel=4)
        self.fallbacks.append(msg)
        self.kind = nxt

    def _give_up(self, reason: str) -> None:
        """Move to the next kind and rebuild it for the last γ."""
        self._next(reason)
        self.npsetups -= 1                    # factor() counts it again
        self.factor(self.gamma_f)

    def jtimes(self, t: float, y: Any, yp: Any, v: np.ndarray, Jv: np.ndarray) -> None:
        """``Jv = J v`` with the Jacobian of the last setup."""
        self.njtimes += 1
        Jv[:] = self.J @ v


def dq_jtimes(rhs: Callable, n: int, counter: JacobianPreconditioner) -> Callable:
    """``jtimes(t, y, yp, v, Jv)``: ``(f(y + σv) − f(y))/σ`` with the compiled RHS ``rhs(du, y, t)``
    (``yp`` is ``f(y)``, which CVODE passes), ``σ`` scaled to ``y`` and ``v``."""
    ybuf, fbuf = np.empty(n), np.empty(n)

    def jtimes(t: float, y: np.ndarray, yp: np.ndarray, v: np.ndarray, Jv: np.ndarray) -> None:
        counter.njtimes += 1
        nv = float(np.sqrt(v @ v))
        if nv == 0.0:
            Jv[:] = 0.0
            return
        sig = np.sqrt(np.finfo(float).eps) * (1.0 + float(np.sqrt(y @ y))) / nv
        np.multiply(v, sig, out=ybuf)
        np.add(ybuf, y, out=ybuf)
        rhs(fbuf, ybuf, t)
        np.subtract(fbuf, yp, out=Jv)
        np.divide(Jv, sig, out=Jv)
    return jtimes


def jvp_jtimes(jvp: Callable, n: int, counter: JacobianPreconditioner) -> Callable:
    """``jtimes(t, y, yp, v, Jv)``: the exact ``J(y) v`` from a compiled directional
    derivative ``jvp(Jv, y, v, t)`` (no RHS call, no σ; CVODE's vectors may be read-only,
    so ``y`` and ``v`` are copied into C buffers first)."""
    ybuf, vbuf = np.empty(n), np.empty(n)

    def jtimes(t: float, y: np.ndarray, yp: np.ndarray, v: np.ndarray, Jv: np.ndarray) -> None:
        counter.njtimes += 1
        ybuf[:] = y
        vbuf[:] = v
        jvp(Jv, ybuf, vbuf, t)
    return jtimes
