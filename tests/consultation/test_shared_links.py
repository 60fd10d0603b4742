"""Shared links: a sequence opens with the shared proposal; votes on that card are counted apart
and weigh at most a capped share of its ranking, so a brigade cannot lift its target."""

import pytest
from django.conf import settings

from civic_consultation import scoring, sequence, services
from civic_consultation.adapter import get_adapter
from civic_consultation.models import Proposal, Vote
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    api_proof,
    consultation_page,
    page_proof,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(14, consultation=consultation)
    return consultation


@pytest.fixture
def target(consultation):
    return ProposalFactory(consultation=consultation)


def test_a_shared_link_opens_the_sequence_and_its_vote_is_counted_apart(
    consultation, target, voter
):
    cards = services.next_cards(voter, shared=target.pk)
    assert (cards[0].proposal_id, cards[0].reason) == (target.pk, sequence.REASON_SHARED)
    assert [card.proposal_id for card in cards].count(target.pk) == 1
    vote = services.cast_vote(voter.pk, target.pk, "agree", ["like_it"], cards[0].key)
    assert vote.trusted and vote.shared
    target.refresh_from_db()
    assert (target.agree, target.like_it, target.shared_agree) == (0, 0, 1)
    # A sampled card of the same sequence counts as usual.
    other = cards[1]
    services.cast_vote(voter.pk, other.proposal_id, "agree", [], other.key)
    assert Proposal.objects.get(pk=other.proposal_id).agree == 1


def test_a_shared_key_cannot_pass_for_a_sampled_one_nor_the_reverse(consultation, target, voter):
    cards = services.next_cards(voter, shared=target.pk)
    forged = cards[0].key.removeprefix(services.SHARED_KEY_MARK)
    assert services.read_card_key(forged, voter.pk, target.pk) == (None, False)
    sampled = cards[1]
    assert services.read_card_key("s" + sampled.key, voter.pk, sampled.proposal_id) == (
        None,
        False,
    )


@pytest.mark.parametrize("case", ["own", "voted", "refused", "unknown"])
def test_a_shared_link_the_participant_cannot_vote_on_opens_a_normal_sequence(
    consultation, target, case, voter
):
    shared = target.pk
    if case == "own":
        shared = ProposalFactory(consultation=consultation, author=voter).pk
    elif case == "voted":
        services.cast_vote(voter.pk, target.pk, "agree", [], "")
    elif case == "refused":
        shared = ProposalFactory(consultation=consultation, status="refused").pk
    else:
        shared = 10**12
    cards = services.next_cards(voter, shared=shared)
    assert all(card.reason != sequence.REASON_SHARED for card in cards)
    assert shared not in {card.proposal_id for card in cards}


def test_a_brigade_through_one_link_weighs_at_most_the_cap(consultation, target):
    thresholds = get_adapter().thresholds(consultation)
    # Thirty sampled votes, lukewarm.
    Proposal.objects.filter(pk=target.pk).update(agree=12, disagree=15, neutral=3)
    for _ in range(40):
        member = services.join(consultation)
        card = services.next_cards(member, shared=target.pk)[0]
        services.cast_vote(member.pk, target.pk, "agree", [], card.key)
    target.refresh_from_db()
    assert target.shared_agree == 40 and target.agree == 12
    capped = scoring.ranking_counts(target.counts, target.shared_counts, thresholds)
    assert capped.total - target.counts.total == pytest.approx(
        thresholds.shared_link_share * capped.total
    )
    expected = scoring.derive(capped, thresholds)
    assert target.top_score_low == pytest.approx(expected.top_score_low)
    uncapped = scoring.derive(target.counts.plus({"agree": 40}), thresholds)
    assert target.top_score_low < uncapped.top_score_low - 0.2


def test_changing_a_shared_vote_keeps_the_counters_exact(consultation, target, voter):
    card = services.next_cards(voter, shared=target.pk)[0]
    services.cast_vote(voter.pk, target.pk, "agree", [], card.key)
    services.cast_vote(voter.pk, target.pk, "disagree", [], card.key)
    services.cast_vote(voter.pk, target.pk, "neutral", [], "")
    target.refresh_from_db()
    assert (target.shared_agree, target.shared_disagree, target.untrusted_neutral) == (0, 0, 1)
    assert Vote.objects.get(participant=voter).shared is False


def test_the_api_draws_a_sequence_from_a_shared_link(consultation, target, voter_client):
    url = f"/api/consultation/consultations/{consultation.pk}/cards/"
    response = voter_client.post(
        url,
        {"shared": target.pk},
        format="json",
        **api_proof(voter_client, consultation, "sequence"),
    )
    assert response.status_code == 201
    first = response.json()["cards"][0]
    assert (first["proposal"]["id"], first["reason"]) == (target.pk, "shared")
    bad = voter_client.post(url, {"shared": "x"}, format="json")
    assert bad.status_code == 400
    if "civic_site" in settings.INSTALLED_APPS:
        assert bad.json()["error"]["fields"]["shared"]


def test_the_vote_page_follows_a_shared_link(client, consultation, target):
    page = consultation_page(consultation)
    start = client.get(page.url + f"voter/?proposition={target.pk}").content.decode()
    posted = {"action": "more", "shared": target.pk, **page_proof(start)}
    response = client.post(page.url + "voter/", posted)
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert target.text in html
    assert client.get(page.url + "voter/?proposition=99999999999999999999").status_code == 200
