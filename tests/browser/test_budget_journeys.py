"""Journeys of the participatory budget in a real Chromium: an idea from a resident to the
ballot, a knapsack ballot with its running total, and a paper ballot typed twice."""

import re

import pytest
from wagtail.models import Site

from civic_budget import phases
from civic_budget.models import Ballot, BudgetPage, PaperBallotEntry, Project
from tests.budget import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "secret-pass-123"


def budget_page(process):
    """The page under the default site's root (the `wagtail_roots` fixture provides it)."""
    site = Site.objects.get(is_default_site=True)
    return site.root_page.add_child(
        instance=BudgetPage(title="Budget participatif", slug="budget", process=process)
    )


def sign_in(page, live_server, username, then):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def test_resident_idea_then_feasibility_review(page, live_server, wagtail_roots, axe_violations):
    process, zones, _projects = factories.city(phases.IDEAS)
    budget = budget_page(process)
    factories.UserFactory(username="camille")
    factories.reviewer("hugo")

    sign_in(page, live_server, "camille", budget.url + "proposer/")
    assert axe_violations(page) == []
    page.select_option("select[name=zone]", str(zones["south"].pk))
    page.fill("input[name=title]", "Jardin partagé rue de Bâle")
    page.fill("textarea[name=description]", "Des bacs, un composteur et un point d'eau.")
    page.fill("input[name=location]", "Cour de l'école Jean Zay")
    page.fill("input[name=estimated_cost]", "18000")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/projets/\d+/$"))
    assert "awaits moderation" in page.content() or "modération" in page.content()
    project = Project.objects.get(title="Jardin partagé rue de Bâle")
    assert project.status == Project.SUBMITTED and project.estimated_cost_cents == 1_800_000

    # A city reviewer accepts the idea and reviews it feasible with its cost.
    sign_in(page, live_server, "hugo", "/admin/civic_budget/project/")
    page.click(f"a[href='/admin/budget/review/{project.pk}/']")
    page.select_option("select[name=moderate-decision]", "accept")
    page.click("form:has(input[value=moderate]) button[type=submit]")
    page.wait_for_selector("#review-form")
    page.select_option("select[name=review-feasible]", "yes")
    page.fill("input[name=review-reviewed_cost]", "21500")
    page.fill("textarea[name=review-reason]", "Un point d'eau en plus.")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("form:has(input[value=ballot])")
    project.refresh_from_db()
    assert (project.status, project.reviewed_cost_cents) == (Project.FEASIBLE, 2_150_000)

    # The public page shows the review in the project's timeline.
    page.goto(f"{live_server.url}{budget.url}projets/{project.pk}/")
    assert "21" in page.inner_text(".facts") and "Un point d'eau en plus." in page.content()


def test_knapsack_ballot_refused_over_budget_then_cast_and_changed(
    page, live_server, wagtail_roots, axe_violations
):
    process, zones, projects = factories.city(phases.VOTE)
    budget = budget_page(process)
    factories.UserFactory(username="camille")
    sign_in(page, live_server, "camille", budget.url + "voter/")
    assert axe_violations(page) == []

    page.select_option("select[name=zone]", str(zones["north"].pk))
    page.fill("input[name=first_name]", "Camille")
    page.fill("input[name=last_name]", "Durand")
    page.fill("input[name=birth_date]", "1990-05-17")
    page.check("input[name=resides_in_city]")
    north = page.locator(f"fieldset[data-zone='{zones['north'].pk}']")
    for cost in (30, 40, 50):
        page.check(f"input[name=project_{projects[('Nord', cost)].pk}]")
    # The running total warns before sending: 120,000 EUR chosen for a 100,000 EUR budget.
    total = north.locator("[data-total]")
    assert "120" in total.inner_text() and "100" in total.inner_text()
    assert "is-over" in total.get_attribute("class")
    page.click("form[data-ballot] button[type=submit]")
    page.wait_for_selector("#ballot-refusals")
    assert not Ballot.objects.exists()
    refusal = page.inner_text("#ballot-refusals")
    assert "100" in refusal and "120" in refusal

    page.uncheck(f"input[name=project_{projects[('Nord', 50)].pk}]")
    page.check("input[name=resides_in_city]")
    assert "is-over" not in total.get_attribute("class")
    page.check(f"input[name=project_{projects[('Toute la ville', 100)].pk}]")
    page.click("form[data-ballot] button[type=submit]")
    page.wait_for_selector("#ballot-choices")
    chosen = page.inner_text("#ballot-choices")
    assert "Nord 30k" in chosen and "Nord 40k" in chosen and "Toute la ville 100k" in chosen
    assert Ballot.objects.get().choices.count() == 3

    # The voter changes the ballot: the last one counts.
    page.goto(f"{live_server.url}{budget.url}voter/")
    page.uncheck(f"input[name=project_{projects[('Nord', 30)].pk}]")
    page.uncheck(f"input[name=project_{projects[('Nord', 40)].pk}]")
    page.check(f"input[name=project_{projects[('Nord', 50)].pk}]")
    page.fill("input[name=first_name]", "Camille")
    page.fill("input[name=last_name]", "Durand")
    page.fill("input[name=birth_date]", "1990-05-17")
    page.check("input[name=resides_in_city]")
    page.click("form[data-ballot] button[type=submit]")
    page.wait_for_selector("#ballot-choices")
    ballot = Ballot.objects.get()
    assert ballot.version == 2
    assert sorted(ballot.choices.values_list("project__title", flat=True)) == [
        "Nord 50k",
        "Toute la ville 100k",
    ]


def fill_paper_ballot(page, zone, project_ids):
    page.select_option("select[name=zone]", str(zone.pk))
    page.fill("input[name=first_name]", "Jeanne")
    page.fill("input[name=last_name]", "Keller")
    page.fill("input[name=birth_date]", "1958-11-02")
    page.check("input[name=resides_in_city]")
    for pk in project_ids:
        page.check(f"input[name=project_{pk}]")


def test_paper_ballot_entered_then_confirmed_by_a_second_agent(page, live_server, wagtail_roots):
    process, zones, projects = factories.city(phases.VOTE)
    place = factories.PollingPlaceFactory(process=process, name="Mairie annexe Nord")
    for username in ("ines", "yann"):
        factories.polling_agent(place, username)
    choices = [projects[("Nord", 40)].pk, projects[("Toute la ville", 150)].pk]

    sign_in(page, live_server, "ines", "/admin/budget/paper/")
    fill_paper_ballot(page, zones["north"], choices)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("#pending-entries li a, #pending-entries li")
    entry = PaperBallotEntry.objects.get()
    assert entry.status == PaperBallotEntry.AWAITING and not Ballot.objects.exists()

    sign_in(page, live_server, "yann", "/admin/budget/paper/")
    page.click(f"a[href='/admin/budget/paper/{entry.pk}/confirm/']")
    fill_paper_ballot(page, zones["north"], choices)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/budget/paper/\?place=\d+$"))
    entry.refresh_from_db()
    assert entry.status == PaperBallotEntry.CONFIRMED
    ballot = Ballot.objects.get()
    assert (ballot.method, ballot.polling_place_id) == ("paper", place.pk)
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted(choices)
