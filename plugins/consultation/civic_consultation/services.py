"""Every state change of the consultation plugin.

Pages, the API, the admin and the commands call these functions; each checks the actor's right,
the source state, runs in one transaction (rows locked with ``select_for_update``) and records a
timeline event for moderation changes. Counters move by F() expressions in the same transaction.
"""

import functools
import random
import re
from collections import Counter, defaultdict
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from civic_consultation import counters, identity, integrity, limits, scoring, sequence, text
from civic_consultation.adapter import get_adapter
from civic_consultation.app_settings import app_settings
from civic_consultation.errors import ConsultationError
from civic_consultation.models import (
    Card,
    Event,
    Idea,
    Participant,
    Proposal,
    Vote,
)
from civic_consultation.permissions import can_moderate

Status = Proposal.Status
Visibility = Event.Visibility


# Live counters -----------------------------------------------------------------------------


def recount(consultation):
    """Counters recomputed from the rows (audits and tests): what the shards must sum to."""
    return {
        "participants": consultation.participants.count(),
        "proposals": consultation.proposals.filter(status=Status.ACCEPTED).count(),
        "votes": Vote.objects.filter(proposal__consultation=consultation).count(),
    }


# Rate limits -------------------------------------------------------------------------------


def rate_limited():
    return ConsultationError(
        _("Too many requests in a short time: please try again in a few minutes."),
        ConsultationError.RATE_LIMITED,
    )


def check_rate(action, participant_id=None, address=None):
    """Refuse an action over its rate limit, per participant and per address range."""
    subjects = [("participant", participant_id), ("address", limits.address_subject(address))]
    for scope, subject in subjects:
        kind = f"{action}_{scope}"
        if subject and kind in app_settings.RATE_LIMITS and not limits.allow(kind, subject):
            raise rate_limited()


# Participants ------------------------------------------------------------------------------


def get_participant(consultation, participant_id=None, user=None):
    """The participant of this browser or account, or None."""
    if participant_id:
        found = Participant.objects.filter(pk=participant_id, consultation=consultation).first()
        if found:
            return found
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(consultation=consultation, user=user).first()
    return None


def join(consultation, participant_id=None, user=None, address=None):
    """The participant for this browser or account, created on first contribution (new
    participants are rate-limited per address: a script cannot mint sessions in bulk)."""
    participant = get_participant(consultation, participant_id, user)
    if participant is not None:
        if participant.user_id is None and user is not None and user.is_authenticated:
            link_account(participant, user)
        return participant
    check_rate("join", address=address)
    level = Participant.IdentityLevel.COOKIE
    account = None
    if user is not None and user.is_authenticated:
        account, level = user, Participant.IdentityLevel.ACCOUNT
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                consultation=consultation,
                user=account,
                identity_level=level,
                address_range=identity.address_range_key(consultation.pk, address),
            )
            counters.bump_counter(consultation.pk, participants=1)
    except IntegrityError:
        # The same account joined in a parallel request.
        return Participant.objects.get(consultation=consultation, user=account)
    return participant


