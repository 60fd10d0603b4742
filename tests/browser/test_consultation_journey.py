"""Consultation journey in Chromium: a resident proposes, a moderator accepts in the member
space, another resident votes through a 12-card sequence and reads the results. The browser
solves the proof of work of the protected forms itself (challenge.js, Web Crypto)."""

import re

import pytest
from playwright.sync_api import expect

from civic_consultation.models import Card, Participant, Proposal, Vote
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    ThemeFactory,
    consultation_page,
    moderator,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_proof_of_work_done(browser_page):
    """The status announces the end of the check and the hidden field holds the answer."""
    box = browser_page.locator("[data-proof-of-work]")
    expect(box.locator("[role=status]")).to_have_text(box.get_attribute("data-text-done"))
    answer = box.locator("input[name=proof]").input_value()
    assert answer.startswith(box.get_attribute("data-challenge") + ".")


def test_propose_moderate_vote_and_read_results(
    live_server, page, browser, wagtail_roots, axe_violations
):
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
    expect_proof_of_work_done(page)
    assert axe_violations(page) == []
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
    expect_proof_of_work_done(voter)
    assert axe_violations(voter) == []
    voter.locator(".sequence-start button[type=submit]").click()
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
    # Three proposals are left: clicked at once, "more" waits for its own check, then draws.
    voter.get_by_role("button", name="Voter sur d’autres propositions").click()
    expect(voter.locator("#sequence-progress")).to_have_text(re.compile(r"\b1\b.*3"))
    voter.locator(".consultation-nav").get_by_role("link", name="Résultats").click()
    expect(voter.get_by_role("heading", level=1)).to_have_text("Résultats")
    expect(voter.locator('[data-counter="votes"]')).to_contain_text(re.compile(r"12"))


def test_the_check_keeps_the_page_responsive_and_is_refused_without_javascript(
    live_server, page, browser, wagtail_roots, settings
):
    # 28 bits (hundreds of millions of hashes): the search is still running for the whole test.
    settings.CIVIC_CONSULTATION_PROOF_OF_WORK = {"enabled": True, "difficulty": 28, "seconds": 60}
    consultation = ConsultationFactory()
    landing = live_server.url + consultation_page(consultation).url
    page.goto(landing + "proposer/")
    box = page.locator("[data-proof-of-work]")
    status = box.locator("[role=status]")
    expect(status).to_have_text(box.get_attribute("data-text-working"))
    field = page.get_by_label("Votre proposition")
    field.fill("")
    field.press_sequentially("Il faut des arbres cours Lyautey", delay=5)
    expect(field).to_have_value("Il faut des arbres cours Lyautey")
    expect(status).to_have_text(box.get_attribute("data-text-working"))
    # Sent before the answer is found, the form waits for it and says so.
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(status).to_have_text(box.get_attribute("data-text-waiting"))
    assert not Proposal.objects.exists()

    # Without JavaScript the server refuses with a message (Chromium's switch stops scripts
    # but still parses <noscript> as when they run, so its note is checked in test_challenge).
    no_script = browser.new_context(locale="fr-FR", java_script_enabled=False).new_page()
    no_script.goto(landing + "voter/")
    no_script.locator(".sequence-start button[type=submit]").click()
    expect(no_script.locator("p.errorlist[role=alert]")).to_contain_text("JavaScript")
    assert not Card.objects.exists()
    assert not Participant.objects.exclude(sequences=0).exists()


def test_a_challenge_that_expired_while_the_page_was_open_is_renewed(
    live_server, page, wagtail_roots, settings
):
    settings.CIVIC_CONSULTATION_PROOF_OF_WORK = {"enabled": True, "difficulty": 8, "seconds": 10}
    consultation = ConsultationFactory()
    landing = live_server.url + consultation_page(consultation).url
    page.goto(landing + "proposer/")
    expect_proof_of_work_done(page)
    page.get_by_label("Votre proposition").fill("Il faut un marché couvert le soir")
    page.wait_for_timeout(10_500)  # the embedded challenge has now expired
    with page.expect_request(re.compile(r"/challenge/\?purpose=propose$")):
        page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.locator(".own-proposals")).to_contain_text("marché couvert")
    assert Proposal.objects.get().text == "Il faut un marché couvert le soir"
