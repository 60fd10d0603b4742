"""Submission of proposals: limits, prefix, escaping, similar suggestions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic_consultation import services
from civic_consultation.adapter import DefaultConsultationAdapter
from civic_consultation.models import Event, Proposal
from civic_consultation.services import ConsultationError
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    ThemeFactory,
    consultation_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(proposal_min_length=15, proposal_max_length=60)


def test_the_prefix_is_written_once_and_whitespace_folded(consultation):
    author = services.join(consultation)
    typed = services.submit_proposal(author, "  il faut   ouvrir les piscines\n le soir ")
    bare = services.submit_proposal(author, "rénover les écoles du quartier")
    assert typed.text == "Il faut ouvrir les piscines le soir"
    assert bare.text == "Il faut rénover les écoles du quartier"
    assert typed.status == Proposal.Status.PENDING
    assert typed.signature
    assert Event.objects.filter(proposal=typed, kind="submitted", visibility="internal").exists()


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "empty"),
        ("Il faut", "empty"),
        ("   ", "empty"),
        ("agir", "too_short"),
        ("x" * 61, "too_long"),
    ],
)
def test_empty_short_and_long_proposals_are_refused(consultation, raw, code):
    author = services.join(consultation)
    with pytest.raises(ConsultationError) as error:
        services.submit_proposal(author, raw)
    assert (error.value.code, error.value.reason) == ("invalid", code)
    assert not Proposal.objects.exists()


def test_proposals_are_refused_when_the_consultation_is_closed(consultation):
    author = services.join(consultation)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save()
    author.consultation = consultation
    with pytest.raises(ConsultationError) as error:
        services.submit_proposal(author, "Il faut ouvrir les piscines le soir")
    assert error.value.code == "closed"


def test_a_theme_of_another_consultation_is_refused(consultation):
    author = services.join(consultation)
    with pytest.raises(ConsultationError):
        services.submit_proposal(author, "Il faut ouvrir les piscines", ThemeFactory())


def test_html_is_stored_as_typed_and_escaped_on_pages(consultation, client):
    page = consultation_page(consultation)
    author = services.join(consultation)
    services.submit_proposal(author, "Il faut <script>alert(1)</script> agir")
    from civic_consultation import identity

    client.cookies[identity.cookie_name(consultation.pk)] = identity.make_token(author)
    html = client.get(page.url + "proposer/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_similar_accepted_proposals_are_suggested(consultation):
    ProposalFactory(
        consultation=consultation, text="Il faut faciliter l'accès aux soins", signature=""
    )
    kept = ProposalFactory(consultation=consultation, text="Il faut plus de médecins")
    from civic_consultation import text

    for proposal in Proposal.objects.all():
        Proposal.objects.filter(pk=proposal.pk).update(signature=text.signature(proposal.text))
    found = services.similar_proposals(consultation, "améliorer l’accès aux soins")
    assert [p.text for p, _score in found] == ["Il faut faciliter l'accès aux soins"]
    assert kept.pk not in [p.pk for p, _score in found]


def test_the_prefix_follows_the_consultation_language():
    english = ConsultationFactory(language="en", proposal_min_length=15)
    author = services.join(english)
    proposal = services.submit_proposal(author, "plant more trees in the parks")
    # An English proposal never carries the French prefix.
    assert proposal.text == "We need to plant more trees in the parks"
    assert proposal.signature == "park plant tree"
    page = consultation_page(english)
    assert english.prefix == "We need to"
    from django.test import Client

    assert "We need to" in Client().get(page.url + "proposer/").content.decode()


def test_without_a_language_the_site_language_decides(settings):
    settings.LANGUAGE_CODE = "en"
    consultation = ConsultationFactory(proposal_min_length=15)
    assert consultation.prefix == "We need to"
    settings.LANGUAGE_CODE = "fr"
    assert consultation.prefix == "Il faut"


def test_a_prefix_typed_by_the_editor_wins():
    consultation = ConsultationFactory(language="en", proposal_prefix="Our town should")
    author = services.join(consultation)
    proposal = services.submit_proposal(author, "open the pools at night")
    assert proposal.text == "Our town should open the pools at night"


class BretonAdapter(DefaultConsultationAdapter):
    """A city whose proposals are in a language Snowball does not stem."""

    def text_language(self, consultation):
        return None


def test_the_text_language_is_an_adapter_hook(settings):
    from civic_core.conf import load_adapter

    settings.CIVIC_CONSULTATION_ADAPTER = "tests.consultation.test_proposals.BretonAdapter"
    load_adapter.cache_clear()
    try:
        consultation = ConsultationFactory(proposal_prefix="Ret eo", proposal_min_length=10)
        proposal = services.submit_proposal(services.join(consultation), "plantañ gwez")
        assert proposal.signature == "gwez plantan"  # words kept whole, accents dropped
    finally:
        load_adapter.cache_clear()


def test_the_api_gives_the_language_and_the_prefix(client):
    consultation = ConsultationFactory(language="en")
    body = client.get(f"/api/consultation/consultations/{consultation.pk}/").json()
    assert (body["language"], body["proposal_prefix"]) == ("en", "We need to")
