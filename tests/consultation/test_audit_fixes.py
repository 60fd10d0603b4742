"""Regression tests of the external audit (issue 14): tokens that expire, lists that stay
bounded, CSV exports a spreadsheet opens safely."""

import time

import pytest
from rest_framework.test import APIClient

from civic_consultation import identity, services
from civic_consultation.models import Vote
from tests.consultation.factories import ConsultationFactory, ProposalFactory

pytestmark = pytest.mark.django_db
BASE = "/api/consultation"


def test_a_participant_token_expires_after_cookie_max_age(consultation, monkeypatch, settings):
    settings.CIVIC_CONSULTATION_COOKIE_MAX_AGE = 3600
    participant = services.join(consultation)
    token = identity.make_token(participant)
    assert identity.read_token(token, consultation.pk) == participant.pk
    issued = time.time()
    monkeypatch.setattr(time, "time", lambda: issued + 3601)
    assert identity.read_token(token, consultation.pk) is None


def test_an_expired_token_is_refused_by_the_api_and_changes_nothing(
    consultation, monkeypatch, settings
):
    settings.CIVIC_CONSULTATION_COOKIE_MAX_AGE = 3600
    proposal = ProposalFactory(consultation=consultation)
    participant = services.join(consultation)
    client = APIClient()
    client.credentials(**{identity.HEADER: identity.make_token(participant)})
    issued = time.time()
    monkeypatch.setattr(time, "time", lambda: issued + 3601)
    response = client.post(
        f"{BASE}/consultations/{consultation.pk}/vote/",
        {"proposal": proposal.pk, "value": "agree"},
        format="json",
    )
    assert response.status_code in (401, 403)
    assert not Vote.objects.exists()


def test_the_cookie_lasts_as_long_as_the_token(consultation, settings):
    settings.CIVIC_CONSULTATION_COOKIE_MAX_AGE = 7200
    response = APIClient().post(f"{BASE}/consultations/{consultation.pk}/participant/")
    assert response.cookies[identity.cookie_name(consultation.pk)]["max-age"] == 7200


@pytest.mark.parametrize("path", ["consultations/", "proposals/"])
def test_a_huge_limit_is_capped(path, consultation):
    for _ in range(3):
        ConsultationFactory()
    ProposalFactory.create_batch(105, consultation=consultation)
    response = APIClient().get(f"{BASE}/{path}", {"limit": 100000})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 100
    assert APIClient().get(f"{BASE}/{path}", {"limit": "many"}).status_code == 200


def test_the_vote_export_escapes_formula_prefixes(consultation):
    """Every text cell of the CSV export goes through civic_core.csv_export: even a value that
    bypassed validation (a database import) cannot become a formula in a spreadsheet."""
    proposal = ProposalFactory(consultation=consultation)
    voter = services.join(consultation)
    services.cast_vote(voter.pk, proposal.pk, "agree", ["doable"])
    Vote.objects.update(qualifications=['=HYPERLINK("http://evil.invalid")'], value="+1")
    url = f"{BASE}/consultations/{consultation.pk}/export/"
    lines = b"".join(APIClient().get(url, {"output": "csv"}).streaming_content).decode()
    row = lines.splitlines()[1]
    assert ",'+1," in row and "'=HYPERLINK" in row
    assert ",=" not in row and ",+" not in row
