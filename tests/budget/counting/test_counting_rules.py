"""Every rule and variant on small elections computed by hand (the working is in comments)."""

from civic_budget.counting import COMPLETE, TIED, Election, EqualSharesRule, GreedyRule, count

# Votes: a 5, b 4, c 3, d 2.
GREEDY_BALLOTS = [["a", "b", "c", "d"]] * 2 + [["a", "b", "c"], ["a", "b"], ["a"]]
GREEDY_COSTS = {"a": 60, "b": 50, "c": 30, "d": 20}


def greedy_election(budget=100):
    return Election(GREEDY_COSTS, budget, GREEDY_BALLOTS)


def test_greedy_skip_passes_over_what_does_not_fit():
    # a (60) leaves 40: b (50) is skipped, c (30) fits and leaves 10, d (20) does not fit.
    result = count(greedy_election(), GreedyRule(variant="skip"))
    assert result.winners == ["a", "c"]
    assert (result.spent, result.leftover, result.status) == (90, 10, COMPLETE)
    assert [r.votes for r in result.rounds] == [5, 3]
    assert [r.spent_after for r in result.rounds] == [60, 90]


def test_greedy_stop_ends_at_the_first_project_that_does_not_fit():
    result = count(greedy_election(), GreedyRule(variant="stop"))
    assert result.winners == ["a"]
    assert result.leftover == 40


def test_greedy_minimum_votes():
    # Only a and b have 4 votes or more; b does not fit after a.
    assert count(greedy_election(), GreedyRule(min_votes=4)).winners == ["a"]
    # With 110, a and b both fit.
    assert count(greedy_election(110), GreedyRule(min_votes=4)).winners == ["a", "b"]


def test_greedy_equal_votes_prefers_the_cheaper_project():
    election = Election({"a": 40, "b": 30}, 50, [["a", "b"]] * 3)
    assert count(election, GreedyRule()).winners == ["b"]


def test_greedy_interchangeable_projects_that_all_fit_need_no_draw():
    election = Election({"a": 40, "b": 40}, 100, [["a", "b"]] * 3)
    result = count(election, GreedyRule())
    assert result.status == COMPLETE
    assert sorted(result.winners) == ["a", "b"]


def test_greedy_unbreakable_tie_is_reported_not_picked():
    election = Election({"a": 40, "b": 40}, 50, [["a", "b"]] * 3)
    result = count(election, GreedyRule())
    assert result.status == TIED
    assert result.unresolved_tie == {"stage": "greedy", "round": 1, "projects": ["a", "b"]}
    assert result.winners == []


def test_greedy_tie_broken_by_recorded_draw():
    election = Election({"a": 40, "b": 40}, 50, [["a", "b"]] * 3)
    result = count(election, GreedyRule(), lot_order=["b", "a"])
    assert (result.status, result.winners) == (COMPLETE, ["b"])
    assert result.tie_order["lot_order"] == ["b", "a"]
    seeded = count(election, GreedyRule(), seed="public draw 2026-06-30")
    assert seeded.status == COMPLETE
    assert seeded.winners == [seeded.tie_order["lot_order"][0]]
    assert seeded.tie_order["seed"] == "public draw 2026-06-30"


def mes_election(budget=100):
    # 4 voters, endowment 25 each. x (60): v1 v2 v3; y (40): v3 v4; z (30): v4.
    return Election({"x": 60, "y": 40, "z": 30}, budget, [["x"], ["x"], ["x", "y"], ["y", "z"]])


def test_equal_shares_cost_utilities():
    # Round 1: x costs 20 each to v1-v3 (rho = 20/60 = 1/3), y 20 each to v3, v4 (rho 1/2),
    # z needs 30 from v4 who has 25. x wins; v1-v3 keep 5. Round 2: y has 5 + 25 < 40.
    result = count(mes_election(), EqualSharesRule())
    assert result.winners == ["x"]
    assert result.final_endowment == "25"
    (round_,) = result.rounds
    assert (round_.rho, round_.effective_votes) == ("1/3", "3")
    assert [(p.amount, p.voters, p.whole_budget) for p in round_.payments] == [("20", 3, False)]


