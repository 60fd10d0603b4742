"""Votes: checking and recording a participant's vote on a proposal, the hottest path of a
consultation (its statements are in ``vote_store``)."""

from collections import Counter
from datetime import timedelta

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_consultation import counters, limits, scoring, vote_store
from civic_consultation.adapter import get_adapter
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Proposal, Vote
from civic_consultation.services.cards import read_card_key
from civic_consultation.services.integrity import flag_session


def recount(consultation):
    """Counters recomputed from the rows (audits and tests): what the shards must sum to."""
    return {
        "participants": consultation.participants.count(),
        "proposals": consultation.proposals.filter(status=Proposal.Status.ACCEPTED).count(),
        "votes": Vote.objects.filter(proposal__consultation=consultation).count(),
    }


def validate_qualifications(value, qualifications):
    """The qualifications of a vote, each once; refused when one does not go with ``value``."""
    qualifications = list(dict.fromkeys(qualifications or ()))
    allowed = scoring.QUALIFICATIONS.get(value)
    if allowed is None:
        raise ConsultationError.for_field("value", _("Vote agree, disagree or neutral."))
    wrong = [code for code in qualifications if code not in allowed]
    if wrong:
        raise ConsultationError.for_field(
            "qualifications",
            _("These qualifications do not go with this vote: %(codes)s")
            % {"codes": ", ".join(map(str, wrong))},
        )
    return qualifications


def cast_vote(
    participant_id,
    proposal_id,
    value,
    qualifications=(),
    key="",
    consultation_id=None,
    address=None,
):
    """Record or replace the vote of a participant on a proposal.

    Trusted only when ``key`` is the key of a card served to this participant for this
    proposal. The proposal row is locked first, so parallel votes of one participant on one
    proposal run one after the other: the second replaces the first. This is the hottest path
    of a consultation: on PostgreSQL a first vote is two statements (lock and read; every
    write), a change three; no ORM query to build; the address limit counted in batches and the
    participant's own limit from the action count of their row, read by the locking statement
    and moved with the writes (a change of a vote is an action like a first vote).
    """
    qualifications = validate_qualifications(value, qualifications)
    limits.check("vote", address=address)
    sequence_number, shared = read_card_key(key, participant_id, proposal_id)
    cast = Vote(
        participant_id=participant_id,
        proposal_id=proposal_id,
        value=value,
        qualifications=qualifications,
        trusted=sequence_number is not None,
        shared=shared,
        sequence=sequence_number,
    )
    try:
        try:
            proposal, previous, session = _record_vote(cast, consultation_id, retried=False)
        except _RacedFirstVote:
            proposal, previous, session = _record_vote(cast, consultation_id, retried=True)
    except IntegrityError as error:
        # The participant was erased meanwhile (the signed token outlived it).
        raise ConsultationError(
            _("There is no such participant."), ConsultationError.NOT_FOUND
        ) from error
    if not proposal["voter_flag"]:
        flag_session(participant_id, cast, previous, session)
    return cast


class _RacedFirstVote(Exception):
    """A first vote met the same participant's vote on the proposal, committed meanwhile."""


def _record_vote(cast, consultation_id, retried):
    """One transaction: lock the proposal, check, write the vote and move the counters."""
    db = vote_store.database()
    now = timezone.now()
    burst_start = now - timedelta(seconds=get_adapter().integrity_rules(None).burst_seconds)
    with vote_store.atomic(db):
        proposal, previous, session = vote_store.lock_votable(
            db, cast.proposal_id, cast.participant_id, now, burst_start
        )
        _check_votable(proposal, cast.participant_id, consultation_id)
        if previous is not None:
            # Read again now that the lock is held: the locking statement's snapshot was taken
            # before waiting for it, and may predate a change of this vote committed meanwhile.
            previous, session = vote_store.read_session(
                db, cast.participant_id, cast.proposal_id, burst_start
            )
        writes = _count_action(db, proposal, cast.participant_id, now)
        cast.excluded = bool(proposal["voter_excluded"])
        cast.address_range = proposal["voter_range"] or ""
        # Each contribution moves the counters, and the cap's excess under its own range.
        range_moves = [
            (
                cast.address_range,
                counters.contributions(
                    cast.value, cast.qualifications, cast.trusted, cast.excluded, cast.shared
                ),
            )
        ]
        if previous is None:
            writes += [
                vote_store.vote_insert(db, cast, now),
                vote_store.counter_bump(db, proposal["consultation_id"], {"votes": 1}),
            ]
        else:
            cast.pk = previous.pop("pk")
            previous_range = previous.pop("address_range")
            writes.append(vote_store.vote_replace(db, cast, now))
            removed = counters.contributions(**previous)
            range_moves.append((previous_range, {n: -count for n, count in removed.items()}))
        delta = Counter()
        for _range, contribution in range_moves:
            delta.update(contribution)
        delta = {name: change for name, change in delta.items() if change}
        if delta:
            writes.append(vote_store.proposal_update(db, proposal, delta, range_moves))
            trusted_delta = {n: c for n, c in delta.items() if n in counters.SEGMENT_COUNTS}
            if trusted_delta and proposal["profiled"]:
                writes.append(
                    vote_store.segments_upsert(
                        db, cast.participant_id, cast.proposal_id, trusted_delta
                    )
                )
        try:
            vote_store.execute_writes(db, writes)
        except IntegrityError:
            # The same snapshot missed a first vote on this proposal committed by a parallel
            # request of the participant: start again, it is then a change.
            if previous is None and not retried:
                raise _RacedFirstVote from None
            raise
    return proposal, previous, session


def _count_action(db, proposal, participant_id, now):
    """Refuse a vote action over the participant's limit (``vote_participant``: votes and
    changes of votes in one window, a change counting like a first vote); else the writes
    (first among the vote's, so parallel votes of one participant take their row locks in the
    same order) that count it."""
    limit = limits.rate_limit("vote_participant")
    if limit is None:
        return []
    window = limits.window_number(limit[1], now.timestamp())
    done = proposal["voter_actions"] if proposal["voter_window"] == window else 0
    if done >= limit[0]:
        raise limits.rate_limited()
    return [vote_store.participant_action(db, participant_id, window)]


def _check_votable(proposal, participant_id, consultation_id):
    """Refuse a vote on a proposal that does not take it from this participant (``proposal``
    as ``vote_store.lock_votable`` reads it)."""
    if proposal is None or proposal["voter_consultation"] != proposal["consultation_id"]:
        raise ConsultationError(_("There is no such proposal."), ConsultationError.NOT_FOUND)
    if consultation_id is not None and consultation_id != proposal["consultation_id"]:
        raise ConsultationError(_("There is no such proposal."), ConsultationError.NOT_FOUND)
    if not proposal["is_open"]:
        raise ConsultationError(
            _("This consultation is closed to votes."), ConsultationError.CLOSED
        )
    if proposal["status"] != Proposal.Status.ACCEPTED:
        raise ConsultationError(
            _("This proposal is not open to votes."), ConsultationError.NOT_VOTABLE
        )
    if proposal["author_id"] == participant_id:
        raise ConsultationError(
            _("You cannot vote on your own proposal."), ConsultationError.OWN_PROPOSAL
        )
