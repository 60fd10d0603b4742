"""Journeys of the participation circuits in a real Chromium, through the member space
(Wagtail admin) and the public pages."""

import re

import pytest
from wagtail.models import Site

from civic_participation.models import Invitation, ParticipationIndexPage, Request
from tests.participation.factories import (
    CouncilFactory,
    ServiceFactory,
    UserFactory,
    council_member,
    service_agent,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERNAL_NOTE = "Note interne : budget mobilier épuisé, prévoir 2027."


@pytest.fixture
def index_page(wagtail_roots):
    site = Site.objects.get(is_default_site=True)
    return site.root_page.add_child(
        instance=ParticipationIndexPage(title="Demandes et offres", slug="demandes-et-offres")
    )


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def run_action(page, name, fields=None):
    """Open an action of the item shown and submit its form."""
    page.click(f"a[href$='/actions/{name}/']")
    for selector, value in (fields or {}).items():
        if selector.startswith("select"):
            page.select_option(selector, value)
        elif selector.startswith("check:"):
            page.check(selector.removeprefix("check:"))
        else:
            page.fill(selector, value)
    page.click(".participation-form button[type=submit]")
    page.wait_for_url(re.compile(r"/inspect/\d+/$"))


def test_request_from_referent_to_public_answer(page, live_server, index_page, axe_violations):
    council = CouncilFactory(name="Conseil participatif Bourtzwiller")
    service = ServiceFactory(name="Voirie", contact_channel="voirie@mulhouse.example")
    council_member(council, referent=True, username="nadia")
    service_agent(service, username="paul", last_name="Durandeau")
    UserFactory(username="claire", groups=["Coordinators"])

    # A référent drafts and submits a request.
    sign_in(page, live_server, "nadia")
    page.goto(f"{live_server.url}/admin/participation/requests/new/")
    page.select_option("select[name=council]", str(council.pk))
    page.fill("input[name=title]", "Des bancs place de la Paix")
    page.fill("textarea[name=description]", "Les aînés du quartier manquent de bancs.")
    page.click(".participation-form button[type=submit]")
    page.wait_for_url(re.compile(r"/inspect/\d+/$"))
    run_action(page, "submit")
    item = Request.objects.get(title="Des bancs place de la Paix")
    assert item.state == Request.State.SUBMITTED

    # The coordinator finds it in the routing queue, acknowledges it and assigns the service.
    sign_in(page, live_server, "claire")
    page.goto(f"{live_server.url}/admin/civic_participation/routingqueueitem/")
    page.click("text=Des bancs place de la Paix")
    run_action(page, "acknowledge", {"select[name=service]": str(service.pk)})
    item.refresh_from_db()
    assert item.state == Request.State.ACKNOWLEDGED and item.service == service

    # The agent reviews, leaves an internal note and answers.
    sign_in(page, live_server, "paul")
    page.goto(f"{live_server.url}/admin/civic_participation/request/")
    page.click("text=Des bancs place de la Paix")
    run_action(page, "start_review")
    page.fill(".participation-note-form textarea[name=body]", INTERNAL_NOTE)
    page.click(".participation-note-form button[type=submit]")
    page.wait_for_selector(f"text={INTERNAL_NOTE}")
    run_action(
        page,
        "answer",
        {
            "select[name=outcome]": "accepted",
            "textarea[name=message]": "Trois bancs seront posés en avril.",
        },
    )
    item.refresh_from_db()
    assert item.state == Request.State.ANSWERED

    # Anyone sees the public timeline with the answer, and nothing internal.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{index_page.url}demandes/{item.pk}/")
    body = page.inner_text("main")
    assert "Trois bancs seront posés en avril." in body
    assert "Voirie" in body
    assert "voirie@mulhouse.example" in body
    assert INTERNAL_NOTE not in body
    assert "Durandeau" not in body
    assert page.locator(".participation-timeline li").count() == 4  # submit, ack, review, answer
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}{index_page.url}")
    assert "Des bancs place de la Paix" in page.inner_text("main")
    assert axe_violations(page) == []


