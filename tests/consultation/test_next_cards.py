"""Drawing cards from the database: exclusions, keys, probabilities, exposure."""

import random

import pytest

from civic_consultation import services
from civic_consultation.models import Card, Proposal
from tests.consultation.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_cards_never_show_own_voted_or_unpublished_proposals(consultation, voter):
    own = ProposalFactory(consultation=consultation, author=voter)
    voted = ProposalFactory(consultation=consultation)
    services.cast_vote(voter.pk, voted.pk, "agree")
    ProposalFactory(consultation=consultation, status=Proposal.Status.PENDING)
    ProposalFactory(consultation=consultation, status=Proposal.Status.REFUSED)
    open_ones = {ProposalFactory(consultation=consultation).pk for _ in range(5)}
    cards = services.next_cards(voter, random.Random(1))
    assert {card.proposal_id for card in cards} == open_ones
    assert own.pk not in {card.proposal_id for card in cards}


def test_each_card_is_stored_with_a_valid_key_and_probability(consultation, voter):
    for _ in range(20):
        ProposalFactory(consultation=consultation)
    cards = services.next_cards(voter, random.Random(2))
    assert len(cards) == 12
    stored = Card.objects.filter(participant=voter, sequence=1)
    assert stored.count() == 12
    for card in stored:
        assert services.read_card_key(card.key, voter.pk, card.proposal_id)[0] is not None
        assert services.read_card_key(card.key, voter.pk + 1, card.proposal_id)[0] is None
        assert 0 < card.probability <= 1
    assert sum(Proposal.objects.values_list("served", flat=True)) == 12


def test_tested_proposals_are_sampled_once_every_proposal_is_exposed(consultation, settings):
    settings.CIVIC_CONSULTATION_MIN_EXPOSURE = 2
    from civic_core.conf import load_adapter

    load_adapter.cache_clear()
    proposals = [ProposalFactory(consultation=consultation) for _ in range(14)]
    for _ in range(4):
        voter = services.join(consultation)
        for card in services.next_cards(voter):
            services.cast_vote(voter.pk, card.proposal_id, "agree", [], card.key)
    pools = set(Proposal.objects.values_list("pool", flat=True))
    assert pools == {"sampling"}
    cards = services.next_cards(services.join(consultation), random.Random(3))
    assert {card.reason for card in cards} == {"sampling"}
    assert len(cards) == 12 and len(proposals) == 14
    load_adapter.cache_clear()


def test_the_current_sequence_is_kept_until_voted(consultation, voter):
    for _ in range(15):
        ProposalFactory(consultation=consultation)
    assert services.current_sequence(voter) == ([], set())
    drawn = services.next_cards(voter)
    cards, voted = services.current_sequence(voter)
    again, _ = services.current_sequence(voter)
    assert [c.pk for c in cards] == [c.pk for c in drawn]
    assert [c.pk for c in cards] == [c.pk for c in again] and voted == set()
    services.cast_vote(voter.pk, cards[0].proposal_id, "neutral", [], cards[0].key)
    _, voted = services.current_sequence(voter)
    assert voted == {cards[0].proposal_id}
