"""Two ballots of one person at the same time leave exactly one (real threads, PostgreSQL)."""

import threading

import pytest
from django.db import connection

from civic_budget import voting
from civic_budget.errors import BudgetError
from civic_budget.models import Ballot, BallotChoice, VoterRegistration
from tests.budget import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roots_and_groups(wagtail_roots):
    """Transactional tests start from flushed tables: recreate the role groups."""


def _race(count, target):
    barrier = threading.Barrier(count)
    outcomes = []

    def run(index):
        try:
            barrier.wait()
            outcomes.append(target(index))
        except Exception as error:  # noqa: BLE001 - every outcome is asserted on
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_ballots_of_one_person_leave_one(city, resident):
    process, zones, projects = city
    options = [projects[("Nord", cost)].pk for cost in (30, 40, 50)]

    def vote(index):
        choice = {options[index % 3]: 1}
        return voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), choice
        )

    outcomes = _race(6, vote)
    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert VoterRegistration.objects.count() == 1
    ballot = Ballot.objects.get()
    assert ballot.version == 6
    assert BallotChoice.objects.filter(ballot=ballot).count() == 1


def test_simultaneous_paper_and_online_ballots_leave_one(city, resident):
    process, zones, projects = city
    place = factories.PollingPlaceFactory(process=process)
    first = factories.polling_agent(place, "agent1")
    second = factories.polling_agent(place, "agent2")
    voter = factories.declaration(zones["north"])
    choice = {projects[("Nord", 30)].pk: 1}
    entry = voting.enter_paper_ballot(first, place, voter, choice)

    def cast(index):
        if index == 0:
            return voting.confirm_paper_ballot(second, entry, voter, choice)
        return voting.submit_online_ballot(resident, process, voter, choice)

    outcomes = _race(2, cast)
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert all(isinstance(error, BudgetError) for error in refused), refused
    assert VoterRegistration.objects.count() == 1
    assert Ballot.objects.count() == 1
