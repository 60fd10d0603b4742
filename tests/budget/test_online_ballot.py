"""Casting and changing an online ballot; every refusal stores nothing."""

from datetime import date

import pytest
from django.core import mail

from civic_budget import ballot_rules, phases, voting
from civic_budget.errors import BudgetError
from civic_budget.models import Ballot, BallotChoice, VoterRegistration
from tests.budget import factories

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not (
        Ballot.objects.exists()
        or BallotChoice.objects.exists()
        or VoterRegistration.objects.exists()
    )


def test_ballot_within_budgets_is_stored_anonymously(
    city, resident, django_capture_on_commit_callbacks
):
    process, zones, projects = city
    choices = {
        projects[("Nord", 30)].pk: 1,
        projects[("Nord", 50)].pk: 1,
        projects[("Toute la ville", 100)].pk: 1,
    }
    with django_capture_on_commit_callbacks(execute=True):
        outcome = voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), choices
        )
    assert not outcome.changed
    ballot = Ballot.objects.get()
    assert ballot.zone == zones["north"]
    assert ballot.method == "online"
    assert ballot.age_bucket == "35-49"
    assert dict(ballot.choices.values_list("project_id", "points")) == choices
    registration = VoterRegistration.objects.get()
    # No column relates the registration to the ballot or carries a readable identity.
    assert registration.identity_key != ballot.receipt_key
    assert "durand" not in registration.identity_key
    assert {field.name for field in Ballot._meta.get_fields()}.isdisjoint(
        {"user", "registration", "identity_key", "account_key", "created_at"}
    )
    assert len(mail.outbox) == 1
    # The e-mail says that the ballot was recorded, never what it holds.
    assert "recorded" in mail.outbox[0].body
    assert "Nord 30k" not in mail.outbox[0].body and "Toute la ville" not in mail.outbox[0].body


def test_the_confirmation_e_mail_is_plain_text(city, resident, django_capture_on_commit_callbacks):
    process, zones, projects = city
    process.title = "Budget d'été <2026>"
    process.save()
    with django_capture_on_commit_callbacks(execute=True):
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
        )
    message = mail.outbox[0]
    assert message.subject == "Your vote in Budget d'été <2026>"
    assert "“Budget d'été <2026>”" in message.body and "&#x27;" not in message.body
    assert message.to == [resident.email]


def test_the_last_ballot_counts(city, resident):
    process, zones, projects = city
    first = {projects[("Nord", 30)].pk: 1}
    second = {projects[("Nord", 40)].pk: 1, projects[("Nord", 50)].pk: 1}
    voting.submit_online_ballot(resident, process, factories.declaration(zones["north"]), first)
    outcome = voting.submit_online_ballot(
        resident, process, factories.declaration(zones["north"]), second
    )
    assert outcome.changed
    ballot = Ballot.objects.get()
    assert ballot.version == 2
    assert dict(ballot.choices.values_list("project_id", "points")) == second
    assert VoterRegistration.objects.count() == 1
    assert voting.current_ballot(resident, process) == ballot


@pytest.mark.parametrize(
    "case, expected",
    [
        ("over_budget", "more than the budget"),
        ("wrong_zone", "zone you do not vote in"),
        ("not_on_ballot", "is not on this ballot"),
        ("empty", "at least one project"),
    ],
)
def test_refused_ballots_say_why_and_store_nothing(city, resident, case, expected):
    process, zones, projects = city
    refused = factories.ProjectFactory(zone=zones["north"], status="feasible")
    choices = {
        "over_budget": {projects[("Nord", cost)].pk: 1 for cost in (30, 40, 50)},
        "wrong_zone": {projects[("Sud", 30)].pk: 1},
        "not_on_ballot": {refused.pk: 1},
        "empty": {},
    }[case]
    with pytest.raises(BudgetError) as raised:
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), choices
        )
    assert expected in " ".join(raised.value.messages)
    assert nothing_stored()


