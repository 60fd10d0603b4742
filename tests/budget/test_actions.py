"""The one table of project actions: what it offers, and that every layer reads it."""

import pytest
from rest_framework.test import APIClient

from civic_budget import forms, phases, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import Project
from tests.budget import factories

pytestmark = pytest.mark.django_db


def names(project, user):
    return [declared.name for declared in workflow.available_actions(project, user)]


def test_every_action_has_a_form_and_declares_what_the_service_takes():
    assert set(forms.ACTION_FORMS) == set(workflow.ACTIONS)
    for declared in workflow.ACTIONS.values():
        assert declared.statuses and declared.label


def test_a_reviewer_is_offered_what_the_status_allows():
    process, zones, _projects = factories.city(phases.REVIEW)
    reviewer = factories.reviewer()
    project = factories.ProjectFactory(zone=zones["north"], status=Project.SUBMITTED)
    assert names(project, reviewer) == ["moderate", "merge", "message", "note"]
    project.status = Project.FEASIBLE
    assert names(project, reviewer) == ["review", "ballot", "merge", "message", "note"]
    project.status = Project.SELECTED
    assert names(project, reviewer) == ["message", "note", "milestone", "complete", "progress"]


def test_phase_guards_hide_what_the_service_would_refuse():
    process, zones, _projects = factories.city(phases.VOTE)
    reviewer = factories.reviewer()
    feasible = factories.ProjectFactory(zone=zones["north"], status=Project.FEASIBLE)
    on_ballot = factories.ProjectFactory(zone=zones["north"], status=Project.ON_BALLOT)
    assert "ballot" not in names(feasible, reviewer)
    assert "outcome" not in names(on_ballot, reviewer)
    with pytest.raises(BudgetError, match="before the vote opens") as raised:
        workflow.perform("ballot", reviewer, feasible)
    assert raised.value.code == BudgetError.CONFLICT


def test_residents_are_offered_only_the_dialogue_on_their_own_idea(resident):
    process, zones, _projects = factories.city(phases.IDEAS)
    own = factories.ProjectFactory(zone=zones["north"], proposer=resident)
    other = factories.ProjectFactory(zone=zones["north"])
    assert names(own, resident) == ["message"]
    assert names(other, resident) == []
    with pytest.raises(BudgetError) as raised:
        workflow.perform("moderate", resident, other, {"accept": True})
    assert raised.value.code == BudgetError.FORBIDDEN


def test_perform_passes_only_the_declared_inputs():
    process, zones, _projects = factories.city(phases.REVIEW)
    reviewer = factories.reviewer()
    project = factories.ProjectFactory(zone=zones["north"], status=Project.SUBMITTED)
    workflow.perform("moderate", reviewer, project, {"accept": True, "unknown": 1})
    project.refresh_from_db()
    assert project.status == Project.UNDER_REVIEW
    with pytest.raises(BudgetError) as raised:
        workflow.perform("no-such-action", reviewer, project)
    assert raised.value.code == BudgetError.NOT_FOUND


def test_the_review_page_shows_the_actions_of_the_table(client):
    process, zones, _projects = factories.city(phases.REVIEW)
    project = factories.ProjectFactory(zone=zones["north"], status=Project.SUBMITTED)
    client.force_login(factories.reviewer())
    html = client.get(f"/admin/budget/review/{project.pk}/").content.decode()
    assert 'value="moderate"' in html and 'value="merge"' in html
    assert 'value="review"' not in html and 'value="ballot"' not in html
    assert client.post(f"/admin/budget/review/{project.pk}/", {"action": "nope"}).status_code == 404


def test_the_api_lists_the_caller_s_actions_on_a_project():
    process, zones, projects = factories.city(phases.REVIEW)
    project = factories.ProjectFactory(zone=zones["north"], status=Project.FEASIBLE)
    reviewer = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    reviewer.force_authenticate(factories.reviewer())
    body = reviewer.get(f"/api/budget/projects/{project.pk}/").json()
    assert body["actions"] == ["review", "ballot", "merge", "message", "note"]
    after = reviewer.post(f"/api/budget/projects/{project.pk}/put-on-ballot/").json()
    assert after["status"] == "on_ballot" and after["actions"] == ["message", "note"]
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.get(f"/api/budget/projects/{project.pk}/").json()["actions"] == []


def test_a_refusal_is_answered_in_the_shared_error_shape():
    process, zones, projects = factories.city(phases.VOTE)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(factories.reviewer())
    url = f"/api/budget/projects/{projects[('Nord', 30)].pk}/moderate/"
    response = client.post(url, {"reason": "x"}, format="json")
    assert response.status_code == 400 and "accept" in response.json()["error"]["fields"]
    response = client.post(url, {"accept": True}, format="json")
    error = response.json()["error"]
    assert response.status_code == 409 and error["code"] == BudgetError.CONFLICT
    assert "not possible" in error["message"]
