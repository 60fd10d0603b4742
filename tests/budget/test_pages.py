"""The public pages of a process, served by the BudgetPage."""

import pytest
from django.core import mail
from django.test import Client

from civic_budget import phases, voting, workflow
from civic_budget.models import Ballot, Project
from tests.budget import factories
from tests.budget.conftest import add_budget_page

pytestmark = pytest.mark.django_db


def vote_form(zone, choices, first_name="Camille"):
    data = {
        "zone": zone.pk,
        "first_name": first_name,
        "last_name": "Durand",
        "birth_date": "1990-05-17",
        "resides_in_city": "on",
    }
    data.update({f"project_{project.pk}": "on" for project in choices})
    return data


def test_overview_shows_phase_zones_and_actions(client, budget_page):
    html = client.get(budget_page.url).content.decode()
    assert "Nord" in html and "Toute la ville" in html
    assert "voter/" in html  # the vote is open


def test_project_list_filters_and_hides_ideas_awaiting_moderation(client, city, budget_page):
    process, zones, projects = city
    proposer = factories.UserFactory(username="proposer")
    factories.ProjectFactory(
        zone=zones["north"], status=Project.SUBMITTED, title="Idée secrète", proposer=proposer
    )
    url = budget_page.url + "projets/"
    html = client.get(url, {"zone": zones["north"].pk}).content.decode()
    assert "Nord 30k" in html and "Sud 30k" not in html and "Idée secrète" not in html
    assert "Sud 40k" in client.get(url, {"q": "Sud 4"}).content.decode()
    client.force_login(proposer)
    assert "Idée secrète" in client.get(url).content.decode()


def test_idea_submission_page():
    process, zones, _projects = factories.city(phases.IDEAS)
    page = add_budget_page(process)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = page.url + "proposer/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(factories.UserFactory(username="proposer"))
    response = client.post(
        url,
        {
            "zone": zones["south"].pk,
            "title": "Composteur collectif",
            "description": "Pour les déchets verts de l'immeuble.",
            "location": "Cour de la rue de Bâle",
            "estimated_cost": "4500.50",
        },
    )
    project = Project.objects.get(title="Composteur collectif")
    assert response.status_code == 302 and response["Location"].endswith(f"projets/{project.pk}/")
    assert project.estimated_cost_cents == 450_050 and project.status == Project.SUBMITTED
    invalid = client.post(url, {"zone": zones["south"].pk, "title": "", "estimated_cost": "-3"})
    assert invalid.status_code == 200 and Project.objects.count() == 10


def test_project_page_timeline_and_dialogue(client, city, budget_page):
    process, zones, projects = city
    proposer = factories.UserFactory(username="proposer")
    project = factories.ProjectFactory(zone=zones["north"], proposer=proposer, title="Ruches")
    reviewer = factories.reviewer()
    workflow.post_message(reviewer, project, "Quel toit exactement ?")
    workflow.add_internal_note(reviewer, project, "Note interne confidentielle")
    url = f"{budget_page.url}projets/{project.pk}/"
    html = client.get(url).content.decode()
    assert "Ruches" in html and "Quel toit" not in html and "confidentielle" not in html
    assert client.post(url, {"body": "spam"}).status_code == 403
    client.force_login(proposer)
    html = client.get(url).content.decode()
    assert "Quel toit" in html and "confidentielle" not in html
    assert client.post(url, {"body": "Celui du gymnase."}).status_code == 302
    assert project.events.filter(kind="message", message="Celui du gymnase.").exists()


def test_vote_page_refuses_over_budget_then_records_and_changes(
    client, city, budget_page, django_capture_on_commit_callbacks
):
    process, zones, projects = city
    client.force_login(factories.UserFactory(username="voter", email="voter@example.org"))
    url = budget_page.url + "voter/"
    assert 'data-cost="3000000"' in client.get(url).content.decode()
    over = [projects[("Nord", cost)] for cost in (30, 40, 50)]
    html = client.post(url, vote_form(zones["north"], over)).content.decode()
    assert "more than the budget" in html and not Ballot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(url, vote_form(zones["north"], over[:2])).content.decode()
    assert "Nord 30k" in html and "Nord 40k" in html and Ballot.objects.count() == 1
    assert len(mail.outbox) == 1
    html = client.get(url).content.decode()
    assert "version 1" in html
    html = client.post(url, vote_form(zones["north"], over[2:])).content.decode()
    assert "replaces the previous one" in html
    ballot = Ballot.objects.get()
    assert list(ballot.choices.values_list("project__title", flat=True)) == ["Nord 50k"]


def test_vote_page_outside_the_vote():
    process, zones, _projects = factories.city(phases.REVIEW)
    page = add_budget_page(process)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.UserFactory(username="early"))
    assert "The vote is not open" in client.get(page.url + "voter/").content.decode()


def test_turnout_page_is_live_for_staff_only_during_the_vote(client, city, budget_page):
    process, zones, projects = city
    voting.submit_online_ballot(
        factories.UserFactory(username="v1"),
        process,
        factories.declaration(zones["north"]),
        {projects[("Nord", 30)].pk: 1},
    )
    url = budget_page.url + "participation/"
    assert client.get(url).status_code == 403
    client.force_login(factories.reviewer())
    html = client.get(url).content.decode()
    assert "budget-bar" in html and "Nord" in html


def test_results_and_implementation_after_the_vote(client):
    process, zones, projects = factories.city(phases.RESULTS)
    page = add_budget_page(process)
    reviewer = factories.reviewer()
    winner = projects[("Nord", 30)]
    workflow.declare_outcome(reviewer, winner, True)
    workflow.declare_outcome(reviewer, projects[("Nord", 40)], False, "Budget épuisé.")
    workflow.add_milestone(reviewer, winner, "Pose des bancs")
    html = client.get(page.url + "resultats/").content.decode()
    assert "Budget épuisé." in html and "Nord 30k" in html
    assert client.get(page.url + "participation/").status_code == 200
    html = client.get(page.url + "realisation/").content.decode()
    assert "Pose des bancs" in html and "Nord 40k" not in html
