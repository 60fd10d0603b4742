"""Results are JSON, carry what is needed to recompute them, and recomputing checks them."""

import json

from civic_budget.counting import (
    ALGORITHM_VERSION,
    CountResult,
    Election,
    EqualSharesRule,
    GreedyRule,
    count,
    recount,
)
from civic_budget.counting.hashing import election_hash

COSTS = {"x": 60, "y": 40, "z": 30}
BALLOTS = [["x"], ["x"], ["x", "y"], ["y", "z"]]


def election():
    return Election(COSTS, 100, BALLOTS)


def test_result_is_json_and_complete():
    rule = EqualSharesRule(completion="utilitarian", comparison="exclusion")
    result = count(election(), rule, seed="draw")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["algorithm_version"] == ALGORITHM_VERSION
    assert data["parameters"] == {
        "rule": "equal_shares",
        "utilities": "cost",
        "completion": "utilitarian",
        "endowment": "exact",
        "add1_search": "jump",
        "increment": 1,
        "comparison": "exclusion",
        "min_votes": 1,
    }
    assert data["winners"] == ["x", "y"]
    assert (data["spent"], data["leftover"], data["budget"]) == (100, 0, 100)
    assert data["final_endowment"] == "25"
    assert data["tie_order"]["seed"] == "draw"
    assert sorted(data["tie_order"]["lot_order"]) == ["x", "y", "z"]
    assert data["tie_order"]["order"] == ["z", "y", "x"]  # by cost
    assert data["input_hash"].startswith("sha256:")
    assert data["rounds"][0]["payments"] == [{"amount": "20", "voters": 3, "whole_budget": False}]
    assert CountResult.from_dict(data) == result


def test_hash_ignores_ballot_and_project_order_but_not_content():
    reordered = Election(dict(reversed(COSTS.items())), 100, [["y", "x"], ["z", "y"], ["x"], ["x"]])
    assert election_hash(reordered) == election_hash(election())
    assert election_hash(Election(COSTS, 101, BALLOTS)) != election_hash(election())
    assert election_hash(Election(COSTS, 100, BALLOTS[:-1])) != election_hash(election())


def test_recount_confirms_a_stored_result():
    for rule in (GreedyRule(variant="stop"), EqualSharesRule(completion="add1")):
        stored = json.loads(json.dumps(count(election(), rule, seed="draw").to_dict()))
        assert recount(stored, election()).matches
        explicit = json.loads(json.dumps(count(election(), rule, lot_order="zyx").to_dict()))
        assert recount(explicit, election()).matches


def test_recount_detects_tampering_and_other_ballots():
    stored = count(election(), EqualSharesRule()).to_dict()
    tampered = {**stored, "winners": ["y"]}
    report = recount(tampered, election())
    assert not report.matches
    assert report.differences == ("winners",)
    other = Election(COSTS, 100, [*BALLOTS, ["z"]])
    assert recount(stored, other).differences == ("input_hash",)


def test_unresolved_tie_is_a_state_of_the_result():
    tied = Election({"a": 40, "b": 40}, 50, [["a", "b"]] * 3)
    stored = json.loads(json.dumps(count(tied, GreedyRule()).to_dict()))
    assert stored["status"] == "unresolved_tie"
    assert stored["unresolved_tie"]["projects"] == ["a", "b"]
    assert recount(stored, tied).matches
