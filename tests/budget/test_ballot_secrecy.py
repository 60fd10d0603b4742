"""Ballot secrecy (issue 14): what the e-mail says, unlinkable ballots, plausible birth dates."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from civic_budget import identity, results, voting
from civic_budget.errors import BudgetError
from civic_budget.models import Ballot, BallotChoice, VoterRegistration
from tests.budget import factories

pytestmark = pytest.mark.django_db


def cast(process, zone, picks, number, **declared):
    user = factories.UserFactory(username=f"secret{number}")
    voting.submit_online_ballot(
        user,
        process,
        factories.declaration(zone, first_name=f"Voter{number}", **declared),
        {project.pk: 1 for project in picks},
    )
    return user


# The confirmation e-mail ------------------------------------------------------------------------


def test_resubmissions_send_one_e_mail_without_the_choices(
    city, resident, django_capture_on_commit_callbacks
):
    process, zones, projects = city
    options = [projects[("Nord", 30)], projects[("Nord", 40)], projects[("Nord", 50)]]
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(6):
            voting.submit_online_ballot(
                resident,
                process,
                factories.declaration(zones["north"]),
                {options[attempt % 3].pk: 1},
            )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "is recorded" in body
    assert not any(project.title in body for project in projects.values())
    assert Ballot.objects.get().version == 6


def test_a_change_after_the_interval_sends_a_notice_without_contents(
    city, resident, django_capture_on_commit_callbacks
):
    process, zones, projects = city
    declared = factories.declaration(zones["north"])
    with django_capture_on_commit_callbacks(execute=True):
        voting.submit_online_ballot(resident, process, declared, {projects[("Nord", 30)].pk: 1})
    VoterRegistration.objects.update(notified_at=timezone.now() - timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        voting.submit_online_ballot(resident, process, declared, {projects[("Nord", 50)].pk: 1})
        voting.submit_online_ballot(resident, process, declared, {projects[("Nord", 40)].pk: 1})
    assert len(mail.outbox) == 2
    assert "was changed" in mail.outbox[1].body
    assert "Nord 50k" not in mail.outbox[1].body and "Nord 40k" not in mail.outbox[1].body


def test_the_e_mail_is_queued_as_a_task_after_commit(
    city, resident, django_capture_on_commit_callbacks
):
    process, zones, projects = city
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
        )
    assert len(callbacks) == 1 and mail.outbox == []


def test_the_voter_sees_their_choices_on_the_ballot_page(city, resident, budget_page, client):
    process, zones, projects = city
    chosen = projects[("Nord", 40)]
    voting.submit_online_ballot(
        resident, process, factories.declaration(zones["north"]), {chosen.pk: 1}
    )
    client.force_login(resident)
    html = client.get(budget_page.url + "voter/").content.decode()
    boxes = {
        int(match[1]): "checked" in match[0]
        for match in re.finditer(r'<input[^>]*name="project_(\d+)"[^>]*>', html)
    }
    assert boxes[chosen.pk] and not boxes[projects[("Nord", 30)].pk]


# Ballots and registrations cannot be matched by order or time ------------------------------------


def test_ballots_and_choices_do_not_follow_the_order_of_registrations(city):
    process, zones, projects = city
    for number in range(25):
        cast(process, zones["north"], [projects[("Nord", 30)]], number)
    # The test holds the secret, so it can follow each registration to its ballot; the keys of
    # the ballots, in the order the registrations were written, must not be ordered too.
    in_voting_order = [
        Ballot.objects.get(receipt_key=identity.receipt_key(process.pk, key))
        for key in VoterRegistration.objects.order_by("pk").values_list("identity_key", flat=True)
    ]
    ballot_ids = [ballot.pk for ballot in in_voting_order]
    choice_ids = [ballot.choices.get().pk for ballot in in_voting_order]
    # Random 63-bit keys: 25 of them in voting order would be a 1 in 25! coincidence.
    assert ballot_ids != sorted(ballot_ids) and ballot_ids != sorted(ballot_ids, reverse=True)
    assert choice_ids != sorted(choice_ids) and choice_ids != sorted(choice_ids, reverse=True)
    assert all(key > 2**20 for key in ballot_ids + choice_ids)


def test_no_time_on_ballots_and_only_the_day_on_registrations():
    def timed(model):
        return [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.DateTimeField | models.DateField | models.TimeField)
        ]

    assert timed(Ballot) == [] and timed(BallotChoice) == []
    assert timed(VoterRegistration) == ["registered_on", "notified_at"]
    assert type(VoterRegistration._meta.get_field("registered_on")) is models.DateField


def test_the_count_does_not_depend_on_ballot_keys(city):
    process, zones, projects = city
    for number, picks in enumerate(
        [[("Nord", 50), ("Nord", 40)], [("Nord", 30)], [("Nord", 50)], [("Nord", 40)]]
    ):
        cast(process, zones["north"], [projects[pick] for pick in picks], number)
    before = results.frozen_ballots(process)
    rule = results.RULES["mes_add1"]
    on_ballot = [projects[("Nord", cost)] for cost in (30, 40, 50)]
    voters = {zones["north"].pk}
    counted = results.counting.count(
        results.election_for(zones["north"], before, on_ballot, voters), rule
    )
    # Give every ballot a new key, as the migration did to existing ballots.
    for ballot in list(Ballot.objects.all()):
        choices = list(ballot.choices.values_list("project_id", "points"))
        ballot.delete()
        ballot.pk = None
        ballot.id = 1 + len(choices) + ballot.version  # small, ordered keys this time
        while Ballot.objects.filter(pk=ballot.id).exists():
            ballot.id += 1
        ballot.save(force_insert=True)
        for project_id, points in choices:
            BallotChoice.objects.create(ballot=ballot, project_id=project_id, points=points)
    after = results.frozen_ballots(process)
    assert sorted(before) != sorted(after)
    assert results.ballots_hash(after) == results.ballots_hash(before)
    recounted = results.counting.count(
        results.election_for(zones["north"], after, on_ballot, voters), rule
    )
    assert recounted.input_hash == counted.input_hash
    assert recounted.winners == counted.winners


# Plausible birth dates -------------------------------------------------------------------------


@pytest.mark.parametrize("birth", [date(1, 1, 1), date(1890, 1, 1), date.today() + timedelta(1)])
def test_an_implausible_birth_date_is_refused_by_the_domain(city, resident, birth):
    process, zones, projects = city
    with pytest.raises(BudgetError) as refused:
        voting.submit_online_ballot(
            resident,
            process,
            factories.declaration(zones["north"], birth=birth),
            {projects[("Nord", 30)].pk: 1},
        )
    assert refused.value.code == "invalid" and "birth_date" in refused.value.fields
    assert not VoterRegistration.objects.exists() and not Ballot.objects.exists()


def test_an_implausible_birth_date_is_refused_by_the_api_and_the_form(
    city, resident, budget_page, client
):
    process, zones, projects = city
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(resident)
    body = {
        "zone": zones["north"].pk,
        "first_name": "Camille",
        "last_name": "Durand",
        "birth_date": "0001-01-01",
        "resides_in_city": True,
        "choices": [{"project": projects[("Nord", 30)].pk}],
    }
    response = api.post(f"/api/budget/processes/{process.pk}/ballot/", body, format="json")
    assert response.status_code == 400
    assert "birth_date" in response.json()["error"]["fields"]
    client.force_login(resident)
    page = client.post(
        budget_page.url + "voter/",
        {
            "zone": zones["north"].pk,
            "first_name": "Camille",
            "last_name": "Durand",
            "birth_date": "0001-01-01",
            "resides_in_city": "on",
            f"project_{projects[('Nord', 30)].pk}": "on",
        },
    )
    assert page.status_code == 200
    assert "not plausible" in page.content.decode()
    assert not VoterRegistration.objects.exists()
