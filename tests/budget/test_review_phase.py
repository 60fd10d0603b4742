"""The feasibility review closes when the vote opens (issue 14): workflow, API and member space."""

import pytest
from rest_framework.test import APIClient

from civic_budget import phases, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import Project
from tests.budget import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    return factories.reviewer()


def reviewable(phase):
    process, zones, _projects = factories.city(phase)
    return factories.ProjectFactory(zone=zones["north"], status=Project.FEASIBLE)


@pytest.mark.parametrize("phase", [phases.IDEAS, phases.REVIEW])
def test_a_review_is_possible_before_the_vote(reviewer, phase):
    project = reviewable(phase)
    workflow.review(reviewer, project, True, reviewed_cost_cents=35_000_00)
    project.refresh_from_db()
    assert project.reviewed_cost_cents == 35_000_00


@pytest.mark.parametrize(
    "phase", [phases.VOTE, phases.COUNTING, phases.RESULTS, phases.IMPLEMENTATION]
)
def test_a_review_is_refused_from_the_vote_on(reviewer, phase):
    project = reviewable(phase)
    with pytest.raises(BudgetError) as refused:
        workflow.perform("review", reviewer, project, {"feasible": False, "reason": "Too late."})
    assert refused.value.code == "conflict"
    assert "review" not in [action.name for action in workflow.available_actions(project, reviewer)]
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(reviewer)
    response = api.post(
        f"/api/budget/projects/{project.pk}/review/",
        {"feasible": True, "reviewed_cost_cents": 1_00},
        format="json",
    )
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.status == Project.FEASIBLE and project.reviewed_cost_cents is None
    assert project.events.filter(kind="reviewed").count() == 0


def test_the_member_space_refuses_a_late_review(reviewer, client):
    project = reviewable(phases.RESULTS)
    client.force_login(reviewer)
    response = client.post(
        f"/admin/budget/review/{project.pk}/",
        {"action": "review", "review-feasible": "no", "review-reason": "After the results."},
    )
    assert response.status_code == 200
    assert "The feasibility review closes when the vote opens." in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.FEASIBLE and project.public_reason == ""