def link_account(participant, user):
    """Attach an account; a participant keeps the strongest identity level it reached."""
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.user_id and locked.user_id != user.pk:
            raise ConsultationError(
                _("This participation belongs to another account."), ConsultationError.CONFLICT
            )
        if (
            Participant.objects.filter(consultation_id=locked.consultation_id, user=user)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ConsultationError(
                _("This account already takes part."), ConsultationError.CONFLICT
            )
        locked.user = user
        locked.identity_level = Participant.IdentityLevel.ACCOUNT
        locked.save(update_fields=["user", "identity_level"])
    participant.user, participant.identity_level = locked.user, locked.identity_level
    return participant


def answer_profile(participant, age_range="", district=""):
    """Record the optional profile, asked once; the participant's earlier trusted votes are
    counted in their segments then."""
    if age_range and age_range not in Participant.AgeRange.values:
        raise ConsultationError.for_field("age_range", _("Choose an age range from the list."))
    district = get_adapter().normalise_district(district or "")
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.profile_state != Participant.ProfileState.NOT_ASKED:
            raise ConsultationError(
                _("The profile was already answered."), ConsultationError.CONFLICT
            )
        locked.age_range = age_range or ""
        locked.district = district
        locked.profile_state = (
            Participant.ProfileState.ANSWERED
            if (age_range or district)
            else Participant.ProfileState.SKIPPED
        )
        locked.save(update_fields=["age_range", "district", "profile_state"])
        counted = locked.votes.counted()
        for vote in counted.order_by("proposal_id"):
            Proposal.objects.select_for_update().filter(pk=vote.proposal_id).first()
            counters.move_segments(
                locked.pk, vote.proposal_id, counters.contributions(vote.value, vote.qualifications)
            )
    participant.refresh_from_db()
    return participant


def skip_profile(participant):
    return answer_profile(participant)


# Proposals ---------------------------------------------------------------------------------

SPACES = re.compile(r"\s+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_proposal_text(consultation, raw):
    """The stored text: whitespace folded, the prefix written once, the limits checked."""
    body = SPACES.sub(" ", CONTROL.sub("", raw or "")).strip()
    prefix = consultation.proposal_prefix.strip()
    if prefix and body.lower().startswith(prefix.lower()):
        body = body[len(prefix) :].strip()
    if not body:
        raise ConsultationError.for_field("text", _("Write your proposal."), "empty")
    full = f"{prefix} {body}" if prefix else body
    if len(full) < consultation.proposal_min_length:
        raise ConsultationError.for_field(
            "text",
            _("A proposal has at least %(count)d characters.")
            % {"count": consultation.proposal_min_length},
            "too_short",
        )
    if len(full) > consultation.proposal_max_length:
        raise ConsultationError.for_field(
            "text",
            _("A proposal has at most %(count)d characters.")
            % {"count": consultation.proposal_max_length},
            "too_long",
        )
    return full


def submit_proposal(participant, raw_text, theme=None, address=None):
    consultation = participant.consultation
    if not consultation.is_open():
        raise ConsultationError(_("This consultation is not open."), ConsultationError.CLOSED)
    if theme is not None and theme.consultation_id != consultation.pk:
        raise ConsultationError.for_field("theme", _("This theme belongs to another consultation."))
    full = clean_proposal_text(consultation, raw_text)
    check_rate("proposal", participant.pk, address)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=participant,
            text=full,
            signature=text.signature(full),
            theme=theme,
        )
        _record(proposal, None, "submitted", "", Status.PENDING, Visibility.INTERNAL)
    return proposal


def similar_proposals(consultation, draft, *, exclude_id=None, statuses=None, limit=5):
    """Proposals that say nearly the same as ``draft`` (accepted ones unless told otherwise)."""
    statuses = statuses or (Status.ACCEPTED,)
    rows = (
        Proposal.objects.filter(consultation=consultation, status__in=statuses)
        .exclude(pk=exclude_id)
        .order_by("-created_at")
        .values_list("pk", "signature")[: app_settings.SIMILARITY_SCOPE]
    )
    matches = text.similar(
        draft, dict(rows), limit=limit, threshold=app_settings.SIMILARITY_THRESHOLD
    )
    found = Proposal.objects.in_bulk([match.key for match in matches])
    return [(found[match.key], match.score) for match in matches if match.key in found]


# Moderation --------------------------------------------------------------------------------


def _record(proposal, actor, kind, from_state, to_state, visibility, message=""):
    Event.objects.create(
        consultation_id=proposal.consultation_id,
        proposal=proposal,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        message=message,
        visibility=visibility,
    )


def _locked_for_moderation(actor, proposal_id, allowed_from):
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=proposal_id)
    )
    if not can_moderate(actor, proposal.consultation):
        raise ConsultationError(
            _("You may not moderate this consultation."), ConsultationError.FORBIDDEN
        )
    held_by_other = (
        proposal.locked_by_id
        and proposal.locked_by_id != actor.pk
        and proposal.locked_until
        and proposal.locked_until > timezone.now()
    )
    if held_by_other:
        raise ConsultationError(
            _("Another moderator is reviewing this proposal."), ConsultationError.LOCKED
        )
    if proposal.status not in allowed_from:
        raise ConsultationError(
            _("This proposal is %(status)s.") % {"status": proposal.get_status_display()},
            ConsultationError.INVALID_STATE,
        )
    return proposal


