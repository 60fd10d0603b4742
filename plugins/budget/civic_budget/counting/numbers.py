"""Exact rational numbers.

gmpy2's ``mpq`` is several times faster than :class:`fractions.Fraction`; both are exact and
compare equal on equal values, so the results do not depend on which one is installed. The
standard library is enough to count.
"""

from fractions import Fraction

try:
    from gmpy2 import mpq as Rational
except ImportError:  # pragma: no cover - depends on the environment
    Rational = Fraction

BACKEND = "gmpy2" if Rational is not Fraction else "fractions"


def to_text(value) -> str:
    """Stable text form of an integer or rational: ``"7"`` or ``"22/7"``."""
    value = Fraction(int(value.numerator), int(value.denominator))
    return str(value)
