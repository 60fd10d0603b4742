"""Votes: trusted only on served cards, one per participant and proposal, exact counters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic_consultation import services
from civic_consultation.models import Consultation, Proposal, Vote
from civic_consultation.services import ConsultationError
from tests.consultation.factories import ParticipantFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(consultation):
    return ProposalFactory(consultation=consultation)


def counters(proposal):
    proposal.refresh_from_db()
    return proposal


def card_for(voter, proposal):
    cards = services.next_cards(voter)
    return next(card for card in cards if card.proposal_id == proposal.pk)


def test_a_vote_on_a_served_card_is_trusted_and_counted(voter, proposal, consultation):
    card = card_for(voter, proposal)
    vote = services.cast_vote(voter.pk, proposal.pk, "agree", ["like_it"], card.key)
    assert vote.trusted and vote.sequence == card.sequence
    proposal = counters(proposal)
    assert (proposal.agree, proposal.like_it, proposal.untrusted_agree) == (1, 1, 0)
    assert consultation.counters()["votes"] == 1


def test_a_vote_without_a_valid_key_is_stored_but_not_trusted(voter, proposal):
    for key in ("", "1-forged", "abc"):
        vote = services.cast_vote(voter.pk, proposal.pk, "disagree", ["no_way"], key)
        assert not vote.trusted
    proposal = counters(proposal)
    assert (proposal.disagree, proposal.no_way, proposal.untrusted_disagree) == (0, 0, 1)
    assert Vote.objects.filter(proposal=proposal).count() == 1


def test_another_participants_key_does_not_make_a_vote_trusted(consultation, proposal):
    first, second = services.join(consultation), services.join(consultation)
    card = card_for(first, proposal)
    vote = services.cast_vote(second.pk, proposal.pk, "agree", (), card.key)
    assert not vote.trusted


def test_a_second_vote_replaces_the_first_and_moves_counters_exactly(voter, proposal, consultation):
    card = card_for(voter, proposal)
    services.cast_vote(voter.pk, proposal.pk, "agree", ["like_it", "doable"], card.key)
    services.cast_vote(voter.pk, proposal.pk, "disagree", ["impossible"], card.key)
    proposal = counters(proposal)
    assert (proposal.agree, proposal.like_it, proposal.doable) == (0, 0, 0)
    assert (proposal.disagree, proposal.impossible) == (1, 1)
    assert Vote.objects.get(participant=voter, proposal=proposal).value == "disagree"
    # Changing to an untrusted vote moves the vote out of the trusted counters.
    services.cast_vote(voter.pk, proposal.pk, "neutral", [], "")
    proposal = counters(proposal)
    assert (proposal.disagree, proposal.impossible, proposal.untrusted_neutral) == (0, 0, 1)
    assert consultation.counters()["votes"] == 1 == Vote.objects.count()


@pytest.mark.parametrize(
    "status", [Proposal.Status.PENDING, Proposal.Status.REFUSED, Proposal.Status.POSTPONED]
)
def test_votes_on_unpublished_proposals_are_refused(voter, consultation, status):
    proposal = ProposalFactory(consultation=consultation, status=status)
    with pytest.raises(ConsultationError) as error:
        services.cast_vote(voter.pk, proposal.pk, "agree")
    assert error.value.code == "not_votable"
    assert not Vote.objects.exists()


def test_votes_on_a_closed_consultation_are_refused(voter, proposal, consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ConsultationError) as error:
        services.cast_vote(voter.pk, proposal.pk, "agree")
    assert error.value.code == "closed"
    assert counters(proposal).untrusted_agree == 0


def test_authors_cannot_vote_on_their_own_proposal(proposal):
    with pytest.raises(ConsultationError) as error:
        services.cast_vote(proposal.author_id, proposal.pk, "agree")
    assert error.value.code == "own_proposal"


def test_qualifications_must_match_the_vote(voter, proposal):
    with pytest.raises(ConsultationError):
        services.cast_vote(voter.pk, proposal.pk, "agree", ["no_way"])
    with pytest.raises(ConsultationError):
        services.cast_vote(voter.pk, proposal.pk, "maybe")
    assert not Vote.objects.exists()


def test_a_participant_of_another_consultation_cannot_vote(proposal):
    stranger = ParticipantFactory()
    with pytest.raises(ConsultationError) as error:
        services.cast_vote(stranger.pk, proposal.pk, "agree")
    assert error.value.code == "not_found"


def test_counters_equal_a_recount_after_many_changes(consultation):
    proposals = [ProposalFactory(consultation=consultation) for _ in range(4)]
    voters = [services.join(consultation) for _ in range(6)]
    values = ["agree", "disagree", "neutral"]
    for round_number in range(3):
        for index, voter in enumerate(voters):
            cards = {c.proposal_id: c.key for c in services.next_cards(voter)}
            for offset, proposal in enumerate(proposals):
                value = values[(index + offset + round_number) % 3]
                key = cards.get(proposal.pk, "") if (index + round_number) % 2 else ""
                services.cast_vote(voter.pk, proposal.pk, value, [], key)
    for proposal in proposals:
        proposal.refresh_from_db()
        for value in values:
            trusted = Vote.objects.filter(proposal=proposal, value=value, trusted=True).count()
            untrusted = Vote.objects.filter(proposal=proposal, value=value, trusted=False).count()
            assert getattr(proposal, value) == trusted
            assert getattr(proposal, f"untrusted_{value}") == untrusted
    assert consultation.counters()["votes"] == services.recount(consultation)["votes"] == 24


def test_segment_counters_follow_the_profile_even_when_given_after_voting(voter, proposal):
    card = card_for(voter, proposal)
    services.cast_vote(voter.pk, proposal.pk, "agree", [], card.key)
    services.answer_profile(voter, "25_34", " 68100 ")
    segment = proposal.segments.get(dimension="age_range")
    assert (segment.value, segment.agree) == ("25_34", 1)
    assert proposal.segments.get(dimension="district").value == "68100"
    services.cast_vote(voter.pk, proposal.pk, "disagree", [], card.key)
    segment.refresh_from_db()
    assert (segment.agree, segment.disagree) == (0, 1)
