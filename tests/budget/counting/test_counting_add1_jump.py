"""The Add1 completion's jump search and the city's tie rule."""

import json
import random

import pytest

from civic_budget.counting import Election, EqualSharesRule, GreedyRule, count, recount


def zone(unit: int) -> Election:
    """A realistic district: 40 voters, 7 projects, costs in euros times ``unit``."""
    draw = random.Random(7)
    costs = {
        f"p{n}": cost * unit
        for n, cost in enumerate((9_000, 14_000, 20_000, 31_000, 45_000, 60_000, 80_000))
    }
    ballots = [draw.sample(sorted(costs), draw.randint(1, 4)) for _ in range(40)]
    return Election(costs, 150_000 * unit, ballots)


def test_jump_needs_few_runs_whatever_the_unit():
    euros = count(zone(1), EqualSharesRule(completion="add1"))
    cents = count(zone(100), EqualSharesRule(completion="add1"))
    assert euros.winners == cents.winners
    # One run per change of outcome at most, bounded by the projects, not by the money.
    assert euros.endowment_iterations == cents.endowment_iterations <= len(zone(1).costs) + 1
    # Classic steps walk one euro (or one cent) per voter per run.
    stepped = count(zone(1), EqualSharesRule(completion="add1", add1_search="step"))
    assert stepped.endowment_iterations > 10 * euros.endowment_iterations


def test_jump_lands_exactly_where_a_project_becomes_affordable():
    # Endowment 25: x (60) by 3 voters at 20 each. y (40) by v3 (5 left) and v4 (25): short
    # by 10, so each of its 2 supporters needs 5 more: the jump goes to 30, where x then y
    # are bought (100, exhaustive). Two runs, where classic steps need six.
    election = Election({"x": 60, "y": 40, "z": 30}, 100, [["x"], ["x"], ["x", "y"], ["y", "z"]])
    result = count(election, EqualSharesRule(completion="add1"))
    assert result.winners == ["x", "y"]
    assert (result.final_endowment, result.endowment_iterations) == ("30", 2)
    stepped = count(election, EqualSharesRule(completion="add1", add1_search="step"))
    assert (stepped.winners, stepped.endowment_iterations) == (["x", "y"], 6)


def test_jump_is_exact_in_fractions():
    # 3 voters, budget 100: endowment 100/3, and the jump is a fraction too.
    election = Election({"a": 50, "b": 45}, 100, [["a"], ["a", "b"], ["b"]])
    result = count(election, EqualSharesRule(completion="add1_no_exhaustive_stop"))
    assert result.parameters["add1_search"] == "jump"
    assert result.spent <= 100
    assert recount(json.loads(json.dumps(result.to_dict())), election).matches


@pytest.mark.parametrize(("cost_order", "winner"), [("ascending", "cheap"), ("descending", "dear")])
def test_tie_rule_chosen_by_the_city(cost_order, winner):
    # Same votes; only one fits: the city's order decides which.
    election = Election({"cheap": 40, "dear": 60}, 70, [["cheap", "dear"]] * 3)
    result = count(election, GreedyRule(), cost_order=cost_order)
    assert result.winners == [winner]
    assert result.tie_order["cost_order"] == cost_order
    stored = json.loads(json.dumps(result.to_dict()))
    assert recount(stored, election).matches


def test_results_stored_before_the_new_parameters_recount_as_they_were():
    election = Election({"x": 60, "y": 40, "z": 30}, 100, [["x"], ["x"], ["x", "y"], ["y", "z"]])
    stored = count(election, EqualSharesRule(completion="add1", add1_search="step")).to_dict()
    del stored["parameters"]["add1_search"]
    del stored["tie_order"]["cost_order"]
    assert recount(stored, election).matches


def test_dropping_the_class_bitsets_changes_no_result(monkeypatch):
    # Large elections stop keeping one bitset per budget class; the count must not notice.
    from civic_budget.counting import mes

    draw = random.Random(3)
    costs = {f"p{n}": draw.randint(5, 60) * 100 for n in range(12)}
    ballots = [draw.sample(sorted(costs), draw.randint(1, 5)) for _ in range(300)]
    election = Election(costs, 30_000, ballots)
    rule = EqualSharesRule(completion="add1")
    kept = count(election, rule).to_dict()
    monkeypatch.setattr(mes, "MASK_WORDS_LIMIT", 0)
    assert count(election, rule).to_dict() == kept


def test_jump_stays_few_runs_when_supporters_spent_everything():
    # Many voters pay all they have for early projects; counting them on to grow would make
    # tiny jumps (over a thousand runs on this election before they were left out).
    rng = random.Random(2023)
    popularity = [min(0.5, 0.01 + rng.paretovariate(2.5) * 0.015) for _ in range(50)]
    costs = {f"p{n}": rng.randint(10, 400) * 2500 for n in range(50)}
    ballots = [
        [pid for pid, share in zip(costs, popularity, strict=True) if rng.random() < share]
        for _ in range(5_000)
    ]
    election = Election(costs, sum(costs.values()) // 5, ballots)
    result = count(election, EqualSharesRule(completion="add1"))
    assert result.is_complete and result.endowment_iterations <= 20
    assert result.spent <= election.budget
