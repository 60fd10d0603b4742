"""Counting after the vote: frozen, hashed ballots, stored results and public outcomes."""

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Schedule
from rest_framework.test import APIClient

from civic_budget import counting, phases, results, tasks, voting
from civic_budget.errors import BudgetError
from civic_budget.models import Project, ZoneResult
from tests.budget import factories
from tests.budget.conftest import add_budget_page

pytestmark = pytest.mark.django_db


def vote(process, zones, projects, number, zone, picks):
    voting.submit_online_ballot(
        factories.UserFactory(username=f"voter{number}"),
        process,
        factories.declaration(zones[zone], first_name=f"Voter{number}"),
        {projects[pick].pk: 1 for pick in picks},
    )


@pytest.fixture
def closed_vote(city):
    """Five ballots in the north (budget 100k: 30k, 40k, 50k projects), then the vote closes."""
    process, zones, projects = city
    picks = [
        [("Nord", 50), ("Nord", 40)],
        [("Nord", 50), ("Nord", 40)],
        [("Nord", 50)],
        [("Nord", 30), ("Toute la ville", 100)],
        [("Nord", 40), ("Toute la ville", 100)],
    ]
    for number, chosen in enumerate(picks):
        vote(process, zones, projects, number, "north", chosen)
    vote(process, zones, projects, 9, "south", [("Sud", 30)])
    process.vote_close = timezone.now()
    process.tie_break_seed = "Tirage public"
    process.save()
    return process, zones, projects


def test_counting_stores_reproducible_results_and_outcomes(closed_vote):
    process, zones, projects = closed_vote
    results.count_process(process)
    process.refresh_from_db()
    assert len(process.frozen_ballots_hash) == 64 and process.frozen_at is not None
    north = ZoneResult.objects.get(zone=zones["north"])
    assert north.rule == "equal_shares" and north.parameters["completion"] == "add1"
    assert north.voter_count == 5 and north.ballots_hash == process.frozen_ballots_hash
    assert north.spent_cents + north.leftover_cents == zones["north"].budget_cents
    assert north.tie_order["seed"] == "Tirage public"
    assert north.final_endowment and north.algorithm_version == counting.ALGORITHM_VERSION
    winners = {int(pk) for pk in north.winners}
    for cost in (30, 40, 50):
        project = projects[("Nord", cost)]
        project.refresh_from_db()
        expected = Project.SELECTED if project.pk in winners else Project.NOT_SELECTED
        assert project.status == expected
        assert project.public_reason or project.status == Project.SELECTED
    # Anyone with the anonymised ballots can recount.
    election = results.election_for(
        zones["north"],
        results.frozen_ballots(process),
        [projects[("Nord", c)] for c in (30, 40, 50)],
        {zones["north"].pk},
    )
    assert counting.recount(north.detail, election).matches
    assert north.greedy_winners == counting.count(election, counting.GreedyRule()).winners
    # The city-wide zone counts every voter.
    assert ZoneResult.objects.get(zone=zones["citywide"]).voter_count == 6


def test_counting_only_once_and_only_after_the_vote(city, closed_vote):
    open_process, _zones, _projects = factories.city(phases.VOTE)
    with pytest.raises(BudgetError, match="after the vote closes"):
        results.count_process(open_process)
    process = closed_vote[0]
    results.count_process(process)
    with pytest.raises(BudgetError, match="already been counted"):
        results.count_process(process)


def test_an_unresolved_tie_is_stated_not_picked(city):
    process, zones, projects = city
    twin = factories.ProjectFactory(
        zone=zones["south"], title="Sud 30k bis", estimated_cost_cents=30_000_00
    )
    south = zones["south"]
    south.budget_cents = 30_000_00
    south.save()
    vote(process, zones, projects, 1, "south", [("Sud", 30)])
    voting.submit_online_ballot(
        factories.UserFactory(username="twin"),
        process,
        factories.declaration(south, first_name="Twin"),
        {twin.pk: 1},
    )
    process.vote_close = timezone.now()
    process.counting_rule = "greedy"
    process.save()
    results.count_process(process)
    result = ZoneResult.objects.get(zone=south)
    assert result.status == counting.TIED
    projects[("Sud", 30)].refresh_from_db()
    assert projects[("Sud", 30)].status == Project.ON_BALLOT


def test_paper_ballots_are_refused_once_frozen(closed_vote):
    process, zones, projects = closed_vote
    place = factories.PollingPlaceFactory(process=process)
    first, second = factories.polling_agent(place, "a1"), factories.polling_agent(place, "a2")
    voter = factories.declaration(zones["north"], first_name="Late")
    entry = voting.enter_paper_ballot(first, place, voter, {projects[("Nord", 30)].pk: 1})
    results.count_process(process)
    with pytest.raises(BudgetError, match="frozen"):
        voting.confirm_paper_ballot(second, entry, voter, {projects[("Nord", 30)].pk: 1})


def test_the_scheduled_task_counts_closed_votes(city):
    process, zones, projects = city
    vote(process, zones, projects, 1, "north", [("Nord", 30)])
    assert Schedule.objects.filter(func="civic_budget.tasks.count_closed_processes").exists()
    assert tasks.count_closed_processes() == []
    with time_machine.travel(process.vote_close + timezone.timedelta(minutes=5)):
        assert tasks.count_closed_processes() == [process.pk]
        assert tasks.count_closed_processes() == []
    # Nobody lives in the south among the voters: nothing to count there, nothing selected.
    assert ZoneResult.objects.filter(process=process).count() == 2
    projects[("Sud", 30)].refresh_from_db()
    assert projects[("Sud", 30)].status == Project.NOT_SELECTED


def test_results_page_and_api(client, closed_vote):
    process, zones, projects = closed_vote
    page = add_budget_page(process)
    results.count_process(process)
    with time_machine.travel(process.results_published + timezone.timedelta(minutes=1)):
        html = client.get(page.url + "resultats/").content.decode()
        body = (
            APIClient(HTTP_ACCEPT_LANGUAGE="en")
            .get(f"/api/budget/processes/{process.pk}/results/")
            .json()
        )
    assert process.frozen_ballots_hash in html and "Greedy by votes" in html
    north = next(r for r in body["results"] if r["zone_name"] == "Nord")
    assert north["input_hash"] and north["spent_cents"] + north["leftover_cents"] == 100_000_00
    assert set(north["reasons"]) | set(north["winners"]) == {
        str(projects[("Nord", c)].pk) for c in (30, 40, 50)
    }


def test_results_wait_for_their_publication_while_the_votes_are_counted(client, closed_vote):
    """Counted is not published: in the counting phase, pages and API show no tally or outcome."""
    process, zones, projects = closed_vote
    page = add_budget_page(process)
    results.count_process(process)
    assert process.phase() == phases.COUNTING
    html = client.get(page.url + "resultats/").content.decode()
    assert "Greedy by votes" not in html and "Nord 30k" not in html
    assert "The results are published on" in html
    assert page.url + "resultats/" not in client.get(page.url).content.decode()
    implementation = client.get(page.url + "realisation/").content.decode()
    assert not any(f"Nord {cost}k" in implementation for cost in (30, 40, 50))
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    body = api.get(f"/api/budget/processes/{process.pk}/results/").json()
    assert body["count"] == 0 and body["results"] == []
    # The turnout is public once the vote has closed.
    assert client.get(page.url + "participation/").status_code == 200
    assert api.get(f"/api/budget/processes/{process.pk}/turnout/").json()["live"] is False