def lock(actor, proposal):
    """Reserve a proposal for ``actor`` while they review it."""
    with transaction.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING, Status.POSTPONED))
        locked.locked_by = actor
        locked.locked_until = timezone.now() + timedelta(minutes=app_settings.LOCK_MINUTES)
        locked.save(update_fields=["locked_by", "locked_until"])
    return locked


def release(actor, proposal):
    with transaction.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, tuple(Status.values))
        locked.locked_by, locked.locked_until = None, None
        locked.save(update_fields=["locked_by", "locked_until"])
    return locked


def next_in_queue(actor, consultation):
    """Lock and return the oldest pending proposal nobody else is reviewing, or None."""
    if not can_moderate(actor, consultation):
        raise ConsultationError(
            _("You may not moderate this consultation."), ConsultationError.FORBIDDEN
        )
    now = timezone.now()
    with transaction.atomic():
        candidate = (
            Proposal.objects.select_for_update(skip_locked=True)
            .filter(consultation=consultation, status=Status.PENDING)
            .exclude(locked_until__gt=now, locked_by__isnull=False)
            .order_by("created_at", "pk")
            .first()
        ) or (
            Proposal.objects.filter(
                consultation=consultation, status=Status.PENDING, locked_by=actor
            ).first()
        )
        if candidate is None:
            return None
        candidate.locked_by = actor
        candidate.locked_until = now + timedelta(minutes=app_settings.LOCK_MINUTES)
        candidate.save(update_fields=["locked_by", "locked_until"])
    return candidate


def _finish(proposal, actor, to_state, kind, visibility, message="", **changes):
    from_state = proposal.status
    proposal.status = to_state
    proposal.moderated_by = actor
    proposal.moderated_at = timezone.now()
    proposal.locked_by, proposal.locked_until = None, None
    for name, value in changes.items():
        setattr(proposal, name, value)
    proposal.save()
    _record(proposal, actor, kind, from_state, to_state, visibility, message)
    if to_state == Status.ACCEPTED:
        counters.bump_counter(proposal.consultation_id, proposals=1)
    elif from_state == Status.ACCEPTED:
        counters.bump_counter(proposal.consultation_id, proposals=-1)
    return proposal


def accept(actor, proposal, theme=None):
    with transaction.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING, Status.POSTPONED))
        if theme is not None and theme.consultation_id != locked.consultation_id:
            raise ConsultationError.for_field(
                "theme", _("This theme belongs to another consultation.")
            )
        return _finish(
            locked,
            actor,
            Status.ACCEPTED,
            "accepted",
            Visibility.PUBLIC,
            theme=theme or locked.theme,
            refusal_reason="",
        )


def refuse(actor, proposal, reason, note=""):
    reasons = dict(get_adapter().refusal_reasons(proposal.consultation))
    if reason not in reasons:
        raise ConsultationError.for_field("reason", _("Choose a refusal reason from the list."))
    with transaction.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING, Status.POSTPONED))
        return _finish(
            locked,
            actor,
            Status.REFUSED,
            "refused",
            Visibility.MEMBERS,
            message=str(reasons[reason]),
            refusal_reason=reason,
            moderator_note=note,
        )


def postpone(actor, proposal, note=""):
    with transaction.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING,))
        return _finish(
            locked,
            actor,
            Status.POSTPONED,
            "postponed",
            Visibility.INTERNAL,
            note,
            moderator_note=note,
        )


def archive(actor, proposal):
    """Take an accepted proposal out of the votes; its results stay."""
    with transaction.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.ACCEPTED,))
        return _finish(locked, actor, Status.ARCHIVED, "archived", Visibility.PUBLIC)


BULK_ACTIONS = ("accept", "refuse", "postpone")


def bulk_moderate(actor, proposals, action, reason=""):
    """Apply one decision to several proposals; returns (done, [(proposal, error)])."""
    if action not in BULK_ACTIONS:
        raise ConsultationError.for_field("action", _("Unknown action."))
    done, failed = [], []
    for proposal in proposals:
        try:
            if action == "accept":
                done.append(accept(actor, proposal))
            elif action == "refuse":
                done.append(refuse(actor, proposal, reason))
            else:
                done.append(postpone(actor, proposal))
        except ConsultationError as error:
            failed.append((proposal, error))
    return done, failed


