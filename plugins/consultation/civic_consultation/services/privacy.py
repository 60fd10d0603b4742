"""A person's data in the consultations (RGPD): what is exported to them, what their erasure
does, and the retention of what identifies participants (docs/consultation-privacy.md).

Registered with ``civic_core.privacy`` from ``AppConfig.ready()``. A person is linked to the
plugin's rows by their account only: the participants they joined with while signed in, and
their moderation work (timeline events, proposals they moderated or hold locked). Participants
without an account are pseudonymous sessions the plugin cannot tie to a person.

Erasure keeps what the consultation counted: votes stay (their participant is detached from
the account), proposals stay (their text was public and moderated for personal data), so
results and scores are the same before and after.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from civic_consultation import vote_store
from civic_consultation.app_settings import app_settings
from civic_consultation.models import Consultation, Event, Participant, Proposal, Vote

# What erasure and retention clear on a participant: the link to a person and what they said
# of themselves or their network (the segment counters keep their contribution).
IDENTITY_FIELDS = {"user": None, "age_range": "", "district": "", "address_range": ""}


def _when(value):
    return value.isoformat() if value else None


def export_personal_data(user):
    """The person's participations (profile, proposals with their moderation status, votes)
    and their moderation work, as JSON-serialisable data."""
    participants = Participant.objects.filter(user=user).select_related("consultation")
    return {
        "participations": [_participation(participant) for participant in participants],
        "moderation_events": [
            {
                "consultation": event.consultation_id,
                "proposal": event.proposal_id,
                "kind": event.kind,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "message": event.message,
                "at": _when(event.created_at),
            }
            for event in Event.objects.filter(actor=user).order_by("created_at", "pk")
        ],
        "moderated_proposals": list(
            Proposal.objects.filter(moderated_by=user).order_by("pk").values_list("pk", flat=True)
        ),
    }


def _participation(participant):
    return {
        "consultation": {
            "id": participant.consultation_id,
            "title": participant.consultation.title,
        },
        "participant": str(participant.public_id),
        "joined_at": _when(participant.created_at),
        "identity_level": participant.identity_level,
        "profile": {
            "state": participant.profile_state,
            "age_range": participant.age_range,
            "district": participant.district,
        },
        "votes_excluded_by_moderators": participant.excluded,
        "proposals": [
            {
                "id": proposal.pk,
                "text": proposal.text,
                "status": proposal.status,
                "refusal_reason": proposal.refusal_reason,
                "submitted_at": _when(proposal.created_at),
                "moderated_at": _when(proposal.moderated_at),
            }
            for proposal in participant.proposals.order_by("pk")
        ],
        "votes": [
            {
                "proposal": vote.proposal_id,
                "value": vote.value,
                "qualifications": vote.qualifications,
                "counted": vote.trusted and not vote.excluded and not vote.shared,
                "at": _when(vote.updated_at),
            }
            for vote in participant.votes.order_by("pk")
        ],
    }


def erase_personal_data(user):
    """Detach the person's participations from their account and clear their profile and
    network key; release the proposals they hold locked. Votes, proposals and every counter
    stay as they are; the timeline's events lose their actor when the account goes."""
    with vote_store.atomic():
        Participant.objects.filter(user=user).update(**IDENTITY_FIELDS)
        Proposal.objects.filter(locked_by=user).update(locked_by=None, locked_until=None)


def retention_cutoff(now=None):
    """Consultations whose closing date is before this moment have their participants'
    identities purged (a consultation without a closing date is never purged)."""
    days = app_settings.IDENTITY_RETENTION_DAYS
    return (now or timezone.now()) - timedelta(days=days)


def purge_expired_identities(now=None):
    """Clear what identifies participants (``IDENTITY_FIELDS``, and the network key stored
    with each vote) in consultations closed ``IDENTITY_RETENTION_DAYS`` ago or more; returns
    the number of participants cleared. Counters, scores and stored results do not change."""
    expired = Consultation.objects.filter(closes_at__lt=retention_cutoff(now))
    identified = Q(user__isnull=False) | ~Q(age_range="") | ~Q(district="") | ~Q(address_range="")
    with vote_store.atomic():
        cleared = (
            Participant.objects.filter(consultation__in=expired)
            .filter(identified)
            .update(**IDENTITY_FIELDS)
        )
        Vote.objects.filter(proposal__consultation__in=expired).exclude(address_range="").update(
            address_range=""
        )
    return cleared
