"""The address-range cap of a consultation: which proposals have too many votes from one
network, and how much ranking weight they lose (the rule is ``integrity.range_excess``).

Run by a task every few minutes (tasks.py) rather than with each vote: it reads the votes
grouped by address range, which the vote path must not pay for. Between two runs a proposal
keeps the excess last computed.
"""

from collections import defaultdict

from django.db.models import Count, F, Sum

from civic_consultation import integrity, scoring, services
from civic_consultation.adapter import get_adapter
from civic_consultation.models import Proposal, Vote


def counted_votes(consultation):
    """The votes the sampled counters hold, from participants whose address range is known."""
    return (
        Vote.objects.counted()
        .filter(proposal__consultation=consultation)
        .exclude(participant__address_range="")
    )


def compute_excess(consultation, rules=None):
    """{proposal id: excess} for every proposal of ``consultation`` with an address range over
    its cap (a mapping counter name -> weight taken off)."""
    rules = rules or get_adapter().integrity_rules(consultation)
    votes = counted_votes(consultation)
    consultation_votes = _consultation_votes(consultation)
    if not consultation_votes:
        return {}
    shares = {
        block: count / consultation_votes
        for block, count in votes.values_list("participant__address_range")
        .annotate(count=Count("pk"))
        .order_by()
    }
    crowded = list(
        votes.values_list("proposal_id", "participant__address_range")
        .annotate(count=Count("pk"))
        .filter(count__gte=rules.range_min_votes)
        .order_by()
    )
    totals = dict(
        Proposal.objects.filter(pk__in={proposal_id for proposal_id, _b, _c in crowded})
        .annotate(counted=F("agree") + F("disagree") + F("neutral"))
        .values_list("pk", "counted")
    )
    over = {
        (proposal_id, block)
        for proposal_id, block, count in crowded
        if integrity.over_cap(count, totals.get(proposal_id, 0), shares[block], rules)
    }
    if not over:
        return {}
    range_counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    # Two short lists rather than one condition per pair; the few other rows they match are
    # skipped here.
    candidates = votes.filter(
        proposal_id__in={proposal_id for proposal_id, _block in over},
        participant__address_range__in={block for _proposal_id, block in over},
    ).values_list("proposal_id", "participant__address_range", "value", "qualifications")
    for proposal_id, block, value, qualifications in candidates:
        if (proposal_id, block) not in over:
            continue
        counts = range_counts[proposal_id][block]
        for name in (value, *qualifications):
            counts[name] += 1
    excess = {
        proposal_id: integrity.range_excess(totals[proposal_id], by_range, shares, rules)
        for proposal_id, by_range in range_counts.items()
    }
    return {proposal_id: amounts for proposal_id, amounts in excess.items() if amounts}


def _consultation_votes(consultation):
    totals = Proposal.objects.filter(consultation=consultation).aggregate(
        **{value: Sum(value) for value in scoring.VALUES}
    )
    return sum(count or 0 for count in totals.values())


def refresh(consultation):
    """Store each proposal's excess and rank it again; returns the ids of the proposals whose
    excess changed. Proposals gaining or losing an excess get an internal audit event."""
    computed = compute_excess(consultation)
    stored = dict(
        Proposal.objects.filter(consultation=consultation)
        .exclude(range_excess={})
        .values_list("pk", "range_excess")
    )
    changed = sorted(
        proposal_id
        for proposal_id in stored.keys() | computed.keys()
        if stored.get(proposal_id, {}) != computed.get(proposal_id, {})
    )
    for proposal_id in changed:
        services.set_range_excess(proposal_id, computed.get(proposal_id, {}))
    return changed