def group_into_idea(actor, proposals, *, idea=None, name=""):
    """Group proposals saying the same thing under one idea (new when ``idea`` is None)."""
    proposals = list(proposals)
    if not proposals:
        raise ConsultationError.for_field("proposals", _("Choose the proposals to group."))
    consultation = proposals[0].consultation
    if any(p.consultation_id != consultation.pk for p in proposals):
        raise ConsultationError(_("The proposals belong to different consultations."))
    if not can_moderate(actor, consultation):
        raise ConsultationError(
            _("You may not moderate this consultation."), ConsultationError.FORBIDDEN
        )
    with transaction.atomic():
        if idea is None:
            name = (name or "").strip() or proposals[0].text
            idea = Idea.objects.create(consultation=consultation, name=name[:200])
        elif idea.consultation_id != consultation.pk:
            raise ConsultationError(_("This idea belongs to another consultation."))
        for proposal in Proposal.objects.select_for_update().filter(
            pk__in=[p.pk for p in proposals]
        ):
            proposal.idea = idea
            proposal.save(update_fields=["idea"])
            _record(proposal, actor, "grouped", "", "", Visibility.MEMBERS, idea.name)
    return idea


def mark_duplicate(actor, proposal, original):
    """Refuse ``proposal`` as a duplicate of ``original``; both join the same idea."""
    if original.pk == proposal.pk or original.consultation_id != proposal.consultation_id:
        raise ConsultationError.for_field(
            "original", _("Choose another proposal of this consultation.")
        )
    with transaction.atomic():
        idea = original.idea or group_into_idea(actor, [original])
        refused = refuse(actor, proposal, "duplicate")
        Proposal.objects.filter(pk=refused.pk).update(duplicate_of=original, idea=idea)
    refused.refresh_from_db()
    return refused


# Sequence ----------------------------------------------------------------------------------


SHARED_KEY_MARK = "s"


def card_key(participant_id, proposal_id, sequence_number, shared=False):
    """The key of a served card; a card opened by a shared link carries a mark the HMAC
    covers, so a vote knows its kind without a read."""
    mark = SHARED_KEY_MARK if shared else ""
    mac = salted_hmac(
        "civic_consultation.card", f"{participant_id}:{proposal_id}:{sequence_number}{mark}"
    ).hexdigest()[:40]
    return f"{mark}{sequence_number}-{mac}"


def read_card_key(key, participant_id, proposal_id):
    """(sequence, shared) of the card ``key`` was issued for, or (None, False) when the key is
    not one the server issued to this participant for this proposal."""
    number, _sep, _mac = (key or "").partition("-")
    shared = number.startswith(SHARED_KEY_MARK)
    number = number.removeprefix(SHARED_KEY_MARK)
    if not number.isdigit() or len(number) > 9:
        return None, False
    expected = card_key(participant_id, proposal_id, int(number), shared)
    return (int(number), shared) if constant_time_compare(key, expected) else (None, False)


def card_sequence(key, participant_id, proposal_id):
    """The sequence of the card ``key`` was issued for, or None."""
    return read_card_key(key, participant_id, proposal_id)[0]


def card_key_is_valid(key, participant_id, proposal_id):
    return card_sequence(key, participant_id, proposal_id) is not None


def _plan():
    return sequence.Plan(
        size=app_settings.SEQUENCE_SIZE,
        testing_share=app_settings.TESTING_SHARE,
        max_per_author=app_settings.MAX_PER_AUTHOR,
        max_per_theme=app_settings.MAX_PER_THEME,
        draws=app_settings.PROBABILITY_DRAWS,
    )


def _eligible(consultation):
    return Proposal.objects.filter(consultation=consultation, status=Status.ACCEPTED)


