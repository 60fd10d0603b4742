"""A person's data in the consultations: export, erasure (results unchanged) and retention."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from civic_consultation import identity, services, tasks
from civic_consultation import results as tables
from civic_consultation.models import Event, Participant, Proposal, SegmentCounter, Vote
from civic_consultation.services import privacy
from civic_core.privacy import erase_personal_data, export_personal_data, providers
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    UserFactory,
    moderator,
    served_vote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(12, consultation=consultation)
    return consultation


@pytest.fixture
def resident(consultation):
    """A signed-in resident who voted, gave a profile and proposed (one accepted)."""
    user = UserFactory(username="resident")
    participant = services.join(consultation, user=user, address="198.51.100.20")
    services.answer_profile(participant, "25_34", "68100")
    for value in ("agree", "disagree", "agree"):
        served_vote(participant, value)
    proposal = services.submit_proposal(participant, "Il faut éclairer le parc Salvator")
    services.accept(moderator(), proposal)
    services.submit_proposal(participant, "Il faut des toilettes place de la Réunion")
    return user


def everything_counted(consultation):
    """What the consultation shows and ranks by: results, segments, every proposal's counters
    and scores, the live counters."""
    return json.dumps(
        {
            "overview": tables.overview(consultation),
            "segments": tables.segments(consultation, "age_range"),
            "districts": tables.segments(consultation, "district"),
            "proposals": list(
                Proposal.objects.filter(consultation=consultation).order_by("pk").values()
            ),
            "segment_counters": list(SegmentCounter.objects.order_by("pk").values()),
            "counters": consultation.counters(),
            "votes": list(
                Vote.objects.order_by("pk").values("proposal_id", "value", "trusted", "excluded")
            ),
        },
        default=str,
        sort_keys=True,
    )


def test_the_plugin_registers_its_provider():
    assert "civic_consultation" in [provider.app_label for provider in providers()]


def test_export_holds_participations_proposals_with_status_votes(consultation, resident):
    data = export_personal_data(resident)["civic_consultation"]
    json.dumps(data)  # serialisable as it is
    (participation,) = data["participations"]
    assert participation["consultation"]["id"] == consultation.pk
    assert participation["profile"] == {
        "state": "answered",
        "age_range": "25_34",
        "district": "68100",
    }
    statuses = {p["text"]: p["status"] for p in participation["proposals"]}
    assert statuses == {
        "Il faut éclairer le parc Salvator": Proposal.Status.ACCEPTED,
        "Il faut des toilettes place de la Réunion": Proposal.Status.PENDING,
    }
    assert sorted(v["value"] for v in participation["votes"]) == ["agree", "agree", "disagree"]
    assert all(v["counted"] for v in participation["votes"])
    assert data["moderation_events"] == []


def test_a_moderators_export_lists_their_decisions(consultation, resident):
    reviewer = moderator("reviewer")
    pending = Proposal.objects.get(status=Proposal.Status.PENDING)
    services.refuse(reviewer, pending, "off_topic")
    data = export_personal_data(reviewer)["civic_consultation"]
    assert data["participations"] == []
    assert [e["proposal"] for e in data["moderation_events"]] == [pending.pk]
    assert data["moderated_proposals"] == [pending.pk]


def test_erasure_keeps_results_and_detaches_the_person(consultation, resident):
    before = everything_counted(consultation)
    participant = Participant.objects.get(user=resident)
    erase_personal_data(resident)
    assert not get_user_model().objects.filter(username="resident").exists()
    assert everything_counted(consultation) == before
    participant.refresh_from_db()
    assert (participant.user_id, participant.age_range, participant.district) == (None, "", "")
    assert participant.address_range == ""
    assert participant.votes.count() == 3 and participant.proposals.count() == 2


def test_erasing_a_moderator_keeps_the_timeline_without_its_actor(consultation, resident):
    reviewer = moderator("reviewer")
    pending = Proposal.objects.get(status=Proposal.Status.PENDING)
    services.lock(reviewer, pending)
    events = Event.objects.count()
    erase_personal_data(reviewer)
    pending.refresh_from_db()
    assert pending.locked_by_id is None
    assert Event.objects.count() == events
    assert not Event.objects.filter(actor__username="reviewer").exists()


def test_retention_clears_identities_of_long_closed_consultations_only(
    consultation, resident, settings
):
    settings.CIVIC_CONSULTATION_IDENTITY_RETENTION_DAYS = 30
    recent = ConsultationFactory()
    kept = services.join(recent, user=UserFactory(username="other"), address="192.0.2.4")
    consultation.status = "closed"
    consultation.closes_at = timezone.now() - timedelta(days=31)
    consultation.save()
    before = everything_counted(consultation)
    participant_pk = Participant.objects.get(user=resident).pk
    assert tasks.purge_expired_identities() == 1
    assert everything_counted(consultation) == before
    purged = Participant.objects.get(pk=participant_pk)
    assert purged.user_id is None and purged.age_range == "" and purged.address_range == ""
    assert not Vote.objects.filter(proposal__consultation=consultation).exclude(address_range="")
    kept.refresh_from_db()
    assert kept.user_id is not None and kept.address_range
    assert tasks.purge_expired_identities() == 0


def test_the_retention_task_is_scheduled_daily():
    specs = {spec.func: spec for spec in tasks.schedules()}
    assert specs[tasks.RETENTION_SCHEDULE_FUNC].minutes == 24 * 60
    assert privacy.retention_cutoff() < timezone.now()


def test_erasure_leaves_the_token_of_the_session_pseudonymous(consultation, resident):
    participant = Participant.objects.get(user=resident)
    token = identity.make_token(participant)
    erase_personal_data(resident)
    # The browser's session still counts its votes, but it leads to no person any more.
    assert identity.read_token(token, consultation.pk) == participant.pk
    assert Participant.objects.get(pk=participant.pk).user_id is None
