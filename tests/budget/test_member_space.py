"""The member space: review of projects and paper ballots, through the services."""

import pytest

from civic_budget import phases, voting
from civic_budget.models import Ballot, PaperBallotEntry, Project
from tests.budget import factories

pytestmark = pytest.mark.django_db


def test_reviewer_moderates_and_reviews_a_project(client):
    process, zones, _projects = factories.city(phases.REVIEW)
    project = factories.ProjectFactory(
        zone=zones["north"], status=Project.SUBMITTED, title="Ruches"
    )
    client.force_login(factories.reviewer())
    listing = client.get("/admin/civic_budget/project/").content.decode()
    assert "Ruches" in listing and f"/admin/budget/review/{project.pk}/" in listing
    url = f"/admin/budget/review/{project.pk}/"
    client.post(url, {"action": "moderate", "moderate-decision": "accept"})
    refused = client.post(
        url, {"action": "review", "review-feasible": "yes", "review-reviewed_cost": ""}
    )
    assert "needs its reviewed cost" in refused.content.decode()
    client.post(
        url, {"action": "review", "review-feasible": "yes", "review-reviewed_cost": "12500"}
    )
    client.post(url, {"action": "ballot"})
    client.post(url, {"action": "message", "message-body": "Merci pour l'idée !"})
    project.refresh_from_db()
    assert (project.status, project.reviewed_cost_cents) == (Project.ON_BALLOT, 1_250_000)
    assert project.events.filter(kind="message", visibility="members").exists()


def test_residents_have_no_member_space(client, city):
    _process, _zones, projects = city
    client.force_login(factories.UserFactory(username="resident"))
    response = client.get(f"/admin/budget/review/{projects[('Nord', 30)].pk}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_two_agents_enter_and_confirm_a_paper_ballot(city):
    from django.test import Client

    process, zones, projects = city
    place = factories.PollingPlaceFactory(process=process)
    first, second = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(factories.polling_agent(place, "agent1"))
    second.force_login(factories.polling_agent(place, "agent2"))
    form = {
        "place": place.pk,
        "zone": zones["north"].pk,
        "first_name": "Jeanne",
        "last_name": "Keller",
        "birth_date": "1970-03-03",
        "resides_in_city": "on",
        f"project_{projects[('Nord', 30)].pk}": "on",
    }
    assert first.post("/admin/budget/paper/", form).status_code == 302
    entry = PaperBallotEntry.objects.get()
    assert not Ballot.objects.exists()
    page = second.get("/admin/budget/paper/").content.decode()
    assert f"/admin/budget/paper/{entry.pk}/confirm/" in page
    wrong = dict(form, first_name="Jean")
    assert (
        "does not match"
        in second.post(f"/admin/budget/paper/{entry.pk}/confirm/", wrong).content.decode()
    )
    assert second.post(f"/admin/budget/paper/{entry.pk}/confirm/", form).status_code == 302
    assert Ballot.objects.get().method == "paper"


def test_agents_see_only_their_polling_place(client, city):
    process, zones, projects = city
    place = factories.PollingPlaceFactory(process=process)
    other = factories.PollingPlaceFactory(process=process)
    voting.enter_paper_ballot(
        factories.polling_agent(place, "agent1"),
        place,
        factories.declaration(zones["north"]),
        {projects[("Nord", 30)].pk: 1},
    )
    entry = PaperBallotEntry.objects.get()
    client.force_login(factories.polling_agent(other, "agent-other"))
    assert client.get(f"/admin/budget/paper/{entry.pk}/confirm/").status_code == 404
    page = client.get(f"/admin/budget/paper/?place={place.pk}").content.decode()
    assert other.name in page and f"/admin/budget/paper/{entry.pk}/confirm/" not in page


def test_the_frozen_ballots_hash_cannot_be_edited(client, city):
    from django.contrib.auth import get_user_model

    process = city[0]
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "x"))
    html = client.get(f"/admin/civic_budget/process/edit/{process.pk}/").content.decode()
    assert 'name="title"' in html and 'name="frozen_ballots_hash"' not in html


def test_implementation_is_followed_in_the_member_space(client):
    process, zones, projects = factories.city(phases.RESULTS)
    project = projects[("Sud", 40)]
    reviewer = factories.reviewer()
    from civic_budget import workflow

    workflow.declare_outcome(reviewer, project, True)
    client.force_login(reviewer)
    url = f"/admin/budget/review/{project.pk}/"
    client.post(
        url,
        {"action": "milestone", "milestone-title": "Travaux", "milestone-due_date": "2026-09-01"},
    )
    milestone = project.milestones.get()
    client.post(url, {"action": "complete", "milestone": milestone.pk})
    refused = client.post(url, {"action": "progress", "progress-percent": "140"})
    assert refused.status_code == 200
    client.post(
        url, {"action": "progress", "progress-percent": "35", "progress-message": "Chantier lancé."}
    )
    project.refresh_from_db()
    milestone.refresh_from_db()
    assert project.progress_percent == 35 and milestone.done_on is not None
    assert "Chantier lancé." in project.events.get(kind="progress").message