def _testing_candidates(consultation, excluded, wanted):
    """The least exposed proposals still being tested, read by index in small batches."""
    found, offset, batch = [], 0, max(wanted, 24)
    query = (
        _eligible(consultation)
        .filter(pool=scoring.POOL_TESTING)
        .order_by("served", "pk")
        .values_list("pk", "author_id", "theme_id")
    )
    while len(found) < wanted:
        rows = list(query[offset : offset + batch])
        found.extend(
            sequence.Candidate(pk, author, theme)
            for pk, author, theme in rows
            if pk not in excluded
        )
        if len(rows) < batch:
            break
        offset += batch
        batch *= 2
    return found


def _sampling_candidates(consultation, excluded, rng):
    """Tested proposals: the best upper bounds plus a random slice by shuffle key.

    A proposal lands in the random slice with a probability equal to the width of the key
    range the slice covers (the keys are uniform on [0, 1)).
    """
    fields = ("pk", "author_id", "theme_id", "agree", "disagree", "neutral")
    query = _eligible(consultation).filter(pool=scoring.POOL_SAMPLING)
    best = list(
        query.order_by("-agree_high").values_list(*fields)[: app_settings.CANDIDATE_POOL_BEST]
    )
    start = rng.random()
    size = app_settings.CANDIDATE_POOL_RANDOM
    slice_rows = list(
        query.filter(shuffle_key__gte=start)
        .order_by("shuffle_key")
        .values_list(*fields, "shuffle_key")[:size]
    )
    if len(slice_rows) == size:
        width = slice_rows[-1][-1] - start
    else:
        missing = size - len(slice_rows)
        wrapped = list(
            query.filter(shuffle_key__lt=start)
            .order_by("shuffle_key")
            .values_list(*fields, "shuffle_key")[:missing]
        )
        slice_rows += wrapped
        # Either the slice wrapped around past zero, or it holds every tested proposal.
        width = 1.0 - start + wrapped[-1][-1] if len(wrapped) == missing else 1.0
    candidates = {}
    for pk, author, theme, agree, disagree, neutral, _key in slice_rows:
        counts = scoring.Counts(agree=agree, disagree=disagree, neutral=neutral)
        alpha, beta = scoring.beta_posterior(counts)
        candidates[pk] = sequence.Candidate(pk, author, theme, alpha, beta, min(1.0, width))
    for pk, author, theme, agree, disagree, neutral in best:
        counts = scoring.Counts(agree=agree, disagree=disagree, neutral=neutral)
        alpha, beta = scoring.beta_posterior(counts)
        candidates[pk] = sequence.Candidate(pk, author, theme, alpha, beta, 1.0)
    return [c for pk, c in candidates.items() if pk not in excluded]


def _shared_candidate(consultation, proposal_id, excluded):
    """The proposal of a shared link as the sequence's first card, or None when the participant
    cannot vote on it (unknown, not accepted, their own, already voted)."""
    if proposal_id is None or proposal_id in excluded:
        return None
    row = (
        _eligible(consultation)
        .filter(pk=proposal_id)
        .values_list("pk", "author_id", "theme_id")
        .first()
    )
    return sequence.Candidate(*row) if row else None


def next_cards(participant, rng=None, shared=None, address=None):
    """Draw and store a new sequence of cards for ``participant``; ``shared`` is the id of the
    proposal of a shared link the participant arrived by (served first). The participant's
    address range becomes that of ``address``: drawing is the costly step of farming sessions
    for a target (a proof of work each), so the cap groups sessions by where they draw from,
    not only by where they joined."""
    consultation = participant.consultation
    if not consultation.is_open():
        raise ConsultationError(_("This consultation is not open."), ConsultationError.CLOSED)
    rng = rng or random.Random()
    plan = _plan()
    excluded = set(participant.votes.values_list("proposal_id", flat=True))
    excluded.update(participant.proposals.values_list("pk", flat=True))
    testing = _testing_candidates(consultation, excluded, plan.size * 2)
    sampling = _sampling_candidates(consultation, excluded, rng)
    chosen = sequence.choose(
        testing, sampling, rng, plan, shared=_shared_candidate(consultation, shared, excluded)
    )
    with transaction.atomic():
        changes = {"sequences": F("sequences") + 1}
        address_range = identity.address_range_key(consultation.pk, address)
        if address_range:
            changes["address_range"] = address_range
        Participant.objects.filter(pk=participant.pk).update(**changes)
        participant.refresh_from_db(fields=["sequences", "address_range"])
        number = participant.sequences
        cards = Card.objects.bulk_create(
            Card(
                participant=participant,
                proposal_id=card.id,
                sequence=number,
                position=position,
                key=card_key(
                    participant.pk, card.id, number, card.reason == sequence.REASON_SHARED
                ),
                probability=card.probability,
                reason=card.reason,
            )
            for position, card in enumerate(chosen)
        )
        Proposal.objects.filter(pk__in=[card.id for card in chosen]).update(served=F("served") + 1)
    return cards


