"""Paper ballots: typed by an agent of the polling place, confirmed by a second one."""

import pytest

from civic_budget import voting
from civic_budget.errors import BudgetError
from civic_budget.models import Ballot, PaperBallotEntry, VoterRegistration
from tests.budget import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(city):
    process, _zones, _projects = city
    return factories.PollingPlaceFactory(process=process, name="Mairie annexe Nord")


@pytest.fixture
def agents(place):
    return factories.polling_agent(place, "agent1"), factories.polling_agent(place, "agent2")


def test_double_entry_creates_one_paper_ballot(city, place, agents):
    process, zones, projects = city
    first, second = agents
    voter = factories.declaration(zones["north"], first_name="Jeanne", last_name="Keller")
    choices = {projects[("Nord", 30)].pk: 1, projects[("Toute la ville", 150)].pk: 1}
    entry = voting.enter_paper_ballot(first, place, voter, choices)
    assert not Ballot.objects.exists()
    assert entry.status == PaperBallotEntry.AWAITING
    # Only keyed digests are kept of the first entry.
    assert "keller" not in entry.identity_key and len(entry.entry_digest) == 64

    voting.confirm_paper_ballot(second, entry, voter, choices)
    entry.refresh_from_db()
    assert entry.status == PaperBallotEntry.CONFIRMED and entry.confirmed_by == second
    ballot = Ballot.objects.get()
    assert (ballot.method, ballot.polling_place, ballot.zone) == ("paper", place, zones["north"])
    assert dict(ballot.choices.values_list("project_id", "points")) == choices
    assert VoterRegistration.objects.get().method == "paper"


def test_a_mismatching_second_entry_is_refused_and_counted(city, place, agents):
    process, zones, projects = city
    first, second = agents
    voter = factories.declaration(zones["north"])
    entry = voting.enter_paper_ballot(first, place, voter, {projects[("Nord", 30)].pk: 1})
    with pytest.raises(BudgetError, match="does not match"):
        voting.confirm_paper_ballot(second, entry, voter, {projects[("Nord", 40)].pk: 1})
    entry.refresh_from_db()
    assert entry.mismatches == 1 and entry.status == PaperBallotEntry.AWAITING
    assert not Ballot.objects.exists()
    voting.confirm_paper_ballot(second, entry, voter, {projects[("Nord", 30)].pk: 1})
    assert Ballot.objects.count() == 1


def test_the_same_agent_cannot_confirm(city, place, agents):
    process, zones, projects = city
    first, _second = agents
    voter = factories.declaration(zones["north"])
    choices = {projects[("Nord", 30)].pk: 1}
    entry = voting.enter_paper_ballot(first, place, voter, choices)
    with pytest.raises(BudgetError, match="second agent"):
        voting.confirm_paper_ballot(first, entry, voter, choices)
    assert not Ballot.objects.exists()


def test_agents_work_only_for_their_polling_place(city, place, agents):
    process, zones, projects = city
    other_place = factories.PollingPlaceFactory(process=process, name="Mairie annexe Sud")
    outsider = factories.polling_agent(other_place, "agent-sud")
    voter = factories.declaration(zones["north"])
    choices = {projects[("Nord", 30)].pk: 1}
    with pytest.raises(BudgetError, match="only for your polling place"):
        voting.enter_paper_ballot(outsider, place, voter, choices)
    entry = voting.enter_paper_ballot(agents[0], place, voter, choices)
    with pytest.raises(BudgetError, match="only for your polling place"):
        voting.confirm_paper_ballot(outsider, entry, voter, choices)
    resident = factories.UserFactory(username="not-an-agent")
    with pytest.raises(BudgetError, match="only for your polling place"):
        voting.enter_paper_ballot(resident, place, voter, choices)
    assert not Ballot.objects.exists()


def test_paper_ballot_of_an_online_voter_is_refused(city, place, agents, resident):
    process, zones, projects = city
    voter = factories.declaration(zones["north"])
    choices = {projects[("Nord", 30)].pk: 1}
    voting.submit_online_ballot(resident, process, voter, choices)
    with pytest.raises(BudgetError, match="already voted"):
        voting.enter_paper_ballot(agents[0], place, voter, choices)
    assert Ballot.objects.get().method == "online"


def test_online_vote_between_the_two_entries_sets_the_paper_ballot_aside(
    city, place, agents, resident
):
    process, zones, projects = city
    voter = factories.declaration(zones["north"])
    choices = {projects[("Nord", 30)].pk: 1}
    entry = voting.enter_paper_ballot(agents[0], place, voter, choices)
    voting.submit_online_ballot(resident, process, voter, {projects[("Nord", 50)].pk: 1})
    with pytest.raises(BudgetError, match="duplicate"):
        voting.confirm_paper_ballot(agents[1], entry, voter, choices)
    entry.refresh_from_db()
    assert entry.status == PaperBallotEntry.DUPLICATE
    ballot = Ballot.objects.get()
    assert ballot.method == "online"


def test_a_paper_voter_cannot_vote_again_online(city, place, agents, resident):
    process, zones, projects = city
    voter = factories.declaration(zones["north"])
    choices = {projects[("Nord", 30)].pk: 1}
    entry = voting.enter_paper_ballot(agents[0], place, voter, choices)
    voting.confirm_paper_ballot(agents[1], entry, voter, choices)
    with pytest.raises(BudgetError, match="on paper"):
        voting.submit_online_ballot(resident, process, voter, choices)
    assert Ballot.objects.count() == 1


def test_paper_ballots_follow_the_same_rules(city, place, agents):
    process, zones, projects = city
    over = {projects[("Nord", cost)].pk: 1 for cost in (30, 40, 50)}
    with pytest.raises(BudgetError, match="more than the budget"):
        voting.enter_paper_ballot(agents[0], place, factories.declaration(zones["north"]), over)
    assert not PaperBallotEntry.objects.exists()


def test_cancelled_entry(city, place, agents):
    process, zones, projects = city
    voter = factories.declaration(zones["north"])
    choices = {projects[("Nord", 30)].pk: 1}
    entry = voting.enter_paper_ballot(agents[0], place, voter, choices)
    voting.cancel_paper_entry(agents[1], entry)
    with pytest.raises(BudgetError, match="no longer awaiting"):
        voting.confirm_paper_ballot(agents[1], entry, voter, choices)
    # The person may be entered again once the first entry is cancelled.
    voting.enter_paper_ballot(agents[0], place, voter, choices)
