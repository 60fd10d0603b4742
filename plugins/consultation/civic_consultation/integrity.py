"""Signs of manipulation in a participant's votes (pure: no Django).

Flags only point a moderator at sessions worth a look; a moderator decides to exclude their
votes from the ranking (they stay stored and can be included again, see services).
"""

from collections import Counter
from dataclasses import dataclass

FLAG_UNIFORM = "uniform"


@dataclass(frozen=True)
class Rules:
    # A session with at least this many votes, nearly all of one value, is flagged.
    uniform_min_votes: int = 8
    uniform_share: float = 0.9


def uniform_value(values, rules=Rules()):
    """The value a session nearly always votes, or None when it votes like a person."""
    return uniform_value_of_counts(Counter(values), rules)


def uniform_value_of_counts(counts, rules=Rules()):
    """``uniform_value`` from the number of votes of each value (a mapping value -> count)."""
    total = sum(counts.values())
    if total < rules.uniform_min_votes:
        return None
    value, count = max(counts.items(), key=lambda item: item[1])
    return value if count / total >= rules.uniform_share else None
