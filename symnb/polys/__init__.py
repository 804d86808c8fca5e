"""Polynomial and rational normal forms over Q on symnb terms, computed by python-flint.

The layer sits directly above ``symnb.terms`` and imports nothing else of symnb.
Non-polynomial subterms (``sin(x)``, ``exp(y)``, ``x^(1/2)``, ``x^y``) act as extra
generators.  Every function takes ``max_terms=`` and raises ``PolynomialTooLarge``
*before* computing anything whose estimated size exceeds it.

>>> from symnb.terms import symbols
>>> from symnb.polys import cancel, factor, apart
>>> x, y = symbols("x y")
>>> cancel((x**2 - y**2) / (x - y))
x + y
>>> factor(x**3 - x)
x*(-1 + x)*(1 + x)
>>> apart(2 / (x**2 - 1), x)
1/(-1 + x) - 1/(1 + x)
"""
from __future__ import annotations

from .apart import apart
from .collect import collect
from .convert import Rational, poly_to_term, to_rational
from .errors import PolynomialError, PolynomialTooLarge
from .expand import expand
from .factor import DEFAULT_FACTOR_MAX_TERMS, factor
from .limits import DEFAULT_MAX_TERMS
from .rational import cancel, together

__all__ = ["expand", "together", "cancel", "factor", "collect", "apart",
           "PolynomialError", "PolynomialTooLarge", "DEFAULT_MAX_TERMS",
           "DEFAULT_FACTOR_MAX_TERMS", "Rational", "to_rational", "poly_to_term"]
