"""Bad input gets a CountingInputError naming the field, before anything is counted."""

import pytest

from civic_budget.counting import (
    CountingInputError,
    Election,
    EqualSharesRule,
    GreedyRule,
    count,
    rule_from_parameters,
)

COSTS = {"a": 10, "b": 20}


def error_field(function, *args, **kwargs) -> str:
    with pytest.raises(CountingInputError) as error:
        function(*args, **kwargs)
    assert error.value.field in str(error.value)
    return error.value.field


@pytest.mark.parametrize(
    ("projects", "budget", "ballots", "field"),
    [
        (COSTS, 0, [["a"]], "budget"),
        (COSTS, -5, [["a"]], "budget"),
        (COSTS, 10.5, [["a"]], "budget"),
        (COSTS, True, [["a"]], "budget"),
        ({"a": -10}, 100, [["a"]], "projects['a'].cost"),
        ({"a": 0}, 100, [["a"]], "projects['a'].cost"),
        ({"a": 12.5}, 100, [["a"]], "projects['a'].cost"),
        ({"a": "10"}, 100, [["a"]], "projects['a'].cost"),
        ({1: 10}, 100, [[1]], "projects[1]"),
        ({"a\x1fb": 10}, 100, [["a\x1fb"]], "projects['a\\x1fb']"),
        ({}, 100, [], "projects"),
        ([("a", 10)], 100, [["a"]], "projects"),
        (COSTS, 100, [["a"], ["c"]], "ballots[1]"),
        (COSTS, 100, [["a", "a"]], "ballots[0]"),
        (COSTS, 100, ["ab"], "ballots[0]"),
        (COSTS, 100, [], "ballots"),
    ],
)
def test_invalid_election(projects, budget, ballots, field):
    assert error_field(Election, projects, budget, ballots) == field


def test_unknown_project_is_named():
    with pytest.raises(CountingInputError, match="unknown project id 'zzz'"):
        Election(COSTS, 100, [["a"], ["zzz"]])


@pytest.mark.parametrize(
    ("ballots", "field"),
    [
        ([{"a": 0}], "ballots[0]['a']"),
        ([{"a": 1.5}], "ballots[0]['a']"),
        ([["a"]], "ballots[0]"),
    ],
)
def test_invalid_cumulative_ballots(ballots, field):
    assert error_field(Election, COSTS, 100, ballots, ballot_type="cumulative") == field


def test_invalid_weights_and_ballot_type():
    assert error_field(Election, COSTS, 100, [["a"]], weights=[0]) == "weights[0]"
    assert error_field(Election, COSTS, 100, [["a"]], weights=[1, 2]) == "weights"
    assert error_field(Election, COSTS, 100, [["a"]], ballot_type="ranked") == "ballot_type"


def test_identical_ballots_are_grouped_whatever_the_order():
    one = Election(COSTS, 100, [["a", "b"], ["b"], ["b", "a"]])
    other = Election(COSTS, 100, [["b"], ["a", "b"]], weights=[1, 2])
    assert one.groups == other.groups
    assert [(g.choices, g.weight) for g in one.groups] == [
        ((("a", 1), ("b", 1)), 2),
        ((("b", 1),), 1),
    ]
    assert one.voter_count == 3


@pytest.mark.parametrize(
    ("make_rule", "field"),
    [
        (lambda: GreedyRule(variant="sideways"), "rule.variant"),
        (lambda: GreedyRule(min_votes=-1), "rule.min_votes"),
        (lambda: EqualSharesRule(utilities="happiness"), "rule.utilities"),
        (lambda: EqualSharesRule(completion="add2"), "rule.completion"),
        (lambda: EqualSharesRule(endowment="generous"), "rule.endowment"),
        (lambda: EqualSharesRule(increment=0), "rule.increment"),
        (lambda: EqualSharesRule(comparison="vibes"), "rule.comparison"),
        (lambda: rule_from_parameters({"rule": "borda"}), "rule"),
        (lambda: rule_from_parameters({"rule": "greedy", "colour": "red"}), "rule"),
    ],
)
def test_invalid_rule(make_rule, field):
    assert error_field(make_rule) == field


def test_invalid_draw():
    election = Election(COSTS, 100, [["a"]])
    assert error_field(count, election, GreedyRule(), lot_order=["a"]) == "lot_order"
    assert error_field(count, election, GreedyRule(), seed="s", lot_order=["a", "b"]) == "lot_order"
    assert error_field(count, election, GreedyRule(), seed="") == "seed"
    assert error_field(count, election, "greedy") == "rule"
