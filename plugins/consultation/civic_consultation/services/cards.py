"""Cards: drawing a participant's sequence of proposals to vote on (``sequence.choose`` over
bounded candidate pools) and the signed keys that make a vote on a served card trusted."""

import random

from django.db.models import F
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from civic_consultation import identity, scoring, sequence, vote_store
from civic_consultation.app_settings import app_settings
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Card, Participant, Proposal

Status = Proposal.Status

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
    with vote_store.atomic():
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