def current_sequence(participant):
    """Cards of the participant's latest sequence and the ids of those already voted (none
    before a first sequence is drawn by ``next_cards``)."""
    if not participant.sequences:
        return [], set()
    cards = list(
        Card.objects.filter(participant=participant, sequence=participant.sequences)
        .select_related("proposal__theme")
        .order_by("position")
    )
    voted = set(
        participant.votes.filter(proposal_id__in=[c.proposal_id for c in cards]).values_list(
            "proposal_id", flat=True
        )
    )
    return cards, voted


# Votes -------------------------------------------------------------------------------------


def validate_qualifications(value, qualifications):
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
    participant's own limit from their vote rows, read by the locking statement.
    """
    qualifications = validate_qualifications(value, qualifications)
    check_rate("vote", address=address)
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
    with transaction.atomic():
        proposal, previous, session = _lock_votable(
            cast.proposal_id, cast.participant_id, consultation_id
        )
        if previous is not None:
            # Read again now that the lock is held: the locking statement's snapshot was taken
            # before waiting for it, and may predate a change of this vote committed meanwhile.
            previous, session = _read_session(cast.participant_id, cast.proposal_id)
        limit = app_settings.RATE_LIMITS.get("vote_participant", (None,))[0]
        if limit is not None and session["recent"] >= limit:
            raise rate_limited()
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
            writes = [
                _vote_insert(cast),
                counters.counter_bump(proposal["consultation_id"], {"votes": 1}),
            ]
        else:
            cast.pk = previous.pop("pk")
            previous_range = previous.pop("address_range")
            writes = [_vote_replace(cast)]
            removed = counters.contributions(**previous)
            range_moves.append((previous_range, {n: -count for n, count in removed.items()}))
        delta = Counter()
        for _range, contribution in range_moves:
            delta.update(contribution)
        delta = {name: change for name, change in delta.items() if change}
        if delta:
            writes.append(counters.proposal_update(proposal, delta, range_moves))
            trusted_delta = {n: c for n, c in delta.items() if n in scoring.COUNT_NAMES}
            if trusted_delta and proposal["profiled"]:
                writes.append(
                    counters.segments_upsert(cast.participant_id, cast.proposal_id, trusted_delta)
                )
        try:
            counters.execute_writes(writes)
        except IntegrityError:
            # The same snapshot missed a first vote on this proposal committed by a parallel
            # request of the participant: start again, it is then a change.
            if previous is None and not retried:
                raise _RacedFirstVote from None
            raise
    return proposal, previous, session


@functools.cache
def _session_sql(vendor, proposal):
    """The FROM-clause part that reads the participant's vote on ``proposal`` (an SQL
    expression) and, over all their votes, how many they cast or changed within the rate-limit
    window and within the burst window, and how many trusted votes they have of each value
    (the integrity flags). Parameters: the two windows' starts, the participant twice."""
    vote = counters.quoted_tables(vendor)["vote"]
    by_value = ", ".join(
        f"SUM(CASE WHEN trusted AND value = '{value}' THEN 1 ELSE 0 END) AS {value}"
        for value in scoring.VALUES
    )
    return (
        "(SELECT SUM(CASE WHEN updated_at > %s THEN 1 ELSE 0 END) AS recent, "
        "SUM(CASE WHEN updated_at > %s THEN 1 ELSE 0 END) AS burst, "
        f"{by_value} FROM {vote} WHERE participant_id = %s) AS session "
        f"LEFT JOIN {vote} own ON own.participant_id = %s AND own.proposal_id = {proposal}"
    )


SESSION_SELECT = (
    "own.id, own.value, own.qualifications, own.trusted, own.excluded, own.shared, "
    "own.address_range, "
    f"session.recent, session.burst, {', '.join(f'session.{v}' for v in scoring.VALUES)}"
)


