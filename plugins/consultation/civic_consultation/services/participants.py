"""Participants: joining a consultation (a browser or an account), linking an account, and the
optional profile whose answers count the participant's votes in segments."""

from django.db import IntegrityError
from django.utils.translation import gettext as _

from civic_consultation import counters, identity, limits, vote_store
from civic_consultation.adapter import get_adapter
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Participant, Proposal


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
    limits.check("join", address=address)
    level = Participant.IdentityLevel.COOKIE
    account = None
    if user is not None and user.is_authenticated:
        account, level = user, Participant.IdentityLevel.ACCOUNT
    try:
        with vote_store.atomic():
            participant = Participant.objects.create(
                consultation=consultation,
                user=account,
                identity_level=level,
                address_range=identity.address_range_key(consultation.pk, address),
            )
            vote_store.bump_counter(consultation.pk, participants=1)
    except IntegrityError:
        # The same account joined in a parallel request.
        return Participant.objects.get(consultation=consultation, user=account)
    return participant


def link_account(participant, user):
    """Attach an account; a participant keeps the strongest identity level it reached."""
    with vote_store.atomic():
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
    with vote_store.atomic():
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
            vote_store.move_segments(
                locked.pk, vote.proposal_id, counters.contributions(vote.value, vote.qualifications)
            )
    participant.refresh_from_db()
    return participant


def skip_profile(participant):
    """Decline the optional profile (it is not asked again)."""
    return answer_profile(participant)
