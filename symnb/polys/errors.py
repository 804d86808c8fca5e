"""Errors of the polynomial layer; each message is one line naming the problem and the fix.

>>> issubclass(PolynomialTooLarge, ValueError)
True
"""
from __future__ import annotations

__all__ = ["PolynomialError", "PolynomialTooLarge", "CoefficientTooLarge"]


class PolynomialError(ValueError):
    """The input is not of the kind a normal form needs (e.g. not univariate for ``apart``)."""


class PolynomialTooLarge(PolynomialError):
    """A result would have more terms than the ``max_terms=`` limit allows.

    Raised *before* the work starts, from an upper bound on the number of terms.
    """

    def __init__(self, what: str, estimate: int, max_terms: int) -> None:
        self.estimate = estimate
        self.max_terms = max_terms
        super().__init__(f"{what} would give up to {estimate:,} terms, more than "
                         f"max_terms={max_terms:,}; pass a larger max_terms= to allow it")


class CoefficientTooLarge(PolynomialTooLarge):
    """A result's coefficients would have more digits than ``symnb.config.max_exact_digits``.

    A ``PolynomialTooLarge``, so code that gives up on too large a polynomial gives up here."""

    def __init__(self, what: str, digits: int, max_digits: int) -> None:
        self.estimate = digits
        self.max_terms = None
        ValueError.__init__(self, f"{what} would give coefficients of about {digits:,} "
                            f"digits, more than symnb.config.max_exact_digits={max_digits:,}; "
                            "set a larger symnb.config.max_exact_digits to allow it")
