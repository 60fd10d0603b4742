"""Signs of manipulation in a participant's votes (pure: no Django).

Flags only point a moderator at sessions worth a look; a moderator decides to exclude their
votes from the ranking (they stay stored and can be included again, see services).
"""

from collections import Counter
from dataclasses import dataclass

FLAG_UNIFORM = "uniform"
FLAG_BURST = "burst"


@dataclass(frozen=True)
class Rules:
    # A session with at least this many votes, nearly all of one value, is flagged.
    uniform_min_votes: int = 8
    uniform_share: float = 0.9
    # A session casting this many votes within this many seconds reads faster than a person
    # can read the proposals (a script, or someone clicking without reading).
    burst_votes: int = 10
    burst_seconds: int = 20


def is_burst(votes_in_burst_window, rules=Rules()):
    """Whether a session's votes within the last ``rules.burst_seconds`` (this one included)
    came faster than a person reads."""
    return votes_in_burst_window >= rules.burst_votes


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