def _session_parameters(participant_id):
    now = timezone.now()
    windows = (
        app_settings.RATE_LIMITS.get("vote_participant", (0, 0))[1],
        get_adapter().integrity_rules(None).burst_seconds,
    )
    return [
        *(connection.ops.adapt_datetimefield_value(now - timedelta(seconds=s)) for s in windows),
        participant_id,
        participant_id,
    ]


@functools.cache
def _lock_sql(vendor):
    """One statement locks the proposal row and reads what a vote needs: the proposal's state
    and counters, whether its consultation is open, the participant's consultation, whether
    they gave a profile, how moderators see them, and their session (``_session_sql``).
    Written once in SQL: this is the hottest query of a consultation."""
    quote = connection.ops.quote_name
    tables = counters.quoted_tables(connection.vendor)
    stored = ", ".join(f"p.{quote(name)}" for name in counters.STORED_COUNTS)
    lock = " FOR UPDATE OF p" if connection.features.has_select_for_update_of else ""
    return (
        "SELECT p.id, p.consultation_id, p.author_id, p.status, "
        "CASE WHEN c.status = 'open' AND (c.opens_at IS NULL OR c.opens_at <= %s) "
        "AND (c.closes_at IS NULL OR c.closes_at > %s) THEN 1 ELSE 0 END, "
        "voter.consultation_id, "
        "CASE WHEN voter.age_range <> '' OR voter.district <> '' THEN 1 ELSE 0 END, "
        f"voter.excluded, voter.flag, voter.address_range, {stored}, p.range_excess, "
        f"{SESSION_SELECT} "
        f"FROM {tables['proposal']} p "
        f"JOIN {tables['consultation']} c ON c.id = p.consultation_id "
        f"LEFT JOIN {tables['participant']} voter ON voter.id = %s "
        f"CROSS JOIN {_session_sql(vendor, 'p.id')} "
        f"WHERE p.id = %s{lock}"
    )


LOCK_COLUMNS = (
    "pk",
    "consultation_id",
    "author_id",
    "status",
    "is_open",
    "voter_consultation",
    "profiled",
    "voter_excluded",
    "voter_flag",
    "voter_range",
    *counters.STORED_COUNTS,
    "range_excess",
)


