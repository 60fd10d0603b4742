"""While the votes are counted, residents do not learn who won: statuses, reasons, outcome
events and the status filter keep the outcome until the results are published."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from civic_budget import permissions, phases, workflow
from civic_budget.models import Project, ProjectEvent
from tests.budget import factories
from tests.budget.conftest import add_budget_page

pytestmark = pytest.mark.django_db
API = "/api/budget"


def declared(phase):
    process, zones, projects = factories.city(phase)
    manager = factories.reviewer()
    winner, loser = projects[("Nord", 30)], projects[("Nord", 40)]
    workflow.declare_outcome(manager, winner, True, "Most votes.")
    workflow.declare_outcome(manager, loser, False, "Budget spent.")
    workflow.add_milestone(manager, winner, "Benches installed")
    return process, winner, loser, manager


def api(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("user", [None, "resident"])
def test_the_api_hides_outcomes_from_residents_while_counting(user):
    process, winner, loser, _manager = declared(phases.COUNTING)
    reader = factories.UserFactory(username="camille") if user else None
    client = api(reader)
    listed = {p["id"]: p for p in client.get(f"{API}/projects/").json()["results"]}
    assert listed[winner.pk]["status"] == listed[loser.pk]["status"] == Project.ON_BALLOT
    assert listed[winner.pk]["milestones"] == [] and listed[loser.pk]["public_reason"] == ""
    assert client.get(f"{API}/projects/", {"status": "selected"}).json()["count"] == 0
    assert client.get(f"{API}/projects/", {"status": "not_selected"}).json()["count"] == 0
    on_ballot = client.get(f"{API}/projects/", {"status": "on_ballot"}).json()["results"]
    assert winner.pk in {p["id"] for p in on_ballot}
    detail = client.get(f"{API}/projects/{loser.pk}/").json()
    assert detail["status"] == Project.ON_BALLOT and detail["public_reason"] == ""
    timeline = client.get(f"{API}/projects/{winner.pk}/timeline/").json()["results"]
    assert not any(event["kind"] in permissions.OUTCOME_EVENT_KINDS for event in timeline)
    assert ProjectEvent.objects.filter(project=winner, kind="outcome").exists()


def test_staff_see_outcomes_while_counting():
    process, winner, loser, manager = declared(phases.COUNTING)
    client = api(manager)
    assert client.get(f"{API}/projects/{winner.pk}/").json()["status"] == Project.SELECTED
    assert client.get(f"{API}/projects/", {"status": "selected"}).json()["count"] == 1
    kinds = {
        e["kind"] for e in client.get(f"{API}/projects/{winner.pk}/timeline/").json()["results"]
    }
    assert "outcome" in kinds


@pytest.mark.parametrize("phase", [phases.RESULTS, phases.IMPLEMENTATION])
def test_residents_see_outcomes_once_published(phase):
    process, winner, loser, _manager = declared(phase)
    client = api()
    assert client.get(f"{API}/projects/{winner.pk}/").json()["status"] == Project.SELECTED
    detail = client.get(f"{API}/projects/{loser.pk}/").json()
    assert detail["status"] == Project.NOT_SELECTED and detail["public_reason"] == "Budget spent."
    assert client.get(f"{API}/projects/", {"status": "selected"}).json()["count"] == 1
    kinds = {
        e["kind"] for e in client.get(f"{API}/projects/{winner.pk}/timeline/").json()["results"]
    }
    assert "outcome" in kinds and "milestone_planned" in kinds


def test_the_pages_hide_outcomes_while_counting():
    process, winner, loser, manager = declared(phases.COUNTING)
    page = add_budget_page(process)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    projects_url = page.url + page.reverse_subpage("projects")
    html = client.get(projects_url).content.decode()
    assert 'badge">Selected<' not in html and 'badge">Not selected<' not in html
    assert html.count('badge">On the ballot<') == 9
    html = client.get(projects_url, {"status": "selected"}).content.decode()
    assert "Nord 30k" not in html
    detail = client.get(page.url + page.reverse_subpage("project", args=[winner.pk]))
    html = detail.content.decode()
    assert "On the ballot" in html and "Most votes." not in html
    assert "Benches installed" not in html
    html = client.get(page.url + page.reverse_subpage("project", args=[loser.pk])).content.decode()
    assert "Budget spent." not in html
    client.force_login(manager)
    html = client.get(page.url + page.reverse_subpage("project", args=[winner.pk])).content.decode()
    assert 'badge">Selected<' in html and "Benches installed" in html


def test_the_hidden_outcome_follows_the_phase_table():
    """The SQL form of the phase table agrees with Process.resident_may in every phase."""
    for phase in phases.PHASE_ORDER:
        process = factories.ProcessFactory(phase=phase)
        from civic_budget.models import Process

        for action in (phases.SUBMIT_IDEA, phases.CAST_VOTE, phases.SEE_RESULTS):
            in_sql = Process.objects.filter(
                permissions.resident_may_q(action), pk=process.pk
            ).exists()
            assert in_sql == process.resident_may(action), (phase, action)
