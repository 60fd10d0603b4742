"""Ideas, moderation, feasibility review, merges, dialogue, ballot and implementation."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from civic_budget import phases, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import MEMBERS, Project, ProjectEvent
from civic_core.records import AppendOnlyError
from tests.budget import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas_city():
    return factories.city(phases.IDEAS)


def submit(process, zone, user, title="Jardin partagé", cost=20_000_00):
    return workflow.submit_idea(
        user, process, zone, title, "Des bacs et un composteur.", cost, "Rue Vauban"
    )


def test_idea_goes_through_moderation_and_review(ideas_city, resident):
    process, zones, _projects = ideas_city
    reviewer = factories.reviewer()
    project = submit(process, zones["north"], resident)
    assert project.status == Project.SUBMITTED
    assert not Project.objects.public().filter(pk=project.pk).exists()
    workflow.moderate(reviewer, project, True)
    workflow.review(reviewer, project, True, 25_000_00, "Coût des bacs en bois.")
    project.refresh_from_db()
    assert (project.status, project.reviewed_cost_cents, project.cost_cents) == (
        Project.FEASIBLE,
        25_000_00,
        25_000_00,
    )
    workflow.put_on_ballot(reviewer, project)
    project.refresh_from_db()
    assert project.status == Project.ON_BALLOT
    kinds = list(project.events.values_list("kind", "to_status"))
    assert kinds == [
        ("submitted", ""),
        ("accepted", "under_review"),
        ("reviewed", "feasible"),
        ("on_ballot", "on_ballot"),
    ]


def test_refusal_and_unfeasibility_need_a_public_reason(ideas_city, resident):
    process, zones, _projects = ideas_city
    reviewer = factories.reviewer()
    project = submit(process, zones["north"], resident)
    with pytest.raises(BudgetError, match="public reason"):
        workflow.moderate(reviewer, project, False, "  ")
    workflow.moderate(reviewer, project, True)
    with pytest.raises(BudgetError, match="public reason"):
        workflow.review(reviewer, project, False)
    with pytest.raises(BudgetError, match="reviewed cost"):
        workflow.review(reviewer, project, True, None)
    with pytest.raises(BudgetError, match="exceeds the budget"):
        workflow.review(reviewer, project, True, zones["north"].budget_cents + 1)
    workflow.review(reviewer, project, False, reason="Terrain privé.")
    project.refresh_from_db()
    assert project.status == Project.UNFEASIBLE and project.public_reason == "Terrain privé."
    with pytest.raises(BudgetError, match="not possible"):
        workflow.put_on_ballot(reviewer, project)


def test_only_reviewers_review(ideas_city, resident):
    process, zones, _projects = ideas_city
    project = submit(process, zones["north"], resident)
    for user in (resident, AnonymousUser()):
        with pytest.raises(BudgetError) as raised:
            workflow.moderate(user, project, True)
        assert raised.value.code == BudgetError.FORBIDDEN
    project.refresh_from_db()
    assert project.status == Project.SUBMITTED


def test_object_permission_lets_a_service_review_one_project(ideas_city, resident):
    from guardian.shortcuts import assign_perm

    process, zones, _projects = ideas_city
    mine, other = (
        submit(process, zones["north"], resident),
        submit(process, zones["north"], resident),
    )
    agent = factories.UserFactory(username="voirie")
    assign_perm("civic_budget.review_project", agent, mine)
    workflow.moderate(agent, mine, True)
    with pytest.raises(BudgetError):
        workflow.moderate(agent, other, True)


def test_merge_duplicates(ideas_city, resident):
    process, zones, _projects = ideas_city
    reviewer = factories.reviewer()
    kept = submit(process, zones["north"], resident)
    duplicate = submit(process, zones["north"], resident, "Jardin partagé (bis)")
    elsewhere = submit(process, zones["south"], resident, "Jardin au sud")
    with pytest.raises(BudgetError, match="same zone"):
        workflow.merge(reviewer, duplicate, elsewhere)
    workflow.merge(reviewer, duplicate, kept, "Même idée.")
    duplicate.refresh_from_db()
    assert duplicate.status == Project.MERGED and duplicate.merged_into == kept
    assert kept.events.filter(kind="absorbed").exists()


def test_dialogue_is_visible_to_proposer_and_reviewers_only(ideas_city, resident):
    process, zones, _projects = ideas_city
    reviewer = factories.reviewer()
    project = submit(process, zones["north"], resident)
    workflow.post_message(reviewer, project, "Où exactement ?")
    workflow.post_message(resident, project, "Au coin de la rue.")
    workflow.add_internal_note(reviewer, project, "Voir avec les espaces verts.")
    stranger = factories.UserFactory(username="stranger")
    with pytest.raises(BudgetError):
        workflow.post_message(stranger, project, "Moi aussi !")
    assert workflow.visible_levels(stranger, project) == ("public",)
    assert workflow.visible_levels(resident, project) == ("public", "members")
    assert "internal" in workflow.visible_levels(reviewer, project)
    assert ProjectEvent.objects.filter(project=project, visibility=MEMBERS).count() == 2


def test_ideas_only_during_the_idea_phase(city, resident):
    process, zones, _projects = city
    with pytest.raises(BudgetError, match="idea phase"):
        submit(process, zones["north"], resident)


def test_ballot_is_fixed_once_the_vote_opens(city):
    process, zones, _projects = city
    project = factories.ProjectFactory(zone=zones["north"], status=Project.FEASIBLE)
    with pytest.raises(BudgetError, match="before the vote opens"):
        workflow.put_on_ballot(factories.reviewer(), project)


def test_outcome_and_implementation():
    process, zones, projects = factories.city(phases.RESULTS)
    reviewer = factories.reviewer()
    project = projects[("Nord", 30)]
    with pytest.raises(BudgetError, match="not possible"):
        workflow.add_milestone(reviewer, project, "Études")
    workflow.declare_outcome(reviewer, project, True)
    milestone = workflow.add_milestone(reviewer, project, "Études", date(2026, 3, 1))
    workflow.complete_milestone(reviewer, milestone, date(2026, 3, 2))
    with pytest.raises(BudgetError, match="already done"):
        workflow.complete_milestone(reviewer, milestone, date(2026, 3, 3))
    with pytest.raises(BudgetError, match="percentage"):
        workflow.set_progress(reviewer, project, 120)
    workflow.set_progress(reviewer, project, 40)
    project.refresh_from_db()
    assert project.status == Project.SELECTED and project.progress_percent == 40
    assert list(project.events.values_list("kind", flat=True))[-3:] == [
        "milestone_planned",
        "milestone_done",
        "progress",
    ]


def test_outcome_waits_for_the_close_of_the_vote(city):
    process, zones, projects = city
    with pytest.raises(BudgetError, match="after the vote closes"):
        workflow.declare_outcome(factories.reviewer(), projects[("Nord", 30)], True)


def test_timeline_is_append_only(ideas_city, resident):
    process, zones, _projects = ideas_city
    event = submit(process, zones["north"], resident).events.get()
    event.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
