"""Signs of manipulation in votes (pure: no Django).

Flags only point a moderator at sessions worth a look; a moderator decides to exclude their
votes from the ranking (they stay stored and can be included again, see services). One rule
acts without a moderator: an address range over-represented among a proposal's votes weighs
less in its ranking (:func:`range_excess`), since many sessions from one network drawing
sequences until they meet their target is the cheapest way to push it.
"""

import ipaddress
from collections import Counter
from dataclasses import dataclass

from civic_consultation.scoring import VALUES

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
    # The sessions of one address range (IPv4 /24, IPv6 /48) weigh at most ``range_share`` of
    # a proposal's ranking votes, or ``range_slack`` times the range's share of the whole
    # consultation's votes if more: a school or a mobile operator's shared addresses vote on
    # every proposal about as much as anywhere else, a brigade on its target far more. Below
    # ``range_min_votes`` votes on the proposal, chance explains any concentration.
    range_share: float = 0.1
    range_slack: float = 2.0
    range_min_votes: int = 10


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


def address_block(address):
    """The range of addresses one organisation or household usually holds: an IPv4 /24 or an
    IPv6 /48 ("" for anything that is not an address)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 48 if parsed.version == 6 else 24
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))


def range_cap(consultation_share, rules=Rules()):
    """The largest share of a proposal's ranking votes one address range may weigh."""
    return min(1.0, max(rules.range_share, rules.range_slack * consultation_share))


def over_cap(range_votes, proposal_votes, consultation_share, rules=Rules()):
    """Whether one range's ``range_votes`` among a proposal's ``proposal_votes`` weigh more
    than its cap. A proposal only this range voted on has no other votes to weigh them
    against: it keeps them."""
    if range_votes < rules.range_min_votes or range_votes >= proposal_votes:
        return False
    return range_votes / proposal_votes > range_cap(consultation_share, rules)


def range_excess(proposal_votes, range_counts, consultation_shares, rules=Rules()):
    """The ranking weight to take off a proposal's counters, per counter name.

    ``proposal_votes``: the proposal's counted votes (all ranges); ``range_counts``: for each
    address range with votes on it, its counters (a mapping name -> count, the vote values
    among them); ``consultation_shares``: each range's share of the consultation's counted
    votes. A range over its cap (:func:`range_cap`) keeps the weight that makes it exactly the
    cap of the proposal's votes, spread evenly over its votes, so its agree rate is kept.
    """
    excess = Counter()
    for block, counts in range_counts.items():
        votes = sum(counts.get(value, 0) for value in VALUES)
        share = consultation_shares.get(block, 0.0)
        if not over_cap(votes, proposal_votes, share, rules):
            continue
        cap = range_cap(share, rules)
        weight = cap / (1 - cap) * (proposal_votes - votes) / votes
        for name, count in counts.items():
            excess[name] += (1 - weight) * count
    return {name: round(amount, 6) for name, amount in excess.items() if amount > 0}
