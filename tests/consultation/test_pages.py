"""The consultation page: landing with live counters, propose, vote through a sequence, results."""

import re

import pytest

from civic_consultation import identity, services
from civic_consultation.models import Participant, Proposal, Vote
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    ThemeFactory,
    consultation_page,
    moderator,
    page_proof,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    consultation = ConsultationFactory(vote_target=200)
    ThemeFactory(consultation=consultation, name="Logement")
    return consultation


@pytest.fixture
def page(consultation):
    return consultation_page(consultation)


def test_landing_shows_the_question_and_live_counters(client, page, consultation):
    services.accept(
        moderator(),
        services.submit_proposal(services.join(consultation), "Il faut rénover les écoles"),
    )
    html = client.get(page.url).content.decode()
    assert consultation.question in html
    assert re.search(r'data-counter="proposals">1<', html)
    assert re.search(r'data-counter="participants">1<', html)
    assert "Logement" in html


def test_a_resident_proposes_and_sees_it_pending(client, page, consultation):
    form = client.get(page.url + "proposer/").content.decode()
    response = client.post(
        page.url + "proposer/",
        {"text": "Il faut des bancs place de la Réunion", **page_proof(form)},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.PENDING
    html = client.get(page.url + "proposer/").content.decode()
    assert "Il faut des bancs place de la Réunion" in html
    too_short = client.post(page.url + "proposer/", {"text": "Il faut", **page_proof(html)})
    assert too_short.status_code == 200 and Proposal.objects.count() == 1


def test_voting_through_a_whole_sequence_then_profile_then_results(client, page, consultation):
    for _ in range(14):
        ProposalFactory(consultation=consultation)
    first = client.get(page.url + "voter/")
    assert first.status_code == 200
    start = {"action": "more", **page_proof(first.content.decode())}
    assert client.post(page.url + "voter/", start).status_code == 302
    participant = Participant.objects.latest("pk")
    for _ in range(12):
        cards, voted = services.current_sequence(participant)
        card = next(c for c in cards if c.proposal_id not in voted)
        assert f'value="{card.key}"' in client.get(page.url + "voter/").content.decode()
        client.post(
            page.url + "voter/",
            {
                "proposal": card.proposal_id,
                "key": card.key,
                "value": "agree",
                "qualifications": ["doable", "no_way"],
            },
        )
    assert Vote.objects.filter(trusted=True).count() == 12
    # Only the qualification that goes with the button pressed is kept.
    assert set(Vote.objects.values_list("qualifications", flat=True)[:1][0]) == {"doable"}
    done = client.get(page.url + "voter/").content.decode()
    assert 'name="age_range"' in done
    client.post(page.url + "voter/", {"action": "skip_profile"})
    participant.refresh_from_db()
    assert participant.profile_state == Participant.ProfileState.SKIPPED
    assert 'name="age_range"' not in client.get(page.url + "voter/").content.decode()
    results = client.get(page.url + "resultats/")
    assert results.status_code == 200
    assert "12" in results.content.decode()


def test_viewing_the_vote_page_creates_no_participant(client, page, consultation):
    """Audit: each cookie-less visit created a participant and bumped the public counter
    (crawlers, link previews); only a contribution makes one now."""
    author = ProposalFactory(consultation=consultation).author
    for _ in range(3):
        client.cookies.clear()
        response = client.get(page.url + "voter/")
        assert response.status_code == 200 and 'value="more"' in response.content.decode()
        assert identity.cookie_name(consultation.pk) not in response.cookies
        client.get(page.url + "voter/?proposition=1")
        client.get(page.url + "proposer/")
    assert list(Participant.objects.all()) == [author]
    assert consultation.counters()["participants"] == 0
    assert re.search(r'data-counter="participants">0<', client.get(page.url).content.decode())


def test_a_refused_vote_shows_a_message_and_counts_nothing(client, page, consultation):
    refused = ProposalFactory(consultation=consultation, status=Proposal.Status.REFUSED)
    client.get(page.url + "voter/")
    response = client.post(page.url + "voter/", {"proposal": refused.pk, "value": "agree"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Vote.objects.exists()


def test_closed_consultation_pages_offer_results_only(client, page, consultation):
    consultation.status = "closed"
    consultation.save()
    html = client.get(page.url + "voter/").content.decode()
    assert 'name="value"' not in html
    assert client.post(page.url + "proposer/", {"text": "Il faut agir vite"}).status_code == 200
    assert not Proposal.objects.exists()


# A site made by `wagtail start` -------------------------------------------------------------

ALLOWED_LIBRARIES = {"i18n", "l10n", "static", "tz", "wagtailcore_tags"}


def test_templates_load_no_library_a_wagtail_start_site_lacks():
    """No django.contrib.humanize (or any other optional app's tags) in the public pages."""
    from pathlib import Path

    import civic_consultation

    folder = Path(civic_consultation.__file__).parent / "templates" / "civic_consultation"
    loaded = set()
    for template in folder.glob("*.html"):
        for libraries in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text()):
            loaded.update(libraries.split())
    assert loaded <= ALLOWED_LIBRARIES, loaded - ALLOWED_LIBRARIES


def test_pages_load_the_stylesheet_through_extra_css_and_localise_numbers(
    client, page, consultation, settings
):
    from django.test.utils import override_settings
    from django.utils import translation

    consultation.vote_target = 1_234_567
    consultation.save()
    for route in ("", "proposer/", "voter/", "resultats/"):
        html = client.get(page.url + route).content.decode()
        assert "civic_consultation/consultation.css" in html, route
        # The link sits in the <head>, where the extra_css block of the base template is.
        assert html.index("consultation.css") < html.index("</head>"), route
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        html = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1,234,567" in html


def test_sub_page_slugs_are_the_sites_whatever_the_visitor_speaks(client, page, settings):
    from django.utils import translation

    with translation.override("en"):
        assert page.reverse_subpage("propose") == "proposer/"
    # A resident whose browser asks for English follows a link another resident shared.
    assert client.get(page.url + "proposer/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    settings.LANGUAGE_CODE = "en"
    with translation.override("fr"):
        assert page.reverse_subpage("propose") == "propose/"