def test_count_rules_refuse_too_few_and_too_many(city, resident):
    process, zones, projects = city
    north = zones["north"]
    north.ballot_rule = ballot_rules.APPROVAL_COUNT
    north.min_choices, north.max_choices = 2, 2
    north.save()
    declaration = factories.declaration(north)
    with pytest.raises(BudgetError, match="at least 2 projects"):
        voting.submit_online_ballot(resident, process, declaration, {projects[("Nord", 30)].pk: 1})
    with pytest.raises(BudgetError, match="at most 2 projects"):
        voting.submit_online_ballot(
            resident, process, declaration, {projects[("Nord", c)].pk: 1 for c in (30, 40, 50)}
        )
    assert nothing_stored()
    voting.submit_online_ballot(
        resident, process, declaration, {projects[("Nord", c)].pk: 1 for c in (30, 40)}
    )
    assert Ballot.objects.count() == 1


def test_cumulative_points(city, resident):
    process, zones, projects = city
    south = zones["south"]
    south.ballot_rule = ballot_rules.CUMULATIVE
    south.points_total, south.max_points_per_project = 5, 3
    south.save()
    declaration = factories.declaration(south)
    with pytest.raises(BudgetError, match="you have 5"):
        voting.submit_online_ballot(
            resident,
            process,
            declaration,
            {projects[("Sud", 30)].pk: 3, projects[("Sud", 40)].pk: 3},
        )
    with pytest.raises(BudgetError, match="at most 3 points"):
        voting.submit_online_ballot(resident, process, declaration, {projects[("Sud", 30)].pk: 4})
    assert nothing_stored()
    voting.submit_online_ballot(
        resident, process, declaration, {projects[("Sud", 30)].pk: 3, projects[("Sud", 40)].pk: 2}
    )
    assert sorted(BallotChoice.objects.values_list("points", flat=True)) == [2, 3]


@pytest.mark.parametrize("phase", [phases.REVIEW, phases.COUNTING, phases.RESULTS])
def test_outside_the_vote_phase(resident, phase):
    process, zones, projects = factories.city(phase)
    with pytest.raises(BudgetError, match="not open"):
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
        )
    assert nothing_stored()


@pytest.mark.parametrize(
    "declared, expected",
    [
        ({"birth": date(2012, 1, 2)}, "at least 16 years old"),
        ({"resides_in_city": False}, "Only residents"),
    ],
)
def test_ineligible_people_are_refused(city, resident, declared, expected):
    process, zones, projects = city
    with pytest.raises(BudgetError, match=expected) as raised:
        voting.submit_online_ballot(
            resident,
            process,
            factories.declaration(zones["north"], **declared),
            {projects[("Nord", 30)].pk: 1},
        )
    assert raised.value.code == BudgetError.FORBIDDEN
    assert nothing_stored()


def test_one_ballot_per_person_across_accounts(city, resident):
    process, zones, projects = city
    choice = {projects[("Nord", 30)].pk: 1}
    voting.submit_online_ballot(resident, process, factories.declaration(zones["north"]), choice)
    other_account = factories.UserFactory(username="camille2")
    same_person = factories.declaration(zones["north"], first_name="CAMILLE ", last_name="Durand")
    with pytest.raises(BudgetError, match="another account"):
        voting.submit_online_ballot(other_account, process, same_person, choice)
    with pytest.raises(BudgetError, match="another person"):
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"], first_name="Paul"), choice
        )
    assert Ballot.objects.count() == VoterRegistration.objects.count() == 1


def test_anonymous_users_cannot_vote(city):
    from django.contrib.auth.models import AnonymousUser

    process, zones, projects = city
    with pytest.raises(BudgetError, match="Sign in"):
        voting.submit_online_ballot(
            AnonymousUser(),
            process,
            factories.declaration(zones["north"]),
            {projects[("Nord", 30)].pk: 1},
        )
    assert nothing_stored()
