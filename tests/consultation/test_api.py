"""A separate front-end runs a whole consultation through /api/consultation/."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from civic_consultation import services
from civic_consultation.identity import HEADER
from civic_consultation.models import Consultation, Proposal, Vote
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    ThemeFactory,
    api_proof,
    moderator,
)

pytestmark = pytest.mark.django_db
BASE = "/api/consultation"


def error_message(response):
    return response.json()["error"]["message"]


def joined_client(consultation):
    """A client holding its participant token in a header, as a mobile app would."""
    client = APIClient()
    response = client.post(f"{BASE}/consultations/{consultation.pk}/participant/")
    assert response.status_code == 201
    token = response.json()["token"]
    header_client = APIClient()
    header_client.credentials(**{HEADER: token})
    return header_client, response.json()


def test_whole_journey_join_propose_moderate_vote_results(consultation):
    theme = ThemeFactory(consultation=consultation)
    for _ in range(12):
        ProposalFactory(consultation=consultation, theme=theme)
    author, _ = joined_client(consultation)
    created = author.post(
        f"{BASE}/proposals/",
        {
            "consultation": consultation.pk,
            "text": "Il faut ouvrir les piscines le soir",
            "theme": theme.pk,
        },
        format="json",
        **api_proof(author, consultation, "propose"),
    )
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    services.accept(moderator(), Proposal.objects.get(pk=created.json()["id"]))

    voter, participant = joined_client(consultation)
    assert participant["identity_level"] == "cookie"
    sequence = voter.post(
        f"{BASE}/consultations/{consultation.pk}/cards/",
        **api_proof(voter, consultation, "sequence"),
    ).json()
    assert len(sequence["cards"]) == 12
    for card in sequence["cards"]:
        response = voter.post(
            f"{BASE}/consultations/{consultation.pk}/vote/",
            {
                "proposal": card["proposal"]["id"],
                "value": "agree",
                "qualifications": ["like_it"],
                "key": card["key"],
            },
            format="json",
        )
        assert response.status_code == 200 and response.json()["trusted"] is True
    current = voter.get(f"{BASE}/consultations/{consultation.pk}/cards/").json()
    assert all(card["voted"] for card in current["cards"])
    profile = voter.post(
        f"{BASE}/consultations/{consultation.pk}/profile/", {"age_range": "35_49"}, format="json"
    )
    assert profile.json()["profile_state"] == "answered"
    results = voter.get(f"{BASE}/consultations/{consultation.pk}/results/").json()
    assert results["counters"]["votes"] == 12
    assert results["counters"]["proposals"] == 1  # the other twelve skipped the service
    segments = voter.get(
        f"{BASE}/consultations/{consultation.pk}/segments/?dimension=age_range"
    ).json()
    assert segments["segments"][0]["value"] == "35_49"
    assert segments["segments"][0]["votes"] == 12


def test_vote_errors_are_clear_and_change_nothing(consultation):
    client, _ = joined_client(consultation)
    refused = ProposalFactory(consultation=consultation, status=Proposal.Status.REFUSED)
    url = f"{BASE}/consultations/{consultation.pk}/vote/"
    response = client.post(url, {"proposal": refused.pk, "value": "agree"}, format="json")
    assert response.status_code == 409
    assert "ouverte aux votes" in str(error_message(response))
    for body in (
        {"proposal": refused.pk, "value": "yes"},
        {"proposal": "x"},
        {},
        {"proposal": refused.pk, "value": "agree", "qualifications": ["no_way"]},
    ):
        assert client.post(url, body, format="json").status_code == 400
    missing = client.post(url, {"proposal": 10**9, "value": "agree"}, format="json")
    assert missing.status_code == 404
    anonymous = APIClient().post(url, {"proposal": refused.pk, "value": "agree"}, format="json")
    assert anonymous.status_code in (401, 403)
    assert not Vote.objects.exists()


def test_votes_on_a_closed_consultation_answer_409(consultation):
    client, _ = joined_client(consultation)
    proposal = ProposalFactory(consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.CLOSED)
    response = client.post(
        f"{BASE}/consultations/{consultation.pk}/vote/",
        {"proposal": proposal.pk, "value": "agree"},
        format="json",
    )
    assert response.status_code == 409


def test_a_token_of_another_consultation_is_not_accepted(consultation):
    client, _ = joined_client(ConsultationFactory())
    proposal = ProposalFactory(consultation=consultation)
    response = client.post(
        f"{BASE}/consultations/{consultation.pk}/vote/",
        {"proposal": proposal.pk, "value": "agree"},
        format="json",
    )
    assert response.status_code in (401, 403)


def test_proposal_limits_through_the_api(consultation):
    client, _ = joined_client(consultation)
    for text in ("", "Il faut", "x" * 500):
        response = client.post(
            f"{BASE}/proposals/",
            {"consultation": consultation.pk, "text": text},
            format="json",
            **api_proof(client, consultation, "propose"),
        )
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["text"]
    assert not Proposal.objects.exists()


def test_drafts_and_pending_proposals_stay_hidden(consultation):
    draft = ConsultationFactory(status=Consultation.Status.DRAFT)
    hidden = ProposalFactory(consultation=consultation, status=Proposal.Status.PENDING)
    shown = ProposalFactory(consultation=consultation)
    client = APIClient()
    listed = client.get(f"{BASE}/consultations/").json()["results"]
    assert [c["id"] for c in listed] == [consultation.pk]
    assert client.get(f"{BASE}/consultations/{draft.pk}/").status_code == 404
    proposals = client.get(f"{BASE}/proposals/?consultation={consultation.pk}").json()
    assert [p["id"] for p in proposals["results"]] == [shown.pk]
    assert client.get(f"{BASE}/proposals/{hidden.pk}/").status_code == 404
    assert client.get(f"{BASE}/proposals/?consultation=abc").status_code == 400


def test_similar_endpoint_suggests_published_proposals(consultation):
    author = services.join(consultation)
    lea = moderator()
    services.accept(lea, services.submit_proposal(author, "Il faut plus de médecins de garde"))
    services.submit_proposal(author, "Il faut plus de médecin de garde la nuit")  # pending
    response = APIClient().get(
        f"{BASE}/consultations/{consultation.pk}/similar/", {"text": "des médecins de garde"}
    )
    assert [r["text"] for r in response.json()["results"]] == ["Il faut plus de médecins de garde"]


def test_export_is_anonymised(consultation):
    proposal = ProposalFactory(consultation=consultation)
    voter = services.join(consultation)
    services.answer_profile(voter, "25_34", "68100")
    services.cast_vote(voter.pk, proposal.pk, "agree", ["doable"])
    client = APIClient()
    url = f"{BASE}/consultations/{consultation.pk}/export/"
    csv_text = b"".join(client.get(url, {"output": "csv"}).streaming_content).decode()
    rows = json.loads(b"".join(client.get(url, {"output": "json"}).streaming_content))
    assert csv_text.splitlines()[0] == "participant,proposal,value,qualifications,trusted,date"
    assert rows[0]["proposal"] == proposal.pk and rows[0]["qualifications"] == ["doable"]
    assert str(voter.public_id) not in csv_text and "68100" not in csv_text
    assert rows[0]["participant"] != str(voter.pk)
    assert client.get(url, {"output": "xml"}).status_code == 400


def test_results_query_count_does_not_grow_with_proposals(consultation):
    theme = ThemeFactory(consultation=consultation)
    url = f"{BASE}/consultations/{consultation.pk}/results/"
    client = APIClient()
    counts = []
    for size in (3, 30):
        for _ in range(size):
            ProposalFactory(
                consultation=consultation, theme=theme, agree=40, disagree=5, pool="sampling"
            )
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
        counts.append(len(queries))
        assert len(body["top"]) == 10 or len(body["top"]) == size
    # Consultation, themes, phases, counters, the ranked tables and the latest opinion groups.
    assert counts[0] == counts[1] <= 9


@pytest.mark.parametrize("limit", [5, 50])
def test_proposal_list_query_count_is_constant(consultation, limit, django_assert_num_queries):
    for _ in range(60):
        ProposalFactory(consultation=consultation)
    with django_assert_num_queries(2):
        response = APIClient().get(f"{BASE}/proposals/", {"limit": limit})
    assert len(response.json()["results"]) == limit


@pytest.mark.parametrize("limit", [1, 20])
def test_consultation_list_query_count_is_constant(limit, django_assert_num_queries):
    for _ in range(20):
        ThemeFactory(consultation=ConsultationFactory())
    with django_assert_num_queries(4):
        response = APIClient().get(f"{BASE}/consultations/", {"limit": limit})
    assert len(response.json()["results"]) == limit


def test_out_of_range_ids_are_refused_without_reaching_the_database(consultation):
    client, _ = joined_client(consultation)
    huge = 2**70
    vote = client.post(
        f"{BASE}/consultations/{consultation.pk}/vote/",
        {"proposal": huge, "value": "agree"},
        format="json",
    )
    assert vote.status_code == 400
    assert APIClient().get(f"{BASE}/proposals/", {"consultation": str(huge)}).status_code == 400
    assert APIClient().get(f"{BASE}/consultations/{huge}/results/").status_code == 404
    assert APIClient().get(f"{BASE}/proposals/-1/").status_code == 404
