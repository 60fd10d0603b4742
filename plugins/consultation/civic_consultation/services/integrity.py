"""Integrity of the votes: flagging sessions for a moderator's look, the evidence moderators
read, their decisions to exclude or include a session's votes, and the address-range cap's
weights (computed by ``ranges``)."""

from collections import Counter, defaultdict

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_consultation import counters, integrity, scoring, vote_store
from civic_consultation.adapter import get_adapter
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Event, Participant, Proposal, Vote
from civic_consultation.permissions import require_moderator

Visibility = Event.Visibility


def flag_session(participant_id, cast, previous, session):
    """Flag a session for a moderator's look after ``cast`` (which replaced ``previous``):
    votes faster than a person reads, or trusted votes nearly all of one value. Counted from
    the session read with the vote (``vote_store.read_session``); returns the flag set, if any."""
    rules = get_adapter().integrity_rules(None)
    flag = None
    if integrity.is_burst(session["burst"] + 1, rules):
        flag = integrity.FLAG_BURST
    elif cast.trusted and not cast.excluded:
        values = session["trusted"]
        if previous is not None and previous["trusted"]:
            values[previous["value"]] -= 1
        values[cast.value] += 1
        if integrity.uniform_value_of_counts(values, rules) is not None:
            flag = integrity.FLAG_UNIFORM
    if flag is None:
        return None
    Participant.objects.filter(pk=participant_id, flag="").update(
        flag=flag, flagged_at=timezone.now()
    )
    return flag


def session_evidence(sessions):
    """``sessions`` (participants) with what a moderator weighs before excluding their votes:
    how many sessions share their address range (``same_range``), their votes in all
    (``total``), trusted, of each value, and the times of the first and last."""
    return sessions.annotate(
        same_range=Subquery(
            Participant.objects.filter(
                consultation=OuterRef("consultation"), address_range=OuterRef("address_range")
            )
            .exclude(address_range="")
            .values("address_range")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        total=Count("votes"),
        trusted=Count("votes", filter=Q(votes__trusted=True)),
        **{value: Count("votes", filter=Q(votes__value=value)) for value in Vote.Value.values},
        first=Min("votes__created_at"),
        last=Max("votes__created_at"),
    )


def exclude_votes(actor, participant, reason):
    """Take a session's votes out of the ranking; they stay stored (audit log: an event)."""
    return _set_exclusion(actor, participant, True, reason)


def include_votes(actor, participant, reason):
    """Count an excluded session's votes for the ranking again."""
    return _set_exclusion(actor, participant, False, reason)


def _set_exclusion(actor, participant, excluded, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ConsultationError.for_field("reason", _("Give the reason of this decision."))
    with vote_store.atomic():
        locked = (
            Participant.objects.select_for_update()
            .select_related("consultation")
            .get(pk=participant.pk)
        )
        require_moderator(actor, locked.consultation)
        if locked.excluded == excluded:
            raise ConsultationError(
                _("These votes are already excluded.")
                if excluded
                else _("These votes are already counted."),
                ConsultationError.CONFLICT,
            )
        votes = list(
            Vote.objects.filter(participant=locked, trusted=True)
            .order_by("proposal_id")
            .values_list("proposal_id", "value", "qualifications", "shared", "pk", "address_range")
        )
        sign = -1 if excluded else 1
        profiled = bool(locked.age_range or locked.district)
        # Rows locked in one order (by id) so that parallel decisions cannot deadlock.
        rows = {
            row["pk"]: row
            for row in Proposal.objects.select_for_update()
            .filter(pk__in=[vote[0] for vote in votes])
            .order_by("pk")
            .values("pk", *counters.STORED_COUNTS, "range_excess")
        }
        for proposal_id, value, qualifications, shared, _pk, address_range in votes:
            contributions = counters.contributions(value, qualifications, shared=shared)
            delta = {name: sign * count for name, count in contributions.items()}
            # One vote per participant and proposal: each row moves once.
            vote_store.move_proposal(rows[proposal_id], delta, [(address_range, delta)])
            if profiled and not shared:
                vote_store.move_segments(locked.pk, proposal_id, delta)
        # The votes read above, not a new read: a vote committed meanwhile was counted by its
        # own transaction and keeps a flag that matches the counters.
        Vote.objects.filter(pk__in=[vote[4] for vote in votes]).update(excluded=excluded)
        locked.excluded = excluded
        locked.save(update_fields=["excluded"])
        Event.objects.create(
            consultation=locked.consultation,
            actor=actor,
            kind="votes_excluded" if excluded else "votes_included",
            message=_("Session %(session)s, %(count)d votes: %(reason)s")
            % {"session": locked.public_id, "count": len(votes), "reason": reason},
            visibility=Visibility.INTERNAL,
        )
    participant.excluded = excluded
    return locked


def set_range_weights(proposal_id, weights):
    """Store the weights the cap gives a proposal's over-represented address ranges
    (``ranges.py``) and rank the proposal again: the weight taken off each counter is computed
    from the ranges' votes read under the proposal's lock, so no vote is missed. An internal
    event records when a cap starts or ends."""
    with vote_store.atomic():
        row = (
            Proposal.objects.select_for_update()
            .filter(pk=proposal_id)
            .values("pk", "consultation_id", *counters.STORED_COUNTS, "range_excess")
            .first()
        )
        if row is None:
            return
        by_range = defaultdict(Counter)
        for block, value, qualifications in (
            Vote.objects.counted()
            .filter(proposal_id=proposal_id, address_range__in=list(weights))
            .values_list("address_range", "value", "qualifications")
        ):
            by_range[block].update(counters.contributions(value, qualifications))
        amounts = integrity.range_excess(by_range, weights)
        capped_before = bool(row["range_excess"].get("weights"))
        row["range_excess"] = {"weights": weights, "amounts": amounts} if weights else {}
        vote_store.move_proposal(row, {}, store_excess=True)
        if capped_before == bool(weights):
            return
        Event.objects.create(
            consultation_id=row["consultation_id"],
            proposal_id=proposal_id,
            kind="range_capped" if weights else "range_cap_lifted",
            message=_(
                "Address ranges casting more than their share of this proposal's votes: "
                "%(ranges)d; %(weight).1f votes' weight taken off its ranking."
            )
            % {
                "ranges": len(weights),
                "weight": sum(amounts.get(value, 0) for value in scoring.VALUES),
            }
            if weights
            else _("No address range casts more than its share of the votes any more."),
            visibility=Visibility.INTERNAL,
        )
