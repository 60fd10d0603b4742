"""Turnout per zone, age bucket and method; live for staff, public after the vote."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civic_budget import phases, turnout, voting
from tests.budget import factories

pytestmark = pytest.mark.django_db


def test_turnout_counts_voters_per_zone_and_breakdowns(city):
    process, zones, projects = city
    for number, zone in enumerate(["north", "north", "south"]):
        user = factories.UserFactory(username=f"voter{number}")
        voting.submit_online_ballot(
            user,
            process,
            factories.declaration(zones[zone], first_name=f"V{number}"),
            {projects[("Toute la ville", 100)].pk: 1},
        )
    result = {entry.name: entry for entry in turnout.compute_turnout(process)}
    assert result["Toute la ville"].voters == 3
    assert result["Toute la ville"].rate_percent == round(300 / 110_000, 2)
    assert (result["Nord"].voters, result["Sud"].voters) == (2, 1)
    assert result["Nord"].rate_percent == 0.01
    assert result["Toute la ville"].by_method == {"online": 3}
    assert result["Toute la ville"].by_age == {"35-49": 3}


def test_mulhouse_order_of_magnitude():
    """2,800 voters for 110,000 inhabitants: 2.55 % (Mulhouse published 2.54 %)."""
    entry = turnout.ZoneTurnout(1, "Mulhouse", "citywide", 110_000, voters=2_800)
    assert entry.rate_percent == 2.55


def test_turnout_visibility(city):
    process, _zones, _projects = city
    assert not turnout.may_see_turnout(AnonymousUser(), process)
    assert not turnout.may_see_turnout(factories.UserFactory(username="someone"), process)
    assert turnout.may_see_turnout(factories.reviewer(), process)
    closed, _zones, _projects = factories.city(phases.COUNTING)
    assert turnout.may_see_turnout(AnonymousUser(), closed)
