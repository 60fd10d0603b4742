"""The pure modules: phases, ballot rules, age and identity (no database)."""

from datetime import date, datetime, timedelta

import pytest

from civic_budget import ballot_rules as rules
from civic_budget import phases
from civic_budget.adapter import Declaration, DefaultBudgetAdapter, age_bucket, age_on

START = datetime(2026, 1, 1)
SCHEDULE = phases.Schedule(*(START + timedelta(days=30 * n) for n in range(6)))


@pytest.mark.parametrize(
    "days, phase",
    [
        (-1, phases.UPCOMING),
        (0, phases.IDEAS),
        (31, phases.REVIEW),
        (60, phases.VOTE),
        (89, phases.VOTE),
        (90, phases.COUNTING),
        (120, phases.RESULTS),
        (400, phases.IMPLEMENTATION),
    ],
)
def test_phase_is_a_function_of_the_dates(days, phase):
    assert phases.current_phase(SCHEDULE, START + timedelta(days=days)) == phase


def test_residents_actions_follow_the_phase():
    assert phases.resident_may(SCHEDULE, START + timedelta(days=1), "submit_idea")
    assert not phases.resident_may(SCHEDULE, START + timedelta(days=1), "vote")
    assert phases.resident_may(SCHEDULE, START + timedelta(days=61), "vote")


def test_while_the_votes_are_counted_the_turnout_is_public_but_not_the_results():
    counting = START + timedelta(days=91)
    assert phases.resident_may(SCHEDULE, counting, phases.SEE_TURNOUT)
    assert not phases.resident_may(SCHEDULE, counting, phases.SEE_RESULTS)
    assert not phases.resident_may(SCHEDULE, counting, phases.CAST_VOTE)
    published = START + timedelta(days=121)
    assert phases.resident_may(SCHEDULE, published, phases.SEE_RESULTS)


def test_schedule_out_of_order_is_reported():
    broken = phases.Schedule(START, START, START + timedelta(days=5), START, START, START)
    assert broken.problems() == ["vote_close"]


ZONES = {
    1: rules.ZoneRule(1, "City", rules.APPROVAL_BUDGET, 100),
    2: rules.ZoneRule(2, "North", rules.APPROVAL_COUNT, 0, min_choices=2, max_choices=3),
    3: rules.ZoneRule(3, "South", rules.CUMULATIVE, 0, points_total=5, max_points_per_project=3),
}
PROJECTS = {
    pk: rules.BallotProject(pk, zone, cost)
    for pk, zone, cost in [
        (10, 1, 60),
        (11, 1, 40),
        (12, 1, 1),
        (20, 2, 5),
        (21, 2, 5),
        (22, 2, 5),
        (23, 2, 5),
        (30, 3, 9),
        (31, 3, 9),
    ]
}


def codes(choices, voter_zones=(1, 2, 3)):
    verdict = rules.check_ballot(choices, set(voter_zones), ZONES, PROJECTS)
    return [refusal.code for refusal in verdict.refusals]


def test_knapsack_total_may_equal_but_not_exceed_the_budget():
    assert codes({10: 1, 11: 1}) == []
    assert codes({10: 1, 11: 1, 12: 1}) == ["over_budget"]


def test_count_bounds_apply_only_to_zones_the_voter_used():
    assert codes({20: 1}) == ["too_few"]
    assert codes({20: 1, 21: 1, 22: 1, 23: 1}) == ["too_many"]
    assert codes({10: 1}) == []


def test_cumulative_points():
    assert codes({30: 3, 31: 2}) == []
    assert codes({30: 3, 31: 3}) == ["too_many_points"]
    assert codes({30: 4}) == ["project_points_cap"]
    assert codes({10: 2}) == ["approval_points"]


def test_unknown_wrong_zone_and_bad_points():
    assert codes({99: 1}) == ["not_on_ballot"]
    assert codes({20: 1}, voter_zones=(1,)) == ["wrong_zone"]
    assert codes({30: 0}) == ["invalid_points"]
    assert codes({}) == ["empty"]


def test_tallies_give_the_running_totals():
    verdict = rules.check_ballot({10: 1, 20: 1, 21: 1}, {1, 2}, ZONES, PROJECTS)
    assert [(t.zone_id, t.chosen, t.cost_cents) for t in verdict.tallies] == [
        (1, 1, 60),
        (2, 2, 10),
    ]


@pytest.mark.parametrize(
    "birth, reference, age",
    [
        (date(2010, 1, 1), date(2026, 1, 1), 16),
        (date(2010, 1, 2), date(2026, 1, 1), 15),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on_the_reference_date(birth, reference, age):
    assert age_on(birth, reference) == age


def test_age_buckets():
    bounds = (17, 24, 34, 49, 64)
    assert [age_bucket(age, bounds) for age in (16, 18, 40, 64, 65)] == [
        "0-17",
        "18-24",
        "35-49",
        "50-64",
        "65+",
    ]


def test_identity_ignores_case_accents_and_spacing():
    adapter = DefaultBudgetAdapter()
    one = Declaration("Zoé", "Muller-Schmitt", date(1980, 1, 1), 1, True)
    two = Declaration(" ZOE ", "muller schmitt", date(1980, 1, 1), 2, True)
    three = Declaration("Zoé", "Muller-Schmitt", date(1980, 1, 2), 1, True)
    assert adapter.identity(one) == adapter.identity(two) != adapter.identity(three)
