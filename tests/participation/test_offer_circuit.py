"""The offer circuit: one invitation per council, responses, counter-proposals, closing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic_participation.models import Invitation, Offer
from civic_participation.services import run_scheduled_transitions
from civic_participation.workflow import SYSTEM, TransitionError, perform
from tests.participation.factories import CouncilFactory, council_member, open_offer


def test_publish_needs_councils_and_at_least_21_days(city):
    from civic_participation import services

    offer = services.create_offer(city.agent, city.service, "Atelier", "Un atelier.")
    soon = timezone.localdate() + timedelta(days=20)
    with pytest.raises(TransitionError) as refused:
        perform(offer, "publish", city.agent, {"councils": [city.council.pk], "respond_by": soon})
    assert "respond_by" in refused.value.fields
    with pytest.raises(TransitionError) as refused:
        perform(offer, "publish", city.agent, {"respond_by": soon + timedelta(days=5)})
    assert "councils" in refused.value.fields
    offer.refresh_from_db()
    assert offer.state == Offer.State.DRAFT
    assert not offer.invitations.exists()


def test_publish_to_all_councils_creates_one_invitation_each(city):
    from civic_participation import services

    offer = services.create_offer(city.agent, city.service, "Atelier", "Un atelier.")
    respond_by = timezone.localdate() + timedelta(days=30)
    offer = perform(offer, "publish", city.agent, {"all_councils": True, "respond_by": respond_by})
    assert offer.state == Offer.State.OPEN
    assert set(offer.invitations.values_list("council", flat=True)) == {
        city.council.pk,
        city.other_council.pk,
    }


def test_three_councils_accept_decline_and_counter_propose(city):
    third = CouncilFactory(name="Conseil participatif Doller")
    third_referent = council_member(third, referent=True, username="third_referent")
    offer = open_offer(city, [city.council, city.other_council, third])
    by_council = {invitation.council_id: invitation for invitation in offer.invitations.all()}
    for council, referent, response, message in [
        (city.council, city.referent, "accepted", ""),
        (city.other_council, city.other_referent, "declined", "Pas de séance avant."),
        (third, third_referent, "counter_proposal", "Plutôt une balade urbaine."),
    ]:
        invitation = by_council[council.pk]
        perform(invitation, "acknowledge", referent)
        perform(invitation, "respond", referent, {"response": response, "message": message})
    states = dict(Invitation.objects.filter(offer=offer).values_list("council", "state"))
    assert states == {
        city.council.pk: "accepted",
        city.other_council.pk: "declined",
        third.pk: "counter_proposal",
    }
    countered = by_council[third.pk]
    with pytest.raises(TransitionError):
        perform(countered, "decide", city.other_agent, {"decision": "accepted", "message": "Oui"})
    countered = perform(countered, "decide", city.agent, {"decision": "accepted", "message": "Oui"})
    assert countered.state == Invitation.State.ACCEPTED
    public_kinds = list(
        offer.events.filter(visibility="public").values_list("kind", "to_state", "actor_label")
    )
    assert ("respond", "declined", city.other_council.name) in public_kinds
    assert ("decide", "accepted", city.service.name) in public_kinds


def test_declining_needs_a_message_and_another_council_cannot_answer(city):
    offer = open_offer(city, [city.council])
    invitation = offer.invitations.get()
    with pytest.raises(TransitionError) as refused:
        perform(invitation, "acknowledge", city.other_referent)
    assert refused.value.code == "forbidden"
    with pytest.raises(TransitionError) as refused:
        perform(invitation, "acknowledge", city.member)
    assert refused.value.code == "forbidden"
    perform(invitation, "acknowledge", city.referent)
    with pytest.raises(TransitionError) as refused:
        perform(invitation, "respond", city.referent, {"response": "declined", "message": ""})
    assert "message" in refused.value.fields
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACKNOWLEDGED


def test_scheduler_closes_responses_expires_silent_councils_and_feedback_follows(city):
    offer = open_offer(city, [city.council, city.other_council], respond_in_days=21)
    answered = offer.invitations.get(council=city.council)
    perform(answered, "acknowledge", city.referent)
    perform(answered, "respond", city.referent, {"response": "accepted"})
    assert run_scheduled_transitions() == {}
    later = timezone.now() + timedelta(days=22)
    assert run_scheduled_transitions(now=later) == {"close_responses": 1}
    offer.refresh_from_db()
    assert offer.state == Offer.State.RESPONSES_CLOSED
    assert offer.feedback_due is not None
    assert offer.invitations.get(council=city.other_council).state == Invitation.State.EXPIRED
    assert offer.invitations.get(council=city.council).state == Invitation.State.ACCEPTED
    with pytest.raises(TransitionError):
        perform(offer, "close_responses", city.agent)
    offer = perform(offer, "publish_feedback", city.agent, {"message": "Deux bancs retenus."})
    assert offer.state == Offer.State.FEEDBACK_PUBLISHED
    with pytest.raises(TransitionError):
        perform(offer, "cancel", city.agent, {"message": "Trop tard"})


def test_cancelled_offer_refuses_responses(city):
    offer = open_offer(city, [city.council])
    perform(offer, "cancel", city.agent, {"message": "Projet reporté."})
    with pytest.raises(TransitionError) as refused:
        perform(offer.invitations.get(), "acknowledge", city.referent)
    assert refused.value.code == "invalid_state"
    with pytest.raises(TransitionError):
        perform(offer, "close_responses", SYSTEM)
