"""Rate limits per participant and per address: a clear refusal that changes nothing."""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from civic_consultation import limits, services
from civic_consultation.identity import HEADER, make_token
from civic_consultation.models import Participant, Vote
from civic_consultation.services import ConsultationError
from tests.consultation.factories import ConsultationFactory, ProposalFactory, consultation_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tight_limits(settings):
    cache.clear()
    settings.CIVIC_CONSULTATION_RATE_LIMITS = {
        "vote_participant": (3, 3600),
        "vote_address": (5, 3600),
        "join_address": (2, 600),
        "proposal_participant": (1, 3600),
        "proposal_address": (10, 3600),
    }
    yield
    cache.clear()


@pytest.fixture
def consultation():
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(8, consultation=consultation)
    return consultation


def test_rate_limit_subjects_are_keyed_hashes_of_the_address_or_its_ipv6_prefix():
    ipv4 = limits.address_subject("203.0.113.7")
    assert len(ipv4) == 32 and "203" not in ipv4
    assert limits.address_subject("::ffff:203.0.113.7") == ipv4
    assert limits.address_subject("2001:db8:1:2:aaaa::1") == limits.address_subject(
        "2001:db8:1:2:bbbb::9"
    )
    assert limits.address_subject("2001:db8:1:3::1") != limits.address_subject("2001:db8:1:2::1")
    assert limits.address_subject("203.0.113.8") != ipv4
    assert limits.address_subject("not an address") == ""