def _lock_votable(proposal_id, participant_id, consultation_id):
    """Lock the proposal row and check it takes votes from this participant; returns the
    proposal, the participant's vote on it and their session as ``_read_session`` does (read
    from the statement's snapshot)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with counters.statement_cursor() as cursor:
        cursor.execute(
            _lock_sql(connection.vendor),
            [now, now, participant_id, *_session_parameters(participant_id), proposal_id],
        )
        row = cursor.fetchone()
    proposal = dict(zip(LOCK_COLUMNS, row, strict=False)) if row else None
    if proposal is None or proposal["voter_consultation"] != proposal["consultation_id"]:
        raise ConsultationError(_("There is no such proposal."), ConsultationError.NOT_FOUND)
    proposal["range_excess"] = counters.RANGE_EXCESS_FIELD.from_db_value(
        proposal["range_excess"], None, connection
    )
    if consultation_id is not None and consultation_id != proposal["consultation_id"]:
        raise ConsultationError(_("There is no such proposal."), ConsultationError.NOT_FOUND)
    if not proposal["is_open"]:
        raise ConsultationError(
            _("This consultation is closed to votes."), ConsultationError.CLOSED
        )
    if proposal["status"] != Status.ACCEPTED:
        raise ConsultationError(
            _("This proposal is not open to votes."), ConsultationError.NOT_VOTABLE
        )
    if proposal["author_id"] == participant_id:
        raise ConsultationError(
            _("You cannot vote on your own proposal."), ConsultationError.OWN_PROPOSAL
        )
    return (proposal, *_session(row[len(LOCK_COLUMNS) :]))


def _read_session(participant_id, proposal_id):
    """The participant's current vote on the proposal (None when it is their first) and their
    session: ``recent`` votes cast or changed within the rate-limit window and ``trusted``
    votes by value."""
    with counters.statement_cursor() as cursor:
        cursor.execute(
            f"SELECT {SESSION_SELECT} FROM {_session_sql(connection.vendor, '%s')}",
            [*_session_parameters(participant_id), proposal_id],
        )
        return _session(cursor.fetchone())


def _session(row):
    pk, value, qualifications, trusted, excluded, shared, address_range, *rest = row
    recent, burst, *by_value = rest
    session = {
        "recent": recent or 0,
        "burst": burst or 0,
        "trusted": {name: count or 0 for name, count in zip(scoring.VALUES, by_value, strict=True)},
    }
    if pk is None:
        return None, session
    previous = {
        "pk": pk,
        "value": value,
        "qualifications": QUALIFICATIONS_FIELD.from_db_value(qualifications, None, connection),
        "trusted": bool(trusted),
        "excluded": bool(excluded),
        "shared": bool(shared),
        "address_range": address_range,
    }
    return previous, session


QUALIFICATIONS_FIELD = Vote._meta.get_field("qualifications")
VOTE_COLUMNS = (
    "value",
    "qualifications",
    "trusted",
    "excluded",
    "shared",
    "sequence",
    "address_range",
)


def _vote_values(cast, now):
    return [
        cast.value,
        QUALIFICATIONS_FIELD.get_db_prep_save(cast.qualifications, connection),
        cast.trusted,
        cast.excluded,
        cast.shared,
        cast.sequence,
        cast.address_range,
        now,
    ]


def _vote_insert(cast):
    vote = counters.quoted_tables(connection.vendor)["vote"]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (
        f"INSERT INTO {vote} (participant_id, proposal_id, {', '.join(VOTE_COLUMNS)}, "
        f"updated_at, created_at) VALUES ({', '.join(['%s'] * (len(VOTE_COLUMNS) + 4))})",
        [cast.participant_id, cast.proposal_id, *_vote_values(cast, now), now],
    )


def _vote_replace(cast):
    vote = counters.quoted_tables(connection.vendor)["vote"]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    assignments = ", ".join(f"{name} = %s" for name in (*VOTE_COLUMNS, "updated_at"))
    return (
        f"UPDATE {vote} SET {assignments} WHERE id = %s",
        [*_vote_values(cast, now), cast.pk],
    )


def set_range_weights(proposal_id, weights):
    """Store the weights the cap gives a proposal's over-represented address ranges
    (``ranges.py``) and rank the proposal again: the weight taken off each counter is computed
    from the ranges' votes read under the proposal's lock, so no vote is missed. An internal
    event records when a cap starts or ends."""
    with transaction.atomic():
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
        counters.execute_writes([counters.proposal_update(row, {}, store_excess=True)])
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


# Integrity -------------------------------------------------------------------------------


def flag_session(participant_id, cast, previous, session):
    """Flag a session for a moderator's look after ``cast`` (which replaced ``previous``):
    votes faster than a person reads, or trusted votes nearly all of one value. Counted from
    the session read with the vote (``_read_session``); returns the flag set, if any."""
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


def session_evidence(participant):
    """What a moderator sees of a session: its votes by value and kind, and its timing."""
    votes = list(
        participant.votes.order_by("created_at").values(
            "value", "trusted", "excluded", "created_at", "proposal_id"
        )
    )
    by_value = {value: 0 for value in scoring.VALUES}
    for vote in votes:
        by_value[vote["value"]] += 1
    return {
        "votes": len(votes),
        "trusted": sum(vote["trusted"] for vote in votes),
        "by_value": by_value,
        "first": votes[0]["created_at"] if votes else None,
        "last": votes[-1]["created_at"] if votes else None,
        "proposals": [vote["proposal_id"] for vote in votes],
    }


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
    with transaction.atomic():
        locked = (
            Participant.objects.select_for_update()
            .select_related("consultation")
            .get(pk=participant.pk)
        )
        if not can_moderate(actor, locked.consultation):
            raise ConsultationError(
                _("You may not moderate this consultation."), ConsultationError.FORBIDDEN
            )
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
            counters.apply(rows[proposal_id], delta, [(address_range, delta)])
            if profiled and not shared:
                counters.move_segments(locked.pk, proposal_id, delta)
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