def test_equal_shares_cardinality_utilities():
    # Utility 1 per approved project: rho is the payment itself. x: 20, y: 20 -> tie on
    # rho, broken by the lower cost: y first. v3 and v4 keep 5. x: v1, v2 have 25 each
    # and v3 5: total 55 < 60, x is dropped. z: v4 has 5 < 30.
    result = count(mes_election(), EqualSharesRule(utilities="cardinality"))
    assert result.winners == ["y"]
    assert result.rounds[0].rho == "20"
    assert result.rounds[0].effective_votes == "2"


def test_equal_shares_equal_rho_prefers_the_cheaper_project():
    # Endowment 50. p (40): 20 each, rho 1/2; s (24): 12 each, rho 1/2. Tie: s is cheaper.
    # Then both have 38 and p still costs them 20 each.
    election = Election({"p": 40, "s": 24}, 100, [["p", "s"], ["p", "s"]])
    assert count(election, EqualSharesRule()).winners == ["s", "p"]


def test_equal_shares_drops_what_supporters_can_no_longer_afford():
    # Endowment 50. q (45): 45/2 each, rho 1/2, beats p (40 from v1 alone, rho 1).
    # Afterwards v1 has 55/2 < 40: p is dropped.
    election = Election({"p": 40, "q": 45}, 100, [["p", "q"], ["q"]])
    result = count(election, EqualSharesRule())
    assert result.winners == ["q"]
    assert [(p.amount, p.voters) for p in result.rounds[0].payments] == [("45/2", 2)]


def test_equal_shares_poor_supporters_pay_all_they_have_left():
    # Endowment 20. Round 1: b (30) by v1-v3: 10 each (rho 1/3) beats d (28) by v3, v4:
    # 14 each (rho 1/2). Round 2: d: v3 has 10 < 14, so v3 pays its 10 and v4 the other 18
    # (rho 18/28 = 9/14): effective votes 28 / 18 = 14/9.
    election = Election({"b": 30, "d": 28}, 80, [["b"], ["b"], ["b", "d"], ["d"]])
    result = count(election, EqualSharesRule())
    assert result.winners == ["b", "d"]
    second = result.rounds[1]
    assert (second.rho, second.effective_votes) == ("9/14", "14/9")
    assert [(p.amount, p.voters, p.whole_budget) for p in second.payments] == [
        ("18", 1, False),
        ("10", 1, True),
    ]


def test_utilitarian_completion_fills_the_leftover_by_votes():
    # MES buys x (60); 40 left: y (2 votes, 40) fits, z (1 vote, 30) then does not.
    result = count(mes_election(), EqualSharesRule(completion="utilitarian"))
    assert result.winners == ["x", "y"]
    assert [r.stage for r in result.rounds] == ["equal_shares", "utilitarian"]
    assert result.leftover == 0


def test_add1_with_exhaustive_stop():
    # Endowment 25, 26, ...: x always first (20 each). y becomes affordable when v3 (e - 20)
    # and v4 (e) reach 40: e = 30. At 30: x, then y (v3 pays 10, v4 30), spent 100:
    # exhaustive, stop. Six runs: 25..30.
    result = count(mes_election(), EqualSharesRule(completion="add1", add1_search="step"))
    assert result.winners == ["x", "y"]
    assert (result.final_endowment, result.endowment_iterations) == ("30", 6)


def test_add1_without_exhaustive_stop():
    # Goes on while outcomes fit: z needs v4 to keep 30 after paying y. For e >= 40 y costs
    # 20 each, so v4 keeps e - 20 >= 30 from e = 50, where x + y + z = 130 > 100: the
    # outcome of e = 49 is kept. Runs 25..50: 26.
    result = count(
        mes_election(), EqualSharesRule(completion="add1_no_exhaustive_stop", add1_search="step")
    )
    assert result.winners == ["x", "y"]
    assert (result.final_endowment, result.endowment_iterations) == ("49", 26)