def test_no_network_address_reaches_the_cache(consultation, settings):
    """Audit: raw addresses sat in the rate-limit cache keys."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "a"}
    }
    from django.core.cache import caches

    store = caches["default"]
    store.clear()
    address = "198.51.100.77"
    participant = services.join(consultation, address=address)
    proposal = consultation.proposals.first()
    services.cast_vote(participant.pk, proposal.pk, "agree", (), "", address=address)
    services.submit_proposal(
        participant, "Il faut planter des arbres rue du Sauvage", None, address
    )
    keys = list(store._cache)
    assert keys and not any("198.51.100" in key for key in keys)
    assert not any("198.51.100" in str(value) for value in store._cache.values())


def test_windows_reset():
    assert limits.allow("join_address", "x", now=0) and limits.allow("join_address", "x", now=1)
    assert not limits.allow("join_address", "x", now=2)
    assert limits.allow("join_address", "x", now=600)


def test_votes_per_participant_and_per_address(consultation):
    proposals = list(consultation.proposals.all())
    first, second = services.join(consultation), services.join(consultation)
    for proposal in proposals[:3]:
        services.cast_vote(first.pk, proposal.pk, "agree", (), "", address="198.51.100.1")
    with pytest.raises(ConsultationError) as error:
        services.cast_vote(first.pk, proposals[3].pk, "agree", (), "", address="198.51.100.2")
    assert error.value.code == "rate_limited"
    # Another participant behind the same address: the address limit (5) stops the 6th vote.
    services.cast_vote(second.pk, proposals[0].pk, "agree", (), "", address="198.51.100.1")
    services.cast_vote(second.pk, proposals[1].pk, "agree", (), "", address="198.51.100.1")
    with pytest.raises(ConsultationError):
        services.cast_vote(second.pk, proposals[2].pk, "agree", (), "", address="198.51.100.1")
    assert Vote.objects.count() == 5


def test_a_burst_of_new_sessions_from_one_address_is_stopped(consultation):
    before = Participant.objects.count()
    services.join(consultation, address="192.0.2.5")
    services.join(consultation, address="192.0.2.5")
    with pytest.raises(ConsultationError) as error:
        services.join(consultation, address="192.0.2.5")
    assert error.value.code == "rate_limited"
    services.join(consultation, address="192.0.2.6")
    assert Participant.objects.count() == before + 3


def test_the_api_answers_429_in_the_error_shape(consultation, voter):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    client.credentials(**{HEADER: make_token(voter)})
    url = f"/api/consultation/consultations/{consultation.pk}/vote/"
    proposals = list(consultation.proposals.all())
    for proposal in proposals[:3]:
        assert client.post(url, {"proposal": proposal.pk, "value": "agree"}).status_code == 200
    refused = client.post(url, {"proposal": proposals[3].pk, "value": "agree"})
    assert refused.status_code == 429
    if "civic_site" in settings.INSTALLED_APPS:
        error = refused.json()["error"]
        assert (error["status"], error["code"]) == (429, "throttled")
        assert "try again" in error["message"] or "réessayer" in error["message"]
    assert Vote.objects.count() == 3


def test_a_vote_after_changing_one_vote_many_times_is_refused(consultation):
    """Audit: changing one vote again and again escaped the per-participant limit, which
    counted distinct votes; it counts actions (3 in the window here)."""
    proposals = list(consultation.proposals.all())
    participant = services.join(consultation)
    for value in ("agree", "disagree", "neutral"):
        services.cast_vote(participant.pk, proposals[0].pk, value, (), "")
    with pytest.raises(ConsultationError) as error:
        services.cast_vote(participant.pk, proposals[0].pk, "agree", (), "")
    assert error.value.code == "rate_limited"
    with pytest.raises(ConsultationError):
        services.cast_vote(participant.pk, proposals[1].pk, "agree", (), "")
    assert Vote.objects.get().value == "neutral"
    participant.refresh_from_db()
    assert participant.vote_actions == 3


def test_the_vote_limit_starts_again_in_the_next_window(consultation, monkeypatch):
    proposals = list(consultation.proposals.all())
    participant = services.join(consultation)
    for proposal in proposals[:3]:
        services.cast_vote(participant.pk, proposal.pk, "agree", (), "")
    with pytest.raises(ConsultationError):
        services.cast_vote(participant.pk, proposals[3].pk, "agree", (), "")
    later = limits.window_number(3600) + 1
    monkeypatch.setattr(limits, "window_number", lambda seconds, now=None: later)
    services.cast_vote(participant.pk, proposals[3].pk, "agree", (), "")
    participant.refresh_from_db()
    assert (participant.vote_window, participant.vote_actions) == (later, 1)


def test_the_vote_page_refuses_new_sessions_with_a_message(client, consultation):
    page = consultation_page(consultation)
    for _ in range(2):
        client.cookies.clear()
        assert client.post(page.url + "voter/", {"action": "skip_profile"}).status_code == 302
    client.cookies.clear()
    refused = client.post(page.url + "voter/", {"action": "skip_profile"})
    assert refused.status_code == 429
    assert "try again" in refused.content.decode() or "réessayer" in refused.content.decode()


def test_generous_limits_are_counted_in_batches(settings):
    settings.CIVIC_CONSULTATION_RATE_LIMITS = {"vote_address": (1000, 3600)}
    key = "civic_consultation:rate:vote_address:subject:0"
    allowed = [limits.allow("vote_address", "subject", now=5) for _ in range(1005)]
    # One cache write per 10 actions (1000 // 100): the shared count lags by less than a batch.
    assert all(allowed) and cache.get(key) == 1000
    allowed = [limits.allow("vote_address", "subject", now=5) for _ in range(100)]
    # Passed by less than one batch, then refused without asking the cache again.
    assert allowed.count(True) == 4 and not any(allowed[5:])
    assert cache.get(key) == 1010
    # The next window starts afresh.
    assert limits.allow("vote_address", "subject", now=3600)


def test_overriding_one_limit_keeps_the_others(settings):
    settings.CIVIC_CONSULTATION_RATE_LIMITS = {"vote_participant": (500, 3600)}
    merged = limits.rate_limits()
    assert merged["vote_participant"] == (500, 3600)
    # The others keep their defaults.
    assert merged["join_address"] == (60, 600) and merged["proposal_participant"] == (10, 3600)


def test_a_limit_set_to_none_is_off(consultation, settings):
    settings.CIVIC_CONSULTATION_RATE_LIMITS = {"join_address": None, "vote_participant": None}
    for _ in range(80):  # over the default 60 joins per 10 minutes
        services.join(consultation, address="192.0.2.77")
    voter = services.join(consultation)
    for proposal in consultation.proposals.all():
        services.cast_vote(voter.pk, proposal.pk, "agree", (), "")
    assert Vote.objects.filter(participant=voter).count() == 8
    # The limits not named keep theirs: proposals are still limited per participant.
    assert limits.rate_limit("proposal_participant") == (10, 3600)


def test_the_vote_path_reads_the_setting_once(settings, monkeypatch):
    from civic_consultation.app_settings import app_settings

    settings.CIVIC_CONSULTATION_RATE_LIMITS = {"vote_address": (1000, 3600)}
    reads = []
    real = type(app_settings).__getattr__
    monkeypatch.setattr(
        type(app_settings), "__getattr__", lambda self, name: reads.append(name) or real(self, name)
    )
    for _ in range(50):
        limits.check("vote", 1, "203.0.113.60")
    assert reads.count("RATE_LIMITS") <= 1
