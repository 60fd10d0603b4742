"""Signs of manipulation in votes (pure: no Django).

Flags only point a moderator at sessions worth a look; a moderator decides to exclude their
votes from the ranking (they stay stored and can be included again, see services). One rule
acts without a moderator: an address range over-represented among a proposal's votes weighs
less in its ranking (:func:`range_weights`), since many sessions from one network drawing
sequences until they meet their target is the cheapest way to push it.
"""

import ipaddress
from collections import Counter
from dataclasses import dataclass

from civic_consultation.scoring import COUNT_NAMES

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


def client_ip(address):
    """The IP address ``address`` holds, or None; an IPv4 client seen through a dual-stack
    socket (``::ffff:192.0.2.1``) is its IPv4 address."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    return (parsed.ipv4_mapped or parsed) if parsed.version == 6 else parsed


def address_block(address):
    """The range of addresses one organisation or household usually holds: an IPv4 /24 or an
    IPv6 /48 ("" for anything that is not an address)."""
    parsed = client_ip(address)
    if parsed is None:
        return ""
    prefix = 48 if parsed.version == 6 else 24
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))


def range_cap(other_share, rules=Rules()):
    """The largest share of a proposal's ranking votes one address range may weigh, given the
    range's share of the consultation's other votes (those on other proposals: a brigade's
    votes on its target must not raise its own allowance)."""
    return min(1.0, max(rules.range_share, rules.range_slack * other_share))


def range_weights(proposal_votes, range_votes, caps, rules=Rules()):
    """The weight (below 1) each address range over its cap keeps on a proposal's votes.

    ``proposal_votes``: the proposal's counted votes; ``range_votes``: votes of the ranges
    with some on it; ``caps``: each range's cap (:func:`range_cap`). The ranges over their
    caps are weighed together, so that each then makes exactly its cap of the weighted total;
    weighing one down raises the others' shares, hence the loop. Ranges below
    ``rules.range_min_votes`` votes are left alone (chance), and so are ranges with no other
    votes to be weighed against."""
    candidates = {
        block: votes for block, votes in range_votes.items() if votes >= rules.range_min_votes
    }
    capped = set()
    weighted_total = proposal_votes
    while True:
        over = {
            block
            for block, votes in candidates.items()
            if block not in capped and votes > caps[block] * weighted_total
        }
        if not over:
            break
        capped |= over
        outside = proposal_votes - sum(candidates[block] for block in capped)
        allowed = sum(caps[block] for block in capped)
        if outside <= 0 or allowed >= 1:
            return {}
        weighted_total = outside / (1 - allowed)
    return {block: caps[block] * weighted_total / candidates[block] for block in capped}


def range_excess(range_counts, weights):
    """The ranking weight to take off a proposal's counters (name -> amount): each capped
    range's counters (``range_counts``: range -> name -> count) times the part of its weight it
    loses, spread evenly over its votes so that its agree rate is kept."""
    excess = Counter()
    for block, weight in weights.items():
        for name, count in range_counts.get(block, {}).items():
            excess[name] += (1 - weight) * count
    return {name: round(amount, 6) for name, amount in excess.items() if amount > 0}


def move_excess(stored, voter_range, delta):
    """A proposal's stored cap (``{"weights": ..., "amounts": ...}``) after a vote from
    ``voter_range`` moved its counters by ``delta``: a vote from a capped range moves the
    amounts by the part of it the range loses, so that changing or excluding votes between
    two computations of the cap keeps it exact. Returns ``stored`` itself when nothing moves."""
    weight = stored.get("weights", {}).get(voter_range) if voter_range else None
    if weight is None:
        return stored
    amounts = dict(stored.get("amounts", {}))
    for name, change in delta.items():
        if name in COUNT_NAMES:
            amounts[name] = round(amounts.get(name, 0) + (1 - weight) * change, 6)
    return {**stored, "amounts": {name: amount for name, amount in amounts.items() if amount > 0}}