def test_add1_then_utilitarian():
    # Budget 60, 3 voters (endowment 20). x (40): v1; y (10) and z (60): everyone.
    # e = 20: y (10/3 each) and z (20 each) both have rho 1/3: the cheaper y wins; then z
    # needs 60 from 3 x 50/3: dropped. e = 21, 22, 23: the same, and z still short (3 x 59/3
    # at 23). e = 24: z is bought too: 70 > 60, so e = 23 is kept: [y], 50 left.
    # Utilitarian: z (3 votes) does not fit, x (1 vote, 40) does.
    election = Election({"x": 40, "y": 10, "z": 60}, 60, [["x", "y", "z"], ["y", "z"], ["y", "z"]])
    add1 = count(election, EqualSharesRule(completion="add1", add1_search="step"))
    assert (add1.winners, add1.final_endowment, add1.endowment_iterations) == (["y"], "23", 5)
    both = count(election, EqualSharesRule(completion="add1_utilitarian", add1_search="step"))
    assert both.winners == ["y", "x"]


def test_integral_endowment_rounds_down():
    # 100 / 3 voters: exact 100/3, integral 33.
    election = Election({"a": 99, "b": 1}, 100, [["a"], ["a"], ["a", "b"]])
    exact = count(election, EqualSharesRule())
    integral = count(election, EqualSharesRule(endowment="integral"))
    assert exact.final_endowment == "100/3"
    assert integral.final_endowment == "33"
    # b: 1 from v3 (rho 1) vs a: 33 each (rho 1/3). Exact: a, then v3 has 1/3 < 1 for b.
    assert exact.winners == ["a"]
    assert integral.winners == ["a"]
    # Add1 in steps of 2 from 33: 35 lets v3 pay for b after a (2 left).
    stepped = count(
        election,
        EqualSharesRule(endowment="integral", completion="add1", add1_search="step", increment=2),
    )
    assert (stepped.winners, stepped.final_endowment) == (["a", "b"], "35")


def test_equal_shares_unbreakable_tie():
    # Two projects, same cost, same votes, same supporters: rho ties and nothing separates.
    election = Election({"a": 10, "b": 10}, 15, [["a", "b"], ["a", "b"]])
    result = count(election, EqualSharesRule())
    assert result.status == TIED
    assert result.unresolved_tie == {"stage": "equal_shares", "round": 1, "projects": ["a", "b"]}
    assert count(election, EqualSharesRule(), lot_order=["b", "a"]).winners == ["b"]


def test_equal_shares_tie_on_rho_broken_by_votes():
    # 8 voters, endowment 10. Round 1: z (40) by 4 voters, 10 each (rho 1/4), beats b (20 by
    # 3 voters, rho 1/3) and a (20 by 2, rho 1/2); z's supporters are left with nothing.
    # Round 2: b's third supporter paid for z, so b now needs 10 each from 2 voters: rho 1/2,
    # like a. Same cost: b has more votes (3 against 2) and goes first; then a.
    ballots = [["a"], ["a"], ["b"], ["b"], ["z", "b"], ["z"], ["z"], ["z"]]
    election = Election({"a": 20, "b": 20, "z": 40}, 80, ballots)
    result = count(election, EqualSharesRule())
    assert result.winners == ["z", "b", "a"]
    assert [r.rho for r in result.rounds] == ["1/4", "1/2", "1/2"]


def test_cumulative_ballots_points_as_utilities():
    # 2 voters, endowment 50. v1: 3 points on a, 1 on b; v2: 1 on a, 3 on b. Utility =
    # points. a (60): 3r + r = 60, r = 15 (v1 pays 45, v2 15). b (70): 4r = 70 would make v2
    # pay 52.5 > 50, so v2 pays 50 and v1 the other 20: r = 20. a wins; then b needs 70 from
    # 5 + 35: dropped.
    election = Election(
        {"a": 60, "b": 70}, 100, [{"a": 3, "b": 1}, {"a": 1, "b": 3}], ballot_type="cumulative"
    )
    result = count(election, EqualSharesRule(utilities="cardinality"))
    assert result.winners == ["a"]
    assert result.rounds[0].rho == "15"
    greedy = count(election, GreedyRule())
    assert election.votes == {"a": 4, "b": 4}
    assert greedy.winners == ["a"]  # equal points: the cheaper first, then b does not fit


