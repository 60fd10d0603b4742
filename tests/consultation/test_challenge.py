"""The proof of work before proposing and drawing cards: a real solver answers real challenges;
every wrong, stale, misplaced or replayed answer is refused with a clear error and changes
nothing."""

import time

import pytest
from django.core.signing import Signer
from rest_framework.test import APIClient

from civic_consultation import challenge
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Card, Consultation, Participant, Proposal
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    api_proof,
    consultation_page,
    find_nonce,
    page_proof,
    proof,
    solved,
)

pytestmark = pytest.mark.django_db
BASE = "/api/consultation"


def refusal(answer, consultation_id, purpose, now=None):
    """The reason of the error ``verify`` raises (bad input under the field ``proof``)."""
    with pytest.raises(ConsultationError) as caught:
        challenge.verify(answer, consultation_id, purpose, now=now)
    assert caught.value.code == "invalid" and "proof" in caught.value.fields
    return caught.value.reason


def proof_error(response):
    """The message the API gives under the field ``proof``."""
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]["proof"][0]


# The check itself ----------------------------------------------------------------------------


def test_an_answer_from_the_solver_is_accepted_once(consultation):
    answer = proof(consultation, challenge.PROPOSE)
    assert challenge.verify(answer, consultation.pk, challenge.PROPOSE) is None
    replay = refusal(answer, consultation.pk, challenge.PROPOSE)
    assert replay == "challenge_used"


def test_the_server_agrees_with_the_solver_on_every_nonce_up_to_the_answer():
    salt = "5d41402abc4b2a76b9719d911017c592"
    for difficulty in (1, 4, 8, 12):
        nonce = find_nonce(salt, difficulty)
        assert challenge.meets_difficulty(salt, nonce, difficulty)
        assert not any(challenge.meets_difficulty(salt, n, difficulty) for n in range(nonce))


def test_a_nonce_that_misses_the_difficulty_is_refused(consultation):
    issued = challenge.issue(consultation.pk, challenge.PROPOSE)
    wrong = next(
        n for n in range(1000) if not challenge.meets_difficulty(issued.salt, n, issued.difficulty)
    )
    answer = f"{issued.token}.{wrong}"
    assert refusal(answer, consultation.pk, "propose") == ("challenge_invalid")


def test_an_expired_challenge_is_refused(consultation):
    issued_at = time.time()
    issued = challenge.issue(consultation.pk, challenge.SEQUENCE, now=issued_at)
    answer = solved(issued.token, issued.salt, issued.difficulty)
    later = issued_at + challenge.config()["seconds"] + 1
    code = refusal(answer, consultation.pk, "sequence", now=later)
    assert code == "challenge_expired"


def test_answers_for_another_purpose_or_consultation_are_refused(consultation):
    for_sequence = proof(consultation, challenge.SEQUENCE)
    assert refusal(for_sequence, consultation.pk, "propose") == ("challenge_invalid")
    other = proof(ConsultationFactory(), challenge.PROPOSE)
    assert refusal(other, consultation.pk, "propose") == ("challenge_invalid")


def test_missing_malformed_and_forged_answers_are_refused(consultation):
    assert refusal("", consultation.pk, "propose") == ("challenge_missing")
    issued = challenge.issue(consultation.pk, challenge.PROPOSE)
    forged = Signer(salt="another-salt").sign_object(
        {"s": "00", "d": 1, "e": issued.expires_at, "p": "propose", "c": consultation.pk}
    )
    for answer in ("garbage", f"{issued.token}.", f"{issued.token}.-1", f"{forged}.0"):
        assert refusal(answer, consultation.pk, "propose") == ("challenge_invalid"), answer


def test_the_check_is_turned_off_by_enabled_false_alone(consultation, settings):
    # As documented: the other keys keep their defaults, nothing raises.
    settings.CIVIC_CONSULTATION_PROOF_OF_WORK = {"enabled": False}
    assert not challenge.is_enabled()
    assert challenge.config()["difficulty"] == 16
    assert challenge.verify("", consultation.pk, challenge.PROPOSE) is None
    settings.CIVIC_CONSULTATION_PROOF_OF_WORK = False
    assert not challenge.is_enabled()
    assert challenge.verify("", consultation.pk, challenge.PROPOSE) is None


# API -------------------------------------------------------------------------------------------


