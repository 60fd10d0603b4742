"""The address-range cap of a consultation: which address ranges cast more than their share of a
proposal's votes, and the weight they keep (the rule is ``integrity.range_weights``).

Run by a task every few minutes (tasks.py) rather than with each vote: it reads the votes
grouped by address range, which the vote path must not pay for. The weights stay until the next
run; the weight taken off each counter is kept exact in between by the vote path and by
moderators' exclusions (``integrity.move_excess``).
"""

from collections import defaultdict

from django.db.models import Count, F, Sum

from civic_consultation import integrity, scoring, services
from civic_consultation.adapter import get_adapter
from civic_consultation.models import Proposal, Vote

# A new weight differing from the stored one by less than this is not written again.
WEIGHT_TOLERANCE = 0.005


def counted_votes(consultation):
    """The votes the sampled counters hold, cast from a known address range."""
    return (
        Vote.objects.counted().filter(proposal__consultation=consultation).exclude(address_range="")
    )


def compute_weights(consultation, rules=None):
    """{proposal id: {range: weight}} for every proposal of ``consultation`` with address
    ranges over their cap. Three grouped reads, whatever the number of proposals."""
    rules = rules or get_adapter().integrity_rules(consultation)
    votes = counted_votes(consultation)
    crowded = defaultdict(dict)
    for proposal_id, block, count in (
        votes.values_list("proposal_id", "address_range")
        .annotate(count=Count("pk"))
        .filter(count__gte=rules.range_min_votes)
        .order_by()
    ):
        crowded[proposal_id][block] = count
    if not crowded:
        return {}
    range_totals = dict(
        votes.filter(address_range__in={b for r in crowded.values() for b in r})
        .values_list("address_range")
        .annotate(count=Count("pk"))
        .order_by()
    )
    proposal_totals = dict(
        Proposal.objects.filter(consultation=consultation)
        .annotate(counted=F("agree") + F("disagree") + F("neutral"))
        .filter(pk__in=list(crowded))
        .values_list("pk", "counted")
    )
    consultation_votes = _consultation_votes(consultation)
    weights = {}
    for proposal_id, by_range in crowded.items():
        proposal_votes = proposal_totals.get(proposal_id, 0)
        other_votes = consultation_votes - proposal_votes
        caps = {
            block: integrity.range_cap(
                (range_totals.get(block, count) - count) / other_votes if other_votes else 0.0,
                rules,
            )
            for block, count in by_range.items()
        }
        found = integrity.range_weights(proposal_votes, by_range, caps, rules)
        if found:
            weights[proposal_id] = {block: round(weight, 6) for block, weight in found.items()}
    return weights


def _consultation_votes(consultation):
    totals = Proposal.objects.filter(consultation=consultation).aggregate(
        **{value: Sum(value) for value in scoring.VALUES}
    )
    return sum(count or 0 for count in totals.values())


def _differs(stored, computed):
    if stored.keys() != computed.keys():
        return True
    return any(abs(stored[block] - computed[block]) > WEIGHT_TOLERANCE for block in stored)


def refresh(consultation):
    """Store the new weights and rank the proposals whose weights changed again; returns their
    ids. Proposals gaining or losing a cap get an internal audit event."""
    computed = compute_weights(consultation)
    stored = {
        proposal_id: excess.get("weights", {})
        for proposal_id, excess in Proposal.objects.filter(consultation=consultation)
        .exclude(range_excess={})
        .values_list("pk", "range_excess")
    }
    changed = sorted(
        proposal_id
        for proposal_id in stored.keys() | computed.keys()
        if _differs(stored.get(proposal_id, {}), computed.get(proposal_id, {}))
    )
    for proposal_id in changed:
        services.set_range_weights(proposal_id, computed.get(proposal_id, {}))
    return changed
