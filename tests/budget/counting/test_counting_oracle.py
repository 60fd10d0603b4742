"""Our rules against pabutools 1.2.3 (exact mode) on hundreds of random small elections.

pabutools is GPL and only ever used here, as a test oracle. Both sides get the same tie order
(lower cost, more votes, then a seeded draw by lot), so every election has one right answer,
winners in selection order included. The generator forces ties: few distinct costs, few voters,
so equal costs, equal votes and equal prices per utility are frequent.
"""

import random

import pytest

from civic_budget.counting import CUMULATIVE, Election, EqualSharesRule, GreedyRule, count

from .support import require_pabutools

ELECTIONS = 300


def random_election(rng: random.Random, *, cumulative: bool = False) -> Election:
    project_count = rng.randint(2, 9)
    costs_pool = [rng.randint(1, 20) * rng.choice((1, 5, 10)) for _ in range(rng.randint(1, 4))]
    projects = {f"p{index}": rng.choice(costs_pool) for index in range(project_count)}
    budget = max(1, int(sum(projects.values()) * rng.uniform(0.2, 0.9)))
    ballots = []
    for _ in range(rng.randint(1, 12)):
        chosen = [pid for pid in projects if rng.random() < 0.4]
        if cumulative:
            ballots.append({pid: rng.randint(1, 3) for pid in chosen})
        else:
            ballots.append(chosen)
    return Election(projects, budget, ballots, ballot_type=CUMULATIVE if cumulative else "approval")


class Oracle:
    """Our election and tie order, translated for pabutools."""

    def __init__(self, election: Election, result):
        require_pabutools()
        from pabutools.election import (
            ApprovalBallot,
            ApprovalProfile,
            CumulativeBallot,
            CumulativeProfile,
            Instance,
            Project,
        )
        from pabutools.tiebreaking import TieBreakingRule

        self.projects = {pid: Project(pid, cost) for pid, cost in election.costs.items()}
        self.instance = Instance(self.projects.values(), budget_limit=election.budget)
        self.cumulative = election.ballot_type == CUMULATIVE
        if self.cumulative:
            self.profile = CumulativeProfile(instance=self.instance)
        else:
            self.profile = ApprovalProfile(instance=self.instance)
        for group in election.groups:
            if self.cumulative:
                ballot = CumulativeBallot({self.projects[pid]: n for pid, n in group.choices})
            else:
                ballot = ApprovalBallot([self.projects[pid] for pid, _ in group.choices])
            self.profile.extend([ballot] * group.weight)
        rank = {pid: position for position, pid in enumerate(result.tie_order["order"])}
        self.tie_breaking = TieBreakingRule(lambda _inst, _prof, project: rank[project.name])
        self.voters = election.voter_count

    def names(self, allocation) -> list[str]:
        return [project.name for project in allocation]

    def sat(self, utilities: str):
        from pabutools.election import Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat

        if self.cumulative:
            return Additive_Cardinal_Sat
        return Cost_Sat if utilities == "cost" else Cardinality_Sat

    def greedy(self) -> list[str]:
        from pabutools.election import Cost_Sat
        from pabutools.rules import greedy_utilitarian_welfare

        return self.names(
            greedy_utilitarian_welfare(
                self.instance, self.profile, sat_class=Cost_Sat, tie_breaking=self.tie_breaking
            )
        )

    def mes(self, utilities: str, completion: str) -> list[str]:
        from pabutools.election import Cost_Sat
        from pabutools.rules import (
            completion_by_rule_combination,
            exhaustion_by_budget_increase,
            greedy_utilitarian_welfare,
            method_of_equal_shares,
        )

        params = {"sat_class": self.sat(utilities), "tie_breaking": self.tie_breaking}
        greedy_params = {"sat_class": Cost_Sat, "tie_breaking": self.tie_breaking}
        add1 = {**params, "voter_budget_increment": 1}
        if completion == "none":
            outcome = method_of_equal_shares(self.instance, self.profile, **params)
        elif completion == "add1":
            outcome = method_of_equal_shares(self.instance, self.profile, **add1)
        elif completion == "add1_no_exhaustive_stop":
            outcome = exhaustion_by_budget_increase(
                self.instance,
                self.profile,
                method_of_equal_shares,
                dict(params),
                budget_step=self.voters,
                exhaustive_stop=False,
            )
        else:
            first = add1 if completion == "add1_utilitarian" else params
            outcome = completion_by_rule_combination(
                self.instance,
                self.profile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [first, greedy_params],
            )
        return self.names(outcome)

    def mes_integral(self, utilities: str, add1: bool) -> list[str]:
        """MES started from the budget per voter rounded down (pabutools' inner scheme)."""
        from pabutools.fractions import frac
        from pabutools.rules.budgetallocation import BudgetAllocation
        from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme

        outcome = method_of_equal_shares_scheme(
            self.instance,
            self.profile,
            self.profile.as_sat_profile(self.sat(utilities)),
            frac(self.instance.budget_limit // self.voters),
            BudgetAllocation(),
            self.tie_breaking,
            voter_budget_increment=1 if add1 else None,
        )
        return self.names(outcome)


def ours(election, rule, index):
    return count(election, rule, seed=f"oracle-{index}")


@pytest.mark.parametrize("variant_seed", range(ELECTIONS))
def test_greedy_matches_pabutools(variant_seed):
    election = random_election(random.Random(variant_seed))
    result = ours(election, GreedyRule(min_votes=0), variant_seed)
    assert result.winners == Oracle(election, result).greedy()


MES_CASES = [
    ("cost", "none"),
    ("cardinality", "none"),
    ("cost", "utilitarian"),
    ("cost", "add1"),
    ("cardinality", "add1"),
    ("cost", "add1_no_exhaustive_stop"),
    ("cost", "add1_utilitarian"),
]


@pytest.mark.parametrize(("utilities", "completion"), MES_CASES)
def test_equal_shares_matches_pabutools(utilities, completion):
    require_pabutools()
    for index in range(ELECTIONS):
        election = random_election(random.Random(10_000 + index))
        rule = EqualSharesRule(
            utilities=utilities, completion=completion, add1_search="step", min_votes=0
        )
        result = ours(election, rule, index)
        expected = Oracle(election, result).mes(utilities, completion)
        assert result.winners == expected, (index, election.costs, election.groups)


@pytest.mark.parametrize("completion", ["none", "add1"])
def test_integral_endowment_matches_pabutools(completion):
    require_pabutools()
    for index in range(ELECTIONS):
        election = random_election(random.Random(30_000 + index))
        rule = EqualSharesRule(endowment="integral", completion=completion, add1_search="step")
        result = ours(election, rule, index)
        expected = Oracle(election, result).mes_integral("cost", add1=completion == "add1")
        assert result.winners == expected, (index, election.costs, election.groups)


def test_cumulative_equal_shares_matches_pabutools():
    require_pabutools()
    for index in range(ELECTIONS):
        election = random_election(random.Random(20_000 + index), cumulative=True)
        result = ours(election, EqualSharesRule(utilities="cardinality"), index)
        expected = Oracle(election, result).mes("cardinality", "none")
        assert result.winners == expected, (index, election.costs, election.groups)