def test_the_api_issues_challenges(consultation):
    client = APIClient()
    url = f"{BASE}/consultations/{consultation.pk}/challenge/"
    response = client.get(url, {"purpose": "propose"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert (body["purpose"], body["difficulty"]) == ("propose", 8)
    assert 0 < body["expires_in"] <= 1200 and body["expires_at"] > time.time()
    answer = solved(body["challenge"], body["salt"], body["difficulty"])
    assert challenge.verify(answer, consultation.pk, challenge.PROPOSE) is None
    for bad in ({}, {"purpose": "vote"}):
        refused = client.get(url, bad)
        assert refused.status_code == 400
        assert "purpose" in refused.json()["error"]["fields"]
    draft = ConsultationFactory(status=Consultation.Status.DRAFT)
    draft_url = f"{BASE}/consultations/{draft.pk}/challenge/"
    assert client.get(draft_url, {"purpose": "propose"}).status_code == 404


def test_api_proposals_need_a_fresh_answer_and_refusals_change_nothing(consultation):
    client = APIClient()
    url = f"{BASE}/proposals/"
    body = {"consultation": consultation.pk, "text": "Il faut planter des arbres rue du Sauvage"}
    refused = {
        "missing": {},
        "wrong purpose": api_proof(client, consultation, "sequence"),
        "other consultation": api_proof(client, ConsultationFactory(), "propose"),
    }
    for reason, header in refused.items():
        assert proof_error(client.post(url, body, format="json", **header)), reason
    assert not Proposal.objects.exists() and not Participant.objects.exists()

    answer = api_proof(client, consultation, "propose")
    assert client.post(url, body, format="json", **answer).status_code == 201
    replay = client.post(url, {**body, "text": body["text"] + " et rue Bonbonnière"}, **answer)
    assert "already used" in proof_error(replay) or "déjà" in proof_error(replay)
    assert Proposal.objects.count() == 1


def test_api_refuses_an_expired_answer(consultation):
    issued = challenge.issue(consultation.pk, challenge.PROPOSE, now=time.time() - 1300)
    header = {challenge.HEADER: solved(issued.token, issued.salt, issued.difficulty)}
    response = APIClient().post(
        f"{BASE}/proposals/",
        {"consultation": consultation.pk, "text": "Il faut des fontaines à boire"},
        format="json",
        **header,
    )
    assert "expired" in proof_error(response) or "expiré" in proof_error(response)
    assert not Proposal.objects.exists()


def test_api_cards_are_drawn_only_with_an_answer(consultation, voter, voter_client):
    for _ in range(5):
        ProposalFactory(consultation=consultation)
    url = f"{BASE}/consultations/{consultation.pk}/cards/"
    # Reading before any sequence draws nothing.
    assert voter_client.get(url).json() == {"sequence": 0, "cards": []}
    assert proof_error(voter_client.post(url, {}, format="json"))
    assert proof_error(
        voter_client.post(
            url, {}, format="json", **api_proof(voter_client, consultation, "propose")
        )
    )
    assert not Card.objects.exists()
    voter.refresh_from_db()
    assert voter.sequences == 0

    answer = api_proof(voter_client, consultation, "sequence")
    drawn = voter_client.post(url, {}, format="json", **answer)
    assert drawn.status_code == 201 and len(drawn.json()["cards"]) == 5
    assert proof_error(voter_client.post(url, {}, format="json", **answer))
    assert Card.objects.filter(participant=voter).count() == 5


# Pages -----------------------------------------------------------------------------------------


def test_the_proposal_page_refuses_a_form_without_an_answer(client, consultation):
    page = consultation_page(consultation)
    form = client.get(page.url + "proposer/").content.decode()
    assert "data-proof-of-work" in form and "<noscript>" in form
    text = "Il faut des pistes cyclables continues"
    refused = client.post(page.url + "proposer/", {"text": text})
    html = refused.content.decode()
    assert refused.status_code == 200 and text in html  # the draft is kept
    assert 'class="errorlist nonfield"' in html
    assert not Proposal.objects.exists() and not Participant.objects.exists()
    accepted = client.post(page.url + "proposer/", {"text": text, **page_proof(html)})
    assert accepted.status_code == 302
    assert Proposal.objects.get().text == text


def test_the_vote_page_starts_a_sequence_with_an_answer(client, consultation):
    for _ in range(3):
        ProposalFactory(consultation=consultation)
    page = consultation_page(consultation)
    start = client.get(page.url + "voter/").content.decode()
    assert 'id="start-title"' in start and 'name="value"' not in start
    refused = client.post(page.url + "voter/", {"action": "more"})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    assert not Card.objects.exists()
    answer = page_proof(start)
    assert client.post(page.url + "voter/", {"action": "more", **answer}).status_code == 302
    assert 'name="value"' in client.get(page.url + "voter/").content.decode()
    assert Card.objects.count() == 3
    assert client.post(page.url + "voter/", {"action": "more", **answer}).status_code == 400
    assert Card.objects.count() == 3


def test_a_shared_link_opens_the_sequence_once_the_resident_starts_it(client, consultation):
    for _ in range(3):
        ProposalFactory(consultation=consultation)
    shared = ProposalFactory(consultation=consultation)
    page = consultation_page(consultation)
    start = client.get(page.url + f"voter/?proposition={shared.pk}").content.decode()
    assert f'name="shared" value="{shared.pk}"' in start
    assert not Card.objects.exists()
    posted = {"action": "more", "shared": shared.pk, **page_proof(start)}
    assert client.post(page.url + "voter/", posted).status_code == 302
    first = Card.objects.get(position=0)
    assert (first.proposal_id, first.reason) == (shared.pk, "shared")


def test_pages_work_without_the_check_when_it_is_off(client, consultation, settings):
    settings.CIVIC_CONSULTATION_PROOF_OF_WORK = {"enabled": False}
    ProposalFactory(consultation=consultation)
    page = consultation_page(consultation)
    assert "data-proof-of-work" not in client.get(page.url + "proposer/").content.decode()
    text = "Il faut des toilettes publiques au parc"
    assert client.post(page.url + "proposer/", {"text": text}).status_code == 302
    assert client.post(page.url + "voter/", {"action": "more"}).status_code == 302
    assert Card.objects.exists()