def test_offer_to_three_councils_and_their_outcomes_in_public(
    page, live_server, index_page, axe_violations
):
    service = ServiceFactory(name="Espaces verts")
    service_agent(service, username="paul")
    councils = [CouncilFactory(name=f"Conseil participatif {name}") for name in ("A", "B", "C")]
    for index, council in enumerate(councils):
        council_member(council, referent=True, username=f"referent{index}")

    sign_in(page, live_server, "paul")
    page.goto(f"{live_server.url}/admin/participation/offers/new/")
    page.select_option("select[name=service]", str(service.pk))
    page.fill("input[name=title]", "Choisir les arbres du parc des Collines")
    page.fill("textarea[name=description]", "Trois essences à choisir ensemble.")
    page.click(".participation-form button[type=submit]")
    page.wait_for_url(re.compile(r"/inspect/\d+/$"))
    page.click("a[href$='/actions/publish/']")
    for council in councils:
        page.check(f"input[name=councils][value='{council.pk}']")
    from datetime import timedelta

    from django.utils import timezone

    respond_by = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.fill("input[name=respond_by]", respond_by)
    page.click(".participation-form button[type=submit]")
    page.wait_for_url(re.compile(r"/inspect/\d+/$"))

    answers = [
        ("accepted", ""),
        ("declined", "Notre conseil ne se réunit pas avant l'échéance."),
        ("counter_proposal", "Nous proposons plutôt une balade urbaine."),
    ]
    for index, (council, (response, message)) in enumerate(zip(councils, answers, strict=True)):
        invitation = Invitation.objects.get(council=council)
        sign_in(page, live_server, f"referent{index}")
        page.goto(
            f"{live_server.url}/admin/civic_participation/invitation/inspect/{invitation.pk}/"
        )
        run_action(page, "acknowledge")
        fields = {"select[name=response]": response}
        if message:
            fields["textarea[name=message]"] = message
        run_action(page, "respond", fields)

    page.context.clear_cookies()
    offer = Invitation.objects.first().offer
    page.goto(f"{live_server.url}{index_page.url}offres/{offer.pk}/")
    rows = {
        page.locator("tbody tr").nth(index).locator("td").first.inner_text(): page.locator(
            "tbody tr"
        )
        .nth(index)
        .locator("td.invitation-state")
        .inner_text()
        for index in range(3)
    }
    states = dict(Invitation.objects.values_list("council__name", "state"))
    assert states == {
        "Conseil participatif A": "accepted",
        "Conseil participatif B": "declined",
        "Conseil participatif C": "counter_proposal",
    }
    labels = {str(label) for label in Invitation.State.labels} | {
        "Acceptée",
        "Refusée",
        "Contre-proposition",
    }
    assert set(rows) == set(states)
    assert len(set(rows.values())) == 3 and set(rows.values()) <= labels | set(rows.values())
    body = page.inner_text("main")
    assert "Nous proposons plutôt une balade urbaine." in body
    assert "Notre conseil ne se réunit pas avant l'échéance." in body
    assert axe_violations(page) == []


def test_transparency_statistics_page_is_accessible(page, live_server, index_page, axe_violations):
    from civic_participation.workflow import perform
    from tests.participation.factories import draft_request

    council = CouncilFactory(name="Conseil participatif Doller")
    service = ServiceFactory(name="Propreté urbaine")
    referent = council_member(council, referent=True, username="ines")
    agent = service_agent(service, username="marc")
    item = draft_request(council, referent, service=service)
    perform(item, "submit", referent)
    perform(item, "acknowledge", agent)
    perform(item, "start_review", agent)
    perform(item, "answer", agent, {"outcome": "accepted", "message": "Oui."})

    page.goto(f"{live_server.url}{index_page.url}statistiques/")
    assert page.locator("svg[role=img] rect").count() == 1
    assert "Propreté urbaine" in page.inner_text("main table")
    assert axe_violations(page) == []
    page.fill("#id_start", "2026-05-01")
    page.fill("#id_end", "2026-01-01")
    page.click(".participation-filters button[type=submit]")
    assert page.locator(".participation-filters .error").count() == 1
    assert axe_violations(page) == []
