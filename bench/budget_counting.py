"""Benchmark: civic_budget.counting against pabutools 1.2.3 (exact mode), side by side.

Same instance, same machine, same run; the winners are asserted identical before a ratio is
printed. pabutools is a GPL test oracle, installed only for tests and benchmarks:

    pip install -r requirements/oracle.txt
    pip install --no-deps -r requirements/oracle-nodeps.txt
    python bench/budget_counting.py            # everything (pabutools MES on Warsaw is slow)
    python bench/budget_counting.py --skip-slow-oracle

Run from the repository root; plugins/budget must be importable (the script adds it).
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins" / "budget"))
sys.path.insert(0, str(ROOT))

from civic_budget import pabulib  # noqa: E402
from civic_budget.counting import Election, EqualSharesRule, GreedyRule, count  # noqa: E402
from civic_budget.counting.numbers import BACKEND  # noqa: E402


def fetch_pabulib_file(name: str) -> Path | None:
    """The real file, fetched into .cache/pabulib/ the way the tests do it."""
    from tests.budget.counting.support import pabulib_file

    try:
        return pabulib_file(name)
    except BaseException as error:  # pytest's skip/fail outcomes are BaseExceptions
        if isinstance(error, KeyboardInterrupt):
            raise
        print(f"{name} unavailable, Warsaw cases skipped: {error}")
        return None


def synthetic_election(projects: int, voters: int, seed: int) -> Election:
    """An approval election shaped like real ones: a few popular projects, a long tail,
    about six approvals per ballot, costs from 1 to 40 times the cheapest, budget for about a
    fifth of the total cost."""
    rng = random.Random(seed)
    popularity = [min(0.5, 0.01 + rng.paretovariate(2.5) * 0.015) for _ in range(projects)]
    costs = {f"p{index}": rng.randint(10, 400) * 2500 for index in range(projects)}
    ids = list(costs)
    ballots = [
        [pid for pid, share in zip(ids, popularity, strict=True) if rng.random() < share]
        for _ in range(voters)
    ]
    return Election(costs, sum(costs.values()) // 5, ballots)


def timed(function):
    # CPU time of this process: both sides run here, one after the other, and CPU time is
    # far less disturbed than wall time by whatever else the machine is doing.
    start = time.process_time()
    value = function()
    return time.process_time() - start, value


class Pabutools:
    def __init__(self, election: Election, tie_order: list[str]):
        from pabutools.election import ApprovalMultiProfile, FrozenApprovalBallot, Instance
        from pabutools.election import Project as PbProject
        from pabutools.tiebreaking import TieBreakingRule

        projects = {pid: PbProject(pid, cost) for pid, cost in election.costs.items()}
        self.instance = Instance(projects.values(), budget_limit=election.budget)
        # The multi-profile is pabutools' own grouping of identical ballots: its fastest input.
        self.profile = ApprovalMultiProfile(instance=self.instance)
        for group in election.groups:
            ballot = FrozenApprovalBallot([projects[pid] for pid, _ in group.choices])
            self.profile[ballot] = self.profile.get(ballot, 0) + group.weight
        rank = {pid: position for position, pid in enumerate(tie_order)}
        self.ties = TieBreakingRule(lambda _i, _p, project: rank[project.name])

    def greedy(self):
        from pabutools.election import Cost_Sat
        from pabutools.rules import greedy_utilitarian_welfare

        outcome = greedy_utilitarian_welfare(
            self.instance, self.profile, sat_class=Cost_Sat, tie_breaking=self.ties
        )
        return [project.name for project in outcome]

    def mes(self, add1: bool):
        from pabutools.election import Cost_Sat
        from pabutools.rules import method_of_equal_shares

        outcome = method_of_equal_shares(
            self.instance,
            self.profile,
            sat_class=Cost_Sat,
            tie_breaking=self.ties,
            voter_budget_increment=1 if add1 else None,
        )
        return [project.name for project in outcome]


def bench_case(name, election, label, rule, oracle_call, *, run_oracle: bool):
    ours_time, result = timed(lambda: count(election, rule, seed="bench"))
    row = {"case": name, "rule": label, "ours": ours_time, "winners": len(result.winners)}
    if run_oracle:
        oracle = Pabutools(election, result.tie_order["order"])
        oracle_time, expected = timed(lambda: oracle_call(oracle))
        if expected != result.winners:
            raise SystemExit(
                f"{name} {label}: winners differ\n ours {result.winners}\n pabutools {expected}"
            )
        row["pabutools"] = oracle_time
    print_row(row)
    return row


def print_row(row):
    theirs = row.get("pabutools")
    ratio = f"{theirs / row['ours']:8.1f}x" if theirs else "       -"
    theirs_text = f"{theirs:10.2f}" if theirs else "   skipped"
    print(
        f"{row['case']:<34} {row['rule']:<14} {row['winners']:>7} {row['ours']:9.3f}"
        f" {theirs_text} {ratio}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-slow-oracle",
        action="store_true",
        help="do not run pabutools MES on the Warsaw 2024 city-wide file (many minutes)",
    )
    parser.add_argument(
        "--warsaw",
        type=Path,
        help="path to poland_warszawa_2024_.pb (default: fetched into .cache/pabulib/)",
    )
    args = parser.parse_args()
    print(f"rationals: {BACKEND}; python {sys.version.split()[0]}")
    print("CPU seconds per count (ours, pabutools); ratio = pabutools / ours")
    print(f"{'case':<34} {'rule':<14} {'winners':>7} {'ours':>9} {'pabutools':>10} {'ratio':>9}")

    big = synthetic_election(200, 50_000, seed=2024)
    bench_case(
        "synthetic 200 x 50,000",
        big,
        "greedy",
        GreedyRule(min_votes=0),
        Pabutools.greedy,
        run_oracle=True,
    )
    bench_case(
        "synthetic 200 x 50,000",
        big,
        "MES",
        EqualSharesRule(),
        lambda o: o.mes(add1=False),
        run_oracle=True,
    )
    small = synthetic_election(50, 5_000, seed=2023)
    bench_case(
        "synthetic 50 x 5,000",
        small,
        "MES + Add1",
        EqualSharesRule(completion="add1"),
        lambda o: o.mes(add1=True),
        run_oracle=True,
    )

    warsaw = args.warsaw or fetch_pabulib_file("poland_warszawa_2024_.pb")
    if warsaw is None:
        return
    election = pabulib.to_election(pabulib.read(warsaw))
    name = f"Warsaw 2024 city ({len(election.project_ids)} x {election.voter_count:,})"
    bench_case(name, election, "greedy", GreedyRule(min_votes=0), Pabutools.greedy, run_oracle=True)
    bench_case(
        name,
        election,
        "MES",
        EqualSharesRule(),
        lambda o: o.mes(add1=False),
        run_oracle=not args.skip_slow_oracle,
    )


if __name__ == "__main__":
    main()