def test_comparison_step_satisfaction_keeps_or_replaces():
    # MES buys x (v1-v3 happy, 1 each); greedy by votes: x (3 votes) then y? 40 left, y (2
    # votes, 40) fits: greedy = [x, y]. v3 and v4 prefer greedy, nobody prefers MES.
    result = count(mes_election(), EqualSharesRule(comparison="satisfaction"))
    assert result.comparison["outcome"] == "greedy"
    assert (result.comparison["prefer_equal_shares"], result.comparison["prefer_greedy"]) == (0, 2)
    assert result.winners == ["x", "y"]


def test_comparison_step_exclusion():
    # Budget 60. MES: a (30) by v1, v2 and b (30) by v3: a (15 each) then b (v3: 20 < 30)...
    # Use 90: endowment 30. a: 15 each, b: 30 from v3 (rho 1). c (60) by v1, v2: after a
    # they have 15 each: dropped. MES [a, b]. Greedy by votes: c (2 votes, 60), a (2, 30):
    # same votes, cheaper a first, then c (60): [a, c], b (1 vote) no longer fits.
    # Exclusion: v3 has something only under MES; v1, v2 have something under both.
    election = Election({"a": 30, "b": 30, "c": 60}, 90, [["a", "c"], ["a", "c"], ["b"]])
    result = count(election, EqualSharesRule(comparison="exclusion"))
    assert result.comparison["greedy_winners"] == ["a", "c"]
    assert (result.comparison["prefer_equal_shares"], result.comparison["prefer_greedy"]) == (1, 0)
    assert result.winners == ["a", "b"]
    # Satisfaction: v1, v2 get 2 projects from greedy, 1 from MES; v3 1 vs 0: greedy wins.
    by_satisfaction = count(election, EqualSharesRule(comparison="satisfaction"))
    assert by_satisfaction.winners == ["a", "c"]


def test_reasons_for_projects_not_funded():
    # w has no votes. Greedy: x, then y fits (40 left), z no longer fits.
    election = Election(
        {"x": 60, "y": 40, "z": 30, "w": 5}, 100, [["x"], ["x"], ["x", "y"], ["y", "z"]]
    )
    assert count(election, GreedyRule()).reasons == {"z": "did_not_fit", "w": "below_min_votes"}
    # MES (endowment 25): x; then y and z are beyond their supporters' means.
    assert count(election, EqualSharesRule()).reasons == {
        "y": "unaffordable",
        "z": "unaffordable",
        "w": "no_supporters",
    }
    # The utilitarian fill takes y; z did not fit in what was left.
    filled = count(election, EqualSharesRule(completion="utilitarian"))
    assert filled.reasons == {"z": "did_not_fit", "w": "no_supporters"}
    # Stop variant: b does not fit after a; the count ends, c and d are never reached.
    stopped = count(greedy_election(), GreedyRule(variant="stop"))
    assert stopped.reasons == {"b": "did_not_fit", "c": "after_stop", "d": "after_stop"}
    # An unresolved tie leaves the tied projects and those after them undecided.
    tied = Election({"a": 40, "b": 40, "c": 10}, 50, [["a", "b"]] * 3 + [["c"]])
    assert count(tied, GreedyRule()).reasons == dict.fromkeys("abc", "undecided")


def test_comparison_waits_for_a_draw_when_greedy_is_tied():
    # Endowment 25. MES: c (60) by v1-v3, 20 each (rho 1/3); then a and b (40 each) have
    # 5 + 25 from their supporters: both dropped. MES = [c], complete. Greedy: c (3 votes),
    # then a and b (2 votes, 40 each) with 40 left: only one fits and nothing separates them.
    election = Election(
        {"a": 40, "b": 40, "c": 60}, 100, [["c", "a"], ["c", "b"], ["c"], ["a", "b"]]
    )
    assert count(election, EqualSharesRule()).winners == ["c"]
    result = count(election, EqualSharesRule(comparison="satisfaction"))
    assert result.status == TIED
    assert result.unresolved_tie == {"stage": "greedy", "round": 2, "projects": ["a", "b"]}
    assert result.comparison is None
    assert result.winners == ["c"]
