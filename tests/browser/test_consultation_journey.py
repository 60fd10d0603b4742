"""Consultation journey in Chromium: a resident proposes, a moderator accepts in the member
space, another resident votes through a 12-card sequence and reads the results."""

import re

import pytest
from playwright.sync_api import expect

from civic_consultation.models import Proposal, Vote
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    ThemeFactory,
    consultation_page,
    moderator,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_propose_moderate_vote_and_read_results(live_server, page, browser, wagtail_roots):
    consultation = ConsultationFactory(vote_target=500)
    theme = ThemeFactory(consultation=consultation, name="Logement")
    for number in range(14):
        ProposalFactory(
            consultation=consultation,
            theme=theme,
            text=f"Il faut rénover l’immeuble numéro {number} du quartier",
        )
    landing = live_server.url + consultation_page(consultation).url
    moderator("lea")

    # A resident proposes.
    page.goto(landing + "proposer/")
    page.get_by_label("Votre proposition").fill("Il faut des bancs à l’ombre place de la Réunion")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.locator(".own-proposals")).to_contain_text("place de la Réunion")
    proposal = Proposal.objects.get(text__contains="place de la Réunion")
    assert proposal.status == Proposal.Status.PENDING

    # A moderator accepts it from the queue.
    staff = browser.new_context(locale="fr-FR").new_page()
    staff.goto(live_server.url + "/admin/login/")
    staff.fill("input[name=username]", "lea")
    staff.fill("input[name=password]", "pw")
    staff.locator("button[type=submit]").click()
    staff.goto(live_server.url + f"/admin/consultation-moderation/{consultation.pk}/")
    staff.get_by_role("button", name="Examiner la proposition suivante").click()
    expect(staff.locator(".proposal-under-review")).to_contain_text("place de la Réunion")
    staff.locator(".decision-accept button[type=submit]").click()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED

    # Another resident votes through a whole sequence, mostly with the keyboard.
    voter = browser.new_context(locale="fr-FR").new_page()
    voter.goto(landing + "voter/")
    progress = voter.locator("#sequence-progress")
    for number in range(12):
        expect(progress).to_have_text(re.compile(rf"\b{number + 1}\b.*12"))
        card = voter.locator("form.vote-card:not([hidden])")
        expect(card).to_have_count(1)
        if number % 2:
            card.locator("button.vote-agree").focus()
            voter.keyboard.press("Enter")
        else:
            card.locator("button.vote-disagree").click()
    expect(voter.locator("#done-title")).to_be_visible()
    assert Vote.objects.filter(trusted=True).count() == 12
    voter.get_by_role("link", name="Voir les résultats").click()
    expect(voter.get_by_role("heading", level=1)).to_have_text("Résultats")
    expect(voter.locator('[data-counter="votes"]')).to_contain_text(re.compile(r"12"))
