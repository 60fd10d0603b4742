"""The budget API: reading, services behind the actions, errors and constant query counts."""

import pytest
from rest_framework.test import APIClient

from civic_budget import phases
from civic_budget.models import Ballot, PaperBallotEntry, Project
from tests.budget import factories

pytestmark = pytest.mark.django_db
API = "/api/budget"


def client_for(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def ballot_body(zone, choices, **declared):
    return {
        "zone": zone.pk,
        "first_name": declared.get("first_name", "Camille"),
        "last_name": "Durand",
        "birth_date": declared.get("birth_date", "1990-05-17"),
        "resides_in_city": True,
        "choices": [{"project": pk, "points": 1} for pk in choices],
    }


def test_processes_list_zones_and_phase(city):
    process, zones, _projects = city
    body = client_for().get(f"{API}/processes/").json()
    assert body["count"] == 1
    found = body["results"][0]
    assert found["phase"] == phases.VOTE
    assert {zone["name"] for zone in found["zones"]} == {"Toute la ville", "Nord", "Sud"}


def test_project_filters(city):
    process, zones, projects = city
    factories.ProjectFactory(zone=zones["north"], status=Project.SUBMITTED, title="Hidden idea")
    client = client_for()
    listed = client.get(f"{API}/projects/", {"zone": zones["north"].pk}).json()
    assert {p["title"] for p in listed["results"]} == {"Nord 30k", "Nord 40k", "Nord 50k"}
    found = client.get(f"{API}/projects/", {"q": "Sud 4"}).json()["results"]
    assert [p["title"] for p in found] == ["Sud 40k"]
    assert client.get(f"{API}/projects/", {"status": "submitted"}).json()["count"] == 0


def test_project_list_query_count_is_constant(city, django_assert_num_queries):
    process, zones, _projects = city
    for number in range(12):
        factories.ProjectFactory(zone=zones["south"], title=f"Extra {number}")
    client = client_for(factories.UserFactory(username="reader"))
    client.get(f"{API}/projects/", {"limit": 1})  # warm the session and content types
    with django_assert_num_queries(3) as small:
        client.get(f"{API}/projects/", {"limit": 2})
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(f"{API}/projects/", {"limit": 20})
    assert len(response.json()["results"]) == 20


def test_timeline_query_count_is_constant(city, django_assert_num_queries):
    process, zones, projects = city
    reviewer = factories.reviewer()
    project = projects[("Nord", 30)]
    from civic_budget import workflow

    for number in range(10):
        workflow.add_internal_note(reviewer, project, f"note {number}")
    client = client_for(reviewer)
    url = f"{API}/projects/{project.pk}/timeline/"
    client.get(url, {"limit": 1})
    with django_assert_num_queries(len(_captured(client, url, 2))):
        client.get(url, {"limit": 10})


def _captured(client, url, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url, {"limit": limit})
    return context.captured_queries


def test_idea_review_and_ballot_through_the_api():
    process, zones, _projects = factories.city(phases.IDEAS)
    resident = factories.UserFactory(username="proposer")
    reviewer = factories.reviewer()
    response = client_for(resident).post(
        f"{API}/projects/",
        {
            "process": process.pk,
            "zone": zones["north"].pk,
            "title": "Ruches",
            "description": "Des ruches sur le toit de l'école.",
            "location": "École Jean Zay",
            "estimated_cost_cents": 800_000,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client_for().get(f"{API}/projects/{pk}/").status_code == 404
    assert (
        client_for(resident).post(f"{API}/projects/{pk}/moderate/", {"accept": True}).status_code
        == 403
    )
    assert (
        client_for(reviewer).post(f"{API}/projects/{pk}/moderate/", {"accept": True}).status_code
        == 200
    )
    reviewed = client_for(reviewer).post(
        f"{API}/projects/{pk}/review/", {"feasible": True, "reviewed_cost_cents": 950_000}
    )
    assert reviewed.json()["status"] == "feasible" and reviewed.json()["cost_cents"] == 950_000
    assert (
        client_for(reviewer).post(f"{API}/projects/{pk}/put-on-ballot/").json()["status"]
        == "on_ballot"
    )
    timeline = client_for().get(f"{API}/projects/{pk}/timeline/").json()
    assert [event["kind"] for event in timeline["results"]] == [
        "submitted",
        "accepted",
        "reviewed",
        "on_ballot",
    ]


def test_invalid_input_is_a_clear_400(city):
    process, zones, _projects = city
    client = client_for(factories.UserFactory(username="fuzzy"))
    response = client.post(f"{API}/processes/{process.pk}/ballot/", {"zone": "x"}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"{API}/projects/{_projects[('Nord', 30)].pk}/review/", {"feasible": "maybe"}, format="json"
    )
    assert response.status_code == 400


def test_ballot_submit_change_and_read(city):
    process, zones, projects = city
    resident = factories.UserFactory(username="voter")
    client = client_for(resident)
    url = f"{API}/processes/{process.pk}/ballot/"
    assert client.get(url).status_code == 404
    first = client.post(
        url, ballot_body(zones["north"], [projects[("Nord", 30)].pk]), format="json"
    )
    assert first.status_code == 201, first.content
    second = client.post(
        url,
        ballot_body(zones["north"], [projects[("Nord", 50)].pk, projects[("Nord", 40)].pk]),
        format="json",
    )
    assert second.status_code == 200
    current = client.get(url).json()
    assert current["version"] == 2
    assert sorted(c["title"] for c in current["choices"]) == ["Nord 40k", "Nord 50k"]
    assert Ballot.objects.count() == 1


def test_refused_ballot_explains_and_stores_nothing(city):
    process, zones, projects = city
    client = client_for(factories.UserFactory(username="voter"))
    over = [projects[("Nord", cost)].pk for cost in (30, 40, 50)]
    response = client.post(
        f"{API}/processes/{process.pk}/ballot/", ballot_body(zones["north"], over), format="json"
    )
    assert response.status_code == 400
    assert "more than the budget" in response.content.decode()
    young = ballot_body(zones["north"], over[:1], birth_date="2015-01-01")
    response = client.post(f"{API}/processes/{process.pk}/ballot/", young, format="json")
    assert response.status_code == 403 and "16 years" in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_outside_the_vote_is_a_conflict():
    process, zones, projects = factories.city(phases.RESULTS)
    client = client_for(factories.UserFactory(username="late"))
    response = client.post(
        f"{API}/processes/{process.pk}/ballot/",
        ballot_body(zones["north"], [projects[("Nord", 30)].pk]),
        format="json",
    )
    assert response.status_code == 409 and "not open" in response.content.decode()


def test_paper_entries_through_the_api(city):
    process, zones, projects = city
    place = factories.PollingPlaceFactory(process=process)
    other = factories.PollingPlaceFactory(process=process)
    first = factories.polling_agent(place, "agent1")
    second = factories.polling_agent(place, "agent2")
    outsider = factories.polling_agent(other, "agent3")
    body = ballot_body(zones["north"], [projects[("Nord", 30)].pk])
    assert (
        client_for(outsider)
        .post(f"{API}/paper-entries/", {**body, "polling_place": place.pk}, format="json")
        .status_code
        == 403
    )
    created = client_for(first).post(
        f"{API}/paper-entries/", {**body, "polling_place": place.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    entry = created.json()["id"]
    assert (
        client_for(outsider)
        .post(f"{API}/paper-entries/{entry}/confirm/", body, format="json")
        .status_code
        == 404
    )
    assert [
        p["id"] for p in client_for(second).get(f"{API}/polling-places/").json()["results"]
    ] == [place.pk]
    confirmed = client_for(second).post(
        f"{API}/paper-entries/{entry}/confirm/", body, format="json"
    )
    assert confirmed.json()["status"] == PaperBallotEntry.CONFIRMED
    assert Ballot.objects.get().method == "paper"


def test_turnout_endpoint(city):
    process, _zones, _projects = city
    url = f"{API}/processes/{process.pk}/turnout/"
    assert client_for().get(url).status_code == 403
    body = client_for(factories.reviewer()).get(url).json()
    assert body["live"] is True
    assert {zone["name"] for zone in body["zones"]} == {"Toute la ville", "Nord", "Sud"}


def test_implementation_through_the_api():
    process, zones, projects = factories.city(phases.RESULTS)
    reviewer = factories.reviewer()
    client = client_for(reviewer)
    pk = projects[("Sud", 40)].pk
    assert (
        client.post(f"{API}/projects/{pk}/outcome/", {"selected": True}).json()["status"]
        == "selected"
    )
    milestone = client.post(
        f"{API}/projects/{pk}/milestones/", {"title": "Travaux", "due_date": "2026-06-01"}
    )
    assert milestone.status_code == 201
    done = client.post(
        f"{API}/milestones/{milestone.json()['id']}/complete/", {"done_on": "2026-06-03"}
    )
    assert done.json()["done_on"] == "2026-06-03"
    assert (
        client.post(f"{API}/projects/{pk}/progress/", {"percent": 70}).json()["progress_percent"]
        == 70
    )
    resident = client_for(factories.UserFactory(username="resident"))
    assert resident.post(f"{API}/projects/{pk}/progress/", {"percent": 90}).status_code == 403
