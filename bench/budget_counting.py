"""Benchmark: civic_budget.counting against pabutools 1.2.3 (exact mode), side by side.

Same instance, same machine, same run; the winners are asserted identical before a ratio is
printed. pabutools is a GPL test oracle, installed only for tests and benchmarks:

    pip install -r requirements/oracle.txt
    pip install --no-deps -r requirements/oracle-nodeps.txt
    python bench/budget_counting.py            # everything (pabutools MES on Warsaw is slow)
    python bench/budget_counting.py --skip-slow-oracle
    python bench/budget_counting.py --only-units --large 4440000   # cents vs euros, memory

``--large N`` writes a synthetic pabulib file of N voters in a temporary folder (deleted
afterwards) and counts it with budget_count_pb's reader in a subprocess, printing its peak
memory (maxrss).

Run from the repository root; plugins/budget must be importable (the script adds it).
"""

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial
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
    parser.add_argument("--only-units", action="store_true", help="skip the pabutools comparison")
    parser.add_argument("--large", type=int, default=0, help="voters of the large-file case")
    args = parser.parse_args()
    print(f"rationals: {BACKEND}; python {sys.version.split()[0]}")
    bench_units()
    if args.large:
        bench_large(args.large)
    if args.only_units:
        return
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
        EqualSharesRule(completion="add1", add1_search="step"),
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


def in_unit(election: Election, unit: int) -> Election:
    """The same election with every amount multiplied by ``unit`` (euros to cents: 100)."""
    ballots = [[pid for pid, _ in group.choices] for group in election.groups]
    weights = [group.weight for group in election.groups]
    costs = {pid: cost * unit for pid, cost in election.costs.items()}
    return Election(costs, election.budget * unit, ballots, weights=weights)


def bench_units() -> None:
    """MES + Add1 with the jump search in euros and in cents: same runs, same time."""
    print("MES + Add1 in euros and in cents (CPU seconds, runs of MES)")
    rng = random.Random(7)
    costs = {
        f"p{n}": cost
        for n, cost in enumerate((9_000, 14_000, 20_000, 31_000, 45_000, 60_000, 80_000))
    }
    district = Election(
        costs, 150_000, [rng.sample(sorted(costs), rng.randint(1, 4)) for _ in range(40)]
    )
    cases = [
        ("district 7 x 40", district),
        ("synthetic 50 x 5,000", synthetic_election(50, 5_000, seed=2023)),
    ]
    for name, euros in cases:
        for search in ("jump", "step"):
            units = (1, 100) if search == "jump" or name.startswith("district") else (1,)
            for unit in units:
                election = in_unit(euros, unit)
                rule = EqualSharesRule(completion="add1", add1_search=search)
                seconds, result = timed(partial(count, election, rule))
                label = "euros" if unit == 1 else "cents"
                print(
                    f"  {name:<22} {search:<5} {label:<6} {seconds:>8.3f} s "
                    f"{result.endowment_iterations:>7} runs  winners {len(result.winners)}"
                )


LARGE_COUNT = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from civic_budget import pabulib
from civic_budget.counting import EqualSharesRule, GreedyRule, count
start = time.process_time()
imported = pabulib.read_election(sys.argv[2])
read = time.process_time() - start
rule = GreedyRule() if sys.argv[3] == "greedy" else EqualSharesRule()
result = count(imported.election, rule)
counted = time.process_time() - start - read
print(imported.election, f"read {read:.1f} s, {sys.argv[3]} {counted:.1f} s,",
      f"{len(result.winners)} winners")
"""


def write_large_file(path: Path, voters: int) -> None:
    """Warsaw-like: 100 projects, 1 to 10 approvals per ballot, voter metadata columns."""
    rng = random.Random(1)
    ids = list(range(1, 101))
    weights = [1 / (pid**0.8) for pid in ids]
    with open(path, "w", encoding="utf-8") as out:
        out.write("META\nkey;value\nbudget;100000000\nvote_type;approval\nrule;greedy\n")
        out.write("PROJECTS\nproject_id;cost;name\n")
        out.writelines(f"{pid};{rng.randint(100, 4000) * 1000};Project {pid}\n" for pid in ids)
        out.write("VOTES\nvoter_id;vote;age;sex;voting_method\n")
        for voter in range(1, voters + 1):
            chosen = sorted(set(rng.choices(ids, weights, k=rng.randint(1, 10))))
            out.write(
                f"{voter};{','.join(map(str, chosen))};{rng.randint(16, 90)};"
                f"{rng.choice('MF')};{rng.choice(('internet', 'paper'))}\n"
            )


def bench_large(voters: int) -> None:
    print(f"large file: {voters:,} voters, peak memory of a subprocess that reads and counts it")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.pb"
        write_large_file(path, voters)
        print(f"  {path.stat().st_size / 1e6:.0f} MB")
        for rule in ("greedy", "mes"):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    LARGE_COUNT,
                    str(ROOT / "plugins" / "budget"),
                    str(path),
                    rule,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            note = "" if peak > before else " (no higher than the previous run)"
            print(f"  {done.stdout.strip()}; peak {peak / 1024:.0f} MB{note}")


if __name__ == "__main__":
    main()
