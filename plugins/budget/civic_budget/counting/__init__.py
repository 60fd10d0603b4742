"""Exact, reproducible counting of participatory-budget votes.

Pure Python over plain data (no Django): build an :class:`Election`, choose a rule and
:func:`count`. See ``docs/budget-counting.md`` for the rules, the tie order and how to
recompute a stored result.
"""

from .errors import CountingInputError
from .instance import APPROVAL, CUMULATIVE, ORDINAL, BallotGroup, Election
from .result import COMPLETE, TIED, CountResult, Payment, Round
from .rules import (
    ALGORITHM_VERSION,
    EqualSharesRule,
    GreedyRule,
    RecountReport,
    count,
    recount,
    rule_from_parameters,
)

__all__ = [
    "ALGORITHM_VERSION",
    "APPROVAL",
    "COMPLETE",
    "CUMULATIVE",
    "ORDINAL",
    "TIED",
    "BallotGroup",
    "CountResult",
    "CountingInputError",
    "Election",
    "EqualSharesRule",
    "GreedyRule",
    "Payment",
    "RecountReport",
    "Round",
    "count",
    "recount",
    "rule_from_parameters",
]
